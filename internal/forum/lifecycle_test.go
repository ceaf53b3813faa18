package forum_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/text"
)

// wantRefused checks that err is a conflict whose message says what: the
// forum's state, or its deadline.
func wantRefused(t *testing.T, what string, err error, says ...string) {
	t.Helper()
	if plenary.ErrorCode(err) != plenary.CodeConflict {
		t.Errorf("%s: %v, want a conflict", what, err)
		return
	}
	msg := plenary.AsError(err).Message
	for _, s := range says {
		if !strings.Contains(msg, s) {
			t.Errorf("%s: %q does not say %q", what, msg, s)
		}
	}
}

// A closed forum is frozen: every command that would change it is refused
// naming its state, whoever gives it and however old the scope it comes
// with; the one command it takes is the secretariat's reopening, with a
// reason on the record. (On PostgreSQL with PLENARY_TEST_ENGINE=postgres.)
func TestClosedForumIsFrozenUntilReopenedWithAReason(t *testing.T) {
	fx := fixture.NewDrafting(t)
	k := fx.Svc.Kernel
	am := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "NOC", Provision: "p1"})
	if _, err := k.SetForumStatus(fx.Ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), forum.StatusOpen); err != nil {
		t.Fatal(err)
	}
	// Scopes read before the forum closed: the commands must find out
	// inside their transactions.
	stale := func(a forum.Actor) *forum.Scope { return fixture.In(t, k, a, fx.F) }
	if _, err := k.SetForumStatus(fx.Ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), forum.StatusClosed); err != nil {
		t.Fatal(err)
	}
	head, _ := fx.St.Head(fx.Ctx, fx.F.ID)
	ctx := fx.Ctx
	attempts := []struct {
		what string
		do   func() error
	}{
		{"a Member State submitting a contribution", func() error {
			_, err := fx.Svc.Documents.SubmitDocument(ctx, stale(fx.Bra), documents.DocumentInput{Type: documents.DocContribution, Title: "Late"})
			return err
		}},
		{"the secretariat issuing a report", func() error {
			_, err := fx.Svc.Documents.SubmitDocument(ctx, stale(fx.Admin), documents.DocumentInput{Type: documents.DocReport, Title: "Report"})
			return err
		}},
		{"a revision of a document", func() error {
			_, err := fx.Svc.Documents.AddVersion(ctx, stale(fx.Bra), fx.Contrib.ID, documents.VersionInput{Kind: documents.VersionRev, Text: "New"})
			return err
		}},
		{"withdrawing a document", func() error {
			_, err := fx.Svc.Documents.WithdrawDocument(ctx, stale(fx.Bra), fx.Contrib.ID, "")
			return err
		}},
		{"changing a document's visibility", func() error {
			_, err := fx.Svc.Documents.SetDocumentVisibility(ctx, stale(fx.Admin), fx.Contrib.ID, documents.VisibilityInput{Visibility: "members"})
			return err
		}},
		{"a new series", func() error {
			_, err := fx.Svc.Documents.CreateSeries(ctx, stale(fx.Admin), documents.SeriesInput{Slug: "dt", Prefix: "DT", Name: "Temporary"})
			return err
		}},
		{"proposing an amendment", func() error {
			_, err := fx.Svc.Drafting.ProposeAmendment(ctx, stale(fx.Bra), fx.Draft.ID, drafting.ProposalInput{Op: "SUP", Provision: "p2"})
			return err
		}},
		{"co-sponsoring", func() error {
			_, err := fx.Svc.Drafting.CosponsorAmendment(ctx, stale(fx.Bra), fx.Draft.ID, am.ID, "")
			return err
		}},
		{"withdrawing a proposal", func() error {
			_, err := fx.Svc.Drafting.WithdrawAmendment(ctx, stale(fx.Usa), fx.Draft.ID, am.ID, "")
			return err
		}},
		{"a new draft", func() error {
			_, err := fx.Svc.Drafting.CreateDraft(ctx, stale(fx.Editor), drafting.DraftInput{Text: fixture.OpinionText})
			return err
		}},
		{"a revision", func() error {
			_, err := fx.Svc.Drafting.IssueRevision(ctx, stale(fx.Editor), fx.Draft.ID, drafting.RevisionInput{
				Decisions: []text.Decision{{Action: text.ActAccept, AmendmentID: am.ID}}})
			return err
		}},
		{"anonymising compilations", func() error {
			_, err := fx.Svc.Drafting.SetCompilationsAnonymised(ctx, stale(fx.Admin), true)
			return err
		}},
		{"registering", func() error {
			_, err := fx.Svc.Participation.Register(ctx, stale(fx.Outsider), participation.RegistrationInput{Role: "observer"})
			return err
		}},
		{"adding a party", func() error {
			_, err := fx.Svc.Participation.AddParty(ctx, stale(fx.Admin), participation.PartyInput{Code: "FRA", Name: "France", Group: rules.GroupMemberState})
			return err
		}},
		{"withdrawing a party", func() error {
			_, err := fx.Svc.Participation.WithdrawParty(ctx, stale(fx.Admin), "ISOC", "It did not come")
			return err
		}},
		{"a focal point", func() error {
			_, err := fx.Svc.Participation.AppointFocalPoint(ctx, stale(fx.Admin), "BRA", "bra@example.org")
			return err
		}},
		{"changing the rules", func() error {
			_, err := fx.Svc.Participation.ChangeRules(ctx, stale(fx.Admin), forum.RulesChange{Cells: []forum.CellInput{
				{Group: rules.GroupCivilSociety, Role: "delegate", Mode: "in_room", Actions: []string{"vote"}}}})
			return err
		}},
		{"the settings of participation", func() error {
			yes := true
			_, err := fx.Svc.Participation.UpdateParticipationSettings(ctx, stale(fx.Admin), forum.SettingsInput{ApplicationsOpen: &yes})
			return err
		}},
		{"a stakeholder group", func() error {
			_, err := fx.Svc.Participation.AddGroup(ctx, stale(fx.Admin), participation.NewGroupInput{GroupInput: participation.GroupInput{Key: "youth", Name: "youth", Plural: "youth"}, RightsFrom: "none"})
			return err
		}},
		{"a body", func() error {
			_, err := k.CreateBody(ctx, stale(fx.Admin), forum.BodyInput{Slug: "wg", Name: "WG", Kind: "working_group"})
			return err
		}},
		{"the forum's settings", func() error {
			_, err := k.UpdateForum(ctx, stale(fx.Admin), forum.ForumInput{Title: "WTPF-13: Renamed", Kind: forum.KindPolicyForum})
			return err
		}},
		{"a deadline", func() error {
			_, err := k.SetDeadline(ctx, stale(fx.Admin), forum.DeadlineInput{Kind: "proposals", Due: "2030-01-01"})
			return err
		}},
		{"opening it with a plain change of status", func() error {
			_, err := k.SetForumStatus(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), forum.StatusOpen)
			return err
		}},
		{"taking it back to preparing", func() error {
			_, err := k.SetForumStatus(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), forum.StatusPreparing)
			return err
		}},
		{"discarding it", func() error {
			_, err := k.DiscardForum(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), "Not needed")
			return err
		}},
	}
	for _, a := range attempts {
		wantRefused(t, a.what, a.do(), "WTPF-13", "closed")
	}
	if h, _ := fx.St.Head(fx.Ctx, fx.F.ID); h.Seq != head.Seq {
		t.Fatalf("refused commands moved the record from %d to %d", head.Seq, h.Seq)
	}

	// Reopening: the secretariat's, with a reason.
	_, err := k.ReopenForum(ctx, fixture.In(t, k, fx.Bra, fx.F.Slug), "We are not done")
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = k.ReopenForum(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), "  ")
	fixture.ExpectField(t, err, "reason")
	f, err := k.ReopenForum(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), "The plenary resumes to adopt Opinion 5.")
	if err != nil || f.Status != forum.StatusOpen {
		t.Fatalf("reopen: %+v %v", f, err)
	}
	evs := fx.Events(t, "forum.reopened")
	if len(evs) != 1 || fixture.Payload(t, evs[0])["reason"] != "The plenary resumes to adopt Opinion 5." || evs[0].Actor != fx.Admin.UserID {
		t.Fatalf("forum.reopened events %v", evs)
	}
	if f, _ := k.ForumBySlug(ctx, fx.F.Slug); f.Status != forum.StatusOpen {
		t.Fatalf("after reopening the forum is %s", f.Status)
	}
	_, err = k.ReopenForum(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), "Again")
	wantRefused(t, "reopening an open forum", err, "not closed")
	fx.Submit(t, fx.Bra, documents.DocumentInput{Title: "After the reopening"})
	rep, err := fx.Svc.Record.VerifyChain(ctx, fx.F.ID)
	if err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", rep, err)
	}
}

// Deadlines close contributions, proposals, registrations and observer
// applications; the refusal names the deadline and its time; the
// secretariat is not held to them and extends them with a reason on the
// record.
func TestDeadlinesAreEnforcedAndExtendedOnTheRecord(t *testing.T) {
	fx := fixture.NewDrafting(t)
	k := fx.Svc.Kernel
	ctx := fx.Ctx
	sec := func() *forum.Scope { return fixture.In(t, k, fx.Admin, fx.F.Slug) }
	yes := true
	if _, err := fx.Svc.Participation.UpdateParticipationSettings(ctx, sec(), forum.SettingsInput{ApplicationsOpen: &yes}); err != nil {
		t.Fatal(err)
	}
	past := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
	later := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Minute)

	// Bad input names the field; only the secretariat sets deadlines.
	_, err := k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "lunch", Due: "2030-01-01"})
	fixture.ExpectField(t, err, "kind")
	_, err = k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "proposals", Due: "next Friday"})
	fixture.ExpectField(t, err, "due_at")
	_, err = k.SetDeadline(ctx, fixture.In(t, k, fx.Bra, fx.F.Slug), forum.DeadlineInput{Kind: "proposals", Due: "2030-01-01"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)

	// A scope read before the deadlines were set: the commands find them
	// inside their transactions.
	stale := func(a forum.Actor) *forum.Scope { return fixture.In(t, k, a, fx.F) }
	for _, kind := range []forum.DeadlineKind{forum.DeadlineContributions, forum.DeadlineProposals, forum.DeadlineRegistrations, forum.DeadlineApplications} {
		if _, err := k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: string(kind), Due: past.Format(time.RFC3339)}); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := k.ForumBySlug(ctx, fx.F.Slug)
	if d := f.DeadlineFor("proposals"); d == nil || !d.Due.Equal(past) || !d.Passed() || len(f.Deadlines) != 4 {
		t.Fatalf("deadlines %+v", f.Deadlines)
	}
	when := past.Format("2 Jan 2006 15:04 UTC")
	_, err = fx.Svc.Documents.SubmitDocument(ctx, stale(fx.Bra), documents.DocumentInput{Type: documents.DocContribution, Title: "Late"})
	wantRefused(t, "a late contribution", err, "deadline for contributions", "WTPF-13", when)
	_, err = fx.Svc.Documents.SubmitDocument(ctx, stale(fx.Bra), documents.DocumentInput{Type: documents.DocProposal, Title: "Late"})
	wantRefused(t, "a late proposal filed as a document", err, "deadline for proposals", when)
	_, err = fx.Svc.Drafting.ProposeAmendment(ctx, stale(fx.Bra), fx.Draft.ID, drafting.ProposalInput{Op: "SUP", Provision: "p2"})
	wantRefused(t, "a late amendment", err, "deadline for proposals", when)
	_, err = fx.Svc.Participation.Register(ctx, stale(fx.Outsider), participation.RegistrationInput{Party: "BRA", Role: "delegate"})
	wantRefused(t, "a late registration", err, "deadline for registrations", when)
	_, err = fx.Svc.Participation.ApplyAsObserver(ctx, stale(fx.Outsider), participation.ApplicationInput{Affiliation: "Daily Bugle"})
	wantRefused(t, "a late application", err, "deadline for observer applications", when)
	// Statements have no deadline; the secretariat is not held to one.
	fx.Submit(t, fx.Bra, documents.DocumentInput{Type: documents.DocStatement, Title: "Statement of Brazil"})
	fx.Submit(t, fx.Admin, documents.DocumentInput{Type: documents.DocContribution, Title: "Received by mail in time", Parties: []string{"USA"}})

	// Extending needs a reason, which goes on the record with both times.
	_, err = k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "proposals", Due: later.Format("2006-01-02T15:04")})
	fixture.ExpectField(t, err, "reason")
	f, err = k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "proposals", Due: later.Format("2006-01-02T15:04"), Reason: "The IEG meets again."})
	if err != nil || !f.DeadlineFor("proposals").Due.Equal(later) || f.DeadlineFor("proposals").Passed() {
		t.Fatalf("extend: %+v %v", f.Deadlines, err)
	}
	evs := fx.Events(t, "forum.deadline_extended")
	if len(evs) != 1 {
		t.Fatalf("extensions %v", evs)
	}
	p := fixture.Payload(t, evs[0])
	if p["kind"] != "proposals" || p["reason"] != "The IEG meets again." || p["from"] != past.Format(time.RFC3339) || p["due_at"] != later.Format(time.RFC3339) {
		t.Fatalf("extension payload %v", p)
	}
	if got := len(fx.Events(t, "forum.deadline_set")); got != 4 {
		t.Fatalf("%d deadlines set on the record, want 4", got)
	}
	fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "SUP", Provision: "p2"})
	_, err = fx.Svc.Documents.SubmitDocument(ctx, stale(fx.Bra), documents.DocumentInput{Type: documents.DocContribution, Title: "Late"})
	wantRefused(t, "contributions still closed", err, "deadline for contributions")

	// Bringing forward and removing need reasons too; a date alone is
	// open to its end.
	f, err = k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "registrations", Due: "2099-12-31", Reason: "Registration reopens."})
	if err != nil || f.DeadlineFor("registrations").DueText() != "31 Dec 2099 23:59 UTC" {
		t.Fatalf("registrations: %+v %v", f.DeadlineFor("registrations"), err)
	}
	if _, err := fx.Svc.Participation.Register(ctx, stale(fx.Outsider), participation.RegistrationInput{Party: "BRA", Role: "delegate"}); err != nil {
		t.Fatal(err)
	}
	_, err = k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "contributions"})
	fixture.ExpectField(t, err, "reason")
	if f, err = k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "contributions", Reason: "Contributions are taken to the end."}); err != nil || f.DeadlineFor("contributions") != nil {
		t.Fatalf("remove: %+v %v", f.Deadlines, err)
	}
	if evs := fx.Events(t, "forum.deadline_removed"); len(evs) != 1 || fixture.Payload(t, evs[0])["from"] != past.Format(time.RFC3339) {
		t.Fatalf("removal %v", evs)
	}
	fx.Submit(t, fx.Bra, documents.DocumentInput{Title: "Now in time"})
	if _, err := k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "proposals", Due: past.Format(time.RFC3339), Reason: "The chair closed the list."}); err != nil {
		t.Fatal(err)
	}
	if evs := fx.Events(t, "forum.deadline_brought_forward"); len(evs) != 1 {
		t.Fatalf("brought forward: %v", evs)
	}
	// The same time again changes nothing.
	head, _ := fx.St.Head(ctx, fx.F.ID)
	if _, err := k.SetDeadline(ctx, sec(), forum.DeadlineInput{Kind: "proposals", Due: past.Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	if h, _ := fx.St.Head(ctx, fx.F.ID); h.Seq != head.Seq {
		t.Fatal("setting a deadline to its own time went on the record")
	}
}

func TestTimeLeft(t *testing.T) {
	now := time.Now().UTC()
	for _, c := range []struct {
		due  time.Time
		want string
	}{
		{now.Add(-time.Minute), "closed"},
		{now.Add(90 * time.Second), "1 minute left"},
		{now.Add(119 * time.Minute), "119 minutes left"},
		{now.Add(5*time.Hour + time.Minute), "5 hours left"},
		{now.Add(47*time.Hour + 59*time.Minute), "47 hours left"},
		{now.Add(72*time.Hour + time.Minute), "3 days left"},
	} {
		if got := (forum.Deadline{Kind: forum.DeadlineProposals, Due: c.due}).TimeLeft(); got != c.want {
			t.Errorf("%v ahead: %q, want %q", c.due.Sub(now).Round(time.Minute), got, c.want)
		}
	}
}

// A forum that never opened can be discarded: it leaves the lists and the
// search across forums, nothing in it changes any more, and its record is
// kept, exported and verified. A forum that opened cannot be.
func TestDiscardingAForumThatNeverOpened(t *testing.T) {
	fx := fixture.NewDocuments(t)
	k := fx.Svc.Kernel
	ctx := fx.Ctx
	kept := fx.Forum(t, "igf")
	fx.Submit(t, fx.Admin, documents.DocumentInput{Type: documents.DocReport, Title: "Zanzibar report", Visibility: "public"})
	found := func() int {
		t.Helper()
		res, err := fx.Svc.Documents.Search(ctx, fx.Admin, documents.SearchInput{Q: "zanzibar"})
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Hits)
	}
	if found() != 1 {
		t.Fatal("the report is not found before the forum is discarded")
	}

	_, err := k.DiscardForum(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), "")
	fixture.ExpectField(t, err, "reason")
	_, err = k.DiscardForum(ctx, fixture.In(t, k, fx.Bra, fx.F.Slug), "A test")
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	f, err := k.DiscardForum(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), "Set up to try the software.")
	if err != nil || f.Status != forum.StatusDiscarded {
		t.Fatalf("discard: %+v %v", f, err)
	}
	evs := fx.Events(t, "forum.discarded")
	if len(evs) != 1 || fixture.Payload(t, evs[0])["reason"] != "Set up to try the software." {
		t.Fatalf("forum.discarded events %v", evs)
	}
	fs, err := k.Forums(ctx)
	if err != nil || len(fs) != 1 || fs[0].ID != kept.ID {
		t.Fatalf("forums listed after discarding: %+v %v", fs, err)
	}
	if found() != 0 {
		t.Fatal("a search across forums finds a discarded forum's document")
	}
	// It is still reached by its slug, and nothing in it changes.
	if f, err := k.ForumBySlug(ctx, fx.F.Slug); err != nil || f.Status != forum.StatusDiscarded {
		t.Fatalf("by slug: %+v %v", f, err)
	}
	_, err = fx.Svc.Documents.SubmitDocument(ctx, fixture.In(t, k, fx.Bra, fx.F), documents.DocumentInput{Type: documents.DocContribution, Title: "Late"})
	wantRefused(t, "a contribution", err, "WTPF-13 is discarded")
	for _, status := range []string{forum.StatusOpen, forum.StatusPreparing} {
		_, err = k.SetForumStatus(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), status)
		wantRefused(t, "a change of status to "+status, err, "WTPF-13 is discarded")
	}
	_, err = k.ReopenForum(ctx, fixture.In(t, k, fx.Admin, fx.F.Slug), "Wanted after all")
	wantRefused(t, "reopening", err, "discarded")
	_, err = k.SetForumStatus(ctx, fixture.In(t, k, fx.Admin, kept.Slug), forum.StatusDiscarded)
	fixture.ExpectField(t, err, "status")
	// Its record is kept: exported and verified.
	rep, err := fx.Svc.Record.VerifyChain(ctx, fx.F.ID)
	if err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", rep, err)
	}
	var buf bytes.Buffer
	if err := fx.Svc.Record.ExportLedger(ctx, fx.F.ID, &buf, func(string) bool { return true }, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"forum.discarded"`) || !strings.Contains(buf.String(), "Zanzibar report") {
		t.Fatalf("the export lacks the forum's record:\n%.2000s", buf.String())
	}

	// A forum that opened is closed, never discarded, even once taken
	// back to preparing.
	for _, status := range []string{forum.StatusOpen, forum.StatusPreparing} {
		if _, err := k.SetForumStatus(ctx, fixture.In(t, k, fx.Admin, kept.Slug), status); err != nil {
			t.Fatal(err)
		}
	}
	_, err = k.DiscardForum(ctx, fixture.In(t, k, fx.Admin, kept.Slug), "A test")
	wantRefused(t, "discarding a forum that opened", err, "has opened")
}

// Commands racing with the closing of their forum either commit before it
// or are refused: nothing lands on the record after the forum closed.
func TestCommandsRacingTheClosingOfTheirForum(t *testing.T) {
	fx := fixture.NewSite(t)
	k := fx.Svc.Kernel
	f := fx.Forum(t, "busy")
	if _, err := k.SetForumStatus(fx.Ctx, fixture.In(t, k, fx.Admin, f.Slug), forum.StatusOpen); err != nil {
		t.Fatal(err)
	}
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n+1)
	for i := 0; i <= n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sc := fixture.In(t, k, fx.Admin, f) // read before the forum closed
			if i == n/2 {
				_, err := k.SetForumStatus(fx.Ctx, sc, forum.StatusClosed)
				errs <- err
				return
			}
			_, err := k.CreateBody(fx.Ctx, sc, forum.BodyInput{Slug: fmt.Sprintf("g%d", i), Name: fmt.Sprintf("Group %d", i), Kind: "drafting_group"})
			if plenary.ErrorCode(err) == plenary.CodeConflict {
				err = nil
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	evs, err := fx.St.EventsAfter(fx.Ctx, f.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	for _, ev := range evs {
		if closed {
			t.Fatalf("%s (seq %d) was recorded after the forum closed", ev.Type, ev.Seq)
		}
		closed = ev.Type == "forum.status_changed" && strings.Contains(string(ev.Payload), `"to":"closed"`)
	}
	if !closed {
		t.Fatal("the closing is not the last event")
	}
}
