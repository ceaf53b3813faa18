package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the prepared statements kept per pool. The
// statements Plenary sends are text written in Go, so their number is
// small; queries built with IN lists of varying length are the only ones
// that multiply, and once the bound is reached they run unprepared.
const maxCachedStatements = 512

// stmtCache keeps prepared statements of one *sql.DB by their (rebound)
// text, so that a statement is parsed and planned once per connection
// instead of once per execution. modernc.org/sqlite prepares and finalizes
// every statement run without a prepared one, which is a large part of
// the cost of a short one; pgx keeps its own cache of prepared statements
// per connection, so on PostgreSQL Store has none (a nil *stmtCache).
//
// A statement missing from the cache is prepared on the pool, which takes
// a connection. On SQLite the writer is a single connection held by the
// open transaction, so a statement first seen inside a transaction runs
// unprepared and is prepared after the transaction ends (prepareMissed).
type stmtCache struct {
	db     *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	closed bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// lookup returns the prepared statement for query, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	st := c.m[query]
	c.mu.Unlock()
	return st
}

// get returns the prepared statement for query, preparing it when it is
// new and the cache has room; nil when it has none (the caller runs the
// query unprepared). Only for pools where preparing cannot wait on the
// caller itself (the read pool).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st := c.lookup(query); st != nil {
		return st
	}
	c.prepare(ctx, query)
	return c.lookup(query)
}

// prepare prepares query and keeps it, if the cache has room. A query that
// fails to prepare is not kept: running it unprepared reports the error.
func (c *stmtCache) prepare(ctx context.Context, query string) {
	c.mu.Lock()
	_, have := c.m[query]
	full := len(c.m) >= maxCachedStatements
	closed := c.closed
	c.mu.Unlock()
	if have || full || closed {
		return
	}
	st, err := c.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, have := c.m[query]; have || c.closed || len(c.m) >= maxCachedStatements {
		st.Close()
		return
	}
	c.m[query] = st
}

// close closes every kept statement; the cache keeps no more.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m, c.closed = map[string]*sql.Stmt{}, true
}

// len reports how many statements are kept.
func (c *stmtCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
