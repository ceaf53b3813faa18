package rules

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSummaries(t *testing.T) {
	tests := []struct {
		preset, group, want string
	}{
		{PresetITUTreatyConference, GroupMemberState,
			"Member States: everything, vote only with credentials in order and in the room, sign the final acts only with credentials in order or in order for signature only and in the room; heads of delegation may also approve registrations; advisers may not vote, sign the final acts or file a reservation; observers may only read public documents, read restricted documents and comment in a public consultation"},
		{PresetITUTreatyConference, GroupSectorMember,
			"Sector Members: read public documents, read restricted documents, ask for the floor and comment in a public consultation; heads of delegation may also approve registrations"},
		{PresetITUTreatyConference, GroupCivilSociety,
			"Civil society participants: read public documents and comment in a public consultation; heads of delegation may also approve registrations"},
		{PresetITUTreatyConference, GroupGuest,
			"Guests: rights set for each guest by the secretariat"},
		{PresetITUPolicyForum, GroupSectorMember,
			"Sector Members: everything except raise a point of order, vote, sign the final acts and file a reservation; heads of delegation may also approve registrations; observers may only read public documents, read restricted documents and comment in a public consultation"},
		{PresetITUPolicyForum, GroupCivilSociety,
			"Civil society participants: read public documents, submit a contribution, ask for the floor and comment in a public consultation; heads of delegation may also approve registrations; observers may only read public documents and comment in a public consultation"},
		{PresetITUPolicyForum, GroupObserver,
			"Observers: read public documents and comment in a public consultation"},
		{PresetMultistakeholderEqual, GroupCivilSociety,
			"Civil society participants: everything except vote, sign the final acts and file a reservation; heads of delegation may also approve registrations; observers may not read restricted documents, co-sponsor a proposal, raise a point of order or object to consensus"},
		{PresetIETFRoughConsensus, GroupObserver,
			"Observers: everything except read restricted documents, vote, sign the final acts and file a reservation; those in the observer role may only read public documents and comment in a public consultation"},
		{PresetIETFRoughConsensus, GroupSecretariat,
			"Secretariat staff: read public documents and read restricted documents"},
	}
	for _, tt := range tests {
		m := preset(t, tt.preset)
		if got := m.Summary(group(tt.group)); got != tt.want {
			t.Errorf("%s %s\n got %q\nwant %q", tt.preset, tt.group, got, tt.want)
		}
	}
}

func TestSummaryVariants(t *testing.T) {
	g := Group{Key: "youth", Name: "youth", Plural: "youth participants"}
	var m Matrix
	if got, want := m.Summary(g), "Youth participants: no rights"; got != want {
		t.Errorf("empty: got %q", got)
	}
	// Everything, in the room only for delegates: the room-only clause and
	// the per-role mode clause.
	m = mustSet(t, m, Key{"youth", RoleHeadOfDelegation, InRoom}, participantSet)
	m = mustSet(t, m, Key{"youth", RoleHeadOfDelegation, Remote}, participantSet.Without(Vote))
	m = mustSet(t, m, Key{"youth", RoleDelegate, InRoom}, participantSet.Without(Sign))
	m = mustSet(t, m, Key{"youth", RoleDelegate, Remote}, participantSet.Without(Sign, Vote, AskFloor))
	m = mustSet(t, m, Key{"youth", RoleObserver, Remote}, set(ReadPublic, Contribute))
	m, _ = m.SetCondition(Sign, NeedsCredentials)
	want := "Youth participants: everything, sign the final acts only with credentials in order or in order for signature only, vote only in the room; " +
		"delegates may not sign the final acts; delegates may ask for the floor only in the room; " +
		"advisers have no rights; observers may only read public documents and submit a contribution; " +
		"observers may read public documents and submit a contribution only remotely"
	if got := m.Summary(g); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// A right only remote.
	m = mustSet(t, Matrix{}, Key{"youth", RoleDelegate, Remote}, set(ReadPublic))
	if got, want := m.Summary(g), "Youth participants: read public documents, only remotely; heads of delegation have no rights; advisers have no rights; observers have no rights"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Names default from the key.
	if got, want := (Matrix{}).Summary(Group{Key: GroupIGO}), "Intergovernmental organisations: no rights"; got != want {
		t.Errorf("got %q", got)
	}
}

func TestViewTreaty(t *testing.T) {
	m := preset(t, PresetITUTreatyConference)
	extra := Group{Key: "regional_body", Name: "regional body", Plural: "regional bodies"}
	m = mustSet(t, m, Key{extra.Key, RoleDelegate, InRoom}, set(ReadPublic))
	v := m.View(DefaultGroups())

	if len(v.Columns) != len(Actions()) || v.Columns[8].Action != Vote || v.Columns[8].Condition != "only with credentials in order" || v.Columns[0].Condition != "" {
		t.Errorf("columns = %+v", v.Columns)
	}
	if want := []string{"Vote: only with credentials in order.", "Sign the final acts: only with credentials in order or in order for signature only."}; !reflect.DeepEqual(v.Conditions, want) {
		t.Errorf("conditions = %q", v.Conditions)
	}
	if want := "Remote participants have the same rights as participants in the room, except that Member States may vote and sign the final acts only in the room and regional body may read public documents only in the room."; v.Remote != want {
		t.Errorf("remote = %q", v.Remote)
	}
	wantOffices := []string{
		"Chairs, in any group: read public documents, read restricted documents, propose an amendment and manage the floor.",
		"Editors, in any group: read public documents, read restricted documents and edit the draft.",
		"Remote moderators, in any group: read public documents, read restricted documents and ask for the floor.",
		"Secretariat staff, in any group: read public documents, read restricted documents, submit a contribution, approve registrations and manage the floor.",
	}
	// The extra group has no offices, so offices now differ by group.
	for i := range wantOffices {
		wantOffices[i] = capitalize(Roles()[5+i].Plural()) + ": rights differ by group; see each group's table."
	}
	if !reflect.DeepEqual(v.Offices, wantOffices) {
		t.Errorf("offices = %q", v.Offices)
	}
	if len(v.Groups) != 12 || v.Groups[11].Group.Key != extra.Key || v.Groups[11].Group.Plural != "regional body" {
		t.Fatalf("groups: %d, last %+v", len(v.Groups), v.Groups[len(v.Groups)-1].Group)
	}

	ms := v.Groups[0]
	if ms.Group.Key != GroupMemberState || ms.ByGrant || ms.Summary != m.Summary(group(GroupMemberState)) {
		t.Errorf("member states table: %+v", ms)
	}
	if len(ms.NoRights) != 0 {
		t.Errorf("no rights = %v", ms.NoRights)
	}
	// Heads of delegation and delegates differ by mode (two rows each);
	// the other roles do not (one row each); guests are by grant.
	type row struct {
		role  Role
		modes string
		marks string
	}
	var got []row
	for _, r := range ms.Rows {
		marks := ""
		for _, k := range r.Marks {
			marks += map[Mark]string{MarkNo: ".", MarkYes: "y", MarkConditional: "c"}[k]
		}
		if r.ByGrant {
			marks = "grant"
		}
		got = append(got, row{r.Role, r.ModeLabel, marks})
	}
	want := []row{
		{RoleHeadOfDelegation, "in the room", "yyyyyyyyccyy..y"},
		{RoleHeadOfDelegation, "remotely", "yyyyyyyy..yy..y"},
		{RoleDelegate, "in the room", "yyyyyyyyccy...y"},
		{RoleDelegate, "remotely", "yyyyyyyy..y...y"},
		{RoleAdviser, "in the room and remotely", "yyyyyyyy......y"},
		{RoleObserver, "in the room and remotely", "yy............y"},
		{RoleGuest, "in the room and remotely", "grant"},
		{RoleChair, "in the room and remotely", "yy.y........y.."},
		{RoleEditor, "in the room and remotely", "yy...........y."},
		{RoleRemoteModerator, "in the room and remotely", "yy...y........."},
		{RoleSecretariat, "in the room and remotely", "yyy........yy.."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %+v\nwant %+v", got, want)
	}
	if r := ms.Rows[0]; r.RoleLabel != "Heads of delegation" || !reflect.DeepEqual(r.Modes, []Mode{InRoom}) {
		t.Errorf("first row %+v", r)
	}
	if r := ms.Rows[4]; !reflect.DeepEqual(r.Modes, []Mode{InRoom, Remote}) {
		t.Errorf("adviser row modes %v", r.Modes)
	}

	guests := v.Groups[9]
	if guests.Group.Key != GroupGuest || !guests.ByGrant || len(guests.Rows) != 0 {
		t.Errorf("guest table %+v", guests)
	}
	rb := v.Groups[11]
	if want := []Role{RoleHeadOfDelegation, RoleAdviser, RoleObserver, RoleChair, RoleEditor, RoleRemoteModerator, RoleSecretariat}; !reflect.DeepEqual(rb.NoRights, want) {
		t.Errorf("no rights = %v", rb.NoRights)
	}
}

func TestViewSameRemote(t *testing.T) {
	for _, key := range []string{PresetITUPolicyForum, PresetMultistakeholderEqual, PresetIETFRoughConsensus} {
		v := preset(t, key).View(DefaultGroups())
		if v.Remote != "Remote participants have the same rights as participants in the room." {
			t.Errorf("%s: %q", key, v.Remote)
		}
		if len(v.Conditions) != 0 {
			t.Errorf("%s: conditions %q", key, v.Conditions)
		}
		if len(v.Offices) != 4 || v.Offices[1] != "Editors, in any group: read public documents, read restricted documents and edit the draft." {
			t.Errorf("%s: offices %q", key, v.Offices)
		}
	}
	// Differences by role in one group are named per role; a right only
	// remote is named too.
	var m Matrix
	m = mustSet(t, m, Key{GroupIGO, RoleDelegate, InRoom}, set(Vote))
	m = mustSet(t, m, Key{GroupIGO, RoleAdviser, Remote}, set(AskFloor))
	v := m.View(Groups{group(GroupIGO)})
	want := "Remote participants have the same rights as participants in the room, except that intergovernmental organisation delegates may vote only in the room and intergovernmental organisation advisers may ask for the floor only remotely."
	if v.Remote != want {
		t.Errorf("remote\n got %q\nwant %q", v.Remote, want)
	}
	if want := []string{"Chairs, in any group: no rights.", "Editors, in any group: no rights.", "Remote moderators, in any group: no rights.", "Secretariat staff, in any group: no rights."}; !reflect.DeepEqual(v.Offices, want) {
		t.Errorf("offices %q", v.Offices)
	}
}

func TestMarkString(t *testing.T) {
	if MarkNo.String() != "no" || MarkYes.String() != "yes" || MarkConditional.String() != "conditional" {
		t.Error("mark strings")
	}
}

// The wording of a condition on the rules page names exactly the
// credentials states with which Check lets a delegation vote or sign.
func TestConditionWordingMatchesCheck(t *testing.T) {
	wcit := preset(t, PresetITUTreatyConference)
	v := wcit.View(nil)
	for _, a := range []Action{Vote, Sign} {
		var wording string
		for _, c := range v.Columns {
			if c.Action == a {
				wording = c.Condition
			}
		}
		rest, ok := strings.CutPrefix(wording, "only with credentials ")
		if !ok {
			t.Fatalf("%s: wording %q", a, wording)
		}
		named := map[string]bool{}
		for _, l := range strings.Split(rest, " or ") {
			named[l] = true
		}
		if !slices.Contains(v.Conditions, capitalize(a.Label())+": "+wording+".") {
			t.Fatalf("%s: conditions %q lack %q", a, v.Conditions, wording)
		}
		for _, cred := range AllCredentials() {
			s := Subject{Forum: "WCIT-12", Group: group(GroupMemberState), Role: RoleHeadOfDelegation, Mode: InRoom, Credentials: cred}
			allowed := wcit.Check(s, a) == nil
			if allowed != named[cred.Label()] {
				t.Errorf("%s with credentials %s: allowed %v, but the rules page says %q", a, cred, allowed, wording)
			}
		}
	}
	if !strings.Contains(wcit.Summary(group(GroupMemberState)), "sign the final acts only with credentials in order or in order for signature only") {
		t.Fatalf("summary: %s", wcit.Summary(group(GroupMemberState)))
	}
}
