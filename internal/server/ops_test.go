package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/server"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// newServer builds a server on a fresh database with the configuration
// changed by change.
func newServer(t *testing.T, o server.Options, change func(*config.Config)) *server.Server {
	t.Helper()
	st := storetest.New(t)
	signer, err := ledger.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(st, signer, app.Options{Logger: log, PasswordParams: account.FastParams})
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	change(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	o.Logger = log
	srv, err := server.New(cfg, st, svc, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Broker().Close)
	return srv
}

func get(t *testing.T, h http.Handler, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// A site whose public URL is https tells browsers to use nothing else, on
// every response; a site on plain http says nothing of the kind.
func TestHSTSWhenTheBaseURLIsHTTPS(t *testing.T) {
	const want = "max-age=31536000; includeSubDomains"
	secure := newServer(t, server.Options{}, func(c *config.Config) { c.BaseURL = "https://forum.example.org" })
	plain := newServer(t, server.Options{}, func(c *config.Config) { c.BaseURL = "http://forum.example.org" })
	for _, path := range []string{"/", "/healthz", "/api/v1/forums", "/no/such/page", "/login"} {
		if got := get(t, secure.Handler(), path, nil).Header().Get("Strict-Transport-Security"); got != want {
			t.Errorf("https site, %s: Strict-Transport-Security %q, want %q", path, got, want)
		}
		if got := get(t, plain.Handler(), path, nil).Header().Get("Strict-Transport-Security"); got != "" {
			t.Errorf("http site, %s: Strict-Transport-Security %q, want none", path, got)
		}
	}
}

// With a metrics token, /metrics answers only a request that bears it.
func TestMetricsAskForTheirToken(t *testing.T) {
	const token = "metrics-token-0123456789"
	s := servertest.New(t, servertest.Options{Config: func(c *config.Config) { c.MetricsToken = token }})
	c := s.Client()
	for _, auth := range []string{"", "Bearer", "Bearer wrong-token-0123456789", "Basic " + token, token, "Bearer " + token + "x"} {
		r := c.Do("GET", "/metrics", nil, http.Header{"Authorization": {auth}})
		if r.StatusCode != http.StatusUnauthorized || strings.Contains(r.Body, "plenary_") || r.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: %d, challenge %q", auth, r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
	}
	r := c.Do("GET", "/metrics", nil, http.Header{"Authorization": {"Bearer " + token}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "plenary_http_requests_total") {
		t.Fatalf("with the token: %d", r.StatusCode)
	}
	if r := c.Get("/healthz"); r.StatusCode != http.StatusOK {
		t.Errorf("healthz asks for the token: %d", r.StatusCode)
	}
}

// With a metrics address, /metrics is served there (with its token, when
// there is one) and no longer on the main listener.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	const token = "metrics-token-0123456789"
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, server.Options{MetricsListener: mln}, func(c *config.Config) {
		c.MetricsAddr = mln.Addr().String()
		c.MetricsToken = token
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	fetch := func(base, path, auth string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+base+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		var resp *http.Response
		for i := 0; ; i++ {
			if resp, err = http.DefaultClient.Do(req); err == nil || i == 50 {
				break
			}
			time.Sleep(20 * time.Millisecond) // Run may not be serving yet
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	main, metrics := ln.Addr().String(), mln.Addr().String()
	if code, body := fetch(main, "/metrics", token); code != http.StatusNotFound || strings.Contains(body, "plenary_http_requests_total") {
		t.Errorf("main listener still serves /metrics: %d", code)
	}
	if code, _ := fetch(main, "/healthz", ""); code != http.StatusOK {
		t.Errorf("main listener healthz: %d", code)
	}
	if code, body := fetch(metrics, "/metrics", token); code != http.StatusOK || !strings.Contains(body, "plenary_http_requests_total") {
		t.Errorf("metrics listener: %d", code)
	}
	if code, _ := fetch(metrics, "/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("metrics listener without the token: %d", code)
	}
	if code, _ := fetch(metrics, "/", ""); code != http.StatusNotFound {
		t.Errorf("metrics listener serves the site: %d", code)
	}
	if srv.MetricsHandler() == nil {
		t.Error("no metrics handler")
	}
}
