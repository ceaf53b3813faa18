package search

import (
	"strings"
	"unicode"
)

// foldTable maps Latin letters with diacritics to their base letters, so
// that "governance" finds "gouvernance"'s neighbours and "Sao Paulo" finds
// "São Paulo". SQLite's unicode61 tokenizer does this itself
// (remove_diacritics 2); on PostgreSQL, whose 'simple' configuration does
// not, the index and the query are folded here instead.
var foldTable = func() map[rune]string {
	m := map[rune]string{}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăąǎǟǡǻȁȃȧ", "A": "ÀÁÂÃÄÅĀĂĄǍǞǠǺȀȂȦ",
		"c": "çćĉċč", "C": "ÇĆĈĊČ", "d": "ďđ", "D": "ĎĐ",
		"e": "èéêëēĕėęěȅȇȩ", "E": "ÈÉÊËĒĔĖĘĚȄȆȨ", "g": "ĝğġģǧ", "G": "ĜĞĠĢǦ",
		"h": "ĥħ", "H": "ĤĦ", "i": "ìíîïĩīĭįıǐȉȋ", "I": "ÌÍÎÏĨĪĬĮİǏȈȊ",
		"j": "ĵ", "J": "Ĵ", "k": "ķǩ", "K": "ĶǨ", "l": "ĺļľŀł", "L": "ĹĻĽĿŁ",
		"n": "ñńņňǹ", "N": "ÑŃŅŇǸ", "o": "òóôõöøōŏőǒǫȍȏȯ", "O": "ÒÓÔÕÖØŌŎŐǑǪȌȎȮ",
		"r": "ŕŗřȑȓ", "R": "ŔŖŘȐȒ", "s": "śŝşšș", "S": "ŚŜŞŠȘ", "t": "ţťŧț", "T": "ŢŤŦȚ",
		"u": "ùúûüũūŭůűųǔǖǘǚǜȕȗ", "U": "ÙÚÛÜŨŪŬŮŰŲǓǕǗǙǛȔȖ",
		"w": "ŵ", "W": "Ŵ", "y": "ýÿŷ", "Y": "ÝŸŶ", "z": "źżž", "Z": "ŹŻŽ",
		"ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// fold removes diacritics from Latin letters and combining marks from
// everything, and turns angle brackets into spaces (PostgreSQL's parser
// would take the text between them for markup and skip it).
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '<' || r == '>':
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
