package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"

	"github.com/plenary-forum/plenary"
)

// Key names one cell of a rights matrix: a stakeholder group, a role and a
// mode.
type Key struct {
	Group string `json:"group"`
	Role  Role   `json:"role"`
	Mode  Mode   `json:"mode"`
}

// Validate checks that the key's group is a well-formed group key and its
// role and mode are defined.
func (k Key) Validate() error {
	if err := validateGroupKey("group", k.Group); err != nil {
		return err
	}
	if !k.Role.Valid() {
		return plenary.Invalid("role", "unknown role %q", k.Role)
	}
	if !k.Mode.Valid() {
		return plenary.Invalid("mode", "unknown mode %q", k.Mode)
	}
	return nil
}

// less orders keys by group key, then role and mode in display order.
func (k Key) less(o Key) bool {
	if k.Group != o.Group {
		return k.Group < o.Group
	}
	if k.Role != o.Role {
		return k.Role.index() < o.Role.index()
	}
	return k.Mode == InRoom && o.Mode == Remote
}

// Matrix is a forum's rights matrix: the actions allowed in each cell
// (group x role x mode), and the conditions some actions carry wherever they
// are allowed. A cell that is not set allows nothing.
//
// A Matrix is an immutable value: the zero value is the empty matrix, copies
// share nothing that can change, and [Matrix.Set] and
// [Matrix.SetCondition] return a new matrix.
type Matrix struct {
	cells map[Key]ActionSet
	conds map[Action]Condition
}

// Get returns the actions allowed in the cell k, before conditions.
func (m Matrix) Get(k Key) ActionSet { return m.cells[k] }

// Set returns a copy of m in which cell k allows exactly the actions of s.
// It fails on an invalid key.
func (m Matrix) Set(k Key, s ActionSet) (Matrix, error) {
	if err := k.Validate(); err != nil {
		return m, err
	}
	out := m.clone()
	out.put(k, s)
	return out, nil
}

// Condition returns the condition action a carries in m.
func (m Matrix) Condition(a Action) Condition { return m.conds[a] }

// SetCondition returns a copy of m in which action a carries condition c.
// It fails on an unknown action or condition.
func (m Matrix) SetCondition(a Action, c Condition) (Matrix, error) {
	if !a.Valid() {
		return m, plenary.Invalid("action", "unknown action %q", a)
	}
	if !c.Valid() {
		return m, plenary.Invalid("condition", "unknown condition %q", c)
	}
	out := m.clone()
	out.putCondition(a, c)
	return out, nil
}

// Conditional returns the actions that carry a condition.
func (m Matrix) Conditional() ActionSet {
	var s ActionSet
	for a, c := range m.conds {
		if c != NoCondition {
			s = s.With(a)
		}
	}
	return s
}

// Keys returns the keys of the cells that allow something, in a fixed order
// (group key, then role and mode in display order).
func (m Matrix) Keys() []Key {
	keys := make([]Key, 0, len(m.cells))
	for k := range m.cells {
		keys = append(keys, k)
	}
	sortKeys(keys)
	return keys
}

func sortKeys(keys []Key) { sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) }) }

// GroupKeys returns the keys of the groups that have at least one non-empty
// cell, sorted.
func (m Matrix) GroupKeys() []string {
	seen := map[string]bool{}
	var out []string
	for k := range m.cells {
		if !seen[k.Group] {
			seen[k.Group] = true
			out = append(out, k.Group)
		}
	}
	sort.Strings(out)
	return out
}

// Equal reports whether m and o allow the same actions in every cell with
// the same conditions.
func (m Matrix) Equal(o Matrix) bool {
	if len(m.cells) != len(o.cells) || len(m.conds) != len(o.conds) {
		return false
	}
	for k, s := range m.cells {
		if o.cells[k] != s {
			return false
		}
	}
	for a, c := range m.conds {
		if o.conds[a] != c {
			return false
		}
	}
	return true
}

func (m Matrix) clone() Matrix {
	out := Matrix{cells: make(map[Key]ActionSet, len(m.cells)+1), conds: make(map[Action]Condition, len(m.conds)+1)}
	for k, s := range m.cells {
		out.cells[k] = s
	}
	for a, c := range m.conds {
		out.conds[a] = c
	}
	return out
}

// put and putCondition mutate; they are only used on a fresh clone.
// Empty cells and absent conditions are not stored, so that Equal and the
// JSON encoding see one representation per matrix.
func (m *Matrix) put(k Key, s ActionSet) {
	s &= allActions
	if s.IsEmpty() {
		delete(m.cells, k)
		return
	}
	m.cells[k] = s
}

func (m *Matrix) putCondition(a Action, c Condition) {
	if c == NoCondition {
		delete(m.conds, a)
		return
	}
	m.conds[a] = c
}

// matrixVersion is the version of the JSON encoding.
const matrixVersion = 1

type jsonCell struct {
	Group   string    `json:"group"`
	Role    Role      `json:"role"`
	Mode    Mode      `json:"mode"`
	Actions ActionSet `json:"actions"`
}

type jsonCondition struct {
	Action    Action    `json:"action"`
	Condition Condition `json:"condition"`
}

type jsonMatrix struct {
	Version    int             `json:"version"`
	Conditions []jsonCondition `json:"conditions"`
	Cells      []jsonCell      `json:"cells"`
}

// MarshalJSON encodes m deterministically: equal matrices give identical
// bytes. Conditions are listed in action display order and cells in key
// order; empty cells are left out.
func (m Matrix) MarshalJSON() ([]byte, error) {
	j := jsonMatrix{Version: matrixVersion, Conditions: []jsonCondition{}, Cells: []jsonCell{}}
	for _, a := range Actions() {
		if c := m.conds[a]; c != NoCondition {
			j.Conditions = append(j.Conditions, jsonCondition{a, c})
		}
	}
	for _, k := range m.Keys() {
		j.Cells = append(j.Cells, jsonCell{k.Group, k.Role, k.Mode, m.cells[k]})
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes a matrix, rejecting unknown fields, versions, keys,
// actions and conditions, and cells or conditions given twice.
func (m *Matrix) UnmarshalJSON(b []byte) error {
	var j jsonMatrix
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		var pe *plenary.Error
		if errors.As(err, &pe) {
			return pe
		}
		return plenary.Invalid("matrix", "the rights matrix is not valid: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return plenary.Invalid("matrix", "the rights matrix has data after its end")
	}
	if j.Version != matrixVersion {
		return plenary.Invalid("version", "unsupported rights matrix version %d", j.Version)
	}
	out := Matrix{cells: map[Key]ActionSet{}, conds: map[Action]Condition{}}
	seenCond := map[Action]bool{}
	for _, c := range j.Conditions {
		if !c.Action.Valid() {
			return plenary.Invalid("conditions", "unknown action %q", c.Action)
		}
		if !c.Condition.Valid() {
			return plenary.Invalid("conditions", "unknown condition %q", c.Condition)
		}
		if seenCond[c.Action] {
			return plenary.Invalid("conditions", "action %q has two conditions", c.Action)
		}
		seenCond[c.Action] = true
		out.putCondition(c.Action, c.Condition)
	}
	seen := map[Key]bool{}
	for _, c := range j.Cells {
		k := Key{c.Group, c.Role, c.Mode}
		if err := k.Validate(); err != nil {
			return err
		}
		if seen[k] {
			return plenary.Invalid("cells", "the cell %s/%s/%s is given twice", k.Group, k.Role, k.Mode)
		}
		seen[k] = true
		out.put(k, c.Actions)
	}
	*m = out
	return nil
}
