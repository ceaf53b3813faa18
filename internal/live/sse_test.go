package live_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

func bigEvents(t *testing.T, st *store.Store, chain, vis string, n, size int) map[string]int64 {
	t.Helper()
	text := strings.Repeat("x", size)
	appended, err := st.Write(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			if _, err := tx.Emit(context.Background(), chain, "system", "test.happened", vis, map[string]any{"i": i, "text": text}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return appended
}

func TestQueueIsBoundedByBytes(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{QueueBytes: 20 << 10})
	defer b.Close()
	// An event larger than the bound still reaches an empty queue.
	big, _ := b.Subscribe(context.Background(), "f")
	b.NotifyAll(bigEvents(t, st, "f", ledger.VisPublic, 1, 30<<10))
	select {
	case <-big.Ready():
	case <-time.After(5 * time.Second):
		t.Fatal("an event larger than the queue's bound was not delivered")
	}
	if evs := big.Take(1); len(evs) != 1 || evs[0].Seq != 1 {
		t.Fatalf("took %v", evs)
	}
	// A subscriber that takes nothing is cut off once its queue holds
	// the bound.
	slow, _ := b.Subscribe(context.Background(), "f")
	for i := 0; i < 6; i++ {
		b.NotifyAll(bigEvents(t, st, "f", ledger.VisPublic, 1, 4<<10))
	}
	select {
	case <-slow.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a subscriber holding more than QueueBytes was not cut off")
	}
	if !slow.Slow() {
		t.Fatal("cut off but not marked slow")
	}
	if n, bytes := slow.Queued(); n != 0 || bytes != 0 {
		t.Fatalf("a cut-off subscriber still holds %d events (%d bytes)", n, bytes)
	}
	// Take hands out a bounded part of the queue.
	sub, _ := b.Subscribe(context.Background(), "g")
	b.NotifyAll(bigEvents(t, st, "g", ledger.VisPublic, 4, 4<<10))
	for start := time.Now(); ; {
		if n, _ := sub.Queued(); n == 4 {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("4 events were not queued")
		}
		time.Sleep(time.Millisecond)
	}
	if evs := sub.Take(6 << 10); len(evs) != 2 {
		t.Fatalf("Take(6 KiB) of events of 4 KiB took %d, want 2", len(evs))
	}
	if n, bytes := sub.Queued(); n != 2 || bytes < 8<<10 || bytes > 10<<10 {
		t.Fatalf("left %d events, %d bytes", n, bytes)
	}
}

// connTracker records the connections a test server closed, by the
// client's address.
type connTracker struct {
	mu     sync.Mutex
	closed map[string]bool
}

func (c *connTracker) hook(conn net.Conn, s http.ConnState) {
	if s == http.StateClosed || s == http.StateHijacked {
		c.mu.Lock()
		c.closed[conn.RemoteAddr().String()] = true
		c.mu.Unlock()
	}
}

func (c *connTracker) isClosed(addr string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed[addr]
}

func serveStreams(t *testing.T, st *store.Store, b *live.Broker) (*httptest.Server, *connTracker) {
	t.Helper()
	tr := &connTracker{closed: map[string]bool{}}
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := live.ServeChain(w, r, b, st, "f", live.Rights{CanSee: func(v string) bool { return v == ledger.VisPublic }}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	hs.Config.ConnState = tr.hook
	hs.Start()
	t.Cleanup(func() {
		b.Close()
		hs.CloseClientConnections()
		hs.Close()
	})
	return hs, tr
}

// dialStream asks for the stream on a raw connection, and reads nothing.
func dialStream(t *testing.T, hs *httptest.Server, query string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", hs.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := fmt.Fprintf(c, "GET /%s HTTP/1.1\r\nHost: test\r\n\r\n", query); err != nil {
		t.Fatal(err)
	}
	return c
}

// readIDs reads a stream's event ids (with data) until want arrive.
func readIDs(t *testing.T, resp *http.Response, want int) <-chan []string {
	out := make(chan []string, 1)
	go func() {
		out <- scanIDs(resp, nil, want)
	}()
	return out
}

func scanIDs(resp *http.Response, ids []string, want int) []string {
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	id := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "id: "):
			id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: ") && id != "":
			ids = append(ids, id)
			id = ""
			if len(ids) == want {
				return ids
			}
		}
	}
	return ids
}

// follow reads the stream at url (of a chain empty when it opens) as
// EventSource does, reconnecting with Last-Event-ID when it ends, until
// want events arrive.
func follow(t *testing.T, url string, want int, subscribed func()) <-chan []string {
	out := make(chan []string, 1)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	subscribed()
	go func() {
		var ids []string
		for i := 0; ; i++ {
			ids = scanIDs(resp, ids, want)
			resp.Body.Close()
			if len(ids) == want || i == 20 {
				out <- ids
				return
			}
			req, _ := http.NewRequest("GET", url, nil)
			last := "0" // the chain was empty when the stream opened
			if len(ids) > 0 {
				last = ids[len(ids)-1]
			}
			req.Header.Set("Last-Event-ID", last)
			if resp, err = http.DefaultClient.Do(req); err != nil {
				out <- ids
				return
			}
		}
	}()
	return out
}

// A client that stops reading a live stream has its connection closed
// once a write has waited WriteTimeout (its queue may overflow first, which
// cuts it off), while a client beside it gets every event (reconnecting,
// as EventSource does, should a burst overflow its queue too).
func TestStreamOfAClientThatStopsReadingIsClosed(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{QueueLen: 8, Stream: live.StreamOptions{WriteTimeout: 500 * time.Millisecond}})
	hs, tr := serveStreams(t, st, b)
	stuck := dialStream(t, hs, "")
	const n = 60
	got := follow(t, hs.URL, n, func() {
		for b.Stats().Subscribers < 2 {
			time.Sleep(time.Millisecond)
		}
	})
	// More than the kernel's socket buffers take: the stuck stream's
	// write blocks, and its queue overflows.
	start := time.Now()
	for i := 0; i < n/10; i++ {
		b.NotifyAll(bigEvents(t, st, "f", ledger.VisPublic, 10, 256<<10))
	}
	for !tr.isClosed(stuck.LocalAddr().String()) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("the connection of a client that does not read is still open after %s (stats %+v)", time.Since(start), b.Stats())
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case ids := <-got:
		if len(ids) != n || ids[0] != "1" || ids[n-1] != fmt.Sprint(n) {
			t.Fatalf("the reading client got %d events: %v...", len(ids), ids[:min(len(ids), 3)])
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the reading client did not get every event")
	}
	if s := b.Stats(); s.Subscribers > 1 {
		t.Fatalf("stats %+v: the stuck stream is still subscribed", s)
	}
	// The stuck client sees its stream end.
	_ = stuck.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, stuck); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Fatal(err)
	}
}

// History is replayed in chunks: a client resuming from 0 gets every
// event, each whole, in order, and no write is much larger than the chunk.
func TestReplayIsChunked(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{Stream: live.StreamOptions{ChunkBytes: 16 << 10, ReplayBytes: 64 << 10}})
	bigEvents(t, st, "f", ledger.VisPublic, 30, 40<<10)
	bigEvents(t, st, "f", ledger.VisMembers, 5, 1<<10)
	bigEvents(t, st, "f", ledger.VisPublic, 30, 100)
	var mu sync.Mutex
	var largest int
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w, largest: &largest, mu: &mu}
		_ = live.ServeChain(cw, r, b, st, "f", live.Rights{CanSee: func(v string) bool { return v == ledger.VisPublic }})
	}))
	defer hs.Close()
	defer b.Close()
	resp, err := http.Get(hs.URL + "?since=0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	select {
	case ids := <-readIDs(t, resp, 60):
		if len(ids) != 60 || ids[29] != "30" || ids[30] != "36" || ids[59] != "65" {
			t.Fatalf("got %d events: %v", len(ids), ids)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the replay did not arrive")
	}
	mu.Lock()
	defer mu.Unlock()
	// An event's data line of 40 KiB is written as it is; everything else
	// goes out in chunks of about 16 KiB.
	if largest > 48<<10 {
		t.Fatalf("a write of %d bytes", largest)
	}
}

type countingWriter struct {
	http.ResponseWriter
	mu      *sync.Mutex
	largest *int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	*w.largest = max(*w.largest, len(p))
	w.mu.Unlock()
	return w.ResponseWriter.Write(p)
}

func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
