package export

import (
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/text"
)

// FinalActs are the final acts of a forum as the open-data exports read
// them: the adopted texts assembled for signature, who signed them, the
// declarations and reservations deposited, and the explanations of
// position and closing statements filed. It holds data only; the final
// acts aggregate fills it from its record.
type FinalActs struct {
	// Forum is the forum's title, ForumSlug its short name (it names the
	// work in the FRBR identification); ForumURL is optional.
	Forum, ForumSlug, ForumURL string
	// Number is the document number of the final acts ("WCIT-12/FA");
	// Title their title ("Final Acts of the World Conference on
	// International Telecommunications (Dubai, 2012)").
	Number, Title string
	// Language is the ISO 639-1 code of the text (English when empty).
	Language string
	// Version counts the assemblies of the text: 1, then 2 after a
	// corrigendum re-assembled it (1 when zero).
	Version int
	// Date is when the final acts were adopted (assembled).
	Date time.Time
	// OpenedAt and ClosedAt are when they were opened and closed for
	// signature; CutOff is the deadline for declarations and
	// reservations. Each is zero when not set.
	OpenedAt, ClosedAt, CutOff time.Time
	// TextHash is the hash of the current text, as the aggregate writes
	// it ("sha256:…"); a signature is current when it signed this hash.
	TextHash string
	// URL is the web page of the final acts, if known.
	URL string
	// Provisions are the provisions of the text, in order.
	Provisions []FinalProvision
	// Signatures holds one entry per eligible party, in the order they
	// are to be listed (State empty or SignatureNotYet for a party that
	// has neither signed nor declined).
	Signatures []Signature
	// Declarations are the declarations and reservations, by number.
	Declarations []Declaration
	// Statements are the explanations of position and closing
	// statements, in the order filed.
	Statements []Statement
}

// FinalProvision is one provision of the final acts, with its identity in
// the drafting history.
type FinalProvision struct {
	// Key identifies the provision in the final acts; its Akoma Ntoso eId
	// is built from it (see ProvisionEID), and declarations name
	// provisions by it.
	Key string
	// Instrument is the title of the adopted text it comes from
	// ("International Telecommunication Regulations", "Resolution
	// PLEN/3"); consecutive provisions of one instrument are grouped.
	Instrument string
	// DraftID, Revision and ProvisionID name the provision in the drafting
	// history: the draft, its adopted revision and the provision's id in
	// it ("p12").
	DraftID     string
	Revision    int
	ProvisionID string
	// Kind, Intro, Label and Text are as in package text: an article's
	// Text is its title, a paragraph's its text; Label is the number as
	// shown ("Article 3", "3.1", "a)").
	Kind  text.Kind
	Intro string
	Label string
	Text  string
}

// States of a party's signature.
const (
	SignatureSigned                = "signed"
	SignatureSubjectToRatification = "signed_subject_to_ratification"
	SignatureDeclined              = "declined"
	SignatureNotYet                = "not_yet"
)

// Kinds of declaration and of statement.
const (
	DeclarationKindDeclaration = "declaration"
	DeclarationKindReservation = "reservation"
	StatementKindExplanation   = "explanation"
	StatementKindClosing       = "closing"
)

// Signature is where one eligible party stands: signed (perhaps subject
// to ratification), declined or not yet.
type Signature struct {
	// PartyCode and PartyName name the party; ISO3 is its ISO 3166-1
	// alpha-3 code when it is a country; Region and Group its region and
	// stakeholder group, where the forum has them.
	PartyCode, PartyName, ISO3, Region, Group string
	// State is one of the Signature* constants (empty means not yet).
	State string
	// Signer is the person who signed or declined for the party, and
	// SignerRole their capacity ("Head of delegation").
	Signer, SignerRole string
	// At is when the party signed or declined (zero when not yet).
	At time.Time
	// TextHash is the hash of the text that was signed; Current says
	// whether it is the final acts' current text.
	TextHash string
	Current  bool
}

// state is the signature's state, SignatureNotYet when empty.
func (s *Signature) state() string {
	if s.State == "" {
		return SignatureNotYet
	}
	return s.State
}

func (s *Signature) signed() bool {
	return s.State == SignatureSigned || s.State == SignatureSubjectToRatification
}

func (s *Signature) name() string {
	if n := oneLine(s.PartyName); n != "" {
		return n
	}
	if c := oneLine(s.PartyCode); c != "" {
		return c
	}
	return "Unnamed party"
}

// PartyRef names a party: its code and its name.
type PartyRef struct{ Code, Name string }

func (p PartyRef) name() string {
	if n := oneLine(p.Name); n != "" {
		return n
	}
	return oneLine(p.Code)
}

// Declaration is a numbered declaration or reservation, deposited by one
// party or jointly by several.
type Declaration struct {
	// No is its number, in order of deposit (1, 2, …).
	No int
	// Kind is DeclarationKindDeclaration or DeclarationKindReservation.
	Kind string
	// Additional marks an additional declaration or reservation; Answers
	// are the numbers of the earlier ones it answers.
	Additional bool
	Answers    []int
	// Parties are the parties that deposited it.
	Parties []PartyRef
	// Provisions are the keys of the provisions it concerns (empty for
	// the final acts as a whole).
	Provisions []string
	// Text is its text; paragraphs are separated by blank lines.
	Text        string
	DepositedAt time.Time
}

// Statement is an explanation of position or a closing statement.
type Statement struct {
	// Kind is StatementKindExplanation or StatementKindClosing.
	Kind string
	// Party is the party it was filed for, if any; Author names whoever
	// made it otherwise (a coalition, a stakeholder group's caucus), or
	// the person who spoke for the party.
	Party  PartyRef
	Author string
	// Subject is what it was filed against: a decision, an adopted text,
	// "the forum as a whole".
	Subject string
	Text    string
	At      time.Time
}

func (s *Statement) kind() string {
	if s.Kind == "" {
		return StatementKindExplanation
	}
	return s.Kind
}

// provisionIDs gives each provision a unique id for its eId, built from its
// key: keys that idSafe maps to the same id get a suffix.
func provisionIDs(provs []FinalProvision) []string {
	ids := make([]string, len(provs))
	seen := map[string]bool{}
	for i, p := range provs {
		base := idSafe(p.Key)
		if p.Key == "" {
			base = "prov" + itoa(i+1)
		}
		id := base
		for n := 2; seen[id]; n++ {
			id = base + "_" + itoa(n)
		}
		seen[id] = true
		ids[i] = id
	}
	return ids
}

// provisionEID is the eId writeProvisions gives a provision of the kind
// with the id.
func provisionEID(kind text.Kind, id string) string {
	switch kind {
	case text.KindArticle:
		return "art_" + id
	case text.KindHeading:
		return "hcontainer_" + id
	}
	return "para_" + id
}

// ProvisionEID returns the eId that FinalActsAkomaNtoso gives each
// provision of fa, by key: pages can link to the same anchors.
func ProvisionEID(fa FinalActs) map[string]string {
	ids := provisionIDs(fa.Provisions)
	out := make(map[string]string, len(ids))
	for i, p := range fa.Provisions {
		if _, ok := out[p.Key]; !ok {
			out[p.Key] = provisionEID(p.Kind, ids[i])
		}
	}
	return out
}

// provisionName names a provision as declarations list it: "Article 5A
// (International Telecommunication Regulations)"; the key itself when fa
// has no such provision.
func provisionName(fa *FinalActs, key string) string {
	for i := range fa.Provisions {
		p := &fa.Provisions[i]
		if p.Key != key {
			continue
		}
		tp := text.Provision{Kind: p.Kind, Label: p.Label}
		name := oneLine(tp.DisplayLabel())
		if (p.Kind == text.KindOperative || p.Kind == text.KindPreamble) && name != "" {
			name = joinNonEmpty(" ", oneLine(p.Intro), name)
		}
		switch {
		case p.Kind == text.KindHeading || name == "":
			name = shorten(joinNonEmpty(" ", p.Intro, p.Text), 8)
		case p.Kind == text.KindArticle && p.Text != "":
			name += " – " + oneLine(p.Text)
		}
		if name == "" {
			name = key
		}
		if in := oneLine(p.Instrument); in != "" {
			name += " (" + in + ")"
		}
		return name
	}
	return key
}

func (fa *FinalActs) version() int {
	if fa.Version < 1 {
		return 1
	}
	return fa.Version
}

// shorten keeps the first n words of s, with an ellipsis if it cut.
func shorten(s string, n int) string {
	w := strings.Fields(s)
	if len(w) <= n {
		return strings.Join(w, " ")
	}
	return strings.Join(w[:n], " ") + " …"
}
