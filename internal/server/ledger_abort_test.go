package server_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/server"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// captured is a slog handler that keeps every record, at every level.
type captured struct {
	mu   *sync.Mutex
	recs *[]capturedRecord
}

type capturedRecord struct {
	level slog.Level
	text  string // the message and the attributes
}

func newCaptured() captured { return captured{mu: &sync.Mutex{}, recs: &[]capturedRecord{}} }

func (c captured) Enabled(context.Context, slog.Level) bool { return true }
func (c captured) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c captured) WithGroup(string) slog.Handler            { return c }
func (c captured) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	c.mu.Lock()
	*c.recs = append(*c.recs, capturedRecord{r.Level, b.String()})
	c.mu.Unlock()
	return nil
}

func (c captured) records() []capturedRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]capturedRecord(nil), *c.recs...)
}

// smallBuffers makes each accepted connection's send buffer small, so that
// a response larger than it cannot be wholly handed to the kernel before
// the client goes away.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// A client that goes away in the middle of a ledger download is no
// internal error: the server logs it once, at debug level, and does not
// try to answer with a second status line.
func TestAbortedLedgerDownloadIsNoInternalError(t *testing.T) {
	st := storetest.New(t)
	signer, _ := ledger.GenerateSigner()
	logs := newCaptured()
	log := slog.New(logs)
	svc := app.New(st, signer, app.Options{Logger: log, PasswordParams: account.FastParams})
	ctx := context.Background()
	u, err := svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: "s@example.org", Name: "S", Password: "long enough pw", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	sec := forum.Actor{UserID: u.ID, Name: u.Name, Admin: true}
	f, err := svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "f", Title: "F", Kind: forum.KindOpenForum})
	if err != nil {
		t.Fatal(err)
	}
	// A ledger of about a megabyte: many public events with long payloads.
	for i := range 200 {
		in := forum.ForumInput{Title: f.Title, Kind: f.Kind, Description: fmt.Sprintf("%d %s", i, strings.Repeat("long description ", 290))}
		if _, err := svc.Kernel.UpdateForum(ctx, fixture.In(t, svc.Kernel, sec, "f"), in); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	srv, err := server.New(cfg, st, svc, server.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx, smallBuffers{ln}) }()
	defer func() {
		stop()
		<-done
	}()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /api/v1/forums/f/ledger HTTP/1.1\r\nHost: %s\r\n\r\n", ln.Addr())
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, " 200 ") {
		t.Fatalf("status line %q: %v", status, err)
	}
	if _, err := br.Peek(1024); err != nil { // the stream has begun
		t.Fatal(err)
	}
	conn.Close() // with most of the ledger unread

	deadline := time.Now().Add(10 * time.Second)
	for !logged(logs, slog.LevelInfo, "request", "/api/v1/forums/f/ledger") {
		if time.Now().After(deadline) {
			t.Fatalf("the request was never logged as done: %v", logs.records())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // anything the HTTP server logs after the handler
	debug := 0
	for _, r := range logs.records() {
		if r.level >= slog.LevelWarn || strings.Contains(r.text, "superfluous") || strings.Contains(r.text, "internal error") {
			t.Errorf("logged at %s: %s", r.level, r.text)
		}
		if r.level == slog.LevelDebug && strings.Contains(r.text, "/api/v1/forums/f/ledger") {
			debug++
		}
	}
	if debug != 1 {
		t.Errorf("the aborted download was logged %d times at debug level, want once: %v", debug, logs.records())
	}
}

func logged(c captured, level slog.Level, msg, path string) bool {
	for _, r := range c.records() {
		if r.level == level && strings.HasPrefix(r.text, msg+" ") && strings.Contains(r.text, path) {
			return true
		}
	}
	return false
}
