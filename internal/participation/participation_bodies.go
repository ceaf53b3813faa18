package participation

import (
	"context"
	"errors"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// A body (plenary, committee, working group, experts group, drafting
// group) has a chair and vice-chairs, who are registered participants of
// the forum, and a membership: open to every participant of the forum, or
// limited to listed parties. Both are public.

// Body offices.
const (
	OfficeChair     = "chair"
	OfficeViceChair = "vice_chair"
)

// BodyOffices lists the offices of a body with their labels.
var BodyOffices = []forum.Choice{{Value: OfficeChair, Label: "Chair"}, {Value: OfficeViceChair, Label: "Vice-chair"}}

// BodyOfficer is a chair or vice-chair of a body.
type BodyOfficer struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Office string `json:"office"`
}

// OfficeLabel is the office for people.
func (o BodyOfficer) OfficeLabel() string { return forum.Label(BodyOffices, o.Office) }

// BodyDetail is a body with its officers and membership.
type BodyDetail struct {
	Body     forum.Body    `json:"body"`
	Officers []BodyOfficer `json:"officers"`
	// Open: every participant of the forum may take part; otherwise only
	// the parties in Members.
	Open    bool    `json:"open"`
	Members []Party `json:"members"`
}

// BodyDetailOf returns a body of forum f with its officers and membership.
func (s *Service) BodyDetailOf(ctx context.Context, sc *forum.Scope, slug string) (BodyDetail, error) {
	b, err := sc.Body(ctx, slug)
	if err != nil {
		return BodyDetail{}, err
	}
	d := BodyDetail{Body: b}
	rows, err := s.store.QueryContext(ctx, `SELECT o.user_id, u.name, o.office FROM body_officers o JOIN users u ON u.id = o.user_id
		WHERE o.body_id = ? ORDER BY CASE o.office WHEN 'chair' THEN 0 ELSE 1 END, o.created_at`, b.ID)
	d.Officers, err = collectRows(rows, err, func(sc rowScanner) (BodyOfficer, error) {
		var o BodyOfficer
		err := sc.Scan(&o.UserID, &o.Name, &o.Office)
		return o, err
	})
	if err != nil {
		return d, err
	}
	rows, err = s.store.QueryContext(ctx, "SELECT "+partyColumns+partyFrom+" JOIN body_members m ON m.party_id = p.id WHERE m.body_id = ? ORDER BY p.name", b.ID)
	if d.Members, err = collectRows(rows, err, scanParty); err != nil {
		return d, err
	}
	d.Open = len(d.Members) == 0
	return d, nil
}

// OfficerInput is the input of AppointOfficer.
type OfficerInput struct {
	// Email of the person; they must have an approved registration in the forum.
	Email  string `json:"email"`
	Office string `json:"office"`
}

// AppointOfficer makes a registered participant the chair or a vice-chair
// of a body. A body has one chair. The forum's secretariat may.
func (s *Service) AppointOfficer(ctx context.Context, sc *forum.Scope, bodySlug string, in OfficerInput) (BodyOfficer, error) {
	a := sc.Actor
	f, b, err := s.bodyForSecretariat(ctx, sc, bodySlug)
	if err != nil {
		return BodyOfficer{}, err
	}
	if !forum.Valid(BodyOffices, in.Office) {
		return BodyOfficer{}, plenary.Invalid("office", "must be chair or vice_chair")
	}
	u, err := s.accounts.UserByEmail(ctx, in.Email)
	if err != nil {
		return BodyOfficer{}, plenary.Invalid("email", "no account with that e-mail address")
	}
	o := BodyOfficer{UserID: u.ID, Name: u.Name, Office: in.Office}
	err = s.kernel.Command(ctx, sc, "participation.AppointOfficer", func(tx *store.Tx, sc *forum.Scope) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM registrations WHERE forum_id = ? AND user_id = ? AND state = ?",
			f.ID, u.ID, forum.RegApproved).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return plenary.Invalid("email", "%s has no approved registration in %s", u.Name, f.Title)
		}
		if in.Office == OfficeChair {
			var chair string
			err := tx.QueryRowContext(ctx, `SELECT u.name FROM body_officers o JOIN users u ON u.id = o.user_id
				WHERE o.body_id = ? AND o.office = ?`, b.ID, OfficeChair).Scan(&chair)
			if err == nil {
				return plenary.Conflict("%s already chairs %s", chair, b.Name)
			}
			if !errors.Is(store.MapErr(err), plenary.ErrNotFound) {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO body_officers (body_id, user_id, office, created_at) VALUES (?, ?, ?, ?)",
			b.ID, u.ID, in.Office, forum.NowUTC().UnixMilli()); err != nil {
			if errors.Is(store.MapErr(err), plenary.ErrConflict) {
				return plenary.Invalid("email", "%s is already an officer of %s", u.Name, b.Name)
			}
			return err
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "body.officer_appointed", ledger.VisPublic, map[string]any{
			"body_id": b.ID, "body": b.Name, "user_id": u.ID, "name": u.Name, "office": in.Office})
		return err
	})
	return o, err
}

// RemoveOfficer ends an officer's appointment. The forum's secretariat may.
func (s *Service) RemoveOfficer(ctx context.Context, sc *forum.Scope, bodySlug, userID string) error {
	a := sc.Actor
	f, b, err := s.bodyForSecretariat(ctx, sc, bodySlug)
	if err != nil {
		return err
	}
	return s.kernel.Command(ctx, sc, "participation.RemoveOfficer", func(tx *store.Tx, sc *forum.Scope) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM body_officers WHERE body_id = ? AND user_id = ?", b.ID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return plenary.NotFound("that person is not an officer of %s", b.Name)
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "body.officer_removed", ledger.VisPublic, map[string]any{
			"body_id": b.ID, "body": b.Name, "user_id": userID})
		return err
	})
}

// SetBodyMembers limits a body to the listed parties (by code); an empty
// list opens it to every participant of the forum. The forum's secretariat
// may.
func (s *Service) SetBodyMembers(ctx context.Context, sc *forum.Scope, bodySlug string, codes []string) (BodyDetail, error) {
	a := sc.Actor
	f, b, err := s.bodyForSecretariat(ctx, sc, bodySlug)
	if err != nil {
		return BodyDetail{}, err
	}
	var ps []Party
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		p, err := s.activeParty(ctx, s.store, sc.Forum, "parties", c)
		if err != nil {
			return BodyDetail{}, err
		}
		ps = append(ps, p)
	}
	err = s.kernel.Command(ctx, sc, "participation.SetBodyMembers", func(tx *store.Tx, sc *forum.Scope) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM body_members WHERE body_id = ?", b.ID); err != nil {
			return err
		}
		list := []string{}
		for _, p := range ps {
			if _, err := tx.ExecContext(ctx, "INSERT INTO body_members (body_id, party_id) VALUES (?, ?)", b.ID, p.ID); err != nil {
				return err
			}
			list = append(list, p.Code)
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "body.membership_changed", ledger.VisPublic, map[string]any{
			"body_id": b.ID, "body": b.Name, "open": len(list) == 0, "parties": list})
		return err
	})
	if err != nil {
		return BodyDetail{}, err
	}
	return s.BodyDetailOf(ctx, sc, b.Slug)
}

func (s *Service) bodyForSecretariat(ctx context.Context, sc *forum.Scope, bodySlug string) (forum.Forum, forum.Body, error) {
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return forum.Forum{}, forum.Body{}, err
	}
	b, err := sc.Body(ctx, bodySlug)
	return f, b, err
}
