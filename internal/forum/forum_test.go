package forum_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
)

func TestCreateForumAppendsSignedEventAndAnnounces(t *testing.T) {
	fx := fixture.NewSite(t)
	f := fx.Forum(t, "wtpf-13")
	evs, err := fx.St.EventsAfter(fx.Ctx, f.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Type != "forum.created" || evs[0].Seq != 1 || evs[0].Visibility != ledger.VisPublic || evs[0].Actor != fx.Admin.UserID {
		t.Fatalf("events = %+v", evs)
	}
	if !strings.Contains(string(evs[0].Payload), `"slug":"wtpf-13"`) {
		t.Errorf("payload %s lacks the slug", evs[0].Payload)
	}
	cp, err := fx.St.LatestCheckpoint(fx.Ctx, f.ID)
	if err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	if cp.Seq != 1 || cp.Hash != evs[0].Hash {
		t.Fatalf("checkpoint %+v does not sign the head %s", cp, evs[0].Hash)
	}
	if err := ledger.VerifyCheckpoint(fx.Signer.Public(), cp); err != nil {
		t.Fatal(err)
	}
	fx.Mu.Lock()
	told := fx.Told[f.ID]
	fx.Mu.Unlock()
	if told != 1 {
		t.Fatalf("subscribers told of seq %d, want 1", told)
	}
}

func TestCreateForumRejectsBadInputAndChangesNothing(t *testing.T) {
	fx := fixture.NewSite(t)
	tests := []struct {
		in    forum.ForumInput
		field string
	}{
		{forum.ForumInput{Slug: "Bad Slug", Title: "T", Kind: forum.KindPolicyForum}, "slug"},
		{forum.ForumInput{Slug: "ok", Title: " ", Kind: forum.KindPolicyForum}, "title"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: "picnic"}, "kind"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, StartsOn: "14 May 2013"}, "starts_on"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, StartsOn: "2013-05-16", EndsOn: "2013-05-14"}, "ends_on"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, Languages: []string{"english"}}, "languages"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, DocPrefix: "<script>"}, "doc_prefix"},
		{forum.ForumInput{Slug: "ok", Title: strings.Repeat("x", 201), Kind: forum.KindPolicyForum}, "title"},
	}
	for _, tt := range tests {
		_, err := fx.Svc.Kernel.CreateForum(fx.Ctx, fx.Admin, tt.in)
		var es plenary.Errors
		if !errors.As(err, &es) {
			t.Errorf("%+v: err %v, want field errors", tt.in, err)
			continue
		}
		found := false
		for _, e := range es {
			found = found || e.Field == tt.field
		}
		if !found {
			t.Errorf("%+v: errors %v do not name %s", tt.in, es, tt.field)
		}
	}
	fs, err := fx.Svc.Kernel.Forums(fx.Ctx)
	if err != nil || len(fs) != 0 {
		t.Fatalf("after rejected input: %d forums, err %v", len(fs), err)
	}
	chains, _ := fx.St.Chains(fx.Ctx)
	for _, c := range chains {
		if c != ledger.SiteChain {
			t.Fatalf("a rejected command left chain %s", c)
		}
	}
}

func TestDuplicateSlugNamesTheField(t *testing.T) {
	fx := fixture.NewSite(t)
	fx.Forum(t, "igf")
	_, err := fx.Svc.Kernel.CreateForum(fx.Ctx, fx.Admin, forum.ForumInput{Slug: "igf", Title: "Again", Kind: forum.KindOpenForum})
	var pe *plenary.Error
	if !errors.As(err, &pe) || pe.Field != "slug" || pe.Code != plenary.CodeInvalid {
		t.Fatalf("err = %v, want invalid slug", err)
	}
}

func TestOnlyTheSecretariatSetsUpForums(t *testing.T) {
	fx := fixture.NewSite(t)
	in := forum.ForumInput{Slug: "x", Title: "X", Kind: forum.KindPolicyForum}
	if _, err := fx.Svc.Kernel.CreateForum(fx.Ctx, fx.Alice, in); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Errorf("a delegate: %v, want forbidden", err)
	}
	if _, err := fx.Svc.Kernel.CreateForum(fx.Ctx, forum.Anonymous, in); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Errorf("anonymous: %v, want unauthorized", err)
	}
	f := fx.Forum(t, "y")
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Alice, f.Slug), forum.BodyInput{Slug: "wg1", Name: "WG1", Kind: "working_group"}); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Errorf("a delegate adding a body: %v, want forbidden", err)
	}
	if _, err := fx.Svc.Kernel.SetForumStatus(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Alice, f.Slug), forum.StatusOpen); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Errorf("a delegate opening the forum: %v, want forbidden", err)
	}
}

func TestBodiesAndStatus(t *testing.T) {
	fx := fixture.NewSite(t)
	f := fx.Forum(t, "wcit-12")
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.BodyInput{Slug: "plenary", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.BodyInput{Slug: "com5", Name: "Committee 5", Kind: "committee", ParentSlug: "plenary"}); err != nil {
		t.Fatal(err)
	}
	_, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.BodyInput{Slug: "wg1", Name: "WG1", Kind: "working_group", ParentSlug: "nope"})
	if pe := plenary.AsError(err); pe.Field != "parent_slug" {
		t.Fatalf("unknown parent: %v", err)
	}
	_, err = fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.BodyInput{Slug: "com5", Name: "Again", Kind: "committee"})
	if pe := plenary.AsError(err); pe.Field != "slug" {
		t.Fatalf("duplicate body: %v", err)
	}
	bs, err := fixture.In(t, fx.Svc.Kernel, forum.Anonymous, f).Bodies(fx.Ctx)
	if err != nil || len(bs) != 2 || bs[1].ParentID != bs[0].ID {
		t.Fatalf("bodies %+v err %v", bs, err)
	}
	if _, err := fx.Svc.Kernel.SetForumStatus(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), "party"); plenary.AsError(err).Field != "status" {
		t.Fatalf("bad status: %v", err)
	}
	f2, err := fx.Svc.Kernel.SetForumStatus(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.StatusOpen)
	if err != nil || f2.Status != forum.StatusOpen {
		t.Fatalf("open: %+v %v", f2, err)
	}
	head, _ := fx.St.Head(fx.Ctx, f.ID)
	if head.Seq != 4 {
		t.Fatalf("head %d, want 4 events (created, 2 bodies, opened)", head.Seq)
	}
}

// Commands racing on one chain get consecutive sequence numbers: no gap,
// no duplicate, one valid chain.
func TestConcurrentCommandsKeepOneChain(t *testing.T) {
	fx := fixture.NewSite(t)
	f := fx.Forum(t, "busy")
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.BodyInput{Slug: fmt.Sprintf("g%d", i), Name: fmt.Sprintf("Group %d", i), Kind: "drafting_group"})
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
	rep, err := fx.Svc.Record.VerifyChain(fx.Ctx, f.ID)
	if err != nil || !rep.OK() || rep.Events != n+1 {
		t.Fatalf("%v %v", rep, err)
	}
}

func TestCreateForumWithAPreset(t *testing.T) {
	fx := fixture.NewSite(t)
	_, err := fx.Svc.Kernel.CreateForum(fx.Ctx, fx.Admin, forum.ForumInput{Slug: "x", Title: "X", Kind: forum.KindPolicyForum, Preset: "anarchy"})
	if pe := plenary.AsError(err); pe.Field != "preset" {
		t.Fatalf("unknown preset: %v", err)
	}
	if fs, _ := fx.Svc.Kernel.Forums(fx.Ctx); len(fs) != 0 {
		t.Fatal("a refused forum was created")
	}
	f, err := fx.Svc.Kernel.CreateForum(fx.Ctx, fx.Admin, forum.ForumInput{Slug: "netmundial", Title: "NETmundial", Kind: forum.KindPolicyForum, Preset: "multistakeholder_equal"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := fx.Svc.Kernel.ParticipationSettings(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, f))
	if err != nil || st.Preset != "multistakeholder_equal" || !st.Chosen {
		t.Fatalf("settings %+v %v", st, err)
	}
	evs, _ := fx.St.EventsAfter(fx.Ctx, f.ID, 0, 10)
	if len(evs) != 2 || evs[0].Type != "forum.created" || evs[1].Type != "rules.changed" {
		t.Fatalf("events %v", evs)
	}
	plain := fx.Forum(t, "plain")
	if st, _ := fx.Svc.Kernel.ParticipationSettings(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, plain)); st.Chosen || st.Preset != "itu_policy_forum" {
		t.Fatalf("a forum without a preset: %+v", st)
	}
}

// A page's yes or no comes from the command's check: a refusal is a no,
// and an error deciding is never taken for either.
func TestAllowedTakesRefusalsForNoAndReturnsFailures(t *testing.T) {
	for _, refusal := range []error{
		plenary.Unauthorized("log in first"),
		plenary.Forbidden("Observers may not propose amendments in WTPF-13"),
		plenary.NotFound("no such proposal"),
		plenary.Conflict("the proposal is withdrawn, which is final"),
		plenary.Invalid("party", "co-sponsors are parties; you act for none"),
		plenary.Errors{plenary.Invalid("a", "x"), plenary.Invalid("b", "y")},
		&forum.CommandError{Command: "drafting.CosponsorAmendment", Err: plenary.Forbidden("no")},
	} {
		if ok, err := forum.Allowed(refusal); ok || err != nil {
			t.Errorf("%v: %v %v, want a no", refusal, ok, err)
		}
	}
	if ok, err := forum.Allowed(nil); !ok || err != nil {
		t.Errorf("nil: %v %v, want a yes", ok, err)
	}
	for _, failure := range []error{
		errors.New("database is locked"),
		plenary.Internal(errors.New("disk full")),
		fmt.Errorf("reading standings: %w", errors.New("connection reset")),
		&plenary.Error{Code: plenary.CodeUnavailable, Message: "no file storage"},
	} {
		if ok, err := forum.Allowed(failure); ok || err != failure {
			t.Errorf("%v: %v %v, want the error back", failure, ok, err)
		}
	}
}

func TestChangesViewer(t *testing.T) {
	for _, tc := range []struct {
		typ, payload string
		want         bool
	}{
		{"registration.withdrawn", `{"user_id":"u1","state":"withdrawn"}`, true},
		{"registration.approved", `{"user_id":"u1"}`, true},
		{"registration.approved", `{"user_id":"u2"}`, false},
		{"registration.approved", `not json`, true},
		{"participants.changed", `{"user_id":"u1"}`, false},
		{"document.submitted", `{}`, false},
	} {
		ev := ledger.Event{Type: tc.typ, Payload: []byte(tc.payload)}
		if got := forum.ChangesViewer(ev, "u1"); got != tc.want {
			t.Errorf("ChangesViewer(%s %s) = %v", tc.typ, tc.payload, got)
		}
	}
	if forum.ChangesViewer(ledger.Event{Type: "registration.approved", Payload: []byte(`{"user_id":""}`)}, "") {
		t.Error("the public's view changes")
	}
}
