package decide_test

import (
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
)

// The WCIT-12 vote of 13 December 2012 on the preamble.
func TestWCIT12Vote(t *testing.T) {
	a := decide.Compute(decide.Tally{Yes: 77, No: 33, Abstain: 8}, decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple})
	const want = "77 for, 33 against: 77 > 55 of 110 present and voting; 8 abstentions not counted. Adopted."
	if a.Sentence != want {
		t.Fatalf("got  %q\nwant %q", a.Sentence, want)
	}
	if a.Outcome != decide.Adopted || a.Needed != 56 || a.Rule != "simple majority of those present and voting" {
		t.Fatalf("%+v", a)
	}
}

func TestMajorities(t *testing.T) {
	simple := decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple}
	two := decide.VoteRules{Method: decide.Recorded, Majority: decide.TwoThirds}
	abs := decide.VoteRules{Method: decide.Recorded, Majority: decide.Absolute, Members: 193}
	quorum := func(r decide.VoteRules, q decide.Quorum, members int) decide.VoteRules {
		r.Quorum, r.Members = q, members
		return r
	}
	half := decide.Quorum{Num: 1, Den: 2}
	cases := []struct {
		name    string
		t       decide.Tally
		r       decide.VoteRules
		outcome decide.Outcome
		needed  int
		want    string
	}{
		{"simple, adopted", decide.Tally{Yes: 77, No: 33, Abstain: 8}, simple, decide.Adopted, 56,
			"77 for, 33 against: 77 > 55 of 110 present and voting; 8 abstentions not counted. Adopted."},
		{"simple, rejected", decide.Tally{Yes: 33, No: 77, Abstain: 8}, simple, decide.NotAdopted, 56,
			"33 for, 77 against: 33 is not more than 55 of 110 present and voting; 8 abstentions not counted. Not adopted."},
		{"simple, tie fails", decide.Tally{Yes: 55, No: 55, Abstain: 1}, simple, decide.NotAdopted, 56,
			"55 for, 55 against: 55 is not more than 55 of 110 present and voting: a tie fails; 1 abstention not counted. Not adopted."},
		{"simple, odd number voting", decide.Tally{Yes: 56, No: 55}, simple, decide.Adopted, 56,
			"56 for, 55 against: 56 > 55.5 of 111 present and voting; no abstentions. Adopted."},
		{"simple, abstentions do not count against", decide.Tally{Yes: 2, No: 1, Abstain: 150}, simple, decide.Adopted, 2,
			"2 for, 1 against: 2 > 1.5 of 3 present and voting; 150 abstentions not counted. Adopted."},
		{"simple, nobody voting", decide.Tally{Abstain: 5}, simple, decide.NotAdopted, 1,
			"0 for, 0 against: no one present and voting; 5 abstentions not counted. Not adopted."},
		{"simple, roll-call absences", decide.Tally{Yes: 10, No: 5, NotParticipating: 3}, simple, decide.Adopted, 8,
			"10 for, 5 against: 10 > 7.5 of 15 present and voting; no abstentions; 3 not participating. Adopted."},
		{"two-thirds, adopted", decide.Tally{Yes: 80, No: 30, Abstain: 8}, two, decide.Adopted, 74,
			"80 for, 30 against: 80 ≥ 74, two-thirds of 110 present and voting; 8 abstentions not counted. Adopted."},
		{"two-thirds, exactly", decide.Tally{Yes: 20, No: 10}, two, decide.Adopted, 20,
			"20 for, 10 against: 20 ≥ 20, two-thirds of 30 present and voting; no abstentions. Adopted."},
		{"two-thirds, one short", decide.Tally{Yes: 73, No: 37}, two, decide.NotAdopted, 74,
			"73 for, 37 against: 73 < 74, two-thirds of 110 present and voting; no abstentions. Not adopted."},
		{"two-thirds, the WCIT-12 tally", decide.Tally{Yes: 77, No: 33, Abstain: 8}, two, decide.Adopted, 74,
			"77 for, 33 against: 77 ≥ 74, two-thirds of 110 present and voting; 8 abstentions not counted. Adopted."},
		{"two-thirds, nobody voting", decide.Tally{}, two, decide.NotAdopted, 0,
			"0 for, 0 against: no one present and voting; no abstentions. Not adopted."},
		{"absolute, the WCIT-12 tally fails", decide.Tally{Yes: 77, No: 33, Abstain: 8}, abs, decide.NotAdopted, 97,
			"77 for, 33 against: 77 < 97, more than half of all 193 members, however many voted; 8 abstentions. Not adopted."},
		{"absolute, adopted", decide.Tally{Yes: 97, No: 1}, abs, decide.Adopted, 97,
			"97 for, 1 against: 97 ≥ 97, more than half of all 193 members, however many voted; no abstentions. Adopted."},
		{"quorum failure", decide.Tally{Yes: 50, No: 5, Abstain: 2, Present: 60}, quorum(simple, half, 193), decide.NoResult, 0,
			"No quorum: 60 of 193 present, 97 needed. No result."},
		{"quorum met", decide.Tally{Yes: 50, No: 45, Abstain: 2, Present: 97}, quorum(simple, half, 193), decide.Adopted, 48,
			"50 for, 45 against: 50 > 47.5 of 95 present and voting; 2 abstentions not counted. Adopted."},
		{"quorum measured by ballots when presence is not stated", decide.Tally{Yes: 50, No: 40}, quorum(simple, half, 193), decide.NoResult, 0,
			"No quorum: 90 of 193 present, 97 needed. No result."},
		{"quorum as a number", decide.Tally{Yes: 3, No: 1, Present: 4}, quorum(simple, decide.Quorum{Number: 5}, 0), decide.NoResult, 0,
			"No quorum: 4 present, 5 needed. No result."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.r.Validate(); err != nil {
				t.Fatal(err)
			}
			a := decide.Compute(c.t, c.r)
			if a.Sentence != c.want {
				t.Errorf("got  %q\nwant %q", a.Sentence, c.want)
			}
			if a.Outcome != c.outcome || a.Needed != c.needed {
				t.Errorf("outcome %s needed %d, want %s %d", a.Outcome, a.Needed, c.outcome, c.needed)
			}
		})
	}
}

// For every small tally, a simple majority passes exactly when yes > no,
// two-thirds exactly when 3 yes ≥ 2 (yes + no), and an absolute majority
// exactly when 2 yes > members.
func TestMajoritiesExhaustive(t *testing.T) {
	const members = 21
	for y := 0; y <= members; y++ {
		for n := 0; y+n <= members; n++ {
			for a := 0; y+n+a <= members; a += 3 {
				tl := decide.Tally{Yes: y, No: n, Abstain: a}
				s := decide.Compute(tl, decide.VoteRules{Majority: decide.Simple}).Outcome == decide.Adopted
				tw := decide.Compute(tl, decide.VoteRules{Majority: decide.TwoThirds}).Outcome == decide.Adopted
				ab := decide.Compute(tl, decide.VoteRules{Majority: decide.Absolute, Members: members}).Outcome == decide.Adopted
				if s != (y > n) || tw != (y+n > 0 && 3*y >= 2*(y+n)) || ab != (2*y > members) {
					t.Fatalf("%+v: simple %v two-thirds %v absolute %v", tl, s, tw, ab)
				}
			}
		}
	}
}

func TestVoteRulesValidation(t *testing.T) {
	cases := []struct {
		r     decide.VoteRules
		field string
	}{
		{decide.VoteRules{Method: "acclamation", Majority: decide.Simple}, "rules.method"},
		{decide.VoteRules{Method: decide.Secret, Majority: "qualified"}, "rules.majority"},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Absolute}, "rules.members"},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Simple, Members: -1}, "rules.members"},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Simple, Credentials: "any"}, "rules.credentials"},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Simple, Quorum: decide.Quorum{Num: 1, Den: 2}}, "rules.members"},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Simple, Members: 10, Quorum: decide.Quorum{Num: 3, Den: 2}}, "rules.quorum"},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Simple, Members: 10, Quorum: decide.Quorum{Number: 11}}, "rules.quorum.number"},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Simple, Members: 10, Quorum: decide.Quorum{Number: 5, Num: 1, Den: 2}}, "rules.quorum"},
	}
	for _, c := range cases {
		err := c.r.Validate()
		if pe := plenary.AsError(err); err == nil || pe.Code != plenary.CodeInvalid || pe.Field != c.field {
			t.Errorf("%+v: want invalid %s, got %v", c.r, c.field, err)
		}
	}
}

func TestTallyValidation(t *testing.T) {
	for _, c := range []struct {
		t     decide.Tally
		field string
	}{
		{decide.Tally{Yes: -1}, "tally.yes"},
		{decide.Tally{Abstain: -2}, "tally.abstain"},
		{decide.Tally{Yes: 5, No: 5, Present: 9}, "tally.present"},
	} {
		if pe := plenary.AsError(c.t.Validate()); pe.Field != c.field {
			t.Errorf("%+v: got %v", c.t, pe)
		}
	}
	if err := (decide.Tally{Yes: 5, No: 4, Present: 9}).Validate(); err != nil {
		t.Error(err)
	}
}
