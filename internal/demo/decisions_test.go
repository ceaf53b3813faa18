package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
)

func TestDemoDecisions(t *testing.T) {
	_, svc := loadDemo(t)
	ctx := context.Background()
	// Loading again adds nothing.
	if err := demo.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	in := func(slug string) *forum.Scope { return fixture.In(t, svc.Kernel, forum.Anonymous, slug) }

	// WTPF-13: Opinion 5 adopted by consensus, with the United States' explanation.
	m, err := svc.Meetings.Meeting(ctx, in(demo.WTPFSlug), demo.WG3Meeting)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := svc.Decisions.MeetingDecisions(ctx, in(demo.WTPFSlug), m.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("WG3-4's decisions: %d %v", len(ds), err)
	}
	c := ds[0]
	if c.Kind != decide.ConsensusCall || c.Outcome != decide.Adopted || c.Document == nil || c.Consensus == nil ||
		len(c.Consensus.Explanations) != 1 || c.Consensus.Explanations[0].Party.Code != "USA" {
		t.Fatalf("the consensus call: %+v", c)
	}

	// WCIT-12: the straw poll, Spain's point of order, the vote.
	pm, err := svc.Meetings.Meeting(ctx, in(demo.WCITSlug), demo.WCITPlenary)
	if err != nil {
		t.Fatal(err)
	}
	if pm.Zone != "Asia/Dubai" || !pm.Sitting() {
		t.Fatalf("the plenary: %+v", pm)
	}
	ds, err = svc.Decisions.MeetingDecisions(ctx, in(demo.WCITSlug), pm.ID)
	if err != nil || len(ds) != 2 {
		t.Fatalf("the plenary's decisions: %d %v", len(ds), err)
	}
	poll, vote := ds[0], ds[1]
	if poll.Kind != decide.StrawPoll || poll.Binding || poll.Title != demo.DemoStrawTitle || !strings.Contains(poll.Status, "not a vote") {
		t.Fatalf("the straw poll: %+v", poll)
	}
	if vote.Kind != decide.FormalVote || vote.Vote == nil || vote.Vote.Result == nil || vote.Vote.Method != decide.Recorded {
		t.Fatalf("the vote: %+v", vote)
	}
	res := vote.Vote.Result
	if res.Tally.Yes != 77 || res.Tally.No != 33 || res.Tally.Abstain != 8 || len(res.Records) != 118 || res.Arithmetic.Outcome != decide.Adopted ||
		!strings.HasPrefix(res.Arithmetic.Sentence, "77 for, 33 against: 77 > 55 of 110 present and voting; 8 abstentions not counted") {
		t.Fatalf("the result: %+v", res.Arithmetic)
	}
	if !strings.Contains(vote.Note, "illustrative") {
		t.Errorf("the vote does not say its split is illustrative: %q", vote.Note)
	}
	for _, r := range res.Records {
		if r.Party.Code == "KEN" || r.Party.Code == "ESP" || r.Party.Code == "LIE" {
			t.Errorf("%s voted, though its credentials do not allow it", r.Party.Code)
		}
	}
	// Spain's point of order, ruled on, between the two.
	ivs, err := svc.Meetings.Interventions(ctx, in(demo.WCITSlug), pm.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range ivs {
		if it.Ruling == "It was not a vote." && strings.Contains(it.PartyName, "Spain") {
			found = true
		}
	}
	tr, err := svc.Meetings.Transcript(ctx, in(demo.WCITSlug), pm.ID)
	if err != nil || !strings.Contains(fmt.Sprint(tr), "Spain asks whether that was a vote") {
		t.Errorf("the transcript of Spain's point of order: %v %v", tr, err)
	}
	if !found {
		t.Errorf("no point of order of Spain ruled on: %+v", ivs)
	}
	// Anyone may vote as any delegation: the delegates' password is public.
	for _, code := range []string{"DEU", "FRA", "ESP"} {
		u, err := svc.Accounts.Authenticate(ctx, demo.WCITDelegateEmail(code), demo.WCITDelegatePassword)
		if err != nil || !strings.HasPrefix(u.Name, "Delegate of ") {
			t.Errorf("%s's demo delegate cannot log in with the published password: %+v %v", code, u, err)
		}
	}
	if _, err := svc.Accounts.Authenticate(ctx, demo.WCITDelegateEmail("DEU"), "not-the-password"); err == nil {
		t.Error("a WCIT-12 delegate logs in with a wrong password")
	}
}
