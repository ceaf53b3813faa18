package text_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text"
)

func texts(d *text.Draft) string {
	var out []string
	for _, p := range d.Provisions {
		out = append(out, p.ID+" "+p.Label+" "+p.Text())
	}
	return strings.Join(out, "\n")
}

func TestReviseScenario(t *testing.T) {
	d, amendments := scenario(t)
	decisions := []text.Decision{
		{Action: text.ActAccept, AmendmentID: "B"},
		{Action: text.ActBracket, AmendmentIDs: []string{"C", "A"}, IncludeCurrent: true},
		{Action: text.ActReject, AmendmentID: "D", Note: "no support"},
		{Action: text.ActAccept, AmendmentID: "E"},
		{Action: text.ActAcceptModified, AmendmentID: "F", Text: "that affordable access is essential;"},
		{Action: text.ActMerge, AmendmentID: "G", Into: "F"},
		{Action: text.ActClear, BracketID: "b1", Alternative: 2},
		{Action: text.ActAccept, AmendmentID: "H"},
	}
	res, err := text.Revise(d, amendments, decisions)
	if err != nil {
		t.Fatal(err)
	}
	nd := res.Draft
	want := strings.Join([]string{
		"p1 a) that the whole Internet is a global [resource / commons / public resource];",
		"p2 b) that all stakeholders have roles to play;",
		"p5 c) that affordable access is essential;",
		"p3 1 Member States to take part actively;",
		"p4 2 the Secretary-General to report annually.",
	}, "\n")
	if got := texts(nd); got != want {
		t.Errorf("revision 1:\n%s\nwant\n%s", got, want)
	}
	if nd.Revision != 1 || nd.NextProvision != 6 || nd.NextBracket != 3 || nd.OpenBrackets() != 1 {
		t.Errorf("revision %d counters %d %d open %d", nd.Revision, nd.NextProvision, nd.NextBracket, nd.OpenBrackets())
	}
	if err := nd.Validate(); err != nil {
		t.Fatal(err)
	}
	srcs := func(id string) string {
		p, _ := nd.Provision(id)
		var out []string
		for _, s := range p.Sources {
			out = append(out, fmt.Sprintf("%d:%s:%s:%s:%s", s.Revision, s.Kind, s.Label, s.Contribution, s.BracketID))
		}
		return strings.Join(out, " ")
	}
	for id, want := range map[string]string{
		"p1": "1:accepted:BRA/9/1:doc-9: 1:bracketed:RUS/4/1:doc-4:b2 1:bracketed:USA/6/1:doc-6:b2",
		"p2": "1:accepted:USA/6/2:doc-6:",
		"p5": "1:modified:IND/3/1:doc-3: 1:merged:BRA/9/2:doc-9:",
		"p3": "1:bracket_cleared:::b1",
		"p4": "1:accepted:JPN/5/1:doc-5:",
	} {
		if got := srcs(id); got != want {
			t.Errorf("sources of %s = %s, want %s", id, got, want)
		}
	}
	var st []string
	for _, s := range res.Statuses {
		st = append(st, s.AmendmentID+":"+string(s.To)+":"+s.MergedInto)
	}
	if got := strings.Join(st, " "); got != "B:accepted: C:superseded: A:superseded: D:rejected: E:accepted: F:accepted_modified: G:merged:F H:accepted:" {
		t.Errorf("statuses %s", got)
	}
	for _, s := range res.Statuses {
		if err := text.Transition(s.From, s.To); err != nil {
			t.Errorf("status change %+v is not a valid transition: %v", s, err)
		}
	}
	if strings.Join(res.Undecided, ",") != "I" {
		t.Errorf("undecided %v", res.Undecided)
	}
	var log []string
	for _, e := range res.Log {
		log = append(log, fmt.Sprintf("%s:%s:%s:%s:%d", e.Action, e.Label, e.BracketID, e.ProvisionID, e.Alternative))
	}
	wantLog := "accept:BRA/9/1::p1:0 bracket:RUS/4/1:b2:p1:0 bracket:USA/6/1:b2:p1:0 reject:CHN/2/1::p2:0 accept:USA/6/2::p2:0 accept_modified:IND/3/1::p5:0 merge:BRA/9/2::p5:0 clear::b1:p3:2 accept:JPN/5/1::p4:0"
	if got := strings.Join(log, " "); got != wantLog {
		t.Errorf("log\n%s\nwant\n%s", got, wantLog)
	}
	// The input draft is untouched.
	if d.Revision != 0 || d.OpenBrackets() != 1 || d.Provisions[0].Text() != "that the Internet is a global resource;" {
		t.Error("Revise changed its input")
	}

	// Revision 2: clear the bracket made from the collision, keep nothing
	// open; the drafting log records the proposals behind the chosen text.
	res2, err := text.Revise(nd, nil, []text.Decision{{Action: text.ActClear, BracketID: "b2", Alternative: 3}})
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := res2.Draft.Provision("p1")
	if p1.Text() != "that the whole Internet is a global public resource;" || res2.Draft.OpenBrackets() != 0 {
		t.Errorf("revision 2: %q, %d open", p1.Text(), res2.Draft.OpenBrackets())
	}
	last := p1.Sources[len(p1.Sources)-1]
	if last.Revision != 2 || last.Kind != text.SourceBracketCleared || last.Label != "USA/6/1" || last.BracketID != "b2" {
		t.Errorf("last source %+v", last)
	}
}

func TestReviseBrackets(t *testing.T) {
	d := mustDraft(t, "# T\n\n1. the [big / large] cat [sat / stood].\n\n2. [whole provision / other provision]\n\n3. [optional provision]\n")
	tests := []struct {
		name      string
		decisions []text.Decision
		want      string
		open      int
	}{
		{"clear by alternative", []text.Decision{{Action: text.ActClear, BracketID: "b1", Alternative: 2}},
			"p1 1 the large cat [sat / stood].\np2 2 [whole provision / other provision]\np3 3 [optional provision]", 3},
		{"clear by compromise", []text.Decision{{Action: text.ActClear, BracketID: "b2", Text: "rested"}},
			"p1 1 the [big / large] cat rested.\np2 2 [whole provision / other provision]\np3 3 [optional provision]", 3},
		{"clear whole", []text.Decision{{Action: text.ActClear, BracketID: "b3", Alternative: 1}},
			"p1 1 the [big / large] cat [sat / stood].\np2 2 whole provision\np3 3 [optional provision]", 3},
		{"clear optional to nothing deletes", []text.Decision{{Action: text.ActClear, BracketID: "b4", Alternative: 2}},
			"p1 1 the [big / large] cat [sat / stood].\np2 2 [whole provision / other provision]", 3},
		{"clear two", []text.Decision{{Action: text.ActClear, BracketID: "b1", Text: "x"}, {Action: text.ActClear, BracketID: "b2", Text: "sat"}},
			"p1 1 the x cat sat.\np2 2 [whole provision / other provision]\np3 3 [optional provision]", 2},
		{"keep", []text.Decision{{Action: text.ActKeep, BracketID: "b1"}},
			"p1 1 the [big / large] cat [sat / stood].\np2 2 [whole provision / other provision]\np3 3 [optional provision]", 4},
		{"agree ad referendum", []text.Decision{{Action: text.ActAgree, BracketID: "b1", Alternative: 1}, {Action: text.ActAgree, BracketID: "b2", Text: "sat down"}},
			"p1 1 the [big / large] cat [sat / stood / sat down].\np2 2 [whole provision / other provision]\np3 3 [optional provision]", 2},
		{"clear with compromise next to the bracket", []text.Decision{{Action: text.ActClear, BracketID: "b2", Alternative: 2}, {Action: text.ActCompromise, ProvisionID: "p1", Text: "the [big / large] cat quietly [sat / stood]."}},
			"p1 1 the [big / large] cat quietly stood.\np2 2 [whole provision / other provision]\np3 3 [optional provision]", 3},
		{"clear with compromise beside accepted bracket", []text.Decision{{Action: text.ActClear, BracketID: "b1", Alternative: 1}, {Action: text.ActCompromise, ProvisionID: "p1", Text: "the [big / large] dog [sat / stood]."}},
			"p1 1 the big dog [sat / stood].\np2 2 [whole provision / other provision]\np3 3 [optional provision]", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := text.Revise(d, nil, tt.decisions)
			if err != nil {
				t.Fatal(err)
			}
			if got := texts(res.Draft); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if n := res.Draft.OpenBrackets(); n != tt.open {
				t.Errorf("open brackets %d, want %d", n, tt.open)
			}
			if err := res.Draft.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
	// An ad referendum bracket is cleared to its agreed text by default.
	res, err := text.Revise(d, nil, []text.Decision{{Action: text.ActAgree, BracketID: "b2", Alternative: 2}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := res.Draft.FindBracket("b2")
	if b.Status != text.BracketAdReferendum || b.Agreed == nil || *b.Agreed != 1 {
		t.Fatalf("agreed bracket %+v", b)
	}
	res2, err := text.Revise(res.Draft, nil, []text.Decision{{Action: text.ActClear, BracketID: "b2"}})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := res2.Draft.Provision("p1"); p.Text() != "the [big / large] cat stood." {
		t.Errorf("cleared ad ref: %q", p.Text())
	}
}

func TestReviseErrors(t *testing.T) {
	d, amendments := scenario(t)
	tests := []struct {
		name      string
		decisions []text.Decision
		code      plenary.Code
		contains  string
	}{
		{"unknown proposal", []text.Decision{{Action: text.ActAccept, AmendmentID: "Z"}}, plenary.CodeInvalid, "no pending proposal"},
		{"withdrawn proposal", []text.Decision{{Action: text.ActAccept, AmendmentID: "W"}}, plenary.CodeConflict, "withdrawn, not pending"},
		{"decided twice", []text.Decision{{Action: text.ActAccept, AmendmentID: "B"}, {Action: text.ActReject, AmendmentID: "B"}}, plenary.CodeInvalid, "already decided by decision 1"},
		{"bracket and accept", []text.Decision{{Action: text.ActBracket, AmendmentIDs: []string{"A", "C"}}, {Action: text.ActAccept, AmendmentID: "A"}}, plenary.CodeInvalid, "already decided"},
		{"unknown action", []text.Decision{{Action: "approve", AmendmentID: "B"}}, plenary.CodeInvalid, "unknown action"},
		{"colliding accepts", []text.Decision{{Action: text.ActAccept, AmendmentID: "A"}, {Action: text.ActAccept, AmendmentID: "C"}}, plenary.CodeConflict, "change the same words"},
		{"SUP and MOD accepted", []text.Decision{{Action: text.ActAccept, AmendmentID: "D"}, {Action: text.ActCompromise, ProvisionID: "p2", Text: "x"}}, plenary.CodeConflict, "deleted by CHN/2/1"},
		{"merge into rejected", []text.Decision{{Action: text.ActReject, AmendmentID: "F"}, {Action: text.ActMerge, AmendmentID: "G", Into: "F"}}, plenary.CodeConflict, "not accepted"},
		{"merge into itself", []text.Decision{{Action: text.ActMerge, AmendmentID: "G", Into: "G"}}, plenary.CodeInvalid, "itself"},
		{"modified SUP", []text.Decision{{Action: text.ActAcceptModified, AmendmentID: "D", Text: "x"}}, plenary.CodeInvalid, "only ADD and MOD"},
		{"modified without text", []text.Decision{{Action: text.ActAcceptModified, AmendmentID: "B"}}, plenary.CodeInvalid, "reworded text"},
		{"modified to current", []text.Decision{{Action: text.ActAcceptModified, AmendmentID: "B", Text: "that the Internet is a global resource;"}}, plenary.CodeInvalid, "reject BRA/9/1 instead"},
		{"modified touching bracket", []text.Decision{{Action: text.ActAcceptModified, AmendmentID: "B", Text: "x"}, {Action: text.ActCompromise, ProvisionID: "p3", Text: "Member States to take part fully;"}}, plenary.CodeInvalid, "touches bracket b1"},
		{"bracket across places", []text.Decision{{Action: text.ActBracket, AmendmentIDs: []string{"A", "H"}}}, plenary.CodeInvalid, "not at the same place"},
		{"bracket of one without current", []text.Decision{{Action: text.ActBracket, AmendmentIDs: []string{"B"}}}, plenary.CodeConflict, "only one text"},
		{"bracket of NOC alone", []text.Decision{{Action: text.ActBracket, AmendmentIDs: []string{"E"}}}, plenary.CodeInvalid, "NOCs alone"},
		{"unknown bracket", []text.Decision{{Action: text.ActClear, BracketID: "b9", Alternative: 1}}, plenary.CodeInvalid, "no bracket"},
		{"bracket decided twice", []text.Decision{{Action: text.ActKeep, BracketID: "b1"}, {Action: text.ActClear, BracketID: "b1", Alternative: 1}}, plenary.CodeInvalid, "already decided"},
		{"alternative out of range", []text.Decision{{Action: text.ActClear, BracketID: "b1", Alternative: 3}}, plenary.CodeInvalid, "alternatives 1 to 2"},
		{"no choice", []text.Decision{{Action: text.ActClear, BracketID: "b1"}}, plenary.CodeInvalid, "choose an alternative"},
		{"choice and text", []text.Decision{{Action: text.ActClear, BracketID: "b1", Alternative: 1, Text: "x"}}, plenary.CodeInvalid, "not both"},
		{"compromise with brackets", []text.Decision{{Action: text.ActClear, BracketID: "b1", Text: "[x]"}}, plenary.CodeInvalid, "square brackets"},
		{"empty compromise", []text.Decision{{Action: text.ActCompromise, ProvisionID: "p1", Text: " "}}, plenary.CodeInvalid, "needs text"},
		{"compromise twice", []text.Decision{{Action: text.ActCompromise, ProvisionID: "p1", Text: "x"}, {Action: text.ActCompromise, ProvisionID: "p1", Text: "y"}}, plenary.CodeInvalid, "already has a compromise"},
		{"compromise unknown provision", []text.Decision{{Action: text.ActCompromise, ProvisionID: "p9", Text: "x"}}, plenary.CodeInvalid, "no provision"},
		{"compromise beside accepted MOD", []text.Decision{{Action: text.ActAccept, AmendmentID: "H"}, {Action: text.ActCompromise, ProvisionID: "p4", Text: "the Secretary-General to report often."}}, plenary.CodeConflict, "change the same words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := text.Revise(d, amendments, tt.decisions)
			wantCode(t, err, tt.code, tt.contains)
		})
	}
}

func TestReviseAddsAndSUP(t *testing.T) {
	d, amendments := scenario(t)
	res, err := text.Revise(d, amendments, []text.Decision{
		{Action: text.ActAccept, AmendmentID: "I"},
		{Action: text.ActAccept, AmendmentID: "D"},
		{Action: text.ActBracket, AmendmentIDs: []string{"F", "G"}, IncludeCurrent: true},
		{Action: text.ActCompromise, ProvisionID: "p4", Text: "the Secretary-General to report to Council.", SourceIDs: []string{"H"}, Note: "chair's text"},
		{Action: text.ActReject, AmendmentID: "H"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"p5 a) recalling Resolution 102;",
		"p1 b) that the Internet is a global resource;",
		"p6 c) [(no text) / that access is essential; / that capacity building matters;]",
		"p3 1 Member States to take part [fully / actively];",
		"p4 2 the Secretary-General to report to Council.",
	}, "\n")
	if got := texts(res.Draft); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	p4, _ := res.Draft.Provision("p4")
	if s := p4.Sources[0]; s.Kind != text.SourceCompromise || s.Label != "JPN/5/1" || s.Note != "chair's text" {
		t.Errorf("compromise source %+v", s)
	}
	// E (NOC beside the accepted SUP) is left undecided, as is every
	// proposal on p1.
	if got := strings.Join(res.Undecided, ","); got != "B,C,A,E" {
		t.Errorf("undecided %s", got)
	}
	// Clearing the ADD bracket to no text removes the provision.
	res2, err := text.Revise(res.Draft, nil, []text.Decision{{Action: text.ActClear, BracketID: "b2", Alternative: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res2.Draft.Provision("p6"); ok {
		t.Error("provision cleared to no text is still there")
	}
	if res2.Log[0].ProvisionID != "p6" {
		t.Errorf("log %+v", res2.Log)
	}
}

func TestReviseSUPBracket(t *testing.T) {
	d, amendments := scenario(t)
	res, err := text.Revise(d, amendments, []text.Decision{{Action: text.ActBracket, AmendmentIDs: []string{"D", "E"}}})
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := res.Draft.Provision("p2")
	b := p2.WholeBracket()
	if b == nil || p2.Text() != "[that all stakeholders have roles to play;]" {
		t.Fatalf("p2 = %q", p2.Text())
	}
	if !b.Alternatives[0].Current || b.Alternatives[0].Supporters[0] != "USA" || b.Alternatives[1].Supporters[0] != "CHN" {
		t.Errorf("bracket %+v", b)
	}
}

func TestClearToNoTextTidiesSpaces(t *testing.T) {
	d := mustDraft(t, "# T\n\n1. the [very] big cat.\n\n2. [Indeed] it sat.\n")
	res, err := text.Revise(d, nil, []text.Decision{{Action: text.ActClear, BracketID: "b1", Alternative: 2}, {Action: text.ActClear, BracketID: "b2", Alternative: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(res.Draft); got != "p1 1 the big cat.\np2 2 it sat." {
		t.Errorf("got %q", got)
	}
}

// TestReviseNote checks the "noted" outcome: the proposal is decided and
// final, the text stays as it was, and the decision's reason travels with
// its status and its log entry.
func TestReviseNote(t *testing.T) {
	d, amendments := scenario(t)
	before := texts(d)
	res, err := text.Revise(d, amendments, []text.Decision{{Action: text.ActNote, AmendmentID: "D", Note: "taken up in the report"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(res.Draft); got != before {
		t.Errorf("noting a proposal changed the text:\n%s\nwant\n%s", got, before)
	}
	if len(res.Statuses) != 1 {
		t.Fatalf("statuses %+v", res.Statuses)
	}
	sc := res.Statuses[0]
	if sc.AmendmentID != "D" || sc.To != text.StatusNoted || sc.Note != "taken up in the report" {
		t.Errorf("status %+v", sc)
	}
	if sc.To.Pending() || text.Transition(text.StatusNoted, text.StatusAccepted) == nil {
		t.Error("a noted proposal is not final")
	}
	if len(res.Log) != 1 || res.Log[0].Action != text.ActNote || res.Log[0].Note != "taken up in the report" {
		t.Fatalf("log %+v", res.Log)
	}
	if got := res.Log[0].Describe(); !strings.Contains(got, " was noted") {
		t.Errorf("describe %q", got)
	}
	for _, id := range res.Undecided {
		if id == "D" {
			t.Error("a noted proposal is left undecided")
		}
	}
	if _, err := text.Revise(d, amendments, []text.Decision{{Action: text.ActNote, AmendmentID: "D"}, {Action: text.ActReject, AmendmentID: "D"}}); err == nil {
		t.Error("a proposal noted and rejected")
	}
}
