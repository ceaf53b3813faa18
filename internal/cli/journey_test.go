package cli_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/cli"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// syncBuffer is a buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveDemo runs the real program, `plenary serve --demo`, in-process on a
// free port, on the test engine, and returns its base URL and output.
func serveDemo(t *testing.T) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	env := map[string]string{"PLENARY_LOG_LEVEL": "warn"}
	if cfg := storetest.Config(t); cfg.DatabaseURL != "" {
		env["PLENARY_DATABASE_URL"] = cfg.DatabaseURL
	}
	ready := make(chan string, 1)
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, &cli.Env{
			Stdout: out, Stderr: out, Getenv: func(k string) string { return env[k] },
			Ready: func(addr string) { ready <- addr },
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("the server did not shut down within 20 s")
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr, out
	case code := <-done:
		t.Fatalf("serve exited with %d:\n%s", code, out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start:\n%s", out.String())
	}
	return "", nil
}

func login(t *testing.T, tab *browsertest.Tab, base, key string) {
	t.Helper()
	l := demo.LoginByKey(key)
	tab.Navigate(base + "/login")
	tab.Fill("#f-email", l.Email)
	tab.Fill("#f-password", l.Password)
	tab.Click("form[action='/login'] button[type=submit]")
	tab.WaitText("header nav", l.Name)
}

// The foundation journey: people log in, see the forum, and one of them
// sees another's change arrive on the page live, without reloading.
func TestJourneyLiveForumPage(t *testing.T) {
	base, out := serveDemo(t)
	if !strings.Contains(out.String(), "secretariat@demo.plenary.example") {
		t.Errorf("serve --demo did not print the demo logins:\n%s", out.String())
	}
	b := browsertest.New(t)
	observer := b.NewTab(t)
	observer.Navigate(base + "/")
	browsertest.CheckAccessibility(t, observer)
	observer.Navigate(base + "/login")
	browsertest.CheckAccessibility(t, observer)
	login(t, observer, base, "civil_society")
	observer.Click("a[href='/forums/" + demo.WTPFSlug + "']")
	observer.WaitText("h1", "WTPF-13")
	observer.WaitVisible("#activity li")
	browsertest.CheckAccessibility(t, observer)
	// Wait until the page's event stream is open.
	observer.WaitVisible("[sse-connect][data-live=open]")
	observer.WaitText("#activity-h + .live-state[role=status]", "Live")

	sec := b.NewTab(t)
	login(t, sec, base, "secretariat")
	sec.Navigate(base + "/forums/" + demo.WTPFSlug)
	browsertest.CheckAccessibility(t, sec)
	sec.Click("details summary")
	sec.Fill("#f-bname", "Drafting Group on Opinion 5")
	sec.Fill("#f-bslug", "dg-op5")
	sec.Fill("#f-bkind", "drafting_group")
	sec.Click("details form button[type=submit]")
	sec.WaitText(".flash", "The body is set up.")

	// The observer's page updates by itself.
	observer.WaitText("#activity", "The body Drafting Group on Opinion 5 was set up.")
	if got := observer.Count("#activity li"); got < 2 {
		t.Errorf("activity list has %d items after the live update", got)
	}
	observer.CheckNoJSErrors()
	observer.Navigate(base + "/forums/" + demo.WTPFSlug + "/record")
	observer.WaitText("table.record", "Drafting Group on Opinion 5")
	browsertest.CheckAccessibility(t, observer)
	sec.Navigate(base + "/account")
	browsertest.CheckAccessibility(t, sec)
	sec.Navigate(base + "/forums/" + demo.WTPFSlug + "/settings")
	browsertest.CheckAccessibility(t, sec)

	// Every page the demo says to look at answers; as an anonymous reader,
	// the secretariat and the chair see it, it fits a phone's screen 375
	// pixels wide without scrolling sideways (a wide table scrolls in its
	// own region); and the campaign's pages pass the accessibility check.
	narrow := b.NewTab(t)
	narrow.Do(chromedp.EmulateViewport(375, 800))
	var campaigns string
	var pages []string
	for _, l := range lookURLs(t, out.String(), base) {
		u := l[1]
		r, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		// A page the line says to log in for refuses anonymous readers.
		signedIn := strings.Contains(l[0], "log in") || strings.Contains(l[0], "password")
		if r.StatusCode != http.StatusOK && (!signedIn || r.StatusCode != http.StatusForbidden) {
			t.Errorf("where to look: %s answers %d", u, r.StatusCode)
		}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			pages = append(pages, u)
			if r.StatusCode == http.StatusOK {
				checkNarrow(t, narrow, "", u)
			}
		}
		if strings.HasSuffix(u, "/campaigns") {
			campaigns = u
		}
	}
	for _, who := range []string{"secretariat", "chair"} {
		tab := b.NewTab(t)
		tab.Do(chromedp.EmulateViewport(375, 800))
		login(t, tab, base, who)
		// And their own registrations, a table of forms.
		for _, u := range append(pages, base+"/registrations") {
			checkNarrow(t, tab, who, u)
		}
	}
	if campaigns == "" {
		t.Fatalf("the demo does not say where its campaign is:\n%s", out.String())
	}
	observer.Navigate(campaigns)
	observer.WaitText("h1", "Campaigns")
	browsertest.CheckAccessibility(t, observer)
	observer.Click("main a[href*='/campaigns/']")
	observer.WaitText("h1", "Campaign C-")
	browsertest.CheckAccessibility(t, observer)
}

// checkNarrow loads u in tab, whose viewport is a phone's, and fails the
// test if the page is wider than the screen.
func checkNarrow(t *testing.T, tab *browsertest.Tab, who, u string) {
	t.Helper()
	tab.Navigate(u)
	if sw, w := browsertest.Eval[int](tab, `document.documentElement.scrollWidth`), browsertest.Eval[int](tab, `window.innerWidth`); sw > w {
		if who == "" {
			who = "an anonymous reader"
		}
		t.Errorf("at %d pixels %s scrolls sideways for %s: %d pixels wide", w, u, who, sw)
	}
}

// lookURLs are the lines the demo prints under "Where to look": what each
// shows and its address, without its fragment.
func lookURLs(t *testing.T, out, base string) [][2]string {
	t.Helper()
	_, list, ok := strings.Cut(out, "Where to look:\n")
	if !ok {
		t.Fatalf("serve --demo did not say where to look:\n%s", out)
	}
	var urls [][2]string
	for _, line := range strings.Split(list, "\n") {
		if strings.TrimSpace(line) == "" {
			break
		}
		f := strings.Fields(line)
		u, _, _ := strings.Cut(f[len(f)-1], "#")
		if !strings.HasPrefix(u, base+"/") {
			t.Errorf("where to look: %q has no address on %s", line, base)
			continue
		}
		urls = append(urls, [2]string{line, u})
	}
	if len(urls) < 10 {
		t.Errorf("where to look lists %d addresses:\n%s", len(urls), list)
	}
	return urls
}
