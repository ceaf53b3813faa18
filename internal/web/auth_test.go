package web_test

import (
	"io"
	"net/http"
	"net/url"
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
