package rules

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/plenary-forum/plenary"
)

func TestActionsOrderAndLabels(t *testing.T) {
	want := []Action{ReadPublic, ReadRestricted, Contribute, ProposeAmendment, Cosponsor, AskFloor, PointOfOrder,
		ObjectConsensus, Vote, Sign, FileReservation, ApproveRegistrations, ManageFloor, EditDraft, Comment}
	if got := Actions(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Actions() = %v", got)
	}
	keys := []string{"read_public", "read_restricted", "contribute", "propose_amendment", "cosponsor", "ask_floor",
		"point_of_order", "object_consensus", "vote", "sign", "file_reservation", "approve_registrations", "manage_floor", "edit_draft", "comment"}
	labels := map[string]bool{}
	shorts := map[string]bool{}
	for i, a := range want {
		if string(a) != keys[i] {
			t.Errorf("key %q, want %q: keys are stored and must not change", a, keys[i])
		}
		if !a.Valid() || a.Label() == "" || a.Label() == string(a) && a != Vote || labels[a.Label()] || shorts[a.Short()] {
			t.Errorf("%s: label %q, short %q", a, a.Label(), a.Short())
		}
		labels[a.Label()] = true
		shorts[a.Short()] = true
		if got := a.IsOffice(); got != (i >= 11 && i <= 13) {
			t.Errorf("%s: IsOffice = %v", a, got)
		}
	}
	if AskFloor.Label() != "ask for the floor" || Sign.Label() != "sign the final acts" || AskFloor.Short() != "Ask floor" {
		t.Error("labels changed")
	}
	if Action("x").Valid() || Action("x").Label() != "x" || Action("x").Short() != "x" || Action("x").IsOffice() {
		t.Error("unknown action")
	}
}

func TestParse(t *testing.T) {
	if a, err := ParseAction("action", " vote "); err != nil || a != Vote {
		t.Errorf("ParseAction = %v, %v", a, err)
	}
	if r, err := ParseRole("role", "remote_moderator"); err != nil || r != RoleRemoteModerator {
		t.Errorf("ParseRole = %v, %v", r, err)
	}
	if m, err := ParseMode("mode", "remote"); err != nil || m != Remote {
		t.Errorf("ParseMode = %v, %v", m, err)
	}
	if c, err := ParseCredentials("credentials", ""); err != nil || c != CredentialsNone {
		t.Errorf("ParseCredentials = %v, %v", c, err)
	}
	for _, err := range []error{
		func() error { _, err := ParseAction("f", "veto"); return err }(),
		func() error { _, err := ParseRole("f", "king"); return err }(),
		func() error { _, err := ParseMode("f", "astral"); return err }(),
		func() error { _, err := ParseCredentials("f", "forged"); return err }(),
	} {
		var pe *plenary.Error
		if !errors.As(err, &pe) || pe.Code != plenary.CodeInvalid || pe.Field != "f" {
			t.Errorf("parse error %v", err)
		}
	}
}

func TestRolesModesCredentials(t *testing.T) {
	if got := Roles(); len(got) != 9 || got[0] != RoleHeadOfDelegation || got[8] != RoleSecretariat {
		t.Errorf("Roles() = %v", got)
	}
	offices := 0
	for _, r := range Roles() {
		if r.Label() == "" || r.Plural() == "" {
			t.Errorf("%s has no label", r)
		}
		if r.IsOffice() {
			offices++
		}
	}
	if offices != 4 || !RoleChair.IsOffice() || RoleObserver.IsOffice() || Role("x").IsOffice() {
		t.Error("offices")
	}
	if RoleHeadOfDelegation.Plural() != "heads of delegation" || Role("x").Label() != "x" || Role("x").Plural() != "x" {
		t.Error("role labels")
	}
	if InRoom.Label() != "in the room" || Remote.Label() != "remotely" || Mode("x").Valid() || Mode("x").Label() != "x" {
		t.Error("mode labels")
	}
	if !Credentials("").Valid() || Credentials("x").Valid() || Credentials("").Label() != "none presented" || Credentials("x").Label() != "x" {
		t.Error("credentials")
	}
	for _, c := range AllCredentials() {
		if !c.Valid() || c.Label() == "" {
			t.Errorf("credentials %q", c)
		}
	}
	if NoCondition.Label() != "" || !NoCondition.Valid() || Condition("x").Valid() {
		t.Error("conditions")
	}
}

func TestConditionSatisfied(t *testing.T) {
	// credentials state -> vote, sign, another action
	want := map[Credentials][3]bool{
		"":                     {false, false, false},
		CredentialsNone:        {false, false, false},
		CredentialsProvisional: {false, false, false},
		CredentialsInOrder:     {true, true, true},
		CredentialsSignOnly:    {false, true, true},
		CredentialsTransferred: {false, false, false},
	}
	for c, w := range want {
		for i, a := range []Action{Vote, Sign, FileReservation} {
			if got := NeedsCredentials.Satisfied(c, a); got != w[i] {
				t.Errorf("NeedsCredentials.Satisfied(%q, %s) = %v", c, a, got)
			}
			if !NoCondition.Satisfied(c, a) {
				t.Errorf("NoCondition.Satisfied(%q, %s) = false", c, a)
			}
			if Condition("x").Satisfied(CredentialsInOrder, a) {
				t.Error("an unknown condition is satisfied")
			}
		}
	}
}

func TestActionSet(t *testing.T) {
	s := NewActionSet(Vote, ReadPublic, Vote, "nonsense")
	if s.Len() != 2 || !s.Has(Vote) || !s.Has(ReadPublic) || s.Has(Sign) || s.Has("nonsense") {
		t.Fatalf("set %v", s)
	}
	if got := s.Actions(); !reflect.DeepEqual(got, []Action{ReadPublic, Vote}) {
		t.Errorf("Actions() = %v", got)
	}
	if s.String() != "{read_public,vote}" || ActionSet(0).String() != "{}" {
		t.Errorf("String() = %s", s)
	}
	if s.Without(Vote, "nonsense") != NewActionSet(ReadPublic) || s.With(Sign).Len() != 3 {
		t.Error("With/Without")
	}
	u := NewActionSet(Vote, Sign)
	if s.Union(u) != NewActionSet(ReadPublic, Vote, Sign) || s.Intersect(u) != NewActionSet(Vote) || s.Minus(u) != NewActionSet(ReadPublic) {
		t.Error("set algebra")
	}
	if !ActionSet(0).IsEmpty() || s.IsEmpty() || len(ActionSet(0).Actions()) != 0 {
		t.Error("empty")
	}
	b, _ := json.Marshal(s)
	if string(b) != `["read_public","vote"]` {
		t.Errorf("JSON %s", b)
	}
	if b, _ := json.Marshal(ActionSet(0)); string(b) != `[]` {
		t.Errorf("empty JSON %s", b)
	}
	var back ActionSet
	if err := json.Unmarshal([]byte(`["vote","read_public"]`), &back); err != nil || back != s {
		t.Errorf("decode %v %v", back, err)
	}
}

func TestGuestGrants(t *testing.T) {
	if got := GuestGrantable(); !reflect.DeepEqual(got, []Action{ReadPublic, ReadRestricted, Contribute, ProposeAmendment, Cosponsor, AskFloor, PointOfOrder, ObjectConsensus}) {
		t.Errorf("GuestGrantable() = %v", got)
	}
	s, err := ValidateGrants([]string{"read_public", "ask_floor"})
	if err != nil || s != NewActionSet(ReadPublic, AskFloor) {
		t.Errorf("ValidateGrants = %v, %v", s, err)
	}
	if s, err := ValidateGrants(nil); err != nil || !s.IsEmpty() {
		t.Errorf("no grants = %v, %v", s, err)
	}
	for _, bad := range [][]string{{"veto"}, {"vote"}, {"sign"}, {"file_reservation"}, {"manage_floor"}, {"ask_floor", "ask_floor"}} {
		_, err := ValidateGrants(bad)
		var pe *plenary.Error
		if !errors.As(err, &pe) || pe.Field != "grants" {
			t.Errorf("ValidateGrants(%q) = %v", bad, err)
		}
	}
	_, err = ValidateGrants([]string{"vote"})
	if err.(*plenary.Error).Message != "a guest cannot be granted the right to vote" {
		t.Errorf("message %q", err.(*plenary.Error).Message)
	}
}

func TestMatrixValueSemantics(t *testing.T) {
	k := Key{GroupCivilSociety, RoleDelegate, InRoom}
	var zero Matrix
	if !zero.Get(k).IsEmpty() || zero.Condition(Vote) != NoCondition || len(zero.Keys()) != 0 || !zero.Equal(Matrix{}) {
		t.Error("zero matrix")
	}
	a := mustSet(t, zero, k, set(Vote))
	b := a
	c := mustSet(t, b, k, set(Sign))
	if !a.Get(k).Has(Vote) || a.Get(k).Has(Sign) || !c.Get(k).Has(Sign) || c.Get(k).Has(Vote) {
		t.Error("Set changed its receiver")
	}
	d, _ := a.SetCondition(Vote, NeedsCredentials)
	if a.Condition(Vote) != NoCondition || d.Condition(Vote) != NeedsCredentials || a.Equal(d) {
		t.Error("SetCondition changed its receiver")
	}
	if _, err := a.Set(Key{"Civil Society", RoleDelegate, InRoom}, 0); err == nil {
		t.Error("Set accepted a bad group key")
	}
	if _, err := a.Set(Key{GroupIGO, "king", InRoom}, 0); err == nil {
		t.Error("Set accepted a bad role")
	}
	if _, err := a.Set(Key{GroupIGO, RoleDelegate, "astral"}, 0); err == nil {
		t.Error("Set accepted a bad mode")
	}
	if _, err := a.SetCondition("veto", NeedsCredentials); err == nil {
		t.Error("SetCondition accepted an unknown action")
	}
	if _, err := a.SetCondition(Vote, "full_moon"); err == nil {
		t.Error("SetCondition accepted an unknown condition")
	}
	// Setting an empty cell removes it.
	e := mustSet(t, a, k, 0)
	if !e.Equal(Matrix{}) || len(e.Keys()) != 0 || len(e.GroupKeys()) != 0 {
		t.Error("an emptied cell is kept")
	}
	if got := mustSet(t, a, Key{GroupIGO, RoleChair, Remote}, set(ManageFloor)).GroupKeys(); !reflect.DeepEqual(got, []string{GroupCivilSociety, GroupIGO}) {
		t.Errorf("GroupKeys = %v", got)
	}
}
