package participation

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/plenary-forum/plenary/internal/forum"
)

// The countries and territories of ISO 3166 with their names in the six UN
// languages, from the datasets/country-codes project (public domain; see
// data/README.md). A Member State's names are looked up here by its ISO
// code, so that every forum shows the same official names.
//
//go:embed data/country-names.csv
var countryNamesCSV []byte

// NameLanguages are the languages of official names: the six languages of
// the United Nations.
var NameLanguages = []forum.Choice{
	{Value: "en", Label: "English"},
	{Value: "fr", Label: "French"},
	{Value: "es", Label: "Spanish"},
	{Value: "ru", Label: "Russian"},
	{Value: "zh", Label: "Chinese"},
	{Value: "ar", Label: "Arabic"},
}

// OfficialNames are a State's short names in the six UN languages: the
// UNTERM short names, without the article UNTERM writes in parentheses for
// running text ("United States of America", not "United States of America
// (the)") or its footnote mark.
type OfficialNames struct {
	En string `json:"en"`
	Fr string `json:"fr"`
	Es string `json:"es"`
	Ru string `json:"ru"`
	Zh string `json:"zh"`
	Ar string `json:"ar"`
}

// In returns the name in a language (en, fr, es, ru, zh, ar; a regional
// variant such as fr-CH counts as its language), or "" for another.
func (n OfficialNames) In(lang string) string {
	lang, _, _ = strings.Cut(strings.ToLower(lang), "-")
	switch lang {
	case "en":
		return n.En
	case "fr":
		return n.Fr
	case "es":
		return n.Es
	case "ru":
		return n.Ru
	case "zh":
		return n.Zh
	case "ar":
		return n.Ar
	}
	return ""
}

// LocalName is a name in one language, for pages (lang is the value of
// their lang attribute).
type LocalName struct {
	Lang     string `json:"lang"`
	Language string `json:"language"`
	Name     string `json:"name"`
}

// InLanguages returns the names in the given languages (a forum's), in
// their order, skipping languages without a name and repeated names.
func (n OfficialNames) InLanguages(langs []string) []LocalName {
	out := []LocalName{}
	seen := map[string]bool{}
	for _, l := range langs {
		base, _, _ := strings.Cut(strings.ToLower(l), "-")
		name := n.In(base)
		if name == "" || seen[base] {
			continue
		}
		seen[base] = true
		out = append(out, LocalName{Lang: base, Language: forum.Label(NameLanguages, base), Name: name})
	}
	return out
}

// Country is a country or territory of ISO 3166.
type Country struct {
	ISO2  string
	ISO3  string
	ITU   string // the ITU country code (BRA, USA, G for the United Kingdom), "" when it has none
	Names OfficialNames
}

type countryIndex struct {
	list   []Country
	byCode map[string]int   // alpha-2 and alpha-3
	byName map[string][]int // FoldName of every name the file gives, in every language
}

var countries = sync.OnceValue(loadCountries)

// untermArticle is the article UNTERM puts after a short name for running
// text: "Netherlands (the)", "Afghanistan (l')", "Gambia (la)".
var untermArticle = regexp.MustCompile(`\s*\((the|l'|l’|le|la|les|el|los|las)\)$`)

// untermShort is a UNTERM short name as a name on its own.
func untermShort(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "*"))
	return strings.TrimSpace(untermArticle.ReplaceAllString(s, ""))
}

func loadCountries() *countryIndex {
	r := csv.NewReader(bytes.NewReader(countryNamesCSV))
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 {
		panic(fmt.Sprintf("participation: the embedded country names cannot be read: %v", err))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	get := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok {
			panic("participation: the embedded country names have no column " + name)
		}
		return strings.TrimSpace(rec[i])
	}
	ix := &countryIndex{byCode: map[string]int{}, byName: map[string][]int{}}
	langs := []struct{ unterm, m49 string }{
		{"UNTERM English Short", "official_name_en"}, {"UNTERM French Short", "official_name_fr"},
		{"UNTERM Spanish Short", "official_name_es"}, {"UNTERM Russian Short", "official_name_ru"},
		{"UNTERM Chinese Short", "official_name_cn"}, {"UNTERM Arabic Short", "official_name_ar"},
	}
	for _, rec := range recs[1:] {
		c := Country{ISO2: get(rec, "ISO3166-1-Alpha-2"), ISO3: get(rec, "ISO3166-1-Alpha-3"), ITU: get(rec, "ITU")}
		var names [6]string
		var all []string
		for i, l := range langs {
			names[i] = untermShort(get(rec, l.unterm))
			if names[i] == "" {
				names[i] = get(rec, l.m49)
			}
			all = append(all, names[i], get(rec, l.unterm), get(rec, l.m49))
		}
		if cldr := get(rec, "CLDR display name"); untermShort(get(rec, langs[0].unterm)) == "" && cldr != "" {
			// The file's M49 English name of Côte d'Ivoire is "Ivory
			// Coast"; CLDR has the name the UN uses.
			names[0] = cldr
			all = append(all, cldr)
		}
		c.Names = OfficialNames{En: names[0], Fr: names[1], Es: names[2], Ru: names[3], Zh: names[4], Ar: names[5]}
		i := len(ix.list)
		ix.list = append(ix.list, c)
		ix.byCode[c.ISO2] = i
		ix.byCode[c.ISO3] = i
		seen := map[string]bool{}
		for _, n := range all {
			k := FoldName(n)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			ix.byName[k] = append(ix.byName[k], i)
		}
	}
	return ix
}

// Countries lists the countries and territories of ISO 3166, in the order
// of the file (by English name).
func Countries() []Country { return append([]Country(nil), countries().list...) }

// CountryByCode returns the country of an ISO 3166 alpha-2 or alpha-3 code
// (in any case).
func CountryByCode(code string) (Country, bool) {
	ix := countries()
	i, ok := ix.byCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Country{}, false
	}
	return ix.list[i], true
}

// OfficialNamesOf returns the official names of the country of an ISO code.
func OfficialNamesOf(code string) (OfficialNames, bool) {
	c, ok := CountryByCode(code)
	return c.Names, ok
}

// FindCountry returns the country a person named: an ISO 3166 alpha-2 or
// alpha-3 code, or a name in one of the six UN languages (case, spacing,
// diacritics and punctuation do not matter: "cote d'ivoire" is Côte
// d'Ivoire). The error says why none was found.
func FindCountry(s string) (Country, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Country{}, fmt.Errorf("is empty")
	}
	if up := strings.ToUpper(s); alpha2RE.MatchString(up) || alpha3RE.MatchString(up) {
		if c, ok := CountryByCode(up); ok {
			return c, nil
		}
		return Country{}, fmt.Errorf("%s is not an ISO 3166 country code", up)
	}
	ix := countries()
	found := ix.byName[FoldName(s)]
	switch len(found) {
	case 1:
		return ix.list[found[0]], nil
	case 0:
		return Country{}, fmt.Errorf("no country is called %q: give its ISO 3166 code (BR or BRA) or its UN short name", s)
	}
	var codes []string
	for _, i := range found {
		codes = append(codes, ix.list[i].ISO3)
	}
	sort.Strings(codes)
	return Country{}, fmt.Errorf("%q names several countries (%s): give the ISO 3166 code", s, strings.Join(codes, ", "))
}

// foldLetters are letters that decomposition does not reduce to a base
// letter and its marks.
var foldLetters = strings.NewReplacer("ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "ł", "l", "đ", "d", "ı", "i", "þ", "th", "ð", "d")

// FoldName is the key under which names that differ only in case,
// spacing, diacritics or punctuation are the same: "Côte d’Ivoire",
// "COTE D'IVOIRE" and "cote d ivoire" all fold to "cote d ivoire".
func FoldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return foldLetters.Replace(b.String())
}
