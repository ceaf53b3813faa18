package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
)

func TestDefaultGroups(t *testing.T) {
	gs := DefaultGroups()
	want := []string{GroupMemberState, GroupSectorMember, GroupAssociate, GroupAcademia, GroupCivilSociety,
		GroupTechnicalCommunity, GroupPrivateSector, GroupIGO, GroupObserver, GroupGuest, GroupSecretariat}
	if len(gs) != len(want) {
		t.Fatalf("%d default groups, want %d", len(gs), len(want))
	}
	for i, g := range gs {
		if g.Key != want[i] {
			t.Errorf("group %d = %q, want %q", i, g.Key, want[i])
		}
		if g.Description == "" {
			t.Errorf("group %q has no description", g.Key)
		}
	}
	if err := gs.Validate(); err != nil {
		t.Fatalf("default groups invalid: %v", err)
	}
	// DefaultGroups hands out copies.
	gs[0].Plural = "Governments"
	if DefaultGroups()[0].Plural != "Member States" {
		t.Error("changing a copy changed the defaults")
	}
}

func TestGroupsLookup(t *testing.T) {
	gs := Groups{{Key: GroupCivilSociety, Name: "NGO", Plural: "NGOs"}}
	if g := gs.Lookup(GroupCivilSociety); g.Plural != "NGOs" {
		t.Errorf("renamed group: %+v", g)
	}
	if g := gs.Lookup(GroupMemberState); g.Plural != "Member States" {
		t.Errorf("default fallback: %+v", g)
	}
	if g := gs.Lookup("youth_caucus"); g.Name != "youth caucus" || g.Plural != "youth caucus" {
		t.Errorf("key fallback: %+v", g)
	}
	if _, ok := gs.Find(GroupMemberState); ok {
		t.Error("Find found a group not in the list")
	}
}

func TestGroupValidate(t *testing.T) {
	ok := Group{Key: "youth", Name: "youth", Plural: "youth participants"}
	tests := []struct {
		name  string
		g     Group
		field string
	}{
		{"no key", Group{Name: "a", Plural: "b"}, "key"},
		{"upper-case key", Group{Key: "Youth", Name: "a", Plural: "b"}, "key"},
		{"key with a space", Group{Key: "youth caucus", Name: "a", Plural: "b"}, "key"},
		{"key with a dash", Group{Key: "youth-caucus", Name: "a", Plural: "b"}, "key"},
		{"key starting with a digit", Group{Key: "1youth", Name: "a", Plural: "b"}, "key"},
		{"key too long", Group{Key: strings.Repeat("a", MaxGroupKey+1), Name: "a", Plural: "b"}, "key"},
		{"no name", Group{Key: "youth", Plural: "b"}, "name"},
		{"blank name", Group{Key: "youth", Name: "  ", Plural: "b"}, "name"},
		{"name with spaces around", Group{Key: "youth", Name: " youth", Plural: "b"}, "name"},
		{"name on two lines", Group{Key: "youth", Name: "you\nth", Plural: "b"}, "name"},
		{"name too long", Group{Key: "youth", Name: strings.Repeat("é", MaxGroupName+1), Plural: "b"}, "name"},
		{"name not UTF-8", Group{Key: "youth", Name: "\xff", Plural: "b"}, "name"},
		{"no plural", Group{Key: "youth", Name: "a"}, "plural"},
		{"description too long", Group{Key: "youth", Name: "a", Plural: "b", Description: strings.Repeat("x", MaxGroupDescription+1)}, "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.g.Validate()
			var pe *plenary.Error
			if !errors.As(err, &pe) || pe.Code != plenary.CodeInvalid || pe.Field != tt.field {
				t.Fatalf("Validate = %v, want invalid %s", err, tt.field)
			}
		})
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid group: %v", err)
	}
	if err := (Group{Key: strings.Repeat("a", MaxGroupKey), Name: strings.Repeat("é", MaxGroupName), Plural: "b"}).Validate(); err != nil {
		t.Errorf("group at the limits: %v", err)
	}
}

func TestGroupsValidateDuplicates(t *testing.T) {
	tests := []struct {
		name  string
		gs    Groups
		field string
	}{
		{"key", append(DefaultGroups(), Group{Key: GroupIGO, Name: "x", Plural: "xs"}), "key"},
		{"name", append(DefaultGroups(), Group{Key: "x", Name: "member state", Plural: "xs"}), "name"},
		{"plural", append(DefaultGroups(), Group{Key: "x", Name: "x", Plural: "OBSERVERS"}), "plural"},
		{"an invalid member", Groups{{Key: "x"}}, "name"},
	}
	for _, tt := range tests {
		err := tt.gs.Validate()
		var pe *plenary.Error
		if !errors.As(err, &pe) || pe.Field != tt.field {
			t.Errorf("%s: Validate = %v, want invalid %s", tt.name, err, tt.field)
		}
	}
	if err := append(DefaultGroups(), Group{Key: "youth", Name: "youth", Plural: "youth participants"}).Validate(); err != nil {
		t.Errorf("added group: %v", err)
	}
	if err := ValidateGroupKey("regional_body_2"); err != nil {
		t.Errorf("ValidateGroupKey: %v", err)
	}
}
