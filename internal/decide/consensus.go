package decide

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
)

// Call is a consensus call as the chair opens it: "Is there any
// objection?" on a subject. Without Silence it stays open until the chair
// closes it with a finding; with Silence it is a written silence procedure
// that runs until Until (Unix ms): the text is adopted unless someone
// objects by then, and the first objection breaks the silence.
type Call struct {
	ID      string  `json:"id"`
	Subject Subject `json:"subject"`
	Silence bool    `json:"silence,omitempty"`
	Until   int64   `json:"until,omitempty"` // silence procedure: the end of the window, Unix ms
}

// Validate checks a call opened at the time at; the error names the field.
func (c Call) Validate(at int64) error {
	if err := need("id", c.ID, "a consensus call needs an id"); err != nil {
		return err
	}
	if err := c.Subject.Validate(); err != nil {
		return err
	}
	if c.Silence && c.Until <= at {
		return plenary.Invalid("until", "a silence procedure needs a time after its opening until which objections are received")
	}
	if !c.Silence && c.Until != 0 {
		return plenary.Invalid("until", "only a silence procedure has an end; a call in the room stays open until the chair closes it")
	}
	return nil
}

// Objection is one formal objection to consensus: the party objecting, the
// person who raised it (By), the reason, and optionally the provisions it
// is about. Right is the rights matrix's answer for the party's right to
// object to consensus, as the caller states it.
type Objection struct {
	ID          string   `json:"id"`
	Party       Party    `json:"party"`
	By          string   `json:"by,omitempty"`
	Reason      string   `json:"reason"`
	Provisions  []string `json:"provisions,omitempty"`
	Right       Right    `json:"right"`
	At          int64    `json:"at,omitempty"`           // filled from the event
	WithdrawnAt int64    `json:"withdrawn_at,omitempty"` // 0 while it stands
}

// Standing reports whether the objection has not been withdrawn.
func (o Objection) Standing() bool { return o.WithdrawnAt == 0 }

// Answer is how the chair addressed one objection, for a finding of
// adoption with objections addressed (IETF rough consensus: addressed, not
// necessarily accommodated).
type Answer struct {
	Objection string `json:"objection"`
	Text      string `json:"text"`
}

// Explanation is an explanation of position a party files after adoption.
// It stays with the text.
type Explanation struct {
	Party Party  `json:"party"`
	By    string `json:"by,omitempty"`
	Text  string `json:"text"`
	At    int64  `json:"at,omitempty"` // filled from the event
}

// Finding is the chair's finding closing a consensus call.
type Finding string

// The findings.
const (
	FoundAdopted    Finding = "adopted"                      // no objection stands
	FoundAddressed  Finding = "adopted_objections_addressed" // every standing objection answered
	FoundNotAdopted Finding = "not_adopted"                  // no consensus
)

// Findings lists the findings in a stable order.
func Findings() []Finding { return []Finding{FoundAdopted, FoundAddressed, FoundNotAdopted} }

// Valid reports whether f is a defined finding.
func (f Finding) Valid() bool { return slices.Contains(Findings(), f) }

// Label is the finding in words.
func (f Finding) Label() string {
	switch f {
	case FoundAdopted:
		return "Adopted by consensus"
	case FoundAddressed:
		return "Adopted by consensus, objections addressed"
	case FoundNotAdopted:
		return "Not adopted: no consensus"
	}
	return string(f)
}

// Outcome is the outcome a finding gives.
func (f Finding) Outcome() Outcome {
	switch f {
	case FoundAdopted, FoundAddressed:
		return Adopted
	case FoundNotAdopted:
		return NotAdopted
	}
	return Pending
}

// ConsensusEventType names an event of a consensus call.
type ConsensusEventType string

// The events of a consensus call.
const (
	CallOpened         ConsensusEventType = "opened"              // the chair opens the call
	ObjectionRaised    ConsensusEventType = "objected"            // a party objects
	ObjectionWithdrawn ConsensusEventType = "objection_withdrawn" // the party withdraws its objection
	CallClosed         ConsensusEventType = "closed"              // the chair's finding
	SilenceKept        ConsensusEventType = "silence_kept"        // a silence procedure ended without objection: adopted
	PositionExplained  ConsensusEventType = "explained"           // an explanation of position after adoption
)

// ConsensusEvent is one event of a consensus call, as the record keeps it.
type ConsensusEvent struct {
	Type        ConsensusEventType `json:"type"`
	At          int64              `json:"at"`                    // Unix ms, server clock
	Call        *Call              `json:"call,omitempty"`        // opened
	Objection   *Objection         `json:"objection,omitempty"`   // objected
	ID          string             `json:"id,omitempty"`          // objection_withdrawn: the objection
	Party       string             `json:"party,omitempty"`       // objection_withdrawn: the withdrawing party's code
	Finding     Finding            `json:"finding,omitempty"`     // closed
	Answers     []Answer           `json:"answers,omitempty"`     // closed, with objections addressed
	Note        string             `json:"note,omitempty"`        // closed: the chair's words, optional
	Explanation *Explanation       `json:"explanation,omitempty"` // explained
}

// Consensus is the fold of one consensus call's events. Use [NewConsensus]
// or [ReplayConsensus].
type Consensus struct {
	call         Call
	opened       bool
	objections   []*Objection
	broken       *Objection // the objection that broke a silence procedure
	finding      Finding
	answers      []Answer
	note         string
	closedAt     int64
	silenceKept  bool
	explanations []Explanation
	last         int64
	format       func(ms int64) string
}

// NewConsensus returns a call not yet opened.
func NewConsensus() *Consensus { return &Consensus{} }

// ReplayConsensus folds events into a new call. On error it returns the
// call before the failing event and the error, naming the event's index.
func ReplayConsensus(events []ConsensusEvent) (*Consensus, error) {
	c := NewConsensus()
	for i, e := range events {
		if err := c.Apply(e); err != nil {
			return c, replayError(i, string(e.Type), err)
		}
	}
	return c, nil
}

// SetTimeFormat sets how times are written in sentences; by default
// "14 May 2013 18:00 UTC".
func (c *Consensus) SetTimeFormat(f func(ms int64) string) { c.format = f }

func (c *Consensus) clock(ms int64) string {
	if c.format != nil {
		return c.format(ms)
	}
	return DefaultTime(ms)
}

// DefaultTime writes a time of the record in UTC: "14 May 2013 18:00 UTC".
func DefaultTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2 January 2006 15:04 UTC")
}

// Call is the call as opened.
func (c *Consensus) Call() Call { v := c.call; v.Subject = v.Subject.clone(); return v }

// Opened reports whether the call was opened.
func (c *Consensus) Opened() bool { return c.opened }

// Closed reports whether the call has its finding.
func (c *Consensus) Closed() bool { return c.finding != "" }

// Finding is the chair's finding; "" while open.
func (c *Consensus) Finding() Finding { return c.finding }

// Outcome is the call's outcome: pending while open.
func (c *Consensus) Outcome() Outcome {
	if c.finding == "" {
		return Pending
	}
	return c.finding.Outcome()
}

// Objections lists every objection in the order raised, withdrawn ones too.
func (c *Consensus) Objections() []Objection {
	out := make([]Objection, len(c.objections))
	for i, o := range c.objections {
		out[i] = cloneObjection(*o)
	}
	return out
}

// Standing lists the objections not withdrawn, in the order raised.
func (c *Consensus) Standing() []Objection {
	var out []Objection
	for _, o := range c.objections {
		if o.Standing() {
			out = append(out, cloneObjection(*o))
		}
	}
	return out
}

// SilenceBroken returns the objection that broke a silence procedure.
func (c *Consensus) SilenceBroken() (Objection, bool) {
	if c.broken == nil {
		return Objection{}, false
	}
	return cloneObjection(*c.broken), true
}

// Answers are the chair's answers to the objections, for a finding of
// adoption with objections addressed.
func (c *Consensus) Answers() []Answer { return slices.Clone(c.answers) }

// Explanations lists the explanations of position, in the order filed.
func (c *Consensus) Explanations() []Explanation { return slices.Clone(c.explanations) }

func cloneObjection(o Objection) Objection {
	o.Provisions = slices.Clone(o.Provisions)
	return o
}

// Apply validates e against the call and applies it. On error the call is
// unchanged and the error, a *plenary.Error, names the rule broken.
func (c *Consensus) Apply(e ConsensusEvent) error {
	if err := checkAt(e.At, c.last); err != nil {
		return err
	}
	if e.Type != CallOpened && !c.opened {
		return plenary.Conflict("the consensus call has not been opened")
	}
	var err error
	switch e.Type {
	case CallOpened:
		err = c.open(e)
	case ObjectionRaised:
		err = c.object(e)
	case ObjectionWithdrawn:
		err = c.withdraw(e)
	case CallClosed:
		err = c.close(e)
	case SilenceKept:
		err = c.keep(e)
	case PositionExplained:
		err = c.explain(e)
	default:
		err = plenary.Invalid("type", "there is no consensus call event %q", e.Type)
	}
	if err != nil {
		return err
	}
	c.last = e.At
	return nil
}

func (c *Consensus) open(e ConsensusEvent) error {
	if c.opened {
		return plenary.Conflict("the consensus call is already open")
	}
	if e.Call == nil {
		return plenary.Invalid("call", "opening a consensus call needs the call")
	}
	if err := e.Call.Validate(e.At); err != nil {
		return err
	}
	c.call = *e.Call
	c.call.Subject = c.call.Subject.clone()
	c.opened = true
	return nil
}

func (c *Consensus) closedError() error {
	return plenary.Conflict("the consensus call is closed: %s", strings.ToLower(c.finding.Label()[:1])+c.finding.Label()[1:])
}

func (c *Consensus) object(e ConsensusEvent) error {
	if c.Closed() {
		return c.closedError()
	}
	o := e.Objection
	if o == nil {
		return plenary.Invalid("objection", "an objection event needs the objection")
	}
	if c.call.Silence && e.At >= c.call.Until {
		return plenary.Conflict("the silence procedure ended at %s: objections are no longer received", c.clock(c.call.Until))
	}
	if err := need("objection.id", o.ID, "an objection needs an id"); err != nil {
		return err
	}
	if err := need("objection.party", o.Party.Code, "say which party objects"); err != nil {
		return err
	}
	for _, x := range c.objections {
		if x.ID == o.ID {
			return plenary.Conflict("there is already an objection %s", o.ID)
		}
	}
	if !o.Right.Holds {
		if o.Right.Rule != "" {
			return plenary.Forbidden("%s", o.Right.Rule)
		}
		return plenary.Forbidden("%s may not object to consensus: the rules of participation do not give it that right", o.Party)
	}
	if err := need("objection.reason", o.Reason, "an objection states its reason"); err != nil {
		return err
	}
	if err := checkText("objection.reason", o.Reason, true); err != nil {
		return err
	}
	if err := checkText("objection.by", o.By, false); err != nil {
		return err
	}
	if err := checkList("objection.provisions", o.Provisions); err != nil {
		return err
	}
	if c.call.Subject.Kind == OnProvisions {
		for i, p := range o.Provisions {
			if !slices.Contains(c.call.Subject.Provisions, p) {
				return plenary.Invalid(fmt.Sprintf("objection.provisions[%d]", i), "provision %s is not among those the call is on (%s)", p, strings.Join(c.call.Subject.Provisions, ", "))
			}
		}
	}
	obj := cloneObjection(*o)
	obj.At, obj.WithdrawnAt = e.At, 0
	c.objections = append(c.objections, &obj)
	if c.call.Silence && c.broken == nil {
		c.broken = &obj
	}
	return nil
}

func (c *Consensus) withdraw(e ConsensusEvent) error {
	if c.Closed() {
		return c.closedError()
	}
	for _, o := range c.objections {
		if o.ID != e.ID {
			continue
		}
		if !o.Standing() {
			return plenary.Conflict("the objection of %s was already withdrawn", o.Party)
		}
		if e.Party != o.Party.Code {
			return plenary.Forbidden("only %s, which raised the objection, may withdraw it", o.Party)
		}
		o.WithdrawnAt = e.At
		return nil
	}
	return plenary.Invalid("id", "there is no objection %q in this call", e.ID)
}

// describe names an objection in a sentence: `Spain ("the text
// restricts ...")`.
func describe(o *Objection) string {
	r := o.Reason
	if n := 60; len([]rune(r)) > n {
		r = string([]rune(r)[:n]) + "…"
	}
	return fmt.Sprintf("%s (%q)", o.Party, r)
}

func (c *Consensus) close(e ConsensusEvent) error {
	if c.Closed() {
		return c.closedError()
	}
	if !e.Finding.Valid() {
		return plenary.Invalid("finding", "the finding is adopted, adopted with objections addressed, or not adopted, not %q", e.Finding)
	}
	if err := checkText("note", e.Note, true); err != nil {
		return err
	}
	if c.call.Silence && c.broken == nil && e.At < c.call.Until && e.Finding != FoundNotAdopted {
		return plenary.Conflict("the silence procedure runs until %s: objections may be raised until then, and the text is adopted if none is", c.clock(c.call.Until))
	}
	var standing []*Objection
	for _, o := range c.objections {
		if o.Standing() {
			standing = append(standing, o)
		}
	}
	if e.Finding != FoundAddressed && len(e.Answers) > 0 {
		return plenary.Invalid("answers", "only a finding of adoption with objections addressed answers the objections")
	}
	switch e.Finding {
	case FoundAdopted:
		if len(standing) > 0 {
			names := make([]string, len(standing))
			for i, o := range standing {
				names[i] = o.Party.String()
			}
			return plenary.Conflict("the text cannot be found adopted while %s stands (%s): find it adopted with each objection addressed, or not adopted",
				plural(len(standing), "objection", "objections"), partyList(names))
		}
	case FoundAddressed:
		if len(standing) == 0 {
			return plenary.Conflict("no objection stands: the finding is adopted, with no objection to address")
		}
		answered := map[string]bool{}
		for i, a := range e.Answers {
			f := fmt.Sprintf("answers[%d]", i)
			var target *Objection
			for _, o := range c.objections {
				if o.ID == a.Objection {
					target = o
				}
			}
			switch {
			case target == nil:
				return plenary.Invalid(f+".objection", "there is no objection %q in this call", a.Objection)
			case !target.Standing():
				return plenary.Invalid(f+".objection", "the objection of %s was withdrawn: it needs no answer", target.Party)
			case answered[a.Objection]:
				return plenary.Invalid(f+".objection", "the objection of %s is answered twice", target.Party)
			}
			if err := need(f+".text", a.Text, "write how the objection of "+target.Party.String()+" was addressed"); err != nil {
				return err
			}
			if err := checkText(f+".text", a.Text, true); err != nil {
				return err
			}
			answered[a.Objection] = true
		}
		for _, o := range standing {
			if !answered[o.ID] {
				return plenary.Invalid("answers", "the objection of %s has not been addressed: write how it was addressed before finding the text adopted", describe(o))
			}
		}
	}
	c.finding = e.Finding
	c.answers = slices.Clone(e.Answers)
	c.note = e.Note
	c.closedAt = e.At
	return nil
}

func (c *Consensus) keep(e ConsensusEvent) error {
	if c.Closed() {
		return c.closedError()
	}
	if !c.call.Silence {
		return plenary.Conflict("this consensus call is not a silence procedure: the chair closes it with a finding")
	}
	if c.broken != nil {
		return plenary.Conflict("the silence was broken by the objection of %s: the chair must state a finding", c.broken.Party)
	}
	if e.At < c.call.Until {
		return plenary.Conflict("the silence procedure runs until %s", c.clock(c.call.Until))
	}
	c.finding = FoundAdopted
	c.silenceKept = true
	c.closedAt = e.At
	return nil
}

func (c *Consensus) explain(e ConsensusEvent) error {
	if c.Outcome() != Adopted {
		return plenary.Conflict("explanations of position are filed after adoption; this call is %s", strings.ToLower(c.Status(e.At)))
	}
	x := e.Explanation
	if x == nil {
		return plenary.Invalid("explanation", "an explanation event needs the explanation")
	}
	if err := need("explanation.party", x.Party.Code, "say which party explains its position"); err != nil {
		return err
	}
	if err := need("explanation.text", x.Text, "write the explanation of position"); err != nil {
		return err
	}
	if err := checkText("explanation.text", x.Text, true); err != nil {
		return err
	}
	for _, y := range c.explanations {
		if y.Party.Code == x.Party.Code {
			return plenary.Conflict("%s has already filed its explanation of position", x.Party)
		}
	}
	v := *x
	v.At = e.At
	c.explanations = append(c.explanations, v)
	return nil
}

// Status is the call's state in a sentence for a page at the time now.
func (c *Consensus) Status(now int64) string {
	switch {
	case !c.opened:
		return "Not opened"
	case c.silenceKept:
		return fmt.Sprintf("Adopted under the silence procedure: no objection by %s", c.clock(c.call.Until))
	case c.Closed():
		return c.finding.Label()
	case c.broken != nil:
		return fmt.Sprintf("Silence broken by %s at %s: awaiting the chair's finding", c.broken.Party, c.clock(c.broken.At))
	case c.call.Silence && now >= c.call.Until:
		return fmt.Sprintf("Silence kept until %s: adopted once recorded", c.clock(c.call.Until))
	case c.call.Silence:
		return fmt.Sprintf("Silence procedure: objections may be raised until %s", c.clock(c.call.Until))
	}
	if n := len(c.Standing()); n > 0 {
		return fmt.Sprintf("Open: %s", plural(n, "objection stands", "objections stand"))
	}
	return "Open: is there any objection?"
}

// ConsensusResult is a closed call as pages, exports and the record show
// it. Binding is the kind's (true).
type ConsensusResult struct {
	Kind         Kind          `json:"kind"`
	Label        string        `json:"label"`
	Binding      bool          `json:"binding"`
	Subject      Subject       `json:"subject"`
	Silence      bool          `json:"silence,omitempty"`
	Finding      Finding       `json:"finding,omitempty"`
	Outcome      Outcome       `json:"outcome"`
	Status       string        `json:"status"`
	Sentence     string        `json:"sentence"`
	Objections   []Objection   `json:"objections,omitempty"`
	Answers      []Answer      `json:"answers,omitempty"`
	Note         string        `json:"note,omitempty"`
	Explanations []Explanation `json:"explanations,omitempty"`
	ClosedAt     int64         `json:"closed_at,omitempty"`
}

// Result is the call as it stands at the time now, with a sentence for the
// record.
func (c *Consensus) Result(now int64) ConsensusResult {
	r := ConsensusResult{
		Kind: ConsensusCall, Label: ConsensusCall.Label(), Binding: ConsensusCall.Binding(),
		Subject: c.call.Subject.clone(), Silence: c.call.Silence, Finding: c.finding, Outcome: c.Outcome(),
		Status: c.Status(now), Objections: c.Objections(), Answers: c.Answers(), Note: c.note,
		Explanations: c.Explanations(), ClosedAt: c.closedAt,
	}
	withdrawn := len(c.objections) - len(c.Standing())
	var standing []string
	for _, o := range c.objections {
		if o.Standing() {
			standing = append(standing, o.Party.String())
		}
	}
	switch {
	case c.silenceKept:
		r.Sentence = fmt.Sprintf("No objection was raised by %s. Adopted by consensus under the silence procedure.", c.clock(c.call.Until))
	case c.finding == FoundAdopted && len(c.objections) == 0:
		r.Sentence = "Is there any objection? None was raised. Adopted by consensus."
	case c.finding == FoundAdopted:
		r.Sentence = fmt.Sprintf("No objection stands (%s withdrawn). Adopted by consensus.", plural(withdrawn, "objection", "objections"))
	case c.finding == FoundAddressed:
		r.Sentence = fmt.Sprintf("%s stood (%s); the chair wrote how each was addressed. Adopted by consensus, objections addressed.",
			upper(plural(len(standing), "objection", "objections")), partyList(standing))
	case c.finding == FoundNotAdopted && len(standing) > 0:
		r.Sentence = fmt.Sprintf("%s stood (%s). Not adopted: no consensus.", upper(plural(len(standing), "objection", "objections")), partyList(standing))
	case c.finding == FoundNotAdopted:
		r.Sentence = "Not adopted: the chair found no consensus."
	default:
		r.Sentence = r.Status + "."
	}
	return r
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
