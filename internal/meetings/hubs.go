package meetings

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// HubInput is the input of AddHub.
type HubInput struct {
	Name  string `json:"name"`
	Place string `json:"place"`
	// The hub's moderator: a registration id, or a name.
	ModeratorRegistration string `json:"moderator_registration"`
	ModeratorName         string `json:"moderator_name"`
}

// AddHub registers a remote hub of a meeting. The forum's secretariat may,
// until the meeting is closed or cancelled.
func (s *Service) AddHub(ctx context.Context, sc *forum.Scope, ref string, in HubInput) (Hub, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Hub{}, err
	}
	var errs plenary.Errors
	add := func(err error) {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	var err error
	in.Name, err = forum.CheckName("name", in.Name, MaxLine)
	add(err)
	in.Place, err = forum.CheckLine("place", strings.TrimSpace(in.Place), MaxLine)
	add(err)
	in.ModeratorName, err = forum.CheckLine("moderator_name", strings.TrimSpace(in.ModeratorName), MaxLine)
	add(err)
	if in.ModeratorRegistration = strings.TrimSpace(in.ModeratorRegistration); in.ModeratorRegistration != "" {
		r, err := s.participation.RegistrationIn(ctx, sc.Querier(), sc.Forum, in.ModeratorRegistration)
		switch {
		case err != nil:
			add(plenary.Invalid("moderator_registration", "no registration %q in this forum", in.ModeratorRegistration))
		case r.State != "approved":
			add(plenary.Invalid("moderator_registration", "%s's registration is not approved", r.Name))
		case in.ModeratorName == "":
			in.ModeratorName = r.Name
		}
	}
	if len(errs) > 0 {
		return Hub{}, errs
	}
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return Hub{}, err
	}
	h := Hub{ID: plenary.NewID(), MeetingID: old.ID, Name: in.Name, Place: in.Place, ModeratorName: in.ModeratorName,
		ModeratorRegistration: in.ModeratorRegistration, CreatedAt: forum.NowUTC()}
	err = s.kernel.Command(ctx, sc, "meetings.AddHub", func(tx *store.Tx, sc *forum.Scope) error {
		m, err := s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if m.Over() {
			return plenary.Conflict("meeting %s is %s; its hubs can no longer change", m.Number, strings.ToLower(m.StateLabel()))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_hubs (id, meeting_id, name, place, moderator_name, moderator_reg_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, h.ID, h.MeetingID, h.Name, h.Place, h.ModeratorName, h.ModeratorRegistration, h.CreatedAt.UnixMilli()); err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "meeting.hub_added", map[string]any{"hub": h.ID, "name": h.Name, "place": h.Place, "moderator": h.ModeratorName})
	})
	return h, err
}

// RemoveHub removes a remote hub. The forum's secretariat may. People
// recorded at the hub stay recorded as remote.
func (s *Service) RemoveHub(ctx context.Context, sc *forum.Scope, ref, hubID string) error {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return err
	}
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return err
	}
	return s.kernel.Command(ctx, sc, "meetings.RemoveHub", func(tx *store.Tx, sc *forum.Scope) error {
		m, err := s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if m.Over() {
			return plenary.Conflict("meeting %s is %s; its hubs can no longer change", m.Number, strings.ToLower(m.StateLabel()))
		}
		hubs, err := s.hubs(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		var h *Hub
		for i := range hubs {
			if hubs[i].ID == hubID {
				h = &hubs[i]
			}
		}
		if h == nil {
			return plenary.NotFound("meeting %s has no hub %q", m.Number, hubID)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meeting_attendance SET mode = ?, hub_id = '' WHERE meeting_id = ? AND hub_id = ?", ModeRemote, m.ID, h.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM meeting_hubs WHERE id = ?", h.ID); err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "meeting.hub_removed", map[string]any{"hub": h.ID, "name": h.Name})
	})
}

func (s *Service) hubs(ctx context.Context, q store.Querier, meetingID string) ([]Hub, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, meeting_id, name, place, moderator_name, moderator_reg_id, created_at
		FROM meeting_hubs WHERE meeting_id = ? ORDER BY created_at, id`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Hub
	for rows.Next() {
		var h Hub
		var at int64
		if err := rows.Scan(&h.ID, &h.MeetingID, &h.Name, &h.Place, &h.ModeratorName, &h.ModeratorRegistration, &at); err != nil {
			return nil, err
		}
		h.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// AttendanceInput is the input of CheckIn and RecordAttendance.
type AttendanceInput struct {
	// Registration is whose attendance the secretariat records; a
	// participant checking in leaves it empty (their first approved
	// registration) or names one of their own.
	Registration string `json:"registration"`
	// Mode is in_room, remote or hub; "" is the registration's own mode.
	Mode string `json:"mode"`
	// Hub is the hub's id, for mode hub.
	Hub string `json:"hub"`
	// Present: false checks out.
	Present bool `json:"present"`
}

// CheckIn records the actor's own attendance: present (in the room,
// remotely or at a hub) or gone. It takes an approved registration in the
// forum; remote attendance takes a meeting with remote participation.
func (s *Service) CheckIn(ctx context.Context, sc *forum.Scope, ref string, in AttendanceInput) (Attendee, error) {
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return Attendee{}, err
	}
	regs, err := s.participation.ApprovedRegistrationsOf(ctx, sc.Querier(), sc.Forum, sc.Actor.UserID)
	if err != nil {
		return Attendee{}, err
	}
	if len(regs) == 0 {
		return Attendee{}, plenary.Forbidden("you are not registered in %s", forum.ShortName(sc.Forum))
	}
	r := regs[0]
	if in.Registration = strings.TrimSpace(in.Registration); in.Registration != "" {
		found := false
		for _, x := range regs {
			if x.ID == in.Registration {
				r, found = x, true
			}
		}
		if !found {
			return Attendee{}, plenary.Invalid("registration", "is not one of your approved registrations in this forum")
		}
	}
	return s.attend(ctx, sc, ref, r, in, "meetings.CheckIn", false)
}

// RecordAttendance records someone's attendance, by registration. The
// forum's secretariat may.
func (s *Service) RecordAttendance(ctx context.Context, sc *forum.Scope, ref string, in AttendanceInput) (Attendee, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Attendee{}, err
	}
	in.Registration = strings.TrimSpace(in.Registration)
	if in.Registration == "" {
		return Attendee{}, plenary.Invalid("registration", "is required: whose attendance to record")
	}
	r, err := s.participation.RegistrationIn(ctx, sc.Querier(), sc.Forum, in.Registration)
	if err != nil {
		return Attendee{}, plenary.Invalid("registration", "no registration %q in this forum", in.Registration)
	}
	if r.State != "approved" {
		return Attendee{}, plenary.Invalid("registration", "%s's registration is not approved", r.Name)
	}
	return s.attend(ctx, sc, ref, r, in, "meetings.RecordAttendance", true)
}

func (s *Service) attend(ctx context.Context, sc *forum.Scope, ref string, r participation.Registration, in AttendanceInput, name string, bySecretariat bool) (Attendee, error) {
	in.Mode = strings.TrimSpace(in.Mode)
	if in.Mode == "" {
		in.Mode = ModeInRoom
		if r.Mode == rules.Remote {
			in.Mode = ModeRemote
		}
		if in.Hub != "" {
			in.Mode = ModeHub
		}
	}
	if !forum.Valid(AttendanceModes, in.Mode) {
		return Attendee{}, plenary.Invalid("mode", "must be in_room, remote or hub")
	}
	in.Hub = strings.TrimSpace(in.Hub)
	if in.Mode == ModeHub && in.Hub == "" {
		return Attendee{}, plenary.Invalid("hub", "is required to attend at a hub")
	}
	if in.Mode != ModeHub {
		in.Hub = ""
	}
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return Attendee{}, err
	}
	if err := s.checkVisible(ctx, sc, old); err != nil {
		return Attendee{}, err
	}
	a := Attendee{RegistrationID: r.ID, Name: r.Name, PartyID: r.PartyID, PartyCode: r.PartyCode, PartyName: r.PartyName,
		Group: r.Group, Mode: in.Mode, HubID: in.Hub, Present: in.Present, UpdatedAt: forum.NowUTC()}
	err = s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		m, err := s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if m.Over() {
			return plenary.Conflict("meeting %s is %s; attendance can no longer change", m.Number, strings.ToLower(m.StateLabel()))
		}
		if !bySecretariat && m.State == StateScheduled && a.Present {
			return plenary.Conflict("meeting %s has not opened yet; check in once it is in session", m.Number)
		}
		if a.Mode != ModeInRoom && a.Present && !m.Remote {
			return plenary.Invalid("mode", "meeting %s has no remote participation", m.Number)
		}
		if a.HubID != "" {
			hubs, err := s.hubs(ctx, tx, m.ID)
			if err != nil {
				return err
			}
			for _, h := range hubs {
				if h.ID == a.HubID {
					a.HubName = h.Name
				}
			}
			if a.HubName == "" {
				return plenary.Invalid("hub", "meeting %s has no hub %q", m.Number, a.HubID)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE meeting_attendance SET mode = ?, hub_id = ?, present = ?, recorded_by = ?, updated_at = ?
			WHERE meeting_id = ? AND registration_id = ?`, a.Mode, a.HubID, a.Present, sc.Actor.UserID, a.UpdatedAt.UnixMilli(), m.ID, a.RegistrationID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_attendance (meeting_id, registration_id, mode, hub_id, present, recorded_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, m.ID, a.RegistrationID, a.Mode, a.HubID, a.Present, sc.Actor.UserID, a.UpdatedAt.UnixMilli()); err != nil {
				return err
			}
		}
		return s.emit(ctx, tx, sc, m, "meeting.attendance_recorded", map[string]any{
			"registration": a.RegistrationID, "name": a.Name, "party": a.PartyCode, "party_name": a.PartyName,
			"mode": a.Mode, "hub": a.HubName, "present": a.Present, "by_secretariat": bySecretariat})
	})
	return a, err
}

// attendees reads a meeting's attendance records.
func (s *Service) attendees(ctx context.Context, q store.Querier, f forum.Forum, meetingID string, presentOnly bool) ([]Attendee, error) {
	where := ""
	if presentOnly {
		where = " AND a.present = ?"
	}
	args := []any{meetingID}
	if presentOnly {
		args = append(args, true)
	}
	rows, err := q.QueryContext(ctx, `SELECT a.registration_id, a.mode, a.hub_id, COALESCE(h.name, ''), a.present, a.updated_at
		FROM meeting_attendance a LEFT JOIN meeting_hubs h ON h.id = a.hub_id
		WHERE a.meeting_id = ?`+where+` ORDER BY a.updated_at, a.registration_id`, args...)
	if err != nil {
		return nil, err
	}
	var out []Attendee
	for rows.Next() {
		var a Attendee
		var at int64
		if err := rows.Scan(&a.RegistrationID, &a.Mode, &a.HubID, &a.HubName, &a.Present, &at); err != nil {
			rows.Close()
			return nil, err
		}
		a.UpdatedAt = time.UnixMilli(at).UTC()
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]string, len(out))
	for i := range out {
		ids[i] = out[i].RegistrationID
	}
	regs, err := s.participation.RegistrationsByID(ctx, q, f, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		r := regs[out[i].RegistrationID]
		out[i].Name, out[i].PartyID, out[i].PartyCode, out[i].PartyName, out[i].Group = r.Name, r.PartyID, r.PartyCode, r.PartyName, r.Group
	}
	return out, nil
}

// Present is who is present at a meeting, per party (people without a
// party per stakeholder group), with the counts in the room and remote:
// what quorum reads. The meeting must be visible to the actor.
func (s *Service) Present(ctx context.Context, sc *forum.Scope, ref string) (Attendance, error) {
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return Attendance{}, err
	}
	return s.presentAt(ctx, sc, m)
}

func (s *Service) presentAt(ctx context.Context, sc *forum.Scope, m Meeting) (Attendance, error) {
	as, err := s.attendees(ctx, s.store, sc.Forum, m.ID, true)
	if err != nil {
		return Attendance{}, err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return Attendance{}, err
	}
	by := map[string]*PartyAttendance{}
	var keys []string
	var out Attendance
	for _, a := range as {
		key := "party:" + a.PartyID
		if a.PartyID == "" {
			key = "group:" + a.Group
		}
		pa := by[key]
		if pa == nil {
			pa = &PartyAttendance{PartyID: a.PartyID, PartyCode: a.PartyCode, Name: a.PartyName, Group: a.Group}
			if a.PartyID == "" {
				pa.Name = groups.Lookup(a.Group).Plural
				if pa.Name == "" {
					pa.Name = a.Group
				}
			}
			by[key] = pa
			keys = append(keys, key)
		}
		pa.People++
		out.People++
		if a.Mode == ModeInRoom {
			pa.InRoom++
			out.InRoom++
		} else {
			pa.Remote++
			out.Remote++
		}
		pa.Present = append(pa.Present, a)
	}
	sort.SliceStable(keys, func(i, j int) bool { return by[keys[i]].Name < by[keys[j]].Name })
	for _, k := range keys {
		out.Parties = append(out.Parties, *by[k])
	}
	return out, nil
}
