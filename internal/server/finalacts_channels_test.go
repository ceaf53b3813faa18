package server_test

import (
	"context"
	"testing"

	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// recordFinalActsEvents records every finalacts.* event in WCIT-12 in its
// most restricted realistic case: members-only final acts assembled from
// two members-only adopted texts, revised, opened, signed by a delegate
// the credentials name, with a reservation the secretariat enters and an
// explanation of position on them, the cut-off set and the signature
// closed.
func recordFinalActsEvents(t *testing.T, s *servertest.Site, sec, chair forum.Actor) {
	t.Helper()
	ctx := context.Background()
	k, fa := s.Svc.Kernel, s.Svc.FinalActs
	wcit := func(a forum.Actor) *forum.Scope { return mustScope(t, k, a, demo.WCITSlug) }
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("recording %s: %v", what, err)
		}
	}
	m, err := s.Svc.Meetings.Meeting(ctx, wcit(sec), demo.WCITPlenary)
	must("the plenary", err)
	if m.State == meetings.StateScheduled {
		_, err = s.Svc.Meetings.ChangeState(ctx, wcit(chair), m.ID, "open", "")
		must("the plenary opened", err)
	}
	var texts []finalacts.TextInput
	for _, text := range []string{
		"# Resolution PLEN/9: Confidential annex\n\n*resolves*\n\n1. that the annex on routing stays with the delegations;\n",
		"# Resolution PLEN/10: Second confidential annex\n\n*resolves*\n\n1. that the annex on numbering stays with the delegations;\n",
	} {
		d, err := s.Svc.Drafting.CreateDraft(ctx, wcit(sec), drafting.DraftInput{Text: text, Visibility: "members"})
		must("a members-only draft", err)
		call, err := s.Svc.Decisions.OpenConsensus(ctx, wcit(chair), decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: m.ID,
			Title: "Adoption of " + d.Number, Subject: decisions.SubjectInput{Kind: decide.OnRevision, Draft: d.ID}}})
		must("the adoption", err)
		_, err = s.Svc.Decisions.CloseConsensus(ctx, wcit(chair), call.ID, decisions.FindingInput{Finding: decide.FoundAdopted})
		must("the adoption", err)
		texts = append(texts, finalacts.TextInput{Draft: d.ID})
	}
	acts, err := fa.Assemble(ctx, wcit(sec), finalacts.AssembleInput{Title: "Confidential annexes to the Final Acts", Texts: texts[:1], Visibility: "members"})
	must("finalacts.assembled", err)
	acts, err = fa.Revise(ctx, wcit(sec), acts.ID, finalacts.ReviseInput{Texts: texts, Kind: "corr", Note: "The second annex was left out."})
	must("finalacts.revised", err)
	_, err = fa.OpenForSignature(ctx, wcit(sec), acts.ID, finalacts.TimeInput{})
	must("finalacts.signature_opened", err)
	u, err := s.Svc.Accounts.UserByEmail(ctx, demo.WCITDelegateEmail("usa"))
	must("the delegate of the United States", err)
	usa := forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Via: "test"}
	var reg string
	must("the delegate's registration", s.Store.QueryRowContext(ctx, "SELECT id FROM registrations WHERE forum_id = ? AND user_id = ?",
		wcit(sec).Forum.ID, u.ID).Scan(&reg))
	_, err = fa.NameSigner(ctx, wcit(sec), acts.ID, finalacts.SignerInput{Party: "USA", Registration: reg, Basis: finalacts.BasisCredentials})
	must("finalacts.signer_named", err)
	_, err = fa.Deposit(ctx, wcit(sec), acts.ID, finalacts.DepositInput{Kind: finalacts.KindReservation, Parties: []string{"USA"},
		Text: "The United States reserves its position on the confidential annexes."})
	must("finalacts.declaration_deposited", err)
	_, err = fa.Sign(ctx, wcit(usa), acts.ID, finalacts.SignInput{State: finalacts.Declined, Hash: acts.Hash})
	must("finalacts.signed", err)
	_, err = fa.FileStatement(ctx, wcit(sec), finalacts.StatementInput{Kind: finalacts.Explanation, Party: "USA",
		Target: finalacts.TargetInput{Kind: finalacts.OnDocument, ID: acts.ID}, Text: "The United States cannot accept the confidential annexes."})
	must("finalacts.statement_filed", err)
	_, err = fa.SetCutoff(ctx, wcit(sec), acts.ID, finalacts.TimeInput{})
	must("finalacts.cutoff_set", err)
	_, err = fa.CloseForSignature(ctx, wcit(sec), acts.ID, finalacts.TimeInput{})
	must("finalacts.signature_closed", err)
}
