package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
)

// MaxQueryLen is the longest query accepted, in bytes.
const MaxQueryLen = 500

// term is one part of a parsed query: a word or a quoted phrase, maybe a
// prefix (word*), maybe excluded (-word), maybe joined to the previous
// term by OR.
type term struct {
	text   string
	phrase bool
	prefix bool
	not    bool
	or     bool
}

// parse reads a query written the way people write them in search boxes:
// words (all must match), "a quoted phrase", -excluded, word* for a
// prefix, and OR between two alternatives. Nothing in it is syntax for the
// database: every word is passed as a quoted string.
func parse(q string) ([]term, error) {
	if len(q) > MaxQueryLen {
		return nil, plenary.Invalid("q", "must be at most %d characters", MaxQueryLen)
	}
	if !utf8.ValidString(q) {
		return nil, plenary.Invalid("q", "is not valid text")
	}
	// Control characters are not text anyone searches for; FTS5 would
	// even take a NUL for the end of the query.
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	var ts []term
	or := false
	for i := 0; i < len(q); {
		r, w := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		var t term
		if r == '-' || r == '−' {
			t.not = true
			i += w
		}
		if i < len(q) && q[i] == '"' {
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				end = len(q) - i - 1
			}
			t.text, t.phrase = q[i+1:i+1+end], true
			i += end + 2
		} else {
			j := i
			for j < len(q) {
				r, w := utf8.DecodeRuneInString(q[j:])
				if unicode.IsSpace(r) {
					break
				}
				j += w
			}
			t.text = q[i:j]
			i = j
			if !t.not && t.text == "OR" {
				or = len(ts) > 0
				continue
			}
			if strings.HasSuffix(t.text, "*") {
				t.text, t.prefix = strings.TrimRight(t.text, "*"), true
			}
		}
		if !hasWord(t.text) {
			continue
		}
		t.or = or && !t.not
		or = false
		ts = append(ts, t)
	}
	pos := 0
	for _, t := range ts {
		if !t.not {
			pos++
		}
	}
	if pos == 0 {
		return nil, plenary.Invalid("q", "give at least one word to look for")
	}
	return ts, nil
}

func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// quote writes s as an FTS5 string: in double quotes, inner quotes doubled.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// fts5 renders terms as an FTS5 MATCH expression: positive terms joined by
// AND (OR groups in parentheses), then NOT for each excluded term.
func fts5(ts []term) string {
	var groups [][]string
	var nots []string
	for _, t := range ts {
		s := quote(t.text)
		if t.prefix && !t.phrase {
			s += "*"
		}
		if t.not {
			nots = append(nots, s)
			continue
		}
		if t.or && len(groups) > 0 {
			groups[len(groups)-1] = append(groups[len(groups)-1], s)
			continue
		}
		groups = append(groups, []string{s})
	}
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteString(" AND ")
		}
		if len(g) == 1 {
			b.WriteString(g[0])
			continue
		}
		b.WriteString("(" + strings.Join(g, " OR ") + ")")
	}
	for _, n := range nots {
		b.WriteString(" NOT " + n)
	}
	return b.String()
}

// postgres renders terms for PostgreSQL: a websearch_to_tsquery text for
// everything but prefixes, and a to_tsquery text ("word:*" joined by &)
// for prefix terms made only of letters and digits. Either may be "".
func postgres(ts []term) (web, prefix string) {
	var w, p []string
	for _, t := range ts {
		text := strings.ReplaceAll(t.text, `"`, " ")
		if t.prefix && !t.phrase && !t.not && !t.or && isWord(text) {
			p = append(p, strings.ToLower(text)+":*")
			continue
		}
		// Every word is quoted, so that a word such as "or" is never
		// taken for an operator.
		s := `"` + text + `"`
		if t.not {
			s = "-" + s
		}
		if t.or && len(w) > 0 {
			s = "or " + s
		}
		w = append(w, s)
	}
	return strings.Join(w, " "), strings.Join(p, " & ")
}

func isWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}
