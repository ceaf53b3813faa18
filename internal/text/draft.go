package text

import (
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
)

// Kind is the kind of a provision.
type Kind string

// The kinds of provision.
const (
	KindHeading   Kind = "heading"   // a heading or title inside the text; Body is its text
	KindPreamble  Kind = "preamble"  // a preamble clause (considering, recognizing...)
	KindOperative Kind = "operative" // an operative clause (is of the view, invites, resolves...)
	KindArticle   Kind = "article"   // a treaty article heading ("Article 3"); Body is its title
	KindParagraph Kind = "paragraph" // a numbered provision of a treaty ("3.1") or any other paragraph
)

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindHeading, KindPreamble, KindOperative, KindArticle, KindParagraph:
		return true
	}
	return false
}

// Draft is one revision of a draft text: an ordered list of provisions.
//
// Provision ids are "p1", "p2"... and bracket ids "b1", "b2"..., taken from
// the counters NextProvision and NextBracket, which only grow and are carried
// from revision to revision: an id is never reused, even after its provision
// is deleted. Functions of this package never modify a Draft they are given;
// those that make a new one return a copy.
type Draft struct {
	Title         string      `json:"title"`
	Revision      int         `json:"revision"`
	NextProvision int         `json:"next_provision"`
	NextBracket   int         `json:"next_bracket"`
	Provisions    []Provision `json:"provisions"`
}

// Provision is one clause, article, paragraph or heading of a draft.
//
// Label is the display number ("a)", "1", "Article 3", "3.1"). When
// LabelFixed is false the label is computed by Renumber from the provision's
// place (see Renumber); when true it was given by hand and is kept.
// Body is the text as segments of plain text and brackets. Sources is the
// drafting log of the provision: every proposal, compromise or cleared
// bracket that shaped it, oldest first.
type Provision struct {
	ID         string   `json:"id"`
	Kind       Kind     `json:"kind"`
	Level      int      `json:"level,omitempty"`
	Intro      string   `json:"intro,omitempty"`
	Label      string   `json:"label,omitempty"`
	LabelFixed bool     `json:"label_fixed,omitempty"`
	Body       []Part   `json:"body"`
	Sources    []Source `json:"sources,omitempty"`
}

// Part is one segment of a provision body: plain text, or a bracket.
// Exactly one of Text and Bracket is set.
type Part struct {
	Text    string   `json:"text,omitempty"`
	Bracket *Bracket `json:"bracket,omitempty"`
}

// SourceKind says how a proposal or decision shaped a provision.
type SourceKind string

// The kinds of source in a provision's drafting log.
const (
	SourceAccepted       SourceKind = "accepted"         // a proposal accepted as submitted
	SourceModified       SourceKind = "modified"         // a proposal accepted with the editor's rewording
	SourceMerged         SourceKind = "merged"           // a proposal merged into one that was accepted
	SourceCompromise     SourceKind = "compromise"       // compromise text written by the editor
	SourceBracketed      SourceKind = "bracketed"        // colliding proposals turned into a bracket
	SourceBracketCleared SourceKind = "bracket_cleared"  // a bracket cleared
	SourceAdReferendum   SourceKind = "ad_referendum"    // a bracket agreed ad referendum
	SourcePreview        SourceKind = "pending_proposal" // consolidated preview only: a pending proposal applied
)

// Source is one entry of a provision's drafting log: the revision it made,
// how, and from which proposal (amendment id, ITU-style label), contribution
// (document id) and bracket.
type Source struct {
	Revision     int        `json:"revision"`
	Kind         SourceKind `json:"kind"`
	AmendmentID  string     `json:"amendment_id,omitempty"`
	Label        string     `json:"label,omitempty"`
	Contribution string     `json:"contribution_id,omitempty"`
	BracketID    string     `json:"bracket_id,omitempty"`
	Note         string     `json:"note,omitempty"`
}

// NewDraft returns an empty draft at revision 0.
func NewDraft(title string) *Draft {
	return &Draft{Title: title, NextProvision: 1, NextBracket: 1}
}

// TextPart returns a body of one plain text segment (nil for "").
func TextPart(s string) []Part {
	if s == "" {
		return nil
	}
	return []Part{{Text: s}}
}

// newProvisionID takes the next provision id from the counter.
func (d *Draft) newProvisionID() string {
	if d.NextProvision < 1 {
		d.NextProvision = 1
	}
	id := "p" + strconv.Itoa(d.NextProvision)
	d.NextProvision++
	return id
}

// newBracketID takes the next bracket id from the counter.
func (d *Draft) newBracketID() string {
	if d.NextBracket < 1 {
		d.NextBracket = 1
	}
	id := "b" + strconv.Itoa(d.NextBracket)
	d.NextBracket++
	return id
}

// Append adds a provision at the end of the draft with a new id, renumbers,
// and returns the id. Use it to build a draft by hand; p.ID is ignored.
func (d *Draft) Append(p Provision) string {
	p.ID = d.newProvisionID()
	p.Body = normalizeBody(p.Body)
	for i := range p.Body {
		if b := p.Body[i].Bracket; b != nil && b.ID == "" {
			b.ID = d.newBracketID()
		}
	}
	d.Provisions = append(d.Provisions, p)
	d.Renumber()
	return p.ID
}

// AppendImported adds provisions read from a text (package parse) at the
// end of the draft, each with a new id, as Append does, and renumbers. A
// label the importer found written in the text comes with LabelFixed set;
// it stays fixed only where the automatic scheme (Renumber) would give
// another label, so that a label the scheme produces anyway is renumbered
// after later additions and deletions.
func (d *Draft) AppendImported(ps []Provision) {
	start := len(d.Provisions)
	for _, p := range ps {
		p.ID = d.newProvisionID()
		p.Body = normalizeBody(p.Body)
		for i := range p.Body {
			if b := p.Body[i].Bracket; b != nil && b.ID == "" {
				b.ID = d.newBracketID()
			}
		}
		d.Provisions = append(d.Provisions, p)
	}
	var n numberer
	for i := range d.Provisions {
		p := &d.Provisions[i]
		auto := n.next(p)
		if !p.LabelFixed || (i >= start && p.Label == auto) {
			p.Label, p.LabelFixed = auto, false
		}
		n.commit(p)
	}
}

// Index returns the position of the provision with the given id, or -1.
func (d *Draft) Index(id string) int {
	for i := range d.Provisions {
		if d.Provisions[i].ID == id {
			return i
		}
	}
	return -1
}

// Provision returns the provision with the given id.
func (d *Draft) Provision(id string) (*Provision, bool) {
	if i := d.Index(id); i >= 0 {
		return &d.Provisions[i], true
	}
	return nil, false
}

func (d *Draft) index() map[string]int {
	m := make(map[string]int, len(d.Provisions))
	for i := range d.Provisions {
		m[d.Provisions[i].ID] = i
	}
	return m
}

// Clone returns a deep copy of d.
func (d *Draft) Clone() *Draft {
	c := *d
	c.Provisions = make([]Provision, len(d.Provisions))
	for i := range d.Provisions {
		c.Provisions[i] = d.Provisions[i].Clone()
	}
	return &c
}

// Clone returns a deep copy of p.
func (p Provision) Clone() Provision {
	p.Body = cloneBody(p.Body)
	p.Sources = append([]Source(nil), p.Sources...)
	return p
}

func cloneBody(body []Part) []Part {
	if body == nil {
		return nil
	}
	out := make([]Part, len(body))
	for i, pt := range body {
		out[i] = pt
		if pt.Bracket != nil {
			out[i].Bracket = pt.Bracket.Clone()
		}
	}
	return out
}

// Text returns the provision body as plain text, brackets written as
// "[alternative 1 / alternative 2]". It is the text a MOD proposal edits.
func (p *Provision) Text() string { return bodyText(p.Body) }

func bodyText(body []Part) string {
	if len(body) == 1 && body[0].Bracket == nil {
		return body[0].Text
	}
	var sb strings.Builder
	for _, pt := range body {
		if pt.Bracket != nil {
			sb.WriteString(pt.Bracket.Plain())
		} else {
			sb.WriteString(pt.Text)
		}
	}
	return sb.String()
}

// WholeBracket returns the bracket that makes up the whole body, when the
// provision as a whole is in brackets; nil otherwise.
func (p *Provision) WholeBracket() *Bracket {
	if len(p.Body) == 1 && p.Body[0].Bracket != nil {
		return p.Body[0].Bracket
	}
	return nil
}

// normalizeBody merges adjacent text parts and drops empty ones.
func normalizeBody(body []Part) []Part {
	out := body[:0:0]
	for _, pt := range body {
		if pt.Bracket == nil {
			if pt.Text == "" {
				continue
			}
			if n := len(out); n > 0 && out[n-1].Bracket == nil {
				out[n-1].Text += pt.Text
				continue
			}
		}
		out = append(out, pt)
	}
	return out
}

// Validate checks a draft's integrity, for drafts read back from storage:
// kinds, unique ids below the counters, non-empty bodies where needed, and
// brackets with unique ids and at least two alternatives.
func (d *Draft) Validate() error {
	seen := make(map[string]bool, len(d.Provisions))
	brackets := make(map[string]bool)
	for i := range d.Provisions {
		p := &d.Provisions[i]
		field := "provisions[" + strconv.Itoa(i) + "]"
		if !p.Kind.Valid() {
			return plenary.Invalid(field+".kind", "unknown kind %q", p.Kind)
		}
		n, ok := idNumber(p.ID, 'p')
		if !ok {
			return plenary.Invalid(field+".id", "provision id %q is not of the form p<number>", p.ID)
		}
		if n >= d.NextProvision {
			return plenary.Invalid(field+".id", "provision id %q is not below the counter %d", p.ID, d.NextProvision)
		}
		if seen[p.ID] {
			return plenary.Invalid(field+".id", "provision id %q is used twice", p.ID)
		}
		seen[p.ID] = true
		if len(p.Body) == 0 && p.Kind != KindArticle {
			return plenary.Invalid(field+".body", "provision %s has no text", p.ID)
		}
		for _, pt := range p.Body {
			if (pt.Bracket == nil) == (pt.Text == "") {
				return plenary.Invalid(field+".body", "provision %s: each part holds either text or a bracket", p.ID)
			}
			b := pt.Bracket
			if b == nil {
				continue
			}
			n, ok := idNumber(b.ID, 'b')
			if !ok || n >= d.NextBracket {
				return plenary.Invalid(field+".body", "bracket id %q is not of the form b<number> below the counter %d", b.ID, d.NextBracket)
			}
			if brackets[b.ID] {
				return plenary.Invalid(field+".body", "bracket id %q is used twice", b.ID)
			}
			brackets[b.ID] = true
			if err := b.validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

func idNumber(id string, prefix byte) (int, bool) {
	if len(id) < 2 || id[0] != prefix {
		return 0, false
	}
	n, err := strconv.Atoi(id[1:])
	if err != nil || n < 1 || strconv.Itoa(n) != id[1:] {
		return 0, false
	}
	return n, true
}
