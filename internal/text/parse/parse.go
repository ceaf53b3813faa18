package parse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text"
)

// Options tunes the importers.
type Options struct {
	// LiteralBrackets keeps square brackets as ordinary characters instead
	// of reading "[a / b]" as a bracket with alternatives.
	LiteralBrackets bool
}

var (
	reArticle  = regexp.MustCompile(`^(?i:article)\s+(\d+[A-Za-z]*|[IVXLC]+)(?:\s*[-–—:.]\s*|\s+|$)(.*)$`)
	reDotted   = regexp.MustCompile(`^(\d{1,6}(?:\.\d{1,6})+)\.?(?:\s+(.*))?$`)
	reNumbered = regexp.MustCompile(`^(\d{1,9})([.)])(?:\s+(.*))?$`)
	reLettered = regexp.MustCompile(`^(\(?[a-z]{1,3}\))(?:\s+(.*))?$`)
	reParenNum = regexp.MustCompile(`^(\(\d{1,4}\))(?:\s+(.*))?$`)
)

// block is a provision being read.
type block struct {
	kind       text.Kind
	level      int
	intro      string
	label      string
	labelGiven bool
	lines      []string // raw lines; joined with " " or "\n" (hard break)
	breaks     []bool   // breaks[i]: line i ends with a hard break
	lineNo     int
}

// parser holds the state shared by the Markdown and plain-text importers.
type parser struct {
	title     string
	markdown  bool
	literal   bool
	intro     string
	inArticle bool
	blocks    []*block
	cur       *block // the block continuation lines join, if any
}

func newParser(markdown bool, opts Options) *parser {
	return &parser{markdown: markdown, literal: opts.LiteralBrackets}
}

// item starts a provision in the current context.
func (ps *parser) item(label string, given bool, rest string, lineNo int) {
	k := text.KindParagraph
	if ps.intro != "" {
		k = IntroKind(ps.intro)
	}
	b := &block{kind: k, intro: ps.intro, label: label, labelGiven: given, lineNo: lineNo}
	if rest != "" {
		b.lines = []string{rest}
		b.breaks = []bool{false}
	}
	ps.blocks = append(ps.blocks, b)
	ps.cur = b
}

func (ps *parser) heading(level int, title string, lineNo int) {
	if m := reArticle.FindStringSubmatch(title); m != nil {
		ps.blocks = append(ps.blocks, &block{kind: text.KindArticle, level: level, label: "Article " + m[1], labelGiven: true,
			lines: nonEmpty(m[2]), breaks: []bool{false}, lineNo: lineNo})
		ps.intro, ps.inArticle = "", true
		ps.cur = nil
		return
	}
	if level == 1 && ps.title == "" && len(ps.blocks) == 0 {
		ps.title = title
		ps.cur = nil
		return
	}
	ps.blocks = append(ps.blocks, &block{kind: text.KindHeading, level: level, lines: []string{title}, breaks: []bool{false}, lineNo: lineNo})
	ps.intro, ps.inArticle = "", false
	ps.cur = nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// marker reads a list marker at the start of a line: "-", "1.", "1)",
// "3.1", "a)", "(a)", "(1)". It returns the label ("" for a bullet), whether
// a label was given, and the rest of the line.
func marker(line string, bullets string) (label string, given bool, rest string, ok bool) {
	if len(line) >= 2 && strings.IndexByte(bullets, line[0]) >= 0 && (line[1] == ' ' || line[1] == '\t') {
		return "", false, strings.TrimSpace(line[2:]), true
	}
	if strings.HasPrefix(line, "• ") {
		return "", false, strings.TrimSpace(line[len("• "):]), true
	}
	if m := reDotted.FindStringSubmatch(line); m != nil {
		return m[1], true, m[2], true
	}
	if m := reNumbered.FindStringSubmatch(line); m != nil {
		if m[2] == "." {
			return m[1], true, m[3], true
		}
		return m[1] + m[2], true, m[3], true
	}
	if m := reLettered.FindStringSubmatch(line); m != nil {
		return m[1], true, m[2], true
	}
	if m := reParenNum.FindStringSubmatch(line); m != nil {
		return m[1], true, m[2], true
	}
	return "", false, "", false
}

// finish turns the blocks into provisions, bodies with brackets, and makes
// the draft: ids, and labels kept fixed where they differ from the
// automatic scheme (text.Draft.AppendImported).
func (ps *parser) finish(field string) (*text.Draft, error) {
	var provs []text.Provision
	for _, b := range ps.blocks {
		var raw strings.Builder
		for i, l := range b.lines {
			if i > 0 {
				if b.breaks[i-1] {
					raw.WriteByte('\n')
				} else {
					raw.WriteByte(' ')
				}
			}
			raw.WriteString(l)
		}
		var body []text.Part
		var err error
		if b.kind == text.KindHeading {
			body = text.TextPart(ps.unescape(raw.String()))
		} else {
			body, err = parseInline(raw.String(), ps.markdown, ps.literal)
			if err != nil {
				return nil, plenary.Invalid(field, "line %d: %s", b.lineNo, err.Error())
			}
		}
		if len(body) == 0 && b.kind != text.KindArticle {
			continue
		}
		if err := text.CheckProvisionBody(field, "line "+strconv.Itoa(b.lineNo)+": ", body); err != nil {
			return nil, err
		}
		p := text.Provision{Kind: b.kind, Level: b.level, Intro: b.intro, Body: body}
		if b.labelGiven {
			p.Label, p.LabelFixed = b.label, true
		}
		provs = append(provs, p)
	}
	d := text.NewDraft(ps.title)
	d.AppendImported(provs)
	return d, nil
}

func (ps *parser) unescape(s string) string {
	if !ps.markdown {
		return s
	}
	return unescapeMarkdown(s)
}

func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// isASCIIPunct reports whether c is ASCII punctuation, which a backslash
// escapes in Markdown.
func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// inlineError is a parse error inside one block.
type inlineError string

func (e inlineError) Error() string { return string(e) }

// parseInline reads a body: text, and unless literal, brackets
// "[a / b / (no text)]". In Markdown, a backslash escapes ASCII punctuation.
// The body has no empty text and no two texts in a row.
func parseInline(s string, markdown, literal bool) ([]text.Part, error) {
	var parts []text.Part
	var cur strings.Builder
	var alts []string
	inBracket := false
	altStart := 0 // where the current alternative starts in s
	closeAlt := func(end int) {
		a := cur.String()
		if s[altStart:end] == text.NoText {
			a = ""
		}
		alts = append(alts, a)
		cur.Reset()
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case markdown && c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			i++
			cur.WriteByte(s[i])
		case literal:
			cur.WriteByte(c)
		case c == '[':
			if inBracket {
				return nil, inlineError("a bracket inside a bracket; brackets do not nest")
			}
			if cur.Len() > 0 {
				parts = append(parts, text.Part{Text: cur.String()})
				cur.Reset()
			}
			inBracket, alts, altStart = true, nil, i+1
		case c == ']':
			if !inBracket {
				return nil, inlineError(`"]" without "["`)
			}
			closeAlt(i)
			parts = append(parts, text.Part{Bracket: bracketFromTexts(alts)})
			inBracket = false
		case inBracket && c == ' ' && strings.HasPrefix(s[i:], " / "):
			closeAlt(i)
			i += 2
			altStart = i + 1
		default:
			cur.WriteByte(c)
		}
	}
	if inBracket {
		return nil, inlineError(`"[" without "]"`)
	}
	if cur.Len() > 0 {
		parts = append(parts, text.Part{Text: cur.String()})
	}
	return parts, nil
}

func bracketFromTexts(alts []string) *text.Bracket {
	b := &text.Bracket{Status: text.BracketOpen}
	if len(alts) == 1 {
		alts = append(alts, "")
	}
	for _, a := range alts {
		b.Alternatives = append(b.Alternatives, text.Alternative{Text: a})
	}
	return b
}

// Markdown imports a draft from Markdown. The convention:
//
//   - the first "# " heading, before any provision, is the title; other
//     headings are heading provisions, except "## Article 3" or
//     "## Article 3 — Title" at any level, which is an article (its body is
//     the title after the number);
//   - a thematic break ("---") ends the group, so that paragraphs without
//     an intro may follow clauses;
//   - a line that is wholly emphasised, "*considering*", "**invites**" or
//     "_recognizing,_", starts a group of clauses with that intro: preamble
//     clauses for participles and adjectives (considering, recognizing,
//     noting, bearing in mind, aware...), operative ones otherwise (is of the
//     view, invites, resolves, instructs, requests...). "*noting* that the
//     Forum..." starts the group and its first clause on one line;
//   - each list item or numbered line is a provision: "- text" (automatic
//     label), "1. text", "a) text", "(a) text", "3.1 text"; a paragraph with
//     no marker is a provision with no label; lines that follow without a
//     blank line continue it, and a line ending in a backslash is a hard
//     line break inside the text;
//   - "[a / b]" is a bracket with alternatives a and b, "[a]" is optional
//     text (alternatives a and no text), "(no text)" is an empty
//     alternative; "\[" is a literal bracket (see Options);
//   - backslash escapes of ASCII punctuation are honoured; other inline
//     Markdown (emphasis, links) is kept as plain text.
//
// Labels that match the automatic numbering (text.Draft.Renumber) are
// recomputed after additions and deletions; others are kept as given.
func Markdown(src string, opts Options) (*text.Draft, error) {
	ps := newParser(true, opts)
	hard := false // the previous line ended with a hard break
	for n, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		lineNo := n + 1
		line := strings.TrimSpace(raw)
		if line == "" {
			ps.cur, hard = nil, false
			continue
		}
		endsHard := false
		if t := len(line) - len(strings.TrimRight(line, `\`)); t%2 == 1 {
			endsHard = true
			line = strings.TrimSpace(line[:len(line)-1])
		}
		if line == "" {
			// A lone backslash: a hard break with nothing after it.
			hard = hard || endsHard
			continue
		}
		if ps.cur != nil && hard {
			if n := len(ps.cur.breaks); n > 0 {
				ps.cur.breaks[n-1] = true
			}
			ps.cur.lines = append(ps.cur.lines, line)
			ps.cur.breaks = append(ps.cur.breaks, false)
			hard = endsHard
			continue
		}
		hard = false
		if level, title, ok := atxHeading(line); ok {
			if title != "" {
				ps.heading(level, unescapeMarkdown(title), lineNo)
			}
			continue
		}
		if line == "---" || line == "***" || line == "___" {
			// A thematic break ends a clause group.
			ps.intro, ps.cur = "", nil
			continue
		}
		if intro, rest, ok := emphasisIntro(line); ok {
			ps.intro = unescapeMarkdown(intro)
			ps.cur = nil
			if rest != "" {
				ps.item("", false, rest, lineNo)
				hard = endsHard
			}
			continue
		}
		if label, given, rest, ok := marker(line, "-+*"); ok {
			ps.item(label, given, rest, lineNo)
			hard = endsHard
			continue
		}
		if ps.cur != nil {
			ps.cur.lines = append(ps.cur.lines, line)
			ps.cur.breaks = append(ps.cur.breaks, false)
		} else {
			ps.item("", true, line, lineNo)
		}
		hard = endsHard
	}
	return ps.finish("markdown")
}

// atxHeading reads "## text ##".
func atxHeading(line string) (int, string, bool) {
	level := 0
	for level < len(line) && line[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || (level < len(line) && line[level] != ' ' && line[level] != '\t') {
		return 0, "", false
	}
	title := strings.TrimSpace(line[level:])
	// A closing sequence of #s preceded by a space is not part of the text.
	if t := strings.TrimRight(title, "#"); t != title && (t == "" || strings.HasSuffix(t, " ")) {
		title = strings.TrimSpace(t)
	}
	return level, title, true
}

// emphasisIntro reads a wholly emphasised line, "*considering*", possibly
// followed by text: "*noting* that...".
func emphasisIntro(line string) (intro, rest string, ok bool) {
	for _, delim := range []string{"**", "__", "*", "_"} {
		if !strings.HasPrefix(line, delim) || len(line) <= 2*len(delim) {
			continue
		}
		inner := line[len(delim):]
		if inner[0] == ' ' || inner[0] == '\t' || strings.HasPrefix(inner, delim[:1]) {
			continue
		}
		end := closingDelim(inner, delim)
		if end <= 0 || inner[end-1] == ' ' {
			continue
		}
		intro = strings.TrimRight(inner[:end], ",:;")
		after := strings.TrimSpace(inner[end+len(delim):])
		after = strings.TrimSpace(strings.TrimLeft(after, ",:;"))
		return strings.TrimSpace(intro), after, strings.TrimSpace(intro) != ""
	}
	return "", "", false
}

// closingDelim finds delim in s, skipping backslash escapes.
func closingDelim(s, delim string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], delim) {
			return i
		}
	}
	return -1
}

// Plain imports a draft from plain text. The convention:
//
//   - blank lines separate paragraphs; a line starting with a number or
//     letter ("1.", "1)", "1.1", "2.3.4", "a)", "(a)", "(1)") or a bullet
//     ("-", "*", "•") starts a provision with that label, and following lines
//     without a blank line continue it;
//   - "Article 3" or "ARTICLE 3 – Title" on a line is an article;
//   - a clause intro on its own line ("considering", "further recognizing,",
//     "invites Member States:") starts a group of clauses, and "noting that
//     ..." starts a group and its first clause;
//   - the first paragraph without a marker, before any provision, is the
//     title; later one-line paragraphs without final punctuation are
//     headings, and others are provisions with no label;
//   - brackets are read as in Markdown, without backslash escapes.
func Plain(src string, opts Options) (*text.Draft, error) {
	ps := newParser(false, opts)
	var loose *block // a paragraph without a marker, not yet known to be a heading
	closeLoose := func() {
		if loose == nil {
			return
		}
		if len(loose.lines) == 1 && looksLikeHeading(loose.lines[0]) {
			if ps.title == "" && len(ps.blocks) == 1 {
				ps.title = loose.lines[0]
				ps.blocks = ps.blocks[:0]
			} else {
				loose.kind, loose.intro, loose.label, loose.labelGiven = text.KindHeading, "", "", false
				loose.level = 2
				ps.intro, ps.inArticle = "", false
			}
		}
		loose = nil
	}
	for n, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		lineNo := n + 1
		line := strings.TrimSpace(raw)
		if line == "" {
			closeLoose()
			ps.cur = nil
			continue
		}
		if m := reArticle.FindStringSubmatch(line); m != nil {
			closeLoose()
			ps.heading(2, line, lineNo)
			continue
		}
		if label, given, rest, ok := marker(line, "-*"); ok {
			closeLoose()
			ps.item(label, given, rest, lineNo)
			continue
		}
		if ps.cur == nil || ps.cur == loose {
			if intro, body, ok := plainIntro(line); ok {
				closeLoose()
				ps.intro = intro
				ps.cur = nil
				if body != "" {
					ps.item("", false, body, lineNo)
				}
				continue
			}
		}
		if ps.cur != nil {
			ps.cur.lines = append(ps.cur.lines, line)
			ps.cur.breaks = append(ps.cur.breaks, false)
			continue
		}
		ps.item("", true, line, lineNo)
		loose = ps.cur
	}
	closeLoose()
	return ps.finish("text")
}

// looksLikeHeading: short, no final punctuation, starts with a capital or a
// digit.
func looksLikeHeading(s string) bool {
	if len(s) > 100 || strings.ContainsAny(s[len(s)-1:], ".;:,") {
		return false
	}
	c := s[0]
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
