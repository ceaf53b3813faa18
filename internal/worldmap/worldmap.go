package worldmap

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Status is where a state stands: for final acts, whether it signed.
type Status string

// The statuses of a signature, in the order of the legend.
const (
	Signed        Status = "signed"
	SignedSubject Status = "signed-subject-to-ratification"
	Declined      Status = "declined"
	NotYet        Status = "not-yet"
	NoData        Status = "no-data"
)

// Statuses are the known statuses, in the order of the legend.
var Statuses = []Status{Signed, SignedSubject, Declined, NotYet, NoData}

// style is how a status is drawn: a fill of at least 3:1 against white
// and, but for two, a pattern of white marks over it, so that colour is
// never the only cue.
type style struct {
	label   string
	fill    string
	pattern string // the marks of the pattern, drawn white in a 6×6 tile; "" for a solid fill
}

var styles = map[Status]style{
	Signed:        {"Signed", "#1f5fa8", ""},
	SignedSubject: {"Signed subject to ratification", "#1f5fa8", `<path d="M-1 1l2-2M0 6l6-6M5 7l2-2" stroke="#fff" stroke-width="1.5"/>`},
	Declined:      {"Declined", "#b3541e", `<path d="M0 0l6 6M6 0l-6 6" stroke="#fff" stroke-width="1.2"/>`},
	NotYet:        {"Not yet signed", "#8a6d00", `<circle cx="3" cy="3" r="1.3" fill="#fff"/>`},
	NoData:        {"No data", "#767676", ""},
}

// Label is the status's English label ("Signed subject to ratification"),
// or the status itself when it is not one of Statuses.
func (s Status) Label() string {
	if st, ok := styles[s]; ok {
		return st.label
	}
	return string(s)
}

// Fill is the colour of the status, or "" when it is not one of Statuses.
func (s Status) Fill() string { return styles[s].fill }

// otherFill is the fill of the land of no state listed: context only,
// hidden from assistive technology and named in the legend.
const otherFill = "#d4d4d4"

// State is one state on the map.
type State struct {
	// Code is the state's ISO 3166-1 alpha-3 code ("FRA").
	Code string
	// Name is the state's name, its accessible name on the map ("France").
	Name   string
	Status Status
	// Href, when set, makes the state's shape a link (its row in the
	// signatures list): a relative URL, or an http or https one.
	Href string
}

// Map is a world map of states, each drawn in the fill and pattern of its
// status.
type Map struct {
	// ID is the id of the SVG and prefixes the ids inside it (its title,
	// description and patterns), which must be unique on the page
	// ("worldmap" when empty).
	ID string
	// Title names the map; Desc says what it shows (made from the counts
	// when empty).
	Title, Desc string
	States      []State
	// Legend lists the statuses the map may show, in the legend's order;
	// when empty, every status of Statuses that a state has. A state whose
	// status is not in it is an error.
	Legend []Status
	// Labels replace the statuses' labels (for another language).
	Labels map[Status]string
}

// Count is the number of states of a status.
type Count struct {
	Status Status
	Label  string
	N      int
}

// Table is the map as a table, the equivalent pages render beside it: a
// row per state, in the order given, and the counts of the legend.
type Table struct {
	Caption string
	Columns []string
	Rows    []TableRow
	Counts  []Count
}

// TableRow is one state of the table.
type TableRow struct {
	Code, Name string
	Status     Status
	Label      string
	Href       string
}

// Placeable reports whether the map can draw a state with this ISO 3166-1
// alpha-3 code, as a shape or as a marker.
func Placeable(code string) bool {
	a := loadAtlas()
	if a.err != nil {
		return false
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	_, shape := a.shapes[code]
	_, marker := a.markers[code]
	return shape || marker
}

// checked is a map whose states have been checked.
type checked struct {
	id     string
	states []State
	legend []Status
	counts []Count
	labels map[Status]string
}

func (m Map) label(s Status) string {
	if l := m.Labels[s]; l != "" {
		return l
	}
	return s.Label()
}

// check checks every state: a code the map can place, given once, a name,
// a status of the legend, and a safe link.
func (m Map) check() (*checked, error) {
	a := loadAtlas()
	if a.err != nil {
		return nil, fmt.Errorf("worldmap: map data: %w", a.err)
	}
	c := &checked{id: cleanID(m.ID), states: make([]State, len(m.States)), labels: map[Status]string{}}
	seen := make(map[string]bool, len(m.States))
	n := map[Status]int{}
	var errs []error
	for i, s := range m.States {
		s.Code = strings.ToUpper(strings.TrimSpace(s.Code))
		s.Name = strings.Join(strings.Fields(s.Name), " ")
		c.states[i] = s
		what := "state " + strconv.Quote(s.Code)
		switch {
		case s.Code == "":
			errs = append(errs, fmt.Errorf("worldmap: state %d (%q): code is empty", i+1, s.Name))
			continue
		case !Placeable(s.Code):
			errs = append(errs, fmt.Errorf("worldmap: %s: code: no shape or marker for this ISO 3166-1 alpha-3 code", what))
			continue
		case seen[s.Code]:
			errs = append(errs, fmt.Errorf("worldmap: %s: code: given twice", what))
			continue
		}
		seen[s.Code] = true
		if s.Name == "" {
			errs = append(errs, fmt.Errorf("worldmap: %s: name is empty", what))
		}
		if _, ok := styles[s.Status]; !ok {
			errs = append(errs, fmt.Errorf("worldmap: %s: status %q is not one of %v", what, s.Status, Statuses))
		}
		if s.Href != "" && !safeHref(s.Href) {
			errs = append(errs, fmt.Errorf("worldmap: %s: href must be a relative, http or https URL", what))
		}
		n[s.Status]++
	}
	if len(m.Legend) > 0 {
		in := map[Status]bool{}
		for _, st := range m.Legend {
			if _, ok := styles[st]; !ok {
				errs = append(errs, fmt.Errorf("worldmap: legend: status %q is not one of %v", st, Statuses))
			}
			if in[st] {
				errs = append(errs, fmt.Errorf("worldmap: legend: status %q given twice", st))
			}
			in[st] = true
		}
		for _, s := range c.states {
			if _, known := styles[s.Status]; known && s.Code != "" && !in[s.Status] {
				errs = append(errs, fmt.Errorf("worldmap: state %q: status %q is not in the legend", s.Code, s.Status))
			}
		}
		c.legend = m.Legend
	} else {
		for _, st := range Statuses {
			if n[st] > 0 {
				c.legend = append(c.legend, st)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, st := range c.legend {
		c.labels[st] = m.label(st)
		c.counts = append(c.counts, Count{Status: st, Label: c.labels[st], N: n[st]})
	}
	return c, nil
}

// safeHref reports whether a link may go in the map: a relative URL or an
// absolute http or https one, without control characters.
func safeHref(h string) bool {
	for _, r := range h {
		if unicode.IsControl(r) {
			return false
		}
	}
	u, err := url.Parse(h)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https":
		return true
	}
	return false
}

func cleanID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "worldmap"
	}
	return b.String()
}

// Counts gives the number of states of each status of the legend.
func (m Map) Counts() ([]Count, error) {
	c, err := m.check()
	if err != nil {
		return nil, err
	}
	return c.counts, nil
}

// Table gives the map as a table: one row per state, as many as the map
// has shapes.
func (m Map) Table() (Table, error) {
	c, err := m.check()
	if err != nil {
		return Table{}, err
	}
	t := Table{Caption: m.Title, Columns: []string{"State", "Status"}, Rows: make([]TableRow, len(c.states)), Counts: c.counts}
	for i, s := range c.states {
		t.Rows[i] = TableRow{Code: s.Code, Name: s.Name, Status: s.Status, Label: c.labels[s.Status], Href: s.Href}
	}
	return t, nil
}

// Geometry of the legend and the markers, in viewBox units.
const (
	fontSize   = 17
	swatch     = 17.0
	legendRow  = 26.0
	markerR    = "3.5"
	smallShape = 30 // a shape less than 3 units across also gets a marker
)

// SVG draws the map. Every state is one element, with its name and status
// as its title and accessible name, data-state holding its code, and the
// class of its status: a link when it has an Href, otherwise an image.
func (m Map) SVG() (template.HTML, error) {
	c, err := m.check()
	if err != nil {
		return "", err
	}
	a := loadAtlas()
	e := template.HTMLEscapeString
	id := c.id
	listed := make(map[string]bool, len(c.states))
	for _, s := range c.states {
		listed[s.Code] = true
	}
	var b strings.Builder
	b.Grow(len(a.land) + 200*len(c.states) + 96<<10)
	top, bottom := a.top, a.bottom
	legendTop := bottom + 60
	legendRows := 1
	x := 0.0
	type item struct {
		x, y       float64
		fill, text string
	}
	var items []item
	place := func(fill, text string) {
		w := swatch + 8 + float64(utf8.RuneCountInString(text))*fontSize*0.55 + 24
		if x > 0 && x+w > width {
			x = 0
			legendRows++
		}
		items = append(items, item{x: x, y: float64(legendTop)/10 + float64(legendRows-1)*legendRow, fill: fill, text: text})
		x += w
	}
	for _, cnt := range c.counts {
		place(fillOf(id, cnt.Status), cnt.Label+": "+strconv.Itoa(cnt.N))
	}
	place(otherFill, "Other land, not listed")
	height := float64(legendTop-top)/10 + float64(legendRows)*legendRow
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" id="` + id + `" role="group" aria-labelledby="` + id + `-title ` + id + `-desc"`)
	b.WriteString(` viewBox="0 ` + tenths(top) + ` ` + num(width) + ` ` + num(height) + `" width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif">`)
	b.WriteString(`<title id="` + id + `-title">` + e(m.Title) + `</title>`)
	b.WriteString(`<desc id="` + id + `-desc">` + e(m.description(c)) + `</desc>`)
	b.WriteString(`<style>#` + id + ` .state:focus{outline:none}#` + id + ` .state:focus>*,#` + id + ` .state:hover>*{stroke:#1a1a1a;stroke-width:1.5}</style>`)
	b.WriteString(`<defs>`)
	for _, st := range c.legend {
		if p := styles[st].pattern; p != "" {
			b.WriteString(`<pattern id="` + id + `-` + string(st) + `" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="` + styles[st].fill + `"/>` + p + `</pattern>`)
		}
	}
	b.WriteString(`</defs>`)
	b.WriteString(`<g stroke="#fff" stroke-width=".5" stroke-linejoin="round">`)
	b.WriteString(`<path class="land" aria-hidden="true" fill="` + otherFill + `" d="` + a.land)
	for _, code := range a.order {
		if !listed[code] {
			b.WriteString(a.shapes[code].d)
		}
	}
	b.WriteString(`"/>`)
	fills := make(map[Status]string, len(c.legend))
	for _, st := range c.legend {
		fills[st] = fillOf(id, st)
	}
	write := func(s State, drawShape bool) {
		name := e(s.Name + ": " + lowerFirst(c.labels[s.Status]))
		closing := `</g>`
		if s.Href != "" {
			closing = `</a>`
			b.WriteString(`<a href="`)
			b.WriteString(e(s.Href))
			b.WriteString(`"`)
		} else {
			b.WriteString(`<g role="img"`)
		}
		for _, part := range [...]string{` class="state `, string(s.Status), `" data-state="`, s.Code, `" aria-label="`, name, `" fill="`, fills[s.Status], `"><title>`, name, `</title>`} {
			b.WriteString(part)
		}
		sh, hasShape := a.shapes[s.Code]
		if drawShape {
			b.WriteString(`<path d="`)
			b.WriteString(sh.d)
			b.WriteString(`"/>`)
		}
		if !hasShape || max(sh.maxX-sh.minX, sh.maxY-sh.minY) < smallShape {
			at, ok := a.markers[s.Code]
			if !ok {
				at = [2]int{(sh.minX + sh.maxX) / 2, (sh.minY + sh.maxY) / 2}
			}
			b.WriteString(`<circle cx="` + tenths(at[0]) + `" cy="` + tenths(at[1]) + `" r="` + markerR + `"/>`)
		}
		b.WriteString(closing)
	}
	for _, s := range c.states {
		if _, ok := a.shapes[s.Code]; ok {
			write(s, true)
		}
	}
	for _, s := range c.states {
		if _, ok := a.shapes[s.Code]; !ok {
			write(s, false) // markers last, above the shapes
		}
	}
	b.WriteString(`</g><g class="legend" fill="#1a1a1a" font-size="` + strconv.Itoa(fontSize) + `">`)
	for _, it := range items {
		b.WriteString(`<rect x="` + num(it.x) + `" y="` + num(it.y) + `" width="` + num(swatch) + `" height="` + num(swatch) + `" fill="` + it.fill + `" stroke="#1a1a1a" stroke-width=".5"/>`)
		b.WriteString(`<text x="` + num(it.x+swatch+8) + `" y="` + num(it.y+swatch-3) + `">` + e(it.text) + `</text>`)
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String()), nil
}

// fillOf is the fill attribute of a status: its pattern, or its colour.
func fillOf(id string, s Status) string {
	if styles[s].pattern != "" {
		return "url(#" + id + "-" + string(s) + ")"
	}
	return styles[s].fill
}

// description is the map's description, or one made from its counts.
func (m Map) description(c *checked) string {
	if m.Desc != "" {
		return m.Desc
	}
	parts := make([]string, 0, len(c.counts))
	for _, cnt := range c.counts {
		parts = append(parts, strconv.Itoa(cnt.N)+" "+lowerFirst(cnt.Label))
	}
	return "World map of " + strconv.Itoa(len(c.states)) + " states: " + strings.Join(parts, ", ") +
		". Each status has its own colour and pattern; states too small to see are drawn as dots. The table gives the same."
}

// lowerFirst lowers a label's first letter unless the second is a capital
// too (an abbreviation).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// num writes v with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}
