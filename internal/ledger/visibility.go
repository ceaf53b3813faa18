package ledger

import (
	"fmt"
	"strings"
)

// The visibilities of an event: who may read it. A party visibility is
// written "party:<id>"; build it with VisParty.
const (
	VisPublic      = "public"      // anyone, including the public export
	VisMembers     = "members"     // registered participants of the forum
	VisSecretariat = "secretariat" // the secretariat only
	// VisPartyKind is the kind ParseVisibility returns for "party:<id>".
	VisPartyKind = "party"
)

const partyPrefix = "party:"

// MaxIDLen is the longest chain id or party id accepted.
const MaxIDLen = 128

// VisParty returns the visibility of an event readable by the delegation
// of one party (and by the secretariat): "party:<id>".
func VisParty(id string) string { return partyPrefix + id }

// ParseVisibility splits a visibility string into its kind (VisPublic,
// VisMembers, VisSecretariat or VisPartyKind) and, for a party visibility,
// the party id. Any other string is an error.
func ParseVisibility(s string) (kind, party string, err error) {
	switch s {
	case VisPublic, VisMembers, VisSecretariat:
		return s, "", nil
	}
	id, ok := strings.CutPrefix(s, partyPrefix)
	if !ok {
		return "", "", fmt.Errorf("visibility %q: want public, members, secretariat or party:<id>", s)
	}
	if err := checkID(id); err != nil {
		return "", "", fmt.Errorf("visibility %q: party id %w", s, err)
	}
	return VisPartyKind, id, nil
}

// VisibilityLabel says in words who may read something of visibility v,
// which may also be a kind (VisPartyKind): "Public", "Members only",
// "Secretariat only", "One delegation only". Anything else is its own
// label.
func VisibilityLabel(v string) string {
	kind, _, err := ParseVisibility(v)
	if err != nil {
		kind = v
	}
	switch kind {
	case VisPublic:
		return "Public"
	case VisMembers:
		return "Members only"
	case VisSecretariat:
		return "Secretariat only"
	case VisPartyKind:
		return "One delegation only"
	}
	return v
}

// ValidVisibility reports whether s is a well-formed visibility.
func ValidVisibility(s string) bool {
	_, _, err := ParseVisibility(s)
	return err == nil
}

// PartyOf returns the party id of a "party:<id>" visibility, and whether s
// is one.
func PartyOf(s string) (string, bool) {
	kind, id, err := ParseVisibility(s)
	return id, err == nil && kind == VisPartyKind
}

// ShowPublic is a filter for Writer that keeps public events in full and
// redacts every other one.
func ShowPublic(visibility string) bool { return visibility == VisPublic }

// checkID checks a chain id or party id: 1 to MaxIDLen characters from
// A-Z a-z 0-9 . _ -. The restriction keeps ids safe inside the line-based
// checkpoint text and in file names.
func checkID(id string) error {
	if id == "" {
		return fmt.Errorf("is empty")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("is longer than %d characters", MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		if !idChar(id[i]) {
			return fmt.Errorf("has %q at %d: only A-Z a-z 0-9 . _ - are allowed", id[i], i)
		}
	}
	return nil
}

func idChar(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '_' || b == '-'
}
