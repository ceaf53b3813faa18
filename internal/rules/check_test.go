package rules

import (
	"errors"
	"reflect"
	"testing"

	"github.com/plenary-forum/plenary"
)

func preset(t *testing.T, key string) Matrix {
	t.Helper()
	p, ok := PresetByKey(key)
	if !ok {
		t.Fatalf("no preset %q", key)
	}
	return p.Matrix
}

func group(key string) Group {
	g, _ := DefaultGroups().Find(key)
	return g
}

// mustSet sets cells, failing the test on error.
func mustSet(t *testing.T, m Matrix, k Key, s ActionSet) Matrix {
	t.Helper()
	out, err := m.Set(k, s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDenialMessages(t *testing.T) {
	wcit := preset(t, PresetITUTreatyConference)
	wtpf := preset(t, PresetITUPolicyForum)
	igf := preset(t, PresetMultistakeholderEqual)
	// IGF 2026 with remote observers kept off the open microphone: the
	// mode-level message.
	igfRoomMic := igf
	for _, r := range participantRoles {
		k := Key{GroupObserver, r, Remote}
		igfRoomMic = mustSet(t, igfRoomMic, k, igfRoomMic.Get(k).Without(AskFloor))
	}
	ms := func(role Role, mode Mode, cred Credentials) Subject {
		return Subject{Forum: "WCIT-12", Group: group(GroupMemberState), Role: role, Mode: mode, Credentials: cred}
	}
	tests := []struct {
		name string
		m    Matrix
		s    Subject
		a    Action
		want string
	}{
		{"group-wide", wcit, Subject{Forum: "WCIT-12", Group: group(GroupSectorMember), Role: RoleDelegate, Mode: InRoom}, Vote,
			"Sector Members may not vote in WCIT-12"},
		{"group-wide, names defaulted from the key", wcit, Subject{Forum: "WCIT-12", Group: Group{Key: GroupSectorMember}, Role: RoleHeadOfDelegation, Mode: Remote}, ProposeAmendment,
			"Sector Members may not propose an amendment in WCIT-12"},
		{"group-wide, renamed group", wcit, Subject{Forum: "WCIT-12", Group: Group{Key: GroupCivilSociety, Name: "NGO", Plural: "NGOs"}, Role: RoleDelegate, Mode: InRoom}, AskFloor,
			"NGOs may not ask for the floor in WCIT-12"},
		{"mode-level", wcit, ms(RoleDelegate, Remote, CredentialsInOrder), Vote,
			"Remote Member States may not vote in WCIT-12"},
		{"mode-level, lower-case plural", igfRoomMic, Subject{Forum: "IGF 2026", Group: group(GroupObserver), Role: RoleDelegate, Mode: Remote}, AskFloor,
			"Remote observers may not ask for the floor in IGF 2026"},
		{"role-level", wcit, ms(RoleAdviser, InRoom, CredentialsInOrder), Sign,
			"Member State advisers may not sign the final acts in WCIT-12"},
		{"role-level, role named like its group", preset(t, PresetIETFRoughConsensus), Subject{Forum: "IETF 120", Group: group(GroupObserver), Role: RoleObserver, Mode: InRoom}, ObjectConsensus,
			"Observers in the observer role may not object to consensus in IETF 120"},
		{"role-level, civil society observers", wtpf, Subject{Forum: "WTPF-13", Group: group(GroupCivilSociety), Role: RoleObserver, Mode: Remote}, Contribute,
			"Civil society observers may not submit a contribution in WTPF-13"},
		{"observers and restricted documents", wtpf, Subject{Forum: "WTPF-13", Group: group(GroupObserver), Role: RoleObserver, Mode: InRoom}, ReadRestricted,
			"Observers may not read restricted documents in WTPF-13"},
		{"point of order", wtpf, Subject{Forum: "WTPF-13", Group: group(GroupSectorMember), Role: RoleDelegate, Mode: InRoom}, PointOfOrder,
			"Sector Members may not raise a point of order in WTPF-13"},
		{"office", wcit, ms(RoleEditor, InRoom, CredentialsInOrder), Vote,
			"Editors may not vote in WCIT-12"},
		{"office lacking an office power", igf, Subject{Forum: "IGF 2026", Group: group(GroupCivilSociety), Role: RoleRemoteModerator, Mode: Remote}, ManageFloor,
			"Remote moderators may not manage the floor in IGF 2026"},
		{"participant lacking an office power", igf, Subject{Forum: "IGF 2026", Group: group(GroupCivilSociety), Role: RoleDelegate, Mode: Remote}, EditDraft,
			"Civil society participants may not edit the draft in IGF 2026"},
		{"no forum name", wcit, Subject{Group: group(GroupSectorMember), Role: RoleDelegate, Mode: InRoom}, Vote,
			"Sector Members may not vote"},
		{"provisional credentials", wcit, ms(RoleDelegate, InRoom, CredentialsProvisional), Vote,
			"Member States may vote in WCIT-12 only with credentials in order (credentials: provisional)"},
		{"no credentials", wcit, ms(RoleHeadOfDelegation, InRoom, ""), Sign,
			"Member States may sign the final acts in WCIT-12 only with credentials in order or in order for signature only (credentials: none presented)"},
		{"sign only", wcit, ms(RoleHeadOfDelegation, InRoom, CredentialsSignOnly), Vote,
			"Member States may vote in WCIT-12 only with credentials in order (credentials: in order for signature only)"},
		{"powers transferred", wcit, ms(RoleDelegate, InRoom, CredentialsTransferred), Vote,
			"Member States may vote in WCIT-12 only with credentials in order (credentials: powers transferred to another delegation); the delegation holding its proxy votes for it"},
		{"powers transferred, sign", wcit, ms(RoleDelegate, InRoom, CredentialsTransferred), Sign,
			"Member States may sign the final acts in WCIT-12 only with credentials in order or in order for signature only (credentials: powers transferred to another delegation)"},
		{"guest without the grant", wtpf, Subject{Forum: "WTPF-13", Group: group(GroupGuest), Role: RoleGuest, Mode: InRoom, Grants: set(ReadPublic)}, AskFloor,
			"This guest may not ask for the floor in WTPF-13: the secretariat has not granted that right"},
		{"guest role in another group", wcit, Subject{Forum: "WCIT-12", Group: group(GroupMemberState), Role: RoleGuest, Mode: InRoom, Credentials: CredentialsInOrder}, ReadPublic,
			"This guest may not read public documents in WCIT-12: the secretariat has not granted that right"},
		{"guest granted a conditional action", wcit, Subject{Forum: "WCIT-12", Group: group(GroupGuest), Role: RoleDelegate, Mode: InRoom, Grants: set(Vote)}, Vote,
			"Guests may vote in WCIT-12 only with credentials in order (credentials: none presented)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Check(tt.s, tt.a)
			if err == nil {
				t.Fatalf("allowed, want %q", tt.want)
			}
			var pe *plenary.Error
			if !errors.As(err, &pe) || pe.Code != plenary.CodeForbidden || !errors.Is(err, plenary.ErrForbidden) {
				t.Fatalf("error %#v is not a forbidden *plenary.Error", err)
			}
			if pe.Message != tt.want {
				t.Errorf("message\n got %q\nwant %q", pe.Message, tt.want)
			}
		})
	}
}

func TestCheckAllows(t *testing.T) {
	wcit := preset(t, PresetITUTreatyConference)
	ms := Subject{Forum: "WCIT-12", Group: group(GroupMemberState), Role: RoleHeadOfDelegation, Mode: InRoom, Credentials: CredentialsInOrder}
	for _, a := range []Action{Vote, Sign, FileReservation, ProposeAmendment, ApproveRegistrations} {
		if err := wcit.Check(ms, a); err != nil {
			t.Errorf("head of delegation, credentials in order, %s: %v", a, err)
		}
	}
	ms.Credentials = CredentialsSignOnly
	if err := wcit.Check(ms, Sign); err != nil {
		t.Errorf("sign only may sign: %v", err)
	}
	guest := Subject{Group: group(GroupGuest), Role: RoleGuest, Mode: Remote, Grants: set(ReadPublic, AskFloor)}
	if err := wcit.Check(guest, AskFloor); err != nil {
		t.Errorf("guest granted the floor: %v", err)
	}
}

func TestCheckInvalidInput(t *testing.T) {
	m := preset(t, PresetITUTreatyConference)
	good := Subject{Group: group(GroupMemberState), Role: RoleDelegate, Mode: InRoom, Credentials: CredentialsInOrder}
	tests := []struct {
		name  string
		s     Subject
		a     Action
		field string
	}{
		{"unknown action", good, "filibuster", "action"},
		{"empty action", good, "", "action"},
		{"no group", Subject{Role: RoleDelegate, Mode: InRoom}, Vote, "group"},
		{"bad group key", Subject{Group: Group{Key: "Member State"}, Role: RoleDelegate, Mode: InRoom}, Vote, "group"},
		{"unknown role", Subject{Group: group(GroupMemberState), Role: "king", Mode: InRoom}, Vote, "role"},
		{"unknown mode", Subject{Group: group(GroupMemberState), Role: RoleDelegate, Mode: "telepathy"}, Vote, "mode"},
		{"unknown credentials", Subject{Group: group(GroupMemberState), Role: RoleDelegate, Mode: InRoom, Credentials: "forged"}, Vote, "credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.Check(tt.s, tt.a)
			var pe *plenary.Error
			if !errors.As(err, &pe) || pe.Code != plenary.CodeInvalid || pe.Field != tt.field {
				t.Fatalf("Check = %v, want invalid %s", err, tt.field)
			}
			if got := m.Allowed(tt.s); tt.a.Valid() && len(got) != 0 {
				t.Errorf("Allowed for a malformed subject = %v", got)
			}
		})
	}
}

func TestAllowed(t *testing.T) {
	wcit := preset(t, PresetITUTreatyConference)
	tests := []struct {
		s    Subject
		want []Action
	}{
		{Subject{Group: group(GroupMemberState), Role: RoleHeadOfDelegation, Mode: InRoom, Credentials: CredentialsInOrder},
			[]Action{ReadPublic, ReadRestricted, Contribute, ProposeAmendment, Cosponsor, AskFloor, PointOfOrder, ObjectConsensus, Vote, Sign, FileReservation, ApproveRegistrations, Comment}},
		{Subject{Group: group(GroupMemberState), Role: RoleDelegate, Mode: InRoom, Credentials: CredentialsProvisional},
			[]Action{ReadPublic, ReadRestricted, Contribute, ProposeAmendment, Cosponsor, AskFloor, PointOfOrder, ObjectConsensus, FileReservation, Comment}},
		{Subject{Group: group(GroupMemberState), Role: RoleDelegate, Mode: InRoom, Credentials: CredentialsSignOnly},
			[]Action{ReadPublic, ReadRestricted, Contribute, ProposeAmendment, Cosponsor, AskFloor, PointOfOrder, ObjectConsensus, Sign, FileReservation, Comment}},
		{Subject{Group: group(GroupSectorMember), Role: RoleObserver, Mode: Remote},
			[]Action{ReadPublic, ReadRestricted, AskFloor, Comment}},
		{Subject{Group: group(GroupCivilSociety), Role: RoleChair, Mode: InRoom},
			[]Action{ReadPublic, ReadRestricted, ProposeAmendment, ManageFloor}},
		{Subject{Group: group(GroupGuest), Role: RoleGuest, Mode: InRoom, Grants: set(ReadPublic, AskFloor, Sign)},
			[]Action{ReadPublic, AskFloor}},
		{Subject{Group: group(GroupObserver), Role: RoleGuest, Mode: InRoom}, []Action{}},
	}
	for _, tt := range tests {
		if got := wcit.Allowed(tt.s); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Allowed(%+v)\n got %v\nwant %v", tt.s, got, tt.want)
		}
	}
}
