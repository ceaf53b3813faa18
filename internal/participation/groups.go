package participation

import (
	"context"
	"strings"
	"unicode/utf8"

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

// group applies the rules of text (forum.CheckLine, forum.CheckText) to the
// input; rules.Group.Validate then checks the group's form.
func (in GroupInput) group() (rules.Group, error) {
	var errs plenary.Errors
	check := func(s string, err error) string {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
		return s
	}
	g := rules.Group{Key: strings.TrimSpace(in.Key)}
	g.Name = check(forum.CheckLine("name", in.Name, rules.MaxGroupName))
	g.Plural = check(forum.CheckLine("plural", in.Plural, rules.MaxGroupName))
	g.Description = strings.TrimSpace(check(forum.CheckText("description", in.Description, utf8.UTFMax*rules.MaxGroupDescription)))
	return g, errs.Err()
}

// AddGroup adds a stakeholder group to a forum. The forum's secretariat
// may. The new group has no rights until the rules give it some.
func (s *Service) AddGroup(ctx context.Context, sc *forum.Scope, in GroupInput) (rules.Group, error) {
	return s.saveGroup(ctx, sc, in, false)
}

// RenameGroup changes the names and description of a forum's stakeholder
// group (its key stays). The forum's secretariat may.
func (s *Service) RenameGroup(ctx context.Context, sc *forum.Scope, key string, in GroupInput) (rules.Group, error) {
	in.Key = key
	return s.saveGroup(ctx, sc, in, true)
}

func (s *Service) saveGroup(ctx context.Context, sc *forum.Scope, in GroupInput, rename bool) (rules.Group, error) {
	a := sc.Actor
	f := sc.Forum
	var err error
	if err := sc.RequireSecretariat(ctx); err != nil {
		return rules.Group{}, err
	}
	g, err := in.group()
	if err != nil {
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
