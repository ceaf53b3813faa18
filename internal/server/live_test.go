package server_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/server"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// closeTracker is a listener that records which connections the server
// has closed, by the client's address. It gives them a small send buffer,
// as the kernel would give a client that announces a small window: a
// stream whose client does not read then blocks after a few writes rather
// than after the megabytes the kernel would otherwise take on loopback.
type closeTracker struct {
	net.Listener
	mu     sync.Mutex
	closed map[string]time.Time
}

const socketBuffer = 64 << 10

type trackedConn struct {
	net.Conn
	l    *closeTracker
	once sync.Once
}

func (l *closeTracker) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(socketBuffer)
	}
	return &trackedConn{Conn: c, l: l}, nil
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.closed[c.RemoteAddr().String()] = time.Now()
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

func (l *closeTracker) isClosed(clientAddr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.closed[clientAddr]
	return ok
}

// heapInUse is the heap in use after collecting garbage (twice, so that
// what sync.Pools kept goes too).
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// The audit's attack: on a public forum with a long history of large
// events, clients ask for the whole history and never read. Each stream
// must hold no more than its stated bound, be closed by the server once a
// write has waited WriteTimeout, and a client that reads beside them must
// get every event.
func TestLiveStreamsOfClientsThatDoNotReadAreBounded(t *testing.T) {
	const (
		events      = 500
		payload     = 64 << 10
		nonReaders  = 20
		slack       = 16 << 20 // the runtime's own, the database driver's buffers
		writeWithin = 2 * time.Second
	)
	st := storetest.New(t)
	signer, _ := ledger.GenerateSigner()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(st, signer, app.Options{Logger: log, PasswordParams: account.FastParams})
	ctx := context.Background()
	u, err := svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: "s@example.org", Name: "S", Password: "long enough pw", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := svc.Kernel.CreateForum(ctx, forum.Actor{UserID: u.ID, Admin: true}, forum.ForumInput{Slug: "big", Title: "Big", Kind: forum.KindOpenForum})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("The Parties shall promote an open, interoperable Internet. ", payload/59+1)[:payload]
	for i := 0; i < events; i += 50 {
		if _, err := st.Write(ctx, func(tx *store.Tx) error {
			for j := i; j < i+50; j++ {
				if _, err := tx.Emit(ctx, f.ID, u.ID, "amendment.submitted", ledger.VisPublic, map[string]any{"n": j, "text": text}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	head, err := st.HeadSeq(ctx, f.ID)
	if err != nil || head != events+1 {
		t.Fatalf("head %d, %v", head, err)
	}

	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.ShutdownTimeout = 2 * time.Second
	srv, err := server.New(cfg, st, svc, server.Options{Logger: log, Live: live.Options{Stream: live.StreamOptions{WriteTimeout: writeWithin}}})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &closeTracker{Listener: inner, closed: map[string]time.Time{}}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(rctx, ln) }()
	t.Cleanup(func() {
		stop()
		<-done
	})
	addr := inner.Addr().String()
	perStream := srv.Broker().MemoryBound(payload + 64)
	base := heapInUse()

	// A client that reads, beside them: it keeps the ids and the last
	// event's data, and holds no more than a line at a time.
	ctxr, cancelr := context.WithCancel(ctx)
	t.Cleanup(cancelr)
	req, _ := http.NewRequestWithContext(ctxr, "GET", "http://"+addr+"/forums/big/events?since=0", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the reading client's stream: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	var ids []string
	var lastData string
	readAll := make(chan struct{})
	go func() {
		defer close(readAll)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 0, 128<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			switch {
			case bytes.HasPrefix(line, []byte("id: ")):
				ids = append(ids, string(line[4:]))
			case bytes.HasPrefix(line, []byte("data: ")) && len(ids) == events+1:
				lastData = string(line)
				return
			}
		}
	}()

	// The clients that never read: through the pages and the API, from
	// since=0 and from Last-Event-ID: 0.
	conns := make([]net.Conn, nonReaders)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		_ = c.(*net.TCPConn).SetReadBuffer(socketBuffer)
		path, header := "/forums/big/events?since=0", ""
		switch i % 4 {
		case 1:
			path, header = "/forums/big/events", "Last-Event-ID: 0\r\n"
		case 2:
			path = "/api/v1/forums/big/events?since=0"
		case 3:
			path, header = "/api/v1/forums/big/events", "Last-Event-ID: 0\r\n"
		}
		if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n%s\r\n", path, addr, header); err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	start := time.Now()
	openConns := func() int {
		n := 0
		for _, c := range conns {
			if !ln.isClosed(c.LocalAddr().String()) {
				n++
			}
		}
		return n
	}
	var peak uint64
	limit := 2*writeWithin + 10*time.Second
	for openConns() > 0 && time.Since(start) < limit {
		if h := heapInUse(); h > peak {
			peak = h
		}
		time.Sleep(100 * time.Millisecond)
	}
	allowed := base + uint64((nonReaders+1)*perStream) + slack
	t.Logf("heap in use: %d MiB before, %d MiB at most with %d clients that do not read (allowed %d MiB: %d KiB a stream)",
		base>>20, peak>>20, nonReaders, allowed>>20, perStream>>10)
	if peak > allowed {
		t.Errorf("heap in use rose from %d MiB to %d MiB with %d clients that do not read; the bound is %d MiB",
			base>>20, peak>>20, nonReaders, allowed>>20)
	}
	if n := openConns(); n > 0 {
		t.Fatalf("%d of %d connections that do not read are still open after %s", n, nonReaders, limit)
	}
	t.Logf("all %d closed by the server after %s", nonReaders, time.Since(start).Round(time.Millisecond))
	// The client that reads gets every event, in order.
	select {
	case <-readAll:
	case <-time.After(30 * time.Second):
		t.Fatalf("the reading client got %d events in 30 s, want %d", len(ids), events+1)
	}
	if len(ids) != events+1 {
		t.Fatalf("the reading client's stream ended after %d events, want %d", len(ids), events+1)
	}
	for i, id := range ids {
		if want := fmt.Sprint(i + 1); id != want {
			t.Fatalf("the reading client's event %d has id %s, want %s", i, id, want)
		}
	}
	if !strings.Contains(lastData, `"n":499`) {
		t.Fatalf("last event: %.200s", lastData)
	}
	// And the others see their connection end.
	for i, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.Copy(io.Discard, c); err != nil && !strings.Contains(err.Error(), "reset") {
			t.Errorf("connection %d: %v", i, err)
		}
	}
	if s := srv.Broker().Stats(); s.Subscribers != 1 {
		t.Errorf("%d subscribers left, want the reading client's", s.Subscribers)
	}
}
