package forum

import (
	"encoding/json"
	"strings"

	"github.com/plenary-forum/plenary/internal/ledger"
)

// Viewer is what one actor may see in one forum: it decides which ledger
// events, documents and registrations are shown, on every channel (pages,
// the activity list, the Record page, live streams, the ledger export).
// It is made in one place, Scope.Viewer.
type Viewer struct {
	Actor   Actor
	ForumID string
	// Secretariat: the site secretariat, or a registration with the
	// secretariat role in this forum.
	Secretariat bool
	// Member: may read what is restricted to the forum's members: an
	// approved registration whose rights, under the forum's rules, include
	// reading restricted documents. A registration alone is not enough (an
	// observer, or a guest invited with no rights, may have none).
	Member bool
	// Parties the actor is registered for (approved), by id.
	Parties []string
}

// CanSee reports whether the viewer may see something of the given
// visibility ("public", "members", "party:<id>", "secretariat").
func (v Viewer) CanSee(visibility string) bool {
	switch visibility {
	case ledger.VisPublic:
		return true
	case ledger.VisMembers:
		return v.Member || v.Secretariat
	case ledger.VisSecretariat:
		return v.Secretariat
	}
	if p, ok := ledger.PartyOf(visibility); ok {
		if v.Secretariat {
			return true
		}
		for _, q := range v.Parties {
			if q == p {
				return true
			}
		}
	}
	return false
}

// Visibilities lists the visibility values the viewer may see, for SQL
// filters.
func (v Viewer) Visibilities() []string {
	vs := []string{ledger.VisPublic}
	if v.Member || v.Secretariat {
		vs = append(vs, ledger.VisMembers)
	}
	if v.Secretariat {
		vs = append(vs, ledger.VisSecretariat)
	}
	for _, p := range v.Parties {
		vs = append(vs, ledger.VisParty(p))
	}
	return vs
}

// ChangesViewer reports whether ev, an event on a forum's chain, may change
// what the user sees in that forum: a step of one of their registrations
// ("registration.*", whose payload names the user), which is how standings
// change. An event of that type whose payload cannot be read counts.
func ChangesViewer(ev ledger.Event, userID string) bool {
	if userID == "" || !strings.HasPrefix(ev.Type, "registration.") {
		return false
	}
	var p struct {
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return true
	}
	return p.UserID == userID
}
