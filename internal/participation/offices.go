package participation

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// One registration may hold several offices: a chair who also holds the
// pen is registered once, as chair, with the office of editor beside the
// role. Its rights are the union of the role's and each office's, each
// read from the rights matrix in the registration's group and mode (see
// forum.Scope.Authorize). The secretariat assigns and removes offices, on
// the record.

// Offices are the office roles, in display order.
func Offices() []rules.Role {
	var out []rules.Role
	for _, r := range rules.Roles() {
		if r.IsOffice() {
			out = append(out, r)
		}
	}
	return out
}

func officeKeys() string {
	keys := []string{}
	for _, o := range Offices() {
		keys = append(keys, string(o))
	}
	return strings.Join(keys, ", ")
}

// ParseOffice returns the office whose key is s, or an invalid-input error
// naming field and listing the offices.
func ParseOffice(field, s string) (rules.Role, error) {
	r := rules.Role(strings.TrimSpace(s))
	switch {
	case r == "":
		return "", plenary.Invalid(field, "is required: one of %s", officeKeys())
	case !r.Valid():
		return "", plenary.Invalid(field, "unknown office %q: must be one of %s", s, officeKeys())
	case !r.IsOffice():
		return "", plenary.Invalid(field, "%s is a participant's role, not an office: must be one of %s", r.Label(), officeKeys())
	}
	return r, nil
}

// decidingRole is the role whose rules decide on the registration: an
// office when it holds one (offices are the secretariat's to decide on),
// else its role.
func (r Registration) decidingRole() rules.Role {
	if len(r.Offices) > 0 && !r.Role.IsOffice() {
		return r.Offices[0]
	}
	return r.Role
}

// checkNotHeldElsewhere refuses to give r's person role (as a role or an
// office) for r's party when another of their active registrations holds
// it already.
func (s *Service) checkNotHeldElsewhere(ctx context.Context, tx *store.Tx, f forum.Forum, r Registration, role rules.Role) error {
	rows, err := tx.QueryContext(ctx, `SELECT role, offices FROM registrations WHERE forum_id = ? AND user_id = ?
		AND COALESCE(party_id, '') = ? AND state IN (?, ?) AND id <> ?`, f.ID, r.UserID, r.PartyID, forum.RegPending, forum.RegApproved, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var other rules.Role
		var offices string
		if err := rows.Scan(&other, &offices); err != nil {
			return err
		}
		if (Registration{Role: other, Offices: forum.ParseOffices(offices)}).Holds(role) {
			return plenary.Conflict("%s already holds the office of %s%s in another registration in %s", r.Name, role.Label(), forParty(r), f.Title)
		}
	}
	return rows.Err()
}

// OfficeInput is the input of AssignOffice and RemoveOffice.
type OfficeInput struct {
	// Office is an office's role key: chair, editor, remote_moderator,
	// secretariat.
	Office string `json:"office"`
	// Reason is optional, and on the record.
	Reason string `json:"reason"`
}

// AssignOffice gives a pending or approved registration an office beside
// its role: the secretariat's to do, on the record.
func (s *Service) AssignOffice(ctx context.Context, sc *forum.Scope, id string, in OfficeInput) (Registration, error) {
	return s.changeOffice(ctx, sc, id, in, true)
}

// RemoveOffice takes an office held beside its role from a registration:
// the secretariat's to do, on the record. The role itself is not an
// office that can be removed; withdraw the registration instead.
func (s *Service) RemoveOffice(ctx context.Context, sc *forum.Scope, id string, in OfficeInput) (Registration, error) {
	return s.changeOffice(ctx, sc, id, in, false)
}

func (s *Service) changeOffice(ctx context.Context, sc *forum.Scope, id string, in OfficeInput, add bool) (Registration, error) {
	a, f := sc.Actor, sc.Forum
	if err := forum.RequireLogin(a); err != nil {
		return Registration{}, err
	}
	if _, err := s.openForum(sc); err != nil {
		return Registration{}, err
	}
	office, err := ParseOffice("office", in.Office)
	if err != nil {
		return Registration{}, err
	}
	reason, err := checkChars("reason", in.Reason, 1000)
	if err != nil {
		return Registration{}, err
	}
	r, err := s.registration(ctx, s.store, f, id)
	if err != nil {
		return Registration{}, err
	}
	// Offices are decided by the secretariat alone.
	c, err := s.approverCapacity(ctx, sc, r.PartyID, office)
	if err != nil {
		return Registration{}, err
	}
	name := "participation.AssignOffice"
	if !add {
		name = "participation.RemoveOffice"
	}
	err = s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		var state, offices string
		if err := tx.QueryRowContext(ctx, "SELECT state, offices FROM registrations WHERE id = ?"+tx.ForUpdate(), r.ID).Scan(&state, &offices); err != nil {
			return err
		}
		r.State, r.Offices = state, forum.ParseOffices(offices)
		if state != forum.RegPending && state != forum.RegApproved {
			return plenary.Conflict("this registration is %s: offices are held only by a registration waiting for approval or approved",
				strings.ToLower(forum.Label(forum.RegistrationStates, state)))
		}
		held := []rules.Role{}
		switch {
		case add && r.Holds(office):
			return plenary.Conflict("%s already holds the office of %s in this registration", r.Name, office.Label())
		case add:
			if err := s.checkNotHeldElsewhere(ctx, tx, f, r, office); err != nil {
				return err
			}
			held = forum.ParseOffices(forum.FormatOffices(append(r.Offices, office)))
		case r.Role == office:
			return plenary.Conflict("%s is registered as %s: that is the registration's role, not an office beside it; withdraw the registration instead",
				r.Name, office.Label())
		case !r.Holds(office):
			return plenary.Conflict("%s does not hold the office of %s in this registration", r.Name, office.Label())
		default:
			for _, o := range r.Offices {
				if o != office {
					held = append(held, o)
				}
			}
		}
		now := forum.NowUTC()
		if _, err := tx.ExecContext(ctx, "UPDATE registrations SET offices = ?, updated_at = ? WHERE id = ?",
			forum.FormatOffices(held), now.UnixMilli(), r.ID); err != nil {
			return err
		}
		r.Offices, r.UpdatedAt = held, now
		typ := "registration.office_assigned"
		if !add {
			typ = "registration.office_removed"
		}
		ev := r
		ev.Reason, ev.DecidedAs = reason, c.Describe()
		return s.emitOffice(ctx, tx, f, a, typ, ev, office)
	})
	if err != nil {
		return Registration{}, err
	}
	return r.shownTo(r.UserID == a.UserID, c), nil
}

// emitOffice records an office given or taken, visible as the other steps
// of the registration are.
func (s *Service) emitOffice(ctx context.Context, tx *store.Tx, f forum.Forum, a forum.Actor, typ string, r Registration, office rules.Role) error {
	r.Offices = append([]rules.Role{}, r.Offices...)
	payload := map[string]any{"registration_id": r.ID, "user_id": r.UserID, "name": r.Name, "party_id": r.PartyID, "party": r.PartyCode,
		"party_name": r.PartyName, "group": r.Group, "role": r.Role, "mode": r.Mode, "state": r.State, "office": office,
		"offices": r.Offices, "decided_as": r.DecidedAs}
	if r.Reason != "" {
		payload["reason"] = r.Reason
	}
	vis := ledger.VisSecretariat
	if r.PartyID != "" {
		vis = ledger.VisParty(r.PartyID)
	}
	_, err := tx.Emit(ctx, f.ID, a.LedgerID(), typ, vis, payload)
	return err
}
