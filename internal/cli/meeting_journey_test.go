package cli_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/demo"
)

// The floor journey on the demo's WG3-4, in five independent browser
// contexts: Chidi Okafor, a remote civil-society delegate, asks for the
// floor; the chair's console, open before he asks, shows his request
// with its "why next" without being reloaded (over the meeting's event
// stream); the chair deals with the pending point of order, then Brazil
// raises another, which goes first in the queue, above his request; the
// chair gives him the floor and starts the clock; the room's projector
// and an observer's live page show him at the floor and the countdown
// running; the chair ends his turn, and the intervention is in the
// speaking-time chart and table and on the interventions page. Every page
// visited passes the accessibility check.
func TestJourneyTheFloor(t *testing.T) {
	base, out := serveDemo(t)
	forumPath := "/forums/" + demo.WTPFSlug
	meetingPath := forumPath + "/meetings/" + demo.WG3Meeting
	live := base + meetingPath + "/live"
	// The demo says where to try the floor, and as whom.
	for _, want := range []string{"ask for the floor (as the remote delegate)", meetingPath + "/live\n", meetingPath + "/live/chair\n", meetingPath + "/live/projector\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --demo does not print %q:\n%s", want, out.String())
		}
	}
	chidi := demo.LoginByKey("remote_delegate").Name
	b := browsertest.New(t)

	// The chair opens the console; it does not reload itself.
	chair := b.NewTab(t)
	login(t, chair, base, "chair")
	chair.Navigate(live + "/chair")
	chair.WaitText("h1", "the chair's console")
	chair.WaitText("#live .speaker", "Beatriz Delegate, Brazil")
	if who := queueNames(chair); len(who) == 0 || !strings.Contains(who[0], "Uma Delegate") || containsName(who, chidi) {
		t.Fatalf("the demo's queue: %q", who)
	}
	browsertest.CheckAccessibility(t, chair)
	browsertest.Eval[bool](chair, `window.notReloaded = true`)

	// The room's projector, not logged in, and an observer follow too.
	projector := b.NewTab(t)
	projector.Navigate(live + "/projector")
	projector.WaitText("#live .speaker", "Beatriz Delegate")
	projector.WaitText("#live section.discussed", "Draft Opinion 5")
	browsertest.CheckAccessibility(t, projector)
	observer := b.NewTab(t)
	login(t, observer, base, "civil_society")
	observer.Navigate(live)
	observer.WaitText("#live .speaker", "Beatriz Delegate")
	observer.WaitText("#live section.discussed", "that all stakeholders should be able to take part")
	browsertest.CheckAccessibility(t, observer)
	waitForStreams(chair, projector, observer)

	// The remote delegate finds the meeting and asks for the floor.
	remote := b.NewTab(t)
	login(t, remote, base, "remote_delegate")
	remote.Navigate(base + forumPath + "/meetings")
	remote.WaitText("main", "Working Group 3, fourth meeting")
	browsertest.CheckAccessibility(t, remote)
	remote.Click("main a[href='" + meetingPath + "']")
	remote.WaitText("h1", "Working Group 3")
	browsertest.CheckAccessibility(t, remote)
	remote.Click("main a[href='" + meetingPath + "/live']")
	remote.WaitText("#you-h", "You")
	remote.WaitText("#live", "You have no request waiting.")
	browsertest.CheckAccessibility(t, remote)
	remote.Click("form[action$='/live/request']:has(input[value='speak']) button")
	remote.WaitText(".flash", "You asked for the floor.")
	remote.WaitText("#live", "your place in the queue")
	browsertest.CheckAccessibility(t, remote)
	own := browsertest.Eval[string](remote, `document.querySelector("#you-h").parentElement.querySelector("p").innerText`)

	// The console shows the request with its why, without a reload.
	chair.WaitText("#live .queue", chidi)
	why := rowWhy(chair, chidi)
	if why == "" || !strings.Contains(own, why) {
		t.Errorf("the console's why for %s is %q; the delegate reads %q", chidi, why, own)
	}
	if !browsertest.Eval[bool](chair, `window.notReloaded === true`) {
		t.Error("the console was reloaded: the request should arrive over the event stream")
	}
	browsertest.CheckAccessibility(t, chair)

	// The chair gives the floor to the pending point of order of the
	// United States, rules on it and ends it; Brazil has the floor back
	// and finishes.
	chair.Click("form[action$='/chair/next'] button")
	chair.WaitText(".flash", "The floor is given to the next speaker.")
	chair.WaitText("#live .speaker", "Uma Delegate")
	chair.WaitText("#live", "Interrupted: Beatriz Delegate")
	browsertest.CheckAccessibility(t, chair)
	chair.Fill("#f-ruling", "The point is well taken: the interpreters are back.")
	chair.Click("form[action$='/chair/rule'] button")
	chair.WaitText(".flash", "The ruling is recorded.")
	chair.Click("form[action$='/chair/finish'] button")
	chair.WaitText("#live .speaker", "Beatriz Delegate, Brazil")
	chair.Click("form[action$='/chair/finish'] button")
	chair.WaitText("#live", "Nobody has the floor.")

	// Brazil raises a point of order: it goes first, above the remote
	// delegate's request, on the console as on the observer's page.
	bra := b.NewTab(t)
	login(t, bra, base, "member_state")
	bra.Navigate(live)
	bra.WaitText("#you-h", "You")
	browsertest.CheckAccessibility(t, bra)
	bra.Click("form[action$='/live/request']:has(input[value='point_of_order']) button")
	bra.WaitText(".flash", "Your point of order is first in the queue.")
	for _, tab := range []*browsertest.Tab{chair, observer} {
		tab.WaitText("#live .queue li", "Beatriz Delegate")
		who := queueNames(tab)
		if !strings.Contains(strings.ToLower(who[0]), "point of order") || indexOf(who, chidi) < 1 {
			t.Fatalf("the point of order is not first, above %s: %q", chidi, who)
		}
	}
	chair.Click("form[action$='/chair/next'] button")
	chair.WaitText("#live .speaker", "Beatriz Delegate, Brazil")
	chair.WaitVisible("#f-ruling")
	chair.Fill("#f-ruling", "The point is noted: the speakers' list stands.")
	chair.Click("form[action$='/chair/rule'] button")
	chair.WaitText(".flash", "The ruling is recorded.")
	chair.Click("form[action$='/chair/finish'] button")
	chair.WaitText("#live", "Nobody has the floor.")

	// The chair gives the floor to the remote delegate and starts the clock.
	id := browsertest.Eval[string](chair, fmt.Sprintf(`(() => {
		for (const li of document.querySelectorAll("#live .queue > li")) {
			if (li.querySelector("strong").innerText.includes(%q)) return li.querySelector("form[action$='/chair/give'] input[name=request]").value;
		}
		return "";
	})()`, chidi))
	if id == "" {
		t.Fatalf("no form to give the floor to %s", chidi)
	}
	chair.Click("form[action$='/chair/give']:has(input[value='" + id + "']) button")
	chair.WaitText("#live .speaker", chidi)
	chair.Click("form[action$='/chair/start'] button")
	chair.WaitText(".flash", "The clock runs.")
	browsertest.CheckAccessibility(t, chair)

	// The projector and the observer show him at the floor, the clock
	// counting down.
	for _, tab := range []*browsertest.Tab{projector, observer} {
		tab.WaitText("#live .speaker", chidi+", Civil Society Example Network")
		tab.WaitVisible("#live time.countdown[data-running]")
		// The page ticks each second; on a loaded machine a tick can come
		// late, so the check waits up to 10 s for the clock to go down
		// (it never goes down if the page does not count).
		first, second := countdown(tab), 0
		for deadline := time.Now().Add(10 * time.Second); ; {
			time.Sleep(500 * time.Millisecond)
			if second = countdown(tab); second < first || time.Now().After(deadline) {
				break
			}
		}
		if second >= first {
			ticked := browsertest.Eval[bool](tab, `!!document.querySelector("#live time.countdown[data-running]")?.dataset.base`)
			t.Errorf("the countdown does not run on %s: %d s, then %d s 10 s later (the page's script ticked: %v)", tab.URL(), first, second, ticked)
		}
		browsertest.CheckAccessibility(t, tab)
	}
	remote.WaitText("#live .speaker", chidi)

	// The turn ends: the intervention is in the speaking time (he had
	// spoken once before, in the demo) and among the interventions.
	chair.Click("form[action$='/chair/finish'] button")
	chair.WaitText("#live", "Nobody has the floor.")
	observer.Navigate(base + meetingPath + "/speaking-time")
	observer.WaitText("h1", "speaking time")
	party := "Civil Society Example Network (fictitious)"
	if got := browsertest.Eval[string](observer, fmt.Sprintf(`(() => {
		for (const tr of document.querySelectorAll("table tr")) {
			const th = tr.querySelector("th[scope=row]");
			if (th && th.innerText === %q && tr.closest("table").querySelector("caption").innerText === "Per party") return tr.querySelector("td").innerText;
		}
		return "";
	})()`, party)); got != "2" {
		t.Errorf("%s's turns in the table: %q, want 2", party, got)
	}
	bars := browsertest.Eval[[]string](observer, `Array.from(document.querySelectorAll("svg[aria-labelledby^='parties-turns'] g.bar title"), e => e.textContent)`)
	if !containsName(bars, party+", Remote: 2 turns") {
		t.Errorf("the chart of turns per party does not show 2 remote turns of %s: %q", party, bars)
	}
	browsertest.CheckAccessibility(t, observer)
	observer.Navigate(base + meetingPath + "/interventions")
	observer.WaitText("h1", "interventions")
	turns := browsertest.Eval[[]string](observer, `Array.from(document.querySelectorAll("ol.interventions > li > h2"), e => e.innerText)`)
	if n := countName(turns, chidi); n != 2 {
		t.Errorf("%d interventions of %s, want 2: %q", n, chidi, turns)
	}
	browsertest.CheckAccessibility(t, observer)
	for _, tab := range []*browsertest.Tab{chair, projector, observer, remote, bra} {
		tab.CheckNoJSErrors()
	}
}

// waitForStreams waits until each tab's page says its event stream is
// open: the server has subscribed it by then.
func waitForStreams(tabs ...*browsertest.Tab) {
	for _, tab := range tabs {
		tab.WaitVisible("[sse-connect][data-live=open]")
	}
}

// queueNames is the text of each row of the queue's first line: who and
// what.
func queueNames(tab *browsertest.Tab) []string {
	return browsertest.Eval[[]string](tab, `Array.from(document.querySelectorAll("#live .queue > li"), li => li.innerText.split("\n")[0])`)
}

// rowWhy is the why sentence of the queue row of who.
func rowWhy(tab *browsertest.Tab, who string) string {
	return browsertest.Eval[string](tab, fmt.Sprintf(`(() => {
		for (const li of document.querySelectorAll("#live .queue > li")) {
			if (li.querySelector("strong").innerText.includes(%q)) return li.querySelector(".why").innerText;
		}
		return "";
	})()`, who))
}

// countdown reads the remaining seconds the page shows (negative in
// overtime).
func countdown(tab *browsertest.Tab) int {
	s := strings.TrimSpace(tab.Text("#live time.countdown"))
	sign := 1
	if strings.HasPrefix(s, "+") {
		sign = -1
		s = strings.TrimSuffix(strings.TrimPrefix(s, "+"), " over")
	}
	m, sec, ok := strings.Cut(s, ":")
	mi, err1 := strconv.Atoi(m)
	si, err2 := strconv.Atoi(sec)
	if !ok || err1 != nil || err2 != nil {
		tab.T().Fatalf("the countdown reads %q", s)
	}
	return sign * (mi*60 + si)
}

func indexOf(xs []string, name string) int {
	for i, x := range xs {
		if strings.Contains(x, name) {
			return i
		}
	}
	return -1
}

func containsName(xs []string, name string) bool { return indexOf(xs, name) >= 0 }

func countName(xs []string, name string) int {
	n := 0
	for _, x := range xs {
		if strings.Contains(x, name) {
			n++
		}
	}
	return n
}
