package export_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/parse"
)

// The fragments are checked on the drafts the text package's tests use,
// so that ids (p2, b1, proposal-4...) match those tests.

const annexOpinion = `# Draft Opinion 5: Supporting multi-stakeholderism in Internet governance

The fifth World Telecommunication/ICT Policy Forum (Geneva, 2013),

*considering*

a) that the Internet is a global resource;

b) that all stakeholders have roles to play,\
in their respective capacities;

*recognizing*

- the work of the Internet Governance Forum;

*is of the view*

1. that [multi-stakeholder / multistakeholder] participation should be strengthened;

2. that the process is [open];

*invites Member States*

1. to share their experience.

## Annex

Some text with a \[literal\] bracket and a \* star.
`

const smallOpinion = `# Opinion

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

// scenario is the small opinion with proposals that collide in every way.
func scenario(t testing.TB) (*text.Draft, []text.Amendment) {
	t.Helper()
	d := mustDraft(t, smallOpinion)
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

func TestDraftHTML(t *testing.T) {
	d := mustDraft(t, annexOpinion)
	d.Provisions[4].Body[1].Bracket.Alternatives[0].Supporters = []string{"USA", "<CAN>"}
	h := string(export.DraftHTML(d, text.RenderOptions{Supporters: true}))
	for _, want := range []string{
		`<h1 class="draft-title">Draft Opinion 5: Supporting multi-stakeholderism in Internet governance</h1>`,
		`<p class="intro"><em>considering</em></p>`,
		`<p class="provision preamble" id="prov-p2" data-provision="p2"><span class="label">a)</span> <span class="body">that the Internet is a global resource;</span></p>`,
		`roles to play,<br>`,
		`<span class="bracket" data-bracket="b1" data-status="open" role="group" aria-label="Bracket b1, 2 alternatives">[<span class="alternative" data-alternative="1" title="Supported by USA, &lt;CAN&gt;">multi-stakeholder <span class="supporters">(USA, &lt;CAN&gt;)</span></span> / <span class="alternative" data-alternative="2">multistakeholder</span>]</span>`,
		`<span class="label">1.</span>`,
		`<h2 class="provision heading" id="prov-p8" data-provision="p8"><span class="body">Annex</span></h2>`,
		`a [literal] bracket`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s\n%s", want, h)
		}
	}
	if strings.Contains(h, "<CAN>") {
		t.Error("unescaped text in HTML")
	}
	anon := string(export.DraftHTML(d, text.RenderOptions{Supporters: true, Anonymised: true}))
	if strings.Contains(anon, "USA") {
		t.Error("anonymised HTML names a supporter")
	}
}

func TestCompilationHTMLBracketsInChanges(t *testing.T) {
	d := mustDraft(t, smallOpinion)
	a := mustPropose(t, d, text.Amendment{ID: "x", Label: "EGY/1/1", Op: text.OpMOD, Provision: "p3", Proposer: "EGY", Text: "all Member States to take part [fully / actively];"})
	c, err := text.Compile(d, []text.Amendment{a})
	if err != nil {
		t.Fatal(err)
	}
	h := string(export.CompilationHTML(c, text.RenderOptions{}))
	if !strings.Contains(h, `<ins>all </ins>Member States to take part <span class="bracket" data-bracket="b1"`) {
		t.Errorf("bracket not rendered inside changes:\n%s", h)
	}
}

func TestCompilationHTML(t *testing.T) {
	d, amendments := scenario(t)
	d.Provisions[2].Body[1].Bracket.Alternatives[0].Supporters = []string{"EGY"}
	c, err := text.Compile(d, amendments)
	if err != nil {
		t.Fatal(err)
	}
	anon := c.Anonymised()
	for _, party := range []string{"USA", "BRA", "RUS", "CHN", "IND", "JPN", "GBR", "CAN", "EGY", "doc-6", "Public."} {
		for name, out := range map[string][]byte{
			"html":      export.CompilationHTML(c, text.RenderOptions{Anonymised: true, Supporters: true}),
			"copy-html": export.CompilationHTML(anon, text.RenderOptions{Supporters: true}),
		} {
			if bytes.Contains(out, []byte(party)) {
				t.Errorf("anonymised %s names %s", name, party)
			}
		}
	}
	if !bytes.Contains(export.CompilationHTML(anon, text.RenderOptions{}), []byte("Proposal 4")) {
		t.Error("anonymised view does not name proposals by number")
	}
	attributed := string(export.CompilationHTML(c, text.RenderOptions{}))
	for _, want := range []string{
		`<li class="proposal mod collides" id="proposal-4" data-number="4" data-collision="c1"><span class="op">MOD</span> <span class="ref">USA/6/1</span> <span class="proponents">(USA, CAN)</span> <a class="collision-mark" href="#collision-c1">collision c1</a> <span class="contribution">doc-6</span><div class="changes">that the Internet is a global <ins>public </ins>resource;</div><p class="rationale">Public.</p></li>`,
		`<section class="compiled-provision has-proposals" id="comp-p2" data-provision="p2">`,
		`<li class="collision suppression" id="collision-c2">c2 (deletion beside other proposals) at <a href="#comp-p2">considering b)</a>: <a href="#proposal-5">CHN/2/1</a>, <a href="#proposal-6">USA/6/2</a></li>`,
		`<section class="compiled-slot" id="comp-start">`,
	} {
		if !strings.Contains(attributed, want) {
			t.Errorf("compilation HTML lacks\n%s\n%s", want, attributed)
		}
	}
}

func TestRedlineHTML(t *testing.T) {
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
	h := string(export.RedlineHTML(text.Compare(d, res.Draft)))
	for _, want := range []string{
		`<p class="provision preamble added" id="prov-p5" data-provision="p5"><span class="label">a)</span> <span class="body"><ins>recalling Resolution 102;</ins></span></p>`,
		`<span class="label"><del>a)</del> <ins>b)</ins></span>`,
		`<p class="provision preamble deleted" id="prov-deleted-p2" data-provision="p2"><span class="label">b)</span> <span class="body"><del>that all stakeholders have roles to play;</del></span></p>`,
		`<del><span class="bracket" data-bracket="b1">[fully / actively]</span></del><ins>fully</ins>`,
		`1 added, 1 deleted, 2 changed, 0 moved.`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("redline HTML lacks\n%s\n%s", want, h)
		}
	}
}

func TestRenderEscapesEverything(t *testing.T) {
	d := text.NewDraft(`<T & "x">`)
	d.Append(text.Provision{Kind: text.KindOperative, Intro: "<i>resolves</i>", Body: text.TextPart(`a <script>alert("x")</script> & 'q'`)})
	a := mustPropose(t, d, text.Amendment{ID: `"id"`, Label: "<L>", Op: text.OpMOD, Provision: "p1", Proposer: "<P>", Rationale: "<b>why</b>", Contribution: "<c>",
		Text: `a <script>alert("y")</script> & 'q'`})
	c, err := text.Compile(d, []text.Amendment{a})
	if err != nil {
		t.Fatal(err)
	}
	res, err := text.Revise(d, []text.Amendment{a}, []text.Decision{{Action: text.ActAccept, AmendmentID: a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string][]byte{
		"draft": export.DraftHTML(d, text.RenderOptions{Supporters: true}), "compilation": export.CompilationHTML(c, text.RenderOptions{Supporters: true}),
		"redline": export.RedlineHTML(text.Compare(d, res.Draft)),
	} {
		s := string(out)
		for _, bad := range []string{"<script", "<T ", "<b>why", "<L>", "<P>", "<c>", "<i>resolves"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s HTML holds unescaped %q:\n%s", name, bad, s)
			}
		}
	}
}
