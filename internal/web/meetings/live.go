package meetings

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/web"
)

// The live meeting: one state (the speakers' queue, the item, the clock,
// the last decisions) and three faces over it. The participant's view is
// the live page itself, the chair's console adds the forms of the chair,
// the projector view is the room's screen. Each page reads without
// JavaScript (it refreshes itself every few seconds), and with htmx it
// follows the meeting's own event stream, fetching its live part again on
// every event of the meeting.

func init() {
	pageTypes["meet_live"] = livePage{}
}

func registerLive(h *handler) {
	h.Handle("GET /forums/{slug}/meetings/{id}/events", h.meetingEvents)
	h.Handle("GET /forums/{slug}/meetings/{id}/live", h.showLive(faceParticipant))
	h.Handle("GET /forums/{slug}/meetings/{id}/live/chair", h.showLive(faceChair))
	h.Handle("GET /forums/{slug}/meetings/{id}/live/projector", h.showLive(faceProjector))
	h.Handle("POST /forums/{slug}/meetings/{id}/live/request", h.askFloor)
	h.Handle("POST /forums/{slug}/meetings/{id}/live/withdraw", h.withdraw)
	h.Handle("POST /forums/{slug}/meetings/{id}/live/chair/{action}", h.chairAction)
	registerSpeaking(h)
	registerRecord(h)
	registerMinutes(h)
}

// The faces of the live meeting.
const (
	faceParticipant = "participant"
	faceChair       = "chair"
	faceProjector   = "projector"
)

// lastTaken is how many closed decisions the live page shows, beside the
// open ones.
const lastTaken = 5

// refreshSeconds is how often a page refreshes itself without JavaScript.
const refreshSeconds = 10

// meetingEvents is the Server-Sent Events stream of one meeting: the
// forum's stream with only the events that name the meeting sent in full
// (the others as their id alone), each named by its kind (floor, meeting,
// agenda...), for hx-trigger="sse:floor".
func (h *handler) meetingEvents(w http.ResponseWriter, r *http.Request) error {
	_, f, v, err := h.ForumBase(r, "", "")
	if err != nil {
		return err
	}
	m, err := h.svc.Meetings.Meeting(r.Context(), h.Scope(r, f), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.ServeStream(w, r, f, v, filterOf(m.ID).accept, EventName)
}

// meetingFilter decides whether an event is of one meeting. Every stream
// of the meeting shares it, and each event is decided once, not once per
// subscriber: the writers of the streams ask about the same newest event
// in turn, and the answer for it is kept.
type meetingFilter struct {
	id string
	mu sync.Mutex
	// seq and ok are the last event decided and the decision.
	seq int64
	ok  bool
}

// meetingFilters holds one filter per meeting followed since start.
var meetingFilters sync.Map

func filterOf(id string) *meetingFilter {
	if f, ok := meetingFilters.Load(id); ok {
		return f.(*meetingFilter)
	}
	f, _ := meetingFilters.LoadOrStore(id, &meetingFilter{id: id})
	return f.(*meetingFilter)
}

func (f *meetingFilter) accept(ev ledger.Event) bool {
	f.mu.Lock()
	if ev.Seq != 0 && ev.Seq == f.seq {
		ok := f.ok
		f.mu.Unlock()
		return ok
	}
	f.mu.Unlock()
	ok := meetings.OfMeeting(ev) == f.id
	f.mu.Lock()
	f.seq, f.ok = ev.Seq, ok
	f.mu.Unlock()
	return ok
}

// EventName is the SSE name of an event of a meeting's stream: the kind
// of its type (floor for floor.given).
func EventName(ev ledger.Event) string {
	kind, _, _ := strings.Cut(ev.Type, ".")
	return kind
}

// Decision is one of the last decisions shown on the live page.
type Decision struct {
	Seq  int64
	At   time.Time
	Text string
}

// livePage is one face of the live meeting.
type livePage struct {
	web.Base
	Face string
	V    meetings.FloorView
	// Decisions are the last rulings and changes of state, newest first.
	Decisions []Decision
	// Taken are the meeting's consensus calls, straw polls and formal
	// votes, newest first: the open ones and the last closed.
	Taken []decisions.Decision
	// MayCall: the viewer may open and close decisions.
	MayCall   bool
	MayManage bool
	// Texts are the provisions or draft texts the current item takes up,
	// as the viewer may read them.
	Texts []DiscussedText
	// MaySpeak and MayPoint: the viewer may ask for the floor, raise a
	// point of order.
	MaySpeak, MayPoint bool
	Refresh            int
	// Form names the chair's form whose input was refused; Sent is what
	// it sent.
	Form string
	Sent url.Values
}

// DecisionPath is the page of a decision.
func (p livePage) DecisionPath(id string) string {
	return "/forums/" + p.Forum.Slug + "/decisions/" + url.PathEscape(id)
}

// Value is what the refused form sent in a field.
func (p livePage) Value(field string) string { return p.Sent.Get(field) }

// MPath is the meeting's page.
func (p livePage) MPath() string {
	return "/forums/" + p.Forum.Slug + "/meetings/" + url.PathEscape(p.V.Meeting.Number)
}

// LivePath is the live page (the participant's view).
func (p livePage) LivePath() string { return p.MPath() + "/live" }

// Here is this face's path.
func (p livePage) Here() string {
	if p.Face == faceParticipant {
		return p.LivePath()
	}
	return p.LivePath() + "/" + p.Face
}

// Projector reports whether this is the projector view.
func (p livePage) Projector() bool { return p.Face == faceProjector }

// Chair reports whether this is the chair's console.
func (p livePage) Chair() bool { return p.Face == faceChair }

// QueueRow is one place of the queue as a face lists it, with what the
// chair's forms on it need.
type QueueRow struct {
	floor.Place
	LivePath string
	CSRF     string
}

// Queue is the order as this face shows it: the next 5 on the projector,
// all of it elsewhere.
func (p livePage) Queue() []QueueRow {
	order := p.V.Order
	if p.Projector() && len(order) > 5 {
		order = order[:5]
	}
	out := make([]QueueRow, 0, len(order))
	for _, pl := range order {
		out = append(out, QueueRow{Place: pl, LivePath: p.LivePath(), CSRF: p.CSRF})
	}
	return out
}

// NowText is the server's now at the venue, to the second.
func (p livePage) NowText() string {
	return p.V.Now.In(p.V.Meeting.Location()).Format("15:04:05 MST")
}

// AbsSeconds is the remaining (or overtime) seconds without the sign,
// for the machine-readable duration.
func (p livePage) AbsSeconds() int64 {
	if s := p.RemainingSeconds(); s < 0 {
		return -s
	}
	return p.RemainingSeconds()
}

// KindLabelOf is a kind of request for people.
func (p livePage) KindLabelOf(k floor.Kind) string { return web.UpperFirst(k.Label()) }

// OriginOf says where a speaker speaks from.
func (p livePage) OriginOf(o floor.Origin, hub string) string { return OriginLabel(o, hub) }

// OrdinalOf writes a place: 3rd.
func (p livePage) OrdinalOf(n int) string { return Ordinal(n) }

// SpokenOf writes a time spoken as m:ss.
func (p livePage) SpokenOf(ms int64) string { return Spoken(ms) }

// RemainingSeconds is the current speaker's remaining time in whole
// seconds (negative in overtime).
func (p livePage) RemainingSeconds() int64 {
	if p.V.Current == nil {
		return 0
	}
	ms := p.V.Current.RemainingMS
	if ms < 0 {
		return -((-ms + 999) / 1000)
	}
	return (ms + 999) / 1000
}

// Clock writes the remaining time as m:ss, overtime with a sign and the
// word.
func (p livePage) Clock() string {
	return ClockText(p.RemainingSeconds())
}

// ClockText writes seconds as m:ss; overtime as "+m:ss over".
func ClockText(s int64) string {
	if s < 0 {
		return fmt.Sprintf("+%d:%02d over", -s/60, -s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Spoken writes milliseconds spoken as m:ss.
func Spoken(ms int64) string {
	s := ms / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// ClockState says whether the clock runs, is paused or has not started.
func (p livePage) ClockState() string {
	c := p.V.Current
	switch {
	case c == nil:
		return ""
	case c.Paused:
		return "Paused"
	case c.Running && c.RemainingMS < 0:
		return "Overtime"
	case c.Running:
		return "Running"
	case c.StartedAt == 0:
		return "Not started"
	}
	return "Stopped"
}

// Ordinal writes a place in the queue: 1st, 2nd, 3rd, 4th, 11th, 21st.
func Ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// OriginLabel says where a speaker speaks from.
func OriginLabel(o floor.Origin, hub string) string {
	switch o {
	case floor.Remote:
		return "Remote"
	case floor.Hub:
		if hub != "" {
			return "Remote, from " + hub
		}
		return "Remote, from a hub"
	}
	return "In the room"
}

// PointOfOrderAtFloor reports whether the turn at the floor is a point of
// order awaiting the chair's ruling.
func (p livePage) PointOfOrderAtFloor() bool {
	return p.V.Current != nil && p.V.Current.Kind == floor.PointOfOrder && p.V.Current.Ruling == ""
}

// ItemLink is the page of what an agenda item takes up.
func (p livePage) ItemLink(l meetings.Link) string {
	switch l.Kind {
	case meetings.LinkDocument:
		return "/forums/" + p.Forum.Slug + "/documents/" + url.PathEscape(l.Ref)
	case meetings.LinkProvision:
		return "/forums/" + p.Forum.Slug + "/drafts/" + url.PathEscape(l.Ref) + "#" + url.PathEscape(l.Provision)
	}
	return "/forums/" + p.Forum.Slug + "/drafts/" + url.PathEscape(l.Ref)
}

// NextItem is the agenda item after the one under discussion (the first
// when none is), skipping dropped items; nil at the end of the agenda.
func (p livePage) NextItem() *meetings.AgendaItem {
	seen := p.V.Meeting.CurrentItem == ""
	for _, it := range p.V.Meeting.Agenda {
		if it.Dropped {
			continue
		}
		if seen {
			it := it
			return &it
		}
		seen = it.ID == p.V.Meeting.CurrentItem
	}
	return nil
}

// Kinds are the kinds of request the chair may move or remove, in the
// order the console lists them.
func (p livePage) Kinds() []floor.Kind { return floor.Kinds() }

func (h *handler) livePage(r *http.Request, face string) (livePage, error) {
	b, f, _, err := h.ForumBase(r, "Live meeting", "meetings")
	if err != nil {
		return livePage{}, err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	p := livePage{Base: b, Face: face, Refresh: refreshSeconds}
	if face == faceChair {
		// The console does not reload itself: it would lose a ruling
		// being typed. Every control reloads it, as does its link.
		p.Refresh = 0
	}
	if p.MayManage, err = h.svc.Meetings.MayManageFloor(ctx, sc); err != nil {
		return p, err
	}
	if face == faceChair && !p.MayManage {
		// The console is no secret, but it is only for the chair; the
		// meeting itself stays not found for who may not see it.
		if _, err := h.svc.Meetings.Meeting(ctx, sc, r.PathValue("id")); err != nil {
			return p, err
		}
		return p, plenary.Forbidden("the chair's console is for whoever may %s", rules.ManageFloor.Label())
	}
	if p.V, err = h.svc.Meetings.Floor(ctx, sc, r.PathValue("id")); err != nil {
		return p, err
	}
	m := p.V.Meeting
	switch face {
	case faceChair:
		p.Title = m.Number + ": the chair's console"
	case faceProjector:
		p.Title = m.Number + ": projector"
	default:
		p.Title = m.Number + ": live"
	}
	p.Live = p.MPath() + "/events"
	if p.Texts, err = h.discussedTexts(ctx, sc, p.V.Item); err != nil {
		return p, err
	}
	if face == faceParticipant {
		if p.MaySpeak, err = h.svc.Meetings.MayRequestFloor(ctx, sc, m.ID, floor.Speak); err != nil {
			return p, err
		}
		if p.MayPoint, err = h.svc.Meetings.MayRequestFloor(ctx, sc, m.ID, floor.PointOfOrder); err != nil {
			return p, err
		}
	}
	evs, err := h.svc.Meetings.Decisions(ctx, sc, m, 5)
	if err != nil {
		return p, err
	}
	for _, ev := range evs {
		p.Decisions = append(p.Decisions, Decision{Seq: ev.Seq, At: ev.At, Text: web.DescribeEvent(ev)})
	}
	taken, err := h.svc.Decisions.MeetingDecisions(ctx, sc, m.ID)
	if err != nil {
		return p, err
	}
	closed := 0
	for i := len(taken) - 1; i >= 0; i-- {
		if d := taken[i]; d.Open || closed < lastTaken {
			if !d.Open {
				closed++
			}
			p.Taken = append(p.Taken, d)
		}
	}
	if face == faceChair {
		if p.MayCall, err = h.svc.Decisions.MayCallDecisions(ctx, sc); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (h *handler) showLive(face string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := h.livePage(r, face)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		h.Render(w, r, http.StatusOK, "meet_live", p)
		return nil
	}
}

// liveAct runs a form of a live page: back to the page (303) on success;
// refused input re-renders the face with the field and the rule named.
func (h *handler) liveAct(w http.ResponseWriter, r *http.Request, face, form, flash string, do func(sc *forum.Scope, ref string) error) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	ref := r.PathValue("id")
	if err := do(sc, ref); err != nil {
		if c := plenary.ErrorCode(err); c == plenary.CodeConflict {
			err = plenary.Invalid("", "%s", plenary.AsError(err).Message)
		}
		return web.RefuseForm(h.Core, w, r, err, "meet_live", func(r *http.Request) (livePage, error) { return h.livePage(r, face) },
			func(p *livePage) { p.Form, p.Sent = form, r.PostForm })
	}
	m, err := h.svc.Meetings.Meeting(r.Context(), sc, ref)
	if err != nil {
		return err
	}
	to := meetingPath(sc.Forum, m) + "/live"
	if face != faceParticipant {
		to += "/" + face
	}
	return h.Redirect(w, r, to, flash)
}

// askFloor is the participant's request: for the floor, or a point of
// order; the same in the room and remotely (where the participant is
// comes from their attendance and registration).
func (h *handler) askFloor(w http.ResponseWriter, r *http.Request) error {
	kind := floor.Kind(r.PostFormValue("kind"))
	flash := "You asked for the floor."
	if kind == floor.PointOfOrder {
		flash = "Your point of order is first in the queue."
	}
	return h.liveAct(w, r, faceParticipant, "request", flash, func(sc *forum.Scope, ref string) error {
		_, err := h.svc.Meetings.RequestFloor(r.Context(), sc, ref, meetings.RequestInput{Kind: kind})
		return err
	})
}

func (h *handler) withdraw(w http.ResponseWriter, r *http.Request) error {
	return h.liveAct(w, r, faceParticipant, "withdraw", "Your request is withdrawn.", func(sc *forum.Scope, ref string) error {
		return h.svc.Meetings.WithdrawRequest(r.Context(), sc, ref, r.PostFormValue("request"))
	})
}

// chairAction runs one control of the chair's console.
func (h *handler) chairAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	action := r.PathValue("action")
	v := r.PostFormValue
	m := h.svc.Meetings
	type control struct {
		flash string
		do    func(sc *forum.Scope, ref string) error
	}
	controls := map[string]control{
		"give": {"The floor is given.", func(sc *forum.Scope, ref string) error { return m.GiveFloor(ctx, sc, ref, v("request")) }},
		"next": {"The floor is given to the next speaker.", func(sc *forum.Scope, ref string) error {
			fv, err := m.Floor(ctx, sc, ref)
			if err != nil {
				return err
			}
			if len(fv.Order) == 0 {
				return plenary.Invalid("", "nobody is waiting for the floor")
			}
			return m.GiveFloor(ctx, sc, ref, fv.Order[0].ID)
		}},
		"start":  {"The clock runs.", func(sc *forum.Scope, ref string) error { return m.StartClock(ctx, sc, ref) }},
		"pause":  {"The clock is paused.", func(sc *forum.Scope, ref string) error { return m.PauseClock(ctx, sc, ref) }},
		"resume": {"The clock runs again.", func(sc *forum.Scope, ref string) error { return m.ResumeClock(ctx, sc, ref) }},
		"finish": {"The turn is over.", func(sc *forum.Scope, ref string) error { return m.FinishTurn(ctx, sc, ref, v("reason")) }},
		"close":  {"The list of speakers is closed.", func(sc *forum.Scope, ref string) error { return m.CloseList(ctx, sc, ref) }},
		"reopen": {"The list of speakers is open again.", func(sc *forum.Scope, ref string) error { return m.ReopenList(ctx, sc, ref) }},
		"rule": {"The ruling is recorded.", func(sc *forum.Scope, ref string) error {
			return m.RuleOnPointOfOrder(ctx, sc, ref, v("request"), v("ruling"))
		}},
		"move": {"The request is moved.", func(sc *forum.Scope, ref string) error {
			to, err := strconv.Atoi(strings.TrimSpace(v("to")))
			if err != nil || to < 1 {
				return plenary.Invalid("to", "must be a place in the queue, 1 or more")
			}
			return m.MoveRequest(ctx, sc, ref, v("request"), to, v("reason"))
		}},
		"remove": {"The request is removed.", func(sc *forum.Scope, ref string) error {
			return m.RemoveRequest(ctx, sc, ref, v("request"), v("reason"))
		}},
		"item": {"The meeting is on the chosen item.", func(sc *forum.Scope, ref string) error {
			_, err := m.SetCurrentItem(ctx, sc, ref, v("item"))
			return err
		}},
	}
	c, ok := controls[action]
	if !ok {
		return plenary.NotFound("no control %q on the chair's console", action)
	}
	form := action
	if id := v("request"); id != "" && (action == "move" || action == "remove") {
		form = action + "-" + id
	}
	return h.liveAct(w, r, faceChair, form, c.flash, c.do)
}
