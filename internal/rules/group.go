package rules

import (
	"strings"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
)

// Group is a stakeholder group: Member States, Sector Members, civil
// society, and so on. Groups are data: the secretariat can add groups and
// rename them; the key never changes once used, because the rights matrix
// and the ledger refer to it.
//
// Name and Plural are written as they appear inside a sentence ("civil
// society", "Member States"); pages and messages capitalise the first letter
// where a sentence starts. Name also serves as an adjective before a role
// ("Member State advisers", "civil society delegates").
type Group struct {
	Key         string `json:"key"`                   // stable lowercase slug, e.g. "member_state"
	Name        string `json:"name"`                  // singular, e.g. "Member State"
	Plural      string `json:"plural"`                // plural, e.g. "Member States"
	Description string `json:"description,omitempty"` // one or two sentences for the rules page
}

// Keys of the default stakeholder groups.
const (
	GroupMemberState        = "member_state"
	GroupSectorMember       = "sector_member"
	GroupAssociate          = "associate"
	GroupAcademia           = "academia"
	GroupCivilSociety       = "civil_society"
	GroupTechnicalCommunity = "technical_community"
	GroupPrivateSector      = "private_sector"
	GroupIGO                = "igo"
	GroupObserver           = "observer"
	GroupGuest              = "guest"
	GroupSecretariat        = "secretariat"
)

// Groups is an ordered list of stakeholder groups: the order in which pages
// show them.
type Groups []Group

// DefaultGroups returns a fresh copy of the default list of stakeholder
// groups, after the ITU membership categories and the WSIS stakeholder groups
// (Tunis Agenda §35).
func DefaultGroups() Groups { return append(Groups(nil), defaultGroups...) }

// defaultGroups is never changed; DefaultGroups hands out copies.
var defaultGroups = Groups{
	{GroupMemberState, "Member State", "Member States",
		"Governments party to the ITU Constitution, or the governments taking part in the forum."},
	{GroupSectorMember, "Sector Member", "Sector Members",
		"Companies, operators, scientific bodies and international organisations that are members of an ITU Sector."},
	{GroupAssociate, "Associate", "Associates",
		"Entities admitted to take part in the work of one ITU study group."},
	{GroupAcademia, "Academia", "Academia members",
		"Universities and research institutions admitted as ITU Academia (PP-10 Resolution 169)."},
	{GroupCivilSociety, "civil society", "civil society participants",
		"Non-governmental organisations and individuals speaking for civil society, in their own right."},
	{GroupTechnicalCommunity, "technical community", "technical community participants",
		"The Internet technical community: standards bodies, registries, network operators' groups."},
	{GroupPrivateSector, "private sector", "private sector participants",
		"Companies and business associations that are not Sector Members."},
	{GroupIGO, "intergovernmental organisation", "intergovernmental organisations",
		"The United Nations, its specialised agencies, regional telecommunication organisations and other intergovernmental bodies."},
	{GroupObserver, "observer", "observers",
		"Members of the public, journalists and others admitted as observers."},
	{GroupGuest, "guest", "guests",
		"People invited by the chair or the secretariat; each guest's rights are set by the secretariat."},
	{GroupSecretariat, "secretariat", "secretariat staff",
		"Staff of the organisation running the forum."},
}

// Find returns the group with the given key.
func (gs Groups) Find(key string) (Group, bool) {
	for _, g := range gs {
		if g.Key == key {
			return g, true
		}
	}
	return Group{}, false
}

// Lookup returns the group with the given key, or, when the list does not
// have it, the default group of that key, or else a group named after its key.
func (gs Groups) Lookup(key string) Group {
	if g, ok := gs.Find(key); ok {
		return g
	}
	if g, ok := defaultGroups.Find(key); ok {
		return g
	}
	name := strings.ReplaceAll(key, "_", " ")
	return Group{Key: key, Name: name, Plural: name}
}

// Limits on group fields.
const (
	MaxGroupKey         = 40
	MaxGroupName        = 80
	MaxGroupDescription = 500
)

// ValidateGroupKey checks that key is a lowercase slug: a letter, then
// letters, digits or underscores, at most MaxGroupKey bytes.
func ValidateGroupKey(key string) error { return validateGroupKey("key", key) }

func validateGroupKey(field, key string) error {
	if key == "" {
		return plenary.Invalid(field, "a group key is required")
	}
	if len(key) > MaxGroupKey {
		return plenary.Invalid(field, "a group key has at most %d characters", MaxGroupKey)
	}
	if !isSlug(key) {
		return plenary.Invalid(field, "a group key is lowercase letters, digits and underscores, starting with a letter (got %q)", key)
	}
	return nil
}

// Validate checks the group's key, names and description.
func (g Group) Validate() error {
	if err := ValidateGroupKey(g.Key); err != nil {
		return err
	}
	if err := validateName("name", g.Name); err != nil {
		return err
	}
	if err := validateName("plural", g.Plural); err != nil {
		return err
	}
	if utf8.RuneCountInString(g.Description) > MaxGroupDescription {
		return plenary.Invalid("description", "a description has at most %d characters", MaxGroupDescription)
	}
	if !utf8.ValidString(g.Description) {
		return plenary.Invalid("description", "the description is not valid text")
	}
	return nil
}

// isSlug reports whether key is a lowercase letter followed by lowercase
// letters, digits and underscores.
func isSlug(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return false
		}
	}
	return key != ""
}

func validateName(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return plenary.Invalid(field, "a %s is required", field)
	case !utf8.ValidString(s):
		return plenary.Invalid(field, "the %s is not valid text", field)
	case s != strings.TrimSpace(s):
		return plenary.Invalid(field, "the %s must not start or end with spaces", field)
	case utf8.RuneCountInString(s) > MaxGroupName:
		return plenary.Invalid(field, "a %s has at most %d characters", field, MaxGroupName)
	case strings.ContainsAny(s, "\n\r\t"):
		return plenary.Invalid(field, "the %s must be on one line", field)
	}
	return nil
}

// Validate checks every group and that no two groups share a key, a name or
// a plural (case-insensitively), so that pages and messages are unambiguous.
func (gs Groups) Validate() error {
	keys := map[string]bool{}
	names := map[string]bool{}
	for _, g := range gs {
		if err := g.Validate(); err != nil {
			return err
		}
		if keys[g.Key] {
			return plenary.Invalid("key", "the group key %q is used twice", g.Key)
		}
		keys[g.Key] = true
		for _, n := range []struct{ field, s string }{{"name", g.Name}, {"plural", g.Plural}} {
			k := n.field + "\x00" + strings.ToLower(n.s)
			if names[k] {
				return plenary.Invalid(n.field, "the group %s %q is used twice", n.field, n.s)
			}
			names[k] = true
		}
	}
	return nil
}

// title is the group's plural with a capital first letter, to start a sentence.
func (g Group) title() string { return capitalize(g.Plural) }
