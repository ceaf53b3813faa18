package finalacts

import "time"

// State is a party's signature state.
type State string

// The signature states; a party without a signature is NotYet.
const (
	Signed                      State = "signed"
	SignedSubjectToRatification State = "signed_subject_to_ratification"
	Declined                    State = "declined"
	NotYet                      State = "not_yet"
)

// Valid reports whether st is a state a signature may record (not NotYet).
func (st State) Valid() bool {
	return st == Signed || st == SignedSubjectToRatification || st == Declined
}

// IsSigned reports whether st is one of the two signed states.
func (st State) IsSigned() bool { return st == Signed || st == SignedSubjectToRatification }

// Label is the state in words.
func (st State) Label() string {
	switch st {
	case Signed:
		return "Signed"
	case SignedSubjectToRatification:
		return "Signed subject to ratification"
	case Declined:
		return "Declined to sign"
	}
	return "Not yet signed"
}

// DeclarationKind is a declaration or a reservation.
type DeclarationKind string

// The kinds of declarations.
const (
	KindDeclaration DeclarationKind = "declaration" // states an interpretation
	KindReservation DeclarationKind = "reservation" // limits consent to be bound
)

// Label is the kind in words.
func (k DeclarationKind) Label() string {
	if k == KindReservation {
		return "Reservation"
	}
	return "Declaration"
}

// StatementKind is an explanation of position or a closing statement.
type StatementKind string

// The kinds of statements.
const (
	Explanation      StatementKind = "explanation"
	ClosingStatement StatementKind = "closing"
)

// Label is the kind in words.
func (k StatementKind) Label() string {
	if k == ClosingStatement {
		return "Closing statement"
	}
	return "Explanation of position"
}

// The targets of a statement.
const (
	OnDecision = "decision" // a decision (Target.ID: its id)
	OnDocument = "document" // an adopted text or the final acts (Target.ID: the document's id or number)
	OnForum    = "forum"    // the forum as a whole
)

// TextInput is an adopted draft text to include: the draft text's id and
// its adopted revision (0: the one adopted).
type TextInput struct {
	Draft    string `json:"draft"`
	Revision int    `json:"revision,omitempty"`
}

// AssembleInput assembles final acts: the title, the adopted texts in
// order, the document's visibility ("" is the forum's default) and a note
// for the record.
type AssembleInput struct {
	Title      string      `json:"title"`
	Texts      []TextInput `json:"texts"`
	Visibility string      `json:"visibility,omitempty"`
	Note       string      `json:"note,omitempty"`
}

// ReviseInput assembles the final acts again: Kind is rev (the default) or
// corr (a corrigendum), the version of the document that carries the new
// text; the note says what changed and is required. An empty Title keeps
// the title; empty Texts keep the texts included (as now adopted).
type ReviseInput struct {
	Title string      `json:"title,omitempty"`
	Texts []TextInput `json:"texts,omitempty"`
	Kind  string      `json:"kind,omitempty"`
	Note  string      `json:"note"`
}

// TimeInput is a time the secretariat states; nil is now.
type TimeInput struct {
	At *time.Time `json:"at,omitempty"`
}

// SignerInput names a delegate to sign for a party: the party (id or
// code; "" is the head's own) and the delegate's registration. Basis is
// head (the head of delegation names the delegate; the default when the
// head names) or credentials (the credentials name the delegate: entered
// by the secretariat).
type SignerInput struct {
	Party        string `json:"party,omitempty"`
	Registration string `json:"registration"`
	Basis        string `json:"basis,omitempty"`
}

// SignInput is a party's signature: the party (id or code; "" is the
// signer's own), the state, and the hash of the text the signer saw.
type SignInput struct {
	Party string `json:"party,omitempty"`
	State State  `json:"state"`
	Hash  string `json:"hash"`
	Note  string `json:"note,omitempty"`
}

// DepositInput deposits a declaration or reservation: its kind, whether it
// is additional (answering earlier ones, whose numbers are References),
// the parties it is deposited for (ids or codes; empty: the depositor's
// own), the provisions it concerns (their keys; empty: the final acts as a
// whole) and its text.
type DepositInput struct {
	Kind       DeclarationKind `json:"kind"`
	Additional bool            `json:"additional,omitempty"`
	References []int           `json:"references,omitempty"`
	Parties    []string        `json:"parties,omitempty"`
	Provisions []string        `json:"provisions,omitempty"`
	Text       string          `json:"text"`
}

// TargetInput names what a statement is kept with.
type TargetInput struct {
	Kind string `json:"kind"` // decision, document or forum
	ID   string `json:"id,omitempty"`
}

// StatementInput files an explanation of position or a closing statement:
// for a party (id or code; "" is the filer's own, or none when Author is
// given by the secretariat), or by a named group or coalition (Author).
type StatementInput struct {
	Kind   StatementKind `json:"kind"`
	Target TargetInput   `json:"target"`
	Party  string        `json:"party,omitempty"`
	Author string        `json:"author,omitempty"`
	Text   string        `json:"text"`
}

// PartyRef names a party in the final acts' reads: ISO3 is its ISO
// 3166-1 alpha-3 code when it is a country.
type PartyRef struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	ISO3 string `json:"iso3,omitempty"`
}

// Provision is one provision of the final acts with its identity in the
// drafting history, and beside it the declarations and reservations tied
// to it (in a read of the final acts).
type Provision struct {
	Key           string `json:"key"` // draft id ":" provision id
	DraftID       string `json:"draft_id"`
	DraftNumber   string `json:"draft_number"`
	DraftRevision int    `json:"draft_revision"`
	// Instrument is the title of the adopted text it comes from.
	Instrument  string `json:"instrument"`
	ProvisionID string `json:"provision_id"`
	// Kind and Intro are as in package text (a clause's intro: "recognizing").
	Kind         string           `json:"kind"`
	Intro        string           `json:"intro,omitempty"`
	Label        string           `json:"label"`
	Name         string           `json:"name"`
	Text         string           `json:"text"`
	Declarations []DeclarationRef `json:"declarations,omitempty"`
}

// TextVersion is one text of the final acts: the first or a revision.
type TextVersion struct {
	Revision     int       `json:"revision"`
	Hash         string    `json:"hash"`
	Title        string    `json:"title"`
	Note         string    `json:"note,omitempty"`
	VersionLabel string    `json:"version_label"`
	Seq          int64     `json:"seq"`
	At           time.Time `json:"at"`
	Current      bool      `json:"current"`
}

// FinalActs is final acts as a reader sees them. Provisions are those of
// the current text, each with the declarations tied to it; General are
// the declarations on the final acts as a whole; Unplaced those tied only
// to provisions no longer in the text.
type FinalActs struct {
	ID         string        `json:"id"` // its document's id
	Number     string        `json:"number"`
	Title      string        `json:"title"`
	Visibility string        `json:"visibility"`
	Revision   int           `json:"revision"`
	Hash       string        `json:"hash"`
	Texts      []TextVersion `json:"texts"`
	OpensAt    *time.Time    `json:"opens_at,omitempty"`
	ClosesAt   *time.Time    `json:"closes_at,omitempty"`
	CutoffAt   *time.Time    `json:"cutoff_at,omitempty"`
	// Open says whether signatures are taken now; Status says where the
	// signature stands in a sentence.
	Open       bool             `json:"open"`
	Status     string           `json:"status"`
	Provisions []Provision      `json:"provisions,omitempty"`
	General    []DeclarationRef `json:"general,omitempty"`
	Unplaced   []DeclarationRef `json:"unplaced,omitempty"`
	CreatedAt  time.Time        `json:"created_at"`
}

// Signer is a delegate named to sign for a party.
type Signer struct {
	Party          PartyRef  `json:"party"`
	RegistrationID string    `json:"registration_id"`
	Name           string    `json:"name"`
	Basis          string    `json:"basis"`
	Seq            int64     `json:"seq"`
	At             time.Time `json:"at"`
}

// Signature is one signature act of a party: who signed (the account and
// the registration), when, the state and the exact text (hash and
// revision). Current says whether that text is the final acts' current
// one; a signature on a superseded text reads as such.
type Signature struct {
	Party          PartyRef  `json:"party"`
	N              int       `json:"n"`
	State          State     `json:"state"`
	StateLabel     string    `json:"state_label"`
	Hash           string    `json:"hash"`
	Revision       int       `json:"revision"`
	Current        bool      `json:"current"`
	UserID         string    `json:"user_id"`
	RegistrationID string    `json:"registration_id"`
	Signer         string    `json:"signer"`
	Capacity       string    `json:"capacity"`
	Note           string    `json:"note,omitempty"`
	Seq            int64     `json:"seq"`
	At             time.Time `json:"at"`
}

// DeclarationRef is a declaration as it is shown beside a provision.
type DeclarationRef struct {
	Number     int             `json:"number"`
	Kind       DeclarationKind `json:"kind"`
	Additional bool            `json:"additional,omitempty"`
	Parties    []PartyRef      `json:"parties"`
}

// Declaration is a numbered declaration or reservation, in the ITU layout:
// number, parties, provisions, kind, the numbers it answers, the text.
type Declaration struct {
	ID         string          `json:"id"`
	Number     int             `json:"number"`
	Kind       DeclarationKind `json:"kind"`
	KindLabel  string          `json:"kind_label"`
	Additional bool            `json:"additional,omitempty"`
	Parties    []PartyRef      `json:"parties"`
	// Provisions are the keys of the provisions it concerns, with their
	// names as the current text shows them (ProvisionNames, same order;
	// a key no longer in the text is named by its key).
	Provisions     []string  `json:"provisions"`
	ProvisionNames []string  `json:"provision_names"`
	References     []int     `json:"references,omitempty"`
	Text           string    `json:"text"`
	Revision       int       `json:"revision"`
	DepositedBy    string    `json:"deposited_by"`
	Capacity       string    `json:"capacity"`
	Seq            int64     `json:"seq"`
	At             time.Time `json:"at"`
}

// Statement is an explanation of position or a closing statement.
type Statement struct {
	ID          string        `json:"id"`
	Kind        StatementKind `json:"kind"`
	KindLabel   string        `json:"kind_label"`
	TargetKind  string        `json:"target_kind"`
	TargetID    string        `json:"target_id,omitempty"`
	TargetLabel string        `json:"target_label,omitempty"`
	Party       *PartyRef     `json:"party,omitempty"`
	Author      string        `json:"author,omitempty"`
	Text        string        `json:"text"`
	Visibility  string        `json:"visibility"`
	FiledBy     string        `json:"filed_by"`
	Capacity    string        `json:"capacity"`
	Seq         int64         `json:"seq"`
	At          time.Time     `json:"at"`
}

// PartyState is a party's place in the tally: for the map and the
// signatures list. ISO3 is set for a country.
type PartyState struct {
	Party      PartyRef `json:"party"`
	Region     string   `json:"region,omitempty"`
	Group      string   `json:"group"`
	GroupName  string   `json:"group_name"`
	Eligible   bool     `json:"eligible"`
	State      State    `json:"state"`
	StateLabel string   `json:"state_label"`
	// Superseded: its signature was made on a text since revised.
	Superseded bool `json:"superseded,omitempty"`
	// Declarations are the numbers of the declarations it is party to.
	Declarations []int `json:"declarations,omitempty"`
}

// Count is a tally of eligible parties by state.
type Count struct {
	Eligible int `json:"eligible"`
	// Signed counts both signed states; SubjectToRatification those signed
	// subject to ratification; Superseded those signed on a superseded text.
	Signed                int `json:"signed"`
	SubjectToRatification int `json:"subject_to_ratification"`
	Superseded            int `json:"superseded"`
	Declined              int `json:"declined"`
	NotYet                int `json:"not_yet"`
}

// GroupCount is a count for a region or a stakeholder group.
type GroupCount struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count
}

// Tally is the state of signature of final acts: the counts over the
// eligible parties, by region and by stakeholder group, and every
// eligible party (and every party with a signature) with its state.
type Tally struct {
	FinalActs string       `json:"final_acts"`
	Hash      string       `json:"hash"`
	Total     Count        `json:"total"`
	ByRegion  []GroupCount `json:"by_region"`
	ByGroup   []GroupCount `json:"by_group"`
	Parties   []PartyState `json:"parties"`
	// NotEligibleSigned counts signatures of parties not eligible now.
	NotEligibleSigned int `json:"not_eligible_signed,omitempty"`
}
