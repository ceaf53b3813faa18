package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// DraftList is the body of GET /forums/{slug}/drafts.
type DraftList struct {
	Drafts []drafting.DraftText `json:"drafts"`
}

// AmendmentList is the body of GET /forums/{slug}/drafts/{id}/amendments.
type AmendmentList struct {
	Amendments []drafting.Amendment `json:"amendments"`
}

// BracketList is the body of GET /forums/{slug}/drafts/{id}/brackets.
type BracketList struct {
	Revision     int                     `json:"revision"`
	OpenBrackets int                     `json:"open_brackets"`
	Brackets     []text.BracketRef       `json:"brackets"`
	History      []drafting.RevisionInfo `json:"history"`
	Attributed   bool                    `json:"attributed"`
}

// ConsolidatedText is the body of GET /forums/{slug}/drafts/{id}/consolidated.
type ConsolidatedText struct {
	Consolidation *text.Consolidation `json:"consolidation"`
	Attributed    bool                `json:"attributed"`
}

// CosponsorInput is the body of POST .../amendments/{aid}/cosponsors.
type CosponsorInput struct {
	// Party is the co-sponsoring party (id or code); "" is the party the
	// caller is registered for.
	Party string `json:"party"`
}

// CompilationSetting is the body of PUT /forums/{slug}/compilation-setting.
type CompilationSetting struct {
	// Anonymised: people other than the secretariat and the editors see
	// compilations, brackets and drafting logs without party names.
	Anonymised bool `json:"anonymised"`
}

var revisionQuery = map[string]string{"revision": "the revision (1, 2...); the current one when absent"}

// draftRoutes registers the endpoints of draft texts, proposals and
// revisions.
func (h *Handler) draftRoutes() {
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts", ID: "listDrafts", Tag: "drafting",
		Summary: "The draft texts of a forum that the caller may read", Response: DraftList{}},
		query(func(r *http.Request, sc *forum.Scope) (DraftList, error) {
			ds, err := h.svc.Drafting.DraftTexts(r.Context(), sc)
			return DraftList{Drafts: ds}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts", ID: "createDraft", Tag: "drafting",
		Summary: "File a draft text from Markdown or numbered plain text, as a new document (the editor or the secretariat)", Auth: true,
		Request: drafting.DraftInput{}, Response: drafting.DraftText{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in drafting.DraftInput) (drafting.DraftText, error) {
			return h.svc.Drafting.CreateDraft(r.Context(), sc, in)
		}).at(func(r *http.Request, d drafting.DraftText) string {
			return "/api/v1/forums/" + r.PathValue("slug") + "/drafts/" + d.ID
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}", ID: "getDraft", Tag: "drafting", Query: revisionQuery,
		Summary: "A revision of a draft text with its provisions, brackets and drafting logs", Response: drafting.RevisionView{}},
		query(func(r *http.Request, sc *forum.Scope) (drafting.RevisionView, error) {
			n, err := intQuery(r, "revision")
			if err != nil {
				return drafting.RevisionView{}, err
			}
			return h.svc.Drafting.DraftRevision(r.Context(), sc, r.PathValue("id"), n)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/compilation", ID: "getCompilation", Tag: "drafting",
		Summary:  "The compilation of the current revision: every pending proposal per provision, with its word changes and collisions",
		Response: drafting.CompilationView{}},
		query(func(r *http.Request, sc *forum.Scope) (drafting.CompilationView, error) {
			return h.svc.Drafting.Compilation(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/consolidated", ID: "getConsolidated", Tag: "drafting",
		Summary:  "The current revision as it would read with every pending proposal accepted, collisions as brackets",
		Response: ConsolidatedText{}},
		query(func(r *http.Request, sc *forum.Scope) (ConsolidatedText, error) {
			c, attributed, err := h.svc.Drafting.Consolidated(r.Context(), sc, r.PathValue("id"))
			return ConsolidatedText{Consolidation: c, Attributed: attributed}, err
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/brackets", ID: "listBrackets", Tag: "drafting", Query: revisionQuery,
		Summary:  "The brackets of a revision with their alternatives and supporters, and the open brackets of every revision",
		Response: BracketList{}},
		query(func(r *http.Request, sc *forum.Scope) (BracketList, error) {
			n, err := intQuery(r, "revision")
			if err != nil {
				return BracketList{}, err
			}
			rv, err := h.svc.Drafting.DraftRevision(r.Context(), sc, r.PathValue("id"), n)
			if err != nil {
				return BracketList{}, err
			}
			bl := BracketList{Revision: rv.Text.Revision, OpenBrackets: rv.Text.OpenBrackets(), Brackets: rv.Text.Brackets(),
				History: rv.Draft.Revisions, Attributed: rv.Attributed}
			if bl.Brackets == nil {
				bl.Brackets = []text.BracketRef{}
			}
			return bl, nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/redline", ID: "getRedline", Tag: "drafting",
		Query:   map[string]string{"from": "the older revision (default: the one before to)", "to": "the newer revision (default: the current one)"},
		Summary: "The word-by-word changes between two revisions of a draft text", Response: text.Redline{}},
		query(func(r *http.Request, sc *forum.Scope) (*text.Redline, error) {
			from, err := intQuery(r, "from")
			if err != nil {
				return nil, err
			}
			to, err := intQuery(r, "to")
			if err != nil {
				return nil, err
			}
			if to == 0 {
				d, err := h.svc.Drafting.DraftText(r.Context(), sc, r.PathValue("id"))
				if err != nil {
					return nil, err
				}
				to = d.Revision
			}
			if from == 0 {
				from = max(to-1, 1)
			}
			return h.svc.Drafting.Redline(r.Context(), sc, r.PathValue("id"), from, to)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/provisions/{pid}/log", ID: "getProvisionLog", Tag: "drafting",
		Summary:  "The drafting log of a provision: its text in each revision and the proposals and contributions each change came from",
		Response: drafting.ProvisionHistory{}},
		query(func(r *http.Request, sc *forum.Scope) (drafting.ProvisionHistory, error) {
			return h.svc.Drafting.ProvisionLog(r.Context(), sc, r.PathValue("id"), r.PathValue("pid"))
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/amendments", ID: "listAmendments", Tag: "drafting",
		Query: map[string]string{"status": "submitted (pending), withdrawn, accepted, accepted_modified, merged, rejected or superseded",
			"revision": "only proposals standing against this revision", "party": "only proposals made or co-sponsored by this party (id or code)"},
		Summary: "The proposals on a draft text", Response: AmendmentList{}},
		query(func(r *http.Request, sc *forum.Scope) (AmendmentList, error) {
			n, err := intQuery(r, "revision")
			if err != nil {
				return AmendmentList{}, err
			}
			q := r.URL.Query()
			ams, err := h.svc.Drafting.Amendments(r.Context(), sc, r.PathValue("id"), drafting.AmendmentFilter{Status: q.Get("status"), Revision: n, Party: q.Get("party")})
			return AmendmentList{Amendments: ams}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/amendments", ID: "proposeAmendment", Tag: "drafting",
		Summary: "Propose an amendment (ADD, MOD with the provision's whole new text, SUP or NOC) against the current revision", Auth: true,
		Request: drafting.ProposalInput{}, Response: drafting.Amendment{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in drafting.ProposalInput) (drafting.Amendment, error) {
			return h.svc.Drafting.ProposeAmendment(r.Context(), sc, r.PathValue("id"), in)
		}).at(func(r *http.Request, am drafting.Amendment) string {
			return "/api/v1/forums/" + r.PathValue("slug") + "/drafts/" + r.PathValue("id") + "/amendments/" + am.ID
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/amendments/{aid}", ID: "getAmendment", Tag: "drafting",
		Summary: "One proposal on a draft text", Response: drafting.Amendment{}},
		query(func(r *http.Request, sc *forum.Scope) (drafting.Amendment, error) {
			return h.svc.Drafting.AmendmentByID(r.Context(), sc, r.PathValue("id"), r.PathValue("aid"))
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/amendments/{aid}/withdraw", ID: "withdrawAmendment", Tag: "drafting",
		Summary: "Withdraw a pending proposal (its party's delegates, or the secretariat)", Auth: true,
		Request: WithdrawInput{}, Response: drafting.Amendment{}},
		command(func(r *http.Request, sc *forum.Scope, in WithdrawInput) (drafting.Amendment, error) {
			return h.svc.Drafting.WithdrawAmendment(r.Context(), sc, r.PathValue("id"), r.PathValue("aid"), in.Reason)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/amendments/{aid}/cosponsors", ID: "cosponsorAmendment", Tag: "drafting",
		Summary: "Join a pending proposal as a co-sponsor, for a party the caller may co-sponsor for", Auth: true,
		Request: CosponsorInput{}, Response: drafting.Amendment{}},
		command(func(r *http.Request, sc *forum.Scope, in CosponsorInput) (drafting.Amendment, error) {
			return h.svc.Drafting.CosponsorAmendment(r.Context(), sc, r.PathValue("id"), r.PathValue("aid"), in.Party)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/revisions", ID: "issueRevision", Tag: "drafting",
		Summary: "Issue the next revision from the editor's decisions on proposals, collisions and brackets (the editor)", Auth: true,
		Request: drafting.RevisionInput{}, Response: drafting.RevisionOutcome{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in drafting.RevisionInput) (drafting.RevisionOutcome, error) {
			return h.svc.Drafting.IssueRevision(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/compilation/freeze", ID: "freezeCompilation", Tag: "drafting",
		Summary: "File the compilation of the current revision, with its pending proposals as they stand, as a numbered document (the editor)", Auth: true,
		Request: drafting.FreezeInput{}, Response: documents.Document{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in drafting.FreezeInput) (documents.Document, error) {
			return h.svc.Drafting.FreezeCompilation(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/revisions/{n}/akn", ID: "getRevisionAkomaNtoso", Tag: "drafting",
		Summary:  "A revision as an Akoma Ntoso 3.0 document (statement for an opinion, bill for a treaty text)",
		Response: "", Produces: "application/akn+xml"},
		raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			return h.writeAKN(w, r, sc, false)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/revisions/{n}/proposals/akn", ID: "getProposalsAkomaNtoso", Tag: "drafting",
		Summary:  "The proposals made against a revision as an Akoma Ntoso 3.0 amendmentList",
		Response: "", Produces: "application/akn+xml"},
		raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			return h.writeAKN(w, r, sc, true)
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/compilation-setting", ID: "setCompilationSetting", Tag: "drafting",
		Summary: "Publish attributed or anonymised compilations (the secretariat); the change is recorded", Auth: true,
		Request: CompilationSetting{}, Response: CompilationSetting{}},
		command(func(r *http.Request, sc *forum.Scope, in CompilationSetting) (CompilationSetting, error) {
			_, err := h.svc.Drafting.SetCompilationsAnonymised(r.Context(), sc, in.Anonymised)
			return in, err
		}))
}

// intQuery reads a positive integer query parameter; 0 when absent.
func intQuery(r *http.Request, name string) (int, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, plenary.Invalid(name, "must be a positive whole number")
	}
	return n, nil
}

func (h *Handler) writeAKN(w http.ResponseWriter, r *http.Request, sc *forum.Scope, proposals bool) error {
	// A revision the path names is found or not, as on the web's exports;
	// a revision given in a query or a body is checked as input (422).
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return plenary.NotFound("no such revision")
	}
	ex, err := h.svc.Drafting.ExportRevision(r.Context(), sc, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	body := export.AkomaNtoso(ex.Meta, ex.Text)
	if proposals {
		body = export.AmendmentList(ex.Meta, ex.Text, ex.Amendments)
	}
	w.Header().Set("Content-Type", "application/akn+xml")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	return nil
}
