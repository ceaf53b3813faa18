// Package cache keeps values derived from the record until the record
// changes: Plenary's one mechanism for not reading or computing the same
// thing twice. A value is kept under a chain (a forum's ledger chain, whose
// events are the only way that forum's state changes) and is valid while
// that chain's generation has not moved since it was computed. Values that
// never change (a decoded revision, a decoded rights matrix) are kept under
// Forever, which never moves; pages that do not belong to one forum are
// kept under Any, which moves with every chain.
//
// Generations move when this process commits to a chain and when another
// process's commit is announced (PostgreSQL LISTEN); after a lost
// notification everything moves at once. A reader may therefore see a
// value one notification late, never a value from before a commit it has
// itself made. Commands never decide on cached values: they read inside
// their transaction.
package cache

import (
	"sync"
	"sync/atomic"
	"time"
)

// Forever is the chain of values that never change once computed.
const Forever = "\x00forever"

// Any is the chain of values that depend on every chain: its generation
// moves with any of them.
const Any = ""

// Generations counts the changes of each chain.
type Generations struct {
	mu     sync.RWMutex
	chains map[string]int64
	all    atomic.Int64 // moves with every change
	epoch  atomic.Int64 // moves when everything is invalid at once
}

// NewGenerations returns generations at zero.
func NewGenerations() *Generations { return &Generations{chains: map[string]int64{}} }

// Bump moves the generation of chain (and of Any).
func (g *Generations) Bump(chain string) {
	g.mu.Lock()
	g.chains[chain]++
	g.mu.Unlock()
	g.all.Add(1)
}

// BumpAll moves every generation: the changes are not known, for example
// after a lost connection to the notifier.
func (g *Generations) BumpAll() {
	g.epoch.Add(1)
	g.all.Add(1)
}

// Of returns the generation of chain.
func (g *Generations) Of(chain string) int64 {
	switch chain {
	case Forever:
		return 0
	case Any:
		return g.all.Load()
	}
	g.mu.RLock()
	n := g.chains[chain]
	g.mu.RUnlock()
	return n + g.epoch.Load()<<32
}

// Options bound a cache.
type Options struct {
	// MaxEntries bounds the number of values kept (default 10,000).
	MaxEntries int
	// MaxBytes bounds the sizes given to Put, added up (0: no bound).
	MaxBytes int
	// MaxAge bounds how long a value is kept (0: until its chain moves).
	MaxAge time.Duration
}

// Cache keeps values by chain and key.
type Cache struct {
	gens *Generations
	opt  Options

	mu      sync.Mutex
	entries map[entryKey]entry
	bytes   int
	hits    atomic.Int64
	misses  atomic.Int64
}

type entryKey struct{ chain, key string }

type entry struct {
	gen  int64
	at   time.Time
	v    any
	size int
}

// New returns an empty cache over generations g.
func New(g *Generations, o Options) *Cache {
	if o.MaxEntries <= 0 {
		o.MaxEntries = 10000
	}
	return &Cache{gens: g, opt: o, entries: map[entryKey]entry{}}
}

// Generation returns the current generation of chain. Read it before
// computing a value, and give it to Put: a value computed while the chain
// moved is then never served.
func (c *Cache) Generation(chain string) int64 { return c.gens.Of(chain) }

// Lookup returns the value kept under chain and key, if it is still valid.
func (c *Cache) Lookup(chain, key string) (any, bool) {
	gen := c.gens.Of(chain)
	c.mu.Lock()
	e, ok := c.entries[entryKey{chain, key}]
	c.mu.Unlock()
	if !ok || e.gen != gen || (c.opt.MaxAge > 0 && time.Since(e.at) > c.opt.MaxAge) {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	return e.v, true
}

// Put keeps v, computed at generation gen of chain, with its size in
// bytes (0 when it does not count against MaxBytes). A value whose chain
// has moved since gen is not kept.
func (c *Cache) Put(chain, key string, gen int64, v any, size int) {
	if gen != c.gens.Of(chain) || (c.opt.MaxBytes > 0 && size > c.opt.MaxBytes/16) {
		return
	}
	k := entryKey{chain, key}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[k]; ok {
		c.bytes -= old.size
		delete(c.entries, k)
	}
	full := func() bool {
		return len(c.entries) >= c.opt.MaxEntries || (c.opt.MaxBytes > 0 && c.bytes+size > c.opt.MaxBytes)
	}
	// Make room: stale entries first, then any (map order is arbitrary).
	for pass := 0; pass < 2 && full(); pass++ {
		for ek, e := range c.entries {
			if !full() {
				break
			}
			if pass == 1 || e.gen != c.gens.Of(ek.chain) {
				c.bytes -= e.size
				delete(c.entries, ek)
			}
		}
	}
	c.entries[k] = entry{gen: gen, at: time.Now(), v: v, size: size}
	c.bytes += size
}

// Stats returns the hits and misses of Lookup so far.
func (c *Cache) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Get returns the value kept under chain and key, computing and keeping it
// when there is none. Errors are returned, never kept.
func Get[T any](c *Cache, chain, key string, compute func() (T, error)) (T, error) {
	if c == nil {
		return compute()
	}
	if v, ok := c.Lookup(chain, key); ok {
		if t, ok := v.(T); ok {
			return t, nil
		}
	}
	gen := c.Generation(chain)
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.Put(chain, key, gen, v, 0)
	return v, nil
}
