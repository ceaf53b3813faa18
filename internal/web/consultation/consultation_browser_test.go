package consultation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/consultation"
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

// The public consultation in a real browser, in independent contexts: the
// secretariat opens a comment period open to the public on the draft's
// revision through its form; a member of the public (an account registered
// in no forum) comments on a provision from the link beside it, on words in
// it, and proposes missing text after it; the secretariat sees the comments
// on the period's page, answers one (accepted in part, with a reason and a
// link to the provision) and hides another with a reason; the commenter
// reads the disposition on their comment and the notice in place of the
// hidden one; an anonymous visitor reads the disposition table. Every page
// visited passes the accessibility check.
func TestJourneyConsultation(t *testing.T) {
	s := newSite(t)
	b := browsertest.New(t)
	forumURL := s.URL + s.base
	clause := "#prov-" + s.clause1
	group := "section[aria-labelledby='g-" + s.clause1 + "']"

	// The secretariat opens the period through the form.
	sec := b.NewTab(t)
	browserLogin(t, sec, s.URL, s.sec)
	sec.Navigate(forumURL + "/consultations")
	sec.WaitText("h1", "Consultations")
	sec.WaitText("#open-h", "Open a comment period")
	browsertest.CheckAccessibility(t, sec)
	sec.Fill("#f-title", "Public comment on draft Opinion 5")
	sec.Fill("#f-draft", s.d.ID)
	// A datetime-local field takes its value as a string, not typed keys.
	closes := time.Now().UTC().Add(72 * time.Hour).Format("2006-01-02T15:04")
	browsertest.Eval[string](sec, `(document.querySelector("#f-closes").value = "`+closes+`")`)
	sec.Click("#f-public")
	sec.Click("form[action$='/consultations'] button[type=submit]")
	sec.WaitText(".flash", "The comment period is open on the record.")
	sec.WaitText("h1", "Public comment on draft Opinion 5")
	sec.WaitText(".period-facts", consultation.Open.Label())
	sec.WaitText(".period-facts", "open to anyone signed in")
	period := sec.URL()
	if !strings.HasPrefix(period, forumURL+"/consultations/") {
		t.Fatalf("the period opened at %q", period)
	}
	browsertest.CheckAccessibility(t, sec)

	// A member of the public comments on clause 1 from the link beside it.
	pub := b.NewTab(t)
	browserLogin(t, pub, s.URL, s.public)
	pub.Navigate(s.URL + s.draftPath)
	pub.WaitText(".consultation-notes", "Public comment on draft Opinion 5")
	browsertest.CheckAccessibility(t, pub)
	pub.Click(clause + " .prov-actions a[href*='/comment?']")
	pub.WaitText("h1", "Comment")
	if !browsertest.Eval[bool](pub, `document.querySelector("#f-target-provision").checked`) {
		t.Error("the link beside the provision does not choose a comment on a provision")
	}
	if got := pub.Value("#f-provision"); got != s.clause1 {
		t.Errorf("the form's provision is %q, want %q", got, s.clause1)
	}
	browsertest.CheckAccessibility(t, pub)
	pub.Fill("#f-text", "Say how each stakeholder takes part.")
	pub.Fill("#f-group", "civil_society")
	pub.Fill("#f-organisation", "Open Net Coalition")
	pub.Click("form.comment-form button[type=submit]")
	pub.WaitText(".flash", "Your comment is C-1, on the record.")
	pub.WaitText("#C-1", "Open Net Coalition")
	pub.WaitText("#C-1 .unanswered", "Unanswered")
	browsertest.CheckAccessibility(t, pub)

	// On words in clause 1.
	pub.Navigate(s.URL + s.draftPath)
	pub.Click(clause + " .prov-actions a[href*='/comment?']")
	pub.WaitText("h1", "Comment")
	pub.Click("#f-target-span")
	pub.Fill("#f-quote", "roles of each")
	pub.Fill("#f-text", "Roles are a cage built by idiots.")
	pub.Fill("#f-group", "civil_society")
	pub.Fill("#f-organisation", consultation.Individual)
	pub.Click("form.comment-form button[type=submit]")
	// Words that are not in the provision are refused, the form kept.
	pub.WaitVisible("#e-quote")
	if got := pub.Value("#f-text"); got != "Roles are a cage built by idiots." {
		t.Errorf("the refused form kept %q", got)
	}
	browsertest.CheckAccessibility(t, pub)
	pub.Fill("#f-quote", "respective roles")
	pub.Click("form.comment-form button[type=submit]")
	pub.WaitText(".flash", "Your comment is C-2, on the record.")
	pub.WaitText("#C-2 blockquote.quote", "respective roles")
	pub.WaitText("#C-2", "in their own name")

	// Missing text after clause 1, from the period's page.
	pub.Navigate(period)
	pub.WaitText(".counts", "2 comments")
	browsertest.CheckAccessibility(t, pub)
	pub.Click("main a.button[href*='target=missing']")
	pub.WaitText("h1", "Comment")
	if !browsertest.Eval[bool](pub, `document.querySelector("#f-target-missing").checked`) {
		t.Error("the link to propose missing text does not choose missing text")
	}
	browsertest.CheckAccessibility(t, pub)
	pub.Fill("#f-after", s.clause1)
	pub.Fill("#f-proposed", "that surveillance be limited by law;")
	pub.Fill("#f-text", "The draft is silent on surveillance.")
	pub.Fill("#f-group", "civil_society")
	pub.Fill("#f-organisation", "Open Net Coalition")
	pub.Click("form.comment-form button[type=submit]")
	pub.WaitText(".flash", "Your comment is C-3, on the record.")
	pub.WaitText("#C-3 .proposed", "that surveillance be limited by law;")
	pub.WaitText("#C-3 .meta", "a new provision proposed after")
	browsertest.CheckAccessibility(t, pub)

	// The secretariat sees the three on the period's page.
	sec.Navigate(period)
	sec.WaitText(".counts", "3 comments")
	sec.WaitText(".counts", "3 unanswered")
	sec.WaitText(group, "Say how each stakeholder takes part.")
	sec.WaitText(group, "respective roles")
	sec.WaitText(group, "New provisions proposed after")
	browsertest.CheckAccessibility(t, sec)

	// It answers C-1: accepted in part, linking clause 1 of revision 1.
	sec.Click("#C-1 a.number")
	sec.WaitText("h1", "Comment C-1")
	sec.WaitText("#sec-h", "The secretariat")
	browsertest.CheckAccessibility(t, sec)
	sec.Fill("#f-outcome", string(consultation.AcceptedInPart))
	// A disposition without its reason is refused, naming the field.
	sec.Click("form[action$='/dispose'] button[type=submit]")
	sec.WaitVisible("#e-reason")
	if got := sec.Value("#f-outcome"); got != string(consultation.AcceptedInPart) {
		t.Errorf("the refused form kept the outcome %q", got)
	}
	browsertest.CheckAccessibility(t, sec)
	sec.Fill("#f-reason", "Clause 1 now names the roles; the rest is for the next session.")
	sec.Fill("#f-link_revision", "1")
	sec.Fill("#f-link_provision", s.clause1)
	sec.Click("form[action$='/dispose'] button[type=submit]")
	sec.WaitText(".flash", "The disposition is on the record.")
	sec.WaitText("#C-1 .disposition", "Disposition: "+consultation.AcceptedInPart.Label())
	browsertest.CheckAccessibility(t, sec)

	// It hides C-2 with a reason, and still reads its text.
	sec.Navigate(forumURL + "/comments/C-2")
	sec.WaitText("h1", "Comment C-2")
	sec.Fill("#f-hreason", "abusive language")
	sec.Click("form[action$='/hide'] button[type=submit]")
	sec.WaitText(".flash", "The comment is hidden from the public")
	sec.WaitText("#C-2 .notice", "hidden by the secretariat: abusive language")
	sec.WaitText("#C-2", "Roles are a cage")
	browsertest.CheckAccessibility(t, sec)
	sec.Navigate(period + "/campaigns")
	sec.WaitText("h1", "Campaigns")
	browsertest.CheckAccessibility(t, sec)

	// The commenter reads the disposition on their comment, and the
	// notice in place of the hidden one.
	pub.Navigate(forumURL + "/comments/C-1")
	pub.WaitText("#C-1 .disposition", "Disposition: "+consultation.AcceptedInPart.Label())
	pub.WaitText("#C-1 .disposition", "Clause 1 now names the roles")
	if n := pub.Count("#C-1 .disposition a[href*='" + clause + "']"); n != 1 {
		t.Errorf("%d links from the disposition to clause 1, want 1", n)
	}
	pub.WaitText("#C-1 .disposition a", "The provision is of the view 1. in revision 1")
	if n := pub.Count("#sec-h"); n != 0 {
		t.Error("the member of the public sees the secretariat's forms")
	}
	browsertest.CheckAccessibility(t, pub)
	pub.Navigate(period)
	pub.WaitText("#C-2 .notice", "hidden by the secretariat: abusive language")
	if strings.Contains(pub.Text("main"), "Roles are a cage") {
		t.Error("the public reads the hidden comment's text")
	}
	pub.WaitText(".counts", "1 hidden")
	browsertest.CheckAccessibility(t, pub)
	pub.Navigate(forumURL + "/comments/C-2")
	pub.WaitText("#C-2 .notice", "hidden by the secretariat: abusive language")
	if strings.Contains(pub.Text("main"), "Roles are a cage") {
		t.Error("the public reads the hidden comment's text on its page")
	}
	browsertest.CheckAccessibility(t, pub)

	// An anonymous visitor reads the disposition table.
	anon := b.NewTab(t)
	anon.Navigate(forumURL + "/consultations")
	anon.WaitText("table", "Public comment on draft Opinion 5")
	browsertest.CheckAccessibility(t, anon)
	anon.Click("table a[href*='/consultations/']")
	anon.WaitText("main", "to comment")
	browsertest.CheckAccessibility(t, anon)
	anon.Click("main .actions a[href$='/dispositions']")
	anon.WaitText("h1", "Dispositions of the comments on revision 1")
	anon.WaitText("table.dispositions", "C-1")
	anon.WaitText("table.dispositions", consultation.AcceptedInPart.Label())
	anon.WaitText("table.dispositions", "Clause 1 now names the roles")
	anon.WaitText("table.dispositions", "hidden by the secretariat: abusive language")
	if strings.Contains(anon.Text("main"), "Roles are a cage") {
		t.Error("the disposition table shows the hidden comment's text")
	}
	// The hidden comment still awaits its disposition, as C-3 does.
	if n := anon.Count("table.dispositions tbody .badge"); n != 2 {
		t.Errorf("%d unanswered comments in the table, want 2 (C-2 and C-3)", n)
	}
	browsertest.CheckAccessibility(t, anon)
	anon.Navigate(period + "/provisions/" + s.clause1)
	anon.WaitText("h1", "comments")
	browsertest.CheckAccessibility(t, anon)

	for _, tab := range []*browsertest.Tab{sec, pub, anon} {
		tab.CheckNoJSErrors()
	}
}
