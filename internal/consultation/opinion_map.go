package consultation

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/opinion"
)

// StatementFilter selects statements by state; the zero value is every
// statement the reader may see.
type StatementFilter struct {
	State StatementState `json:"state,omitempty"`
}

// Statements lists the period's statements with their votes, by number.
// The public sees the accepted ones; a participant also their own, pending
// or rejected; the secretariat every one.
func (s *Service) Statements(ctx context.Context, sc *forum.Scope, periodID string, flt StatementFilter) ([]Statement, error) {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	sec, err := secretariat(ctx, sc)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + statementColumns + `,
		(SELECT COUNT(*) FROM consultation_votes v WHERE v.statement_id = s.id AND v.value > 0),
		(SELECT COUNT(*) FROM consultation_votes v WHERE v.statement_id = s.id AND v.value < 0),
		(SELECT COUNT(*) FROM consultation_votes v WHERE v.statement_id = s.id AND v.value = 0)
		FROM consultation_statements s WHERE s.period_id = ?`
	args := []any{p.ID}
	if !sec {
		q += " AND (s.state = ? OR (s.user_id <> '' AND s.user_id = ?))"
		args = append(args, string(StatementAccepted), sc.Actor.UserID)
	}
	if flt.State != "" {
		q += " AND s.state = ?"
		args = append(args, string(flt.State))
	}
	rows, err := s.store.QueryContext(ctx, q+" ORDER BY s.number", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Statement{}
	for rows.Next() {
		var a, d, ps int
		st, err := scanStatement(rows, &a, &d, &ps)
		if err != nil {
			return nil, err
		}
		st.Agrees, st.Disagrees, st.Passes = a, d, ps
		out = append(out, st)
	}
	return out, rows.Err()
}

// Ballot is what a voter sees next: the next accepted statement they have
// not voted on (nil when none is left), and how far they are.
type Ballot struct {
	Next *Statement `json:"next,omitempty"`
	// Voted is how many statements the voter has voted on, of Open.
	Voted int `json:"voted"`
	Open  int `json:"open"`
	// Group is the voter's declared stakeholder group ("" before the
	// first vote, or the group of their latest comment in the period).
	Group string `json:"group,omitempty"`
	// Counted: the voter has cast opinion.DefaultMinVotes votes or more,
	// and so is placed on the map.
	Counted bool `json:"counted"`
}

// MinVotes is how many votes a participant casts before the map counts
// them, as in Polis.
const MinVotes = 7

// NextBallot returns the actor's next statement to vote on.
func (s *Service) NextBallot(ctx context.Context, sc *forum.Scope, periodID string) (Ballot, error) {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return Ballot{}, err
	}
	var b Ballot
	if err := s.store.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_statements WHERE period_id = ? AND state = ?",
		p.ID, string(StatementAccepted)).Scan(&b.Open); err != nil {
		return Ballot{}, err
	}
	voter := ""
	if sc.Actor.UserID != "" {
		err := s.store.QueryRowContext(ctx, "SELECT id, group_key FROM consultation_voters WHERE period_id = ? AND user_id = ?", p.ID, sc.Actor.UserID).
			Scan(&voter, &b.Group)
		if err != nil && !isNoRows(err) {
			return Ballot{}, err
		}
		if voter == "" {
			err := s.store.QueryRowContext(ctx, "SELECT group_key FROM consultation_comments WHERE period_id = ? AND user_id = ? ORDER BY number DESC",
				p.ID, sc.Actor.UserID).Scan(&b.Group)
			if err != nil && !isNoRows(err) {
				return Ballot{}, err
			}
		}
	}
	if voter != "" {
		if err := s.store.QueryRowContext(ctx, `SELECT COUNT(*) FROM consultation_votes v JOIN consultation_statements s ON s.id = v.statement_id
			WHERE v.voter_id = ? AND s.state = ?`, voter, string(StatementAccepted)).Scan(&b.Voted); err != nil {
			return Ballot{}, err
		}
	}
	st, err := scanStatement(s.store.QueryRowContext(ctx, "SELECT "+statementColumns+` FROM consultation_statements s
		WHERE s.period_id = ? AND s.state = ? AND NOT EXISTS (SELECT 1 FROM consultation_votes v WHERE v.statement_id = s.id AND v.voter_id = ?)
		ORDER BY s.number LIMIT 1`, p.ID, string(StatementAccepted), voter))
	switch {
	case err == nil:
		b.Next = &st
	case !isNoRows(err):
		return Ballot{}, err
	}
	b.Counted = b.Voted >= min(MinVotes, max(b.Open, 1))
	return b, nil
}

// OpinionMap is a period's opinion map: the map computed by
// internal/opinion from the votes on its accepted statements, with the
// statements to read it by. Participants are the voters' numbers,
// statements the statements' numbers.
type OpinionMap struct {
	PeriodID string `json:"period_id"`
	// Version is the votes' version the map was computed from.
	Version    int64             `json:"version"`
	ComputedAt time.Time         `json:"computed_at"`
	Took       time.Duration     `json:"took"`
	Votes      int               `json:"votes"`
	Map        opinion.Map       `json:"map"`
	Statements map[int]Statement `json:"statements"`
	// GroupLabels are the declared stakeholder groups' names by key.
	GroupLabels map[string]string `json:"group_labels"`
}

// Statement is the statement of number n (an empty one if unknown).
func (m *OpinionMap) Statement(n int) Statement { return m.Statements[n] }

// DeclaredLabel is the name of a declared group.
func (m *OpinionMap) DeclaredLabel(key string) string {
	if l, ok := m.GroupLabels[key]; ok {
		return l
	}
	return key
}

// mapCache keeps each period's map until its version moves, per Service:
// computing a map is the costly read of a consultation, done once per
// change of the votes, not once per page view.
type mapCache struct {
	mu       sync.Mutex
	periods  map[string]*cachedMap
	computed atomic.Int64
}

type cachedMap struct {
	mu  sync.Mutex // held while computing, so concurrent readers wait for one computation
	m   *OpinionMap
	ver int64
}

var mapCaches sync.Map // *Service -> *mapCache

func (s *Service) maps() *mapCache {
	if c, ok := mapCaches.Load(s); ok {
		return c.(*mapCache)
	}
	c, _ := mapCaches.LoadOrStore(s, &mapCache{periods: map[string]*cachedMap{}})
	return c.(*mapCache)
}

// MapComputations is how many times this service has computed an opinion
// map: once per change of a period's votes, however often it is read.
func (s *Service) MapComputations() int64 { return s.maps().computed.Load() }

// MapSeed is the seed of the maps' clustering: the same votes give the
// same map.
const MapSeed = 1

// OpinionMap returns the period's opinion map, computed when its votes
// have changed since it was last computed, kept otherwise.
func (s *Service) OpinionMap(ctx context.Context, sc *forum.Scope, periodID string) (*OpinionMap, error) {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	ver, ok, err := mapVersion(ctx, s.store, p.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, plenary.NotFound("the comment period %q has no opinion map", p.Title)
	}
	c := s.maps()
	c.mu.Lock()
	e := c.periods[p.ID]
	if e == nil {
		e = &cachedMap{ver: -1}
		c.periods[p.ID] = e
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m != nil && e.ver >= ver {
		return e.m, nil
	}
	m, err := s.computeMap(ctx, sc, p)
	if err != nil {
		return nil, err
	}
	c.computed.Add(1)
	e.m, e.ver = m, m.Version
	return m, nil
}

// computeMap reads the votes and computes the map. The version is read
// before the votes: a vote cast meanwhile may be in the map, kept under
// the version before it, and the next read computes it again; a map is
// never kept under a version whose votes it lacks.
func (s *Service) computeMap(ctx context.Context, sc *forum.Scope, p Period) (*OpinionMap, error) {
	tx := s.store
	var err error
	out := &OpinionMap{PeriodID: p.ID, Statements: map[int]Statement{}, GroupLabels: map[string]string{}}
	if out.Version, _, err = mapVersion(ctx, tx, p.ID); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+statementColumns+" FROM consultation_statements s WHERE s.period_id = ? ORDER BY s.number", p.ID)
	if err != nil {
		return nil, err
	}
	excluded := map[int]bool{}
	for rows.Next() {
		st, err := scanStatement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if st.State != StatementAccepted {
			excluded[st.Number] = true
			continue
		}
		out.Statements[st.Number] = st
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	declared := map[int]string{}
	rows, err = tx.QueryContext(ctx, "SELECT number, group_key FROM consultation_voters WHERE period_id = ? AND group_key <> ''", p.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n int
		var g string
		if err := rows.Scan(&n, &g); err != nil {
			rows.Close()
			return nil, err
		}
		declared[n] = g
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT voter_number, statement_number, value FROM consultation_votes WHERE period_id = ?
		ORDER BY voter_number, statement_number`, p.ID)
	if err != nil {
		return nil, err
	}
	// One row per voter and statement: the order does not matter, but a
	// fixed one keeps the map the same for the same votes.
	var votes opinion.Votes
	for rows.Next() {
		var v opinion.Vote
		var val int
		if err := rows.Scan(&v.Participant, &v.Statement, &val); err != nil {
			rows.Close()
			return nil, err
		}
		v.Value = int8(val)
		votes = append(votes, v)
		if st, ok := out.Statements[v.Statement]; ok {
			switch {
			case val > 0:
				st.Agrees++
			case val < 0:
				st.Disagrees++
			default:
				st.Passes++
			}
			out.Statements[v.Statement] = st
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	gs, err := s.Groups(ctx, sc)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		out.GroupLabels[g.Value] = g.Label
	}
	start := time.Now()
	opts := opinion.Options{MinVotes: MinVotes, Seed: MapSeed, Excluded: excluded}
	if len(declared) > 0 {
		opts.DeclaredGroups = declared
	}
	out.Map = opinion.Compute(votes, opts)
	if opts.DeclaredGroups != nil && out.Map.Declared != nil {
		for i := range out.Map.Declared.Groups {
			g := &out.Map.Declared.Groups[i]
			g.Label = out.DeclaredLabel(g.Label)
		}
	}
	out.Took = time.Since(start)
	out.ComputedAt = s.now()
	out.Votes = len(votes)
	return out, nil
}

// VoteRecord is a vote as the open data gives it: the statement's and the
// voter's numbers in the period, the voter's declared group, the vote (1
// agree, -1 disagree, 0 pass) and when it was cast. No account is named.
type VoteRecord struct {
	Statement int
	Voter     int
	Group     string
	Value     int
	CastAt    time.Time
}

// EachVote calls fn with each of the period's votes on the statements the
// reader may see (as Statements lists them), by statement then voter
// number, holding none of them: a map can have millions. It stops at fn's
// first error and returns it.
func (s *Service) EachVote(ctx context.Context, sc *forum.Scope, periodID string, fn func(VoteRecord) error) error {
	sts, err := s.Statements(ctx, sc, periodID, StatementFilter{})
	if err != nil {
		return err
	}
	seen := map[int]bool{}
	for _, st := range sts {
		seen[st.Number] = true
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return err
	}
	rows, err := s.store.QueryContext(ctx, `SELECT v.statement_number, v.voter_number, g.group_key, v.value, v.cast_at
		FROM consultation_votes v JOIN consultation_voters g ON g.id = v.voter_id WHERE v.period_id = ?
		ORDER BY v.statement_number, v.voter_number`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r VoteRecord
		var at int64
		if err := rows.Scan(&r.Statement, &r.Voter, &r.Group, &r.Value, &at); err != nil {
			return err
		}
		if seen[r.Statement] {
			r.CastAt = time.UnixMilli(at).UTC()
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
