package browsertest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeVersion is the version of the vendored axe-core (npm axe-core, MPL-2.0).
const AxeVersion = "4.14.1"

// axeSource is axe-core's axe.min.js. It is embedded only in test binaries,
// because only tests import this package.
//
//go:embed axe/axe.min.js
var axeSource string

// WCAGTags are the axe rule tags that CheckAccessibility runs: WCAG 2.0 and
// 2.1, levels A and AA.
var WCAGTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeOptions chooses what AccessibilityViolations checks. The zero value
// checks the whole document against WCAGTags.
type AxeOptions struct {
	// Tags are the axe rule tags to run; nil means WCAGTags.
	Tags []string
	// BestPractice adds axe's "best-practice" rules (such as "region" and
	// "landmark-one-main"), which are not WCAG requirements.
	BestPractice bool
	// Exclude lists CSS selectors of parts of the page to leave out.
	Exclude []string
	// DisableRules lists axe rule ids not to run, such as "color-contrast".
	DisableRules []string
}

// Violation is one axe rule that failed, with the elements that fail it.
type Violation struct {
	ID          string          `json:"id"`     // axe rule id, such as "image-alt"
	Impact      string          `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Description string          `json:"description"`
	Help        string          `json:"help"`
	HelpURL     string          `json:"helpUrl"`
	Nodes       []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that fails a rule.
type ViolationNode struct {
	// Target is the CSS selector path of the element; an element inside an
	// iframe or a shadow root has one selector for each level.
	Target         []string `json:"target"`
	HTML           string   `json:"html"`
	FailureSummary string   `json:"failureSummary"`
	Impact         string   `json:"impact"`
}

// Blocking reports whether the violation's impact is serious or critical,
// the impacts that CheckAccessibility fails on.
func (v Violation) Blocking() bool {
	return v.Impact == "serious" || v.Impact == "critical"
}

// String formats the violation for a test failure: rule id, impact, help,
// and the target of each failing element.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    - %s: %s", strings.Join(n.Target, " >>> "), abbrev(n.HTML))
	}
	return b.String()
}

// axeRunJS runs axe with the options (a JSON object) and returns the
// violations as a JSON string.
const axeRunJS = `(async function(o) {
	const context = o.exclude.length ? {exclude: o.exclude.map(s => [s])} : document;
	const rules = {};
	for (const id of o.disable) rules[id] = {enabled: false};
	const r = await axe.run(context, {
		runOnly: {type: "tag", values: o.tags},
		rules: rules,
		resultTypes: ["violations"],
	});
	return JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact || "", description: v.description,
		help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(x => Array.isArray(x) ? x.join(" ") : String(x)),
			html: n.html, failureSummary: n.failureSummary || "", impact: n.impact || "",
		})),
	})));
})(%s)`

// AccessibilityViolations injects axe-core into the page in tab (once per
// page) and returns every violation it finds, of any impact.
func AccessibilityViolations(tab *Tab, opts AxeOptions) ([]Violation, error) {
	ctx, cancel := tab.withTimeout()
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("checking for axe: %w", err)
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+"\n;true")); err != nil {
			return nil, fmt.Errorf("injecting axe-core: %w", err)
		}
	}
	tags := opts.Tags
	if tags == nil {
		tags = WCAGTags
	}
	if opts.BestPractice {
		tags = append(tags[:len(tags):len(tags)], "best-practice")
	}
	arg, err := json.Marshal(map[string][]string{
		"tags":    tags,
		"exclude": nonNil(opts.Exclude),
		"disable": nonNil(opts.DisableRules),
	})
	if err != nil {
		return nil, err
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(axeRunJS, arg), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("decoding axe results: %w", err)
	}
	return vs, nil
}

// CheckAccessibility runs axe-core on the page in tab against the WCAG 2.0
// and 2.1 A and AA rules, and fails the test (t.Errorf) on every violation of
// impact serious or critical, listing rule id, impact, help and the targets
// of the failing elements. Violations of lower impact are only logged.
func CheckAccessibility(t testing.TB, tab *Tab) {
	t.Helper()
	CheckAccessibilityWith(t, tab, AxeOptions{})
}

// CheckAccessibilityWith is CheckAccessibility with options, for example to
// add the best-practice rules or to leave out a part of the page.
func CheckAccessibilityWith(t testing.TB, tab *Tab, opts AxeOptions) {
	t.Helper()
	vs, err := AccessibilityViolations(tab, opts)
	if err != nil {
		t.Fatalf("browsertest: accessibility check of %s: %v", tab.currentURL(), err)
		return
	}
	var blocking, other []string
	for _, v := range vs {
		if v.Blocking() {
			blocking = append(blocking, v.String())
		} else {
			other = append(other, v.String())
		}
	}
	if len(other) > 0 {
		t.Logf("browsertest: %d minor or moderate accessibility issue(s) on %s:\n  %s",
			len(other), tab.currentURL(), strings.Join(other, "\n  "))
	}
	if len(blocking) > 0 {
		t.Errorf("browsertest: %d serious or critical accessibility violation(s) on %s (axe-core %s):\n  %s",
			len(blocking), tab.currentURL(), AxeVersion, strings.Join(blocking, "\n  "))
	}
}

// nonNil returns s, or an empty slice when s is nil, so that it encodes as [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
