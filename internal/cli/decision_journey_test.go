package cli_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/demo"
)

// The decisions journey in the demo's WCIT-12 plenary (PL-12DEC), in
// independent browser contexts. The chair takes a straw poll from the
// console's Decide section and enters the placards; a journalist, not
// logged in, who follows the meeting's live page and then the poll's own
// page, sees it labelled "Straw poll (indicative, not binding)", its
// counts arriving without a reload, and nowhere called a vote. Germany
// asks for the floor; Brazil raises a point of order from the live page's
// button, and on the console it is first in the queue, above Germany; the
// chair rules on it. The chair opens a recorded vote; Germany, France and
// the United Kingdom vote from their own browsers, logged in with the
// demo's published delegates' password; the chair closes the vote. The
// journalist's page of the vote and a civil-society observer's live page
// show the result and its arithmetic over the meeting's event stream,
// without being reloaded. Every page visited passes the accessibility
// check.
func TestJourneyDecisions(t *testing.T) {
	base, out := serveDemo(t)
	meetingPath := "/forums/" + demo.WCITSlug + "/meetings/" + demo.WCITPlenary
	live := base + meetingPath + "/live"
	// The demo says how to vote as any delegation.
	for _, want := range []string{demo.WCITDelegateEmail("<code>"), demo.WCITDelegatePassword, meetingPath + "/live\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --demo does not print %q:\n%s", want, out.String())
		}
	}
	b := browsertest.New(t)

	// The login page lists the delegates' password with the demo logins.
	journalist := b.NewTab(t)
	journalist.Navigate(base + "/login")
	journalist.WaitText("#demo-h", "Demo accounts")
	journalist.WaitText("section.demo table", demo.WCITDelegatePassword)

	// The journalist follows the plenary's live page; it does not reload
	// itself.
	journalist.Navigate(live)
	journalist.WaitText("h1", demo.WCITPlenary)
	journalist.WaitText("#live .decisions", demo.DemoVoteTitle)
	browsertest.CheckAccessibility(t, journalist)
	markNotReloaded(journalist)
	waitForStreams(journalist)

	// (1) The chair takes a straw poll from the console's Decide section.
	chair := b.NewTab(t)
	login(t, chair, base, "chair")
	chair.Navigate(live + "/chair")
	chair.WaitText("h1", "the chair's console")
	chair.WaitText("#decide-h", "Decide")
	browsertest.CheckAccessibility(t, chair)
	chair.Click("section[aria-labelledby=decide-h] a[href$='/decisions/new?kind=straw_poll']")
	chair.WaitText("h1", "open a decision")
	chair.WaitText("main .notice", "A straw poll is not a vote.")
	browsertest.CheckAccessibility(t, chair)
	const pollTitle = "Feel of the room on sitting past midnight"
	chair.Fill("#f-title", pollTitle)
	chair.Fill("#f-question", "Does the plenary wish to sit past midnight?")
	chair.Fill("#f-options", "Sit on, Adjourn")
	chair.Click("form[action$='/decisions'] button[type=submit]")
	chair.WaitText(".flash", "Straw poll (indicative, not binding) opened.")
	chair.WaitText("h1", pollTitle)
	browsertest.CheckAccessibility(t, chair)

	// The journalist's live page shows it, open, without a reload, and
	// the link leads to its page, which follows the meeting too.
	journalist.WaitText("#live .decisions", pollTitle)
	pollItem := decisionItem(journalist, pollTitle)
	if !strings.Contains(pollItem, "Straw poll (indicative, not binding): "+pollTitle) || !strings.Contains(pollItem, "Open") {
		t.Errorf("the live page lists the straw poll as %q", pollItem)
	}
	notAVote(t, "the live page's straw poll", pollItem)
	checkNotReloaded(t, journalist)
	journalist.Click("#live .decisions a[href='" + strings.TrimPrefix(chair.URL(), base) + "']")
	journalist.WaitText("h1", "Straw poll (indicative, not binding): "+pollTitle)
	journalist.WaitText("#decision-state", "No counts yet.")
	browsertest.CheckAccessibility(t, journalist)
	markNotReloaded(journalist)
	waitForStreams(journalist)

	// The chair enters the placards and closes the poll.
	chair.Fill("#f-count-o1", "61")
	chair.Fill("#f-count-o2", "40")
	chair.Click("form[action$='/counts'] button")
	chair.WaitText(".flash", "The counts are entered.")
	browsertest.CheckAccessibility(t, chair)
	chair.Click("form[action$='/close-poll'] button")
	chair.WaitText(".flash", "The straw poll is closed.")

	// The journalist's page has the counts and the poll closed, without a
	// reload, and calls it indicative, never a vote.
	journalist.WaitText("#decision-state", "101 in all")
	journalist.WaitText("#decision-state .status", "not a vote")
	checkNotReloaded(t, journalist)
	if got := journalist.Text("#decision-state"); !strings.Contains(got, "Indicative, not binding: it decides nothing.") || !strings.Contains(got, "; closed ") ||
		journalist.Count("#decision-state .status .badge") != 0 {
		t.Errorf("the straw poll's page, closed, has an outcome or is not indicative:\n%s", got)
	}
	notAVote(t, "the straw poll's page", journalist.Text("h1")+"\n"+journalist.Text("main .notice")+"\n"+journalist.Text("#decision-state"))
	browsertest.CheckAccessibility(t, journalist)

	// (2) Germany asks for the floor; Brazil then raises a point of order,
	// which goes first.
	deu := b.NewTab(t)
	loginDelegate(t, deu, base, "DEU", "Germany")
	deu.Navigate(live)
	deu.WaitText("#you-h", "You")
	browsertest.CheckAccessibility(t, deu)
	deu.Click("form[action$='/live/request']:has(input[value='speak']) button")
	deu.WaitText(".flash", "You asked for the floor.")
	bra := b.NewTab(t)
	login(t, bra, base, "member_state")
	bra.Navigate(live)
	bra.WaitText("#you-h", "You")
	bra.WaitText("#live .queue", "Germany")
	browsertest.CheckAccessibility(t, bra)
	bra.Click("form[action$='/live/request']:has(input[value='point_of_order']) button")
	bra.WaitText(".flash", "Your point of order is first in the queue.")
	browsertest.CheckAccessibility(t, bra)
	chair.Navigate(live + "/chair")
	chair.WaitText("#live .queue", "Beatriz Delegate")
	if who := queueNames(chair); len(who) < 2 || !strings.Contains(who[0], "Beatriz Delegate, Brazil") ||
		!strings.Contains(strings.ToLower(who[0]), "point of order") || indexOf(who, "Germany") < 1 {
		t.Fatalf("on the console, Brazil's point of order is not first, above Germany: %q", who)
	}
	browsertest.CheckAccessibility(t, chair)
	chair.Click("form[action$='/chair/next'] button")
	chair.WaitText("#live .speaker", "Beatriz Delegate, Brazil")
	chair.Fill("#f-ruling", "The point is well taken: the vote will be recorded.")
	chair.Click("form[action$='/chair/rule'] button")
	chair.WaitText(".flash", "The ruling is recorded.")
	chair.Click("form[action$='/chair/finish'] button")
	chair.WaitText("#live", "Nobody has the floor.")
	browsertest.CheckAccessibility(t, chair)

	// The journalist goes back to the live page; a civil-society observer
	// follows it too.
	journalist.Navigate(live)
	journalist.WaitText("#live", "Ruling: The point is well taken")
	markNotReloaded(journalist)
	observer := b.NewTab(t)
	login(t, observer, base, "civil_society")
	observer.Navigate(live)
	observer.WaitText("#live .decisions", pollTitle)
	browsertest.CheckAccessibility(t, observer)
	markNotReloaded(observer)
	waitForStreams(journalist, observer)

	// (3) The chair opens a recorded vote.
	chair.Click("section[aria-labelledby=decide-h] a[href$='/decisions/new?kind=vote']")
	chair.WaitText("h1", "open a decision")
	browsertest.CheckAccessibility(t, chair)
	const voteTitle = "Vote on sitting past midnight"
	chair.Fill("#f-title", voteTitle)
	if m := chair.Value("input[name=method]:checked"); m != "recorded" {
		t.Errorf("the vote's default method is %q, want recorded", m)
	}
	chair.Click("form[action$='/decisions'] button[type=submit]")
	chair.WaitText(".flash", "Formal vote opened.")
	chair.WaitText("h1", voteTitle)
	browsertest.CheckAccessibility(t, chair)
	votePath := strings.TrimPrefix(chair.URL(), base)

	// The journalist's live page shows it open; the journalist follows
	// its page.
	journalist.WaitText("#live .decisions", voteTitle)
	checkNotReloaded(t, journalist)
	journalist.Click("#live .decisions a[href='" + votePath + "']")
	journalist.WaitText("h1", "Formal vote: "+voteTitle)
	journalist.WaitText("#decision-state", "Recorded vote")
	browsertest.CheckAccessibility(t, journalist)
	markNotReloaded(journalist)
	waitForStreams(journalist)

	// Three delegations vote, each from its own browser.
	fra := b.NewTab(t)
	loginDelegate(t, fra, base, "FRA", "France")
	gbr := b.NewTab(t)
	loginDelegate(t, gbr, base, "GBR", "United Kingdom")
	for _, v := range []struct {
		tab            *browsertest.Tab
		party, choice  string
		choiceLabelled string
	}{{deu, "Germany", "yes", "Yes"}, {fra, "France", "no", "No"}, {gbr, "United Kingdom", "yes", "Yes"}} {
		v.tab.Navigate(base + votePath)
		v.tab.WaitText("#cast-h", "Cast your delegation's vote")
		browsertest.CheckAccessibility(t, v.tab)
		v.tab.Click("#f-choice-" + v.choice)
		v.tab.Click("form[action$='/cast'] button")
		v.tab.WaitText(".flash", "Your vote is recorded.")
		v.tab.WaitText("#decision-state", v.party)
		browsertest.CheckAccessibility(t, v.tab)
		// The journalist's page shows each recorded vote as it comes.
		journalist.WaitText("#decision-state", v.party)
		if got := delegationVote(journalist, v.party); got != v.choiceLabelled {
			t.Errorf("the journalist's page shows %s's vote as %q, want %q", v.party, got, v.choiceLabelled)
		}
	}
	checkNotReloaded(t, journalist)

	// The chair closes the vote.
	chair.Navigate(base + votePath)
	chair.WaitText("#chair-h", "The chair")
	chair.Click("form[action$='/close-vote'] button")
	chair.WaitText(".flash", "The vote is closed and its result recorded.")
	browsertest.CheckAccessibility(t, chair)

	// (4) The result and its arithmetic reach the journalist's page of the
	// vote and the observer's live page, without a reload.
	arithmetic := regexp.MustCompile(`^2 for, 1 against: 2 > \S+ of 3 present and voting`)
	journalist.WaitText("#decision-state .arithmetic", "2 for, 1 against")
	if got := journalist.Text("#decision-state .arithmetic"); !arithmetic.MatchString(got) || !strings.HasSuffix(got, "Adopted.") {
		t.Errorf("the vote's arithmetic on the journalist's page: %q", got)
	}
	journalist.WaitText("#decision-state .status .badge", "Adopted")
	journalist.WaitText("#records-h", "How each delegation voted")
	checkNotReloaded(t, journalist)
	browsertest.CheckAccessibility(t, journalist)
	observer.WaitText("#live .decisions", "2 for, 1 against")
	if got := decisionItem(observer, voteTitle); !strings.Contains(got, "Formal vote: "+voteTitle) || !strings.Contains(got, "Adopted") ||
		!arithmetic.MatchString(lastLine(got)) {
		t.Errorf("the observer's live page shows the vote as %q", got)
	}
	checkNotReloaded(t, observer)
	browsertest.CheckAccessibility(t, observer)
	for _, tab := range []*browsertest.Tab{journalist, chair, deu, bra, observer, fra, gbr} {
		tab.CheckNoJSErrors()
	}
}

// loginDelegate logs in as the WCIT-12 demo delegate of the Member State
// of the given code, with the published password.
func loginDelegate(t *testing.T, tab *browsertest.Tab, base, code, country string) {
	t.Helper()
	tab.Navigate(base + "/login")
	tab.Fill("#f-email", demo.WCITDelegateEmail(code))
	tab.Fill("#f-password", demo.WCITDelegatePassword)
	tab.Click("form[action='/login'] button[type=submit]")
	tab.WaitText("header nav", "Delegate of "+country)
}

// markNotReloaded marks the tab's page, to find out later whether it was
// reloaded.
func markNotReloaded(tab *browsertest.Tab) { browsertest.Eval[bool](tab, `window.notReloaded = true`) }

func checkNotReloaded(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	if !browsertest.Eval[bool](tab, `window.notReloaded === true`) {
		t.Errorf("%s was reloaded: the change should arrive over the event stream", tab.URL())
	}
}

// decisionItem is the text of the live page's item of the last decisions
// with the given title.
func decisionItem(tab *browsertest.Tab, title string) string {
	return browsertest.Eval[string](tab, fmt.Sprintf(`(() => {
		for (const li of document.querySelectorAll("#live .decisions li.decision")) {
			if (li.innerText.includes(%q)) return li.innerText;
		}
		return "";
	})()`, title))
}

// delegationVote is how the page says a delegation voted, from the
// list of votes so far or the table of the result.
func delegationVote(tab *browsertest.Tab, party string) string {
	return browsertest.Eval[string](tab, fmt.Sprintf(`(() => {
		for (const li of document.querySelectorAll("section[aria-labelledby=records-h] li")) {
			const [who, how] = li.innerText.split(": ");
			if (who.includes(%[1]q)) return how;
		}
		for (const tr of document.querySelectorAll("section[aria-labelledby=records-h] tr")) {
			const th = tr.querySelector("th[scope=row]");
			if (th && th.innerText.includes(%[1]q)) return tr.querySelector("td").innerText;
		}
		return "";
	})()`, party))
}

// notAVote fails when text calls a straw poll a vote: "vote" may appear
// only in saying it is not one.
func notAVote(t *testing.T, where, text string) {
	t.Helper()
	if rest := strings.ReplaceAll(strings.ToLower(text), "not a vote", ""); strings.Contains(rest, "vote") {
		t.Errorf("%s calls the straw poll a vote:\n%s", where, text)
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndex(s, "\n")+1:]
}
