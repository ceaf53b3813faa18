package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/store"
)

// MeetingInput is the input of ScheduleMeeting and UpdateMeeting.
type MeetingInput struct {
	Body string `json:"body"` // the body's slug
	// Number, such as WG3-4, is unique in the forum; "" takes the next
	// one of the body (its slug in capitals, a hyphen, n), or keeps the
	// meeting's own in an update.
	Number string `json:"number"`
	Title  string `json:"title"`
	Date   string `json:"date"`  // YYYY-MM-DD, at the venue
	Start  string `json:"start"` // HH:MM, at the venue
	End    string `json:"end"`   // HH:MM, at the venue, after the start
	Zone   string `json:"zone"`  // IANA time zone of the venue, such as Europe/Zurich
	Room   string `json:"room"`
	// ChairRegistration is the registration id of the chair presiding;
	// ChairName names a chair who has none (or overrides the name shown).
	ChairRegistration string `json:"chair_registration"`
	ChairName         string `json:"chair_name"`
	Remote            bool   `json:"remote"`
	WebcastURL        string `json:"webcast_url"`
	CaptionsURL       string `json:"captions_url"`
	Access            string `json:"access"` // open (the default) or closed
}

// Limits of a meeting's fields.
const (
	MaxTitle  = 300
	MaxLine   = 200
	MaxURL    = 2000
	MaxReason = 1000
)

// meetingPlan is a validated MeetingInput.
type meetingPlan struct {
	in     MeetingInput
	body   forum.Body
	starts time.Time
	ends   time.Time
	chair  *participation.Registration
}

// CheckHTTPS checks an address people follow from a page: an absolute
// https URL with a host. "" is none.
func CheckHTTPS(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if _, err := forum.CheckLine(field, s, MaxURL); err != nil {
		return "", err
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "", plenary.Invalid(field, "must be an https:// address")
	}
	return u.String(), nil
}

// checkZone loads an IANA time zone by name.
func checkZone(field, zone string) (*time.Location, error) {
	zone = strings.TrimSpace(zone)
	if zone == "" {
		return nil, plenary.Invalid(field, "is required: the venue's time zone, such as Europe/Zurich")
	}
	if zone == "Local" || !forum.IsRef(zone) {
		return nil, plenary.Invalid(field, "%q is not an IANA time zone such as Europe/Zurich", zone)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, plenary.Invalid(field, "%q is not an IANA time zone such as Europe/Zurich", zone)
	}
	return loc, nil
}

// prepare validates in; update is the meeting being changed, or nil.
func (s *Service) prepare(ctx context.Context, sc *forum.Scope, in MeetingInput, update *Meeting) (meetingPlan, error) {
	p := meetingPlan{}
	var errs plenary.Errors
	add := func(err error) {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	var err error
	in.Title, err = forum.CheckName("title", in.Title, MaxTitle)
	add(err)
	in.Number = strings.TrimSpace(in.Number)
	if in.Number != "" {
		in.Number, err = forum.CheckName("number", in.Number, 40)
		add(err)
		if err == nil && strings.ContainsAny(in.Number, "/?#% ") {
			add(plenary.Invalid("number", "may not contain spaces or / ? # %%"))
		}
	}
	in.Room, err = forum.CheckLine("room", in.Room, MaxLine)
	add(err)
	in.ChairName, err = forum.CheckLine("chair_name", strings.TrimSpace(in.ChairName), MaxLine)
	add(err)
	in.WebcastURL, err = CheckHTTPS("webcast_url", in.WebcastURL)
	add(err)
	in.CaptionsURL, err = CheckHTTPS("captions_url", in.CaptionsURL)
	add(err)
	in.Access = strings.TrimSpace(in.Access)
	if in.Access == "" {
		in.Access = AccessOpen
	}
	if !forum.Valid(Accesses, in.Access) {
		add(plenary.Invalid("access", "must be open or closed"))
	}
	in.Zone = strings.TrimSpace(in.Zone)
	loc, zerr := checkZone("zone", in.Zone)
	add(zerr)
	in.Date = strings.TrimSpace(in.Date)
	day, derr := time.Parse("2006-01-02", in.Date)
	if derr != nil {
		add(plenary.Invalid("date", "must be a date, YYYY-MM-DD"))
	}
	clock := func(field, v string) (time.Duration, bool) {
		t, err := time.Parse("15:04", strings.TrimSpace(v))
		if err != nil {
			add(plenary.Invalid(field, "must be a time of day, HH:MM"))
			return 0, false
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true
	}
	st, ok1 := clock("start", in.Start)
	en, ok2 := clock("end", in.End)
	if zerr == nil && derr == nil && ok1 && ok2 {
		at := func(d time.Duration) time.Time {
			return time.Date(day.Year(), day.Month(), day.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, loc).UTC()
		}
		p.starts, p.ends = at(st), at(en)
		if !p.ends.After(p.starts) {
			add(plenary.Invalid("end", "must be after the start"))
		}
	}
	in.Body = strings.TrimSpace(in.Body)
	if in.Body == "" && update != nil {
		in.Body = update.BodySlug
	}
	if in.Body == "" {
		add(plenary.Invalid("body", "is required: the body that meets"))
	} else if b, err := sc.Body(ctx, in.Body); err != nil {
		add(plenary.Invalid("body", "no body %q in this forum", in.Body))
	} else {
		p.body = b
	}
	in.ChairRegistration = strings.TrimSpace(in.ChairRegistration)
	if in.ChairRegistration != "" {
		r, err := s.participation.RegistrationIn(ctx, sc.Querier(), sc.Forum, in.ChairRegistration)
		switch {
		case err != nil:
			add(plenary.Invalid("chair_registration", "no registration %q in this forum", in.ChairRegistration))
		case r.State != "approved":
			add(plenary.Invalid("chair_registration", "%s's registration is not approved", r.Name))
		default:
			p.chair = &r
			if in.ChairName == "" {
				in.ChairName = r.Name
			}
		}
	}
	if len(errs) > 0 {
		return p, errs
	}
	p.in = in
	return p, nil
}

// ScheduleMeeting schedules a meeting of one of the forum's bodies. The
// forum's secretariat may.
func (s *Service) ScheduleMeeting(ctx context.Context, sc *forum.Scope, in MeetingInput) (Meeting, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Meeting{}, err
	}
	p, err := s.prepare(ctx, sc, in, nil)
	if err != nil {
		return Meeting{}, err
	}
	now := forum.NowUTC()
	m := Meeting{ID: plenary.NewID(), ForumID: sc.Forum.ID, BodyID: p.body.ID, BodySlug: p.body.Slug, BodyName: p.body.Name,
		Number: p.in.Number, Title: p.in.Title, Zone: p.in.Zone, Starts: p.starts, Ends: p.ends, Room: p.in.Room,
		ChairName: p.in.ChairName, Remote: p.in.Remote, WebcastURL: p.in.WebcastURL, CaptionsURL: p.in.CaptionsURL,
		Access: p.in.Access, State: StateScheduled, AgendaState: AgendaDraft, CreatedAt: now, UpdatedAt: now}
	if p.chair != nil {
		m.ChairRegistration = p.chair.ID
	}
	err = s.kernel.Command(ctx, sc, "meetings.ScheduleMeeting", func(tx *store.Tx, sc *forum.Scope) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM meetings WHERE body_id = ?", m.BodyID).Scan(&seq); err != nil {
			return err
		}
		seq++
		prefix := strings.ToUpper(p.body.Slug) + "-"
		if m.Number != "" {
			// A chosen number in the body's own form moves the count on.
			seq = 0
			if n, err := strconv.ParseInt(strings.TrimPrefix(m.Number, prefix), 10, 64); err == nil && strings.HasPrefix(m.Number, prefix) && n > 0 {
				seq = n
			}
		}
		if m.Number == "" {
			for {
				m.Number = fmt.Sprintf("%s%d", prefix, seq)
				taken, err := numberTaken(ctx, tx, m.ForumID, m.Number, "")
				if err != nil {
					return err
				}
				if !taken {
					break
				}
				seq++
			}
		} else if taken, err := numberTaken(ctx, tx, m.ForumID, m.Number, ""); err != nil {
			return err
		} else if taken {
			return plenary.Invalid("number", "%s is already the number of another meeting", m.Number)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meetings (id, forum_id, body_id, number, seq, title, zone, starts_at, ends_at, room,
			chair_reg_id, chair_name, remote, webcast_url, captions_url, access, state, agenda_state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.ForumID, m.BodyID, m.Number, seq, m.Title, m.Zone, m.Starts.UnixMilli(), m.Ends.UnixMilli(), m.Room,
			m.ChairRegistration, m.ChairName, m.Remote, m.WebcastURL, m.CaptionsURL, m.Access, m.State, m.AgendaState,
			now.UnixMilli(), now.UnixMilli())
		if errors.Is(store.MapErr(err), plenary.ErrConflict) {
			return plenary.Invalid("number", "%s is already the number of another meeting", m.Number)
		}
		if err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "meeting.scheduled", meetingPayload(m))
	})
	return m, err
}

// UpdateMeeting changes a meeting's details. The forum's secretariat may,
// until the meeting is closed or cancelled. A change of access applies to
// the events that follow.
func (s *Service) UpdateMeeting(ctx context.Context, sc *forum.Scope, ref string, in MeetingInput) (Meeting, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Meeting{}, err
	}
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return Meeting{}, err
	}
	p, err := s.prepare(ctx, sc, in, &old)
	if err != nil {
		return Meeting{}, err
	}
	var m Meeting
	err = s.kernel.Command(ctx, sc, "meetings.UpdateMeeting", func(tx *store.Tx, sc *forum.Scope) error {
		m, err = s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if m.Over() {
			return plenary.Conflict("meeting %s is %s; it can no longer be changed", m.Number, strings.ToLower(m.StateLabel()))
		}
		if p.in.Number != "" && p.in.Number != m.Number {
			if taken, err := numberTaken(ctx, tx, m.ForumID, p.in.Number, m.ID); err != nil {
				return err
			} else if taken {
				return plenary.Invalid("number", "%s is already the number of another meeting", p.in.Number)
			}
			m.Number = p.in.Number
		}
		m.BodyID, m.BodySlug, m.BodyName = p.body.ID, p.body.Slug, p.body.Name
		m.Title, m.Zone, m.Starts, m.Ends, m.Room = p.in.Title, p.in.Zone, p.starts, p.ends, p.in.Room
		m.ChairRegistration, m.ChairName = "", p.in.ChairName
		if p.chair != nil {
			m.ChairRegistration = p.chair.ID
		}
		m.Remote, m.WebcastURL, m.CaptionsURL, m.Access = p.in.Remote, p.in.WebcastURL, p.in.CaptionsURL, p.in.Access
		m.UpdatedAt = forum.NowUTC()
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET body_id = ?, number = ?, title = ?, zone = ?, starts_at = ?, ends_at = ?, room = ?,
			chair_reg_id = ?, chair_name = ?, remote = ?, webcast_url = ?, captions_url = ?, access = ?, updated_at = ? WHERE id = ?`,
			m.BodyID, m.Number, m.Title, m.Zone, m.Starts.UnixMilli(), m.Ends.UnixMilli(), m.Room, m.ChairRegistration, m.ChairName,
			m.Remote, m.WebcastURL, m.CaptionsURL, m.Access, m.UpdatedAt.UnixMilli(), m.ID)
		if err != nil {
			return err
		}
		// The event is seen as the meeting now is: one made closed tells
		// its participants only.
		return s.emit(ctx, tx, sc, m, "meeting.updated", meetingPayload(m))
	})
	return m, err
}

func numberTaken(ctx context.Context, q store.Querier, forumID, number, except string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM meetings WHERE forum_id = ? AND number = ? AND id <> ?", forumID, number, except).Scan(&n)
	return n > 0, err
}

// meetingPayload is what the record says of a meeting's details.
func meetingPayload(m Meeting) map[string]any {
	return map[string]any{
		"meeting": m.ID, "number": m.Number, "title": m.Title, "body": m.BodySlug, "body_name": m.BodyName,
		"zone": m.Zone, "starts_at": m.Starts.Format(time.RFC3339), "ends_at": m.Ends.Format(time.RFC3339),
		"local_start": m.LocalStart().Format("2006-01-02T15:04"), "room": m.Room, "chair": m.ChairName,
		"chair_registration": m.ChairRegistration, "remote": m.Remote, "webcast_url": m.WebcastURL,
		"captions_url": m.CaptionsURL, "access": m.Access,
	}
}

// emit appends a meeting's event, visible as the meeting is.
func (s *Service) emit(ctx context.Context, tx *store.Tx, sc *forum.Scope, m Meeting, typ string, payload map[string]any) error {
	payload["meeting"] = m.ID
	if _, ok := payload["number"]; !ok {
		payload["number"] = m.Number
	}
	_, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), typ, m.Visibility(), payload)
	return err
}

const meetingColumns = `m.id, m.forum_id, m.body_id, b.slug, b.name, m.number, m.title, m.zone, m.starts_at, m.ends_at, m.room,
	m.chair_reg_id, m.chair_name, m.remote, m.webcast_url, m.captions_url, m.access, m.state, m.state_reason, m.agenda_state,
	m.current_item_id, m.created_at, m.updated_at`

const meetingFrom = " FROM meetings m JOIN bodies b ON b.id = m.body_id "

func scanMeeting(r interface{ Scan(...any) error }) (Meeting, error) {
	var m Meeting
	var st, en, cr, up int64
	err := r.Scan(&m.ID, &m.ForumID, &m.BodyID, &m.BodySlug, &m.BodyName, &m.Number, &m.Title, &m.Zone, &st, &en, &m.Room,
		&m.ChairRegistration, &m.ChairName, &m.Remote, &m.WebcastURL, &m.CaptionsURL, &m.Access, &m.State, &m.StateReason,
		&m.AgendaState, &m.CurrentItem, &cr, &up)
	m.Starts, m.Ends = time.UnixMilli(st).UTC(), time.UnixMilli(en).UTC()
	m.CreatedAt, m.UpdatedAt = time.UnixMilli(cr).UTC(), time.UnixMilli(up).UTC()
	return m, err
}

// meeting reads one meeting of a forum by id or number, without checking
// who reads it.
func (s *Service) meeting(ctx context.Context, q store.Querier, forumID, ref string) (Meeting, error) {
	if !forum.IsRef(ref) || ref == "" {
		return Meeting{}, plenary.NotFound("no meeting %q in this forum", ref)
	}
	m, err := scanMeeting(q.QueryRowContext(ctx, "SELECT "+meetingColumns+meetingFrom+"WHERE m.forum_id = ? AND (m.id = ? OR m.number = ?)",
		forumID, ref, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return Meeting{}, plenary.NotFound("no meeting %q in this forum", ref)
	}
	return m, err
}

// lockMeeting reads a meeting inside a command's transaction, locking its
// row so that commands on one meeting take turns.
func (s *Service) lockMeeting(ctx context.Context, tx *store.Tx, forumID, id string) (Meeting, error) {
	if _, err := tx.ExecContext(ctx, "UPDATE meetings SET updated_at = updated_at WHERE id = ? AND forum_id = ?", id, forumID); err != nil {
		return Meeting{}, err
	}
	return s.meeting(ctx, tx, forumID, id)
}
