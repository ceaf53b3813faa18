// Package search is Plenary's full-text search over documents (and the
// provisions of draft texts, and the comments of consultations): one index table, search_entries, written by
// commands inside their own transaction (Index), so that what is committed
// is searchable at once; and one query function (Search) that returns only
// what the viewer may read, filtered in SQL, with highlighted snippets.
//
// The SQL differs per engine. On SQLite an external-content FTS5 table
// (search_fts, unicode61 tokenizer, diacritics removed) is kept by
// triggers and ranked by bm25 with the number weighted above the title and
// the title above the text. On PostgreSQL a tsvector column ('simple'
// configuration: no stemming, so every language is treated alike), written
// with the entry and indexed with GIN, is matched with websearch_to_tsquery and ranked
// by ts_rank; the application folds diacritics away on both sides, as
// unicode61 does on SQLite. Both read the same query syntax: words, "phrases",
// -exclusions, OR, and word* prefixes.
package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Kinds of entries.
const (
	KindDocument  = "document"
	KindProvision = "provision"
	// KindComment is a comment in a consultation, indexed while it is not
	// hidden.
	KindComment = "comment"
)

// KindLabel is a kind of entry in words: "Document", "Provision of a draft
// text". Anything else is its own label.
func KindLabel(kind string) string {
	switch kind {
	case KindDocument:
		return "Document"
	case KindProvision:
		return "Provision of a draft text"
	case KindComment:
		return "Comment in a consultation"
	}
	return kind
}

// Entry is one searchable thing. Index it inside the transaction that
// changes it.
type Entry struct {
	Kind  string // KindDocument, KindProvision
	RefID string // the id of the document or provision
	// DocumentID is the document the entry belongs to (its own id for a
	// document); SetVisibility changes every entry of a document at once.
	DocumentID string
	ForumID    string
	Visibility string    // public, members or party:<id>, as in the ledger
	Type       string    // the document type: report, contribution, draft_text...
	BodyID     string    // the body it is for, "" when none
	Parties    []string  // source party ids, for the party filter
	At         time.Time // the date the date filters use
	Number     string    // WTPF-13/5, or a provision's number with its document's
	Title      string
	Text       string
	Path       string // the page that shows it: /forums/wtpf-13/documents/ID
}

// Limits of what one entry holds; longer text is cut (PostgreSQL refuses
// tsvectors over 1 MB).
const (
	maxTitle = 1000
	maxText  = 512 << 10
)

// The snippet markers: two private-use characters, removed from indexed
// text so that only the database can place them. Two more stand in for
// angle brackets while PostgreSQL makes headlines (its parser would take
// "<...>" for markup and drop it).
const (
	markStart = "\ue000"
	markEnd   = "\ue001"
	ltStand   = "\ue002"
	gtStand   = "\ue003"
)

var (
	unmark  = strings.NewReplacer(markStart, "", markEnd, "", ltStand, "", gtStand, "")
	unstand = strings.NewReplacer(ltStand, "<", gtStand, ">")
)

func clip(s string, n int) string {
	s = unmark.Replace(s)
	if len(s) <= n {
		return s
	}
	s = s[:n]
	return strings.ToValidUTF8(s, "")
}

// check validates an entry and fills in its defaults.
func (e *Entry) check() error {
	switch {
	case e.Kind == "" || e.RefID == "" || e.ForumID == "":
		return errors.New("search: an entry needs a kind, a ref id and a forum")
	case !ledger.ValidVisibility(e.Visibility):
		return fmt.Errorf("search: entry %s/%s: bad visibility %q", e.Kind, e.RefID, e.Visibility)
	}
	if e.DocumentID == "" {
		e.DocumentID = e.RefID
	}
	if e.At.IsZero() {
		e.At = plenary.Now()
	}
	return nil
}

// upsert is the statement that writes n entries (values gives each entry's
// placeholders) and the arguments of one entry.
func upsert(d store.Dialect, n int, returning bool) string {
	cols, vals, set := "", "", ""
	if d == store.Postgres {
		cols, vals, set = ", tsv", `, setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B') || to_tsvector('simple', ?)`,
			", tsv = excluded.tsv"
	}
	row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + vals + ")"
	q := `INSERT INTO search_entries
		(kind, ref_id, document_id, forum_id, visibility, doc_type, body_id, at, number, title, body, path` + cols + `)
		VALUES ` + row + strings.Repeat(", "+row, n-1) + `
		ON CONFLICT (kind, ref_id) DO UPDATE SET document_id = excluded.document_id, forum_id = excluded.forum_id,
			visibility = excluded.visibility, doc_type = excluded.doc_type, body_id = excluded.body_id, at = excluded.at,
			number = excluded.number, title = excluded.title, body = excluded.body, path = excluded.path` + set
	if returning {
		q += " RETURNING id"
	}
	return q
}

func (e Entry) args(d store.Dialect, args []any) []any {
	number, title, text := clip(e.Number, 200), clip(e.Title, maxTitle), clip(e.Text, maxText)
	args = append(args, e.Kind, e.RefID, e.DocumentID, e.ForumID, e.Visibility, e.Type, e.BodyID, e.At.UnixMilli(), number, title, text, e.Path)
	if d == store.Postgres {
		args = append(args, fold(number), fold(title), fold(text))
	}
	return args
}

// Index adds or replaces an entry, in the caller's transaction.
func Index(ctx context.Context, tx *store.Tx, e Entry) error {
	if err := e.check(); err != nil {
		return err
	}
	var id int64
	err := tx.QueryRowContext(ctx, upsert(tx.Dialect(), 1, true), e.args(tx.Dialect(), nil)...).Scan(&id)
	if err != nil {
		return fmt.Errorf("search: index %s/%s: %w", e.Kind, e.RefID, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM search_parties WHERE entry_id = ?", id); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range e.Parties {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		if _, err := tx.ExecContext(ctx, "INSERT INTO search_parties (entry_id, party_id) VALUES (?, ?)", id, p); err != nil {
			return err
		}
	}
	return nil
}

// Remove deletes an entry, if there is one.
func Remove(ctx context.Context, tx *store.Tx, kind, refID string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM search_parties WHERE entry_id IN
		(SELECT id FROM search_entries WHERE kind = ? AND ref_id = ?)`, kind, refID)
	if err == nil {
		_, err = tx.ExecContext(ctx, "DELETE FROM search_entries WHERE kind = ? AND ref_id = ?", kind, refID)
	}
	return err
}

// MoveParty files the entries of party from under party into (a duplicate
// merged into the party kept).
func MoveParty(ctx context.Context, tx *store.Tx, from, into string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE search_parties SET party_id = ? WHERE party_id = ? AND entry_id NOT IN
		(SELECT entry_id FROM search_parties WHERE party_id = ?)`, into, from, into); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM search_parties WHERE party_id = ?", from)
	return err
}

// SetVisibility gives every entry of a document (the document and its
// provisions) a new visibility.
func SetVisibility(ctx context.Context, tx *store.Tx, documentID, visibility string) error {
	if !ledger.ValidVisibility(visibility) {
		return fmt.Errorf("search: bad visibility %q", visibility)
	}
	_, err := tx.ExecContext(ctx, "UPDATE search_entries SET visibility = ? WHERE document_id = ?", visibility, documentID)
	return err
}

// Access says what a viewer may read: everything (the site secretariat),
// or public entries plus everything in the forums it is the secretariat of
// (AllIn, by forum id) plus, per forum, the restricted visibilities its
// standing there opens (Restricted: "members", "party:<id>").
type Access struct {
	All        bool
	AllIn      []string
	Restricted map[string][]string
}

// Query is a search.
type Query struct {
	Text    string
	ForumID string
	Kind    string
	Type    string
	PartyID string
	BodyID  string
	// From and To bound the entries' dates: From <= At < To; zero is open.
	From, To time.Time
	// Exclude lists forums whose entries are left out (the discarded
	// ones, in a search across forums).
	Exclude []string
	Access  Access
	// Limit is the page size (default 20, at most 100); Offset skips.
	Limit, Offset int
}

// Hit is one result. TitleHTML and SnippetHTML are escaped HTML in which
// only the <mark> elements around matches are markup.
type Hit struct {
	Kind        string        `json:"kind"`
	RefID       string        `json:"ref_id"`
	DocumentID  string        `json:"document_id"`
	ForumID     string        `json:"forum_id"`
	Visibility  string        `json:"visibility"`
	Type        string        `json:"type,omitempty"`
	BodyID      string        `json:"body_id,omitempty"`
	Number      string        `json:"number,omitempty"`
	Title       string        `json:"title"`
	TitleHTML   template.HTML `json:"title_html"`
	Snippet     string        `json:"snippet"`
	SnippetHTML template.HTML `json:"snippet_html"`
	At          time.Time     `json:"at"`
	Path        string        `json:"path"`
}

// Result is a page of hits, best first; More says whether there are more.
type Result struct {
	Hits []Hit `json:"hits"`
	More bool  `json:"more"`
}

// Highlight turns text with the database's match markers into safe HTML:
// everything escaped, matches in <mark>.
func Highlight(s string) template.HTML {
	s = html.EscapeString(s)
	s = strings.NewReplacer(markStart, "<mark>", markEnd, "</mark>").Replace(s)
	// A cut snippet may leave a mark open.
	if n := strings.Count(s, "<mark>") - strings.Count(s, "</mark>"); n > 0 {
		s += strings.Repeat("</mark>", n)
	}
	return template.HTML(s) //nolint:gosec // escaped above; only our own <mark> tags are markup
}

// Search runs q and returns one page of what the viewer may read.
func Search(ctx context.Context, db store.Querier, q Query) (Result, error) {
	ts, err := parse(q.Text)
	if err != nil {
		return Result{}, err
	}
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 100)
	if q.Offset < 0 || q.Offset > 10000 {
		return Result{}, plenary.Invalid("offset", "must be between 0 and 10000")
	}
	where, args := filters(q)
	var sqlText string
	var qargs []any
	if db.Dialect() == store.Postgres {
		web, prefix := postgres(ts)
		web, prefix = fold(web), fold(prefix)
		tsq := "websearch_to_tsquery('simple', ?)"
		var targs []any
		switch {
		case web != "" && prefix != "":
			tsq, targs = "(websearch_to_tsquery('simple', ?) && to_tsquery('simple', ?))", []any{web, prefix}
		case prefix != "":
			tsq, targs = "to_tsquery('simple', ?)", []any{prefix}
		default:
			targs = []any{web}
		}
		opts := "StartSel=" + markStart + ", StopSel=" + markEnd
		// Rank first, then make headlines for the page only: ts_headline
		// reads the whole text and is the slow part.
		sqlText = `SELECT h.kind, h.ref_id, h.document_id, h.forum_id, h.visibility, h.doc_type, h.body_id, h.number, h.at, h.path,
			ts_headline('simple', translate(h.title, '<>', ?), h.q, ?), ts_headline('simple', translate(h.body, '<>', ?), h.q, ?)
			FROM (SELECT e.*, q.q, ts_rank(e.tsv, q.q) AS score FROM search_entries e, (SELECT ` + tsq + ` AS q) q
				WHERE e.tsv @@ q.q` + where + ` ORDER BY score DESC, e.at DESC LIMIT ? OFFSET ?) h
			ORDER BY h.score DESC, h.at DESC`
		qargs = append(qargs, ltStand+gtStand, opts+", HighlightAll=true", ltStand+gtStand, opts+`, MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "`)
		qargs = append(qargs, targs...)
	} else {
		sqlText = `SELECT e.kind, e.ref_id, e.document_id, e.forum_id, e.visibility, e.doc_type, e.body_id, e.number, e.at, e.path,
			highlight(search_fts, 1, ?, ?), snippet(search_fts, 2, ?, ?, ' … ', 32)
			FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid
			WHERE search_fts MATCH ?` + where + ` ORDER BY rank LIMIT ? OFFSET ?`
		qargs = append(qargs, markStart, markEnd, markStart, markEnd, fts5(ts))
	}
	qargs = append(qargs, args...)
	qargs = append(qargs, q.Limit+1, q.Offset)
	rows, err := db.QueryContext(ctx, sqlText, qargs...)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var res Result
	for rows.Next() {
		var h Hit
		var at int64
		var title, snip string
		if err := rows.Scan(&h.Kind, &h.RefID, &h.DocumentID, &h.ForumID, &h.Visibility, &h.Type, &h.BodyID, &h.Number, &at, &h.Path, &title, &snip); err != nil {
			return Result{}, err
		}
		if len(res.Hits) == q.Limit {
			res.More = true
			continue
		}
		h.At = time.UnixMilli(at).UTC()
		title, snip = unstand.Replace(title), unstand.Replace(snip)
		h.Title, h.TitleHTML = unmark.Replace(title), Highlight(title)
		h.Snippet, h.SnippetHTML = unmark.Replace(snip), Highlight(snip)
		res.Hits = append(res.Hits, h)
	}
	return res, rows.Err()
}

// filters returns the WHERE conditions after the match (each starting
// with " AND ") and their arguments: what the viewer may read, then the
// filters asked for.
func filters(q Query) (string, []any) {
	var b strings.Builder
	var args []any
	if !q.Access.All {
		b.WriteString(" AND (e.visibility = ?")
		args = append(args, ledger.VisPublic)
		for _, f := range q.Access.AllIn {
			if q.ForumID == "" || q.ForumID == f {
				b.WriteString(" OR e.forum_id = ?")
				args = append(args, f)
			}
		}
		forums := make([]string, 0, len(q.Access.Restricted))
		for f, vs := range q.Access.Restricted {
			if len(vs) > 0 && (q.ForumID == "" || q.ForumID == f) {
				forums = append(forums, f)
			}
		}
		sort.Strings(forums)
		for _, f := range forums {
			vs := q.Access.Restricted[f]
			b.WriteString(" OR (e.forum_id = ? AND e.visibility IN (" + store.Placeholders(len(vs)) + "))")
			args = append(args, f)
			for _, v := range vs {
				args = append(args, v)
			}
		}
		b.WriteString(")")
	}
	eq := func(col, v string) {
		if v != "" {
			b.WriteString(" AND " + col + " = ?")
			args = append(args, v)
		}
	}
	eq("e.forum_id", q.ForumID)
	if len(q.Exclude) > 0 {
		b.WriteString(" AND e.forum_id NOT IN (" + store.Placeholders(len(q.Exclude)) + ")")
		for _, f := range q.Exclude {
			args = append(args, f)
		}
	}
	eq("e.kind", q.Kind)
	eq("e.doc_type", q.Type)
	eq("e.body_id", q.BodyID)
	if q.PartyID != "" {
		b.WriteString(" AND EXISTS (SELECT 1 FROM search_parties p WHERE p.entry_id = e.id AND p.party_id = ?)")
		args = append(args, q.PartyID)
	}
	if !q.From.IsZero() {
		b.WriteString(" AND e.at >= ?")
		args = append(args, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		b.WriteString(" AND e.at < ?")
		args = append(args, q.To.UnixMilli())
	}
	return b.String(), args
}
