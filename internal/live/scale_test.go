package live_test

import (
	"bufio"
	"context"
	"fmt"
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

// publicServer serves chain "f" to the public on a listener whose
// accepted connections have small socket buffers, so that a client that
// does not read fills them soon.
func publicServer(t *testing.T, st *store.Store, b *live.Broker) string {
	addr, _ := publicServerTracked(t, st, b)
	return addr
}

func publicServerTracked(t *testing.T, st *store.Store, b *live.Broker) (string, *smallBuffers) {
	t.Helper()
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := live.ServeChain(w, r, b, st, "f", live.Rights{CanSee: func(v string) bool { return v == ledger.VisPublic }}); err != nil {
			http.Error(w, err.Error(), http.StatusTooManyRequests)
		}
	}))
	l := &smallBuffers{Listener: hs.Listener, closed: map[string]bool{}}
	hs.Listener = l
	hs.Start()
	t.Cleanup(func() {
		b.Close()
		hs.CloseClientConnections()
		hs.Close()
	})
	return hs.Listener.Addr().String(), l
}

// smallBuffers records which connections the server closed, by the
// client's address; its connections keep their file descriptor.
type smallBuffers struct {
	net.Listener
	mu     sync.Mutex
	closed map[string]bool
}

type closeConn struct {
	*net.TCPConn
	l *smallBuffers
}

func (c *closeConn) Close() error {
	c.l.mu.Lock()
	c.l.closed[c.RemoteAddr().String()] = true
	c.l.mu.Unlock()
	return c.TCPConn.Close()
}

func (l *smallBuffers) isClosed(client net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed[client.LocalAddr().String()]
}

func (l *smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := c.(*net.TCPConn)
	_ = tc.SetWriteBuffer(16 << 10)
	return &closeConn{TCPConn: tc, l: l}, nil
}

// rawStream opens the stream on a raw connection (after: the
// Last-Event-ID, or "" for none) and returns a reader past the response's
// head.
func rawStream(t *testing.T, addr, after string, readBuffer int) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if readBuffer > 0 {
		_ = c.(*net.TCPConn).SetReadBuffer(readBuffer)
	}
	h := ""
	if after != "" {
		h = "Last-Event-ID: " + after + "\r\n"
	}
	if _, err := fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: test\r\n%s\r\n", h); err != nil {
		t.Fatal(err)
	}
	return c, bufio.NewReaderSize(c, 64<<10)
}

// sseReader reads a stream's frames: ids with data, id-only frames and
// comments.
type sseReader struct {
	r        *bufio.Reader
	ids      []int64
	comments []string
}

// until reads until the event with id want has come, or the stream ends
// (false).
func (s *sseReader) until(want int64) bool {
	var id int64 = -1
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return false
		}
		switch {
		case strings.HasPrefix(line, "id: "):
			_, _ = fmt.Sscan(strings.TrimPrefix(line, "id: "), &id)
		case strings.HasPrefix(line, ":"):
			s.comments = append(s.comments, strings.TrimSpace(line))
		case line == "\n" && id >= 0:
			s.ids = append(s.ids, id)
			if id >= want {
				return true
			}
			id = -1
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for start := time.Now(); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("%s: not after 10 s", what)
		}
	}
}

// A subscriber that falls behind the window is cut off with a reason, and
// resuming from its Last-Event-ID it gets the gap from the source: no
// event lost, none twice.
func TestBehindTheWindowResumesWithoutLoss(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{WindowLen: 4})
	addr := publicServer(t, st, b)
	_, r := rawStream(t, addr, "", 0)
	waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == 1 })
	s := &sseReader{r: r}
	b.NotifyAll(appendEvents(t, st, "f", 1))
	if !s.until(1) {
		t.Fatal("event 1 did not come")
	}
	// Ten events, in one transaction and announced at once: they pass
	// the window of 4 in pages of 2 before the shard writes them, or not;
	// either way the client ends up with all of them.
	const total = 40
	for i := 0; i < total-1; i++ {
		b.NotifyAll(appendEvents(t, st, "f", 1))
	}
	seen := map[int64]int{}
	reconnects := 0
	for {
		s.until(total)
		for _, id := range s.ids {
			seen[id]++
		}
		if len(s.ids) > 0 && s.ids[len(s.ids)-1] == total {
			break
		}
		if reconnects++; reconnects > 20 {
			t.Fatalf("still not caught up after 20 reconnections: %v", s.ids)
		}
		last := int64(0)
		for id := range seen {
			last = max(last, id)
		}
		_, r := rawStream(t, addr, fmt.Sprint(last), 0)
		s = &sseReader{r: r}
	}
	for id := int64(1); id <= total; id++ {
		if seen[id] != 1 {
			t.Fatalf("event %d received %d times", id, seen[id])
		}
	}
	t.Logf("%d reconnections, stats %+v", reconnects, b.Stats())
}

// The same, forced: a client whose cursor is behind the window when it
// next gets a write is cut off with the reason.
func TestCutOffSaysWhy(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{WindowLen: 2, Shards: 1})
	addr := publicServer(t, st, b)
	_, r := rawStream(t, addr, "", 0)
	waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == 1 })
	// One transaction of 10 events: the broker reads them in pages of one
	// (half the window) and the window moves past the subscriber's cursor
	// before its shard gets to it, or the shard writes as they come.
	b.NotifyAll(appendEvents(t, st, "f", 10))
	s := &sseReader{r: r}
	if s.until(10) {
		return // the shard kept up: nothing to say
	}
	if b.Stats().Behind == 0 {
		t.Fatalf("the stream ended without being behind: %+v", b.Stats())
	}
	found := false
	for _, c := range s.comments {
		found = found || strings.Contains(c, "fell behind")
	}
	if !found {
		t.Fatalf("cut off without a reason: comments %q", s.comments)
	}
}

// A burst of events to a subscriber goes out in one write.
func TestBurstIsCoalesced(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{})
	addr := publicServer(t, st, b)
	_, r := rawStream(t, addr, "", 0)
	waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == 1 })
	before := b.Stats().Writes
	b.NotifyAll(appendEvents(t, st, "f", 50))
	s := &sseReader{r: r}
	if !s.until(50) {
		t.Fatal("the burst did not arrive")
	}
	if len(s.ids) != 50 {
		t.Fatalf("got %d events", len(s.ids))
	}
	if w := b.Stats().Writes - before; w != 1 {
		t.Fatalf("a burst of 50 events took %d writes, want 1", w)
	}
	if s := b.Stats(); s.Encodes != 50 {
		t.Fatalf("%d encodings for 50 events", s.Encodes)
	}
}

// Clients that never read, and one that reads a byte at a time, are cut
// off once a write has waited WriteTimeout or they fall behind the window,
// and a client that reads beside them gets every event.
func TestHostileClientsAreCutOffAndOthersServed(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{WindowLen: 64, MaxPerAddr: 1000, Stream: live.StreamOptions{WriteTimeout: 500 * time.Millisecond}})
	addr, l := publicServerTracked(t, st, b)
	const stuck = 50
	var conns []net.Conn
	for i := 0; i < stuck; i++ {
		c, _ := rawStream(t, addr, "", 4<<10)
		conns = append(conns, c)
	}
	trickle, tr := rawStream(t, addr, "", 4<<10)
	_ = trickle
	_, normal := rawStream(t, addr, "", 0)
	waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == stuck+2 })
	stopTrickle := make(chan struct{})
	defer close(stopTrickle)
	go func() {
		for {
			select {
			case <-stopTrickle:
				return
			case <-time.After(20 * time.Millisecond):
				if _, err := tr.ReadByte(); err != nil {
					return
				}
			}
		}
	}()
	const total = 40
	got := make(chan *sseReader, 1)
	go func() {
		s := &sseReader{r: normal}
		s.until(total)
		got <- s
	}()
	for i := 0; i < total/10; i++ {
		b.NotifyAll(bigEvents(t, st, "f", ledger.VisPublic, 10, 64<<10))
	}
	select {
	case s := <-got:
		if len(s.ids) != total || s.ids[0] != 1 || s.ids[total-1] != total {
			t.Fatalf("the reading client got %d events: %v (comments %q, stats %+v)", len(s.ids), s.ids, s.comments, b.Stats())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the reading client did not get every event")
	}
	waitFor(t, "the hostile clients cut off", func() bool { return b.Stats().Subscribers == 1 })
	if s := b.Stats(); s.CutOff < stuck+1 {
		t.Fatalf("stats %+v: want %d cut off", s, stuck+1)
	}
	for i, c := range append(conns, trickle) {
		if !l.isClosed(c) {
			t.Fatalf("connection %d is still open", i)
		}
	}
}

// Streams beyond MaxPerAddr from one address are refused.
func TestStreamsPerAddressAreLimited(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{MaxPerAddr: 3})
	addr := publicServer(t, st, b)
	for i := 0; i < 3; i++ {
		rawStream(t, addr, "", 0)
	}
	waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == 3 })
	_, r := rawStream(t, addr, "", 0)
	status, _ := r.ReadString('\n')
	if !strings.Contains(status, " 429 ") {
		t.Fatalf("the fourth stream: %q", status)
	}
	if s := b.Stats(); s.Refused != 1 || s.Subscribers != 3 {
		t.Fatalf("stats %+v", s)
	}
}

// A public stream, which no goroutine reads, gets heartbeats, and a
// client that closes its connection is found and unsubscribed with no
// event to write.
func TestIdleStreamsBeatAndClosedPeersAreFound(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{Stream: live.StreamOptions{Heartbeat: 100 * time.Millisecond}})
	addr := publicServer(t, st, b)
	c, r := rawStream(t, addr, "", 0)
	waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == 1 })
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("no heartbeat: %v", err)
		}
		if line == ": ping\n" {
			break
		}
	}
	c.Close()
	waitFor(t, "the closed connection unsubscribed", func() bool { return b.Stats().Subscribers == 0 })
}

// Peers that close idle public streams are found without a write to
// them (the heartbeat is far off), more of them at once than a shard asks
// about in one call, and only those: the streams left open are still
// subscribed and get the next event.
func TestClosedPeersAreFoundWithoutWriting(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{Shards: 1, MaxPerAddr: 1000, Stream: live.StreamOptions{Heartbeat: time.Hour}})
	addr, l := publicServerTracked(t, st, b)
	const n, gone = 320, 300
	conns := make([]net.Conn, n)
	readers := make([]*bufio.Reader, n)
	for i := range conns {
		conns[i], readers[i] = rawStream(t, addr, "", 0)
	}
	waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == n })
	for i := 0; i < gone; i++ {
		conns[i].Close()
	}
	waitFor(t, "the closed connections unsubscribed", func() bool { return b.Stats().Subscribers == n-gone })
	for i := gone; i < n; i++ {
		if l.isClosed(conns[i]) {
			t.Fatalf("stream %d, still open at the client, was closed", i)
		}
	}
	if w := b.Stats().Writes; w != 0 {
		t.Fatalf("%d writes before any event", w)
	}
	b.NotifyAll(appendEvents(t, st, "f", 1))
	for i := gone; i < n; i++ {
		_ = conns[i].SetReadDeadline(time.Now().Add(10 * time.Second))
		if s := (&sseReader{r: readers[i]}); !s.until(1) {
			t.Fatalf("stream %d did not get the event", i)
		}
	}
}

// Live events (from the window, not the replay) carry their name between
// the shared frame's id and data lines, on a hijacked public stream as on
// a stream with credentials served by its own goroutine; filtered-out
// events go as their id alone.
func TestLiveEventsCarryTheirName(t *testing.T) {
	for _, creds := range []bool{false, true} {
		t.Run(fmt.Sprintf("credentials %v", creds), func(t *testing.T) {
			st := storetest.New(t)
			b := live.NewBroker(st, live.Options{})
			rights := live.Rights{CanSee: func(string) bool { return true }}
			if creds {
				rights = live.Rights{Check: func(context.Context) (func(string) bool, error) {
					return func(string) bool { return true }, nil
				}}
			}
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = live.Stream{Broker: b, Source: st, Chain: "f", Rights: rights,
					Filter: func(ev ledger.Event) bool { return ev.Type != "test.other" },
					Name:   func(ev ledger.Event) string { return strings.TrimPrefix(ev.Type, "test.") }}.Serve(w, r, -1)
			}))
			t.Cleanup(func() { b.Close(); hs.CloseClientConnections(); hs.Close() })
			c, err := net.Dial("tcp", hs.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: test\r\n\r\n")
			waitFor(t, "subscribed", func() bool { return b.Stats().Subscribers == 1 })
			_, _ = st.Write(context.Background(), func(tx *store.Tx) error {
				for _, typ := range []string{"test.happened", "test.other", "test.again"} {
					if _, err := tx.Emit(context.Background(), "f", "system", typ, ledger.VisPublic, map[string]int{}); err != nil {
						return err
					}
				}
				return nil
			})
			b.Notify("f", 3)
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			r := bufio.NewReader(c)
			var lines []string
			for len(lines) < 7 {
				l, err := r.ReadString('\n')
				if err != nil {
					t.Fatalf("after %q: %v", lines, err)
				}
				if strings.HasPrefix(l, "id:") || strings.HasPrefix(l, "event:") || strings.HasPrefix(l, "data:") {
					lines = append(lines, strings.TrimSpace(l)[:min(len(strings.TrimSpace(l)), 15)])
				}
			}
			want := `id: 1|event: happened|data: {"seq":1,|id: 2|id: 3|event: again|data: {"seq":3,`
			if got := strings.Join(lines, "|"); got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
}
