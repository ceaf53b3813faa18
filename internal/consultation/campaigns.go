package consultation

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/campaign"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// Campaigns are kept per period in an incremental campaign.Index, built
// from the fingerprints stored at intake on the first read after the
// server starts and brought up to date on each read with the comments
// numbered since. Comments are only ever added, in the order of their
// numbers (the forum's lock orders them), so an index that has read up to
// number n has every earlier comment of its period. For a period of 10,000
// comments (BenchmarkCampaigns10000, SQLite, two shared cores), the first
// read after a start, which rebuilds the index from the stored
// fingerprints, takes about 0.15 s; at 240,000 comments the index is built
// in about 4.5 s, which is why Warm builds it at start. Recomputing with
// campaign.Group on every read would hash every comment again each time.

// indexes are the periods' campaign indexes, at most maxIndexes of them.
type indexes struct {
	mu sync.Mutex
	m  map[string]*periodIndex
}

const maxIndexes = 64

type periodIndex struct {
	mu   sync.Mutex
	ix   *campaign.Index
	last int // the highest comment number added
	// multi are the campaigns of two or more comments, by the number of
	// their first comment, so that a read need not walk the singletons.
	multi map[int64]bool
}

func (is *indexes) get(periodID string) *periodIndex {
	is.mu.Lock()
	defer is.mu.Unlock()
	if is.m == nil {
		is.m = map[string]*periodIndex{}
	}
	pi, ok := is.m[periodID]
	if !ok {
		if len(is.m) >= maxIndexes {
			for k := range is.m {
				delete(is.m, k)
				break
			}
		}
		pi = &periodIndex{ix: campaign.NewIndex(0), multi: map[int64]bool{}}
		is.m[periodID] = pi
	}
	return pi
}

// index returns a period's index, locked and up to date; the caller
// unlocks it.
func (s *Service) index(ctx context.Context, q store.Querier, periodID string) (*periodIndex, error) {
	pi := s.indexes.get(periodID)
	pi.mu.Lock()
	if pi.last == 0 {
		// A first read after a start: room for every comment at once,
		// rather than copying the index each time it outgrows itself.
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_comments WHERE period_id = ?", periodID).Scan(&n); err != nil {
			pi.mu.Unlock()
			return nil, err
		}
		pi.ix.Grow(n)
	}
	rows, err := q.QueryContext(ctx, "SELECT number, body, fingerprint FROM consultation_comments WHERE period_id = ? AND number > ? ORDER BY number",
		periodID, pi.last)
	if err != nil {
		pi.mu.Unlock()
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var body string
		var fp []byte
		if err := rows.Scan(&n, &body, &fp); err != nil {
			pi.mu.Unlock()
			return nil, err
		}
		norm := campaign.Normalize(body)
		sig, err := campaign.Decode(fp)
		if err != nil {
			sig = campaign.FingerprintNormalized(norm)
		}
		j := pi.ix.AddNormalized(int64(n), norm, sig)
		if j.Size >= 2 {
			for _, m := range j.Merged {
				delete(pi.multi, m)
			}
			pi.multi[j.Campaign] = true
		}
		pi.last = n
	}
	if err := rows.Err(); err != nil {
		pi.mu.Unlock()
		return nil, err
	}
	return pi, nil
}

// WarmWindow is how long after its close a period's campaign index is
// still built at start (Warm): the weeks a secretariat spends answering
// the comments.
const WarmWindow = 90 * 24 * time.Hour

// DefaultWarmComments is the most comments Warm reads into indexes in
// all, unless Service.WarmComments says otherwise: about 1 KB of memory
// each.
const DefaultWarmComments = 1_000_000

// Warm builds the campaign indexes of the periods a secretariat is
// working on, one after another: those open now or closed in the last
// WarmWindow, the latest to close first, at most half as many as are
// kept and at most s.WarmComments comments in all (a period that would go
// over is left to its first read). Without it the first read of a
// period's campaigns after a start builds its index while the reader
// waits (about 10 s at 240,000 comments). The server runs it in the
// background at start. A period that fails is skipped and its error
// returned with the others; Warm stops when ctx ends. It says how many
// periods and comments it read.
func (s *Service) Warm(ctx context.Context) (periods, comments int, err error) {
	since := s.now().Add(-WarmWindow).UnixMilli()
	rows, err := s.store.QueryContext(ctx, `SELECT p.id, COUNT(*) FROM consultation_periods p
		JOIN consultation_comments c ON c.period_id = p.id
		WHERE p.closes_at >= ? GROUP BY p.id, p.closes_at ORDER BY p.closes_at DESC, p.id LIMIT ?`, since, maxIndexes/2)
	if err != nil {
		return 0, 0, err
	}
	type period struct {
		id string
		n  int
	}
	var ps []period
	for rows.Next() {
		var p period
		if err := rows.Scan(&p.id, &p.n); err != nil {
			rows.Close()
			return 0, 0, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	var errs []error
	for _, p := range ps {
		if err := ctx.Err(); err != nil {
			return periods, comments, errors.Join(append(errs, err)...)
		}
		if comments+p.n > s.WarmComments {
			continue
		}
		pi, err := s.index(ctx, s.store, p.id)
		if err != nil {
			errs = append(errs, fmt.Errorf("period %s: %w", p.id, err))
			continue
		}
		comments += pi.ix.Len()
		pi.mu.Unlock()
		periods++
	}
	return periods, comments, errors.Join(errs...)
}

// Campaign is a group of two or more near-identical comments of a period.
// ID is the number of its first comment; Members are the numbers of all
// its comments, in order, none dropped and none hidden by being in it;
// Variants its distinct normalized texts (the most frequent first) and
// Representative the most frequent. For the public, the texts of hidden
// comments are left out of Variants (their members stay).
type Campaign struct {
	ID             int       `json:"id"`
	Ref            string    `json:"ref"`
	Size           int       `json:"size"`
	Members        []int     `json:"members"`
	Variants       []Variant `json:"variants"`
	Representative string    `json:"representative"`
	// VariantCount is how many variants it has: a list may give only
	// the most frequent of them.
	VariantCount int `json:"variant_count"`
	// Unanswered counts its members without a disposition.
	Unanswered int `json:"unanswered"`
}

// Trim is c with at most members of its comments and variants of its
// variants (0: all); Size and VariantCount still count them all.
func (c Campaign) Trim(members, variants int) Campaign {
	if members > 0 && len(c.Members) > members {
		c.Members = c.Members[:members:members]
	}
	if variants > 0 && len(c.Variants) > variants {
		c.Variants = c.Variants[:variants:variants]
	}
	return c
}

// Variant is one distinct text of a campaign (normalized: case, accents
// and punctuation folded) and how many of its comments have it; First is
// the number of the first of them, whose own words show the variant.
type Variant struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
	First int    `json:"first"`
}

func fromIndex(c campaign.Campaign) Campaign {
	out := Campaign{ID: int(c.ID), Ref: Ref(int(c.ID)), Size: len(c.Members), Representative: c.Representative}
	for _, m := range c.Members {
		out.Members = append(out.Members, int(m))
	}
	for _, v := range c.Variants {
		out.Variants = append(out.Variants, Variant{Text: v.Text, Count: v.Count, First: int(v.First)})
	}
	out.VariantCount = len(out.Variants)
	return out
}

// campaigns are the index's campaigns of two or more comments, the
// largest first (ties by number); pi is locked.
func (pi *periodIndex) campaigns() []campaign.Campaign {
	out := make([]campaign.Campaign, 0, len(pi.multi))
	for id := range pi.multi {
		if c, ok := pi.ix.Campaign(id); ok {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b campaign.Campaign) int {
		if c := cmp.Compare(len(b.Members), len(a.Members)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// campaignOf is the campaign whose first comment is number n, in a
// command's transaction.
func (s *Service) campaignOf(ctx context.Context, q store.Querier, periodID string, n int) (Campaign, bool, error) {
	pi, err := s.index(ctx, q, periodID)
	if err != nil {
		return Campaign{}, false, err
	}
	defer pi.mu.Unlock()
	c, ok := pi.ix.Campaign(int64(n))
	if !ok || int(c.ID) != n {
		return Campaign{}, false, nil
	}
	return fromIndex(c), true, nil
}

// Campaigns are a period's campaigns, the largest first: every group of
// two or more near-identical comments.
func (s *Service) Campaigns(ctx context.Context, sc *forum.Scope, periodID string) ([]Campaign, error) {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	sec, err := secretariat(ctx, sc)
	if err != nil {
		return nil, err
	}
	// Kept until the forum's record moves (a comment, a hiding, a
	// disposition): at 240,000 comments a read takes about 0.4 s. Callers
	// share the slice and must not change it.
	key := "consultation-campaigns|" + p.ID
	if sec {
		key += "|secretariat"
	}
	return cache.Get(s.kernel.Cache(), sc.Forum.ID, key, func() ([]Campaign, error) { return s.campaigns(ctx, p.ID, sec) })
}

// campaigns computes Campaigns for the secretariat or for anyone else.
func (s *Service) campaigns(ctx context.Context, periodID string, sec bool) ([]Campaign, error) {
	state, err := s.memberStates(ctx, periodID)
	if err != nil {
		return nil, err
	}
	pi, err := s.index(ctx, s.store, periodID)
	if err != nil {
		return nil, err
	}
	var out []Campaign
	for _, c := range pi.campaigns() {
		cp := fromIndex(c)
		if !sec {
			cp.Variants, cp.Representative = visibleVariants(cp.Members, pi.ix, state)
			cp.VariantCount = len(cp.Variants)
		}
		for _, m := range cp.Members {
			if !state[m].answered {
				cp.Unanswered++
			}
		}
		out = append(out, cp)
	}
	pi.mu.Unlock()
	if out == nil {
		out = []Campaign{}
	}
	return out, nil
}

type memberState struct{ hidden, answered bool }

// memberStates are the period's comments that are hidden or answered, by
// number; a comment that is neither is absent. It reads only those: the
// hidden ones through their own index, and the current dispositions.
func (s *Service) memberStates(ctx context.Context, periodID string) (map[int]memberState, error) {
	out := map[int]memberState{}
	read := func(query string, set func(*memberState), args ...any) error {
		rows, err := s.store.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n int
			if err := rows.Scan(&n); err != nil {
				return err
			}
			st := out[n]
			set(&st)
			out[n] = st
		}
		return rows.Err()
	}
	// "AND hidden", not "= ?": the partial index's own condition.
	if err := read("SELECT number FROM consultation_comments WHERE period_id = ? AND hidden",
		func(st *memberState) { st.hidden = true }, periodID); err != nil {
		return nil, err
	}
	if err := read(`SELECT c.number FROM consultation_dispositions d JOIN consultation_comments c ON c.id = d.comment_id
		WHERE d.period_id = ? AND d.is_current = ?`, func(st *memberState) { st.answered = true }, periodID, true); err != nil {
		return nil, err
	}
	return out, nil
}

// visibleVariants counts the texts of a campaign's members that are not
// hidden.
func visibleVariants(members []int, ix *campaign.Index, state map[int]memberState) ([]Variant, string) {
	count := map[string]int{}
	first := map[string]int{}
	var order []string
	for _, m := range members {
		if state[m].hidden {
			continue
		}
		t, _ := ix.Text(int64(m))
		if count[t] == 0 {
			order = append(order, t)
			first[t] = m
		}
		count[t]++
	}
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	vs := make([]Variant, len(order))
	for i, t := range order {
		vs[i] = Variant{Text: t, Count: count[t], First: first[t]}
	}
	if len(vs) == 0 {
		return vs, ""
	}
	return vs, vs[0].Text
}

// Flag is a sign that comments of a period may be fabricated, for the
// secretariat only: a burst of comments from one address (Kind "burst"),
// or a campaign whose variants look filled in from a template (Kind
// "template"). A flag hides nothing: the public sees the comments.
type Flag struct {
	Kind     string `json:"kind"`
	Comments []int  `json:"comments"`
	// CommentCount is how many comments it names: a list may give only
	// the first of them.
	CommentCount int    `json:"comment_count"`
	Reason       string `json:"reason"`
}

// Trim is f with at most n of its comments (0: all); CommentCount still
// counts them all.
func (f Flag) Trim(n int) Flag {
	if n > 0 && len(f.Comments) > n {
		f.Comments = f.Comments[:n:n]
	}
	return f
}

// Flags are the signs of fabrication in a period, for the secretariat.
func (s *Service) Flags(ctx context.Context, sc *forum.Scope, periodID string) ([]Flag, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return nil, err
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.QueryContext(ctx, "SELECT number, address_hash, created_at FROM consultation_comments WHERE period_id = ? AND address_hash <> ?", p.ID, "")
	if err != nil {
		return nil, err
	}
	var items []campaign.Item
	for rows.Next() {
		var n int
		var addr string
		var at int64
		if err := rows.Scan(&n, &addr, &at); err != nil {
			rows.Close()
			return nil, err
		}
		// The keyed hash, shortened: it names an address without saying it.
		items = append(items, campaign.Item{ID: int64(n), Address: "#" + addr[:min(len(addr), 10)], At: time.UnixMilli(at).UTC()})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []Flag{}
	for _, b := range campaign.Bursts(items, s.BurstWindow, s.BurstSize) {
		f := Flag{Kind: "burst", Reason: b.Reason}
		for _, id := range b.IDs {
			f.Comments = append(f.Comments, int(id))
		}
		f.CommentCount = len(f.Comments)
		out = append(out, f)
	}
	pi, err := s.index(ctx, s.store, p.ID)
	if err != nil {
		return nil, err
	}
	defer pi.mu.Unlock()
	for _, c := range pi.campaigns() {
		if t, ok := campaign.Template(c, s.TemplatePositions); ok {
			ms := fromIndex(c).Members
			out = append(out, Flag{Kind: "template", Comments: ms, CommentCount: len(ms), Reason: "campaign " + Ref(int(c.ID)) + ": " + t.Reason})
		}
	}
	return out, nil
}
