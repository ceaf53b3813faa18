package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// TestHowAnAccountVotedIsTheSecretariatsAlone: a vote on a public
// period's opinion map is counted for everyone, but its event, which names
// the voting account, reaches the secretariat alone, on the Record page
// and on the live stream.
func TestHowAnAccountVotedIsTheSecretariatsAlone(t *testing.T) {
	s := servertest.New(t)
	ctx := context.Background()
	k := s.Svc.Kernel
	sec := s.User("sec@example.org", "Sec", true)
	s.Forum(sec, "wtpf", "WTPF-13")
	voter := s.User("pat@example.org", "Pat Public", false)
	reader := s.User("rae@example.org", "Rae Reader", false)
	cs := s.Svc.Consultation
	d, err := s.Svc.Drafting.CreateDraft(ctx, mustScope(t, k, sec, "wtpf"), drafting.DraftInput{Visibility: "public",
		Text: "# Draft Opinion\n\n1. that all stakeholders should take part;\n"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := cs.OpenPeriod(ctx, mustScope(t, k, sec, "wtpf"), consultation.PeriodInput{Draft: d.ID, Revision: 1, Public: true,
		Title: "Public comment", Closes: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.EnableOpinionMap(ctx, mustScope(t, k, sec, "wtpf"), p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.SeedStatements(ctx, mustScope(t, k, sec, "wtpf"), p.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Vote(ctx, mustScope(t, k, voter, "wtpf"), p.ID, consultation.VoteInput{Statement: "S-1", Vote: consultation.Disagree, Group: "civil_society"}); err != nil {
		t.Fatal(err)
	}
	evs, err := s.Store.EventsAfter(ctx, chainOf(t, s, "/forums/wtpf"), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var voted int64
	for _, ev := range evs {
		if ev.Type == "consultation.voted" {
			voted = ev.Seq
		}
	}
	if voted == 0 {
		t.Fatal("no consultation.voted event")
	}
	// The count is public.
	sts, err := cs.Statements(ctx, mustScope(t, k, reader, "wtpf"), p.ID, consultation.StatementFilter{})
	if err != nil || len(sts) != 1 || sts[0].Disagrees != 1 {
		t.Fatalf("the public's statements: %v %v", sts, err)
	}

	const wording = "A participant voted on S-1 of the opinion map"
	anonymous := s.Client()
	signedIn := s.Client()
	signedIn.Login(reader.Email)
	secretariat := s.Client()
	secretariat.Login(sec.Email)
	for _, c := range []struct {
		name    string
		browser *servertest.Client
		api     *servertest.Client
		sees    bool
	}{
		{"anonymous", anonymous, s.Client(), false},
		{"a member of the public", signedIn, s.APIToken(reader), false},
		{"the secretariat", secretariat, s.APIToken(sec), true},
	} {
		r := c.browser.Get("/forums/wtpf/record")
		if r.StatusCode != 200 {
			t.Fatalf("%s: the Record page: %d", c.name, r.StatusCode)
		}
		if got := strings.Contains(r.Body, wording); got != c.sees {
			t.Errorf("%s: the Record page shows the vote: %v, want %v", c.name, got, c.sees)
		}
		if strings.Contains(r.Body, "Pat Public") {
			t.Errorf("%s: the Record page names the voter", c.name)
		}
		for name, seqs := range map[string][]int64{
			"API stream": streamSeqs(t, s, c.api, "/api/v1/forums/wtpf/events?since=0"),
			"web stream": streamSeqs(t, s, c.browser, "/forums/wtpf/events?since=0"),
		} {
			if len(seqs) == 0 {
				t.Errorf("%s: the %s sent nothing", c.name, name)
			}
			if got := slices.Contains(seqs, voted); got != c.sees {
				t.Errorf("%s: the %s delivers the vote: %v, want %v", c.name, name, got, c.sees)
			}
		}
	}
}
