package forum

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/rules"
)

// Capacity is the standing in which an actor takes an action in a forum:
// the registration it acts under, for which party, in which role and mode.
// The site secretariat acting without a registration has Role
// "secretariat" and no registration; a party's focal point approving its
// registrations has Role "focal_point"; anyone reading public documents
// without a registration that allows it has Role "public".
type Capacity struct {
	RegistrationID string `json:"registration_id,omitempty"`
	PartyID        string `json:"party_id,omitempty"`
	PartyName      string `json:"party_name,omitempty"`
	PartyCode      string `json:"party_code,omitempty"` // short code for proposal ids (ISO alpha-3 for states)
	Group          string `json:"group,omitempty"`
	Role           string `json:"role"`
	Mode           string `json:"mode,omitempty"`
}

// Authorize is the one gate of every command inside a forum: it checks
// that a may take action in forum f, acting for party (a party's id or
// code; empty: in any capacity it holds), against the forum's rights
// matrix, and returns the capacity it acts in. A denial is the rules
// package's message naming the missing right ("Sector Members may not vote
// in WCIT-12").
//
// The actor's approved registrations in the forum are tried in the order
// they were made: for party, only those for that party. Each becomes a
// rules.Subject (the party's stakeholder group, or the registration's own
// group when it has no party; its role and mode; the credentials of the
// party's delegation; a guest's grants) and the first the matrix allows
// is the capacity. Then:
//
//   - to approve a party's registrations, its focal points are authorized;
//   - the site secretariat (Actor.Admin) is checked as the secretariat
//     office in the room, which acts for no party except to approve
//     registrations (so does a registration in the secretariat role);
//   - anyone may read public documents.
//
// When nothing allows the action, the denial of the first registration
// tried is returned, or, for someone not registered, a denial saying so.
// Anonymous actors may only read public documents.
func (s *Service) Authorize(ctx context.Context, a Actor, f Forum, action rules.Action, party string) (Capacity, error) {
	if !action.Valid() {
		return Capacity{}, plenary.Invalid("action", "unknown action %q", action)
	}
	if !a.LoggedIn() {
		if action == rules.ReadPublic {
			return Capacity{Role: "public"}, nil
		}
		return Capacity{}, plenary.Unauthorized("log in first")
	}
	st, err := s.settings(ctx, s.store, f)
	if err != nil {
		return Capacity{}, err
	}
	groups, err := s.groups(ctx, s.store, f.ID)
	if err != nil {
		return Capacity{}, err
	}
	regs, err := s.standings(ctx, a.UserID, f.ID)
	if err != nil {
		return Capacity{}, err
	}
	var target Party
	if party != "" {
		if target, err = s.party(ctx, s.store, f, party); err != nil {
			return Capacity{}, err
		}
	}
	name := shortName(f)
	var first error
	for _, r := range regs {
		if party != "" && r.partyID != target.ID &&
			!(action == rules.ApproveRegistrations && r.partyID == "" && r.role == rules.RoleSecretariat) {
			continue
		}
		sub := rules.Subject{Forum: name, Group: groups.Lookup(r.group), Role: r.role, Mode: r.mode,
			Credentials: r.credentials, Grants: r.grants}
		err := st.Matrix.Check(sub, action)
		if err == nil {
			return Capacity{RegistrationID: r.id, PartyID: r.partyID, PartyName: r.partyName, PartyCode: r.partyCode,
				Group: r.group, Role: string(r.role), Mode: string(r.mode)}, nil
		}
		if first == nil {
			first = err
		}
	}
	if party != "" && action == rules.ApproveRegistrations {
		fp, err := s.isFocalPoint(ctx, a.UserID, target.ID)
		if err != nil {
			return Capacity{}, err
		}
		if fp {
			return Capacity{PartyID: target.ID, PartyName: target.Name, PartyCode: target.Code, Group: target.Group, Role: "focal_point"}, nil
		}
	}
	if a.Admin && (party == "" || action == rules.ApproveRegistrations) {
		sub := rules.Subject{Forum: name, Group: groups.Lookup(rules.GroupSecretariat), Role: rules.RoleSecretariat, Mode: rules.InRoom}
		err := st.Matrix.Check(sub, action)
		if err == nil {
			return Capacity{Group: rules.GroupSecretariat, Role: string(rules.RoleSecretariat), Mode: string(rules.InRoom)}, nil
		}
		if first == nil {
			first = err
		}
	}
	switch {
	case action == rules.ReadPublic:
		return Capacity{Role: "public"}, nil
	case first != nil:
		return Capacity{}, first
	case party != "":
		return Capacity{}, plenary.Forbidden("you are not registered for %s in %s", target.Name, name)
	}
	return Capacity{}, plenary.Forbidden("you are not registered in %s", name)
}

// shortName is the forum's name in messages: its title up to a colon
// ("WCIT-12" of "WCIT-12: World Conference on International
// Telecommunications"), or the whole title.
func shortName(f Forum) string {
	if i := strings.Index(f.Title, ":"); i > 0 && i <= 40 {
		return strings.TrimSpace(f.Title[:i])
	}
	return f.Title
}

// standing is one approved registration of an actor, with what a
// rules.Subject needs.
type standing struct {
	id, partyID, partyCode, partyName, group string
	role                                     rules.Role
	mode                                     rules.Mode
	credentials                              rules.Credentials
	grants                                   rules.ActionSet
}

// standings returns the actor's approved registrations in a forum, oldest
// first.
func (s *Service) standings(ctx context.Context, userID, forumID string) ([]standing, error) {
	rows, err := s.store.QueryContext(ctx, `SELECT r.id, COALESCE(r.party_id, ''), COALESCE(p.code, ''), COALESCE(p.name, ''),
		COALESCE(p.group_key, r.group_key), r.role, r.mode, COALESCE(p.credentials, ''), r.grants
		FROM registrations r LEFT JOIN parties p ON p.id = r.party_id
		WHERE r.user_id = ? AND r.forum_id = ? AND r.state = ? ORDER BY r.created_at, r.id`, userID, forumID, RegApproved)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []standing
	for rows.Next() {
		var r standing
		var grants string
		if err := rows.Scan(&r.id, &r.partyID, &r.partyCode, &r.partyName, &r.group, &r.role, &r.mode, &r.credentials, &grants); err != nil {
			return nil, err
		}
		r.grants = parseGrants(grants)
		out = append(out, r)
	}
	return out, rows.Err()
}

// fillViewer adds the actor's standing in the forum from its approved
// registrations: any makes it a member; one in the secretariat role makes
// it the forum's secretariat; each party it is registered for adds that
// party's visibility.
func (s *Service) fillViewer(ctx context.Context, v *Viewer) error {
	regs, err := s.standings(ctx, v.Actor.UserID, v.ForumID)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, r := range regs {
		v.Member = true
		if r.role == rules.RoleSecretariat {
			v.Secretariat = true
		}
		if r.partyID != "" && !seen[r.partyID] {
			seen[r.partyID] = true
			v.Parties = append(v.Parties, r.partyID)
		}
	}
	return nil
}

func forbiddenSecretariat(f Forum) error {
	return plenary.Forbidden("only the secretariat of %s may do this", f.Title)
}
