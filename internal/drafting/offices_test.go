package drafting_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/text"
)

// Whether the chair or the secretariat may issue revisions is a cell of
// the rights matrix, as every other right is: no exception in the code.
func TestWhoIssuesRevisionsIsACellOfTheMatrix(t *testing.T) {
	fx := fixture.NewDrafting(t)
	chair := fx.User(t, "chair@example.org", "Carla Chair", false)
	if _, err := fx.Svc.Participation.Register(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), participation.RegistrationInput{
		Email: chair.Email, Group: rules.GroupSecretariat, Role: string(rules.RoleChair)}); err != nil {
		t.Fatal(err)
	}
	revise := func(a forum.Actor) error {
		add := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "ADD", After: "p4", Text: "invites " + a.Name + " to report."})
		_, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), fx.Draft.ID,
			drafting.RevisionInput{Decisions: []text.Decision{{Action: text.ActAccept, AmendmentID: add.ID}}, Note: "by " + a.Name})
		return err
	}
	setCell := func(role rules.Role, on bool) {
		t.Helper()
		sc := fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug)
		rs, err := fx.Svc.Participation.RulesOf(fx.Ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		key := rules.Key{Group: rules.GroupSecretariat, Role: role, Mode: rules.InRoom}
		set := rs.Settings.Matrix.Get(key).Without(rules.EditDraft)
		if on {
			set = set.With(rules.EditDraft)
		}
		acts := []string{}
		for _, a := range set.Actions() {
			acts = append(acts, string(a))
		}
		if _, err := fx.Svc.Participation.ChangeRules(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), forum.RulesChange{
			Cells: []forum.CellInput{{Group: key.Group, Role: string(role), Mode: string(key.Mode), Actions: acts}}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		who  forum.Actor
		role rules.Role
		deny string
	}{
		{chair, rules.RoleChair, "Chairs may not edit the draft in WTPF-13"},
		{fx.Admin, rules.RoleSecretariat, "may not edit the draft in WTPF-13"},
	} {
		err := revise(c.who)
		fixture.ExpectCode(t, err, plenary.CodeForbidden)
		if !strings.Contains(err.Error(), c.deny) {
			t.Fatalf("%s before the change: %v", c.role, err)
		}
		setCell(c.role, true)
		if err := revise(c.who); err != nil {
			t.Fatalf("%s with the right: %v", c.role, err)
		}
		setCell(c.role, false)
		err = revise(c.who)
		fixture.ExpectCode(t, err, plenary.CodeForbidden)
		if !strings.Contains(err.Error(), c.deny) {
			t.Fatalf("%s after the change: %v", c.role, err)
		}
	}
}

// A chair who also holds the pen is one registration: chair with the
// office of editor manages the floor and issues revisions.
func TestChairAndEditorInOneRegistration(t *testing.T) {
	fx := fixture.NewDrafting(t)
	chair := fx.User(t, "chair@example.org", "Carla Chair", false)
	reg, err := fx.Svc.Participation.Register(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), participation.RegistrationInput{
		Email: chair.Email, Group: rules.GroupSecretariat, Role: string(rules.RoleChair)})
	if err != nil {
		t.Fatal(err)
	}
	add := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "ADD", After: "p4", Text: "invites the chair to report."})
	in := drafting.RevisionInput{Decisions: []text.Decision{{Action: text.ActAccept, AmendmentID: add.ID}}, Note: "the chair's text"}
	_, err = fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, chair, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)

	if _, err := fx.Svc.Participation.AssignOffice(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), reg.ID,
		participation.OfficeInput{Office: "editor"}); err != nil {
		t.Fatal(err)
	}
	sc := fixture.In(t, fx.Svc.Kernel, chair, fx.F.Slug)
	if may, err := sc.May(fx.Ctx, rules.ManageFloor, ""); err != nil || !may {
		t.Fatalf("manage the floor: %v %v", may, err)
	}
	out, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, sc, fx.Draft.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Info.Revision != 2 {
		t.Fatalf("revision: %+v", out.Info)
	}
}
