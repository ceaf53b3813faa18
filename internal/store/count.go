package store

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
)

// Counter counts the SQL statements sent to the database under a context
// that carries it (WithCounter): every QueryContext, QueryRowContext and
// ExecContext on a Store or a Tx, statements inside a transaction
// included. Beginning and committing a transaction are not statements
// here, nor are migrations. A Counter is safe for concurrent use; its zero
// value counts from zero.
//
// Tests use it to see how many statements one HTTP request costs, and
// whether that number grows with the data.
type Counter struct {
	n atomic.Int64
	// Keep, when set before use, keeps the text of each statement, for a
	// test that says which statements a request sent.
	Keep bool
	mu   sync.Mutex
	kept []string
}

// Statements returns the statements kept so far (see Keep).
func (c *Counter) Statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.kept...)
}

// Count returns the number of statements counted so far.
func (c *Counter) Count() int64 { return c.n.Load() }

// Reset sets the count back to zero and returns what it was.
func (c *Counter) Reset() int64 {
	c.mu.Lock()
	c.kept = nil
	c.mu.Unlock()
	return c.n.Swap(0)
}

type counterKey struct{}

// WithCounter returns a context whose statements c counts. A context
// carries one counter: an inner WithCounter replaces the outer one.
func WithCounter(ctx context.Context, c *Counter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

// CounterFrom returns the counter ctx carries, or nil.
func CounterFrom(ctx context.Context) *Counter {
	c, _ := ctx.Value(counterKey{}).(*Counter)
	return c
}

// count adds one statement to the counter of ctx, if it carries one.
// Without a counter its cost is one context lookup.
func count(ctx context.Context, query string) {
	if c, ok := ctx.Value(counterKey{}).(*Counter); ok && c != nil {
		c.n.Add(1)
		if c.Keep {
			c.mu.Lock()
			c.kept = append(c.kept, strings.Join(strings.Fields(query), " "))
			c.mu.Unlock()
		}
	}
}
