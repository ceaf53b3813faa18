package participation_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

func TestOneRegistrationHoldsSeveralOffices(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	chair, del := p.User("Carla Chair", false), p.User("Dan Delegate", false)
	reg, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.RegistrationInput{
		Email: chair.Email, Group: rules.GroupSecretariat, Role: string(rules.RoleChair)})
	if err != nil {
		t.Fatal(err)
	}
	delReg := p.Register(f, del, "BRA", rules.RoleDelegate, rules.InRoom)
	if len(reg.Offices) != 0 || reg.RoleLabel() != "Chair" {
		t.Fatalf("a new chair: %+v", reg)
	}

	// A chair alone manages the floor but does not hold the pen.
	if _, err := fixture.In(t, p.Svc.Kernel, chair, f.Slug).Authorize(p.Ctx, rules.EditDraft, ""); err == nil ||
		!strings.Contains(err.Error(), "Chairs may not edit the draft in WTPF-13") {
		t.Fatalf("a chair edits the draft: %v", err)
	}

	// Refusals change nothing.
	sec := func() *forum.Scope { return fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug) }
	_, err = p.Svc.Participation.AssignOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: "president"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "office: unknown office \"president\": must be one of chair, editor, remote_moderator, secretariat")
	_, err = p.Svc.Participation.AssignOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: "delegate"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "delegate is a participant's role, not an office")
	_, err = p.Svc.Participation.AssignOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: "chair"})
	fixture.WantCode(t, err, plenary.CodeConflict, "already holds the office of chair")
	_, err = p.Svc.Participation.AssignOffice(p.Ctx, fixture.In(t, p.Svc.Kernel, del, f.Slug), reg.ID, participation.OfficeInput{Office: "editor"})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	_, err = p.Svc.Participation.AssignOffice(p.Ctx, fixture.In(t, p.Svc.Kernel, del, f.Slug), delReg.ID, participation.OfficeInput{Office: "editor"})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	_, err = p.Svc.Participation.RemoveOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: "editor"})
	fixture.WantCode(t, err, plenary.CodeConflict, "does not hold the office of editor")
	_, err = p.Svc.Participation.RemoveOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: "chair"})
	fixture.WantCode(t, err, plenary.CodeConflict, "the registration's role")
	if n := len(fixture.EventsOf(p.Events(f), "registration.office_assigned")); n != 0 {
		t.Fatalf("%d offices assigned by refusals", n)
	}

	// The secretariat gives the chair the pen, on the record.
	got, err := p.Svc.Participation.AssignOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: " editor ", Reason: "holds the pen for Opinion 5"})
	if err != nil {
		t.Fatal(err)
	}
	if got.RoleLabel() != "Chair, Editor" || len(got.Offices) != 1 || got.Offices[0] != rules.RoleEditor {
		t.Fatalf("after assigning: %q %v", got.RoleLabel(), got.Offices)
	}
	evs := fixture.EventsOf(p.Events(f), "registration.office_assigned")
	if len(evs) != 1 {
		t.Fatalf("%d office_assigned events", len(evs))
	}
	pl := fixture.Payload(t, evs[0])
	if pl["office"] != "editor" || pl["reason"] != "holds the pen for Opinion 5" || pl["decided_as"] != "secretariat" || pl["name"] != "Carla Chair" {
		t.Fatalf("payload: %v", pl)
	}
	_, err = p.Svc.Participation.AssignOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: "editor"})
	fixture.WantCode(t, err, plenary.CodeConflict, "already holds the office of editor")

	// One registration now both manages the floor (as chair) and edits
	// the draft (as editor); the capacity names the office that granted it.
	sc := fixture.In(t, p.Svc.Kernel, chair, f.Slug)
	c, err := sc.Authorize(p.Ctx, rules.EditDraft, "")
	if err != nil || c.Role != string(rules.RoleEditor) || c.RegistrationID != reg.ID {
		t.Fatalf("edit the draft: %+v %v", c, err)
	}
	c, err = sc.Authorize(p.Ctx, rules.ManageFloor, "")
	if err != nil || c.Role != string(rules.RoleChair) || c.RegistrationID != reg.ID {
		t.Fatalf("manage the floor: %+v %v", c, err)
	}
	if may, err := sc.May(p.Ctx, rules.Vote, ""); err != nil || may {
		t.Fatalf("a chair and editor votes: %v %v", may, err)
	}

	// Removing the office takes the right away again.
	got, err = p.Svc.Participation.RemoveOffice(p.Ctx, sec(), reg.ID, participation.OfficeInput{Office: "editor"})
	if err != nil || got.RoleLabel() != "Chair" || len(got.Offices) != 0 {
		t.Fatalf("after removing: %+v %v", got, err)
	}
	if n := len(fixture.EventsOf(p.Events(f), "registration.office_removed")); n != 1 {
		t.Fatalf("%d office_removed events", n)
	}
	if may, err := fixture.In(t, p.Svc.Kernel, chair, f.Slug).May(p.Ctx, rules.EditDraft, ""); err != nil || may {
		t.Fatalf("edits the draft after the office is removed: %v %v", may, err)
	}

	// An office is held only by an active registration.
	if _, err := p.Svc.Participation.WithdrawRegistration(p.Ctx, sec(), delReg.ID, "left the delegation"); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.AssignOffice(p.Ctx, sec(), delReg.ID, participation.OfficeInput{Office: "remote_moderator"})
	fixture.WantCode(t, err, plenary.CodeConflict, "this registration is withdrawn")
}

func TestRegisterWithOffices(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	chair, del := p.User("Carla Chair", false), p.User("Dan Delegate", false)
	sec := fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug)
	for _, bad := range []struct {
		offices []string
		msg     string
	}{
		{[]string{"dictator"}, "unknown office"},
		{[]string{"adviser"}, "not an office"},
		{[]string{"chair"}, "the registration's role already"},
		{[]string{"editor", "editor"}, "named twice"},
	} {
		_, err := p.Svc.Participation.Register(p.Ctx, sec, participation.RegistrationInput{Email: chair.Email, Group: rules.GroupSecretariat,
			Role: "chair", Offices: bad.offices})
		fixture.WantCode(t, err, plenary.CodeInvalid, bad.msg)
	}
	reg, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.RegistrationInput{
		Email: chair.Email, Group: rules.GroupSecretariat, Role: "chair", Offices: []string{"editor"}})
	if err != nil {
		t.Fatal(err)
	}
	if reg.State != forum.RegApproved || reg.RoleLabel() != "Chair, Editor" {
		t.Fatalf("registered: %s %q", reg.State, reg.RoleLabel())
	}
	// The same person may not hold the pen twice.
	_, err = p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.RegistrationInput{
		Email: chair.Email, Group: rules.GroupSecretariat, Role: "editor"})
	fixture.WantCode(t, err, plenary.CodeConflict, "already holds the office of editor")

	// A delegate asking for an office waits for the secretariat, not for
	// the delegation's head.
	mine, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, del, f.Slug), participation.RegistrationInput{
		Party: "BRA", Role: "delegate", Offices: []string{"remote_moderator"}})
	if err != nil {
		t.Fatal(err)
	}
	if mine.State != forum.RegPending {
		t.Fatalf("self-registration with an office is %s", mine.State)
	}
	if may, err := fixture.In(t, p.Svc.Kernel, del, f.Slug).May(p.Ctx, rules.AskFloor, ""); err != nil || may {
		t.Fatalf("a pending registration grants: %v %v", may, err)
	}
}

func TestParticipantCountsCountPeople(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	p.Party(f, "ARG", "Argentina", rules.GroupMemberState)
	twice, chair, other := p.User("Tina Twice", false), p.User("Carla Chair", false), p.User("Oscar Other", false)
	// Tina is registered for two parties of one group; Carla is chair and
	// editor in one registration; Oscar is a delegate of Brazil.
	p.Register(f, twice, "BRA", rules.RoleDelegate, rules.InRoom)
	p.Register(f, twice, "ARG", rules.RoleAdviser, rules.InRoom)
	p.Register(f, other, "BRA", rules.RoleDelegate, rules.Remote)
	if _, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.RegistrationInput{
		Email: chair.Email, Group: rules.GroupSecretariat, Role: "chair", Offices: []string{"editor"}}); err != nil {
		t.Fatal(err)
	}

	l, err := p.Svc.Participation.Participants(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug))
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 3 || l.Registrations != 4 || l.Parties != 2 {
		t.Fatalf("list: %d people in %d registrations, %d parties", l.Total, l.Registrations, l.Parties)
	}
	groups := map[string]participation.GroupCount{}
	for _, g := range l.ByGroup {
		groups[g.Group] = g
	}
	if g := groups[rules.GroupMemberState]; g.Count != 2 || g.InRoom != 1 || g.Remote != 1 {
		t.Fatalf("member states: %+v", g)
	}
	if g := groups[rules.GroupSecretariat]; g.Count != 1 {
		t.Fatalf("secretariat: %+v", g)
	}
	parties := map[string]int{}
	for _, c := range l.ByParty {
		parties[c.Code] = c.Count
	}
	if parties["BRA"] != 2 || parties["ARG"] != 1 {
		t.Fatalf("parties: %v", parties)
	}
	var chairRow participation.Participant
	for _, pt := range l.Participants {
		if pt.Name == "Carla Chair" {
			chairRow = pt
		}
	}
	if chairRow.RoleLabel() != "Chair, Editor" {
		t.Fatalf("the chair's row: %+v", chairRow)
	}

	sum, err := p.Svc.Participation.SummaryOf(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f.Slug))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != 3 || sum.Registrations != 4 || sum.Parties != 2 {
		t.Fatalf("summary: %d people in %d registrations, %d parties", sum.Total, sum.Registrations, sum.Parties)
	}
	for _, g := range sum.ByGroup {
		if want := groups[g.Group]; g != want {
			t.Fatalf("summary of %s: %+v, list %+v", g.Group, g, want)
		}
	}
	d, err := p.Svc.Participation.DelegationOf(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "BRA")
	if err != nil {
		t.Fatal(err)
	}
	if d.Count != 2 || d.Registrations != 2 {
		t.Fatalf("Brazil: %d people in %d registrations", d.Count, d.Registrations)
	}

	// The public record's counts are of people too.
	evs := fixture.EventsOf(p.Events(f), "participants.changed")
	last := fixture.Payload(t, evs[len(evs)-1])
	if gc, _ := last["group_counts"].(map[string]any); gc[rules.GroupSecretariat] != float64(1) {
		t.Fatalf("group counts: %v", last["group_counts"])
	}
	first := fixture.Payload(t, fixture.EventsOf(p.Events(f), "participants.changed")[1]) // Tina for Argentina
	if gc, _ := first["group_counts"].(map[string]any); gc[rules.GroupMemberState] != float64(1) {
		t.Fatalf("member states after Tina's second registration: %v", first["group_counts"])
	}
}
