package drafting_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// wantInvalid checks that err is invalid input on field with a message
// containing msg ("" for any).
func wantInvalid(t *testing.T, what string, err error, field, msg string) {
	t.Helper()
	pe := plenary.AsError(err)
	if es, ok := err.(plenary.Errors); ok && len(es) > 0 {
		pe = es[0]
		for _, e := range es {
			if e.Field == field {
				pe = e
			}
		}
	}
	if err == nil || pe.Code != plenary.CodeInvalid || pe.Field != field || !strings.Contains(pe.Message, msg) {
		t.Errorf("%s: err %v, want invalid %s %q", what, err, field, msg)
	}
}

// eventCount is the number of events on the forum's chain.
func eventCount(t *testing.T, fx *fixture.Drafting) int64 {
	t.Helper()
	n, err := fx.St.HeadSeq(fx.Ctx, fx.F.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// provision returns a provision's text of n bytes.
func provision(n int) string {
	return strings.Repeat("words ", n/6+1)[:n-1] + ";"
}

const (
	notUTF8  = "is not valid UTF-8 text"
	control  = "must not contain control characters"
	tooLong  = "a provision's text must be at most 65536 bytes"
	oneLine  = "must be one line of text"
	revRange = "must be a revision of WTPF-13/5, from 1 to 1"
)

// The text of draft texts, proposals and revisions follows the rules of
// text, and one provision has one limit on every path; what is refused
// stores nothing and appends no event.
func TestDraftingTextIsValid(t *testing.T) {
	fx := fixture.NewDrafting(t)
	ed := fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug)
	before := eventCount(t, fx)
	for _, tt := range []struct {
		name  string
		in    drafting.DraftInput
		field string
		msg   string
	}{
		{"invalid UTF-8", drafting.DraftInput{Text: "1. that caf\xe9 is open;\n"}, "text", notUTF8},
		{"control character", drafting.DraftInput{Text: "1. that it \x1b[1mworks;\n"}, "text", control},
		{"title", drafting.DraftInput{Text: "1. one;\n", Title: "Draft\xff"}, "title", notUTF8},
		{"control character in the heading", drafting.DraftInput{Text: "# Draft\x07\n\n1. one;\n"}, "text", control},
		{"note", drafting.DraftInput{Text: "1. one;\n", Title: "Draft", Note: "from \xc3("}, "note", notUTF8},
		{"a provision of 1 MB", drafting.DraftInput{Text: "# Draft\n\n1. one;\n\n2. " + provision(1<<20-100) + "\n"}, "text", "line 5: " + tooLong},
		{"a provision just over", drafting.DraftInput{Text: "1. " + provision(text.MaxProvisionText+1) + "\n", Title: "Draft", Format: drafting.FormatPlain}, "text", "line 1: " + tooLong},
	} {
		_, err := fx.Svc.Drafting.CreateDraft(fx.Ctx, ed, tt.in)
		wantInvalid(t, "draft: "+tt.name, err, tt.field, tt.msg)
	}
	if _, err := fx.Svc.Drafting.CreateDraft(fx.Ctx, ed, drafting.DraftInput{Text: "1. " + provision(text.MaxProvisionText) + "\n", Title: "At the limit", Format: drafting.FormatPlain}); err != nil {
		t.Fatalf("a provision at the limit: %v", err)
	}
	before += 2 // the draft's document and the draft
	if n := eventCount(t, fx); n != before {
		t.Fatalf("refused drafts appended events: %d, want %d", n, before)
	}

	usa := fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug)
	for _, tt := range []struct {
		name  string
		in    drafting.ProposalInput
		field string
		msg   string
	}{
		{"invalid UTF-8", drafting.ProposalInput{Op: "MOD", Provision: "p3", Text: "that all stakeholders \xff"}, "text", notUTF8},
		{"control character", drafting.ProposalInput{Op: "MOD", Provision: "p3", Text: "that all\x00 stakeholders"}, "text", control},
		{"rationale", drafting.ProposalInput{Op: "NOC", Provision: "p3", Rationale: "because\x08"}, "rationale", control},
		{"intro", drafting.ProposalInput{Op: "ADD", After: "p3", Text: "that it works;", Intro: "resolves\nfurther"}, "intro", oneLine},
		{"new label", drafting.ProposalInput{Op: "ADD", After: "p3", Text: "that it works;", NewLabel: "2\xbd"}, "new_label", notUTF8},
		{"over the limit", drafting.ProposalInput{Op: "MOD", Provision: "p3", Text: provision(text.MaxProvisionText + 1)}, "text", tooLong},
	} {
		_, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, usa, fx.Draft.ID, tt.in)
		wantInvalid(t, "proposal: "+tt.name, err, tt.field, tt.msg)
	}
	if n := eventCount(t, fx); n != before {
		t.Fatalf("refused proposals appended events: %d, want %d", n, before)
	}
	am := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "MOD", Provision: "p3", Text: provision(text.MaxProvisionText)})
	before++

	for _, tt := range []struct {
		name  string
		dc    text.Decision
		field string
		msg   string
	}{
		{"rewording over the limit", text.Decision{Action: text.ActAcceptModified, AmendmentID: am.ID, Text: provision(text.MaxProvisionText + 1)}, "decisions[0].text", tooLong},
		{"rewording not UTF-8", text.Decision{Action: text.ActAcceptModified, AmendmentID: am.ID, Text: "that \xe9"}, "decisions[0].text", notUTF8},
		{"note", text.Decision{Action: text.ActReject, AmendmentID: am.ID, Note: "no\x1b"}, "decisions[0].note", control},
	} {
		_, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, ed, fx.Draft.ID, drafting.RevisionInput{Decisions: []text.Decision{tt.dc}})
		wantInvalid(t, "revision: "+tt.name, err, tt.field, tt.msg)
	}
	_, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, ed, fx.Draft.ID, drafting.RevisionInput{Title: "Rev\x00", Decisions: []text.Decision{{Action: text.ActReject, AmendmentID: am.ID}}})
	wantInvalid(t, "revision: title", err, "title", control)
	if n := eventCount(t, fx); n != before {
		t.Fatalf("refused revisions appended events: %d, want %d", n, before)
	}
	if d := fx.Revision(t, forum.Anonymous, 0); d.Revision != 1 {
		t.Fatalf("a refused revision was issued: %d", d.Revision)
	}
	// A proposal a decision names twice counts once.
	if _, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, ed, fx.Draft.ID, drafting.RevisionInput{Decisions: []text.Decision{
		{Action: text.ActCompromise, ProvisionID: "p3", Text: "that all stakeholders should take part;", SourceIDs: []string{am.ID, am.ID}},
		{Action: text.ActReject, AmendmentID: am.ID}}}); err != nil {
		t.Fatal(err)
	}
	p3, _ := fx.Revision(t, fx.Admin, 0).Provision("p3")
	n := 0
	for _, src := range p3.Sources {
		if src.AmendmentID == am.ID && src.Kind == text.SourceCompromise {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the compromise names %s %d times: %+v", am.Label, n, p3.Sources)
	}
}

// A revision number that names no revision is bad input naming its field
// (not a conflict, not a missing thing); an earlier revision is stale (409);
// an export names its revision in the path and is not found.
func TestRevisionNumbersOutOfRange(t *testing.T) {
	fx := fixture.NewDrafting(t)
	anon := fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F)
	before := eventCount(t, fx)
	_, err := fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p1", Revision: 99})
	wantInvalid(t, "proposal against revision 99", err, "revision", revRange)
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p1", Revision: -1})
	wantInvalid(t, "proposal against revision -1", err, "revision", "")
	am := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "NOC", Provision: "p1"})
	before++
	for _, n := range []int{2, 99, -1} {
		_, err = fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID,
			drafting.RevisionInput{Revision: n, Decisions: []text.Decision{{Action: text.ActReject, AmendmentID: am.ID}}})
		wantInvalid(t, "revision decided on a later revision", err, "revision", revRange)
	}
	if n := eventCount(t, fx); n != before {
		t.Fatalf("refused commands appended events: %d, want %d", n, before)
	}
	_, err = fx.Svc.Drafting.DraftRevision(fx.Ctx, anon, fx.Draft.ID, 99)
	wantInvalid(t, "revision 99", err, "revision", revRange)
	_, err = fx.Svc.Drafting.Amendments(fx.Ctx, anon, fx.Draft.ID, drafting.AmendmentFilter{Revision: 2})
	wantInvalid(t, "proposals on revision 2", err, "revision", revRange)
	_, err = fx.Svc.Drafting.Redline(fx.Ctx, anon, fx.Draft.ID, 1, 99)
	wantInvalid(t, "redline to 99", err, "to", revRange)
	_, err = fx.Svc.Drafting.ExportRevision(fx.Ctx, anon, fx.Draft.ID, 2)
	fixture.ExpectCode(t, err, plenary.CodeNotFound)

	// After revision 2, revision 1 is stale for a command, and readable.
	if _, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID,
		drafting.RevisionInput{Revision: 1, Decisions: []text.Decision{{Action: text.ActReject, AmendmentID: am.ID}}}); err != nil {
		t.Fatal(err)
	}
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p1", Revision: 1})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	_, err = fx.Svc.Drafting.ProposeAmendment(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), fx.Draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p1", Revision: 3})
	wantInvalid(t, "proposal against revision 3", err, "revision", "from 1 to 2")
	if _, err := fx.Svc.Drafting.DraftRevision(fx.Ctx, anon, fx.Draft.ID, 1); err != nil {
		t.Fatal(err)
	}
}
