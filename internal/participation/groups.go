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

// GroupInput is the input of AddGroup and RenameGroup.
type GroupInput struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Plural      string `json:"plural"`
	Description string `json:"description"`
}

func (in GroupInput) group() rules.Group {
	return rules.Group{Key: strings.TrimSpace(in.Key), Name: strings.TrimSpace(in.Name), Plural: strings.TrimSpace(in.Plural),
		Description: strings.TrimSpace(in.Description)}
}

// AddGroup adds a stakeholder group to a forum. The forum's secretariat
// may. The new group has no rights until the rules give it some.
func (s *Service) AddGroup(ctx context.Context, sc *forum.Scope, in GroupInput) (rules.Group, error) {
	return s.saveGroup(ctx, sc, in.group(), false)
}

// RenameGroup changes the names and description of a forum's stakeholder
// group (its key stays). The forum's secretariat may.
func (s *Service) RenameGroup(ctx context.Context, sc *forum.Scope, key string, in GroupInput) (rules.Group, error) {
	in.Key = key
	return s.saveGroup(ctx, sc, in.group(), true)
}

func (s *Service) saveGroup(ctx context.Context, sc *forum.Scope, g rules.Group, rename bool) (rules.Group, error) {
	a := sc.Actor
	f := sc.Forum
	var err error
	if err := sc.RequireSecretariat(ctx); err != nil {
		return rules.Group{}, err
	}
	if err := g.Validate(); err != nil {
		return rules.Group{}, err
	}
	err = s.kernel.Command(ctx, sc, "participation.saveGroup", func(tx *store.Tx, sc *forum.Scope) error {
		gs, err := s.kernel.Groups(ctx, tx, f.ID)
		if err != nil {
			return err
		}
		old, exists := gs.Find(g.Key)
		position := len(gs)
		switch {
		case rename && !exists:
			return plenary.NotFound("no stakeholder group %q in this forum", g.Key)
		case !rename && exists:
			return plenary.Invalid("key", "the group %q exists already", g.Key)
		case rename:
			for i := range gs {
				if gs[i].Key == g.Key {
					gs[i], position = g, i
				}
			}
		default:
			gs = append(gs, g)
		}
		if err := gs.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stakeholder_groups (forum_id, group_key, name, plural, description, position, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (forum_id, group_key) DO UPDATE SET name = excluded.name, plural = excluded.plural,
			description = excluded.description`, f.ID, g.Key, g.Name, g.Plural, g.Description, position, forum.NowUTC().UnixMilli()); err != nil {
			return err
		}
		typ, payload := "group.added", map[string]any{"forum_id": f.ID, "group": g}
		if rename {
			typ = "group.renamed"
			payload["old_name"] = old.Name
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), typ, ledger.VisPublic, payload)
		return err
	})
	return g, err
}
