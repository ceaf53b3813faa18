package decide_test

import (
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/decide"
)

// 194 delegations cast a recorded vote, then the result is published.
func BenchmarkRecordedVote194(b *testing.B) {
	voters := make([]decide.Voter, 194)
	for i := range voters {
		voters[i] = head(decide.Party{Code: fmt.Sprintf("M%03d", i), Name: fmt.Sprintf("Member State %03d", i)}, fmt.Sprintf("Head %d", i))
	}
	choices := []decide.Choice{decide.Yes, decide.No, decide.Abstain}
	r := decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple, Members: 194, Quorum: decide.Quorum{Num: 1, Den: 2}}
	b.ReportAllocs()
	for b.Loop() {
		v := decide.NewVoting()
		if err := v.Apply(openVote(r)); err != nil {
			b.Fatal(err)
		}
		for i := range voters {
			if err := v.Apply(castBy(t0+int64(i+1), voters[i], choices[i%3])); err != nil {
				b.Fatal(err)
			}
		}
		if err := v.Apply(decide.VoteEvent{Type: decide.VoteClosed, At: t0 + 1000, Present: 194}); err != nil {
			b.Fatal(err)
		}
		res, err := v.Result()
		if err != nil || res.Tally.Cast() != 194 {
			b.Fatal(err, res.Tally)
		}
	}
}

// 10,000 secret ballots: made, listed in receipt order, checked, tallied
// and hashed, with one receipt verified.
func BenchmarkSecretBallot10000(b *testing.B) {
	const n = 10000
	choices := []decide.Choice{decide.Yes, decide.No, decide.Abstain}
	rng := seeded(10000)
	b.ReportAllocs()
	for b.Loop() {
		list := make([]decide.Ballot, 0, n)
		var first decide.Receipt
		for i := 0; i < n; i++ {
			bl, rc, err := decide.NewBallot(rng, "v-secret", choices[i%3])
			if err != nil {
				b.Fatal(err)
			}
			if i == 0 {
				first = rc
			}
			list = append(list, bl)
		}
		decide.SortBallots(list)
		if err := decide.CheckBallots(list); err != nil {
			b.Fatal(err)
		}
		t := decide.TallyBallots(list)
		if t.Cast() != n || len(decide.BallotListHash(list)) != 64 || !decide.VerifyReceipt(list, first.Vote, first.Choice, first.Nonce) {
			b.Fatal("the secret ballot does not verify")
		}
	}
}
