package meetings

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
)

// checkVisible refuses a closed meeting to whoever may not read what is
// restricted to the forum's participants, as not found: the public does
// not learn of its details.
func (s *Service) checkVisible(ctx context.Context, sc *forum.Scope, m Meeting) error {
	if m.Access != AccessClosed {
		return nil
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return err
	}
	if !v.CanSee(m.Visibility()) {
		return plenary.NotFound("no meeting %q in this forum", m.Number)
	}
	return nil
}

// Meeting reads one meeting, by id or number, with its hubs and agenda.
func (s *Service) Meeting(ctx context.Context, sc *forum.Scope, ref string) (Meeting, error) {
	return forum.Keep(sc, "meeting|"+ref, func() (Meeting, error) {
		m, err := s.meeting(ctx, s.store, sc.Forum.ID, ref)
		if err != nil {
			return Meeting{}, err
		}
		if err := s.checkVisible(ctx, sc, m); err != nil {
			return Meeting{}, err
		}
		if m.Hubs, err = s.hubs(ctx, s.store, m.ID); err != nil {
			return Meeting{}, err
		}
		if m.Agenda, err = s.items(ctx, s.store, m.ID); err != nil {
			return Meeting{}, err
		}
		// Kept under its id and number too, so that a page naming it by
		// number and a read by id (the decisions of the meeting) share it.
		for _, other := range []string{m.ID, m.Number} {
			if other != ref {
				forum.Keep(sc, "meeting|"+other, func() (Meeting, error) { return m, nil })
			}
		}
		return m, nil
	})
}

// Attendance is a meeting's attendance per party; Present with the
// meeting read once.
func (s *Service) Attendance(ctx context.Context, sc *forum.Scope, m Meeting) (Attendance, error) {
	return s.presentAt(ctx, sc, m)
}

// Filter narrows a list of meetings.
type Filter struct {
	Body string // a body's slug; "" for all
	// When is upcoming (scheduled, not yet ended), current (in session or
	// suspended), past (adjourned, closed, cancelled or ended) or "" for all.
	When string
}

// Whens lists the lists of meetings with their labels.
var Whens = []forum.Choice{
	{Value: "", Label: "All meetings"},
	{Value: "current", Label: "In session"},
	{Value: "upcoming", Label: "Upcoming"},
	{Value: "past", Label: "Past"},
}

// Phase is which list a meeting is on: current, upcoming or past.
func (m Meeting) Phase(now time.Time) string {
	switch {
	case m.Sitting():
		return "current"
	case m.State == StateScheduled && m.Ends.After(now):
		return "upcoming"
	}
	return "past"
}

// Meetings lists a forum's meetings the actor may see, by start time.
func (s *Service) Meetings(ctx context.Context, sc *forum.Scope, flt Filter) ([]Meeting, error) {
	if !forum.Valid(Whens, flt.When) {
		return nil, plenary.Invalid("when", "must be upcoming, current or past")
	}
	where, args := "WHERE m.forum_id = ?", []any{sc.Forum.ID}
	if flt.Body != "" {
		b, err := sc.Body(ctx, flt.Body)
		if err != nil {
			return nil, err
		}
		where += " AND m.body_id = ?"
		args = append(args, b.ID)
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	if !v.CanSee("members") {
		where += " AND m.access = ?"
		args = append(args, AccessOpen)
	}
	rows, err := s.store.QueryContext(ctx, "SELECT "+meetingColumns+meetingFrom+where+" ORDER BY m.starts_at, m.number", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := forum.NowUTC()
	out := []Meeting{}
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		if flt.When == "" || m.Phase(now) == flt.When {
			out = append(out, m)
		}
	}
	return out, rows.Err()
}

// Calendar is the iCalendar feed of the forum's meetings the actor may see
// (of one body when bodySlug is not empty), with links to their pages on
// the site at base (scheme and host, such as https://plenary.example.org).
func (s *Service) Calendar(ctx context.Context, sc *forum.Scope, bodySlug, base string) (string, error) {
	ms, err := s.Meetings(ctx, sc, Filter{Body: bodySlug})
	if err != nil {
		return "", err
	}
	name := sc.Forum.Title
	if bodySlug != "" {
		if b, err := sc.Body(ctx, bodySlug); err == nil {
			name += ": " + b.Name
		}
	}
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	var stamp time.Time
	for _, m := range ms {
		if m.UpdatedAt.After(stamp) {
			stamp = m.UpdatedAt
		}
	}
	if stamp.IsZero() {
		stamp = sc.Forum.CreatedAt
	}
	return ICalendar(name, host, ms, stamp, func(m Meeting) string {
		return base + "/forums/" + sc.Forum.Slug + "/meetings/" + m.Number
	}), nil
}

// ServeCalendar writes the iCalendar feed of the forum's meetings (of one
// body when body is not empty), with links to the meetings' pages on the
// site that answered.
func (s *Service) ServeCalendar(w http.ResponseWriter, r *http.Request, sc *forum.Scope, body string) error {
	scheme := "https"
	if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
		scheme = "http"
	}
	cal, err := s.Calendar(r.Context(), sc, body, scheme+"://"+r.Host)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+sc.Forum.Slug+`.ics"`)
	_, err = w.Write([]byte(cal))
	return err
}
