package decide

import (
	"fmt"
	"slices"

	"github.com/plenary-forum/plenary"
)

// Vote is a formal vote as the chair opens it: its subject, its rules, and
// for a roll-call the delegations to call (Roll) with the seed of the lot
// that draws the first letter. Roll, when given for another method, limits
// who may vote to the delegations on it.
type Vote struct {
	ID      string    `json:"id"`
	Subject Subject   `json:"subject"`
	Rules   VoteRules `json:"rules"`
	Roll    []Party   `json:"roll,omitempty"`
	Seed    uint64    `json:"seed,omitempty"`
}

// Validate checks a vote; the error names the field at fault.
func (v Vote) Validate() error {
	if err := need("id", v.ID, "a vote needs an id"); err != nil {
		return err
	}
	if err := v.Subject.Validate(); err != nil {
		return err
	}
	if err := v.Rules.Validate(); err != nil {
		return err
	}
	if v.Rules.Method == RollCall && len(v.Roll) == 0 {
		return plenary.Invalid("roll", "a roll-call needs the delegations to call")
	}
	codes := make([]string, len(v.Roll))
	for i, p := range v.Roll {
		codes[i] = p.Code
	}
	return checkList("roll", codes)
}

func (v Vote) clone() Vote {
	v.Subject = v.Subject.clone()
	v.Roll = slices.Clone(v.Roll)
	return v
}

// Record is one delegation's vote as a roll-call or a recorded vote
// publishes it: the party, its choice, who cast it and when; for a proxy
// vote, the delegation holding the proxy.
type Record struct {
	Party  Party  `json:"party"`
	Choice Choice `json:"choice"`
	By     string `json:"by,omitempty"`
	Holder *Party `json:"holder,omitempty"`
	At     int64  `json:"at,omitempty"`
}

// Voted is one entry of a secret ballot's voters' list: who voted, never
// what.
type Voted struct {
	Party  Party  `json:"party"`
	By     string `json:"by,omitempty"`
	Holder *Party `json:"holder,omitempty"`
	At     int64  `json:"at"`
}

// VoteEventType names an event of a formal vote.
type VoteEventType string

// The events of a formal vote.
const (
	VoteOpened   VoteEventType = "opened"  // the chair opens the vote
	BallotCast   VoteEventType = "cast"    // a delegation votes (secret: only that it voted)
	TallyEntered VoteEventType = "counted" // show of hands: the secretariat enters the tally (replacing an earlier one)
	VoteClosed   VoteEventType = "closed"  // the chair closes the vote
)

// VoteEvent is one event of a formal vote. A secret ballot's cast event
// carries the voter and no choice: the ballot goes, unlinked, to the
// ballot box, and the list comes with the closing event.
type VoteEvent struct {
	Type    VoteEventType `json:"type"`
	At      int64         `json:"at"`
	Vote    *Vote         `json:"vote,omitempty"`    // opened
	Voter   *Voter        `json:"voter,omitempty"`   // cast
	Choice  Choice        `json:"choice,omitempty"`  // cast, but for a secret ballot
	Tally   *Tally        `json:"tally,omitempty"`   // counted
	Present int           `json:"present,omitempty"` // closed: members present, for the quorum (0 = not stated)
	Ballots []Ballot      `json:"ballots,omitempty"` // closed, secret ballot: the ballot list in receipt order
}

type cast struct {
	voter  Voter
	choice Choice
	at     int64
}

// Voting is the fold of one formal vote's events. Use [NewVoting] or
// [ReplayVoting].
type Voting struct {
	vote     Vote
	opened   bool
	closed   bool
	closedAt int64
	letter   rune
	order    []Party
	casts    []cast
	byParty  map[string]int    // counted party code -> index in casts
	proxies  map[string]string // holder code -> code of the party whose proxy it carried
	entered  *Tally
	present  int
	ballots  []Ballot
	last     int64
}

// NewVoting returns a vote not yet opened.
func NewVoting() *Voting { return &Voting{byParty: map[string]int{}, proxies: map[string]string{}} }

// ReplayVoting folds events into a new vote; on error it returns the vote
// before the failing event and the error, naming the event's index.
func ReplayVoting(events []VoteEvent) (*Voting, error) {
	v := NewVoting()
	for i, e := range events {
		if err := v.Apply(e); err != nil {
			return v, replayError(i, string(e.Type), err)
		}
	}
	return v, nil
}

// Vote is the vote as opened.
func (v *Voting) Vote() Vote { return v.vote.clone() }

// Closed reports whether the vote is closed.
func (v *Voting) Closed() bool { return v.closed }

// Order is a roll-call's calling order and the letter drawn; nil otherwise.
func (v *Voting) Order() (rune, []Party) { return v.letter, slices.Clone(v.order) }

// Next is the first delegation in a roll-call's order that has not
// answered; false when every one has, or for another method.
func (v *Voting) Next() (Party, bool) {
	for _, p := range v.order {
		if _, ok := v.byParty[p.Code]; !ok {
			return p, true
		}
	}
	return Party{}, false
}

// Apply validates e against the vote and applies it. On error the vote is
// unchanged and the error, a *plenary.Error, names the rule broken.
func (v *Voting) Apply(e VoteEvent) error {
	if err := checkAt(e.At, v.last); err != nil {
		return err
	}
	if e.Type != VoteOpened {
		if !v.opened {
			return plenary.Conflict("the vote has not been opened")
		}
		if v.closed {
			return plenary.Conflict("the vote is closed")
		}
	}
	var err error
	switch e.Type {
	case VoteOpened:
		err = v.open(e)
	case BallotCast:
		err = v.cast(e)
	case TallyEntered:
		err = v.count(e)
	case VoteClosed:
		err = v.close(e)
	default:
		err = plenary.Invalid("type", "there is no vote event %q", e.Type)
	}
	if err != nil {
		return err
	}
	v.last = e.At
	return nil
}

func (v *Voting) open(e VoteEvent) error {
	if v.opened {
		return plenary.Conflict("the vote is already open")
	}
	if e.Vote == nil {
		return plenary.Invalid("vote", "opening a vote needs the vote")
	}
	if err := e.Vote.Validate(); err != nil {
		return err
	}
	v.vote = e.Vote.clone()
	if v.vote.Rules.Method == RollCall {
		v.letter, v.order = RollCallOrder(v.vote.Roll, v.vote.Seed)
	}
	v.opened = true
	return nil
}

func (v *Voting) cast(e VoteEvent) error {
	m := v.vote.Rules.Method
	if m == ShowOfHands {
		return plenary.Conflict("in a vote by show of hands the secretariat counts the placards and enters the tally; no ballot is cast")
	}
	if e.Voter == nil {
		return plenary.Invalid("voter", "a ballot needs its voter")
	}
	if m == Secret {
		if e.Choice != "" {
			return plenary.Invalid("choice", "a secret ballot's choice never goes with the voter's name: it goes to the ballot box, unlinked")
		}
	} else if !e.Choice.castable() {
		return plenary.Invalid("choice", "a ballot is yes, no or abstain, not %q", e.Choice)
	}
	vt := *e.Voter
	if err := Eligible(vt, v.vote.Rules); err != nil {
		return err
	}
	p := vt.Counts()
	if len(v.vote.Roll) > 0 && !slices.ContainsFunc(v.vote.Roll, func(x Party) bool { return x.Code == p.Code }) {
		return plenary.Forbidden("%s is not on the roll of this vote", p)
	}
	if i, ok := v.byParty[p.Code]; ok {
		return plenary.Conflict("%s has already voted: one vote per party, and its ballot was cast by %s", p, describeVoter(v.casts[i].voter))
	}
	if vt.For != nil {
		if other, ok := v.proxies[vt.Party.Code]; ok {
			return plenary.Conflict("%s already carries the proxy vote of %s: a delegation may carry one proxy only", vt.Party, v.partyName(other))
		}
	}
	if vt.For != nil {
		f := *vt.For
		vt.For = &f
		v.proxies[vt.Party.Code] = p.Code
	}
	v.byParty[p.Code] = len(v.casts)
	v.casts = append(v.casts, cast{voter: vt, choice: e.Choice, at: e.At})
	return nil
}

func (v *Voting) partyName(code string) string {
	if i, ok := v.byParty[code]; ok {
		return v.casts[i].voter.Counts().String()
	}
	return code
}

func (v *Voting) count(e VoteEvent) error {
	if v.vote.Rules.Method != ShowOfHands {
		return plenary.Conflict("only a vote by show of hands has its tally entered by hand: a %s counts its ballots", lower(v.vote.Rules.Method.Label()))
	}
	if e.Tally == nil {
		return plenary.Invalid("tally", "enter the tally")
	}
	if err := e.Tally.Validate(); err != nil {
		return err
	}
	if e.Tally.NotParticipating != 0 {
		return plenary.Invalid("tally.not_participating", "a show of hands counts yes, no and abstentions")
	}
	if m := v.vote.Rules.Members; m > 0 && e.Tally.Cast() > m {
		return plenary.Invalid("tally", "%d votes and abstentions are more than the %d members", e.Tally.Cast(), m)
	}
	t := *e.Tally
	v.entered = &t
	return nil
}

func (v *Voting) close(e VoteEvent) error {
	if e.Present < 0 {
		return plenary.Invalid("present", "the number present is not negative")
	}
	m := v.vote.Rules.Method
	if m == ShowOfHands && v.entered == nil {
		return plenary.Conflict("the secretariat has not entered the tally of the show of hands")
	}
	if m != Secret && len(e.Ballots) > 0 {
		return plenary.Invalid("ballots", "only a secret ballot publishes a ballot list")
	}
	if m == Secret {
		if err := CheckBallots(e.Ballots); err != nil {
			return err
		}
		if len(e.Ballots) != len(v.casts) {
			return plenary.Conflict("the ballot list holds %s for %s: it cannot be published",
				plural(len(e.Ballots), "ballot", "ballots"), plural(len(v.casts), "voter", "voters"))
		}
		v.ballots = slices.Clone(e.Ballots)
	}
	v.present = e.Present
	v.closed, v.closedAt = true, e.At
	return nil
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// Cast is the number of ballots cast so far (or of delegations counted in
// a show of hands once the tally is entered).
func (v *Voting) Cast() int {
	if v.vote.Rules.Method == ShowOfHands {
		if v.entered == nil {
			return 0
		}
		return v.entered.Cast()
	}
	return len(v.casts)
}

// Records lists each delegation's vote, in the order cast, for a roll-call
// or a recorded vote; at the close of a roll-call, the delegations called
// that did not answer follow as not participating, in calling order. Nil
// for a show of hands and a secret ballot.
func (v *Voting) Records() []Record {
	m := v.vote.Rules.Method
	if m != RollCall && m != Recorded {
		return nil
	}
	out := make([]Record, 0, len(v.casts))
	for _, c := range v.casts {
		r := Record{Party: c.voter.Counts(), Choice: c.choice, By: c.voter.who(), At: c.at}
		if c.voter.For != nil {
			h := c.voter.Party
			r.Holder = &h
		}
		out = append(out, r)
	}
	if m == RollCall && v.closed {
		for _, p := range v.order {
			if _, ok := v.byParty[p.Code]; !ok {
				out = append(out, Record{Party: p, Choice: NotParticipating})
			}
		}
	}
	return out
}

// Voters is a secret ballot's voters' list: who voted and when, in the
// order they voted, never what. Nil for other methods.
func (v *Voting) Voters() []Voted {
	if v.vote.Rules.Method != Secret {
		return nil
	}
	out := make([]Voted, len(v.casts))
	for i, c := range v.casts {
		out[i] = Voted{Party: c.voter.Counts(), By: c.voter.who(), At: c.at}
		if c.voter.For != nil {
			h := c.voter.Party
			out[i].Holder = &h
		}
	}
	return out
}

// Tally is the count so far: the ballots cast, the tally entered, or for
// a secret ballot the ballot list once published (empty before).
func (v *Voting) Tally() Tally {
	var t Tally
	switch v.vote.Rules.Method {
	case ShowOfHands:
		if v.entered != nil {
			t = *v.entered
		}
	case Secret:
		t = TallyBallots(v.ballots)
	default:
		for _, r := range v.Records() {
			t.Add(r.Choice)
		}
	}
	if v.closed && v.present > 0 {
		t.Present = v.present
	}
	return t
}

// Progress is what anyone may see of a vote: while it is open with its
// results hidden (and always for a secret ballot), only the number of
// ballots cast.
type Progress struct {
	Open     bool     `json:"open"`
	Hidden   bool     `json:"hidden"`
	Cast     int      `json:"cast"`
	Tally    *Tally   `json:"tally,omitempty"`
	Records  []Record `json:"records,omitempty"`
	Sentence string   `json:"sentence"`
}

// View is what a viewer may see of the vote now. Hidden results show
// nobody the counts or a delegation's vote before the close; a secret
// ballot has no counts before its list is published.
func (v *Voting) View() Progress {
	p := Progress{Open: v.opened && !v.closed, Cast: v.Cast()}
	ballots := plural(p.Cast, "ballot", "ballots") + " cast"
	if v.vote.Rules.Method == ShowOfHands {
		ballots = plural(p.Cast, "vote or abstention", "votes and abstentions") + " counted"
	}
	switch {
	case !v.opened:
		p.Sentence = "Not opened."
		return p
	case v.closed:
		t := v.Tally()
		p.Tally, p.Records = &t, v.Records()
		p.Sentence = Compute(t, v.vote.Rules).Sentence
		return p
	case v.vote.Rules.Method == Secret:
		p.Hidden = true
		p.Sentence = fmt.Sprintf("Secret ballot: %s; the ballots are counted when the vote closes.", ballots)
		return p
	case v.vote.Rules.HideResults:
		p.Hidden = true
		p.Sentence = fmt.Sprintf("Results are hidden until the vote closes: %s.", ballots)
		return p
	case v.vote.Rules.Method == ShowOfHands && v.entered == nil:
		p.Sentence = "Awaiting the secretariat's count."
		return p
	}
	t := v.Tally()
	p.Tally, p.Records = &t, v.Records()
	p.Sentence = fmt.Sprintf("Open: %s (%d yes, %d no, %d abstain).", ballots, t.Yes, t.No, t.Abstain)
	return p
}

// VoteResult is a formal vote as pages, exports and the record show it.
// Binding is the kind's (true); a vote with no quorum has no result.
type VoteResult struct {
	Kind        Kind       `json:"kind"`
	Label       string     `json:"label"`
	Binding     bool       `json:"binding"`
	Method      Method     `json:"method"`
	MethodLabel string     `json:"method_label"`
	Subject     Subject    `json:"subject"`
	Rules       VoteRules  `json:"rules"`
	Closed      bool       `json:"closed"`
	ClosedAt    int64      `json:"closed_at,omitempty"`
	Tally       Tally      `json:"tally"`
	Arithmetic  Arithmetic `json:"arithmetic"`
	Records     []Record   `json:"records,omitempty"`     // roll-call and recorded vote
	Letter      string     `json:"letter,omitempty"`      // roll-call: the letter drawn
	Seed        uint64     `json:"seed,omitempty"`        // roll-call: the seed of the lot
	Order       []Party    `json:"order,omitempty"`       // roll-call: the calling order
	Voters      []Voted    `json:"voters,omitempty"`      // secret ballot: who voted
	Ballots     []Ballot   `json:"ballots,omitempty"`     // secret ballot: the list, in receipt order
	BallotHash  string     `json:"ballot_hash,omitempty"` // secret ballot: BallotListHash of the list
}

// Result is the closed vote with its arithmetic. It fails while the vote
// is open: a running vote is seen through [Voting.View].
func (v *Voting) Result() (VoteResult, error) {
	if !v.closed {
		return VoteResult{}, plenary.Conflict("the vote is still open: its result comes when it closes")
	}
	t := v.Tally()
	r := VoteResult{
		Kind: FormalVote, Label: FormalVote.Label(), Binding: FormalVote.Binding(),
		Method: v.vote.Rules.Method, MethodLabel: v.vote.Rules.Method.Label(), Subject: v.vote.Subject.clone(),
		Rules: v.vote.Rules, Closed: true, ClosedAt: v.closedAt, Tally: t, Arithmetic: Compute(t, v.vote.Rules),
		Records: v.Records(), Voters: v.Voters(),
	}
	if v.vote.Rules.Method == RollCall {
		r.Letter, r.Seed, r.Order = string(v.letter), v.vote.Seed, slices.Clone(v.order)
	}
	if v.vote.Rules.Method == Secret {
		r.Ballots = slices.Clone(v.ballots)
		r.BallotHash = BallotListHash(v.ballots)
	}
	return r, nil
}
