// Package browsertest drives a headless Chromium from Go tests, for
// end-to-end journeys through Plenary's web pages.
//
// It is a test helper package: import it only from _test.go files. It starts
// the Debian chromium binary (/usr/bin/chromium, or the path in the
// environment variable PLENARY_CHROMIUM) through chromedp, and gives each test
// a small set of helpers that fail the test on error, so that a journey reads
// as a list of steps:
//
//	b := browsertest.New(t)          // one browser, closed in t.Cleanup
//	alice := b.NewTab(t)             // own cookies (a new browser context)
//	alice.Navigate(srv.URL + "/login")
//	alice.Fill("#email", "alice@example.org")
//	alice.Click("button[type=submit]")
//	alice.WaitText("#whoami", "alice")
//	browsertest.CheckAccessibility(t, alice)
//
// # Tabs and users
//
// [Browser.NewTab] opens a tab in a new browser context, the equivalent of a
// fresh incognito window: it shares no cookies, storage or cache with any
// other tab. Two tabs from NewTab are two users logged in at the same time.
// [Tab.NewTab] opens a second tab in the same browser context, the same user
// in two windows. The function [NewTab] is New(t).NewTab(t), for a test with
// one user. Starting a browser takes about half a second to three seconds on
// a busy machine, so a test with several journeys can share one Browser
// between its subtests, each subtest opening its own tabs.
//
// # Missing Chromium
//
// When Chromium cannot be found, [New] skips the test with a message, unless
// the environment variable CI is set (to anything but "", "0" or "false"), in
// which case it fails the test. The CI script sets CI=1.
//
// # Timeouts and failures
//
// Every helper waits at most [DefaultTimeout] (see [Tab.SetTimeout]) and then
// fails the test with t.Fatalf. When a test fails, the cleanup of each tab
// saves a full-page screenshot (in $PLENARY_BROWSERTEST_ARTIFACTS, or in
// a plenary-browsertest folder of the system's temporary directory) and logs
// the uncaught JavaScript exceptions and console errors that the tab saw.
//
// # Accessibility
//
// [CheckAccessibility] injects axe-core (vendored in the axe folder, MPL-2.0,
// embedded in the test binary only) and fails the test on every violation of
// impact "serious" or "critical" of the WCAG 2.0 and 2.1 level A and AA rules.
// [AccessibilityViolations] returns all violations for finer checks, and its
// [AxeOptions] can add axe's "best-practice" rules.
//
// # Raw chromedp
//
// [Tab.Context] returns the chromedp context of the tab, and [Run] and
// [Tab.Do] run any chromedp action with the tab's timeout, for what the
// helpers do not cover.
package browsertest
