package api

import (
	"net/http"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/opinion"
)

// StatementList is the body of GET .../consultations/{id}/statements.
type StatementList struct {
	Statements []consultation.Statement `json:"statements"`
}

// SeedInput names the provisions to make statements of; none: every
// provision of the period's revision with words.
type SeedInput struct {
	Provisions []string `json:"provisions,omitempty"`
}

// StatementModeration accepts or rejects a participant's statement; a
// rejection says why.
type StatementModeration struct {
	Decision string `json:"decision"` // accept or reject
	Reason   string `json:"reason,omitempty"`
}

// OpinionMapView is the opinion map of a comment period as JSON: the
// groups of opinion the votes form (PCA to two components, k-means, the
// number of groups chosen by silhouette), with each group's representative
// statements; the statements on which everyone, or every group, agrees;
// the statements that divide the groups and those that bridge them; the
// same reading by declared stakeholder group; and each counted voter's
// place on the map. Statements are named by their numbers (S-3), voters
// by theirs in the period, never by account.
type OpinionMapView struct {
	Period  string `json:"period"`
	Version int64  `json:"version"`
	// ComputedAt is when the map was computed from the votes of Version.
	ComputedAt time.Time `json:"computed_at"`
	// Participants voted; Counted cast at least MinVotes votes and are on
	// the map.
	Participants int `json:"participants"`
	Counted      int `json:"counted"`
	MinVotes     int `json:"min_votes"`
	Votes        int `json:"votes"`
	// Groups is the number of groups of opinion found (0 when too few
	// voters are counted).
	Groups int `json:"groups"`
	// Consensus: the statements a significant majority of every counted
	// voter agrees (or disagrees) with.
	Consensus []OpinionConsensus `json:"consensus"`
	// ByOpinion is the reading by group of opinion; ByStakeholderGroup the
	// same by the stakeholder groups the voters declared (absent when
	// none declared one), with how many counted voters declared none.
	ByOpinion          OpinionReading  `json:"by_opinion"`
	ByStakeholderGroup *OpinionReading `json:"by_stakeholder_group,omitempty"`
	Undeclared         int             `json:"undeclared"`
	Points             []OpinionPoint  `json:"points"`
	// Statements are the statements open for votes, with their counts.
	Statements []consultation.Statement `json:"statements"`
}

// OpinionReading is what the map says about one grouping of the voters.
type OpinionReading struct {
	Groups []OpinionGroup `json:"groups"`
	// Consensus is the group-informed consensus: the statements every
	// group is most likely to take the same side on, best first.
	Consensus []OpinionConsensus `json:"consensus"`
	Bridging  []OpinionBridge    `json:"bridging"`
	Splits    []OpinionSplit     `json:"splits"`
}

// OpinionGroup is a group of opinion (A, B, ...) or a declared
// stakeholder group, with its representative statements, best first.
type OpinionGroup struct {
	Label          string                  `json:"label"`
	Size           int                     `json:"size"`
	Representative []OpinionRepresentative `json:"representative"`
}

// OpinionRepresentative is a statement that sets a group apart: the side
// the group takes on it, the group's votes, and the probability of that
// side in the group and outside it.
type OpinionRepresentative struct {
	Statement string  `json:"statement"`
	Side      string  `json:"side"` // agree or disagree
	Agrees    int     `json:"agrees"`
	Disagrees int     `json:"disagrees"`
	Seen      int     `json:"seen"`
	P         float64 `json:"p"`
	PRest     float64 `json:"p_rest"`
}

// OpinionConsensus is a statement most voters, or every group, take one
// side on, with the probability of that side.
type OpinionConsensus struct {
	Statement string  `json:"statement"`
	Side      string  `json:"side"`
	P         float64 `json:"p"`
}

// OpinionBridge is a statement on which groups that are divided elsewhere
// take the same side: the smallest probability of that side over the
// groups, and how many statements divide them.
type OpinionBridge struct {
	Statement string  `json:"statement"`
	Side      string  `json:"side"`
	MinP      float64 `json:"min_p"`
	Splits    int     `json:"splits"`
}

// OpinionSplit is a statement that divides the groups: those whose
// significant majority agrees, those whose majority disagrees, and the
// spread of agreement between the groups.
type OpinionSplit struct {
	Statement string   `json:"statement"`
	Agree     []string `json:"agree"`
	Disagree  []string `json:"disagree"`
	Spread    float64  `json:"spread"`
}

// OpinionPoint is a counted voter's place on the map, and its group.
type OpinionPoint struct {
	Voter int     `json:"voter"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Group string  `json:"group"`
}

func side(agree bool) string {
	if agree {
		return string(consultation.Agree)
	}
	return string(consultation.Disagree)
}

func consensusView(cs []opinion.Consensus) []OpinionConsensus {
	out := []OpinionConsensus{}
	for _, c := range cs {
		out = append(out, OpinionConsensus{Statement: consultation.StatementRef(c.Statement), Side: side(c.Agree), P: c.P})
	}
	return out
}

func readingView(a opinion.Analysis) OpinionReading {
	out := OpinionReading{Groups: []OpinionGroup{}, Consensus: consensusView(a.GroupConsensus), Bridging: []OpinionBridge{}, Splits: []OpinionSplit{}}
	label := func(gs []int) []string {
		ls := []string{}
		for _, g := range gs {
			if g >= 0 && g < len(a.Groups) {
				ls = append(ls, a.Groups[g].Label)
			}
		}
		return ls
	}
	for _, g := range a.Groups {
		v := OpinionGroup{Label: g.Label, Size: g.Size, Representative: []OpinionRepresentative{}}
		for i, reps := range [][]opinion.Rep{g.Agree, g.Disagree} {
			for _, r := range reps {
				v.Representative = append(v.Representative, OpinionRepresentative{Statement: consultation.StatementRef(r.Statement), Side: side(i == 0),
					Agrees: r.Agrees, Disagrees: r.Disagrees, Seen: r.Seen, P: r.P, PRest: r.PRest})
			}
		}
		out.Groups = append(out.Groups, v)
	}
	for _, b := range a.Bridging {
		out.Bridging = append(out.Bridging, OpinionBridge{Statement: consultation.StatementRef(b.Statement), Side: side(b.Agree), MinP: b.MinP, Splits: b.Splits})
	}
	for _, s := range a.Splits {
		out.Splits = append(out.Splits, OpinionSplit{Statement: consultation.StatementRef(s.Statement), Agree: label(s.AgreeGroups),
			Disagree: label(s.DisagreeGroups), Spread: s.Spread})
	}
	return out
}

// opinionMapView turns a period's map into its JSON.
func opinionMapView(m *consultation.OpinionMap) OpinionMapView {
	out := OpinionMapView{Period: m.PeriodID, Version: m.Version, ComputedAt: m.ComputedAt, Participants: m.Map.Participants,
		Counted: len(m.Map.Counted), MinVotes: consultation.MinVotes, Votes: m.Votes, Groups: m.Map.K,
		Consensus: consensusView(m.Map.Consensus), ByOpinion: readingView(m.Map.Clusters), Undeclared: m.Map.DeclaredMissing,
		Points: []OpinionPoint{}, Statements: []consultation.Statement{}}
	if m.Map.Declared != nil {
		r := readingView(*m.Map.Declared)
		out.ByStakeholderGroup = &r
	}
	for _, p := range m.Map.Counted {
		g := ""
		if p.Group >= 0 && p.Group < len(m.Map.Clusters.Groups) {
			g = m.Map.Clusters.Groups[p.Group].Label
		}
		out.Points = append(out.Points, OpinionPoint{Voter: p.Participant, X: p.X, Y: p.Y, Group: g})
	}
	for n := 1; len(out.Statements) < len(m.Statements); n++ {
		if st, ok := m.Statements[n]; ok {
			out.Statements = append(out.Statements, st)
		}
	}
	return out
}

// opinionRoutes registers the endpoints of a comment period's opinion
// map: its statements and their moderation, votes, and the map.
func (h *Handler) opinionRoutes() {
	one := "/forums/{slug}/consultations/{id}"
	stmt := one + "/statements/{ref}"
	svc := func() *consultation.Service { return h.svc.Consultation }
	mapOf := func(r *http.Request, sc *forum.Scope) (OpinionMapView, error) {
		m, err := svc().OpinionMap(r.Context(), sc, r.PathValue("id"))
		if err != nil {
			return OpinionMapView{}, err
		}
		return opinionMapView(m), nil
	}

	h.add(&Op{Method: "POST", Path: one + "/map", ID: "enableOpinionMap", Tag: "opinion maps",
		Summary: "Give a comment period an opinion map, on the record (secretariat); then seed its statements", Auth: true,
		Response: OpinionMapView{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (OpinionMapView, error) {
			if err := svc().EnableOpinionMap(r.Context(), sc, r.PathValue("id")); err != nil {
				return OpinionMapView{}, err
			}
			return mapOf(r, sc)
		}).at(func(r *http.Request, _ OpinionMapView) string {
			return "/api/v1/forums/" + r.PathValue("slug") + "/consultations/" + r.PathValue("id") + "/map"
		}))
	h.add(&Op{Method: "GET", Path: one + "/map", ID: "getOpinionMap", Tag: "opinion maps",
		Summary:  "A period's opinion map: the groups of opinion with their representative statements, the consensus statements, the splits and bridging statements, the same by declared stakeholder group, and each counted voter's place (by number, never by account); computed once per change of the votes",
		Response: OpinionMapView{}},
		query(mapOf))

	// Statements.
	h.add(&Op{Method: "GET", Path: one + "/statements", ID: "listOpinionStatements", Tag: "opinion maps",
		Summary: "A period's statements by number, with their votes (agrees, disagrees, passes): the public reads those open for votes, a participant also their own, the secretariat every one",
		Query:   map[string]string{"state": "only those in this state: pending, accepted or rejected"}, Response: StatementList{}},
		query(func(r *http.Request, sc *forum.Scope) (StatementList, error) {
			state := consultation.StatementState(r.URL.Query().Get("state"))
			switch state {
			case "", consultation.StatementPending, consultation.StatementAccepted, consultation.StatementRejected:
			default:
				return StatementList{}, plenary.Invalid("state", "must be pending, accepted or rejected")
			}
			sts, err := svc().Statements(r.Context(), sc, r.PathValue("id"), consultation.StatementFilter{State: state})
			return StatementList{Statements: nonNil(sts)}, err
		}))
	h.add(&Op{Method: "POST", Path: one + "/statements/seed", ID: "seedOpinionStatements", Tag: "opinion maps",
		Summary: "Make statements open for votes of the period's provisions (those named, or every one with words); a provision already seeded is passed over (secretariat)", Auth: true,
		Request: SeedInput{}, Response: StatementList{}},
		command(func(r *http.Request, sc *forum.Scope, in SeedInput) (StatementList, error) {
			sts, err := svc().SeedStatements(r.Context(), sc, r.PathValue("id"), in.Provisions)
			return StatementList{Statements: nonNil(sts)}, err
		}))
	h.add(&Op{Method: "POST", Path: one + "/statements", ID: "submitOpinionStatement", Tag: "opinion maps",
		Summary: "Submit a statement to an open period's opinion map, for moderation, declaring a stakeholder group (or keeping the one declared); who may comment may submit, within the bounds on intake", Auth: true,
		Request: consultation.StatementInput{}, Response: consultation.Statement{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in consultation.StatementInput) (consultation.Statement, error) {
			return svc().SubmitStatement(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: stmt + "/moderation", ID: "moderateOpinionStatement", Tag: "opinion maps",
		Summary: "Accept a statement for votes, or reject it with the reason, on the record (secretariat)", Auth: true,
		Request: StatementModeration{}, Response: consultation.Statement{}},
		command(func(r *http.Request, sc *forum.Scope, in StatementModeration) (consultation.Statement, error) {
			var accept bool
			switch in.Decision {
			case "accept":
				accept = true
			case "reject":
			default:
				return consultation.Statement{}, plenary.Invalid("decision", "must be accept or reject")
			}
			return svc().ModerateStatement(r.Context(), sc, r.PathValue("id"), r.PathValue("ref"), consultation.ModerationInput{Accept: accept, Reason: in.Reason})
		}))

	// Votes.
	h.add(&Op{Method: "GET", Path: one + "/ballot", ID: "getOpinionBallot", Tag: "opinion maps",
		Summary:  "The caller's next statement to vote on, and how far they are; a voter is on the map once they have cast the minimum number of votes",
		Response: consultation.Ballot{}},
		query(func(r *http.Request, sc *forum.Scope) (consultation.Ballot, error) {
			return svc().NextBallot(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "POST", Path: one + "/votes", ID: "castOpinionVote", Tag: "opinion maps",
		Summary: "Vote agree, disagree or pass on a statement open for votes (its S-number or id), declaring a stakeholder group the first time unless one was declared on a comment in the period; a new vote replaces the old. The vote's event is the secretariat's alone: the counts and the map are public, how an account voted is not", Auth: true,
		Request: consultation.VoteInput{}, Response: consultation.Voter{}},
		command(func(r *http.Request, sc *forum.Scope, in consultation.VoteInput) (consultation.Voter, error) {
			return svc().Vote(r.Context(), sc, r.PathValue("id"), in)
		}))
}
