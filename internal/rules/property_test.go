package rules

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/plenary-forum/plenary"
)

// model is an independent statement of a random matrix, built alongside it:
// plain maps that the property tests treat as the truth.
type model struct {
	cells map[Key]map[Action]bool
	conds map[Action]bool
}

var propertyGroups = func() []string {
	var out []string
	for _, g := range DefaultGroups() {
		out = append(out, g.Key)
	}
	return append(out, "regional_body", "youth")
}()

func randomActions(r *rand.Rand) []Action {
	var out []Action
	for _, a := range Actions() {
		if r.IntN(3) == 0 {
			out = append(out, a)
		}
	}
	return out
}

func randomKey(r *rand.Rand) Key {
	return Key{propertyGroups[r.IntN(len(propertyGroups))], Roles()[r.IntN(len(Roles()))], Modes()[r.IntN(2)]}
}

// randomMatrix builds a matrix by random Set and SetCondition calls and the
// model of what it should hold.
func randomMatrix(t *testing.T, r *rand.Rand) (Matrix, model) {
	md := model{cells: map[Key]map[Action]bool{}, conds: map[Action]bool{}}
	var m Matrix
	for n := r.IntN(150); n > 0; n-- {
		k := randomKey(r)
		acts := randomActions(r)
		var err error
		if m, err = m.Set(k, NewActionSet(acts...)); err != nil {
			t.Fatal(err)
		}
		md.cells[k] = map[Action]bool{}
		for _, a := range acts {
			md.cells[k][a] = true
		}
	}
	for _, a := range Actions() {
		c := NoCondition
		if r.IntN(3) == 0 {
			c = NeedsCredentials
		}
		var err error
		if m, err = m.SetCondition(a, c); err != nil {
			t.Fatal(err)
		}
		md.conds[a] = c == NeedsCredentials
	}
	return m, md
}

func randomSubject(r *rand.Rand) (Subject, map[Action]bool) {
	k := randomKey(r)
	creds := append(AllCredentials(), "")
	grants := randomActions(r)
	granted := map[Action]bool{}
	for _, a := range grants {
		granted[a] = true
	}
	return Subject{
		Forum:       "Forum",
		Group:       Group{Key: k.Group},
		Role:        k.Role,
		Mode:        k.Mode,
		Credentials: creds[r.IntN(len(creds))],
		Grants:      NewActionSet(grants...),
	}, granted
}

// expected is the model's answer: the subject's own rights (the guest's
// grants, or its cell), then the condition.
func (md model) expected(s Subject, granted map[Action]bool, a Action) bool {
	var has bool
	if s.Role == RoleGuest || s.Group.Key == GroupGuest {
		has = granted[a]
	} else {
		has = md.cells[Key{s.Group.Key, s.Role, s.Mode}][a]
	}
	if !has {
		return false
	}
	if !md.conds[a] {
		return true
	}
	return s.Credentials == CredentialsInOrder || (s.Credentials == CredentialsSignOnly && a != Vote)
}

// TestPropertyCheckIffRight: for random matrices and random subjects, Check
// allows an action exactly when the subject's rights (cell or guest grants)
// include it and its condition holds; every denial is a forbidden error.
// In particular no action succeeds, whatever the credentials, for a subject
// whose rights do not include it.
func TestPropertyCheckIffRight(t *testing.T) {
	r := rand.New(rand.NewPCG(2012, 1214))
	for iter := 0; iter < 250; iter++ {
		m, md := randomMatrix(t, r)
		for n := 0; n < 40; n++ {
			s, granted := randomSubject(r)
			var want []Action
			for _, a := range Actions() {
				exp := md.expected(s, granted, a)
				err := m.Check(s, a)
				if (err == nil) != exp {
					t.Fatalf("iteration %d: Check(%+v, %s) = %v, want allowed %v", iter, s, a, err, exp)
				}
				if err != nil && !errors.Is(err, plenary.ErrForbidden) {
					t.Fatalf("denial is not forbidden: %v", err)
				}
				if exp {
					want = append(want, a)
				}
				// Without the right, no credentials state helps.
				hasRight := granted[a]
				if !(s.Role == RoleGuest || s.Group.Key == GroupGuest) {
					hasRight = md.cells[s.Key()][a]
				}
				if !hasRight {
					for _, c := range AllCredentials() {
						s2 := s
						s2.Credentials = c
						if m.Check(s2, a) == nil {
							t.Fatalf("%+v may %s without the right", s2, a)
						}
					}
				}
			}
			if want == nil {
				want = []Action{}
			}
			if got := m.Allowed(s); !reflect.DeepEqual(got, want) {
				t.Fatalf("Allowed(%+v) = %v, want %v", s, got, want)
			}
		}
	}
}

// TestPropertyGetMatchesModel: Get returns what was last Set, and empty
// cells are not kept.
func TestPropertyGetMatchesModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 100; iter++ {
		m, md := randomMatrix(t, r)
		for _, g := range propertyGroups {
			for _, role := range Roles() {
				for _, mode := range Modes() {
					k := Key{g, role, mode}
					for _, a := range Actions() {
						if m.Get(k).Has(a) != md.cells[k][a] {
							t.Fatalf("Get(%v).Has(%s) = %v, model %v", k, a, !md.cells[k][a], md.cells[k][a])
						}
					}
				}
			}
		}
		for _, k := range m.Keys() {
			if m.Get(k).IsEmpty() {
				t.Fatalf("Keys lists the empty cell %v", k)
			}
		}
	}
}

// TestPropertyJSONRoundTrip: a random matrix survives encoding, and equal
// matrices built in different orders encode to the same bytes.
func TestPropertyJSONRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 100; iter++ {
		m, _ := randomMatrix(t, r)
		b, err := m.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Matrix
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatalf("decode: %v\n%s", err, b)
		}
		if !back.Equal(m) {
			t.Fatalf("round trip changed the matrix:\n%s", b)
		}
		// Rebuild in reverse key order.
		var rev Matrix
		keys := m.Keys()
		for i := len(keys) - 1; i >= 0; i-- {
			rev, _ = rev.Set(keys[i], m.Get(keys[i]))
		}
		acts := Actions()
		for i := len(acts) - 1; i >= 0; i-- {
			rev, _ = rev.SetCondition(acts[i], m.Condition(acts[i]))
		}
		b2, _ := rev.MarshalJSON()
		if string(b) != string(b2) {
			t.Fatalf("equal matrices encode differently:\n%s\n%s", b, b2)
		}
	}
}

// TestPropertyDiffApplies: applying Diff(old, new) to old gives new, and
// Diff of a matrix with itself is empty.
func TestPropertyDiffApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 100; iter++ {
		a, _ := randomMatrix(t, r)
		b, _ := randomMatrix(t, r)
		if !Diff(a, a).IsEmpty() {
			t.Fatal("Diff(a, a) is not empty")
		}
		ch := Diff(a, b)
		got := a
		for _, c := range ch.Cells {
			if a.Get(c.Key) != c.Before {
				t.Fatalf("change %v: before %v, matrix has %v", c.Key, c.Before, a.Get(c.Key))
			}
			got, _ = got.Set(c.Key, c.After)
		}
		for _, c := range ch.Conditions {
			got, _ = got.SetCondition(c.Action, c.After)
		}
		if !got.Equal(b) {
			t.Fatal("old plus Diff(old, new) is not new")
		}
		if len(ch.Describe(DefaultGroups())) == 0 != ch.IsEmpty() {
			t.Fatal("Describe and IsEmpty disagree")
		}
	}
}
