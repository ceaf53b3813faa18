package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/files"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/text"
)

// enumLabels lists every enumeration the pages show, each value with the
// label the package that owns the enumeration gives it: the one place
// where the value is worded. Pages call these labels; the tests below
// fail when a page words a value again.
func enumLabels() map[string][]forum.Choice {
	fileKinds := make([]forum.Choice, len(files.Kinds))
	for i, k := range files.Kinds {
		fileKinds[i] = forum.Choice{Value: k.ContentType, Label: k.Label}
	}
	visibilities := []string{ledger.VisPublic, ledger.VisMembers, ledger.VisSecretariat, ledger.VisPartyKind}
	return map[string][]forum.Choice{
		"forum kind":          forum.ForumKinds,
		"forum status":        forum.ForumStatuses,
		"deadline":            forum.DeadlineKinds,
		"body kind":           forum.BodyKinds,
		"body office":         participation.BodyOffices,
		"party kind":          participation.PartyKinds,
		"party state":         participation.PartyStates,
		"official language":   participation.NameLanguages,
		"registration state":  forum.RegistrationStates,
		"credentials":         forum.Choices(rules.AllCredentials(), rules.Credentials.Label),
		"role":                forum.Choices(rules.Roles(), rules.Role.Label),
		"role, plural":        forum.Choices(rules.Roles(), rules.Role.Plural),
		"mode":                forum.Choices(rules.Modes(), rules.Mode.Label),
		"action":              forum.Choices(rules.Actions(), rules.Action.Label),
		"action, short":       forum.Choices(rules.Actions(), rules.Action.Short),
		"condition":           forum.Choices(rules.Conditions(), rules.Condition.Label),
		"capacity role":       forum.Choices([]string{forum.RoleFocalPoint, forum.RolePublic}, func(r string) string { return forum.Capacity{Role: r}.RoleLabel() }),
		"visibility":          forum.Choices(visibilities, ledger.VisibilityLabel),
		"document visibility": documents.Visibilities,
		"document type":       documents.DocumentTypes,
		"document status":     documents.DocumentStatuses,
		"version kind":        documents.VersionKinds,
		"file kind":           fileKinds,
		"search kind":         forum.Choices([]string{search.KindDocument, search.KindProvision}, search.KindLabel),
		"proposal kind":       forum.Choices(text.Ops(), text.AmendOp.Label),
		"proposal state":      forum.Choices(text.Statuses(), text.Status.Label),
		"editor's decision":   forum.Choices(text.Actions(), text.Action.Label),
		"provision kind":      forum.Choices(text.Kinds(), text.Kind.Label),
		"bracket state":       forum.Choices(text.BracketStatuses(), text.BracketStatus.Label),
		"drafting-log source": forum.Choices(text.SourceKinds(), text.SourceKind.Label),
		"collision kind":      forum.Choices(text.CollisionKinds(), text.CollisionKind.Label),
		"redline state":       forum.Choices(text.RedlineStatuses(), text.RedlineStatus.Label),
		"comment target":      forum.Choices(consultation.Targets(), consultation.Target.Label),
		"disposition outcome": forum.Choices(consultation.Outcomes(), consultation.Outcome.Label),
		"comment period state": forum.Choices([]consultation.PeriodState{consultation.Upcoming, consultation.Open, consultation.Closed},
			consultation.PeriodState.Label),
		"commenter's group": consultation.StandardGroups(),
		"statement source": forum.Choices([]consultation.StatementSource{consultation.FromProvision, consultation.FromParticipant, consultation.FromImport},
			consultation.StatementSource.Label),
		"statement state": forum.Choices([]consultation.StatementState{consultation.StatementPending, consultation.StatementAccepted, consultation.StatementRejected},
			consultation.StatementState.Label),
		"vote": forum.Choices(consultation.VoteValues(), consultation.VoteValue.Label),
	}
}

// TestEnumLabels checks that every value of every enumeration has one
// label of its own: not empty, and not shared with another value.
func TestEnumLabels(t *testing.T) {
	for name, cs := range enumLabels() {
		values, labels := map[string]bool{}, map[string]string{}
		for _, c := range cs {
			if values[c.Value] {
				t.Errorf("%s: value %q is listed twice", name, c.Value)
			}
			values[c.Value] = true
			if strings.TrimSpace(c.Label) == "" {
				t.Errorf("%s: value %q has no label", name, c.Value)
				continue
			}
			if other, ok := labels[strings.ToLower(c.Label)]; ok {
				t.Errorf("%s: %q and %q are both labelled %q", name, other, c.Value, c.Label)
			}
			labels[strings.ToLower(c.Label)] = c.Value
		}
	}
	// The lists that forms and filters offer are the enumerations' own
	// (those of the drafting forms: in internal/web/drafting).
	for _, l := range []struct {
		name string
		got  []forum.Choice
		want []forum.Choice
	}{
		{"later versions", documents.LaterVersionKinds(), documents.VersionKinds[1:]},
		{"body kinds", forumPage{}.BodyKinds(), forum.BodyKinds},
		{"forum statuses", forumPage{}.Statuses(), forum.ForumStatuses[:3]},
	} {
		if len(l.got) != len(l.want) {
			t.Errorf("%s: %v, want %v", l.name, l.got, l.want)
			continue
		}
		for i := range l.got {
			if l.got[i] != l.want[i] {
				t.Errorf("%s: %v, want %v", l.name, l.got[i], l.want[i])
			}
		}
	}
}

// labelsOf maps each value of any enumeration to the labels of every value
// of the enumerations it belongs to, in lower case: what a line comparing
// against the value must not spell out.
func labelsOf() map[string]map[string]string {
	out := map[string]map[string]string{}
	for name, cs := range enumLabels() {
		for _, c := range cs {
			m := out[c.Value]
			if m == nil {
				m = map[string]string{}
				out[c.Value] = m
			}
			for _, d := range cs {
				m[strings.ToLower(d.Label)] = name + " " + d.Value
			}
		}
	}
	return out
}

var (
	// comparedRE finds the values a template line compares against
	// (eq .Status "withdrawn", ne .Mode "remote") or offers in a form
	// (value="remote").
	comparedRE = regexp.MustCompile(`\b(?:eq|ne)\b[^"{}]*"([^"]*)"|\bvalue="([^"{}]*)"`)
	// actionOrTagRE is what separates the literal text of a template.
	actionOrTagRE = regexp.MustCompile(`\{\{.*?\}\}|<[^>]*>`)
)

// TestTemplatesDoNotWordEnumValues fails when a template line that
// compares against, or offers, a value of an enumeration also holds a
// literal label of that enumeration, as in
//
//	{{if eq .Status "withdrawn"}}<span class="badge">Withdrawn</span>{{end}}
//	<input type="radio" name="mode" value="remote"><label>Remotely</label>
//
// The page should call the enumeration's label (.StatusLabel, partMode)
// instead, so that its words live in one place.
//
// It reads the templates of this package and of every package of pages
// beneath it, from their directories.
func TestTemplatesDoNotWordEnumValues(t *testing.T) {
	labels := labelsOf()
	n := 0
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || !strings.Contains(filepath.ToSlash(p), "templates/") {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for n, line := range strings.Split(string(b), "\n") {
			forbidden := map[string]string{}
			for _, m := range comparedRE.FindAllStringSubmatch(line, -1) {
				for k, v := range labels[m[1]+m[2]] {
					forbidden[k] = v
				}
			}
			if len(forbidden) == 0 {
				continue
			}
			for _, seg := range actionOrTagRE.Split(line, -1) {
				seg = strings.ToLower(strings.Trim(seg, " \t:;,.()"))
				if which, ok := forbidden[seg]; ok {
					t.Errorf("%s:%d words %q itself instead of calling the label of %s", p, n+1, seg, which)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("found no templates")
	}
}

// TestWebCodeDoesNotWordEnumValues fails when the Go code of the pages (of
// this package and of the packages of pages beneath it) or of the API
// holds a string literal that is a label of an enumeration (a switch
// returning "Accepted proposal" for text.SourceAccepted, a list of choices
// of its own): the faces call the owning package's label instead.
func TestWebCodeDoesNotWordEnumValues(t *testing.T) {
	labels, values := map[string]string{}, map[string]bool{}
	for name, cs := range enumLabels() {
		for _, c := range cs {
			labels[c.Label] = name + " " + c.Value
			values[c.Value] = true
		}
	}
	var paths []string
	for _, pattern := range []string{"*.go", "*/*.go", "../api/*.go"} {
		ps, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, ps...)
	}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if _, generic := call.Fun.(*ast.IndexExpr); generic {
					return false // named[documents.Document]("Document"): the API's schema names are type names
				}
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || values[s] {
				return true // a value, as in a comparison, is not a label
			}
			if which, ok := labels[strings.Trim(s, " :;,.()")]; ok {
				t.Errorf("%s: %q is the label of %s; call its label function", fset.Position(lit.Pos()), s, which)
			}
			return true
		})
	}
}
