package decisions_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

type setup struct {
	*fixture.Drafting
	D     *decisions.Service
	chair forum.Actor
	m     meetings.Meeting
}

func (s *setup) in(t testing.TB, a forum.Actor) *forum.Scope {
	return fixture.In(t, s.Svc.Kernel, a, s.F.Slug)
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	fx := fixture.NewDrafting(t)
	s := &setup{Drafting: fx, D: fx.Svc.Decisions}
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, s.in(t, fx.Admin), forum.BodyInput{Slug: "wg3", Name: "Working Group 3", Kind: "working_group"}); err != nil {
		t.Fatal(err)
	}
	s.chair = fx.User(t, "chair@example.org", "Chair Person", false)
	if _, err := fx.Svc.Participation.Register(fx.Ctx, s.in(t, fx.Admin), participation.RegistrationInput{Email: "chair@example.org", Role: "chair", Mode: "in_room"}); err != nil {
		t.Fatal(err)
	}
	m, err := fx.Svc.Meetings.ScheduleMeeting(fx.Ctx, s.in(t, fx.Admin), meetings.MeetingInput{Body: "wg3", Title: "Working Group 3",
		Date: "2013-05-14", Start: "09:30", End: "12:30", Zone: "Europe/Zurich"})
	if err != nil {
		t.Fatal(err)
	}
	if s.m, err = fx.Svc.Meetings.ChangeState(fx.Ctx, s.in(t, s.chair), m.ID, "open", ""); err != nil {
		t.Fatal(err)
	}
	return s
}

// treaty switches the forum to the ITU treaty conference's rights, where
// Member States vote.
func (s *setup) treaty(t *testing.T) {
	t.Helper()
	if _, err := s.Svc.Participation.ChoosePreset(s.Ctx, s.in(t, s.Admin), rules.PresetITUTreatyConference); err != nil {
		t.Fatal(err)
	}
	s.credentials(t, "USA", "in_order")
	s.credentials(t, "BRA", "in_order")
}

func (s *setup) credentials(t *testing.T, code, state string) {
	t.Helper()
	if _, err := s.Svc.Participation.RecordCredentials(s.Ctx, s.in(t, s.Admin), code, participation.CredentialsInput{State: state}); err != nil {
		t.Fatal(err)
	}
}

func TestVoteRefusedByTheMatrix(t *testing.T) {
	s := newSetup(t)
	d, err := s.D.OpenVote(s.Ctx, s.in(t, s.chair), decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: s.m.ID, Title: "Q",
		Subject: decisions.SubjectInput{Kind: decide.OnQuestion, Text: "Q?"}}, Method: decide.Recorded, Credentials: decide.NotConsulted})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.D.CastVote(s.Ctx, s.in(t, s.Usa), d.ID, decisions.CastInput{Choice: decide.Yes})
	if err == nil || !strings.Contains(err.Error(), "may not vote in") {
		t.Fatalf("the matrix's refusal: %v", err)
	}
}

func TestConsensusAdoptsDraft(t *testing.T) {
	s := newSetup(t)
	ch := s.in(t, s.chair)
	in := decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: s.m.Number, Title: "Draft Opinion 5",
		Subject: decisions.SubjectInput{Kind: decide.OnRevision, Draft: s.Draft.ID}}}
	_, err := s.D.OpenConsensus(s.Ctx, s.in(t, s.Usa), in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	d, err := s.D.OpenConsensus(s.Ctx, ch, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != decide.ConsensusCall || !d.Binding || !d.Open || d.Outcome != decide.Pending || len(d.Seqs) != 1 {
		t.Fatalf("opened: %+v", d)
	}
	// The observer may not object; the refusal names the rule.
	_, err = s.D.Object(s.Ctx, s.in(t, s.Observer), d.ID, decisions.ObjectionInput{Reason: "No."})
	if err == nil {
		t.Fatal("an observer objected")
	}
	_, err = s.D.Object(s.Ctx, s.in(t, s.Bra), d.ID, decisions.ObjectionInput{})
	fixture.ExpectField(t, err, "reason")
	obj, err := s.D.Object(s.Ctx, s.in(t, s.Bra), d.ID, decisions.ObjectionInput{Reason: "Paragraph 3 goes too far."})
	if err != nil {
		t.Fatal(err)
	}
	// Adopted with objections addressed needs an answer to each.
	_, err = s.D.CloseConsensus(s.Ctx, ch, d.ID, decisions.FindingInput{Finding: decide.FoundAddressed})
	if err == nil {
		t.Fatal("rough consensus accepted without answers")
	}
	if err := s.D.WithdrawObjection(s.Ctx, s.in(t, s.Usa), d.ID, obj.ID); err == nil {
		t.Fatal("the United States withdrew Brazil's objection")
	}
	if err := s.D.WithdrawObjection(s.Ctx, s.in(t, s.Bra), d.ID, obj.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.D.FileExplanation(s.Ctx, s.in(t, s.Usa), d.ID, decisions.ExplanationInput{Text: "We join consensus."})
	if err == nil {
		t.Fatal("an explanation before adoption")
	}
	d, err = s.D.CloseConsensus(s.Ctx, ch, d.ID, decisions.FindingInput{Finding: decide.FoundAdopted})
	if err != nil {
		t.Fatal(err)
	}
	if d.Open || d.Outcome != decide.Adopted || d.Document == nil || d.Document.Number == "" {
		t.Fatalf("closed: %+v", d)
	}
	if _, err := s.D.FileExplanation(s.Ctx, s.in(t, s.Usa), d.ID, decisions.ExplanationInput{Text: "We join consensus."}); err != nil {
		t.Fatal(err)
	}
	d, _ = s.D.Decision(s.Ctx, ch, d.ID)
	if len(d.Consensus.Explanations) != 1 || d.Consensus.Explanations[0].Party.Code != "USA" {
		t.Fatalf("explanations: %+v", d.Consensus)
	}
	// The adopted draft takes no proposal until reopened.
	_, err = s.Svc.Drafting.ProposeAmendment(s.Ctx, s.in(t, s.Bra), s.Draft.ID, drafting.ProposalInput{Op: "ADD", Text: "A new paragraph."})
	if err == nil || !strings.Contains(err.Error(), "adopted") {
		t.Fatalf("proposal to an adopted draft: %v", err)
	}
	err = s.D.ReopenDraft(s.Ctx, s.in(t, s.Usa), s.Draft.ID, decisions.ReopenInput{Meeting: s.m.ID, Reason: "New facts."})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	if err := s.D.ReopenDraft(s.Ctx, ch, s.Draft.ID, decisions.ReopenInput{Meeting: s.m.ID, Reason: "New facts."}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Svc.Drafting.AdoptionOf(s.Ctx, s.St, s.Draft.ID); ok || err != nil {
		t.Fatalf("still adopted: %v", err)
	}
	evs := s.Events(t, "decision.closed")
	if len(evs) != 1 || fixture.Payload(t, evs[0])["meeting"] != s.m.ID || fixture.Payload(t, evs[0])["decision"] != d.ID {
		t.Fatalf("closing event: %+v", evs)
	}
}

func TestStrawPollNeverBinding(t *testing.T) {
	s := newSetup(t)
	ch := s.in(t, s.chair)
	d, err := s.D.OpenStrawPoll(s.Ctx, ch, decisions.StrawInput{OpenInput: decisions.OpenInput{Meeting: s.m.ID, Title: "Feel of the room"},
		Question: "Should the resolution be in?", Options: []decide.Option{{Key: "for", Label: "For"}, {Key: "against", Label: "Against"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.D.EnterStrawCounts(s.Ctx, s.in(t, s.Usa), d.ID, decisions.StrawCountsInput{Counts: []decide.Count{{Option: "for", N: 3}}}); err == nil {
		t.Fatal("a delegate entered counts")
	}
	if _, err := s.D.EnterStrawCounts(s.Ctx, ch, d.ID, decisions.StrawCountsInput{Counts: []decide.Count{{Option: "for", N: 3}, {Option: "against", N: 2}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.D.CastVote(s.Ctx, s.in(t, s.Usa), d.ID, decisions.CastInput{Choice: decide.Yes}); err == nil {
		t.Fatal("a vote cast in a straw poll")
	}
	if d, err = s.D.CloseStrawPoll(s.Ctx, ch, d.ID); err != nil {
		t.Fatal(err)
	}
	list, err := s.D.MeetingDecisions(s.Ctx, s.in(t, s.Observer), s.m.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}
	for _, x := range []decisions.Decision{d, list[0]} {
		raw, _ := json.Marshal(x)
		if x.Binding || x.Outcome != decide.Pending || x.Label != "Straw poll (indicative, not binding)" ||
			!strings.Contains(string(raw), `"binding":false`) || x.Straw.Total != 5 {
			t.Fatalf("straw poll read: %s", raw)
		}
	}
	_, err = s.D.CreatePackage(s.Ctx, ch, decisions.PackageInput{Meeting: s.m.ID, Name: "P", Decisions: []string{d.ID}})
	fixture.ExpectField(t, err, "decisions")
}

func TestSecretBallotUnlinkable(t *testing.T) {
	s := newSetup(t)
	ch := s.in(t, s.chair)
	d, err := s.D.OpenVote(s.Ctx, ch, decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: s.m.ID, Title: "Election",
		Subject: decisions.SubjectInput{Kind: decide.OnQuestion, Text: "Shall the proposal be adopted?"}},
		Method: decide.Secret, Majority: decide.Simple, Credentials: decide.NotConsulted})
	s.treaty(t)
	if err != nil {
		t.Fatal(err)
	}
	usa, err := s.D.CastVote(s.Ctx, s.in(t, s.Usa), d.ID, decisions.CastInput{Choice: decide.Yes})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.D.CastVote(s.Ctx, s.in(t, s.Usa), d.ID, decisions.CastInput{Choice: decide.No}); err == nil {
		t.Fatal("a second vote for the United States")
	}
	if _, err := s.D.CastVote(s.Ctx, s.in(t, s.Bra), d.ID, decisions.CastInput{Choice: decide.No}); err != nil {
		t.Fatal(err)
	}
	// The stored rows: the ballots table has only receipt and choice.
	rows, err := s.St.QueryContext(s.Ctx, "SELECT * FROM decision_ballots WHERE decision_id = ?", d.ID)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()
	if strings.Join(cols, ",") != "decision_id,receipt,choice" {
		t.Fatalf("ballot columns: %v", cols)
	}
	var n int
	if err := s.St.QueryRowContext(s.Ctx, "SELECT COUNT(*) FROM decision_events WHERE decision_id = ? AND (event LIKE '%yes%' OR event LIKE '%\"no\"%')", d.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("an event holds a choice: %d %v", n, err)
	}
	for _, ev := range s.Events(t, "decision.ballot_cast") {
		if _, ok := fixture.Payload(t, ev)["choice"]; ok {
			t.Fatalf("the record links a voter and a choice: %+v", ev)
		}
	}
	d, err = s.D.CloseVote(s.Ctx, ch, d.ID, decisions.CloseVoteInput{})
	if err != nil {
		t.Fatal(err)
	}
	res := d.Vote.Result
	if res.BallotHash != decide.BallotListHash(res.Ballots) || len(res.Ballots) != 2 || len(d.Vote.Voters) != 2 || d.Outcome != decide.NotAdopted {
		t.Fatalf("closed: %+v", d.Vote)
	}
	v, err := s.D.VerifyReceipt(s.Ctx, s.in(t, s.Observer), d.ID, decisions.ReceiptCheck{Choice: usa.Receipt.Choice, Nonce: usa.Receipt.Nonce})
	if err != nil || !v.Found || v.Receipt != usa.Receipt.Receipt {
		t.Fatalf("verify: %+v %v", v, err)
	}
	v, _ = s.D.VerifyReceipt(s.Ctx, s.in(t, s.Observer), d.ID, decisions.ReceiptCheck{Choice: decide.No, Nonce: usa.Receipt.Nonce})
	if v.Found {
		t.Fatal("a receipt verified with the wrong choice")
	}
}

func TestRecordedVoteAndPackage(t *testing.T) {
	s := newSetup(t)
	s.treaty(t)
	ch := s.in(t, s.chair)
	open := func(title string, hide bool) decisions.Decision {
		d, err := s.D.OpenVote(s.Ctx, ch, decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: s.m.ID, Title: title,
			Subject: decisions.SubjectInput{Kind: decide.OnQuestion, Text: title}}, Method: decide.Recorded, Credentials: decide.NotConsulted, HideResults: hide})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a := open("Article 1", true)
	if _, err := s.D.CastVote(s.Ctx, s.in(t, s.Usa), a.ID, decisions.CastInput{Choice: decide.Yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.D.CastVote(s.Ctx, s.in(t, s.Observer), a.ID, decisions.CastInput{Choice: decide.Yes}); err == nil {
		t.Fatal("an observer voted")
	}
	hidden, _ := s.D.Decision(s.Ctx, s.in(t, s.Observer), a.ID)
	if p := hidden.Vote.Progress; p == nil || !p.Hidden || p.Cast != 1 || p.Tally != nil || len(p.Records) != 0 {
		t.Fatalf("hidden progress: %+v", hidden.Vote.Progress)
	}
	a, err := s.D.CloseVote(s.Ctx, ch, a.ID, decisions.CloseVoteInput{})
	if err != nil || a.Outcome != decide.Adopted || !strings.Contains(a.Status, "1 for, 0 against") {
		t.Fatalf("closed: %+v %v", a, err)
	}
	signOnly := open("Article 2", false)
	s.credentials(t, "BRA", "sign_only")
	if _, err := s.D.CastVote(s.Ctx, s.in(t, s.Bra), signOnly.ID, decisions.CastInput{Choice: decide.Yes}); err == nil || !strings.Contains(err.Error(), "sign") {
		t.Fatalf("sign-only credentials voted: %v", err)
	}
	s.credentials(t, "BRA", "in_order")
	pkgVote := open("The package", false)
	if _, err := s.D.CastVote(s.Ctx, s.in(t, s.Bra), pkgVote.ID, decisions.CastInput{Choice: decide.No}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.D.CloseVote(s.Ctx, ch, pkgVote.ID, decisions.CloseVoteInput{}); err != nil {
		t.Fatal(err)
	}
	pk, err := s.D.CreatePackage(s.Ctx, ch, decisions.PackageInput{Meeting: s.m.ID, Name: "Final package", Decisions: []string{a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ = s.D.Decision(s.Ctx, ch, a.ID)
	if a.Package == nil || !a.Package.Provisional || !strings.Contains(a.Status, "provisionally") {
		t.Fatalf("provisional: %+v", a)
	}
	if pk, err = s.D.DecidePackage(s.Ctx, ch, pk.ID, decisions.PackageDecisionInput{Decision: pkgVote.ID}); err != nil {
		t.Fatal(err)
	}
	a, _ = s.D.Decision(s.Ctx, ch, a.ID)
	if pk.Outcome != decide.NotAdopted || a.Outcome != decide.Fallen || pk.Members[0].Outcome != decide.Fallen {
		t.Fatalf("package failed: %+v %+v", pk, a)
	}
}

// On PostgreSQL each row carries the transaction that inserted it (xmin):
// a ballot's would be the casting transaction, which also inserted the
// voter's row. Once the vote is closed the ballots' live rows carry the
// closing transaction's, all the same, and none of the voters'.
func TestSecretBallotRowsDoNotCarryTheCasting(t *testing.T) {
	s := newSetup(t)
	if s.St.Dialect() != store.Postgres {
		t.Skip("xmin is PostgreSQL's; SQLite keeps the ballots WITHOUT ROWID, in receipt order")
	}
	s.treaty(t)
	ch := s.in(t, s.chair)
	d, err := s.D.OpenVote(s.Ctx, ch, decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: s.m.ID, Title: "Election",
		Subject: decisions.SubjectInput{Kind: decide.OnQuestion, Text: "Shall the proposal be adopted?"}}, Method: decide.Secret, Credentials: decide.NotConsulted})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []forum.Actor{s.Usa, s.Bra} {
		if _, err := s.D.CastVote(s.Ctx, s.in(t, a), d.ID, decisions.CastInput{Choice: decide.Yes}); err != nil {
			t.Fatal(err)
		}
	}
	xmins := func(table string) map[string]bool {
		rows, err := s.St.QueryContext(s.Ctx, "SELECT xmin::text FROM "+table+" WHERE decision_id = ?", d.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]bool{}
		for rows.Next() {
			var x string
			rows.Scan(&x)
			out[x] = true
		}
		return out
	}
	voters := xmins("decision_voters")
	if before := xmins("decision_ballots"); len(before) != 2 || !before[firstKey(voters)] {
		t.Fatalf("while open, the ballots' xmin should be the casting's (the test's premise): %v %v", before, voters)
	}
	if _, err := s.D.CloseVote(s.Ctx, ch, d.ID, decisions.CloseVoteInput{}); err != nil {
		t.Fatal(err)
	}
	after := xmins("decision_ballots")
	if len(after) != 1 {
		t.Fatalf("the closed ballots carry %d transactions: %v", len(after), after)
	}
	for x := range after {
		if voters[x] {
			t.Fatalf("a closed ballot carries a voter's transaction %s", x)
		}
	}
}

func firstKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}
