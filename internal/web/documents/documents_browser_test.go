package documents_test

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

// In a real browser: the document pages pass the accessibility checks
// (with a form's errors shown too), and the register a member of the
// public is reading shows a new document without a reload.
func TestDocumentPagesInABrowser(t *testing.T) {
	ds := newDocSite(t)
	b := browsertest.New(t)
	base := ds.URL + "/forums/wtpf-13"

	public := b.NewTab(t)
	public.Navigate(base + "/documents")
	public.WaitVisible("#register table")
	browsertest.CheckAccessibility(t, public)
	public.Navigate(base + "/documents/" + ds.pub.ID)
	public.WaitText("h1", "Report of the Secretary-General")
	browsertest.CheckAccessibility(t, public)
	public.Navigate(base + "/search?q=exchange")
	public.WaitVisible(".hits mark")
	browsertest.CheckAccessibility(t, public)
	public.Navigate(ds.URL + "/search?q=-x")
	public.WaitVisible("#e-q")
	browsertest.CheckAccessibility(t, public)

	// The public watches the register while a delegate files a document.
	public.Navigate(base + "/documents")
	public.WaitVisible("[sse-connect][data-live=open]")

	usa := b.NewTab(t)
	browserLogin(t, usa, ds.URL, ds.usa)
	usa.Navigate(base + "/documents/new")
	browsertest.CheckAccessibility(t, usa)
	usa.Click("form[enctype] button[type=submit]")
	usa.WaitVisible("#e-title")
	browsertest.CheckAccessibility(t, usa)
	usa.Fill("#f-title", "Contribution on Internet exchange points")
	usa.Fill("#f-text", "Exchange points keep local traffic local.")
	usa.Click("#f-vis-public")
	usa.Click("form[enctype] button[type=submit]")
	usa.WaitText(".flash", "is filed")
	usa.WaitText("h1", "Contribution on Internet exchange points")
	browsertest.CheckAccessibility(t, usa)

	public.WaitText("#register", "Contribution on Internet exchange points")
	public.CheckNoJSErrors()

	sec := b.NewTab(t)
	browserLogin(t, sec, ds.URL, ds.sec)
	sec.Navigate(base + "/documents/" + ds.members.ID)
	sec.WaitText("#access-h", "Who may read it")
	browsertest.CheckAccessibility(t, sec)
	sec.Navigate(base + "/documents")
	sec.Click("details summary")
	browsertest.CheckAccessibility(t, sec)

}
