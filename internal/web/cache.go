package web

import (
	"bytes"
	"net/http"
	"sync"
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
)

// pageCache keeps pages rendered for anonymous visitors, the bulk of the
// traffic when a forum's new text is published and everyone opens it at
// once. An entry is valid while no ledger event has been committed since it
// was rendered (the broker's generation), and for at most maxAge, so that
// time-driven changes (an embargo passing) show soon even before the
// periodic release records them. Only pages without a CSRF token are
// kept: forms are always rendered afresh.
type pageCache struct {
	mu       sync.Mutex
	entries  map[string]cacheEntry
	bytes    int
	maxBytes int
	maxAge   time.Duration
}

type cacheEntry struct {
	gen    int64
	at     time.Time
	status int
	body   []byte
}

func newPageCache() *pageCache {
	return &pageCache{entries: map[string]cacheEntry{}, maxBytes: 32 << 20, maxAge: 30 * time.Second}
}

// cacheKey returns the key of a request whose page may be cached, or "".
func cacheKey(r *http.Request) string {
	if r.Method != http.MethodGet || forum.ActorFrom(r.Context()).LoggedIn() || flashFrom(r) != "" {
		return ""
	}
	return r.Header.Get("HX-Request") + "|" + r.Header.Get("HX-Target") + "|" + r.URL.RequestURI()
}

func (c *pageCache) get(key string, gen int64) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.gen != gen || time.Since(e.at) > c.maxAge {
		return cacheEntry{}, false
	}
	return e, true
}

func (c *pageCache) put(key string, gen int64, status int, body []byte, csrf string) {
	if key == "" || status != http.StatusOK || (csrf != "" && bytes.Contains(body, []byte(csrf))) || len(body) > c.maxBytes/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.bytes -= len(old.body)
	}
	for k, e := range c.entries { // evict stale entries, then any, until there is room
		if c.bytes+len(body) <= c.maxBytes {
			break
		}
		if e.gen != gen || c.bytes+len(body) > c.maxBytes {
			c.bytes -= len(e.body)
			delete(c.entries, k)
		}
	}
	c.entries[key] = cacheEntry{gen: gen, at: time.Now(), status: status, body: append([]byte(nil), body...)}
	c.bytes += len(body)
}

// memo keeps values derived from the state, such as the participation
// summary every forum page shows, until the next ledger event: all of
// them are dropped when the broker's generation moves, and the map is
// bounded by dropping everything when full. Errors are returned, never
// kept.
type memo struct {
	mu     sync.Mutex
	gen    int64
	values map[string]any
	broker interface{ Generation() int64 }
}

func (m *memo) get(key string, compute func() (any, error)) (any, error) {
	if m.broker == nil {
		return compute()
	}
	gen := m.broker.Generation()
	m.mu.Lock()
	if m.gen != gen || len(m.values) > 10000 {
		m.values, m.gen = map[string]any{}, gen
	}
	v, ok := m.values[key]
	m.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	// v belongs to generation gen, read before computing it: if an event
	// came meanwhile, the next get sees a newer generation and drops it.
	if m.gen == gen {
		m.values[key] = v
	}
	m.mu.Unlock()
	return v, nil
}
