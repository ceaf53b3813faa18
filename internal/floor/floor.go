package floor

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/plenary-forum/plenary"
)

// Kind is the kind of a request for the floor.
type Kind string

// The kinds of request.
const (
	Speak        Kind = "speak"          // to speak on the current item, optionally on one provision
	PointOfOrder Kind = "point_of_order" // on procedure; goes ahead of everyone
	Reply        Kind = "reply"          // a right of reply to a named earlier intervention
	Question     Kind = "question"       // a short question to the current speaker (interposed question)
)

// Kinds lists the kinds of request in a stable order.
func Kinds() []Kind { return []Kind{Speak, PointOfOrder, Reply, Question} }

func (k Kind) valid() bool { return slices.Contains(Kinds(), k) }

// Label is the kind written inside a sentence: "point of order".
func (k Kind) Label() string {
	switch k {
	case Speak:
		return "request to speak"
	case PointOfOrder:
		return "point of order"
	case Reply:
		return "right of reply"
	case Question:
		return "question"
	}
	return string(k)
}

// Origin is where a request comes from.
type Origin string

// The origins. A remote hub counts as remote for the alternation of slots.
const (
	Room   Origin = "room"
	Remote Origin = "remote"
	Hub    Origin = "hub"
)

func (o Origin) valid() bool { return o == Room || o == Remote || o == Hub }

// remote reports whether o takes a remote slot.
func (o Origin) remote() bool { return o == Remote || o == Hub }

// Ranks of protocol precedence, lower first. Zero means unranked and is
// treated as after every rank.
const (
	RankMinister            = 1
	RankHeadOfDelegation    = 2
	RankMemberStateDelegate = 3
	RankParticipant         = 4
	RankObserver            = 5
)

func rankLabel(r int) string {
	switch r {
	case RankMinister:
		return "a minister"
	case RankHeadOfDelegation:
		return "a head of delegation"
	case RankMemberStateDelegate:
		return "a Member State delegate"
	case RankParticipant:
		return "a participant"
	case RankObserver:
		return "an observer"
	}
	return "unranked"
}

// Request is one request for the floor, as recorded.
type Request struct {
	ID        string `json:"id"`                   // unique in the meeting (the caller generates it)
	Kind      Kind   `json:"kind"`                 // speak, point_of_order, reply, question
	Speaker   string `json:"speaker"`              // stable key of the person who will speak (a participant id, or "guest:<name>")
	Name      string `json:"name,omitempty"`       // the speaker's name as shown
	Party     string `json:"party,omitempty"`      // party key ("" when none)
	PartyName string `json:"party_name,omitempty"` //
	Group     string `json:"group,omitempty"`      // stakeholder group key
	GroupName string `json:"group_name,omitempty"` //
	OnBehalf  string `json:"on_behalf,omitempty"`  // the group of parties or stakeholder group spoken for
	Origin    Origin `json:"origin"`               // room, remote, hub
	Hub       string `json:"hub,omitempty"`        // the hub's name when Origin is hub
	By        string `json:"by,omitempty"`         // who made the request when not the speaker; "" = the speaker
	Rank      int    `json:"rank,omitempty"`       // protocol precedence, 1 (minister) to 5 (observer); 0 = unranked
	Item      string `json:"item,omitempty"`       // agenda item key; "" = the item under discussion
	Provision string `json:"provision,omitempty"`  // optional provision id
	ReplyTo   string `json:"reply_to,omitempty"`   // reply: the earlier turn replied to; question: the current turn
	At        int64  `json:"at"`                   // Unix ms, server clock; 0 = the event's time
}

// who names the speaker in a sentence: the party when there is one.
func (r Request) who() string {
	switch {
	case r.PartyName != "":
		return r.PartyName
	case r.Party != "":
		return r.Party
	case r.Name != "":
		return r.Name
	}
	return r.Speaker
}

// partyKey is what quotas and least-spoken count against: the party, or the
// speaker when there is no party.
func (r Request) partyKey() string {
	if r.Party != "" {
		return "party:" + r.Party
	}
	return "speaker:" + r.Speaker
}

// Alternation alternates room and remote slots: Room slots in the room, then
// Remote remote slots, and again. {0,0} is no alternation; hubs count as remote.
type Alternation struct {
	Room   int `json:"room"`
	Remote int `json:"remote"`
}

func (a Alternation) on() bool { return a.Room > 0 && a.Remote > 0 }

// Default limits per kind, in seconds, and the default cap on rights of reply.
const (
	DefaultSpeakLimit    = 180
	DefaultOrderLimit    = 60
	DefaultReplyLimit    = 120
	DefaultQuestionLimit = 60
	DefaultReplyCap      = 2
)

// Policy is how a meeting orders its speakers. The policies combine: the
// alternation picks the origin of each slot, the rotation the stakeholder
// group, then precedence, least spoken, lots and order of request break the
// remaining ties, in that order.
type Policy struct {
	Precedence  bool             `json:"precedence,omitempty"`
	Rotation    []string         `json:"rotation,omitempty"` // stakeholder group keys in rotation order; nil = no rotation
	Alternate   Alternation      `json:"alternate"`
	LeastSpoken bool             `json:"least_spoken,omitempty"`
	Lots        bool             `json:"lots,omitempty"`
	Seed        uint64           `json:"seed,omitempty"`      // recorded on the ledger; see [LotKey]
	ReplyCap    int              `json:"reply_cap,omitempty"` // rights of reply per party per item; 0 = 2
	Limits      map[Kind]int64   `json:"limits,omitempty"`    // seconds; missing kinds get the defaults
	Budgets     map[string]int64 `json:"budgets,omitempty"`   // seconds per meeting, keyed "group:<key>" or "party:<key>"
}

// Limit is the time limit for a kind of request, in seconds.
func (p Policy) Limit(k Kind) int64 {
	if l, ok := p.Limits[k]; ok && l > 0 {
		return l
	}
	switch k {
	case PointOfOrder:
		return DefaultOrderLimit
	case Reply:
		return DefaultReplyLimit
	case Question:
		return DefaultQuestionLimit
	}
	return DefaultSpeakLimit
}

// Cap is the number of rights of reply a party has per item.
func (p Policy) Cap() int {
	if p.ReplyCap > 0 {
		return p.ReplyCap
	}
	return DefaultReplyCap
}

// Validate checks a policy; the error names the field at fault.
func (p Policy) Validate() error {
	seen := map[string]bool{}
	for i, g := range p.Rotation {
		f := fmt.Sprintf("rotation[%d]", i)
		if strings.TrimSpace(g) == "" {
			return plenary.Invalid(f, "a stakeholder group in the rotation has no key")
		}
		if seen[g] {
			return plenary.Invalid(f, "the stakeholder group %q is twice in the rotation", g)
		}
		seen[g] = true
	}
	if p.Rotation != nil && len(p.Rotation) < 2 {
		return plenary.Invalid("rotation", "a rotation needs at least two stakeholder groups")
	}
	a := p.Alternate
	if a.Room < 0 || a.Remote < 0 || (a.Room == 0) != (a.Remote == 0) {
		return plenary.Invalid("alternate", "alternating slots need at least one room slot and one remote slot (or none of either)")
	}
	if a.Room > 100 || a.Remote > 100 {
		return plenary.Invalid("alternate", "at most 100 slots of each in a round")
	}
	if p.ReplyCap < 0 {
		return plenary.Invalid("reply_cap", "the cap on rights of reply cannot be negative")
	}
	for _, k := range sortedKeys(p.Limits) {
		if !k.valid() {
			return plenary.Invalid("limits."+string(k), "there is no kind of request %q", k)
		}
		if v := p.Limits[k]; v <= 0 || v > 24*3600 {
			return plenary.Invalid("limits."+string(k), "a time limit is a number of seconds between 1 and 86400")
		}
	}
	for _, k := range sortedKeys(p.Budgets) {
		f := "budgets[" + k + "]"
		kind, key, ok := strings.Cut(k, ":")
		if !ok || (kind != "group" && kind != "party") || key == "" {
			return plenary.Invalid(f, "a budget is keyed group:<key> or party:<key>")
		}
		if v := p.Budgets[k]; v <= 0 {
			return plenary.Invalid(f, "a time budget is a positive number of seconds")
		}
	}
	return nil
}

// Describe says the policy in one sentence, as the meeting's page shows it.
func (p Policy) Describe() string {
	s := "Order of request"
	var with []string
	if p.Precedence {
		with = append(with, "protocol precedence")
	}
	if p.LeastSpoken {
		with = append(with, "least speaking time first")
	}
	if p.Lots {
		with = append(with, fmt.Sprintf("drawing by lots (seed %d)", p.Seed))
	}
	if len(with) > 0 {
		s += ", with " + joinAnd(with)
	}
	if len(p.Rotation) > 0 {
		names := make([]string, len(p.Rotation))
		for i, g := range p.Rotation {
			names[i] = humanKey(g)
		}
		s += "; rotation across " + strings.Join(names, ", ")
	}
	if p.Alternate.on() {
		s += "; " + p.Alternate.describe()
	}
	return s + "."
}

func (a Alternation) describe() string {
	return fmt.Sprintf("%d in the room, then %d remote", a.Room, a.Remote)
}

// clone copies the policy's slices and maps, so a State never shares them
// with its caller.
func (p Policy) clone() Policy {
	p.Rotation = slices.Clone(p.Rotation)
	if p.Limits != nil {
		m := make(map[Kind]int64, len(p.Limits))
		for k, v := range p.Limits {
			m[k] = v
		}
		p.Limits = m
	}
	if p.Budgets != nil {
		m := make(map[string]int64, len(p.Budgets))
		for k, v := range p.Budgets {
			m[k] = v
		}
		p.Budgets = m
	}
	return p
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// humanKey writes a key as words: "civil_society" -> "civil society".
func humanKey(k string) string { return strings.ReplaceAll(k, "_", " ") }

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// duration writes milliseconds as "3 min", "2 min 30 s" or "45 s".
func duration(ms int64) string {
	if ms < 0 {
		ms = -ms
	}
	s := ms / 1000
	m, sec := s/60, s%60
	switch {
	case m == 0:
		return fmt.Sprintf("%d s", sec)
	case sec == 0:
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d min %d s", m, sec)
}
