package text_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/parse"
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

func mustDraft(t testing.TB, src string) *text.Draft {
	t.Helper()
	d, err := parse.Markdown(src, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustPropose(t testing.TB, d *text.Draft, a text.Amendment) text.Amendment {
	t.Helper()
	a, err := text.Propose(d, a)
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
		a        text.Amendment
		code     plenary.Code
		contains string
	}{
		{"no id", text.Amendment{Op: text.OpNOC, Provision: "p1", Proposer: "USA"}, plenary.CodeInvalid, "needs an id"},
		{"no proposer", text.Amendment{ID: "a", Op: text.OpNOC, Provision: "p1"}, plenary.CodeInvalid, "proposer"},
		{"bad op", text.Amendment{ID: "a", Op: "DEL", Provision: "p1", Proposer: "USA"}, plenary.CodeInvalid, "unknown proposal kind"},
		{"MOD unknown", text.Amendment{ID: "a", Op: text.OpMOD, Provision: "p99", Text: "x", Proposer: "USA"}, plenary.CodeInvalid, "not in revision 0"},
		{"SUP unknown", text.Amendment{ID: "a", Op: text.OpSUP, Provision: "p99", Proposer: "USA"}, plenary.CodeInvalid, "not in revision"},
		{"NOC unknown", text.Amendment{ID: "a", Op: text.OpNOC, Provision: "", Proposer: "USA"}, plenary.CodeInvalid, "not in revision"},
		{"ADD no text", text.Amendment{ID: "a", Op: text.OpADD, After: "p1", Proposer: "USA"}, plenary.CodeInvalid, "needs text"},
		{"ADD bad after", text.Amendment{ID: "a", Op: text.OpADD, After: "p9", Text: "x", Proposer: "USA"}, plenary.CodeInvalid, "not in revision"},
		{"ADD bracket", text.Amendment{ID: "a", Op: text.OpADD, After: "p1", Text: "[x]", Proposer: "USA"}, plenary.CodeInvalid, "square brackets"},
		{"ADD bad kind", text.Amendment{ID: "a", Op: text.OpADD, Text: "x", Kind: "chapter", Proposer: "USA"}, plenary.CodeInvalid, "kind"},
		{"MOD same", text.Amendment{ID: "a", Op: text.OpMOD, Provision: "p1", Text: "that the Internet is a global resource;", Proposer: "USA"}, plenary.CodeInvalid, "use NOC"},
		{"MOD empty", text.Amendment{ID: "a", Op: text.OpMOD, Provision: "p1", Text: "  ", Proposer: "USA"}, plenary.CodeInvalid, "use SUP"},
		{"MOD bracket change", text.Amendment{ID: "a", Op: text.OpMOD, Provision: "p3", Text: "Member States to take part fully;", Proposer: "USA"}, plenary.CodeInvalid, "touches bracket b1"},
		{"MOD new bracket", text.Amendment{ID: "a", Op: text.OpMOD, Provision: "p1", Text: "that the Internet is a [global] resource;", Proposer: "USA"}, plenary.CodeInvalid, "square brackets"},
		{"SUP text", text.Amendment{ID: "a", Op: text.OpSUP, Provision: "p1", Text: "x", Proposer: "USA"}, plenary.CodeInvalid, "takes no text"},
		{"status", text.Amendment{ID: "a", Op: text.OpNOC, Provision: "p1", Proposer: "USA", Status: text.StatusAccepted}, plenary.CodeInvalid, "submitted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := text.Propose(d, tt.a)
			wantCode(t, err, tt.code, tt.contains)
		})
	}
}

func TestProposeFillsIn(t *testing.T) {
	d := mustDraft(t, smallMD)
	d.Revision = 3
	a := mustPropose(t, d, text.Amendment{ID: "a1", Label: "USA/6/1", Op: text.OpMOD, Provision: "p1", Proposer: " USA ",
		CoSponsors: []string{"CAN", "USA", "CAN", " MEX"}, Text: "  that the Internet is a global public resource;\n"})
	if a.Revision != 3 || a.Status != text.StatusSubmitted || a.Proposer != "USA" {
		t.Errorf("got %+v", a)
	}
	if strings.Join(a.CoSponsors, ",") != "CAN,MEX" {
		t.Errorf("co-sponsors %v", a.CoSponsors)
	}
	if len(a.Edits) != 1 || a.Edits[0] != (worddiff.Edit{Start: 12, End: 12, New: "public "}) {
		t.Errorf("edits %v", a.Edits)
	}
	// A MOD keeping an open bracket is fine: the bracket is one token.
	m := mustPropose(t, d, text.Amendment{ID: "a2", Op: text.OpMOD, Provision: "p3", Proposer: "BRA", Text: "all Member States to take part [fully / actively];"})
	if len(m.Edits) != 1 || m.Edits[0].New != "all " {
		t.Errorf("edits %v", m.Edits)
	}
	add := mustPropose(t, d, text.Amendment{ID: "a3", Op: text.OpADD, After: "p2", Proposer: "IND", Text: "that access matters;"})
	if add.Kind != text.KindPreamble || add.Intro != "considering" {
		t.Errorf("ADD kind %s intro %q", add.Kind, add.Intro)
	}
	start := mustPropose(t, d, text.Amendment{ID: "a4", Op: text.OpADD, Proposer: "IND", Text: "Recalling Resolution 102,"})
	if start.Kind != text.KindPreamble || start.Intro != "considering" {
		t.Errorf("ADD at start kind %s intro %q", start.Kind, start.Intro)
	}
}

func TestTransition(t *testing.T) {
	all := []text.Status{text.StatusSubmitted, text.StatusWithdrawn, text.StatusAccepted, text.StatusAcceptedModified, text.StatusMerged, text.StatusRejected, text.StatusSuperseded}
	for _, from := range all {
		for _, to := range all {
			err := text.Transition(from, to)
			allowed := from == text.StatusSubmitted && to != text.StatusSubmitted
			if allowed != (err == nil) {
				t.Errorf("Transition(%s, %s) = %v; allowed = %v", from, to, err, allowed)
			}
			if err != nil && !errors.Is(err, plenary.ErrConflict) {
				t.Errorf("Transition(%s, %s): want a conflict, got %v", from, to, err)
			}
		}
	}
	wantCode(t, text.Transition("lost", text.StatusAccepted), plenary.CodeInvalid, "unknown status")
	wantCode(t, text.Transition(text.StatusSubmitted, "lost"), plenary.CodeInvalid, "unknown status")
	wantCode(t, text.Transition(text.StatusRejected, text.StatusAccepted), plenary.CodeConflict, "rejected, which is final")
}

func TestAddCoSponsor(t *testing.T) {
	a := text.Amendment{ID: "a", Label: "USA/6/1", Proposer: "USA", CoSponsors: []string{"CAN"}, Status: text.StatusSubmitted}
	b, err := text.AddCoSponsor(a, "MEX")
	if err != nil || strings.Join(b.CoSponsors, ",") != "CAN,MEX" || len(a.CoSponsors) != 1 {
		t.Errorf("AddCoSponsor = %v, %v (original %v)", b.CoSponsors, err, a.CoSponsors)
	}
	_, err = text.AddCoSponsor(a, "USA")
	wantCode(t, err, plenary.CodeConflict, "proposer")
	_, err = text.AddCoSponsor(a, "CAN")
	wantCode(t, err, plenary.CodeConflict, "already co-sponsors")
	_, err = text.AddCoSponsor(a, " ")
	wantCode(t, err, plenary.CodeInvalid, "name the party")
	a.Status = text.StatusWithdrawn
	_, err = text.AddCoSponsor(a, "MEX")
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
		if got := text.FormatLabel(tt.party, tt.doc, tt.seq); got != tt.want {
			t.Errorf("FormatLabel(%q, %q, %d) = %q, want %q", tt.party, tt.doc, tt.seq, got, tt.want)
		}
	}
}

func TestNaturalLess(t *testing.T) {
	ordered := []string{"", "BRA/3/1", "USA/6/2", "USA/6/10", "USA/06/11", "USA/7/1", "USAB/1/1"}
	for i := range ordered {
		for j := range ordered {
			if got := text.NaturalLess(ordered[i], ordered[j]); got != (i < j) {
				t.Errorf("naturalLess(%q, %q) = %v", ordered[i], ordered[j], got)
			}
		}
	}
}

func TestCarryOver(t *testing.T) {
	d := mustDraft(t, smallMD)
	mod := mustPropose(t, d, text.Amendment{ID: "m", Op: text.OpMOD, Provision: "p2", Proposer: "USA", Text: "that every stakeholder has a role;"})
	other := mustPropose(t, d, text.Amendment{ID: "o", Op: text.OpMOD, Provision: "p1", Proposer: "BRA", Text: "that the Internet is global;"})
	accept := mustPropose(t, d, text.Amendment{ID: "x", Op: text.OpMOD, Provision: "p4", Proposer: "IND", Text: "the Secretary-General to report yearly."})
	res, err := text.Revise(d, []text.Amendment{mod, other, accept}, []text.Decision{{Action: text.ActAccept, AmendmentID: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Undecided, ",") != "o,m" {
		t.Errorf("undecided = %v", res.Undecided)
	}
	moved, err := text.CarryOver(mod, d, res.Draft)
	if err != nil || moved.Revision != 1 {
		t.Errorf("CarryOver = %+v, %v", moved, err)
	}
	if _, err := text.Compile(res.Draft, []text.Amendment{moved}); err != nil {
		t.Errorf("compile carried over: %v", err)
	}
	_, err = text.Compile(res.Draft, []text.Amendment{mod})
	wantCode(t, err, plenary.CodeConflict, "revision 0, not revision 1")
	// The target of x changed: a proposal on it cannot be carried over.
	stale := mustPropose(t, d, text.Amendment{ID: "s", Op: text.OpNOC, Provision: "p4", Proposer: "RUS"})
	_, err = text.CarryOver(stale, d, res.Draft)
	wantCode(t, err, plenary.CodeConflict, "changed in revision 1")
	stale.Status = text.StatusRejected
	_, err = text.CarryOver(stale, d, res.Draft)
	wantCode(t, err, plenary.CodeConflict, "only pending")
}

func TestSetStatus(t *testing.T) {
	a := text.Amendment{ID: "a", Label: "USA/6/1", Status: text.StatusSubmitted}
	b, err := text.SetStatus(a, text.StatusMerged, "b")
	if err != nil || b.Status != text.StatusMerged || b.MergedInto != "b" || a.Status != text.StatusSubmitted {
		t.Errorf("SetStatus merged = %+v, %v", b, err)
	}
	_, err = text.SetStatus(a, text.StatusMerged, "")
	wantCode(t, err, plenary.CodeInvalid, "merges into")
	_, err = text.SetStatus(a, text.StatusMerged, "a")
	wantCode(t, err, plenary.CodeInvalid, "merges into")
	_, err = text.SetStatus(a, text.StatusRejected, "b")
	wantCode(t, err, plenary.CodeInvalid, "only a merged")
	_, err = text.SetStatus(b, text.StatusAccepted, "")
	wantCode(t, err, plenary.CodeConflict, "final")
}
