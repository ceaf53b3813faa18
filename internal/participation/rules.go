package participation

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// ChoosePreset replaces a forum's rights matrix with one of the presets.
// The forum's secretariat may, before the forum closes.
func (s *Service) ChoosePreset(ctx context.Context, sc *forum.Scope, key string) (forum.RulesChangeResult, error) {
	if _, err := s.rulesForum(ctx, sc); err != nil {
		return forum.RulesChangeResult{}, err
	}
	p, err := forum.CheckPreset("preset", key)
	if err != nil {
		return forum.RulesChangeResult{}, err
	}
	return s.changeMatrix(ctx, sc, forum.PresetChange(p))
}

// ChangeRules changes cells and conditions of a forum's rights matrix. The
// forum's secretariat may, before the forum closes; after the forum opens,
// the change is marked as made during the forum on the public record.
func (s *Service) ChangeRules(ctx context.Context, sc *forum.Scope, in forum.RulesChange) (forum.RulesChangeResult, error) {
	if _, err := s.rulesForum(ctx, sc); err != nil {
		return forum.RulesChangeResult{}, err
	}
	if len(in.Cells) == 0 && len(in.Conditions) == 0 {
		return forum.RulesChangeResult{}, plenary.Invalid("cells", "name at least one cell or condition to change")
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return forum.RulesChangeResult{}, err
	}
	type cell struct {
		key rules.Key
		set rules.ActionSet
	}
	var cells []cell
	for _, c := range in.Cells {
		k := rules.Key{Group: c.Group, Role: rules.Role(c.Role), Mode: rules.Mode(c.Mode)}
		if err := k.Validate(); err != nil {
			return forum.RulesChangeResult{}, err
		}
		if _, ok := groups.Find(c.Group); !ok {
			return forum.RulesChangeResult{}, plenary.Invalid("group", "no stakeholder group %q in this forum", c.Group)
		}
		var set rules.ActionSet
		for _, key := range c.Actions {
			act, err := rules.ParseAction("actions", key)
			if err != nil {
				return forum.RulesChangeResult{}, err
			}
			set = set.With(act)
		}
		cells = append(cells, cell{k, set})
	}
	for _, c := range in.Conditions {
		if _, err := rules.ParseAction("action", c.Action); err != nil {
			return forum.RulesChangeResult{}, err
		}
		if !rules.Condition(c.Condition).Valid() {
			return forum.RulesChangeResult{}, plenary.Invalid("condition", "must be empty or %s", rules.NeedsCredentials)
		}
	}
	return s.changeMatrix(ctx, sc, func(st *forum.ParticipationSettings) (string, error) {
		m := st.Matrix
		var err error
		for _, c := range cells {
			if m, err = m.Set(c.key, c.set); err != nil {
				return "", err
			}
		}
		for _, c := range in.Conditions {
			if m, err = m.SetCondition(rules.Action(c.Action), rules.Condition(c.Condition)); err != nil {
				return "", err
			}
		}
		st.Matrix = m
		return "", nil
	})
}

// rulesForum loads a forum whose rules a may change.
func (s *Service) rulesForum(ctx context.Context, sc *forum.Scope) (forum.Forum, error) {
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return forum.Forum{}, err
	}
	if f.Frozen() {
		return forum.Forum{}, plenary.Conflict("%s is %s: its rules of participation can no longer change", forum.ShortName(f), strings.ToLower(f.StatusLabel()))
	}
	return f, nil
}

// changeMatrix runs one change of the matrix in a transaction: change
// edits the settings and may return a first sentence for the record; the
// rest is the description of the cells and conditions that changed. Nothing
// is written when nothing changed.
func (s *Service) changeMatrix(ctx context.Context, sc *forum.Scope, change func(*forum.ParticipationSettings) (string, error)) (forum.RulesChangeResult, error) {
	a := sc.Actor
	var res forum.RulesChangeResult
	err := s.kernel.Command(ctx, sc, "participation.changeMatrix", func(tx *store.Tx, sc *forum.Scope) error {
		var err error
		res, err = s.kernel.ChangeMatrixTx(ctx, tx, a, sc.Forum, change)
		return err
	})
	return res, err
}

// UpdateParticipationSettings changes whether participants' names are
// public and whether the public may apply for observer status. The forum's
// secretariat may; the change is a public event.
func (s *Service) UpdateParticipationSettings(ctx context.Context, sc *forum.Scope, in forum.SettingsInput) (forum.ParticipationSettings, error) {
	a := sc.Actor
	f := sc.Forum
	var err error
	if err := sc.RequireSecretariat(ctx); err != nil {
		return forum.ParticipationSettings{}, err
	}
	if in.NamesPublic == nil && in.ApplicationsOpen == nil {
		return forum.ParticipationSettings{}, plenary.Invalid("names_public", "give names_public, applications_open or both")
	}
	var st forum.ParticipationSettings
	err = s.kernel.Command(ctx, sc, "participation.UpdateParticipationSettings", func(tx *store.Tx, sc *forum.Scope) error {
		var err error
		if st, err = s.kernel.Settings(ctx, tx, f); err != nil {
			return err
		}
		before := st
		if in.NamesPublic != nil {
			st.NamesPublic = *in.NamesPublic
		}
		if in.ApplicationsOpen != nil {
			st.ApplicationsOpen = *in.ApplicationsOpen
		}
		if before.NamesPublic == st.NamesPublic && before.ApplicationsOpen == st.ApplicationsOpen && before.Chosen {
			return nil
		}
		st.Chosen = true
		if err := forum.SaveSettings(ctx, tx, f, st); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "participation.settings_changed", ledger.VisPublic, map[string]any{
			"forum_id": f.ID, "names_public": st.NamesPublic, "applications_open": st.ApplicationsOpen})
		return err
	})
	return st, err
}

// RulesHistory lists the changes of a forum's rules, oldest first. It is
// public.
func (s *Service) RulesHistory(ctx context.Context, sc *forum.Scope) ([]forum.RulesRecord, error) {
	f := sc.Forum
	rows, err := s.store.QueryContext(ctx, `SELECT seq, at, actor_name, forum_status, preset, lines FROM rules_history
		WHERE forum_id = ? ORDER BY seq`, f.ID)
	return collectRows(rows, err, func(sc rowScanner) (forum.RulesRecord, error) {
		var r forum.RulesRecord
		var at int64
		var lines string
		if err := sc.Scan(&r.Seq, &at, &r.By, &r.ForumStatus, &r.Preset, &lines); err != nil {
			return r, err
		}
		r.At = time.UnixMilli(at).UTC()
		r.DuringForum = r.ForumStatus == forum.StatusOpen
		return r, json.Unmarshal([]byte(lines), &r.Lines)
	})
}

// RulesOf returns a forum's rules of participation, arranged for reading.
// They are public.
func (s *Service) RulesOf(ctx context.Context, sc *forum.Scope) (forum.Rules, error) {
	f := sc.Forum
	st, err := sc.Settings(ctx)
	if err != nil {
		return forum.Rules{}, err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return forum.Rules{}, err
	}
	hist, err := s.RulesHistory(ctx, sc)
	if err != nil {
		return forum.Rules{}, err
	}
	p, _ := rules.PresetByKey(st.Preset)
	return forum.Rules{Forum: f, Settings: st, Preset: p, Modified: !p.Matrix.Equal(st.Matrix), Groups: groups,
		View: st.Matrix.View(groups), History: hist}, nil
}
