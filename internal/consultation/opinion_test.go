package consultation_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/opinion"
)

func (s *setup) head(t *testing.T) int64 {
	t.Helper()
	n, err := s.St.HeadSeq(s.Ctx, s.F.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mapPeriod opens a period with an opinion map and seeds it from the
// provisions.
func (s *setup) mapPeriod(t *testing.T, public bool) (consultation.Period, []consultation.Statement) {
	t.Helper()
	p := s.open(t, public)
	if err := s.C.EnableOpinionMap(s.Ctx, s.in(t, s.Admin), p.ID); err != nil {
		t.Fatal(err)
	}
	sts, err := s.C.SeedStatements(s.Ctx, s.in(t, s.Admin), p.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p, sts
}

func TestOpinionStatementsAndModeration(t *testing.T) {
	s := newSetup(t)
	ctx := s.Ctx
	p := s.open(t, false)
	fixture.ExpectCode(t, s.C.EnableOpinionMap(ctx, s.in(t, s.Usa), p.ID), plenary.CodeForbidden)
	_, err := s.C.SubmitStatement(ctx, s.in(t, s.Usa), p.ID, consultation.StatementInput{Text: "x", Group: "government"})
	fixture.ExpectCode(t, err, plenary.CodeConflict) // no opinion map yet
	if err := s.C.EnableOpinionMap(ctx, s.in(t, s.Admin), p.ID); err != nil {
		t.Fatal(err)
	}
	fixture.ExpectCode(t, s.C.EnableOpinionMap(ctx, s.in(t, s.Admin), p.ID), plenary.CodeConflict)
	if ok, err := s.C.HasOpinionMap(ctx, s.in(t, s.Observer), p.ID); err != nil || !ok {
		t.Fatalf("HasOpinionMap = %v, %v", ok, err)
	}

	// Seeding: one statement per provision with words; again, none.
	_, err = s.C.SeedStatements(ctx, s.in(t, s.Usa), p.ID, nil)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.C.SeedStatements(ctx, s.in(t, s.Admin), p.ID, []string{"nope"})
	fixture.ExpectField(t, err, "provisions")
	seeded, err := s.C.SeedStatements(ctx, s.in(t, s.Admin), p.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(seeded) != 4 || seeded[0].Ref != "S-1" || seeded[0].State != consultation.StatementAccepted || seeded[0].Provision == "" {
		t.Fatalf("seeded %+v", seeded)
	}
	if again, err := s.C.SeedStatements(ctx, s.in(t, s.Admin), p.ID, nil); err != nil || len(again) != 0 {
		t.Fatalf("seeding again: %d, %v", len(again), err)
	}

	// A participant's statement waits for moderation.
	_, err = s.C.SubmitStatement(ctx, s.in(t, s.Usa), p.ID, consultation.StatementInput{Text: "  ", Group: "government"})
	fixture.ExpectField(t, err, "text")
	_, err = s.C.SubmitStatement(ctx, s.in(t, s.Usa), p.ID, consultation.StatementInput{Text: "Fees should be low"})
	fixture.ExpectField(t, err, "group")
	_, err = s.C.SubmitStatement(ctx, s.in(t, s.Usa), p.ID, consultation.StatementInput{Text: "Fees should be low", Group: "martians"})
	fixture.ExpectField(t, err, "group")
	_, err = s.C.SubmitStatement(ctx, s.in(t, s.Outsider), p.ID, consultation.StatementInput{Text: "Fees should be low", Group: "government"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	before := s.head(t)
	st, err := s.C.SubmitStatement(ctx, s.in(t, s.Usa), p.ID, consultation.StatementInput{Text: "Fees should be low", Group: "government"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Ref != "S-5" || st.State != consultation.StatementPending || s.head(t) != before+1 {
		t.Fatalf("statement %+v, %d events", st, s.head(t)-before)
	}
	list := func(a any) []consultation.Statement {
		t.Helper()
		var sc = s.in(t, s.Observer)
		switch a := a.(type) {
		case string:
			switch a {
			case "usa":
				sc = s.in(t, s.Usa)
			case "admin":
				sc = s.in(t, s.Admin)
			}
		}
		l, err := s.C.Statements(ctx, sc, p.ID, consultation.StatementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if n := len(list("observer")); n != 4 {
		t.Errorf("the public sees %d statements, want the 4 accepted", n)
	}
	if n := len(list("usa")); n != 5 {
		t.Errorf("the author sees %d statements, want 5 (theirs pending)", n)
	}

	// Moderation.
	_, err = s.C.ModerateStatement(ctx, s.in(t, s.Usa), p.ID, "S-5", consultation.ModerationInput{Accept: true})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.C.ModerateStatement(ctx, s.in(t, s.Admin), p.ID, "S-5", consultation.ModerationInput{})
	fixture.ExpectField(t, err, "reason")
	_, err = s.C.ModerateStatement(ctx, s.in(t, s.Admin), p.ID, "S-99", consultation.ModerationInput{Accept: true})
	fixture.ExpectCode(t, err, plenary.CodeNotFound)
	// Voting on a statement awaiting moderation is refused.
	_, err = s.C.Vote(ctx, s.in(t, s.Bra), p.ID, consultation.VoteInput{Statement: "S-5", Vote: consultation.Agree, Group: "government"})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	st, err = s.C.ModerateStatement(ctx, s.in(t, s.Admin), p.ID, "S-5", consultation.ModerationInput{Accept: true})
	if err != nil || st.State != consultation.StatementAccepted {
		t.Fatalf("accept: %+v, %v", st, err)
	}
	_, err = s.C.ModerateStatement(ctx, s.in(t, s.Admin), p.ID, "S-5", consultation.ModerationInput{Accept: true})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	st, err = s.C.SubmitStatement(ctx, s.in(t, s.Usa), p.ID, consultation.StatementInput{Text: "Something abusive"})
	if err != nil {
		t.Fatal(err) // the group declared before is kept
	}
	if st.Group != "government" {
		t.Errorf("the declared group is %q, want government", st.Group)
	}
	st, err = s.C.ModerateStatement(ctx, s.in(t, s.Admin), p.ID, st.Ref, consultation.ModerationInput{Reason: "Abusive"})
	if err != nil || st.State != consultation.StatementRejected || st.Reason != "Abusive" {
		t.Fatalf("reject: %+v, %v", st, err)
	}
	if n := len(list("observer")); n != 5 {
		t.Errorf("the public sees %d statements, want 5", n)
	}
	if n := len(list("admin")); n != 6 {
		t.Errorf("the secretariat sees %d statements, want 6", n)
	}

	// Bounded intake.
	s.C.PerAccount = 2
	_, err = s.C.SubmitStatement(ctx, s.in(t, s.Usa), p.ID, consultation.StatementInput{Text: "A third one"})
	fixture.ExpectCode(t, err, plenary.CodeRateLimited)
}

func TestOpinionVotes(t *testing.T) {
	s := newSetup(t)
	ctx := s.Ctx
	p, _ := s.mapPeriod(t, false)
	_, err := s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: "S-1", Vote: "maybe", Group: "government"})
	fixture.ExpectField(t, err, "vote")
	_, err = s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: "S-9", Vote: consultation.Agree, Group: "government"})
	fixture.ExpectField(t, err, "statement")
	_, err = s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: "S-1", Vote: consultation.Agree})
	fixture.ExpectField(t, err, "group")
	_, err = s.C.Vote(ctx, s.in(t, s.Outsider), p.ID, consultation.VoteInput{Statement: "S-1", Vote: consultation.Agree, Group: "government"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)

	before := s.head(t)
	v, err := s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: "S-1", Vote: consultation.Agree, Group: "government"})
	if err != nil || v.Number != 1 || v.Voted != 1 || v.Group != "government" {
		t.Fatalf("vote: %+v, %v", v, err)
	}
	// The same vote again changes nothing and records nothing.
	if _, err := s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: "S-1", Vote: consultation.Agree}); err != nil {
		t.Fatal(err)
	}
	if n := s.head(t) - before; n != 1 {
		t.Errorf("%d events for a vote cast twice, want 1", n)
	}
	// A new vote replaces it: the latest counts.
	if _, err := s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: "S-1", Vote: consultation.Disagree}); err != nil {
		t.Fatal(err)
	}
	// Brazil commented as civil society: its vote takes that group.
	s.comment(t, s.Bra, p, consultation.CommentInput{Group: "civil_society", Text: "A comment"})
	v, err = s.C.Vote(ctx, s.in(t, s.Bra), p.ID, consultation.VoteInput{Statement: "S-1", Vote: consultation.Pass})
	if err != nil || v.Group != "civil_society" || v.Number != 2 {
		t.Fatalf("Brazil's vote: %+v, %v", v, err)
	}
	sts, err := s.C.Statements(ctx, s.in(t, s.Observer), p.ID, consultation.StatementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if st := sts[0]; st.Agrees != 0 || st.Disagrees != 1 || st.Passes != 1 {
		t.Errorf("S-1 counts %d/%d/%d, want 0 agree, 1 disagree, 1 pass", st.Agrees, st.Disagrees, st.Passes)
	}
	ev, err := s.St.Event(ctx, s.F.ID, before+1)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "consultation.voted" || len(ev.Payload) > 120 {
		t.Errorf("vote event %s, %d bytes: %s", ev.Type, len(ev.Payload), ev.Payload)
	}
	b, err := s.C.NextBallot(ctx, s.in(t, s.Usa), p.ID)
	if err != nil || b.Next == nil || b.Next.Ref != "S-2" || b.Voted != 1 || b.Open != 4 || b.Counted {
		t.Fatalf("ballot %+v, %v", b, err)
	}
	// Once the period closes, votes are refused.
	s.at(p.ClosesAt.Add(time.Minute))
	_, err = s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: "S-2", Vote: consultation.Agree})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
}

// twoCamps is a conversation of n voters in two camps over 6 statements:
// each camp agrees with its three and disagrees with the other's.
func twoCamps(n int) (consultation.ImportInput, map[string]int) {
	in := consultation.ImportInput{Source: "test"}
	camps := map[string]int{}
	for c := 0; c < 6; c++ {
		in.Statements = append(in.Statements, consultation.ImportStatement{External: fmt.Sprint(c), Text: fmt.Sprintf("Statement %d, for camp %d", c, c/3)})
	}
	in.Statements = append(in.Statements, consultation.ImportStatement{External: "6", Text: "Moderated out", Excluded: true})
	for p := 0; p < n; p++ {
		camp := p % 2
		camps[fmt.Sprint(p)] = camp
		for c := 0; c < 6; c++ {
			v := -1
			if c/3 == camp {
				v = 1
			}
			if c == 0 && p == 0 {
				in.Votes = append(in.Votes, consultation.ImportVote{Voter: "0", Statement: "0", Value: -v}) // replaced below
			}
			in.Votes = append(in.Votes, consultation.ImportVote{Voter: fmt.Sprint(p), Statement: fmt.Sprint(c), Value: v})
		}
	}
	return in, camps
}

func TestOpinionImportAndMapKeptUntilVotesChange(t *testing.T) {
	s := newSetup(t)
	ctx := s.Ctx
	p := s.open(t, false)
	in, camps := twoCamps(40)
	_, err := s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeConflict) // no opinion map
	if err := s.C.EnableOpinionMap(ctx, s.in(t, s.Admin), p.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.C.ImportConversation(ctx, s.in(t, s.Usa), p.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	bad := in
	bad.Votes = append([]consultation.ImportVote{{Voter: "1", Statement: "77", Value: 1}}, in.Votes...)
	_, err = s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, bad)
	fixture.ExpectField(t, err, "votes")
	_, err = s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, consultation.ImportInput{Source: "a b"})
	fixture.ExpectField(t, err, "source")

	in.BatchSize = 50
	rep, err := s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Statements != 7 || rep.NewStatements != 7 || rep.Voters != 40 || rep.NewVoters != 40 || rep.Votes != 240 ||
		rep.ChangedVotes != 240 || rep.Batches != 5 {
		t.Fatalf("report %+v", rep)
	}
	// Again: nothing changes, nothing is recorded.
	head := s.head(t)
	rep, err = s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewStatements != 0 || rep.NewVoters != 0 || rep.ChangedVotes != 0 || rep.Batches != 0 || s.head(t) != head {
		t.Fatalf("a second import: %+v, %d events", rep, s.head(t)-head)
	}

	n0 := s.C.MapComputations()
	m, err := s.C.OpinionMap(ctx, s.in(t, s.Observer), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Map.Counted) != 40 || m.Map.K != 2 || len(m.Map.Clusters.Groups) != 2 || m.Votes != 240 {
		t.Fatalf("map: %d counted, k=%d, %d votes", len(m.Map.Counted), m.Map.K, m.Votes)
	}
	if m.Statement(7).Text != "" || m.Statement(1).Text != "Statement 0, for camp 0" {
		t.Errorf("the moderated-out statement is in the map, or statement 1 is %q", m.Statement(1).Text)
	}
	// The groups are the camps.
	ids, err := s.C.ImportedVoters(ctx, s.in(t, s.Admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ours, theirs []int
	for _, pt := range m.Map.Counted {
		ours = append(ours, pt.Group)
		theirs = append(theirs, camps[ids[pt.Participant][len("test:"):]])
	}
	if ri, _ := opinion.RandIndex(ours, theirs); ri != 1 {
		t.Errorf("Rand index %v against the camps, want 1", ri)
	}
	_, err = s.C.ImportedVoters(ctx, s.in(t, s.Observer), p.ID)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)

	// Read again and again: computed once.
	for i := 0; i < 3; i++ {
		if _, err := s.C.OpinionMap(ctx, s.in(t, s.Usa), p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.C.MapComputations() - n0; n != 1 {
		t.Fatalf("%d computations for four reads of unchanged votes, want 1", n)
	}
	// A comment does not move the map; votes do, and the map is
	// computed again once, on the next read.
	s.comment(t, s.Usa, p, consultation.CommentInput{Text: "A comment"})
	if _, err := s.C.OpinionMap(ctx, s.in(t, s.Usa), p.ID); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		if _, err := s.C.Vote(ctx, s.in(t, s.Usa), p.ID, consultation.VoteInput{Statement: consultation.StatementRef(i), Vote: consultation.Agree}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2; i++ {
		m, err = s.C.OpinionMap(ctx, s.in(t, s.Usa), p.ID)
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := s.C.MapComputations() - n0; n != 2 {
		t.Fatalf("%d computations after the votes changed, want 2", n)
	}
	if m.Votes != 246 || m.Map.Participants != 41 || len(m.Map.Counted) != 41 {
		t.Errorf("the map after the votes has %d votes from %d participants (%d counted), want 246 from 41", m.Votes, m.Map.Participants, len(m.Map.Counted))
	}
	// The one voter who declared a group (on their comment) is the
	// declared analysis' one group; imported voters declared none.
	if m.Map.Declared == nil || len(m.Map.Declared.Groups) != 1 || !strings.EqualFold(m.Map.Declared.Groups[0].Label, "Civil society") || m.Map.DeclaredMissing != 40 {
		t.Errorf("declared groups: %+v", m.Map.Declared)
	}
}

// TestOpinionImportOntoTheMapsStatementsWithGroups: a conversation held on
// the map's own statements (Ref) makes no statement, and its voters'
// declared groups are kept and read by the map.
func TestOpinionImportOntoTheMapsStatementsWithGroups(t *testing.T) {
	s := newSetup(t)
	ctx := s.Ctx
	p, seeded := s.mapPeriod(t, false)
	if len(seeded) < 2 {
		t.Fatalf("seeded %d statements", len(seeded))
	}
	in := consultation.ImportInput{Source: "survey",
		Statements: []consultation.ImportStatement{{External: "a", Ref: seeded[0].Ref}, {External: "b", Ref: seeded[1].Ref}},
		Groups:     map[string]string{},
	}
	for i := range 20 {
		v := fmt.Sprintf("v%d", i)
		g, val := "government", 1
		if i%2 == 1 {
			g, val = "civil_society", -1
		}
		in.Groups[v] = g
		in.Votes = append(in.Votes, consultation.ImportVote{Voter: v, Statement: "a", Value: val}, consultation.ImportVote{Voter: v, Statement: "b", Value: 1})
	}
	bad := in
	bad.Groups = map[string]string{"v1": "astronauts"}
	_, err := s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, bad)
	fixture.ExpectField(t, err, "groups")
	bad = in
	bad.Statements = []consultation.ImportStatement{{External: "a", Ref: "S-99"}, {External: "b", Ref: seeded[1].Ref}}
	_, err = s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, bad)
	fixture.ExpectField(t, err, "statements")

	rep, err := s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewStatements != 0 || rep.NewVoters != 20 || rep.ChangedVotes != 40 {
		t.Errorf("report: %+v", rep)
	}
	sts, err := s.C.Statements(ctx, s.in(t, s.Admin), p.ID, consultation.StatementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != len(seeded) || sts[0].Agrees != 10 || sts[0].Disagrees != 10 || sts[1].Agrees != 20 {
		t.Errorf("statements after the import: %d, %+v %+v", len(sts), sts[0], sts[1])
	}
	m, err := s.C.OpinionMap(ctx, s.in(t, s.Admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Map.Declared == nil || len(m.Map.Declared.Groups) != 2 {
		t.Fatalf("declared groups: %+v", m.Map.Declared)
	}
	labels := strings.ToLower(m.Map.Declared.Groups[0].Label + "," + m.Map.Declared.Groups[1].Label)
	if !strings.Contains(labels, "civil society") || !strings.Contains(labels, "government") {
		t.Errorf("declared groups: %v", labels)
	}
}

// Imported voters are numbered in the order of their identifiers (numbers
// by value, before other identifiers), not in the order their votes come.
func TestImportNumbersVotersByTheirIdentifiers(t *testing.T) {
	s := newSetup(t)
	ctx := s.Ctx
	p := s.open(t, false)
	if err := s.C.EnableOpinionMap(ctx, s.in(t, s.Admin), p.ID); err != nil {
		t.Fatal(err)
	}
	in := consultation.ImportInput{Source: "test", Statements: []consultation.ImportStatement{{External: "1", Text: "One"}, {External: "2", Text: "Two"}}}
	for _, v := range []string{"10", "zed", "9", "alpha", "2"} {
		in.Votes = append(in.Votes, consultation.ImportVote{Voter: v, Statement: "1", Value: 1}, consultation.ImportVote{Voter: v, Statement: "2", Value: -1})
	}
	in.BatchSize = 3 // the voters are made across batches
	if _, err := s.C.ImportConversation(ctx, s.in(t, s.Admin), p.ID, in); err != nil {
		t.Fatal(err)
	}
	ids, err := s.C.ImportedVoters(ctx, s.in(t, s.Admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	for n := range ids {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var got []string
	for _, n := range nums {
		got = append(got, strings.TrimPrefix(ids[n], "test:"))
	}
	if strings.Join(got, " ") != "2 9 10 alpha zed" {
		t.Fatalf("the voters in the order of their numbers: %v, want 2 9 10 alpha zed", got)
	}
}
