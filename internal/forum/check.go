package forum

import (
	"database/sql"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
)

// The rules of text, which every command applies to the text it stores
// (through CheckName, CheckLine and CheckText), so that the web forms, the
// API and the CSV imports are held to the same rules:
//
//   - Text is valid UTF-8. Invalid bytes are refused, never repaired: a
//     repair in one place (the ledger's JSON holds U+FFFD) and raw bytes in
//     another (a read table) would make the record and the pages disagree.
//   - A single-line field (a name, a title, a venue, a label) holds no line
//     break (\n, \r, U+0085, U+2028, U+2029) and no other control character
//     (C0, DEL, C1), except the tab.
//   - Multi-line text (a description, a note, a reason, a document's text)
//     has its line breaks normalised to \n (\r\n and a lone \r become \n);
//     newline and tab are the only control characters it may hold.
//
// Lists a person writes (a forum's or a document's languages, co-sponsors,
// source parties, a body's member parties, a guest's grants, the proposals
// an editor's decision names) are sets: a value named twice counts once,
// and the first mention keeps its place. Refusing a repeat would add
// nothing a reader of the record needs, and a form's checkboxes and a
// program's list may both repeat one harmlessly.

// MsgNotUTF8 is the reason given for text that is not valid UTF-8.
const MsgNotUTF8 = "is not valid UTF-8 text"

// CheckUTF8 refuses s when it is not valid UTF-8.
func CheckUTF8(field, s string) error {
	if !utf8.ValidString(s) {
		return plenary.Invalid(field, MsgNotUTF8)
	}
	return nil
}

// isLineBreak reports whether r ends a line: the single-line fields refuse
// these as "not one line" rather than as control characters.
func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

// controlError refuses a control character, naming it.
func controlError(field string, r rune) error {
	return plenary.Invalid(field, "must not contain control characters (it holds U+%04X)", r)
}

// checkOneLine applies the rules of a single-line field to valid UTF-8.
func checkOneLine(field, s string) error {
	for _, r := range s {
		switch {
		case isLineBreak(r):
			return plenary.Invalid(field, "must be one line of text")
		case r != '\t' && unicode.IsControl(r):
			return controlError(field, r)
		}
	}
	return nil
}

// NormalizeEmail lower-cases and trims an address and checks its form.
func NormalizeEmail(s string) (string, error) {
	if err := CheckUTF8("email", s); err != nil {
		return "", err
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", plenary.Invalid("email", "is required")
	}
	if err := checkOneLine("email", s); err != nil {
		return "", plenary.Invalid("email", "is not an e-mail address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") || len(s) > 254 {
		return "", plenary.Invalid("email", "is not an e-mail address")
	}
	return s, nil
}

// CheckName validates a required single-line field: a person's or an
// organisation's name, a title. It returns s trimmed; max counts
// characters.
func CheckName(field, s string, max int) (string, error) {
	s, err := CheckLine(field, s, max)
	if err == nil && s == "" {
		err = plenary.Invalid(field, "is required")
	}
	return s, err
}

// CheckLine validates an optional single-line field (a venue, a region, an
// affiliation, a label): valid UTF-8, one line, no control character but
// the tab, at most max characters. It returns s trimmed; "" is allowed.
func CheckLine(field, s string, max int) (string, error) {
	if err := CheckUTF8(field, s); err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	if err := checkOneLine(field, s); err != nil {
		return "", err
	}
	if utf8.RuneCountInString(s) > max {
		return "", plenary.Invalid(field, "must be at most %d characters", max)
	}
	return s, nil
}

// CheckText validates a free text field that may span lines: valid UTF-8,
// no control character but newline and tab, at most max bytes. Line breaks
// are normalised to \n and trailing white space is dropped.
func CheckText(field, s string, max int) (string, error) {
	if err := CheckUTF8(field, s); err != nil {
		return "", err
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	for _, r := range s {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return "", controlError(field, r)
		}
	}
	if len(s) > max {
		return "", plenary.Invalid(field, "must be at most %d bytes", max)
	}
	return strings.TrimRight(s, " \n\t"), nil
}

// Dedupe returns list without repeated values, each kept at its first
// place: the rule for the lists a person writes (see above).
func Dedupe(list []string) []string {
	if len(list) < 2 {
		return list
	}
	seen := make(map[string]bool, len(list))
	out := make([]string, 0, len(list))
	for _, v := range list {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func NullTime(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := time.UnixMilli(n.Int64).UTC()
	return &t
}

// CheckAddress checks the parts of a request's address that name things:
// the path must be valid UTF-8 without control characters (anything else
// names nothing: not found), and every query parameter valid UTF-8
// without NUL (a bad one is refused, named; what a value may otherwise
// hold is its command's or query's to say). Both faces check it before anything reads the
// store, so no engine sees bytes it would refuse.
func CheckAddress(path string, query url.Values) error {
	if !utf8.ValidString(path) || strings.IndexFunc(path, unicode.IsControl) >= 0 {
		return plenary.NotFound("there is nothing at this address")
	}
	for k, vs := range query {
		if !utf8.ValidString(k) || strings.IndexFunc(k, unicode.IsControl) >= 0 {
			return plenary.Invalid("query", "a parameter's name is not valid text")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return plenary.Invalid(k, "is not valid UTF-8 text")
			}
		}
	}
	return nil
}
