package participation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// A right that cannot be read is an error page, not a missing button: the
// approval queue's right reads the focal points, and without them the
// forum's pages fail for a participant instead of leaving the link out.
func TestARightThatCannotBeReadIsAnErrorPage(t *testing.T) {
	s := pwSetup(t)
	samir, anon := s.client(s.samir), s.client(forum.Actor{})
	if _, err := s.Store.ExecContext(context.Background(), "ALTER TABLE focal_points RENAME TO focal_points_gone"); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, samir.Get("/forums/"+s.f.Slug), http.StatusInternalServerError)
	wantStatus(t, anon.Get("/forums/"+s.f.Slug), http.StatusOK)
}

func wantStatus(t *testing.T, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d\n%.3000s", r.StatusCode, status, r.Body)
	}
}
