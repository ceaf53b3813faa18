package consultation

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/web"
)

// periodRow is a period in a list: what it is on, its state and counts.
type periodRow struct {
	consultation.Period
	State  consultation.PeriodState
	Counts consultation.Counts
	// On names what is consulted (WTPF-13/5, revision 1); OnPath links
	// to it.
	On, OnPath string
}

// Path is the period's page.
func (r periodRow) Path(slug string) string { return PeriodPath(slug, r.ID) }

// Answered counts the comments with a disposition.
func (r periodRow) Answered() int { return r.Counts.Comments - r.Counts.Unanswered }

// IsOpen reports whether the period takes comments now.
func (r periodRow) IsOpen() bool { return r.State == consultation.Open }

func (h *handler) row(r *http.Request, sc *forum.Scope, p consultation.Period, now time.Time) (periodRow, error) {
	ctx := r.Context()
	row := periodRow{Period: p, State: p.StateAt(now)}
	var err error
	if row.Counts, err = h.svc.Consultation.PeriodCounts(ctx, sc, p.ID); err != nil {
		return row, err
	}
	if p.DraftID != "" {
		dt, err := h.svc.Drafting.DraftText(ctx, sc, p.DraftID)
		if err != nil {
			return row, err
		}
		row.On = dt.Number + ", revision " + strconv.Itoa(p.Revision)
		row.OnPath = drafting.DraftPath(sc.Forum, dt.ID) + "?rev=" + strconv.Itoa(p.Revision)
		return row, nil
	}
	d, err := h.svc.Documents.Document(ctx, sc, p.DocumentID)
	if err != nil {
		return row, err
	}
	row.On, row.OnPath = d.Number+": "+d.Title, "/forums/"+sc.Forum.Slug+"/documents/"+url.PathEscape(d.ID)
	return row, nil
}

// listPage is a forum's comment periods and the secretariat's form to open
// one.
type listPage struct {
	web.Base
	Periods   []periodRow
	MayManage bool
	// Drafts are the draft texts a period may be opened on.
	Drafts []drafting.DraftText
	Sent   url.Values
}

// Value is what the refused form sent in a field, or its default.
func (p listPage) Value(field string) string {
	if p.Sent != nil {
		return p.Sent.Get(field)
	}
	return ""
}

func (h *handler) listPage(r *http.Request) (listPage, error) {
	b, f, _, err := h.ForumBase(r, "Consultations", "consultations")
	if err != nil {
		return listPage{}, err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	p := listPage{Base: b}
	ps, err := h.svc.Consultation.Periods(ctx, sc, consultation.PeriodFilter{})
	if err != nil {
		return p, err
	}
	now := plenary.Now()
	for _, x := range ps {
		row, err := h.row(r, sc, x, now)
		if err != nil {
			return p, err
		}
		p.Periods = append(p.Periods, row)
	}
	if p.MayManage, err = h.svc.Consultation.MayManage(ctx, sc); err != nil {
		return p, err
	}
	if p.MayManage {
		if p.Drafts, err = h.svc.Drafting.DraftTexts(ctx, sc); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (h *handler) showList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.listPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "cons_list", p)
	return nil
}

// openPeriod opens a comment period on a draft text's revision or a
// document.
func (h *handler) openPeriod(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	in := consultation.PeriodInput{Draft: strings.TrimSpace(v("draft")), Document: strings.TrimSpace(v("document")), Title: v("title"), Public: v("public") != ""}
	if s := strings.TrimSpace(v("revision")); s != "" && in.Draft != "" {
		if in.Revision, err = strconv.Atoi(s); err != nil || in.Revision < 1 {
			err = plenary.Invalid("revision", "must be a revision number, 1 or more, or empty for the current one")
		}
	}
	if err == nil {
		in.Opens, err = parseTime("opens", v("opens"))
	}
	if err == nil {
		in.Closes, err = parseTime("closes", v("closes"))
	}
	var p consultation.Period
	if err == nil {
		p, err = h.svc.Consultation.OpenPeriod(r.Context(), sc, in)
	}
	if err != nil {
		return web.RefuseForm(h.Core, w, r, refusal(err), "cons_list", h.listPage, func(p *listPage) { p.Sent = r.PostForm })
	}
	return h.Redirect(w, r, PeriodPath(sc.Forum.Slug, p.ID), "The comment period is open on the record.")
}

// provisionGroup is a provision of the text with the comments on it (on
// it, on words in it) and the new provisions proposed after it.
type provisionGroup struct {
	provision
	On, After []commentView
	// FormPath is the comment form on the provision, while the period
	// takes comments.
	FormPath string
	Path     string
}

// periodPage is a comment period with its comments, as the reader may see
// them, and the forms the reader may use.
type periodPage struct {
	web.Base
	P   periodRow
	Sec bool
	// MayManage shows the secretariat's forms; MayComment the comment
	// links.
	MayManage, MayComment bool
	// Whole are the comments on the text as a whole; Start the new
	// provisions proposed at its beginning; Groups the provisions in the
	// order of the text with their comments.
	Whole, Start []commentView
	Groups       []provisionGroup
	// Provision is the provision the page is narrowed to ("" for all);
	// ProvisionName its name.
	Provision, ProvisionName string
	Unanswered               bool
	pager
	// HasMap: the period has an opinion map (the link to it is shown, and
	// to the secretariat also where there is none yet, to start one).
	HasMap bool
	Form   string
	Sent   url.Values
}

// pager is a page of a list of comments in the order of their numbers:
// After is the number the page's comments follow (0: from the first),
// NextAfter the After of the next page (0: this is the last), First and
// Last the numbers of the page's first and last comments.
type pager struct {
	After, NextAfter, First, Last int
	here                          string
	keep                          url.Values // the filter its links keep
}

// newPager reads the page asked for ("after", C-120 or 120) of the list at
// r's path.
func newPager(r *http.Request, keep url.Values) (pager, error) {
	p := pager{here: r.URL.Path, keep: keep}
	if a := r.URL.Query().Get("after"); a != "" {
		n, ok := consultation.ParseRef(a)
		if !ok {
			return p, plenary.Invalid("after", "must be a comment number, such as 120 or C-120")
		}
		p.After = n
	}
	return p, nil
}

// Paged: the list does not fit on one page.
func (p pager) Paged() bool { return p.After > 0 || p.NextAfter > 0 }

// PagePath is this page's address for the comments after a number (0:
// from the first), keeping its filter.
func (p pager) PagePath(after int) string {
	q := url.Values{}
	for k, v := range p.keep {
		q[k] = v
	}
	if after > 0 {
		q.Set("after", strconv.Itoa(after))
	}
	if len(q) == 0 {
		return p.here
	}
	return p.here + "?" + q.Encode()
}

// FirstRef and LastRef are the page's first and last comments (C-12).
func (p pager) FirstRef() string { return consultation.Ref(p.First) }
func (p pager) LastRef() string  { return consultation.Ref(p.Last) }

// MapPath is the period's opinion map.
func (p periodPage) MapPath() string { return MapPath(p.Forum.Slug, p.P.ID) }

// Value is what the refused form sent in a field.
func (p periodPage) Value(field string) string { return p.Sent.Get(field) }

// Path is the period's page.
func (p periodPage) Path() string { return PeriodPath(p.Forum.Slug, p.P.ID) }

// CommentForm is the comment form of the period on a target.
func (p periodPage) CommentForm(target string) string {
	return FormPath(p.Forum.Slug, p.P.ID, consultation.Target(target), "")
}

// CampaignsPath is the period's campaigns.
func (p periodPage) CampaignsPath() string { return p.Path() + "/campaigns" }

// TablePath is the disposition table of the period's revision.
func (p periodPage) TablePath() string {
	if p.P.DraftID == "" {
		return ""
	}
	return TablePath(p.Forum.Slug, p.P.DraftID, p.P.Revision)
}

// DateValue is a time as a datetime-local field shows it (UTC).
func (p periodPage) DateValue(t time.Time) string { return t.UTC().Format(timeLayout) }

func (h *handler) periodPage(r *http.Request) (periodPage, error) {
	b, f, v, err := h.ForumBase(r, "Consultation", "consultations")
	if err != nil {
		return periodPage{}, err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	svc := h.svc.Consultation
	p := periodPage{Base: b, Sec: v.Secretariat, Provision: r.PathValue("key"), Unanswered: r.URL.Query().Get("unanswered") == "1"}
	var keep url.Values
	if p.Unanswered {
		keep = url.Values{"unanswered": {"1"}}
	}
	if p.pager, err = newPager(r, keep); err != nil {
		return p, err
	}
	if p.Provision == "" {
		p.Provision = strings.TrimSpace(r.URL.Query().Get("provision"))
	}
	per, err := svc.Period(ctx, sc, r.PathValue("id"))
	if err != nil {
		return p, err
	}
	if p.P, err = h.row(r, sc, per, plenary.Now()); err != nil {
		return p, err
	}
	p.Title = per.Title + " · " + f.Title
	if p.MayManage, err = svc.MayManage(ctx, sc); err != nil {
		return p, err
	}
	if p.MayComment, err = svc.MayComment(ctx, sc, per); err != nil {
		return p, err
	}
	if p.HasMap, err = svc.HasMap(ctx, per); err != nil {
		return p, err
	}
	ps, err := h.revisionProvisions(ctx, sc, per)
	if err != nil {
		return p, err
	}
	if p.Provision != "" {
		known := false
		for _, x := range ps {
			known = known || x.ID == p.Provision
		}
		if !known {
			return p, plenary.NotFound("no provision %q in the text commented on", p.Provision)
		}
		p.ProvisionName = nameOf(ps, p.Provision)
		p.Title = p.ProvisionName + ": comments · " + f.Title
	}
	cs, next, err := svc.CommentPage(ctx, sc, per.ID, consultation.CommentFilter{Provision: p.Provision, Unanswered: p.Unanswered,
		After: p.After, Limit: CommentsPerPage})
	if err != nil {
		return p, err
	}
	p.NextAfter = next
	if len(cs) > 0 {
		p.First, p.Last = cs[0].Number, cs[len(cs)-1].Number
	}
	byProv := map[string]*provisionGroup{}
	for _, x := range ps {
		if p.Provision != "" && x.ID != p.Provision {
			continue
		}
		g := provisionGroup{provision: x, Path: p.Path() + "/provisions/" + url.PathEscape(x.ID)}
		if p.MayComment {
			g.FormPath = FormPath(f.Slug, per.ID, consultation.TargetProvision, x.ID)
		}
		p.Groups = append(p.Groups, g)
	}
	for i := range p.Groups {
		byProv[p.Groups[i].ID] = &p.Groups[i]
	}
	for _, c := range cs {
		cv := view(f.Slug, per, ps, c, p.Sec)
		switch {
		case c.Target == consultation.TargetMissing && c.Provision == "":
			p.Start = append(p.Start, cv)
		case c.Target == consultation.TargetMissing && byProv[c.Provision] != nil:
			byProv[c.Provision].After = append(byProv[c.Provision].After, cv)
		case c.Provision != "" && byProv[c.Provision] != nil:
			byProv[c.Provision].On = append(byProv[c.Provision].On, cv)
		default:
			p.Whole = append(p.Whole, cv)
		}
	}
	return p, nil
}

func (h *handler) showPeriod(w http.ResponseWriter, r *http.Request) error {
	p, err := h.periodPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "cons_period", p)
	return nil
}

// periodAction closes or extends a period.
func (h *handler) periodAction(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	action := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	var flash string
	switch action {
	case "close":
		flash = "The comment period is closed."
		_, err = h.svc.Consultation.ClosePeriod(r.Context(), sc, id)
	case "extend":
		flash = "The comment period is extended."
		var in consultation.ExtendInput
		if in.Closes, err = parseTime("closes", r.PostFormValue("closes")); err == nil {
			in.Reason = r.PostFormValue("reason")
			_, err = h.svc.Consultation.ExtendPeriod(r.Context(), sc, id, in)
		}
	}
	if err != nil {
		return web.RefuseForm(h.Core, w, r, refusal(err), "cons_period", h.periodPage, func(p *periodPage) { p.Form, p.Sent = action, r.PostForm })
	}
	return h.Redirect(w, r, PeriodPath(sc.Forum.Slug, id), flash)
}

// formPage is the comment form: on a provision, words in one, the text as
// a whole, or missing text placed after a provision.
type formPage struct {
	web.Base
	P          periodRow
	Provisions []provision
	Groups     []forum.Choice
	Sent       url.Values
	// Limited is set when the intake bound refused the comment.
	Limited bool
}

// Value is what the form sent in a field, with the defaults of a blank
// form.
func (p formPage) Value(field string) string { return p.Sent.Get(field) }

// Targets are what a comment may address: a period on a document takes
// comments on the whole only.
func (p formPage) Targets() []consultation.Target {
	if p.P.DraftID == "" {
		return []consultation.Target{consultation.TargetWhole}
	}
	return consultation.Targets()
}

// Is reports whether the form's target is t.
func (p formPage) Is(t consultation.Target) bool { return p.Value("target") == string(t) }

// Action is where the form posts.
func (p formPage) Action() string { return PeriodPath(p.Forum.Slug, p.P.ID) + "/comments" }

// PeriodPath is the period's page.
func (p formPage) PeriodPath() string { return PeriodPath(p.Forum.Slug, p.P.ID) }

// ProvisionText is the text of the chosen provision, to quote words from.
func (p formPage) ProvisionText() string {
	for _, x := range p.Provisions {
		if x.ID == p.Value("provision") {
			return x.Text
		}
	}
	return ""
}

// Individual is the organisation of someone commenting in their own name.
func (p formPage) Individual() string { return consultation.Individual }

func (h *handler) formPage(r *http.Request) (formPage, error) {
	b, f, _, err := h.ForumBase(r, "A comment", "consultations")
	if err != nil {
		return formPage{}, err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	svc := h.svc.Consultation
	per, err := svc.Period(ctx, sc, r.PathValue("id"))
	if err != nil {
		return formPage{}, err
	}
	p := formPage{Base: b, Sent: url.Values{}}
	if p.P, err = h.row(r, sc, per, plenary.Now()); err != nil {
		return p, err
	}
	p.Title = "Comment on " + p.P.On + " · " + f.Title
	if p.Provisions, err = h.revisionProvisions(ctx, sc, per); err != nil {
		return p, err
	}
	if p.Groups, err = svc.Groups(ctx, sc); err != nil {
		return p, err
	}
	q := r.URL.Query()
	p.Sent.Set("target", q.Get("target"))
	p.Sent.Set("provision", q.Get("provision"))
	if !validTarget(p.Value("target")) || per.DraftID == "" {
		p.Sent.Set("target", string(consultation.TargetWhole))
		if p.Value("provision") != "" && per.DraftID != "" {
			p.Sent.Set("target", string(consultation.TargetProvision))
		}
	}
	return p, nil
}

func (h *handler) showForm(w http.ResponseWriter, r *http.Request) error {
	p, err := h.formPage(r)
	if err != nil {
		return err
	}
	sc := h.Scope(r, *p.Forum)
	ok, err := h.svc.Consultation.MayComment(r.Context(), sc, p.P.Period)
	if err != nil {
		return err
	}
	if !ok {
		if err := forum.RequireLogin(sc.Actor); err != nil {
			return plenary.Unauthorized("sign in to comment")
		}
		if p.P.State != consultation.Open {
			return plenary.Conflict("the comment period is %s: it takes no comment now", p.P.State.Label())
		}
		return plenary.Forbidden("you may not comment in this period: the forum's rules of participation give the right to comment to its participants")
	}
	h.Render(w, r, http.StatusOK, "cons_form", p)
	return nil
}

// submit takes a comment. Refused input shows the form again with what was
// written; a comment over the bounds on intake is refused with 429 and the
// form kept.
func (h *handler) submit(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	in := consultation.CommentInput{Group: v("group"), Organisation: v("organisation"), Target: consultation.Target(v("target")),
		Provision: v("provision"), Quote: v("quote"), Proposed: v("proposed"), Text: v("text"), Address: clientAddress(r)}
	if in.Target == consultation.TargetMissing {
		in.Provision = v("after")
	}
	if in.Organisation == "" && v("individual") != "" {
		in.Organisation = consultation.Individual
	}
	c, err := h.svc.Consultation.SubmitComment(r.Context(), sc, r.PathValue("id"), in)
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeRateLimited {
			p, perr := h.formPage(r)
			if perr != nil {
				return perr
			}
			p.Sent, p.Limited, p.Problem = r.PostForm, true, plenary.AsError(err).Message
			w.Header().Set("Retry-After", "60")
			h.Render(w, r, http.StatusTooManyRequests, "cons_form", p)
			return nil
		}
		return web.RefuseForm(h.Core, w, r, refusal(err), "cons_form", h.formPage, func(p *formPage) { p.Sent = r.PostForm })
	}
	return h.Redirect(w, r, CommentPath(sc.Forum.Slug, c.Ref), "Your comment is "+c.Ref+", on the record.")
}

// clientAddress is the request's client address, without its port.
func clientAddress(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// commentPage is one comment with its disposition and its history, and
// the secretariat's forms.
type commentPage struct {
	web.Base
	C          commentView
	P          periodRow
	History    []consultation.Disposition
	MayManage  bool
	Provisions []provision
	Form       string
	Sent       url.Values
}

// Value is what the refused form sent in a field.
func (p commentPage) Value(field string) string { return p.Sent.Get(field) }

// Outcomes are the outcomes of a disposition, for the form.
func (p commentPage) Outcomes() []consultation.Outcome { return consultation.Outcomes() }

// PeriodPath is the period's page.
func (p commentPage) PeriodPath() string { return PeriodPath(p.Forum.Slug, p.P.ID) }

func (h *handler) commentPage(r *http.Request) (commentPage, error) {
	b, f, v, err := h.ForumBase(r, "A comment", "consultations")
	if err != nil {
		return commentPage{}, err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	svc := h.svc.Consultation
	c, err := svc.Comment(ctx, sc, r.PathValue("ref"))
	if err != nil {
		return commentPage{}, err
	}
	per, err := svc.Period(ctx, sc, c.PeriodID)
	if err != nil {
		return commentPage{}, err
	}
	p := commentPage{Base: b}
	if p.P, err = h.row(r, sc, per, plenary.Now()); err != nil {
		return p, err
	}
	if p.Provisions, err = h.revisionProvisions(ctx, sc, per); err != nil {
		return p, err
	}
	p.C = view(f.Slug, per, p.Provisions, c, v.Secretariat)
	p.Title = c.Ref + " · " + f.Title
	if p.History, err = svc.History(ctx, sc, c.Ref); err != nil {
		return p, err
	}
	if p.MayManage, err = svc.MayManage(ctx, sc); err != nil {
		return p, err
	}
	return p, nil
}

func (h *handler) showComment(w http.ResponseWriter, r *http.Request) error {
	p, err := h.commentPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "cons_comment", p)
	return nil
}

// disposition reads a disposition's form.
func disposition(r *http.Request) (consultation.DispositionInput, error) {
	v := r.PostFormValue
	in := consultation.DispositionInput{Outcome: consultation.Outcome(v("outcome")), Reason: v("reason"),
		Amendment: strings.TrimSpace(v("amendment")), Provision: strings.TrimSpace(v("link_provision"))}
	if s := strings.TrimSpace(v("link_revision")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return in, plenary.Invalid("link_revision", "must be a revision number, 1 or more")
		}
		in.Revision = n
	}
	return in, nil
}

// commentAction hides, shows again or answers a comment.
func (h *handler) commentAction(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	ctx, ref, action := r.Context(), r.PathValue("ref"), r.PathValue("action")
	svc := h.svc.Consultation
	var flash string
	switch action {
	case "hide":
		flash = "The comment is hidden from the public, with the reason on the record."
		_, err = svc.HideComment(ctx, sc, ref, r.PostFormValue("reason"))
	case "unhide":
		flash = "The comment is shown again."
		_, err = svc.UnhideComment(ctx, sc, ref)
	case "dispose":
		flash = "The disposition is on the record."
		var in consultation.DispositionInput
		if in, err = disposition(r); err == nil {
			_, err = svc.Dispose(ctx, sc, ref, in)
		}
	default:
		return plenary.NotFound("no form %q on a comment's page", action)
	}
	if err != nil {
		return web.RefuseForm(h.Core, w, r, refusal(err), "cons_comment", h.commentPage, func(p *commentPage) { p.Form, p.Sent = action, r.PostForm })
	}
	return h.Redirect(w, r, CommentPath(sc.Forum.Slug, ref), flash)
}

// campaignsPage is a period's campaigns of near-identical comments, and
// for the secretariat the signs of fabrication and the form answering a
// campaign as a whole.
type campaignsPage struct {
	web.Base
	P         periodRow
	Campaigns []consultation.Campaign
	Flags     []consultation.Flag
	MayManage bool
	Form      string
	Sent      url.Values
	// Originals are the comments whose own words show each campaign's
	// most frequent text, by number.
	Originals map[int]consultation.Comment
	// One: the page of one campaign, with all its variants and comments.
	// The page of all campaigns shows the first few of each, and links
	// to the campaign's own page for the rest: a campaign can have
	// thousands.
	One bool
}

// The most variants, comments and flagged comments the page of all
// campaigns shows of each.
const (
	shownVariants = 10
	shownMembers  = 40
)

// Variants are the variants of c the page shows.
func (p campaignsPage) Variants(c consultation.Campaign) []consultation.Variant {
	if p.One || len(c.Variants) <= shownVariants {
		return c.Variants
	}
	return c.Variants[:shownVariants]
}

// Members are the comments of c the page shows.
func (p campaignsPage) Members(c consultation.Campaign) []int {
	if p.One || len(c.Members) <= shownMembers {
		return c.Members
	}
	return c.Members[:shownMembers]
}

// Flagged are the comments of a flag the page shows.
func (p campaignsPage) Flagged(f consultation.Flag) []int {
	if len(f.Comments) <= shownMembers {
		return f.Comments
	}
	return f.Comments[:shownMembers]
}

// Original is the comment whose own words show c's most frequent text.
// It is nil when there is none to show.
func (p campaignsPage) Original(c consultation.Campaign) *consultation.Comment {
	if len(c.Variants) == 0 {
		return nil
	}
	if o, ok := p.Originals[c.Variants[0].First]; ok && o.Text != "" {
		return &o
	}
	return nil
}

// More is how many of total the page leaves out when it shows shown.
func (p campaignsPage) More(total, shown int) int { return total - shown }

// CampaignPath is a campaign's own page.
func (p campaignsPage) CampaignPath(id int) string {
	return PeriodPath(p.Forum.Slug, p.P.ID) + "/campaigns/" + strconv.Itoa(id)
}

// CampaignsPath is the page of all the period's campaigns.
func (p campaignsPage) CampaignsPath() string { return PeriodPath(p.Forum.Slug, p.P.ID) + "/campaigns" }

// Value is what the refused form sent in a field.
func (p campaignsPage) Value(field string) string { return p.Sent.Get(field) }

// Outcomes are the outcomes of a disposition, for the form.
func (p campaignsPage) Outcomes() []consultation.Outcome { return consultation.Outcomes() }

// CommentPath is a comment's page by number.
func (p campaignsPage) CommentPath(n int) string {
	return CommentPath(p.Forum.Slug, consultation.Ref(n))
}

// Ref is a comment's number as the register writes it.
func (p campaignsPage) Ref(n int) string { return consultation.Ref(n) }

// PeriodPath is the period's page.
func (p campaignsPage) PeriodPath() string { return PeriodPath(p.Forum.Slug, p.P.ID) }

// FlagLabel says what a sign of fabrication is.
func (p campaignsPage) FlagLabel(kind string) string {
	switch kind {
	case "burst":
		return "Many comments from one address in a short time"
	case "template":
		return "Comments filled in from one template"
	}
	return kind
}

func (h *handler) campaignsPage(r *http.Request) (campaignsPage, error) {
	b, f, _, err := h.ForumBase(r, "Campaigns", "consultations")
	if err != nil {
		return campaignsPage{}, err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	svc := h.svc.Consultation
	per, err := svc.Period(ctx, sc, r.PathValue("id"))
	if err != nil {
		return campaignsPage{}, err
	}
	p := campaignsPage{Base: b}
	if p.P, err = h.row(r, sc, per, plenary.Now()); err != nil {
		return p, err
	}
	p.Title = "Campaigns in " + per.Title + " · " + f.Title
	if p.Campaigns, err = svc.Campaigns(ctx, sc, per.ID); err != nil {
		return p, err
	}
	if n := r.PathValue("n"); n != "" {
		// One campaign's page (and its disposition form's answer).
		num, ok := consultation.ParseRef(n)
		i := slices.IndexFunc(p.Campaigns, func(c consultation.Campaign) bool { return ok && c.ID == num })
		if i < 0 {
			return p, plenary.NotFound("no campaign %q in this period", n)
		}
		p.Campaigns, p.One = p.Campaigns[i:i+1], true
		p.Title = "Campaign " + p.Campaigns[0].Ref + " in " + per.Title + " · " + f.Title
	}
	// The own words of each campaign's most frequent text: those of its
	// first comment (the variants are shown normalized).
	var firsts []int
	for _, c := range p.Campaigns {
		if len(c.Variants) > 0 {
			firsts = append(firsts, c.Variants[0].First)
		}
	}
	if p.Originals, err = svc.CommentsByNumber(ctx, sc, per.ID, firsts); err != nil {
		return p, err
	}
	if p.MayManage, err = svc.MayManage(ctx, sc); err != nil {
		return p, err
	}
	if p.MayManage && !p.One {
		if p.Flags, err = svc.Flags(ctx, sc, per.ID); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (h *handler) showCampaigns(w http.ResponseWriter, r *http.Request) error {
	p, err := h.campaignsPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "cons_campaigns", p)
	return nil
}

// disposeCampaign gives every comment of a campaign one disposition.
func (h *handler) disposeCampaign(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	n, ok := consultation.ParseRef(r.PathValue("n"))
	if !ok {
		if n, err = strconv.Atoi(r.PathValue("n")); err != nil {
			return plenary.NotFound("no campaign %q", r.PathValue("n"))
		}
	}
	in, err := disposition(r)
	var ds []consultation.Disposition
	if err == nil {
		ds, err = h.svc.Consultation.DisposeCampaign(r.Context(), sc, r.PathValue("id"), n, in)
	}
	if err != nil {
		return web.RefuseForm(h.Core, w, r, refusal(err), "cons_campaigns", h.campaignsPage, func(p *campaignsPage) {
			p.Form, p.Sent = r.PathValue("n"), r.PostForm
		})
	}
	return h.Redirect(w, r, PeriodPath(sc.Forum.Slug, r.PathValue("id"))+"/campaigns",
		"The campaign's "+strconv.Itoa(len(ds))+" comments have one disposition, on the record.")
}

// tablePage is the disposition table of a revision of a draft text: the
// comment-resolution matrix.
type tablePage struct {
	web.Base
	Draft    drafting.DraftText
	Revision int
	Rows     []consultation.Row
	Counts   consultation.Counts
	pager
}

// Path is the table's page; CSV and JSON its downloads.
func (p tablePage) Path() string { return TablePath(p.Forum.Slug, p.Draft.ID, p.Revision) }

// CommentPath is a comment's page.
func (p tablePage) CommentPath(ref string) string { return CommentPath(p.Forum.Slug, ref) }

// DraftPath is the revision's text.
func (p tablePage) DraftPath() string {
	return drafting.DraftPath(*p.Forum, p.Draft.ID) + "?rev=" + strconv.Itoa(p.Revision)
}

// OutcomeLabel is an outcome in words.
func (p tablePage) OutcomeLabel(o string) string { return consultation.Outcome(o).Label() }

// TargetLabel is a target in words.
func (p tablePage) TargetLabel(t string) string { return consultation.Target(t).Label() }

// tableRevision reads the draft text and revision of the path.
func (h *handler) tableRevision(r *http.Request, sc *forum.Scope) (drafting.DraftText, int, error) {
	dt, err := h.svc.Drafting.DraftText(r.Context(), sc, r.PathValue("id"))
	if err != nil {
		return dt, 0, err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || dt.CheckRevision("revision", n) != nil {
		return dt, 0, plenary.NotFound("no revision %q of %s", r.PathValue("n"), dt.Number)
	}
	return dt, n, nil
}

// downloadFirstPage is how many rows of a disposition table are read
// before its download begins, so that a refusal still gets its status.
var downloadFirstPage = 1000

func (h *handler) showTable(w http.ResponseWriter, r *http.Request) error {
	b, f, _, err := h.ForumBase(r, "Dispositions", "consultations")
	if err != nil {
		return err
	}
	sc := h.Scope(r, f)
	p := tablePage{Base: b}
	if p.pager, err = newPager(r, nil); err != nil {
		return err
	}
	if p.Draft, p.Revision, err = h.tableRevision(r, sc); err != nil {
		return err
	}
	if p.Rows, p.NextAfter, err = h.svc.Consultation.TablePage(r.Context(), sc, p.Draft.ID, p.Revision, p.After, CommentsPerPage); err != nil {
		return err
	}
	if len(p.Rows) > 0 {
		p.First, _ = consultation.ParseRef(p.Rows[0].Comment)
		p.Last, _ = consultation.ParseRef(p.Rows[len(p.Rows)-1].Comment)
	}
	if p.Counts, err = h.svc.Consultation.RevisionCounts(r.Context(), sc, p.Draft.ID, p.Revision); err != nil {
		return err
	}
	p.Title = "Dispositions of comments on " + p.Draft.Number + ", revision " + strconv.Itoa(p.Revision) + " · " + f.Title
	h.Render(w, r, http.StatusOK, "cons_table", p)
	return nil
}

// downloadTable writes the disposition table as CSV or JSON, the format of
// docs/CONSULTATION.md.
func (h *handler) downloadTable(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	dt, n, err := h.tableRevision(r, sc)
	if err != nil {
		return err
	}
	rows, err := h.svc.Consultation.TableRows(r.Context(), sc, dt.ID, n, downloadFirstPage)
	if err != nil {
		return err
	}
	// A long download: the server's write timeout bounds each pause.
	out := live.NewPaced(w, time.Minute)
	label := dt.Number + " rev " + strconv.Itoa(n) + " dispositions"
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasSuffix(r.URL.Path, ".csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+export.FileName(label, "csv")+`"`)
		return consultation.WriteCSVFrom(out, rows)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+export.FileName(label, "json")+`"`)
	return consultation.WriteJSONFrom(out, sc.Forum.Slug, dt.ID, n, rows)
}

// validTarget reports whether s names a target.
func validTarget(s string) bool {
	for _, t := range consultation.Targets() {
		if string(t) == s {
			return true
		}
	}
	return false
}
