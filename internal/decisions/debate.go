package decisions

import (
	"context"
	"net/url"
	"strconv"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
)

// debateDecisions is the meetings' hook for a meeting's debate and
// minutes: its decisions by agenda item, each with its status sentence
// and the lines a record keeps (counts, objections and how each was
// addressed, explanations of position, votes per delegation).
func (s *Service) debateDecisions(ctx context.Context, sc *forum.Scope, m meetings.Meeting, forumURL string) (map[string][]export.DebateDecision, error) {
	ds, err := s.MeetingDecisions(ctx, sc, m.ID)
	if err != nil {
		return nil, err
	}
	out := map[string][]export.DebateDecision{}
	for _, d := range ds {
		out[d.Item] = append(out[d.Item], DebateDecision(d, forumURL))
	}
	return out, nil
}

// DebateDecision is a decision as a meeting's record carries it.
func DebateDecision(d Decision, forumURL string) export.DebateDecision {
	dd := export.DebateDecision{Kind: string(d.Kind), Label: d.Label, Title: d.Title, Binding: d.Binding, Outcome: string(d.Outcome),
		OutcomeLabel: d.OutcomeLabel, Status: d.Status}
	if forumURL != "" {
		dd.URL = forumURL + "/decisions/" + url.PathEscape(d.ID)
	}
	if d.Consensus != nil {
		if !d.Open && d.Consensus.Sentence != "" {
			dd.Status = d.Consensus.Sentence
		}
		answers := map[string]string{}
		for _, a := range d.Consensus.Answers {
			answers[a.Objection] = a.Text
		}
		for _, o := range d.Consensus.Objections {
			l := "Objection of " + o.Party.String() + ": " + o.Reason
			if !o.Standing() {
				l += " (withdrawn)"
			}
			if a := answers[o.ID]; a != "" {
				l += " Addressed: " + a
			}
			dd.Lines = append(dd.Lines, l)
		}
		for _, e := range d.Consensus.Explanations {
			dd.Lines = append(dd.Lines, "Explanation of position of "+e.Party.String()+": "+e.Text)
		}
	}
	if d.Straw != nil {
		for _, o := range d.Straw.Options {
			dd.Lines = append(dd.Lines, o.Label+": "+strconv.Itoa(o.Count))
		}
	}
	if d.Vote != nil {
		dd.Lines = append(dd.Lines, d.Vote.MethodLabel+"; "+d.Vote.RuleLabel+".")
		if r := d.Vote.Result; r != nil {
			for _, rec := range r.Records {
				dd.Lines = append(dd.Lines, rec.Party.String()+": "+rec.Choice.Label())
			}
			if r.BallotHash != "" {
				dd.Lines = append(dd.Lines, "The published list of "+strconv.Itoa(len(r.Ballots))+" ballots has the SHA-256 hash "+r.BallotHash+".")
			}
		}
	}
	return dd
}
