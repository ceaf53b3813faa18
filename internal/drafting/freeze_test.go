package drafting_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/text"
)

func TestFreezeCompilationAndRevisionInSeries(t *testing.T) {
	fx := fixture.NewDrafting(t)
	if _, err := fx.Svc.Documents.CreateSeries(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug),
		documents.SeriesInput{Slug: "dt", Prefix: "DT", Name: "Temporary documents"}); err != nil {
		t.Fatal(err)
	}
	add := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "ADD", After: "p4", Text: "invites the Secretary-General to report on it."})
	sup := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "SUP", Provision: "p2"})

	// A delegate without the right to edit the draft may not freeze it.
	_, err := fx.Svc.Drafting.FreezeCompilation(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), fx.Draft.ID, drafting.FreezeInput{Series: "dt"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)

	ed := fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug)
	doc, err := fx.Svc.Drafting.FreezeCompilation(fx.Ctx, ed, fx.Draft.ID, drafting.FreezeInput{Series: "dt", Title: "Compilation of proposals"})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Number != "DT/1" || doc.Type != documents.DocTemporary {
		t.Fatalf("frozen: %s %s", doc.Number, doc.Type)
	}
	for _, l := range []string{add.Label, sup.Label} {
		if !strings.Contains(doc.Text, l) {
			t.Fatalf("frozen text lacks %s:\n%s", l, doc.Text)
		}
	}
	later := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "MOD", Provision: "p4", Text: "that the work of the Forum should be open to all stakeholders."})
	again, err := fx.Svc.Documents.Document(fx.Ctx, ed, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Text != doc.Text || strings.Contains(again.Text, later.Label) {
		t.Fatalf("a later proposal changed the frozen compilation:\n%s", again.Text)
	}

	// A revision issued in a series is also a numbered document there.
	in := drafting.RevisionInput{Series: "dt", Decisions: []text.Decision{{Action: text.ActAccept, AmendmentID: add.ID}}}
	_, err = fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	out, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, ed, fx.Draft.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.DocumentNumber != "DT/2" || out.DocumentID == "" {
		t.Fatalf("revision document: %+v", out)
	}
	rd, err := fx.Svc.Documents.Document(fx.Ctx, ed, out.DocumentID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rd.Text, "invites the Secretary-General to report on it.") {
		t.Fatalf("revision document text:\n%s", rd.Text)
	}
}
