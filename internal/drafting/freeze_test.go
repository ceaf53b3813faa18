package drafting_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
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

	// The draft text lists both, and each document knows its draft.
	dds, err := fx.Svc.Drafting.DraftDocuments(fx.Ctx, ed, fx.Draft.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(dds) != 2 || dds[0].Number != "DT/1" || dds[0].Kind != drafting.DraftDocCompilation || dds[0].Revision != 1 ||
		dds[0].Proposals != 2 || dds[0].EventSeq == 0 || dds[1].Number != "DT/2" || dds[1].Kind != drafting.DraftDocRevision ||
		dds[1].Revision != 2 {
		t.Fatalf("draft documents: %+v", dds)
	}
	comps, err := fx.Svc.Drafting.DraftDocuments(fx.Ctx, ed, fx.Draft.ID, drafting.DraftDocCompilation)
	if err != nil || len(comps) != 1 || comps[0].DocumentID != doc.ID {
		t.Fatalf("frozen compilations: %+v %v", comps, err)
	}
	origin, ok, err := fx.Svc.Drafting.DocumentOrigin(fx.Ctx, ed, doc.ID)
	if err != nil || !ok || origin.DraftID != fx.Draft.ID || origin.DraftNumber != fx.Draft.Number {
		t.Fatalf("origin of DT/1: %+v %v %v", origin, ok, err)
	}
	if _, ok, err := fx.Svc.Drafting.DocumentOrigin(fx.Ctx, ed, fx.Draft.ID); ok || err != nil {
		t.Fatalf("the draft's own document has an origin: %v %v", ok, err)
	}
	for _, who := range []struct {
		name string
		may  bool
		sc   *forum.Scope
	}{{"editor", true, ed}, {"delegate", false, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug)}} {
		if may, err := fx.Svc.Drafting.MayFreezeCompilation(fx.Ctx, who.sc); err != nil || may != who.may {
			t.Fatalf("%s may freeze: %v %v", who.name, may, err)
		}
	}
}
