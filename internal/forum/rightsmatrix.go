package forum

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// The rights matrix of a forum is data: a row of participation_settings
// holds the preset it started from and the matrix as JSON. A forum whose
// secretariat has not chosen yet uses the preset matching its kind.
//
// Every change of the matrix (choosing a preset, changing cells or
// conditions) is a public "rules.changed" event whose payload carries the
// changes and their description in words (rules.Changes.Describe), and a
// row of rules_history that the rules page shows. Changes are allowed to the
// secretariat while the forum is preparing and while it is open; a change
// made while the forum is open is marked so on the record and on the rules
// page. A closed forum's rules no longer change.

// PresetForKind is the preset a forum of the given kind uses until its
// secretariat chooses one.
func PresetForKind(kind string) string {
	switch kind {
	case KindTreatyConference:
		return rules.PresetITUTreatyConference
	case KindOpenForum:
		return rules.PresetMultistakeholderEqual
	}
	return rules.PresetITUPolicyForum
}

// ParticipationSettings are a forum's rules of participation and its
// participation settings.
type ParticipationSettings struct {
	// Preset is the key of the preset the matrix started from.
	Preset string `json:"preset"`
	// Chosen is false while the forum uses the default for its kind.
	Chosen bool `json:"chosen"`
	// NamesPublic: the names of registered participants are public; when
	// false only counts are, and the list of names is a restricted
	// document (it needs the right to read restricted documents).
	NamesPublic bool `json:"names_public"`
	// ApplicationsOpen: members of the public may apply for observer status.
	ApplicationsOpen bool         `json:"applications_open"`
	Matrix           rules.Matrix `json:"-"`
}

func defaultSettings(f Forum) ParticipationSettings {
	p, _ := rules.PresetByKey(PresetForKind(f.Kind))
	return ParticipationSettings{Preset: p.Key, Matrix: p.Matrix, ApplicationsOpen: true}
}

// settings reads a forum's participation settings through q (the store, or
// a transaction for a consistent read-modify-write).
// Read through the store, they are kept until the forum's chain moves.
func (s *Kernel) Settings(ctx context.Context, q store.Querier, f Forum) (ParticipationSettings, error) {
	if q != store.Querier(s.store) {
		return settingsOf(ctx, q, f, s.cache)
	}
	return cache.Get(s.cache, configChain(f.ID), "settings", func() (ParticipationSettings, error) { return settingsOf(ctx, q, f, s.cache) })
}

func settingsOf(ctx context.Context, q store.Querier, f Forum, c *cache.Cache) (ParticipationSettings, error) {
	var st ParticipationSettings
	var raw string
	err := q.QueryRowContext(ctx, "SELECT preset, matrix, names_public, applications_open FROM participation_settings WHERE forum_id = ?", f.ID).
		Scan(&st.Preset, &raw, &st.NamesPublic, &st.ApplicationsOpen)
	if errors.Is(err, sql.ErrNoRows) {
		return defaultSettings(f), nil
	}
	if err != nil {
		return st, err
	}
	m, err := decodeMatrix(c, raw)
	if err != nil {
		return st, err
	}
	st.Matrix = m
	st.Chosen = true
	return st, nil
}

// decodeMatrix decodes a stored matrix. Decoding costs far more than
// reading its row, and a Matrix is an immutable value, so each stored text
// is decoded once and kept (by its hash) for as long as the cache has room.
func decodeMatrix(c *cache.Cache, raw string) (rules.Matrix, error) {
	sum := sha256.Sum256([]byte(raw))
	return cache.Get(c, cache.Forever, "matrix|"+hex.EncodeToString(sum[:]), func() (rules.Matrix, error) {
		var m rules.Matrix
		err := json.Unmarshal([]byte(raw), &m)
		return m, err
	})
}

// ParticipationSettings returns a forum's rules and participation settings.
// They are public.
func (s *Kernel) ParticipationSettings(ctx context.Context, sc *Scope) (ParticipationSettings, error) {
	return sc.Settings(ctx)
}

func SaveSettings(ctx context.Context, tx *store.Tx, f Forum, st ParticipationSettings) error {
	raw, err := json.Marshal(st.Matrix)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO participation_settings (forum_id, preset, matrix, names_public, applications_open, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (forum_id) DO UPDATE SET preset = excluded.preset, matrix = excluded.matrix,
		names_public = excluded.names_public, applications_open = excluded.applications_open, updated_at = excluded.updated_at`,
		f.ID, st.Preset, string(raw), st.NamesPublic, st.ApplicationsOpen, NowUTC().UnixMilli())
	return err
}

// RulesChange is the input of ChangeRules: cells to set and conditions to
// change. A cell lists every action it allows after the change.
type RulesChange struct {
	Cells      []CellInput      `json:"cells"`
	Conditions []ConditionInput `json:"conditions"`
}

// CellInput sets one cell of the rights matrix.
type CellInput struct {
	Group   string   `json:"group"`
	Role    string   `json:"role"`
	Mode    string   `json:"mode"`
	Actions []string `json:"actions"`
}

// ConditionInput sets the condition an action carries ("" for none, or
// "credentials_in_order").
type ConditionInput struct {
	Action    string `json:"action"`
	Condition string `json:"condition"`
}

// RulesChangeResult is what a rules command changed: the sentences put on
// the record (empty when nothing changed).
type RulesChangeResult struct {
	Preset  string        `json:"preset"`
	Changes rules.Changes `json:"changes"`
	Lines   []string      `json:"lines"`
}

// presetChange is the change that makes a forum follow preset p.
func PresetChange(p rules.Preset) func(*ParticipationSettings) (string, error) {
	return func(st *ParticipationSettings) (string, error) {
		old := st.Matrix
		st.Matrix = p.Matrix
		lead := ""
		switch {
		case st.Preset != p.Key || !st.Chosen:
			lead = "The rules now follow the preset " + p.Name + "."
		case !old.Equal(p.Matrix):
			lead = "The rules were reset to the preset " + p.Name + "."
		}
		st.Preset = p.Key
		return lead, nil
	}
}

// checkPreset validates a preset key.
func CheckPreset(field, key string) (rules.Preset, error) {
	p, ok := rules.PresetByKey(key)
	if !ok {
		return p, plenary.Invalid(field, "must be one of %s, %s, %s, %s", rules.PresetITUPolicyForum,
			rules.PresetITUTreatyConference, rules.PresetMultistakeholderEqual, rules.PresetIETFRoughConsensus)
	}
	return p, nil
}

// changeMatrixTx applies a change to a forum's rules inside tx, records it
// on the ledger and in the rules history.
func (s *Kernel) ChangeMatrixTx(ctx context.Context, tx *store.Tx, a Actor, f Forum, change func(*ParticipationSettings) (string, error)) (RulesChangeResult, error) {
	var res RulesChangeResult
	err := func() error {
		st, err := s.Settings(ctx, tx, f)
		if err != nil {
			return err
		}
		old := st.Matrix
		lead, err := change(&st)
		if err != nil {
			return err
		}
		groups, err := s.Groups(ctx, tx, f.ID)
		if err != nil {
			return err
		}
		res = RulesChangeResult{Preset: st.Preset, Changes: rules.Diff(old, st.Matrix)}
		res.Lines = res.Changes.Describe(groups)
		if lead != "" {
			res.Lines = append([]string{lead}, res.Lines...)
		}
		if len(res.Lines) == 0 {
			return nil
		}
		st.Chosen = true
		if err := SaveSettings(ctx, tx, f, st); err != nil {
			return err
		}
		preset := ""
		if lead != "" {
			preset = st.Preset
		}
		ev, err := tx.Emit(ctx, f.ID, a.LedgerID(), "rules.changed", ledger.VisPublic, map[string]any{
			"forum_id": f.ID, "preset": preset, "forum_status": f.Status, "during_forum": f.Status == StatusOpen,
			"changes": res.Changes, "lines": res.Lines,
		})
		if err != nil {
			return err
		}
		lines, _ := json.Marshal(res.Lines)
		_, err = tx.ExecContext(ctx, `INSERT INTO rules_history (forum_id, seq, at, actor_name, forum_status, preset, lines)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, ev.Seq, ev.At.UnixMilli(), actorName(a), f.Status, preset, string(lines))
		return err
	}()
	return res, err
}

func actorName(a Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.LedgerID()
}

// SettingsInput is the input of UpdateParticipationSettings; nil fields
// stay as they are.
type SettingsInput struct {
	NamesPublic      *bool `json:"names_public"`
	ApplicationsOpen *bool `json:"applications_open"`
}

// RulesRecord is one change of a forum's rules, for the rules page.
type RulesRecord struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	By          string    `json:"by"`
	ForumStatus string    `json:"forum_status"`
	// DuringForum: the change was made while the forum was open.
	DuringForum bool     `json:"during_forum"`
	Preset      string   `json:"preset,omitempty"`
	Lines       []string `json:"lines"`
}

// Rules is everything the public rules page shows.
type Rules struct {
	Forum    Forum
	Settings ParticipationSettings
	Preset   rules.Preset
	// Modified: the matrix differs from its preset.
	Modified bool
	Groups   rules.Groups
	View     rules.View
	History  []RulesRecord
}
