package text_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/text"
)

func redlineSummaryOf(r *text.Redline) string {
	var out []string
	for _, e := range r.Entries {
		s := fmt.Sprintf("%s:%s", e.ID, e.Status)
		if e.Moved {
			s += "+moved"
		}
		if e.Relabelled {
			s += "+relabelled(" + e.OldLabel + ">" + e.Label + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestCompareRevisions(t *testing.T) {
	d, amendments := scenario(t)
	res, err := text.Revise(d, amendments, []text.Decision{
		{Action: text.ActAccept, AmendmentID: "I"},
		{Action: text.ActAccept, AmendmentID: "D"},
		{Action: text.ActAccept, AmendmentID: "H"},
		{Action: text.ActClear, BracketID: "b1", Alternative: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := text.Compare(d, res.Draft)
	want := "p5:added p1:unchanged+relabelled(a)>b)) p2:deleted p3:changed p4:changed"
	if got := redlineSummaryOf(r); got != want {
		t.Errorf("redline %s\nwant %s", got, want)
	}
	if r.Added != 1 || r.Deleted != 1 || r.Changed != 2 || r.Moved != 0 || r.From != 0 || r.To != 1 {
		t.Errorf("counts %+v", r)
	}
	ch := r.Entries[4].Changes
	wantCh := []text.Change{{Op: text.OpEqual, Text: "the Secretary-General to report"}, {Op: text.OpInsert, Text: " annually"}, {Op: text.OpEqual, Text: "."}}
	if fmt.Sprint(ch) != fmt.Sprint(wantCh) {
		t.Errorf("changes %v", ch)
	}
	br := r.Entries[3].Changes
	wantBr := []text.Change{{Op: text.OpEqual, Text: "Member States to take part "}, {Op: text.OpDelete, Text: "[fully / actively]", Bracket: "b1"}, {Op: text.OpInsert, Text: "fully"}, {Op: text.OpEqual, Text: ";"}}
	if fmt.Sprint(br) != fmt.Sprint(wantBr) {
		t.Errorf("bracket changes %v", br)
	}
}

func TestCompareMovedAndAdRef(t *testing.T) {
	d := mustDraft(t, "# T\n\n1. one [a / b].\n\n2. two.\n\n3. three.\n\n4. four.\n")
	nd := d.Clone()
	nd.Revision = 1
	nd.Provisions[0], nd.Provisions[3] = nd.Provisions[3], nd.Provisions[0]
	nd.Renumber()
	b := nd.Provisions[3].Body[1].Bracket
	b.Status, b.Agreed = text.BracketAdReferendum, new(int)
	r := text.Compare(d, nd)
	want := "p4:unchanged+moved+relabelled(4>1) p2:unchanged p3:unchanged p1:changed+moved+relabelled(1>4)"
	if got := redlineSummaryOf(r); got != want {
		t.Errorf("redline %s", got)
	}
	if r.Moved == 0 {
		t.Error("no move detected")
	}
}

func TestCompareByText(t *testing.T) {
	a := mustDraft(t, "# T\n\n1. alpha.\n\n2. beta.\n\n3. gamma.\n\n4. delta.\n")
	b := mustDraft(t, "# T\n\n1. alpha.\n\n2. BETA.\n\n3. gamma.\n\n4. delta.\n\n5. epsilon.\n")
	r := text.CompareByText(a, b)
	want := "p1:unchanged p2:changed p3:unchanged p4:unchanged p5:added"
	if got := redlineSummaryOf(r); got != want {
		t.Errorf("redline %s, want %s", got, want)
	}
	c := mustDraft(t, "# T\n\n1. alpha.\n\n2. gamma.\n")
	r = text.CompareByText(a, c)
	want = "p1:unchanged p2:deleted p2:unchanged+relabelled(3>2) p4:deleted"
	if got := redlineSummaryOf(r); got != want {
		t.Errorf("redline %s, want %s", got, want)
	}
}
