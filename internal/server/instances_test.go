package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/server"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

type instance struct {
	url string
	svc *app.App
}

// startInstance runs one plenary server process's worth of parts (its own
// pools, service, broker and PostgreSQL listener) on dbURL.
func startInstance(t *testing.T, dbURL string, signer *ledger.Signer) instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	st, err := store.Open(ctx, store.Config{DatabaseURL: dbURL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(st, signer, app.Options{Logger: log, PasswordParams: account.FastParams})
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.ShutdownTimeout = 2 * time.Second
	srv, err := server.New(cfg, st, svc, server.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	return instance{url: "http://" + ln.Addr().String(), svc: svc}
}

// Two server processes on one PostgreSQL database: a subscriber of each
// receives an event committed through the other (LISTEN/NOTIFY).
func TestTwoInstancesShareLiveEvents(t *testing.T) {
	dbURL := storetest.NewSchema(t, storetest.PostgresURL(t))
	signer, _ := ledger.GenerateSigner()
	a := startInstance(t, dbURL, signer)
	b := startInstance(t, dbURL, signer)
	ctx := context.Background()
	u, err := a.svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: "sec@example.org", Name: "Sec", Password: "long enough pw", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	sec := forum.Actor{UserID: u.ID, Name: u.Name, Admin: true}
	f, err := a.svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "wcit", Title: "WCIT", Kind: forum.KindTreatyConference})
	if err != nil {
		t.Fatal(err)
	}
	subscribe := func(base string) *stream {
		cctx, cancel := context.WithCancel(ctx)
		t.Cleanup(cancel)
		req, _ := http.NewRequestWithContext(cctx, "GET", base+"/forums/wcit/events?since=1", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("subscribe %s: %v", base, err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return newStream(resp)
	}
	onA, onB := subscribe(a.url), subscribe(b.url)
	time.Sleep(100 * time.Millisecond) // both subscribed and listening
	if _, err := a.svc.Kernel.CreateBody(ctx, fixture.In(t, a.svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: "com5", Name: "Committee 5", Kind: "committee"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Kernel.CreateBody(ctx, fixture.In(t, b.svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: "com4", Name: "Committee 4", Kind: "committee"}); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*stream{"instance A": onA, "instance B": onB} {
		evs := s.next(t, 2, 10*time.Second)
		if evs[0].ID != "2" || evs[1].ID != "3" {
			t.Errorf("%s got ids %s, %s; want 2, 3", name, evs[0].ID, evs[1].ID)
		}
	}
	rep, err := b.svc.Record.VerifyChain(ctx, f.ID)
	if err != nil || !rep.OK() || rep.Events != 3 {
		t.Fatalf("chain written by two instances: %v %v", rep, err)
	}
}

// A client that follows instance A and resumes on instance B with its
// Last-Event-ID, while both commit, loses nothing and gets nothing twice.
func TestResumingOnAnotherInstanceLosesNothing(t *testing.T) {
	dbURL := storetest.NewSchema(t, storetest.PostgresURL(t))
	signer, _ := ledger.GenerateSigner()
	a := startInstance(t, dbURL, signer)
	b := startInstance(t, dbURL, signer)
	ctx := context.Background()
	u, err := a.svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: "sec@example.org", Name: "Sec", Password: "long enough pw", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	sec := forum.Actor{UserID: u.ID, Name: u.Name, Admin: true}
	f, err := a.svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "wcit", Title: "WCIT", Kind: forum.KindTreatyConference})
	if err != nil {
		t.Fatal(err)
	}
	body := func(on instance, i int) {
		t.Helper()
		if _, err := on.svc.Kernel.CreateBody(ctx, fixture.In(t, on.svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: fmt.Sprintf("com%d", i), Name: fmt.Sprintf("Committee %d", i), Kind: "committee"}); err != nil {
			t.Fatal(err)
		}
	}
	onA := openStreamAt(t, a.url, "/forums/wcit/events", "1", nil)
	time.Sleep(100 * time.Millisecond) // subscribed
	body(a, 1)
	body(b, 2)
	got := onA.next(t, 2, 10*time.Second)
	// The client leaves A; while it is away both instances commit.
	body(b, 3)
	body(a, 4)
	last := got[len(got)-1].ID
	onB := openStreamAt(t, b.url, "/forums/wcit/events", last, nil)
	body(a, 5)
	got = append(got, onB.next(t, 3, 10*time.Second)...)
	seen := map[string]bool{}
	for i, ev := range got {
		if want := fmt.Sprint(i + 2); ev.ID != want {
			t.Fatalf("event %d has id %s, want %s (ids %v)", i, ev.ID, want, got)
		}
		if seen[ev.ID] {
			t.Fatalf("event %s twice", ev.ID)
		}
		seen[ev.ID] = true
	}
	select {
	case ev, ok := <-onB.ch:
		if ok {
			t.Fatalf("an extra event %s", ev.ID)
		}
	case <-time.After(300 * time.Millisecond):
	}
}
