package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

func TestHealthReadyMetrics(t *testing.T) {
	s := servertest.New(t)
	c := s.Client()
	if r := c.Get("/healthz"); r.StatusCode != 200 || r.Body != "ok\n" {
		t.Errorf("healthz: %d %q", r.StatusCode, r.Body)
	}
	if r := c.Get("/readyz"); r.StatusCode != 200 {
		t.Errorf("readyz: %d %q", r.StatusCode, r.Body)
	}
	c.Get("/")
	r := c.Get("/metrics")
	for _, name := range []string{"plenary_http_requests_total", "plenary_http_request_duration_seconds", "plenary_live_subscribers", "plenary_ledger_appends_total",
		"plenary_live_encodes_per_event", "plenary_live_encodes_total", "plenary_live_events_total", "plenary_live_events_delivered_total", "plenary_live_subscribers_cut_off_total", "plenary_live_resumptions_total", "plenary_open_files_limit"} {
		if !strings.Contains(r.Body, name) {
			t.Errorf("metrics lack %s", name)
		}
	}
	if !strings.Contains(r.Body, `route="GET /"`) {
		t.Error("requests are not labelled by route pattern")
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := servertest.New(t)
	r := s.Client().Get("/")
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q", csp)
	}
}

func TestLoginLogout(t *testing.T) {
	s := servertest.New(t)
	s.User("sec@example.org", "Sec", true)
	c := s.Client()
	r := c.PostForm("/login", "/login", url.Values{"email": {"sec@example.org"}, "password": {"wrong password"}})
	if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, "the e-mail address or the password is wrong") {
		t.Fatalf("bad password: %d", r.StatusCode)
	}
	c.Login("sec@example.org")
	var session *http.Cookie
	u, _ := url.Parse(s.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "plenary_session" {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	r = c.Get("/account")
	if r.StatusCode != 200 || !strings.Contains(r.Body, "sec@example.org") {
		t.Fatalf("account page: %d", r.StatusCode)
	}
	r = c.PostForm("/account", "/logout", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if r := c.Get("/account"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
		t.Fatalf("account after logout: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestSessionCookieFlags(t *testing.T) {
	s := servertest.New(t)
	s.User("a@example.org", "A", false)
	c := s.Client()
	form := url.Values{"email": {"a@example.org"}, "password": {servertest.Password("a@example.org")}, "csrf_token": {c.CSRF("/login")}}
	r := c.Do("POST", "/login", strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	var found bool
	for _, ck := range r.Cookies() {
		if ck.Name == "plenary_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("session cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie set")
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	s := servertest.New(t)
	s.User("a@example.org", "A", false)
	c := s.Client()
	token := c.CSRF("/login")
	var last int
	for i := 0; i < 12; i++ {
		form := url.Values{"email": {"a@example.org"}, "password": {"guess number " + string(rune('a'+i))}, "csrf_token": {token}}
		r := c.Do("POST", "/login", strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		last = r.StatusCode
		if i < 10 && last != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, last)
		}
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("after 12 attempts: %d, want 429", last)
	}
	// Even the right password is refused while limited.
	form := url.Values{"email": {"a@example.org"}, "password": {servertest.Password("a@example.org")}, "csrf_token": {token}}
	if r := c.Do("POST", "/login", strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("right password while limited: %d", r.StatusCode)
	}
}

func TestFormsNeedCSRFToken(t *testing.T) {
	s := servertest.New(t)
	s.User("sec@example.org", "Sec", true)
	c := s.Client()
	c.Login("sec@example.org")
	form := url.Values{"slug": {"x"}, "title": {"X"}, "kind": {"policy_forum"}}
	r := c.Do("POST", "/forums", strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "reload the page") {
		t.Fatalf("no token: %d", r.StatusCode)
	}
	form.Set("csrf_token", "forged-token-forged-token-forged-token")
	r = c.Do("POST", "/forums", strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("forged token: %d", r.StatusCode)
	}
	// A cross-site form post with the right token is refused too.
	form.Set("csrf_token", c.CSRF("/forums/new"))
	r = c.Do("POST", "/forums", strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"cross-site"}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "another site") {
		t.Fatalf("cross-site: %d", r.StatusCode)
	}
	fs, _ := s.Svc.Kernel.Forums(context.Background())
	if len(fs) != 0 {
		t.Fatal("a refused form created a forum")
	}
}

func TestSetUpForumThroughTheForm(t *testing.T) {
	s := servertest.New(t)
	s.User("sec@example.org", "Sec", true)
	s.User("del@example.org", "Del", false)
	sec := s.Client()
	sec.Login("sec@example.org")
	r := sec.PostForm("/forums/new", "/forums", url.Values{"slug": {"Not A Slug"}, "title": {""}, "kind": {"policy_forum"}, "languages": {"en, fr"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-slug"`) || !strings.Contains(r.Body, `id="e-title"`) || !strings.Contains(r.Body, `aria-invalid="true"`) {
		t.Fatalf("invalid form: %d\n%s", r.StatusCode, r.Body)
	}
	if !strings.Contains(r.Body, `value="Not A Slug"`) {
		t.Error("the form lost what was typed")
	}
	r = sec.PostForm("/forums/new", "/forums", url.Values{"slug": {"igf-2026"}, "title": {"IGF 2026"}, "kind": {"open_forum"}, "languages": {"en, fr"}, "default_public": {"on"}, "preset": {"ietf_rough_consensus"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/forums/igf-2026" {
		t.Fatalf("create: %d %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if rules := s.Client().Get("/forums/igf-2026/rules"); !strings.Contains(rules.Body, "IETF") {
		t.Error("the preset chosen in the form is not the forum's rules")
	}
	page := s.Client().Get("/forums/igf-2026")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "IGF 2026") || !strings.Contains(page.Body, "was set up") {
		t.Fatalf("forum page: %d", page.StatusCode)
	}
	del := s.Client()
	del.Login("del@example.org")
	if r := del.Get("/forums/new"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("delegate sees the new-forum form: %d", r.StatusCode)
	}
	if r := del.PostForm("/", "/forums", url.Values{"slug": {"x"}, "title": {"X"}, "kind": {"open_forum"}}); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "only the secretariat") {
		t.Fatalf("delegate creates a forum: %d", r.StatusCode)
	}
}

func TestErrorPagesShowNoInternals(t *testing.T) {
	s := servertest.New(t)
	r := s.Client().Get("/forums/no-such-forum")
	if r.StatusCode != 404 || !strings.Contains(r.Body, "no forum") {
		t.Fatalf("missing forum: %d", r.StatusCode)
	}
	r = s.Client().Get("/nowhere")
	if r.StatusCode != 404 {
		t.Fatalf("unknown path: %d", r.StatusCode)
	}
	// Break the database under the server: the page must say so
	// generically, without driver text.
	s.Store.Close()
	r = s.Client().Get("/")
	if r.StatusCode != 500 || strings.Contains(strings.ToLower(r.Body), "sql") || strings.Contains(r.Body, "closed") {
		t.Fatalf("broken database: %d\n%s", r.StatusCode, r.Body)
	}
	if r := s.Client().Get("/readyz"); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed database: %d", r.StatusCode)
	}
}

func TestRecordPageShowsHashesAndKey(t *testing.T) {
	s := servertest.New(t)
	sec := s.User("sec@example.org", "Sec", true)
	f := s.Forum(sec, "wtpf", "WTPF")
	r := s.Client().Get("/forums/wtpf/record")
	head, _ := s.Store.Head(context.Background(), f.ID)
	body := html.UnescapeString(r.Body)
	if r.StatusCode != 200 || !strings.Contains(body, head.Hash) || !strings.Contains(body, s.Signer.PublicKeyBase64()) {
		t.Fatalf("record page: %d", r.StatusCode)
	}
}

// sseEvent is one parsed Server-Sent Event.
type sseEvent struct {
	ID   string
	Data string
}

// stream reads one SSE response in the background.
type stream struct {
	ch chan sseEvent
}

func newStream(resp *http.Response) *stream {
	s := &stream{ch: make(chan sseEvent, 100)}
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				ev.ID = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "data: "):
				ev.Data += strings.TrimPrefix(line, "data: ")
			case line == "":
				if ev.Data != "" {
					s.ch <- ev
				}
				ev = sseEvent{}
			}
		}
		close(s.ch)
	}()
	return s
}

func (s *stream) next(t *testing.T, n int, timeout time.Duration) []sseEvent {
	t.Helper()
	var out []sseEvent
	deadline := time.After(timeout)
	for len(out) < n {
		select {
		case ev, ok := <-s.ch:
			if !ok {
				t.Fatalf("stream ended after %d events", len(out))
			}
			out = append(out, ev)
		case <-deadline:
			t.Fatalf("got %d events in %s, want %d", len(out), timeout, n)
		}
	}
	return out
}

func openStream(t *testing.T, s *servertest.Site, path, lastID string) *stream {
	t.Helper()
	return openStreamAt(t, s.URL, path, lastID, nil)
}

// openStreamAt opens a stream at base+path, resuming after lastID when
// set, with the given request headers.
func openStreamAt(t *testing.T, base, path, lastID string, header http.Header) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	for k, vs := range header {
		req.Header[k] = vs
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return newStream(resp)
}

func TestLiveStreamDeliversAndResumes(t *testing.T) {
	s := servertest.New(t)
	sec := s.User("sec@example.org", "Sec", true)
	f := s.Forum(sec, "wtpf", "WTPF")
	ctx := context.Background()
	resp := openStream(t, s, "/forums/wtpf/events", "")
	time.Sleep(50 * time.Millisecond)
	for _, b := range []string{"a", "b"} {
		if _, err := s.Svc.Kernel.CreateBody(ctx, fixture.In(t, s.Svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: b, Name: "Body " + b, Kind: "working_group"}); err != nil {
			t.Fatal(err)
		}
	}
	evs := resp.next(t, 2, 5*time.Second)
	if evs[0].ID != "2" || evs[1].ID != "3" {
		t.Fatalf("ids %s %s, want 2 3", evs[0].ID, evs[1].ID)
	}
	var payload struct {
		Seq     int64
		Type    string
		Payload map[string]any
	}
	if err := json.Unmarshal([]byte(evs[1].Data), &payload); err != nil || payload.Type != "body.created" || payload.Payload["name"] != "Body b" {
		t.Fatalf("event data %s: %v", evs[1].Data, err)
	}
	// A client that saw only event 1 reconnects and gets 2 and 3, then
	// a new one, with no loss and no duplicate.
	resp2 := openStream(t, s, "/forums/wtpf/events", "1")
	got := resp2.next(t, 2, 5*time.Second)
	if got[0].ID != "2" || got[1].ID != "3" {
		t.Fatalf("resume: %v", got)
	}
	if _, err := s.Svc.Kernel.CreateBody(ctx, fixture.In(t, s.Svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: "c", Name: "Body c", Kind: "working_group"}); err != nil {
		t.Fatal(err)
	}
	if got := resp2.next(t, 1, 5*time.Second); got[0].ID != "4" {
		t.Fatalf("after resume: %v", got)
	}
	if r := s.Client().Do("GET", "/forums/wtpf/events", nil, http.Header{"Last-Event-ID": {"abc"}}); r.StatusCode != 422 || !strings.Contains(r.Body, "Last-Event-ID") {
		t.Fatalf("bad Last-Event-ID: %d", r.StatusCode)
	}
}
