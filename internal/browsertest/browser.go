package browsertest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultChromiumPath is where Debian's chromium package installs the browser.
const DefaultChromiumPath = "/usr/bin/chromium"

// ChromiumEnv names the environment variable that overrides
// DefaultChromiumPath.
const ChromiumEnv = "PLENARY_CHROMIUM"

// ArtifactsEnv names the environment variable that sets the folder where the
// screenshots of failed tests go.
const ArtifactsEnv = "PLENARY_BROWSERTEST_ARTIFACTS"

// DefaultTimeout is how long a helper of a Tab waits before it fails the test.
const DefaultTimeout = 20 * time.Second

// startTimeout bounds the start of the browser process.
const startTimeout = 60 * time.Second

// Browser is one headless Chromium process. Make it with New; open tabs with
// NewTab. A Browser may be shared by the subtests of the test that made it.
type Browser struct {
	ctx context.Context // chromedp context of the first (blank) tab; owns the process

	mu     sync.Mutex
	output bytes.Buffer // stdout and stderr of the browser process
}

// ChromiumPath returns the path of the browser that New would start, and
// whether an executable is there. It reads PLENARY_CHROMIUM, then tries
// /usr/bin/chromium and "chromium" on the PATH.
func ChromiumPath() (string, bool) {
	if p := os.Getenv(ChromiumEnv); p != "" {
		if lp, err := exec.LookPath(p); err == nil {
			return lp, true
		}
		return p, false
	}
	if _, err := exec.LookPath(DefaultChromiumPath); err == nil {
		return DefaultChromiumPath, true
	}
	if lp, err := exec.LookPath("chromium"); err == nil {
		return lp, true
	}
	return DefaultChromiumPath, false
}

// InCI reports whether the environment variable CI is set to a true value
// (anything but "", "0" or "false"). Tests must then fail, not skip, when a
// tool they need is missing.
func InCI() bool {
	v := strings.TrimSpace(os.Getenv("CI"))
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// New starts a headless Chromium for the test and closes it in t.Cleanup.
// When Chromium is missing it skips the test, or fails it when InCI is true.
//
// The browser runs with a fresh profile in t.TempDir(), without sandbox (the
// tests run as root), GPU, QUIC, first-run screens, background networking,
// component updates or sync, in an English locale, with a 1280×900 window.
func New(t testing.TB) *Browser {
	t.Helper()
	path, ok := ChromiumPath()
	if !ok {
		msg := "browsertest: Chromium not found at " + path +
			" (apt-get install --no-install-recommends chromium, or set " + ChromiumEnv + ")"
		if InCI() {
			t.Fatal(msg + "; CI is set, so this is a failure")
		}
		t.Skip(msg + "; skipping (set CI=1 to make this a failure)")
	}

	b := &Browser{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(lockedWriter{b}),
	)
	// Not t.Context(): it ends before the cleanups run, and the cleanups of
	// the tabs still need the browser.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	b.ctx = ctx
	stop := func() {
		// Closing the first context closes the browser; cancelling the
		// allocator waits until the process is gone, before t.TempDir
		// removes its profile.
		cancelBrowser()
		cancelAlloc()
	}

	start := time.Now()
	errc := make(chan error, 1)
	go func() { errc <- chromedp.Do(ctx) }()
	var err error
	select {
	case err = <-errc:
	case <-time.After(startTimeout):
		err = errors.New("timed out after " + startTimeout.String())
	}
	if err != nil {
		stop()
		t.Fatalf("browsertest: starting %s: %v\nbrowser output:\n%s", path, err, b.Output())
	}
	t.Logf("browsertest: %s started in %v", path, time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			if out := usefulOutput(b.Output()); out != "" {
				t.Logf("browsertest: browser output (last lines, D-Bus noise left out):\n%s", out)
			}
		}
	})
	return b
}

// Output returns what the browser process printed so far.
func (b *Browser) Output() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.output.String()
}

// Context returns the chromedp context of the browser's first tab. Child
// contexts made with chromedp.NewContext open more tabs in the same browser.
// Most tests want NewTab instead.
func (b *Browser) Context() context.Context { return b.ctx }

// NewTab opens a tab in a new browser context: it shares no cookies, storage
// or cache with any other tab, like a fresh incognito window. Two tabs made by
// NewTab are two independent users. The tab reports failures to t and closes
// in t.Cleanup; t may be a subtest of the test that made the Browser.
func (b *Browser) NewTab(t testing.TB) *Tab {
	t.Helper()
	return openTab(t, b.ctx, chromedp.WithNewBrowserContext())
}

// NewTab starts a browser for the test (see New) and opens one tab in it, for
// a test that needs a single user. It skips or fails as New does.
func NewTab(t testing.TB) *Tab {
	t.Helper()
	return New(t).NewTab(t)
}

// lockedWriter lets the browser process write into Browser.output.
type lockedWriter struct{ b *Browser }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	// Keep the last 64 KiB at most.
	if w.b.output.Len() > 64<<10 {
		rest := append([]byte(nil), w.b.output.Bytes()[w.b.output.Len()-32<<10:]...)
		w.b.output.Reset()
		w.b.output.Write(rest)
	}
	return w.b.output.Write(p)
}

// usefulOutput returns the last 30 lines of the browser's output, without the
// D-Bus errors that Chromium prints on machines without D-Bus and the
// harmless warning of Debian's launcher script.
func usefulOutput(out string) string {
	var keep []string
	for line := range strings.Lines(out) {
		if strings.Contains(line, "dbus") || strings.Contains(line, "unexpected operator") ||
			strings.TrimSpace(line) == "" {
			continue
		}
		keep = append(keep, strings.TrimRight(line, "\n"))
	}
	if len(keep) > 30 {
		keep = keep[len(keep)-30:]
	}
	return strings.Join(keep, "\n")
}
