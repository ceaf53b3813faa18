package export_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/parse"
	"github.com/plenary-forum/plenary/internal/text/texttest"
)

// validate checks doc against the OASIS Akoma Ntoso 3.0 schema with
// xmllint. Without xmllint the test is skipped, unless CI is set.
func validate(t *testing.T, name string, doc []byte) {
	t.Helper()
	if err := xmllint(t, name, doc); err != nil {
		t.Fatalf("%s does not validate: %v", name, err)
	}
}

type lintError string

func (e lintError) Error() string { return string(e) }

func xmllint(t *testing.T, name string, doc []byte) error {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if ci := os.Getenv("CI"); ci != "" && ci != "0" && ci != "false" {
			t.Fatal("xmllint is not installed, and CI needs it to validate Akoma Ntoso (Debian: libxml2-utils)")
		}
		t.Skip("xmllint not installed: Akoma Ntoso output not validated")
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("testdata", "akomantoso30.xsd"), path).CombinedOutput()
	if err != nil {
		// Keep the lines about the document, not the schema's warning
		// about the xml.xsd it imports.
		var lines []string
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, path) {
				lines = append(lines, strings.ReplaceAll(l, path, name))
			}
		}
		return lintError(strings.Join(lines, "\n"))
	}
	return nil
}

const opinion = `# Draft Opinion 5: Supporting multi-stakeholderism in Internet governance

*recognizing*

a) that the Internet is a global resource that all stakeholders shape & <share>;

b) the role of governments [in / with respect to] public policy;

*is of the view*

1. that all stakeholders should take part [on an equal footing / in their respective roles];

2. that the work should be open,\
and transparent;

*invites Member States*

1. to share their experience.
`

func opinionDraft(t *testing.T) *text.Draft {
	t.Helper()
	d, err := parse.Markdown(opinion, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d.Revision = 2
	b := d.Provisions[2].Body[1].Bracket
	b.Alternatives[0].Supporters = []string{"BRA", "ISOC"}
	b.Alternatives[1].Supporters = []string{"USA"}
	agreed := 1
	b2 := d.Provisions[1].Body[1].Bracket
	b2.Status, b2.Agreed = text.BracketAdReferendum, &agreed
	return d
}

var meta = export.Meta{Forum: "WTPF-13: Fifth World Telecommunication/ICT Policy Forum", ForumSlug: "wtpf-13", Number: "WTPF-13/5",
	Label: "WTPF-13/5(Rev.1)", Revision: 2, Date: time.Date(2013, 5, 15, 10, 0, 0, 0, time.UTC),
	WorkDate: time.Date(2013, 4, 30, 0, 0, 0, 0, time.UTC), Language: "en",
	Parties: map[string]string{"BRA": "Brazil", "USA": "United States", "ISOC": "Internet Society"}}

func TestOpinionIsAValidStatement(t *testing.T) {
	d := opinionDraft(t)
	doc := export.AkomaNtoso(meta, d)
	validate(t, "opinion.xml", doc)
	s := string(doc)
	for _, want := range []string{
		`<statement name="opinion">`,
		`<FRBRthis value="/akn/int/statement/wtpf-13/2013-04-30/wtpf-13-5/eng@r2/!main"/>`,
		`<FRBRlanguage language="eng"/>`,
		`<recital eId="recital_p1">`,
		`shape &amp; &lt;share&gt;;`,
		`<hcontainer name="operative" eId="hcontainer_p3">`,
		`<intro>`, `is of the view`,
		`<paragraph eId="para_p3">`, `<num>1.</num>`,
		`<inline name="bracket" eId="brkt_b2" class="open">[<inline name="alternative" eId="brkt_b2_alt_1" refersTo="#party_bra #party_isoc">on an equal footing</inline> / <inline name="alternative" eId="brkt_b2_alt_2" refersTo="#party_usa">in their respective roles</inline>]</inline>`,
		`class="agreed_ad_referendum"`, `class="agreed">with respect to</inline>`,
		`open,<eol/>and transparent;`,
		`<TLCOrganization eId="party_bra" href="/ontology/organization/int/party/bra" showAs="Brazil"/>`,
		`<hcontainer name="operative" eId="hcontainer_p5">`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("statement lacks %s", want)
		}
	}
	if !bytes.Equal(doc, export.AkomaNtoso(meta, d)) {
		t.Error("two exports of one revision differ")
	}
}

func TestTreatyIsAValidBill(t *testing.T) {
	d, err := parse.Plain(`International Telecommunication Regulations

considering
a) the need to update the Regulations;

Chapter I

Article 1 – Purpose and scope
1.1 These Regulations establish general principles.
1.2 They apply to [all / authorized] operating agencies.

Article 2 – Definitions

Article 3 – Security
3.1 Member States should cooperate.
`, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d.Revision = 1
	m := meta
	m.Revision, m.Label, m.Number = 1, "DT/1", "DT/1"
	doc := export.AkomaNtoso(m, d)
	validate(t, "treaty.xml", doc)
	s := string(doc)
	for _, want := range []string{`<bill name="draftTreaty">`, `<body>`, `<article eId="art_`, `<num>Article 1</num>`, `<heading>Purpose and scope</heading>`,
		`<num>1.1</num>`, `<hcontainer name="heading"`, `<recitals eId="recs_p1">`, `/akn/int/bill/wtpf-13/2013-04-30/dt-1/eng@r1/!main`} {
		if !strings.Contains(s, want) {
			t.Errorf("bill lacks %s", want)
		}
	}
}

func TestEdgeDraftsValidate(t *testing.T) {
	only, _ := parse.Markdown("*considering*\n\na) one thing;\n", parse.Options{})
	plain, _ := parse.Markdown("A paragraph without a number.\n\nAnother one.\n", parse.Options{})
	big, _ := texttest.Synthetic(texttest.SyntheticConfig{Provisions: 400, Amendments: 1, Seed: 3})
	for name, d := range map[string]*text.Draft{"preamble-only.xml": only, "paragraphs.xml": plain, "synthetic.xml": big, "empty.xml": text.NewDraft("Everything deleted")} {
		validate(t, name, export.AkomaNtoso(export.Meta{ForumSlug: "f", Number: "X/1", Label: "X/1"}, d))
	}
}

func TestAmendmentListValidates(t *testing.T) {
	d := opinionDraft(t)
	d.Revision = 1
	var ams []text.Amendment
	for _, a := range []text.Amendment{
		{ID: "a1", Label: "USA/6/1", Op: text.OpMOD, Provision: "p4", Proposer: "USA", CoSponsors: []string{"BRA"},
			Text: "that the work should be open and inclusive,\nand transparent;", Rationale: "Inclusive.\n\nAnd open & fair."},
		{ID: "a2", Label: "BRA/7/1", Op: text.OpADD, After: "p4", Proposer: "BRA", Text: "that the Forum should report on it."},
		{ID: "a3", Label: "BRA/7/2", Op: text.OpADD, Proposer: "BRA", Text: "Mindful of the report."},
		{ID: "a4", Label: "EXTEL/5/1", Op: text.OpSUP, Provision: "p5", Proposer: "EXTEL"},
		{ID: "a5", Label: "ISOC/9/1", Op: text.OpNOC, Provision: "p1", Proposer: "ISOC"},
	} {
		p, err := text.Propose(d, a)
		if err != nil {
			t.Fatalf("%s: %v", a.Label, err)
		}
		ams = append(ams, p)
	}
	ams[1].Status = text.StatusAccepted
	doc := export.AmendmentList(meta, d, ams)
	validate(t, "amendments.xml", doc)
	s := string(doc)
	for _, want := range []string{`<amendmentList name="proposals">`, `<component eId="cmp_1">`, `<amendment name="MOD">`,
		`<docNumber>USA/6/1</docNumber>`, `<organization refersTo="#party_usa">USA</organization>, <organization refersTo="#party_bra">BRA</organization>`,
		`open<ins> and inclusive</ins>,<eol/>and`, `<amendmentJustification>`, `And open &amp; fair.`, `<docStatus>accepted</docStatus>`,
		`<del>`, `No change.`, `at the start`, `after is of the view 2.`} {
		if !strings.Contains(s, want) {
			t.Errorf("amendment list lacks %s", want)
		}
	}
	validate(t, "none.xml", export.AmendmentList(meta, d, nil))
}

// The validation catches what the schema forbids, so the tests above can
// fail.
func TestValidationCatchesInvalidDocuments(t *testing.T) {
	d := opinionDraft(t)
	doc := export.AkomaNtoso(meta, d)
	for name, bad := range map[string][]byte{
		"unknown-element.xml": bytes.Replace(doc, []byte("<preface>"), []byte("<preface><title>x</title>"), 1),
		"no-meta.xml":         bytes.Replace(bytes.Replace(doc, []byte("<meta>"), []byte("<!--"), 1), []byte("</meta>"), []byte("-->"), 1),
		"duplicate-eid.xml":   bytes.ReplaceAll(doc, []byte(`eId="para_p4"`), []byte(`eId="para_p3"`)),
	} {
		if err := xmllint(t, name, bad); err == nil {
			t.Errorf("%s validated", name)
		}
	}
	var x struct{ XMLName xml.Name }
	if err := xml.Unmarshal(doc, &x); err != nil || x.XMLName.Space != export.Namespace || x.XMLName.Local != "akomaNtoso" {
		t.Fatalf("root: %+v %v", x.XMLName, err)
	}
}

func TestHTMLJSONAndMarkdown(t *testing.T) {
	d := opinionDraft(t)
	h := string(export.HTML(meta, d, text.RenderOptions{}))
	for _, want := range []string{"<!doctype html>", `<html lang="en">`, "<title>WTPF-13/5(Rev.1): Draft Opinion 5", `id="prov-p3"`,
		`<span class="supporters">(BRA, ISOC)</span>`, "15 May 2013"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if a := string(export.HTML(meta, d, text.RenderOptions{Anonymised: true})); strings.Contains(a, "BRA") {
		t.Error("anonymised HTML names a party")
	}
	j, err := export.JSON(meta, d)
	if err != nil {
		t.Fatal(err)
	}
	var back export.Document
	if err := json.Unmarshal(j, &back); err != nil || back.Meta.Label != "WTPF-13/5(Rev.1)" || len(back.Draft.Provisions) != len(d.Provisions) ||
		back.Draft.Provisions[2].Body[1].Bracket.Alternatives[1].Supporters[0] != "USA" {
		t.Fatalf("JSON round trip: %v %+v", err, back.Meta)
	}
	md := export.Markdown(d)
	re, err := parse.Markdown(string(md), parse.Options{})
	if err != nil || len(re.Provisions) != len(d.Provisions) || re.Provisions[2].Text() != d.Provisions[2].Text() {
		t.Fatalf("Markdown round trip: %v\n%s", err, md)
	}
	for label, want := range map[string]string{"WTPF-13/5(Rev.1)": "WTPF-13-5-Rev.1.xml", "DT/1": "DT-1.xml", "": "draft.xml", "../x": "x.xml"} {
		if got := export.FileName(label, "xml"); got != want {
			t.Errorf("FileName(%q) = %q, want %q", label, got, want)
		}
	}
}
