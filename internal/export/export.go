// Package export writes a revision of a draft text, and the proposals made
// against it, in formats other programs read: Markdown (the convention
// package parse imports, as package render writes it), a standalone HTML
// page, JSON, and Akoma Ntoso 3.0 XML (OASIS LegalDocML). It also renders
// the texts of package text as the HTML fragments the site's pages show: a
// draft (DraftHTML), a provision body, a bracket and inline changes
// (BodyHTML, BracketHTML, ChangesHTML), a compilation (CompilationHTML) and
// a redline (RedlineHTML). Output is deterministic: the same revision gives
// the same bytes.
//
// # Akoma Ntoso
//
// A revision is an Akoma Ntoso document (AkomaNtoso):
//
//   - an opinion, resolution or declaration (no articles) is a statement,
//     the document type AKN gives to "resolutions, statements and other
//     official documents of a body": the leading preamble clauses are
//     recitals in the preamble, grouped by their intro word
//     ("recognizing"), and the operative clauses are paragraphs of the
//     mainBody, grouped in an hcontainer named "operative" whose intro is
//     their clause word ("is of the view");
//   - a treaty text (one with articles) is a bill, draft legislation: its
//     body holds the articles, each with its number, title and numbered
//     paragraphs.
//
// Headings are hcontainers named "heading". Every provision's eId is
// built from its stable id (recital_p1, para_p5, art_p9), so the same
// provision has the same eId in every revision. A bracket is an inline
// named "bracket" (eId brkt_<bracket id>, class open or
// agreed_ad_referendum) holding one inline named "alternative" per
// alternative, whose refersTo lists the TLCOrganization of each supporting
// party.
//
// The FRBR identification follows the AKN naming convention with country
// "int": the work is /akn/int/<type>/<forum>/<date of revision 1>/<number>,
// each revision an expression /<language>@r<revision> of it, the XML its
// manifestation.
//
// The proposals are an amendmentList (AmendmentList): one component per
// proposal, each an amendment document whose heading names the proposal,
// its operation, the provision and its proponents, whose content shows the
// word changes (ins, del), and whose justification is its rationale.
//
// The record of a meeting (Debate) is an Akoma Ntoso debate
// (DebateAkomaNtoso): one debateSection per agenda item, holding speech,
// pointOfOrder and questions in the order of the floor, each speech naming
// its speaker (TLCPerson), party (TLCOrganization) and capacity (TLCRole),
// with its start and end times. MinutesDraft writes the same record as the
// Markdown draft of a summary record: who spoke, in order, for which
// party, from where and for how long; points of order and rulings; the
// documents taken up.
//
// The final acts of a forum (FinalActs, data the final acts aggregate
// fills) are an Akoma Ntoso act named "finalActs" (FinalActsAkomaNtoso):
// the provisions in its body, grouped by the adopted text they come from,
// the signatures in its conclusions, and the declarations and reservations
// and the statements as attachments. SignaturesCSV, DeclarationsCSV and
// FinalActsJSON write the same data for spreadsheets and programs, and
// SignatureFeed an Atom feed of the signature events (SignatureEntries).
// docs/OPEN_DATA.md describes the columns and keys.
package export

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
)

// Meta describes the revision being exported.
type Meta struct {
	// Forum is the forum's title; ForumSlug its short name.
	Forum     string `json:"forum"`
	ForumSlug string `json:"forum_slug"`
	// Number is the document's number (WTPF-13/5); Label the revision's
	// version of it (WTPF-13/5(Rev.1)).
	Number   string `json:"number"`
	Label    string `json:"label"`
	Revision int    `json:"revision"`
	// Date is the revision's date; WorkDate that of revision 1.
	Date     time.Time `json:"date"`
	WorkDate time.Time `json:"work_date"`
	// Language is the language code of the text (en, fr...).
	Language string `json:"language"`
	// Parties maps party codes to names, for the parties named as
	// proponents and supporters.
	Parties map[string]string `json:"parties,omitempty"`
	// URL is the web page of the revision, if known.
	URL string `json:"url,omitempty"`
}

// Markdown writes the revision in the Markdown convention that
// parse.Markdown reads back.
func Markdown(d *text.Draft) []byte { return render.Markdown(d) }

// HTML writes the revision as a standalone, accessible HTML page: the
// draft as DraftHTML renders it, with its number, forum and date,
// and the supporters of each bracket's alternatives shown unless
// opts.Anonymised.
func HTML(m Meta, d *text.Draft, opts text.RenderOptions) []byte {
	var b bytes.Buffer
	title := m.Label
	if d.Title != "" {
		title += ": " + d.Title
	}
	lang := m.Language
	if lang == "" {
		lang = "en"
	}
	b.WriteString("<!doctype html>\n<html lang=\"" + html.EscapeString(lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>" + html.EscapeString(title) + "</title>\n")
	b.WriteString("<style>body{font:1rem/1.5 Georgia,serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111}" +
		".intro{margin-top:1.5rem}.label{font-weight:bold}.bracket{font-weight:bold}.alternative.agreed{text-decoration:underline}" +
		".supporters{font-weight:normal;font-size:.9em;color:#333}.meta{color:#333;font-size:.9rem}</style>\n</head>\n<body>\n")
	b.WriteString("<header><p class=\"meta\">" + html.EscapeString(m.Forum) + " · " + html.EscapeString(m.Label) +
		" · revision " + itoa(m.Revision) + dateSuffix(m.Date) + "</p></header>\n<main>\n")
	opts.Supporters = !opts.Anonymised
	b.Write(DraftHTML(d, opts))
	b.WriteString("</main>\n")
	if m.URL != "" {
		b.WriteString("<footer><p class=\"meta\">Source: <a href=\"" + html.EscapeString(m.URL) + "\">" + html.EscapeString(m.URL) + "</a></p></footer>\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.Bytes()
}

func dateSuffix(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ", " + t.UTC().Format("2 January 2006")
}

// Document is the JSON export of a revision: its metadata and the draft
// with provision ids, kinds, labels, brackets and drafting logs.
type Document struct {
	Meta  Meta        `json:"meta"`
	Draft *text.Draft `json:"draft"`
}

// JSON writes the revision as indented JSON (a Document).
func JSON(m Meta, d *text.Draft) ([]byte, error) {
	b, err := json.MarshalIndent(Document{Meta: m, Draft: d}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// slug turns a document number into a URI segment: "WTPF-13/5(Rev.1)" ->
// "wtpf-13-5-rev.1".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// FileName is a download name for a revision in a format: the revision's
// label made safe, with the extension: "WTPF-13-5-Rev.1.xml".
func FileName(label, ext string) string {
	var b strings.Builder
	for _, r := range label {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		case r == '/' || r == '(' || r == ' ':
			if s := b.String(); s != "" && !strings.HasSuffix(s, "-") {
				b.WriteByte('-')
			}
		}
	}
	name := strings.Trim(b.String(), "-.")
	if name == "" {
		name = "draft"
	}
	return name + "." + ext
}
