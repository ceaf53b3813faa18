package parse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
)

const opinionMD = `# Draft Opinion 5: Supporting multi-stakeholderism in Internet governance

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

func TestParseMarkdownOpinion(t *testing.T) {
	d, err := Markdown(opinionMD, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Draft Opinion 5: Supporting multi-stakeholderism in Internet governance" {
		t.Errorf("title = %q", d.Title)
	}
	type row struct {
		id, kind, intro, label string
		fixed                  bool
		text                   string
	}
	want := []row{
		{"p1", "paragraph", "", "", true, "The fifth World Telecommunication/ICT Policy Forum (Geneva, 2013),"},
		{"p2", "preamble", "considering", "a)", false, "that the Internet is a global resource;"},
		{"p3", "preamble", "considering", "b)", false, "that all stakeholders have roles to play,\nin their respective capacities;"},
		{"p4", "preamble", "recognizing", "a)", false, "the work of the Internet Governance Forum;"},
		{"p5", "operative", "is of the view", "1", false, "that [multi-stakeholder / multistakeholder] participation should be strengthened;"},
		{"p6", "operative", "is of the view", "2", false, "that the process is [open];"},
		{"p7", "operative", "invites Member States", "1", false, "to share their experience."},
		{"p8", "heading", "", "", false, "Annex"},
		{"p9", "paragraph", "", "", true, "Some text with a [literal] bracket and a * star."},
	}
	if len(d.Provisions) != len(want) {
		t.Fatalf("got %d provisions, want %d: %+v", len(d.Provisions), len(want), d.Provisions)
	}
	for i, w := range want {
		p := d.Provisions[i]
		got := row{p.ID, string(p.Kind), p.Intro, p.Label, p.LabelFixed, p.Text()}
		if got != w {
			t.Errorf("provision %d = %+v, want %+v", i, got, w)
		}
	}
	if n := d.OpenBrackets(); n != 2 {
		t.Errorf("open brackets = %d, want 2", n)
	}
	b := d.Provisions[5].Body[1].Bracket
	if b == nil || b.ID != "b2" || len(b.Alternatives) != 2 || b.Alternatives[1].Text != "" {
		t.Errorf("optional bracket = %+v", b)
	}
	if p9 := d.Provisions[8]; len(p9.Body) != 1 || p9.Body[0].Bracket != nil {
		t.Errorf("escaped brackets must stay literal: %+v", p9.Body)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestParseMarkdownTreaty(t *testing.T) {
	src := "# International Telecommunication Regulations\n\n## Article 1 — Purpose and scope\n\n1.1 These Regulations establish general principles.\n\n1.2 They apply.\n\n## Article 3: International network\n\n3.1 Members shall endeavour to ensure.\n\n3.1bis Extra.\n\n- Unnumbered addition.\n"
	d, err := Markdown(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Provisions {
		got = append(got, fmt.Sprintf("%s|%s|%v|%s", p.Kind, p.Label, p.LabelFixed, p.Text()))
	}
	want := []string{
		"article|Article 1|false|Purpose and scope",
		"paragraph|1.1|false|These Regulations establish general principles.",
		"paragraph|1.2|false|They apply.",
		"article|Article 3|true|International network",
		"paragraph|3.1|false|Members shall endeavour to ensure.",
		"paragraph||true|3.1bis Extra.",
		"paragraph|3.2|false|Unnumbered addition.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{
		"a) text [open",
		"a) text ] close",
		"a) [a [b] c]",
	} {
		_, err := Markdown(src, Options{})
		if err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("Markdown(%q) error = %v, want a line 1 error", src, err)
		}
		if _, err := Markdown(src, Options{LiteralBrackets: true}); err != nil {
			t.Errorf("with literal brackets, %q: %v", src, err)
		}
	}
}

const opinionPlain = `DRAFT OPINION 5

Supporting multi-stakeholderism

considering
a) that the Internet is a global resource;
b) that all stakeholders have roles to play
in their respective capacities;

noting that the Forum met in Geneva;

is of the view

1. that participation should be [strengthened / encouraged];
2. that the process is open.

Article 3 – International network

3.1 Members shall endeavour to ensure.
`

func TestParsePlain(t *testing.T) {
	d, err := Plain(opinionPlain, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "DRAFT OPINION 5" {
		t.Errorf("title = %q", d.Title)
	}
	var got []string
	for _, p := range d.Provisions {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s", p.Kind, p.Intro, p.Label, p.Text()))
	}
	want := []string{
		"heading|||Supporting multi-stakeholderism",
		"preamble|considering|a)|that the Internet is a global resource;",
		"preamble|considering|b)|that all stakeholders have roles to play in their respective capacities;",
		"preamble|noting|a)|that the Forum met in Geneva;",
		"operative|is of the view|1|that participation should be [strengthened / encouraged];",
		"operative|is of the view|2|that the process is open.",
		"article||Article 3|International network",
		"paragraph||3.1|Members shall endeavour to ensure.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlainIntro(t *testing.T) {
	tests := []struct {
		line, intro, body string
		ok                bool
	}{
		{"considering", "considering", "", true},
		{"further recognizing,", "further recognizing", "", true},
		{"invites Member States:", "invites Member States", "", true},
		{"invites Member States to take part.", "", "", false},
		{"noting that the Forum met;", "noting", "that the Forum met;", true},
		{"noting with appreciation", "noting with appreciation", "", true},
		{"Notes on the agenda", "", "", false},
		{"The Forum considered", "", "", false},
	}
	for _, tt := range tests {
		intro, body, ok := plainIntro(tt.line)
		if intro != tt.intro || body != tt.body || ok != tt.ok {
			t.Errorf("plainIntro(%q) = %q, %q, %v; want %q, %q, %v", tt.line, intro, body, ok, tt.intro, tt.body, tt.ok)
		}
	}
}

func TestIntroKind(t *testing.T) {
	for intro, want := range map[string]text.Kind{
		"considering": text.KindPreamble, "bearing in mind": text.KindPreamble, "aware": text.KindPreamble,
		"further recognizing": text.KindPreamble, "mindful": text.KindPreamble,
		"is of the view": text.KindOperative, "invites Member States": text.KindOperative,
		"resolves": text.KindOperative, "instructs the Director": text.KindOperative, "further invites": text.KindOperative,
	} {
		if got := IntroKind(intro); got != want {
			t.Errorf("IntroKind(%q) = %s, want %s", intro, got, want)
		}
	}
}

// provisionsSummary writes out what Markdown carries, for comparing two
// drafts: kinds, intros, labels, fixedness and bodies (alternative texts
// only).
func provisionsSummary(d *text.Draft) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "title=%q\n", d.Title)
	for _, p := range d.Provisions {
		fmt.Fprintf(&sb, "%s|%d|%q|%q|%v|", p.Kind, p.Level, p.Intro, p.Label, p.LabelFixed)
		for _, pt := range p.Body {
			if pt.Bracket != nil {
				sb.WriteString("{")
				for _, a := range pt.Bracket.Alternatives {
					fmt.Fprintf(&sb, "%q,", a.Text)
				}
				sb.WriteString("}")
			} else {
				fmt.Fprintf(&sb, "%q", pt.Text)
			}
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

func TestMarkdownRoundTrip(t *testing.T) {
	for _, src := range []string{opinionMD, opinionPlain} {
		d, err := Markdown(src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		md := render.Markdown(d)
		d2, err := Markdown(string(md), Options{})
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, md)
		}
		if a, b := provisionsSummary(d), provisionsSummary(d2); a != b {
			t.Errorf("round trip differs:\n%s\n---\n%s\n--- markdown:\n%s", a, b, md)
		}
		if md2 := render.Markdown(d2); !bytes.Equal(md, md2) {
			t.Errorf("second render differs:\n%s\n---\n%s", md, md2)
		}
	}
}

func TestMarkdownRenderEscapes(t *testing.T) {
	d := text.NewDraft("T")
	d.Append(text.Provision{Kind: text.KindParagraph, LabelFixed: true, Body: text.TextPart("1. looks like a list\n# and a heading *x* [y] a/b")})
	d.Append(text.Provision{Kind: text.KindHeading, Body: text.TextPart("Article 9 of something #")})
	d.Append(text.Provision{Kind: text.KindOperative, Intro: "resolves", Body: []text.Part{{Text: "to use "}, {Bracket: &text.Bracket{Status: text.BracketOpen, Alternatives: []text.Alternative{{Text: "and/or"}, {Text: text.NoText}, {Text: ""}}}}}})
	md := render.Markdown(d)
	d2, err := Markdown(string(md), Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, md)
	}
	// The heading reading "Article 9..." comes back as an article: a known
	// limit of the convention. Everything else survives.
	d.Provisions[1].Kind, d.Provisions[1].Level = text.KindArticle, 2
	d.Provisions[1].Label, d.Provisions[1].LabelFixed = "Article 9", true
	d.Provisions[1].Body = text.TextPart("of something #")
	if a, b := provisionsSummary(d), provisionsSummary(d2); a != b {
		t.Errorf("round trip differs:\n%s\n---\n%s\n--- markdown:\n%s", a, b, md)
	}
}

func FuzzMarkdownRoundTrip(f *testing.F) {
	f.Add(opinionMD)
	f.Add(opinionPlain)
	f.Add("a) [x / (no text)]\\\n- y")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := Markdown(src, Options{})
		if err != nil {
			return
		}
		md := render.Markdown(d)
		d2, err := Markdown(string(md), Options{})
		if err != nil {
			t.Fatalf("re-parse of rendered Markdown failed: %v\n%q", err, md)
		}
		if a, b := provisionsSummary(d), provisionsSummary(d2); a != b {
			t.Fatalf("round trip differs:\n%s\n---\n%s\n--- markdown:\n%q", a, b, md)
		}
		if _, err := Plain(src, Options{}); err != nil && !strings.Contains(err.Error(), "line") {
			t.Fatalf("plain error without a line: %v", err)
		}
	})
}

func TestDraftJSONRoundTrip(t *testing.T) {
	d, err := Markdown(opinionMD, Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"next_provision":10`, `"label_fixed":true`, `"alternatives":[`, `"status":"open"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s: %s", key, data)
		}
	}
	var back text.Draft
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
	if a, b := provisionsSummary(d), provisionsSummary(&back); a != b {
		t.Errorf("JSON round trip differs")
	}
}

func TestValidateRejects(t *testing.T) {
	good := func() *text.Draft {
		d := text.NewDraft("t")
		d.Append(text.Provision{Kind: text.KindParagraph, Body: []text.Part{{Text: "x "}, {Bracket: &text.Bracket{Status: text.BracketOpen, Alternatives: []text.Alternative{{Text: "a"}, {Text: "b"}}}}}})
		return d
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*text.Draft){
		"kind":      func(d *text.Draft) { d.Provisions[0].Kind = "chapter" },
		"id":        func(d *text.Draft) { d.Provisions[0].ID = "x1" },
		"counter":   func(d *text.Draft) { d.NextProvision = 1 },
		"duplicate": func(d *text.Draft) { d.Provisions = append(d.Provisions, d.Provisions[0]) },
		"one alt": func(d *text.Draft) {
			d.Provisions[0].Body[1].Bracket.Alternatives = d.Provisions[0].Body[1].Bracket.Alternatives[:1]
		},
		"status": func(d *text.Draft) { d.Provisions[0].Body[1].Bracket.Status = text.BracketCleared },
		"agreed": func(d *text.Draft) {
			n := 5
			b := d.Provisions[0].Body[1].Bracket
			b.Status, b.Agreed = text.BracketAdReferendum, &n
		},
		"empty part": func(d *text.Draft) { d.Provisions[0].Body = append(d.Provisions[0].Body, text.Part{}) },
		"nested":     func(d *text.Draft) { d.Provisions[0].Body[1].Bracket.Alternatives[0].Text = "[a]" },
		"bracket id": func(d *text.Draft) { d.Provisions[0].Body[1].Bracket.ID = "b9" },
		"empty body": func(d *text.Draft) { d.Provisions[0].Body = nil },
	} {
		d := good()
		mutate(d)
		if err := d.Validate(); err == nil {
			t.Errorf("%s: Validate accepted a bad draft", name)
		}
	}
}

func TestRenumber(t *testing.T) {
	d := text.NewDraft("t")
	add := func(k text.Kind, intro, label string) {
		d.Append(text.Provision{Kind: k, Intro: intro, Label: label, LabelFixed: label != "", Body: text.TextPart("x")})
	}
	add(text.KindPreamble, "considering", "")
	add(text.KindPreamble, "considering", "")
	add(text.KindPreamble, "recognizing", "(a)")
	add(text.KindPreamble, "recognizing", "")
	add(text.KindOperative, "resolves", "")
	add(text.KindOperative, "resolves", "")
	add(text.KindHeading, "", "")
	add(text.KindOperative, "resolves", "")
	add(text.KindParagraph, "", "")
	add(text.KindArticle, "", "Article 5")
	add(text.KindParagraph, "", "")
	add(text.KindParagraph, "", "")
	add(text.KindArticle, "", "")
	add(text.KindParagraph, "", "")
	for i := range 27 {
		_ = i
		add(text.KindPreamble, "noting", "")
	}
	var got []string
	for _, p := range d.Provisions[:14] {
		got = append(got, p.Label)
	}
	want := "a),b),(a),(b),1,2,,1,1,Article 5,5.1,5.2,Article 6,6.1"
	if strings.Join(got, ",") != want {
		t.Errorf("labels = %s, want %s", strings.Join(got, ","), want)
	}
	if l := d.Provisions[len(d.Provisions)-1].Label; l != "aa)" {
		t.Errorf("27th letter = %q, want aa)", l)
	}
}

func TestDraftPlainRoundTrip(t *testing.T) {
	d, err := Plain(opinionPlain, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := string(render.Plain(d))
	if !strings.Contains(out, "considering\n\na) that the Internet") || !strings.Contains(out, "Article 3 – International network") {
		t.Errorf("plain text:\n%s", out)
	}
	back, err := Plain(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := provisionsSummary(d), provisionsSummary(back); a != b {
		t.Errorf("plain round trip differs:\n%s\n---\n%s", a, b)
	}
}
