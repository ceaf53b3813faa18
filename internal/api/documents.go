package api

import (
	"net/http"
	"strconv"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/search"
)

// DocumentList is the body of GET /forums/{slug}/documents.
type DocumentList struct {
	Documents []documents.Document `json:"documents"`
}

// SeriesList is the body of GET /forums/{slug}/series.
type SeriesList struct {
	Series []documents.Series `json:"series"`
}

// WithdrawInput is the body of the withdrawal of a document, a proposal
// or a registration: an optional reason, for the record (required when
// withdrawing someone else's registration).
type WithdrawInput struct {
	Reason string `json:"reason"`
}

// FileUpload documents the multipart/form-data body of POST
// /forums/{slug}/documents/{id}/files.
type FileUpload struct {
	// File is the file: PDF, DOCX, ODT or UTF-8 plain text. Its type is
	// decided from its bytes, not from the part's Content-Type.
	File Binary `json:"file"`
	// Language is the language code of the file (en, fr...).
	Language string `json:"language,omitempty"`
	// Version is the id or label of the version it belongs to; empty for
	// the latest.
	Version string `json:"version,omitempty"`
}

var documentQuery = map[string]string{
	"type":   "only documents of this type (report, contribution, ...)",
	"party":  "only documents from this party (id or code)",
	"body":   "only documents for this body (slug)",
	"series": "only documents of this numbering series (slug; main is the forum's own)",
	"from":   "only documents dated on or after this day (YYYY-MM-DD)",
	"to":     "only documents dated on or before this day (YYYY-MM-DD)",
	"status": "current or withdrawn",
	"number": "the document with this number (WTPF-13/5)",
}

var searchQuery = map[string]string{
	"q":     `the words to find: "a phrase", -excluded, a OR b, prefix*`,
	"forum": "only in this forum (slug)",
	"kind":  "document or provision",
	"type":  "only documents of this type",
	"party": "only from this party (id; with forum, also its code)",
	"body":  "only for this body (slug; needs forum)",
	"from":  "dated on or after (YYYY-MM-DD)",
	"to":    "dated on or before (YYYY-MM-DD)",
	"page":  "the page of 20 results, from 1",
}

// documentRoutes registers the document and search endpoints.
func (h *Handler) documentRoutes() {
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/documents", ID: "listDocuments", Tag: "documents",
		Summary: "The document register of a forum: what the caller may read", Query: documentQuery, Response: DocumentList{}},
		query(h.listDocuments))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/documents", ID: "submitDocument", Tag: "documents",
		Summary: "Submit a document; it gets the next number of its series", Auth: true,
		Request: documents.DocumentInput{}, Response: documents.Document{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in documents.DocumentInput) (documents.Document, error) {
			return h.svc.Documents.SubmitDocument(r.Context(), sc, in)
		}).at(func(r *http.Request, d documents.Document) string {
			return "/api/v1/forums/" + r.PathValue("slug") + "/documents/" + d.ID
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/documents/{id}", ID: "getDocument", Tag: "documents",
		Summary: "One document with its versions and files, if the caller may read it", Response: documents.Document{}},
		query(func(r *http.Request, sc *forum.Scope) (documents.Document, error) {
			return h.svc.Documents.Document(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/documents/{id}/versions", ID: "addDocumentVersion", Tag: "documents",
		Summary: "Issue a revision (Rev.n), addendum (Add.n) or corrigendum (Corr.n) of a document", Auth: true,
		Request: documents.VersionInput{}, Response: documents.Version{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in documents.VersionInput) (documents.Version, error) {
			return h.svc.Documents.AddVersion(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/documents/{id}/files", ID: "attachDocumentFile", Tag: "documents",
		Summary: "Attach a file (multipart/form-data) to a version of a document", Auth: true,
		Request: FileUpload{}, Consumes: "multipart/form-data", Response: documents.File{}, Status: http.StatusCreated},
		upload(func(r *http.Request, sc *forum.Scope, file uploadedFile) (documents.File, error) {
			return h.svc.Documents.AttachFile(r.Context(), sc, r.PathValue("id"), documents.AttachInput{
				Version:   r.FormValue("version"),
				FileInput: documents.FileInput{Name: file.Name, Language: r.FormValue("language"), Content: file.Content}})
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/documents/{id}/files/{file}", ID: "downloadDocumentFile", Tag: "documents",
		Summary: "Download a file of a document, if the caller may read the document", Response: "", Produces: "application/octet-stream"},
		bulk(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			return h.svc.Documents.ServeFile(w, r, sc, r.PathValue("id"), r.PathValue("file"))
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/documents/{id}/visibility", ID: "setDocumentVisibility", Tag: "documents",
		Summary: "Change who may read a document and its embargo (secretariat); the change is recorded", Auth: true,
		Request: documents.VisibilityInput{}, Response: documents.Document{}},
		command(func(r *http.Request, sc *forum.Scope, in documents.VisibilityInput) (documents.Document, error) {
			return h.svc.Documents.SetDocumentVisibility(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/documents/{id}/withdraw", ID: "withdrawDocument", Tag: "documents",
		Summary: "Withdraw a document; it keeps its number", Auth: true, Request: WithdrawInput{}, Response: documents.Document{}},
		command(func(r *http.Request, sc *forum.Scope, in WithdrawInput) (documents.Document, error) {
			return h.svc.Documents.WithdrawDocument(r.Context(), sc, r.PathValue("id"), in.Reason)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/series", ID: "listSeries", Tag: "documents",
		Summary: "The numbering series of a forum", Response: SeriesList{}},
		query(func(r *http.Request, sc *forum.Scope) (SeriesList, error) {
			ss, err := h.svc.Documents.DocSeries(r.Context(), sc)
			return SeriesList{Series: ss}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/series", ID: "createSeries", Tag: "documents",
		Summary: "Add a numbering series (secretariat): DT/n, WTPF-IEG/3/n", Auth: true,
		Request: documents.SeriesInput{}, Response: documents.Series{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in documents.SeriesInput) (documents.Series, error) {
			return h.svc.Documents.CreateSeries(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "GET", Path: "/search", ID: "search", Tag: "search",
		Summary: "Full-text search over the documents and provisions the caller may read, with highlighted snippets",
		Query:   searchQuery, Response: search.Result{}},
		siteQuery(h.search))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/search", ID: "searchForum", Tag: "search",
		Summary: "Full-text search within one forum", Query: searchQuery, Response: search.Result{}},
		siteQuery(h.search))
}

func (h *Handler) listDocuments(r *http.Request, sc *forum.Scope) (DocumentList, error) {
	ctx := r.Context()
	q := r.URL.Query()
	if n := q.Get("number"); n != "" {
		d, err := h.svc.Documents.DocumentByNumber(ctx, sc, n)
		if err != nil {
			return DocumentList{}, err
		}
		d.Text, d.Versions = "", nil
		return DocumentList{Documents: []documents.Document{d}}, nil
	}
	ds, err := h.svc.Documents.Documents(ctx, sc, documents.DocumentFilter{Type: q.Get("type"), Party: q.Get("party"), Body: q.Get("body"),
		Series: q.Get("series"), From: q.Get("from"), To: q.Get("to"), Status: q.Get("status")})
	return DocumentList{Documents: ds}, err
}

// search searches the whole site, or, for /forums/{slug}/search, the
// forum of the path, which the search itself looks up.
func (h *Handler) search(r *http.Request, a forum.Actor) (search.Result, error) {
	q := r.URL.Query()
	in := documents.SearchInput{Q: q.Get("q"), Forum: q.Get("forum"), Kind: q.Get("kind"), Type: q.Get("type"), Party: q.Get("party"),
		Body: q.Get("body"), From: q.Get("from"), To: q.Get("to")}
	if slug := r.PathValue("slug"); slug != "" {
		in.Forum = slug
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return search.Result{}, plenary.Invalid("page", "must be a number from 1")
		}
		in.Page = n
	}
	res, err := h.svc.Documents.Search(r.Context(), a, in)
	if err != nil {
		return search.Result{}, err
	}
	if res.Hits == nil {
		res.Hits = []search.Hit{}
	}
	return res, nil
}
