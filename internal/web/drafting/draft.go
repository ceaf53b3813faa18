// Package drafting is the pages of the drafting aggregate: the draft texts
// of a forum, a draft with its provisions, the compilation, the brackets,
// the redline, the drafting log of a provision, the proposals, the forms
// to propose and to make the next revision, and the exports; the link
// from a document's page to the draft text it carries; and the wording of
// drafting events.
package drafting

import (
	"embed"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/web"
)

//go:embed templates
var templateFS embed.FS

// pageTypes pairs each page template with the page struct its handlers
// render it with.
var pageTypes = map[string]any{
	"draft_amendments":  amendmentsPage{},
	"draft_brackets":    bracketsPage{},
	"draft_compilation": compilationPage{},
	"draft_list":        draftsPage{},
	"draft_new":         draftNewPage{},
	"draft_propose":     proposePage{},
	"draft_provision":   provisionPage{},
	"draft_redline":     redlinePage{},
	"draft_revise":      revisePage{},
	"draft_text":        draftPage{},
}

// slotDocumentLinks is the slot of a document's page where the link to its
// draft text goes, which the documents pages declare (as
// documents.SlotDocumentLinks of internal/web/documents).
const slotDocumentLinks = "document-links"

// The slots of the drafting pages, where other packages of pages add what
// they know of a draft text (the consultation its comment periods):
//
//   - SlotDraftNotes, on a draft's page below its facts, executed with the
//     page: Forum, Draft, Rev (the revision shown), Latest.
//   - SlotProvisionActions, beside each provision of a draft's page, with
//     a ProvisionSlot.
//   - SlotReviseNotes, on the form that issues the next revision, above
//     it, executed with the page: Forum, Draft.
//   - SlotProvisionLog, at the end of a provision's drafting log, executed
//     with the page: Forum, Draft, History (its ProvisionID).
const (
	SlotDraftNotes       = "draft-notes"
	SlotProvisionActions = "draft-provision-actions"
	SlotReviseNotes      = "draft-revise-notes"
	SlotProvisionLog     = "draft-provision-log"
)

// ProvisionSlot is what SlotProvisionActions is given: the page, for the
// request's reads, and one provision of the revision shown.
type ProvisionSlot struct {
	Page     web.Page
	Forum    *forum.Forum
	Draft    drafting.DraftText
	Revision int
	Latest   bool
	// ID and Name are the provision's.
	ID, Name string
}

// handler serves the drafting pages.
type handler struct {
	*web.Core
	svc *app.App
}

// Register adds the drafting pages to the HTML face.
func Register(c *web.Core) {
	h := &handler{Core: c, svc: c.App()}
	c.Templates("drafting", templateFS, pageTypes)
	c.Funcs(h.funcs())
	for _, slot := range []string{SlotDraftNotes, SlotProvisionActions, SlotReviseNotes, SlotProvisionLog} {
		c.Slot(slot)
	}
	c.Part(slotDocumentLinks, "draft-link")
	c.Part(slotDocumentLinks, "draft-origin")
	c.Tab(web.Tab{Order: 300, Section: "drafts", Path: "/drafts", Label: "Draft texts"})
	h.routes()
}

func init() { describeDrafting() }

// routes registers the pages of draft texts.
func (h *handler) routes() {
	h.Handle("GET /forums/{slug}/drafts", h.showDrafts)
	h.Handle("GET /forums/{slug}/drafts/new", h.showNewDraft)
	h.Handle("POST /forums/{slug}/drafts", h.createDraft)
	h.Handle("POST /forums/{slug}/drafts/settings", h.setCompilationsSetting)
	h.Handle("GET /forums/{slug}/drafts/{id}", h.showDraft)
	h.Handle("GET /forums/{slug}/drafts/{id}/brackets", h.showBrackets)
	h.Handle("GET /forums/{slug}/drafts/{id}/redline", h.showRedline)
	h.Handle("GET /forums/{slug}/drafts/{id}/provisions/{pid}", h.showProvisionLog)
	h.Handle("GET /forums/{slug}/drafts/{id}/revisions/{n}/{file}", h.exportRevision)
	h.Handle("GET /forums/{slug}/drafts/{id}/compilation", h.showCompilation)
	h.Handle("POST /forums/{slug}/drafts/{id}/compilation/freeze", h.freezeCompilation)
	h.Handle("GET /forums/{slug}/drafts/{id}/amendments", h.showAmendments)
	h.Handle("GET /forums/{slug}/drafts/{id}/propose", h.showPropose)
	h.Handle("POST /forums/{slug}/drafts/{id}/amendments", h.proposeAmendment)
	h.Handle("POST /forums/{slug}/drafts/{id}/amendments/{aid}/withdraw", h.withdrawAmendment)
	h.Handle("POST /forums/{slug}/drafts/{id}/amendments/{aid}/cosponsor", h.cosponsorAmendment)
	h.Handle("GET /forums/{slug}/drafts/{id}/revise", h.showRevise)
	h.Handle("POST /forums/{slug}/drafts/{id}/revisions", h.issueRevision)
}

// funcs are the template functions of the drafting pages, and of the link
// from a document's page to its draft text.
func (h *handler) funcs() template.FuncMap {
	return template.FuncMap{
		// draftLink is the page of the draft text a document carries,
		// or "" when it carries none.
		"draftLink": func(p web.Page, f *forum.Forum, d documents.Document) string {
			if f == nil || d.Type != documents.DocDraftText {
				return ""
			}
			ctx, cancel := web.ReadContext(p)
			defer cancel()
			if ok, err := h.svc.Drafting.HasDraft(ctx, h.svc.Kernel.ScopeOf(forum.Anonymous, *f), d.ID); err != nil || !ok {
				return ""
			}
			return drafting.DraftPath(*f, d.ID)
		},
		// draftOrigin is the draft text a frozen compilation or a
		// revision in a series was filed from, or nil.
		"draftOrigin": h.origin,
		// decisionLabel is an editor's decision as the revision form
		// offers it: what it does to the proposal or bracket.
		"decisionLabel": func(a text.Action) string { return web.UpperFirst(a.Label()) },
		"inc":           func(n int) int { return n + 1 },
	}
}

func describeDrafting() {
	web.Describe("draft.created", func(p map[string]any) string {
		return web.Str(p, "number") + " was issued as a draft text: " + web.Str(p, "title") + "."
	})
	web.Describe("draft.revised", func(p map[string]any) string {
		s := web.Str(p, "label") + " was issued: revision " + payloadNum(p, "revision") + " of " + web.Str(p, "number")
		if n := payloadNum(p, "open_brackets"); n != "" {
			s += ", with " + n + " open brackets"
		}
		if d := web.Str(p, "document_number"); d != "" {
			s += "; also issued as " + d
		}
		return s + "."
	})
	web.Describe("draft.adopted", func(p map[string]any) string {
		return web.Str(p, "number") + " was adopted by a decision on the record; the adopted text was filed as " + web.Str(p, "document_number") + "."
	})
	web.Describe("draft.reopened", func(p map[string]any) string {
		return web.Str(p, "number") + " was reopened to proposals by a decision of the chair: " + web.Str(p, "reason")
	})
	web.Describe("draft.compilation_frozen", func(p map[string]any) string {
		s := "The compilation of proposals to " + web.Str(p, "number")
		if n := payloadNum(p, "revision"); n != "" {
			s += " (revision " + n + ")"
		}
		s += " was frozen as " + web.Str(p, "document_number")
		if ps, ok := p["proposals"].([]any); ok {
			words := " pending proposals"
			if len(ps) == 1 {
				words = " pending proposal"
			}
			s += ", with " + strconv.Itoa(len(ps)) + words + " as they stood"
		}
		return s + "."
	})
	web.Describe("amendment.submitted", func(p map[string]any) string {
		who := web.Str(p, "label")
		if who == "" {
			who = "A proposal"
		}
		s := who + " (" + web.Str(p, "op") + ") was made on " + web.Str(p, "number")
		if pr := web.Str(p, "provision"); pr != "" {
			s += ", " + pr
		}
		return strings.TrimSuffix(s, ".") + "."
	})
	web.Describe("amendment.withdrawn", func(p map[string]any) string {
		who := web.Str(p, "label")
		if who == "" {
			who = "A proposal"
		}
		return who + " on " + web.Str(p, "number") + " was withdrawn."
	})
	web.Describe("amendment.cosponsored", func(p map[string]any) string {
		if party := web.Str(p, "party"); party != "" {
			return party + " co-sponsors " + web.Str(p, "label") + " on " + web.Str(p, "number") + "."
		}
		return "A proposal on " + web.Str(p, "number") + " gained a co-sponsor."
	})
	web.Describe("drafting.attribution", func(p map[string]any) string {
		return "Attribution of event " + payloadNum(p, "event_seq") + ": " + web.Str(p, "label") + "."
	})
	web.Describe("forum.compilations_setting_changed", func(p map[string]any) string {
		if b, _ := p["anonymised"].(bool); b {
			return "Compilations of proposals are now published without party names; the secretariat keeps them attributed."
		}
		return "Compilations of proposals are now published with the parties that made each proposal."
	})
}

// payloadNum reads a number of an event payload as text.
func payloadNum(p map[string]any, k string) string {
	if f, ok := p[k].(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

// draftBase is the common part of the pages of one draft text.
type draftBase struct {
	web.Base
	Draft  drafting.DraftText
	Rights drafting.DraftingRights
	Tab    string // the draft navigation entry to mark as current
}

// DraftPath is the draft text's page.
func (p draftBase) DraftPath() string { return drafting.DraftPath(*p.Forum, p.Draft.ID) }

// Nav is the navigation between the pages of the draft text.
func (p draftBase) Nav() template.HTML {
	base := p.DraftPath()
	items := []struct{ key, href, label string }{
		{"text", base, "Text"},
		{"compilation", base + "/compilation", fmt.Sprintf("Compilation (%d pending)", p.Draft.Pending)},
		{"brackets", base + "/brackets", fmt.Sprintf("Brackets (%d open)", p.Draft.Current().OpenBrackets)},
		{"redline", base + "/redline", "Changes between revisions"},
		{"amendments", base + "/amendments", "All proposals"},
	}
	if p.Rights.ProposeAny {
		items = append(items, struct{ key, href, label string }{"propose", base + "/propose", "Propose a change"})
	}
	if p.Rights.Edit {
		items = append(items, struct{ key, href, label string }{"revise", base + "/revise", "Make the next revision"})
	}
	var b strings.Builder
	b.WriteString(`<nav aria-label="Draft text" class="draftnav"><ul class="tabs">`)
	for _, it := range items {
		b.WriteString(`<li><a href="` + html.EscapeString(it.href) + `"`)
		if it.key == p.Tab {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(">" + html.EscapeString(it.label) + "</a></li>")
	}
	b.WriteString("</ul></nav>")
	return template.HTML(b.String())
}

// draftBase loads the forum, the draft text (if the viewer may read it)
// and the viewer's rights.
func (h *handler) draftBase(r *http.Request, title, tab string) (draftBase, forum.Forum, error) {
	b, f, _, err := h.ForumBase(r, title, "drafts")
	if err != nil {
		return draftBase{}, f, err
	}
	ctx := r.Context()
	dt, err := h.svc.Drafting.DraftText(ctx, h.Scope(r, f), r.PathValue("id"))
	if err != nil {
		return draftBase{}, f, err
	}
	rights, err := h.svc.Drafting.DraftingRightsOf(ctx, h.Scope(r, f))
	if err != nil {
		return draftBase{}, f, err
	}
	b.Title = strings.TrimSpace(title+" "+dt.Label) + " · " + f.Title
	return draftBase{Base: b, Draft: dt, Rights: rights, Tab: tab}, f, nil
}

// renderOptions are opts for rendering what the viewer reads of the draft
// texts of f: anonymised as the viewer's Anonymiser says.
func (h *handler) renderOptions(r *http.Request, f forum.Forum, opts text.RenderOptions) (text.RenderOptions, error) {
	an, err := h.svc.Drafting.Anonymiser(r.Context(), h.Scope(r, f))
	if err != nil {
		return opts, err
	}
	return an.RenderOptions(opts), nil
}

// revisionParam reads ?rev=N: 0 (the current revision) when absent.
func revisionParam(r *http.Request, name string) (int, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, plenary.Invalid(name, "must be a revision number")
	}
	return n, nil
}

// formRevision reads the revision a form was written against: 0 (the
// current one) when empty. Anything but a number is -1, which the command
// refuses naming the field, never the current revision by default.
func formRevision(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// draftsPage lists the draft texts of a forum.
type draftsPage struct {
	web.Base
	Drafts     []drafting.DraftText
	Rights     drafting.DraftingRights
	Anonymised bool
}

func (h *handler) showDrafts(w http.ResponseWriter, r *http.Request) error {
	b, f, _, err := h.ForumBase(r, "Draft texts", "drafts")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := draftsPage{Base: b}
	if p.Drafts, err = h.svc.Drafting.DraftTexts(ctx, h.Scope(r, f)); err != nil {
		return err
	}
	if p.Rights, err = h.svc.Drafting.DraftingRightsOf(ctx, h.Scope(r, f)); err != nil {
		return err
	}
	if p.Anonymised, err = h.svc.Drafting.CompilationsAnonymised(ctx, h.Scope(r, f)); err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "draft_list", p)
	return nil
}

func (h *handler) setCompilationsSetting(w http.ResponseWriter, r *http.Request) error {
	anon := r.PostFormValue("anonymised") == "true"
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Drafting.SetCompilationsAnonymised(r.Context(), sc, anon); err != nil {
		return err
	}
	msg := "Compilations are published with the parties that made each proposal."
	if anon {
		msg = "Compilations are published without party names; the secretariat and the editors still see them."
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/drafts", msg)
}

// draftNewPage is the form to file a draft text.
type draftNewPage struct {
	web.Base
	In     drafting.DraftInput
	Bodies []forum.Body
	Series []documents.Series
}

func (h *handler) draftNewForm(r *http.Request, in drafting.DraftInput) (draftNewPage, error) {
	b, f, _, err := h.ForumBase(r, "New draft text", "drafts")
	if err != nil {
		return draftNewPage{}, err
	}
	p := draftNewPage{Base: b, In: in}
	if p.Bodies, err = h.Scope(r, f).Bodies(r.Context()); err != nil {
		return p, err
	}
	if p.Series, err = h.svc.Documents.DocSeries(r.Context(), h.Scope(r, f)); err != nil {
		return p, err
	}
	return p, nil
}

func (h *handler) showNewDraft(w http.ResponseWriter, r *http.Request) error {
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return plenary.Unauthorized("log in to file a draft text")
	}
	p, err := h.draftNewForm(r, drafting.DraftInput{Format: drafting.FormatMarkdown})
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "draft_new", p)
	return nil
}

func (h *handler) createDraft(w http.ResponseWriter, r *http.Request) error {
	in := drafting.DraftInput{Title: r.PostFormValue("title"), Format: r.PostFormValue("format"), Text: r.PostFormValue("text"),
		Series: r.PostFormValue("series"), Body: r.PostFormValue("body"), Visibility: r.PostFormValue("visibility"),
		IssuedOn: r.PostFormValue("issued_on"), LiteralBrackets: r.PostFormValue("literal_brackets") == "true"}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Drafting.CreateDraft(r.Context(), sc, in)
	if errs, problem, ok := web.FieldErrors(err); ok {
		p, ferr := h.draftNewForm(r, in)
		if ferr != nil {
			return ferr
		}
		p.Errors, p.Problem = errs, problem
		h.Render(w, r, http.StatusUnprocessableEntity, "draft_new", p)
		return nil
	}
	if err != nil {
		return err
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/drafts/"+d.ID, d.Number+" is issued as a draft text.")
}

// provRow is one provision as the draft page shows it.
type provRow struct {
	ID, Anchor, Name, Kind string
	// Intro is set when the provision opens a clause group.
	Intro   string
	Heading int // 2 or 3 for headings and articles; 0 for clauses
	Label   string
	Body    template.HTML
}

// opensClauseGroup reports whether p opens a group of clauses, whose intro is
// shown before it.
func opensClauseGroup(prev, p *text.Provision) bool {
	if p.Intro == "" || (p.Kind != text.KindPreamble && p.Kind != text.KindOperative) {
		return false
	}
	return prev == nil || prev.Kind != p.Kind || prev.Intro != p.Intro
}

func provisionRows(d *text.Draft, opts text.RenderOptions) []provRow {
	rows := make([]provRow, len(d.Provisions))
	var prev *text.Provision
	for i := range d.Provisions {
		p := &d.Provisions[i]
		row := provRow{ID: p.ID, Anchor: text.ProvisionAnchor(p.ID), Name: drafting.ProvisionName(p), Kind: string(p.Kind),
			Label: p.DisplayLabel(), Body: export.BodyHTML(p, opts)}
		if opensClauseGroup(prev, p) {
			row.Intro = p.Intro
		}
		if p.Kind == text.KindHeading || p.Kind == text.KindArticle {
			row.Heading = 2
			if p.Level > 2 {
				row.Heading = 3
			}
		}
		rows[i] = row
		prev = p
	}
	return rows
}

// draftPage is a revision of a draft text with its provisions.
type draftPage struct {
	draftBase
	Rev        drafting.RevisionView
	Rows       []provRow
	Supporters bool
	Latest     bool
	// Issued are the revisions also issued as numbered documents in a
	// series, by revision.
	Issued map[int]*drafting.DraftDocument
}

// Slot is what SlotProvisionActions is given for a provision of the page.
func (p draftPage) Slot(row provRow) ProvisionSlot {
	return ProvisionSlot{Page: p, Forum: p.Forum, Draft: p.Draft, Revision: p.Rev.Text.Revision, Latest: p.Latest, ID: row.ID, Name: row.Name}
}

// ExportPath is the path of an export of the revision shown.
func (p draftPage) ExportPath(file string) string {
	return p.DraftPath() + "/revisions/" + strconv.Itoa(p.Rev.Text.Revision) + "/" + file
}

func (h *handler) showDraft(w http.ResponseWriter, r *http.Request) error {
	n, err := revisionParam(r, "rev")
	if err != nil {
		return err
	}
	db, f, err := h.draftBase(r, "", "text")
	if err != nil {
		return err
	}
	if n != 0 {
		// The page's parameter is rev; the command's field is revision.
		if err := db.Draft.CheckRevision("rev", n); err != nil {
			return err
		}
	}
	rv, err := h.svc.Drafting.DraftRevision(r.Context(), h.Scope(r, f), db.Draft.ID, n)
	if err != nil {
		return err
	}
	p := draftPage{draftBase: db, Rev: rv, Supporters: r.URL.Query().Get("supporters") == "1" && rv.Attributed}
	p.Latest = rv.Text.Revision == db.Draft.Revision
	if p.Issued, err = h.issuedRevisions(r, f, db.Draft.ID); err != nil {
		return err
	}
	opts, err := h.renderOptions(r, f, text.RenderOptions{Supporters: p.Supporters})
	if err != nil {
		return err
	}
	p.Rows = provisionRows(rv.Text, opts)
	p.Title = rv.Info.Label + " · " + rv.Text.Title
	h.Render(w, r, http.StatusOK, "draft_text", p)
	return nil
}

// bracketsPage lists the brackets of a revision with their supporters.
type bracketsPage struct {
	draftBase
	Rev      drafting.RevisionView
	Brackets []bracketRow
	// Labels maps proposal ids to their labels.
	Labels map[string]string
}

type bracketRow struct {
	text.BracketRef
	Name string
	Alts []altRow
}

type altRow struct {
	N          int
	Text       string
	Supporters string
	Proposals  string
	Current    bool
	Agreed     bool
}

// AgreedLabel marks the alternative agreed ad referendum, in the words of
// the bracket's state.
func (altRow) AgreedLabel() string { return strings.ToLower(text.BracketAdReferendum.Label()) }

func (h *handler) showBrackets(w http.ResponseWriter, r *http.Request) error {
	n, err := revisionParam(r, "rev")
	if err != nil {
		return err
	}
	db, f, err := h.draftBase(r, "Brackets of", "brackets")
	if err != nil {
		return err
	}
	if n != 0 {
		// The page's parameter is rev; the command's field is revision.
		if err := db.Draft.CheckRevision("rev", n); err != nil {
			return err
		}
	}
	ctx := r.Context()
	rv, err := h.svc.Drafting.DraftRevision(ctx, h.Scope(r, f), db.Draft.ID, n)
	if err != nil {
		return err
	}
	labels := map[string]string{}
	if rv.Attributed {
		ams, err := h.svc.Drafting.Amendments(ctx, h.Scope(r, f), db.Draft.ID, drafting.AmendmentFilter{})
		if err != nil {
			return err
		}
		for _, am := range ams {
			labels[am.ID] = am.Label
		}
	}
	p := bracketsPage{draftBase: db, Rev: rv, Labels: labels, Brackets: bracketRows(rv.Text, labels)}
	h.Render(w, r, http.StatusOK, "draft_brackets", p)
	return nil
}

// bracketRows lists the brackets of d with their alternatives; labels
// names the proposals each alternative came from.
func bracketRows(d *text.Draft, labels map[string]string) []bracketRow {
	var out []bracketRow
	for _, br := range d.Brackets() {
		pv, _ := d.Provision(br.ProvisionID)
		row := bracketRow{BracketRef: br, Name: drafting.ProvisionName(pv)}
		for i, alt := range br.Bracket.Alternatives {
			ar := altRow{N: i + 1, Text: alt.Text, Supporters: strings.Join(alt.Supporters, ", "), Current: alt.Current,
				Agreed: br.Bracket.Agreed != nil && *br.Bracket.Agreed == i}
			var props []string
			for _, id := range alt.Amendments {
				if l := labels[id]; l != "" {
					props = append(props, l)
				}
			}
			ar.Proposals = strings.Join(props, ", ")
			row.Alts = append(row.Alts, ar)
		}
		out = append(out, row)
	}
	return out
}

// demoteHeadings lowers every heading of a rendered fragment by one level, so
// that a fragment with its own h1 sits under the page's h1.
func demoteHeadings(b []byte) template.HTML {
	s := string(b)
	for l := 5; l >= 1; l-- {
		from, to := strconv.Itoa(l), strconv.Itoa(l+1)
		s = strings.ReplaceAll(s, "<h"+from, "<h"+to)
		s = strings.ReplaceAll(s, "</h"+from+">", "</h"+to+">")
	}
	return template.HTML(s)
}

// redlinePage compares two revisions.
type redlinePage struct {
	draftBase
	From, To int
	Redline  template.HTML
	Summary  *text.Redline
	// Decisions are the editor's decisions that made the later revisions,
	// with their reasons.
	Decisions []logRow
}

func (h *handler) showRedline(w http.ResponseWriter, r *http.Request) error {
	db, f, err := h.draftBase(r, "Changes to", "redline")
	if err != nil {
		return err
	}
	from, err := revisionParam(r, "from")
	if err != nil {
		return err
	}
	to, err := revisionParam(r, "to")
	if err != nil {
		return err
	}
	if to == 0 {
		to = db.Draft.Revision
	}
	if from == 0 {
		from = max(to-1, 1)
	}
	p := redlinePage{draftBase: db, From: from, To: to}
	rl, err := h.svc.Drafting.Redline(r.Context(), h.Scope(r, f), db.Draft.ID, from, to)
	if errs, problem, ok := web.FieldErrors(err); ok {
		p.Errors, p.Problem = errs, problem
		h.Render(w, r, http.StatusUnprocessableEntity, "draft_redline", p)
		return nil
	}
	if err != nil {
		return err
	}
	p.Summary, p.Redline = rl, demoteHeadings(export.RedlineHTML(rl))
	for n := from + 1; n <= to; n++ {
		rv, err := h.svc.Drafting.DraftRevision(r.Context(), h.Scope(r, f), db.Draft.ID, n)
		if err != nil {
			return err
		}
		for _, e := range rv.Log {
			p.Decisions = append(p.Decisions, logRowOf(e))
		}
	}
	h.Render(w, r, http.StatusOK, "draft_redline", p)
	return nil
}

// provisionPage is the drafting log of one provision.
type provisionPage struct {
	draftBase
	History drafting.ProvisionHistory
	Steps   []stepRow
}

type stepRow struct {
	drafting.ProvisionStep
	// Issued is the numbered document the revision was also issued as,
	// or nil.
	Issued  *drafting.DraftDocument
	Changes template.HTML
	Log     []logRow
	Sources []sourceRow
}

// logRow is one decision as the pages show it: what it did, and the
// reason the editor gave for it.
type logRow struct {
	Revision int
	Text     string
	Reason   string
}

func logRowOf(e text.LogEntry) logRow {
	return logRow{Revision: e.Revision, Text: e.Describe(), Reason: e.Note}
}

type sourceRow struct {
	Kind, Label, Note string
	AmendmentID       string
	Contribution      string // number
	ContributionID    string
}

func (h *handler) showProvisionLog(w http.ResponseWriter, r *http.Request) error {
	db, f, err := h.draftBase(r, "Drafting log of", "text")
	if err != nil {
		return err
	}
	hist, err := h.svc.Drafting.ProvisionLog(r.Context(), h.Scope(r, f), db.Draft.ID, r.PathValue("pid"))
	if err != nil {
		return err
	}
	p := provisionPage{draftBase: db, History: hist}
	issued, err := h.issuedRevisions(r, f, db.Draft.ID)
	if err != nil {
		return err
	}
	opts, err := h.renderOptions(r, f, text.RenderOptions{Supporters: hist.Attributed})
	if err != nil {
		return err
	}
	for _, st := range hist.Steps {
		row := stepRow{ProvisionStep: st, Issued: issued[st.Revision], Changes: export.ChangesHTML(st.Changes, st.Provision, opts)}
		for _, e := range st.Log {
			row.Log = append(row.Log, logRowOf(e))
		}
		for _, src := range st.Sources {
			row.Sources = append(row.Sources, sourceRow{Kind: src.Kind.Label(), Label: src.Label, Note: src.Note,
				AmendmentID: src.AmendmentID, ContributionID: src.Contribution, Contribution: hist.Contributions[src.Contribution]})
		}
		p.Steps = append(p.Steps, row)
	}
	p.Title = "Drafting log of " + hist.Name + " · " + db.Draft.Number
	h.Render(w, r, http.StatusOK, "draft_provision", p)
	return nil
}

// exportRevision serves a revision in one of the export formats.
func (h *handler) exportRevision(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return plenary.NotFound("no such revision")
	}
	f, err := h.svc.Kernel.ForumBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	file := r.PathValue("file")
	var ctype, ext string
	switch file {
	case "draft.md":
		ctype, ext = "text/markdown; charset=utf-8", "md"
	case "draft.html":
		ctype, ext = "text/html; charset=utf-8", "html"
	case "draft.json":
		ctype, ext = "application/json", "json"
	case "draft.xml", "proposals.xml":
		ctype, ext = "application/akn+xml", "xml"
	default:
		return plenary.NotFound("no export %q: draft.md, draft.html, draft.json, draft.xml or proposals.xml", file)
	}
	ex, err := h.svc.Drafting.ExportRevision(r.Context(), h.Scope(r, f), r.PathValue("id"), n)
	if err != nil {
		return err
	}
	var body []byte
	name := export.FileName(ex.Meta.Label, ext)
	switch file {
	case "draft.md":
		body = export.Markdown(ex.Text)
	case "draft.html":
		opts, err := h.renderOptions(r, f, text.RenderOptions{})
		if err != nil {
			return err
		}
		body = export.HTML(ex.Meta, ex.Text, opts)
	case "draft.json":
		if body, err = export.JSON(ex.Meta, ex.Text); err != nil {
			return err
		}
	case "draft.xml":
		body = export.AkomaNtoso(ex.Meta, ex.Text)
	case "proposals.xml":
		body = export.AmendmentList(ex.Meta, ex.Text, ex.Amendments)
		name = export.FileName(ex.Meta.Label+" proposals", ext)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	return nil
}
