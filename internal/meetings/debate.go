package meetings

import (
	"context"
	"net/url"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
)

// The record of a meeting as a debate: the Akoma Ntoso export and the
// draft summary record (minutes) the secretariat edits and issues.

// Debate is the record of a meeting for whoever may see it: per agenda
// item in the agenda's order, its interventions in order with their
// transcripts, rulings and statements, and the documents it takes up.
// Interventions made on no item come last, under "Other interventions".
// base, when set, is the site's address (https://host), for links.
func (s *Service) Debate(ctx context.Context, sc *forum.Scope, ref, base string) (export.Debate, error) {
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return export.Debate{}, err
	}
	recs, err := s.Record(ctx, sc, m.ID)
	if err != nil {
		return export.Debate{}, err
	}
	forumURL := ""
	if base != "" {
		forumURL = base + "/forums/" + sc.Forum.Slug
	}
	d := export.Debate{Forum: sc.Forum.Title, ForumSlug: sc.Forum.Slug, ForumURL: forumURL, Meeting: m.Title, Number: m.Number,
		Body: m.BodyName, Date: m.Starts, Zone: m.Zone, Place: m.Room, Chair: m.ChairName, Published: m.UpdatedAt}
	if m.State == StateAdjourned || m.State == StateClosed {
		d.End = m.Ends
	}
	if d.Chair == "" {
		d.Chair = "The Chair"
	}
	speeches := map[string][]export.Speech{}
	for _, r := range recs {
		speeches[r.Item] = append(speeches[r.Item], s.speech(sc, r, forumURL))
	}
	decided := map[string][]export.DebateDecision{}
	if s.debateDecisions != nil {
		if decided, err = s.debateDecisions(ctx, sc, m, forumURL); err != nil {
			return export.Debate{}, err
		}
	}
	known := map[string]bool{}
	for _, it := range m.Agenda {
		known[it.ID] = true
		if it.Dropped && len(speeches[it.ID]) == 0 && len(decided[it.ID]) == 0 {
			continue
		}
		di := export.DebateItem{Number: it.Number, Heading: it.Title, Speeches: speeches[it.ID], Decisions: decided[it.ID]}
		delete(decided, it.ID)
		for _, l := range it.Links {
			doc := export.DocRef{Number: l.Label}
			if forumURL != "" {
				switch l.Kind {
				case LinkDocument:
					doc.URL = forumURL + "/documents/" + url.PathEscape(l.Ref)
				default:
					doc.URL = forumURL + "/drafts/" + url.PathEscape(l.Ref)
				}
			}
			if l.Kind == LinkProvision && l.Provision != "" {
				doc.Title = "provision " + l.Provision
			}
			di.Documents = append(di.Documents, doc)
		}
		d.Items = append(d.Items, di)
	}
	var other []export.Speech
	for _, r := range recs {
		if !known[r.Item] {
			other = append(other, s.speech(sc, r, forumURL))
		}
	}
	if len(other) > 0 {
		d.Items = append(d.Items, export.DebateItem{Heading: "Other interventions", Speeches: other})
	}
	var rest []export.DebateDecision
	for _, it := range m.Agenda {
		rest = append(rest, decided[it.ID]...) // of items left out
		delete(decided, it.ID)
	}
	for _, ds := range decided {
		rest = append(rest, ds...) // on no agenda item
	}
	if len(rest) > 0 {
		d.Items = append(d.Items, export.DebateItem{Heading: "Decisions outside the agenda", Decisions: rest})
	}
	return d, nil
}

func (s *Service) speech(sc *forum.Scope, r InterventionRecord, forumURL string) export.Speech {
	sp := export.Speech{ID: r.ID, ReplyTo: r.ReplyTo, Speaker: r.Name, SpeakerKey: r.Speaker, Party: r.PartyName, PartyKey: r.PartyID,
		Group: r.GroupName, Start: r.start(), End: r.EndedAt, Seconds: r.SpokenMS / 1000, Ruling: r.Ruling}
	switch r.Kind {
	case floor.PointOfOrder:
		sp.Kind = export.SpeechPointOfOrder
	case floor.Question:
		sp.Kind = export.SpeechQuestion
	case floor.Reply:
		sp.Kind = export.SpeechReply
	default:
		sp.Kind = export.SpeechStatement
	}
	if r.OnBehalf != "" {
		sp.Capacity = "on behalf of " + r.OnBehalf
	}
	switch r.Origin {
	case floor.Remote:
		sp.From = "remote"
	case floor.Hub:
		sp.From = "hub: " + r.Hub
	default:
		sp.From = "in the room"
	}
	for _, l := range r.Lines {
		sp.Text = append(sp.Text, l.Text)
	}
	if r.StatementNumber != "" {
		doc := export.DocRef{Number: r.StatementNumber}
		if forumURL != "" {
			doc.URL = forumURL + "/documents/" + url.PathEscape(r.Statement)
		}
		sp.Statement = &doc
	}
	return sp
}

// DebateDecisions reads the decisions taken at a meeting for its debate
// and minutes, by agenda item id ("" for those on no item), as the reader
// may see them. The decisions aggregate, which builds on this one,
// registers it (OnDebate).
type DebateDecisions func(ctx context.Context, sc *forum.Scope, m Meeting, forumURL string) (map[string][]export.DebateDecision, error)

// OnDebate registers the hook that adds decisions to a meeting's debate.
func (s *Service) OnDebate(f DebateDecisions) { s.debateDecisions = f }

// DebateXML is the meeting's record as an Akoma Ntoso 3.0 debate.
func (s *Service) DebateXML(ctx context.Context, sc *forum.Scope, ref, base string) ([]byte, error) {
	d, err := s.Debate(ctx, sc, ref, base)
	if err != nil {
		return nil, err
	}
	return export.DebateAkomaNtoso(d), nil
}

// minutesState: the minutes are drafted once the meeting is adjourned or
// closed.
func minutesState(m Meeting) error {
	if m.State != StateAdjourned && m.State != StateClosed {
		return plenary.Conflict("meeting %s is %s; its minutes are drafted once it is adjourned or closed", m.Number, strings.ToLower(m.StateLabel()))
	}
	return nil
}

// MinutesDraft is the draft summary record of an adjourned or closed
// meeting, in Markdown, for the secretariat.
func (s *Service) MinutesDraft(ctx context.Context, sc *forum.Scope, ref, base string) (string, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return "", err
	}
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return "", err
	}
	if err := minutesState(m); err != nil {
		return "", err
	}
	d, err := s.Debate(ctx, sc, m.ID, base)
	if err != nil {
		return "", err
	}
	return export.MinutesDraft(d), nil
}

// MinutesInput is the minutes the secretariat issues: the edited text,
// its title, and the series that numbers it ("" for the forum's own).
type MinutesInput struct {
	Series     string `json:"series"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Visibility string `json:"visibility,omitempty"`
}

// IssueMinutes issues the minutes of an adjourned or closed meeting as a
// numbered document of type minutes, for the meeting's body, through the
// documents aggregate (which records it).
func (s *Service) IssueMinutes(ctx context.Context, sc *forum.Scope, ref string, in MinutesInput) (documents.Document, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return documents.Document{}, err
	}
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return documents.Document{}, err
	}
	if err := minutesState(m); err != nil {
		return documents.Document{}, err
	}
	if strings.TrimSpace(in.Text) == "" {
		return documents.Document{}, plenary.Invalid("text", "write the minutes")
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = "Summary record of meeting " + m.Number + ": " + m.Title
	}
	vis := in.Visibility
	if vis == "" && m.Access == AccessClosed {
		vis = "members"
	}
	return s.documents.SubmitDocument(ctx, sc, documents.DocumentInput{Type: documents.DocMinutes, Series: in.Series, Title: title,
		Text: in.Text, Body: m.BodySlug, Visibility: vis})
}
