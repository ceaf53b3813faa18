package cli_test

import (
	"path"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/demo"
)

// The drafting journey on the demo's draft of Opinion 5, in three
// independent browser contexts: Brazil's delegate proposes a change to a
// provision by editing its text; the chair, who holds the editor's pen,
// sees the proposal arrive on the compilation page without reloading it,
// colliding with Example Telecom's; the editor makes the collision a
// bracket and issues the next revision; an observer reads the redline.
// Every page visited passes the accessibility check.
func TestJourneyDrafting(t *testing.T) {
	base, _ := serveDemo(t)
	drafts := base + "/forums/" + demo.WTPFSlug + "/drafts"
	b := browsertest.New(t)

	// The editor opens the compilation of the current revision.
	ed := b.NewTab(t)
	login(t, ed, base, "chair")
	ed.Navigate(drafts)
	ed.WaitText("table.drafts", demo.OpinionNumber)
	browsertest.CheckAccessibility(t, ed)
	ed.Click("table.drafts a")
	ed.WaitText("h1", "Draft Opinion 5")
	ed.WaitText(".revision-facts", "1 open bracket")
	browsertest.CheckAccessibility(t, ed)
	ed.Click("nav[aria-label='Draft text'] a[href$='/compilation']")
	ed.WaitText("#compilation", "EXTEL/5/2")
	ed.WaitText(".comp-status", "1 pending proposal, 0 collisions")
	browsertest.CheckAccessibility(t, ed)
	ed.WaitVisible("[sse-connect][data-live=open]")

	// Brazil's delegate edits "is of the view 3." in the browser.
	bra := b.NewTab(t)
	login(t, bra, base, "member_state")
	bra.Navigate(drafts)
	bra.Click("table.drafts a")
	bra.WaitText("h1", "Draft Opinion 5")
	browsertest.CheckAccessibility(t, bra)
	bra.Click("#prov-p6 .prov-actions a[href*='propose']")
	bra.WaitText("h1", "Propose a change")
	if got := bra.Value("#f-text"); !strings.HasPrefix(got, "that the ITU should continue to support the participation of all stakeholders in its work") {
		t.Fatalf("the text box does not hold the provision's text: %q", got)
	}
	browsertest.CheckAccessibility(t, bra)
	bra.Fill("#f-text", "that the ITU should continue to support the participation of all stakeholders, on an equal footing, in its work on Internet-related public policy issues;")
	bra.Fill("#f-rationale", "Every stakeholder group on the same terms.")
	bra.Click("#propose-form button[type=submit]")
	bra.WaitText(".flash", "BRA/5/1 is filed")
	bra.WaitText("#compilation", "BRA/5/1")
	browsertest.CheckAccessibility(t, bra)

	// The editor's page shows it without a reload, with the collision.
	ed.WaitText("#compilation", "BRA/5/1")
	ed.WaitText(".comp-status", "2 pending proposals, 1 collision")
	ed.WaitText("#compilation .collisions", "c1")
	if n := ed.Count("#compilation li.proposal.collides"); n != 2 {
		t.Errorf("%d proposals marked as colliding, want 2", n)
	}
	ed.CheckNoJSErrors()

	// The editor makes the collision a bracket and issues the revision.
	ed.Click("main .actions a[href$='/revise']")
	ed.WaitText("h1", "Make the next revision")
	ed.WaitText("#f-col-c1", "BRA/5/1")
	browsertest.CheckAccessibility(t, ed)
	ed.Click("#f-col-c1-bracket")
	ed.Fill("#f-note", "Second reading: the two additions to clause 3 are bracketed.")
	ed.Click("form.revise button[type=submit]")
	ed.WaitText(".flash", "WTPF-13/5(Rev.2) is issued: revision 3, 2 open brackets")
	ed.WaitText("section.redline", "changes from revision 2 to revision 3")
	browsertest.CheckAccessibility(t, ed)

	// An observer reads the redline and the brackets.
	obs := b.NewTab(t)
	login(t, obs, base, "civil_society")
	obs.Navigate(drafts)
	obs.Click("table.drafts a")
	obs.WaitText(".docnumber", "WTPF-13/5(Rev.2)")
	draftPage := obs.URL()
	obs.WaitText(".revision-facts", "2 open brackets")
	browsertest.CheckAccessibility(t, obs)
	obs.Click("nav[aria-label='Draft text'] a[href$='/redline']")
	obs.WaitText("section.redline", "changes from revision 2 to revision 3")
	if n := obs.Count("section.redline .provision.changed"); n != 1 {
		t.Errorf("%d changed provisions in the redline, want 1", n)
	}
	obs.WaitText("#prov-p6", "on an equal footing")
	if n := obs.Count("#prov-p6 ins"); n == 0 {
		t.Error("the redline marks no insertion in the bracketed clause")
	}
	browsertest.CheckAccessibility(t, obs)
	obs.Click("nav[aria-label='Draft text'] a[href$='/brackets']")
	obs.WaitText("#bracket-b2", "Supported by: BRA")
	obs.WaitText("#bracket-b2", "Supported by: EXTEL")
	browsertest.CheckAccessibility(t, obs)
	obs.Click("nav[aria-label='Draft text'] a[href$='/amendments']")
	obs.WaitText("main ol.amendments", "BRA/5/1")
	browsertest.CheckAccessibility(t, obs)
	obs.Navigate(draftPage)
	obs.Click("#prov-p6 .prov-actions a[href*='/provisions/']")
	obs.WaitText("h1", "Drafting log of is of the view 3.")
	obs.WaitText("main", "BRA/5/1 became an alternative of bracket b2.")
	browsertest.CheckAccessibility(t, obs)
	obs.Navigate(draftPage)
	// The draft's own document (the revision is also DT/3, linked first).
	obs.Click("main a[href$='/documents/" + path.Base(draftPage) + "']")
	obs.WaitText("main", "Read it provision by provision")
	browsertest.CheckAccessibility(t, obs)

	// The editor's form for a new draft text.
	ed.Navigate(drafts + "/new")
	ed.WaitText("h1", "File a new draft text")
	browsertest.CheckAccessibility(t, ed)
}
