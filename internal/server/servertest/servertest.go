// Package servertest starts a whole Plenary site for tests: a migrated
// store on the test engine, the command service with a fresh signing key,
// and the real root handler behind httptest. Clients keep cookies, find
// CSRF tokens in pages and log in like a browser would.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

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

// Site is a running test site.
type Site struct {
	T      testing.TB
	URL    string
	Store  *store.Store
	Svc    *app.App
	Server *server.Server
	Signer *ledger.Signer
	HTTP   *httptest.Server
}

// Options adjust a test site.
type Options struct {
	// Config changes the default test configuration.
	Config func(*config.Config)
	// Middleware, when set, wraps the site's root handler: it sees every
	// request first, and may put values in the request's context that the
	// real handler then carries (Statements.Middleware does).
	Middleware func(http.Handler) http.Handler
	// Live tunes the live broker and its streams (short write deadlines
	// and recheck intervals keep tests fast).
	Live live.Options
}

// New starts a site on a fresh database.
func New(tb testing.TB, opts ...Options) *Site {
	tb.Helper()
	st := storetest.New(tb)
	signer, err := ledger.GenerateSigner()
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	svc := app.New(st, signer, app.Options{Logger: log, PasswordParams: account.FastParams})
	cfg := config.Default()
	cfg.DataDir = tb.TempDir()
	var lo live.Options
	for _, o := range opts {
		if o.Config != nil {
			o.Config(&cfg)
		}
		if o.Live != (live.Options{}) {
			lo = o.Live
		}
	}
	hs := httptest.NewUnstartedServer(nil)
	cfg.BaseURL = "http://" + hs.Listener.Addr().String()
	cfg.SecureCookies = "false"
	srv, err := server.New(cfg, st, svc, server.Options{Logger: log, Version: "test", Live: lo})
	if err != nil {
		tb.Fatal(err)
	}
	h := srv.Handler()
	for _, o := range opts {
		if o.Middleware != nil {
			h = o.Middleware(h)
		}
	}
	hs.Config.Handler = h
	hs.Start()
	tb.Cleanup(func() {
		srv.Broker().Close()
		hs.CloseClientConnections()
		hs.Close()
	})
	return &Site{T: tb, URL: hs.URL, Store: st, Svc: svc, Server: srv, Signer: signer, HTTP: hs}
}

type testWriter struct{ tb testing.TB }

func (w *testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// User creates an account (an administrator when admin is set) and
// returns its actor; the password is "password-" + email.
func (s *Site) User(email, name string, admin bool) forum.Actor {
	s.T.Helper()
	u, err := s.Svc.Accounts.CreateUser(context.Background(), forum.System, account.NewUser{Email: email, Name: name, Password: Password(email), Admin: admin})
	if err != nil {
		s.T.Fatalf("create user %s: %v", email, err)
	}
	return forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Via: "test"}
}

// Password is the test password of an account made by User.
func Password(email string) string { return "password-" + email }

// Client is a browser-like HTTP client with a cookie jar that does not
// follow redirects (tests look at them).
type Client struct {
	site *Site
	HTTP *http.Client
	// Token, when set, is sent as a bearer token.
	Token string
}

// Client returns a new anonymous client.
func (s *Site) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{site: s, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Response is a read response.
type Response struct {
	*http.Response
	Body string
}

// Do sends a request with an optional body.
func (c *Client) Do(method, path string, body io.Reader, header http.Header) Response {
	c.site.T.Helper()
	req, err := http.NewRequest(method, c.site.URL+path, body)
	if err != nil {
		c.site.T.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.site.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.site.T.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return Response{Response: resp, Body: string(b)}
}

// Get fetches a page.
func (c *Client) Get(path string) Response {
	c.site.T.Helper()
	return c.Do("GET", path, nil, nil)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// CSRF returns the CSRF token of the page at path.
func (c *Client) CSRF(path string) string {
	c.site.T.Helper()
	r := c.Get(path)
	m := csrfRE.FindStringSubmatch(r.Body)
	if m == nil {
		c.site.T.Fatalf("no CSRF token on %s (status %d)", path, r.StatusCode)
	}
	return m[1]
}

// PostForm posts a form as a browser would, with the CSRF token taken
// from the page at from (unless the form sets csrf_token itself) and an
// Origin header of the site.
func (c *Client) PostForm(from, path string, form url.Values) Response {
	c.site.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", c.CSRF(from))
	}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {c.site.URL}, "Sec-Fetch-Site": {"same-origin"}}
	return c.Do("POST", path, strings.NewReader(form.Encode()), h)
}

// JSON sends a JSON body.
func (c *Client) JSON(method, path, body string) Response {
	c.site.T.Helper()
	var r io.Reader
	h := http.Header{}
	if body != "" {
		r = strings.NewReader(body)
		h.Set("Content-Type", "application/json")
	}
	return c.Do(method, path, r, h)
}

// Login logs the client in through the login form and fails the test if
// that does not work. The account must have been made by User.
func (c *Client) Login(email string) {
	c.site.T.Helper()
	c.LoginWithPassword(email, Password(email))
}

// LoginWithPassword logs the client in with a password of its own, as
// the demo's accounts have.
func (c *Client) LoginWithPassword(email, password string) {
	c.site.T.Helper()
	r := c.PostForm("/login", "/login", url.Values{"email": {email}, "password": {password}, "next": {"/"}})
	if r.StatusCode != http.StatusSeeOther {
		c.site.T.Fatalf("login %s: status %d, want 303\n%s", email, r.StatusCode, r.Body)
	}
}

// APIToken creates an API token for a and returns a client using it.
func (s *Site) APIToken(a forum.Actor) *Client {
	s.T.Helper()
	_, secret, err := s.Svc.Accounts.CreateToken(context.Background(), a, "test")
	if err != nil {
		s.T.Fatal(err)
	}
	c := s.Client()
	c.Token = secret
	return c
}

// Forum creates a forum as admin and returns it.
func (s *Site) Forum(admin forum.Actor, slug, title string) forum.Forum {
	s.T.Helper()
	f, err := s.Svc.Kernel.CreateForum(context.Background(), admin, forum.ForumInput{Slug: slug, Title: title, Kind: forum.KindPolicyForum})
	if err != nil {
		s.T.Fatalf("create forum: %v", err)
	}
	return f
}
