package rules

import (
	"reflect"
	"testing"
)

func TestDiffCells(t *testing.T) {
	old := preset(t, PresetITUTreatyConference)
	m := old
	// Open the floor to civil society delegates in both modes; remove
	// remote reservations for Member State delegates; drop the condition on
	// signing; add a new group.
	m = mustSet(t, m, Key{GroupCivilSociety, RoleDelegate, InRoom}, set(ReadPublic, AskFloor, Comment))
	m = mustSet(t, m, Key{GroupCivilSociety, RoleDelegate, Remote}, set(ReadPublic, AskFloor, Comment))
	m = mustSet(t, m, Key{GroupMemberState, RoleDelegate, Remote}, old.Get(Key{GroupMemberState, RoleDelegate, Remote}).Without(FileReservation))
	m = mustSet(t, m, Key{"youth", RoleDelegate, InRoom}, set(ReadPublic))
	m, _ = m.SetCondition(Sign, NoCondition)
	ch := Diff(old, m)
	wantCells := []CellChange{
		{Key{GroupCivilSociety, RoleDelegate, InRoom}, set(ReadPublic, Comment), set(ReadPublic, AskFloor, Comment)},
		{Key{GroupCivilSociety, RoleDelegate, Remote}, set(ReadPublic, Comment), set(ReadPublic, AskFloor, Comment)},
		{Key{GroupMemberState, RoleDelegate, Remote}, fullDebate.With(FileReservation, Comment), fullDebate.With(Comment)},
		{Key{"youth", RoleDelegate, InRoom}, 0, set(ReadPublic)},
	}
	if !reflect.DeepEqual(ch.Cells, wantCells) {
		t.Errorf("cells\n got %+v\nwant %+v", ch.Cells, wantCells)
	}
	wantConds := []ConditionChange{{Sign, NeedsCredentials, NoCondition}}
	if !reflect.DeepEqual(ch.Conditions, wantConds) {
		t.Errorf("conditions = %+v, want %+v", ch.Conditions, wantConds)
	}
	if a, r := ch.Cells[2].Added(), ch.Cells[2].Removed(); !a.IsEmpty() || r != set(FileReservation) {
		t.Errorf("added %v removed %v", a, r)
	}
	groups := append(DefaultGroups(), Group{Key: "youth", Name: "youth", Plural: "youth participants"})
	want := []string{
		"Civil society delegates in the room and remotely: may now ask for the floor.",
		"Remote Member State delegates: may no longer file a reservation.",
		"Youth delegates in the room: may now read public documents.",
		"Sign the final acts: no longer conditional (was only with credentials in order or in order for signature only).",
	}
	if got := ch.Describe(groups); !reflect.DeepEqual(got, want) {
		t.Errorf("Describe\n got %q\nwant %q", got, want)
	}
}

func TestDiffDescribeMerges(t *testing.T) {
	var old, m Matrix
	// Heads of delegation, delegates and advisers of civil society gain
	// co-sponsoring in both modes; observers only in the room, and lose
	// reading restricted documents there too.
	for _, r := range []Role{RoleHeadOfDelegation, RoleDelegate, RoleAdviser} {
		for _, md := range Modes() {
			m = mustSet(t, m, Key{GroupCivilSociety, r, md}, set(Cosponsor))
		}
	}
	old = mustSet(t, old, Key{GroupCivilSociety, RoleObserver, InRoom}, set(ReadRestricted))
	m = mustSet(t, m, Key{GroupCivilSociety, RoleObserver, InRoom}, set(Cosponsor))
	old = mustSet(t, old, Key{GroupGuest, RoleDelegate, Remote}, set(ReadPublic))
	old = mustSet(t, old, Key{GroupObserver, RoleObserver, Remote}, set(ReadPublic, AskFloor, PointOfOrder))
	m, _ = m.SetCondition(Vote, NeedsCredentials)
	want := []string{
		"Civil society heads of delegation, delegates and advisers in the room and remotely: may now co-sponsor a proposal.",
		"Civil society observers in the room: may now co-sponsor a proposal; may no longer read restricted documents.",
		"Remote guest delegates: may no longer read public documents. (Each guest's own grants still decide what the guest may do.)",
		"Remote observers in the observer role: may no longer read public documents, ask for the floor or raise a point of order.",
		"Vote: now only with credentials in order.",
	}
	if got := Diff(old, m).Describe(DefaultGroups()); !reflect.DeepEqual(got, want) {
		t.Errorf("Describe\n got %q\nwant %q", got, want)
	}
	if got := Diff(m, m).Describe(nil); len(got) != 0 {
		t.Errorf("no change described as %q", got)
	}
}
