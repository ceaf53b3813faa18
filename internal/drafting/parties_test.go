package drafting_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// A Sector Member entered twice, each with a delegate who contributed and
// proposed, is merged: its document sources, its delegation's documents
// and its proposals and co-sponsorships move to the party kept, in one
// command on the record.
func TestMergeMovesDocumentSourcesAndProposals(t *testing.T) {
	fx := fixture.NewDrafting(t)
	sec := func() *forum.Scope { return fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug) }
	in := func(a forum.Actor) *forum.Scope { return fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug) }
	person := func(email, party string) forum.Actor {
		a := fx.User(t, email, strings.Split(email, "@")[0], false)
		if _, err := fx.Svc.Participation.Register(fx.Ctx, sec(), participation.RegistrationInput{Email: email, Party: party, Role: "delegate"}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, p := range []participation.PartyInput{
		{Code: "EXTEL", Name: "Example Telecom", Group: rules.GroupSectorMember},
		{Code: "EXTEL2", Name: "Example Telecom S.A.", Group: rules.GroupSectorMember},
	} {
		if _, err := fx.Svc.Participation.AddParty(fx.Ctx, sec(), p); err != nil {
			t.Fatal(err)
		}
	}
	kept := person("kept@example.org", "EXTEL")
	dup := person("dup@example.org", "EXTEL2")

	// Two contributions from the duplicate, one of them also from the
	// party kept, and a document for its delegation only.
	contrib := fx.Submit(t, dup, documents.DocumentInput{Title: "Example Telecom on Opinion 5", Visibility: "public"})
	joint := fx.Submit(t, fx.Admin, documents.DocumentInput{Title: "Joint views", Parties: []string{"EXTEL", "EXTEL2"}, Visibility: "public"})
	private := fx.Submit(t, dup, documents.DocumentInput{Title: "Internal notes", Visibility: "delegation"})
	if _, err := fx.Svc.Documents.Document(fx.Ctx, in(kept), private.ID); err == nil {
		t.Fatal("the kept party's delegate reads the duplicate's delegation document before the merge")
	}
	// A proposal of the duplicate; both co-sponsor Brazil's.
	mine := fx.Propose(t, dup, drafting.ProposalInput{Op: "SUP", Provision: "p2", Contribution: contrib.ID})
	bra := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "NOC", Provision: "p1"})
	for _, a := range []forum.Actor{kept, dup} {
		if _, err := fx.Svc.Drafting.CosponsorAmendment(fx.Ctx, in(a), fx.Draft.ID, bra.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	// The party kept co-sponsors the duplicate's proposal: once merged, it
	// is its own.
	if _, err := fx.Svc.Drafting.CosponsorAmendment(fx.Ctx, in(kept), fx.Draft.ID, mine.ID, ""); err != nil {
		t.Fatal(err)
	}

	keep, err := fx.Svc.Participation.MergeParties(fx.Ctx, sec(), "EXTEL2", participation.MergeInput{Into: "EXTEL", Reason: "Entered twice."})
	if err != nil {
		t.Fatal(err)
	}
	anon := fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F)

	// Documents: sources name the party kept, once.
	for _, d := range []documents.Document{contrib, joint} {
		got, err := fx.Svc.Documents.Document(fx.Ctx, anon, d.ID)
		if err != nil || len(got.Parties) != 1 || got.Parties[0].ID != keep.ID || got.Parties[0].Code != "EXTEL" {
			t.Fatalf("sources of %s: %+v, %v", d.Number, got.Parties, err)
		}
	}
	list, err := fx.Svc.Documents.Documents(fx.Ctx, anon, documents.DocumentFilter{Party: "EXTEL"})
	if err != nil || len(list) != 2 {
		t.Fatalf("documents of EXTEL: %d, %v", len(list), err)
	}
	// The delegation document is the kept party's delegation's now: the
	// duplicate's delegate, who moved there, and its new colleague read it.
	for _, a := range []forum.Actor{kept, dup} {
		got, err := fx.Svc.Documents.Document(fx.Ctx, in(a), private.ID)
		if err != nil || got.Visibility != ledger.VisParty(keep.ID) {
			t.Fatalf("the delegation document for %s: %+v, %v", a.Email, got.Visibility, err)
		}
	}
	res, err := fx.Svc.Documents.Search(fx.Ctx, kept, documents.SearchInput{Q: "Internal notes", Forum: fx.F.Slug, Party: "EXTEL"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("search by the kept party's delegate: %+v, %v", res, err)
	}

	// Proposals: the duplicate's is the kept party's, under its label.
	got, err := fx.Svc.Drafting.AmendmentByID(fx.Ctx, anon, fx.Draft.ID, mine.ID)
	if err != nil || got.Label != mine.Label || got.PartyID != keep.ID || got.Proposer != "EXTEL" || got.PartyName != "Example Telecom" || len(got.CoSponsors) != 0 {
		t.Fatalf("the duplicate's proposal: %+v, %v", got, err)
	}
	got, err = fx.Svc.Drafting.AmendmentByID(fx.Ctx, anon, fx.Draft.ID, bra.ID)
	if err != nil || strings.Join(got.CoSponsors, ",") != "EXTEL" {
		t.Fatalf("co-sponsors of Brazil's proposal: %+v, %v", got.CoSponsors, err)
	}
	ams, err := fx.Svc.Drafting.Amendments(fx.Ctx, anon, fx.Draft.ID, drafting.AmendmentFilter{Party: "EXTEL"})
	if err != nil || len(ams) != 2 {
		t.Fatalf("proposals of EXTEL: %d, %v", len(ams), err)
	}
	// Its delegates may withdraw it, as their party's.
	if _, err := fx.Svc.Drafting.WithdrawAmendment(fx.Ctx, in(kept), fx.Draft.ID, mine.ID, "Overtaken."); err != nil {
		t.Fatalf("the kept party withdraws the proposal it now holds: %v", err)
	}

	evs := fx.Events(t, "party.merged")
	if len(evs) != 1 {
		t.Fatalf("%d party.merged events", len(evs))
	}
	moved, _ := fixture.Payload(t, evs[0])["moved"].(map[string]any)
	if moved["documents"] != 3.0 || moved["proposals"] != 2.0 || moved["registrations"] != 1.0 {
		t.Fatalf("moved: %+v", moved)
	}
	// A new document names the party kept, not the duplicate.
	_, err = fx.Svc.Documents.SubmitDocument(fx.Ctx, sec(), documents.DocumentInput{Type: documents.DocContribution, Title: "Late", Parties: []string{"EXTEL2"}})
	fixture.ExpectCode(t, err, plenary.CodeInvalid)
	if !strings.Contains(err.Error(), "was merged into EXTEL") {
		t.Fatalf("message: %v", err)
	}
}
