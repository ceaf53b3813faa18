package drafting_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/text"
)

func TestCreateDraftFilesADocumentWithSearchableProvisions(t *testing.T) {
	fx := fixture.NewDrafting(t)
	d := fx.Draft
	if d.Number != "WTPF-13/5" || d.Revision != 1 || d.Label != "WTPF-13/5" || d.Title != "Draft Opinion 5: Supporting multi-stakeholderism" {
		t.Fatalf("draft: %+v", d)
	}
	if len(d.Revisions) != 1 || d.Revisions[0].Provisions != 4 || d.Revisions[0].OpenBrackets != 0 {
		t.Fatalf("revisions: %+v", d.Revisions)
	}
	doc, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), d.ID)
	if err != nil || doc.Type != documents.DocDraftText || !strings.Contains(doc.Text, "*is of the view*") {
		t.Fatalf("document: %+v %v", doc, err)
	}
	res, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "respective roles", Kind: search.KindProvision})
	if err != nil || len(res.Hits) != 1 || !strings.HasSuffix(res.Hits[0].Path, "/drafts/"+d.ID+"#prov-p3") || !strings.Contains(res.Hits[0].Number, "WTPF-13/5 is of the view 1.") {
		t.Fatalf("search: %+v %v", res, err)
	}
	if evs := fx.Events(t, "draft.created"); len(evs) != 1 || fixture.Payload(t, evs[0])["provisions"] != 4.0 {
		t.Fatalf("events: %+v", evs)
	}

	// Bad input names the field and changes nothing.
	before := len(fx.Events(t, "document.submitted"))
	for _, tt := range []struct {
		in    drafting.DraftInput
		field string
	}{
		{drafting.DraftInput{Text: "  "}, "text"},
		{drafting.DraftInput{Text: "a [b / c", Title: "x"}, "text"},
		{drafting.DraftInput{Text: "1. one", Format: "docx"}, "format"},
		{drafting.DraftInput{Text: "1. one", Title: "x", Visibility: "everyone"}, "visibility"},
	} {
		_, err := fx.Svc.Drafting.CreateDraft(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), tt.in)
		fixture.ExpectField(t, err, tt.field)
	}
	if after := len(fx.Events(t, "document.submitted")); after != before {
		t.Fatalf("bad drafts filed documents: %d -> %d", before, after)
	}
	// Delegates do not file draft texts; the secretariat may.
	_, err = fx.Svc.Drafting.CreateDraft(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), drafting.DraftInput{Text: "1. one", Title: "Mine"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	if _, err := fx.Svc.Drafting.CreateDraft(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), drafting.DraftInput{Text: "Article 1\n\n1.1 One.\n", Format: drafting.FormatPlain, Title: "Treaty"}); err != nil {
		t.Fatal(err)
	}
}

func TestProposalsGetITULabelsAndWordEdits(t *testing.T) {
	fx := fixture.NewDrafting(t)
	am := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "MOD", Provision: "p3", Contribution: fx.Contrib.Number,
		Text: "that all stakeholders should take part in Internet governance on an equal footing;", Rationale: "Equal footing."})
	if am.Label != "BRA/6/1" || am.Proposer != "BRA" || am.PartyName != "Brazil" || am.ContributionNumber != "WTPF-13/6" || am.Status != text.StatusSubmitted || len(am.Edits) == 0 || am.EnteredAs != "head_of_delegation" {
		t.Fatalf("proposal: %+v", am)
	}
	// In the room, without a contribution: the draft's number; the next
	// from the same contribution counts on.
	if am := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "NOC", Provision: "p1"}); am.Label != "USA/5/1" {
		t.Fatalf("label in the room: %s", am.Label)
	}
	if am := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "ADD", After: "p4", Contribution: fx.Contrib.ID, Text: "that the Forum should report on it."}); am.Label != "BRA/6/2" || am.Kind != text.KindOperative {
		t.Fatalf("second from the contribution: %+v", am)
	}
	evs := fx.Events(t, "amendment.submitted")
	if len(evs) != 3 || fixture.Payload(t, evs[0])["label"] != "BRA/6/1" || evs[0].Visibility != ledger.VisPublic {
		t.Fatalf("events: %+v", evs)
	}

	// Co-sponsors join while it is pending; the proposer cannot.
	if _, err := fx.Svc.Drafting.CosponsorAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, am.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err := fx.Svc.Drafting.CosponsorAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, am.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	_, err = fx.Svc.Drafting.CosponsorAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), fx.Draft.ID, am.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	got, err := fx.Svc.Drafting.AmendmentByID(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, am.ID)
	if err != nil || strings.Join(got.CoSponsors, ",") != "USA" {
		t.Fatalf("co-sponsors: %+v %v", got, err)
	}
	list, err := fx.Svc.Drafting.Amendments(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, drafting.AmendmentFilter{Party: "USA"})
	if err != nil || len(list) != 2 {
		t.Fatalf("by party: %d %v", len(list), err)
	}

	// Bad proposals name the field and change nothing.
	for _, tt := range []struct {
		in    drafting.ProposalInput
		field string
	}{
		{drafting.ProposalInput{Op: "CHANGE", Provision: "p1"}, "op"},
		{drafting.ProposalInput{Op: "MOD", Text: "x"}, "provision"},
		{drafting.ProposalInput{Op: "MOD", Provision: "p9", Text: "x"}, "provision"},
		{drafting.ProposalInput{Op: "MOD", Provision: "p3", Text: "that all stakeholders should take part in Internet governance in their respective roles;"}, "text"},
		{drafting.ProposalInput{Op: "MOD", Provision: "p3", Text: "[that] all"}, "text"},
		{drafting.ProposalInput{Op: "SUP", Provision: "p3", Text: "x"}, "text"},
		{drafting.ProposalInput{Op: "ADD", After: "p9", Text: "x"}, "after"},
		{drafting.ProposalInput{Op: "NOC", Provision: "p1", Contribution: "WTPF-13/4"}, "contribution"},
		{drafting.ProposalInput{Op: "NOC", Provision: "p1", Contribution: "WTPF-13/99"}, "contribution"},
	} {
		_, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), fx.Draft.ID, tt.in)
		fixture.ExpectField(t, err, tt.field)
	}
	// USA cannot cite Brazil's contribution.
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p2", Contribution: fx.Contrib.Number})
	fixture.ExpectField(t, err, "contribution")
	if n := len(fx.Events(t, "amendment.submitted")); n != 3 {
		t.Fatalf("bad proposals were recorded: %d events", n)
	}

	// Withdrawal: by the proposer's party or the secretariat only.
	_, err = fx.Svc.Drafting.WithdrawAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, am.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	w, err := fx.Svc.Drafting.WithdrawAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), fx.Draft.ID, am.ID, "Merged into a later proposal.")
	if err != nil || w.Status != text.StatusWithdrawn || w.Note != "Merged into a later proposal." {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	_, err = fx.Svc.Drafting.WithdrawAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), fx.Draft.ID, am.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	_, err = fx.Svc.Drafting.CosponsorAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, am.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeConflict)
}

func TestWhoMayPropose(t *testing.T) {
	fx := fixture.NewDrafting(t)
	in := drafting.ProposalInput{Op: "SUP", Provision: "p2"}
	// Civil society does not propose amendments under the ITU policy
	// forum rules: the refusal is the rule's.
	_, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Isoc, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	if !strings.Contains(err.Error(), "may not propose an amendment") {
		t.Fatalf("message: %v", err)
	}
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Observer, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Outsider, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeUnauthorized)
	// A delegate proposes only for its own party.
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "SUP", Provision: "p2", Party: "BRA"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	// The secretariat records a party's proposal from its contribution,
	// for a party whose delegates may propose.
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "SUP", Provision: "p2", Party: "BRA"})
	fixture.ExpectField(t, err, "contribution")
	am, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "SUP", Provision: "p2", Party: "BRA", Contribution: fx.Contrib.ID})
	if err != nil || am.Label != "BRA/6/1" || am.EnteredAs != "secretariat" {
		t.Fatalf("recorded by the secretariat: %+v %v", am, err)
	}
	isocDoc := fx.Submit(t, fx.Isoc, documents.DocumentInput{Title: "ISOC views", Visibility: "public"})
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "SUP", Provision: "p2", Party: "ISOC", Contribution: isocDoc.ID})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	// Editors edit; they do not propose.
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
}

func TestCompilationMarksCollisions(t *testing.T) {
	fx := fixture.NewDrafting(t)
	bra, usa, _ := fx.Collide(t)
	cv, err := fx.Svc.Drafting.Compilation(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := cv.Compilation
	if !cv.Attributed || c.Proposals != 3 || len(c.Collisions) != 1 || c.Collisions[0].Kind != text.CollisionOverlap {
		t.Fatalf("compilation: %+v", c)
	}
	if got := strings.Join(c.Collisions[0].Amendments, ","); got != bra.ID+","+usa.ID && got != usa.ID+","+bra.ID {
		t.Fatalf("collision members: %s", got)
	}
	html := string(export.CompilationHTML(c, text.RenderOptions{}))
	for _, want := range []string{"BRA/6/1", "USA/5/1", "(BRA)", "<ins>", "collision c1"} {
		if !strings.Contains(html, want) {
			t.Fatalf("compilation HTML lacks %q:\n%s", want, html)
		}
	}
	if cv.Contributions[fx.Contrib.ID] != "WTPF-13/6" {
		t.Fatalf("contributions: %v", cv.Contributions)
	}
}

func TestRevisionFromDecisions(t *testing.T) {
	fx := fixture.NewDrafting(t)
	bra, usa, noc := fx.Collide(t)
	add := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "ADD", After: "p4", Text: "invites the Secretary-General to report on it."})
	sup := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "SUP", Provision: "p2"})
	pending := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "MOD", Provision: "p4", Text: "that the work of the Forum should be open to all stakeholders."})
	in := drafting.RevisionInput{Revision: 1, Brackets: []drafting.CollisionBracket{{Collision: "c1"}}, Note: "Opinion 5 after the first reading",
		Decisions: []text.Decision{{Action: text.ActAccept, AmendmentID: add.ID}, {Action: text.ActReject, AmendmentID: sup.ID},
			{Action: text.ActAccept, AmendmentID: noc.ID}}}

	// Only an editor issues revisions: not the secretariat, not a delegate.
	for _, a := range []forum.Actor{fx.Admin, fx.Bra} {
		_, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), fx.Draft.ID, in)
		fixture.ExpectCode(t, err, plenary.CodeForbidden)
		if !strings.Contains(err.Error(), "may not edit the draft") {
			t.Fatalf("message: %v", err)
		}
	}
	// A wrong decision changes nothing.
	bad := in
	bad.Decisions = append(append([]text.Decision(nil), in.Decisions...), text.Decision{Action: text.ActAccept, AmendmentID: add.ID})
	_, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, bad)
	fixture.ExpectField(t, err, "decisions[3].amendment_id")
	bad = in
	bad.Brackets = []drafting.CollisionBracket{{Collision: "c9"}}
	_, err = fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, bad)
	fixture.ExpectField(t, err, "brackets[0].collision")
	if d, _ := fx.Svc.Drafting.DraftText(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F), fx.Draft.ID); d.Revision != 1 || d.Pending != 6 {
		t.Fatalf("after refusals: revision %d, %d pending", d.Revision, d.Pending)
	}

	out, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Info.Revision != 2 || out.Info.Label != "WTPF-13/5(Rev.1)" || out.Info.OpenBrackets != 1 || out.Info.Provisions != 5 {
		t.Fatalf("outcome: %+v", out.Info)
	}
	if len(out.CarriedOver) != 1 || out.CarriedOver[0] != pending.ID || len(out.Superseded) != 0 {
		t.Fatalf("carry over: %+v", out)
	}
	status := func(id string) drafting.Amendment {
		am, err := fx.Svc.Drafting.AmendmentByID(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F), fx.Draft.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		return am
	}
	for id, want := range map[string]text.Status{bra.ID: text.StatusSuperseded, usa.ID: text.StatusSuperseded, add.ID: text.StatusAccepted,
		sup.ID: text.StatusRejected, noc.ID: text.StatusAccepted, pending.ID: text.StatusSubmitted} {
		if am := status(id); am.Status != want || (want != text.StatusSubmitted && am.DecidedIn != 2) {
			t.Errorf("%s: %s decided in %d, want %s", am.Label, am.Status, am.DecidedIn, want)
		}
	}
	if am := status(pending.ID); am.Revision != 2 || am.MadeIn != 1 {
		t.Fatalf("carried over: %+v", am)
	}
	d := fx.Revision(t, fx.Editor, 0)
	p3, _ := d.Provision("p3")
	b := p3.Body[1].Bracket
	if b == nil || len(b.Alternatives) != 2 || b.Alternatives[0].Supporters[0] == b.Alternatives[1].Supporters[0] {
		t.Fatalf("bracket: %+v", p3.Body)
	}
	doc, _ := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F), fx.Draft.ID)
	if doc.Current != "WTPF-13/5(Rev.1)" || !strings.Contains(doc.Text, "[on an equal footing / in their respective roles and responsibilities]") {
		t.Fatalf("document: %s\n%s", doc.Current, doc.Text)
	}
	if evs := fx.Events(t, "draft.revised"); len(evs) != 1 || fixture.Payload(t, evs[0])["open_brackets"] != 1.0 {
		t.Fatalf("events: %+v", evs)
	}
	// Stale forms are refused.
	_, err = fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, in)
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p1", Revision: 1})
	fixture.ExpectCode(t, err, plenary.CodeConflict)

	// The redline and the drafting log of the provision.
	r, err := fx.Svc.Drafting.Redline(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, 1, 2)
	if err != nil || r.Added != 1 || r.Changed != 1 {
		t.Fatalf("redline: %+v %v", r, err)
	}
	_, err = fx.Svc.Drafting.Redline(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, 0, 3)
	fixture.ExpectField(t, err, "from")
	h, err := fx.Svc.Drafting.ProvisionLog(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, "p3")
	if err != nil || len(h.Steps) != 2 || h.Steps[1].Status != text.RedlineChanged || len(h.Steps[1].Sources) != 2 || h.Contributions[fx.Contrib.ID] != "WTPF-13/6" {
		t.Fatalf("provision log: %+v %v", h, err)
	}
	if h.Steps[1].Sources[0].Label != "BRA/6/1" && h.Steps[1].Sources[1].Label != "BRA/6/1" {
		t.Fatalf("sources: %+v", h.Steps[1].Sources)
	}

	// The bracket is cleared in the next revision, with Brazil's text.
	out, err = fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, drafting.RevisionInput{
		Decisions: []text.Decision{{Action: text.ActClear, BracketID: b.ID, Alternative: 1}, {Action: text.ActReject, AmendmentID: pending.ID}}})
	if err != nil || out.Info.OpenBrackets != 0 {
		t.Fatalf("clearing: %+v %v", out, err)
	}
	d = fx.Revision(t, forum.Anonymous, 0)
	if p3, _ := d.Provision("p3"); p3.Text() != "that all stakeholders should take part in Internet governance on an equal footing;" {
		t.Fatalf("cleared: %q", p3.Text())
	}
	dt, _ := fx.Svc.Drafting.DraftText(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID)
	if got := []int{dt.Revisions[0].OpenBrackets, dt.Revisions[1].OpenBrackets, dt.Revisions[2].OpenBrackets}; got[1] != 1 || got[2] != 0 {
		t.Fatalf("open brackets per revision: %v", got)
	}
	res, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "equal footing", Kind: search.KindProvision})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("search after revisions: %+v %v", res, err)
	}
}

func TestUndecidedProposalOnAChangedProvisionIsSuperseded(t *testing.T) {
	fx := fixture.NewDrafting(t)
	first := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "MOD", Provision: "p4", Text: "that the work of the Forum should be open."})
	other := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "NOC", Provision: "p4"})
	out, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, drafting.RevisionInput{
		Decisions: []text.Decision{{Action: text.ActAccept, AmendmentID: first.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Superseded) != 1 || out.Superseded[0] != other.ID {
		t.Fatalf("outcome: %+v", out)
	}
	am, _ := fx.Svc.Drafting.AmendmentByID(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F), fx.Draft.ID, other.ID)
	if am.Status != text.StatusSuperseded || !strings.Contains(am.Note, "must be made again") {
		t.Fatalf("superseded: %+v", am)
	}
}

func TestAnonymisedCompilations(t *testing.T) {
	fx := fixture.NewDrafting(t)
	_, err := fx.Svc.Drafting.SetCompilationsAnonymised(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), true)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	if _, err := fx.Svc.Drafting.SetCompilationsAnonymised(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), true); err != nil {
		t.Fatal(err)
	}
	bra, _, _ := fx.Collide(t)
	for _, who := range []struct {
		name       string
		a          forum.Actor
		attributed bool
	}{{"public", forum.Anonymous, false}, {"observer", fx.Observer, false}, {"another party", fx.Isoc, false},
		{"secretariat", fx.Admin, true}, {"editor", fx.Editor, true}} {
		cv, err := fx.Svc.Drafting.Compilation(fx.Ctx, fixture.In(t, fx.Svc.Kernel, who.a, fx.F), fx.Draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(cv)
		html := string(export.CompilationHTML(cv.Compilation, text.RenderOptions{}))
		if cv.Attributed != who.attributed || strings.Contains(string(raw), "BRA/6/1") == !who.attributed || strings.Contains(html, "(BRA)") == !who.attributed {
			t.Errorf("%s: attributed %v, JSON has the label: %v", who.name, cv.Attributed, strings.Contains(string(raw), "BRA/6/1"))
		}
		list, err := fx.Svc.Drafting.Amendments(fx.Ctx, fixture.In(t, fx.Svc.Kernel, who.a, fx.F), fx.Draft.ID, drafting.AmendmentFilter{})
		if err != nil || len(list) != 3 || (list[0].Label == "") == who.attributed {
			t.Errorf("%s: list %+v %v", who.name, list, err)
		}
	}
	// Brazil sees its own proposal attributed.
	am, _ := fx.Svc.Drafting.AmendmentByID(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F), fx.Draft.ID, bra.ID)
	if am.Label != "BRA/6/1" || am.Anonymous {
		t.Fatalf("own proposal: %+v", am)
	}
	// The public record carries no attribution; the secretariat's does.
	evs := fx.Events(t, "amendment.submitted")
	if len(evs) != 3 || evs[0].Visibility != ledger.VisPublic || evs[0].Actor != ledger.SystemActor || strings.Contains(string(evs[0].Payload), "BRA") {
		t.Fatalf("public events: %+v", evs)
	}
	attr := fx.Events(t, "drafting.attribution")
	if len(attr) != 3 || attr[0].Visibility != ledger.VisSecretariat || fixture.Payload(t, attr[0])["label"] != "BRA/6/1" || fixture.Payload(t, attr[0])["event_seq"] != float64(evs[0].Seq) {
		t.Fatalf("attribution events: %+v", attr)
	}
	_, err = fx.Svc.Drafting.Amendments(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, drafting.AmendmentFilter{Party: "BRA"})
	fixture.ExpectField(t, err, "party")
	// Brackets made from the proposals keep their supporters for the
	// secretariat only.
	if _, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID, drafting.RevisionInput{Brackets: []drafting.CollisionBracket{{Collision: "c1", IncludeCurrent: true}}}); err != nil {
		t.Fatal(err)
	}
	pub, _ := fx.Svc.Drafting.DraftRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, 0)
	sec, _ := fx.Svc.Drafting.DraftRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F), fx.Draft.ID, 0)
	pubJSON, _ := json.Marshal(pub)
	secJSON, _ := json.Marshal(sec)
	if strings.Contains(string(pubJSON), `"BRA"`) || !strings.Contains(string(secJSON), `"BRA"`) {
		t.Fatalf("supporters: public %s\nsecretariat %s", pubJSON, secJSON)
	}
	h, _ := fx.Svc.Drafting.ProvisionLog(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), fx.Draft.ID, "p3")
	if raw, _ := json.Marshal(h); strings.Contains(string(raw), "BRA") {
		t.Fatalf("anonymised provision log: %s", raw)
	}
}

func TestRestrictedDraftTexts(t *testing.T) {
	fx := fixture.NewDrafting(t)
	d, err := fx.Svc.Drafting.CreateDraft(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), drafting.DraftInput{Text: fixture.OpinionText, Title: "Members draft", Visibility: "members"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.Svc.Drafting.Compilation(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), d.ID); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("public: %v", err)
	}
	if _, err := fx.Svc.Drafting.DraftRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Observer, fx.F), d.ID, 0); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Fatalf("observer: %v", err)
	}
	list, err := fx.Svc.Drafting.DraftTexts(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F))
	if err != nil || len(list) != 1 {
		t.Fatalf("public list: %d %v", len(list), err)
	}
	list, _ = fx.Svc.Drafting.DraftTexts(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F))
	if len(list) != 2 {
		t.Fatalf("member list: %d", len(list))
	}
	if _, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), d.ID, drafting.ProposalInput{Op: "SUP", Provision: "p2"}); err != nil {
		t.Fatal(err)
	}
	evs := fx.Events(t, "amendment.submitted")
	if evs[len(evs)-1].Visibility != ledger.VisMembers {
		t.Fatalf("event of a members draft: %s", evs[len(evs)-1].Visibility)
	}
	res, _ := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "respective roles", Kind: search.KindProvision})
	if len(res.Hits) != 1 {
		t.Fatalf("public search sees %d provisions", len(res.Hits))
	}
}

func TestConcurrentProposalsGetDistinctLabels(t *testing.T) {
	fx := fixture.NewDrafting(t)
	const n = 12
	labels := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			a, party := fx.Bra, "BRA"
			if i%2 == 1 {
				a, party = fx.Usa, "USA"
			}
			am, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p" + string(rune('1'+i%4))})
			if err != nil {
				errs <- err
				return
			}
			if am.Proposer != party {
				errs <- plenary.Conflict("%s made by %s", am.Label, party)
				return
			}
			labels <- am.Label
		}()
	}
	seen := map[string]bool{}
	for range n {
		select {
		case err := <-errs:
			t.Fatal(err)
		case l := <-labels:
			if seen[l] {
				t.Fatalf("label %s given twice", l)
			}
			seen[l] = true
		}
	}
	for _, want := range []string{"BRA/5/6", "USA/5/6"} {
		if !seen[want] {
			t.Errorf("labels %v lack %s", seen, want)
		}
	}
}

// A draft text's revisions come only from the editor's decisions: a free
// Rev. through the document page would break the drafting log and the
// revision numbers. Addenda stay possible.
func TestNoFreeTextRevisionOfADraftText(t *testing.T) {
	fx := fixture.NewDrafting(t)
	_, err := fx.Svc.Documents.AddVersion(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), fx.Draft.ID, documents.VersionInput{Kind: documents.VersionRev, Title: "Rewritten", Text: "Something else"})
	if pe := plenary.AsError(err); pe.Code != plenary.CodeInvalid || pe.Field != "kind" || !strings.Contains(pe.Message, "draft text") {
		t.Fatalf("free Rev. of a draft text: %v", err)
	}
	if got := fx.Revision(t, fx.Admin, 1); got == nil || len(got.Provisions) == 0 {
		t.Fatal("the draft lost its first revision")
	}
	if _, err := fx.Svc.Documents.AddVersion(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), fx.Draft.ID, documents.VersionInput{Kind: documents.VersionAdd, Title: "Annex", Text: "An annex."}); err != nil {
		t.Fatalf("an addendum to a draft text: %v", err)
	}
}

// Revisions are kept decoded after the first read; every reader gets its
// own copy, so what one page changes (anonymising, rendering) cannot leak
// into the next.
func TestRevisionReadsAreIndependentCopies(t *testing.T) {
	fx := fixture.NewDrafting(t)
	first := fx.Revision(t, fx.Admin, 1)
	want := first.Provisions[0].Text()
	first.Provisions[0].Body = text.TextPart("changed by a reader")
	first.Title = "changed"
	second := fx.Revision(t, fx.Admin, 1)
	if second.Provisions[0].Text() != want || second.Title == "changed" {
		t.Fatalf("a reader's change leaked into the next read: %q / %q", second.Provisions[0].Text(), second.Title)
	}
}

// A command is authorized inside its transaction: a registration withdrawn
// after the request read the proposer's standing refuses the proposal, and
// nothing is written.
func TestAProposalIsRefusedWhenTheRegistrationIsWithdrawnBeforeTheCommit(t *testing.T) {
	fx := fixture.NewDrafting(t)
	k := fx.Svc.Kernel
	// The request starts: its scope reads Brazil's delegate's standing, as
	// the propose form does before the proposal is sent.
	sc := fixture.In(t, k, fx.Bra, fx.F)
	if ok, err := sc.May(fx.Ctx, rules.ProposeAmendment, "BRA"); err != nil || !ok {
		t.Fatalf("Brazil's delegate may not propose at the start: %v %v", ok, err)
	}
	if _, err := sc.Authorize(fx.Ctx, rules.ProposeAmendment, "BRA"); err != nil {
		t.Fatal(err)
	}
	// Meanwhile the secretariat withdraws the registration.
	var regID string
	if err := fx.St.QueryRowContext(fx.Ctx, "SELECT id FROM registrations WHERE user_id = ? AND forum_id = ?", fx.Bra.UserID, fx.F.ID).Scan(&regID); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.Svc.Participation.WithdrawRegistration(fx.Ctx, fixture.In(t, k, fx.Admin, fx.F), regID, "credentials withdrawn"); err != nil {
		t.Fatal(err)
	}
	before := len(fx.Events(t, "amendment.submitted"))
	_, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, sc, fx.Draft.ID, drafting.ProposalInput{Op: "MOD", Provision: "p1", Party: "BRA",
		Text: "that all stakeholders should take part on equal terms;"})
	if plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Fatalf("proposal after the withdrawal: %v, want forbidden", err)
	}
	if n := len(fx.Events(t, "amendment.submitted")); n != before {
		t.Fatalf("%d proposals on the record after a refused one, want %d", n, before)
	}
	ams, err := fx.Svc.Drafting.Amendments(fx.Ctx, fixture.In(t, k, fx.Admin, fx.F), fx.Draft.ID, drafting.AmendmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ams) != 0 {
		t.Fatalf("a refused proposal was stored: %+v", ams)
	}
}
