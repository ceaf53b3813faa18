package forum

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Body kinds.
var BodyKinds = []Choice{
	{Value: "plenary", Label: "Plenary"},
	{Value: "committee", Label: "Committee"},
	{Value: "working_group", Label: "Working group"},
	{Value: "experts_group", Label: "Experts group"},
	{Value: "drafting_group", Label: "Drafting group"},
}

// Body is a plenary, committee, working group, experts group or drafting
// group of a forum.
type Body struct {
	ID        string    `json:"id"`
	ForumID   string    `json:"forum_id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	ParentID  string    `json:"parent_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// KindLabel is the kind for people.
func (b Body) KindLabel() string { return Label(BodyKinds, b.Kind) }

// BodyInput is the input of CreateBody.
type BodyInput struct {
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	ParentSlug string `json:"parent_slug"`
}

// CreateBody adds a body to a forum. The forum's secretariat may.
func (s *Kernel) CreateBody(ctx context.Context, sc *Scope, in BodyInput) (Body, error) {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Body{}, err
	}
	var errs plenary.Errors
	if err := CheckSlug("slug", in.Slug); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	name, err := CheckName("name", in.Name, 200)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if !Valid(BodyKinds, in.Kind) {
		errs = append(errs, plenary.Invalid("kind", "must be plenary, committee, working_group, experts_group or drafting_group"))
	}
	if len(errs) > 0 {
		return Body{}, errs
	}
	b := Body{ID: plenary.NewID(), ForumID: f.ID, Slug: in.Slug, Name: name, Kind: in.Kind, CreatedAt: NowUTC()}
	if in.ParentSlug != "" {
		p, err := sc.Body(ctx, in.ParentSlug)
		if err != nil {
			return Body{}, plenary.Invalid("parent_slug", "no body %q in this forum", in.ParentSlug)
		}
		b.ParentID = p.ID
	}
	err = s.Command(ctx, sc, "forum.CreateBody", func(tx *store.Tx, sc *Scope) error {
		var parent any
		if b.ParentID != "" {
			parent = b.ParentID
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO bodies (id, forum_id, slug, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			b.ID, b.ForumID, b.Slug, b.Name, b.Kind, parent, b.CreatedAt.UnixMilli())
		if errors.Is(store.MapErr(err), plenary.ErrConflict) {
			return plenary.Invalid("slug", "this forum already has a body %q", b.Slug)
		}
		if err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "body.created", ledger.VisPublic, b)
		return err
	})
	return b, err
}

const bodyColumns = "id, forum_id, slug, name, kind, COALESCE(parent_id, ''), created_at"

func scanBody(sc interface{ Scan(...any) error }) (Body, error) {
	var b Body
	var at int64
	err := sc.Scan(&b.ID, &b.ForumID, &b.Slug, &b.Name, &b.Kind, &b.ParentID, &at)
	b.CreatedAt = time.UnixMilli(at).UTC()
	return b, err
}

// Body returns one body of the forum by its slug.
func (sc *Scope) Body(ctx context.Context, slug string) (Body, error) {
	if !IsRef(slug) {
		return Body{}, plenary.NotFound("no body %q in this forum", slug)
	}
	b, err := scanBody(sc.q.QueryRowContext(ctx, "SELECT "+bodyColumns+" FROM bodies WHERE forum_id = ? AND slug = ?", sc.Forum.ID, slug))
	if err != nil {
		if errors.Is(store.MapErr(err), plenary.ErrNotFound) {
			return Body{}, plenary.NotFound("no body %q in this forum", slug)
		}
		return Body{}, err
	}
	return b, nil
}

// Bodies lists a forum's bodies in creation order.
func (sc *Scope) Bodies(ctx context.Context) ([]Body, error) {
	s, forumID := sc.k, sc.Forum.ID
	bs, err := cache.Get(s.cache, configChain(forumID), "bodies", func() ([]Body, error) { return s.bodies(ctx, forumID) })
	return slices.Clone(bs), err
}

func (s *Kernel) bodies(ctx context.Context, forumID string) ([]Body, error) {
	rows, err := s.store.QueryContext(ctx, "SELECT "+bodyColumns+" FROM bodies WHERE forum_id = ? ORDER BY created_at, id", forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bs []Body
	for rows.Next() {
		b, err := scanBody(rows)
		if err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	return bs, rows.Err()
}
