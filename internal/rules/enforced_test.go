package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// commandPackages are the packages whose commands check rights.
var commandPackages = []string{"participation", "documents", "drafting", "forum", "account", "meetings", "decisions", "consultation"}

// actionConsts maps the names of the Action constants declared in
// action.go to their actions.
func actionConsts(t *testing.T) map[string]Action {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "action.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Action{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Action" {
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				out[name.Name] = Action(v)
			}
		}
	}
	if len(out) != len(actionTable) {
		t.Fatalf("found %d Action constants in action.go, want %d", len(out), len(actionTable))
	}
	return out
}

// usedActions is every action named as rules.<Const> in the non-test Go
// sources of the command packages, with a file that names it.
func usedActions(t *testing.T, consts map[string]Action) map[Action]string {
	t.Helper()
	used := map[Action]string{}
	for _, pkg := range commandPackages {
		dir := filepath.Join("..", pkg)
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("package %s: %v", pkg, err)
			}
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "rules" {
					if a, ok := consts[sel.Sel.Name]; ok {
						if _, seen := used[a]; !seen {
							used[a] = path
						}
					}
				}
				return true
			})
		}
	}
	return used
}

// TestEnforcedActionsAreCheckedByACommand keeps the rules page honest: a
// right it presents as exercised must be named by some command, and a
// right a command names must not be presented as not yet exercised.
func TestEnforcedActionsAreCheckedByACommand(t *testing.T) {
	consts := actionConsts(t)
	used := usedActions(t, consts)
	for name, a := range consts {
		path, ok := used[a]
		switch {
		case a.Enforced() && !ok:
			t.Errorf("%s (rules.%s) is marked enforced, but no command in internal/{%s} checks it", a, name, strings.Join(commandPackages, ","))
		case !a.Enforced() && ok:
			t.Errorf("%s (rules.%s) is used in %s; if a command now checks it, mark it enforced in actionTable", a, name, path)
		}
	}
}

func TestEnforced(t *testing.T) {
	var got []Action
	for _, a := range Actions() {
		if !a.Enforced() {
			got = append(got, a)
		}
	}
	want := []Action{Sign, FileReservation}
	if len(got) != len(want) {
		t.Fatalf("not enforced: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("not enforced: %v, want %v", got, want)
		}
	}
	if Action("x").Enforced() {
		t.Error("an unknown action is enforced")
	}
}

func TestViewSaysWhatIsNotYetExercised(t *testing.T) {
	m := preset(t, PresetITUTreatyConference)
	v := m.View(nil)
	for _, c := range v.Columns {
		if c.Enforced != c.Action.Enforced() || (c.Note != "") == c.Enforced {
			t.Errorf("column %s: enforced %v, note %q", c.Action, c.Enforced, c.Note)
		}
	}
	if want := "Sign the final acts and file a reservation are recorded in the rules; Plenary does not take signatures or reservations yet, so these rights are not yet exercised here."; v.NotYet != want {
		t.Errorf("NotYet\n got %q\nwant %q", v.NotYet, want)
	}
	notes := map[string]string{}
	for _, g := range v.Groups {
		notes[g.Group.Key] = g.NotYet
	}
	if want := "Of these rights, sign the final acts and file a reservation are recorded in the rules; Plenary does not take signatures or reservations yet, so these rights are not yet exercised here."; notes[GroupMemberState] != want {
		t.Errorf("Member States\n got %q\nwant %q", notes[GroupMemberState], want)
	}
	// Sector Members may read and ask for the floor: both are exercised now.
	if notes[GroupSectorMember] != "" {
		t.Errorf("Sector Members: every right of theirs is exercised, yet: %q", notes[GroupSectorMember])
	}
	if notes[GroupCivilSociety] != "" {
		t.Errorf("civil society may only read public documents, yet: %q", notes[GroupCivilSociety])
	}
}
