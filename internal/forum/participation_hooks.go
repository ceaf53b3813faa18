package forum

import (
	"context"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/rules"
)

// Capacity is the standing in which an actor takes an action in a forum:
// the registration it acts under, for which party, in which role and mode.
// The site secretariat acting without a registration has Role
// "secretariat" and no registration.
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
// that a may take action in forum f, acting for party (empty: any party it
// is registered for), against the forum's rights matrix, and returns the
// capacity it acts in. A denial names the missing right.
//
// Until registrations exist, only the site secretariat is authorized.
func (s *Service) Authorize(ctx context.Context, a Actor, f Forum, action rules.Action, party string) (Capacity, error) {
	if !a.LoggedIn() {
		if action == rules.ReadPublic {
			return Capacity{Role: "public"}, nil
		}
		return Capacity{}, plenary.Unauthorized("log in first")
	}
	if a.Admin {
		return Capacity{Role: string(rules.RoleSecretariat)}, nil
	}
	return Capacity{}, plenary.Forbidden("you are not registered in %s", f.Title)
}

// fillViewer adds the actor's standing in the forum from its registrations.
// Until registrations exist, only the site secretariat sees beyond public.
func (s *Service) fillViewer(ctx context.Context, v *Viewer) error {
	_ = ctx
	_ = v
	return nil
}

func forbiddenSecretariat(f Forum) error {
	return plenary.Forbidden("only the secretariat of %s may do this", f.Title)
}
