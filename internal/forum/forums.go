package forum

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// Forum kinds.
const (
	KindPolicyForum       = "policy_forum"
	KindTreatyConference  = "treaty_conference"
	KindExpertsGroup      = "experts_group"
	KindOpenForum         = "open_forum"
	StatusPreparing       = "preparing"
	StatusOpen            = "open"
	StatusClosed          = "closed"
	StatusDiscarded       = "discarded"
	defaultForumLanguages = "en"
)

// ForumKinds lists the kinds with their labels, in display order.
var ForumKinds = []Choice{
	{Value: KindPolicyForum, Label: "Policy forum"},
	{Value: KindTreatyConference, Label: "Treaty conference"},
	{Value: KindExpertsGroup, Label: "Experts group"},
	{Value: KindOpenForum, Label: "Open forum"},
}

// ForumStatuses lists the statuses with their labels. A forum is set up
// preparing, opens and closes; one that never opened may be discarded
// instead (DiscardForum), and a closed one reopened (ReopenForum).
var ForumStatuses = []Choice{
	{Value: StatusPreparing, Label: "Preparing"},
	{Value: StatusOpen, Label: "Open"},
	{Value: StatusClosed, Label: "Closed"},
	{Value: StatusDiscarded, Label: "Discarded"},
}

// SettableStatuses are the statuses SetForumStatus gives: preparing, open
// and closed. Discarding and reopening are commands of their own, each
// with its reason on the record.
func SettableStatuses() []Choice { return ForumStatuses[:3] }

// Choice is a value with its label, for select lists.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Choices lists values with the labels their enumeration gives them, for
// select lists of enumerations that keep their labels in a Label method.
func Choices[T ~string](values []T, label func(T) string) []Choice {
	cs := make([]Choice, len(values))
	for i, v := range values {
		cs[i] = Choice{Value: string(v), Label: label(v)}
	}
	return cs
}

// Label returns the label of value in cs, or value itself.
func Label(cs []Choice, value string) string {
	for _, c := range cs {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// Valid reports whether v is one of the values of cs.
func Valid(cs []Choice, v string) bool {
	for _, c := range cs {
		if c.Value == v {
			return true
		}
	}
	return false
}

// Forum is one event or process: WTPF-13, WCIT-12, IGF 2026.
type Forum struct {
	ID            string    `json:"id"`
	Slug          string    `json:"slug"`
	Title         string    `json:"title"`
	Kind          string    `json:"kind"`
	Status        string    `json:"status"`
	StartsOn      string    `json:"starts_on,omitempty"`
	EndsOn        string    `json:"ends_on,omitempty"`
	Venue         string    `json:"venue,omitempty"`
	Languages     []string  `json:"languages"`
	DocPrefix     string    `json:"doc_prefix"`
	DefaultPublic bool      `json:"default_public"`
	Description   string    `json:"description,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// OpenedAt is when the forum first opened; nil for a forum that
	// never did, which may be discarded.
	OpenedAt *time.Time `json:"opened_at,omitempty"`
	// Deadlines are the forum's deadlines, in the order of DeadlineKinds;
	// a kind without one is left out.
	Deadlines []Deadline `json:"deadlines,omitempty"`
}

// KindLabel is the kind for people.
func (f Forum) KindLabel() string { return Label(ForumKinds, f.Kind) }

// StatusLabel is the status for people.
func (f Forum) StatusLabel() string { return Label(ForumStatuses, f.Status) }

// ForumInput is the input of CreateForum and UpdateForum.
type ForumInput struct {
	Slug          string   `json:"slug"`
	Title         string   `json:"title"`
	Kind          string   `json:"kind"`
	StartsOn      string   `json:"starts_on"`
	EndsOn        string   `json:"ends_on"`
	Venue         string   `json:"venue"`
	Languages     []string `json:"languages"`
	DocPrefix     string   `json:"doc_prefix"`
	DefaultPublic *bool    `json:"default_public"`
	Description   string   `json:"description"`
	// Preset chooses the rules of participation when the forum is set up
	// (itu_policy_forum, itu_treaty_conference, multistakeholder_equal,
	// ietf_rough_consensus); empty means the preset matching its kind.
	// It is ignored by UpdateForum: the rules page changes the rules.
	Preset string `json:"preset,omitempty"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)
var LangRE = regexp.MustCompile(`^[a-z]{2,3}$`)
var prefixRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./-]{0,30}$`)

// CheckSlug validates a URL slug.
func CheckSlug(field, s string) error {
	if !slugRE.MatchString(s) {
		return plenary.Invalid(field, "must be 1 to 64 lowercase letters, digits and inner hyphens")
	}
	return nil
}

func CheckDate(field, s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return plenary.Invalid(field, "must be a date written YYYY-MM-DD")
	}
	return nil
}

func (in *ForumInput) validate() error {
	var errs plenary.Errors
	add := func(err error) {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	in.Slug = strings.TrimSpace(in.Slug)
	add(CheckSlug("slug", in.Slug))
	var err error
	in.Title, err = CheckName("title", in.Title, 200)
	add(err)
	if !Valid(ForumKinds, in.Kind) {
		add(plenary.Invalid("kind", "must be one of policy_forum, treaty_conference, experts_group, open_forum"))
	}
	add(CheckDate("starts_on", in.StartsOn))
	add(CheckDate("ends_on", in.EndsOn))
	if in.StartsOn != "" && in.EndsOn != "" && in.EndsOn < in.StartsOn {
		add(plenary.Invalid("ends_on", "must not be before starts_on"))
	}
	in.Venue, err = CheckLine("venue", in.Venue, 200)
	add(err)
	// A language named twice counts once, in its first place: the first
	// language is the forum's main one.
	in.Languages = Dedupe(in.Languages)
	if len(in.Languages) == 0 {
		in.Languages = []string{defaultForumLanguages}
	}
	for _, l := range in.Languages {
		if !LangRE.MatchString(l) {
			add(plenary.Invalid("languages", "%q is not a language code such as en, fr or ar", l))
			break
		}
	}
	in.DocPrefix = strings.TrimSpace(in.DocPrefix)
	if in.DocPrefix == "" {
		in.DocPrefix = strings.ToUpper(in.Slug)
	}
	if !prefixRE.MatchString(in.DocPrefix) {
		add(plenary.Invalid("doc_prefix", "must be up to 31 letters, digits, spaces, dots, slashes or hyphens"))
	}
	in.Description, err = CheckText("description", in.Description, 5000)
	add(err)
	return errs.Err()
}

// CreateForum sets up a forum. Only the secretariat may.
func (s *Kernel) CreateForum(ctx context.Context, a Actor, in ForumInput) (Forum, error) {
	if err := RequireAdmin(a); err != nil {
		return Forum{}, err
	}
	if err := in.validate(); err != nil {
		return Forum{}, err
	}
	var preset rules.Preset
	if in.Preset != "" {
		p, err := CheckPreset("preset", in.Preset)
		if err != nil {
			return Forum{}, err
		}
		preset = p
	}
	now := NowUTC()
	f := Forum{ID: plenary.NewID(), Slug: in.Slug, Title: in.Title, Kind: in.Kind, Status: StatusPreparing,
		StartsOn: in.StartsOn, EndsOn: in.EndsOn, Venue: in.Venue, Languages: in.Languages, DocPrefix: in.DocPrefix,
		DefaultPublic: in.DefaultPublic == nil || *in.DefaultPublic, Description: in.Description, CreatedAt: now, UpdatedAt: now}
	err := s.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO forums (id, slug, title, kind, status, starts_on, ends_on, venue, languages,
			doc_prefix, default_public, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, f.Slug, f.Title, f.Kind, f.Status, f.StartsOn, f.EndsOn, f.Venue, strings.Join(f.Languages, ","),
			f.DocPrefix, f.DefaultPublic, f.Description, now.UnixMilli(), now.UnixMilli())
		if errors.Is(store.MapErr(err), plenary.ErrConflict) {
			return plenary.Invalid("slug", "another forum already uses %q", f.Slug)
		}
		if err != nil {
			return err
		}
		if _, err = tx.Emit(ctx, f.ID, a.LedgerID(), "forum.created", ledger.VisPublic, f); err != nil {
			return err
		}
		if preset.Key != "" {
			_, err = s.ChangeMatrixTx(ctx, tx, a, f, PresetChange(preset))
		}
		return err
	})
	if err != nil {
		return Forum{}, err
	}
	return f, nil
}

// UpdateForum changes a forum's settings (not its slug).
func (s *Kernel) UpdateForum(ctx context.Context, sc *Scope, in ForumInput) (Forum, error) {
	a := sc.Actor
	f := sc.Forum
	var err error
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Forum{}, err
	}
	in.Slug = f.Slug
	if err := in.validate(); err != nil {
		return Forum{}, err
	}
	err = s.Command(ctx, sc, "forum.UpdateForum", func(tx *store.Tx, sc *Scope) error {
		f = sc.Forum // as it stands inside the transaction
		f.Title, f.Kind, f.StartsOn, f.EndsOn, f.Venue = in.Title, in.Kind, in.StartsOn, in.EndsOn, in.Venue
		f.Languages, f.DocPrefix, f.Description = in.Languages, in.DocPrefix, in.Description
		if in.DefaultPublic != nil {
			f.DefaultPublic = *in.DefaultPublic
		}
		f.UpdatedAt = NowUTC()
		if _, err := tx.ExecContext(ctx, `UPDATE forums SET title = ?, kind = ?, starts_on = ?, ends_on = ?, venue = ?, languages = ?,
			doc_prefix = ?, default_public = ?, description = ?, updated_at = ? WHERE id = ?`,
			f.Title, f.Kind, f.StartsOn, f.EndsOn, f.Venue, strings.Join(f.Languages, ","), f.DocPrefix, f.DefaultPublic,
			f.Description, f.UpdatedAt.UnixMilli(), f.ID); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "forum.updated", ledger.VisPublic, f)
		return err
	})
	return f, err
}

// SetForumStatus opens or closes a forum, or takes it back to preparing.
// A closed forum is frozen (see Command): it opens again only through
// ReopenForum, with a reason on the record.
func (s *Kernel) SetForumStatus(ctx context.Context, sc *Scope, status string) (Forum, error) {
	a := sc.Actor
	f := sc.Forum
	var err error
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Forum{}, err
	}
	if status == StatusDiscarded {
		return Forum{}, plenary.Invalid("status", "a forum is discarded by the command to discard it, with a reason")
	}
	if !Valid(SettableStatuses(), status) {
		return Forum{}, plenary.Invalid("status", "must be preparing, open or closed")
	}
	if status == f.Status {
		return f, nil
	}
	err = s.Command(ctx, sc, "forum.SetForumStatus", func(tx *store.Tx, sc *Scope) error {
		f = sc.Forum // as it stands inside the transaction
		from := f.Status
		if from == status {
			return nil
		}
		f.Status, f.UpdatedAt = status, NowUTC()
		if status == StatusOpen && f.OpenedAt == nil {
			opened := f.UpdatedAt
			f.OpenedAt = &opened
		}
		if _, err := tx.ExecContext(ctx, "UPDATE forums SET status = ?, opened_at = ?, updated_at = ? WHERE id = ?",
			f.Status, millisOrNil(f.OpenedAt), f.UpdatedAt.UnixMilli(), f.ID); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "forum.status_changed", ledger.VisPublic,
			map[string]string{"forum_id": f.ID, "from": from, "to": status})
		return err
	})
	return f, err
}

const forumColumns = "id, slug, title, kind, status, starts_on, ends_on, venue, languages, doc_prefix, default_public, description, created_at, updated_at, " +
	"opened_at, contributions_due, proposals_due, registrations_due, applications_due"

func scanForum(sc interface{ Scan(...any) error }) (Forum, error) {
	var f Forum
	var langs string
	var created, updated int64
	var opened sql.NullInt64
	due := make([]sql.NullInt64, len(DeadlineKinds))
	err := sc.Scan(&f.ID, &f.Slug, &f.Title, &f.Kind, &f.Status, &f.StartsOn, &f.EndsOn, &f.Venue, &langs,
		&f.DocPrefix, &f.DefaultPublic, &f.Description, &created, &updated,
		&opened, &due[0], &due[1], &due[2], &due[3])
	f.Languages = strings.Split(langs, ",")
	f.CreatedAt, f.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if opened.Valid {
		t := time.UnixMilli(opened.Int64).UTC()
		f.OpenedAt = &t
	}
	for i, d := range due {
		if d.Valid {
			f.Deadlines = append(f.Deadlines, Deadline{Kind: DeadlineKind(DeadlineKinds[i].Value), Due: time.UnixMilli(d.Int64).UTC()})
		}
	}
	return f, err
}

// millisOrNil is t in Unix milliseconds, or NULL.
func millisOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// ForumBySlug returns a forum. Forums themselves are public.
// A forum's slug never changes, so the id it names is kept forever, and the
// forum itself until its chain moves.
func (s *Kernel) ForumBySlug(ctx context.Context, slug string) (Forum, error) {
	if id, ok := s.cache.Lookup(cache.Forever, "forum-id|"+slug); ok {
		return s.ForumByID(ctx, id.(string))
	}
	f, err := scanForum(s.store.QueryRowContext(ctx, "SELECT "+forumColumns+" FROM forums WHERE slug = ?", slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Forum{}, plenary.NotFound("no forum %q", slug)
	}
	if err == nil {
		s.cache.Put(cache.Forever, "forum-id|"+slug, 0, f.ID, 0)
	}
	return f, err
}

// ForumByID returns a forum.
func (s *Kernel) ForumByID(ctx context.Context, id string) (Forum, error) {
	return cache.Get(s.cache, configChain(id), "forum", func() (Forum, error) {
		f, err := scanForum(s.store.QueryRowContext(ctx, "SELECT "+forumColumns+" FROM forums WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return Forum{}, plenary.NotFound("no such forum")
		}
		return f, err
	})
}

// Forums lists the forums, newest first by start date: every forum but
// those discarded, which are reached only by their slug (their record is
// kept).
func (s *Kernel) Forums(ctx context.Context) ([]Forum, error) {
	rows, err := s.store.QueryContext(ctx, "SELECT "+forumColumns+" FROM forums WHERE status <> ? ORDER BY starts_on DESC, title", StatusDiscarded)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fs []Forum
	for rows.Next() {
		f, err := scanForum(rows)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, rows.Err()
}
