package text_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// scenario is the small opinion with proposals that collide in every way.
func scenario(t testing.TB) (*text.Draft, []text.Amendment) {
	t.Helper()
	d := mustDraft(t, smallMD)
	in := []text.Amendment{
		{ID: "A", Label: "USA/6/1", Op: text.OpMOD, Provision: "p1", Proposer: "USA", CoSponsors: []string{"CAN"}, Contribution: "doc-6", Rationale: "Public.", Text: "that the Internet is a global public resource;"},
		{ID: "B", Label: "BRA/9/1", Op: text.OpMOD, Provision: "p1", Proposer: "BRA", Contribution: "doc-9", Text: "that the whole Internet is a global resource;"},
		{ID: "C", Label: "RUS/4/1", Op: text.OpMOD, Provision: "p1", Proposer: "RUS", Contribution: "doc-4", Text: "that the Internet is a global commons;"},
		{ID: "D", Label: "CHN/2/1", Op: text.OpSUP, Provision: "p2", Proposer: "CHN", Contribution: "doc-2"},
		{ID: "E", Label: "USA/6/2", Op: text.OpNOC, Provision: "p2", Proposer: "USA", Contribution: "doc-6"},
		{ID: "F", Label: "IND/3/1", Op: text.OpADD, After: "p2", Proposer: "IND", Contribution: "doc-3", Text: "that access is essential;"},
		{ID: "G", Label: "BRA/9/2", Op: text.OpADD, After: "p2", Proposer: "BRA", Contribution: "doc-9", Text: "that capacity building matters;"},
		{ID: "H", Label: "JPN/5/1", Op: text.OpMOD, Provision: "p4", Proposer: "JPN", Contribution: "doc-5", Text: "the Secretary-General to report annually."},
		{ID: "I", Label: "GBR/1/1", Op: text.OpADD, Proposer: "GBR", Contribution: "doc-1", Text: "recalling Resolution 102;"},
		{ID: "W", Label: "ZAF/8/1", Op: text.OpMOD, Provision: "p4", Proposer: "ZAF", Text: "the Secretary-General to stop."},
	}
	var out []text.Amendment
	for _, a := range in {
		out = append(out, mustPropose(t, d, a))
	}
	out[len(out)-1].Status = text.StatusWithdrawn
	return d, out
}

func TestCompileScenario(t *testing.T) {
	d, amendments := scenario(t)
	c, err := text.Compile(d, amendments)
	if err != nil {
		t.Fatal(err)
	}
	if c.Proposals != 9 {
		t.Errorf("proposals = %d, want 9 (the withdrawn one is left out)", c.Proposals)
	}
	var got []string
	line := func(where string, list []text.CompiledProposal) {
		for _, p := range list {
			got = append(got, fmt.Sprintf("%s %d %s %s %s", where, p.Number, p.Op, p.Label, p.Collision))
		}
	}
	line("start", c.AtStart)
	for _, e := range c.Entries {
		line(e.Provision.ID, e.Proposals)
		line("after-"+e.Provision.ID, e.Added)
	}
	want := []string{
		"start 1 ADD GBR/1/1 ",
		"p1 2 MOD BRA/9/1 ",
		"p1 3 MOD RUS/4/1 c1",
		"p1 4 MOD USA/6/1 c1",
		"p2 5 SUP CHN/2/1 c2",
		"p2 6 NOC USA/6/2 c2",
		"after-p2 7 ADD BRA/9/2 c3",
		"after-p2 8 ADD IND/3/1 c3",
		"p4 9 MOD JPN/5/1 ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantCols := []text.Collision{
		{ID: "c1", Kind: text.CollisionOverlap, ProvisionID: "p1", Amendments: []string{"C", "A"}, Numbers: []int{3, 4}, Start: 12, End: 13},
		{ID: "c2", Kind: text.CollisionSuppression, ProvisionID: "p2", Amendments: []string{"D", "E"}, Numbers: []int{5, 6}},
		{ID: "c3", Kind: text.CollisionAddition, ProvisionID: "p2", Amendments: []string{"G", "F"}, Numbers: []int{7, 8}},
	}
	if fmt.Sprint(c.Collisions) != fmt.Sprint(wantCols) {
		t.Errorf("collisions\n%v\nwant\n%v", c.Collisions, wantCols)
	}
	// Inline changes.
	a := c.Entries[0].Proposals[2]
	wantCh := []text.Change{{Op: text.OpEqual, Text: "that the Internet is a global "}, {Op: text.OpInsert, Text: "public "}, {Op: text.OpEqual, Text: "resource;"}}
	if fmt.Sprint(a.Changes) != fmt.Sprint(wantCh) {
		t.Errorf("changes of A = %v", a.Changes)
	}
	if p := c.Entries[0].Proposals[2]; strings.Join(p.Proponents, ",") != "USA,CAN" {
		t.Errorf("proponents %v", p.Proponents)
	}
	sup := c.Entries[1].Proposals[0]
	if len(sup.Changes) != 1 || sup.Changes[0].Op != text.OpDelete {
		t.Errorf("SUP changes %v", sup.Changes)
	}
	if noc := c.Entries[1].Proposals[1]; len(noc.Changes) != 0 {
		t.Errorf("NOC changes %v", noc.Changes)
	}
}

func TestCompileBracketsInChanges(t *testing.T) {
	d := mustDraft(t, smallMD)
	a := mustPropose(t, d, text.Amendment{ID: "x", Label: "EGY/1/1", Op: text.OpMOD, Provision: "p3", Proposer: "EGY", Text: "all Member States to take part [fully / actively];"})
	c, err := text.Compile(d, []text.Amendment{a})
	if err != nil {
		t.Fatal(err)
	}
	ch := c.Entries[2].Proposals[0].Changes
	want := []text.Change{{Op: text.OpInsert, Text: "all "}, {Op: text.OpEqual, Text: "Member States to take part "}, {Op: text.OpEqual, Text: "[fully / actively]", Bracket: "b1"}, {Op: text.OpEqual, Text: ";"}}
	if fmt.Sprint(ch) != fmt.Sprint(want) {
		t.Errorf("changes %v", ch)
	}
}

func TestCollisionRules(t *testing.T) {
	base := "# T\n\n1. one two three four five six seven eight.\n\n2. second provision here.\n"
	tests := []struct {
		name  string
		props []text.Amendment // against p1 unless set
		want  string           // collision kinds and members
	}{
		{"disjoint words", []text.Amendment{
			{Op: text.OpMOD, Text: "ONE two three four five six seven eight."},
			{Op: text.OpMOD, Text: "one two three four five six seven EIGHT."}}, ""},
		{"same word", []text.Amendment{
			{Op: text.OpMOD, Text: "one TWO three four five six seven eight."},
			{Op: text.OpMOD, Text: "one 2 three four five six seven eight."}}, "overlap:a1,a2"},
		{"identical change", []text.Amendment{
			{Op: text.OpMOD, Text: "one TWO three four five six seven eight."},
			{Op: text.OpMOD, Text: "one TWO three four five six seven eight."}}, ""},
		{"insert at same place", []text.Amendment{
			{Op: text.OpMOD, Text: "one two X three four five six seven eight."},
			{Op: text.OpMOD, Text: "one two Y three four five six seven eight."}}, "overlap:a1,a2"},
		{"insert next to replaced word", []text.Amendment{
			{Op: text.OpMOD, Text: "one two new three four five six seven eight."},
			{Op: text.OpMOD, Text: "one two THREE four five six seven eight."}}, "overlap:a1,a2"},
		{"chained overlaps", []text.Amendment{
			{Op: text.OpMOD, Text: "one TWO THREE four five six seven eight."},
			{Op: text.OpMOD, Text: "one two three FOUR five six seven eight."},
			{Op: text.OpMOD, Text: "one two THREE FOUR five six seven eight."}}, "overlap:a1,a2,a3"},
		{"inside a group's span", []text.Amendment{
			{Op: text.OpMOD, Text: "ONE two three four five six seven EIGHT."},
			{Op: text.OpMOD, Text: "UNO two three four five six seven eight."},
			{Op: text.OpMOD, Text: "one two three four FIVE six seven eight."}}, "overlap:a1,a2,a3"},
		{"two groups", []text.Amendment{
			{Op: text.OpMOD, Text: "ONE two three four five six seven eight."},
			{Op: text.OpMOD, Text: "UNO two three four five six seven eight."},
			{Op: text.OpMOD, Text: "one two three four five six seven EIGHT."},
			{Op: text.OpMOD, Text: "one two three four five six seven OCHO."}}, "overlap:a1,a2 overlap:a3,a4"},
		{"SUP and MOD", []text.Amendment{{Op: text.OpSUP}, {Op: text.OpMOD, Text: "one."}}, "suppression:a1,a2"},
		{"SUP and NOC", []text.Amendment{{Op: text.OpSUP}, {Op: text.OpNOC}}, "suppression:a1,a2"},
		{"two SUPs agree", []text.Amendment{{Op: text.OpSUP}, {Op: text.OpSUP}}, ""},
		{"MOD and NOC", []text.Amendment{{Op: text.OpNOC}, {Op: text.OpMOD, Text: "one."}}, ""},
		{"SUP on other provision", []text.Amendment{{Op: text.OpSUP, Provision: "p2"}, {Op: text.OpMOD, Text: "one."}}, ""},
		{"two ADDs same place", []text.Amendment{{Op: text.OpADD, After: "p1", Text: "x"}, {Op: text.OpADD, After: "p1", Text: "y"}}, "addition:a1,a2"},
		{"ADDs at different places", []text.Amendment{{Op: text.OpADD, Text: "x"}, {Op: text.OpADD, After: "p1", Text: "y"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustDraft(t, base)
			var list []text.Amendment
			for i, a := range tt.props {
				a.ID = fmt.Sprintf("a%d", i+1)
				a.Label = fmt.Sprintf("P/1/%d", i+1)
				a.Proposer = fmt.Sprintf("P%d", i+1)
				if a.Provision == "" && a.Op != text.OpADD {
					a.Provision = "p1"
				}
				list = append(list, mustPropose(t, d, a))
			}
			c, err := text.Compile(d, list)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, col := range c.Collisions {
				got = append(got, string(col.Kind)+":"+strings.Join(col.Amendments, ","))
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("collisions %q, want %q", g, tt.want)
			}
			// The consolidated text always builds.
			if _, err := text.Consolidate(d, list); err != nil {
				t.Errorf("Consolidate: %v", err)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	d := mustDraft(t, smallMD)
	ok := mustPropose(t, d, text.Amendment{ID: "x", Op: text.OpNOC, Provision: "p1", Proposer: "USA"})
	tests := []struct {
		name     string
		mutate   func(a *text.Amendment)
		code     plenary.Code
		contains string
	}{
		{"other revision", func(a *text.Amendment) { a.Revision = 4 }, plenary.CodeConflict, "against revision 4"},
		{"unknown provision", func(a *text.Amendment) { a.Provision = "p77" }, plenary.CodeInvalid, "not in revision"},
		{"bad status", func(a *text.Amendment) { a.Status = "pending" }, plenary.CodeInvalid, "unknown status"},
		{"bad edits", func(a *text.Amendment) {
			a.Op, a.Edits = text.OpMOD, []worddiff.Edit{{Start: 5, End: 500}}
		}, plenary.CodeInvalid, "out of range"},
		{"edits on a bracket", func(a *text.Amendment) {
			a.Op, a.Provision, a.Edits = text.OpMOD, "p3", []worddiff.Edit{{Start: 10, End: 11, New: "x"}}
		}, plenary.CodeInvalid, "changes bracket b1"},
		{"MOD without text", func(a *text.Amendment) { a.Op = text.OpMOD }, plenary.CodeInvalid, "no text"},
		{"ADD after nothing", func(a *text.Amendment) { a.Op, a.After, a.Text = text.OpADD, "p0", "x" }, plenary.CodeInvalid, "not in revision"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.mutate(&a)
			_, err := text.Compile(d, []text.Amendment{a})
			wantCode(t, err, tt.code, tt.contains)
		})
	}
	_, err := text.Compile(d, []text.Amendment{ok, ok})
	wantCode(t, err, plenary.CodeInvalid, "used twice")
}

func TestCompilationAnonymised(t *testing.T) {
	d, amendments := scenario(t)
	d.Provisions[2].Body[1].Bracket.Alternatives[0].Supporters = []string{"EGY"}
	c, err := text.Compile(d, amendments)
	if err != nil {
		t.Fatal(err)
	}
	anon := c.Anonymised()
	data, _ := json.Marshal(anon)
	for _, party := range []string{"USA", "BRA", "RUS", "CHN", "IND", "JPN", "GBR", "CAN", "EGY", "doc-6", "Public."} {
		if bytes.Contains(data, []byte(party)) {
			t.Errorf("anonymised JSON names %s", party)
		}
	}
	// The attributed data is untouched.
	if c.Entries[0].Proposals[0].Label != "BRA/9/1" || d.Provisions[2].Body[1].Bracket.Alternatives[0].Supporters[0] != "EGY" {
		t.Error("Anonymised changed the attributed compilation")
	}
}

func TestConsolidateScenario(t *testing.T) {
	d, amendments := scenario(t)
	res, err := text.Consolidate(d, amendments)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Draft.Provisions {
		got = append(got, p.ID+" "+p.Label+" "+p.Text())
	}
	want := []string{
		"p5 a) recalling Resolution 102;",
		"p1 b) that the whole Internet is a global [resource / commons / public resource];",
		"p2 c) [that all stakeholders have roles to play;]",
		"p6 d) [that capacity building matters; / that access is essential;]",
		"p3 1 Member States to take part [fully / actively];",
		"p4 2 the Secretary-General to report annually.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("consolidated\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Join(res.Bracketed, ",") != "c1,c2,c3" || len(res.Unresolved) != 0 {
		t.Errorf("bracketed %v unresolved %v", res.Bracketed, res.Unresolved)
	}
	b := res.Draft.Provisions[1].Body[1].Bracket
	if b.ID != "b2" || !b.Alternatives[0].Current || strings.Join(b.Alternatives[2].Supporters, ",") != "USA,CAN" || b.Alternatives[1].Amendments[0] != "C" {
		t.Errorf("overlap bracket %+v", b)
	}
	sb := res.Draft.Provisions[2].WholeBracket()
	if sb == nil || strings.Join(sb.Alternatives[0].Supporters, ",") != "USA" || strings.Join(sb.Alternatives[1].Supporters, ",") != "CHN" {
		t.Errorf("suppression bracket %+v", sb)
	}
	if n := res.Draft.OpenBrackets(); n != 4 {
		t.Errorf("open brackets %d, want 4", n)
	}
	if res.Draft.Revision != d.Revision || d.Provisions[0].Text() != "that the Internet is a global resource;" {
		t.Error("Consolidate changed its input or the revision number")
	}
	if err := res.Draft.Validate(); err != nil {
		t.Errorf("consolidated draft invalid: %v", err)
	}
	srcs := res.Draft.Provisions[1].Sources
	if len(srcs) != 3 || srcs[0].Kind != text.SourcePreview || srcs[0].AmendmentID != "B" || srcs[1].Kind != text.SourceBracketed {
		t.Errorf("sources %+v", srcs)
	}
}

func TestConsolidateUnresolved(t *testing.T) {
	d := mustDraft(t, "# T\n\n1. alpha [x / y] omega.\n")
	a := mustPropose(t, d, text.Amendment{ID: "a", Op: text.OpMOD, Provision: "p1", Proposer: "A", Text: "ALPHA [x / y] omega."})
	b := mustPropose(t, d, text.Amendment{ID: "b", Op: text.OpMOD, Provision: "p1", Proposer: "B", Text: "alpha [x / y] OMEGA."})
	c := mustPropose(t, d, text.Amendment{ID: "c", Op: text.OpMOD, Provision: "p1", Proposer: "C", Text: "beta [x / y] OMEGA!"})
	res, err := text.Consolidate(d, []text.Amendment{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Unresolved, ",") != "c1" {
		t.Errorf("unresolved %v", res.Unresolved)
	}
	if got := res.Draft.Provisions[0].Text(); got != "alpha [x / y] omega." {
		t.Errorf("text %q", got)
	}
}
