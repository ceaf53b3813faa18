package decide_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/rules"
)

func preamble() decide.Subject {
	return decide.Subject{Kind: decide.OnProvisions, Ref: "itrs/dt-55", Provisions: []string{"preamble"}}
}

func openVote(r decide.VoteRules, roll ...decide.Party) decide.VoteEvent {
	return decide.VoteEvent{Type: decide.VoteOpened, At: t0, Vote: &decide.Vote{ID: "v1", Subject: preamble(), Rules: r, Roll: roll, Seed: 7}}
}

func castBy(at int64, v decide.Voter, c decide.Choice) decide.VoteEvent {
	return decide.VoteEvent{Type: decide.BallotCast, At: at, Voter: &v, Choice: c}
}

func TestRecordedVote(t *testing.T) {
	r := decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple}
	v := decide.NewVoting()
	steps := []struct {
		e    decide.VoteEvent
		code plenary.Code
		frag string
	}{
		{castBy(t0, head(spain, "Mr Ros"), decide.No), plenary.CodeConflict, "has not been opened"},
		{openVote(r), "", ""},
		{openVote(r), plenary.CodeConflict, "already open"},
		{castBy(atMin(1), head(spain, "Mr Ros"), decide.No), "", ""},
		{castBy(atMin(2), decide.Voter{Party: spain, Person: "p-2", Name: "Ms Gil", Named: true, Right: allow, Credentials: rules.CredentialsInOrder}, decide.Yes),
			plenary.CodeConflict, "Spain has already voted: one vote per party, and its ballot was cast by Mr Ros of Spain"},
		{castBy(atMin(2), head(iran, "Mr Taghipour"), decide.NotParticipating), plenary.CodeInvalid, "a ballot is yes, no or abstain"},
		{castBy(atMin(2), head(iran, "Mr Taghipour"), decide.Yes), "", ""},
		{castBy(atMin(3), head(kenya, "Ms Ndemo"), decide.Abstain), "", ""},
		{decide.VoteEvent{Type: decide.TallyEntered, At: atMin(3), Tally: &decide.Tally{Yes: 1}}, plenary.CodeConflict, "only a vote by show of hands"},
		{decide.VoteEvent{Type: decide.VoteClosed, At: atMin(4), Ballots: []decide.Ballot{{}}}, plenary.CodeInvalid, "only a secret ballot publishes a ballot list"},
		{decide.VoteEvent{Type: decide.VoteClosed, At: atMin(4)}, "", ""},
		{castBy(atMin(5), head(sweden, "Ms Berg"), decide.No), plenary.CodeConflict, "the vote is closed"},
	}
	for i, st := range steps {
		err := v.Apply(st.e)
		wantErr(t, err, st.code, st.frag)
		if t.Failed() {
			t.Fatalf("step %d", i+1)
		}
	}
	res, err := v.Result()
	if err != nil {
		t.Fatal(err)
	}
	if res.Tally != (decide.Tally{Yes: 1, No: 1, Abstain: 1}) || res.Arithmetic.Outcome != decide.NotAdopted || !res.Binding || res.MethodLabel != "Recorded vote" {
		t.Fatalf("%+v", res)
	}
	var got []string
	for _, rec := range res.Records {
		got = append(got, rec.Party.Code+":"+string(rec.Choice)+":"+rec.By)
	}
	if strings.Join(got, " ") != "ESP:no:Mr Ros IRN:yes:Mr Taghipour KEN:abstain:Ms Ndemo" {
		t.Fatalf("records %v", got)
	}
	if res.Voters != nil || res.Ballots != nil {
		t.Fatal("a recorded vote has a secret ballot's lists")
	}
}

func TestProxyVotes(t *testing.T) {
	r := decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple}
	ethiopia := decide.Party{Code: "ETH", Name: "Ethiopia"}
	proxyFor := func(p decide.Party) decide.Voter {
		v := head(kenya, "Ms Ndemo")
		v.For = &decide.Proxy{Party: p, Credentials: rules.CredentialsTransferred, Holder: "KEN"}
		return v
	}
	v, err := decide.ReplayVoting([]decide.VoteEvent{openVote(r), castBy(atMin(1), head(kenya, "Ms Ndemo"), decide.Yes), castBy(atMin(2), proxyFor(somalia), decide.No)})
	if err != nil {
		t.Fatal(err)
	}
	err = v.Apply(castBy(atMin(3), proxyFor(ethiopia), decide.No))
	wantErr(t, err, plenary.CodeConflict, "Kenya already carries the proxy vote of Somalia: a delegation may carry one proxy only")
	err = v.Apply(castBy(atMin(3), head(somalia, "Mr Ali"), decide.Yes))
	wantErr(t, err, plenary.CodeConflict, "Somalia has already voted: one vote per party, and its ballot was cast by Ms Ndemo of Kenya, holding its proxy")
	recs := v.Records()
	if len(recs) != 2 || recs[1].Party != somalia || recs[1].Holder == nil || *recs[1].Holder != kenya || v.Tally() != (decide.Tally{Yes: 1, No: 1}) {
		t.Fatalf("records %+v tally %+v", recs, v.Tally())
	}
}

func TestRollCall(t *testing.T) {
	roll := []decide.Party{spain, sweden, kenya, iran, india}
	r := decide.VoteRules{Method: decide.RollCall, Majority: decide.Simple}
	v := decide.NewVoting()
	wantErr(t, v.Apply(decide.VoteEvent{Type: decide.VoteOpened, At: t0, Vote: &decide.Vote{ID: "v", Subject: preamble(), Rules: r}}), plenary.CodeInvalid, "a roll-call needs the delegations to call")
	if err := v.Apply(openVote(r, roll...)); err != nil {
		t.Fatal(err)
	}
	letter, order := v.Order()
	wl, wo := decide.RollCallOrder(roll, 7)
	if letter != wl || !equalJSON(t, order, wo) {
		t.Fatal("the vote's order is not RollCallOrder of its roll and seed")
	}
	next, _ := v.Next()
	if next != order[0] {
		t.Fatalf("next %s, want %s", next, order[0])
	}
	wantErr(t, v.Apply(castBy(atMin(1), head(cisco, "Mr Hill"), decide.Yes)), plenary.CodeForbidden, "Cisco is not on the roll of this vote")
	for i, p := range order[:3] {
		if err := v.Apply(castBy(atMin(1+i), head(p, "Head of "+p.Name), []decide.Choice{decide.Yes, decide.No, decide.Yes}[i])); err != nil {
			t.Fatal(err)
		}
	}
	if next, _ := v.Next(); next != order[3] {
		t.Fatalf("next %s, want %s", next, order[3])
	}
	if err := v.Apply(decide.VoteEvent{Type: decide.VoteClosed, At: atMin(10)}); err != nil {
		t.Fatal(err)
	}
	res, _ := v.Result()
	if res.Letter != string(letter) || res.Seed != 7 || len(res.Order) != 5 {
		t.Fatalf("%+v", res)
	}
	if len(res.Records) != 5 || res.Records[3].Choice != decide.NotParticipating || res.Records[3].Party != order[3] || res.Records[4].Party != order[4] {
		t.Fatalf("records %+v", res.Records)
	}
	if res.Arithmetic.Sentence != "2 for, 1 against: 2 > 1.5 of 3 present and voting; no abstentions; 2 not participating. Adopted." {
		t.Fatal(res.Arithmetic.Sentence)
	}
}

func TestShowOfHands(t *testing.T) {
	r := decide.VoteRules{Method: decide.ShowOfHands, Majority: decide.TwoThirds, Members: 193, Quorum: decide.Quorum{Num: 1, Den: 2}}
	v := decide.NewVoting()
	steps := []struct {
		e    decide.VoteEvent
		code plenary.Code
		frag string
	}{
		{openVote(r), "", ""},
		{castBy(atMin(1), head(spain, "Mr Ros"), decide.Yes), plenary.CodeConflict, "the secretariat counts the placards"},
		{decide.VoteEvent{Type: decide.VoteClosed, At: atMin(1)}, plenary.CodeConflict, "has not entered the tally"},
		{decide.VoteEvent{Type: decide.TallyEntered, At: atMin(1)}, plenary.CodeInvalid, "enter the tally"},
		{decide.VoteEvent{Type: decide.TallyEntered, At: atMin(1), Tally: &decide.Tally{Yes: 150, No: 50}}, plenary.CodeInvalid, "more than the 193 members"},
		{decide.VoteEvent{Type: decide.TallyEntered, At: atMin(1), Tally: &decide.Tally{Yes: 40, No: 10, NotParticipating: 1}}, plenary.CodeInvalid, "yes, no and abstentions"},
		{decide.VoteEvent{Type: decide.TallyEntered, At: atMin(1), Tally: &decide.Tally{Yes: 40, No: 10, Present: 60}}, "", ""},
		{decide.VoteEvent{Type: decide.TallyEntered, At: atMin(2), Tally: &decide.Tally{Yes: 41, No: 10, Present: 60}}, "", ""},
		{decide.VoteEvent{Type: decide.VoteClosed, At: atMin(3)}, "", ""},
	}
	for i, st := range steps {
		wantErr(t, v.Apply(st.e), st.code, st.frag)
		if t.Failed() {
			t.Fatalf("step %d", i+1)
		}
	}
	res, err := v.Result()
	if err != nil {
		t.Fatal(err)
	}
	if res.Arithmetic.Outcome != decide.NoResult || res.Arithmetic.Sentence != "No quorum: 60 of 193 present, 97 needed. No result." || res.Records != nil {
		t.Fatalf("%+v", res)
	}
}

func TestHiddenResults(t *testing.T) {
	for _, c := range []struct {
		r      decide.VoteRules
		hidden bool
		open   string
	}{
		{decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple}, false, "Open: 2 ballots cast (1 yes, 1 no, 0 abstain)."},
		{decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple, HideResults: true}, true, "Results are hidden until the vote closes: 2 ballots cast."},
		{decide.VoteRules{Method: decide.Secret, Majority: decide.Simple}, true, "Secret ballot: 2 ballots cast; the ballots are counted when the vote closes."},
	} {
		v, err := decide.ReplayVoting([]decide.VoteEvent{openVote(c.r), castBy(atMin(1), head(spain, "Mr Ros"), choiceFor(c.r, decide.Yes)), castBy(atMin(2), head(sweden, "Ms Berg"), choiceFor(c.r, decide.No))})
		if err != nil {
			t.Fatal(err)
		}
		p := v.View()
		if p.Hidden != c.hidden || p.Cast != 2 || p.Sentence != c.open || !p.Open {
			t.Errorf("%s: %+v", c.r.Method, p)
		}
		if c.hidden && (p.Tally != nil || p.Records != nil) {
			t.Errorf("%s: hidden results show counts or votes: %+v", c.r.Method, p)
		}
		if _, err := v.Result(); err == nil {
			t.Errorf("%s: a running vote has a result", c.r.Method)
		}
	}
}

func choiceFor(r decide.VoteRules, c decide.Choice) decide.Choice {
	if r.Method == decide.Secret {
		return ""
	}
	return c
}

// Property: whatever the voters, their eligibility and their repeated
// attempts, no ineligible party's vote is counted and every eligible
// ballot cast is counted exactly once.
func TestVotingCountsEveryEligibleBallotOnce(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		r := decide.VoteRules{Method: []decide.Method{decide.Recorded, decide.RollCall}[rng.IntN(2)], Majority: decide.Simple,
			Presence: rng.IntN(2) == 0, Credentials: []decide.CredentialsRule{"", decide.ProvisionalToo}[rng.IntN(2)]}
		n := 1 + rng.IntN(40)
		parties := make([]decide.Party, n)
		for i := range parties {
			parties[i] = decide.Party{Code: fmt.Sprintf("P%02d", i), Name: fmt.Sprintf("Party %c%02d", 'A'+rng.IntN(26), i)}
		}
		v := decide.NewVoting()
		if err := v.Apply(decide.VoteEvent{Type: decide.VoteOpened, At: t0, Vote: &decide.Vote{ID: "v", Subject: preamble(), Rules: r, Roll: parties, Seed: seed}}); err != nil {
			t.Fatal(err)
		}
		creds := rules.AllCredentials()
		want := map[string]decide.Choice{}
		proxyUsed := map[string]bool{}
		at := t0
		for attempt := 0; attempt < 3*n; attempt++ {
			at += 1000
			p := parties[rng.IntN(n)]
			vt := decide.Voter{Party: p, Person: fmt.Sprintf("%s-%d", p.Code, rng.IntN(3)), Head: rng.IntN(3) > 0, Named: rng.IntN(2) == 0,
				Present: rng.IntN(4) > 0, Right: decide.Right{Holds: rng.IntN(5) > 0}, Credentials: creds[rng.IntN(len(creds))]}
			if rng.IntN(6) == 0 {
				q := parties[rng.IntN(n)]
				holder := p.Code
				if rng.IntN(4) == 0 {
					holder = "ELSE"
				}
				vt.For = &decide.Proxy{Party: q, Credentials: creds[rng.IntN(len(creds))], Holder: holder}
			}
			choice := []decide.Choice{decide.Yes, decide.No, decide.Abstain}[rng.IntN(3)]
			eligibleAlone := oracle(vt, r)
			if eligibleAlone != (decide.Eligible(vt, r) == nil) {
				t.Fatalf("seed %d: Eligible(%+v) disagrees with the rules: %v", seed, vt, decide.Eligible(vt, r))
			}
			counted := vt.Counts().Code
			_, already := want[counted]
			proxyTaken := vt.For != nil && proxyUsed[vt.Party.Code]
			err := v.Apply(castBy(at, vt, choice))
			accept := eligibleAlone && !already && !proxyTaken
			if (err == nil) != accept {
				t.Fatalf("seed %d attempt %d: %+v accepted %v, want %v (err %v)", seed, attempt, vt, err == nil, accept, err)
			}
			if err == nil {
				want[counted] = choice
				if vt.For != nil {
					proxyUsed[vt.Party.Code] = true
				}
			}
		}
		if err := v.Apply(decide.VoteEvent{Type: decide.VoteClosed, At: at + 1}); err != nil {
			t.Fatal(err)
		}
		var tw decide.Tally
		for _, c := range want {
			tw.Add(c)
		}
		res, _ := v.Result()
		got := res.Tally
		if r.Method == decide.RollCall {
			tw.NotParticipating = n - len(want)
		}
		if got != tw {
			t.Fatalf("seed %d: tally %+v, want %+v", seed, got, tw)
		}
		seen := map[string]bool{}
		for _, rec := range res.Records {
			if seen[rec.Party.Code] {
				t.Fatalf("seed %d: %s counted twice", seed, rec.Party.Code)
			}
			seen[rec.Party.Code] = true
			if c, ok := want[rec.Party.Code]; rec.Choice != decide.NotParticipating && (!ok || c != rec.Choice) {
				t.Fatalf("seed %d: %s counted as %s, want %s (eligible ballot %v)", seed, rec.Party.Code, rec.Choice, c, ok)
			}
		}
	}
}

// oracle is eligibility written from the rules, independently of Eligible.
func oracle(v decide.Voter, r decide.VoteRules) bool {
	creds := func(c rules.Credentials) bool {
		return c == rules.CredentialsInOrder || (c == rules.CredentialsProvisional && r.Credentials == decide.ProvisionalToo)
	}
	if !v.Right.Holds || !(v.Head || v.Named) || (r.Presence && !v.Present) || !creds(v.Credentials) {
		return false
	}
	return v.For == nil || (v.For.Party.Code != v.Party.Code && v.For.Credentials == rules.CredentialsTransferred && v.For.Holder == v.Party.Code)
}
