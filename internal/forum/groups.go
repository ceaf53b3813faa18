package forum

import (
	"context"
	"slices"

	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// Stakeholder groups are data per forum: every forum starts with
// rules.DefaultGroups(); its secretariat may rename a group (a row with a
// default key) or add one (a row with a new key). Keys never change, since
// the rights matrix, parties and the ledger refer to them.

// Groups reads a forum's stakeholder groups through q; read through the
// store, they are kept until the forum's chain moves.
func (s *Kernel) Groups(ctx context.Context, q store.Querier, forumID string) (rules.Groups, error) {
	if q != store.Querier(s.store) {
		return groupsOf(ctx, q, forumID)
	}
	gs, err := cache.Get(s.cache, configChain(forumID), "groups", func() (rules.Groups, error) { return groupsOf(ctx, q, forumID) })
	return slices.Clone(gs), err
}

func groupsOf(ctx context.Context, q store.Querier, forumID string) (rules.Groups, error) {
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
