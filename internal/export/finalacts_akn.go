package export

import (
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/text"
)

// finalActsRefs collects the parties, people and roles the final acts
// name, in order of first appearance.
type finalActsRefs struct {
	debateRefs
}

func collectFinalActsRefs(fa *FinalActs) *finalActsRefs {
	r := &finalActsRefs{debateRefs{show: map[string]string{}, href: map[string]string{}}}
	forum := idSafe(fa.ForumSlug)
	party := func(code, name string) {
		if code = oneLine(code); code == "" {
			code = oneLine(name)
		}
		if code == "" {
			return
		}
		show := oneLine(name)
		if show == "" {
			show = code
		}
		r.add(&r.parties, partyEID(code), show, "/ontology/organization/int/party/"+idSafe(code))
	}
	for i := range fa.Signatures {
		s := &fa.Signatures[i]
		party(s.PartyCode, s.PartyName)
		if s.state() == SignatureNotYet {
			continue
		}
		if n := oneLine(s.Signer); n != "" {
			k := signerKey(s)
			r.add(&r.persons, personEID(k), n, "/ontology/person/int/"+forum+"/"+k)
		}
		if c := oneLine(s.SignerRole); c != "" {
			r.add(&r.roles, "role_"+idSafe(c), c, "/ontology/role/int/"+forum+"/"+idSafe(c))
		}
	}
	for _, d := range fa.Declarations {
		for _, p := range d.Parties {
			party(p.Code, p.Name)
		}
	}
	for _, s := range fa.Statements {
		party(s.Party.Code, s.Party.Name)
	}
	return r
}

// signerKey keys a signer by party and name: two parties' signers may share
// a name.
func signerKey(s *Signature) string {
	return idSafe(oneLine(s.PartyCode)) + "_" + personKey(s.Signer, "")
}

func partyRefEID(code, name string) string {
	if code = oneLine(code); code == "" {
		code = oneLine(name)
	}
	return partyEID(code)
}

// orgXML writes a party as an organization referring to its
// TLCOrganization.
func orgXML(code, name string) string {
	show := oneLine(name)
	if show == "" {
		show = oneLine(code)
	}
	return `<organization refersTo="#` + partyRefEID(code, name) + `">` + esc(show) + `</organization>`
}

// utcTime writes t as an XML Schema dateTime in UTC.
func utcTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// dateXML writes t as a date element: its normalized value in UTC, its
// text as "14 December 2012, 10:15 UTC".
func dateXML(t time.Time) string {
	u := t.UTC()
	return `<date date="` + utcTime(u) + `">` + u.Format("2 January 2006, 15:04") + ` UTC</date>`
}

// paragraphs splits a text into its paragraphs (separated by blank lines).
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// FinalActsAkomaNtoso writes the final acts as an Akoma Ntoso 3.0 act
// named "finalActs":
//
//   - meta: the FRBR identification (the work /akn/int/act/<forum>/<date
//     adopted>/<number>, each version of the text an expression
//     /<language>@r<version>), a lifecycle whose generation event is the
//     adoption, a workflow whose steps are the opening and closing for
//     signature and the cut-off for declarations and reservations, and
//     references: the forum, its secretariat, every party named
//     (TLCOrganization), every signer (TLCPerson) and their capacity
//     (TLCRole), and the steps' events (TLCEvent);
//   - preface: the number, title, forum, date of adoption, version and the
//     hash of the text;
//   - body: the provisions, grouped by the instrument they come from
//     (hcontainer "instrument"), each with the eId ProvisionEID gives it;
//   - conclusions: a container "signatures" with the tally and one
//     signature per party that signed (party, signer, capacity, date; "subject
//     to ratification" and a superseded text said in words and in the
//     class), then the parties that declined; parties that have not signed
//     are counted, not listed;
//   - attachments: a doc "declarationsAndReservations" with one tblock per
//     declaration or reservation (eId decl_<number>): its number, parties,
//     kind, the declarations it answers and the provisions it concerns as
//     refs to their eIds, its text and the time of deposit; and a doc
//     "statements" with the explanations of position and closing
//     statements. Each is left out when there is none.
//
// Output is deterministic.
func FinalActsAkomaNtoso(fa FinalActs) []byte {
	refs := collectFinalActsRefs(&fa)
	m := Meta{Forum: fa.Forum, ForumSlug: fa.ForumSlug, Number: fa.Number, Label: fa.Number, Revision: fa.version(),
		Date: fa.Date, WorkDate: fa.Date, Language: fa.Language, URL: fa.URL}
	number := oneLine(fa.Number)
	if number == "" {
		number = "final-acts"
	}
	id := newFRBR(m, "act", number, fa.version())
	w := &xw{}
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.open("akomaNtoso", "xmlns", Namespace)
	w.open("act", "name", "finalActs")
	writeFinalActsMeta(w, &fa, m, id, number, refs)
	writeFinalActsPreface(w, &fa, number)
	writeFinalActsBody(w, &fa)
	writeSignatures(w, &fa)
	eids := ProvisionEID(fa)
	if len(fa.Declarations) > 0 || len(fa.Statements) > 0 {
		w.open("attachments")
		n := 0
		if len(fa.Declarations) > 0 {
			n++
			writeDeclarations(w, &fa, m, number, eids, n)
		}
		if len(fa.Statements) > 0 {
			n++
			writeStatements(w, &fa, m, number, n)
		}
		w.close("attachments")
	}
	w.close("act")
	w.close("akomaNtoso")
	return w.b.Bytes()
}

// The events of the workflow, as TLCEvent eIds and names.
var finalActsSteps = []struct{ eid, show string }{
	{"openedForSignature", "Opened for signature"},
	{"closedForSignature", "Closed for signature"},
	{"declarationsCutOff", "Cut-off for declarations and reservations"},
}

func writeFinalActsMeta(w *xw, fa *FinalActs, m Meta, id frbr, number string, refs *finalActsRefs) {
	w.open("meta")
	writeIdentification(w, m, id, number)
	w.open("lifecycle", "source", "#secretariat")
	w.empty("eventRef", "eId", "evt_adopted", "date", day(fa.Date), "source", "#original", "type", "generation", "refersTo", "#adopted")
	w.close("lifecycle")
	steps := []time.Time{fa.OpenedAt, fa.ClosedAt, fa.CutOff}
	some := false
	for _, t := range steps {
		some = some || !t.IsZero()
	}
	if some {
		w.open("workflow", "source", "#secretariat")
		for i, t := range steps {
			if !t.IsZero() {
				w.empty("step", "eId", "step_"+finalActsSteps[i].eid, "date", utcTime(t), "by", "#secretariat", "refersTo", "#"+finalActsSteps[i].eid)
			}
		}
		w.close("workflow")
	}
	w.open("references", "source", "#secretariat")
	title := oneLine(fa.Title)
	if title == "" {
		title = number
	}
	w.empty("original", "eId", "original", "href", id.expr, "showAs", title)
	writeForumRefs(w, oneLine(fa.Forum), oneLine(fa.ForumSlug))
	for _, eid := range refs.parties {
		w.empty("TLCOrganization", "eId", eid, "href", refs.href[eid], "showAs", refs.show[eid])
	}
	for _, eid := range refs.persons {
		w.empty("TLCPerson", "eId", eid, "href", refs.href[eid], "showAs", refs.show[eid])
	}
	for _, eid := range refs.roles {
		w.empty("TLCRole", "eId", eid, "href", refs.href[eid], "showAs", refs.show[eid])
	}
	forum := idSafe(fa.ForumSlug)
	w.empty("TLCEvent", "eId", "adopted", "href", "/ontology/event/int/"+forum+"/final-acts/adopted", "showAs", "Adopted")
	for i, t := range steps {
		if !t.IsZero() {
			s := finalActsSteps[i]
			w.empty("TLCEvent", "eId", s.eid, "href", "/ontology/event/int/"+forum+"/final-acts/"+idSafe(s.eid), "showAs", s.show)
		}
	}
	w.close("references")
	w.close("meta")
}

func writeFinalActsPreface(w *xw, fa *FinalActs, number string) {
	w.open("preface")
	w.inline("p", `<docNumber>`+esc(number)+`</docNumber>`, "class", "number")
	if t := oneLine(fa.Title); t != "" {
		w.inline("p", `<docTitle>`+esc(t)+`</docTitle>`, "class", "title")
	}
	if f := oneLine(fa.Forum); f != "" {
		w.inline("p", `<docAuthority>`+esc(f)+`</docAuthority>`, "class", "forum")
	}
	if !fa.Date.IsZero() {
		u := fa.Date.UTC()
		w.inline("p", `Adopted on <docDate date="`+u.Format("2006-01-02")+`">`+u.Format("2 January 2006")+`</docDate>`, "class", "date")
	}
	status := "Version " + itoa(fa.version())
	if h := oneLine(fa.TextHash); h != "" {
		status += ", text " + h
	}
	w.inline("p", `<docStatus>`+esc(status)+`</docStatus>`, "class", "status")
	var when []string
	if !fa.OpenedAt.IsZero() {
		when = append(when, "opened for signature on "+dateXML(fa.OpenedAt))
	}
	if !fa.ClosedAt.IsZero() {
		when = append(when, "closed for signature on "+dateXML(fa.ClosedAt))
	}
	if len(when) > 0 {
		w.inline("p", "The final acts were "+strings.Join(when, " and ")+".", "class", "signature_period")
	}
	if !fa.CutOff.IsZero() {
		w.inline("p", "Declarations and reservations were to be deposited by "+dateXML(fa.CutOff)+".", "class", "cut_off")
	}
	w.close("preface")
}

func writeFinalActsBody(w *xw, fa *FinalActs) {
	ids := provisionIDs(fa.Provisions)
	w.open("body")
	if len(fa.Provisions) == 0 {
		w.open("hcontainer", "name", "empty", "eId", "hcontainer_empty")
		w.open("content")
		w.inline("p", "The final acts hold no provision.")
		w.close("content")
		w.close("hcontainer")
	}
	for i, n := 0, 0; i < len(fa.Provisions); {
		j := i + 1
		for j < len(fa.Provisions) && fa.Provisions[j].Instrument == fa.Provisions[i].Instrument {
			j++
		}
		provs := make([]text.Provision, 0, j-i)
		for k := i; k < j; k++ {
			p := &fa.Provisions[k]
			kind := p.Kind
			if !kind.Valid() {
				kind = text.KindParagraph
			}
			provs = append(provs, text.Provision{ID: ids[k], Kind: kind, Intro: p.Intro, Label: p.Label, LabelFixed: true, Body: text.TextPart(p.Text)})
		}
		if in := oneLine(fa.Provisions[i].Instrument); in != "" {
			n++
			w.open("hcontainer", "name", "instrument", "eId", "instr_"+itoa(n))
			w.inline("heading", esc(in))
			writeProvisions(w, provs)
			w.close("hcontainer")
		} else {
			writeProvisions(w, provs)
		}
		i = j
	}
	w.close("body")
}

// tally counts the parties by state.
type tally struct {
	eligible, signed, ratification, declined, notYet, superseded int
}

func countSignatures(sigs []Signature) tally {
	var t tally
	for i := range sigs {
		s := &sigs[i]
		t.eligible++
		switch s.state() {
		case SignatureSigned:
			t.signed++
		case SignatureSubjectToRatification:
			t.signed++
			t.ratification++
		case SignatureDeclined:
			t.declined++
		default:
			t.notYet++
		}
		if s.signed() && !s.Current {
			t.superseded++
		}
	}
	return t
}

func (t tally) sentence() string {
	s := "Signed by " + itoa(t.signed) + " of " + itoa(t.eligible) + plural(t.eligible, " eligible party", " eligible parties")
	if t.ratification > 0 {
		s += " (" + itoa(t.ratification) + " subject to ratification)"
	}
	s += "; " + itoa(t.declined) + " declined; " + itoa(t.notYet) + " not yet signed."
	if t.superseded > 0 {
		s += " " + itoa(t.superseded) + plural(t.superseded, " signature is", " signatures are") + " of a superseded text."
	}
	return s
}

func writeSignatures(w *xw, fa *FinalActs) {
	w.open("conclusions")
	w.open("container", "name", "signatures", "eId", "signatures")
	t := countSignatures(fa.Signatures)
	w.inline("p", esc(t.sentence()), "class", "tally")
	if t.signed == 0 {
		w.inline("p", "No party has signed the final acts.", "class", "none")
	}
	var declined []string
	n := 0
	for i := range fa.Signatures {
		s := &fa.Signatures[i]
		if s.state() == SignatureDeclined {
			declined = append(declined, orgXML(s.PartyCode, s.PartyName))
		}
		if !s.signed() {
			continue
		}
		n++
		var b strings.Builder
		b.WriteString(`<signature><party refersTo="#` + partyRefEID(s.PartyCode, s.PartyName) + `">` + esc(s.name()) + `</party>`)
		role := ""
		if c := oneLine(s.SignerRole); c != "" {
			role = "#role_" + idSafe(c)
		}
		if p := oneLine(s.Signer); p != "" {
			b.WriteString(`, signed by <person refersTo="#` + personEID(signerKey(s)) + `"`)
			if role != "" {
				b.WriteString(` as="` + role + `"`)
			}
			b.WriteString(`>` + esc(p) + `</person>`)
		} else {
			b.WriteString(", signed")
		}
		if role != "" {
			b.WriteString(`, <role refersTo="` + role + `">` + esc(oneLine(s.SignerRole)) + `</role>`)
		}
		if !s.At.IsZero() {
			b.WriteString(", on " + dateXML(s.At))
		}
		if s.State == SignatureSubjectToRatification {
			b.WriteString(", subject to ratification")
		}
		b.WriteString(".")
		if !s.Current {
			b.WriteString(" This signature is of an earlier text")
			if h := oneLine(s.TextHash); h != "" {
				b.WriteString(" (" + esc(h) + ")")
			}
			b.WriteString(", since superseded.")
		}
		b.WriteString(`</signature>`)
		class := s.State
		if !s.Current {
			class += " superseded"
		}
		w.inline("p", b.String(), "class", class, "eId", "signatures__sig_"+itoa(n))
	}
	if len(declined) > 0 {
		w.inline("p", "Declined to sign: "+strings.Join(declined, ", ")+".", "class", "declined")
	}
	w.close("container")
	w.close("conclusions")
}

// openAttachment opens an attachment holding a doc of the name, with its
// identification.
func openAttachment(w *xw, m Meta, number string, n int, name, suffix, title string) {
	w.open("attachment", "eId", "att_"+itoa(n))
	w.open("doc", "name", name)
	docNumber := number + "-" + suffix
	w.open("meta")
	writeIdentification(w, m, newFRBR(m, "doc", docNumber, m.Revision), docNumber)
	w.close("meta")
	w.open("preface")
	w.inline("p", `<docTitle>`+esc(title)+`</docTitle>`, "class", "title")
	w.inline("p", `<docNumber>`+esc(number)+`</docNumber>`, "class", "number")
	w.close("preface")
	w.open("mainBody")
}

func closeAttachment(w *xw) {
	w.close("mainBody")
	w.close("doc")
	w.close("attachment")
}

func kindLabel(kind string, additional bool) string {
	k := oneLine(kind)
	if k == "" {
		k = DeclarationKindDeclaration
	}
	if additional {
		return "Additional " + k
	}
	r := []rune(k)
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

func writeDeclarations(w *xw, fa *FinalActs, m Meta, number string, eids map[string]string, n int) {
	openAttachment(w, m, number, n, "declarationsAndReservations", "declarations", "Declarations and reservations")
	// The eId of each declaration, by number; a number given twice gets a
	// suffix.
	declEID := map[int]string{}
	ids := make([]string, len(fa.Declarations))
	seen := map[string]bool{}
	for i, d := range fa.Declarations {
		id := "decl_" + itoa(d.No)
		for k := 2; seen[id]; k++ {
			id = "decl_" + itoa(d.No) + "_" + itoa(k)
		}
		seen[id] = true
		ids[i] = id
		if _, ok := declEID[d.No]; !ok {
			declEID[d.No] = id
		}
	}
	for i := range fa.Declarations {
		d := &fa.Declarations[i]
		class := oneLine(d.Kind)
		if d.Additional {
			class = joinNonEmpty(" ", class, "additional")
		}
		w.open("tblock", "eId", ids[i], "class", class)
		w.inline("num", "No. "+itoa(d.No))
		var parties []string
		for _, p := range d.Parties {
			parties = append(parties, orgXML(p.Code, p.Name))
		}
		if len(parties) == 0 {
			parties = []string{"No party named"}
		}
		w.inline("heading", strings.Join(parties, ", "))
		var b strings.Builder
		b.WriteString(esc(kindLabel(d.Kind, d.Additional)))
		if len(d.Answers) > 0 {
			b.WriteString(", answering ")
			for k, no := range d.Answers {
				if k > 0 {
					b.WriteString(", ")
				}
				if eid, ok := declEID[no]; ok {
					b.WriteString(`<ref eId="` + ids[i] + `__answers_` + itoa(k+1) + `" href="#` + eid + `">No. ` + itoa(no) + `</ref>`)
				} else {
					b.WriteString("No. " + itoa(no))
				}
			}
		}
		if len(d.Provisions) == 0 {
			b.WriteString(", on the final acts as a whole.")
		} else {
			b.WriteString(", on ")
			for k, key := range d.Provisions {
				if k > 0 {
					b.WriteString("; ")
				}
				name := esc(provisionName(fa, key))
				if eid, ok := eids[key]; ok {
					b.WriteString(`<ref eId="` + ids[i] + `__prov_` + itoa(k+1) + `" href="#` + eid + `">` + name + `</ref>`)
				} else {
					b.WriteString(name)
				}
			}
			b.WriteString(".")
		}
		w.inline("p", b.String(), "class", "kind")
		for _, p := range paragraphs(d.Text) {
			w.inline("p", esc(p))
		}
		if !d.DepositedAt.IsZero() {
			w.inline("p", "Deposited on "+dateXML(d.DepositedAt)+".", "class", "deposited")
		}
		w.close("tblock")
	}
	closeAttachment(w)
}

func writeStatements(w *xw, fa *FinalActs, m Meta, number string, n int) {
	openAttachment(w, m, number, n, "statements", "statements", "Explanations of position and closing statements")
	for i := range fa.Statements {
		s := &fa.Statements[i]
		w.open("tblock", "eId", "stmt_"+itoa(i+1), "class", idSafe(s.kind()))
		w.inline("num", itoa(i+1))
		var h string
		switch {
		case s.Party.Code != "" || s.Party.Name != "":
			h = orgXML(s.Party.Code, s.Party.Name)
			if a := oneLine(s.Author); a != "" {
				h += esc(", " + a)
			}
		case oneLine(s.Author) != "":
			h = esc(oneLine(s.Author))
		default:
			h = "Unattributed"
		}
		w.inline("heading", h)
		label := "Explanation of position"
		if s.kind() == StatementKindClosing {
			label = "Closing statement"
		}
		if sub := oneLine(s.Subject); sub != "" {
			label += " on " + sub
		}
		w.inline("p", esc(label)+".", "class", "subject")
		for _, p := range paragraphs(s.Text) {
			w.inline("p", esc(p))
		}
		if !s.At.IsZero() {
			w.inline("p", "Filed on "+dateXML(s.At)+".", "class", "filed")
		}
		w.close("tblock")
	}
	closeAttachment(w)
}
