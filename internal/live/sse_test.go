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

func TestWindowIsBoundedByBytes(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{WindowBytes: 20 << 10})
	defer b.Close()
	sub, _ := b.Subscribe(context.Background(), "f")
	// An event larger than the bound still enters the window, alone.
	b.NotifyAll(bigEvents(t, st, "f", ledger.VisPublic, 1, 30<<10))
	wait := func(seq int64) {
		t.Helper()
		for start := time.Now(); ; {
			if frames, _ := sub.After(seq - 1); len(frames) > 0 && frames[len(frames)-1].Event.Seq == seq {
				return
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("event %d did not reach the window", seq)
			}
			time.Sleep(time.Millisecond)
		}
	}
	wait(1)
	if frames, behind := sub.After(0); behind || len(frames) != 1 {
		t.Fatalf("after 0: %d frames, behind %v", len(frames), behind)
	}
	for i := 0; i < 6; i++ {
		b.NotifyAll(bigEvents(t, st, "f", ledger.VisPublic, 1, 4<<10))
	}
	wait(7)
	// Frames of 4 KiB events count twice their payload (the event and
	// its frame): the window keeps two of them.
	if _, behind := sub.After(4); !behind {
		t.Fatal("the window holds more than its bound")
	}
	if frames, behind := sub.After(5); behind || len(frames) != 2 {
		t.Fatalf("after 5: %d frames, behind %v", len(frames), behind)
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
	b := live.NewBroker(st, live.Options{WindowLen: 8, Stream: live.StreamOptions{WriteTimeout: 500 * time.Millisecond}})
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
	for !tr.isClosed(stuck.LocalAddr().String()) || b.Stats().Subscribers > 1 {
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

// viewer is a test viewer whose rights a test changes: valid credentials
// or not, and whether it is a member.
type viewer struct {
	mu      sync.Mutex
	valid   bool
	member  bool
	changed chan struct{}
	checks  int
}

func (v *viewer) rights(notify bool) live.Rights {
	r := live.Rights{
		Check: func(context.Context) (func(string) bool, error) {
			v.mu.Lock()
			defer v.mu.Unlock()
			v.checks++
			if !v.valid {
				return nil, fmt.Errorf("the session has ended")
			}
			member := v.member
			return func(vis string) bool { return vis == ledger.VisPublic || (member && vis == ledger.VisMembers) }, nil
		},
		Affects: func(ev ledger.Event) bool { return ev.Type == "registration.withdrawn" },
	}
	if notify {
		r.Changed = func() <-chan struct{} {
			v.mu.Lock()
			defer v.mu.Unlock()
			return v.changed
		}
	}
	return r
}

// set changes the viewer's rights, and closes the Changed channel.
func (v *viewer) set(valid, member bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.valid, v.member = valid, member
	close(v.changed)
	v.changed = make(chan struct{})
}

type sseEvent struct{ id, data string }

// events reads a stream's events (with data) onto a channel, closed when
// the stream ends.
func events(resp *http.Response) <-chan sseEvent {
	out := make(chan sseEvent, 100)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			switch line := sc.Text(); {
			case strings.HasPrefix(line, "id: "):
				ev.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "data: "):
				ev.data += strings.TrimPrefix(line, "data: ")
			case line == "":
				if ev.data != "" {
					out <- ev
				}
				ev = sseEvent{}
			}
		}
	}()
	return out
}

func note(t *testing.T, st *store.Store, b *live.Broker, typ, vis string) {
	t.Helper()
	appended, err := st.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Emit(context.Background(), "f", "system", typ, vis, map[string]string{"note": typ})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b.NotifyAll(appended)
}

func expectEvent(t *testing.T, evs <-chan sseEvent, id string) {
	t.Helper()
	select {
	case ev, ok := <-evs:
		if !ok {
			t.Fatalf("the stream ended; want event %s", id)
		}
		if ev.id != id {
			t.Fatalf("got event %s (%s), want %s", ev.id, ev.data, id)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("event %s did not come", id)
	}
}

func expectEnd(t *testing.T, evs <-chan sseEvent, within time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-evs:
		if ok {
			t.Fatalf("the stream delivered event %s (%s) after the viewer lost the right to it", ev.id, ev.data)
		}
	case <-time.After(within):
		t.Fatalf("the stream is still open %s after the viewer's credentials ended", within)
	}
}

func openRights(t *testing.T, st *store.Store, b *live.Broker, rights live.Rights) <-chan sseEvent {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := live.ServeChain(w, r, b, st, "f", rights); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
		}
	}))
	t.Cleanup(func() {
		b.Close()
		hs.CloseClientConnections()
		hs.Close()
	})
	resp, err := http.Get(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		t.Fatalf("stream: %d", resp.StatusCode)
	}
	for b.Stats().Subscribers == 0 {
		time.Sleep(time.Millisecond)
	}
	return events(resp)
}

// Credentials that end while a stream runs end it before it sends another
// event the viewer could see only with them: at once when the change is
// announced (Changed), else at the next periodic check.
func TestStreamEndsWithTheViewersCredentials(t *testing.T) {
	for _, tc := range []struct {
		name   string
		notify bool
		every  time.Duration
		within time.Duration
	}{
		{"announced", true, time.Hour, 2 * time.Second},
		{"checked periodically", false, 300 * time.Millisecond, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := storetest.New(t)
			b := live.NewBroker(st, live.Options{Stream: live.StreamOptions{RecheckEvery: tc.every}})
			v := &viewer{valid: true, member: true, changed: make(chan struct{})}
			evs := openRights(t, st, b, v.rights(tc.notify))
			note(t, st, b, "note.added", ledger.VisMembers)
			expectEvent(t, evs, "1")
			v.set(false, true)
			if tc.notify {
				// Announced: the next event is not sent, however soon it comes.
				note(t, st, b, "note.added", ledger.VisMembers)
			} else {
				time.Sleep(tc.every + 100*time.Millisecond)
				note(t, st, b, "note.added", ledger.VisMembers)
			}
			expectEnd(t, evs, tc.within)
		})
	}
}

// A change of the viewer's standing passes on the chain: the stream reads
// the rights again before the next event, and goes on with what the
// viewer may now see.
func TestStreamFollowsAChangeOfStanding(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{Stream: live.StreamOptions{RecheckEvery: time.Hour}})
	v := &viewer{valid: true, member: true, changed: make(chan struct{})}
	evs := openRights(t, st, b, v.rights(false))
	note(t, st, b, "note.added", ledger.VisMembers)
	expectEvent(t, evs, "1")
	v.mu.Lock()
	v.member = false // as the withdrawal commits, before it is announced
	v.mu.Unlock()
	note(t, st, b, "registration.withdrawn", ledger.VisSecretariat)
	note(t, st, b, "note.added", ledger.VisMembers)
	note(t, st, b, "note.added", ledger.VisPublic)
	expectEvent(t, evs, "4") // 2 and 3 are not the viewer's any more
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.checks != 2 {
		t.Fatalf("rights read %d times, want 2 (at the start, at the withdrawal)", v.checks)
	}
}
