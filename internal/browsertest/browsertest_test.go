package browsertest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// vendorDir holds the vendored htmx files that the web package embeds.
const vendorDir = "../web/static/vendor"

// page wraps body in an accessible HTML page that loads htmx and its SSE
// extension.
func page(title, body string) string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>` + title + `</title>
<script src="/vendor/htmx.min.js"></script>
<script src="/vendor/sse.min.js"></script>
</head>
<body>
<main>
<h1>` + title + `</h1>
` + body + `
</main>
</body>
</html>`
}

// newServer starts the test site: an htmx button, an SSE stream, a login that
// sets a cookie, a form, and a page with an accessibility violation.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	for _, f := range []string{"htmx.min.js", "sse.min.js"} {
		if _, err := os.Stat(filepath.Join(vendorDir, f)); err != nil {
			t.Fatalf("vendored asset missing: %v", err)
		}
	}
	var clicks atomic.Int64
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("GET /vendor/", http.StripPrefix("/vendor/", http.FileServerFS(os.DirFS(vendorDir))))
	html := func(w http.ResponseWriter, s string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, s)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("Click test", `
<button type="button" id="btn" hx-post="/clicked" hx-target="#result">Click me</button>
<p id="result">Not clicked</p>`))
	})
	mux.HandleFunc("POST /clicked", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Clicked %d (HX-Request=%s)", clicks.Add(1), r.Header.Get("HX-Request"))
	})
	mux.HandleFunc("GET /live", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("Live test", `
<div id="events" hx-ext="sse" sse-connect="/events" sse-swap="message" hx-swap="beforeend"></div>`))
	})
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		fl := w.(http.Flusher)
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, "data: <p class=\"ev\">event %d</p>\n\n", i)
			fl.Flush()
			time.Sleep(20 * time.Millisecond)
		}
		// Keep the stream open, so that the browser does not reconnect
		// and receive the events again.
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: r.URL.Query().Get("user"), Path: "/", HttpOnly: true})
		http.Redirect(w, r, "/whoami", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		user := "(nobody)"
		if c, err := r.Cookie("session"); err == nil {
			user = c.Value
		}
		html(w, page("Who am I", `<p id="user">user: `+user+`</p>`))
	})
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("Form test", `
<form action="/echo" method="post">
<label for="name">Name</label> <input id="name" name="name" value="placeholder">
<label for="colour">Colour</label>
<select id="colour" name="colour"><option value="red">Red</option><option value="green">Green</option></select>
<label for="note">Note</label> <textarea id="note" name="note"></textarea>
<button type="submit" id="go">Send</button>
</form>`))
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("Echo", fmt.Sprintf(`<p id="greeting">Hello %s, you chose %s and wrote %q</p>`,
			r.FormValue("name"), r.FormValue("colour"), r.FormValue("note"))))
	})
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		html(w, page("Bad page", `<img src="/vendor/missing.png" id="planted">`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs before srv.Close
	return srv
}

// TestBrowser runs every journey of the self-test on one browser.
func TestBrowser(t *testing.T) {
	srv := newServer(t)
	start := time.Now()
	b := New(t)
	t.Logf("browser start: %v", time.Since(start))

	t.Run("htmx click changes the DOM", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(srv.URL + "/")
		if got := tab.Text("#result"); got != "Not clicked" {
			t.Fatalf("before click: %q", got)
		}
		if got := Eval[string](tab, `typeof htmx === "object" ? htmx.version : "none"`); got != "2.0.11" {
			t.Fatalf("htmx version in page: %q", got)
		}
		tab.Click("#btn")
		tab.WaitText("#result", "Clicked")
		if got := tab.Text("#result"); !strings.HasPrefix(got, "Clicked ") || !strings.HasSuffix(got, "(HX-Request=true)") {
			t.Fatalf("after click: %q", got)
		}
		tab.CheckNoJSErrors()
	})

	t.Run("SSE delivers three events", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(srv.URL + "/live")
		tab.WaitText("#events", "event 3")
		if n := tab.Count("#events p.ev"); n != 3 {
			t.Fatalf("got %d events in the page, want 3", n)
		}
		if got := tab.Text("#events"); got != "event 1\nevent 2\nevent 3" && got != "event 1\n\nevent 2\n\nevent 3" {
			t.Fatalf("events text: %q", got)
		}
		tab.CheckNoJSErrors()
	})

	t.Run("tabs from NewTab have separate cookies", func(t *testing.T) {
		alice := b.NewTab(t)
		bob := b.NewTab(t)
		anon := b.NewTab(t)
		alice.Navigate(srv.URL + "/login?user=alice")
		bob.Navigate(srv.URL + "/login?user=bob")
		anon.Navigate(srv.URL + "/whoami")
		// Reload after both logins: the second login must not leak into
		// the first tab.
		alice.Navigate(srv.URL + "/whoami")
		bob.Navigate(srv.URL + "/whoami")
		for _, c := range []struct {
			tab  *Tab
			want string
		}{{alice, "user: alice"}, {bob, "user: bob"}, {anon, "user: (nobody)"}} {
			if got := c.tab.Text("#user"); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		}
		if got := alice.Cookies()["session"]; got != "alice" {
			t.Errorf("alice's HttpOnly session cookie = %q", got)
		}
		if got, ok := anon.Cookies()["session"]; ok {
			t.Errorf("anonymous tab has a session cookie %q", got)
		}
		// A sibling tab is the same user.
		alice2 := alice.NewTab(t)
		alice2.Navigate(srv.URL + "/whoami")
		if got := alice2.Text("#user"); got != "user: alice" {
			t.Errorf("alice's second tab: got %q", got)
		}
	})

	t.Run("fill a form and follow the navigation", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(srv.URL + "/form")
		tab.Fill("#name", "Ada")
		tab.Fill("#colour", "green")
		tab.Fill("#note", "two words")
		if got := tab.Value("#name"); got != "Ada" {
			t.Fatalf("name field: %q", got)
		}
		tab.Click("#go")
		tab.WaitVisible("#greeting") // an element of the next page
		tab.WaitText("#greeting", "Hello Ada")
		if got, want := tab.Text("#greeting"), `Hello Ada, you chose green and wrote "two words"`; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		if !strings.HasSuffix(tab.URL(), "/echo") || tab.Title() != "Echo" {
			t.Fatalf("at %s, title %q", tab.URL(), tab.Title())
		}
		path := tab.Screenshot(filepath.Join(t.TempDir(), "echo.png"))
		png, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 1000 {
			t.Fatalf("screenshot: %d bytes, %v", len(png), err)
		}
		if dir := os.Getenv(ArtifactsEnv); dir != "" {
			_ = os.MkdirAll(dir, 0o755)
			tab.Screenshot(filepath.Join(dir, "selftest-echo.png"))
		}
	})

	t.Run("axe passes a clean page", func(t *testing.T) {
		tab := b.NewTab(t)
		for _, p := range []string{"/", "/form", "/live"} {
			tab.Navigate(srv.URL + p)
			start := time.Now()
			CheckAccessibility(t, tab)
			t.Logf("axe on %s: %v", p, time.Since(start))
		}
		// Best practice too, on one page.
		CheckAccessibilityWith(t, tab, AxeOptions{BestPractice: true})
	})

	t.Run("axe catches a planted violation", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(srv.URL + "/bad")
		vs, err := AccessibilityViolations(tab, AxeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var found *Violation
		for i := range vs {
			if vs[i].ID == "image-alt" {
				found = &vs[i]
			}
		}
		if found == nil {
			t.Fatalf("image-alt not reported; violations: %v", vs)
		}
		if found.Impact != "critical" || !found.Blocking() || len(found.Nodes) != 1 ||
			strings.Join(found.Nodes[0].Target, " ") != "#planted" {
			t.Fatalf("unexpected violation: %s", found)
		}

		// CheckAccessibility must fail the test and name the rule and the
		// element.
		rec := &recordingTB{TB: t}
		CheckAccessibility(rec, tab)
		if len(rec.errors) != 1 {
			t.Fatalf("CheckAccessibility reported %d errors, want 1: %q", len(rec.errors), rec.errors)
		}
		for _, want := range []string{"image-alt", "critical", "#planted", "alternative text"} {
			if !strings.Contains(rec.errors[0], want) {
				t.Errorf("failure message lacks %q:\n%s", want, rec.errors[0])
			}
		}

		// Excluding the element or disabling the rule silences it.
		for _, o := range []AxeOptions{{Exclude: []string{"#planted"}}, {DisableRules: []string{"image-alt"}}} {
			rec := &recordingTB{TB: t}
			CheckAccessibilityWith(rec, tab, o)
			if len(rec.errors) != 0 {
				t.Errorf("with %+v: %q", o, rec.errors)
			}
		}
	})

	t.Run("timeout fails with the last text", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(srv.URL + "/")
		tab.SetTimeout(300 * time.Millisecond)
		rec := &recordingTB{TB: t}
		tab.t = rec
		runGoexit(func() { tab.WaitText("#result", "never there") })
		tab.t = t
		if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], `last text: "Not clicked"`) {
			t.Fatalf("fatals: %q", rec.fatals)
		}
	})
}

// TestMissingChromium checks that a missing browser skips the test, or fails
// it when CI is set.
func TestMissingChromium(t *testing.T) {
	t.Setenv(ChromiumEnv, "/nonexistent/chromium")
	for _, c := range []struct {
		ci       string
		wantSkip bool
	}{{"", true}, {"false", true}, {"1", false}, {"true", false}} {
		t.Setenv("CI", c.ci)
		rec := &recordingTB{TB: t}
		runGoexit(func() { New(rec) })
		if c.wantSkip {
			if len(rec.skips) != 1 || len(rec.fatals) != 0 || !strings.Contains(rec.skips[0], "/nonexistent/chromium") {
				t.Errorf("CI=%q: skips %q, fatals %q", c.ci, rec.skips, rec.fatals)
			}
		} else if len(rec.fatals) != 1 || len(rec.skips) != 0 || !strings.Contains(rec.fatals[0], "CI is set") {
			t.Errorf("CI=%q: skips %q, fatals %q", c.ci, rec.skips, rec.fatals)
		}
	}
}

// recordingTB records failures and skips instead of reporting them, to test
// that the helpers report what they should. Other methods go to the real
// test. Fatal and Skip end the goroutine, as in package testing: call the
// code under test through runGoexit.
type recordingTB struct {
	testing.TB
	mu                    sync.Mutex
	errors, fatals, skips []string
}

func (r *recordingTB) add(to *[]string, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*to = append(*to, s)
}

func (r *recordingTB) Helper()           {}
func (r *recordingTB) Error(args ...any) { r.add(&r.errors, fmt.Sprint(args...)) }
func (r *recordingTB) Errorf(format string, args ...any) {
	r.add(&r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatal(args ...any) { r.add(&r.fatals, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.add(&r.fatals, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recordingTB) Skip(args ...any) { r.add(&r.skips, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recordingTB) Skipf(format string, args ...any) {
	r.add(&r.skips, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// runGoexit runs f in a goroutine and waits for it, whether it returns or
// calls runtime.Goexit.
func runGoexit(f func()) {
	var wg sync.WaitGroup
	wg.Go(f)
	wg.Wait()
}
