package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Palette holds the colours of the series, in order; each has a contrast
// of at least 3:1 against white (WCAG 2.1, 1.4.11), and each differs from
// its neighbours in lightness as well as hue.
var Palette = []string{"#1f5fa8", "#b3541e", "#2e7d32", "#6a3d9a", "#8a6d00", "#b0004f"}

// BarChart is a horizontal bar chart: one row per label, with one bar per
// series in each row.
type BarChart struct {
	// ID prefixes the ids of the chart's title and description, which
	// must be unique on the page ("chart" when empty).
	ID string
	// Title names the chart; Description says what it shows, for screen
	// readers.
	Title, Description string
	// Series names the bars of a row, in order ("in the room", "remote").
	// With fewer than two series each row has one bar and no legend.
	Series []string
	// Rows are the chart's rows, in the order drawn.
	Rows []Row
	// Format writes a value ("12 min 30 s", "4 turns"); when nil, the
	// number itself.
	Format func(float64) string
	// MaxLabel is the length, in characters, beyond which a row's label
	// is cut short on the chart (44 when zero); the whole label stays in
	// the bar's title and in the table.
	MaxLabel int
}

// Row is one row of a chart: a label and one value per series. A missing
// value counts as zero; negative, infinite and NaN values are drawn as
// zero.
type Row struct {
	Label  string
	Values []float64
}

// Geometry of the chart, in viewBox units.
const (
	width     = 400.0
	maxBar    = 250.0 // the longest bar; the rest of the width holds its value
	barHeight = 16.0
	barGap    = 4.0
	labelLine = 20.0 // the line of a row's label, above its bars
	rowGap    = 12.0
	fontSize  = 14
	legendRow = 22.0
)

func (c *BarChart) series() int {
	if len(c.Series) < 2 {
		return 1
	}
	return len(c.Series)
}

func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

func (c *BarChart) value(r Row, s int) float64 {
	if s < len(r.Values) {
		return clean(r.Values[s])
	}
	return 0
}

func (c *BarChart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return num(v)
}

// num writes v with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func (c *BarChart) id() string {
	var b strings.Builder
	for _, r := range c.ID {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}

// Truncate cuts s to n characters, the last an ellipsis, when it is
// longer.
func Truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if n < 1 || len(rs) <= n {
		return s
	}
	return strings.TrimRight(string(rs[:n-1]), " ") + "…"
}

// valueText is what is written after a bar: the value, with its series'
// name when there are several.
func (c *BarChart) valueText(s int, v float64) string {
	if c.series() > 1 {
		return c.Series[s] + ": " + c.format(v)
	}
	return c.format(v)
}

// Bars draws the chart as an SVG element.
func Bars(c BarChart) template.HTML {
	e := template.HTMLEscapeString
	id := c.id()
	ns := c.series()
	maxLabel := c.MaxLabel
	if maxLabel == 0 {
		maxLabel = 44
	}
	var peak float64
	for _, r := range c.Rows {
		for s := range ns {
			peak = math.Max(peak, c.value(r, s))
		}
	}
	y := 0.0
	var body strings.Builder
	if ns > 1 {
		body.WriteString(`<g class="legend">`)
		x := 0.0
		for s, name := range c.Series {
			if x > 0 && x+24+float64(len([]rune(name)))*8 > width {
				x, y = 0, y+legendRow
			}
			body.WriteString(`<rect x="` + num(x) + `" y="` + num(y+3) + `" width="14" height="14" fill="` + Palette[s%len(Palette)] + `"></rect>`)
			body.WriteString(`<text x="` + num(x+20) + `" y="` + num(y+15) + `" font-size="` + itoa(fontSize) + `">` + e(name) + `</text>`)
			x += 20 + float64(len([]rune(name)))*8 + 16
		}
		body.WriteString(`</g>`)
		y += legendRow + 8
	}
	if len(c.Rows) == 0 {
		body.WriteString(`<text class="empty" x="0" y="` + num(y+15) + `" font-size="` + itoa(fontSize) + `">No data.</text>`)
		y += labelLine + rowGap
	}
	for _, r := range c.Rows {
		body.WriteString(`<g class="row">`)
		body.WriteString(`<text class="label" x="0" y="` + num(y+15) + `" font-size="` + itoa(fontSize) + `">` + e(Truncate(r.Label, maxLabel)) + `</text>`)
		y += labelLine
		full := strings.Join(strings.Fields(r.Label), " ")
		for s := range ns {
			v := c.value(r, s)
			w := 0.0
			if peak > 0 {
				w = v / peak * maxBar
			}
			vt := c.valueText(s, v)
			body.WriteString(`<g class="bar"><title>` + e(full+", "+vt) + `</title>`)
			body.WriteString(`<rect x="0" y="` + num(y) + `" width="` + num(w) + `" height="` + num(barHeight) + `" fill="` + Palette[s%len(Palette)] + `"></rect>`)
			body.WriteString(`<text class="value" x="` + num(w+6) + `" y="` + num(y+barHeight-3) + `" font-size="` + itoa(fontSize-1) + `">` + e(vt) + `</text>`)
			body.WriteString(`</g>`)
			y += barHeight + barGap
		}
		body.WriteString(`</g>`)
		y += rowGap
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="` + id + `-title ` + id + `-desc"`)
	b.WriteString(` viewBox="0 0 ` + num(width) + ` ` + num(y) + `" width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" fill="#1a1a1a">`)
	b.WriteString(`<title id="` + id + `-title">` + e(c.Title) + `</title>`)
	b.WriteString(`<desc id="` + id + `-desc">` + e(c.description()) + `</desc>`)
	b.WriteString(body.String())
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// description is the chart's description, or one made from its data.
func (c *BarChart) description() string {
	if c.Description != "" {
		return c.Description
	}
	d := "Horizontal bar chart, " + itoa(len(c.Rows)) + " rows"
	if c.series() > 1 {
		d += ", " + strings.Join(c.Series, " and ") + " side by side"
	}
	return d + "; the table beside it gives the same figures."
}

func itoa(n int) string { return strconv.Itoa(n) }

// TableData is a chart as a table: a header row (an empty first cell,
// then the series), then one row per chart row.
type TableData struct {
	Caption string
	Columns []string
	Rows    []TableRow
}

// TableRow is one row of a TableData: the full label and the formatted
// values.
type TableRow struct {
	Label string
	Cells []string
}

// Table gives the chart's figures as a table, the equivalent pages render
// beside it.
func Table(c BarChart) TableData {
	t := TableData{Caption: c.Title, Columns: []string{""}}
	ns := c.series()
	if ns > 1 {
		t.Columns = append(t.Columns, c.Series...)
	} else if len(c.Series) == 1 {
		t.Columns = append(t.Columns, c.Series[0])
	} else {
		t.Columns = append(t.Columns, "Value")
	}
	t.Rows = make([]TableRow, 0, len(c.Rows))
	for _, r := range c.Rows {
		tr := TableRow{Label: r.Label, Cells: make([]string, ns)}
		for s := range ns {
			tr.Cells[s] = c.format(c.value(r, s))
		}
		t.Rows = append(t.Rows, tr)
	}
	return t
}
