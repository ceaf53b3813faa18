package decide

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/plenary-forum/plenary"
)

// StrawNotice is the sentence every straw poll's result carries.
const StrawNotice = "Indicative only: a straw poll is not a vote and decides nothing."

// Option is one answer a straw poll offers.
type Option struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Group is a stakeholder group a straw poll counts separately.
type Group struct {
	Key  string `json:"key"`
	Name string `json:"name,omitempty"`
}

// Entry is how a straw poll is counted.
type Entry string

// The ways of counting a straw poll.
const (
	Entered Entry = "entered" // the secretariat enters totals (a show of placards)
	Devices Entry = "devices" // participants answer from their devices, one answer each
)

// Label is the way of counting in words.
func (e Entry) Label() string {
	switch e {
	case Entered:
		return "show of placards, counted by the secretariat"
	case Devices:
		return "answers from participants' devices"
	}
	return string(e)
}

// Poll is a straw poll as opened: the question, its options, how it is
// counted, and optionally the stakeholder groups counted separately.
type Poll struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Subject  *Subject `json:"subject,omitempty"`
	Options  []Option `json:"options"`
	Entry    Entry    `json:"entry"`
	Groups   []Group  `json:"groups,omitempty"`
}

// Validate checks a poll; the error names the field at fault.
func (p Poll) Validate() error {
	if err := need("id", p.ID, "a straw poll needs an id"); err != nil {
		return err
	}
	if err := need("question", p.Question, "write the question put to the room"); err != nil {
		return err
	}
	if err := checkText("question", p.Question, true); err != nil {
		return err
	}
	if p.Subject != nil {
		if err := p.Subject.Validate(); err != nil {
			return err
		}
	}
	if len(p.Options) < 2 {
		return plenary.Invalid("options", "a straw poll offers at least two options")
	}
	keys := make([]string, len(p.Options))
	for i, o := range p.Options {
		keys[i] = o.Key
		if err := need(fmt.Sprintf("options[%d].label", i), o.Label, "every option needs its words"); err != nil {
			return err
		}
		if err := checkText(fmt.Sprintf("options[%d].label", i), o.Label, false); err != nil {
			return err
		}
	}
	if err := checkList("options", keys); err != nil {
		return err
	}
	if p.Entry != Entered && p.Entry != Devices {
		return plenary.Invalid("entry", "a straw poll is counted by the secretariat (entered) or from devices, not %q", p.Entry)
	}
	gk := make([]string, len(p.Groups))
	for i, g := range p.Groups {
		gk[i] = g.Key
	}
	return checkList("groups", gk)
}

func (p Poll) clone() Poll {
	p.Options = slices.Clone(p.Options)
	p.Groups = slices.Clone(p.Groups)
	if p.Subject != nil {
		s := p.Subject.clone()
		p.Subject = &s
	}
	return p
}

func (p Poll) hasOption(k string) bool {
	return slices.ContainsFunc(p.Options, func(o Option) bool { return o.Key == k })
}

func (p Poll) hasGroup(k string) bool {
	return slices.ContainsFunc(p.Groups, func(g Group) bool { return g.Key == k })
}

// Count is a total the secretariat enters: the placards raised for one
// option, in one stakeholder group when the poll counts groups.
type Count struct {
	Option string `json:"option"`
	Group  string `json:"group,omitempty"`
	N      int    `json:"n"`
}

// StrawEventType names an event of a straw poll.
type StrawEventType string

// The events of a straw poll.
const (
	PollOpened StrawEventType = "opened"  // the chair opens the poll
	PollCount  StrawEventType = "counted" // the secretariat enters the totals (replacing earlier ones)
	PollAnswer StrawEventType = "cast"    // a participant answers from a device (a later answer replaces it)
	PollClosed StrawEventType = "closed"  // the chair closes the poll
)

// StrawEvent is one event of a straw poll.
type StrawEvent struct {
	Type        StrawEventType `json:"type"`
	At          int64          `json:"at"`
	Poll        *Poll          `json:"poll,omitempty"`        // opened
	Counts      []Count        `json:"counts,omitempty"`      // counted
	Participant string         `json:"participant,omitempty"` // cast: the participant's stable key
	Option      string         `json:"option,omitempty"`      // cast
	Group       string         `json:"group,omitempty"`       // cast: the participant's group, when groups are counted
}

// Straw is the fold of one straw poll's events. Use [NewStraw] or
// [ReplayStraw]. Nothing turns a straw poll into a decision: it has no
// outcome, and its result is never binding.
type Straw struct {
	poll    Poll
	opened  bool
	closed  bool
	counts  []Count
	answers map[string]Count // participant -> answer (N = 1)
	order   []string         // participants in order of first answer
	last    int64
}

// NewStraw returns a poll not yet opened.
func NewStraw() *Straw { return &Straw{answers: map[string]Count{}} }

// ReplayStraw folds events into a new poll; on error it returns the poll
// before the failing event and the error, naming the event's index.
func ReplayStraw(events []StrawEvent) (*Straw, error) {
	s := NewStraw()
	for i, e := range events {
		if err := s.Apply(e); err != nil {
			return s, replayError(i, string(e.Type), err)
		}
	}
	return s, nil
}

// Poll is the poll as opened.
func (s *Straw) Poll() Poll { return s.poll.clone() }

// Closed reports whether the poll is closed.
func (s *Straw) Closed() bool { return s.closed }

// Apply validates e against the poll and applies it. On error the poll is
// unchanged.
func (s *Straw) Apply(e StrawEvent) error {
	if err := checkAt(e.At, s.last); err != nil {
		return err
	}
	if e.Type != PollOpened {
		if !s.opened {
			return plenary.Conflict("the straw poll has not been opened")
		}
		if s.closed {
			return plenary.Conflict("the straw poll is closed")
		}
	}
	switch e.Type {
	case PollOpened:
		if s.opened {
			return plenary.Conflict("the straw poll is already open")
		}
		if e.Poll == nil {
			return plenary.Invalid("poll", "opening a straw poll needs the poll")
		}
		if err := e.Poll.Validate(); err != nil {
			return err
		}
		s.poll, s.opened = e.Poll.clone(), true
	case PollCount:
		if s.poll.Entry != Entered {
			return plenary.Conflict("participants answer this straw poll from their devices: the secretariat does not enter totals")
		}
		if err := s.checkCounts(e.Counts); err != nil {
			return err
		}
		s.counts = slices.Clone(e.Counts)
	case PollAnswer:
		if s.poll.Entry != Devices {
			return plenary.Conflict("the secretariat counts this straw poll: answers are not taken from devices")
		}
		if err := need("participant", e.Participant, "say who answers"); err != nil {
			return err
		}
		if !s.poll.hasOption(e.Option) {
			return plenary.Invalid("option", "the straw poll has no option %q", e.Option)
		}
		if err := s.checkGroup("group", e.Group); err != nil {
			return err
		}
		if _, ok := s.answers[e.Participant]; !ok {
			s.order = append(s.order, e.Participant)
		}
		s.answers[e.Participant] = Count{Option: e.Option, Group: e.Group, N: 1}
	case PollClosed:
		s.closed = true
	default:
		return plenary.Invalid("type", "there is no straw poll event %q", e.Type)
	}
	s.last = e.At
	return nil
}

func (s *Straw) checkGroup(field, g string) error {
	if len(s.poll.Groups) == 0 {
		if g != "" {
			return plenary.Invalid(field, "this straw poll does not count stakeholder groups separately")
		}
		return nil
	}
	if !s.poll.hasGroup(g) {
		return plenary.Invalid(field, "this straw poll counts the groups it names; %q is not one of them", g)
	}
	return nil
}

func (s *Straw) checkCounts(cs []Count) error {
	seen := map[[2]string]bool{}
	for i, c := range cs {
		f := fmt.Sprintf("counts[%d]", i)
		if !s.poll.hasOption(c.Option) {
			return plenary.Invalid(f+".option", "the straw poll has no option %q", c.Option)
		}
		if err := s.checkGroup(f+".group", c.Group); err != nil {
			return err
		}
		if c.N < 0 {
			return plenary.Invalid(f+".n", "a count is not negative")
		}
		k := [2]string{c.Option, c.Group}
		if seen[k] {
			return plenary.Invalid(f, "option %q is counted twice for the same group", c.Option)
		}
		seen[k] = true
	}
	return nil
}

// OptionCount is one option's count in a straw poll's result, with its
// counts per stakeholder group when the poll counts groups.
type OptionCount struct {
	Key    string       `json:"key"`
	Label  string       `json:"label"`
	Count  int          `json:"count"`
	Groups []GroupCount `json:"groups,omitempty"`
}

// GroupCount is a count within one stakeholder group.
type GroupCount struct {
	Group string `json:"group"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

// StrawResult is what a straw poll shows. It is never binding: it has no
// outcome, [StrawResult.Binding] is false, and its JSON says
// "binding": false; the field cannot be set.
type StrawResult struct {
	Kind     Kind          `json:"kind"`
	Label    string        `json:"label"`
	Question string        `json:"question"`
	Entry    Entry         `json:"entry"`
	Options  []OptionCount `json:"options"`
	Total    int           `json:"total"`
	Closed   bool          `json:"closed"`
	Notice   string        `json:"notice"`
}

// Binding is always false: a straw poll decides nothing.
func (StrawResult) Binding() bool { return false }

// MarshalJSON writes the result with "binding": false.
func (r StrawResult) MarshalJSON() ([]byte, error) {
	type plain StrawResult
	return json.Marshal(struct {
		plain
		Binding bool `json:"binding"`
	}{plain(r), false})
}

// Result is the poll's counts, in the order of its options and groups.
func (s *Straw) Result() StrawResult {
	r := StrawResult{Kind: StrawPoll, Label: StrawPoll.Label(), Question: s.poll.Question, Entry: s.poll.Entry,
		Closed: s.closed, Notice: StrawNotice}
	var counts []Count
	if s.poll.Entry == Devices {
		for _, p := range s.order {
			counts = append(counts, s.answers[p])
		}
	} else {
		counts = s.counts
	}
	for _, o := range s.poll.Options {
		oc := OptionCount{Key: o.Key, Label: o.Label}
		for _, g := range s.poll.Groups {
			oc.Groups = append(oc.Groups, GroupCount{Group: g.Key, Name: g.Name})
		}
		for _, c := range counts {
			if c.Option != o.Key {
				continue
			}
			oc.Count += c.N
			for i := range oc.Groups {
				if oc.Groups[i].Group == c.Group {
					oc.Groups[i].Count += c.N
				}
			}
		}
		r.Total += oc.Count
		r.Options = append(r.Options, oc)
	}
	return r
}
