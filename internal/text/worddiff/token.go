package worddiff

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenize splits s into tokens: words, runs of white space, and single
// punctuation or symbol characters. Joining the tokens gives back s exactly,
// for every string, including invalid UTF-8 (each invalid byte is a token of
// its own).
//
// A word is a run of letters, digits and combining marks. An apostrophe or a
// hyphen between two word characters stays inside the word ("Member's",
// "multi-stakeholder"), and so does a point or a comma between two digits
// ("3.1", "1,000").
func Tokenize(s string) []string {
	toks := make([]string, 0, len(s)/3+1)
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case r == utf8.RuneError && n == 1:
			// one invalid byte
		case isWordRune(r):
			prev := r
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if r2 == utf8.RuneError && n2 == 1 {
					break
				}
				if isWordRune(r2) {
					prev = r2
					j += n2
					continue
				}
				if j+n2 < len(s) && joins(prev, r2) {
					r3, n3 := utf8.DecodeRuneInString(s[j+n2:])
					if (r3 != utf8.RuneError || n3 > 1) && isWordRune(r3) && (!digitJoiner(r2) || unicode.IsDigit(r3)) {
						prev = r3
						j += n2 + n3
						continue
					}
				}
				break
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) || (r2 == utf8.RuneError && n2 == 1) {
					break
				}
				j += n2
			}
		}
		toks = append(toks, s[i:j])
		i = j
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func digitJoiner(r rune) bool { return r == '.' || r == ',' }

// joins reports whether r may stand inside a word after prev.
func joins(prev, r rune) bool {
	switch r {
	case '\'', '\u2019', '-', '\u2010', '\u2011':
		return true
	case '.', ',':
		return unicode.IsDigit(prev)
	}
	return false
}

// IsWord reports whether a token produced by Tokenize is a word (and not
// white space, punctuation, a symbol or an invalid byte).
func IsWord(t string) bool {
	r, n := utf8.DecodeRuneInString(t)
	if r == utf8.RuneError && n <= 1 {
		return false
	}
	return isWordRune(r)
}

// SplitLines splits s after every newline. Joining the lines gives back s
// exactly; the last line has no newline when s does not end with one.
func SplitLines(s string) []string {
	lines := make([]string, 0, strings.Count(s, "\n")+1)
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

// CountWords returns the number of words in s, as Tokenize counts them.
func CountWords(s string) int {
	n := 0
	for _, t := range Tokenize(s) {
		if IsWord(t) {
			n++
		}
	}
	return n
}
