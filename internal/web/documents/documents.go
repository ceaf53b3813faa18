// Package documents is the pages of the documents aggregate: the register
// of a forum's documents, a document with its versions, files, visibility
// and withdrawal, the form to submit one, series, and search; and the
// wording of document events.
package documents

import (
	"embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/web"
)

//go:embed templates
var templateFS embed.FS

// pageTypes pairs each page template with the page struct its handlers
// render it with.
var pageTypes = map[string]any{
	"doc_form":     docFormPage{},
	"doc_page":     docPage{},
	"doc_register": docRegisterPage{},
	"doc_search":   docSearchPage{},
}

// SlotDocumentLinks is the slot of a document's page where other packages
// link to their pages about the document, below its title. Its parts are
// executed with the page, whose Doc is the document and Forum its forum.
const SlotDocumentLinks = "document-links"

// handler serves the documents pages.
type handler struct {
	*web.Core
	svc *app.App
}

// Register adds the documents pages to the HTML face.
func Register(c *web.Core) {
	h := &handler{Core: c, svc: c.App()}
	c.Templates("documents", templateFS, pageTypes)
	c.Slot(SlotDocumentLinks)
	c.Tab(web.Tab{Order: 200, Section: "documents", Path: "/documents", Label: "Documents"})
	c.Tab(web.Tab{Order: 400, Section: "search", Path: "/search", Label: "Search"})
	h.routes()
}

// routes registers the pages of documents and search.
func (h *handler) routes() {
	h.Handle("GET /forums/{slug}/documents", h.showDocumentRegister)
	h.Handle("GET /forums/{slug}/documents/new", h.showSubmitDocument)
	h.handleUpload("POST /forums/{slug}/documents", h.submitDocument)
	h.Handle("GET /forums/{slug}/documents/{id}", h.showDocument)
	h.handleUpload("POST /forums/{slug}/documents/{id}/versions", h.addDocumentVersion)
	h.handleUpload("POST /forums/{slug}/documents/{id}/files", h.attachDocumentFile)
	h.Handle("GET /forums/{slug}/documents/{id}/files/{file}", h.downloadDocumentFile)
	h.Handle("POST /forums/{slug}/documents/{id}/visibility", h.setDocumentVisibility)
	h.Handle("POST /forums/{slug}/documents/{id}/withdraw", h.withdrawDocument)
	h.Handle("POST /forums/{slug}/series", h.createDocSeries)
	h.Handle("GET /forums/{slug}/search", h.showDocumentSearch)
	h.Handle("GET /search", h.showDocumentSearch)
}

func init() {
	num := func(p map[string]any) string {
		if s := web.Str(p, "label"); s != "" {
			return s
		}
		return web.Str(p, "number")
	}
	web.Describe("document.submitted", func(p map[string]any) string {
		return num(p) + " was submitted: " + web.Str(p, "title") + "."
	})
	web.Describe("document.version_added", func(p map[string]any) string {
		return num(p) + " was issued: " + web.Str(p, "title") + "."
	})
	web.Describe("document.file_attached", func(p map[string]any) string {
		return "A file was attached to " + num(p) + "."
	})
	web.Describe("document.visibility_changed", func(p map[string]any) string {
		s := num(p) + " is now " + web.LowerFirst(forum.Label(documents.Visibilities, web.Str(p, "to"))) + "."
		if t := web.Str(p, "embargo_until"); t != "" {
			s += " It becomes public on " + t + "."
		}
		return s
	})
	web.Describe("document.released", func(p map[string]any) string {
		return num(p) + " (" + web.Str(p, "title") + ") became public at the end of its embargo."
	})
	web.Describe("document.withdrawn", func(p map[string]any) string {
		return num(p) + " was withdrawn."
	})
	web.Describe("document_series.created", func(p map[string]any) string {
		return "Documents are now also numbered " + web.Str(p, "prefix") + "/n (" + web.Str(p, "name") + ")."
	})
}

// handleUpload registers a handler for forms that may carry files: the
// body may be as large as the largest file accepted plus room for the
// other fields, and is read as multipart/form-data (or an ordinary form).
// The CSRF token is checked as for every form; the parsed files are
// removed after the handler.
func (h *handler) handleUpload(pattern string, f web.HandlerFunc) {
	h.HandleRaw(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, h.svc.Documents.MaxUploadBytes()+h.Options().MaxBodyBytes)
		var err error
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			err = r.ParseMultipartForm(1 << 20)
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
		} else {
			err = r.ParseForm()
		}
		if err != nil {
			h.Fail(w, r, h.uploadError(err))
			return
		}
		if err := web.CheckCSRF(r); err != nil {
			h.Fail(w, r, err)
			return
		}
		if err := web.CheckFormText(r); err != nil {
			h.Fail(w, r, err)
			return
		}
		if err := f(w, r); err != nil {
			h.Fail(w, r, err)
		}
	}))
}

func (h *handler) uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &plenary.Error{Code: plenary.CodeTooLarge, Field: "file",
			Message: "is larger than the limit of " + documents.ByteSize(h.svc.Documents.MaxUploadBytes())}
	}
	return &plenary.Error{Code: plenary.CodeInvalid, Message: "the form could not be read"}
}

// docFormFiles returns the file chosen in the form's "file" field, with the
// language in "file_language", as the input of a command: none when no
// file was chosen. done releases it.
func docFormFiles(r *http.Request) (fs []documents.FileInput, done func(), err error) {
	done = func() {}
	if r.MultipartForm == nil {
		return nil, done, nil
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) == 0 || fhs[0].Filename == "" && fhs[0].Size == 0 {
		return nil, done, nil
	}
	f, err := fhs[0].Open()
	if err != nil {
		return nil, done, err
	}
	return []documents.FileInput{{Name: fhs[0].Filename, Language: r.PostFormValue("file_language"), Content: f}}, func() { f.Close() }, nil
}

// docRegisterPage is the document register of a forum.
type docRegisterPage struct {
	web.Base
	Docs     []documents.Document
	Filter   documents.DocumentFilter
	Filtered bool
	Types    []forum.Choice
	Parties  []documents.SourceParty
	Bodies   []forum.Body
	Series   []documents.Series
	Viewer   forum.Viewer
	// Query is the filter as a query string, for the live refresh.
	Query string
	Max   int
}

// BodyName returns the name of a body by id.
func (p docRegisterPage) BodyName(id string) string { return docBodyName(p.Bodies, id) }

func docBodyName(bs []forum.Body, id string) string {
	for _, b := range bs {
		if b.ID == id {
			return b.Name
		}
	}
	return ""
}

func docRegisterFilter(q url.Values) documents.DocumentFilter {
	return documents.DocumentFilter{Type: q.Get("type"), Party: q.Get("party"), Body: q.Get("body"), Series: q.Get("series"),
		From: q.Get("from"), To: q.Get("to"), Status: q.Get("status")}
}

func (h *handler) showDocumentRegister(w http.ResponseWriter, r *http.Request) error {
	b, f, v, err := h.ForumBase(r, "Documents", "documents")
	if err != nil {
		return err
	}
	ctx := r.Context()
	q := r.URL.Query()
	if n := strings.TrimSpace(q.Get("number")); n != "" {
		d, err := h.svc.Documents.DocumentByNumber(ctx, h.Scope(r, f), n)
		if err != nil {
			return err
		}
		http.Redirect(w, r, documents.DocumentPath(f, d.ID), http.StatusSeeOther)
		return nil
	}
	flt := docRegisterFilter(q)
	p := docRegisterPage{Base: b, Filter: flt, Types: documents.DocumentTypes, Viewer: v, Max: documents.MaxRegister}
	p.Filtered = flt != documents.DocumentFilter{}
	docs, err := h.svc.Documents.Documents(ctx, h.Scope(r, f), flt)
	if errs, problem, ok := web.FieldErrors(err); ok {
		p.Errors, p.Problem = errs, problem
		docs, err = h.svc.Documents.Documents(ctx, h.Scope(r, f), documents.DocumentFilter{})
	}
	if err != nil {
		return err
	}
	p.Docs = docs
	if p.Parties, err = h.svc.Documents.DocumentParties(ctx, h.Scope(r, f)); err != nil {
		return err
	}
	if p.Bodies, err = h.Scope(r, f).Bodies(ctx); err != nil {
		return err
	}
	if p.Series, err = h.svc.Documents.DocSeries(ctx, h.Scope(r, f)); err != nil {
		return err
	}
	head, err := h.svc.Kernel.Store().HeadSeq(ctx, f.ID)
	if err != nil {
		return err
	}
	p.Live = fmt.Sprintf("/forums/%s/events?since=%d", f.Slug, head)
	p.Query = r.URL.RawQuery
	status := http.StatusOK
	if p.Problem != "" {
		status = http.StatusUnprocessableEntity
	}
	h.Render(w, r, status, "doc_register", p)
	return nil
}

// docFormPage is the form to submit a document.
type docFormPage struct {
	web.Base
	In        documents.DocumentInput
	FileLang  string
	Types     []forum.Choice
	Series    []documents.Series
	Bodies    []forum.Body
	Parties   []documents.SourceParty
	Languages []string
	Viewer    forum.Viewer
	MaxUpload string
}

// Chosen reports whether a party is among the input's parties.
func (p docFormPage) Chosen(id string) bool {
	for _, x := range p.In.Parties {
		if x == id {
			return true
		}
	}
	return false
}

// HasLanguage reports whether the input lists language l.
func (p docFormPage) HasLanguage(l string) bool {
	for _, x := range p.In.Languages {
		if x == l {
			return true
		}
	}
	return false
}

// Accept is the accept attribute of file inputs.
const docAcceptFiles = ".pdf,.docx,.odt,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,text/plain"

// Accept returns the file types the file input offers.
func (p docFormPage) Accept() string { return docAcceptFiles }

func (h *handler) docSubmitForm(r *http.Request, in documents.DocumentInput) (docFormPage, error) {
	b, f, v, err := h.ForumBase(r, "Submit a document", "documents")
	if err != nil {
		return docFormPage{}, err
	}
	ctx := r.Context()
	p := docFormPage{Base: b, In: in, Languages: f.Languages, Viewer: v,
		MaxUpload: documents.ByteSize(h.svc.Documents.MaxUploadBytes())}
	if p.Types, err = h.svc.Documents.SubmittableTypes(ctx, h.Scope(r, f)); err != nil {
		return p, err
	}
	if p.Series, err = h.svc.Documents.DocSeries(ctx, h.Scope(r, f)); err != nil {
		return p, err
	}
	if p.Bodies, err = h.Scope(r, f).Bodies(ctx); err != nil {
		return p, err
	}
	if p.Parties, err = h.svc.Documents.DocumentPartyChoices(ctx, h.Scope(r, f)); err != nil {
		return p, err
	}
	return p, nil
}

func (h *handler) showSubmitDocument(w http.ResponseWriter, r *http.Request) error {
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return plenary.Unauthorized("log in to submit a document")
	}
	p, err := h.docSubmitForm(r, documents.DocumentInput{Type: documents.DocContribution, Visibility: ""})
	if err != nil {
		return err
	}
	if len(p.Languages) > 0 {
		p.In.Languages = p.Languages[:1]
	}
	if !offered(p.Types, p.In.Type) && len(p.Types) > 0 {
		p.In.Type = p.Types[0].Value
	}
	h.Render(w, r, http.StatusOK, "doc_form", p)
	return nil
}

func documentInputFrom(r *http.Request) documents.DocumentInput {
	in := documents.DocumentInput{Type: r.PostFormValue("type"), Series: r.PostFormValue("series"), Title: r.PostFormValue("title"),
		Text: r.PostFormValue("text"), Parties: r.PostForm["parties"], Body: r.PostFormValue("body"),
		AgendaItem: r.PostFormValue("agenda_item"), Languages: r.PostForm["languages"], Visibility: r.PostFormValue("visibility"),
		EmbargoUntil: r.PostFormValue("embargo_until"), IssuedOn: r.PostFormValue("issued_on")}
	if n := strings.TrimSpace(r.PostFormValue("number")); n != "" {
		in.Number, _ = strconv.ParseInt(n, 10, 64)
		if in.Number == 0 {
			in.Number = -1 // not a number: the command says so
		}
	}
	return in
}

func (h *handler) submitDocument(w http.ResponseWriter, r *http.Request) error {
	in := documentInputFrom(r)
	fs, done, err := docFormFiles(r)
	if err != nil {
		return err
	}
	defer done()
	in.Files = fs
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Documents.SubmitDocument(r.Context(), sc, in)
	if status, errs, problem, ok := submitProblem(err); ok {
		p, ferr := h.docSubmitForm(r, in)
		if ferr != nil {
			return ferr
		}
		p.FileLang = r.PostFormValue("file_language")
		p.Errors, p.Problem = errs, problem
		h.Render(w, r, status, "doc_form", p)
		return nil
	}
	if err != nil {
		return err
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/documents/"+d.ID, d.Number+" is filed.")
}

// offered reports whether t is among the choices.
func offered(cs []forum.Choice, t string) bool {
	for _, c := range cs {
		if c.Value == t {
			return true
		}
	}
	return false
}

// submitProblem is docFormProblem extended to refusals: the submission
// form comes back with status 403 and the rule that refused it, what was
// sent kept.
func submitProblem(err error) (int, map[string]string, string, bool) {
	var pe *plenary.Error
	if errors.As(err, &pe) && pe.Code == plenary.CodeForbidden {
		return http.StatusForbidden, map[string]string{}, pe.Message, true
	}
	return docFormProblem(err)
}

// docFormProblem is web.FieldErrors extended to uploads: a file that is too
// large re-renders its form too, with status 413.
func docFormProblem(err error) (int, map[string]string, string, bool) {
	if errs, problem, ok := web.FieldErrors(err); ok {
		return http.StatusUnprocessableEntity, errs, problem, true
	}
	var pe *plenary.Error
	if errors.As(err, &pe) && pe.Code == plenary.CodeTooLarge && pe.Field != "" {
		return http.StatusRequestEntityTooLarge, map[string]string{pe.Field: pe.Message}, "The file was not accepted.", true
	}
	return 0, nil, "", false
}

// docPage is one document.
type docPage struct {
	web.Base
	Doc       documents.Document
	Bodies    []forum.Body
	Series    documents.Series
	Viewer    forum.Viewer
	MayChange bool
	Kinds     []forum.Choice
	MaxUpload string
	// Forms re-rendered after an error: which one, and what was sent.
	Form     string
	Version  documents.VersionInput
	FileLang string
}

// BodyName is the name of the document's body.
func (p docPage) BodyName() string { return docBodyName(p.Bodies, p.Doc.BodyID) }

// Accept returns the file types the file inputs offer.
func (p docPage) Accept() string { return docAcceptFiles }

// VersionsNewestFirst lists the document's versions, the latest first.
func (p docPage) VersionsNewestFirst() []documents.Version {
	vs := make([]documents.Version, len(p.Doc.Versions))
	for i, v := range p.Doc.Versions {
		vs[len(vs)-1-i] = v
	}
	return vs
}

// Paragraphs splits a text into docParagraphs at blank lines.
func (p docPage) Paragraphs(s string) []string { return docParagraphs(s) }

func docParagraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// EmbargoValue is the embargo as a datetime-local field's value.
func (p docPage) EmbargoValue() string {
	if p.Doc.EmbargoUntil == nil {
		return ""
	}
	return p.Doc.EmbargoUntil.UTC().Format("2006-01-02T15:04")
}

// VisibilityKind is the document's visibility as the form's radio value.
func (p docPage) VisibilityKind() string { return p.Doc.VisibilityKind() }

func (h *handler) docPage(r *http.Request) (docPage, error) {
	b, f, v, err := h.ForumBase(r, "", "documents")
	if err != nil {
		return docPage{}, err
	}
	ctx := r.Context()
	d, err := h.svc.Documents.Document(ctx, h.Scope(r, f), r.PathValue("id"))
	if err != nil {
		return docPage{}, err
	}
	b.Title = d.Current + " · " + f.Title
	p := docPage{Base: b, Doc: d, Viewer: v, Kinds: documents.LaterVersionKinds(), MaxUpload: documents.ByteSize(h.svc.Documents.MaxUploadBytes())}
	if p.MayChange, err = h.svc.Documents.MayChangeDocument(ctx, h.Scope(r, f), d); err != nil {
		return p, err
	}
	if p.Bodies, err = h.Scope(r, f).Bodies(ctx); err != nil {
		return p, err
	}
	return p, nil
}

func (h *handler) showDocument(w http.ResponseWriter, r *http.Request) error {
	p, err := h.docPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "doc_page", p)
	return nil
}

// docFormError re-renders the document page with the problem of one of
// its forms, or returns err when it is not about the input.
func (h *handler) docFormError(w http.ResponseWriter, r *http.Request, err error, form string, fill func(*docPage)) error {
	status, errs, problem, ok := docFormProblem(err)
	if !ok {
		return err
	}
	p, perr := h.docPage(r)
	if perr != nil {
		return perr
	}
	p.Form, p.Errors, p.Problem = form, errs, problem
	if fill != nil {
		fill(&p)
	}
	h.Render(w, r, status, "doc_page", p)
	return nil
}

func (h *handler) addDocumentVersion(w http.ResponseWriter, r *http.Request) error {
	in := documents.VersionInput{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Text: r.PostFormValue("text"), Note: r.PostFormValue("note")}
	fs, done, err := docFormFiles(r)
	if err != nil {
		return err
	}
	defer done()
	in.Files = fs
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	v, err := h.svc.Documents.AddVersion(r.Context(), sc, r.PathValue("id"), in)
	if err != nil {
		return h.docFormError(w, r, err, "version", func(p *docPage) { p.Version, p.FileLang = in, r.PostFormValue("file_language") })
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/documents/"+r.PathValue("id"), v.Label+" is issued.")
}

func (h *handler) attachDocumentFile(w http.ResponseWriter, r *http.Request) error {
	fs, done, err := docFormFiles(r)
	if err != nil {
		return err
	}
	defer done()
	in := documents.AttachInput{Version: r.PostFormValue("version"), FileInput: documents.FileInput{Language: r.PostFormValue("file_language")}}
	if len(fs) > 0 {
		in.FileInput = fs[0]
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	fl, err := h.svc.Documents.AttachFile(r.Context(), sc, r.PathValue("id"), in)
	if err != nil {
		return h.docFormError(w, r, err, "file", func(p *docPage) { p.FileLang = in.Language })
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/documents/"+r.PathValue("id"), fl.Name+" is attached.")
}

func (h *handler) setDocumentVisibility(w http.ResponseWriter, r *http.Request) error {
	in := documents.VisibilityInput{Visibility: r.PostFormValue("visibility"), EmbargoUntil: r.PostFormValue("embargo_until")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Documents.SetDocumentVisibility(r.Context(), sc, r.PathValue("id"), in)
	if err != nil {
		return h.docFormError(w, r, err, "visibility", nil)
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/documents/"+d.ID, d.Number+" is now "+web.LowerFirst(d.VisibilityLabel())+".")
}

func (h *handler) withdrawDocument(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Documents.WithdrawDocument(r.Context(), sc, r.PathValue("id"), r.PostFormValue("reason"))
	if err != nil {
		return h.docFormError(w, r, err, "withdraw", nil)
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/documents/"+d.ID, d.Number+" is withdrawn.")
}

func (h *handler) downloadDocumentFile(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	return h.svc.Documents.ServeFile(w, r, sc, r.PathValue("id"), r.PathValue("file"))
}

func (h *handler) createDocSeries(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	ser, err := h.svc.Documents.CreateSeries(r.Context(), sc, documents.SeriesInput{
		Slug: r.PostFormValue("series_slug"), Prefix: r.PostFormValue("prefix"), Name: r.PostFormValue("name"), Body: r.PostFormValue("body")})
	if err != nil {
		return err
	}
	return h.Redirect(w, r, "/forums/"+slug+"/documents", "Documents can now be numbered "+ser.Prefix+"/n.")
}

// docSearchPage is the search form and its results.
type docSearchPage struct {
	web.Base
	In      documents.SearchInput
	Asked   bool
	Result  search.Result
	Forums  []forum.Forum
	Types   []forum.Choice
	Bodies  []forum.Body
	Parties []documents.SourceParty
	Prev    string
	Next    string
}

// ForumTitle is the title of a forum by id, for hits from every forum.
func (p docSearchPage) ForumTitle(id string) string {
	for _, f := range p.Forums {
		if f.ID == id {
			return f.Title
		}
	}
	return ""
}

// HitLabel says what a hit is: the provision of a draft text, a comment
// in a consultation, or a document of its type.
func (p docSearchPage) HitLabel(h search.Hit) string {
	if h.Kind != search.KindDocument {
		return search.KindLabel(h.Kind)
	}
	return forum.Label(documents.DocumentTypes, h.Type)
}

// HitDoc is a hit as a document, for the visibility badge.
func (p docSearchPage) HitDoc(h search.Hit) documents.Document {
	return documents.Document{Visibility: h.Visibility}
}

func (h *handler) showDocumentSearch(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), forum.ActorFrom(r.Context())
	q := r.URL.Query()
	in := documents.SearchInput{Q: q.Get("q"), Forum: q.Get("forum"), Kind: q.Get("kind"), Type: q.Get("type"), Party: q.Get("party"),
		Body: q.Get("body"), From: q.Get("from"), To: q.Get("to")}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1
		}
		in.Page = n
	}
	var p docSearchPage
	if slug := r.PathValue("slug"); slug != "" {
		b, f, _, err := h.ForumBase(r, "Search", "search")
		if err != nil {
			return err
		}
		p.Base, in.Forum = b, f.Slug
		if p.Bodies, err = h.Scope(r, f).Bodies(ctx); err != nil {
			return err
		}
		if p.Parties, err = h.svc.Documents.DocumentParties(ctx, h.Scope(r, f)); err != nil {
			return err
		}
	} else {
		p.Base = h.Base(r, "Search")
	}
	p.In, p.Types = in, documents.DocumentTypes
	var err error
	if p.Forums, err = h.svc.Kernel.Forums(ctx); err != nil {
		return err
	}
	status := http.StatusOK
	if strings.TrimSpace(in.Q) != "" || q.Has("q") {
		p.Asked = true
		p.Result, err = h.svc.Documents.Search(ctx, a, in)
		if errs, problem, ok := web.FieldErrors(err); ok {
			p.Errors, p.Problem, status = errs, problem, http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		}
		page := max(in.Page, 1)
		if page > 1 {
			q.Set("page", strconv.Itoa(page-1))
			p.Prev = "?" + q.Encode()
		}
		if p.Result.More {
			q.Set("page", strconv.Itoa(page+1))
			p.Next = "?" + q.Encode()
		}
	}
	h.Render(w, r, status, "doc_search", p)
	return nil
}
