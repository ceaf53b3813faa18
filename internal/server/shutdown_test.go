package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/server"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// On shutdown the server stops accepting, ends live streams so clients can
// resume elsewhere, and returns once in-flight requests are done.
func TestGracefulShutdownEndsStreams(t *testing.T) {
	st := storetest.New(t)
	signer, _ := ledger.GenerateSigner()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(st, signer, app.Options{Logger: log, PasswordParams: account.FastParams})
	u, _ := svc.Accounts.CreateUser(context.Background(), forum.System, account.NewUser{Email: "s@example.org", Name: "S", Password: "long enough pw", Admin: true})
	if _, err := svc.Kernel.CreateForum(context.Background(), forum.Actor{UserID: u.ID, Admin: true}, forum.ForumInput{Slug: "f", Title: "F", Kind: forum.KindOpenForum}); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.ShutdownTimeout = 5 * time.Second
	srv, err := server.New(cfg, st, svc, server.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	resp, err := http.Get(base + "/forums/f/events")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stream: %v", err)
	}
	defer resp.Body.Close()
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, resp.Body)
		ended <- err
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case <-ended:
	case <-time.After(4 * time.Second):
		t.Fatal("the live stream was not closed at shutdown")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("Run did not return")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %s with nothing in flight", d)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("still accepting after shutdown")
	}
}
