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
var commandPackages = []string{"participation", "documents", "drafting", "forum", "account", "meetings", "decisions", "finalacts", "consultation"}

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

// Every action is checked by a command now: signatures and reservations
// by the final acts.
func TestEnforced(t *testing.T) {
	for _, a := range Actions() {
		if !a.Enforced() {
			t.Errorf("%s is not enforced", a)
		}
	}
	if Action("x").Enforced() {
		t.Error("an unknown action is enforced")
	}
}

// With every right exercised, the rules say nothing is "not yet"; the
// sentence is still made right for an action added before its command.
func TestViewSaysWhatIsNotYetExercised(t *testing.T) {
	m := preset(t, PresetITUTreatyConference)
	v := m.View(nil)
	for _, c := range v.Columns {
		if c.Enforced != c.Action.Enforced() || (c.Note != "") == c.Enforced {
			t.Errorf("column %s: enforced %v, note %q", c.Action, c.Enforced, c.Note)
		}
	}
	if v.NotYet != "" {
		t.Errorf("NotYet: %q", v.NotYet)
	}
	for _, g := range v.Groups {
		if g.NotYet != "" {
			t.Errorf("%s: %q", g.Group.Key, g.NotYet)
		}
	}
	if got, want := notYetSentence(NewActionSet(Sign, FileReservation), ""), "Sign the final acts and file a reservation are recorded in the rules, but these rights are not yet exercised by any command of Plenary."; got != want {
		t.Errorf("two actions\n got %q\nwant %q", got, want)
	}
	if got, want := notYetSentence(NewActionSet(Sign), "Of these rights, "), "Of these rights, sign the final acts is recorded in the rules, but this right is not yet exercised by any command of Plenary."; got != want {
		t.Errorf("one action\n got %q\nwant %q", got, want)
	}
}
