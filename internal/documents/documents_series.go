package documents

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// seriesMain is the slug of a forum's own series, numbered with the
// forum's document prefix.
const SeriesMain = "main"

// Series is a numbering series of a forum: its own (PREFIX/n), temporary
// documents (DT/n), or the documents of one meeting of a body
// (WTPF-IEG/3/n). Each has its own counter.
type Series struct {
	ID      string `json:"id"`
	ForumID string `json:"forum_id"`
	Slug    string `json:"slug"`
	// Prefix is what numbers start with; the main series has "" and uses
	// the forum's document prefix.
	Prefix    string    `json:"prefix"`
	Name      string    `json:"name"`
	BodyID    string    `json:"body_id,omitempty"`
	LastSeq   int64     `json:"last_seq"`
	CreatedAt time.Time `json:"created_at"`
}

// PrefixIn is the series' prefix in forum f.
func (ser Series) PrefixIn(f forum.Forum) string {
	if ser.Prefix == "" {
		return f.DocPrefix
	}
	return ser.Prefix
}

// numberOf is the number seq of the series in forum f: PREFIX/seq.
func (ser Series) numberOf(f forum.Forum, seq int64) string {
	return ser.PrefixIn(f) + "/" + itoa(seq)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

const seriesColumns = "id, forum_id, slug, prefix, name, COALESCE(body_id, ''), last_seq, created_at"

func scanSeries(sc interface{ Scan(...any) error }) (Series, error) {
	var ser Series
	var at int64
	err := sc.Scan(&ser.ID, &ser.ForumID, &ser.Slug, &ser.Prefix, &ser.Name, &ser.BodyID, &ser.LastSeq, &at)
	ser.CreatedAt = time.UnixMilli(at).UTC()
	return ser, err
}

func seriesBySlug(ctx context.Context, q store.Querier, forumID, slug string) (Series, error) {
	ser, err := scanSeries(q.QueryRowContext(ctx, "SELECT "+seriesColumns+" FROM doc_series WHERE forum_id = ? AND slug = ?", forumID, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Series{}, plenary.NotFound("no numbering series %q", slug)
	}
	return ser, err
}

// ensureMainSeries creates the forum's main series on first use and
// returns its id. Two transactions doing it at once both end with the same
// row: the second insert does nothing.
func ensureMainSeries(ctx context.Context, tx *store.Tx, f forum.Forum) (string, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO doc_series (id, forum_id, slug, prefix, name, last_seq, created_at)
		VALUES (?, ?, ?, '', ?, 0, ?) ON CONFLICT (forum_id, slug) DO NOTHING`,
		plenary.NewID(), f.ID, SeriesMain, "Documents of the forum", forum.NowUTC().UnixMilli()); err != nil {
		return "", err
	}
	var id string
	err := tx.QueryRowContext(ctx, "SELECT id FROM doc_series WHERE forum_id = ? AND slug = ?", f.ID, SeriesMain).Scan(&id)
	return id, err
}

// DocSeries lists a forum's numbering series, the main one first (it is
// listed even before its first document).
func (s *Service) DocSeries(ctx context.Context, sc *forum.Scope) ([]Series, error) {
	f := sc.Forum
	rows, err := s.store.QueryContext(ctx, "SELECT "+seriesColumns+" FROM doc_series WHERE forum_id = ? ORDER BY created_at, slug", f.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Series{{ForumID: f.ID, Slug: SeriesMain, Name: "Documents of the forum"}}
	for rows.Next() {
		ser, err := scanSeries(rows)
		if err != nil {
			return nil, err
		}
		if ser.Slug == SeriesMain {
			out[0] = ser
			continue
		}
		out = append(out, ser)
	}
	return out, rows.Err()
}

// SeriesInput is the input of CreateSeries.
type SeriesInput struct {
	Slug   string `json:"slug"`   // dt, ieg-3
	Prefix string `json:"prefix"` // DT, WTPF-IEG/3
	Name   string `json:"name"`   // Temporary documents
	Body   string `json:"body"`   // the slug of the body whose documents it numbers, optional
}

var seriesPrefixRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./-]{0,30}$`)

// CreateSeries adds a numbering series to a forum. The forum's secretariat
// may. Its prefix may not be the forum's own, nor another series'.
func (s *Service) CreateSeries(ctx context.Context, sc *forum.Scope, in SeriesInput) (Series, error) {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Series{}, err
	}
	var errs plenary.Errors
	in.Slug = strings.TrimSpace(in.Slug)
	if err := forum.CheckSlug("slug", in.Slug); err != nil {
		errs = append(errs, plenary.AsError(err))
	} else if in.Slug == SeriesMain {
		errs = append(errs, plenary.Invalid("slug", "%q is the forum's own series", SeriesMain))
	}
	in.Prefix = strings.TrimSpace(in.Prefix)
	switch {
	case !seriesPrefixRE.MatchString(in.Prefix) || strings.HasSuffix(in.Prefix, "/"):
		errs = append(errs, plenary.Invalid("prefix", "must be up to 31 letters, digits, spaces, dots, slashes or hyphens, not ending with a slash"))
	case strings.EqualFold(in.Prefix, f.DocPrefix):
		errs = append(errs, plenary.Invalid("prefix", "%q is the forum's own prefix", in.Prefix))
	}
	name, err := forum.CheckName("name", in.Name, 200)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	ser := Series{ID: plenary.NewID(), ForumID: f.ID, Slug: in.Slug, Prefix: in.Prefix, Name: name, CreatedAt: forum.NowUTC()}
	if b := strings.TrimSpace(in.Body); b != "" {
		body, err := sc.Body(ctx, b)
		if err != nil {
			errs = append(errs, plenary.Invalid("body", "no body %q in this forum", b))
		}
		ser.BodyID = body.ID
	}
	if len(errs) > 0 {
		return Series{}, errs
	}
	err = s.kernel.Command(ctx, sc, "documents.CreateSeries", func(tx *store.Tx, sc *forum.Scope) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM doc_series WHERE forum_id = ? AND (slug = ? OR UPPER(prefix) = UPPER(?))",
			f.ID, ser.Slug, ser.Prefix).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return plenary.Invalid("prefix", "this forum already has a series %q or one numbered %s/n", ser.Slug, ser.Prefix)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_series (id, forum_id, slug, prefix, name, body_id, last_seq, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?)`, ser.ID, ser.ForumID, ser.Slug, ser.Prefix, ser.Name, NullStr(ser.BodyID), ser.CreatedAt.UnixMilli()); err != nil {
			if errors.Is(store.MapErr(err), plenary.ErrConflict) {
				return plenary.Invalid("slug", "this forum already has a series %q", ser.Slug)
			}
			return err
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "document_series.created", ledger.VisPublic, ser)
		return err
	})
	return ser, err
}
