package decide_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
)

// seeded is a deterministic reader for nonces in tests.
func seeded(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	copy(s[:], strconv.FormatUint(seed, 10))
	return rand.NewChaCha8(s)
}

func TestBallotAndReceipt(t *testing.T) {
	b, rc, err := decide.NewBallot(seeded(1), "v1", decide.Yes)
	if err != nil {
		t.Fatal(err)
	}
	if b.Receipt != rc.Receipt || b.Choice != decide.Yes || len(rc.Nonce) != 32 || len(b.Receipt) != 64 {
		t.Fatalf("%+v %+v", b, rc)
	}
	list := []decide.Ballot{b}
	if !decide.VerifyReceipt(list, "v1", decide.Yes, rc.Nonce) {
		t.Fatal("the voter cannot find its ballot")
	}
	for _, c := range []struct {
		vote   string
		choice decide.Choice
		nonce  string
	}{
		{"v2", decide.Yes, rc.Nonce},                // another vote
		{"v1", decide.No, rc.Nonce},                 // another choice: the receipt commits to it
		{"v1", decide.Yes, strings.Repeat("0", 32)}, // another nonce
		{"v1", decide.Yes, "zz"},                    // not hex
	} {
		if decide.VerifyReceipt(list, c.vote, c.choice, c.nonce) {
			t.Errorf("%+v verifies", c)
		}
	}
	// A server that altered the choice in the list is caught.
	altered := []decide.Ballot{{Receipt: b.Receipt, Choice: decide.No}}
	if decide.VerifyReceipt(altered, "v1", decide.Yes, rc.Nonce) {
		t.Error("an altered ballot verifies")
	}
	if _, _, err := decide.NewBallot(seeded(1), "v1", decide.NotParticipating); plenary.AsError(err).Field != "choice" {
		t.Errorf("a not-participating ballot: %v", err)
	}
	if _, _, err := decide.NewBallot(strings.NewReader("short"), "v1", decide.Yes); plenary.ErrorCode(err) != plenary.CodeInternal {
		t.Errorf("a short random source: %v", err)
	}
	b2, _, _ := decide.NewBallot(seeded(1), "v1", decide.Yes)
	b3, _, _ := decide.NewBallot(seeded(2), "v1", decide.Yes)
	if b2 != b || b3 == b {
		t.Error("ballots do not depend on the nonce alone")
	}
}

func TestCheckBallots(t *testing.T) {
	var list []decide.Ballot
	r := seeded(3)
	for i := 0; i < 5; i++ {
		b, _, _ := decide.NewBallot(r, "v1", decide.Abstain)
		list = append(list, b)
	}
	decide.SortBallots(list)
	if err := decide.CheckBallots(list); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		list []decide.Ballot
		frag string
	}{
		{[]decide.Ballot{list[1], list[0]}, "kept in receipt order"},
		{[]decide.Ballot{list[0], list[0]}, "in the list twice"},
		{[]decide.Ballot{{Receipt: "abc", Choice: decide.Yes}}, "64 lower-case hex digits"},
		{[]decide.Ballot{{Receipt: list[0].Receipt, Choice: decide.NotParticipating}}, "yes, no or abstain"},
	} {
		wantErr(t, decide.CheckBallots(c.list), plenary.CodeInvalid, c.frag)
	}
	var box decide.BallotBox
	for i := len(list) - 1; i >= 0; i-- {
		if err := box.Add(list[i]); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, box.Add(list[2]), plenary.CodeConflict, "already in the box")
	if box.Len() != 5 || !equalJSON(t, box.List(), list) {
		t.Fatal("the box does not keep receipt order")
	}
}

// A whole secret ballot: the stored data (the voters' list and the ballot
// list) holds nothing that links a voter to a choice, every voter finds
// its ballot, and anyone recomputes the tally and the hash.
func TestSecretBallotCannotLinkVoterToChoice(t *testing.T) {
	r := decide.VoteRules{Method: decide.Secret, Majority: decide.Simple}
	v := decide.NewVoting()
	if err := v.Apply(openVote(r)); err != nil {
		t.Fatal(err)
	}
	wantErr(t, v.Apply(castBy(atMin(1), head(spain, "Mr Ros"), decide.Yes)), plenary.CodeInvalid, "never goes with the voter's name")
	parties := []decide.Party{spain, sweden, kenya, iran, india, somalia, {Code: "BRA", Name: "Brazil"}, {Code: "USA", Name: "United States"}}
	choices := []decide.Choice{decide.Yes, decide.No, decide.Yes, decide.Yes, decide.Abstain, decide.No, decide.Yes, decide.No}
	var box decide.BallotBox
	var receipts []decide.Receipt
	var castOrder []string
	rng := seeded(9)
	for i, p := range parties {
		if err := v.Apply(castBy(atMin(2+i), head(p, "Head of "+p.Name), "")); err != nil {
			t.Fatal(err)
		}
		b, rc, err := decide.NewBallot(rng, "v1", choices[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := box.Add(b); err != nil {
			t.Fatal(err)
		}
		receipts = append(receipts, rc)
		castOrder = append(castOrder, b.Receipt)
	}
	list := box.List()
	// One ballot short: stuffing or loss shows as #ballots ≠ #voters.
	wantErr(t, v.Apply(decide.VoteEvent{Type: decide.VoteClosed, At: atMin(20), Ballots: list[1:]}), plenary.CodeConflict, "the ballot list holds 7 ballots for 8 voters")
	wantErr(t, v.Apply(decide.VoteEvent{Type: decide.VoteClosed, At: atMin(20), Ballots: []decide.Ballot{list[1], list[0]}}), plenary.CodeInvalid, "receipt order")
	if err := v.Apply(decide.VoteEvent{Type: decide.VoteClosed, At: atMin(20), Ballots: list}); err != nil {
		t.Fatal(err)
	}
	res, err := v.Result()
	if err != nil {
		t.Fatal(err)
	}

	// The ballot list is in receipt order, not the order of casting.
	if !slices.IsSortedFunc(res.Ballots, func(a, b decide.Ballot) int { return strings.Compare(a.Receipt, b.Receipt) }) {
		t.Fatal("the ballot list is not in receipt order")
	}
	sortedCast := slices.Clone(castOrder)
	slices.Sort(sortedCast)
	if slices.Equal(castOrder, sortedCast) {
		t.Fatal("the test's casting order is already sorted: it proves nothing")
	}
	// A ballot has exactly a receipt and a choice: no voter, no time.
	bt := reflect.TypeOf(decide.Ballot{})
	if bt.NumField() != 2 || bt.Field(0).Name != "Receipt" || bt.Field(1).Name != "Choice" {
		t.Fatalf("a ballot holds more than its receipt and choice: %v", bt)
	}
	ballots, _ := json.Marshal(res.Ballots)
	for _, p := range parties {
		for _, s := range []string{p.Code, p.Name, "Head of " + p.Name} {
			if strings.Contains(string(ballots), s) {
				t.Fatalf("the ballot list names %q", s)
			}
		}
	}
	for i := range parties {
		if strings.Contains(string(ballots), strconv.FormatInt(atMin(2+i), 10)) {
			t.Fatal("the ballot list holds a time of casting")
		}
	}
	// The voters' list says who voted and never what.
	voters, _ := json.Marshal(res.Voters)
	for _, c := range decide.Choices() {
		if strings.Contains(string(voters), `"`+string(c)+`"`) {
			t.Fatalf("the voters' list holds a choice: %s", voters)
		}
	}
	for _, b := range res.Ballots {
		if strings.Contains(string(voters), b.Receipt) {
			t.Fatal("the voters' list holds a receipt")
		}
	}
	if len(res.Voters) != len(parties) || res.Voters[0].Party != spain {
		t.Fatalf("voters %+v", res.Voters)
	}
	// The closing event, what the record keeps, holds the list and no voter.
	closing, _ := json.Marshal(decide.VoteEvent{Type: decide.VoteClosed, At: atMin(20), Ballots: list})
	if strings.Contains(string(closing), "ESP") || strings.Contains(string(closing), "voter") {
		t.Fatal("the closing event names a voter")
	}
	// Each voter finds its ballot; anyone recomputes the tally and the hash.
	for _, rc := range receipts {
		if !decide.VerifyReceipt(res.Ballots, rc.Vote, rc.Choice, rc.Nonce) {
			t.Fatalf("%+v is not in the list", rc)
		}
	}
	if decide.TallyBallots(res.Ballots) != (decide.Tally{Yes: 4, No: 3, Abstain: 1}) || res.Tally != decide.TallyBallots(res.Ballots) {
		t.Fatalf("tally %+v", res.Tally)
	}
	if res.BallotHash != decide.BallotListHash(list) || len(res.BallotHash) != 64 {
		t.Fatal("the hash is not the list's")
	}
	tampered := slices.Clone(list)
	tampered[0].Choice = decide.Abstain
	if decide.BallotListHash(tampered) == res.BallotHash {
		t.Fatal("the hash does not cover the choices")
	}
	if res.Arithmetic.Sentence != "4 for, 3 against: 4 > 3.5 of 7 present and voting; 1 abstention not counted. Adopted." {
		t.Fatal(res.Arithmetic.Sentence)
	}
}
