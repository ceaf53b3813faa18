package finalacts_test

import (
	"testing"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

func browserLogin(t *testing.T, tab *browsertest.Tab, base string, a forum.Actor) {
	t.Helper()
	tab.Navigate(base + "/login")
	tab.Fill("#f-email", a.Email)
	tab.Fill("#f-password", servertest.Password(a.Email))
	tab.Click("form[action='/login'] button[type=submit]")
	tab.WaitText("header nav", a.Name)
}

// In a real browser, in independent contexts: France's head of
// delegation opens the signing page, sees the exact hash of the text, and
// signs; Germany's deposits a reservation on a provision; an observer then
// sees the reservation beside the provision, and the tallies and the map
// with France signed. Every page visited passes the accessibility check.
func TestJourneyFinalActs(t *testing.T) {
	s := newSite(t)
	b := browsertest.New(t)
	page := s.URL + s.path
	prov := s.fa.Provisions[len(s.fa.Provisions)-1]

	observer := b.NewTab(t)
	browserLogin(t, observer, s.URL, s.people["observer"])
	observer.Navigate(page)
	observer.WaitText("h1", s.fa.Number)
	observer.WaitText(".tally", "0")
	browsertest.CheckAccessibility(t, observer)
	// Marked, to find out later that the page was not reloaded: the
	// tallies and the map follow the signatures over the event stream.
	browsertest.Eval[bool](observer, `window.notReloaded = true`)

	fra := b.NewTab(t)
	browserLogin(t, fra, s.URL, s.people["FRA"])
	fra.Navigate(page)
	fra.Click("a[href$='/sign']")
	fra.WaitText("#signed-hash", s.fa.Hash)
	browsertest.CheckAccessibility(t, fra)
	fra.Click("#f-sign-state-signed")
	fra.Click("form[action$='/sign'] button[type=submit]")
	fra.WaitText(".flash", s.fa.Hash)
	fra.WaitText("#party-FRA", "Signed")
	browsertest.CheckAccessibility(t, fra)

	deu := b.NewTab(t)
	browserLogin(t, deu, s.URL, s.people["DEU"])
	deu.Navigate(page + "/declarations/new")
	deu.WaitText("h1", "Deposit a declaration or reservation")
	browsertest.CheckAccessibility(t, deu)
	deu.Click("#f-declarations-kind-reservation")
	deu.Click("input[name=provisions][value='" + prov.Key + "']")
	deu.Fill("#f-declarations-text", "Germany reserves its position on this provision.")
	deu.Click("form[action$='/declarations'] button[type=submit]")
	deu.WaitText("#decl-1-h", "No. 1 — Reservation — Germany")
	browsertest.CheckAccessibility(t, deu)

	// The observer's page, never reloaded, shows France's signature in
	// the tally and on the map.
	observer.WaitVisible("#signature-state svg [data-state='FRA'].signed")
	if n := observer.Count("svg [data-state='FRA'].signed"); n != 1 {
		t.Fatalf("France signed: %d shapes on the map", n)
	}
	if got := observer.Text("#signature-state table.tally tbody td:nth-child(2)"); got != "1" {
		t.Errorf("the live tally counts %q signed, want 1", got)
	}
	if !browsertest.Eval[bool](observer, `window.notReloaded === true`) {
		t.Errorf("the observer's page was reloaded: the tally should follow the event stream")
	}
	browsertest.CheckAccessibility(t, observer)
	// The reservation is read beside its provision.
	observer.Navigate(page)
	observer.WaitText(".provision .declarations", "No. 1")
	observer.WaitText(".provision .declarations", "Germany")
	browsertest.CheckAccessibility(t, observer)
	observer.Navigate(page + "/signatures")
	observer.WaitText("#party-FRA", "Head of France")
	browsertest.CheckAccessibility(t, observer)
	observer.Navigate(page + "/declarations")
	observer.WaitText("#decl-1", "Germany reserves its position")
	browsertest.CheckAccessibility(t, observer)
	observer.CheckNoJSErrors()

	// The secretariat names France's delegate from the credentials.
	sec := b.NewTab(t)
	browserLogin(t, sec, s.URL, s.admin)
	sec.Navigate(page)
	sec.WaitText("#f-revise-texts", "in the final acts now")
	browsertest.CheckAccessibility(t, sec)
	sec.Click("a[href$='/sign']")
	sec.WaitText("#cred-h", "Name a signer from the credentials")
	browsertest.CheckAccessibility(t, sec)
	sec.Click("form[action$='/signer'] button[type=submit]")
	sec.WaitText(".flash", "Delegate of France is named to sign for France")
	sec.WaitText("#signers-h", "Delegates named to sign")
	browsertest.CheckAccessibility(t, sec)
}
