package participation

import (
	"context"
	"errors"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// A party entered wrongly is corrected, a duplicate is merged into the
// party that is kept, and a party that leaves the forum is withdrawn: each
// is a command of the secretariat on the public record, with its reason.
// Nothing is deleted: a withdrawn or merged party keeps its row and code.

// PartyChange is the input of UpdateParty: the fields to change (a field
// left out stays as it is) and why.
type PartyChange struct {
	Code *string `json:"code,omitempty"`
	// Name cannot change for a Member State, whose name is its official one.
	Name  *string `json:"name,omitempty"`
	Kind  *string `json:"kind,omitempty"`
	Group *string `json:"group,omitempty"`
	// Country sets the ISO codes (and, for a State, the code, the ITU code
	// and the name) from an ISO 3166 code or a country's name.
	Country    *string `json:"country,omitempty"`
	ISO2       *string `json:"iso2,omitempty"`
	ISO3       *string `json:"iso3,omitempty"`
	ITUCode    *string `json:"itu_code,omitempty"`
	Region     *string `json:"region,omitempty"`
	Member2012 *bool   `json:"member_2012,omitempty"`
	MemberNow  *bool   `json:"member_now,omitempty"`
	// Reason is optional; it goes on the record.
	Reason string `json:"reason"`
}

func (c PartyChange) empty() bool {
	return c.Code == nil && c.Name == nil && c.Kind == nil && c.Group == nil && c.Country == nil && c.ISO2 == nil &&
		c.ISO3 == nil && c.ITUCode == nil && c.Region == nil && c.Member2012 == nil && c.MemberNow == nil
}

// FieldChange is one field of a party before and after a change, on the record.
type FieldChange struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// secretariatCapacity is how a registration decided by the secretariat
// says who decided.
var secretariatCapacity = forum.Capacity{Role: string(rules.RoleSecretariat)}.Describe()

// checkReason checks a reason given for the record: required or not.
func checkReason(reason string, required bool) (string, error) {
	reason, err := checkChars("reason", reason, 1000)
	if err == nil && required && reason == "" {
		err = plenary.Invalid("reason", "is required: say why, for the record")
	}
	return reason, err
}

// UpdateParty corrects a party: its code, name, kind, group, country and
// ITU membership. A Member State's name is its official one and follows
// its country. A withdrawn or merged party is kept as it was. The change
// is a public event with the fields before and after; nothing is recorded
// when nothing changes. The forum's secretariat may.
func (s *Service) UpdateParty(ctx context.Context, sc *forum.Scope, code string, ch PartyChange) (Party, error) {
	a, f := sc.Actor, sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Party{}, err
	}
	if ch.empty() {
		return Party{}, plenary.Invalid("name", "give at least one field to change")
	}
	reason, err := checkReason(ch.Reason, false)
	if err != nil {
		return Party{}, err
	}
	var p Party
	err = s.kernel.Command(ctx, sc, "participation.UpdateParty", func(tx *store.Tx, sc *forum.Scope) error {
		old, err := s.lockParty(ctx, tx, f, code)
		if err != nil {
			return err
		}
		if !old.Active() {
			return plenary.Conflict("%s is %s: it is kept for the record as it was", old.Code, strings.ToLower(old.StatusLabel()))
		}
		in := PartyInput{Code: old.Code, Name: old.Name, Kind: old.Kind, Group: old.Group, ISO2: old.ISO2, ISO3: old.ISO3,
			ITUCode: old.ITUCode, Region: old.Region, Member2012: old.Member2012, MemberNow: old.MemberNow}
		set := func(to *string, v *string) {
			if v != nil {
				*to = *v
			}
		}
		if ch.Country != nil {
			// A new country replaces the codes that came from the old one.
			in.Country = *ch.Country
			in.ISO2, in.ISO3 = "", ""
			if old.IsMemberState() {
				in.ITUCode = ""
				if ch.Code == nil {
					in.Code = ""
				}
			}
		}
		set(&in.Code, ch.Code)
		set(&in.Name, ch.Name)
		set(&in.Kind, ch.Kind)
		set(&in.Group, ch.Group)
		set(&in.ISO2, ch.ISO2)
		set(&in.ISO3, ch.ISO3)
		set(&in.ITUCode, ch.ITUCode)
		set(&in.Region, ch.Region)
		if ch.Member2012 != nil {
			in.Member2012 = *ch.Member2012
		}
		if ch.MemberNow != nil {
			in.MemberNow = *ch.MemberNow
		}
		asked := in.Name
		groups, err := s.kernel.Groups(ctx, tx, f.ID)
		if err != nil {
			return err
		}
		errs, _ := in.validate(groups)
		if err := errs.Err(); err != nil {
			return err
		}
		if in.Kind == KindMemberState && ch.Name != nil && strings.TrimSpace(asked) != in.Name {
			return plenary.Invalid("name", "a Member State's name is its official name, %s; change its country to change it", in.Name)
		}
		if in.Code != old.Code {
			taken, err := s.Party(ctx, tx, f, in.Code)
			switch {
			case err == nil:
				return plenary.Invalid("code", "%s is the code of %s", in.Code, taken.Name)
			case plenary.ErrorCode(err) != plenary.CodeNotFound:
				return err
			}
		}
		changes := map[string]FieldChange{}
		diff := func(field string, from, to any) {
			if from != to {
				changes[field] = FieldChange{from, to}
			}
		}
		diff("code", old.Code, in.Code)
		diff("name", old.Name, in.Name)
		diff("kind", old.Kind, in.Kind)
		diff("group", old.Group, in.Group)
		diff("iso2", old.ISO2, in.ISO2)
		diff("iso3", old.ISO3, in.ISO3)
		diff("itu_code", old.ITUCode, in.ITUCode)
		diff("region", old.Region, in.Region)
		diff("member_2012", old.Member2012, in.Member2012)
		diff("member_now", old.MemberNow, in.MemberNow)
		if len(changes) == 0 {
			p = old
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE parties SET code = ?, name = ?, kind = ?, group_key = ?, iso2 = ?, iso3 = ?, itu_code = ?,
			region = ?, member_2012 = ?, member_now = ? WHERE id = ?`, in.Code, in.Name, in.Kind, in.Group, in.ISO2, in.ISO3, in.ITUCode,
			in.Region, in.Member2012, in.MemberNow, old.ID); err != nil {
			if errors.Is(store.MapErr(err), plenary.ErrConflict) {
				return plenary.Invalid("code", "%s is the code of another party", in.Code)
			}
			return err
		}
		if p, err = s.Party(ctx, tx, f, old.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "party.updated", ledger.VisPublic, map[string]any{
			"party_id": p.ID, "code": p.Code, "name": p.Name, "changes": changes, "reason": reason})
		return err
	})
	if err != nil {
		return Party{}, err
	}
	return p, nil
}

// lockParty locks a party's row for a command that changes it and returns it.
func (s *Service) lockParty(ctx context.Context, tx *store.Tx, f forum.Forum, ref string) (Party, error) {
	ref = strings.TrimSpace(ref)
	if _, err := tx.ExecContext(ctx, "UPDATE parties SET status = status WHERE forum_id = ? AND (code = ? OR id = ?)",
		f.ID, strings.ToUpper(ref), ref); err != nil {
		return Party{}, err
	}
	return s.Party(ctx, tx, f, ref)
}

// WithdrawParty withdraws a party from a forum, with a reason on the
// public record: its open registrations are withdrawn with it (its people
// lose their standing), and it can no longer be registered for, appointed
// focal points or named as a proposer. It is kept, with its code, for the
// record. The forum's secretariat may.
func (s *Service) WithdrawParty(ctx context.Context, sc *forum.Scope, code, reason string) (Party, error) {
	a, f := sc.Actor, sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Party{}, err
	}
	reason, err := checkReason(reason, true)
	if err != nil {
		return Party{}, err
	}
	var p Party
	err = s.kernel.Command(ctx, sc, "participation.WithdrawParty", func(tx *store.Tx, sc *forum.Scope) error {
		var err error
		if p, err = s.lockParty(ctx, tx, f, code); err != nil {
			return err
		}
		if !p.Active() {
			return plenary.Conflict("%s is already %s", p.Code, strings.ToLower(p.StatusLabel()))
		}
		now := forum.NowUTC()
		if _, err := tx.ExecContext(ctx, "UPDATE parties SET status = ?, status_reason = ?, status_at = ? WHERE id = ?",
			PartyWithdrawn, reason, now.UnixMilli(), p.ID); err != nil {
			return err
		}
		p.Status, p.StatusReason, p.StatusAt = PartyWithdrawn, reason, &now
		open, err := s.registrations(ctx, tx, "WHERE r.party_id = ? AND r.state IN (?, ?) ORDER BY r.created_at, r.id",
			p.ID, forum.RegPending, forum.RegApproved)
		if err != nil {
			return err
		}
		var left []Registration
		ids := []string{}
		for _, r := range open {
			was := r.State
			r.State, r.Reason, r.DecidedBy, r.DecidedAs, r.DecidedAt, r.UpdatedAt = forum.RegWithdrawn, "withdrawn with the party: "+reason, a.Name,
				secretariatCapacity, &now, now
			if _, err := tx.ExecContext(ctx, `UPDATE registrations SET state = ?, reason = ?, decided_by = ?, decided_as = ?, decided_at = ?,
				updated_at = ? WHERE id = ?`, r.State, r.Reason, a.UserID, r.DecidedAs, now.UnixMilli(), now.UnixMilli(), r.ID); err != nil {
				return err
			}
			if err := s.emitRegistration(ctx, tx, f, a, "registration.withdrawn", r); err != nil {
				return err
			}
			if was == forum.RegApproved {
				left = append(left, r)
			}
			ids = append(ids, r.ID)
		}
		if err := s.emitParticipantsChanged(ctx, tx, f, a, "left", left); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "party.withdrawn", ledger.VisPublic, map[string]any{
			"party_id": p.ID, "code": p.Code, "name": p.Name, "reason": reason, "registrations_withdrawn": ids})
		return err
	})
	if err != nil {
		return Party{}, err
	}
	return p, nil
}

// MergeInput is the input of MergeParties: the party kept, and why.
type MergeInput struct {
	// Into is the code of the party that is kept.
	Into   string `json:"into"`
	Reason string `json:"reason"`
}

// MergeHook moves onto the party kept what an aggregate built on
// participation holds of a duplicate being merged (documents their source
// parties, drafting its proposals), inside the merge's transaction. It
// returns what it moved and how many, for the record.
type MergeHook func(ctx context.Context, tx *store.Tx, f forum.Forum, from, into Party) (what string, n int, err error)

// OnMerge registers a hook MergeParties runs.
func (s *Service) OnMerge(h MergeHook) { s.onMerge = append(s.onMerge, h) }

// MergeParties merges a duplicate party into the party that is kept, in one
// transaction: the duplicate's registrations (a person registered for both
// in the same role keeps the registration of the party kept), focal
// points, body memberships and proxies held, and what other aggregates hold
// of it (document sources, proposals and co-sponsorships), move to the
// party kept; the duplicate is marked merged and kept for the record, with
// its code. A public event names both and counts what moved. The forum's
// secretariat may.
func (s *Service) MergeParties(ctx context.Context, sc *forum.Scope, code string, in MergeInput) (Party, error) {
	a, f := sc.Actor, sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Party{}, err
	}
	var errs plenary.Errors
	into := strings.TrimSpace(in.Into)
	if into == "" {
		errs = append(errs, plenary.Invalid("into", "name the party to keep, by its code"))
	}
	reason, err := checkReason(in.Reason, true)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if err := errs.Err(); err != nil {
		return Party{}, err
	}
	var keep Party
	err = s.kernel.Command(ctx, sc, "participation.MergeParties", func(tx *store.Tx, sc *forum.Scope) error {
		dup, err := s.lockParty(ctx, tx, f, code)
		if err != nil {
			return err
		}
		if !dup.Active() {
			return plenary.Conflict("%s is already %s", dup.Code, strings.ToLower(dup.StatusLabel()))
		}
		if _, err := s.lockParty(ctx, tx, f, into); plenary.ErrorCode(err) == plenary.CodeNotFound {
			return plenary.Invalid("into", "no party %q in this forum", into)
		} else if err != nil {
			return err
		}
		if keep, err = s.activeParty(ctx, tx, f, "into", into); err != nil {
			return err
		}
		if keep.ID == dup.ID {
			return plenary.Invalid("into", "a party cannot be merged into itself")
		}
		if keep.proxyID == dup.ID {
			return plenary.Invalid("into", "%s has transferred its powers to %s: record its credentials first", keep.Code, dup.Code)
		}
		moved := map[string]int{}
		if moved["registrations"], moved["registrations_withdrawn"], err = s.mergeRegistrations(ctx, tx, f, a, dup, keep); err != nil {
			return err
		}
		for _, t := range []struct{ what, table, col string }{
			{"focal_points", "focal_points", "user_id"}, {"body_memberships", "body_members", "body_id"}} {
			if moved[t.what], err = moveRows(ctx, tx, t.table, t.col, dup.ID, keep.ID); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, "UPDATE parties SET credentials_proxy = ? WHERE forum_id = ? AND credentials_proxy = ? AND id <> ?",
			keep.ID, f.ID, dup.ID, keep.ID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		moved["proxies"] = int(n)
		for _, h := range s.onMerge {
			what, n, err := h(ctx, tx, f, dup, keep)
			if err != nil {
				return err
			}
			moved[what] += n
		}
		now := forum.NowUTC()
		if _, err := tx.ExecContext(ctx, "UPDATE parties SET status = ?, merged_into = ?, status_reason = ?, status_at = ? WHERE id = ?",
			PartyMerged, keep.ID, reason, now.UnixMilli(), dup.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "party.merged", ledger.VisPublic, map[string]any{
			"party_id": dup.ID, "code": dup.Code, "name": dup.Name, "into_id": keep.ID, "into": keep.Code, "into_name": keep.Name,
			"reason": reason, "moved": moved})
		return err
	})
	if err != nil {
		return Party{}, err
	}
	return keep, nil
}

// mergeRegistrations moves the registrations of dup to keep; the open ones
// of a person who holds an open registration of keep in the same role are
// withdrawn first (one person, one registration per party and role). It
// counts those moved as they were, and those withdrawn.
func (s *Service) mergeRegistrations(ctx context.Context, tx *store.Tx, f forum.Forum, a forum.Actor, dup, keep Party) (moved, withdrawn int, err error) {
	regs, err := s.registrations(ctx, tx, "WHERE r.party_id = ? ORDER BY r.created_at, r.id", dup.ID)
	if err != nil {
		return 0, 0, err
	}
	kept, err := s.registrations(ctx, tx, "WHERE r.party_id = ? AND r.state IN (?, ?)", keep.ID, forum.RegPending, forum.RegApproved)
	if err != nil {
		return 0, 0, err
	}
	held := map[string]bool{}
	for _, r := range kept {
		held[r.UserID+"\x00"+string(r.Role)] = true
	}
	now := forum.NowUTC()
	var left []Registration
	for _, r := range regs {
		if r.Open() && held[r.UserID+"\x00"+string(r.Role)] {
			was := r.State
			r.State, r.Reason, r.DecidedBy, r.DecidedAs, r.DecidedAt, r.UpdatedAt = forum.RegWithdrawn,
				"a duplicate of the registration for "+keep.Name+", after "+dup.Code+" was merged into "+keep.Code, a.Name,
				secretariatCapacity, &now, now
			if _, err := tx.ExecContext(ctx, `UPDATE registrations SET state = ?, reason = ?, decided_by = ?, decided_as = ?, decided_at = ?,
				updated_at = ? WHERE id = ?`, r.State, r.Reason, a.UserID, r.DecidedAs, now.UnixMilli(), now.UnixMilli(), r.ID); err != nil {
				return 0, 0, err
			}
			if err := s.emitRegistration(ctx, tx, f, a, "registration.withdrawn", r); err != nil {
				return 0, 0, err
			}
			if was == forum.RegApproved {
				left = append(left, r)
			}
			withdrawn++
		} else {
			if r.Open() {
				held[r.UserID+"\x00"+string(r.Role)] = true
			}
			moved++
		}
		if _, err := tx.ExecContext(ctx, "UPDATE registrations SET party_id = ?, updated_at = ? WHERE id = ?", keep.ID, now.UnixMilli(), r.ID); err != nil {
			return 0, 0, err
		}
	}
	return moved, withdrawn, s.emitParticipantsChanged(ctx, tx, f, a, "left", left)
}

// moveRows moves the rows of table from party from to party into, where
// col (the other half of the table's key) has none for into yet, and
// drops the rest; it returns how many rows from had.
func moveRows(ctx context.Context, tx *store.Tx, table, col, from, into string) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE party_id = ?", from).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET party_id = ? WHERE party_id = ? AND "+col+" NOT IN (SELECT "+col+
		" FROM "+table+" WHERE party_id = ?)", into, from, into); err != nil {
		return 0, err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE party_id = ?", from)
	return n, err
}
