package servertest

import (
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/plenary-forum/plenary/internal/store"
)

// Statements counts the SQL statements the site runs for the requests it
// serves while Measure runs. Install its Middleware when starting the
// site:
//
//	var sts servertest.Statements
//	s := servertest.New(t, servertest.Options{Middleware: sts.Middleware})
//	n := sts.Measure(func() { c.Get("/forums/wtpf-13") })
//
// The count is of the statements run under the request's context (see
// store.Counter): work a handler does under a context of its own is not
// in it.
type Statements struct {
	current atomic.Pointer[store.Counter]
	// inflight is read-held by each counted request, so that Measure
	// can wait for them all.
	inflight sync.RWMutex
	// Keep keeps the text of the statements of the last Measure
	// (LastStatements), for a test that says which they were.
	Keep bool
	last []string
}

// LastStatements returns the statements of the last Measure, when Keep is set.
func (s *Statements) LastStatements() []string { return s.last }

// Middleware puts the current counter, if Measure is running, in the
// context of each request.
func (s *Statements) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.RLock()
		c := s.current.Load()
		if c == nil {
			s.inflight.RUnlock()
			next.ServeHTTP(w, r)
			return
		}
		defer s.inflight.RUnlock()
		next.ServeHTTP(w, r.WithContext(store.WithCounter(r.Context(), c)))
	})
}

// Measure runs fn, which sends requests to the site, and returns the
// number of statements those requests ran, once every one of them has
// finished on the server (a client may have its answer before the
// handler returns). Measures must not overlap, and fn must not leave a
// request running (a live stream), which Measure would wait for.
func (s *Statements) Measure(fn func()) int64 {
	c := &store.Counter{Keep: s.Keep}
	if !s.current.CompareAndSwap(nil, c) {
		panic("servertest: Statements.Measure inside another Measure")
	}
	defer s.current.Store(nil)
	fn()
	s.current.Store(nil)
	s.inflight.Lock() // every request that took c has finished
	s.last = c.Statements()
	s.inflight.Unlock()
	return c.Count()
}
