package text

import (
	"strings"

	"github.com/plenary-forum/plenary"
)

// BracketStatus is the state of a bracket.
type BracketStatus string

// The states of a bracket. A cleared bracket is no longer in the text: it
// appears only in the revision log.
const (
	BracketOpen         BracketStatus = "open"
	BracketAdReferendum BracketStatus = "agreed_ad_referendum"
	BracketCleared      BracketStatus = "cleared"
)

// NoText is how an empty alternative (delete the words) is written inside a
// bracket with more than one other alternative, or not in last place.
const NoText = "(no text)"

// Bracket is unagreed text: two or more alternatives for one place of a
// provision, or for the whole provision when it is the provision's only part
// (see Provision.WholeBracket). An empty alternative means "no text".
// Agreed, when set, is the index of the alternative agreed ad referendum.
type Bracket struct {
	ID           string        `json:"id"`
	Status       BracketStatus `json:"status"`
	Alternatives []Alternative `json:"alternatives"`
	Agreed       *int          `json:"agreed,omitempty"`
}

// Alternative is one option of a bracket: its text, the parties that support
// it, and the proposals it came from. Current marks the text that stood
// before the bracket was made.
type Alternative struct {
	Text       string   `json:"text"`
	Supporters []string `json:"supporters,omitempty"`
	Amendments []string `json:"amendments,omitempty"`
	Current    bool     `json:"current,omitempty"`
}

// Clone returns a deep copy of b.
func (b *Bracket) Clone() *Bracket {
	c := *b
	c.Alternatives = make([]Alternative, len(b.Alternatives))
	for i, a := range b.Alternatives {
		a.Supporters = append([]string(nil), a.Supporters...)
		a.Amendments = append([]string(nil), a.Amendments...)
		c.Alternatives[i] = a
	}
	if b.Agreed != nil {
		n := *b.Agreed
		c.Agreed = &n
	}
	return &c
}

// Plain renders the bracket as "[alternative 1 / alternative 2]". An empty
// alternative is written NoText, except in the common UN form of optional
// text, two alternatives of which the second is empty, written "[text]".
func (b *Bracket) Plain() string {
	alts := b.Alternatives
	if len(alts) == 2 && alts[1].Text == "" && alts[0].Text != "" {
		return "[" + alts[0].Text + "]"
	}
	var sb strings.Builder
	sb.WriteByte('[')
	for i, a := range alts {
		if i > 0 {
			sb.WriteString(" / ")
		}
		if a.Text == "" {
			sb.WriteString(NoText)
		} else {
			sb.WriteString(a.Text)
		}
	}
	sb.WriteByte(']')
	return sb.String()
}

// Supporters returns every party supporting any alternative, in order of
// first appearance.
func (b *Bracket) Supporters() []string {
	var out []string
	for _, a := range b.Alternatives {
		out = appendUnique(out, a.Supporters...)
	}
	return out
}

func (b *Bracket) validate() error {
	switch b.Status {
	case BracketOpen, BracketAdReferendum:
	default:
		return plenary.Invalid("bracket", "bracket %s has status %q; a bracket in the text is open or agreed ad referendum", b.ID, b.Status)
	}
	if len(b.Alternatives) < 2 {
		return plenary.Invalid("bracket", "bracket %s has %d alternatives; it needs at least two", b.ID, len(b.Alternatives))
	}
	if b.Agreed != nil && (*b.Agreed < 0 || *b.Agreed >= len(b.Alternatives)) {
		return plenary.Invalid("bracket", "bracket %s: agreed alternative %d does not exist", b.ID, *b.Agreed)
	}
	if (b.Status == BracketAdReferendum) != (b.Agreed != nil) {
		return plenary.Invalid("bracket", "bracket %s: an agreed alternative goes with status agreed_ad_referendum", b.ID)
	}
	for i, a := range b.Alternatives {
		if strings.ContainsAny(a.Text, "[]") {
			return plenary.Invalid("bracket", "bracket %s: alternative %d holds a square bracket; brackets do not nest", b.ID, i+1)
		}
	}
	return nil
}

// BracketRef locates a bracket in a draft, for the list of brackets.
type BracketRef struct {
	ProvisionID string   `json:"provision_id"`
	Label       string   `json:"label"`
	Whole       bool     `json:"whole"`
	Bracket     *Bracket `json:"bracket"`
}

// Brackets lists the brackets of a draft in text order.
func (d *Draft) Brackets() []BracketRef {
	var out []BracketRef
	for i := range d.Provisions {
		p := &d.Provisions[i]
		for _, pt := range p.Body {
			if pt.Bracket != nil {
				out = append(out, BracketRef{ProvisionID: p.ID, Label: p.Label, Whole: len(p.Body) == 1, Bracket: pt.Bracket})
			}
		}
	}
	return out
}

// OpenBrackets counts the brackets of a draft that are still open (not
// agreed ad referendum).
func (d *Draft) OpenBrackets() int {
	n := 0
	for i := range d.Provisions {
		for _, pt := range d.Provisions[i].Body {
			if pt.Bracket != nil && pt.Bracket.Status == BracketOpen {
				n++
			}
		}
	}
	return n
}

// FindBracket returns the bracket with the given id and the index of its
// provision, or nil and -1.
func (d *Draft) FindBracket(id string) (*Bracket, int) {
	for i := range d.Provisions {
		for _, pt := range d.Provisions[i].Body {
			if pt.Bracket != nil && pt.Bracket.ID == id {
				return pt.Bracket, i
			}
		}
	}
	return nil, -1
}

func appendUnique(list []string, items ...string) []string {
next:
	for _, it := range items {
		if it == "" {
			continue
		}
		for _, x := range list {
			if x == it {
				continue next
			}
		}
		list = append(list, it)
	}
	return list
}
