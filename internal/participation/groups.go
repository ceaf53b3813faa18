package participation

import (
	"context"
	"errors"
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

// NoRights is the value of NewGroupInput.RightsFrom that starts a new
// group with no rights at all.
const NoRights = "none"

// NewGroupInput is the input of AddGroup: the group, and the rights it
// starts with.
type NewGroupInput struct {
	GroupInput
	// RightsFrom is required: the key of an existing group whose rights
	// (every cell of the rights matrix, in every role and mode) the new
	// group starts with, or "none" for no rights at all, said explicitly.
	RightsFrom string `json:"rights_from"`
}

// AddGroup adds a stakeholder group to a forum, with the rights of an
// existing group or, said explicitly, none: a new group never silently
// gets no rights. The rights copied are a change of the rules, recorded
// with the group in one transaction. The forum's secretariat may; the
// rights of a closed forum cannot change.
func (s *Service) AddGroup(ctx context.Context, sc *forum.Scope, in NewGroupInput) (rules.Group, error) {
	from := strings.TrimSpace(in.RightsFrom)
	switch {
	case from == "":
		// Every problem of the form at once.
		errs := plenary.Errors{plenary.Invalid("rights_from", "say which group's rights the new group starts with, or none")}
		g, err := in.group()
		if err == nil {
			err = g.Validate()
		}
		var es plenary.Errors
		switch {
		case errors.As(err, &es):
			errs = append(es, errs...)
		case err != nil:
			errs = append(plenary.Errors{plenary.AsError(err)}, errs...)
		}
		return rules.Group{}, errs
	case in.Key == NoRights:
		return rules.Group{}, plenary.Invalid("key", "%q means no rights: choose another key", NoRights)
	case from == NoRights:
		from = ""
	default:
		if _, err := s.rulesForum(ctx, sc); err != nil {
			return rules.Group{}, err
		}
	}
	return s.saveGroup(ctx, sc, in.GroupInput, false, from)
}

// RenameGroup changes the names and description of a forum's stakeholder
// group (its key stays). The forum's secretariat may.
func (s *Service) RenameGroup(ctx context.Context, sc *forum.Scope, key string, in GroupInput) (rules.Group, error) {
	in.Key = key
	return s.saveGroup(ctx, sc, in, true, "")
}

// saveGroup adds or renames a group; a new group gets the rights of the
// group rightsFrom ("" for none).
func (s *Service) saveGroup(ctx context.Context, sc *forum.Scope, in GroupInput, rename bool, rightsFrom string) (rules.Group, error) {
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
		case rightsFrom != "":
			if _, ok := gs.Find(rightsFrom); !ok {
				return plenary.Invalid("rights_from", "no stakeholder group %q in this forum", rightsFrom)
			}
			gs = append(gs, g)
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
		} else {
			payload["rights_from"] = rightsFrom
		}
		if _, err = tx.Emit(ctx, f.ID, a.LedgerID(), typ, ledger.VisPublic, payload); err != nil {
			return err
		}
		if rightsFrom == "" {
			return nil
		}
		// The copied cells are a change of the rules like any other: on
		// the record, in the rules' history, described cell by cell.
		_, err = s.kernel.ChangeMatrixTx(ctx, tx, a, f, func(st *forum.ParticipationSettings) (string, error) {
			m := st.Matrix
			var err error
			for _, k := range st.Matrix.Keys() {
				if k.Group != rightsFrom {
					continue
				}
				if m, err = m.Set(rules.Key{Group: g.Key, Role: k.Role, Mode: k.Mode}, st.Matrix.Get(k)); err != nil {
					return "", err
				}
			}
			st.Matrix = m
			return "", nil
		})
		return err
	})
	return g, err
}
