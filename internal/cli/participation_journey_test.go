package cli_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/demo"
)

// The participation journey, in two independent browser contexts: a member
// of the public applies for observer status in WTPF-13; the secretariat
// approves; the new observer reads the rules of participation and is
// refused a restricted document, with a message naming the rule. Every
// page visited passes the accessibility check.
func TestJourneyObserverApplication(t *testing.T) {
	base, _ := serveDemo(t)
	forum := base + "/forums/" + demo.WTPFSlug
	b := browsertest.New(t)

	pub := b.NewTab(t)
	login(t, pub, base, "public")
	pub.Navigate(forum)
	pub.WaitText("#part-summary-h", "Participation")
	browsertest.CheckAccessibility(t, pub)
	pub.Click(".part-summary a[href='/forums/" + demo.WTPFSlug + "/apply']")
	pub.WaitText("h1", "Apply for observer status")
	browsertest.CheckAccessibility(t, pub)

	// Sent without an organisation: the field is marked and explained.
	pub.Click("form[action$='/apply'] button[type=submit]")
	pub.WaitText("#e-affiliation", "is required")
	if got := browsertest.Eval[string](pub, `document.querySelector("#f-affiliation").getAttribute("aria-invalid")`); got != "true" {
		t.Errorf("the missing field is not marked invalid: %q", got)
	}
	browsertest.CheckAccessibility(t, pub)
	pub.Fill("#f-affiliation", "Daily Bugle")
	pub.Click("#f-mode-remote")
	pub.Fill("#f-statement", "I report on Internet governance for readers who cannot travel to Geneva.")
	pub.Click("form[action$='/apply'] button[type=submit]")
	pub.WaitText(".flash", "Your application is sent")
	pub.WaitText("table", "Waiting for approval")
	browsertest.CheckAccessibility(t, pub)

	// The secretariat, in its own browser context, approves.
	sec := b.NewTab(t)
	login(t, sec, base, "secretariat")
	sec.Navigate(forum)
	sec.Click("nav[aria-label='Forum'] a[href='/forums/" + demo.WTPFSlug + "/approvals']")
	sec.WaitText("h1", "Approvals")
	sec.WaitText(".part-queue", "Pat Public")
	sec.WaitText(".part-queue", "Daily Bugle")
	browsertest.CheckAccessibility(t, sec)
	sec.Click(".part-queue li.card form[action$='/approve'] button")
	sec.WaitText(".flash", "The registration of Pat Public is approved.")
	sec.WaitText("main", "Nobody is waiting for your decision")
	browsertest.CheckAccessibility(t, sec)

	// The applicant sees the decision, then reads the rules.
	pub.Navigate(base + "/")
	pub.Click("header nav a[href='/registrations']")
	pub.WaitText("table", "Approved")
	browsertest.CheckAccessibility(t, pub)
	pub.Navigate(forum)
	pub.Click("nav[aria-label='Forum'] a[href='/forums/" + demo.WTPFSlug + "/rules']")
	pub.WaitText("h1", "Rules of participation")
	pub.WaitText("#g-observer", "Observers")
	pub.WaitText("main", "What observers may do")
	browsertest.CheckAccessibility(t, pub)

	// A restricted document: the secretariat sees it in the register; the
	// observer, sent to it, is refused by the rule.
	sec.Navigate(forum + "/documents")
	sec.WaitText("main", "Arrangements for heads of delegation")
	browsertest.CheckAccessibility(t, sec)
	href := browsertest.Eval[string](sec, `(() => {
		for (const tr of document.querySelectorAll("tr")) {
			if (tr.textContent.includes("Arrangements for heads of delegation")) {
				const a = tr.querySelector("a[href*='/documents/']");
				if (a) return a.getAttribute("href");
			}
		}
		return "";
	})()`)
	if !strings.HasPrefix(href, "/forums/"+demo.WTPFSlug+"/documents/") {
		t.Fatalf("no link to the members-only document in the secretariat's register: %q", href)
	}
	pub.Navigate(base + href)
	pub.WaitText("main", "Observers may not read restricted documents in WTPF-13")
	if strings.Contains(pub.Text("main"), "Heads of delegation meet before the opening plenary") {
		t.Fatal("the observer was shown the restricted document")
	}
	browsertest.CheckAccessibility(t, pub)

	// The list of participants by name is a restricted document too here.
	pub.Navigate(forum + "/participants")
	browsertest.CheckAccessibility(t, pub)
	pub.Navigate(forum + "/participants/names")
	pub.WaitText("main", "Observers may not read restricted documents in WTPF-13")
	browsertest.CheckAccessibility(t, pub)
	pub.CheckNoJSErrors()
	sec.CheckNoJSErrors()
}

// Every participation page, as the secretariat (with its forms) and as a
// delegate, passes the accessibility check, forms with errors included.
func TestParticipationPagesAreAccessible(t *testing.T) {
	base, _ := serveDemo(t)
	b := browsertest.New(t)
	sec := b.NewTab(t)
	login(t, sec, base, "secretariat")
	for _, p := range []string{
		"/forums/wcit-12/rules", "/forums/igf-2014/rules", "/forums/wtpf-13/rules/edit", "/forums/wcit-12/rules/groups/member_state",
		"/forums/wtpf-13/rules/groups/guest", "/forums/wcit-12/participants", "/forums/wcit-12/participants/names",
		"/forums/wcit-12/parties/BRA", "/forums/wcit-12/parties/LIE", "/forums/wtpf-13/register", "/forums/wtpf-13/guests/new",
		"/forums/wtpf-13/approvals", "/forums/wcit-12/bodies/plenary", "/registrations", "/forums/wcit-12",
	} {
		sec.Navigate(base + p)
		sec.WaitVisible("h1")
		browsertest.CheckAccessibility(t, sec)
	}
	// Forms refused with field errors.
	sec.Navigate(base + "/forums/wtpf-13/guests/new")
	sec.Fill("#f-email", "civil@demo.plenary.example")
	sec.Click("form[action$='/guests'] button[type=submit]")
	sec.WaitText("#e-grants", "say which rights the guest has")
	browsertest.CheckAccessibility(t, sec)
	sec.Navigate(base + "/forums/wcit-12/parties/ESP")
	sec.Click("#f-state-transferred")
	sec.Click("form[action$='/credentials'] button[type=submit]")
	sec.WaitText("#e-proxy", "say to which party")
	browsertest.CheckAccessibility(t, sec)
	sec.Navigate(base + "/forums/wcit-12/participants")
	sec.Fill("#f-code", "x")
	sec.Click("form[action='/forums/wcit-12/parties'] button[type=submit]")
	sec.WaitText("#e-code", "capital letters")
	browsertest.CheckAccessibility(t, sec)

	del := b.NewTab(t)
	login(t, del, base, "member_state")
	for _, p := range []string{"/forums/wtpf-13/approvals", "/forums/wtpf-13/parties/BRA", "/forums/wtpf-13/participants/names", "/registrations"} {
		del.Navigate(base + p)
		del.WaitVisible("h1")
		browsertest.CheckAccessibility(t, del)
	}
}
