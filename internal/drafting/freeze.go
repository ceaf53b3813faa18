package drafting

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
)

// FreezeInput is the input of FreezeCompilation.
type FreezeInput struct {
	// Series is the slug of the numbering series the compilation is
	// filed in (dt); "" is the forum's main series.
	Series string `json:"series,omitempty"`
	// Title is the document's title; "" names it after the draft.
	Title string `json:"title,omitempty"`
}

// authorizeFreeze is the right to freeze a compilation as a numbered
// document, as FreezeCompilation checks it: whoever may issue a revision.
func (s *Service) authorizeFreeze(ctx context.Context, sc *forum.Scope) (forum.Capacity, error) {
	return s.AuthorizeRevision(ctx, sc)
}

// MayFreezeCompilation reports whether a may freeze the compilations of
// f's draft texts, for pages that offer the form: what FreezeCompilation
// allows.
func (s *Service) MayFreezeCompilation(ctx context.Context, sc *forum.Scope) (bool, error) {
	_, err := s.authorizeFreeze(ctx, sc)
	return forum.Allowed(err)
}

// FreezeCompilation files the compilation of the current revision of a
// draft text, with its pending proposals as they stand, as a new numbered
// temporary document (the DT/1 of a conference). Whoever may issue a
// revision may freeze it; later proposals do not change the document.
func (s *Service) FreezeCompilation(ctx context.Context, sc *forum.Scope, draftID string, in FreezeInput) (documents.Document, error) {
	a := sc.Actor
	f, dt, err := s.draftCommand(ctx, sc, draftID)
	if err != nil {
		return documents.Document{}, err
	}
	in.Series = strings.TrimSpace(in.Series)
	if strings.TrimSpace(in.Title) != "" {
		if in.Title, err = forum.CheckName("title", in.Title, documents.MaxDocTitle); err != nil {
			return documents.Document{}, plenary.AsError(err)
		}
	}
	if _, err := s.authorizeFreeze(ctx, sc); err != nil {
		return documents.Document{}, err
	}
	var doc documents.Document
	err = s.kernel.Command(ctx, sc, "drafting.FreezeCompilation", func(tx *store.Tx, sc *forum.Scope) error {
		dt, err := s.lockDraft(ctx, tx, f, dt.ID)
		if err != nil {
			return err
		}
		d, _, err := s.loadRevision(ctx, tx, dt, 0)
		if err != nil {
			return err
		}
		pend, err := pendingAmendments(ctx, tx, dt.ID, dt.Revision)
		if err != nil {
			return err
		}
		c, err := text.Compile(d, textAmendments(pend))
		if err != nil {
			return err
		}
		anon, err := compilationsAnonymised(ctx, tx, f)
		if err != nil {
			return err
		}
		md := string(render.CompilationMarkdown(c, text.RenderOptions{Anonymised: anon}))
		title := in.Title
		if title == "" {
			title = "Compilation of proposals to " + dt.Current().Label
		}
		doc, err = s.documents.CreateDocumentTx(ctx, tx, a, f, documents.DocumentInput{Type: documents.DocTemporary, Series: in.Series,
			Title: title, Text: md, Visibility: dt.Visibility})
		if err != nil {
			return err
		}
		labels := make([]string, 0, len(pend))
		for _, am := range pend {
			labels = append(labels, am.Label)
		}
		seq, err := emitDraftingEvent(ctx, tx, f, a, "draft.compilation_frozen", dt.Visibility, map[string]any{
			"draft_id": dt.ID, "number": dt.Number, "revision": dt.Revision, "document_id": doc.ID, "document_number": doc.Number,
			"proposals": labels, "collisions": len(c.Collisions), "text_sha256": documents.TextHash(md)}, map[string]any{})
		if err != nil {
			return err
		}
		return recordDraftDocument(ctx, tx, doc.ID, dt.ID, DraftDocCompilation, dt.Revision, len(pend), seq)
	})
	if err != nil {
		return documents.Document{}, err
	}
	return doc, nil
}
