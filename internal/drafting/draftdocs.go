package drafting

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Kinds of DraftDocument.
const (
	// DraftDocCompilation is a compilation of proposals frozen as a
	// numbered document (FreezeCompilation).
	DraftDocCompilation = "compilation"
	// DraftDocRevision is a revision also issued as a numbered document
	// in a series (RevisionInput.Series).
	DraftDocRevision = "revision"
)

// DraftDocument is a numbered document a draft text was issued as besides
// its own: a frozen compilation (DT/1) or a revision in a series (DT/55).
type DraftDocument struct {
	DocumentID string `json:"document_id"`
	Number     string `json:"number"`
	Title      string `json:"title"`
	Kind       string `json:"kind"` // compilation or revision
	// Revision is the revision the compilation was made on, or the
	// revision issued.
	Revision int `json:"revision"`
	// Proposals counts the pending proposals a frozen compilation carries.
	Proposals int `json:"proposals"`
	// EventSeq is the record's event that filed it, in the forum's chain.
	EventSeq int64     `json:"event_seq"`
	At       time.Time `json:"at"`
	// DraftID and DraftNumber are the draft text's.
	DraftID     string `json:"draft_id"`
	DraftNumber string `json:"draft_number"`
	DraftTitle  string `json:"draft_title"`
}

// recordDraftDocument notes that doc was filed from the draft dt by the
// event seq.
func recordDraftDocument(ctx context.Context, tx *store.Tx, docID, draftID, kind string, revision, proposals int, seq int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO draft_documents (document_id, draft_id, kind, revision, proposals, event_seq, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, docID, draftID, kind, revision, proposals, seq, forum.NowUTC().UnixMilli())
	return err
}

const draftDocColumns = `dd.document_id, d.number, d.title, dd.kind, dd.revision, dd.proposals, dd.event_seq, dd.created_at,
	dd.draft_id, dt.number, dt.title`

const draftDocFrom = ` FROM draft_documents dd JOIN documents d ON d.id = dd.document_id JOIN documents dt ON dt.id = dd.draft_id`

func scanDraftDocument(sc interface{ Scan(...any) error }) (DraftDocument, error) {
	var dd DraftDocument
	var at int64
	err := sc.Scan(&dd.DocumentID, &dd.Number, &dd.Title, &dd.Kind, &dd.Revision, &dd.Proposals, &dd.EventSeq, &at,
		&dd.DraftID, &dd.DraftNumber, &dd.DraftTitle)
	dd.At = time.UnixMilli(at).UTC()
	return dd, err
}

// visibleDocuments is the condition on the documents d that a may read
// in the list of a forum, and its arguments: those of DraftTexts.
func (s *Service) visibleDocuments(ctx context.Context, sc *forum.Scope) (string, []any, error) {
	v, denied, err := s.documents.ReadAccess(ctx, sc)
	if err != nil {
		return "", nil, err
	}
	if v.Secretariat {
		return "", nil, nil
	}
	vis := []string{ledger.VisPublic}
	if denied == nil {
		vis = v.Visibilities()
	}
	args := make([]any, len(vis))
	for i, x := range vis {
		args[i] = x
	}
	return " AND d.visibility IN (" + store.Placeholders(len(vis)) + ")", args, nil
}

// DraftDocuments lists the numbered documents a draft text was issued as
// besides its own (kind: DraftDocCompilation or DraftDocRevision; "" for
// both), oldest first, those a may read.
func (s *Service) DraftDocuments(ctx context.Context, sc *forum.Scope, draftID, kind string) ([]DraftDocument, error) {
	dt, err := s.DraftText(ctx, sc, draftID)
	if err != nil {
		return nil, err
	}
	cond, vis, err := s.visibleDocuments(ctx, sc)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + draftDocColumns + draftDocFrom + " WHERE dd.draft_id = ?"
	args := []any{dt.ID}
	if kind != "" {
		q += " AND dd.kind = ?"
		args = append(args, kind)
	}
	rows, err := s.store.QueryContext(ctx, q+cond+" ORDER BY dd.created_at, dd.event_seq", append(args, vis...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DraftDocument{}
	for rows.Next() {
		dd, err := scanDraftDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, dd)
	}
	return out, rows.Err()
}

// DocumentOrigin returns the draft text a numbered document was filed
// from (a frozen compilation or a revision in a series), when it was and
// a may read the draft text.
func (s *Service) DocumentOrigin(ctx context.Context, sc *forum.Scope, documentID string) (DraftDocument, bool, error) {
	dd, err := scanDraftDocument(s.store.QueryRowContext(ctx, "SELECT "+draftDocColumns+draftDocFrom+
		" JOIN drafts dr ON dr.id = dd.draft_id WHERE dd.document_id = ? AND dr.forum_id = ?", documentID, sc.Forum.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return DraftDocument{}, false, nil
	}
	if err != nil {
		return DraftDocument{}, false, err
	}
	_, err = s.DraftText(ctx, sc, dd.DraftID)
	if ok, err := forum.Allowed(err); !ok {
		return DraftDocument{}, false, err
	}
	return dd, true, nil
}
