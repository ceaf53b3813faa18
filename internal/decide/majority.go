package decide

import (
	"fmt"
	"slices"

	"github.com/plenary-forum/plenary"
)

// Choice is a ballot's answer in a formal vote.
type Choice string

// The choices. NotParticipating is never cast: it is recorded at the close
// of a roll-call for a delegation called that did not answer.
const (
	Yes              Choice = "yes"
	No               Choice = "no"
	Abstain          Choice = "abstain"
	NotParticipating Choice = "not_participating"
)

// Choices lists the choices in a stable order.
func Choices() []Choice { return []Choice{Yes, No, Abstain, NotParticipating} }

// Valid reports whether c is a defined choice.
func (c Choice) Valid() bool { return slices.Contains(Choices(), c) }

// castable reports whether a voter may cast c.
func (c Choice) castable() bool { return c == Yes || c == No || c == Abstain }

// Label is the choice in words.
func (c Choice) Label() string {
	switch c {
	case Yes:
		return "Yes"
	case No:
		return "No"
	case Abstain:
		return "Abstain"
	case NotParticipating:
		return "Not participating"
	}
	return string(c)
}

// Tally is the count of a vote. Present is the number of members present
// in the meeting, for the quorum; 0 means not stated, and the quorum is
// then measured by those who took part (yes, no and abstentions).
type Tally struct {
	Yes              int `json:"yes"`
	No               int `json:"no"`
	Abstain          int `json:"abstain"`
	NotParticipating int `json:"not_participating,omitempty"`
	Present          int `json:"present,omitempty"`
}

// Voting is the number present and voting: yes and no.
func (t Tally) Voting() int { return t.Yes + t.No }

// Cast is the number of ballots: yes, no and abstentions.
func (t Tally) Cast() int { return t.Yes + t.No + t.Abstain }

// Validate checks a tally entered by hand; the error names the field.
func (t Tally) Validate() error {
	for _, f := range []struct {
		name string
		n    int
	}{{"yes", t.Yes}, {"no", t.No}, {"abstain", t.Abstain}, {"not_participating", t.NotParticipating}, {"present", t.Present}} {
		if f.n < 0 {
			return plenary.Invalid("tally."+f.name, "a count is not negative")
		}
	}
	if t.Present > 0 && t.Present < t.Cast() {
		return plenary.Invalid("tally.present", "%d present is fewer than the %d who voted or abstained", t.Present, t.Cast())
	}
	return nil
}

// Add counts one ballot.
func (t *Tally) Add(c Choice) {
	switch c {
	case Yes:
		t.Yes++
	case No:
		t.No++
	case Abstain:
		t.Abstain++
	case NotParticipating:
		t.NotParticipating++
	}
}

// Majority is the majority a vote requires.
type Majority string

// The majorities.
const (
	Simple    Majority = "simple"     // more yes than no among those present and voting; abstentions not counted; a tie fails
	TwoThirds Majority = "two_thirds" // at least two-thirds of those present and voting
	Absolute  Majority = "absolute"   // more than half of all the members entitled to vote, however many voted
)

// Majorities lists the majorities in a stable order.
func Majorities() []Majority { return []Majority{Simple, TwoThirds, Absolute} }

// Valid reports whether m is a defined majority.
func (m Majority) Valid() bool { return slices.Contains(Majorities(), m) }

// Label is the majority in words.
func (m Majority) Label() string {
	switch m {
	case Simple:
		return "simple majority of those present and voting"
	case TwoThirds:
		return "two-thirds majority of those present and voting"
	case Absolute:
		return "absolute majority of the members"
	}
	return string(m)
}

// Quorum is how many members must be present for a vote to have a result:
// a number, or a share of the members (Num/Den of VoteRules.Members,
// rounded up). The zero value is no quorum.
type Quorum struct {
	Number int `json:"number,omitempty"`
	Num    int `json:"num,omitempty"`
	Den    int `json:"den,omitempty"`
}

// None reports whether no quorum is required.
func (q Quorum) None() bool { return q.Number == 0 && q.Num == 0 && q.Den == 0 }

// Needed is the number of members present the quorum requires.
func (q Quorum) Needed(members int) int {
	if q.Number > 0 {
		return q.Number
	}
	if q.Den <= 0 {
		return 0
	}
	return (members*q.Num + q.Den - 1) / q.Den
}

func (q Quorum) validate(members int) error {
	switch {
	case q.None():
		return nil
	case q.Number < 0:
		return plenary.Invalid("quorum.number", "a quorum is not negative")
	case q.Number > 0 && (q.Num != 0 || q.Den != 0):
		return plenary.Invalid("quorum", "a quorum is a number or a share of the members, not both")
	case q.Number > 0:
		if members > 0 && q.Number > members {
			return plenary.Invalid("quorum.number", "a quorum of %d is more than the %d members", q.Number, members)
		}
		return nil
	case q.Num <= 0 || q.Den <= 0 || q.Num > q.Den:
		return plenary.Invalid("quorum", "a share of the members is a fraction between 0 and 1, such as 1/2")
	case members <= 0:
		return plenary.Invalid("members", "a quorum as a share of the members needs the number of members")
	}
	return nil
}

// Arithmetic is a vote's result with the rule and the sums that gave it.
type Arithmetic struct {
	Outcome  Outcome  `json:"outcome"`
	Majority Majority `json:"majority"`
	Rule     string   `json:"rule"`             // the majority in words
	Needed   int      `json:"needed,omitempty"` // the yes votes needed; 0 when there was no result
	Quorum   int      `json:"quorum,omitempty"` // the members present the quorum needed; 0 = none
	Sentence string   `json:"sentence"`         // the arithmetic in words, ending with the outcome
}

// Compute applies the rules' majority and quorum to a tally, and explains
// the result in a sentence:
//
//	77 for, 33 against: 77 > 55 of 110 present and voting; 8 abstentions not counted. Adopted.
//	No quorum: 60 of 193 present, 97 needed. No result.
//
// The rules must be valid ([VoteRules.Validate]).
func Compute(t Tally, r VoteRules) Arithmetic {
	a := Arithmetic{Majority: r.Majority, Rule: r.Majority.Label()}
	if !r.Quorum.None() {
		a.Quorum = r.Quorum.Needed(r.Members)
		present := t.Present
		if present == 0 {
			present = t.Cast()
		}
		if present < a.Quorum {
			of := ""
			if r.Members > 0 {
				of = fmt.Sprintf(" of %d", r.Members)
			}
			a.Outcome = NoResult
			a.Sentence = fmt.Sprintf("No quorum: %d%s present, %d needed. No result.", present, of, a.Quorum)
			return a
		}
	}
	v := t.Voting()
	head := fmt.Sprintf("%d for, %d against", t.Yes, t.No)
	abst := "no abstentions"
	if t.Abstain > 0 {
		abst = plural(t.Abstain, "abstention", "abstentions") + " not counted"
	}
	if t.NotParticipating > 0 {
		abst += fmt.Sprintf("; %d not participating", t.NotParticipating)
	}
	var body string
	pass := false
	switch r.Majority {
	case Simple:
		a.Needed = v/2 + 1
		half := fmt.Sprint(v / 2)
		if v%2 == 1 {
			half += ".5"
		}
		switch {
		case v == 0:
			body = "no one present and voting"
		case t.Yes > t.No:
			pass = true
			body = fmt.Sprintf("%d > %s of %d present and voting", t.Yes, half, v)
		case t.Yes == t.No:
			body = fmt.Sprintf("%d is not more than %s of %d present and voting: a tie fails", t.Yes, half, v)
		default:
			body = fmt.Sprintf("%d is not more than %s of %d present and voting", t.Yes, half, v)
		}
	case TwoThirds:
		a.Needed = (2*v + 2) / 3
		switch {
		case v == 0:
			body = "no one present and voting"
		case t.Yes >= a.Needed:
			pass = true
			body = fmt.Sprintf("%d ≥ %d, two-thirds of %d present and voting", t.Yes, a.Needed, v)
		default:
			body = fmt.Sprintf("%d < %d, two-thirds of %d present and voting", t.Yes, a.Needed, v)
		}
	case Absolute:
		a.Needed = r.Members/2 + 1
		if t.Abstain > 0 {
			abst = plural(t.Abstain, "abstention", "abstentions")
		}
		if t.NotParticipating > 0 {
			abst += fmt.Sprintf("; %d not participating", t.NotParticipating)
		}
		if t.Yes >= a.Needed {
			pass = true
			body = fmt.Sprintf("%d ≥ %d, more than half of all %d members, however many voted", t.Yes, a.Needed, r.Members)
		} else {
			body = fmt.Sprintf("%d < %d, more than half of all %d members, however many voted", t.Yes, a.Needed, r.Members)
		}
	}
	a.Outcome = NotAdopted
	end := "Not adopted."
	if pass {
		a.Outcome, end = Adopted, "Adopted."
	}
	a.Sentence = fmt.Sprintf("%s: %s; %s. %s", head, body, abst, end)
	return a
}
