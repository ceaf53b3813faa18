package finalacts_test

import (
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
)

// SignRefusal says the rule's sentence where MaySign says no, and nothing
// where it says yes.
func TestSignRefusalAgreesWithMaySign(t *testing.T) {
	s := newSetup(t)
	fa := s.assemble(t)
	refusal := func(a forum.Actor) error {
		t.Helper()
		sc := s.in(t, a)
		err := s.FA.SignRefusal(s.Ctx, sc, fa.ID, "")
		ok, merr := s.FA.MaySign(s.Ctx, sc, fa.ID, "")
		if merr != nil {
			t.Fatal(merr)
		}
		if ok != (err == nil) {
			t.Fatalf("%s: MaySign %v, SignRefusal %v", a.Name, ok, err)
		}
		return err
	}
	wantRefusal(t, refusal(s.heads["FRA"]), plenary.CodeConflict, "not open for signature")
	s.at(opens)
	if err := refusal(s.heads["FRA"]); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, refusal(s.heads["CAN"]), plenary.CodeForbidden, "provisional")
	wantRefusal(t, refusal(s.heads["CZE"]), plenary.CodeForbidden)
	wantRefusal(t, refusal(forum.Anonymous), plenary.CodeUnauthorized, "log in")
	if _, err := s.sign(t, s.heads["FRA"], fa, finalacts.Signed); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, refusal(s.heads["FRA"]), plenary.CodeConflict, "already signed")
}
