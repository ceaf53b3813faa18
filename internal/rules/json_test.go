package rules

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/plenary-forum/plenary"
)

func TestMatrixJSONGolden(t *testing.T) {
	var m Matrix
	// Set in an order unlike the encoding's, to show the encoding sorts.
	m = mustSet(t, m, Key{GroupObserver, RoleObserver, Remote}, set(ReadPublic))
	m = mustSet(t, m, Key{GroupMemberState, RoleDelegate, InRoom}, set(Vote, ReadPublic))
	m = mustSet(t, m, Key{GroupMemberState, RoleHeadOfDelegation, InRoom}, set(Sign))
	m = mustSet(t, m, Key{GroupCivilSociety, RoleDelegate, InRoom}, 0) // empty: not kept
	m, _ = m.SetCondition(Vote, NeedsCredentials)
	m, _ = m.SetCondition(ReadPublic, NoCondition)
	got, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":1,"conditions":[{"action":"vote","condition":"credentials_in_order"}],"cells":[` +
		`{"group":"member_state","role":"head_of_delegation","mode":"in_room","actions":["sign"]},` +
		`{"group":"member_state","role":"delegate","mode":"in_room","actions":["read_public","vote"]},` +
		`{"group":"observer","role":"observer","mode":"remote","actions":["read_public"]}]}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
	var empty Matrix
	got, _ = json.Marshal(empty)
	if string(got) != `{"version":1,"conditions":[],"cells":[]}` {
		t.Errorf("empty matrix JSON = %s", got)
	}
}

func TestPresetJSONRoundTrip(t *testing.T) {
	for _, p := range Presets() {
		// As a field of a larger value, the way the ledger stores it.
		type event struct {
			Preset string `json:"preset"`
			Matrix Matrix `json:"matrix"`
		}
		b1, err := json.Marshal(event{p.Key, p.Matrix})
		if err != nil {
			t.Fatal(err)
		}
		var back event
		if err := json.Unmarshal(b1, &back); err != nil {
			t.Fatalf("%s: %v", p.Key, err)
		}
		if !back.Matrix.Equal(p.Matrix) {
			t.Errorf("%s: round trip changed the matrix", p.Key)
		}
		b2, _ := json.Marshal(back)
		if string(b1) != string(b2) {
			t.Errorf("%s: encoding is not stable", p.Key)
		}
		// Building it again gives the same bytes.
		q, _ := PresetByKey(p.Key)
		b3, _ := json.Marshal(event{q.Key, q.Matrix})
		if string(b1) != string(b3) {
			t.Errorf("%s: two builds encode differently", p.Key)
		}
	}
}

func TestMatrixJSONRejects(t *testing.T) {
	tests := []struct {
		name, in, field string
	}{
		{"not JSON", `{`, "matrix"},
		{"wrong version", `{"version":2,"conditions":[],"cells":[]}`, "version"},
		{"no version", `{"conditions":[],"cells":[]}`, "version"},
		{"unknown field", `{"version":1,"conditions":[],"cells":[],"extra":1}`, "matrix"},
		{"trailing data", `{"version":1,"conditions":[],"cells":[]} {}`, "matrix"},
		{"unknown action in a cell", `{"version":1,"conditions":[],"cells":[{"group":"igo","role":"delegate","mode":"remote","actions":["veto"]}]}`, "actions"},
		{"action twice", `{"version":1,"conditions":[],"cells":[{"group":"igo","role":"delegate","mode":"remote","actions":["vote","vote"]}]}`, "actions"},
		{"actions not a list", `{"version":1,"conditions":[],"cells":[{"group":"igo","role":"delegate","mode":"remote","actions":"vote"}]}`, "actions"},
		{"bad group", `{"version":1,"conditions":[],"cells":[{"group":"IGO","role":"delegate","mode":"remote","actions":[]}]}`, "group"},
		{"unknown role", `{"version":1,"conditions":[],"cells":[{"group":"igo","role":"king","mode":"remote","actions":[]}]}`, "role"},
		{"unknown mode", `{"version":1,"conditions":[],"cells":[{"group":"igo","role":"delegate","mode":"astral","actions":[]}]}`, "mode"},
		{"cell twice", `{"version":1,"conditions":[],"cells":[{"group":"igo","role":"delegate","mode":"remote","actions":[]},{"group":"igo","role":"delegate","mode":"remote","actions":["vote"]}]}`, "cells"},
		{"unknown condition action", `{"version":1,"conditions":[{"action":"veto","condition":"credentials_in_order"}],"cells":[]}`, "conditions"},
		{"unknown condition", `{"version":1,"conditions":[{"action":"vote","condition":"full_moon"}],"cells":[]}`, "conditions"},
		{"condition twice", `{"version":1,"conditions":[{"action":"vote","condition":""},{"action":"vote","condition":"credentials_in_order"}],"cells":[]}`, "conditions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := preset(t, PresetITUPolicyForum)
			m := before
			err := m.UnmarshalJSON([]byte(tt.in))
			var pe *plenary.Error
			if !errors.As(err, &pe) || pe.Code != plenary.CodeInvalid || pe.Field != tt.field {
				t.Fatalf("Unmarshal = %v, want invalid %s", err, tt.field)
			}
			if !m.Equal(before) {
				t.Error("a rejected decode changed the matrix")
			}
		})
	}
}

func TestChangesJSON(t *testing.T) {
	var a, b Matrix
	a = mustSet(t, a, Key{GroupIGO, RoleDelegate, Remote}, set(ReadPublic, AskFloor))
	b = mustSet(t, b, Key{GroupIGO, RoleDelegate, Remote}, set(ReadPublic, Contribute))
	b, _ = b.SetCondition(Sign, NeedsCredentials)
	got, err := json.Marshal(Diff(a, b))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"cells":[{"group":"igo","role":"delegate","mode":"remote","before":["read_public","ask_floor"],"after":["read_public","contribute"]}],` +
		`"conditions":[{"action":"sign","before":"","after":"credentials_in_order"}]}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
	var back Changes
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(back); string(again) != want {
		t.Errorf("round trip\n got %s\nwant %s", again, want)
	}
	if got, _ := json.Marshal(Diff(a, a)); string(got) != `{"cells":[],"conditions":[]}` {
		t.Errorf("no changes = %s", got)
	}
}
