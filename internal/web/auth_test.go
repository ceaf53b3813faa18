package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// fromClient makes a request come from the client address in its
// X-Test-Client header, so that one test can speak from several.
func fromClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip := r.Header.Get("X-Test-Client"); ip != "" {
			r.RemoteAddr = ip + ":40000"
		}
		next.ServeHTTP(w, r)
	})
}

// postLogin posts the login form from c's client address ip (when set),
// through the transport so that a Location header a client library would
// refuse to parse is still seen.
func postLogin(t *testing.T, s *servertest.Site, c *servertest.Client, token, ip string, form url.Values) *http.Response {
	t.Helper()
	form.Set("csrf_token", token)
	req, err := http.NewRequest("POST", s.URL+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if ip != "" {
		req.Header.Set("X-Test-Client", ip)
	}
	for _, ck := range c.HTTP.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// The per-account limit holds however the address is spelt: login reads
// "Alice@Example.org" and " alice@example.org " as one account, and so
// does the limiter, from whichever client address the guesses come.
func TestLoginLimitHoldsAcrossSpellingsAndClients(t *testing.T) {
	s := servertest.New(t, servertest.Options{Middleware: fromClient})
	s.User("alice@example.org", "Alice", false)
	c := s.Client()
	token := c.CSRF("/login")
	spellings := []string{"alice@example.org", "Alice@Example.org", " alice@example.org ", "ALICE@EXAMPLE.ORG", "\talice@example.ORG\n"}
	checks, limited := 0, 0
	for _, ip := range []string{"192.0.2.1", "192.0.2.2", "198.51.100.7"} {
		for i := 0; i < 2; i++ {
			for _, e := range spellings {
				r := postLogin(t, s, c, token, ip, url.Values{"email": {e}, "password": {"a wrong guess"}})
				switch r.StatusCode {
				case http.StatusUnauthorized:
					checks++
				case http.StatusTooManyRequests:
					limited++
				default:
					t.Fatalf("%q from %s: status %d", e, ip, r.StatusCode)
				}
			}
		}
	}
	if checks != 10 || limited != 20 {
		t.Fatalf("%d password checks and %d refusals against one account; want 10 and 20", checks, limited)
	}
	// The right password, in yet another spelling and from a fresh
	// address, is refused too while the account is limited.
	r := postLogin(t, s, c, token, "203.0.113.9", url.Values{"email": {"Alice@EXAMPLE.org"}, "password": {servertest.Password("alice@example.org")}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password while limited: %d", r.StatusCode)
	}
	// Another account is not limited by Alice's.
	s.User("bob@example.org", "Bob", false)
	r = postLogin(t, s, c, token, "203.0.113.9", url.Values{"email": {"bob@example.org"}, "password": {servertest.Password("bob@example.org")}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("another account: %d", r.StatusCode)
	}
}

// redirectAttacks are values of next that a browser would follow off the
// site (or into a script) if they reached a Location header as they are.
var redirectAttacks = []string{
	"/\t/evil.example/x",
	"/\n/evil.example/x",
	"/\r/evil.example/x",
	"/\r\n/evil.example/x",
	"\t//evil.example/x",
	" //evil.example/x",
	"/ /evil.example",
	"/\x00/evil.example",
	"/\x7f/evil.example",
	"/\\evil.example",
	"\\\\evil.example",
	"/\\/evil.example",
	"\\/evil.example",
	"//evil.example",
	"///evil.example",
	"//evil.example/forums/x",
	"/%2F/evil.example",
	"/%2f/evil.example",
	"/%5Cevil.example",
	"/%5cevil.example",
	"/%09/evil.example",
	"/%0A/evil.example",
	"/%0d/evil.example",
	"%2F%2Fevil.example",
	"%2f%2fevil.example",
	"%5C%5Cevil.example",
	"https://evil.example",
	"http://evil.example/x",
	"HTTPS://evil.example",
	"https:evil.example",
	"//user@evil.example",
	"/\u3000/evil.example",
	"javascript:alert(1)",
	"JavaScript:alert(1)",
	" javascript:alert(1)",
	"java\tscript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"evil.example",
	"forums/x",
	".//evil.example",
}

// offSite reports whether a browser would take a Location header away
// from base (or run it): browsers drop tabs and line breaks anywhere in a
// URL, trim leading and trailing spaces and control characters, and read
// a backslash as a slash.
func offSite(base *url.URL, loc string) bool {
	loc = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, loc)
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	u, err := url.Parse(loc)
	if err != nil {
		return true
	}
	got := base.ResolveReference(u)
	return got.Scheme != base.Scheme || got.Host != base.Host || got.User != nil
}

// Only a path on this site may follow a login (or any form that takes
// next): every known way to smuggle another origin or a script through
// next sends the browser home instead, while an ordinary path with a
// query and a fragment still works.
func TestNextIsOnlyEverAPathOnThisSite(t *testing.T) {
	s := servertest.New(t, servertest.Options{Middleware: fromClient})
	s.User("alice@example.org", "Alice", false)
	base, _ := url.Parse(s.URL)
	logins := 0
	login := func(next string) string {
		t.Helper()
		c := s.Client()
		logins++ // each from an address of its own, below the limit
		ip := fmt.Sprintf("10.0.%d.%d", logins/200, logins%200)
		r := postLogin(t, s, c, c.CSRF("/login"), ip, url.Values{"email": {"alice@example.org"}, "password": {servertest.Password("alice@example.org")}, "next": {next}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with next %q: %d", next, r.StatusCode)
		}
		return r.Header.Get("Location")
	}
	shown := func(path string) string {
		t.Helper()
		r := s.Client().Get(path)
		if r.StatusCode == http.StatusUnprocessableEntity && strings.Contains(path, "%00") {
			return "/" // a NUL in the address is refused before any page
		}
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, r.StatusCode)
		}
		doc := pwParse(t, r.Body)
		for _, in := range pwAll(doc, "input", "name", "next") {
			v, _ := pwAttr(in, "value")
			return v
		}
		t.Fatalf("GET %s: no next field", path)
		return ""
	}
	for _, next := range redirectAttacks {
		if loc := login(next); loc != "/" || offSite(base, loc) {
			t.Errorf("login with next %q redirects to %q, want /", next, loc)
		}
		q := "?next=" + url.QueryEscape(next)
		if v := shown("/login" + q); v != "/" {
			t.Errorf("login page with next %q keeps %q, want /", next, v)
		}
		if v := shown("/signup" + q); v != "/" {
			t.Errorf("sign-up page with next %q keeps %q, want /", next, v)
		}
	}
	// The attacks also arrive percent-encoded once more in the query.
	for _, next := range []string{"%2F%09%2Fevil.example%2Fx", "%2F%5Cevil.example", "%252F%252Fevil.example"} {
		c := s.Client()
		r := c.Get("/login?next=" + next)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("login page: %d", r.StatusCode)
		}
		for _, in := range pwAll(pwParse(t, r.Body), "input", "name", "next") {
			if v, _ := pwAttr(in, "value"); v != "/" {
				t.Errorf("login page with raw next %q keeps %q, want /", next, v)
			}
		}
	}
	for _, next := range []string{"/forums/x?y=1#z", "/forums/wtpf-13/drafts/1/compilation", "/search?q=a%2Fb", "/"} {
		if loc := login(next); loc != next {
			t.Errorf("login with next %q redirects to %q", next, loc)
		}
		if v := shown("/login?next=" + url.QueryEscape(next)); v != next {
			t.Errorf("login page with next %q keeps %q", next, v)
		}
	}
}

var csrfValue = regexp.MustCompile(`(name="csrf_token" value=|content=)"[A-Za-z0-9_-]{32,}"`)

// The sign-up form answers the same, to the byte, whether or not the
// address has an account: the same redirect, the same cookies, the same
// page after it. Only logging in tells, and only the owner can.
func TestSignUpDoesNotTellWhoHasAnAccount(t *testing.T) {
	s := servertest.New(t, servertest.Options{Middleware: fromClient})
	s.User("known@example.org", "Known Person", false)
	type answer struct {
		Status            int
		Location, Body    string
		Cookies, NextPage string
	}
	n := 0
	signup := func(email string) answer {
		t.Helper()
		n++
		c := s.Client()
		form := url.Values{"name": {"Someone Else"}, "email": {email}, "password": {"a long new password"}, "next": {"/forums/x?y=1"},
			"csrf_token": {c.CSRF("/signup")}}
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Test-Client": {fmt.Sprintf("10.1.0.%d", n)}}
		r := c.Do("POST", "/signup", strings.NewReader(form.Encode()), h)
		var cookies []string
		for _, ck := range r.Cookies() {
			cookies = append(cookies, ck.String())
		}
		a := answer{Status: r.StatusCode, Location: r.Header.Get("Location"), Body: r.Body, Cookies: strings.Join(cookies, "\n")}
		if a.Location != "" {
			a.NextPage = csrfValue.ReplaceAllString(c.Get(a.Location).Body, `$1"TOKEN"`)
		}
		return a
	}
	unknown := signup("new@example.org")
	if unknown.Status != http.StatusSeeOther || !strings.HasPrefix(unknown.Location, "/login?next=") || strings.Contains(unknown.Cookies, "plenary_session") {
		t.Fatalf("a new address: %+v", unknown)
	}
	if !strings.Contains(unknown.NextPage, "Log in to continue.") {
		t.Errorf("the page after sign-up does not say what to do next:\n%s", unknown.NextPage)
	}
	for _, email := range []string{"known@example.org", " Known@Example.ORG ", "new@example.org"} {
		if got := signup(email); got != unknown {
			t.Errorf("signing up %q answers\n%+v\nwhere a new address has\n%+v", email, got, unknown)
		}
	}
	// The owner's account is unchanged; the new one works.
	c := s.Client()
	c.Login("known@example.org")
	c = s.Client()
	if r := postLogin(t, s, c, c.CSRF("/login"), "10.2.0.1", url.Values{"email": {"known@example.org"}, "password": {"a long new password"}}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the known account took the new password: %d", r.StatusCode)
	}
	c.LoginWithPassword("new@example.org", "a long new password")
	// What is wrong with the form itself is still said, for any address.
	for _, email := range []string{"known@example.org", "other@example.org"} {
		c := s.Client()
		form := url.Values{"name": {"X"}, "email": {email}, "password": {"short"}, "csrf_token": {c.CSRF("/signup")}}
		r := c.Do("POST", "/signup", strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Test-Client": {"10.3.0.1"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "at least 10 characters") || strings.Contains(r.Body, "already exists") {
			t.Errorf("short password for %s: %d", email, r.StatusCode)
		}
	}
}
