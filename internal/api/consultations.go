package api

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
)

// CommentPeriod is a comment period with where it stands now, its counts
// and whether the caller may comment in it.
type CommentPeriod struct {
	consultation.Period
	State      consultation.PeriodState `json:"state"`
	StateLabel string                   `json:"state_label"`
	Counts     consultation.Counts      `json:"counts"`
	MayComment bool                     `json:"may_comment"`
}

// CommentPeriodList is the body of GET /forums/{slug}/consultations.
type CommentPeriodList struct {
	Periods []CommentPeriod `json:"periods"`
}

// A page of comments from the API: DefaultCommentPage when the client
// names no limit, at most MaxCommentPage.
const (
	DefaultCommentPage = 1000
	MaxCommentPage     = 5000
)

// CommentList is the body of GET .../consultations/{id}/comments.
type CommentList struct {
	Comments []consultation.Comment `json:"comments"`
	// NextAfter, when there are more, is the after of the next page.
	NextAfter int `json:"next_after,omitempty"`
}

// DispositionList is a list of dispositions: a comment's history, oldest
// first, or those a campaign's disposition gave its members.
type DispositionList struct {
	Dispositions []consultation.Disposition `json:"dispositions"`
}

// How many comments and variants of each campaign the list of campaigns
// gives, unless asked otherwise, and at most: at hundreds of thousands of
// comments, a campaign can have tens of thousands of each.
const (
	DefaultCampaignMembers  = 100
	MaxCampaignMembers      = 10000
	DefaultCampaignVariants = 20
	MaxCampaignVariants     = 1000
)

// boundedQuery is the whole number in the query's field name, between 1
// and most; def when it is not given.
func boundedQuery(r *http.Request, name string, def, most int) (int, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, plenary.Invalid(name, "must be a whole number from 1 to %d", most)
	}
	return n, nil
}

// CampaignList is the body of GET .../consultations/{id}/campaigns: the
// campaigns of near-identical comments, and, for the secretariat alone,
// the signs that comments may be fabricated (Flags is absent for others).
type CampaignList struct {
	Campaigns []consultation.Campaign `json:"campaigns"`
	Flags     []consultation.Flag     `json:"flags,omitempty"`
}

// clientAddress is the client's network address, without its port: what
// the bounds on intake count (the consultation keeps only a keyed hash).
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// consultationRoutes registers the endpoints of public consultation:
// comment periods, comments and their moderation, dispositions (the
// comment-resolution matrix), campaigns, the disposition table of a
// revision and the bulk export of a period.
func (h *Handler) consultationRoutes() {
	base := "/forums/{slug}/consultations"
	one := base + "/{id}"
	comment := "/forums/{slug}/comments/{ref}"
	svc := func() *consultation.Service { return h.svc.Consultation }
	view := func(r *http.Request, sc *forum.Scope, p consultation.Period, err error) (CommentPeriod, error) {
		if err != nil {
			return CommentPeriod{}, err
		}
		return h.periodView(r, sc, p)
	}
	locatedPeriod := func(r *http.Request, p CommentPeriod) string {
		return "/api/v1/forums/" + r.PathValue("slug") + "/consultations/" + p.ID
	}

	// Periods.
	h.add(&Op{Method: "GET", Path: base, ID: "listCommentPeriods", Tag: "consultations",
		Summary: "The forum's comment periods the caller may see, the most recently opened first, each with its state and counts",
		Query: map[string]string{"draft": "only those on this draft text (id)", "revision": "with draft: only those on this revision",
			"document": "only those on this document (id)"},
		Response: CommentPeriodList{}},
		query(func(r *http.Request, sc *forum.Scope) (CommentPeriodList, error) {
			rev, err := intQuery(r, "revision")
			if err != nil {
				return CommentPeriodList{}, err
			}
			q := r.URL.Query()
			ps, err := svc().Periods(r.Context(), sc, consultation.PeriodFilter{Draft: q.Get("draft"), Revision: rev, Document: q.Get("document")})
			if err != nil {
				return CommentPeriodList{}, err
			}
			out := CommentPeriodList{Periods: []CommentPeriod{}}
			for _, p := range ps {
				v, err := h.periodView(r, sc, p)
				if err != nil {
					return CommentPeriodList{}, err
				}
				out.Periods = append(out.Periods, v)
			}
			return out, nil
		}))
	h.add(&Op{Method: "POST", Path: base, ID: "openCommentPeriod", Tag: "consultations",
		Summary: "Open a comment period on a draft text's revision (draft, and revision or the current one) or on a document, from opens (now when absent) to closes; public lets anyone signed in comment (secretariat)", Auth: true,
		Request: consultation.PeriodInput{}, Response: CommentPeriod{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in consultation.PeriodInput) (CommentPeriod, error) {
			p, err := svc().OpenPeriod(r.Context(), sc, in)
			return view(r, sc, p, err)
		}).at(locatedPeriod))
	h.add(&Op{Method: "GET", Path: one, ID: "getCommentPeriod", Tag: "consultations",
		Summary: "One comment period, its state, its counts (comments, hidden, unanswered, dispositions by outcome) and whether the caller may comment", Response: CommentPeriod{}},
		query(func(r *http.Request, sc *forum.Scope) (CommentPeriod, error) {
			p, err := svc().Period(r.Context(), sc, r.PathValue("id"))
			return view(r, sc, p, err)
		}))
	h.add(&Op{Method: "POST", Path: one + "/close", ID: "closeCommentPeriod", Tag: "consultations",
		Summary: "Close an open comment period now, on the record (secretariat)", Auth: true, Response: CommentPeriod{}},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (CommentPeriod, error) {
			p, err := svc().ClosePeriod(r.Context(), sc, r.PathValue("id"))
			return view(r, sc, p, err)
		}))
	h.add(&Op{Method: "POST", Path: one + "/extend", ID: "extendCommentPeriod", Tag: "consultations",
		Summary: "Extend a comment period to a later close time, with the reason, on the record (secretariat)", Auth: true,
		Request: consultation.ExtendInput{}, Response: CommentPeriod{}},
		command(func(r *http.Request, sc *forum.Scope, in consultation.ExtendInput) (CommentPeriod, error) {
			p, err := svc().ExtendPeriod(r.Context(), sc, r.PathValue("id"), in)
			return view(r, sc, p, err)
		}))

	// Comments.
	h.add(&Op{Method: "GET", Path: one + "/comments", ID: "listComments", Tag: "consultations",
		Summary: "A period's comments in the order of their numbers, each with its disposition; a hidden comment's text is the secretariat's alone",
		Query: map[string]string{"provision": "only those on this provision (id): on it, on words in it, or something missing after it",
			"target": "only those addressing this: provision, span, whole or missing", "outcome": "only those answered with this outcome",
			"unanswered": "true: only those without a disposition",
			"after":      "only those numbered after this one (120 or C-120): the next page starts after next_after",
			"limit":      "at most this many (1 to 5000; 1000 when not given)"},
		Response: CommentList{}},
		query(func(r *http.Request, sc *forum.Scope) (CommentList, error) {
			q := r.URL.Query()
			flt := consultation.CommentFilter{Provision: q.Get("provision"), Target: consultation.Target(q.Get("target")),
				Outcome: consultation.Outcome(q.Get("outcome")), Limit: DefaultCommentPage}
			switch q.Get("unanswered") {
			case "", "false":
			case "true":
				flt.Unanswered = true
			default:
				return CommentList{}, plenary.Invalid("unanswered", "must be true or false")
			}
			if flt.Target != "" && flt.Target.Label() == string(flt.Target) {
				return CommentList{}, plenary.Invalid("target", "must be provision, span, whole or missing")
			}
			if v := q.Get("after"); v != "" {
				n, ok := consultation.ParseRef(v)
				if !ok && v != "0" {
					return CommentList{}, plenary.Invalid("after", "must be a comment number, such as 120 or C-120")
				}
				flt.After = n
			}
			if v := q.Get("limit"); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > MaxCommentPage {
					return CommentList{}, plenary.Invalid("limit", "must be a number from 1 to %d", MaxCommentPage)
				}
				flt.Limit = n
			}
			cs, next, err := svc().CommentPage(r.Context(), sc, r.PathValue("id"), flt)
			if err != nil {
				return CommentList{}, err
			}
			return CommentList{Comments: nonNil(cs), NextAfter: next}, nil
		}))
	h.add(&Op{Method: "POST", Path: one + "/comments", ID: "submitComment", Tag: "consultations",
		Summary: "Comment in an open period, declaring a stakeholder group and an organisation, on a provision, words in one, the text as a whole or something missing; numbered in the forum's register. Intake is bounded per account and per address: 429 with Retry-After over a bound", Auth: true,
		Request: consultation.CommentInput{}, Response: consultation.Comment{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in consultation.CommentInput) (consultation.Comment, error) {
			in.Address = clientAddress(r)
			return svc().SubmitComment(r.Context(), sc, r.PathValue("id"), in)
		}).at(func(r *http.Request, c consultation.Comment) string {
			return "/api/v1/forums/" + r.PathValue("slug") + "/comments/" + c.Ref
		}))
	h.add(&Op{Method: "GET", Path: comment, ID: "getComment", Tag: "consultations",
		Summary: "One comment, by number (C-12) or id, with its current disposition", Response: consultation.Comment{}},
		query(func(r *http.Request, sc *forum.Scope) (consultation.Comment, error) {
			return svc().Comment(r.Context(), sc, r.PathValue("ref"))
		}))
	h.add(&Op{Method: "POST", Path: comment + "/hide", ID: "hideComment", Tag: "consultations",
		Summary: "Hide an abusive comment from the public with the reason, on the record; its text is kept for the secretariat and it is counted as hidden (secretariat)", Auth: true,
		Request: ReasonInput{}, Response: consultation.Comment{}},
		command(func(r *http.Request, sc *forum.Scope, in ReasonInput) (consultation.Comment, error) {
			return svc().HideComment(r.Context(), sc, r.PathValue("ref"), in.Reason)
		}))
	h.add(&Op{Method: "POST", Path: comment + "/unhide", ID: "unhideComment", Tag: "consultations",
		Summary: "Show a hidden comment again, on the record (secretariat)", Auth: true, Response: consultation.Comment{}},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (consultation.Comment, error) {
			return svc().UnhideComment(r.Context(), sc, r.PathValue("ref"))
		}))

	// Dispositions.
	h.add(&Op{Method: "POST", Path: comment + "/disposition", ID: "disposeComment", Tag: "consultations",
		Summary: "Give or revise a comment's disposition: the outcome, the reason, and the proposal or revision provision that acted on it; every version is kept (secretariat)", Auth: true,
		Request: consultation.DispositionInput{}, Response: consultation.Disposition{}},
		command(func(r *http.Request, sc *forum.Scope, in consultation.DispositionInput) (consultation.Disposition, error) {
			return svc().Dispose(r.Context(), sc, r.PathValue("ref"), in)
		}))
	h.add(&Op{Method: "GET", Path: comment + "/dispositions", ID: "listCommentDispositions", Tag: "consultations",
		Summary: "A comment's dispositions, every version, oldest first", Response: DispositionList{}},
		query(func(r *http.Request, sc *forum.Scope) (DispositionList, error) {
			ds, err := svc().History(r.Context(), sc, r.PathValue("ref"))
			return DispositionList{Dispositions: nonNil(ds)}, err
		}))

	// Campaigns.
	h.add(&Op{Method: "GET", Path: one + "/campaigns", ID: "listCampaigns", Tag: "consultations",
		Summary: "A period's campaigns of near-identical comments, the largest first, each with its size, its first comments, its most frequent variants and its unanswered count; none is dropped, and getCampaign gives one campaign in full. The secretariat also gets the signs of fabrication (bursts from one address, template variants)",
		Query: map[string]string{
			"members":  fmt.Sprintf("at most this many comments of each campaign and of each sign of fabrication, the first (1 to %d; %d when not given): size and comment_count count them all", MaxCampaignMembers, DefaultCampaignMembers),
			"variants": fmt.Sprintf("at most this many variants of each campaign, the most frequent (1 to %d; %d when not given): variant_count counts them all", MaxCampaignVariants, DefaultCampaignVariants)},
		Response: CampaignList{}},
		query(func(r *http.Request, sc *forum.Scope) (CampaignList, error) {
			members, err := boundedQuery(r, "members", DefaultCampaignMembers, MaxCampaignMembers)
			if err != nil {
				return CampaignList{}, err
			}
			variants, err := boundedQuery(r, "variants", DefaultCampaignVariants, MaxCampaignVariants)
			if err != nil {
				return CampaignList{}, err
			}
			cs, err := svc().Campaigns(r.Context(), sc, r.PathValue("id"))
			if err != nil {
				return CampaignList{}, err
			}
			// The campaigns are the kept ones: trimmed copies, not them.
			out := CampaignList{Campaigns: make([]consultation.Campaign, len(cs))}
			for i, c := range cs {
				out.Campaigns[i] = c.Trim(members, variants)
			}
			if ok, err := svc().MayManage(r.Context(), sc); err != nil {
				return CampaignList{}, err
			} else if ok {
				fs, err := svc().Flags(r.Context(), sc, r.PathValue("id"))
				if err != nil {
					return CampaignList{}, err
				}
				out.Flags = make([]consultation.Flag, len(fs))
				for i, f := range fs {
					out.Flags[i] = f.Trim(members)
				}
			}
			return out, nil
		}))
	h.add(&Op{Method: "GET", Path: one + "/campaigns/{campaign}", ID: "getCampaign", Tag: "consultations",
		Summary:  "One campaign (named by its first comment, 12 or C-12) in full: all its comments and all its variants",
		Response: consultation.Campaign{}},
		query(func(r *http.Request, sc *forum.Scope) (consultation.Campaign, error) {
			n, ok := campaignNumber(r.PathValue("campaign"))
			if !ok {
				return consultation.Campaign{}, plenary.NotFound("no campaign %q", r.PathValue("campaign"))
			}
			cs, err := svc().Campaigns(r.Context(), sc, r.PathValue("id"))
			if err != nil {
				return consultation.Campaign{}, err
			}
			for _, c := range cs {
				if c.ID == n {
					return c, nil
				}
			}
			return consultation.Campaign{}, plenary.NotFound("no campaign %q in this period", r.PathValue("campaign"))
		}))
	h.add(&Op{Method: "POST", Path: one + "/campaigns/{campaign}/disposition", ID: "disposeCampaign", Tag: "consultations",
		Summary: "Give every comment of a campaign (named by its first comment, 12 or C-12) one disposition (secretariat)", Auth: true,
		Request: consultation.DispositionInput{}, Response: DispositionList{}},
		command(func(r *http.Request, sc *forum.Scope, in consultation.DispositionInput) (DispositionList, error) {
			n, ok := campaignNumber(r.PathValue("campaign"))
			if !ok {
				return DispositionList{}, plenary.NotFound("no campaign %q", r.PathValue("campaign"))
			}
			ds, err := svc().DisposeCampaign(r.Context(), sc, r.PathValue("id"), n, in)
			return DispositionList{Dispositions: nonNil(ds)}, err
		}))

	// The disposition table, and the bulk export.
	table := func(csv bool) func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
		return func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			rev, err := intQuery(r, "revision")
			if err != nil {
				return err
			}
			draft := r.PathValue("id")
			if rev == 0 {
				dt, err := h.svc.Drafting.DraftText(r.Context(), sc, draft)
				if err != nil {
					return err
				}
				rev = dt.Revision
			}
			rows, err := svc().TableRows(r.Context(), sc, draft, rev, tableFirstPage)
			if err != nil {
				return err
			}
			w.Header().Set("Cache-Control", "no-store")
			if csv || acceptsCSV(r) {
				w.Header().Set("Content-Type", "text/csv; charset=utf-8")
				w.Header().Set("Content-Disposition", `attachment; filename="`+sc.Forum.Slug+"-dispositions-r"+strconv.Itoa(rev)+`.csv"`)
				return consultation.WriteCSVFrom(w, rows)
			}
			w.Header().Set("Content-Type", "application/json")
			return consultation.WriteJSONFrom(w, sc.Forum.Slug, draft, rev, rows)
		}
	}
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/dispositions", ID: "getDispositionTable", Tag: "consultations",
		Summary:  "The disposition table of a revision (the comment-resolution matrix): a row per comment of its comment periods, as JSON; as CSV with Accept: text/csv (docs/CONSULTATION.md)",
		Query:    revisionQuery,
		Response: consultation.TableDocument{}},
		bulk(table(false)))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/drafts/{id}/dispositions.csv", ID: "getDispositionTableCSV", Tag: "consultations",
		Summary: "The disposition table of a revision as CSV (RFC 4180, a header row)", Query: revisionQuery,
		Response: "", Produces: "text/csv"},
		bulk(table(true)))
	h.add(&Op{Method: "GET", Path: one + "/export", ID: "exportConsultation", Tag: "consultations",
		Summary:  "The bulk export of a period as a zip archive: manifest.json, comments.jsonl, dispositions.jsonl and, with an opinion map, statements.jsonl and votes.jsonl (voters by number, never by account) (docs/OPEN_DATA.md, Consultations); a hidden comment is exported as hidden, without its text, except to the secretariat",
		Response: "", Produces: "application/zip"},
		bulk(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			cw, periodID, err := h.consultationExport(r, sc, r.PathValue("id"))
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/zip")
			w.Header().Set("Content-Disposition", `attachment; filename="`+sc.Forum.Slug+"-consultation-"+periodID+`.zip"`)
			w.Header().Set("Cache-Control", "no-store")
			bw := bufio.NewWriterSize(w, 64<<10)
			if _, err := cw.WriteTo(bw); err != nil {
				return err
			}
			return bw.Flush()
		}))
}

// periodView adds to a period its state, counts and whether the caller
// may comment.
func (h *Handler) periodView(r *http.Request, sc *forum.Scope, p consultation.Period) (CommentPeriod, error) {
	svc := h.svc.Consultation
	counts, err := svc.PeriodCounts(r.Context(), sc, p.ID)
	if err != nil {
		return CommentPeriod{}, err
	}
	may, err := svc.MayComment(r.Context(), sc, p)
	if err != nil {
		return CommentPeriod{}, err
	}
	st := p.StateAt(plenary.Now())
	return CommentPeriod{Period: p, State: st, StateLabel: st.Label(), Counts: counts, MayComment: may}, nil
}

// campaignNumber reads a campaign's name: the number of its first
// comment, bare or as C-12.
func campaignNumber(s string) (int, bool) {
	if n, ok := consultation.ParseRef(s); ok {
		return n, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

// acceptsCSV reports whether the request asks for CSV rather than JSON.
func acceptsCSV(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(mt), "text/csv") {
			return true
		}
	}
	return false
}

// tableFirstPage is how many rows of a disposition table are read before
// its download begins.
const tableFirstPage = 1000

// consultationExport writes the bulk export of a period, as the caller may
// see it, to a writer that spools it (a period may hold a million
// comments); the caller writes the archive out. Everything is read before
// a byte is sent, so an error still gets its status.
func (h *Handler) consultationExport(r *http.Request, sc *forum.Scope, periodID string) (_ *export.ConsultationWriter, _ string, err error) {
	svc := h.svc.Consultation
	ctx := r.Context()
	p, err := svc.Period(ctx, sc, periodID)
	if err != nil {
		return nil, "", err
	}
	camps, err := svc.Campaigns(ctx, sc, p.ID)
	if err != nil {
		return nil, "", err
	}
	member := map[int]string{}
	for _, c := range camps {
		for _, m := range c.Members {
			member[m] = c.Ref
		}
	}
	withMap, err := svc.HasMap(ctx, p)
	if err != nil {
		return nil, "", err
	}
	cw, err := export.NewConsultationWriter(sc.Forum.Slug, export.ConsultationPeriod{ID: p.ID, Title: p.Title, Document: p.DocumentID,
		Draft: p.DraftID, Revision: p.Revision, Public: p.Public, OpensAt: p.OpensAt, ClosesAt: p.ClosesAt}, withMap)
	if err != nil {
		return nil, "", err
	}
	defer func() {
		if err != nil {
			cw.Discard()
		}
	}()
	err = svc.EachComment(ctx, sc, p.ID, func(c consultation.Comment) error {
		if err := cw.Comment(export.ConsultationComment{Comment: c.Ref, Number: c.Number, ID: c.ID, CreatedAt: c.CreatedAt,
			Author: c.Author, Group: c.Group, Organisation: c.Organisation, Target: string(c.Target), Provision: c.Provision,
			Start: c.Start, End: c.End, Quote: c.Quote, Proposed: c.Proposed, Text: c.Text, Hidden: c.Hidden, HiddenReason: c.HiddenReason,
			Campaign: member[c.Number]}); err != nil {
			return err
		}
		d := c.Disposition
		if d == nil {
			return nil
		}
		camp := ""
		if d.Campaign != 0 {
			camp = consultation.Ref(d.Campaign)
		}
		return cw.Disposition(export.ConsultationDisposition{Comment: c.Ref, Version: d.Version, Outcome: string(d.Outcome),
			Reason: d.Reason, Amendment: d.Amendment, Revision: d.Revision, Provision: d.Provision, Campaign: camp, DecidedAt: d.DecidedAt})
	})
	if err != nil {
		return nil, "", err
	}
	if !withMap {
		return cw, p.ID, nil
	}
	// The opinion map's statements and votes, as the caller may see them.
	sts, err := svc.Statements(ctx, sc, p.ID, consultation.StatementFilter{})
	if err != nil {
		return nil, "", err
	}
	for _, st := range sts {
		if err := cw.Statement(export.ConsultationStatement{Statement: st.Ref, Number: st.Number, ID: st.ID, CreatedAt: st.CreatedAt,
			Source: string(st.Source), Provision: st.Provision, Author: st.Author, Group: st.Group, Text: st.Text, State: string(st.State),
			Reason: st.Reason, Agrees: st.Agrees, Disagrees: st.Disagrees, Passes: st.Passes}); err != nil {
			return nil, "", err
		}
	}
	err = svc.EachVote(ctx, sc, p.ID, func(v consultation.VoteRecord) error {
		return cw.Vote(export.ConsultationVote{Statement: consultation.StatementRef(v.Statement), Voter: v.Voter, Group: v.Group,
			Vote: v.Value, At: v.CastAt})
	})
	if err != nil {
		return nil, "", err
	}
	return cw, p.ID, nil
}
