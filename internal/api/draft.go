package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// DraftList is the body of GET /forums/{slug}/drafts.
type DraftList struct {
	Drafts []forum.DraftText `json:"drafts"`
}

// AmendmentList is the body of GET /forums/{slug}/drafts/{id}/amendments.
type AmendmentList struct {
	Amendments []forum.Amendment `json:"amendments"`
}

// BracketList is the body of GET /forums/{slug}/drafts/{id}/brackets.
type BracketList struct {
	Revision     int                  `json:"revision"`
	OpenBrackets int                  `json:"open_brackets"`
	Brackets     []text.BracketRef    `json:"brackets"`
	History      []forum.RevisionInfo `json:"history"`
	Attributed   bool                 `json:"attributed"`
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
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			ds, err := h.svc.DraftTexts(r.Context(), forum.ActorFrom(r.Context()), f)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, DraftList{Drafts: ds})
			return nil
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts", ID: "createDraft", Tag: "drafting",
		Summary: "File a draft text from Markdown or numbered plain text, as a new document (the editor or the secretariat)", Auth: true,
		Request: forum.DraftInput{}, Response: forum.DraftText{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in forum.DraftInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			d, err := h.svc.CreateDraft(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"), in)
			if err != nil {
				return err
			}
			w.Header().Set("Location", "/api/v1/forums/"+r.PathValue("slug")+"/drafts/"+d.ID)
			writeJSON(w, http.StatusCreated, d)
			return nil
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}", ID: "getDraft", Tag: "drafting", Query: revisionQuery,
		Summary: "A revision of a draft text with its provisions, brackets and drafting logs", Response: forum.RevisionView{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			n, err := intQuery(r, "revision")
			if err != nil {
				return err
			}
			rv, err := h.svc.DraftRevision(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"), n)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, rv)
			return nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/compilation", ID: "getCompilation", Tag: "drafting",
		Summary:  "The compilation of the current revision: every pending proposal per provision, with its word changes and collisions",
		Response: forum.CompilationView{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			cv, err := h.svc.Compilation(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"))
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, cv)
			return nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/consolidated", ID: "getConsolidated", Tag: "drafting",
		Summary:  "The current revision as it would read with every pending proposal accepted, collisions as brackets",
		Response: ConsolidatedText{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			c, attributed, err := h.svc.Consolidated(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"))
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, ConsolidatedText{Consolidation: c, Attributed: attributed})
			return nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/brackets", ID: "listBrackets", Tag: "drafting", Query: revisionQuery,
		Summary:  "The brackets of a revision with their alternatives and supporters, and the open brackets of every revision",
		Response: BracketList{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			n, err := intQuery(r, "revision")
			if err != nil {
				return err
			}
			rv, err := h.svc.DraftRevision(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"), n)
			if err != nil {
				return err
			}
			bl := BracketList{Revision: rv.Text.Revision, OpenBrackets: rv.Text.OpenBrackets(), Brackets: rv.Text.Brackets(),
				History: rv.Draft.Revisions, Attributed: rv.Attributed}
			if bl.Brackets == nil {
				bl.Brackets = []text.BracketRef{}
			}
			writeJSON(w, http.StatusOK, bl)
			return nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/redline", ID: "getRedline", Tag: "drafting",
		Query:   map[string]string{"from": "the older revision (default: the one before to)", "to": "the newer revision (default: the current one)"},
		Summary: "The word-by-word changes between two revisions of a draft text", Response: text.Redline{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			a := forum.ActorFrom(r.Context())
			from, err := intQuery(r, "from")
			if err != nil {
				return err
			}
			to, err := intQuery(r, "to")
			if err != nil {
				return err
			}
			if to == 0 {
				d, err := h.svc.DraftText(r.Context(), a, f, r.PathValue("id"))
				if err != nil {
					return err
				}
				to = d.Revision
			}
			if from == 0 {
				from = max(to-1, 1)
			}
			rl, err := h.svc.Redline(r.Context(), a, f, r.PathValue("id"), from, to)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, rl)
			return nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/provisions/{pid}/log", ID: "getProvisionLog", Tag: "drafting",
		Summary:  "The drafting log of a provision: its text in each revision and the proposals and contributions each change came from",
		Response: forum.ProvisionHistory{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			ph, err := h.svc.ProvisionLog(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"), r.PathValue("pid"))
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, ph)
			return nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/amendments", ID: "listAmendments", Tag: "drafting",
		Query: map[string]string{"status": "submitted (pending), withdrawn, accepted, accepted_modified, merged, rejected or superseded",
			"revision": "only proposals standing against this revision", "party": "only proposals made or co-sponsored by this party (id or code)"},
		Summary: "The proposals on a draft text", Response: AmendmentList{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			n, err := intQuery(r, "revision")
			if err != nil {
				return err
			}
			q := r.URL.Query()
			ams, err := h.svc.Amendments(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"),
				forum.AmendmentFilter{Status: q.Get("status"), Revision: n, Party: q.Get("party")})
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, AmendmentList{Amendments: ams})
			return nil
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/amendments", ID: "proposeAmendment", Tag: "drafting",
		Summary: "Propose an amendment (ADD, MOD with the provision's whole new text, SUP or NOC) against the current revision", Auth: true,
		Request: forum.ProposalInput{}, Response: forum.Amendment{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in forum.ProposalInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			am, err := h.svc.ProposeAmendment(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"), r.PathValue("id"), in)
			if err != nil {
				return err
			}
			w.Header().Set("Location", "/api/v1/forums/"+r.PathValue("slug")+"/drafts/"+r.PathValue("id")+"/amendments/"+am.ID)
			writeJSON(w, http.StatusCreated, am)
			return nil
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/amendments/{aid}", ID: "getAmendment", Tag: "drafting",
		Summary: "One proposal on a draft text", Response: forum.Amendment{}},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			am, err := h.svc.AmendmentByID(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"), r.PathValue("aid"))
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, am)
			return nil
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/amendments/{aid}/withdraw", ID: "withdrawAmendment", Tag: "drafting",
		Summary: "Withdraw a pending proposal (its party's delegates, or the secretariat)", Auth: true,
		Request: WithdrawInput{}, Response: forum.Amendment{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in WithdrawInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			am, err := h.svc.WithdrawAmendment(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"), r.PathValue("id"), r.PathValue("aid"), in.Reason)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, am)
			return nil
		})
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/amendments/{aid}/cosponsors", ID: "cosponsorAmendment", Tag: "drafting",
		Summary: "Join a pending proposal as a co-sponsor, for a party the caller may co-sponsor for", Auth: true,
		Request: CosponsorInput{}, Response: forum.Amendment{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CosponsorInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			am, err := h.svc.CosponsorAmendment(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"), r.PathValue("id"), r.PathValue("aid"), in.Party)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, am)
			return nil
		})
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/drafts/{id}/revisions", ID: "issueRevision", Tag: "drafting",
		Summary: "Issue the next revision from the editor's decisions on proposals, collisions and brackets (the editor)", Auth: true,
		Request: forum.RevisionInput{}, Response: forum.RevisionOutcome{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in forum.RevisionInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			out, err := h.svc.IssueRevision(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"), r.PathValue("id"), in)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusCreated, out)
			return nil
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/revisions/{n}/akn", ID: "getRevisionAkomaNtoso", Tag: "drafting",
		Summary:  "A revision as an Akoma Ntoso 3.0 document (statement for an opinion, bill for a treaty text)",
		Response: "", Produces: "application/akn+xml"},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			return h.writeAKN(w, r, f, false)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/revisions/{n}/proposals/akn", ID: "getProposalsAkomaNtoso", Tag: "drafting",
		Summary:  "The proposals made against a revision as an Akoma Ntoso 3.0 amendmentList",
		Response: "", Produces: "application/akn+xml"},
		h.withForum(func(w http.ResponseWriter, r *http.Request, f forum.Forum) error {
			return h.writeAKN(w, r, f, true)
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/compilation-setting", ID: "setCompilationSetting", Tag: "drafting",
		Summary: "Publish attributed or anonymised compilations (the secretariat); the change is recorded", Auth: true,
		Request: CompilationSetting{}, Response: CompilationSetting{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in CompilationSetting
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			if _, err := h.svc.SetCompilationsAnonymised(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"), in.Anonymised); err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, in)
			return nil
		})
}

// withForum resolves the forum of the path before f.
func (h *Handler) withForum(f func(http.ResponseWriter, *http.Request, forum.Forum) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		fm, err := h.svc.ForumBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			return err
		}
		return f(w, r, fm)
	}
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

func (h *Handler) writeAKN(w http.ResponseWriter, r *http.Request, f forum.Forum, proposals bool) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return plenary.Invalid("n", "must be a revision number")
	}
	ex, err := h.svc.ExportRevision(r.Context(), forum.ActorFrom(r.Context()), f, r.PathValue("id"), n)
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
