package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/text"
)

func at(day, hour, minute int) time.Time {
	return time.Date(2012, 12, day, hour, minute, 0, 0, time.UTC)
}

const (
	hashV2 = "sha256:2b7e1516…v2"
	hashV1 = "sha256:1a2b3c4d…v1"
)

// wcit is a small set of final acts in the manner of WCIT-12's: two
// instruments, signatures in every state (one of a superseded text),
// declarations and reservations (one additional), statements.
func wcit() export.FinalActs {
	dubai := time.FixedZone("GST", 4*3600)
	return export.FinalActs{
		Forum: "WCIT-12: World Conference on International Telecommunications", ForumSlug: "wcit-12",
		ForumURL: "https://plenary.example/f/wcit-12", Number: "WCIT-12/FA",
		Title:    "Final Acts of the World Conference on International Telecommunications (Dubai, 2012)",
		Language: "en", Version: 2, Date: at(13, 22, 0),
		OpenedAt: time.Date(2012, 12, 14, 10, 0, 0, 0, dubai), ClosedAt: at(14, 18, 0), CutOff: at(14, 8, 0),
		TextHash: hashV2, URL: "https://plenary.example/f/wcit-12/final-acts",
		Provisions: []export.FinalProvision{
			{Key: "itr-p1", Instrument: "International Telecommunication Regulations", DraftID: "itr", Revision: 7, ProvisionID: "p1",
				Kind: text.KindArticle, Label: "Article 1", Text: "Purpose and scope of the Regulations"},
			{Key: "itr-p2", Instrument: "International Telecommunication Regulations", DraftID: "itr", Revision: 7, ProvisionID: "p2",
				Kind: text.KindParagraph, Label: "1.1", Text: "These Regulations establish general principles."},
			{Key: "itr-p9", Instrument: "International Telecommunication Regulations", DraftID: "itr", Revision: 7, ProvisionID: "p9",
				Kind: text.KindArticle, Label: "Article 5A", Text: "Security and robustness of networks"},
			{Key: "itr-p10", Instrument: "International Telecommunication Regulations", DraftID: "itr", Revision: 7, ProvisionID: "p10",
				Kind: text.KindParagraph, Label: "5A", Text: "Member States shall individually and collectively endeavour\nto ensure the security & robustness."},
			{Key: "res3-p1", Instrument: "Resolution PLEN/3", DraftID: "res3", Revision: 2, ProvisionID: "p1",
				Kind: text.KindPreamble, Intro: "considering", Label: "a)", Text: "the role of the Internet;"},
			{Key: "res3-p2", Instrument: "Resolution PLEN/3", DraftID: "res3", Revision: 2, ProvisionID: "p2",
				Kind: text.KindOperative, Intro: "invites Member States", Label: "1", Text: "to elaborate on their respective positions."},
		},
		Signatures: []export.Signature{
			{PartyCode: "ARG", PartyName: "Argentina", ISO3: "ARG", Region: "Americas", Group: "Member States", State: export.SignatureSigned,
				Signer: "Ana Pérez", SignerRole: "Head of delegation", At: at(14, 11, 5), TextHash: hashV2, Current: true},
			{PartyCode: "BRA", PartyName: "Brazil", ISO3: "BRA", Region: "Americas", Group: "Member States", State: export.SignatureSubjectToRatification,
				Signer: "João Silva", SignerRole: "Deputy head of delegation", At: at(14, 12, 0), TextHash: hashV2, Current: true},
			{PartyCode: "CHN", PartyName: "China", ISO3: "CHN", Region: "Asia-Pacific", Group: "Member States", State: export.SignatureSigned,
				Signer: "Li Wei", SignerRole: "Head of delegation", At: at(14, 10, 30), TextHash: hashV1, Current: false},
			{PartyCode: "USA", PartyName: "United States", ISO3: "USA", Region: "Americas", Group: "Member States", State: export.SignatureDeclined,
				Signer: "Terry Kramer", SignerRole: "Head of delegation", At: at(14, 9, 0)},
			{PartyCode: "KEN", PartyName: "Kenya", ISO3: "KEN", Region: "Africa", Group: "Member States"},
		},
		Declarations: []export.Declaration{
			{No: 1, Kind: export.DeclarationKindReservation, Parties: []export.PartyRef{{Code: "ARG", Name: "Argentina"}},
				Provisions: []string{"itr-p9", "itr-p10"}, Text: "Argentina reserves its right.\n\nAnd further.", DepositedAt: at(14, 7, 0)},
			{No: 2, Kind: export.DeclarationKindDeclaration, Parties: []export.PartyRef{{Code: "BRA", Name: "Brazil"}, {Code: "ARG", Name: "Argentina"}},
				Text: "A joint declaration on the final acts as a whole.", DepositedAt: at(14, 7, 30)},
			{No: 3, Kind: export.DeclarationKindReservation, Additional: true, Answers: []int{1, 2}, Parties: []export.PartyRef{{Code: "CHN", Name: "China"}},
				Provisions: []string{"res3-p2"}, Text: "China reserves its right to take measures.", DepositedAt: at(14, 7, 55)},
		},
		Statements: []export.Statement{
			{Kind: export.StatementKindExplanation, Party: export.PartyRef{Code: "USA", Name: "United States"}, Author: "Terry Kramer",
				Subject: "Resolution PLEN/3", Text: "We cannot join consensus.", At: at(13, 23, 10)},
			{Kind: export.StatementKindClosing, Author: "Civil society coalition", Subject: "the forum as a whole", Text: "Our concerns stand.", At: at(14, 19, 0)},
		},
	}
}

// hostile puts markup and quotes in every name and text.
func hostile() export.FinalActs {
	fa := wcit()
	bad := `<b>"O'Brien" & Co</b>]]>`
	fa.Forum, fa.Title, fa.Number, fa.TextHash = bad, bad, `X/1 <"&">`, bad
	for i := range fa.Provisions {
		fa.Provisions[i].Instrument += bad
		fa.Provisions[i].Text += bad
		fa.Provisions[i].Label += bad
	}
	fa.Provisions[0].Key = `itr/p1 "&<"`
	fa.Declarations[0].Provisions[0] = fa.Provisions[0].Key
	for i := range fa.Signatures {
		fa.Signatures[i].PartyName += bad
		fa.Signatures[i].Signer += bad
		fa.Signatures[i].SignerRole += bad
		fa.Signatures[i].TextHash += bad
		fa.Signatures[i].Region += bad
	}
	fa.Signatures[0].PartyCode = `A"R&G<`
	for i := range fa.Declarations {
		fa.Declarations[i].Text += bad
		fa.Declarations[i].Parties[0].Name += bad
	}
	for i := range fa.Statements {
		fa.Statements[i].Author += bad
		fa.Statements[i].Subject += bad
		fa.Statements[i].Text += bad
	}
	return fa
}

func TestFinalActsAreAValidAct(t *testing.T) {
	fa := wcit()
	doc := export.FinalActsAkomaNtoso(fa)
	validate(t, "final-acts.xml", doc)
	s := string(doc)
	for _, want := range []string{
		`<act name="finalActs">`,
		`<FRBRthis value="/akn/int/act/wcit-12/2012-12-13/wcit-12-fa/eng@r2/!main"/>`,
		`<FRBRalias value="WCIT-12/FA" name="number"/>`,
		`<eventRef eId="evt_adopted" date="2012-12-13" source="#original" type="generation" refersTo="#adopted"/>`,
		`<step eId="step_openedForSignature" date="2012-12-14T06:00:00Z" by="#secretariat" refersTo="#openedForSignature"/>`,
		`<step eId="step_closedForSignature" date="2012-12-14T18:00:00Z"`,
		`<step eId="step_declarationsCutOff" date="2012-12-14T08:00:00Z"`,
		`<original eId="original" href="/akn/int/act/wcit-12/2012-12-13/wcit-12-fa/eng@r2"`,
		`<TLCOrganization eId="party_ken" href="/ontology/organization/int/party/ken" showAs="Kenya"/>`,
		`<TLCPerson eId="person_arg_ana_p_rez" href="/ontology/person/int/wcit-12/arg_ana_p_rez" showAs="Ana Pérez"/>`,
		`<TLCRole eId="role_head_of_delegation"`,
		`<TLCEvent eId="openedForSignature"`,
		`<docNumber>WCIT-12/FA</docNumber>`, `<docStatus>Version 2, text sha256:2b7e1516…v2</docStatus>`,
		`Adopted on <docDate date="2012-12-13">13 December 2012</docDate>`,
		`opened for signature on <date date="2012-12-14T06:00:00Z">14 December 2012, 06:00 UTC</date>`,
		`<hcontainer name="instrument" eId="instr_1">`, `<heading>International Telecommunication Regulations</heading>`,
		`<article eId="art_itr-p9">`, `<num>Article 5A</num>`, `<heading>Security and robustness of networks</heading>`,
		`<paragraph eId="para_itr-p10">`, `endeavour<eol/>to ensure the security &amp; robustness.`,
		`<hcontainer name="instrument" eId="instr_2">`, `<hcontainer name="preambular" eId="hcontainer_res3-p1">`,
		`<hcontainer name="operative" eId="hcontainer_res3-p2">`, `<num>1.</num>`,
		`<p class="tally">Signed by 3 of 5 eligible parties (1 subject to ratification); 1 declined; 1 not yet signed. 1 signature is of a superseded text.</p>`,
		`<p class="signed" eId="signatures__sig_1"><signature><party refersTo="#party_arg">Argentina</party>, signed by <person refersTo="#person_arg_ana_p_rez" as="#role_head_of_delegation">Ana Pérez</person>, <role refersTo="#role_head_of_delegation">Head of delegation</role>, on <date date="2012-12-14T11:05:00Z">14 December 2012, 11:05 UTC</date>.</signature></p>`,
		`<p class="signed_subject_to_ratification" eId="signatures__sig_2"><signature><party refersTo="#party_bra">Brazil</party>`,
		`, subject to ratification.</signature>`,
		`<p class="signed superseded" eId="signatures__sig_3">`, `This signature is of an earlier text (sha256:1a2b3c4d…v1), since superseded.`,
		`<p class="declined">Declined to sign: <organization refersTo="#party_usa">United States</organization>.</p>`,
		`<attachment eId="att_1">`, `<doc name="declarationsAndReservations">`,
		`<FRBRthis value="/akn/int/doc/wcit-12/2012-12-13/wcit-12-fa-declarations/eng@r2/!main"/>`,
		`<tblock eId="decl_1" class="reservation">`, `<num>No. 1</num>`,
		`Reservation, on <ref eId="decl_1__prov_1" href="#art_itr-p9">Article 5A – Security and robustness of networks (International Telecommunication Regulations)</ref>; <ref eId="decl_1__prov_2" href="#para_itr-p10">5A (International Telecommunication Regulations)</ref>.`,
		`<p>Argentina reserves its right.</p>`, `<p>And further.</p>`,
		`<heading><organization refersTo="#party_bra">Brazil</organization>, <organization refersTo="#party_arg">Argentina</organization></heading>`,
		`Declaration, on the final acts as a whole.`,
		`<tblock eId="decl_3" class="reservation additional">`,
		`Additional reservation, answering <ref eId="decl_3__answers_1" href="#decl_1">No. 1</ref>, <ref eId="decl_3__answers_2" href="#decl_2">No. 2</ref>, on <ref eId="decl_3__prov_1" href="#para_res3-p2">`,
		`Deposited on <date date="2012-12-14T07:55:00Z">`,
		`<attachment eId="att_2">`, `<doc name="statements">`, `<tblock eId="stmt_1" class="explanation">`,
		`<heading><organization refersTo="#party_usa">United States</organization>, Terry Kramer</heading>`,
		`Explanation of position on Resolution PLEN/3.`, `<tblock eId="stmt_2" class="closing">`, `<heading>Civil society coalition</heading>`,
		`Closing statement on the forum as a whole.`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("final acts lack %s", want)
		}
	}
	// Parties that have not signed are not signatures, and a declined
	// party is not one either.
	for _, not := range []string{`<party refersTo="#party_ken">`, `<party refersTo="#party_usa">`, `person_usa_terry_kramer" as=`} {
		if strings.Contains(s, not) {
			t.Errorf("final acts hold %s", not)
		}
	}
	if n := strings.Count(s, "<signature>"); n != 3 {
		t.Errorf("%d signatures, want 3", n)
	}
	if !bytes.Equal(doc, export.FinalActsAkomaNtoso(wcit())) {
		t.Error("two exports of the same final acts differ")
	}
}

// A declaration's refs point at the eIds the body gives the provisions, and
// ProvisionEID gives the same ones.
func TestFinalActsRefsResolve(t *testing.T) {
	fa := wcit()
	doc := export.FinalActsAkomaNtoso(fa)
	eids := map[string]bool{}
	var hrefs []string
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				switch {
				case a.Name.Local == "eId":
					if eids[a.Value] {
						t.Errorf("eId %s twice", a.Value)
					}
					eids[a.Value] = true
				case a.Name.Local == "href" && se.Name.Local == "ref":
					hrefs = append(hrefs, a.Value)
				case a.Name.Local == "refersTo" || a.Name.Local == "as":
					hrefs = append(hrefs, strings.Fields(a.Value)...)
				}
			}
		}
	}
	if len(hrefs) < 10 {
		t.Fatalf("only %d references", len(hrefs))
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "#") || !eids[h[1:]] {
			t.Errorf("reference %s resolves to no eId", h)
		}
	}
	got := export.ProvisionEID(fa)
	want := map[string]string{"itr-p1": "art_itr-p1", "itr-p2": "para_itr-p2", "itr-p9": "art_itr-p9", "itr-p10": "para_itr-p10",
		"res3-p1": "para_res3-p1", "res3-p2": "para_res3-p2"}
	if len(got) != len(want) {
		t.Fatalf("ProvisionEID = %v", got)
	}
	for k, v := range want {
		if got[k] != v || !eids[v] {
			t.Errorf("ProvisionEID[%s] = %s (in document: %v), want %s", k, got[k], eids[got[k]], v)
		}
	}
}

func TestHostileFinalActsValidate(t *testing.T) {
	fa := hostile()
	doc := export.FinalActsAkomaNtoso(fa)
	validate(t, "hostile.xml", doc)
	s := string(doc)
	if strings.Contains(s, "<b>") || strings.Contains(s, `"O'`) {
		t.Error("markup or a quote got through unescaped")
	}
	for _, want := range []string{`&lt;b&gt;`, `&amp; Co`, `showAs="Argentina&lt;b&gt;&#34;O&#39;Brien&#34; &amp; Co&lt;/b&gt;]]&gt;"`} {
		if !strings.Contains(s, want) {
			t.Errorf("hostile final acts lack %s", want)
		}
	}
	// The text parses back with the names intact.
	var x struct {
		Act struct {
			Body struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"body"`
		} `xml:"act"`
	}
	if err := xml.Unmarshal(doc, &x); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(x.Act.Body.Inner), "&lt;b&gt;&#34;O&#39;Brien&#34; &amp; Co") {
		t.Error("the body's text is not escaped as expected")
	}
}

func TestEdgeFinalActsValidate(t *testing.T) {
	dup := wcit()
	dup.Provisions[1].Key = "itr_p1" // distinct from itr-p1: idSafe keeps both characters
	dup.Provisions[2].Key = "ITR-P1" // lower-cases to itr-p1: a clash
	dup.Declarations[1].No = 1       // a number given twice
	dup.Declarations[2].Answers = []int{1, 99}
	dup.Declarations[0].Provisions = []string{"nowhere"}
	onlyNotYet := export.FinalActs{ForumSlug: "f", Signatures: []export.Signature{{PartyCode: "KEN"}}}
	noInstrument := wcit()
	for i := range noInstrument.Provisions {
		noInstrument.Provisions[i].Instrument = ""
		noInstrument.Provisions[i].Kind = "unknown"
	}
	noInstrument.Statements = nil
	noInstrument.Declarations = nil
	noInstrument.OpenedAt, noInstrument.ClosedAt, noInstrument.CutOff = time.Time{}, time.Time{}, time.Time{}
	for name, fa := range map[string]export.FinalActs{
		"empty.xml": {}, "not-yet.xml": onlyNotYet, "duplicates.xml": dup, "no-instrument.xml": noInstrument,
	} {
		doc := export.FinalActsAkomaNtoso(fa)
		validate(t, name, doc)
		s := string(doc)
		switch name {
		case "empty.xml":
			for _, want := range []string{"The final acts hold no provision.", "No party has signed the final acts.", "Signed by 0 of 0 eligible parties",
				`/akn/int/act/x/1970-01-01/final-acts/eng@r1`} {
				if !strings.Contains(s, want) {
					t.Errorf("%s lacks %s", name, want)
				}
			}
			if strings.Contains(s, "<attachments>") || strings.Contains(s, "<workflow") {
				t.Errorf("%s has attachments or a workflow", name)
			}
		case "duplicates.xml":
			for _, want := range []string{`<article eId="art_itr-p1_2">`, `<tblock eId="decl_1_2"`, `<ref eId="decl_3__answers_1" href="#decl_1">No. 1</ref>, No. 99`,
				`Reservation, on nowhere.`} {
				if !strings.Contains(s, want) {
					t.Errorf("%s lacks %s", name, want)
				}
			}
		case "no-instrument.xml":
			if strings.Contains(s, `name="instrument"`) || !strings.Contains(s, `<paragraph eId="para_itr-p1">`) {
				t.Errorf("%s: provisions without an instrument or of no known kind are not plain paragraphs", name)
			}
		}
	}
}

// The validation would catch a signature put where the schema does not
// allow one, so the tests above can fail.
func TestFinalActsValidationCanFail(t *testing.T) {
	doc := export.FinalActsAkomaNtoso(wcit())
	bad := bytes.Replace(doc, []byte("<conclusions>"), []byte("<conclusions><signature>x</signature>"), 1)
	if err := xmllint(t, "bad.xml", bad); err == nil {
		t.Error("a signature outside a block validated")
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Error("CSV rows do not end in CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestSignaturesCSV(t *testing.T) {
	rows := readCSV(t, export.SignaturesCSV(wcit()))
	want := [][]string{
		export.SignaturesCSVHeader,
		{"ARG", "Argentina", "ARG", "Americas", "Member States", "signed", "Ana Pérez", "Head of delegation", "2012-12-14T11:05:00Z", hashV2, "true"},
		{"BRA", "Brazil", "BRA", "Americas", "Member States", "signed_subject_to_ratification", "João Silva", "Deputy head of delegation", "2012-12-14T12:00:00Z", hashV2, "true"},
		{"CHN", "China", "CHN", "Asia-Pacific", "Member States", "signed", "Li Wei", "Head of delegation", "2012-12-14T10:30:00Z", hashV1, "false"},
		{"USA", "United States", "USA", "Americas", "Member States", "declined", "Terry Kramer", "Head of delegation", "2012-12-14T09:00:00Z", "", ""},
		{"KEN", "Kenya", "KEN", "Africa", "Member States", "not_yet", "", "", "", "", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	if got := export.SignaturesCSV(export.FinalActs{}); string(got) != strings.Join(export.SignaturesCSVHeader, ",")+"\r\n" {
		t.Errorf("no signatures: %q", got)
	}
}

func TestDeclarationsCSV(t *testing.T) {
	rows := readCSV(t, export.DeclarationsCSV(wcit()))
	if len(rows) != 4 || strings.Join(rows[0], ",") != "no,kind,additional,answers,party_codes,party_names,provision_keys,provisions,deposited_at,text" {
		t.Fatalf("rows: %q", rows)
	}
	want := [][]string{
		{"1", "reservation", "false", "", "ARG", "Argentina", "itr-p9;itr-p10",
			"Article 5A – Security and robustness of networks (International Telecommunication Regulations);5A (International Telecommunication Regulations)",
			"2012-12-14T07:00:00Z", "Argentina reserves its right.\n\nAnd further."},
		{"2", "declaration", "false", "", "BRA;ARG", "Brazil;Argentina", "", "", "2012-12-14T07:30:00Z", "A joint declaration on the final acts as a whole."},
		{"3", "reservation", "true", "1;2", "CHN", "China", "res3-p2", "invites Member States 1. (Resolution PLEN/3)", "2012-12-14T07:55:00Z", "China reserves its right to take measures."},
	}
	for i := range want {
		if strings.Join(rows[i+1], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i+1, rows[i+1], want[i])
		}
	}
}

// Hostile values survive the CSV files as they were: quotes, commas and
// line breaks quoted, nothing lost.
func TestHostileCSV(t *testing.T) {
	fa := hostile()
	fa.Signatures[1].PartyName = "Brazil, \"Federative\"\nRepublic"
	rows := readCSV(t, export.SignaturesCSV(fa))
	if rows[1][0] != `A"R&G<` || rows[2][1] != "Brazil, \"Federative\"\nRepublic" || !strings.HasSuffix(rows[1][1], `<b>"O'Brien" & Co</b>]]>`) {
		t.Errorf("hostile signatures: %q", rows[1:3])
	}
	drows := readCSV(t, export.DeclarationsCSV(fa))
	if len(drows) != 4 || !strings.HasSuffix(drows[1][9], `]]>`) || drows[1][6] != `itr/p1 "&<";itr-p10` {
		t.Errorf("hostile declarations: %q", drows[1])
	}
}

func TestFinalActsJSON(t *testing.T) {
	b := export.FinalActsJSON(wcit())
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"number": "WCIT-12/FA", "forum_slug": "wcit-12", "version": 2.0, "text_hash": hashV2, "language": "en",
		"adopted_at": "2012-12-13T22:00:00Z", "opened_for_signature_at": "2012-12-14T06:00:00Z",
		"closed_for_signature_at": "2012-12-14T18:00:00Z", "declarations_cut_off_at": "2012-12-14T08:00:00Z",
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	tally := got["tally"].(map[string]any)
	for k, want := range map[string]float64{"eligible": 5, "signed": 3, "signed_subject_to_ratification": 1, "declined": 1, "not_yet": 1,
		"signed_superseded_text": 1, "declarations": 1, "reservations": 2, "additional": 1} {
		if tally[k] != want {
			t.Errorf("tally %s = %v, want %v", k, tally[k], want)
		}
	}
	provs := got["provisions"].([]any)
	p := provs[3].(map[string]any)
	if len(provs) != 6 || p["key"] != "itr-p10" || p["eid"] != "para_itr-p10" || p["draft_id"] != "itr" || p["provision_id"] != "p10" ||
		p["revision"] != 7.0 || p["kind"] != "paragraph" || p["instrument"] != "International Telecommunication Regulations" {
		t.Errorf("provision: %v", p)
	}
	sigs := got["signatures"].([]any)
	cur := func(i int) any { return sigs[i].(map[string]any)["current"] }
	if cur(0) != true || cur(2) != false || cur(3) != nil || cur(4) != nil {
		t.Errorf("current: %v %v %v %v", cur(0), cur(2), cur(3), cur(4))
	}
	ken := sigs[4].(map[string]any)
	if ken["state"] != "not_yet" || ken["at"] != nil || ken["signer"] != nil || ken["iso3"] != "KEN" {
		t.Errorf("a party that has not signed: %v", ken)
	}
	if s := sigs[2].(map[string]any); s["text_hash"] != hashV1 || s["at"] != "2012-12-14T10:30:00Z" || s["signer_role"] != "Head of delegation" {
		t.Errorf("a superseded signature: %v", s)
	}
	d := got["declarations"].([]any)[2].(map[string]any)
	if d["no"] != 3.0 || d["kind"] != "reservation" || d["additional"] != true || fmt.Sprint(d["answers"]) != "[1 2]" ||
		fmt.Sprint(d["provisions"]) != "[res3-p2]" || fmt.Sprint(d["parties"]) != "[map[code:CHN name:China]]" {
		t.Errorf("declaration: %v", d)
	}
	if d := got["declarations"].([]any)[1].(map[string]any); fmt.Sprint(d["answers"], d["provisions"]) != "[] []" {
		t.Errorf("empty lists are not []: %v", d)
	}
	st := got["statements"].([]any)
	if s := st[1].(map[string]any); s["kind"] != "closing" || s["party"] != nil || s["author"] != "Civil society coalition" || s["at"] != "2012-12-14T19:00:00Z" {
		t.Errorf("closing statement: %v", s)
	}
	if s := st[0].(map[string]any); fmt.Sprint(s["party"]) != "map[code:USA name:United States]" {
		t.Errorf("explanation: %v", s)
	}
	if !bytes.Equal(b, export.FinalActsJSON(wcit())) {
		t.Error("two JSON exports differ")
	}
	// Empty final acts: lists are [], times null.
	e := string(export.FinalActsJSON(export.FinalActs{}))
	for _, want := range []string{`"provisions": []`, `"signatures": []`, `"declarations": []`, `"statements": []`, `"adopted_at": null`, `"version": 1`} {
		if !strings.Contains(e, want) {
			t.Errorf("empty JSON lacks %s", want)
		}
	}
	// Hostile text round-trips.
	var h struct {
		Title      string `json:"title"`
		Signatures []struct {
			PartyCode string `json:"party_code"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(export.FinalActsJSON(hostile()), &h); err != nil || h.Title != hostile().Title || h.Signatures[0].PartyCode != `A"R&G<` {
		t.Errorf("hostile JSON: %v %q", err, h)
	}
}
