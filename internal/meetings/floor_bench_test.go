package meetings_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// benchMeeting is a WTPF-like forum on the test engine (SQLite, or
// PostgreSQL with PLENARY_TEST_ENGINE=postgres) with a meeting in
// session on an item, its secretariat and a delegate of Brazil.
func benchMeeting(b *testing.B) (context.Context, *app.App, forum.Forum, meetings.Meeting, forum.Actor, forum.Actor) {
	b.Helper()
	ctx := context.Background()
	signer, err := ledger.GenerateSigner()
	if err != nil {
		b.Fatal(err)
	}
	svc := app.New(storetest.New(b), signer, app.Options{PasswordParams: account.FastParams})
	user := func(email string, admin bool) forum.Actor {
		u, err := svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: email, Name: email, Password: "password-" + email, Admin: admin})
		if err != nil {
			b.Fatal(err)
		}
		return forum.Actor{UserID: u.ID, Name: email, Admin: admin}
	}
	sec, bra := user("sec@example.org", true), user("bra@example.org", false)
	f, err := svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum})
	if err != nil {
		b.Fatal(err)
	}
	in := func(a forum.Actor) *forum.Scope { return fixture.In(b, svc.Kernel, a, f.Slug) }
	if _, err := svc.Participation.AddParty(ctx, in(sec), participation.PartyInput{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Participation.Register(ctx, in(sec), participation.RegistrationInput{Email: "bra@example.org", Party: "BRA", Role: "delegate", Mode: "in_room"}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Kernel.CreateBody(ctx, in(sec), forum.BodyInput{Slug: "wg3", Name: "Working Group 3", Kind: "working_group"}); err != nil {
		b.Fatal(err)
	}
	m, err := svc.Meetings.ScheduleMeeting(ctx, in(sec), meetings.MeetingInput{Body: "wg3", Title: "WG3", Date: "2013-05-14", Start: "09:30", End: "12:30", Zone: "Europe/Zurich"})
	if err != nil {
		b.Fatal(err)
	}
	it, err := svc.Meetings.AddItem(ctx, in(sec), m.ID, meetings.ItemInput{Title: "Draft Opinion 5"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Meetings.ChangeState(ctx, in(sec), m.ID, "open", ""); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Meetings.SetCurrentItem(ctx, in(sec), m.ID, it.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Meetings.ConfigureFloor(ctx, in(sec), m.ID, floor.Policy{Precedence: true, LeastSpoken: true}); err != nil {
		b.Fatal(err)
	}
	return ctx, svc, f, m, sec, bra
}

// BenchmarkRequestFloor measures one queue command end to end on the
// test engine: the delegate's rights checked against the matrix, the
// meeting locked, its queue replayed inside the transaction, the event
// applied, stored and appended to the ledger with a signed checkpoint
// (the announce fan-out to subscribers is the kernel's, after the
// commit). Each iteration is a request and its withdrawal, so the order
// stays short while the meeting's events grow as in a long sitting.
func BenchmarkRequestFloor(b *testing.B) {
	ctx, svc, f, m, _, bra := benchMeeting(b)
	for b.Loop() {
		sc := fixture.In(b, svc.Kernel, bra, f.Slug)
		r, err := svc.Meetings.RequestFloor(ctx, sc, m.ID, meetings.RequestInput{})
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.Meetings.WithdrawRequest(ctx, fixture.In(b, svc.Kernel, bra, f.Slug), m.ID, r.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(2, "commands/op")
}

// BenchmarkFloorView measures reading the view of a meeting whose queue
// holds 500 waiting requests, as the live page does: the replayed state
// is kept until the forum's chain moves, so this is the view built from
// the kept state at the server's now.
func BenchmarkFloorView(b *testing.B) {
	ctx, svc, f, m, sec, bra := benchMeeting(b)
	for i := 0; i < 500; i++ {
		in := meetings.RequestInput{Guest: &meetings.Guest{Name: fmt.Sprintf("Speaker %03d", i), Group: rules.GroupCivilSociety}}
		if i%3 == 0 {
			in.Guest.Group = rules.GroupMemberState
		}
		if _, err := svc.Meetings.RequestFloor(ctx, fixture.In(b, svc.Kernel, sec, f.Slug), m.ID, in); err != nil {
			b.Fatal(err)
		}
	}
	v, err := svc.Meetings.Floor(ctx, fixture.In(b, svc.Kernel, bra, f.Slug), m.ID)
	if err != nil || len(v.Order) != 500 {
		b.Fatalf("the view: %v, %d in the order", err, len(v.Order))
	}
	for b.Loop() {
		v, err := svc.Meetings.Floor(ctx, fixture.In(b, svc.Kernel, bra, f.Slug), m.ID)
		if err != nil || len(v.Order) != 500 {
			b.Fatal(err)
		}
	}
}
