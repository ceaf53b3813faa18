package drafting

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/web"
)

// The compilation of a draft text frozen as a numbered document (the
// DT/1 of a conference), from its compilation page; and, on a document's
// page, the draft text a frozen compilation or a revision in a series was
// filed from.

// freezeForm is the compilation page's form to freeze it: shown to those
// who may, with the forum's series to choose from.
type freezeForm struct {
	May    bool
	In     drafting.FreezeInput
	Series []documents.Series
}

// loadFreeze fills the compilation page's frozen compilations and, for
// those who may freeze it, the form.
func (h *handler) loadFreeze(r *http.Request, f forum.Forum, p *compilationPage, in drafting.FreezeInput) error {
	ctx := r.Context()
	sc := h.Scope(r, f)
	var err error
	if p.Frozen, err = h.svc.Drafting.DraftDocuments(ctx, sc, p.Draft.ID, drafting.DraftDocCompilation); err != nil {
		return err
	}
	if p.Freeze.May, err = h.svc.Drafting.MayFreezeCompilation(ctx, sc); err != nil || !p.Freeze.May {
		return err
	}
	p.Freeze.In = in
	p.Freeze.Series, err = h.svc.Documents.DocSeries(ctx, sc)
	return err
}

func (h *handler) freezeCompilation(w http.ResponseWriter, r *http.Request) error {
	in := drafting.FreezeInput{Series: r.PostFormValue("series"), Title: r.PostFormValue("title")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	doc, err := h.svc.Drafting.FreezeCompilation(r.Context(), sc, r.PathValue("id"), in)
	if status, errs, problem, ok := freezeProblem(err); ok {
		p, f, err := h.compilationPage(r)
		if err != nil {
			return err
		}
		if err := h.loadFreeze(r, f, &p, in); err != nil {
			return err
		}
		p.Errors, p.Problem = errs, problem
		h.Render(w, r, status, "draft_compilation", p)
		return nil
	}
	if err != nil {
		return err
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/documents/"+doc.ID,
		"The compilation is frozen as "+doc.Number+", with the proposals as they stand.")
}

// freezeProblem is what a refused freeze re-renders the compilation page
// with: invalid input as 422 with its fields, a refusal as 403 with the
// rule that refused it.
func freezeProblem(err error) (int, map[string]string, string, bool) {
	if errs, problem, ok := web.FieldErrors(err); ok {
		return http.StatusUnprocessableEntity, errs, problem, true
	}
	var pe *plenary.Error
	if errors.As(err, &pe) && pe.Code == plenary.CodeForbidden {
		return http.StatusForbidden, map[string]string{}, pe.Message, true
	}
	return 0, nil, "", false
}

// originView is the draft text a document was filed from, as its page
// shows it.
type originView struct {
	drafting.DraftDocument
	DraftPath string
	// RecordPath is the forum's record from the event that filed it.
	RecordPath string
}

// Compilation reports whether the document is a frozen compilation (else
// a revision issued in a series).
func (o originView) Compilation() bool { return o.Kind == drafting.DraftDocCompilation }

// origin is the draft text a document was filed from, or nil.
func (h *handler) origin(p web.Page, f *forum.Forum, d documents.Document) *originView {
	if f == nil || d.Type != documents.DocTemporary {
		return nil
	}
	ctx, cancel := web.ReadContext(p)
	defer cancel()
	dd, ok, err := h.svc.Drafting.DocumentOrigin(ctx, h.svc.Kernel.ScopeOf(forum.ActorFrom(ctx), *f), d.ID)
	if err != nil || !ok {
		return nil
	}
	return &originView{DraftDocument: dd, DraftPath: drafting.DraftPath(*f, dd.DraftID), RecordPath: recordPath(*f, dd.EventSeq)}
}

// recordPath is the forum's record from event seq back.
func recordPath(f forum.Forum, seq int64) string {
	return "/forums/" + f.Slug + "/record?before=" + strconv.FormatInt(seq+1, 10)
}

// issuedRevisions are the revisions of a draft text also issued as
// numbered documents in a series (DT/55), by revision.
func (h *handler) issuedRevisions(r *http.Request, f forum.Forum, draftID string) (map[int]*drafting.DraftDocument, error) {
	dds, err := h.svc.Drafting.DraftDocuments(r.Context(), h.Scope(r, f), draftID, drafting.DraftDocRevision)
	if err != nil {
		return nil, err
	}
	m := make(map[int]*drafting.DraftDocument, len(dds))
	for i := range dds {
		m[dds[i].Revision] = &dds[i]
	}
	return m, nil
}
