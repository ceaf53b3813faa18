package cli_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/demo"
)

// The rules of participation of WCIT-12 fit a desktop and a phone screen:
// at 1280 and at 375 pixels wide the page does not scroll sideways (a
// matrix wider than the screen scrolls inside its own focusable region),
// and the page passes the accessibility check at both widths. At 1280
// pixels every matrix fits its box without scrolling at all.
func TestJourneyRulesMatrixFitsScreen(t *testing.T) {
	base, _ := serveDemo(t)
	b := browsertest.New(t)
	for _, width := range []int64{1280, 375} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			tab := b.NewTab(t)
			tab.Do(chromedp.EmulateViewport(width, 800))
			tab.Navigate(base + "/forums/" + demo.WCITSlug + "/rules")
			tab.WaitText("h1", "Rules of participation")
			tab.WaitVisible("table.part-matrix")
			if got := browsertest.Eval[int](tab, `window.innerWidth`); got != int(width) {
				t.Fatalf("the window is %d pixels wide, not %d", got, width)
			}
			scroll := browsertest.Eval[int](tab, `document.documentElement.scrollWidth`)
			inner := browsertest.Eval[int](tab, `window.innerWidth`)
			if scroll > inner {
				t.Errorf("at %d pixels the page scrolls sideways: scrollWidth %d > innerWidth %d", width, scroll, inner)
			}
			if width == 1280 {
				if n := browsertest.Eval[int](tab, `[...document.querySelectorAll(".part-scroll")].filter(r => r.scrollWidth > r.clientWidth).length`); n != 0 {
					t.Errorf("at %d pixels %d matrices are wider than their box", width, n)
				}
			}
			// Every matrix sits in a labelled region that a keyboard user can
			// focus, to scroll it when it is wider than its box.
			bad := browsertest.Eval[int](tab, `[...document.querySelectorAll("table.part-matrix")].filter(t => {
				const r = t.closest(".part-scroll");
				return !r || r.getAttribute("role") !== "region" || r.getAttribute("tabindex") !== "0" ||
					!(r.getAttribute("aria-label") || r.getAttribute("aria-labelledby"));
			}).length`)
			if bad != 0 {
				t.Errorf("%d matrices are not in a focusable, labelled scrolling region", bad)
			}
			browsertest.CheckAccessibility(t, tab)
		})
	}
}
