package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Tab is one browser tab. Its helpers fail the test (t.Fatalf) when a step
// fails or does not finish within the tab's timeout. Selectors are CSS
// selectors, as for document.querySelector. A Tab is not safe for concurrent
// use: drive each tab from one goroutine, the test's own.
type Tab struct {
	t       testing.TB
	ctx     context.Context
	timeout time.Duration

	mu       sync.Mutex
	jsErrors []string
}

// openTab opens a tab as a child of parent and registers its cleanup on t.
func openTab(t testing.TB, parent context.Context, opts ...chromedp.ContextOption) *Tab {
	t.Helper()
	tab := &Tab{t: t, timeout: DefaultTimeout}
	opts = append(opts, chromedp.WithListener(tab.listen))
	ctx, cancel := chromedp.NewContext(parent, opts...)
	tab.ctx = ctx
	// The first run attaches the tab. It must not have a deadline: the tab
	// lives as long as the context of that run.
	errc := make(chan error, 1)
	go func() { errc <- chromedp.Do(ctx) }()
	select {
	case err := <-errc:
		if err != nil {
			cancel()
			t.Fatalf("browsertest: opening a tab: %v", err)
		}
	case <-time.After(DefaultTimeout):
		cancel()
		t.Fatalf("browsertest: opening a tab timed out after %v", DefaultTimeout)
	}
	t.Cleanup(func() {
		if t.Failed() {
			tab.saveFailureArtifacts()
		}
		cancel()
	})
	return tab
}

// NewTab opens another tab in the same browser context as tab: it shares
// tab's cookies and storage, like the same user opening a second window. It
// reports failures to t and closes in t.Cleanup, or when tab closes.
func (tab *Tab) NewTab(t testing.TB) *Tab {
	t.Helper()
	return openTab(t, tab.ctx)
}

// listen records uncaught exceptions and console.error calls. It runs in the
// event loop of the tab, so it must return fast and send no command.
func (tab *Tab) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		msg = "uncaught: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		if d.URL != "" {
			msg += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		parts := make([]string, 0, len(ev.Args))
		for _, a := range ev.Args {
			switch {
			case a == nil:
			case a.Description != "":
				parts = append(parts, a.Description)
			case len(a.Value) > 0:
				parts = append(parts, string(a.Value))
			default:
				parts = append(parts, string(a.Type))
			}
		}
		msg = "console.error: " + strings.Join(parts, " ")
	default:
		return
	}
	tab.mu.Lock()
	tab.jsErrors = append(tab.jsErrors, msg)
	tab.mu.Unlock()
}

// JSErrors returns the uncaught JavaScript exceptions and console.error
// messages that the tab has seen so far, oldest first.
func (tab *Tab) JSErrors() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.jsErrors...)
}

// CheckNoJSErrors fails the test if the tab has seen an uncaught JavaScript
// exception or a console.error call.
func (tab *Tab) CheckNoJSErrors() {
	tab.t.Helper()
	if errs := tab.JSErrors(); len(errs) > 0 {
		tab.t.Errorf("browsertest: %d JavaScript error(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
}

// SetTimeout sets how long each helper of the tab waits before it fails the
// test. The default is DefaultTimeout.
func (tab *Tab) SetTimeout(d time.Duration) { tab.timeout = d }

// Context returns the chromedp context of the tab, for chromedp actions that
// the helpers do not cover. It has no deadline; see Run and Tab.Do.
func (tab *Tab) Context() context.Context { return tab.ctx }

// T returns the testing.TB that the tab reports to.
func (tab *Tab) T() testing.TB { return tab.t }

// withTimeout returns a context for one step.
func (tab *Tab) withTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tab.ctx, tab.timeout)
}

// fatal fails the test with the step, the error and the page's URL.
func (tab *Tab) fatal(step string, err error) {
	tab.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %v: %w", tab.timeout, err)
	}
	tab.t.Fatalf("browsertest: %s: %v (page %s)", step, err, tab.currentURL())
}

// currentURL returns the page's URL, or "?" when it cannot be read.
func (tab *Tab) currentURL() string {
	ctx, cancel := context.WithTimeout(tab.ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return u
}

// Do runs chromedp actions that return no value, in order, with the tab's
// timeout for all of them together. It fails the test on error.
func (tab *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tab.fatal("Do", err)
	}
}

// Run runs one chromedp action in the tab with the tab's timeout and returns
// its value. It fails the test on error. For example:
//
//	html := browsertest.Run(tab, chromedp.OuterHTML(chromedp.CSS("main")))
func Run[T any](tab *Tab, a chromedp.Action[T]) T {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tab.fatal("Run", err)
	}
	return v
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON
// value into T. A promise is awaited. Use chromedp.Void to ignore the value.
// A result of undefined or null fails the test unless T can be nil (pointer,
// slice, map, interface). For example:
//
//	n := browsertest.Eval[int](tab, `document.querySelectorAll("li").length`)
func Eval[T any](tab *Tab, js string) T {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tab.fatal("Eval "+abbrev(js), err)
	}
	return v
}

// Navigate loads url in the tab and waits for the load event.
func (tab *Tab) Navigate(url string) {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		tab.fatal("Navigate "+url, err)
	}
	if resp != nil && resp.Status >= 500 {
		tab.t.Logf("browsertest: Navigate %s: HTTP %d", url, resp.Status)
	}
}

// URL returns the URL of the page in the tab.
func (tab *Tab) URL() string {
	tab.t.Helper()
	return Run(tab, chromedp.Location())
}

// Title returns the title of the page in the tab.
func (tab *Tab) Title() string {
	tab.t.Helper()
	return Run(tab, chromedp.Title())
}

// Click waits until the first element that matches sel is visible, then
// clicks its centre with the mouse.
func (tab *Tab) Click(sel string) {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		tab.fatal("Click "+sel, err)
	}
}

// fillJS prepares the field for Fill. For a select element it sets the value
// and fires input and change events, and returns "set". For other fields it
// focuses and empties the field and returns "type", so that Fill then types
// the value.
const fillJS = `(function(sel, value) {
	const el = document.querySelector(sel);
	if (!el) return "missing";
	if (el.tagName === "SELECT") {
		el.value = value;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return "set";
	}
	el.focus();
	if ("value" in el) el.value = "";
	else if (el.isContentEditable) el.textContent = "";
	el.dispatchEvent(new Event("input", {bubbles: true}));
	return "type";
})(%s, %s)`

// Fill waits until the field that matches sel is visible, empties it and types
// value into it with key events, as a user would (so keyup and input handlers
// run). For a select element it chooses the option whose value is value. A
// "\n" in value presses Enter, which may submit the form.
func (tab *Tab) Fill(sel, value string) {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		tab.fatal("Fill "+sel, err)
	}
	how, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(fillJS, jsString(sel), jsString(value))))
	if err != nil {
		tab.fatal("Fill "+sel, err)
	}
	switch how {
	case "set":
		return
	case "type":
		if value == "" {
			return
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), value)); err != nil {
			tab.fatal("Fill "+sel, err)
		}
	default:
		tab.fatal("Fill "+sel, errors.New("no element matches"))
	}
}

// Value returns the current value of the form field that matches sel.
func (tab *Tab) Value(sel string) string {
	tab.t.Helper()
	return Run(tab, chromedp.Value(chromedp.CSS(sel)))
}

// WaitVisible waits until an element that matches sel exists and is visible.
func (tab *Tab) WaitVisible(sel string) {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		tab.fatal("WaitVisible "+sel, err)
	}
}

// WaitGone waits until no element matches sel.
func (tab *Tab) WaitGone(sel string) {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitNotPresent(chromedp.CSS(sel))); err != nil {
		tab.fatal("WaitGone "+sel, err)
	}
}

// textJS returns the innerText of the first element that matches the
// selector, or null when none does.
const textJS = `(function(sel) {
	const el = document.querySelector(sel);
	return el ? el.innerText : null;
})(%s)`

// WaitText waits until the first element that matches sel exists and its
// visible text (innerText) contains substr. It keeps polling across page
// loads, so it can follow a click that submits a form. On timeout the failure
// shows the last text seen.
func (tab *Tab) WaitText(sel, substr string) {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	js := fmt.Sprintf(textJS, jsString(sel))
	last := "(no element matched)"
	for {
		txt, err := chromedp.Run(ctx, chromedp.Evaluate[*string](js))
		if err == nil && txt != nil {
			if strings.Contains(*txt, substr) {
				return
			}
			last = fmt.Sprintf("%q", *txt)
		}
		// An error here is usually a navigation in progress: try again.
		select {
		case <-ctx.Done():
			tab.fatal(fmt.Sprintf("WaitText %s %q", sel, substr),
				fmt.Errorf("%w; last text: %s", ctx.Err(), abbrev(last)))
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Text waits until an element matches sel and returns its visible text
// (innerText); an element that is not rendered gives "". Right after a click
// that loads another page, Text may still read the old page: wait first with
// WaitVisible or WaitText for an element of the new page.
func (tab *Tab) Text(sel string) string {
	tab.t.Helper()
	return Run(tab, chromedp.Text(chromedp.CSS(sel)))
}

// Count returns how many elements match sel now, without waiting.
func (tab *Tab) Count(sel string) int {
	tab.t.Helper()
	return Eval[int](tab, fmt.Sprintf("document.querySelectorAll(%s).length", jsString(sel)))
}

// Cookies returns the names and values of the cookies that the browser would
// send to the page's URL, HttpOnly cookies included.
func (tab *Tab) Cookies() map[string]string {
	tab.t.Helper()
	ctx, cancel := tab.withTimeout()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		tab.fatal("Cookies", err)
	}
	m := make(map[string]string, len(res.Cookies))
	for _, c := range res.Cookies {
		m[c.Name] = c.Value
	}
	return m
}

// Screenshot saves a PNG of the whole page (not only the viewport) to path,
// for a person to look at, and returns path.
func (tab *Tab) Screenshot(path string) string {
	tab.t.Helper()
	buf := Run(tab, chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tab.t.Fatalf("browsertest: Screenshot: %v", err)
	}
	return path
}

// saveFailureArtifacts logs what helps to understand a failed test: the URL,
// the JavaScript errors and a screenshot.
func (tab *Tab) saveFailureArtifacts() {
	t := tab.t
	t.Logf("browsertest: tab was at %s", tab.currentURL())
	if errs := tab.JSErrors(); len(errs) > 0 {
		t.Logf("browsertest: JavaScript errors in the tab:\n  %s", strings.Join(errs, "\n  "))
	}
	dir := os.Getenv(ArtifactsEnv)
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "plenary-browsertest")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("browsertest: no screenshot: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(tab.ctx, 5*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("browsertest: no screenshot: %v", err)
		return
	}
	f, err := os.CreateTemp(dir, safeName(t.Name())+"-*.png")
	if err != nil {
		t.Logf("browsertest: no screenshot: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.Write(buf); err != nil {
		t.Logf("browsertest: no screenshot: %v", err)
		return
	}
	t.Logf("browsertest: screenshot of the failed tab: %s", f.Name())
}

// jsString returns s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// abbrev shortens s for a failure message.
func abbrev(s string) string {
	const limit = 200
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}

// safeName turns a test name into a file name.
func safeName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}
