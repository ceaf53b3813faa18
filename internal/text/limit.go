package text

import "github.com/plenary-forum/plenary"

// MaxProvisionText is the most text one provision may hold, in bytes of its
// plain text (Provision.Text, brackets written out): 64 KB, far more than
// any article of a treaty. The importers (ParseMarkdown, ParsePlain), the
// proposals (the text of a MOD or an ADD), the editor's rewording and
// compromise text, and the revisions that Revise builds are held to it
// alike, with the same message.
const MaxProvisionText = 64 << 10

// CheckProvisionText refuses s, the whole text of one provision, when it is
// longer than MaxProvisionText.
func CheckProvisionText(field, s string) error {
	if len(s) > MaxProvisionText {
		return provisionTooLong(field, "", len(s))
	}
	return nil
}

// provisionTooLong is the one refusal of a provision over the limit; where
// says which provision, when the field holds several.
func provisionTooLong(field, where string, n int) error {
	return plenary.Invalid(field, "%sa provision's text must be at most %d bytes; this one has %d", where, MaxProvisionText, n)
}

// CheckProvisionBody refuses a provision body over MaxProvisionText; where
// says where the provision is ("line 12: ").
func CheckProvisionBody(field, where string, body []Part) error {
	if n := len(bodyText(body)); n > MaxProvisionText {
		return provisionTooLong(field, where, n)
	}
	return nil
}
