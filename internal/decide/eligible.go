package decide

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/rules"
)

// Method is how a formal vote is taken.
type Method string

// The methods of voting.
const (
	ShowOfHands Method = "show_of_hands" // placards raised; the secretariat enters the tally
	RollCall    Method = "roll_call"     // delegations called in alphabetical order from a letter drawn by lot; each answer public
	Recorded    Method = "recorded"      // each delegation votes from its device; each delegation's vote public
	Secret      Method = "secret"        // who voted is public, what each voted is not (see docs/SECRET_BALLOT.md)
)

// Methods lists the methods in a stable order.
func Methods() []Method { return []Method{ShowOfHands, RollCall, Recorded, Secret} }

// Valid reports whether m is a defined method.
func (m Method) Valid() bool { return slices.Contains(Methods(), m) }

// Label is the method as pages name the vote.
func (m Method) Label() string {
	switch m {
	case ShowOfHands:
		return "Vote by show of hands"
	case RollCall:
		return "Roll-call vote"
	case Recorded:
		return "Recorded vote"
	case Secret:
		return "Secret ballot"
	}
	return string(m)
}

// CredentialsRule is which credentials let a delegation vote.
type CredentialsRule string

// The credentials rules.
const (
	InOrderOnly    CredentialsRule = "in_order"    // only credentials in order (the default, "")
	ProvisionalToo CredentialsRule = "provisional" // also credentials presented and not yet examined
	NotConsulted   CredentialsRule = "not_checked" // the forum has no credentials: they are not consulted
)

// VoteRules are a vote's settings, fixed when it opens.
type VoteRules struct {
	Method   Method   `json:"method"`
	Majority Majority `json:"majority"`
	// Members is the number of members entitled to vote, for an absolute
	// majority and a quorum given as a share.
	Members     int             `json:"members,omitempty"`
	Quorum      Quorum          `json:"quorum"`
	Credentials CredentialsRule `json:"credentials,omitempty"`
	// Presence requires a voter to be present in the meeting.
	Presence bool `json:"presence,omitempty"`
	// HideResults hides the running counts (and each delegation's vote)
	// until the vote closes; the number of ballots cast is still shown.
	HideResults bool `json:"hide_results,omitempty"`
}

// Validate checks the rules; the error names the field at fault.
func (r VoteRules) Validate() error {
	if !r.Method.Valid() {
		return plenary.Invalid("rules.method", "a vote is by show of hands, roll-call, recorded vote or secret ballot, not %q", r.Method)
	}
	if !r.Majority.Valid() {
		return plenary.Invalid("rules.majority", "the majority is simple, two-thirds or absolute, not %q", r.Majority)
	}
	if r.Members < 0 {
		return plenary.Invalid("rules.members", "the number of members is not negative")
	}
	if r.Majority == Absolute && r.Members == 0 {
		return plenary.Invalid("rules.members", "an absolute majority of the members needs the number of members")
	}
	switch r.Credentials {
	case "", InOrderOnly, ProvisionalToo, NotConsulted:
	default:
		return plenary.Invalid("rules.credentials", "unknown credentials rule %q", r.Credentials)
	}
	if err := r.Quorum.validate(r.Members); err != nil {
		e := plenary.AsError(err)
		if !strings.HasPrefix(e.Field, "rules.") {
			e.Field = "rules." + e.Field
		}
		return e
	}
	return nil
}

// Proxy is the party a voter casts a proxy vote for: a party that has
// transferred its powers (its credentials are "transferred") to the
// voter's delegation (Holder, the code the transfer names).
type Proxy struct {
	Party       Party             `json:"party"`
	Credentials rules.Credentials `json:"credentials"`
	Holder      string            `json:"holder"`
}

// Voter is a person casting a ballot, with everything eligibility depends
// on, as the command layer finds it: the person's delegation and standing,
// the rights matrix's vote right, the delegation's credentials, presence
// in the meeting, and the party voted for when it is a proxy vote.
type Voter struct {
	Party       Party             `json:"party"`          // the person's delegation
	Person      string            `json:"person"`         // the person's stable key
	Name        string            `json:"name,omitempty"` // the person's name as shown
	Head        bool              `json:"head,omitempty"` // head of delegation
	Named       bool              `json:"named,omitempty"`
	Present     bool              `json:"present,omitempty"`
	Right       Right             `json:"right"`       // the matrix's vote right
	Credentials rules.Credentials `json:"credentials"` // of Party
	For         *Proxy            `json:"for,omitempty"`
}

// Counts is the party whose vote the ballot is: the proxy's, or the voter's.
func (v Voter) Counts() Party {
	if v.For != nil {
		return v.For.Party
	}
	return v.Party
}

func (v Voter) who() string {
	if v.Name != "" {
		return v.Name
	}
	return v.Person
}

// Eligible says whether v may cast a ballot under r, on its own: nil, or a
// *plenary.Error whose message names the rule that refuses it. In order:
// the matrix's vote right, who casts for the delegation (its head or a
// delegate the head named), presence in the meeting when the rules require
// it, then credentials:
//
//   - in order: votes; provisional: votes only when the rules allow it;
//     none presented: refused;
//   - in order for signature only: refused, the delegation may sign, not vote;
//   - transferred: refused, the delegation holding its proxy votes for it;
//   - a proxy vote (v.For): the party voted for must have transferred its
//     powers to the voter's delegation, whose own credentials must let it
//     vote.
//
// One vote per party and one proxy per delegation depend on the ballots
// already cast, and are checked by [Voting.Apply].
func Eligible(v Voter, r VoteRules) error {
	if err := need("voter.party", v.Party.Code, "say for which delegation the ballot is cast"); err != nil {
		return err
	}
	if err := need("voter.person", v.Person, "say who casts the ballot"); err != nil {
		return err
	}
	if !v.Credentials.Valid() {
		return plenary.Invalid("voter.credentials", "unknown credentials state %q", v.Credentials)
	}
	if !v.Right.Holds {
		if v.Right.Rule != "" {
			return plenary.Forbidden("%s", v.Right.Rule)
		}
		return plenary.Forbidden("%s may not vote: the rules of participation do not give it the right to vote", v.Party)
	}
	if !v.Head && !v.Named {
		return plenary.Forbidden("%s is neither the head of the delegation of %s nor a delegate the head has named to cast its vote", v.who(), v.Party)
	}
	if r.Presence && !v.Present {
		return plenary.Forbidden("%s is not present in the meeting, and this vote requires voters to be present", v.who())
	}
	if v.For == nil {
		return credentialsVote(v.Party, v.Credentials, r.Credentials)
	}
	p := v.For
	if err := need("voter.for.party", p.Party.Code, "say for which party the proxy vote is cast"); err != nil {
		return err
	}
	if p.Party.Code == v.Party.Code {
		return plenary.Invalid("voter.for", "a delegation votes for itself without a proxy")
	}
	if p.Credentials != rules.CredentialsTransferred {
		return plenary.Forbidden("%s has not transferred its powers (credentials: %s): only its own delegation votes for it", p.Party, credLabel(p.Credentials))
	}
	if p.Holder != v.Party.Code {
		return plenary.Forbidden("%s transferred its powers to %s, not to %s: only the delegation it named carries its proxy vote", p.Party, p.Holder, v.Party)
	}
	if err := credentialsVote(v.Party, v.Credentials, r.Credentials); err != nil {
		return plenary.Forbidden("%s cannot carry the proxy vote of %s: %s", v.Party, p.Party, plenary.AsError(err).Message)
	}
	return nil
}

func credLabel(c rules.Credentials) string { return c.Label() }

// credentialsVote says whether credentials c let party p vote itself.
func credentialsVote(p Party, c rules.Credentials, rule CredentialsRule) error {
	if rule == NotConsulted {
		return nil
	}
	wanted := "credentials in order"
	if rule == ProvisionalToo {
		wanted = "credentials in order or provisional"
	}
	switch c {
	case rules.CredentialsInOrder:
		return nil
	case rules.CredentialsProvisional:
		if rule == ProvisionalToo {
			return nil
		}
		return plenary.Forbidden("the credentials of %s are provisional (not yet examined by the credentials committee), and this vote counts only delegations with %s", p, wanted)
	case rules.CredentialsSignOnly:
		return plenary.Forbidden("the credentials of %s are in order for signature only: %s may sign, not vote", p, p)
	case rules.CredentialsTransferred:
		return plenary.Forbidden("%s has transferred its powers to another delegation: the delegation holding its proxy votes for it", p)
	}
	return plenary.Forbidden("%s has presented no credentials, and this vote counts only delegations with %s", p, wanted)
}

// RollCallOrder is the order in which a roll-call calls the delegations:
// alphabetical by name, starting from a letter drawn by lot, and wrapping
// round to A after Z. The seed is put on the record when the vote opens,
// so anyone can recompute the letter and the order:
//
//  1. Each party's sort key is its name (its code when it has no name),
//     lower-cased, with the accents of Latin letters removed ("Côte
//     d'Ivoire" sorts as "cote d'ivoire", before "Cuba"); ties by code.
//     The parties are sorted by key, byte by byte.
//  2. The letters that begin a key, upper-cased, are listed once each in
//     that order; only letters some delegation begins with can be drawn.
//  3. h is SHA-256 of the text "plenary roll-call:" followed by the seed in
//     decimal; its first 8 bytes, read as a big-endian unsigned integer,
//     modulo the number of letters, give the index of the letter drawn.
//  4. The order is the sorted list, starting at the first party whose key
//     begins with that letter and continuing, after the last, from the top.
//
// With no parties it returns 0 and nil.
func RollCallOrder(parties []Party, seed uint64) (letter rune, order []Party) {
	if len(parties) == 0 {
		return 0, nil
	}
	type keyed struct {
		key string
		p   Party
	}
	ks := make([]keyed, len(parties))
	for i, p := range parties {
		ks[i] = keyed{sortKey(p), p}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.p.Code, b.p.Code)
	})
	var letters []rune
	for _, k := range ks {
		l := initial(k.key)
		if len(letters) == 0 || letters[len(letters)-1] != l {
			letters = append(letters, l)
		}
	}
	h := sha256.Sum256([]byte("plenary roll-call:" + strconv.FormatUint(seed, 10)))
	letter = letters[binary.BigEndian.Uint64(h[:8])%uint64(len(letters))]
	start := slices.IndexFunc(ks, func(k keyed) bool { return initial(k.key) == letter })
	order = make([]Party, 0, len(ks))
	for i := range ks {
		order = append(order, ks[(start+i)%len(ks)].p)
	}
	return letter, order
}

func initial(key string) rune {
	for _, r := range key {
		return unicode.ToUpper(r)
	}
	return 0
}

// sortKey is a party's name folded for the roll-call's alphabetical order.
func sortKey(p Party) string {
	name := p.Name
	if name == "" {
		name = p.Code
	}
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if f, ok := fold[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fold removes the accents of the lower-case Latin letters that occur in
// the names of states.
var fold = func() map[rune]string {
	m := map[rune]string{}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćčĉċ", "d": "ď", "e": "èéêëēĕėęě", "g": "ğ", "i": "ìíîïīįı",
		"l": "ł", "n": "ñńň", "o": "òóôõöøō", "r": "ř", "s": "śšşș", "t": "ťţț", "u": "ùúûüūůű",
		"y": "ýÿ", "z": "źżž", "ae": "æ", "oe": "œ", "ss": "ß",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// describeVoter names who cast a ballot in a sentence: "Ms Diallo of
// Senegal", or "Mr Berg of Sweden, holding its proxy".
func describeVoter(v Voter) string {
	s := fmt.Sprintf("%s of %s", v.who(), v.Party)
	if v.For != nil {
		s += ", holding its proxy"
	}
	return s
}
