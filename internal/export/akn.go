package export

import (
	"bytes"
	"encoding/xml"
	"sort"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// Namespace is the Akoma Ntoso 3.0 namespace.
const Namespace = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

// xw writes indented XML. Inline content (the inside of a p, num or
// heading) is written on one line, so that no indentation enters the text.
type xw struct {
	b     bytes.Buffer
	depth int
}

func (w *xw) indent() {
	for range w.depth {
		w.b.WriteString("  ")
	}
}

// attrs writes name="value" pairs given as a flat list; empty values are
// left out.
func (w *xw) attrs(kv []string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		w.b.WriteString(" " + kv[i] + `="`)
		xmlEscape(&w.b, kv[i+1])
		w.b.WriteByte('"')
	}
}

func (w *xw) open(name string, kv ...string) {
	w.indent()
	w.b.WriteString("<" + name)
	w.attrs(kv)
	w.b.WriteString(">\n")
	w.depth++
}

func (w *xw) close(name string) {
	w.depth--
	w.indent()
	w.b.WriteString("</" + name + ">\n")
}

func (w *xw) empty(name string, kv ...string) {
	w.indent()
	w.b.WriteString("<" + name)
	w.attrs(kv)
	w.b.WriteString("/>\n")
}

// inline writes <name attrs>content</name> on one line; content is
// already XML.
func (w *xw) inline(name, content string, kv ...string) {
	w.indent()
	w.b.WriteString("<" + name)
	w.attrs(kv)
	w.b.WriteString(">" + content + "</" + name + ">\n")
}

func xmlEscape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s))
}

// esc escapes text for XML content, newlines written as <eol/>.
func esc(s string) string {
	var b bytes.Buffer
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if i > 0 {
			b.WriteString("<eol/>")
		}
		xmlEscape(&b, l)
	}
	return b.String()
}

// Language codes of ISO 639-1 and their ISO 639-2 equivalents, which
// FRBRlanguage uses.
var language3 = map[string]string{"en": "eng", "fr": "fra", "es": "spa", "ar": "ara", "ru": "rus", "zh": "zho", "pt": "por", "de": "deu"}

func lang3(l string) string {
	if l == "" {
		return "eng"
	}
	if x, ok := language3[l]; ok {
		return x
	}
	return l
}

// partyEID is the eId of a party's TLCOrganization.
func partyEID(code string) string { return "party_" + idSafe(code) }

// idSafe keeps the characters an eId may hold without doubt.
func idSafe(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// frbr is the FRBR identification of one document.
type frbr struct {
	typ, work, expr, manif string
}

func newFRBR(m Meta, typ, number string, revision int) frbr {
	date := day(m.WorkDate, m.Date)
	work := "/akn/int/" + typ + "/" + idSafe(m.ForumSlug) + "/" + date + "/" + slug(number)
	expr := work + "/" + lang3(m.Language) + "@r" + itoa(revision)
	return frbr{typ: typ, work: work, expr: expr, manif: expr + "/!main.xml"}
}

// day writes the first of ts that is set as YYYY-MM-DD.
func day(ts ...time.Time) string {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UTC().Format("2006-01-02")
		}
	}
	return "1970-01-01"
}

// writeMeta writes the meta block: identification and, unless parties is
// nil, references (the forum and its secretariat, and the parties named).
// The documents inside an amendment list have no references of their own:
// their eIds would clash with the list's, and their refersTo resolve to
// the list's references.
func writeMeta(w *xw, m Meta, id frbr, number string, parties []string) {
	w.open("meta")
	writeIdentification(w, m, id, number)
	if parties == nil {
		w.close("meta")
		return
	}
	w.open("references", "source", "#secretariat")
	writeForumRefs(w, m.Forum, m.ForumSlug)
	for _, code := range parties {
		name := m.Parties[code]
		if name == "" {
			name = code
		}
		w.empty("TLCOrganization", "eId", partyEID(code), "href", "/ontology/organization/int/party/"+idSafe(code), "showAs", name)
	}
	w.close("references")
	w.close("meta")
}

// writeForumRefs writes the TLCOrganizations of the forum and its
// secretariat.
func writeForumRefs(w *xw, forum, forumSlug string) {
	if forum == "" {
		forum = forumSlug
	}
	if forum == "" {
		forum = "Forum"
	}
	w.empty("TLCOrganization", "eId", "forum", "href", "/ontology/organization/int/"+idSafe(forumSlug), "showAs", forum)
	w.empty("TLCOrganization", "eId", "secretariat", "href", "/ontology/organization/int/"+idSafe(forumSlug)+"/secretariat", "showAs", "Secretariat of "+forum)
}

// writeIdentification writes the FRBR identification of a document.
func writeIdentification(w *xw, m Meta, id frbr, number string) {
	w.open("identification", "source", "#secretariat")
	date, workDate := day(m.Date, m.WorkDate), day(m.WorkDate, m.Date)
	w.open("FRBRWork")
	w.empty("FRBRthis", "value", id.work+"/!main")
	w.empty("FRBRuri", "value", id.work)
	w.empty("FRBRalias", "value", number, "name", "number")
	w.empty("FRBRdate", "date", workDate, "name", "issued")
	w.empty("FRBRauthor", "href", "#forum")
	w.empty("FRBRcountry", "value", "int")
	w.empty("FRBRnumber", "value", number)
	w.empty("FRBRprescriptive", "value", "false")
	w.close("FRBRWork")
	w.open("FRBRExpression")
	w.empty("FRBRthis", "value", id.expr+"/!main")
	w.empty("FRBRuri", "value", id.expr)
	w.empty("FRBRdate", "date", date, "name", "revision")
	w.empty("FRBRauthor", "href", "#forum")
	w.empty("FRBRlanguage", "language", lang3(m.Language))
	w.close("FRBRExpression")
	w.open("FRBRManifestation")
	w.empty("FRBRthis", "value", id.manif)
	w.empty("FRBRuri", "value", strings.TrimSuffix(id.manif, "/!main.xml")+".akn")
	w.empty("FRBRdate", "date", date, "name", "export")
	w.empty("FRBRauthor", "href", "#secretariat")
	w.close("FRBRManifestation")
	w.close("identification")
}

// draftParties lists the supporters of d's brackets, sorted.
func draftParties(d *text.Draft) []string {
	seen := map[string]bool{}
	for _, br := range d.Brackets() {
		for _, s := range br.Bracket.Supporters() {
			seen[s] = true
		}
	}
	return sortedKeys(seen)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m)) // never nil: references are written
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// bodyXML writes a provision body as inline AKN: text, and brackets as
// inline elements with their alternatives.
func bodyXML(p *text.Provision) string {
	var b strings.Builder
	for _, pt := range p.Body {
		if pt.Bracket == nil {
			b.WriteString(esc(pt.Text))
			continue
		}
		br := pt.Bracket
		b.WriteString(`<inline name="bracket" eId="brkt_` + idSafe(br.ID) + `" class="` + string(br.Status) + `">[`)
		for i, alt := range br.Alternatives {
			if i > 0 {
				b.WriteString(" / ")
			}
			b.WriteString(`<inline name="alternative" eId="brkt_` + idSafe(br.ID) + "_alt_" + itoa(i+1) + `"`)
			if len(alt.Supporters) > 0 {
				refs := make([]string, len(alt.Supporters))
				for k, s := range alt.Supporters {
					refs[k] = "#" + partyEID(s)
				}
				b.WriteString(` refersTo="` + strings.Join(refs, " ") + `"`)
			}
			if br.Agreed != nil && *br.Agreed == i {
				b.WriteString(` class="agreed"`)
			}
			b.WriteString(">")
			if alt.Text == "" {
				b.WriteString(esc(text.NoText))
			} else {
				b.WriteString(esc(alt.Text))
			}
			b.WriteString("</inline>")
		}
		b.WriteString("]</inline>")
	}
	return b.String()
}

// AkomaNtoso writes a revision as an Akoma Ntoso 3.0 document: a statement
// for an opinion or resolution, a bill for a treaty text (one with
// articles). See the package documentation for the mapping.
func AkomaNtoso(m Meta, d *text.Draft) []byte {
	typ := "statement"
	for i := range d.Provisions {
		if d.Provisions[i].Kind == text.KindArticle {
			typ = "bill"
			break
		}
	}
	id := newFRBR(m, typ, m.Number, d.Revision)
	w := &xw{}
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.open("akomaNtoso", "xmlns", Namespace)
	name := "opinion"
	if typ == "bill" {
		name = "draftTreaty"
	}
	w.open(typ, "name", name)
	writeMeta(w, m, id, m.Number, draftParties(d))
	w.open("preface")
	w.inline("p", `<docNumber>`+esc(m.Label)+`</docNumber>`, "class", "number")
	w.inline("p", `<docTitle>`+esc(d.Title)+`</docTitle>`, "class", "title")
	w.inline("p", `<docStatus>revision `+itoa(d.Revision)+`</docStatus>`, "class", "status")
	w.close("preface")
	provs := d.Provisions
	n := 0
	for n < len(provs) && provs[n].Kind == text.KindPreamble {
		n++
	}
	if n > 0 {
		w.open("preamble")
		for i := 0; i < n; {
			j := i + 1
			for j < n && provs[j].Intro == provs[i].Intro {
				j++
			}
			w.open("recitals", "eId", "recs_"+idSafe(provs[i].ID))
			if provs[i].Intro != "" {
				w.open("intro")
				w.inline("p", esc(provs[i].Intro))
				w.close("intro")
			}
			for k := i; k < j; k++ {
				p := &provs[k]
				w.open("recital", "eId", "recital_"+idSafe(p.ID))
				if p.Label != "" {
					w.inline("num", esc(p.DisplayLabel()))
				}
				w.inline("p", bodyXML(p))
				w.close("recital")
			}
			w.close("recitals")
			i = j
		}
		w.close("preamble")
	}
	bodyName := "mainBody"
	if typ == "bill" {
		bodyName = "body"
	}
	w.open(bodyName)
	writeProvisions(w, provs[n:])
	if n == len(provs) {
		// Every provision was a preamble clause: the main body needs one
		// element.
		w.inline("p", "", "class", "empty")
	}
	w.close(bodyName)
	w.close(typ)
	w.close("akomaNtoso")
	return w.b.Bytes()
}

// writeProvisions writes the provisions after the preamble: clause groups
// as hcontainers with their intro, headings as hcontainers named heading,
// articles with the paragraphs that follow them, and other paragraphs.
func writeProvisions(w *xw, provs []text.Provision) {
	inArticle := false
	for i := 0; i < len(provs); {
		p := &provs[i]
		switch {
		case p.Kind == text.KindArticle:
			if inArticle {
				w.close("article")
			}
			w.open("article", "eId", "art_"+idSafe(p.ID))
			w.inline("num", esc(p.Label))
			if t := p.Text(); t != "" {
				w.inline("heading", bodyXML(p))
			}
			inArticle = true
			i++
		case p.Kind == text.KindHeading:
			if inArticle {
				w.close("article")
				inArticle = false
			}
			w.open("hcontainer", "name", "heading", "eId", "hcontainer_"+idSafe(p.ID))
			w.inline("heading", bodyXML(p))
			w.close("hcontainer")
			i++
		case (p.Kind == text.KindOperative || p.Kind == text.KindPreamble) && p.Intro != "":
			j := i + 1
			for j < len(provs) && provs[j].Kind == p.Kind && provs[j].Intro == p.Intro {
				j++
			}
			name := "operative"
			if p.Kind == text.KindPreamble {
				name = "preambular"
			}
			w.open("hcontainer", "name", name, "eId", "hcontainer_"+idSafe(p.ID))
			w.open("intro")
			w.inline("p", esc(p.Intro))
			w.close("intro")
			for k := i; k < j; k++ {
				writeParagraph(w, &provs[k])
			}
			w.close("hcontainer")
			i = j
		default:
			writeParagraph(w, p)
			i++
		}
	}
	if inArticle {
		w.close("article")
	}
}

func writeParagraph(w *xw, p *text.Provision) {
	w.open("paragraph", "eId", "para_"+idSafe(p.ID))
	if p.Label != "" {
		w.inline("num", esc(p.DisplayLabel()))
	}
	w.open("content")
	w.inline("p", bodyXML(p))
	w.close("content")
	w.close("paragraph")
}

// AmendmentList writes the proposals made against a revision as an Akoma
// Ntoso amendmentList: one amendment document per proposal, in the order
// given. d is the revision they were made against; a proposal whose
// provision it does not hold is written without its word changes.
func AmendmentList(m Meta, d *text.Draft, ams []text.Amendment) []byte {
	id := newFRBR(m, "amendmentList", m.Number+"-amendments", d.Revision)
	parties := map[string]bool{}
	for _, a := range ams {
		for _, p := range a.Proponents() {
			parties[p] = true
		}
	}
	w := &xw{}
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.open("akomaNtoso", "xmlns", Namespace)
	w.open("amendmentList", "name", "proposals")
	writeMeta(w, m, id, m.Number, sortedKeys(parties))
	w.open("preface")
	w.inline("p", `<docTitle>`+esc("Proposals on "+m.Label+": "+d.Title)+`</docTitle>`, "class", "title")
	w.inline("p", `<docNumber>`+esc(m.Label)+`</docNumber>`, "class", "number")
	w.close("preface")
	w.open("collectionBody")
	if len(ams) == 0 {
		w.open("component", "eId", "cmp_none")
		w.open("doc", "name", "note")
		writeMeta(w, m, newFRBR(m, "doc", m.Number+"-no-proposals", d.Revision), m.Number, nil)
		w.open("mainBody")
		w.inline("p", "No proposals were made against this revision.")
		w.close("mainBody")
		w.close("doc")
		w.close("component")
	}
	for k := range ams {
		writeAmendment(w, m, d, &ams[k], k+1)
	}
	w.close("collectionBody")
	w.close("amendmentList")
	w.close("akomaNtoso")
	return w.b.Bytes()
}

func writeAmendment(w *xw, m Meta, d *text.Draft, a *text.Amendment, n int) {
	ref := a.Ref()
	w.open("component", "eId", "cmp_"+itoa(n))
	w.open("amendment", "name", string(a.Op))
	writeMeta(w, m, newFRBR(m, "amendment", m.Number+"-"+ref, d.Revision), ref, nil)
	w.open("preface")
	w.inline("p", `<docNumber>`+esc(ref)+`</docNumber>`, "class", "number")
	w.inline("p", `<docStatus>`+esc(string(a.Status))+`</docStatus>`, "class", "status")
	w.close("preface")
	w.open("amendmentBody")
	w.open("amendmentHeading")
	var h strings.Builder
	h.WriteString(esc(string(a.Op) + " " + ref + " on "))
	h.WriteString(`<affectedDocument href="` + attrEsc(newFRBR(m, docType(d), m.Number, d.Revision).expr) + `">` + esc(m.Label) + `</affectedDocument>`)
	target := a.Target()
	p, ok := d.Provision(target)
	switch {
	case a.Op == text.OpADD && target == "":
		h.WriteString(esc(", at the start"))
	case ok && a.Op == text.OpADD:
		h.WriteString(esc(", after " + provName(p)))
	case ok:
		h.WriteString(esc(", " + provName(p)))
	}
	h.WriteString(esc(", proposed by "))
	for i, party := range a.Proponents() {
		if i > 0 {
			h.WriteString(", ")
		}
		h.WriteString(`<organization refersTo="#` + partyEID(party) + `">` + esc(party) + `</organization>`)
	}
	w.inline("p", h.String())
	w.close("amendmentHeading")
	w.open("amendmentContent")
	switch cs := Changes(d, *a); {
	case len(cs) > 0:
		w.inline("p", changesXML(cs))
	case a.Op == text.OpSUP:
		w.inline("p", esc("Delete the provision."))
	default:
		w.inline("p", esc(text.OpNOC.Label()+"."))
	}
	w.close("amendmentContent")
	if a.Rationale != "" {
		w.open("amendmentJustification")
		for _, para := range strings.Split(a.Rationale, "\n\n") {
			w.inline("p", esc(strings.TrimSpace(para)))
		}
		w.close("amendmentJustification")
	}
	w.close("amendmentBody")
	w.close("amendment")
	w.close("component")
}

func docType(d *text.Draft) string {
	for i := range d.Provisions {
		if d.Provisions[i].Kind == text.KindArticle {
			return "bill"
		}
	}
	return "statement"
}

func provName(p *text.Provision) string {
	name := p.DisplayLabel()
	if p.Intro != "" {
		name = strings.TrimSpace(p.Intro + " " + name)
	}
	if p.Kind == text.KindHeading {
		name = "the heading " + p.Text()
	}
	if name == "" {
		name = "provision " + p.ID
	}
	return name
}

func attrEsc(s string) string {
	var b bytes.Buffer
	xmlEscape(&b, s)
	return b.String()
}

// changesXML writes word changes with ins and del.
func changesXML(cs []text.Change) string {
	var b strings.Builder
	for _, c := range cs {
		switch c.Op {
		case text.OpInsert:
			b.WriteString("<ins>" + esc(c.Text) + "</ins>")
		case text.OpDelete:
			b.WriteString("<del>" + esc(c.Text) + "</del>")
		default:
			b.WriteString(esc(c.Text))
		}
	}
	return b.String()
}

// Changes returns the word changes a proposal makes to the revision d: for
// MOD, the provision's text with the words deleted and inserted; for ADD,
// the new text inserted; for SUP, the provision's text deleted; for NOC,
// or a provision d does not hold, none.
func Changes(d *text.Draft, a text.Amendment) []text.Change {
	p, ok := d.Provision(a.Target())
	switch {
	case a.Op == text.OpADD:
		return []text.Change{{Op: text.OpInsert, Text: a.Text}}
	case !ok || a.Op == text.OpNOC:
		return nil
	case a.Op == text.OpSUP:
		return []text.Change{{Op: text.OpDelete, Text: p.Text()}}
	}
	old := p.Text()
	return text.EditChanges(worddiff.Tokenize(old), worddiff.DiffWords(old, a.Text))
}
