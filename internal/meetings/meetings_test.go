package meetings_test

import (
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
)

// setup is a WTPF-like forum with a working group and its chair.
type setup struct {
	*fixture.Documents
	chair    forum.Actor
	chairReg participation.Registration
	M        *meetings.Service
	regs     map[string]string // who -> registration id
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	fx := fixture.NewDocuments(t)
	s := &setup{Documents: fx, M: fx.Svc.Meetings, regs: map[string]string{}}
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, s.in(t, fx.Admin), forum.BodyInput{Slug: "wg3", Name: "Working Group 3", Kind: "working_group"}); err != nil {
		t.Fatal(err)
	}
	s.chair = fx.User(t, "chair@example.org", "Chair Person", false)
	r, err := fx.Svc.Participation.Register(fx.Ctx, s.in(t, fx.Admin), participation.RegistrationInput{Email: "chair@example.org", Role: "chair", Mode: "in_room"})
	if err != nil {
		t.Fatal(err)
	}
	s.chairReg = r
	for name, a := range map[string]forum.Actor{"usa": fx.Usa, "bra": fx.Bra, "isoc": fx.Isoc, "observer": fx.Observer} {
		rs, err := fx.Svc.Participation.ApprovedRegistrationsOf(fx.Ctx, fx.St, fx.F, a.UserID)
		if err != nil || len(rs) == 0 {
			t.Fatalf("registrations of %s: %v", name, err)
		}
		s.regs[name] = rs[0].ID
	}
	return s
}

func (s *setup) in(t *testing.T, a forum.Actor) *forum.Scope {
	return fixture.In(t, s.Svc.Kernel, a, s.F.Slug)
}

func (s *setup) schedule(t *testing.T, in meetings.MeetingInput) meetings.Meeting {
	t.Helper()
	if in.Body == "" {
		in.Body = "wg3"
	}
	if in.Title == "" {
		in.Title = "Working Group 3"
	}
	if in.Date == "" {
		in.Date, in.Start, in.End, in.Zone = "2013-05-14", "09:30", "12:30", "Europe/Zurich"
	}
	m, err := s.M.ScheduleMeeting(s.Ctx, s.in(t, s.Admin), in)
	if err != nil {
		t.Fatalf("schedule %+v: %v", in, err)
	}
	return m
}

func (s *setup) count(t *testing.T) int {
	t.Helper()
	ms, err := s.M.Meetings(s.Ctx, s.in(t, s.Admin), meetings.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func TestScheduleMeeting(t *testing.T) {
	s := newSetup(t)
	m := s.schedule(t, meetings.MeetingInput{Room: "Room II", ChairRegistration: s.chairReg.ID, Remote: true,
		WebcastURL: "https://webcast.example.org/wg3"})
	if m.Number != "WG3-1" || m.State != meetings.StateScheduled || m.Access != meetings.AccessOpen || m.ChairName != "Chair Person" {
		t.Fatalf("scheduled: %+v", m)
	}
	// 09:30 in Geneva in May (CEST, UTC+2) is 07:30 UTC.
	if want := time.Date(2013, 5, 14, 7, 30, 0, 0, time.UTC); !m.Starts.Equal(want) || m.LocalStart().Format("15:04") != "09:30" {
		t.Fatalf("starts %v, want %v", m.Starts, want)
	}
	if m2 := s.schedule(t, meetings.MeetingInput{}); m2.Number != "WG3-2" {
		t.Fatalf("second number: %s", m2.Number)
	}
	if m4 := s.schedule(t, meetings.MeetingInput{Number: "WG3-4"}); m4.Number != "WG3-4" {
		t.Fatalf("chosen number: %s", m4.Number)
	}
	if m5 := s.schedule(t, meetings.MeetingInput{}); m5.Number != "WG3-5" {
		t.Fatalf("after a chosen number: %s", m5.Number)
	}
	before := s.count(t)
	good := meetings.MeetingInput{Body: "wg3", Title: "x", Date: "2013-05-15", Start: "10:00", End: "11:00", Zone: "Europe/Zurich"}
	for _, tt := range []struct {
		field  string
		change func(*meetings.MeetingInput)
	}{
		{"number", func(in *meetings.MeetingInput) { in.Number = "WG3-4" }},
		{"number", func(in *meetings.MeetingInput) { in.Number = "a/b" }},
		{"zone", func(in *meetings.MeetingInput) { in.Zone = "Mars/Olympus" }},
		{"zone", func(in *meetings.MeetingInput) { in.Zone = "" }},
		{"date", func(in *meetings.MeetingInput) { in.Date = "14/05/2013" }},
		{"start", func(in *meetings.MeetingInput) { in.Start = "9h" }},
		{"end", func(in *meetings.MeetingInput) { in.End = "09:00" }},
		{"webcast_url", func(in *meetings.MeetingInput) { in.WebcastURL = "http://insecure.example.org" }},
		{"captions_url", func(in *meetings.MeetingInput) { in.CaptionsURL = "javascript:alert(1)" }},
		{"access", func(in *meetings.MeetingInput) { in.Access = "secret" }},
		{"body", func(in *meetings.MeetingInput) { in.Body = "wg9" }},
		{"title", func(in *meetings.MeetingInput) { in.Title = " " }},
		{"title", func(in *meetings.MeetingInput) { in.Title = "bad\xffutf8" }},
		{"chair_registration", func(in *meetings.MeetingInput) { in.ChairRegistration = "nobody" }},
	} {
		in := good
		tt.change(&in)
		_, err := s.M.ScheduleMeeting(s.Ctx, s.in(t, s.Admin), in)
		fixture.ExpectField(t, err, tt.field)
	}
	for _, a := range []forum.Actor{s.Usa, s.chair, s.Outsider, {}} {
		_, err := s.M.ScheduleMeeting(s.Ctx, s.in(t, a), good)
		if c := plenary.ErrorCode(err); c != plenary.CodeForbidden && c != plenary.CodeUnauthorized {
			t.Fatalf("%s scheduling: %v", a.Name, err)
		}
		_, err = s.M.UpdateMeeting(s.Ctx, s.in(t, a), m.Number, good)
		if c := plenary.ErrorCode(err); c != plenary.CodeForbidden && c != plenary.CodeUnauthorized {
			t.Fatalf("%s updating: %v", a.Name, err)
		}
	}
	if n := s.count(t); n != before {
		t.Fatalf("refusals changed the meetings: %d, want %d", n, before)
	}
	up, err := s.M.UpdateMeeting(s.Ctx, s.in(t, s.Admin), m.Number, meetings.MeetingInput{Title: "WG3, fourth meeting", Date: "2013-05-15",
		Start: "14:30", End: "17:30", Zone: "America/Sao_Paulo", Number: "WG3-40"})
	if err != nil {
		t.Fatal(err)
	}
	if up.Number != "WG3-40" || up.BodySlug != "wg3" || up.LocalStart().Format("15:04") != "14:30" || up.Zone != "America/Sao_Paulo" {
		t.Fatalf("updated: %+v", up)
	}
	if evs := s.Events(t, "meeting.updated"); len(evs) != 1 || evs[0].Visibility != ledger.VisPublic {
		t.Fatalf("updated events: %+v", evs)
	}
}

func TestStateMachine(t *testing.T) {
	s := newSetup(t)
	// Each row: the actions leading to a state, then an action and whether it is allowed.
	path := map[string][]string{
		meetings.StateScheduled: nil,
		meetings.StateInSession: {"open"},
		meetings.StateSuspended: {"open", "suspend"},
		meetings.StateAdjourned: {"open", "adjourn"},
		meetings.StateClosed:    {"open", "adjourn", "close"},
		meetings.StateCancelled: {"cancel"},
	}
	allowed := map[string][]string{
		meetings.StateScheduled: {"open", "cancel"},
		meetings.StateInSession: {"suspend", "adjourn"},
		meetings.StateSuspended: {"resume", "adjourn"},
		meetings.StateAdjourned: {"resume", "close"},
		meetings.StateClosed:    nil,
		meetings.StateCancelled: nil,
	}
	for state, steps := range path {
		for _, action := range []string{"open", "suspend", "resume", "adjourn", "close", "cancel"} {
			m := s.schedule(t, meetings.MeetingInput{})
			for _, st := range steps {
				if _, err := s.M.ChangeState(s.Ctx, s.in(t, s.chair), m.ID, st, "for the test"); err != nil {
					t.Fatalf("%s: %v", st, err)
				}
			}
			ok := false
			for _, a := range allowed[state] {
				ok = ok || a == action
			}
			got, err := s.M.ChangeState(s.Ctx, s.in(t, s.chair), m.ID, action, "a reason")
			if ok {
				want, _ := meetings.TransitionByAction(action)
				if err != nil || got.State != want.To {
					t.Fatalf("from %s, %s: %v, state %s", state, action, err, got.State)
				}
				continue
			}
			fixture.ExpectCode(t, err, plenary.CodeConflict)
			if !strings.Contains(err.Error(), "is "+strings.ToLower(forum.Label(meetings.States, state))) || !strings.Contains(err.Error(), "allowed:") {
				t.Fatalf("from %s, %s: message %q", state, action, err)
			}
		}
	}
	m := s.schedule(t, meetings.MeetingInput{})
	_, err := s.M.ChangeState(s.Ctx, s.in(t, s.chair), m.ID, "cancel", "")
	fixture.ExpectField(t, err, "reason")
	_, err = s.M.ChangeState(s.Ctx, s.in(t, s.chair), m.ID, "dance", "")
	fixture.ExpectField(t, err, "action")
	for _, a := range []forum.Actor{s.Usa, s.Isoc, s.Observer, s.Outsider, {}} {
		_, err := s.M.ChangeState(s.Ctx, s.in(t, a), m.ID, "open", "")
		if c := plenary.ErrorCode(err); c != plenary.CodeForbidden && c != plenary.CodeUnauthorized {
			t.Fatalf("%s opening: %v", a.Name, err)
		}
	}
	if got, _ := s.M.Meeting(s.Ctx, s.in(t, s.Admin), m.ID); got.State != meetings.StateScheduled {
		t.Fatalf("refusals changed the state: %s", got.State)
	}
	got, err := s.M.ChangeState(s.Ctx, s.in(t, s.Admin), m.ID, "open", "quorum present")
	if err != nil || got.State != meetings.StateInSession {
		t.Fatalf("secretariat opening: %v", err)
	}
	evs := s.Events(t, "meeting.state_changed")
	p := fixture.Payload(t, evs[len(evs)-1])
	if p["meeting"] != m.ID || p["to"] != "in_session" || p["reason"] != "quorum present" {
		t.Fatalf("payload: %v", p)
	}
}

func TestAgenda(t *testing.T) {
	s := newSetup(t)
	m := s.schedule(t, meetings.MeetingInput{})
	doc := s.Submit(t, s.Admin, documents.DocumentInput{Type: documents.DocReport, Title: "Report"})
	ch := s.in(t, s.chair)
	add := func(parent, title string, links ...meetings.LinkInput) meetings.AgendaItem {
		t.Helper()
		it, err := s.M.AddItem(s.Ctx, s.in(t, s.chair), m.ID, meetings.ItemInput{Parent: parent, Title: title, Minutes: 10, Links: links})
		if err != nil {
			t.Fatalf("add %s: %v", title, err)
		}
		return it
	}
	a := add("", "Adoption of the agenda")
	b := add("", "Draft Opinion", meetings.LinkInput{Kind: "document", Ref: doc.Number})
	b1 := add(b.ID, "General debate")
	b2 := add(b.ID, "Paragraph by paragraph")
	c := add("", "Any other business")
	if b1.Number != "2.1" || b2.Number != "2.2" || c.Number != "3" || a.Number != "1" {
		t.Fatalf("numbers: %s %s %s %s", a.Number, b1.Number, b2.Number, c.Number)
	}
	if len(b.Links) != 1 || b.Links[0].Ref != doc.ID || b.Links[0].Label != doc.Number {
		t.Fatalf("links: %+v", b.Links)
	}
	for _, tt := range []struct {
		field string
		in    meetings.ItemInput
	}{
		{"title", meetings.ItemInput{}},
		{"minutes", meetings.ItemInput{Title: "x", Minutes: -1}},
		{"links", meetings.ItemInput{Title: "x", Links: []meetings.LinkInput{{Kind: "document", Ref: "WTPF-13/99"}}}},
		{"links", meetings.ItemInput{Title: "x", Links: []meetings.LinkInput{{Kind: "draft", Ref: doc.ID}}}},
		{"links.kind", meetings.ItemInput{Title: "x", Links: []meetings.LinkInput{{Kind: "film", Ref: doc.ID}}}},
		{"links.ref", meetings.ItemInput{Title: "x", Links: []meetings.LinkInput{{Kind: "document"}}}},
		{"parent", meetings.ItemInput{Title: "x", Parent: "nope"}},
	} {
		_, err := s.M.AddItem(s.Ctx, ch, m.ID, tt.in)
		fixture.ExpectField(t, err, tt.field)
	}
	// Move 3 before 2: it becomes 2, and 2.1 becomes 3.1.
	moved, err := s.M.MoveItem(s.Ctx, ch, m.ID, c.ID, meetings.MoveInput{Position: 2})
	if err != nil || moved.Number != "2" {
		t.Fatalf("move: %v %s", err, moved.Number)
	}
	_, err = s.M.MoveItem(s.Ctx, ch, m.ID, b.ID, meetings.MoveInput{Parent: b1.ID})
	fixture.ExpectField(t, err, "parent")
	if _, err := s.M.RemoveItem(s.Ctx, ch, m.ID, b2.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := s.M.Meeting(s.Ctx, s.in(t, s.Admin), m.ID)
	var nums []string
	for _, it := range got.Agenda {
		nums = append(nums, it.Number+" "+it.Title)
	}
	if strings.Join(nums, "|") != "1 Adoption of the agenda|2 Any other business|3 Draft Opinion|3.1 General debate" {
		t.Fatalf("agenda: %v", nums)
	}
	for _, a := range []forum.Actor{s.Usa, s.Observer, s.Outsider, {}} {
		_, err := s.M.AddItem(s.Ctx, s.in(t, a), m.ID, meetings.ItemInput{Title: "Mine"})
		if c := plenary.ErrorCode(err); c != plenary.CodeForbidden && c != plenary.CodeUnauthorized {
			t.Fatalf("%s adding: %v", a.Name, err)
		}
		_, err = s.M.AdoptAgenda(s.Ctx, s.in(t, a), m.ID, "")
		if c := plenary.ErrorCode(err); c != plenary.CodeForbidden && c != plenary.CodeUnauthorized {
			t.Fatalf("%s adopting: %v", a.Name, err)
		}
	}
	// The current item moves only while the meeting sits.
	_, err = s.M.SetCurrentItem(s.Ctx, ch, m.ID, b.ID)
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	if _, err := s.M.AdoptAgenda(s.Ctx, ch, m.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = s.M.AdoptAgenda(s.Ctx, ch, m.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	// After adoption every change is an amendment with a reason.
	_, err = s.M.AddItem(s.Ctx, ch, m.ID, meetings.ItemInput{Title: "Late item"})
	fixture.ExpectField(t, err, "reason")
	late, err := s.M.AddItem(s.Ctx, ch, m.ID, meetings.ItemInput{Title: "Late item", Reason: "requested by Brazil"})
	if err != nil || late.Amended == "" || late.Number != "4" {
		t.Fatalf("amendment: %v %+v", err, late)
	}
	m2, err := s.M.RemoveItem(s.Ctx, ch, m.ID, c.ID, "taken up in plenary")
	if err != nil {
		t.Fatal(err)
	}
	dropped, _ := findItem(m2.Agenda, c.ID)
	if !dropped.Dropped || !strings.Contains(dropped.Amended, "taken up in plenary") || dropped.Number != "2" {
		t.Fatalf("dropped: %+v", dropped)
	}
	if _, err := s.M.ChangeState(s.Ctx, ch, m.ID, "open", ""); err != nil {
		t.Fatal(err)
	}
	cur, err := s.M.SetCurrentItem(s.Ctx, ch, m.ID, b.ID)
	if err != nil || cur.CurrentItem != b.ID {
		t.Fatalf("current: %v", err)
	}
	_, err = s.M.SetCurrentItem(s.Ctx, ch, m.ID, c.ID)
	fixture.ExpectField(t, err, "item")
	_, err = s.M.SetCurrentItem(s.Ctx, s.in(t, s.Usa), m.ID, a.ID)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	evs := s.Events(t, "agenda.current_item_set")
	if len(evs) != 1 || fixture.Payload(t, evs[0])["meeting"] != m.ID {
		t.Fatalf("current item events: %+v", evs)
	}
}

func findItem(items []meetings.AgendaItem, id string) (meetings.AgendaItem, bool) {
	for _, it := range items {
		if it.ID == id {
			return it, true
		}
	}
	return meetings.AgendaItem{}, false
}

func TestAttendance(t *testing.T) {
	s := newSetup(t)
	m := s.schedule(t, meetings.MeetingInput{})
	ch := s.in(t, s.chair)
	_, err := s.M.CheckIn(s.Ctx, s.in(t, s.Usa), m.ID, meetings.AttendanceInput{Present: true})
	fixture.ExpectCode(t, err, plenary.CodeConflict) // not yet open
	if _, err := s.M.ChangeState(s.Ctx, ch, m.ID, "open", ""); err != nil {
		t.Fatal(err)
	}
	for _, a := range []forum.Actor{s.Usa, s.Bra} {
		if at, err := s.M.CheckIn(s.Ctx, s.in(t, a), m.ID, meetings.AttendanceInput{Present: true}); err != nil || at.Mode != meetings.ModeInRoom {
			t.Fatalf("%s checks in: %v %+v", a.Name, err, at)
		}
	}
	_, err = s.M.CheckIn(s.Ctx, s.in(t, s.Isoc), m.ID, meetings.AttendanceInput{Present: true, Mode: "remote"})
	fixture.ExpectField(t, err, "mode") // no remote participation
	_, err = s.M.CheckIn(s.Ctx, s.in(t, s.Outsider), m.ID, meetings.AttendanceInput{Present: true})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.M.CheckIn(s.Ctx, s.in(t, forum.Actor{}), m.ID, meetings.AttendanceInput{Present: true})
	fixture.ExpectCode(t, err, plenary.CodeUnauthorized)
	_, err = s.M.CheckIn(s.Ctx, s.in(t, s.Usa), m.ID, meetings.AttendanceInput{Present: true, Registration: s.regs["bra"]})
	fixture.ExpectField(t, err, "registration")
	if _, err := s.M.UpdateMeeting(s.Ctx, s.in(t, s.Admin), m.ID, meetings.MeetingInput{Title: m.Title, Date: "2013-05-14", Start: "09:30",
		End: "12:30", Zone: "Europe/Zurich", Remote: true}); err != nil {
		t.Fatal(err)
	}
	hub, err := s.M.AddHub(s.Ctx, s.in(t, s.Admin), m.ID, meetings.HubInput{Name: "Internet Society hub", Place: "Geneva", ModeratorRegistration: s.regs["isoc"]})
	if err != nil || hub.ModeratorName == "" {
		t.Fatalf("hub: %v %+v", err, hub)
	}
	_, err = s.M.AddHub(s.Ctx, s.in(t, s.Usa), m.ID, meetings.HubInput{Name: "Mine"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.M.AddHub(s.Ctx, s.in(t, s.Admin), m.ID, meetings.HubInput{Name: ""})
	fixture.ExpectField(t, err, "name")
	if _, err := s.M.CheckIn(s.Ctx, s.in(t, s.Isoc), m.ID, meetings.AttendanceInput{Present: true, Mode: "remote"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.M.RecordAttendance(s.Ctx, s.in(t, s.Usa), m.ID, meetings.AttendanceInput{Registration: s.regs["observer"], Present: true})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.M.RecordAttendance(s.Ctx, s.in(t, s.Admin), m.ID, meetings.AttendanceInput{Registration: s.regs["observer"], Mode: "hub", Hub: "nope", Present: true})
	fixture.ExpectField(t, err, "hub")
	if at, err := s.M.RecordAttendance(s.Ctx, s.in(t, s.Admin), m.ID, meetings.AttendanceInput{Registration: s.regs["observer"], Hub: hub.ID, Present: true}); err != nil || at.HubName != hub.Name {
		t.Fatalf("at the hub: %v %+v", err, at)
	}
	// Brazil leaves.
	if _, err := s.M.CheckIn(s.Ctx, s.in(t, s.Bra), m.ID, meetings.AttendanceInput{Present: false}); err != nil {
		t.Fatal(err)
	}
	at, err := s.M.Present(s.Ctx, s.in(t, s.Observer), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if at.People != 3 || at.InRoom != 1 || at.Remote != 2 || len(at.Parties) != 3 {
		t.Fatalf("attendance: %+v", at)
	}
	for _, p := range at.Parties {
		if p.PartyCode == "BRA" {
			t.Fatalf("Brazil left but is counted: %+v", p)
		}
		if p.PartyCode == "USA" && (p.InRoom != 1 || p.People != 1) {
			t.Fatalf("USA: %+v", p)
		}
	}
	if err := s.M.RemoveHub(s.Ctx, s.in(t, s.Admin), m.ID, hub.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.M.RemoveHub(s.Ctx, s.in(t, s.Usa), m.ID, hub.ID); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Fatalf("USA removing a hub: %v", err)
	}
	at, _ = s.M.Present(s.Ctx, s.in(t, s.Observer), m.ID)
	if at.Remote != 2 {
		t.Fatalf("after the hub left, still remote: %+v", at)
	}
}

func TestClosedMeetingIsHiddenFromThePublic(t *testing.T) {
	s := newSetup(t)
	open := s.schedule(t, meetings.MeetingInput{Title: "Open sitting"})
	closed := s.schedule(t, meetings.MeetingInput{Title: "Closed sitting", Access: meetings.AccessClosed})
	for _, a := range []forum.Actor{{}, s.Outsider} {
		if _, err := s.M.Meeting(s.Ctx, s.in(t, a), closed.ID); plenary.ErrorCode(err) != plenary.CodeNotFound {
			t.Fatalf("%q reads the closed meeting: %v", a.Name, err)
		}
		ms, err := s.M.Meetings(s.Ctx, s.in(t, a), meetings.Filter{})
		if err != nil || len(ms) != 1 || ms[0].ID != open.ID {
			t.Fatalf("%q lists %v (%v)", a.Name, ms, err)
		}
	}
	if _, err := s.M.Meeting(s.Ctx, s.in(t, s.Usa), closed.ID); err != nil {
		t.Fatalf("a delegate reads the closed meeting: %v", err)
	}
	evs := s.Events(t, "meeting.scheduled")
	if len(evs) != 2 || evs[0].Visibility != ledger.VisPublic || evs[1].Visibility != ledger.VisMembers {
		t.Fatalf("visibilities: %s, %s", evs[0].Visibility, evs[1].Visibility)
	}
}
