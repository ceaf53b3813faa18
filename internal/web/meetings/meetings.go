// Package meetings is the pages of the meetings aggregate: a forum's
// meetings (upcoming, in session, past) with a calendar by day and an
// iCalendar feed, a meeting with its remote settings, hubs, agenda and
// attendance, the forms of the secretariat and the chair; and the
// wording of meeting events.
package meetings

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/web"
)

//go:embed templates
var templateFS embed.FS

var pageTypes = map[string]any{
	"meet_list": listPage{},
	"meet_page": meetingPage{},
	"meet_form": formPage{},
}

type handler struct {
	*web.Core
	svc *app.App
}

// Register adds the meetings pages to the HTML face.
func Register(c *web.Core) {
	h := &handler{Core: c, svc: c.App()}
	c.Templates("meetings", templateFS, pageTypes)
	c.Tab(web.Tab{Order: 500, Section: "meetings", Path: "/meetings", Label: "Meetings"})
	h.Handle("GET /forums/{slug}/meetings", h.showList)
	h.Handle("GET /forums/{slug}/meetings.ics", h.calendar)
	h.Handle("GET /forums/{slug}/meetings/new", h.showNew)
	h.Handle("POST /forums/{slug}/meetings", h.schedule)
	h.Handle("GET /forums/{slug}/meetings/{id}", h.showMeeting)
	h.Handle("GET /forums/{slug}/meetings/{id}/edit", h.showEdit)
	h.Handle("POST /forums/{slug}/meetings/{id}/edit", h.update)
	h.Handle("POST /forums/{slug}/meetings/{id}/state", h.changeState)
	h.Handle("POST /forums/{slug}/meetings/{id}/hubs", h.addHub)
	h.Handle("POST /forums/{slug}/meetings/{id}/hubs/{hub}/remove", h.removeHub)
	h.Handle("POST /forums/{slug}/meetings/{id}/check-in", h.checkIn)
	h.Handle("POST /forums/{slug}/meetings/{id}/attendance", h.recordAttendance)
	h.Handle("POST /forums/{slug}/meetings/{id}/agenda", h.addItem)
	h.Handle("POST /forums/{slug}/meetings/{id}/agenda/adopt", h.adopt)
	h.Handle("POST /forums/{slug}/meetings/{id}/agenda/{item}/move", h.moveItem)
	h.Handle("POST /forums/{slug}/meetings/{id}/agenda/{item}/remove", h.removeItem)
	h.Handle("POST /forums/{slug}/meetings/{id}/current-item", h.setCurrent)
	registerLive(h)
}

func init() {
	m := func(p map[string]any) string {
		s := web.Str(p, "number")
		if t := web.Str(p, "title"); t != "" && s != "" {
			return s + " (" + t + ")"
		}
		return s
	}
	reason := func(p map[string]any) string {
		if r := web.Str(p, "reason"); r != "" {
			return " Reason: " + r + "."
		}
		return ""
	}
	web.Describe("meeting.scheduled", func(p map[string]any) string {
		return "Meeting " + m(p) + " was scheduled for " + strings.Replace(web.Str(p, "local_start"), "T", " at ", 1) + " (" + web.Str(p, "zone") + ")."
	})
	web.Describe("meeting.updated", func(p map[string]any) string { return "The details of meeting " + m(p) + " were changed." })
	web.Describe("meeting.state_changed", func(p map[string]any) string {
		return "Meeting " + web.Str(p, "number") + " is now " + strings.ToLower(forum.Label(meetings.States, web.Str(p, "to"))) + "." + reason(p)
	})
	web.Describe("meeting.hub_added", func(p map[string]any) string {
		return "A remote hub was registered for meeting " + web.Str(p, "number") + ": " + web.Str(p, "name") + "."
	})
	web.Describe("meeting.hub_removed", func(p map[string]any) string {
		return "The remote hub " + web.Str(p, "name") + " of meeting " + web.Str(p, "number") + " was removed."
	})
	web.Describe("meeting.attendance_recorded", func(p map[string]any) string {
		who := web.Str(p, "name")
		if pn := web.Str(p, "party_name"); pn != "" {
			who += " (" + pn + ")"
		}
		if b, _ := p["present"].(bool); !b {
			return who + " left meeting " + web.Str(p, "number") + "."
		}
		return who + " is present at meeting " + web.Str(p, "number") + ": " + strings.ToLower(forum.Label(meetings.AttendanceModes, web.Str(p, "mode"))) + "."
	})
	web.Describe("agenda.item_added", func(p map[string]any) string {
		return "Item " + web.Str(p, "item_number") + " was added to the agenda of " + web.Str(p, "number") + ": " + web.Str(p, "title") + "." + reason(p)
	})
	web.Describe("agenda.item_edited", func(p map[string]any) string {
		return "Item " + web.Str(p, "item_number") + " of the agenda of " + web.Str(p, "number") + " was changed: " + web.Str(p, "title") + "." + reason(p)
	})
	web.Describe("agenda.item_moved", func(p map[string]any) string {
		return "Item " + web.Str(p, "from") + " of the agenda of " + web.Str(p, "number") + " is now item " + web.Str(p, "to") + "." + reason(p)
	})
	web.Describe("agenda.item_removed", func(p map[string]any) string {
		return "Item " + web.Str(p, "item_number") + " (" + web.Str(p, "title") + ") was removed from the agenda of " + web.Str(p, "number") + "." + reason(p)
	})
	web.Describe("agenda.adopted", func(p map[string]any) string { return "The agenda of meeting " + m(p) + " was adopted." })
	web.Describe("agenda.current_item_set", func(p map[string]any) string {
		if web.Str(p, "item") == "" {
			return "Meeting " + web.Str(p, "number") + " is on no agenda item."
		}
		return "Meeting " + web.Str(p, "number") + " took up item " + web.Str(p, "item_number") + ": " + web.Str(p, "title") + "."
	})
}

// Day is the meetings of one day, for the calendar.
type Day struct {
	Date     string // YYYY-MM-DD
	Label    string // Tuesday 14 May 2013
	Meetings []meetings.Meeting
}

// listPage is a forum's meetings.
type listPage struct {
	web.Base
	Body        string
	When        string
	Whens       []forum.Choice
	Bodies      []forum.Body
	Current     []meetings.Meeting
	Upcoming    []meetings.Meeting
	Past        []meetings.Meeting
	Days        []Day
	MaySchedule bool
	Feed        string
}

// Section is one list of the meetings page.
type Section struct {
	Title    string
	Meetings []meetings.Meeting
}

// Sections are the lists that have meetings: in session, upcoming, past.
func (p listPage) Sections() []Section {
	var out []Section
	for _, s := range []Section{{"In session", p.Current}, {"Upcoming", p.Upcoming}, {"Past", p.Past}} {
		if len(s.Meetings) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func (h *handler) showList(w http.ResponseWriter, r *http.Request) error {
	b, f, _, err := h.ForumBase(r, "Meetings", "meetings")
	if err != nil {
		return err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	p := listPage{Base: b, Body: r.URL.Query().Get("body"), When: r.URL.Query().Get("when"), Whens: meetings.Whens}
	ms, err := h.svc.Meetings.Meetings(ctx, sc, meetings.Filter{Body: p.Body, When: p.When})
	if err != nil {
		return err
	}
	now := forum.NowUTC()
	for _, m := range ms {
		switch m.Phase(now) {
		case "current":
			p.Current = append(p.Current, m)
		case "upcoming":
			p.Upcoming = append(p.Upcoming, m)
		default:
			p.Past = append(p.Past, m)
		}
		if n := len(p.Days); n == 0 || p.Days[n-1].Date != m.Date() {
			p.Days = append(p.Days, Day{Date: m.Date(), Label: m.LocalStart().Format("Monday 2 January 2006")})
		}
		p.Days[len(p.Days)-1].Meetings = append(p.Days[len(p.Days)-1].Meetings, m)
	}
	if p.Bodies, err = sc.Bodies(ctx); err != nil {
		return err
	}
	if p.MaySchedule, err = h.svc.Meetings.MaySchedule(ctx, sc); err != nil {
		return err
	}
	p.Feed = "/forums/" + f.Slug + "/meetings.ics"
	if p.Body != "" {
		p.Feed += "?body=" + url.QueryEscape(p.Body)
	}
	h.Render(w, r, http.StatusOK, "meet_list", p)
	return nil
}

func (h *handler) calendar(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	return h.svc.Meetings.ServeCalendar(w, r, sc, r.URL.Query().Get("body"))
}

// formPage is the form to schedule or edit a meeting.
type formPage struct {
	web.Base
	In      meetings.MeetingInput
	Edit    *meetings.Meeting
	Bodies  []forum.Body
	Access  []forum.Choice
	Zones   []string
	Meeting string // the number being edited
}

// Field is one text field of the form, with its error.
type Field struct {
	Name, Label, Value, Type, List, Error string
}

// Field describes a field of the form.
func (p formPage) Field(name, label, value, typ, list string) Field {
	return Field{Name: name, Label: label, Value: value, Type: typ, List: list, Error: p.FieldError(name)}
}

// zones offered in the form's list of suggestions; any IANA name is taken.
var zones = []string{"Africa/Nairobi", "America/New_York", "America/Sao_Paulo", "Asia/Bangkok", "Asia/Dubai", "Asia/Tokyo",
	"Australia/Sydney", "Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Zurich", "UTC"}

func (h *handler) formPage(r *http.Request, in meetings.MeetingInput) (formPage, error) {
	title := "Schedule a meeting"
	if r.PathValue("id") != "" {
		title = "Change meeting " + r.PathValue("id")
	}
	b, f, _, err := h.ForumBase(r, title, "meetings")
	if err != nil {
		return formPage{}, err
	}
	sc := h.Scope(r, f)
	if err := sc.RequireSecretariat(r.Context()); err != nil {
		return formPage{}, err
	}
	p := formPage{Base: b, In: in, Access: meetings.Accesses, Zones: zones, Meeting: r.PathValue("id")}
	p.Bodies, err = sc.Bodies(r.Context())
	return p, err
}

func (h *handler) showNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.formPage(r, meetings.MeetingInput{Zone: "Europe/Zurich", Start: "10:00", End: "13:00", Access: meetings.AccessOpen,
		Date: forum.NowUTC().Format("2006-01-02"), Body: r.URL.Query().Get("body")})
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "meet_form", p)
	return nil
}

func meetingInputFrom(r *http.Request) meetings.MeetingInput {
	v := r.PostFormValue
	return meetings.MeetingInput{Body: v("body"), Number: v("number"), Title: v("title"), Date: v("date"), Start: v("start"), End: v("end"),
		Zone: v("zone"), Room: v("room"), ChairRegistration: v("chair_registration"), ChairName: v("chair_name"), Remote: v("remote") == "on",
		WebcastURL: v("webcast_url"), CaptionsURL: v("captions_url"), Access: v("access")}
}

func (h *handler) schedule(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	in := meetingInputFrom(r)
	m, err := h.svc.Meetings.ScheduleMeeting(r.Context(), sc, in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "meet_form", func(r *http.Request) (formPage, error) { return h.formPage(r, in) }, nil)
	}
	return h.Redirect(w, r, meetingPath(sc.Forum, m), "Meeting "+m.Number+" is scheduled.")
}

func (h *handler) showEdit(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	m, err := h.svc.Meetings.Meeting(r.Context(), sc, r.PathValue("id"))
	if err != nil {
		return err
	}
	in := meetings.MeetingInput{Body: m.BodySlug, Number: m.Number, Title: m.Title, Date: m.Date(), Start: m.LocalStart().Format("15:04"),
		End: m.LocalEnd().Format("15:04"), Zone: m.Zone, Room: m.Room, ChairRegistration: m.ChairRegistration, ChairName: m.ChairName,
		Remote: m.Remote, WebcastURL: m.WebcastURL, CaptionsURL: m.CaptionsURL, Access: m.Access}
	p, err := h.formPage(r, in)
	if err != nil {
		return err
	}
	p.Edit = &m
	h.Render(w, r, http.StatusOK, "meet_form", p)
	return nil
}

func (h *handler) update(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	in := meetingInputFrom(r)
	m, err := h.svc.Meetings.UpdateMeeting(r.Context(), sc, r.PathValue("id"), in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "meet_form", func(r *http.Request) (formPage, error) { return h.formPage(r, in) }, nil)
	}
	return h.Redirect(w, r, meetingPath(sc.Forum, m), "Meeting "+m.Number+" is changed.")
}

func meetingPath(f forum.Forum, m meetings.Meeting) string {
	return "/forums/" + f.Slug + "/meetings/" + url.PathEscape(m.Number)
}

// meetingPage is one meeting.
type meetingPage struct {
	web.Base
	M           meetings.Meeting
	Attendance  meetings.Attendance
	MayManage   bool
	MaySchedule bool
	MayCheckIn  bool
	Modes       []forum.Choice
	LinkKinds   []forum.Choice
	// Form names the form whose input was refused; Sent is what it sent.
	Form string
	Sent url.Values
}

// Value is what the refused form sent in a field.
func (p meetingPage) Value(field string) string { return p.Sent.Get(field) }

// Path is the meeting's page.
func (p meetingPage) Path() string {
	return "/forums/" + p.Forum.Slug + "/meetings/" + url.PathEscape(p.M.Number)
}

// Indent is the indentation of an item, for its depth.
func (p meetingPage) Indent(depth int) string { return strconv.Itoa(depth*2) + "rem" }

func (h *handler) page(r *http.Request) (meetingPage, error) {
	b, f, v, err := h.ForumBase(r, "Meeting", "meetings")
	if err != nil {
		return meetingPage{}, err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	m, err := h.svc.Meetings.Meeting(ctx, sc, r.PathValue("id"))
	if err != nil {
		return meetingPage{}, err
	}
	p := meetingPage{Base: b, M: m, Modes: meetings.AttendanceModes, LinkKinds: meetings.LinkKinds}
	p.Title = m.Number + ": " + m.Title
	if p.Attendance, err = h.svc.Meetings.Attendance(ctx, sc, m); err != nil {
		return p, err
	}
	if p.MayManage, err = h.svc.Meetings.MayManageFloor(ctx, sc); err != nil {
		return p, err
	}
	if p.MaySchedule, err = h.svc.Meetings.MaySchedule(ctx, sc); err != nil {
		return p, err
	}
	p.MayCheckIn = v.Actor.LoggedIn() && len(v.Parties) > 0 || v.Member
	return p, nil
}

func (h *handler) showMeeting(w http.ResponseWriter, r *http.Request) error {
	p, err := h.page(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "meet_page", p)
	return nil
}

// act runs a form of the meeting page: on success back to the page with
// flash; refused input re-renders the page with the form's input and the
// field named.
func (h *handler) act(w http.ResponseWriter, r *http.Request, form, flash string, do func(sc *forum.Scope) error) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if err := do(sc); err != nil {
		if plenary.ErrorCode(err) == plenary.CodeConflict {
			err = plenary.Invalid("", "%s", plenary.AsError(err).Message)
		}
		return web.RefuseForm(h.Core, w, r, err, "meet_page", h.page, func(p *meetingPage) { p.Form, p.Sent = form, r.PostForm })
	}
	m, err := h.svc.Meetings.Meeting(r.Context(), sc, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.Redirect(w, r, meetingPath(sc.Forum, m), flash)
}

func (h *handler) changeState(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "state", "The meeting's state is changed.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.ChangeState(r.Context(), sc, r.PathValue("id"), r.PostFormValue("action"), r.PostFormValue("reason"))
		return err
	})
}

func (h *handler) addHub(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "hub", "The hub is registered.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.AddHub(r.Context(), sc, r.PathValue("id"), meetings.HubInput{Name: r.PostFormValue("name"),
			Place: r.PostFormValue("place"), ModeratorName: r.PostFormValue("moderator_name"), ModeratorRegistration: r.PostFormValue("moderator_registration")})
		return err
	})
}

func (h *handler) removeHub(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "hubs", "The hub is removed.", func(sc *forum.Scope) error {
		return h.svc.Meetings.RemoveHub(r.Context(), sc, r.PathValue("id"), r.PathValue("hub"))
	})
}

func (h *handler) checkIn(w http.ResponseWriter, r *http.Request) error {
	present := r.PostFormValue("present") != "false"
	flash := "You are checked in."
	if !present {
		flash = "You are checked out."
	}
	return h.act(w, r, "check-in", flash, func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.CheckIn(r.Context(), sc, r.PathValue("id"), meetings.AttendanceInput{Mode: r.PostFormValue("mode"),
			Hub: r.PostFormValue("hub"), Present: present})
		return err
	})
}

func (h *handler) recordAttendance(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "attendance", "The attendance is recorded.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.RecordAttendance(r.Context(), sc, r.PathValue("id"), meetings.AttendanceInput{Registration: r.PostFormValue("registration"),
			Mode: r.PostFormValue("mode"), Hub: r.PostFormValue("hub"), Present: r.PostFormValue("present") != "false"})
		return err
	})
}

func (h *handler) addItem(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "item", "The item is on the agenda.", func(sc *forum.Scope) error {
		minutes, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("minutes")))
		if err != nil && strings.TrimSpace(r.PostFormValue("minutes")) != "" {
			return plenary.Invalid("minutes", "must be a whole number of minutes")
		}
		var links []meetings.LinkInput
		if ref := strings.TrimSpace(r.PostFormValue("link_ref")); ref != "" {
			links = append(links, meetings.LinkInput{Kind: r.PostFormValue("link_kind"), Ref: ref, Provision: r.PostFormValue("link_provision")})
		}
		_, err = h.svc.Meetings.AddItem(r.Context(), sc, r.PathValue("id"), meetings.ItemInput{Parent: r.PostFormValue("parent"),
			Title: r.PostFormValue("title"), Minutes: minutes, Links: links, Reason: r.PostFormValue("reason")})
		return err
	})
}

func (h *handler) adopt(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "adopt", "The agenda is adopted.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.AdoptAgenda(r.Context(), sc, r.PathValue("id"), r.PostFormValue("reason"))
		return err
	})
}

func (h *handler) moveItem(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "move-"+r.PathValue("item"), "The item is moved.", func(sc *forum.Scope) error {
		pos, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("position")))
		_, err := h.svc.Meetings.MoveItem(r.Context(), sc, r.PathValue("id"), r.PathValue("item"), meetings.MoveInput{Parent: r.PostFormValue("parent"),
			Position: pos, Reason: r.PostFormValue("reason")})
		return err
	})
}

func (h *handler) removeItem(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "remove-"+r.PathValue("item"), "The item is removed.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.RemoveItem(r.Context(), sc, r.PathValue("id"), r.PathValue("item"), r.PostFormValue("reason"))
		return err
	})
}

func (h *handler) setCurrent(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, "current", "The meeting is on the chosen item.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.SetCurrentItem(r.Context(), sc, r.PathValue("id"), r.PostFormValue("item"))
		return err
	})
}
