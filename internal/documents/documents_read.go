package documents

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

const documentColumns = `d.id, d.forum_id, s.slug, d.seq, d.number, d.type, d.title, COALESCE(d.body_id, ''), d.agenda_item, d.languages,
	d.visibility, d.embargo_until, d.released_at, d.status, d.status_note, d.issued_on, d.submitted_by, d.created_at, d.updated_at`

const documentFrom = " FROM documents d JOIN doc_series s ON s.id = d.series_id"

func scanDocument(sc interface{ Scan(...any) error }, extra ...any) (Document, error) {
	var d Document
	var langs string
	var embargo, released sql.NullInt64
	var created, updated int64
	dest := []any{&d.ID, &d.ForumID, &d.Series, &d.Seq, &d.Number, &d.Type, &d.Title, &d.BodyID, &d.AgendaItem, &langs,
		&d.Visibility, &embargo, &released, &d.Status, &d.StatusNote, &d.IssuedOn, &d.SubmittedBy, &created, &updated}
	err := sc.Scan(append(dest, extra...)...)
	d.Languages = []string{}
	if langs != "" {
		d.Languages = strings.Split(langs, ",")
	}
	d.EmbargoUntil, d.ReleasedAt = forum.NullTime(embargo), forum.NullTime(released)
	d.CreatedAt, d.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	d.Current = d.Number
	d.Parties = []SourceParty{}
	return d, err
}

// loadDocument reads a document of forum f, with its parties, and with its
// text, versions and files when full is set. It does not check access.
func (s *Service) LoadDocument(ctx context.Context, q store.Querier, f forum.Forum, id string, full bool) (Document, error) {
	var text string
	d, err := scanDocument(q.QueryRowContext(ctx, "SELECT "+documentColumns+", d.body"+documentFrom+" WHERE d.id = ? AND d.forum_id = ?", id, f.ID), &text)
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, plenary.NotFound("no such document in %s", forum.ShortName(f))
	}
	if err != nil {
		return Document{}, err
	}
	d.Text = text
	if err := loadParties(ctx, q, []*Document{&d}); err != nil {
		return Document{}, err
	}
	if err := loadVersions(ctx, q, &d, full); err != nil {
		return Document{}, err
	}
	return d, nil
}

// loadParties fills the source parties of ds.
func loadParties(ctx context.Context, q store.Querier, ds []*Document) error {
	if len(ds) == 0 {
		return nil
	}
	byID := map[string]*Document{}
	args := make([]any, len(ds))
	for i, d := range ds {
		byID[d.ID] = d
		args[i] = d.ID
	}
	rows, err := q.QueryContext(ctx, "SELECT document_id, party_id, code, name FROM document_parties WHERE document_id IN ("+
		store.Placeholders(len(ds))+") ORDER BY document_id, position", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var docID string
		var sp SourceParty
		if err := rows.Scan(&docID, &sp.ID, &sp.Code, &sp.Name); err != nil {
			return err
		}
		d := byID[docID]
		d.Parties = append(d.Parties, sp)
	}
	return rows.Err()
}

// loadVersions fills d's versions, oldest first, and its current label;
// with full, also their texts and files.
func loadVersions(ctx context.Context, q store.Querier, d *Document, full bool) error {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, n, label, title, body, note, created_at FROM document_versions
		WHERE document_id = ? ORDER BY created_at, kind, n`, d.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var vs []Version
	for rows.Next() {
		v := Version{DocumentID: d.ID, Files: []File{}}
		var at int64
		if err := rows.Scan(&v.ID, &v.Kind, &v.N, &v.Label, &v.Title, &v.Text, &v.Note, &at); err != nil {
			return err
		}
		v.CreatedAt = time.UnixMilli(at).UTC()
		if v.Kind == VersionRev || v.Kind == VersionOriginal {
			d.Current = v.Label
		}
		if !full {
			v.Text = ""
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if full {
		frows, err := q.QueryContext(ctx, "SELECT "+fileColumns+" FROM document_files WHERE document_id = ? ORDER BY created_at, name", d.ID)
		if err != nil {
			return err
		}
		defer frows.Close()
		for frows.Next() {
			fl, err := scanFile(frows)
			if err != nil {
				return err
			}
			for i := range vs {
				if vs[i].ID == fl.VersionID {
					vs[i].Files = append(vs[i].Files, fl)
				}
			}
		}
		if err := frows.Err(); err != nil {
			return err
		}
	}
	d.Versions = vs
	return nil
}

// readAccess is what an actor may read of a forum's documents: the viewer,
// no longer a member when the rules do not let it read restricted
// documents (an observer who is registered, say), and the denial that says
// why. A delegation still reads its own delegation's documents.
func (s *Service) ReadAccess(ctx context.Context, sc *forum.Scope) (v forum.Viewer, denied, err error) {
	a := sc.Actor
	v, err = sc.Viewer(ctx)
	if err != nil {
		return forum.Viewer{}, nil, err
	}
	if v.Secretariat || !a.LoggedIn() {
		return v, nil, nil
	}
	_, denied = sc.Authorize(ctx, rules.ReadRestricted, "")
	if denied != nil {
		if plenary.ErrorCode(denied) == plenary.CodeInternal {
			return forum.Viewer{}, nil, denied
		}
		v.Member = false
	}
	return v, denied, nil
}

// Document returns a document of forum f with its versions and files, if
// a may read it: anyone a public one; a restricted one whoever the rules
// let read restricted documents and the document's visibility includes
// (members of the forum, or the one delegation), and the secretariat. A
// refusal names the rule. A document whose embargo has passed is released
// first.
func (s *Service) Document(ctx context.Context, sc *forum.Scope, id string) (Document, error) {
	f := sc.Forum
	d, err := s.LoadDocument(ctx, s.store, f, id, true)
	if err != nil {
		return Document{}, err
	}
	if d.Visibility != ledger.VisPublic && d.EmbargoUntil != nil && !d.EmbargoUntil.After(forum.NowUTC()) {
		if _, err := s.releaseDocument(ctx, d.ID); err != nil {
			return Document{}, err
		}
		if d, err = s.LoadDocument(ctx, s.store, f, id, true); err != nil {
			return Document{}, err
		}
	}
	if err := s.CheckRead(ctx, sc, d); err != nil {
		return Document{}, err
	}
	return d, nil
}

// Readable reports whether the reader may read document id, as Document
// would, without loading it: its number, visibility and embargo only. A
// document whose embargo has passed and which is not yet released goes
// through Document, which releases it.
func (s *Service) Readable(ctx context.Context, sc *forum.Scope, id string) error {
	var number, visibility string
	var embargo sql.NullInt64
	err := s.store.QueryRowContext(ctx, "SELECT number, visibility, embargo_until FROM documents WHERE id = ? AND forum_id = ?",
		id, sc.Forum.ID).Scan(&number, &visibility, &embargo)
	if errors.Is(err, sql.ErrNoRows) {
		return plenary.NotFound("no such document in %s", forum.ShortName(sc.Forum))
	}
	if err != nil {
		return err
	}
	return s.ReadableAs(ctx, sc, id, number, visibility, embargo)
}

// ReadableAs is Readable for a caller that has read the document's number,
// visibility and embargo (Unix milliseconds) itself, with its own rows.
func (s *Service) ReadableAs(ctx context.Context, sc *forum.Scope, id, number, visibility string, embargo sql.NullInt64) error {
	if until := forum.NullTime(embargo); visibility != ledger.VisPublic && until != nil && !until.After(forum.NowUTC()) {
		_, err := s.Document(ctx, sc, id)
		return err
	}
	return s.CheckReadable(ctx, sc, number, visibility)
}

// DocumentByNumber returns a document by its number (WTPF-13/5), like
// Document.
func (s *Service) DocumentByNumber(ctx context.Context, sc *forum.Scope, number string) (Document, error) {
	f := sc.Forum
	var id string
	err := s.store.QueryRowContext(ctx, "SELECT id FROM documents WHERE forum_id = ? AND number = ?", f.ID, strings.TrimSpace(number)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, plenary.NotFound("%s has no document %s", forum.ShortName(f), number)
	}
	if err != nil {
		return Document{}, err
	}
	return s.Document(ctx, sc, id)
}

func (s *Service) CheckRead(ctx context.Context, sc *forum.Scope, d Document) error {
	return s.CheckReadable(ctx, sc, d.Number, d.Visibility)
}

// CheckReadable is the one read check of what a document carries, by the
// document's number and visibility: other aggregates (a draft text, its
// proposals) use it for what they show of a document.
func (s *Service) CheckReadable(ctx context.Context, sc *forum.Scope, number, visibility string) error {
	a, f := sc.Actor, sc.Forum
	if visibility == ledger.VisPublic {
		return nil
	}
	if !a.LoggedIn() {
		return plenary.Unauthorized("%s is not public: log in to read it", number)
	}
	v, denied, err := s.ReadAccess(ctx, sc)
	if err != nil {
		return err
	}
	if v.Secretariat || v.CanSee(visibility) {
		return nil
	}
	if denied != nil {
		return denied
	}
	if _, ok := ledger.PartyOf(visibility); ok {
		return plenary.Forbidden("%s is restricted to one delegation and the secretariat of %s", number, forum.ShortName(f))
	}
	return plenary.Forbidden("%s is restricted to the members of %s", number, forum.ShortName(f))
}

// DocumentFilter narrows a document register.
type DocumentFilter struct {
	Type   string // a document type
	Party  string // a source party's id or code
	Body   string // a body's id or slug
	Series string // a series' slug
	From   string // issued on or after, YYYY-MM-DD
	To     string // issued on or before, YYYY-MM-DD
	// Status is current or withdrawn; "" is both.
	Status string
}

func (flt DocumentFilter) validate() error {
	var errs plenary.Errors
	if flt.Type != "" && !forum.Valid(DocumentTypes, flt.Type) {
		errs = append(errs, plenary.Invalid("type", "is not a document type"))
	}
	if err := forum.CheckDate("from", flt.From); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if err := forum.CheckDate("to", flt.To); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if flt.Status != "" && flt.Status != DocCurrent && flt.Status != DocWithdrawn {
		errs = append(errs, plenary.Invalid("status", "must be current or withdrawn"))
	}
	return errs.Err()
}

// MaxRegister is the most documents one register listing returns.
const MaxRegister = 2000

// Documents is the register of a forum: the documents a may read, in
// number order within each series, filtered. Texts are left out.
func (s *Service) Documents(ctx context.Context, sc *forum.Scope, flt DocumentFilter) ([]Document, error) {
	f := sc.Forum
	if err := flt.validate(); err != nil {
		return nil, err
	}
	if flt.Party != "" {
		sp, err := lookupParty(ctx, s.store, f, flt.Party)
		if err != nil {
			return nil, plenary.Invalid("party", "no party %q in this forum", flt.Party)
		}
		flt.Party = sp.ID
	}
	if flt.Body != "" {
		id, err := bodyID(ctx, s.store, f, flt.Body)
		if err != nil {
			return nil, err
		}
		flt.Body = id
	}
	if err := s.releaseDue(ctx, f.ID); err != nil {
		return nil, err
	}
	v, _, err := s.ReadAccess(ctx, sc)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + documentColumns + documentFrom + " WHERE d.forum_id = ?"
	args := []any{f.ID}
	if !v.Secretariat {
		vs := v.Visibilities()
		q += " AND d.visibility IN (" + store.Placeholders(len(vs)) + ")"
		for _, x := range vs {
			args = append(args, x)
		}
	}
	cond := func(sqlText, val string) {
		if val != "" {
			q += " AND " + sqlText
			args = append(args, val)
		}
	}
	cond("d.type = ?", flt.Type)
	cond("d.body_id = ?", flt.Body)
	cond("s.slug = ?", flt.Series)
	cond("d.issued_on >= ?", flt.From)
	cond("d.issued_on <= ?", flt.To)
	cond("d.status = ?", flt.Status)
	cond("EXISTS (SELECT 1 FROM document_parties p WHERE p.document_id = d.id AND p.party_id = ?)", flt.Party)
	// The forum's own series first, then the others as they were made.
	q += " ORDER BY CASE WHEN s.slug = ? THEN 0 ELSE 1 END, s.created_at, s.slug, d.seq LIMIT ?"
	args = append(args, SeriesMain)
	args = append(args, MaxRegister)
	rows, err := s.store.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ptrs := make([]*Document, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	for start := 0; start < len(ptrs); start += 500 {
		if err := loadParties(ctx, s.store, ptrs[start:min(start+500, len(ptrs))]); err != nil {
			return nil, err
		}
	}
	if err := s.currentLabels(ctx, f, out); err != nil {
		return nil, err
	}
	return out, nil
}

// currentLabels sets each document's current label from its latest
// revision.
func (s *Service) currentLabels(ctx context.Context, f forum.Forum, ds []Document) error {
	rows, err := s.store.QueryContext(ctx, `SELECT v.document_id, v.label, v.n FROM document_versions v JOIN documents d ON d.id = v.document_id
		WHERE d.forum_id = ? AND v.kind = ?`, f.ID, VersionRev)
	if err != nil {
		return err
	}
	defer rows.Close()
	type rev struct {
		label string
		n     int
	}
	latest := map[string]rev{}
	for rows.Next() {
		var id, label string
		var n int
		if err := rows.Scan(&id, &label, &n); err != nil {
			return err
		}
		if n > latest[id].n {
			latest[id] = rev{label, n}
		}
	}
	for i := range ds {
		if r, ok := latest[ds[i].ID]; ok {
			ds[i].Current = r.label
		}
	}
	return rows.Err()
}

// DocumentParties lists the parties the documents of forum f come from
// (as far as a may read them), for the register's filter.
func (s *Service) DocumentParties(ctx context.Context, sc *forum.Scope) ([]SourceParty, error) {
	f := sc.Forum
	v, _, err := s.ReadAccess(ctx, sc)
	if err != nil {
		return nil, err
	}
	q := `SELECT DISTINCT p.party_id, p.code, p.name FROM document_parties p JOIN documents d ON d.id = p.document_id WHERE d.forum_id = ?`
	args := []any{f.ID}
	if !v.Secretariat {
		vs := v.Visibilities()
		q += " AND d.visibility IN (" + store.Placeholders(len(vs)) + ")"
		for _, x := range vs {
			args = append(args, x)
		}
	}
	return s.sourceParties(ctx, q+" ORDER BY p.name", args...)
}

// sourceParties runs a query for (id, code, name) rows of parties.
func (s *Service) sourceParties(ctx context.Context, q string, args ...any) ([]SourceParty, error) {
	rows, err := s.store.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SourceParty{}
	for rows.Next() {
		var sp SourceParty
		if err := rows.Scan(&sp.ID, &sp.Code, &sp.Name); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// reindexDocument writes a document's search entry from its rows in tx:
// its number and current label, title, text, the text of its addenda and
// corrigenda, and the text extracted from its files.
func (s *Service) reindexDocument(ctx context.Context, tx *store.Tx, f forum.Forum, id string) error {
	d, err := s.LoadDocument(ctx, tx, f, id, true)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(d.Text)
	for _, v := range d.Versions {
		if v.Kind == VersionAdd || v.Kind == VersionCorr {
			b.WriteString("\n\n" + v.Title + "\n" + v.Text)
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT text FROM document_files WHERE document_id = ? AND text <> '' ORDER BY created_at", id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		b.WriteString("\n\n" + t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	parties := make([]string, len(d.Parties))
	for i, p := range d.Parties {
		parties[i] = p.ID
	}
	// The current label (WTPF-13/16(Rev.2)) holds the number's words too.
	return search.Index(ctx, tx, search.Entry{Kind: search.KindDocument, RefID: d.ID, DocumentID: d.ID, ForumID: f.ID,
		Visibility: d.Visibility, Type: d.Type, BodyID: d.BodyID, Parties: parties, At: IssuedAt(d.IssuedOn, d.CreatedAt),
		Number: d.Current, Title: d.Title, Text: b.String(), Path: DocumentPath(f, d.ID)})
}

// bodyID finds a body of forum f by slug or id.
func bodyID(ctx context.Context, q store.Querier, f forum.Forum, ref string) (string, error) {
	if !forum.IsRef(ref) {
		return "", plenary.Invalid("body", "no body %q in this forum", ref)
	}
	var id string
	err := q.QueryRowContext(ctx, "SELECT id FROM bodies WHERE forum_id = ? AND (slug = ? OR id = ?)", f.ID, ref, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", plenary.Invalid("body", "no body %q in this forum", ref)
	}
	return id, err
}

// DocumentPartyChoices lists the parties a may name as the source of a
// document: every party of the forum for its secretariat, else the parties
// a is registered for.
func (s *Service) DocumentPartyChoices(ctx context.Context, sc *forum.Scope) ([]SourceParty, error) {
	a, f := sc.Actor, sc.Forum
	out := []SourceParty{}
	if !a.LoggedIn() {
		return out, nil
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	q := "SELECT id, code, name FROM parties WHERE forum_id = ? AND status = ?"
	args := []any{f.ID, participation.PartyActive}
	if !v.Secretariat {
		if len(v.Parties) == 0 {
			return out, nil
		}
		q += " AND id IN (" + store.Placeholders(len(v.Parties)) + ")"
		for _, p := range v.Parties {
			args = append(args, p)
		}
	}
	return s.sourceParties(ctx, q+" ORDER BY name", args...)
}
