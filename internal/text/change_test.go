package text

import (
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

func TestEditChanges(t *testing.T) {
	a := worddiff.Tokenize("the quick brown fox")
	got := EditChanges(a, worddiff.DiffWords("the quick brown fox", "the slow brown dog"))
	want := []Change{
		{Op: OpEqual, Text: "the "}, {Op: OpDelete, Text: "quick"}, {Op: OpInsert, Text: "slow"},
		{Op: OpEqual, Text: " brown "}, {Op: OpDelete, Text: "fox"}, {Op: OpInsert, Text: "dog"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("EditChanges = %v, want %v", got, want)
	}
}
