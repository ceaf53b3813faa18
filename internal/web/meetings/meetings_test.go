package meetings_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

func TestMeetingPages(t *testing.T) {
	s := servertest.New(t)
	ctx := context.Background()
	sec := s.User("sec@example.org", "Sofia Secretariat", true)
	f, err := s.Svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum, DocPrefix: "WTPF-13"})
	if err != nil {
		t.Fatal(err)
	}
	in := func(a forum.Actor) *forum.Scope { return fixture.In(t, s.Svc.Kernel, a, f.Slug) }
	if _, err := s.Svc.Kernel.CreateBody(ctx, in(sec), forum.BodyInput{Slug: "wg3", Name: "Working Group 3", Kind: "working_group"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Participation.AddParty(ctx, in(sec), participation.PartyInput{Code: "USA", Name: "United States", Group: rules.GroupMemberState}); err != nil {
		t.Fatal(err)
	}
	s.User("usa@example.org", "Una States", false)
	if _, err := s.Svc.Participation.Register(ctx, in(sec), participation.RegistrationInput{Email: "usa@example.org", Party: "USA", Role: "delegate", Mode: "in_room"}); err != nil {
		t.Fatal(err)
	}
	secC, usaC, anon := s.Client(), s.Client(), s.Client()
	secC.Login("sec@example.org")
	usaC.Login("usa@example.org")

	// The form refuses bad input naming the field, keeping what was typed.
	form := url.Values{"body": {"wg3"}, "title": {"Fourth meeting"}, "date": {"2013-05-15"}, "start": {"09:30"}, "end": {"12:30"},
		"zone": {"Europe/Geneva"}, "room": {"Room 1"}, "remote": {"on"}, "access": {"open"}, "number": {"WG3-4"}}
	r := secC.PostForm("/forums/wtpf-13/meetings/new", "/forums/wtpf-13/meetings", form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-zone"`) || !strings.Contains(r.Body, `value="Room 1"`) {
		t.Fatalf("bad zone: %d\n%.3000s", r.StatusCode, r.Body)
	}
	if ms, _ := s.Svc.Meetings.Meetings(ctx, in(sec), meetings.Filter{}); len(ms) != 0 {
		t.Fatalf("a refused form scheduled %d meetings", len(ms))
	}
	if r := usaC.Get("/forums/wtpf-13/meetings/new"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate gets the form: %d", r.StatusCode)
	}
	form.Set("zone", "Europe/Zurich")
	r = secC.PostForm("/forums/wtpf-13/meetings/new", "/forums/wtpf-13/meetings", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/forums/wtpf-13/meetings/WG3-4" {
		t.Fatalf("schedule: %d %s\n%.2000s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	page := "/forums/wtpf-13/meetings/WG3-4"
	// Only the chair or the secretariat runs the meeting.
	r = usaC.PostForm(page, page+"/state", url.Values{"action": {"open"}})
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate opens the meeting: %d", r.StatusCode)
	}
	if r := secC.PostForm(page, page+"/state", url.Values{"action": {"open"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: %d\n%.2000s", r.StatusCode, r.Body)
	}
	r = secC.PostForm(page, page+"/state", url.Values{"action": {"close"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "allowed: suspend, adjourn") {
		t.Fatalf("close in session: %d\n%.3000s", r.StatusCode, r.Body)
	}
	r = secC.PostForm(page, page+"/agenda", url.Values{"title": {""}, "minutes": {"5"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="e-i-title"`) {
		t.Fatalf("empty item: %d", r.StatusCode)
	}
	if r := secC.PostForm(page, page+"/agenda", url.Values{"title": {"Adoption of the agenda"}, "minutes": {"5"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add item: %d\n%.2000s", r.StatusCode, r.Body)
	}
	if r := usaC.PostForm(page, page+"/agenda", url.Values{"title": {"Mine"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate adds an item: %d", r.StatusCode)
	}
	m, _ := s.Svc.Meetings.Meeting(ctx, in(sec), "WG3-4")
	if r := secC.PostForm(page, page+"/current-item", url.Values{"item": {m.Agenda[0].ID}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("current item: %d", r.StatusCode)
	}
	if r := usaC.PostForm(page, page+"/check-in", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("check in: %d\n%.2000s", r.StatusCode, r.Body)
	}
	if r := usaC.PostForm(page, page+"/hubs", url.Values{"name": {"Mine"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate adds a hub: %d", r.StatusCode)
	}
	if r := secC.PostForm(page, page+"/hubs", url.Values{"name": {"Internet Society hub"}, "place": {"Geneva"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("hub: %d", r.StatusCode)
	}
	r = anon.Get(page)
	for _, want := range []string{"WG3-4: Fourth meeting", `aria-current="step"`, "Under discussion", "Internet Society hub", "Una States", "1 present: 1 in the room, 0 remote"} {
		if !strings.Contains(r.Body, want) {
			t.Fatalf("meeting page lacks %q:\n%.4000s", want, r.Body)
		}
	}
	if strings.Contains(r.Body, "Run the meeting") || strings.Contains(r.Body, "Register a hub") {
		t.Fatal("the public sees the chair's forms")
	}
	if r := secC.Get(page); !strings.Contains(r.Body, "Run the meeting") || !strings.Contains(r.Body, "Suspend the meeting") {
		t.Fatal("the secretariat lacks the chair's forms")
	}
	r = anon.Get("/forums/wtpf-13/meetings")
	if r.StatusCode != 200 || !strings.Contains(r.Body, "In session") || !strings.Contains(r.Body, `<time datetime="2013-05-15">`) || !strings.Contains(r.Body, ">Meetings<") {
		t.Fatalf("list: %d\n%.3000s", r.StatusCode, r.Body)
	}
	r = anon.Get("/forums/wtpf-13/meetings.ics?body=wg3")
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") || !strings.Contains(r.Body, "DTSTART;TZID=Europe/Zurich:20130515T093000") {
		t.Fatalf("feed: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	// A closed meeting is not shown to the public.
	form.Set("number", "WG3-5")
	form.Set("access", "closed")
	form.Set("title", "Closed sitting")
	if r := secC.PostForm("/forums/wtpf-13/meetings/new", "/forums/wtpf-13/meetings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("closed: %d", r.StatusCode)
	}
	if r := anon.Get("/forums/wtpf-13/meetings/WG3-5"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the public reads a closed meeting: %d", r.StatusCode)
	}
	if r := anon.Get("/forums/wtpf-13/meetings"); strings.Contains(r.Body, "Closed sitting") {
		t.Fatal("the public lists a closed meeting")
	}
	if r := anon.Get("/forums/wtpf-13/meetings.ics"); strings.Contains(r.Body, "Closed sitting") {
		t.Fatal("the public's calendar has a closed meeting")
	}
	if r := usaC.Get("/forums/wtpf-13/meetings/WG3-5"); r.StatusCode != http.StatusOK {
		t.Fatalf("a delegate reads the closed meeting: %d", r.StatusCode)
	}
}
