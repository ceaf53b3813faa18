package export

import (
	"fmt"
	"strings"
	"time"
)

// Debate is the record of one meeting, as the debate export and the draft
// summary record read it. It holds data only; the meetings aggregate fills
// it from its record.
type Debate struct {
	// Forum is the forum's title, ForumSlug its short name (it names the
	// work in the FRBR identification); ForumURL is optional.
	Forum, ForumSlug, ForumURL string
	// Meeting is the meeting's title ("Working Group 3, fourth meeting"),
	// Number its number ("WG3/4"), Body the body that sat.
	Meeting, Number, Body string
	// Date is when the meeting opened, End (optional) when it closed; Zone
	// is the venue's IANA time zone, in which times are written (UTC when
	// empty or unknown).
	Date, End time.Time
	Zone      string
	Place     string
	// Language is the ISO 639-1 code of the record (English when empty).
	Language string
	Chair    string
	// ChairKey names the chair's person in the references (derived from
	// Chair when empty).
	ChairKey string
	Items    []DebateItem
	// Published dates the expression and the manifestation of the record.
	Published time.Time
}

// DebateItem is one agenda item taken up at the meeting, with its
// interventions in the order they were made.
type DebateItem struct {
	Number, Heading string
	Speeches        []Speech
	Documents       []DocRef
	// Decisions are the consensus calls, straw polls and formal votes
	// taken on the item, in the order they were opened.
	Decisions []DebateDecision
}

// DebateDecision is a decision taken at the meeting, as the record
// carries it: its kind's label (a straw poll's says it is not binding),
// its title, its outcome, the sentence that states it (for a vote, the
// arithmetic), and lines for the objections, answers, explanations of
// position and votes per delegation.
type DebateDecision struct {
	// Kind is consensus_call, straw_poll or vote; Label the kind as named
	// ("Straw poll (indicative, not binding)").
	Kind, Label, Title string
	Binding            bool
	// Outcome is adopted, not_adopted, no_result, fallen or pending;
	// OutcomeLabel in words.
	Outcome, OutcomeLabel string
	// Status is the sentence that states where it stands.
	Status string
	Lines  []string
	URL    string
}

// Kinds of speech.
const (
	SpeechStatement    = "speech"
	SpeechPointOfOrder = "point_of_order"
	SpeechQuestion     = "question"
	SpeechReply        = "reply"
)

// Speech is one intervention: a turn at the floor.
type Speech struct {
	// Kind is one of "speech" (the default when empty),
	// "point_of_order", "question" (a short question to the speaker
	// before) and "reply" (a right of reply).
	Kind string
	// ID is the intervention's id; ReplyTo, for a reply, the id of the
	// intervention it answers.
	ID, ReplyTo string
	// Speaker is the person's name and SpeakerKey a stable key for them
	// (derived from the name when empty); Party and PartyKey likewise
	// for the party they spoke for, if any.
	Speaker, SpeakerKey, Party, PartyKey string
	// Capacity is the capacity they spoke in ("Head of delegation", "on
	// behalf of the African Group"); Group their stakeholder group.
	Capacity, Group string
	// From is where they spoke from: "in the room", "remote", "hub: X".
	From string
	// Start and End are the turn's times; Seconds its speaking time
	// without pauses (End-Start when zero).
	Start, End time.Time
	Seconds    int64
	// Ruling is the chair's ruling on a point of order.
	Ruling string
	// Text holds the transcript's paragraphs; it may be empty.
	Text []string
	// Statement is the written statement attached, if any.
	Statement *DocRef
}

// DocRef names a document: its number, title and, optionally, address.
type DocRef struct{ Number, Title, URL string }

func (s *Speech) kind() string {
	if s.Kind == "" {
		return SpeechStatement
	}
	return s.Kind
}

// seconds is the speaking time of s.
func (s *Speech) seconds() int64 {
	if s.Seconds > 0 {
		return s.Seconds
	}
	if !s.Start.IsZero() && s.End.After(s.Start) {
		return int64(s.End.Sub(s.Start) / time.Second)
	}
	return 0
}

func (d *Debate) location() *time.Location {
	if d.Zone != "" {
		if loc, err := time.LoadLocation(d.Zone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// oneLine folds line breaks and runs of spaces into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func personKey(name, key string) string {
	if key != "" {
		return idSafe(key)
	}
	if name == "" {
		return "unknown"
	}
	return idSafe(oneLine(name))
}

func personEID(key string) string { return "person_" + key }

func speakerName(s string) string {
	if s = oneLine(s); s == "" {
		return "Unnamed speaker"
	}
	return s
}

// debateRefs collects the people, parties and roles a debate names, in
// order of first appearance.
type debateRefs struct {
	persons, parties, roles []string // eIds
	show                    map[string]string
	href                    map[string]string
}

func (r *debateRefs) add(list *[]string, eid, show, href string) {
	if _, ok := r.show[eid]; ok {
		return
	}
	r.show[eid], r.href[eid] = show, href
	*list = append(*list, eid)
}

func collectRefs(d *Debate, forum string) *debateRefs {
	r := &debateRefs{show: map[string]string{}, href: map[string]string{}}
	if d.Chair != "" {
		k := personKey(d.Chair, d.ChairKey)
		r.add(&r.persons, personEID(k), oneLine(d.Chair), "/ontology/person/int/"+forum+"/"+k)
		r.add(&r.roles, "role_chair", "Chair", "/ontology/role/int/"+forum+"/chair")
	}
	for _, it := range d.Items {
		for _, s := range it.Speeches {
			k := personKey(s.Speaker, s.SpeakerKey)
			r.add(&r.persons, personEID(k), speakerName(s.Speaker), "/ontology/person/int/"+forum+"/"+k)
			if s.Party != "" || s.PartyKey != "" {
				code := s.PartyKey
				if code == "" {
					code = oneLine(s.Party)
				}
				show := oneLine(s.Party)
				if show == "" {
					show = code
				}
				r.add(&r.parties, partyEID(code), show, "/ontology/organization/int/party/"+idSafe(code))
			}
			if c := oneLine(s.Capacity); c != "" {
				r.add(&r.roles, "role_"+idSafe(c), c, "/ontology/role/int/"+forum+"/"+idSafe(c))
			}
		}
	}
	return r
}

// DebateAkomaNtoso writes the record of a meeting as an Akoma Ntoso 3.0
// debate: one debateSection per agenda item (its number, heading, the
// documents taken up as papers), holding its interventions in order: a
// speech for a statement or a right of reply (class "reply", addressed to
// the speaker of the intervention it answers), a pointOfOrder holding the
// speech and the chair's ruling as a narrative, and a questions container
// for consecutive short questions. Each speech names its speaker (by), the
// capacity (as), its start and end times in the venue's time zone, and
// opens with a from line: speaker, party and where they spoke from. The
// references list every person, party and capacity. Output is
// deterministic.
func DebateAkomaNtoso(d Debate) []byte {
	forum := idSafe(d.ForumSlug)
	loc := d.location()
	refs := collectRefs(&d, forum)
	w := &xw{}
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.open("akomaNtoso", "xmlns", Namespace)
	w.open("debate", "name", "meeting")
	writeDebateMeta(w, &d, refs)

	w.open("preface")
	title := oneLine(d.Meeting)
	if title == "" {
		title = "Meeting"
	}
	w.inline("p", `<docTitle>`+esc(title)+`</docTitle>`, "class", "title")
	if d.Number != "" {
		w.inline("p", `<docNumber>`+esc(oneLine(d.Number))+`</docNumber>`, "class", "number")
	}
	if d.Body != "" || d.Forum != "" {
		w.inline("p", `<docAuthority>`+esc(joinNonEmpty(", ", oneLine(d.Body), oneLine(d.Forum)))+`</docAuthority>`, "class", "body")
	}
	if !d.Date.IsZero() {
		t := d.Date.In(loc)
		w.inline("p", `<docDate date="`+t.Format("2006-01-02")+`">`+esc(t.Format("2 January 2006, 15:04")+" ("+loc.String()+")")+`</docDate>`, "class", "date")
	}
	if d.Place != "" {
		w.inline("p", esc(oneLine(d.Place)), "class", "place")
	}
	if d.Chair != "" {
		k := personKey(d.Chair, d.ChairKey)
		w.inline("p", "Chair: "+`<person refersTo="#`+personEID(k)+`" as="#role_chair">`+esc(oneLine(d.Chair))+`</person>`, "class", "chair")
	}
	w.close("preface")

	w.open("debateBody")
	if len(d.Items) == 0 {
		w.open("debateSection", "name", "noItems", "eId", "dbsect_none")
		w.inline("p", "No agenda item was taken up.")
		w.close("debateSection")
	}
	byID := map[string]*Speech{}
	for i := range d.Items {
		for j := range d.Items[i].Speeches {
			if s := &d.Items[i].Speeches[j]; s.ID != "" {
				if _, ok := byID[s.ID]; !ok {
					byID[s.ID] = s
				}
			}
		}
	}
	for i := range d.Items {
		writeDebateItem(w, &d, loc, byID, i)
	}
	w.close("debateBody")
	w.close("debate")
	w.close("akomaNtoso")
	return w.b.Bytes()
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func writeDebateMeta(w *xw, d *Debate, refs *debateRefs) {
	forum := idSafe(d.ForumSlug)
	meeting := day(d.Date, d.Published)
	published := day(d.Published, d.Date)
	number := oneLine(d.Number)
	if number == "" {
		number = "meeting"
	}
	work := "/akn/int/debate/" + forum + "/" + meeting + "/" + slug(number)
	expr := work + "/" + lang3(d.Language) + "@" + published
	w.open("meta")
	w.open("identification", "source", "#secretariat")
	w.open("FRBRWork")
	w.empty("FRBRthis", "value", work+"/!main")
	w.empty("FRBRuri", "value", work)
	w.empty("FRBRalias", "value", number, "name", "number")
	w.empty("FRBRdate", "date", meeting, "name", "meeting")
	w.empty("FRBRauthor", "href", "#forum")
	w.empty("FRBRcountry", "value", "int")
	w.empty("FRBRnumber", "value", number)
	w.empty("FRBRprescriptive", "value", "false")
	w.close("FRBRWork")
	w.open("FRBRExpression")
	w.empty("FRBRthis", "value", expr+"/!main")
	w.empty("FRBRuri", "value", expr)
	w.empty("FRBRdate", "date", published, "name", "publication")
	w.empty("FRBRauthor", "href", "#secretariat")
	w.empty("FRBRlanguage", "language", lang3(d.Language))
	w.close("FRBRExpression")
	w.open("FRBRManifestation")
	w.empty("FRBRthis", "value", expr+"/!main.xml")
	w.empty("FRBRuri", "value", expr+".akn")
	w.empty("FRBRdate", "date", published, "name", "export")
	w.empty("FRBRauthor", "href", "#secretariat")
	w.close("FRBRManifestation")
	w.close("identification")

	w.open("references", "source", "#secretariat")
	name := oneLine(d.Forum)
	if name == "" {
		name = oneLine(d.ForumSlug)
	}
	if name == "" {
		name = "Forum"
	}
	href := "/ontology/organization/int/" + forum
	w.empty("TLCOrganization", "eId", "forum", "href", href, "showAs", name)
	w.empty("TLCOrganization", "eId", "secretariat", "href", href+"/secretariat", "showAs", "Secretariat of "+name)
	for _, eid := range refs.parties {
		w.empty("TLCOrganization", "eId", eid, "href", refs.href[eid], "showAs", refs.show[eid])
	}
	for _, eid := range refs.persons {
		w.empty("TLCPerson", "eId", eid, "href", refs.href[eid], "showAs", refs.show[eid])
	}
	for _, eid := range refs.roles {
		w.empty("TLCRole", "eId", eid, "href", refs.href[eid], "showAs", refs.show[eid])
	}
	w.close("references")
	w.close("meta")
}

func writeDebateItem(w *xw, d *Debate, loc *time.Location, byID map[string]*Speech, i int) {
	it := &d.Items[i]
	sect := "dbsect_" + itoa(i+1)
	w.open("debateSection", "name", "agendaItem", "eId", sect)
	if it.Number != "" {
		w.inline("num", esc(oneLine(it.Number)))
	}
	if it.Heading != "" {
		w.inline("heading", esc(it.Heading))
	}
	if len(it.Documents) > 0 {
		w.open("papers", "eId", sect+"__papers")
		for k, doc := range it.Documents {
			w.inline("p", docRefXML(doc, sect+"__papers__ref_"+itoa(k+1)))
		}
		w.close("papers")
	}
	if len(it.Speeches) == 0 {
		w.inline("p", "No intervention is on the record for this item.", "class", "empty")
	}
	inQuestions := false
	for j := range it.Speeches {
		s := &it.Speeches[j]
		eid := sect + "__spch_" + itoa(j+1)
		if s.kind() == SpeechQuestion {
			if !inQuestions {
				w.open("questions", "eId", sect+"__qsts_"+itoa(j+1))
				inQuestions = true
			}
			writeSpeech(w, "question", s, eid, "", loc, "")
			continue
		}
		if inQuestions {
			w.close("questions")
			inQuestions = false
		}
		switch s.kind() {
		case SpeechPointOfOrder:
			w.open("pointOfOrder", "eId", sect+"__pnt_"+itoa(j+1))
			writeSpeech(w, "speech", s, eid, "point_of_order", loc, "")
			if r := strings.TrimSpace(s.Ruling); r != "" {
				w.inline("narrative", esc("Ruling of the Chair: "+r), "class", "ruling")
			} else {
				w.inline("narrative", "No ruling is on the record.", "class", "ruling")
			}
			w.close("pointOfOrder")
		case SpeechReply:
			to := ""
			if o, ok := byID[s.ReplyTo]; ok && s.ReplyTo != "" {
				to = "#" + personEID(personKey(o.Speaker, o.SpeakerKey))
			}
			writeSpeech(w, "speech", s, eid, "reply", loc, to)
		default:
			writeSpeech(w, "speech", s, eid, "", loc, "")
		}
	}
	if inQuestions {
		w.close("questions")
	}
	for k := range it.Decisions {
		writeDecision(w, &it.Decisions[k], sect+"__dec_"+itoa(k+1))
	}
	w.close("debateSection")
}

// writeDecision writes a decision as a section of the item, named by its
// kind, its outcome in the class of its narrative.
func writeDecision(w *xw, dd *DebateDecision, eid string) {
	w.open("debateSection", "name", "decision", "eId", eid, "class", dd.Kind)
	w.inline("heading", esc(dd.Label+": "+dd.Title))
	class := "outcome " + dd.Outcome
	if !dd.Binding {
		class = "outcome not_binding"
	}
	// A narrative is inline content: the status is its outcome, and each
	// further line a narrative of its own.
	w.inline("narrative", "<outcome>"+esc(dd.Status)+"</outcome>", "class", class)
	for _, l := range dd.Lines {
		w.inline("narrative", esc(l))
	}
	if dd.URL != "" {
		w.inline("narrative", `<a href="`+esc(dd.URL)+`">`+esc(dd.Label+": "+dd.Title)+`</a>`)
	}
	w.close("debateSection")
}

func docRefXML(doc DocRef, eid string) string {
	num := oneLine(doc.Number)
	if num == "" {
		num = "Document"
	}
	var b strings.Builder
	if doc.URL != "" {
		b.WriteString(`<ref eId="` + eid + `" href="` + attrEsc(doc.URL) + `">` + esc(num) + `</ref>`)
	} else {
		b.WriteString(`<docNumber>` + esc(num) + `</docNumber>`)
	}
	if t := oneLine(doc.Title); t != "" {
		b.WriteString(esc(": " + t))
	}
	return b.String()
}

func xsdTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

func writeSpeech(w *xw, name string, s *Speech, eid, class string, loc *time.Location, to string) {
	as := ""
	if c := oneLine(s.Capacity); c != "" {
		as = "#role_" + idSafe(c)
	}
	w.open(name, "eId", eid, "class", class, "by", "#"+personEID(personKey(s.Speaker, s.SpeakerKey)), "as", as, "to", to,
		"startTime", xsdTime(s.Start, loc), "endTime", xsdTime(s.End, loc))
	from := esc(speakerName(s.Speaker))
	if s.Party != "" || s.PartyKey != "" {
		code := s.PartyKey
		if code == "" {
			code = oneLine(s.Party)
		}
		show := oneLine(s.Party)
		if show == "" {
			show = code
		}
		from += ` (<organization refersTo="#` + partyEID(code) + `">` + esc(show) + `</organization>)`
	}
	if c := oneLine(s.Capacity); c != "" {
		from += esc(", " + c)
	}
	if f := oneLine(s.From); f != "" {
		from += esc(", " + f)
	}
	w.inline("from", from)
	n := 0
	for _, p := range s.Text {
		if p = strings.TrimSpace(p); p != "" {
			w.inline("p", esc(p))
			n++
		}
	}
	if s.Statement != nil {
		w.inline("p", "Written statement: "+docRefXML(*s.Statement, eid+"__ref_1"), "class", "statement")
		n++
	}
	if n == 0 {
		w.inline("p", "No transcript is on the record.", "class", "no_transcript")
	}
	w.close(name)
}

// MinutesDraft writes the draft summary record of a meeting as Markdown,
// for the secretariat to edit: a heading naming the meeting, and for each
// agenda item the documents taken up, the interventions in order (who, for
// which party, in what capacity, from where, when and for how long) and
// the points of order with the chair's rulings. Names are written on one
// line each, whatever line breaks they hold.
func MinutesDraft(d Debate) string {
	loc := d.location()
	var b strings.Builder
	title := joinNonEmpty(": ", oneLine(d.Number), oneLine(d.Meeting))
	if title == "" {
		title = "Meeting"
	}
	b.WriteString("# Summary record (draft): " + title + "\n\n")
	if s := joinNonEmpty(", ", oneLine(d.Body), oneLine(d.Forum)); s != "" {
		b.WriteString(s + "\n\n")
	}
	if !d.Date.IsZero() {
		when := d.Date.In(loc).Format("Monday 2 January 2006, 15:04")
		if !d.End.IsZero() {
			when += "–" + d.End.In(loc).Format("15:04")
		}
		b.WriteString(when + " (" + loc.String() + ")")
		if p := oneLine(d.Place); p != "" {
			b.WriteString(", " + p)
		}
		b.WriteString("\n\n")
	}
	if c := oneLine(d.Chair); c != "" {
		b.WriteString("Chair: " + c + "\n\n")
	}
	if len(d.Items) == 0 {
		b.WriteString("No agenda item was taken up.\n")
		return b.String()
	}
	byID := map[string]*Speech{}
	for i := range d.Items {
		for j := range d.Items[i].Speeches {
			if s := &d.Items[i].Speeches[j]; s.ID != "" {
				if _, ok := byID[s.ID]; !ok {
					byID[s.ID] = s
				}
			}
		}
	}
	for i, it := range d.Items {
		if i > 0 {
			b.WriteString("\n")
		}
		head := joinNonEmpty(" ", oneLine(it.Number), oneLine(it.Heading))
		if head == "" {
			head = "Item " + itoa(i+1)
		}
		b.WriteString("## " + head + "\n\n")
		if len(it.Documents) > 0 {
			b.WriteString("Documents taken up:\n\n")
			for _, doc := range it.Documents {
				b.WriteString("- " + docLine(doc) + "\n")
			}
			b.WriteString("\n")
		}
		decided := minuteDecisions(it.Decisions)
		if len(it.Speeches) == 0 {
			b.WriteString("No intervention is on the record for this item.\n" + decided)
			continue
		}
		var total int64
		b.WriteString("Interventions, in order:\n\n")
		var points []string
		for j := range it.Speeches {
			s := &it.Speeches[j]
			total += s.seconds()
			b.WriteString(itoa(j+1) + ". " + minuteLine(s, loc, byID) + "\n")
			if s.kind() == SpeechPointOfOrder {
				r := oneLine(s.Ruling)
				if r == "" {
					r = "no ruling is on the record"
				}
				points = append(points, speakerName(s.Speaker)+partyNote(s)+at(s.Start, loc)+": ruling of the Chair: "+r+".")
			}
		}
		b.WriteString("\n" + itoa(len(it.Speeches)) + plural(len(it.Speeches), " intervention", " interventions") + ", " + Duration(total) + " in all.\n")
		if len(points) > 0 {
			b.WriteString("\nPoints of order and rulings:\n\n")
			for _, p := range points {
				b.WriteString("- " + p + "\n")
			}
		}
		b.WriteString(decided)
	}
	return b.String()
}

// minuteDecisions lists an item's decisions for the summary record.
func minuteDecisions(ds []DebateDecision) string {
	if len(ds) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nDecisions:\n\n")
	for _, d := range ds {
		b.WriteString("- " + oneLine(d.Label) + ": " + oneLine(d.Title) + ". " + oneLine(d.Status) + "\n")
		for _, l := range d.Lines {
			b.WriteString("  - " + oneLine(l) + "\n")
		}
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func docLine(doc DocRef) string {
	s := oneLine(doc.Number)
	if s == "" {
		s = "Document"
	}
	if t := oneLine(doc.Title); t != "" {
		s += ": " + t
	}
	if doc.URL != "" {
		s += " <" + oneLine(doc.URL) + ">"
	}
	return s
}

func partyNote(s *Speech) string {
	p := oneLine(s.Party)
	if p == "" {
		p = oneLine(s.PartyKey)
	}
	if p == "" {
		return ""
	}
	return " (" + p + ")"
}

func at(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return " at " + t.In(loc).Format("15:04")
}

// minuteLine describes one intervention on one line.
func minuteLine(s *Speech, loc *time.Location, byID map[string]*Speech) string {
	var b strings.Builder
	switch s.kind() {
	case SpeechPointOfOrder:
		b.WriteString("Point of order: ")
	case SpeechQuestion:
		b.WriteString("Question: ")
	case SpeechReply:
		b.WriteString("Right of reply: ")
	}
	b.WriteString(speakerName(s.Speaker))
	b.WriteString(partyNote(s))
	if c := oneLine(s.Capacity); c != "" {
		b.WriteString(", " + c)
	}
	if g := oneLine(s.Group); g != "" {
		b.WriteString(" [" + g + "]")
	}
	if f := oneLine(s.From); f != "" {
		b.WriteString(", " + f)
	}
	if s.kind() == SpeechReply {
		if o, ok := byID[s.ReplyTo]; ok && s.ReplyTo != "" {
			b.WriteString(", in reply to " + speakerName(o.Speaker) + partyNote(o))
		}
	}
	if !s.Start.IsZero() {
		b.WriteString(", " + s.Start.In(loc).Format("15:04"))
		if !s.End.IsZero() {
			b.WriteString("–" + s.End.In(loc).Format("15:04"))
		}
	}
	b.WriteString(", " + Duration(s.seconds()))
	if s.Statement != nil {
		b.WriteString("; written statement " + docLine(*s.Statement))
	}
	b.WriteString(".")
	return b.String()
}

// Duration writes a speaking time in seconds as "45 s", "3 min 5 s",
// "1 h 2 min 0 s".
func Duration(sec int64) string {
	if sec < 0 {
		sec = 0
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d h %d min %d s", h, m, s)
	case m > 0:
		return fmt.Sprintf("%d min %d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}
