package api

import (
	"net/http"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
)

// MeetingList is the body of GET /forums/{slug}/meetings.
type MeetingList struct {
	Meetings []meetings.Meeting `json:"meetings"`
}

// MeetingStateInput is the body of a change of a meeting's state.
type MeetingStateInput struct {
	// Action is open, suspend, resume, adjourn, close or cancel.
	Action string `json:"action"`
	// Reason is on the record; required to cancel.
	Reason string `json:"reason"`
}

// MeetingUpdate is the body of a change of a meeting's details: a
// MeetingInput whose body may be left out (the meeting's own).
type MeetingUpdate struct {
	Body              string `json:"body"`
	Number            string `json:"number"`
	Title             string `json:"title"`
	Date              string `json:"date"`
	Start             string `json:"start"`
	End               string `json:"end"`
	Zone              string `json:"zone"`
	Room              string `json:"room"`
	ChairRegistration string `json:"chair_registration"`
	ChairName         string `json:"chair_name"`
	Remote            bool   `json:"remote"`
	WebcastURL        string `json:"webcast_url"`
	CaptionsURL       string `json:"captions_url"`
	Access            string `json:"access"`
}

// CheckInInput is the body of a participant's own check-in or check-out.
type CheckInInput struct {
	// Registration is one of the caller's approved registrations; empty
	// for their first.
	Registration string `json:"registration"`
	Mode         string `json:"mode"` // in_room, remote or hub; empty for the registration's own
	Hub          string `json:"hub"`  // the hub's id, for mode hub
	Present      bool   `json:"present"`
}

// CurrentItemInput is the body that moves a meeting to an agenda item.
type CurrentItemInput struct {
	Item string `json:"item"` // the item's id; empty for none
}

var meetingQuery = map[string]string{
	"body": "only meetings of this body (slug)",
	"when": "upcoming, current (in session or suspended) or past",
}

// meetingRoutes registers the meetings endpoints.
func (h *Handler) meetingRoutes() {
	base := "/forums/{slug}/meetings/{id}"
	loc := func(r *http.Request, m meetings.Meeting) string {
		return "/api/v1/forums/" + r.PathValue("slug") + "/meetings/" + m.ID
	}
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/meetings", ID: "listMeetings", Tag: "meetings",
		Summary: "The meetings of a forum the caller may see (closed meetings only for its participants)", Query: meetingQuery, Response: MeetingList{}},
		query(func(r *http.Request, sc *forum.Scope) (MeetingList, error) {
			ms, err := h.svc.Meetings.Meetings(r.Context(), sc, meetings.Filter{Body: r.URL.Query().Get("body"), When: r.URL.Query().Get("when")})
			return MeetingList{Meetings: ms}, err
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/meetings.ics", ID: "getMeetingsCalendar", Tag: "meetings",
		Summary: "The meetings of a forum as an iCalendar feed (RFC 5545); body narrows it to one body", Query: map[string]string{"body": "only meetings of this body (slug)"},
		Response: "", Produces: "text/calendar"},
		raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			return h.svc.Meetings.ServeCalendar(w, r, sc, r.URL.Query().Get("body"))
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/meetings", ID: "scheduleMeeting", Tag: "meetings",
		Summary: "Schedule a meeting of a body (secretariat); its number is the body's next unless given", Auth: true,
		Request: meetings.MeetingInput{}, Response: meetings.Meeting{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in meetings.MeetingInput) (meetings.Meeting, error) {
			return h.svc.Meetings.ScheduleMeeting(r.Context(), sc, in)
		}).at(loc))
	h.add(&Op{Method: "GET", Path: base, ID: "getMeeting", Tag: "meetings",
		Summary: "One meeting (by id or number) with its hubs and agenda", Response: meetings.Meeting{}},
		query(func(r *http.Request, sc *forum.Scope) (meetings.Meeting, error) {
			return h.svc.Meetings.Meeting(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "PUT", Path: base, ID: "updateMeeting", Tag: "meetings",
		Summary: "Change a meeting's details (secretariat)", Auth: true,
		Request: MeetingUpdate{}, Response: meetings.Meeting{}},
		command(func(r *http.Request, sc *forum.Scope, in MeetingUpdate) (meetings.Meeting, error) {
			return h.svc.Meetings.UpdateMeeting(r.Context(), sc, r.PathValue("id"), meetings.MeetingInput(in))
		}))
	h.add(&Op{Method: "POST", Path: base + "/state", ID: "changeMeetingState", Tag: "meetings",
		Summary: "Open, suspend, resume, adjourn, close or cancel a meeting (chair or secretariat); the change is recorded", Auth: true,
		Request: MeetingStateInput{}, Response: meetings.Meeting{}},
		command(func(r *http.Request, sc *forum.Scope, in MeetingStateInput) (meetings.Meeting, error) {
			return h.svc.Meetings.ChangeState(r.Context(), sc, r.PathValue("id"), in.Action, in.Reason)
		}))
	h.add(&Op{Method: "POST", Path: base + "/hubs", ID: "addMeetingHub", Tag: "meetings",
		Summary: "Register a remote hub of a meeting (secretariat)", Auth: true,
		Request: meetings.HubInput{}, Response: meetings.Hub{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in meetings.HubInput) (meetings.Hub, error) {
			return h.svc.Meetings.AddHub(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "DELETE", Path: base + "/hubs/{hub}", ID: "removeMeetingHub", Tag: "meetings",
		Summary: "Remove a remote hub (secretariat); those attending there stay remote", Auth: true, Status: http.StatusNoContent},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (struct{}, error) {
			return struct{}{}, h.svc.Meetings.RemoveHub(r.Context(), sc, r.PathValue("id"), r.PathValue("hub"))
		}))
	h.add(&Op{Method: "GET", Path: base + "/attendance", ID: "getMeetingAttendance", Tag: "meetings",
		Summary: "Who is present, per party, in the room and remote", Response: meetings.Attendance{}},
		query(func(r *http.Request, sc *forum.Scope) (meetings.Attendance, error) {
			return h.svc.Meetings.Present(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "POST", Path: base + "/check-in", ID: "checkIn", Tag: "meetings",
		Summary: "Check in to a meeting (present: true) or out, in the room, remotely or at a hub", Auth: true,
		Request: CheckInInput{}, Response: meetings.Attendee{}},
		command(func(r *http.Request, sc *forum.Scope, in CheckInInput) (meetings.Attendee, error) {
			return h.svc.Meetings.CheckIn(r.Context(), sc, r.PathValue("id"), meetings.AttendanceInput(in))
		}))
	h.add(&Op{Method: "POST", Path: base + "/attendance", ID: "recordAttendance", Tag: "meetings",
		Summary: "Record someone's attendance, by registration (secretariat)", Auth: true,
		Request: meetings.AttendanceInput{}, Response: meetings.Attendee{}},
		command(func(r *http.Request, sc *forum.Scope, in meetings.AttendanceInput) (meetings.Attendee, error) {
			return h.svc.Meetings.RecordAttendance(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: base + "/agenda", ID: "addAgendaItem", Tag: "meetings",
		Summary: "Add an agenda item (chair or secretariat); after adoption, an amendment with its reason", Auth: true,
		Request: meetings.ItemInput{}, Response: meetings.AgendaItem{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in meetings.ItemInput) (meetings.AgendaItem, error) {
			return h.svc.Meetings.AddItem(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "PUT", Path: base + "/agenda/{item}", ID: "editAgendaItem", Tag: "meetings",
		Summary: "Change an agenda item's title, time and links (chair or secretariat)", Auth: true,
		Request: meetings.ItemInput{}, Response: meetings.AgendaItem{}},
		command(func(r *http.Request, sc *forum.Scope, in meetings.ItemInput) (meetings.AgendaItem, error) {
			return h.svc.Meetings.EditItem(r.Context(), sc, r.PathValue("id"), r.PathValue("item"), in)
		}))
	h.add(&Op{Method: "POST", Path: base + "/agenda/{item}/move", ID: "moveAgendaItem", Tag: "meetings",
		Summary: "Move an agenda item and its sub-items (chair or secretariat)", Auth: true,
		Request: meetings.MoveInput{}, Response: meetings.AgendaItem{}},
		command(func(r *http.Request, sc *forum.Scope, in meetings.MoveInput) (meetings.AgendaItem, error) {
			return h.svc.Meetings.MoveItem(r.Context(), sc, r.PathValue("id"), r.PathValue("item"), in)
		}))
	h.add(&Op{Method: "POST", Path: base + "/agenda/{item}/remove", ID: "removeAgendaItem", Tag: "meetings",
		Summary: "Remove an agenda item; from an adopted agenda it stays shown as removed, with the reason", Auth: true,
		Request: WithdrawInput{}, Response: meetings.Meeting{}},
		command(func(r *http.Request, sc *forum.Scope, in WithdrawInput) (meetings.Meeting, error) {
			return h.svc.Meetings.RemoveItem(r.Context(), sc, r.PathValue("id"), r.PathValue("item"), in.Reason)
		}))
	h.add(&Op{Method: "POST", Path: base + "/agenda/adopt", ID: "adoptAgenda", Tag: "meetings",
		Summary: "Adopt a meeting's agenda (chair or secretariat); later changes are amendments", Auth: true,
		Request: WithdrawInput{}, Response: meetings.Meeting{}},
		command(func(r *http.Request, sc *forum.Scope, in WithdrawInput) (meetings.Meeting, error) {
			return h.svc.Meetings.AdoptAgenda(r.Context(), sc, r.PathValue("id"), in.Reason)
		}))
	h.add(&Op{Method: "PUT", Path: base + "/current-item", ID: "setCurrentItem", Tag: "meetings",
		Summary: "Move the meeting to an agenda item while it sits (chair or secretariat)", Auth: true,
		Request: CurrentItemInput{}, Response: meetings.Meeting{}},
		command(func(r *http.Request, sc *forum.Scope, in CurrentItemInput) (meetings.Meeting, error) {
			return h.svc.Meetings.SetCurrentItem(r.Context(), sc, r.PathValue("id"), in.Item)
		}))
}
