package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/parse"
	"github.com/plenary-forum/plenary/internal/text/render"
)

const smallMD = `# Opinion

*considering*

a) that the Internet is a global resource;

b) that all stakeholders have roles to play;

*invites*

1. Member States to take part [fully / actively];

2. the Secretary-General to report.
`

// scenario is the small opinion with proposals that collide in every way,
// as in the tests of package text.
func scenario(t *testing.T) (*text.Draft, []text.Amendment) {
	t.Helper()
	d, err := parse.Markdown(smallMD, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
	}
	var out []text.Amendment
	for _, a := range in {
		a, err := text.Propose(d, a)
		if err != nil {
			t.Fatalf("Propose(%s): %v", a.ID, err)
		}
		out = append(out, a)
	}
	return d, out
}

func TestCompilationMarkdown(t *testing.T) {
	d, amendments := scenario(t)
	d.Provisions[2].Body[1].Bracket.Alternatives[0].Supporters = []string{"EGY"}
	c, err := text.Compile(d, amendments)
	if err != nil {
		t.Fatal(err)
	}
	anon := c.Anonymised()
	for _, party := range []string{"USA", "BRA", "RUS", "CHN", "IND", "JPN", "GBR", "CAN", "EGY", "doc-6", "Public."} {
		for name, out := range map[string][]byte{
			"md":      render.CompilationMarkdown(c, text.RenderOptions{Anonymised: true}),
			"copy-md": render.CompilationMarkdown(anon, text.RenderOptions{}),
		} {
			if bytes.Contains(out, []byte(party)) {
				t.Errorf("anonymised %s names %s", name, party)
			}
		}
	}
	md := string(render.CompilationMarkdown(c, text.RenderOptions{}))
	for _, want := range []string{
		"- **MOD** USA/6/1 (USA, CAN) — collision c1: that the Internet is a global **public** resource;",
		"- **SUP** CHN/2/1 (CHN) — collision c2: ~~that all stakeholders have roles to play;~~",
		"## invites 1.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("compilation Markdown lacks\n%s\n%s", want, md)
		}
	}
}

func TestRedlineMarkdown(t *testing.T) {
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
	md := string(render.RedlineMarkdown(text.Compare(d, res.Draft)))
	for _, want := range []string{
		"# Opinion: changes from revision 0 to revision 1\n\n1 added, 1 deleted, 2 changed, 0 moved.\n\n*considering*\n\n",
		"a) **recalling Resolution 102;** *(added)*",
		"b) that the Internet is a global resource; *(was a))*",
		"b) ~~that all stakeholders have roles to play;~~ *(deleted)*",
		"1. Member States to take part ~~[fully / actively]~~**fully**;",
		"2. the Secretary-General to report **annually**.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("redline Markdown lacks\n%s\n%s", want, md)
		}
	}
}

func TestChangesMarkdown(t *testing.T) {
	got := render.ChangesMarkdown([]text.Change{
		{Op: text.OpEqual, Text: "take *part* "},
		{Op: text.OpDelete, Text: "[a / b]", Bracket: "b1"},
		{Op: text.OpInsert, Text: " fully "},
		{Op: text.OpDelete, Text: " "},
	})
	if want := `take \*part\* ~~[a / b]~~ **fully**  `; got != want {
		t.Errorf("ChangesMarkdown = %q, want %q", got, want)
	}
}

func TestPlain(t *testing.T) {
	d, _ := scenario(t)
	want := "Opinion\n\nconsidering\n\na) that the Internet is a global resource;\n\nb) that all stakeholders have roles to play;\n\n" +
		"invites\n\n1. Member States to take part [fully / actively];\n\n2. the Secretary-General to report.\n\n"
	if got := string(render.Plain(d)); got != want {
		t.Errorf("Plain:\n%s\nwant:\n%s", got, want)
	}
}
