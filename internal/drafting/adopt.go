package drafting

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text/render"
)

// DraftDocAdopted is a draft text's revision as adopted by a decision,
// filed as a numbered document ("Opinion 5 as adopted").
const DraftDocAdopted = "adopted"

// Adoption is where a draft text stands with respect to the decisions
// taken on it: the revision adopted and the decision that adopted it, or
// nothing while it is open to proposals.
type Adoption struct {
	Revision int       `json:"revision"`
	Decision string    `json:"decision"`
	At       time.Time `json:"adopted_at"`
}

// AdoptionOf reads whether a draft text was adopted; false when it takes
// proposals.
func (s *Service) AdoptionOf(ctx context.Context, q store.Querier, draftID string) (Adoption, bool, error) {
	var a Adoption
	var at int64
	err := q.QueryRowContext(ctx, "SELECT adopted_rev, adopted_by, adopted_at FROM drafts WHERE id = ?", draftID).Scan(&a.Revision, &a.Decision, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Adoption{}, false, plenary.NotFound("no such draft text")
	}
	if err != nil || a.Revision == 0 {
		return Adoption{}, false, err
	}
	a.At = time.UnixMilli(at).UTC()
	return a, true, nil
}

// checkNotAdopted refuses new proposals to an adopted draft text.
func (s *Service) checkNotAdopted(ctx context.Context, q store.Querier, dt DraftText) error {
	a, ok, err := s.AdoptionOf(ctx, q, dt.ID)
	if err != nil || !ok {
		return err
	}
	return plenary.Conflict("%s was adopted (revision %d) by a decision on the record; it takes no new proposals unless a decision reopens it", dt.Number, a.Revision)
}

// MarkAdopted records, inside the transaction of the decision that
// adopted it, that revision of the draft text was adopted by decisionRef,
// and files the adopted text as a numbered document titled title (e.g.
// "Opinion 5 as adopted"), linked to the draft. The decision's command has
// authorized the act; this only records it. The revision must be the
// current one.
func (s *Service) MarkAdopted(ctx context.Context, tx *store.Tx, sc *forum.Scope, draftID string, revision int, decisionRef, title string) (documents.Document, error) {
	f := sc.Forum
	dt, err := s.lockDraft(ctx, tx, f, draftID)
	if err != nil {
		return documents.Document{}, err
	}
	if revision == 0 {
		revision = dt.Revision
	}
	if revision != dt.Revision {
		return documents.Document{}, plenary.Conflict("revision %d of %s is not its current revision (%d): only the current text can be adopted", revision, dt.Number, dt.Revision)
	}
	if err := s.checkNotAdopted(ctx, tx, dt); err != nil {
		return documents.Document{}, err
	}
	d, _, err := s.loadRevision(ctx, tx, dt, revision)
	if err != nil {
		return documents.Document{}, err
	}
	if strings.TrimSpace(title) == "" {
		title = dt.Title + " as adopted"
	}
	md := string(render.Markdown(d))
	doc, err := s.documents.CreateDocumentTx(ctx, tx, sc.Actor, f, documents.DocumentInput{Type: documents.DocTemporary,
		Title: title, Text: md, Visibility: dt.Visibility})
	if err != nil {
		return documents.Document{}, err
	}
	now := forum.NowUTC().UnixMilli()
	if _, err := tx.ExecContext(ctx, "UPDATE drafts SET adopted_rev = ?, adopted_by = ?, adopted_at = ? WHERE id = ?", revision, decisionRef, now, dt.ID); err != nil {
		return documents.Document{}, err
	}
	seq, err := emitDraftingEvent(ctx, tx, f, sc.Actor, "draft.adopted", dt.Visibility, map[string]any{
		"draft_id": dt.ID, "number": dt.Number, "revision": revision, "decision": decisionRef, "document_id": doc.ID,
		"document_number": doc.Number, "text_sha256": documents.TextHash(md)}, map[string]any{})
	if err != nil {
		return documents.Document{}, err
	}
	if err := recordDraftDocument(ctx, tx, doc.ID, dt.ID, DraftDocAdopted, revision, 0, seq); err != nil {
		return documents.Document{}, err
	}
	return doc, nil
}

// ReopenAdopted records, inside the transaction of the decision that
// reopened it, that an adopted draft text takes proposals again, with the
// reason on the record.
func (s *Service) ReopenAdopted(ctx context.Context, tx *store.Tx, sc *forum.Scope, draftID, decisionRef, reason string) (DraftText, error) {
	dt, err := s.lockDraft(ctx, tx, sc.Forum, draftID)
	if err != nil {
		return DraftText{}, err
	}
	a, ok, err := s.AdoptionOf(ctx, tx, dt.ID)
	if err != nil {
		return DraftText{}, err
	}
	if !ok {
		return DraftText{}, plenary.Conflict("%s was not adopted; there is nothing to reopen", dt.Number)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE drafts SET adopted_rev = 0, adopted_by = '', adopted_at = 0 WHERE id = ?", dt.ID); err != nil {
		return DraftText{}, err
	}
	_, err = emitDraftingEvent(ctx, tx, sc.Forum, sc.Actor, "draft.reopened", dt.Visibility, map[string]any{
		"draft_id": dt.ID, "number": dt.Number, "revision": a.Revision, "decision": decisionRef, "reason": reason}, map[string]any{})
	return dt, err
}
