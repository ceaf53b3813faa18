package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// The meetings demo. WTPF-13's Working Group 3 sits on draft Opinion 5:
// its fourth meeting, on 15 May 2013 in Geneva (the zone of Switzerland is
// Europe/Zurich), is in session with its agenda adopted and the draft
// under discussion, remote participation on and an Internet Society hub;
// Brazil and the United States are in the room, a civil-society
// participant is remote. NETmundial (São Paulo, 23-24 April 2014) holds
// its first session on Internet governance principles, in session with
// two remote hubs. The speakers' queues build on these meetings.

// WG3Meeting is the number of the demo meeting of Working Group 3.
const WG3Meeting = "WG3-4"

// NETmundialSlug is the demo NETmundial forum's slug.
const NETmundialSlug = "netmundial-2014"

// NETmundialSession is the number of NETmundial's demo session.
const NETmundialSession = "PLENARY-1"

// meetingExists tells the idempotent loaders whether a demo meeting is
// there already.
func meetingExists(ctx context.Context, svc *app.App, sc *forum.Scope, number string) (bool, error) {
	_, err := svc.Meetings.Meeting(ctx, sc, number)
	if errors.Is(err, plenary.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// demoPerson is an account of the demo that is not one of its logins: a
// participant others see in the room. Its password is random.
func demoPerson(ctx context.Context, svc *app.App, email, name string) (account.User, error) {
	u, err := svc.Accounts.UserByEmail(ctx, email)
	if errors.Is(err, plenary.ErrNotFound) {
		u, err = svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: email, Name: name, Password: plenary.NewID()})
	}
	return u, err
}

// approved is an actor's first approved registration in a forum.
func approved(ctx context.Context, svc *app.App, sc *forum.Scope, userID string) (participation.Registration, error) {
	rs, err := svc.Participation.ApprovedRegistrationsOf(ctx, svc.Store(), sc.Forum, userID)
	if err == nil && len(rs) == 0 {
		err = fmt.Errorf("no approved registration in %s", sc.Forum.Slug)
	}
	if err != nil {
		return participation.Registration{}, err
	}
	return rs[0], nil
}

func loadWTPFMeetings(ctx context.Context, svc *app.App, users map[string]account.User) error {
	sec := actorOf(users["secretariat"])
	sc := scopeIn(ctx, svc.Kernel, sec, WTPFSlug)
	if exists, err := meetingExists(ctx, svc, sc, WG3Meeting); exists || err != nil {
		return err
	}
	fail := func(what string, err error) error { return fmt.Errorf("demo: WTPF-13 meeting %s: %w", what, err) }
	usa, err := demoPerson(ctx, svc, "usa@demo.plenary.example", "Uma Delegate")
	if err != nil {
		return fail("United States delegate", err)
	}
	if _, err := svc.Participation.Register(ctx, sc, participation.RegistrationInput{Email: usa.Email, Party: "USA", Role: "delegate", Mode: "in_room",
		Affiliation: "Department of State"}); err != nil {
		return fail("United States delegate", err)
	}
	chair, err := approved(ctx, svc, sc, users["chair"].ID)
	if err != nil {
		return fail("chair", err)
	}
	m, err := svc.Meetings.ScheduleMeeting(ctx, sc, meetings.MeetingInput{Body: "wg3", Number: WG3Meeting, Title: "Working Group 3, fourth meeting",
		Date: "2013-05-15", Start: "09:30", End: "12:30", Zone: "Europe/Zurich", Room: "Room 2, CICG",
		ChairRegistration: chair.ID, Remote: true, WebcastURL: "https://www.itu.int/en/wtpf-13/Pages/webcast.aspx", Access: meetings.AccessOpen})
	if err != nil {
		return fail("schedule", err)
	}
	// The room was moved the evening before.
	if m, err = svc.Meetings.UpdateMeeting(ctx, sc, m.ID, meetings.MeetingInput{Body: "wg3", Title: m.Title, Date: "2013-05-15", Start: "09:30", End: "12:30",
		Zone: m.Zone, Room: "Room 1, CICG", ChairRegistration: chair.ID, Remote: true, WebcastURL: m.WebcastURL,
		CaptionsURL: "https://www.streamtext.net/player?event=WTPF13", Access: meetings.AccessOpen}); err != nil {
		return fail("room", err)
	}
	isoc, err := svc.Meetings.AddHub(ctx, sc, m.ID, meetings.HubInput{Name: "Internet Society hub, Geneva", Place: "Internet Society, Geneva office",
		ModeratorName: "Internet Society remote moderator"})
	if err != nil {
		return fail("hub", err)
	}
	draft, err := svc.Documents.DocumentByNumber(ctx, sc, OpinionNumber)
	if err != nil {
		return fail("draft Opinion 5", err)
	}
	first, err := firstProvision(ctx, svc, sc, draft.ID)
	if err != nil {
		return fail("draft Opinion 5", err)
	}
	chairSc := scopeIn(ctx, svc.Kernel, actorOf(users["chair"]), WTPFSlug)
	add := func(parent, title string, minutes int, links ...meetings.LinkInput) (meetings.AgendaItem, error) {
		return svc.Meetings.AddItem(ctx, chairSc, m.ID, meetings.ItemInput{Parent: parent, Title: title, Minutes: minutes, Links: links})
	}
	var items []meetings.AgendaItem
	for _, it := range []struct {
		parent int // index in items, -1 for the top level
		title  string
		min    int
		links  []meetings.LinkInput
	}{
		{-1, "Adoption of the agenda", 5, nil},
		{-1, "Draft Opinion 5: Supporting multi-stakeholderism in Internet governance", 150, []meetings.LinkInput{{Kind: meetings.LinkDraft, Ref: draft.ID}}},
		{1, "General comments on the draft", 30, nil},
		{1, "Proposals on the first paragraph", 60, []meetings.LinkInput{{Kind: meetings.LinkProvision, Ref: draft.ID, Provision: first}}},
		{-1, "Election of a vice-chair", 5, nil},
		{-1, "Any other business", 10, nil},
	} {
		parent := ""
		if it.parent >= 0 {
			parent = items[it.parent].ID
		}
		item, err := add(parent, it.title, it.min, it.links...)
		if err != nil {
			return fail("agenda", err)
		}
		items = append(items, item)
	}
	// The vice-chair was elected in plenary: off the provisional agenda.
	if _, err := svc.Meetings.RemoveItem(ctx, chairSc, m.ID, items[4].ID, ""); err != nil {
		return fail("agenda", err)
	}
	if _, err := svc.Meetings.AdoptAgenda(ctx, chairSc, m.ID, "Adopted without objection."); err != nil {
		return fail("agenda", err)
	}
	if _, err := svc.Meetings.ChangeState(ctx, chairSc, m.ID, "open", ""); err != nil {
		return fail("open", err)
	}
	// The meeting's queue is recorded after the fact, on a clock of its
	// own that starts half an hour ago (demoClock).
	clk := startDemoClock(svc, 30*time.Minute)
	defer svc.Meetings.SetClock(nil)
	if _, err := svc.Meetings.SetCurrentItem(ctx, chairSc, m.ID, items[0].ID); err != nil {
		return fail("current item", err)
	}
	clk.pass(4 * time.Minute) // the adoption of the agenda
	// The contributions of the United States and Brazil go under item 2.
	if _, err := svc.Meetings.EditItem(ctx, chairSc, m.ID, items[1].ID, meetings.ItemInput{Title: items[1].Title, Minutes: 150,
		Links:  []meetings.LinkInput{{Kind: meetings.LinkDraft, Ref: draft.ID}, {Kind: meetings.LinkDocument, Ref: "WTPF-13/6"}},
		Reason: "The contribution of the United States is taken up with the draft."}); err != nil {
		return fail("amendment", err)
	}
	if _, err := svc.Meetings.SetCurrentItem(ctx, chairSc, m.ID, items[1].ID); err != nil {
		return fail("current item", err)
	}
	// Attendance: Brazil and the United States in the room, civil society
	// remote, the hub's moderator for ISOC's hub.
	for _, who := range []account.User{users["member_state"], usa} {
		if _, err := svc.Meetings.CheckIn(ctx, scopeIn(ctx, svc.Kernel, actorOf(who), WTPFSlug), m.ID, meetings.AttendanceInput{Present: true}); err != nil {
			return fail("attendance of "+who.Name, err)
		}
	}
	if _, err := svc.Meetings.CheckIn(ctx, scopeIn(ctx, svc.Kernel, actorOf(users["civil_society"]), WTPFSlug), m.ID,
		meetings.AttendanceInput{Present: true, Mode: meetings.ModeRemote}); err != nil {
		return fail("remote attendance", err)
	}
	op, err := approved(ctx, svc, sc, users["sector_member"].ID)
	if err != nil {
		return fail("hub attendance", err)
	}
	if _, err := svc.Meetings.RecordAttendance(ctx, sc, m.ID, meetings.AttendanceInput{Registration: op.ID, Hub: isoc.ID, Present: true}); err != nil {
		return fail("hub attendance", err)
	}
	return loadWTPFFloor(ctx, svc, users, m, clk)
}

// firstProvision is the id of the first numbered provision of a draft's
// current revision.
func firstProvision(ctx context.Context, svc *app.App, sc *forum.Scope, draftID string) (string, error) {
	dt, err := svc.Drafting.DraftText(ctx, sc, draftID)
	if err != nil {
		return "", err
	}
	rv, err := svc.Drafting.DraftRevision(ctx, sc, draftID, dt.Revision)
	if err != nil {
		return "", err
	}
	for _, p := range rv.Text.Provisions {
		if p.Label != "" {
			return p.ID, nil
		}
	}
	return "", errors.New("no numbered provision")
}

// loadNETmundial creates the NETmundial demo forum: every stakeholder
// group on an equal footing, four microphones in the room and remote
// participation through hubs around the world.
func loadNETmundial(ctx context.Context, svc *app.App, users map[string]account.User) error {
	if exists, err := forumExists(ctx, svc, NETmundialSlug); exists || err != nil {
		return err
	}
	sec := actorOf(users["secretariat"])
	pub := true
	fail := func(what string, err error) error { return fmt.Errorf("demo: NETmundial %s: %w", what, err) }
	f, err := svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{
		Slug: NETmundialSlug, Title: "NETmundial: Global Multistakeholder Meeting on the Future of Internet Governance", Kind: forum.KindOpenForum,
		StartsOn: "2014-04-23", EndsOn: "2014-04-24", Venue: "São Paulo", Languages: []string{"en", "pt"},
		DocPrefix: "NETmundial", DefaultPublic: &pub,
		Description: "A meeting of governments, the private sector, civil society, the technical community and academia on an equal footing, taking the floor in turn at four microphones, one per stakeholder group, alternating with remote participants and hubs.",
	})
	if err != nil {
		return fail("forum", err)
	}
	sc := scopeIn(ctx, svc.Kernel, sec, f.Slug)
	if _, err := svc.Participation.ChoosePreset(ctx, sc, rules.PresetMultistakeholderEqual); err != nil {
		return fail("rules", err)
	}
	if _, err := svc.Kernel.CreateBody(ctx, sc, forum.BodyInput{Slug: "plenary", Name: "Plenary", Kind: "plenary"}); err != nil {
		return fail("body", err)
	}
	orgs := withGroup(organisations, map[string]string{rules.GroupSectorMember: rules.GroupPrivateSector})
	if err := importParties(ctx, svc, sec, f.Slug, participation.MembershipToday, []string{"BRA", "USA", "DEU", "IND", "KEN"}, orgs); err != nil {
		return err
	}
	if err := registerAll(ctx, svc, sec, f.Slug, users, []reg{
		{login: "secretariat", role: "secretariat", affiliation: "NETmundial Secretariat"},
		{login: "chair", party: "BRA", role: "chair"},
		{login: "member_state", party: "BRA", role: "delegate", affiliation: "Ministry of Communications"},
		{login: "sector_member", party: "EXTEL", role: "delegate", mode: "remote"},
		{login: "civil_society", party: "CSNET", role: "delegate", mode: "remote"},
	}); err != nil {
		return err
	}
	sc = scopeIn(ctx, svc.Kernel, sec, f.Slug)
	chair, err := approved(ctx, svc, sc, users["chair"].ID)
	if err != nil {
		return fail("chair", err)
	}
	m, err := svc.Meetings.ScheduleMeeting(ctx, sc, meetings.MeetingInput{Body: "plenary", Number: NETmundialSession,
		Title: "Session 1: Internet governance principles", Date: "2014-04-23", Start: "09:30", End: "13:00", Zone: "America/Sao_Paulo",
		Room: "Grand Hyatt São Paulo, main hall", ChairRegistration: chair.ID, Remote: true,
		WebcastURL: "https://www.netmundial.br/webcast", CaptionsURL: "https://www.netmundial.br/captions"})
	if err != nil {
		return fail("session", err)
	}
	for _, hub := range []meetings.HubInput{
		{Name: "Remote hub, Buenos Aires", Place: "Buenos Aires, Argentina", ModeratorName: "Hub moderator, Buenos Aires"},
		{Name: "Remote hub, Nairobi", Place: "Nairobi, Kenya", ModeratorName: "Hub moderator, Nairobi"},
		{Name: "Remote hub, Tunis", Place: "Tunis, Tunisia"},
	} {
		if _, err := svc.Meetings.AddHub(ctx, sc, m.ID, hub); err != nil {
			return fail("hub", err)
		}
	}
	m, err = svc.Meetings.Meeting(ctx, sc, m.ID)
	if err != nil {
		return fail("session", err)
	}
	// Tunis could not connect and withdrew.
	if err := svc.Meetings.RemoveHub(ctx, sc, m.ID, m.Hubs[2].ID); err != nil {
		return fail("hub", err)
	}
	chairSc := scopeIn(ctx, svc.Kernel, actorOf(users["chair"]), f.Slug)
	var items []meetings.AgendaItem
	for _, title := range []string{"Opening of the session", "Internet governance principles: statements at the four microphones", "Closing of the session"} {
		it, err := svc.Meetings.AddItem(ctx, chairSc, m.ID, meetings.ItemInput{Title: title, Minutes: 30})
		if err != nil {
			return fail("agenda", err)
		}
		items = append(items, it)
	}
	if _, err := svc.Meetings.MoveItem(ctx, chairSc, m.ID, items[2].ID, meetings.MoveInput{}); err != nil {
		return fail("agenda", err)
	}
	if _, err := svc.Meetings.AdoptAgenda(ctx, chairSc, m.ID, ""); err != nil {
		return fail("agenda", err)
	}
	if _, err := svc.Meetings.ChangeState(ctx, chairSc, m.ID, "open", ""); err != nil {
		return fail("open", err)
	}
	clk := startDemoClock(svc, 25*time.Minute)
	defer svc.Meetings.SetClock(nil)
	if _, err := svc.Meetings.SetCurrentItem(ctx, chairSc, m.ID, items[1].ID); err != nil {
		return fail("current item", err)
	}
	for _, who := range []string{"member_state", "civil_society"} {
		if _, err := svc.Meetings.CheckIn(ctx, scopeIn(ctx, svc.Kernel, actorOf(users[who]), f.Slug), m.ID, meetings.AttendanceInput{Present: true}); err != nil {
			return fail("attendance", err)
		}
	}
	return loadNETmundialFloor(ctx, svc, users, m, clk)
}
