package forum

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// Stakeholder groups are data per forum: every forum starts with
// rules.DefaultGroups(); its secretariat may rename a group (a row with a
// default key) or add one (a row with a new key). Keys never change, since
// the rights matrix, parties and the ledger refer to them.

// StakeholderGroups returns a forum's stakeholder groups in display order.
// They are public.
func (s *Service) StakeholderGroups(ctx context.Context, f Forum) (rules.Groups, error) {
	return s.groups(ctx, s.store, f.ID)
}

func (s *Service) groups(ctx context.Context, q store.Querier, forumID string) (rules.Groups, error) {
	gs := rules.DefaultGroups()
	rows, err := q.QueryContext(ctx, `SELECT group_key, name, plural, description FROM stakeholder_groups
		WHERE forum_id = ? ORDER BY position, group_key`, forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g rules.Group
		if err := rows.Scan(&g.Key, &g.Name, &g.Plural, &g.Description); err != nil {
			return nil, err
		}
		replaced := false
		for i := range gs {
			if gs[i].Key == g.Key {
				gs[i], replaced = g, true
			}
		}
		if !replaced {
			gs = append(gs, g)
		}
	}
	return gs, rows.Err()
}

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
func (s *Service) AddGroup(ctx context.Context, a Actor, slug string, in GroupInput) (rules.Group, error) {
	return s.saveGroup(ctx, a, slug, in.group(), false)
}

// RenameGroup changes the names and description of a forum's stakeholder
// group (its key stays). The forum's secretariat may.
func (s *Service) RenameGroup(ctx context.Context, a Actor, slug, key string, in GroupInput) (rules.Group, error) {
	in.Key = key
	return s.saveGroup(ctx, a, slug, in.group(), true)
}

func (s *Service) saveGroup(ctx context.Context, a Actor, slug string, g rules.Group, rename bool) (rules.Group, error) {
	f, err := s.ForumBySlug(ctx, slug)
	if err != nil {
		return rules.Group{}, err
	}
	if err := s.requireSecretariat(ctx, a, f); err != nil {
		return rules.Group{}, err
	}
	if err := g.Validate(); err != nil {
		return rules.Group{}, err
	}
	err = s.write(ctx, func(tx *store.Tx) error {
		gs, err := s.groups(ctx, tx, f.ID)
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
			description = excluded.description`, f.ID, g.Key, g.Name, g.Plural, g.Description, position, nowUTC().UnixMilli()); err != nil {
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
