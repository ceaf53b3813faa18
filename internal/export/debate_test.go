package export_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/export"
)

func geneva(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Geneva")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	return loc
}

// wg3 is the record of WTPF-13 Working Group 3 on draft Opinion 5.
func wg3(t *testing.T) export.Debate {
	loc := geneva(t)
	at := func(h, m, s int) time.Time { return time.Date(2013, 5, 15, h, m, s, 0, loc) }
	opinion5 := export.DocRef{Number: "WTPF-13/5", Title: "Draft Opinion 5: Supporting multi-stakeholderism", URL: "/forums/wtpf-13/documents/d5"}
	return export.Debate{
		Forum: "WTPF-13: Fifth World Telecommunication/ICT Policy Forum", ForumSlug: "wtpf-13",
		Meeting: "Working Group 3, fourth meeting", Number: "WG3/4", Body: "Working Group 3",
		Date: at(10, 0, 0), End: at(12, 30, 0), Zone: "Europe/Geneva", Place: "Room XVIII, CICG", Language: "en",
		Chair: "Mr Fabio Bigi", Published: time.Date(2013, 5, 16, 9, 0, 0, 0, time.UTC),
		Items: []export.DebateItem{
			{Number: "1", Heading: "Adoption of the agenda"},
			{Number: "2", Heading: "Draft Opinion 5", Documents: []export.DocRef{opinion5, {Number: "WTPF-13/INF/3", Title: "Contribution from civil society"}},
				Speeches: []export.Speech{
					{ID: "i1", Speaker: "Ms Ana Souza", SpeakerKey: "u-souza", Party: "Brazil", PartyKey: "BRA", Capacity: "Head of delegation", Group: "Government",
						From: "in the room", Start: at(10, 5, 0), End: at(10, 8, 40), Seconds: 220,
						Text:      []string{"Brazil supports the text as it stands.", "We ask that the brackets in paragraph 1 be lifted."},
						Statement: &export.DocRef{Number: "WTPF-13/INF/12", Title: "Statement of Brazil", URL: "/forums/wtpf-13/documents/d12"}},
					{ID: "i2", Kind: "question", Speaker: "Mr John Smith", SpeakerKey: "u-smith", Party: "United States", PartyKey: "USA", Group: "Government",
						From: "in the room", Start: at(10, 8, 50), End: at(10, 9, 20)},
					{ID: "i3", Speaker: "Mr John Smith", SpeakerKey: "u-smith", Party: "United States", PartyKey: "USA", Group: "Government",
						From: "in the room", Start: at(10, 9, 30), End: at(10, 13, 0), Seconds: 200, Text: []string{"The United States prefers \"in their respective roles\"."}},
					{ID: "i4", Kind: "point_of_order", Speaker: "Ms Rita Okoye", SpeakerKey: "u-okoye", Party: "Association for Progressive Communications", PartyKey: "APC",
						Group: "Civil society", From: "remote", Start: at(10, 13, 30), End: at(10, 14, 30), Seconds: 60,
						Ruling: "Remote speakers are called in the order of the list, as in the room.", Text: []string{"Remote participants have not been called for an hour."}},
					{ID: "i5", Speaker: "Ms Rita Okoye", SpeakerKey: "u-okoye", Party: "Association for Progressive Communications", PartyKey: "APC",
						Capacity: "on behalf of civil society", Group: "Civil society", From: "remote", Start: at(10, 15, 0), End: at(10, 18, 0), Seconds: 170},
					{ID: "i6", Speaker: "Mr Raúl Echeberría", SpeakerKey: "u-echeberria", Party: "Internet Society", PartyKey: "ISOC", Group: "Technical community",
						From: "hub: Internet Society hub, Montevideo", Start: at(10, 18, 30), End: at(10, 20, 30), Seconds: 120, Text: []string{"The hub in Montevideo supports the proposal."}},
					{ID: "i7", Kind: "reply", ReplyTo: "i3", Speaker: "Ms Ana Souza", SpeakerKey: "u-souza", Party: "Brazil", PartyKey: "BRA", Capacity: "Head of delegation",
						From: "in the room", Start: at(10, 21, 0), End: at(10, 22, 0), Seconds: 55, Text: []string{"Brazil replies briefly."}},
				}},
		},
	}
}

func TestDebateIsValidAkomaNtoso(t *testing.T) {
	d := wg3(t)
	doc := export.DebateAkomaNtoso(d)
	validate(t, "debate.xml", doc)
	s := string(doc)
	for _, want := range []string{
		`<debate name="meeting">`,
		`<FRBRthis value="/akn/int/debate/wtpf-13/2013-05-15/wg3-4/!main"/>`,
		`<FRBRthis value="/akn/int/debate/wtpf-13/2013-05-15/wg3-4/eng@2013-05-16/!main"/>`,
		`<TLCPerson eId="person_u-souza" href="/ontology/person/int/wtpf-13/u-souza" showAs="Ms Ana Souza"/>`,
		`<TLCOrganization eId="party_bra" href="/ontology/organization/int/party/bra" showAs="Brazil"/>`,
		`<TLCOrganization eId="party_isoc"`,
		`<TLCRole eId="role_chair"`, `<TLCRole eId="role_head_of_delegation"`,
		`<debateSection name="agendaItem" eId="dbsect_2">`, `<num>2</num>`, `<heading>Draft Opinion 5</heading>`,
		`<papers eId="dbsect_2__papers">`, `<ref eId="dbsect_2__papers__ref_1" href="/forums/wtpf-13/documents/d5">WTPF-13/5</ref>`,
		`<docNumber>WTPF-13/INF/3</docNumber>: Contribution from civil society`,
		`<speech eId="dbsect_2__spch_1" by="#person_u-souza" as="#role_head_of_delegation" startTime="2013-05-15T10:05:00+02:00" endTime="2013-05-15T10:08:40+02:00">`,
		`<from>Ms Ana Souza (<organization refersTo="#party_bra">Brazil</organization>), Head of delegation, in the room</from>`,
		`<p>Brazil supports the text as it stands.</p>`,
		`Written statement: <ref eId="dbsect_2__spch_1__ref_1" href="/forums/wtpf-13/documents/d12">WTPF-13/INF/12</ref>`,
		`<questions eId="dbsect_2__qsts_2">`, `<question eId="dbsect_2__spch_2" by="#person_u-smith"`,
		`<p class="no_transcript">No transcript is on the record.</p>`,
		`prefers &#34;in their respective roles&#34;.`,
		`<pointOfOrder eId="dbsect_2__pnt_4">`, `class="point_of_order" by="#person_u-okoye"`,
		`<narrative class="ruling">Ruling of the Chair: Remote speakers are called in the order of the list, as in the room.</narrative>`,
		`, on behalf of civil society, remote</from>`,
		`, hub: Internet Society hub, Montevideo</from>`,
		`class="reply" by="#person_u-souza" as="#role_head_of_delegation" to="#person_u-smith"`,
		`<p class="empty">No intervention is on the record for this item.</p>`,
		`Chair: <person refersTo="#person_mr_fabio_bigi" as="#role_chair">Mr Fabio Bigi</person>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("debate lacks %s", want)
		}
	}
	if n := strings.Count(s, "<TLCPerson "); n != 5 {
		t.Errorf("%d TLCPerson, want 5 (the chair and four speakers)", n)
	}
	if !bytes.Equal(doc, export.DebateAkomaNtoso(wg3(t))) {
		t.Error("two exports of one debate differ")
	}
	var x struct{ XMLName xml.Name }
	if err := xml.Unmarshal(doc, &x); err != nil || x.XMLName.Local != "akomaNtoso" {
		t.Fatalf("root: %+v %v", x.XMLName, err)
	}
}

func TestDebateEscapesHostileText(t *testing.T) {
	d := wg3(t)
	hostile := `<script>alert("x")</script> & 'quotes' "too"`
	d.Meeting, d.Place, d.Chair = hostile, hostile, hostile
	d.Items[0].Heading = hostile
	d.Items[0].Documents = []export.DocRef{{Number: hostile, Title: hostile, URL: `/x?a=1&b="2"`}}
	sp := &d.Items[1].Speeches[0]
	sp.Speaker, sp.Party, sp.Capacity, sp.From = hostile, hostile, hostile, hostile
	sp.PartyKey, sp.SpeakerKey = "", ""
	sp.Text = []string{hostile, "line one\nline two"}
	d.Items[1].Speeches[3].Ruling = hostile
	doc := export.DebateAkomaNtoso(d)
	validate(t, "hostile.xml", doc)
	s := string(doc)
	if strings.Contains(s, "<script") || strings.Contains(s, `"x"`) {
		t.Error("hostile text is not escaped")
	}
	for _, want := range []string{`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;`, `href="/x?a=1&amp;b=&#34;2&#34;"`, `line one<eol/>line two`} {
		if !strings.Contains(s, want) {
			t.Errorf("debate lacks %s", want)
		}
	}
	var x struct{ XMLName xml.Name }
	if err := xml.Unmarshal(doc, &x); err != nil {
		t.Fatal(err)
	}
}

func TestEdgeDebatesValidate(t *testing.T) {
	for name, d := range map[string]export.Debate{
		"nothing.xml":    {},
		"no-items.xml":   {ForumSlug: "f", Number: "M/1", Date: time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC)},
		"empty-item.xml": {ForumSlug: "f", Items: []export.DebateItem{{}}},
		"anonymous.xml": {ForumSlug: "f", Zone: "Not/AZone", Items: []export.DebateItem{{Speeches: []export.Speech{
			{}, {Kind: "question"}, {Kind: "question"}, {Kind: "point_of_order"}, {Kind: "reply", ReplyTo: "nobody"}, {Kind: "question"}}}}},
	} {
		validate(t, name, export.DebateAkomaNtoso(d))
	}
}

func TestMinutesDraft(t *testing.T) {
	full := wg3(t)
	hostile := full
	hostile.Items = []export.DebateItem{{Heading: "Any\nother business", Speeches: []export.Speech{{Speaker: "A\n## B", Kind: "point_of_order"}}}}
	for _, tc := range []struct {
		name string
		d    export.Debate
		want []string
		not  []string
	}{
		{"full", full, []string{
			"# Summary record (draft): WG3/4: Working Group 3, fourth meeting\n",
			"Working Group 3, WTPF-13: Fifth World Telecommunication/ICT Policy Forum\n",
			"Wednesday 15 May 2013, 10:00–12:30 (Europe/Geneva), Room XVIII, CICG\n",
			"Chair: Mr Fabio Bigi\n",
			"## 1 Adoption of the agenda\n\nNo intervention is on the record for this item.\n",
			"## 2 Draft Opinion 5\n\nDocuments taken up:\n\n- WTPF-13/5: Draft Opinion 5: Supporting multi-stakeholderism </forums/wtpf-13/documents/d5>\n- WTPF-13/INF/3: Contribution from civil society\n",
			"1. Ms Ana Souza (Brazil), Head of delegation [Government], in the room, 10:05–10:08, 3 min 40 s; written statement WTPF-13/INF/12: Statement of Brazil </forums/wtpf-13/documents/d12>.\n",
			"2. Question: Mr John Smith (United States) [Government], in the room, 10:08–10:09, 30 s.\n",
			"4. Point of order: Ms Rita Okoye (Association for Progressive Communications) [Civil society], remote, 10:13–10:14, 1 min 0 s.\n",
			"5. Ms Rita Okoye (Association for Progressive Communications), on behalf of civil society [Civil society], remote, 10:15–10:18, 2 min 50 s.\n",
			"6. Mr Raúl Echeberría (Internet Society) [Technical community], hub: Internet Society hub, Montevideo, 10:18–10:20, 2 min 0 s.\n",
			"7. Right of reply: Ms Ana Souza (Brazil), Head of delegation, in the room, in reply to Mr John Smith (United States), 10:21–10:22, 55 s.\n",
			"7 interventions, 14 min 35 s in all.\n",
			"Points of order and rulings:\n\n- Ms Rita Okoye (Association for Progressive Communications) at 10:13: ruling of the Chair: Remote speakers are called in the order of the list, as in the room.\n",
		}, nil},
		{"no items", export.Debate{Number: "M/1"}, []string{"# Summary record (draft): M/1\n\nNo agenda item was taken up.\n"}, []string{"Chair:"}},
		{"one line names", hostile, []string{"## Any other business\n", "1. Point of order: A ## B, 0 s.\n", "ruling of the Chair: no ruling is on the record."}, []string{"\n## B"}},
	} {
		got := export.MinutesDraft(tc.d)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: minutes lack %q\n%s", tc.name, w, got)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: minutes hold %q", tc.name, n)
			}
		}
	}
}

func TestDuration(t *testing.T) {
	for sec, want := range map[int64]string{0: "0 s", -5: "0 s", 45: "45 s", 60: "1 min 0 s", 750: "12 min 30 s", 3725: "1 h 2 min 5 s"} {
		if got := export.Duration(sec); got != want {
			t.Errorf("Duration(%d) = %q, want %q", sec, got, want)
		}
	}
}

// The debate carries the decisions taken on each item, each named for
// what it is, with its outcome and arithmetic; the summary record lists
// them under their item.
func TestDebateCarriesDecisions(t *testing.T) {
	d := wg3(t)
	d.Items[0].Decisions = []export.DebateDecision{
		{Kind: "straw_poll", Label: "Straw poll (indicative, not binding)", Title: "Feel of the room", Outcome: "pending",
			Status: "Indicative only: a straw poll is not a vote and decides nothing.", Lines: []string{"In: 12", "Out: 7"}},
		{Kind: "vote", Label: "Formal vote", Title: "The preamble & <resolution>", Binding: true, Outcome: "adopted", OutcomeLabel: "Adopted",
			Status: "77 for, 33 against: 77 > 55 of 110 present and voting; 8 abstentions not counted. Adopted.",
			Lines:  []string{"Brazil: Yes", "United States: No"}, URL: "https://example.org/forums/x/decisions/1?a=1&b=2"},
	}
	doc := export.DebateAkomaNtoso(d)
	validate(t, "decisions.xml", doc)
	for _, want := range []string{`<debateSection name="decision" eId="dbsect_1__dec_2" class="vote">`, `class="outcome adopted"`,
		`class="outcome not_binding"`, "77 &gt; 55 of 110 present and voting", "Straw poll (indicative, not binding): Feel of the room",
		"The preamble &amp; &lt;resolution&gt;"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("no %q in\n%s", want, doc)
		}
	}
	md := export.MinutesDraft(d)
	for _, want := range []string{"Decisions:\n\n- Straw poll (indicative, not binding): Feel of the room. Indicative only", "  - Brazil: Yes\n",
		"- Formal vote: The preamble & <resolution>. 77 for, 33 against"} {
		if !strings.Contains(md, want) {
			t.Errorf("the minutes lack %q:\n%s", want, md)
		}
	}
}
