package consultation_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/campaign"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
)

type setup struct {
	*fixture.Drafting
	C   *consultation.Service
	now time.Time
	mu  sync.Mutex
}

func (s *setup) in(t testing.TB, a forum.Actor) *forum.Scope {
	return fixture.In(t, s.Svc.Kernel, a, s.F.Slug)
}

// at moves the consultation's clock.
func (s *setup) at(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = t
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	fx := fixture.NewDrafting(t)
	s := &setup{Drafting: fx, C: fx.Svc.Consultation, now: time.Date(2014, 4, 10, 9, 0, 0, 0, time.UTC)}
	s.C.SetClock(func() time.Time {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.now
	})
	return s
}

// open opens a period on the draft's current revision, for a day.
func (s *setup) open(t *testing.T, public bool) consultation.Period {
	t.Helper()
	p, err := s.C.OpenPeriod(s.Ctx, s.in(t, s.Admin), consultation.PeriodInput{Draft: s.Draft.ID, Title: "Comments on draft Opinion 5",
		Public: public, Closes: s.now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// provision finds a provision of the current revision by its label.
func (s *setup) provision(t *testing.T, label string) text.Provision {
	t.Helper()
	d := s.Revision(t, s.Admin, 0)
	for _, p := range d.Provisions {
		if p.DisplayLabel() == label {
			return p
		}
	}
	t.Fatalf("no provision %q", label)
	return text.Provision{}
}

func (s *setup) comment(t *testing.T, a forum.Actor, p consultation.Period, in consultation.CommentInput) consultation.Comment {
	t.Helper()
	if in.Group == "" {
		in.Group = "civil_society"
	}
	if in.Organisation == "" {
		in.Organisation = "individual"
	}
	if in.Target == "" {
		in.Target = consultation.TargetWhole
	}
	if in.Address == "" {
		in.Address = "192.0.2.1"
	}
	c, err := s.C.SubmitComment(s.Ctx, s.in(t, a), p.ID, in)
	if err != nil {
		t.Fatalf("comment %+v: %v", in, err)
	}
	return c
}

func TestPeriodsOpenCloseExtend(t *testing.T) {
	s := newSetup(t)
	ctx := s.Ctx
	closes := s.now.Add(48 * time.Hour)
	_, err := s.C.OpenPeriod(ctx, s.in(t, s.Usa), consultation.PeriodInput{Draft: s.Draft.ID, Title: "x", Closes: closes})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.C.OpenPeriod(ctx, s.in(t, s.Admin), consultation.PeriodInput{Draft: s.Draft.ID, Closes: closes})
	fixture.ExpectField(t, err, "title")
	_, err = s.C.OpenPeriod(ctx, s.in(t, s.Admin), consultation.PeriodInput{Draft: s.Draft.ID, Document: s.Contrib.ID, Title: "x", Closes: closes})
	fixture.ExpectField(t, err, "draft")
	_, err = s.C.OpenPeriod(ctx, s.in(t, s.Admin), consultation.PeriodInput{Draft: s.Draft.ID, Title: "x", Opens: closes, Closes: closes})
	fixture.ExpectField(t, err, "closes")
	_, err = s.C.OpenPeriod(ctx, s.in(t, s.Admin), consultation.PeriodInput{Draft: s.Draft.ID, Revision: 9, Title: "x", Closes: closes})
	fixture.ExpectField(t, err, "revision")
	_, err = s.C.OpenPeriod(ctx, s.in(t, s.Admin), consultation.PeriodInput{Draft: "nope", Title: "x", Closes: closes})
	fixture.ExpectField(t, err, "draft")

	p, err := s.C.OpenPeriod(ctx, s.in(t, s.Admin), consultation.PeriodInput{Draft: s.Draft.ID, Title: "Comments", Closes: closes})
	if err != nil {
		t.Fatal(err)
	}
	if p.Revision != 1 || p.DocumentID != s.Draft.ID || p.StateAt(s.now) != consultation.Open {
		t.Fatalf("period %+v", p)
	}
	// A period on a document takes comments on it as a whole only.
	dp, err := s.C.OpenPeriod(ctx, s.in(t, s.Admin), consultation.PeriodInput{Document: s.Contrib.ID, Title: "On Brazil's paper", Closes: closes})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.C.SubmitComment(ctx, s.in(t, s.Isoc), dp.ID, consultation.CommentInput{Group: "civil_society", Organisation: "ISOC",
		Target: consultation.TargetProvision, Provision: "p1", Text: "x"})
	fixture.ExpectField(t, err, "target")
	s.comment(t, s.Isoc, dp, consultation.CommentInput{Text: "A fair paper."})

	// Extend: a reason, a later time, the secretariat.
	_, err = s.C.ExtendPeriod(ctx, s.in(t, s.Admin), p.ID, consultation.ExtendInput{Closes: closes.Add(time.Hour)})
	fixture.ExpectField(t, err, "reason")
	_, err = s.C.ExtendPeriod(ctx, s.in(t, s.Admin), p.ID, consultation.ExtendInput{Closes: closes.Add(-time.Hour), Reason: "late"})
	fixture.ExpectField(t, err, "closes")
	_, err = s.C.ExtendPeriod(ctx, s.in(t, s.Isoc), p.ID, consultation.ExtendInput{Closes: closes.Add(time.Hour), Reason: "late"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	later := closes.Add(24 * time.Hour)
	p, err = s.C.ExtendPeriod(ctx, s.in(t, s.Admin), p.ID, consultation.ExtendInput{Closes: later, Reason: "Civil society asked for a week more"})
	if err != nil || !p.ClosesAt.Equal(later) {
		t.Fatalf("extend: %v %+v", err, p)
	}
	// The period keeps its latest extension: from when, when, why.
	if got, err := s.C.Period(ctx, s.in(t, s.Isoc), p.ID); err != nil || got.Extension == nil ||
		!got.Extension.From.Equal(closes) || !got.Extension.At.Equal(s.now) || got.Extension.Reason != "Civil society asked for a week more" {
		t.Fatalf("the extended period reads %+v (%v), want its extension from %s with the reason", got.Extension, err, closes)
	}
	if dp, err := s.C.Period(ctx, s.in(t, s.Isoc), dp.ID); err != nil || dp.Extension != nil {
		t.Fatalf("a period never extended reads %+v (%v)", dp.Extension, err)
	}
	// Comments after the close are refused naming the close time.
	s.at(later.Add(time.Minute))
	_, err = s.C.SubmitComment(ctx, s.in(t, s.Isoc), p.ID, consultation.CommentInput{Group: "civil_society", Organisation: "ISOC",
		Target: consultation.TargetWhole, Text: "Too late?"})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	if !strings.Contains(err.Error(), later.Format(time.RFC3339)) {
		t.Errorf("the refusal does not name the close time: %v", err)
	}
	// Close early, then no extension.
	s.at(later.Add(-time.Hour))
	_, err = s.C.ClosePeriod(ctx, s.in(t, s.Usa), p.ID)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	p, err = s.C.ClosePeriod(ctx, s.in(t, s.Admin), p.ID)
	if err != nil || !p.ClosedEarly || p.StateAt(s.now) != consultation.Closed {
		t.Fatalf("close: %v %+v", err, p)
	}
	_, err = s.C.ClosePeriod(ctx, s.in(t, s.Admin), p.ID)
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	_, err = s.C.ExtendPeriod(ctx, s.in(t, s.Admin), p.ID, consultation.ExtendInput{Closes: later.Add(time.Hour), Reason: "again"})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	for typ, n := range map[string]int{"consultation.period_opened": 2, "consultation.period_extended": 1, "consultation.period_closed": 1,
		"consultation.comment_submitted": 1} {
		if got := len(s.Events(t, typ)); got != n {
			t.Errorf("%d %s events, want %d", got, typ, n)
		}
	}
	ps, err := s.C.Periods(ctx, s.in(t, forum.Anonymous), consultation.PeriodFilter{Draft: s.Draft.ID})
	if err != nil || len(ps) != 1 {
		t.Fatalf("periods of the draft: %v %d", err, len(ps))
	}
}

func TestWhoMayCommentAndOnWhat(t *testing.T) {
	s := newSetup(t)
	ctx := s.Ctx
	p := s.open(t, false)
	one, a := s.provision(t, "1."), s.provision(t, "a)")
	try := func(who forum.Actor, in consultation.CommentInput) error {
		if in.Group == "" {
			in.Group = "civil_society"
		}
		if in.Organisation == "" {
			in.Organisation = "ISOC"
		}
		in.Address = "192.0.2.9"
		_, err := s.C.SubmitComment(ctx, s.in(t, who), p.ID, in)
		return err
	}
	whole := consultation.CommentInput{Target: consultation.TargetWhole, Text: "Good."}
	// The public, the unregistered, and the secretariat's editor may not
	// comment in a period not open to the public.
	fixture.ExpectCode(t, try(forum.Anonymous, whole), plenary.CodeUnauthorized)
	fixture.ExpectCode(t, try(s.Outsider, whole), plenary.CodeForbidden)
	fixture.ExpectCode(t, try(s.Editor, whole), plenary.CodeForbidden)
	// Participants and observers may.
	for _, who := range []forum.Actor{s.Usa, s.Isoc, s.Observer} {
		if err := try(who, whole); err != nil {
			t.Errorf("%s: %v", who.Name, err)
		}
	}
	// Bad input names its field.
	for field, in := range map[string]consultation.CommentInput{
		"text":         {Target: consultation.TargetWhole, Text: "  "},
		"group":        {Group: "martians", Target: consultation.TargetWhole, Text: "x"},
		"organisation": {Organisation: "a\nb", Target: consultation.TargetWhole, Text: "x"},
		"target":       {Target: "paragraph", Text: "x"},
		"provision":    {Target: consultation.TargetProvision, Provision: "p99", Text: "x"},
		"end":          {Target: consultation.TargetSpan, Provision: one.ID, Start: 3, End: 10000, Text: "x"},
		"quote":        {Target: consultation.TargetSpan, Provision: one.ID, Quote: "words that are not there", Text: "x"},
		"proposed":     {Target: consultation.TargetMissing, Provision: one.ID, Text: "x"},
	} {
		fixture.ExpectField(t, try(s.Isoc, in), field)
	}
	// Missing after an unknown provision.
	fixture.ExpectField(t, try(s.Isoc, consultation.CommentInput{Target: consultation.TargetMissing, Provision: "p99", Proposed: "New text.", Text: "x"}), "provision")
	fixture.ExpectField(t, try(s.Isoc, consultation.CommentInput{Target: consultation.TargetProvision, Provision: one.ID, Text: string([]byte{0xff})}), "text")

	// Each target, with the span found from its words or its offsets.
	c := s.comment(t, s.Isoc, p, consultation.CommentInput{Target: consultation.TargetSpan, Provision: one.ID, Quote: "all stakeholders",
		Text: "Say which stakeholders."})
	words := []rune(one.Text())
	if c.Quote != "all stakeholders" || string(words[c.Start:c.End]) != "all stakeholders" {
		t.Errorf("span %d-%d %q", c.Start, c.End, c.Quote)
	}
	c2 := s.comment(t, s.Isoc, p, consultation.CommentInput{Target: consultation.TargetSpan, Provision: one.ID, Start: c.Start, End: c.End,
		Text: "Same words, by their place."})
	if c2.Quote != "all stakeholders" {
		t.Errorf("span by offsets quotes %q", c2.Quote)
	}
	fixture.ExpectField(t, try(s.Isoc, consultation.CommentInput{Target: consultation.TargetSpan, Provision: one.ID, Start: c.Start, End: c.End,
		Quote: "other words", Text: "x"}), "quote")
	m := s.comment(t, s.Usa, p, consultation.CommentInput{Group: "member_state", Organisation: "United States",
		Target: consultation.TargetMissing, Provision: a.ID, Proposed: "the importance of human rights online;", Text: "Something is missing."})
	if m.Provision != a.ID || m.Proposed == "" || m.GroupLabel == "member_state" {
		t.Errorf("missing: %+v", m)
	}
	if m.Number != c2.Number+1 || m.Ref != fmt.Sprintf("C-%d", m.Number) {
		t.Errorf("numbers %d then %d (%s)", c2.Number, m.Number, m.Ref)
	}

	// A period open to the public takes comments from anyone signed in.
	pub := s.open(t, true)
	if _, err := s.C.SubmitComment(ctx, s.in(t, s.Outsider), pub.ID, consultation.CommentInput{Group: "academia", Organisation: "individual",
		Target: consultation.TargetWhole, Text: "From the public."}); err != nil {
		t.Fatal(err)
	}
	_, err := s.C.SubmitComment(ctx, s.in(t, forum.Anonymous), pub.ID, consultation.CommentInput{Group: "academia", Organisation: "individual",
		Target: consultation.TargetWhole, Text: "Anonymous."})
	fixture.ExpectCode(t, err, plenary.CodeUnauthorized)
	may, err := s.C.MayComment(ctx, s.in(t, s.Outsider), p)
	if err != nil || may {
		t.Errorf("MayComment of an outsider in a closed-to-the-public period = %v, %v", may, err)
	}
}

// Numbers are taken without gaps or repeats under concurrent submission.
func TestNumberingUnderConcurrency(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	s.C.PerAccount, s.C.PerAddress = 0, 0
	const workers, each = 8, 5
	people := []forum.Actor{s.Usa, s.Bra, s.Isoc, s.Observer, s.Outsider, s.Alice, s.Usa, s.Isoc}
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		sc := s.in(t, people[w])
		wg.Go(func() {
			for i := range each {
				_, err := s.C.SubmitComment(s.Ctx, sc, p.ID, consultation.CommentInput{Group: "civil_society", Organisation: "individual",
					Target: consultation.TargetWhole, Text: fmt.Sprintf("Comment %d of writer %d.", i, w), Address: fmt.Sprintf("198.51.100.%d", w)})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	cs, err := s.C.Comments(s.Ctx, s.in(t, s.Admin), p.ID, consultation.CommentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != workers*each {
		t.Fatalf("%d comments, want %d", len(cs), workers*each)
	}
	for i, c := range cs {
		if c.Number != i+1 {
			t.Fatalf("comment %d has number %d: numbers have a gap or a repeat", i, c.Number)
		}
	}
	if n := len(s.Events(t, "consultation.comment_submitted")); n != workers*each {
		t.Errorf("%d events for %d comments", n, workers*each)
	}
}

func TestModerationKeepsTheTextForTheSecretariat(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	c := s.comment(t, s.Outsider, p, consultation.CommentInput{Text: "Abusive words about a delegate."})
	s.comment(t, s.Isoc, p, consultation.CommentInput{Text: "A fair comment."})
	_, err := s.C.HideComment(s.Ctx, s.in(t, s.Isoc), c.Ref, "abuse")
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.C.HideComment(s.Ctx, s.in(t, s.Admin), c.Ref, " ")
	fixture.ExpectField(t, err, "reason")
	if _, err := s.C.HideComment(s.Ctx, s.in(t, s.Admin), c.Ref, "personal abuse of a delegate"); err != nil {
		t.Fatal(err)
	}
	_, err = s.C.HideComment(s.Ctx, s.in(t, s.Admin), c.Ref, "again")
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	pub, err := s.C.Comment(s.Ctx, s.in(t, forum.Anonymous), c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Text != "" || !pub.Hidden || pub.HiddenNotice() != "hidden by the secretariat: personal abuse of a delegate" {
		t.Errorf("the public sees %+v", pub)
	}
	sec, err := s.C.Comment(s.Ctx, s.in(t, s.Admin), c.Ref)
	if err != nil || sec.Text != "Abusive words about a delegate." {
		t.Errorf("the secretariat sees %q, %v", sec.Text, err)
	}
	list, err := s.C.Comments(s.Ctx, s.in(t, s.Isoc), p.ID, consultation.CommentFilter{})
	if err != nil || len(list) != 2 || list[0].Text != "" || list[1].Text != "A fair comment." {
		t.Fatalf("the list for a participant: %v %+v", err, list)
	}
	counts, err := s.C.PeriodCounts(s.Ctx, s.in(t, forum.Anonymous), p.ID)
	if err != nil || counts.Hidden != 1 || counts.Comments != 2 {
		t.Errorf("counts %+v %v", counts, err)
	}
	// The record has the reason, never the text.
	for _, ev := range append(s.Events(t, "consultation.comment_hidden"), s.Events(t, "consultation.comment_submitted")...) {
		if strings.Contains(string(ev.Payload), "Abusive") {
			t.Errorf("the record carries the comment's words: %s", ev.Payload)
		}
	}
	if evs := s.Events(t, "consultation.comment_hidden"); len(evs) != 1 || fixture.Payload(t, evs[0])["reason"] != "personal abuse of a delegate" {
		t.Errorf("hidden events %v", evs)
	}
	if _, err := s.C.UnhideComment(s.Ctx, s.in(t, s.Admin), c.Ref); err != nil {
		t.Fatal(err)
	}
	if pub, _ := s.C.Comment(s.Ctx, s.in(t, forum.Anonymous), c.Ref); pub.Text == "" || pub.Hidden {
		t.Errorf("unhidden comment for the public: %+v", pub)
	}
}

func TestIntakeBounds(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	s.C.PerAccount, s.C.PerAddress = 2, 3
	s.comment(t, s.Isoc, p, consultation.CommentInput{Text: "One.", Address: "192.0.2.1"})
	s.comment(t, s.Isoc, p, consultation.CommentInput{Text: "Two.", Address: "192.0.2.2"})
	_, err := s.C.SubmitComment(s.Ctx, s.in(t, s.Isoc), p.ID, consultation.CommentInput{Group: "civil_society", Organisation: "ISOC",
		Target: consultation.TargetWhole, Text: "Three.", Address: "192.0.2.3"})
	fixture.ExpectCode(t, err, plenary.CodeRateLimited)
	if plenary.CodeRateLimited.HTTPStatus() != 429 || !strings.Contains(err.Error(), "at most 2 comments per account within an hour") {
		t.Errorf("refusal %v", err)
	}
	// Per address, across accounts.
	s.comment(t, s.Usa, p, consultation.CommentInput{Text: "A.", Address: "203.0.113.7"})
	s.comment(t, s.Bra, p, consultation.CommentInput{Text: "B.", Address: "203.0.113.7"})
	s.comment(t, s.Observer, p, consultation.CommentInput{Text: "C.", Address: "203.0.113.7"})
	_, err = s.C.SubmitComment(s.Ctx, s.in(t, s.Outsider), p.ID, consultation.CommentInput{Group: "academia", Organisation: "individual",
		Target: consultation.TargetWhole, Text: "D.", Address: "203.0.113.7"})
	fixture.ExpectCode(t, err, plenary.CodeRateLimited)
	if !strings.Contains(err.Error(), "at most 3 comments from one network address within an hour") {
		t.Errorf("refusal %v", err)
	}
	s.C.Window = 10 * time.Minute
	_, err = s.C.SubmitComment(s.Ctx, s.in(t, s.Outsider), p.ID, consultation.CommentInput{Group: "academia", Organisation: "individual",
		Target: consultation.TargetWhole, Text: "D.", Address: "203.0.113.7"})
	if !strings.Contains(fmt.Sprint(err), "within 10 minutes") {
		t.Errorf("refusal over 10 minutes: %v", err)
	}
	s.C.Window = time.Hour
	s.comment(t, s.Outsider, p, consultation.CommentInput{Text: "D.", Address: "203.0.113.8"})
	// An hour later the account may comment again.
	s.at(s.now.Add(61 * time.Minute))
	s.comment(t, s.Isoc, p, consultation.CommentInput{Text: "Three, later.", Address: "192.0.2.3"})
	cs, _ := s.C.Comments(s.Ctx, s.in(t, s.Admin), p.ID, consultation.CommentFilter{})
	if len(cs) != 7 {
		t.Errorf("%d comments kept, want 7", len(cs))
	}
	// The address is kept only as a keyed hash.
	var raw int
	if err := s.St.QueryRowContext(s.Ctx, "SELECT COUNT(*) FROM consultation_comments WHERE address_hash LIKE ?", "%203.0.113%").Scan(&raw); err != nil || raw != 0 {
		t.Errorf("raw addresses stored: %d %v", raw, err)
	}
}

func TestDispositions(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, false)
	one := s.provision(t, "1.")
	c1 := s.comment(t, s.Isoc, p, consultation.CommentInput{Target: consultation.TargetProvision, Provision: one.ID, Text: "Name the roles."})
	c2 := s.comment(t, s.Usa, p, consultation.CommentInput{Group: "member_state", Organisation: "United States", Text: "Shorter, please."})
	s.comment(t, s.Observer, p, consultation.CommentInput{Target: consultation.TargetMissing, Provision: one.ID, Proposed: "3. that X;", Text: "Add X."})
	n, err := s.C.Unanswered(s.Ctx, s.in(t, s.Editor), s.Draft.ID)
	if err != nil || n != 3 {
		t.Fatalf("unanswered %d %v", n, err)
	}
	am := s.Propose(t, s.Bra, drafting.ProposalInput{Op: "MOD", Provision: one.ID, Text: "that all stakeholders, in their respective roles, should take part in Internet governance;"})
	d := func(a forum.Actor, ref string, in consultation.DispositionInput) error {
		_, err := s.C.Dispose(s.Ctx, s.in(t, a), ref, in)
		return err
	}
	fixture.ExpectCode(t, d(s.Isoc, c1.Ref, consultation.DispositionInput{Outcome: consultation.Noted, Reason: "x"}), plenary.CodeForbidden)
	fixture.ExpectField(t, d(s.Admin, c1.Ref, consultation.DispositionInput{Outcome: "maybe", Reason: "x"}), "outcome")
	fixture.ExpectField(t, d(s.Admin, c1.Ref, consultation.DispositionInput{Outcome: consultation.Noted}), "reason")
	fixture.ExpectField(t, d(s.Admin, c1.Ref, consultation.DispositionInput{Outcome: consultation.Accepted, Reason: "x", Amendment: "nope"}), "amendment")
	fixture.ExpectField(t, d(s.Admin, c1.Ref, consultation.DispositionInput{Outcome: consultation.Accepted, Reason: "x", Revision: 1, Provision: "p99"}), "provision")
	fixture.ExpectField(t, d(s.Admin, c1.Ref, consultation.DispositionInput{Outcome: consultation.Accepted, Reason: "x", Revision: 7, Provision: one.ID}), "revision")
	fixture.ExpectCode(t, d(s.Admin, "C-99", consultation.DispositionInput{Outcome: consultation.Noted, Reason: "x"}), plenary.CodeNotFound)

	if err := d(s.Admin, c1.Ref, consultation.DispositionInput{Outcome: consultation.Noted, Reason: "Under discussion."}); err != nil {
		t.Fatal(err)
	}
	if err := d(s.Admin, c1.Ref, consultation.DispositionInput{Outcome: consultation.AcceptedInPart, Reason: "Brazil's proposal takes it up.",
		Amendment: am.ID, Revision: 1, Provision: one.ID}); err != nil {
		t.Fatal(err)
	}
	if err := d(s.Admin, c2.Ref, consultation.DispositionInput{Outcome: consultation.OutOfScope, Reason: "Style is for the editor."}); err != nil {
		t.Fatal(err)
	}
	h, err := s.C.History(s.Ctx, s.in(t, s.Isoc), c1.Ref)
	if err != nil || len(h) != 2 || h[0].Outcome != consultation.Noted || h[1].Version != 2 || h[1].Amendment != am.ID {
		t.Fatalf("history %v %+v", err, h)
	}
	got, err := s.C.Comment(s.Ctx, s.in(t, s.Isoc), c1.Ref)
	if err != nil || got.Disposition == nil || got.Disposition.Outcome != consultation.AcceptedInPart || got.Disposition.Provision != one.ID {
		t.Fatalf("comment with its disposition: %v %+v", err, got.Disposition)
	}
	if n, _ := s.C.Unanswered(s.Ctx, s.in(t, s.Editor), s.Draft.ID); n != 1 {
		t.Errorf("unanswered %d, want 1", n)
	}
	rc, err := s.C.RevisionCounts(s.Ctx, s.in(t, s.Editor), s.Draft.ID, 0)
	if err != nil || rc.Comments != 3 || rc.Unanswered != 1 || rc.ByOutcome[consultation.AcceptedInPart] != 1 {
		t.Errorf("revision counts %+v %v", rc, err)
	}
	pc, more, err := s.C.ProvisionComments(s.Ctx, s.in(t, s.Editor), s.Draft.ID, one.ID, 0)
	if err != nil || len(pc) != 2 || pc[0].Disposition == nil || pc[1].Disposition != nil || more != nil {
		t.Fatalf("provision comments %v %+v %v", err, pc, more)
	}
	if pc1, more, err := s.C.ProvisionComments(s.Ctx, s.in(t, s.Editor), s.Draft.ID, one.ID, 1); err != nil || len(pc1) != 1 ||
		pc1[0].ID != pc[0].ID || len(more) != 1 || more[0] != pc[0].PeriodID {
		t.Fatalf("provision comments, one of each period: %v %+v %v", err, pc1, more)
	}
	if evs := s.Events(t, "consultation.comment_disposed"); len(evs) != 3 || fixture.Payload(t, evs[1])["amendment"] != am.ID {
		t.Errorf("disposed events %d", len(evs))
	}

	rows, err := s.C.Table(s.Ctx, s.in(t, s.Isoc), s.Draft.ID, 0)
	if err != nil || len(rows) != 3 || rows[0].Outcome != "accepted_in_part" || rows[2].Outcome != "" || rows[2].Target != "missing" {
		t.Fatalf("table %v %+v", err, rows)
	}
	var buf bytes.Buffer
	if err := consultation.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 4 || recs[0][0] != "comment" || recs[1][0] != c1.Ref || recs[1][11] != "accepted_in_part" || recs[1][13] != am.ID {
		t.Fatalf("csv %v %q", err, recs)
	}
	buf.Reset()
	if err := consultation.WriteJSON(&buf, s.F.Slug, s.Draft.ID, 1, rows); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	first := doc["rows"].([]any)[0].(map[string]any)
	if doc["format"] != consultation.TableFormat || first["link_provision"] != one.ID || first["outcome"] != "accepted_in_part" {
		t.Errorf("json %s", buf.String())
	}
	// The table a page at a time gives the same rows.
	var paged []consultation.Row
	for after := 0; ; {
		page, next, err := s.C.TablePage(s.Ctx, s.in(t, s.Isoc), s.Draft.ID, 0, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if next == 0 {
			break
		}
		after = next
	}
	if !reflect.DeepEqual(paged, rows) {
		t.Errorf("the table in pages of 2:\n%+v\nwant\n%+v", paged, rows)
	}
}

// The table's JSON, written a row at a time, is the document encoded whole
// with two spaces of indentation, for no row, one or several.
func TestTableJSONStreamsTheSameBytes(t *testing.T) {
	rows := []consultation.Row{
		{Comment: "C-1", Period: "p", Commenter: "Ann <ann@example.org>", Text: "Ünïcode & <b>markup</b>\n", Hidden: false, LinkRevision: 2},
		{Comment: "C-2", Text: "hidden by the secretariat: abuse", Hidden: true, Outcome: "noted", Reason: "\"quoted\"", DecidedAt: "2014-04-10T09:00:00Z"},
		{Comment: "C-3", Target: "missing", Proposed: "that more be said;"},
	}
	for n := range len(rows) + 1 {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		doc := consultation.TableDocument{Format: consultation.TableFormat, Forum: "f", Draft: "d", Revision: 3, Rows: append([]consultation.Row{}, rows[:n]...)}
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := consultation.WriteJSON(&got, "f", "d", 3, rows[:n]); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d rows:\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}

// letter is a campaign's text, signed with a name and a town.
func letter(name, town string) string {
	return "I am writing to ask that the outcome document protect the open Internet and guarantee that every person " +
		"can reach the content of their choice without blocking or throttling by any operator. My name is " + name +
		" and I live in " + town + "."
}

func TestCampaignsAndFabricationSigns(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	s.C.PerAccount, s.C.PerAddress, s.C.BurstSize, s.C.BurstWindow = 0, 0, 3, 10*time.Minute
	names := [][2]string{{"Ann", "Leeds"}, {"Bob", "Lyon"}, {"Cem", "Izmir"}, {"Dee", "Pune"}}
	people := []forum.Actor{s.Outsider, s.Alice, s.Isoc, s.Observer}
	var members []consultation.Comment
	for i, n := range names {
		members = append(members, s.comment(t, people[i], p, consultation.CommentInput{Text: letter(n[0], n[1]), Address: "198.51.100.20"}))
		s.at(s.now.Add(time.Minute))
	}
	solo := s.comment(t, s.Usa, p, consultation.CommentInput{Group: "member_state", Organisation: "United States",
		Text: "The second paragraph should refer to the Tunis Agenda.", Address: "192.0.2.50"})
	// One member is hidden: it stays a member, its text leaves the public's variants.
	if _, err := s.C.HideComment(s.Ctx, s.in(t, s.Admin), members[3].Ref, "abuse in the signature"); err != nil {
		t.Fatal(err)
	}
	cps, err := s.C.Campaigns(s.Ctx, s.in(t, forum.Anonymous), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) != 1 || cps[0].Size != 4 || cps[0].ID != members[0].Number || len(cps[0].Variants) != 3 || cps[0].VariantCount != 3 {
		t.Fatalf("campaigns for the public %+v", cps)
	}
	for _, v := range cps[0].Variants {
		if strings.Contains(v.Text, "dee") {
			t.Errorf("the public sees a hidden member's text in the variants: %q", v.Text)
		}
	}
	if sec, _ := s.C.Campaigns(s.Ctx, s.in(t, s.Admin), p.ID); len(sec) != 1 || len(sec[0].Variants) != 4 || sec[0].VariantCount != 4 {
		t.Errorf("campaigns for the secretariat %+v", sec)
	}
	// Signs of fabrication: for the secretariat only.
	_, err = s.C.Flags(s.Ctx, s.in(t, s.Isoc), p.ID)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	flags, err := s.C.Flags(s.Ctx, s.in(t, s.Admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string][]int{}
	for _, f := range flags {
		kinds[f.Kind] = f.Comments
		if f.CommentCount != len(f.Comments) {
			t.Errorf("a %s flag counts %d of its %d comments", f.Kind, f.CommentCount, len(f.Comments))
		}
		if strings.Contains(f.Reason, "198.51.100") {
			t.Errorf("a flag names the raw address: %s", f.Reason)
		}
	}
	if len(kinds["burst"]) != 4 || len(kinds["template"]) != 4 {
		t.Errorf("flags %+v", flags)
	}
	// The public still sees every comment.
	if cs, _ := s.C.Comments(s.Ctx, s.in(t, forum.Anonymous), p.ID, consultation.CommentFilter{}); len(cs) != 5 {
		t.Errorf("the public sees %d comments", len(cs))
	}

	// One disposition for the whole campaign, then a late member stays unanswered.
	_, err = s.C.DisposeCampaign(s.Ctx, s.in(t, s.Isoc), p.ID, members[0].Number, consultation.DispositionInput{Outcome: consultation.Noted, Reason: "x"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.C.DisposeCampaign(s.Ctx, s.in(t, s.Admin), p.ID, solo.Number, consultation.DispositionInput{Outcome: consultation.Noted, Reason: "x"})
	fixture.ExpectCode(t, err, plenary.CodeNotFound)
	// The members are looked up a few numbers to a query: here 3, so two.
	restore := consultation.SetNumberChunk(3)
	ds, err := s.C.DisposeCampaign(s.Ctx, s.in(t, s.Admin), p.ID, members[0].Number, consultation.DispositionInput{Outcome: consultation.Noted,
		Reason: "Net neutrality is addressed in paragraph 2."})
	restore()
	if err != nil || len(ds) != 4 {
		t.Fatalf("campaign disposition %v %d", err, len(ds))
	}
	for i, d := range ds {
		if d.CommentID != members[i].ID {
			t.Errorf("disposition %d is of comment %q, want %s's %q", i, d.CommentID, members[i].Ref, members[i].ID)
		}
	}
	if evs := s.Events(t, "consultation.campaign_disposed"); len(evs) != 1 {
		t.Errorf("%d campaign events, want one", len(evs))
	}
	late := s.comment(t, s.Bra, p, consultation.CommentInput{Group: "member_state", Organisation: "Brazil", Text: letter("Eva", "Recife"), Address: "192.0.2.60"})
	cps, _ = s.C.Campaigns(s.Ctx, s.in(t, s.Admin), p.ID)
	if len(cps) != 1 || cps[0].Size != 5 || cps[0].Unanswered != 1 || cps[0].Members[4] != late.Number {
		t.Fatalf("after a late member: %+v", cps)
	}
	got, _ := s.C.Comment(s.Ctx, s.in(t, s.Admin), late.Ref)
	if got.Disposition != nil {
		t.Errorf("a late member was disposed silently: %+v", got.Disposition)
	}
	if got, _ := s.C.Comment(s.Ctx, s.in(t, s.Admin), members[1].Ref); got.Disposition == nil || got.Disposition.Campaign != members[0].Number {
		t.Errorf("member disposition %+v", got.Disposition)
	}
	if n, _ := s.C.Unanswered(s.Ctx, s.in(t, s.Admin), s.Draft.ID); n != 2 {
		t.Errorf("unanswered %d, want 2 (the late member and the lone comment)", n)
	}
}

// A period on a document the reader may not read is not found, for every
// kind of reader, and no comment can be made in it.
func TestPeriodOnARestrictedDocument(t *testing.T) {
	s := newSetup(t)
	mem := s.Submit(t, s.Usa, documents.DocumentInput{Title: "Members' paper", Text: "For members", Visibility: "members"})
	p, err := s.C.OpenPeriod(s.Ctx, s.in(t, s.Admin), consultation.PeriodInput{Document: mem.ID, Title: "On the members' paper",
		Closes: s.now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who   string
		a     forum.Actor
		reads bool
	}{
		{"anonymous", forum.Anonymous, false},
		{"not registered", s.Outsider, false},
		{"observer", s.Observer, false},
		{"civil society delegate", s.Isoc, false},
		{"USA delegate", s.Usa, true},
		{"secretariat", s.Admin, true},
	} {
		got, err := s.C.Period(s.Ctx, s.in(t, c.a), p.ID)
		if c.reads {
			if err != nil || got.ID != p.ID || got.DocumentID != mem.ID {
				t.Errorf("%s: %+v %v", c.who, got, err)
			}
			continue
		}
		fixture.ExpectCode(t, err, plenary.CodeNotFound)
		if !strings.Contains(err.Error(), p.ID) {
			t.Errorf("%s: the refusal %q does not name the period", c.who, err)
		}
	}
	_, err = s.C.SubmitComment(s.Ctx, s.in(t, s.Isoc), p.ID, consultation.CommentInput{Group: "civil_society", Organisation: "ISOC",
		Target: consultation.TargetWhole, Text: "Let me in"})
	fixture.ExpectCode(t, err, plenary.CodeNotFound)
	_, err = s.C.Period(s.Ctx, s.in(t, s.Usa), "no-such-period")
	fixture.ExpectCode(t, err, plenary.CodeNotFound)
}

// A comment's fingerprint is stored as its bytes (migration 0017). On
// SQLite, a fingerprint written before it as hexadecimal text is converted
// by the migration, and the campaigns built from either are the same.
func TestFingerprintsAreStoredAsBytes(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	s.C.PerAccount, s.C.PerAddress = 0, 0
	s.comment(t, s.Outsider, p, consultation.CommentInput{Text: letter("Ann", "Leeds")})
	s.comment(t, s.Alice, p, consultation.CommentInput{Text: letter("Bob", "Lyon")})
	lengths := func() []int {
		rows, err := s.St.QueryContext(s.Ctx, "SELECT length(fingerprint) FROM consultation_comments WHERE period_id = ? ORDER BY number", p.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ls []int
		for rows.Next() {
			var n int
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			ls = append(ls, n)
		}
		return ls
	}
	if got := lengths(); len(got) != 2 || got[0] != campaign.EncodedLen || got[1] != campaign.EncodedLen {
		t.Fatalf("stored fingerprint lengths %v, want two of %d bytes", got, campaign.EncodedLen)
	}
	if s.St.Dialect() == store.SQLite {
		if _, err := s.St.ExecContext(s.Ctx, "UPDATE consultation_comments SET fingerprint = hex(fingerprint)"); err != nil {
			t.Fatal(err)
		}
		if got := lengths(); got[0] != 2*campaign.EncodedLen {
			t.Fatalf("hexadecimal fingerprint of %d characters", got[0])
		}
		ms, err := store.Migrations(store.SQLite)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Version == 17 {
				if _, err := s.St.ExecContext(s.Ctx, m.SQL); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := lengths(); got[0] != campaign.EncodedLen || got[1] != campaign.EncodedLen {
			t.Fatalf("after migration 0017, fingerprint lengths %v", got)
		}
	}
	// A fresh service builds the period's index from the stored bytes.
	fresh := consultation.New(s.Svc.Kernel, s.Svc.Documents, s.Svc.Drafting)
	cps, err := fresh.Campaigns(s.Ctx, s.in(t, s.Admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) != 1 || cps[0].Size != 2 {
		t.Fatalf("campaigns from stored fingerprints %+v", cps)
	}
}

// A period's comments come in pages, in the order of their numbers, with
// their filters applied before the page is cut.
func TestCommentPages(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	s.C.PerAccount, s.C.PerAddress = 0, 0
	var cs []consultation.Comment
	for i := range 7 {
		cs = append(cs, s.comment(t, s.Alice, p, consultation.CommentInput{Text: fmt.Sprintf("Point %d of seven, each its own.", i+1)}))
	}
	for _, i := range []int{1, 4} {
		if _, err := s.C.Dispose(s.Ctx, s.in(t, s.Admin), cs[i].Ref, consultation.DispositionInput{Outcome: consultation.Noted, Reason: "Noted."}); err != nil {
			t.Fatal(err)
		}
	}
	numbers := func(cs []consultation.Comment) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Ref)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		flt  consultation.CommentFilter
		want string
		next int
	}{
		{consultation.CommentFilter{Limit: 3}, "C-1,C-2,C-3", 3},
		{consultation.CommentFilter{After: 3, Limit: 3}, "C-4,C-5,C-6", 6},
		{consultation.CommentFilter{After: 6, Limit: 3}, "C-7", 0},
		{consultation.CommentFilter{After: 7, Limit: 3}, "", 0},
		{consultation.CommentFilter{Limit: 7}, "C-1,C-2,C-3,C-4,C-5,C-6,C-7", 0},
		{consultation.CommentFilter{}, "C-1,C-2,C-3,C-4,C-5,C-6,C-7", 0},
		{consultation.CommentFilter{Unanswered: true, Limit: 2}, "C-1,C-3", 3},
		{consultation.CommentFilter{Unanswered: true, After: 3, Limit: 2}, "C-4,C-6", 6},
		{consultation.CommentFilter{Outcome: consultation.Noted, Limit: 1}, "C-2", 2},
		{consultation.CommentFilter{Outcome: consultation.Noted, After: 2}, "C-5", 0},
	} {
		got, next, err := s.C.CommentPage(s.Ctx, s.in(t, forum.Anonymous), p.ID, tc.flt)
		if err != nil {
			t.Fatalf("%+v: %v", tc.flt, err)
		}
		if numbers(got) != tc.want || next != tc.next {
			t.Errorf("%+v: %s, next %d; want %s, next %d", tc.flt, numbers(got), next, tc.want, tc.next)
		}
		for _, c := range got {
			if answered := c.Number == 2 || c.Number == 5; answered != (c.Disposition != nil) {
				t.Errorf("%s: disposition %+v", c.Ref, c.Disposition)
			}
		}
	}
	for _, tc := range []struct {
		flt   consultation.CommentFilter
		field string
	}{
		{consultation.CommentFilter{After: -1}, "after"},
		{consultation.CommentFilter{Limit: -1}, "limit"},
		{consultation.CommentFilter{Outcome: "maybe"}, "outcome"},
		{consultation.CommentFilter{Outcome: consultation.Noted, Unanswered: true}, "outcome"},
	} {
		_, _, err := s.C.CommentPage(s.Ctx, s.in(t, forum.Anonymous), p.ID, tc.flt)
		fixture.ExpectField(t, err, tc.field)
	}
}

// Warm builds the indexes of the periods open or lately closed that have
// comments, and no other: a period closed long ago, or without comments,
// is left to its first read.
func TestWarmBuildsTheIndexesOfPeriodsBeingAnswered(t *testing.T) {
	s := newSetup(t)
	s.C.PerAccount, s.C.PerAddress = 0, 0
	open, old := s.open(t, true), s.open(t, true)
	s.open(t, true) // without comments
	for i, n := range [][2]string{{"Ann", "Leeds"}, {"Bob", "Lyon"}, {"Cem", "Izmir"}} {
		p := open
		if i == 2 {
			p = old
		}
		s.comment(t, s.Outsider, p, consultation.CommentInput{Text: letter(n[0], n[1]), Address: "198.51.100.20"})
	}
	s.comment(t, s.Usa, open, consultation.CommentInput{Group: "member_state", Organisation: "United States",
		Text: "The second paragraph should refer to the Tunis Agenda.", Address: "192.0.2.50"})
	// The old period closed a day longer ago than the window.
	if _, err := s.Svc.Store().ExecContext(s.Ctx, "UPDATE consultation_periods SET closes_at = ? WHERE id = ?",
		s.now.Add(-consultation.WarmWindow-24*time.Hour).UnixMilli(), old.ID); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(s.Ctx)
	cancel()
	if _, _, err := s.C.Warm(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("warm with its context ended: %v", err)
	}
	// A period that would take it over its bound is left to its first read.
	s.C.WarmComments = 2
	if periods, comments, err := s.C.Warm(s.Ctx); err != nil || periods != 0 || comments != 0 {
		t.Errorf("warm within 2 comments: %d periods, %d comments, %v; want none", periods, comments, err)
	}
	s.C.WarmComments = consultation.DefaultWarmComments
	periods, comments, err := s.C.Warm(s.Ctx)
	if err != nil || periods != 1 || comments != 3 {
		t.Fatalf("warm: %d periods, %d comments, %v; want 1 and 3", periods, comments, err)
	}
	// The warmed index answers as one built on a first read does.
	cps, err := s.C.Campaigns(s.Ctx, s.in(t, forum.Anonymous), open.ID)
	if err != nil || len(cps) != 1 || cps[0].Size != 2 {
		t.Fatalf("campaigns after warming: %+v, %v", cps, err)
	}
}
