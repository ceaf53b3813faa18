package text

import (
	"errors"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

const smallMD = `# Opinion

*considering*

a) that the Internet is a global resource;

b) that all stakeholders have roles to play;

*invites*

1. Member States to take part [fully / actively];

2. the Secretary-General to report.
`

func mustDraft(t testing.TB, src string) *Draft {
	t.Helper()
	d, err := ParseMarkdown(src, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustPropose(t testing.TB, d *Draft, a Amendment) Amendment {
	t.Helper()
	a, err := Propose(d, a)
	if err != nil {
		t.Fatalf("Propose(%s): %v", a.ID, err)
	}
	return a
}

func wantCode(t *testing.T, err error, code plenary.Code, contains string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error containing %q, got nil", code, contains)
	}
	if got := plenary.ErrorCode(err); got != code {
		t.Errorf("error %v: code %s, want %s", err, got, code)
	}
	if !strings.Contains(err.Error(), contains) {
		t.Errorf("error %q does not contain %q", err, contains)
	}
}

func TestProposeValidation(t *testing.T) {
	d := mustDraft(t, smallMD)
	tests := []struct {
		name     string
		a        Amendment
		code     plenary.Code
		contains string
	}{
		{"no id", Amendment{Op: OpNOC, Provision: "p1", Proposer: "USA"}, plenary.CodeInvalid, "needs an id"},
		{"no proposer", Amendment{ID: "a", Op: OpNOC, Provision: "p1"}, plenary.CodeInvalid, "proposer"},
		{"bad op", Amendment{ID: "a", Op: "DEL", Provision: "p1", Proposer: "USA"}, plenary.CodeInvalid, "unknown proposal kind"},
		{"MOD unknown", Amendment{ID: "a", Op: OpMOD, Provision: "p99", Text: "x", Proposer: "USA"}, plenary.CodeInvalid, "not in revision 0"},
		{"SUP unknown", Amendment{ID: "a", Op: OpSUP, Provision: "p99", Proposer: "USA"}, plenary.CodeInvalid, "not in revision"},
		{"NOC unknown", Amendment{ID: "a", Op: OpNOC, Provision: "", Proposer: "USA"}, plenary.CodeInvalid, "not in revision"},
		{"ADD no text", Amendment{ID: "a", Op: OpADD, After: "p1", Proposer: "USA"}, plenary.CodeInvalid, "needs text"},
		{"ADD bad after", Amendment{ID: "a", Op: OpADD, After: "p9", Text: "x", Proposer: "USA"}, plenary.CodeInvalid, "not in revision"},
		{"ADD bracket", Amendment{ID: "a", Op: OpADD, After: "p1", Text: "[x]", Proposer: "USA"}, plenary.CodeInvalid, "square brackets"},
		{"ADD bad kind", Amendment{ID: "a", Op: OpADD, Text: "x", Kind: "chapter", Proposer: "USA"}, plenary.CodeInvalid, "kind"},
		{"MOD same", Amendment{ID: "a", Op: OpMOD, Provision: "p1", Text: "that the Internet is a global resource;", Proposer: "USA"}, plenary.CodeInvalid, "use NOC"},
		{"MOD empty", Amendment{ID: "a", Op: OpMOD, Provision: "p1", Text: "  ", Proposer: "USA"}, plenary.CodeInvalid, "use SUP"},
		{"MOD bracket change", Amendment{ID: "a", Op: OpMOD, Provision: "p3", Text: "Member States to take part fully;", Proposer: "USA"}, plenary.CodeInvalid, "touches bracket b1"},
		{"MOD new bracket", Amendment{ID: "a", Op: OpMOD, Provision: "p1", Text: "that the Internet is a [global] resource;", Proposer: "USA"}, plenary.CodeInvalid, "square brackets"},
		{"SUP text", Amendment{ID: "a", Op: OpSUP, Provision: "p1", Text: "x", Proposer: "USA"}, plenary.CodeInvalid, "takes no text"},
		{"status", Amendment{ID: "a", Op: OpNOC, Provision: "p1", Proposer: "USA", Status: StatusAccepted}, plenary.CodeInvalid, "submitted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Propose(d, tt.a)
			wantCode(t, err, tt.code, tt.contains)
		})
	}
}

func TestProposeFillsIn(t *testing.T) {
	d := mustDraft(t, smallMD)
	d.Revision = 3
	a := mustPropose(t, d, Amendment{ID: "a1", Label: "USA/6/1", Op: OpMOD, Provision: "p1", Proposer: " USA ",
		CoSponsors: []string{"CAN", "USA", "CAN", " MEX"}, Text: "  that the Internet is a global public resource;\n"})
	if a.Revision != 3 || a.Status != StatusSubmitted || a.Proposer != "USA" {
		t.Errorf("got %+v", a)
	}
	if strings.Join(a.CoSponsors, ",") != "CAN,MEX" {
		t.Errorf("co-sponsors %v", a.CoSponsors)
	}
	if len(a.Edits) != 1 || a.Edits[0] != (worddiff.Edit{Start: 12, End: 12, New: "public "}) {
		t.Errorf("edits %v", a.Edits)
	}
	// A MOD keeping an open bracket is fine: the bracket is one token.
	m := mustPropose(t, d, Amendment{ID: "a2", Op: OpMOD, Provision: "p3", Proposer: "BRA", Text: "all Member States to take part [fully / actively];"})
	if len(m.Edits) != 1 || m.Edits[0].New != "all " {
		t.Errorf("edits %v", m.Edits)
	}
	add := mustPropose(t, d, Amendment{ID: "a3", Op: OpADD, After: "p2", Proposer: "IND", Text: "that access matters;"})
	if add.Kind != KindPreamble || add.Intro != "considering" {
		t.Errorf("ADD kind %s intro %q", add.Kind, add.Intro)
	}
	start := mustPropose(t, d, Amendment{ID: "a4", Op: OpADD, Proposer: "IND", Text: "Recalling Resolution 102,"})
	if start.Kind != KindPreamble || start.Intro != "considering" {
		t.Errorf("ADD at start kind %s intro %q", start.Kind, start.Intro)
	}
}

func TestTransition(t *testing.T) {
	all := []Status{StatusSubmitted, StatusWithdrawn, StatusAccepted, StatusAcceptedModified, StatusMerged, StatusRejected, StatusSuperseded}
	for _, from := range all {
		for _, to := range all {
			err := Transition(from, to)
			allowed := from == StatusSubmitted && to != StatusSubmitted
			if allowed != (err == nil) {
				t.Errorf("Transition(%s, %s) = %v; allowed = %v", from, to, err, allowed)
			}
			if err != nil && !errors.Is(err, plenary.ErrConflict) {
				t.Errorf("Transition(%s, %s): want a conflict, got %v", from, to, err)
			}
		}
	}
	wantCode(t, Transition("lost", StatusAccepted), plenary.CodeInvalid, "unknown status")
	wantCode(t, Transition(StatusSubmitted, "lost"), plenary.CodeInvalid, "unknown status")
	wantCode(t, Transition(StatusRejected, StatusAccepted), plenary.CodeConflict, "rejected, which is final")
}

func TestAddCoSponsor(t *testing.T) {
	a := Amendment{ID: "a", Label: "USA/6/1", Proposer: "USA", CoSponsors: []string{"CAN"}, Status: StatusSubmitted}
	b, err := AddCoSponsor(a, "MEX")
	if err != nil || strings.Join(b.CoSponsors, ",") != "CAN,MEX" || len(a.CoSponsors) != 1 {
		t.Errorf("AddCoSponsor = %v, %v (original %v)", b.CoSponsors, err, a.CoSponsors)
	}
	_, err = AddCoSponsor(a, "USA")
	wantCode(t, err, plenary.CodeConflict, "proposer")
	_, err = AddCoSponsor(a, "CAN")
	wantCode(t, err, plenary.CodeConflict, "already co-sponsors")
	_, err = AddCoSponsor(a, " ")
	wantCode(t, err, plenary.CodeInvalid, "name the party")
	a.Status = StatusWithdrawn
	_, err = AddCoSponsor(a, "MEX")
	wantCode(t, err, plenary.CodeConflict, "withdrawn")
	if got := b.Proponents(); strings.Join(got, ",") != "USA,CAN,MEX" {
		t.Errorf("Proponents = %v", got)
	}
}

func TestFormatLabel(t *testing.T) {
	for _, tt := range []struct {
		party, doc string
		seq        int
		want       string
	}{
		{"USA", "6", 1, "USA/6/1"},
		{"ACP", "WTPF-13/12(Rev.1)", 3, "ACP/12/3"},
		{"BRA", "DT/55", 10, "BRA/55/10"},
		{"IND", "7-E", 2, "IND/7/2"},
	} {
		if got := FormatLabel(tt.party, tt.doc, tt.seq); got != tt.want {
			t.Errorf("FormatLabel(%q, %q, %d) = %q, want %q", tt.party, tt.doc, tt.seq, got, tt.want)
		}
	}
}

func TestNaturalLess(t *testing.T) {
	ordered := []string{"", "BRA/3/1", "USA/6/2", "USA/6/10", "USA/06/11", "USA/7/1", "USAB/1/1"}
	for i := range ordered {
		for j := range ordered {
			if got := naturalLess(ordered[i], ordered[j]); got != (i < j) {
				t.Errorf("naturalLess(%q, %q) = %v", ordered[i], ordered[j], got)
			}
		}
	}
}

func TestCarryOver(t *testing.T) {
	d := mustDraft(t, smallMD)
	mod := mustPropose(t, d, Amendment{ID: "m", Op: OpMOD, Provision: "p2", Proposer: "USA", Text: "that every stakeholder has a role;"})
	other := mustPropose(t, d, Amendment{ID: "o", Op: OpMOD, Provision: "p1", Proposer: "BRA", Text: "that the Internet is global;"})
	accept := mustPropose(t, d, Amendment{ID: "x", Op: OpMOD, Provision: "p4", Proposer: "IND", Text: "the Secretary-General to report yearly."})
	res, err := Revise(d, []Amendment{mod, other, accept}, []Decision{{Action: ActAccept, AmendmentID: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Undecided, ",") != "o,m" {
		t.Errorf("undecided = %v", res.Undecided)
	}
	moved, err := CarryOver(mod, d, res.Draft)
	if err != nil || moved.Revision != 1 {
		t.Errorf("CarryOver = %+v, %v", moved, err)
	}
	if _, err := Compile(res.Draft, []Amendment{moved}); err != nil {
		t.Errorf("compile carried over: %v", err)
	}
	_, err = Compile(res.Draft, []Amendment{mod})
	wantCode(t, err, plenary.CodeConflict, "revision 0, not revision 1")
	// The target of x changed: a proposal on it cannot be carried over.
	stale := mustPropose(t, d, Amendment{ID: "s", Op: OpNOC, Provision: "p4", Proposer: "RUS"})
	_, err = CarryOver(stale, d, res.Draft)
	wantCode(t, err, plenary.CodeConflict, "changed in revision 1")
	stale.Status = StatusRejected
	_, err = CarryOver(stale, d, res.Draft)
	wantCode(t, err, plenary.CodeConflict, "only pending")
}

func TestSetStatus(t *testing.T) {
	a := Amendment{ID: "a", Label: "USA/6/1", Status: StatusSubmitted}
	b, err := SetStatus(a, StatusMerged, "b")
	if err != nil || b.Status != StatusMerged || b.MergedInto != "b" || a.Status != StatusSubmitted {
		t.Errorf("SetStatus merged = %+v, %v", b, err)
	}
	_, err = SetStatus(a, StatusMerged, "")
	wantCode(t, err, plenary.CodeInvalid, "merges into")
	_, err = SetStatus(a, StatusMerged, "a")
	wantCode(t, err, plenary.CodeInvalid, "merges into")
	_, err = SetStatus(a, StatusRejected, "b")
	wantCode(t, err, plenary.CodeInvalid, "only a merged")
	_, err = SetStatus(b, StatusAccepted, "")
	wantCode(t, err, plenary.CodeConflict, "final")
}
