package text_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/parse"
)

// words returns a provision's text of exactly n bytes.
func words(n int) string {
	s := strings.Repeat("word ", n/5+1)[:n-1]
	return s + ";"
}

const limitMsg = "a provision's text must be at most 65536 bytes"

func wantTooLong(t *testing.T, what string, err error, field, where string) {
	t.Helper()
	pe := plenary.AsError(err)
	if err == nil || pe.Code != plenary.CodeInvalid || pe.Field != field || !strings.HasPrefix(pe.Message, where+limitMsg) {
		t.Errorf("%s: err %v, want invalid %s %q", what, err, field, where+limitMsg)
	}
}

// One limit per provision, whichever way its text comes in.
func TestProvisionLimit(t *testing.T) {
	at, over := words(text.MaxProvisionText), words(text.MaxProvisionText+1)
	if len(at) != text.MaxProvisionText || len(over) != text.MaxProvisionText+1 {
		t.Fatal("words")
	}
	for _, tt := range []struct {
		name  string
		parse func(string, parse.Options) (*text.Draft, error)
		field string
		src   func(body string) string
		line  string
	}{
		{"markdown", parse.Markdown, "markdown", func(b string) string { return "# text.Draft\n\n*resolves*\n\n1. that it works;\n\n2. " + b + "\n" }, "line 7: "},
		{"markdown heading", parse.Markdown, "markdown", func(b string) string { return "# text.Draft\n\n## " + b + "\n" }, "line 3: "},
		{"plain", parse.Plain, "text", func(b string) string { return "text.Draft\n\n1. that it works;\n2. " + b + "\n" }, "line 4: "},
		{"plain, continued lines", parse.Plain, "text", func(b string) string {
			// The lines join with a space where the line break was.
			i := strings.IndexByte(b[len(b)/2:], ' ') + len(b)/2
			return "text.Draft\n\n1. that it works;\n2. " + b[:i] + "\n" + b[i+1:] + "\n"
		}, "line 4: "},
	} {
		d, err := tt.parse(tt.src(at), parse.Options{})
		if err != nil {
			t.Errorf("%s at the limit: %v", tt.name, err)
		} else if n := len(d.Provisions[len(d.Provisions)-1].Text()); n != text.MaxProvisionText {
			t.Errorf("%s: last provision has %d bytes", tt.name, n)
		}
		_, err = tt.parse(tt.src(over), parse.Options{})
		wantTooLong(t, tt.name, err, tt.field, tt.line)
	}
	// A bracket counts written out: its alternatives and separators.
	_, err := parse.Markdown("1. that ["+words(text.MaxProvisionText/2)+" / "+words(text.MaxProvisionText/2)+"]\n", parse.Options{})
	wantTooLong(t, "bracket", err, "markdown", "line 1: ")

	if err := text.CheckProvisionText("text", at); err != nil {
		t.Errorf("text.CheckProvisionText at the limit: %v", err)
	}
	wantTooLong(t, "text.CheckProvisionText", text.CheckProvisionText("decisions[0].text", over), "decisions[0].text", "")
}

// A revision may not join texts within the limit into a provision over it;
// a provision already longer (stored before the limit) may stay so.
func TestReviseKeepsProvisionsWithinTheLimit(t *testing.T) {
	d := mustDraft(t, "# text.Draft\n\n*resolves*\n\n1. to begin;\n\n2. to end.\n")
	half := words(text.MaxProvisionText/2 + 10)
	var ams []text.Amendment
	for i, who := range []string{"USA", "BRA"} {
		ams = append(ams, mustPropose(t, d, text.Amendment{ID: who, Label: who + "/1/1", Op: text.OpADD, After: "p1", Proposer: who, Text: strings.Repeat(string(rune('a'+i)), 3) + half}))
	}
	_, err := text.Revise(d, ams, []text.Decision{{Action: text.ActBracket, AmendmentIDs: []string{"USA", "BRA"}}})
	wantTooLong(t, "bracket of two long additions", err, "decisions", "provision resolves 2: ")
	res, err := text.Revise(d, ams, []text.Decision{{Action: text.ActAccept, AmendmentID: "USA"}, {Action: text.ActAccept, AmendmentID: "BRA"}})
	if err != nil {
		t.Fatalf("two additions, each within the limit: %v", err)
	}
	// A provision over the limit from before may stay, or shrink.
	long := res.Draft.Clone()
	long.Provisions[0].Body = text.TextPart(words(text.MaxProvisionText + 100))
	noc := mustPropose(t, long, text.Amendment{ID: "N", Label: "USA/2/1", Op: text.OpNOC, Provision: long.Provisions[0].ID, Proposer: "USA"})
	if _, err := text.Revise(long, []text.Amendment{noc}, []text.Decision{{Action: text.ActReject, AmendmentID: "N"}}); err != nil {
		t.Fatalf("a revision leaving a long provision as it was: %v", err)
	}
}
