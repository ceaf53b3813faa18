package api

import (
	"net/http"

	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/forum"
)

// DecisionList is the body of GET .../decisions and of a meeting's
// decisions.
type DecisionList struct {
	Decisions []decisions.Decision `json:"decisions"`
}

// decisionRoutes registers the endpoints of the decisions: consensus
// calls, straw polls (always "binding": false), formal votes, packages and
// the reopening of an adopted draft text.
func (h *Handler) decisionRoutes() {
	base := "/forums/{slug}/decisions"
	one := base + "/{id}"
	read := func(r *http.Request, sc *forum.Scope, err error) (decisions.Decision, error) {
		if err != nil {
			return decisions.Decision{}, err
		}
		return h.svc.Decisions.Decision(r.Context(), sc, r.PathValue("id"))
	}
	located := func(r *http.Request, d decisions.Decision) string {
		return "/api/v1/forums/" + r.PathValue("slug") + "/decisions/" + d.ID
	}

	// Reads.
	h.add(&Op{Method: "GET", Path: base, ID: "listDecisions", Tag: "decisions",
		Summary:  "A forum's decisions in the meetings the caller may see, each labelled as what it is (a straw poll is never binding)",
		Query:    map[string]string{"meeting": "only those of this meeting (id or number)", "item": "only those on this agenda item (id)"},
		Response: DecisionList{}},
		query(func(r *http.Request, sc *forum.Scope) (DecisionList, error) {
			ds, err := h.svc.Decisions.Decisions(r.Context(), sc, decisions.Filter{Meeting: r.URL.Query().Get("meeting"), Item: r.URL.Query().Get("item")})
			return DecisionList{Decisions: nonNil(ds)}, err
		}))
	h.add(&Op{Method: "GET", Path: one, ID: "getDecision", Tag: "decisions",
		Summary:  "One decision: what it is, on what, where it stands, its objections, explanations, counts, tally and arithmetic, and the record's seqs",
		Response: decisions.Decision{}},
		query(func(r *http.Request, sc *forum.Scope) (decisions.Decision, error) {
			return h.svc.Decisions.Decision(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/meetings/{id}/decisions", ID: "listMeetingDecisions", Tag: "decisions",
		Summary: "A meeting's decisions in the order they were opened", Response: DecisionList{}},
		query(func(r *http.Request, sc *forum.Scope) (DecisionList, error) {
			ds, err := h.svc.Decisions.MeetingDecisions(r.Context(), sc, r.PathValue("id"))
			return DecisionList{Decisions: nonNil(ds)}, err
		}))

	// Consensus calls.
	h.add(&Op{Method: "POST", Path: base + "/consensus", ID: "openConsensusCall", Tag: "decisions",
		Summary: "Open a consensus call (\"Is there any objection?\") in a sitting meeting, or a written silence procedure until a stated time (chair or secretariat)", Auth: true,
		Request: decisions.ConsensusInput{}, Response: decisions.Decision{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in decisions.ConsensusInput) (decisions.Decision, error) {
			return h.svc.Decisions.OpenConsensus(r.Context(), sc, in)
		}).at(located))
	h.add(&Op{Method: "POST", Path: one + "/objections", ID: "objectToConsensus", Tag: "decisions",
		Summary: "Object to consensus for a party, with a reason (those whose rights include objecting to consensus; a refusal names the rule)", Auth: true,
		Request: decisions.ObjectionInput{}, Response: decide.Objection{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in decisions.ObjectionInput) (decide.Objection, error) {
			return h.svc.Decisions.Object(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/objections/{objection}/withdraw", ID: "withdrawObjection", Tag: "decisions",
		Summary: "Withdraw a standing objection (a delegate of its party)", Auth: true, Response: decisions.Decision{}},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (decisions.Decision, error) {
			return read(r, sc, h.svc.Decisions.WithdrawObjection(r.Context(), sc, r.PathValue("id"), r.PathValue("objection")))
		}))
	h.add(&Op{Method: "POST", Path: one + "/finding", ID: "closeConsensusCall", Tag: "decisions",
		Summary: "Close a consensus call with the chair's finding; adopted with objections addressed needs an answer to each standing objection; a finding that adopts a draft revision files the adopted text", Auth: true,
		Request: decisions.FindingInput{}, Response: decisions.Decision{}},
		command(func(r *http.Request, sc *forum.Scope, in decisions.FindingInput) (decisions.Decision, error) {
			return h.svc.Decisions.CloseConsensus(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/explanations", ID: "fileExplanationOfPosition", Tag: "decisions",
		Summary: "File a party's explanation of position after adoption by consensus (one each)", Auth: true,
		Request: decisions.ExplanationInput{}, Response: decide.Explanation{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in decisions.ExplanationInput) (decide.Explanation, error) {
			return h.svc.Decisions.FileExplanation(r.Context(), sc, r.PathValue("id"), in)
		}))

	// Straw polls: indicative, never binding.
	h.add(&Op{Method: "POST", Path: base + "/straw-polls", ID: "openStrawPoll", Tag: "decisions",
		Summary: "Open a straw poll (\"temperature of the room\"): indicative, never binding; counts entered by the secretariat or answered from devices (chair or secretariat)", Auth: true,
		Request: decisions.StrawInput{}, Response: decisions.Decision{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in decisions.StrawInput) (decisions.Decision, error) {
			return h.svc.Decisions.OpenStrawPoll(r.Context(), sc, in)
		}).at(located))
	h.add(&Op{Method: "PUT", Path: one + "/counts", ID: "enterStrawPollCounts", Tag: "decisions",
		Summary: "Enter the totals of a straw poll counted by the secretariat (a show of placards), replacing earlier ones", Auth: true,
		Request: decisions.StrawCountsInput{}, Response: decisions.Decision{}},
		command(func(r *http.Request, sc *forum.Scope, in decisions.StrawCountsInput) (decisions.Decision, error) {
			return h.svc.Decisions.EnterStrawCounts(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/answers", ID: "answerStrawPoll", Tag: "decisions",
		Summary: "Answer a straw poll from a device (registered participants; a later answer replaces it)", Auth: true,
		Request: decisions.StrawAnswerInput{}, Response: decisions.Decision{}},
		command(func(r *http.Request, sc *forum.Scope, in decisions.StrawAnswerInput) (decisions.Decision, error) {
			return read(r, sc, h.svc.Decisions.AnswerStrawPoll(r.Context(), sc, r.PathValue("id"), in))
		}))
	h.add(&Op{Method: "POST", Path: one + "/close-poll", ID: "closeStrawPoll", Tag: "decisions",
		Summary: "Close a straw poll; it records no outcome (chair or secretariat)", Auth: true, Response: decisions.Decision{}},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (decisions.Decision, error) {
			return h.svc.Decisions.CloseStrawPoll(r.Context(), sc, r.PathValue("id"))
		}))

	// Formal votes.
	h.add(&Op{Method: "POST", Path: base + "/votes", ID: "openVote", Tag: "decisions",
		Summary: "Open a formal vote by show of hands, roll-call (its seed drawn and on the record), recorded electronic vote or secret ballot, with its majority, quorum and eligibility rules (chair or secretariat)", Auth: true,
		Request: decisions.VoteInput{}, Response: decisions.Decision{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in decisions.VoteInput) (decisions.Decision, error) {
			return h.svc.Decisions.OpenVote(r.Context(), sc, in)
		}).at(located))
	h.add(&Op{Method: "PUT", Path: one + "/tally", ID: "enterVoteTally", Tag: "decisions",
		Summary: "Enter the tally of a vote by show of hands, replacing an earlier one (chair or secretariat)", Auth: true,
		Request: decisions.TallyInput{}, Response: decisions.Decision{}},
		command(func(r *http.Request, sc *forum.Scope, in decisions.TallyInput) (decisions.Decision, error) {
			return h.svc.Decisions.EnterTally(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/ballots", ID: "castVote", Tag: "decisions",
		Summary: "Cast a party's ballot (one per party; eligibility from the vote right, credentials and presence, a refusal naming the rule); a secret ballot returns the receipt and its nonce, once", Auth: true,
		Request: decisions.CastInput{}, Response: decisions.Cast{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in decisions.CastInput) (decisions.Cast, error) {
			return h.svc.Decisions.CastVote(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/close-vote", ID: "closeVote", Tag: "decisions",
		Summary: "Close a formal vote: the result with its rule and arithmetic on the record; a secret ballot publishes its ballot list and hash (chair or secretariat)", Auth: true,
		Request: decisions.CloseVoteInput{}, Response: decisions.Decision{}},
		command(func(r *http.Request, sc *forum.Scope, in decisions.CloseVoteInput) (decisions.Decision, error) {
			return h.svc.Decisions.CloseVote(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: one + "/receipts", ID: "verifyBallotReceipt", Tag: "decisions",
		Summary: "Check a secret ballot's receipt (the choice and nonce kept) against its published ballot list; anyone who may read the vote",
		Request: decisions.ReceiptCheck{}, Response: decisions.Verification{}},
		command(func(r *http.Request, sc *forum.Scope, in decisions.ReceiptCheck) (decisions.Verification, error) {
			return h.svc.Decisions.VerifyReceipt(r.Context(), sc, r.PathValue("id"), in)
		}))

	// Packages.
	h.add(&Op{Method: "POST", Path: base + "/packages", ID: "createDecisionPackage", Tag: "decisions",
		Summary: "Link binding decisions of a meeting into a package: nothing in it is agreed until the package is decided (chair or secretariat)", Auth: true,
		Request: decisions.PackageInput{}, Response: decisions.Package{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in decisions.PackageInput) (decisions.Package, error) {
			return h.svc.Decisions.CreatePackage(r.Context(), sc, in)
		}).at(func(r *http.Request, p decisions.Package) string {
			return "/api/v1/forums/" + r.PathValue("slug") + "/decisions/packages/" + p.ID
		}))
	h.add(&Op{Method: "GET", Path: base + "/packages/{package}", ID: "getDecisionPackage", Tag: "decisions",
		Summary: "A package of decisions with each member's status", Response: decisions.Package{}},
		query(func(r *http.Request, sc *forum.Scope) (decisions.Package, error) {
			return h.svc.Decisions.Package(r.Context(), sc, r.PathValue("package"))
		}))
	h.add(&Op{Method: "POST", Path: base + "/packages/{package}/decide", ID: "decideDecisionPackage", Tag: "decisions",
		Summary: "Decide a package by a closed decision on it as a whole; if it is not adopted, every decision in it falls (chair or secretariat)", Auth: true,
		Request: decisions.PackageDecisionInput{}, Response: decisions.Package{}},
		command(func(r *http.Request, sc *forum.Scope, in decisions.PackageDecisionInput) (decisions.Package, error) {
			return h.svc.Decisions.DecidePackage(r.Context(), sc, r.PathValue("package"), in)
		}))

	// Reopening an adopted draft text.
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/reopen", ID: "reopenAdoptedDraft", Tag: "decisions",
		Summary: "Reopen an adopted draft text to proposals, by a decision of the chair on the record in a sitting meeting, with the reason", Auth: true,
		Request: decisions.ReopenInput{}, Status: http.StatusNoContent},
		command(func(r *http.Request, sc *forum.Scope, in decisions.ReopenInput) (struct{}, error) {
			return struct{}{}, h.svc.Decisions.ReopenDraft(r.Context(), sc, r.PathValue("id"), in)
		}))
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
