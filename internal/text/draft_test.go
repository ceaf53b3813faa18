package text_test

import (
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/text"
)

// AppendImported keeps a label written in the text fixed only where the
// automatic numbering would give another, and leaves the provisions that
// were already in the draft as Append left them.
func TestAppendImported(t *testing.T) {
	d := text.NewDraft("T")
	d.Append(text.Provision{Kind: text.KindParagraph, Label: "1", LabelFixed: true, Body: text.TextPart("one")})
	br := &text.Bracket{Status: text.BracketOpen, Alternatives: []text.Alternative{{Text: "a"}, {Text: "b"}}}
	d.AppendImported([]text.Provision{
		{Kind: text.KindParagraph, Label: "2", LabelFixed: true, Body: text.TextPart("two")},
		{Kind: text.KindParagraph, Label: "7", LabelFixed: true, Body: text.TextPart("seven")},
		{Kind: text.KindParagraph, Body: []text.Part{{Text: "eight "}, {Text: ""}, {Bracket: br}}},
	})
	var got []string
	for _, p := range d.Provisions {
		got = append(got, fmt.Sprintf("%s %s %v %d", p.ID, p.Label, p.LabelFixed, len(p.Body)))
	}
	want := "[p1 1 true 1 p2 2 false 1 p3 7 true 1 p4 8 false 2]"
	if fmt.Sprint(got) != want {
		t.Errorf("provisions %v, want %s", got, want)
	}
	if br.ID != "b1" || d.NextProvision != 5 || d.NextBracket != 2 {
		t.Errorf("bracket id %q, counters %d %d", br.ID, d.NextProvision, d.NextBracket)
	}
	if err := d.Validate(); err != nil {
		t.Error(err)
	}
}
