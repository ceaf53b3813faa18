// Package meetings is the meetings aggregate: the sittings of a forum's
// bodies with their times in the venue's time zone, room, chair and remote
// settings (remote hubs, webcast and captioning), their states from
// scheduled to closed, who attended in the room or remotely, and their
// agendas: items ordered and nested, adopted, amended on the record, with
// the item under discussion. The speakers' queue builds on it.
package meetings

import (
	"strings"
	"time"
	_ "time/tzdata" // the zones of the world, on machines without zoneinfo

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// Meeting states.
const (
	StateScheduled = "scheduled"
	StateInSession = "in_session"
	StateSuspended = "suspended"
	StateAdjourned = "adjourned"
	StateClosed    = "closed"
	StateCancelled = "cancelled"
)

// States lists the meeting states with their labels.
var States = []forum.Choice{
	{Value: StateScheduled, Label: "Scheduled"},
	{Value: StateInSession, Label: "In session"},
	{Value: StateSuspended, Label: "Suspended"},
	{Value: StateAdjourned, Label: "Adjourned"},
	{Value: StateClosed, Label: "Closed"},
	{Value: StateCancelled, Label: "Cancelled"},
}

// Transition is a change of state a chair can make, with the words for
// its button and for the record.
type Transition struct {
	Action string // the command's name in paths: open, suspend, resume, adjourn, close, cancel
	Label  string
	From   []string
	To     string
	// NeedsReason: the change is refused without a reason.
	NeedsReason bool
}

// Transitions is the state machine of a meeting. A meeting opens, may be
// suspended and resumed, is adjourned at the end of a sitting, and may be
// resumed after an adjournment (a meeting adjourned in the evening resumes
// the next morning under the same number, as in UN practice) until it is
// closed; a scheduled meeting may be cancelled, with a reason. Closed and
// cancelled are final.
var Transitions = []Transition{
	{Action: "open", Label: "Open the meeting", From: []string{StateScheduled}, To: StateInSession},
	{Action: "suspend", Label: "Suspend the meeting", From: []string{StateInSession}, To: StateSuspended},
	{Action: "resume", Label: "Resume the meeting", From: []string{StateSuspended, StateAdjourned}, To: StateInSession},
	{Action: "adjourn", Label: "Adjourn the meeting", From: []string{StateInSession, StateSuspended}, To: StateAdjourned},
	{Action: "close", Label: "Close the meeting", From: []string{StateAdjourned}, To: StateClosed},
	{Action: "cancel", Label: "Cancel the meeting", From: []string{StateScheduled}, To: StateCancelled, NeedsReason: true},
}

// TransitionByAction finds a transition by its action name.
func TransitionByAction(action string) (Transition, bool) {
	for _, t := range Transitions {
		if t.Action == action {
			return t, true
		}
	}
	return Transition{}, false
}

// Next lists the transitions allowed from state.
func Next(state string) []Transition {
	var out []Transition
	for _, t := range Transitions {
		for _, f := range t.From {
			if f == state {
				out = append(out, t)
			}
		}
	}
	return out
}

// Access of a meeting.
const (
	AccessOpen   = "open"
	AccessClosed = "closed"
)

// Accesses lists the kinds of access with their labels.
var Accesses = []forum.Choice{
	{Value: AccessOpen, Label: "Open to observers and the public"},
	{Value: AccessClosed, Label: "Closed: participants only"},
}

// Attendance modes.
const (
	ModeInRoom = "in_room"
	ModeRemote = "remote"
	ModeHub    = "hub"
)

// AttendanceModes lists the ways of attending with their labels.
var AttendanceModes = []forum.Choice{
	{Value: ModeInRoom, Label: "In the room"},
	{Value: ModeRemote, Label: "Remote"},
	{Value: ModeHub, Label: "At a remote hub"},
}

// Agenda states.
const (
	AgendaDraft   = "draft"
	AgendaAdopted = "adopted"
)

// AgendaStates lists the states of an agenda with their labels.
var AgendaStates = []forum.Choice{
	{Value: AgendaDraft, Label: "Provisional (draft)"},
	{Value: AgendaAdopted, Label: "Adopted"},
}

// Link kinds of an agenda item.
const (
	LinkDocument  = "document"
	LinkDraft     = "draft"
	LinkProvision = "provision"
)

// LinkKinds lists what an agenda item may link to, with labels.
var LinkKinds = []forum.Choice{
	{Value: LinkDocument, Label: "Document"},
	{Value: LinkDraft, Label: "Draft text"},
	{Value: LinkProvision, Label: "Provision of a draft text"},
}

// Meeting is one sitting of a body.
type Meeting struct {
	ID       string `json:"id"`
	ForumID  string `json:"forum_id"`
	BodyID   string `json:"body_id"`
	BodySlug string `json:"body"`
	BodyName string `json:"body_name"`
	Number   string `json:"number"`
	Title    string `json:"title"`
	// Zone is the venue's IANA time zone; Starts and Ends are UTC.
	Zone   string    `json:"zone"`
	Starts time.Time `json:"starts_at"`
	Ends   time.Time `json:"ends_at"`
	Room   string    `json:"room,omitempty"`
	// The chair presiding: a registration of the forum, or a name.
	ChairRegistration string    `json:"chair_registration,omitempty"`
	ChairName         string    `json:"chair_name,omitempty"`
	Remote            bool      `json:"remote"`
	WebcastURL        string    `json:"webcast_url,omitempty"`
	CaptionsURL       string    `json:"captions_url,omitempty"`
	Access            string    `json:"access"`
	State             string    `json:"state"`
	StateReason       string    `json:"state_reason,omitempty"`
	AgendaState       string    `json:"agenda_state"`
	CurrentItem       string    `json:"current_item,omitempty"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	// A single meeting's read has its hubs and agenda.
	Hubs   []Hub        `json:"hubs,omitempty"`
	Agenda []AgendaItem `json:"agenda,omitempty"`
}

// Location is the meeting's time zone; UTC if its name no longer loads.
func (m Meeting) Location() *time.Location {
	if loc, err := time.LoadLocation(m.Zone); err == nil {
		return loc
	}
	return time.UTC
}

// LocalStart is the start in the venue's time zone.
func (m Meeting) LocalStart() time.Time { return m.Starts.In(m.Location()) }

// LocalEnd is the end in the venue's time zone.
func (m Meeting) LocalEnd() time.Time { return m.Ends.In(m.Location()) }

// Date is the meeting's date at the venue, YYYY-MM-DD.
func (m Meeting) Date() string { return m.LocalStart().Format("2006-01-02") }

// When says the meeting's date and times at the venue, for people:
// "Tuesday 14 May 2013, 09:30–12:30 (Europe/Zurich)".
func (m Meeting) When() string {
	s, e := m.LocalStart(), m.LocalEnd()
	out := s.Format("Monday 2 January 2006, 15:04") + "–"
	if e.Format("2006-01-02") != s.Format("2006-01-02") {
		out += e.Format("Monday 2 January 2006, 15:04")
	} else {
		out += e.Format("15:04")
	}
	return out + " (" + m.Zone + ")"
}

// StateLabel is the state for people.
func (m Meeting) StateLabel() string { return forum.Label(States, m.State) }

// AccessLabel is the access for people.
func (m Meeting) AccessLabel() string { return forum.Label(Accesses, m.Access) }

// AgendaStateLabel is the agenda's state for people.
func (m Meeting) AgendaStateLabel() string { return forum.Label(AgendaStates, m.AgendaState) }

// Sitting reports whether the meeting is in session or suspended: the
// states in which the chair moves through the agenda.
func (m Meeting) Sitting() bool { return m.State == StateInSession || m.State == StateSuspended }

// Over reports whether the meeting is closed or cancelled.
func (m Meeting) Over() bool { return m.State == StateClosed || m.State == StateCancelled }

// Adopted reports whether the agenda was adopted.
func (m Meeting) Adopted() bool { return m.AgendaState == AgendaAdopted }

// Visibility is who may read the meeting's events: everyone for an open
// meeting, the forum's members for a closed one.
func (m Meeting) Visibility() string {
	if m.Access == AccessClosed {
		return ledger.VisMembers
	}
	return ledger.VisPublic
}

// Next lists the changes of state allowed now.
func (m Meeting) Next() []Transition { return Next(m.State) }

// Current is the item under discussion, if any.
func (m Meeting) Current() (AgendaItem, bool) {
	for _, it := range m.Agenda {
		if it.ID == m.CurrentItem {
			return it, true
		}
	}
	return AgendaItem{}, false
}

// Hub is a remote hub: a local gathering that follows the meeting and
// takes the floor through its moderator.
type Hub struct {
	ID                    string    `json:"id"`
	MeetingID             string    `json:"meeting_id"`
	Name                  string    `json:"name"`
	Place                 string    `json:"place,omitempty"`
	ModeratorName         string    `json:"moderator_name,omitempty"`
	ModeratorRegistration string    `json:"moderator_registration,omitempty"`
	CreatedAt             time.Time `json:"created_at"`
}

// Link is what an agenda item takes up: a document, a draft text, or one
// provision of a draft.
type Link struct {
	Kind      string `json:"kind"`
	Ref       string `json:"ref"`                 // document or draft id
	Provision string `json:"provision,omitempty"` // provision id, for kind provision
	Label     string `json:"label"`               // the document's number or the draft's title, as linked
}

// KindLabel is the kind for people.
func (l Link) KindLabel() string { return forum.Label(LinkKinds, l.Kind) }

// AgendaItem is one item of a meeting's agenda.
type AgendaItem struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id,omitempty"`
	// Number is computed from the order and the nesting: 1, 1.1, 2.
	Number   string `json:"number"`
	Depth    int    `json:"depth"`
	Position int    `json:"position"`
	Title    string `json:"title"`
	Minutes  int    `json:"minutes,omitempty"`
	Links    []Link `json:"links"`
	// Dropped: removed after the agenda was adopted; it stays shown.
	Dropped bool `json:"dropped,omitempty"`
	// Amended is the note of its last change after adoption.
	Amended   string    `json:"amended,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Attendee is one person's attendance at a meeting.
type Attendee struct {
	RegistrationID string    `json:"registration_id"`
	Name           string    `json:"name"`
	PartyID        string    `json:"party_id,omitempty"`
	PartyCode      string    `json:"party,omitempty"`
	PartyName      string    `json:"party_name,omitempty"`
	Group          string    `json:"group"`
	Mode           string    `json:"mode"`
	HubID          string    `json:"hub_id,omitempty"`
	HubName        string    `json:"hub_name,omitempty"`
	Present        bool      `json:"present"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// ModeLabel is the mode for people.
func (a Attendee) ModeLabel() string { return forum.Label(AttendanceModes, a.Mode) }

// PartyAttendance is who is present for one party (or, for people without
// a party, one stakeholder group) with the counts that quorum reads.
type PartyAttendance struct {
	PartyID   string     `json:"party_id,omitempty"`
	PartyCode string     `json:"party,omitempty"`
	Name      string     `json:"name"` // the party's name, or the group's
	Group     string     `json:"group"`
	People    int        `json:"people"`
	InRoom    int        `json:"in_room"`
	Remote    int        `json:"remote"` // remote, at a hub included
	Present   []Attendee `json:"present"`
}

// Attendance is a meeting's attendance per party, with totals.
type Attendance struct {
	Parties []PartyAttendance `json:"parties"`
	People  int               `json:"people"`
	InRoom  int               `json:"in_room"`
	Remote  int               `json:"remote"`
}

// stateError is the refusal of a change not allowed from the current state.
func stateError(m Meeting, action string) error {
	var next []string
	for _, t := range m.Next() {
		next = append(next, t.Action)
	}
	allowed := "none: the meeting is " + strings.ToLower(m.StateLabel())
	if len(next) > 0 {
		allowed = strings.Join(next, ", ")
	}
	return plenary.Conflict("meeting %s is %s; %s is not possible now (allowed: %s)", m.Number, strings.ToLower(m.StateLabel()), action, allowed)
}
