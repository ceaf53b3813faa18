package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// Anonymous pages come from the cache until the next ledger event of their
// forum, and
// never carry anyone's CSRF token or session.
func TestAnonymousPagesAreCachedUntilTheNextEvent(t *testing.T) {
	s := servertest.New(t)
	sec := s.User("sec@example.org", "Sec", true)
	f := s.Forum(sec, "wtpf", "WTPF")
	anon := s.Client()
	first := anon.Get("/forums/wtpf")
	if first.StatusCode != 200 {
		t.Fatal(first.StatusCode)
	}
	// Change the table behind the page without an event: a cached page
	// does not see it (this is how the test knows the cache served it).
	if _, err := s.Store.ExecContext(context.Background(), "UPDATE forums SET title = ? WHERE id = ?", "Changed quietly", f.ID); err != nil {
		t.Fatal(err)
	}
	if r := s.Client().Get("/forums/wtpf"); r.Body != first.Body {
		t.Fatal("a second anonymous visitor did not get the cached page")
	}
	// A logged-in visitor always gets a page of their own.
	c := s.Client()
	c.Login("sec@example.org")
	if r := c.Get("/forums/wtpf"); r.Body == first.Body || !strings.Contains(r.Body, "Sec") {
		t.Fatal("a logged-in visitor got the anonymous page")
	}
	// Pages are kept per forum: another forum's page, kept too, outlives
	// an event in this one.
	s.Forum(sec, "igf", "IGF")
	igf := s.Client().Get("/forums/igf")
	if _, err := s.Store.ExecContext(context.Background(), "UPDATE forums SET title = ? WHERE slug = ?", "IGF changed quietly", "igf"); err != nil {
		t.Fatal(err)
	}
	// Any event makes cached pages stale.
	if _, err := s.Svc.Kernel.CreateBody(context.Background(), fixture.In(t, s.Svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: "p", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	r := s.Client().Get("/forums/wtpf")
	if !strings.Contains(r.Body, "Changed quietly") || !strings.Contains(r.Body, "The body Plenary was set up.") {
		t.Fatal("the cache served a page older than the last event")
	}
	if r := s.Client().Get("/forums/igf"); r.Body != igf.Body {
		t.Fatal("an event in one forum dropped another forum's kept page")
	}
	// Pages with forms (and so a CSRF token) are never cached.
	a1 := s.Client().CSRF("/login")
	a2 := s.Client().CSRF("/login")
	if a1 == a2 {
		t.Fatal("two visitors got the same CSRF token: the login page was cached")
	}
	if strings.Contains(first.Body, "csrf") {
		t.Error("an anonymous page without forms carries a CSRF token")
	}
}
