package finalacts

import (
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/web"
	"github.com/plenary-forum/plenary/internal/worldmap"
)

//go:embed templates
var templateFS embed.FS

var pageTypes = map[string]any{
	"fa_list":         listPage{},
	"fa_page":         faPage{},
	"fa_signatures":   signaturesPage{},
	"fa_declarations": declarationsPage{},
	"fa_declare":      declarePage{},
	"fa_sign":         signPage{},
}

type handler struct {
	*web.Core
	svc *app.App
}

// Register registers the final acts' pages with the core: a forum's final
// acts and its closing statements, the final acts' page with the map and
// tallies of signature, the signatures list, the declarations and
// reservations, the signing page, the deposit form, the secretariat's
// forms and the open-data downloads.
func Register(c *web.Core) {
	h := &handler{Core: c, svc: c.App()}
	c.Templates("finalacts", templateFS, pageTypes)
	h.decisionParts(c)
	c.Tab(web.Tab{Order: 560, Section: "final-acts", Path: "/final-acts", Label: finalActsLabel(), Shown: h.shown})
	h.Handle("GET /forums/{slug}/final-acts", h.showList)
	h.Handle("POST /forums/{slug}/final-acts", h.assemble)
	h.Handle("POST /forums/{slug}/closing-statements", h.closingStatement)
	h.Handle("GET /forums/{slug}/final-acts/{id}", h.showFinalActs)
	h.Handle("GET /forums/{slug}/final-acts/{id}/signatures", h.showSignatures)
	h.Handle("GET /forums/{slug}/final-acts/{id}/declarations", h.showDeclarations)
	h.Handle("GET /forums/{slug}/final-acts/{id}/declarations/new", h.showDeclare)
	h.Handle("GET /forums/{slug}/final-acts/{id}/sign", h.showSign)
	h.Handle("GET /forums/{slug}/final-acts/{id}/events", h.events)
	h.Handle("POST /forums/{slug}/final-acts/{id}/{action}", h.act)
	for name := range downloads {
		h.Handle("GET /forums/{slug}/final-acts/{id}/"+name, h.download)
	}
}

// shown shows the tab without reading the store (it is on every page of
// a forum): in a treaty conference, which presents final acts for
// signature; in an open forum, whose closing statements it lists; and to
// the secretariat, who assembles them.
func (h *handler) shown(_ *http.Request, f forum.Forum, v forum.Viewer) (bool, error) {
	return f.Kind == forum.KindTreatyConference || f.Kind == forum.KindOpenForum || v.Secretariat, nil
}

// finalActsLabel is the label of the final acts' document type.
func finalActsLabel() string { return forum.Label(documents.DocumentTypes, documents.DocFinalActs) }

// Visibilities are who may read final acts, for the assembly form.
func (listPage) Visibilities() []forum.Choice { return documents.Visibilities[:2] }

// Path is the page of final acts.
func Path(slug, id string) string {
	return "/forums/" + slug + "/final-acts/" + url.PathEscape(id)
}

// forms is what a refused form sent, and which form it was.
type forms struct {
	Form string
	Sent url.Values
}

// Value is what the refused form sent in a field.
func (f forms) Value(field string) string { return f.Sent.Get(field) }

// Val is what the refused form named form sent in field ("" for the
// other forms of the page).
func (f forms) Val(form, field string) string {
	if f.Form != form {
		return ""
	}
	return f.Sent.Get(field)
}

// Chose reports whether the refused form sent value in field.
func (f forms) Chose(field, value string) bool { return slices.Contains(f.Sent[field], value) }

// zoneOf is the forum's time zone: that of its latest meeting, else UTC.
func (h *handler) zoneOf(r *http.Request, sc *forum.Scope) *time.Location {
	ms, err := h.svc.Meetings.Meetings(r.Context(), sc, meetings.Filter{})
	if err != nil || len(ms) == 0 {
		return time.UTC
	}
	return ms[len(ms)-1].Location()
}

// local writes a time in zone, with the zone's name.
func local(t *time.Time, zone *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(zone).Format("2 Jan 2006 15:04 MST") + " (" + t.UTC().Format("15:04 UTC") + ")"
}

// listPage is a forum's final acts, its closing statements, and the
// secretariat's form to assemble final acts.
type listPage struct {
	web.Base
	forms
	List []finalacts.FinalActs
	// Closing are the statements on the forum as a whole.
	Closing       []finalacts.Statement
	MayAdminister bool
	// MayState shows the form of a closing statement.
	MayState bool
	Adopted  []adoptedText
	// Parties are the parties whose statement the secretariat may enter.
	Parties []participation.Party
}

// adoptedText is a draft text adopted, which final acts may include.
type adoptedText struct {
	ID, Number, Title string
	Revision          int
}

// Err is the error of a field of the refused form named form.
func (p listPage) Err(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.FieldError(field)
}

// FAPath is the page of final acts.
func (p listPage) FAPath(id string) string { return Path(p.Forum.Slug, id) }

// Included reports whether the refused assembly form included draft id.
func (p listPage) Included(id string) bool { return p.Chose("texts", id) }

// Order is the place the refused assembly form gave draft id.
func (p listPage) Order(id string, i int) string {
	if p.Sent != nil {
		return p.Sent.Get("order-" + id)
	}
	return strconv.Itoa(i + 1)
}

func (h *handler) listPage(r *http.Request) (listPage, error) {
	b, f, v, err := h.ForumBase(r, finalActsLabel(), "final-acts")
	if err != nil {
		return listPage{}, err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	p := listPage{Base: b}
	fa := h.svc.FinalActs
	if p.List, err = fa.List(ctx, sc); err != nil {
		return p, err
	}
	if p.Closing, err = fa.Statements(ctx, sc, finalacts.TargetInput{Kind: finalacts.OnForum}); err != nil {
		return p, err
	}
	if p.MayAdminister, err = fa.MayAdminister(ctx, sc); err != nil {
		return p, err
	}
	if p.MayState, err = h.mayState(r, sc, v); err != nil {
		return p, err
	}
	if p.MayAdminister {
		if p.Adopted, err = h.adopted(r, sc); err != nil {
			return p, err
		}
		if p.Parties, err = h.svc.Participation.Parties(ctx, sc); err != nil {
			return p, err
		}
	}
	return p, nil
}

// mayState reports whether the viewer may file a statement: for a party
// it may object for, or as the secretariat.
func (h *handler) mayState(r *http.Request, sc *forum.Scope, v forum.Viewer) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	if v.Secretariat {
		return true, nil
	}
	return sc.As(sc.Actor).May(r.Context(), rules.ObjectConsensus, "")
}

// adopted are the forum's draft texts that were adopted.
func (h *handler) adopted(r *http.Request, sc *forum.Scope) ([]adoptedText, error) {
	ctx := r.Context()
	ds, err := h.svc.Drafting.DraftTexts(ctx, sc)
	if err != nil {
		return nil, err
	}
	var out []adoptedText
	for _, d := range ds {
		a, ok, err := h.svc.Drafting.AdoptionOf(ctx, h.svc.Kernel.Store(), d.ID)
		if err != nil {
			return nil, err
		}
		if ok {
			title := d.Title
			for _, rv := range d.Revisions {
				if rv.Revision == a.Revision && rv.Title != "" {
					title = rv.Title
				}
			}
			out = append(out, adoptedText{ID: d.ID, Number: d.Number, Title: title, Revision: a.Revision})
		}
	}
	return out, nil
}

func (h *handler) showList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.listPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "fa_list", p)
	return nil
}

// textsOf reads the adopted texts ticked in an assembly or revision form,
// in the order given.
func textsOf(form url.Values) ([]finalacts.TextInput, error) {
	type pick struct {
		id    string
		order int
	}
	var picks []pick
	for _, id := range form["texts"] {
		n := 0
		if s := strings.TrimSpace(form.Get("order-" + id)); s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil {
				return nil, plenary.Invalid("order-"+id, "must be a whole number: the place of the text in the final acts")
			}
		}
		picks = append(picks, pick{id, n})
	}
	sort.SliceStable(picks, func(i, j int) bool { return picks[i].order < picks[j].order })
	var out []finalacts.TextInput
	for _, p := range picks {
		rev, _ := strconv.Atoi(form.Get("revision-" + p.id))
		out = append(out, finalacts.TextInput{Draft: p.id, Revision: rev})
	}
	return out, nil
}

// assemble assembles final acts from adopted texts.
func (h *handler) assemble(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	texts, err := textsOf(r.PostForm)
	var fa finalacts.FinalActs
	if err == nil {
		fa, err = h.svc.FinalActs.Assemble(r.Context(), sc, finalacts.AssembleInput{Title: r.PostFormValue("title"), Texts: texts,
			Visibility: r.PostFormValue("visibility"), Note: r.PostFormValue("note")})
	}
	if err != nil {
		return web.RefuseForm(h.Core, w, r, invalid(err), "fa_list", h.listPage, func(p *listPage) { p.Form, p.Sent = "assemble", r.PostForm })
	}
	return h.Redirect(w, r, Path(sc.Forum.Slug, fa.ID), fa.Number+" assembled: "+fa.Title+".")
}

// closingStatement files a statement on the forum as a whole.
func (h *handler) closingStatement(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	_, err = h.svc.FinalActs.FileStatement(r.Context(), sc, finalacts.StatementInput{Kind: finalacts.ClosingStatement,
		Target: finalacts.TargetInput{Kind: finalacts.OnForum}, Party: r.PostFormValue("party"), Author: r.PostFormValue("author"), Text: r.PostFormValue("text")})
	if err != nil {
		return web.RefuseForm(h.Core, w, r, invalid(err), "fa_list", h.listPage, func(p *listPage) { p.Form, p.Sent = "closing", r.PostForm })
	}
	return h.Redirect(w, r, "/forums/"+sc.Forum.Slug+"/final-acts#closing-h", "Your closing statement is on the record.")
}

// invalid turns a conflict (the final acts are closed, the text changed)
// into a refusal of the form, so that the form shows it with the input
// kept.
func invalid(err error) error {
	if plenary.ErrorCode(err) == plenary.CodeConflict {
		return plenary.Invalid("", "%s", web.UpperFirst(plenary.AsError(err).Message))
	}
	return err
}

// instrument is the provisions of one adopted text in the final acts.
type instrument struct {
	Title string
	// DraftID, DraftNumber and Revision name the adopted text it comes from.
	DraftID, DraftNumber string
	Revision             int
	Provisions           []finalacts.Provision
}

// faBase is what every page of one final acts has.
type faBase struct {
	web.Base
	forms
	FA   finalacts.FinalActs
	Zone *time.Location
	// Now is the final acts' clock when the page was read, for the tense
	// of the signature window's times.
	Now time.Time
	// EIDs are the provisions' anchors, as in the Akoma Ntoso export.
	EIDs map[string]string
}

// Err is the error of a field of the refused form named form.
func (p faBase) Err(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.FieldError(field)
}

// FAPath is the final acts' page.
func (p faBase) FAPath() string { return Path(p.Forum.Slug, p.FA.ID) }

// Anchor is a provision's anchor on the final acts' page.
func (p faBase) Anchor(key string) string {
	if id, ok := p.EIDs[key]; ok {
		return id
	}
	return "prov-" + key
}

// ProvisionHref is a provision on the final acts' page.
func (p faBase) ProvisionHref(key string) string { return p.FAPath() + "#" + p.Anchor(key) }

// DeclHref is a declaration in the list of declarations.
func (p faBase) DeclHref(n int) string { return p.FAPath() + "/declarations#decl-" + strconv.Itoa(n) }

// PartyHref is a party's row in the signatures list.
func (p faBase) PartyHref(code string) string {
	return p.FAPath() + "/signatures#party-" + url.PathEscape(code)
}

// Local writes a time in the forum's zone.
func (p faBase) Local(t *time.Time) string { return local(t, p.Zone) }

// Past reports whether t is at or before the time the page was read: the
// window "opened" or "opens", "closed" or "closes".
func (p faBase) Past(t *time.Time) bool { return t != nil && !t.After(p.Now) }

// Closed reports whether signature has closed: a party that has not
// signed then did not sign.
func (p faBase) Closed() bool { return !p.FA.Open && p.Past(p.FA.ClosesAt) }

// NotYet is the heading of the parties without a signature.
func (p faBase) NotYet() string {
	if p.Closed() {
		return "Did not sign"
	}
	return "Not yet"
}

// LocalValue writes a time for a datetime-local field in the forum's zone.
func (p faBase) LocalValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(p.Zone).Format("2006-01-02T15:04")
}

// ZoneName is the forum's time zone's name.
func (p faBase) ZoneName() string { return p.Zone.String() }

// Names writes parties' names, joined.
func (faBase) Names(ps []finalacts.PartyRef) string {
	names := make([]string, len(ps))
	for i, x := range ps {
		names[i] = x.Name
	}
	return strings.Join(names, ", ")
}

// Numbers writes declaration numbers ("Nos. 3 and 7").
func (faBase) Numbers(ns []int) string { return numbers(ns) }

func numbers(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	switch len(s) {
	case 0:
		return ""
	case 1:
		return "No. " + s[0]
	}
	return "Nos. " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// RoleLabel is a capacity in words.
func (faBase) RoleLabel(role string) string { return roleLabel(role) }

// CurrentNote is the note of the current text: what the secretariat said
// of it (a demonstration's illustrative split, a corrigendum's change).
func (p faBase) CurrentNote() string {
	for _, t := range p.FA.Texts {
		if t.Current {
			return t.Note
		}
	}
	return ""
}

// Illustrative reports whether the note says the figures are illustrative.
func (p faBase) Illustrative() bool {
	return strings.Contains(strings.ToLower(p.CurrentNote()), "illustrative")
}

// VersionLabel is the current text's version ("WCIT-12/FA(Corr.1)").
func (p faBase) VersionLabel() string {
	for _, t := range p.FA.Texts {
		if t.Current {
			return t.VersionLabel
		}
	}
	return p.FA.Number
}

func (h *handler) faBase(r *http.Request, title string) (faBase, *forum.Scope, error) {
	b, f, _, err := h.ForumBase(r, title, "final-acts")
	if err != nil {
		return faBase{}, nil, err
	}
	sc := h.Scope(r, f)
	p := faBase{Base: b, Zone: h.zoneOf(r, sc), Now: h.svc.FinalActs.Now()}
	if p.FA, err = h.svc.FinalActs.FinalActs(r.Context(), sc, r.PathValue("id")); err != nil {
		return p, sc, err
	}
	p.EIDs = export.ProvisionEID(export.FinalActs{Provisions: provisionsOf(p.FA)})
	p.Title = title + ": " + p.FA.Number + " · " + f.Title
	return p, sc, nil
}

// faPage is the final acts' page: the text with the declarations beside
// its provisions, the tallies and the map, statements, and the forms.
type faPage struct {
	faBase
	// Live is the final acts' event stream, while signature is not yet
	// closed: the tallies and the map follow each signature and deposit.
	Live        string
	Instruments []instrument
	Tally       finalacts.Tally
	Map         template.HTML
	MapTable    worldmap.Table
	Statements  []finalacts.Statement
	MaySign     bool
	MayDeposit  bool
	MayState    bool
	MayAdmin    bool
	Parties     []participation.Party
	// ReviseTexts are the texts the revise form offers: those the final
	// acts include, in their order, then the other adopted texts.
	ReviseTexts []reviseText
}

// reviseText is an adopted text on the revise form, and whether the final
// acts include it now.
type reviseText struct {
	adoptedText
	In bool
}

// Keeps reports whether the revise form checks draft id: as the refused
// form sent it, or as the final acts include it now.
func (p faPage) Keeps(t reviseText) bool {
	if p.Form == "revise" {
		return p.Chose("texts", t.ID)
	}
	return t.In
}

// Place is the place the revise form gives draft id.
func (p faPage) Place(id string, i int) string {
	if p.Form == "revise" {
		return p.Sent.Get("order-" + id)
	}
	return strconv.Itoa(i + 1)
}

// timeForm is one of the secretariat's forms that state a time.
type timeForm struct {
	Action, Legend, Label, Value string
}

// TimeForms are the secretariat's forms to open and close the final acts
// for signature and to set the cut-off, with the times set so far.
func (p faPage) TimeForms() []timeForm {
	return []timeForm{
		{"open", "Open for signature", "Opens", p.LocalValue(p.FA.OpensAt)},
		{"close", "Close for signature", "Closes", p.LocalValue(p.FA.ClosesAt)},
		{"cutoff", "Set the cut-off for declarations and reservations", "Cut-off", p.LocalValue(p.FA.CutoffAt)},
	}
}

// DraftPath is the page of an adopted draft text.
func (p faPage) DraftPath(id string) string {
	return "/forums/" + p.Forum.Slug + "/drafts/" + url.PathEscape(id)
}

// FeedPath is the Atom feed of signatures.
func (p faPage) FeedPath() string { return p.FAPath() + "/signatures.atom" }

func (h *handler) faPage(r *http.Request) (faPage, error) {
	fb, sc, err := h.faBase(r, finalActsLabel())
	if err != nil {
		return faPage{}, err
	}
	ctx := r.Context()
	p := faPage{faBase: fb}
	p.Title = fb.FA.Number + ": " + fb.FA.Title + " · " + fb.Forum.Title
	for _, pr := range p.FA.Provisions {
		if n := len(p.Instruments); n == 0 || p.Instruments[n-1].Title != pr.Instrument {
			p.Instruments = append(p.Instruments, instrument{Title: pr.Instrument, DraftID: pr.DraftID, DraftNumber: pr.DraftNumber, Revision: pr.DraftRevision})
		}
		last := &p.Instruments[len(p.Instruments)-1]
		last.Provisions = append(last.Provisions, pr)
	}
	svc := h.svc.FinalActs
	if p.Tally, err = svc.Tally(ctx, sc, p.FA.ID); err != nil {
		return p, err
	}
	if p.Map, p.MapTable, err = drawMap(p.faBase, p.Tally); err != nil {
		return p, err
	}
	if p.Statements, err = svc.Statements(ctx, sc, finalacts.TargetInput{Kind: finalacts.OnDocument, ID: p.FA.ID}); err != nil {
		return p, err
	}
	if p.MaySign, err = svc.MaySign(ctx, sc, p.FA.ID, ""); err != nil {
		return p, err
	}
	if p.MayDeposit, err = svc.MayDeposit(ctx, sc, p.FA.ID); err != nil {
		return p, err
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return p, err
	}
	if p.MayState, err = h.mayState(r, sc, v); err != nil {
		return p, err
	}
	if p.MayAdmin, err = svc.MayAdminister(ctx, sc); err != nil {
		return p, err
	}
	if p.MayAdmin {
		if p.Parties, err = h.svc.Participation.Parties(ctx, sc); err != nil {
			return p, err
		}
		adopted, err := h.adopted(r, sc)
		if err != nil {
			return p, err
		}
		byID := map[string]adoptedText{}
		for _, a := range adopted {
			byID[a.ID] = a
		}
		for _, in := range p.Instruments {
			if a, ok := byID[in.DraftID]; ok {
				p.ReviseTexts = append(p.ReviseTexts, reviseText{adoptedText: a, In: true})
				delete(byID, in.DraftID)
			}
		}
		for _, a := range adopted {
			if _, ok := byID[a.ID]; ok {
				p.ReviseTexts = append(p.ReviseTexts, reviseText{adoptedText: a})
			}
		}
	}
	return p, nil
}

// statusOf is a state's status on the map.
func statusOf(st finalacts.State) worldmap.Status {
	switch st {
	case finalacts.Signed:
		return worldmap.Signed
	case finalacts.SignedSubjectToRatification:
		return worldmap.SignedSubject
	case finalacts.Declined:
		return worldmap.Declined
	}
	return worldmap.NotYet
}

// drawMap draws who signed on the world map: each party that is a
// country the map knows, linked to its row of the signatures list.
func drawMap(p faBase, t finalacts.Tally) (template.HTML, worldmap.Table, error) {
	m := worldmap.Map{ID: "signatures-map", Title: "Who signed " + p.FA.Number,
		Legend: []worldmap.Status{worldmap.Signed, worldmap.SignedSubject, worldmap.Declined, worldmap.NotYet}}
	if p.Closed() {
		// Once signature has closed, a party without a signature did not sign.
		m.Labels = map[worldmap.Status]string{worldmap.NotYet: "Did not sign"}
	}
	seen := map[string]bool{}
	for _, ps := range t.Parties {
		code := strings.ToUpper(ps.Party.ISO3)
		if code == "" || seen[code] || !worldmap.Placeable(code) {
			continue
		}
		seen[code] = true
		m.States = append(m.States, worldmap.State{Code: code, Name: ps.Party.Name, Status: statusOf(ps.State), Href: p.PartyHref(ps.Party.Code)})
	}
	if len(m.States) == 0 {
		return "", worldmap.Table{}, nil
	}
	svg, err := m.SVG()
	if err != nil {
		return "", worldmap.Table{}, err
	}
	tab, err := m.Table()
	return svg, tab, err
}

func (h *handler) showFinalActs(w http.ResponseWriter, r *http.Request) error {
	p, err := h.faPage(r)
	if err != nil {
		return err
	}
	if !p.Closed() {
		p.Live = p.FAPath() + "/events"
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Render(w, r, http.StatusOK, "fa_page", p)
	return nil
}

// signatureRow is a party's line in the signatures list.
type signatureRow struct {
	finalacts.PartyState
	Sig *finalacts.Signature
}

// signaturesPage lists where each party stands, with its signature.
type signaturesPage struct {
	faBase
	Rows []signatureRow
	// Acts are every signature act, in order.
	Acts []finalacts.Signature
}

func (h *handler) showSignatures(w http.ResponseWriter, r *http.Request) error {
	fb, sc, err := h.faBase(r, "Signatures")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := signaturesPage{faBase: fb}
	t, err := h.svc.FinalActs.Tally(ctx, sc, fb.FA.ID)
	if err != nil {
		return err
	}
	sigs, err := h.svc.FinalActs.Signatures(ctx, sc, fb.FA.ID)
	if err != nil {
		return err
	}
	by := map[string]*finalacts.Signature{}
	for i := range sigs {
		by[sigs[i].Party.Code] = &sigs[i]
	}
	for _, ps := range t.Parties {
		p.Rows = append(p.Rows, signatureRow{PartyState: ps, Sig: by[ps.Party.Code]})
	}
	if p.Acts, err = h.svc.FinalActs.SignatureActs(ctx, sc, fb.FA.ID); err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "fa_signatures", p)
	return nil
}

// declarationsPage is the declarations and reservations, by number.
type declarationsPage struct {
	faBase
	Declarations []finalacts.Declaration
	MayDeposit   bool
}

// Heading is a declaration's heading in the ITU layout: "No. 12 —
// Reservation — Germany, France — on Article 5".
func (p declarationsPage) Heading(d finalacts.Declaration) string {
	kind := d.Kind.Label()
	if d.Additional {
		kind = "Additional " + strings.ToLower(kind)
	}
	s := "No. " + strconv.Itoa(d.Number) + " — " + kind + " — " + p.Names(d.Parties)
	if len(d.ProvisionNames) > 0 {
		s += " — on " + strings.Join(d.ProvisionNames, ", ")
	} else {
		s += " — on the final acts as a whole"
	}
	return s
}

// answer is a number a declaration answers, with what comes before it.
type answer struct {
	N   int
	Sep string
}

// Answers are the numbers d answers, for "Nos. 3, 5 and 7".
func (declarationsPage) Answers(d finalacts.Declaration) []answer {
	out := make([]answer, len(d.References))
	for i, n := range d.References {
		out[i].N = n
		switch {
		case i == 0:
		case i == len(d.References)-1:
			out[i].Sep = " and "
		default:
			out[i].Sep = ", "
		}
	}
	return out
}

// concern is a provision a declaration concerns, with its link.
type concern struct{ Href, Name string }

// Concerns are the provisions d concerns, linked to the text.
func (p declarationsPage) Concerns(d finalacts.Declaration) []concern {
	out := make([]concern, len(d.Provisions))
	for i, k := range d.Provisions {
		out[i] = concern{Href: p.ProvisionHref(k), Name: k}
		if i < len(d.ProvisionNames) {
			out[i].Name = d.ProvisionNames[i]
		}
	}
	return out
}

func (h *handler) showDeclarations(w http.ResponseWriter, r *http.Request) error {
	fb, sc, err := h.faBase(r, "Declarations and reservations")
	if err != nil {
		return err
	}
	p := declarationsPage{faBase: fb}
	if p.Declarations, err = h.svc.FinalActs.Declarations(r.Context(), sc, fb.FA.ID); err != nil {
		return err
	}
	if p.MayDeposit, err = h.svc.FinalActs.MayDeposit(r.Context(), sc, fb.FA.ID); err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "fa_declarations", p)
	return nil
}

// declarePage is the form to deposit a declaration or a reservation.
type declarePage struct {
	faBase
	MayDeposit bool
	// Refusal says why the viewer may not deposit, when not.
	Refusal      string
	Parties      []participation.Party
	Declarations []finalacts.Declaration
	Secretariat  bool
}

// Kinds are the kinds of declarations.
func (declarePage) Kinds() []finalacts.DeclarationKind {
	return []finalacts.DeclarationKind{finalacts.KindDeclaration, finalacts.KindReservation}
}

func (h *handler) declarePage(r *http.Request) (declarePage, error) {
	fb, sc, err := h.faBase(r, "Deposit a declaration or reservation")
	if err != nil {
		return declarePage{}, err
	}
	ctx := r.Context()
	p := declarePage{faBase: fb}
	if p.MayDeposit, err = h.svc.FinalActs.MayDeposit(ctx, sc, fb.FA.ID); err != nil {
		return p, err
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return p, err
	}
	p.Secretariat = v.Secretariat
	switch {
	case p.MayDeposit:
	case !sc.Actor.LoggedIn():
		p.Refusal = "Log in as a delegate of a party with the right to file reservations to deposit a declaration or reservation."
	default:
		// Refused by the rule, or else by the time: the cut-off passed.
		_, aerr := sc.As(sc.Actor).Authorize(ctx, rules.FileReservation, "")
		switch {
		case aerr != nil && !v.Secretariat:
			if _, err := forum.Allowed(aerr); err != nil {
				return p, err
			}
			p.Refusal = web.UpperFirst(plenary.AsError(aerr).Message) + "."
		case fb.FA.CutoffAt != nil:
			p.Refusal = "The cut-off for declarations and reservations on " + fb.FA.Number + " was " + fb.Local(fb.FA.CutoffAt) + "."
		case fb.FA.ClosesAt != nil:
			p.Refusal = fb.FA.Number + " closed for signature on " + fb.Local(fb.FA.ClosesAt) + "; declarations and reservations are deposited before signature."
		default:
			p.Refusal = "You may not deposit a declaration or reservation on " + fb.FA.Number + " now."
		}
	}
	if p.Parties, err = h.svc.Participation.Parties(ctx, sc); err != nil {
		return p, err
	}
	if p.Declarations, err = h.svc.FinalActs.Declarations(ctx, sc, fb.FA.ID); err != nil {
		return p, err
	}
	return p, nil
}

func (h *handler) showDeclare(w http.ResponseWriter, r *http.Request) error {
	p, err := h.declarePage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "fa_declare", p)
	return nil
}

// signPage is the signing page of a head of delegation or a named
// delegate: exactly which text is signed and what each choice means, or
// why the viewer may not sign.
type signPage struct {
	faBase
	MaySign bool
	// Refusal is the rule's sentence when the viewer may not sign.
	Refusal string
	// Party is the viewer's party; Delegates are the delegates the head
	// may name to sign, and Signers those named.
	Party     string
	MayName   bool
	Delegates []participation.Registration
	Signers   []finalacts.Signer
	// MayCredential: the viewer is the secretariat, who names a signer
	// from the credentials; ByParty are the approved delegates of every
	// party, for its form.
	MayCredential bool
	ByParty       []partyDelegates
}

// partyDelegates are a party's approved delegates.
type partyDelegates struct {
	Party     string
	Delegates []participation.Registration
}

// CredentialValue is the form's value for naming reg from the
// credentials: its party and its registration.
func (signPage) CredentialValue(reg participation.Registration) string {
	return reg.PartyCode + "|" + reg.ID
}

// States are the choices of the form, with what each means.
func (signPage) States() []stateChoice {
	return []stateChoice{
		{finalacts.Signed, "Your delegation signs the final acts as they stand."},
		{finalacts.SignedSubjectToRatification, "Your delegation signs; the State is bound only once it ratifies them."},
		{finalacts.Declined, "Your delegation declines to sign, on the record. It may still sign while the final acts are open."},
	}
}

type stateChoice struct {
	State   finalacts.State
	Meaning string
}

func (h *handler) signPage(r *http.Request) (signPage, error) {
	fb, sc, err := h.faBase(r, "Signature")
	if err != nil {
		return signPage{}, err
	}
	ctx := r.Context()
	p := signPage{faBase: fb}
	svc := h.svc.FinalActs
	if rerr := svc.SignRefusal(ctx, sc, fb.FA.ID, ""); rerr != nil {
		if _, aerr := forum.Allowed(rerr); aerr != nil {
			return p, aerr
		}
		p.Refusal = web.UpperFirst(plenary.AsError(rerr).Message) + "."
	} else {
		p.MaySign = true
	}
	if p.Signers, err = svc.Signers(ctx, sc, fb.FA.ID); err != nil {
		return p, err
	}
	if sc.Actor.LoggedIn() {
		v, err := sc.Viewer(ctx)
		if err != nil {
			return p, err
		}
		if v.Secretariat {
			regs, err := h.svc.Participation.ApprovedOfParties(ctx, h.svc.Kernel.Store(), sc.Forum, rules.RoleDelegate)
			if err != nil {
				return p, err
			}
			p.MayCredential = true
			for _, reg := range regs {
				if n := len(p.ByParty); n == 0 || p.ByParty[n-1].Party != reg.PartyName {
					p.ByParty = append(p.ByParty, partyDelegates{Party: reg.PartyName})
				}
				last := &p.ByParty[len(p.ByParty)-1]
				last.Delegates = append(last.Delegates, reg)
			}
			slices.SortStableFunc(p.ByParty, func(a, b partyDelegates) int { return strings.Compare(a.Party, b.Party) })
		}
		c, aerr := sc.As(sc.Actor).Authorize(ctx, rules.Sign, "")
		if aerr == nil && c.Role == string(rules.RoleHeadOfDelegation) && c.PartyID != "" {
			p.Party, p.MayName = c.PartyName, true
			if p.Delegates, err = h.delegates(r, sc, c.PartyID); err != nil {
				return p, err
			}
		}
	}
	return p, nil
}

// delegates are the approved delegates of a party, whom its head may name
// to sign.
func (h *handler) delegates(r *http.Request, sc *forum.Scope, partyID string) ([]participation.Registration, error) {
	return h.svc.Participation.ApprovedOfParty(r.Context(), h.svc.Kernel.Store(), sc.Forum, partyID, rules.RoleDelegate)
}

func (h *handler) showSign(w http.ResponseWriter, r *http.Request) error {
	p, err := h.signPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Render(w, r, http.StatusOK, "fa_sign", p)
	return nil
}

// timeOf reads a datetime-local field in the forum's zone; empty is now.
func timeOf(field, s string, zone *time.Location) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, zone)
	if err != nil {
		return nil, plenary.Invalid(field, "must be a date and time such as 2012-12-14T10:00, in the forum's time zone (%s)", zone)
	}
	return &t, nil
}

// numbersOf reads declaration numbers, comma-separated or ticked.
func numbersOf(field string, vs []string) ([]int, error) {
	var out []int
	for _, v := range vs {
		for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(s), "No."))
			if err != nil || n < 1 {
				return nil, plenary.Invalid(field, "must be the numbers of earlier declarations or reservations, such as 3, 7")
			}
			out = append(out, n)
		}
	}
	return out, nil
}

// act runs a form of final acts: back to the page (303) on success;
// refused input re-renders the form's page with the input kept and the
// field named.
func (h *handler) act(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	_ = r.ParseForm()
	id, action := r.PathValue("id"), r.PathValue("action")
	v := r.PostFormValue
	svc := h.svc.FinalActs
	fa, err := svc.FinalActs(ctx, sc, id)
	if err != nil {
		return err
	}
	back := Path(sc.Forum.Slug, fa.ID)
	zone := h.zoneOf(r, sc)
	var flash string
	page := "fa_page"
	switch action {
	case "sign":
		page = "fa_sign"
		var sig finalacts.Signature
		sig, err = svc.Sign(ctx, sc, fa.ID, finalacts.SignInput{State: finalacts.State(v("state")), Hash: v("hash"), Note: v("note")})
		if err == nil {
			flash = sig.Party.Name + ": " + strings.ToLower(sig.StateLabel) + ", on the text " + sig.Hash + "."
			back += "/signatures#party-" + url.PathEscape(sig.Party.Code)
		}
	case "signer":
		page = "fa_sign"
		var s finalacts.Signer
		in := finalacts.SignerInput{Party: v("party"), Registration: v("registration"), Basis: v("basis")}
		if c := v("credential"); c != "" {
			// The secretariat's form: a delegate of a party, named in
			// the credentials.
			in.Party, in.Registration, _ = strings.Cut(c, "|")
			in.Basis = finalacts.BasisCredentials
		}
		s, err = svc.NameSigner(ctx, sc, fa.ID, in)
		if err == nil {
			flash = s.Name + " is named to sign for " + s.Party.Name + "."
			back += "/sign"
		}
	case "declarations":
		page = "fa_declare"
		in := finalacts.DepositInput{Kind: finalacts.DeclarationKind(v("kind")), Parties: r.PostForm["parties"], Provisions: r.PostForm["provisions"], Text: v("text")}
		if in.References, err = numbersOf("references", r.PostForm["references"]); err == nil {
			in.Additional = len(in.References) > 0
			var d finalacts.Declaration
			if d, err = svc.Deposit(ctx, sc, fa.ID, in); err == nil {
				flash = d.KindLabel + " No. " + strconv.Itoa(d.Number) + " is deposited."
				back += "/declarations#decl-" + strconv.Itoa(d.Number)
			}
		}
	case "statements":
		flash = "The statement is on the record."
		_, err = svc.FileStatement(ctx, sc, finalacts.StatementInput{Kind: finalacts.StatementKind(v("kind")),
			Target: finalacts.TargetInput{Kind: finalacts.OnDocument, ID: fa.ID}, Party: v("party"), Author: v("author"), Text: v("text")})
		back += "#statements-h"
	case "revise":
		var texts []finalacts.TextInput
		if texts, err = textsOf(r.PostForm); err == nil && len(texts) == 0 && v("picker") != "" {
			// The form's picker with nothing checked: not "keep them all".
			err = plenary.Invalid("texts", "check at least one adopted text for the final acts")
		}
		if err == nil {
			var out finalacts.FinalActs
			if out, err = svc.Revise(ctx, sc, fa.ID, finalacts.ReviseInput{Title: v("title"), Texts: texts, Kind: v("kind"), Note: v("note")}); err == nil {
				flash = "The final acts are revised: the text's hash is now " + out.Hash + "."
			}
		}
	case "open", "close", "cutoff":
		var at *time.Time
		if at, err = timeOf("at", v("at"), zone); err == nil {
			in := finalacts.TimeInput{At: at}
			switch action {
			case "open":
				flash = "The final acts are opened for signature."
				_, err = svc.OpenForSignature(ctx, sc, fa.ID, in)
			case "close":
				flash = "The final acts are closed for signature."
				_, err = svc.CloseForSignature(ctx, sc, fa.ID, in)
			default:
				flash = "The cut-off for declarations and reservations is set."
				_, err = svc.SetCutoff(ctx, sc, fa.ID, in)
			}
		}
	default:
		return plenary.NotFound("no form %q on final acts", action)
	}
	if err != nil {
		fill := func(f *forms) { f.Form, f.Sent = action, r.PostForm }
		switch page {
		case "fa_sign":
			return web.RefuseForm(h.Core, w, r, invalid(err), page, h.signPage, func(p *signPage) { fill(&p.forms) })
		case "fa_declare":
			return web.RefuseForm(h.Core, w, r, invalid(err), page, h.declarePage, func(p *declarePage) { fill(&p.forms) })
		}
		return web.RefuseForm(h.Core, w, r, invalid(err), page, h.faPage, func(p *faPage) { fill(&p.forms) })
	}
	return h.Redirect(w, r, back, flash)
}

// events streams the events of one final acts (signatures, deposits,
// statements, the window), named "finalacts", to its page: htmx fetches
// the page's fragment of where signature stands on each.
func (h *handler) events(w http.ResponseWriter, r *http.Request) error {
	_, f, v, err := h.ForumBase(r, "", "")
	if err != nil {
		return err
	}
	fa, err := h.svc.FinalActs.FinalActs(r.Context(), h.Scope(r, f), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.ServeStream(w, r, f, v, func(ev ledger.Event) bool { return ofFinalActs(ev, fa.ID) },
		func(ledger.Event) string { return "finalacts" })
}

// ofFinalActs reports whether ev is an event of the final acts id.
func ofFinalActs(ev ledger.Event, id string) bool {
	if !strings.HasPrefix(ev.Type, "finalacts.") {
		return false
	}
	var p struct {
		FinalActs string `json:"final_acts"`
	}
	return json.Unmarshal(ev.Payload, &p) == nil && p.FinalActs == id
}
