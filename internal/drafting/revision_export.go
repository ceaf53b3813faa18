package drafting

import (
	"context"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
)

// RevisionExport is what the export formats need of one revision: its
// metadata, its text and the proposals that stood against it, as the
// viewer may see them (without party names when the forum anonymises
// them for the viewer).
type RevisionExport struct {
	Meta       export.Meta
	Text       *text.Draft
	Amendments []text.Amendment
	Attributed bool
}

// ExportRevision gathers revision n (0: the current one) of a draft text
// for export, if a may read it. The exports name their revision in the
// path, so a revision the draft does not have is not found.
func (s *Service) ExportRevision(ctx context.Context, sc *forum.Scope, draftID string, n int) (RevisionExport, error) {
	f := sc.Forum
	dt, err := s.DraftText(ctx, sc, draftID)
	if err != nil {
		return RevisionExport{}, err
	}
	if n < 0 || n > dt.Revision {
		return RevisionExport{}, plenary.NotFound("%s has no revision %d", dt.Number, n)
	}
	rv, err := s.DraftRevision(ctx, sc, draftID, n)
	if err != nil {
		return RevisionExport{}, err
	}
	ams, err := s.Amendments(ctx, sc, draftID, AmendmentFilter{Revision: rv.Text.Revision})
	if err != nil {
		return RevisionExport{}, err
	}
	out := RevisionExport{Text: rv.Text, Attributed: rv.Attributed, Amendments: textAmendments(ams)}
	m := export.Meta{Forum: f.Title, ForumSlug: f.Slug, Number: rv.Draft.Number, Label: rv.Info.Label, Revision: rv.Text.Revision,
		Date: rv.Info.CreatedAt, Parties: map[string]string{}}
	// The work dates from the document's issue; revision 1 is the
	// document as issued.
	m.WorkDate = documents.IssuedAt(rv.Draft.IssuedOn, rv.Draft.CreatedAt)
	if rv.Text.Revision == 1 {
		m.Date = m.WorkDate
	}
	if len(f.Languages) > 0 {
		m.Language = f.Languages[0]
	}
	if rv.Attributed {
		codes := map[string]bool{}
		for _, am := range out.Amendments {
			for _, p := range am.Proponents() {
				codes[p] = true
			}
		}
		for _, br := range rv.Text.Brackets() {
			for _, p := range br.Bracket.Supporters() {
				codes[p] = true
			}
		}
		if m.Parties, err = partyNames(ctx, s.store, f, codes); err != nil {
			return RevisionExport{}, err
		}
	}
	out.Meta = m
	return out, nil
}

// partyNames maps the codes of parties of f to their names.
func partyNames(ctx context.Context, q store.Querier, f forum.Forum, codes map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	args := []any{f.ID}
	for c := range codes {
		args = append(args, c)
	}
	rows, err := q.QueryContext(ctx, "SELECT code, name FROM parties WHERE forum_id = ? AND code IN ("+store.Placeholders(len(codes))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}
