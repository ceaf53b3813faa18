package chart_test

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/chart"
)

// node is an element of the SVG, parsed.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Kids    []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// find lists the elements named name beneath n, with class class when it
// is not empty.
func (n node) find(name, class string) []node {
	var out []node
	for _, k := range n.Kids {
		if k.XMLName.Local == name && (class == "" || k.attr("class") == class) {
			out = append(out, k)
		}
		out = append(out, k.find(name, class)...)
	}
	return out
}

func (n node) child(name string) node {
	for _, k := range n.Kids {
		if k.XMLName.Local == name {
			return k
		}
	}
	return node{}
}

func parse(t *testing.T, c chart.BarChart) node {
	t.Helper()
	var n node
	if err := xml.Unmarshal([]byte(chart.Bars(c)), &n); err != nil {
		t.Fatalf("chart is not well-formed: %v\n%s", err, chart.Bars(c))
	}
	return n
}

func minutes(v float64) string {
	s := int64(v)
	return fmt.Sprintf("%d min %d s", s/60, s%60)
}

func width(t *testing.T, bar node) float64 {
	t.Helper()
	w, err := strconv.ParseFloat(bar.child("rect").attr("width"), 64)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestSingleSeries(t *testing.T) {
	c := chart.BarChart{ID: "time", Title: "Speaking time per stakeholder group", Format: minutes, Rows: []chart.Row{
		{Label: "Governments", Values: []float64{750}},
		{Label: "Civil society", Values: []float64{375}},
		{Label: "Technical community", Values: []float64{0}},
		{Label: "Private sector", Values: []float64{150}},
	}}
	svg := parse(t, c)
	if svg.XMLName.Local != "svg" || svg.attr("role") != "img" || svg.attr("aria-labelledby") != "time-title time-desc" {
		t.Fatalf("svg element: %+v", svg.Attrs)
	}
	if !strings.HasPrefix(svg.attr("viewBox"), "0 0 400 ") || svg.attr("width") != "100%" {
		t.Errorf("not sized in viewBox units: %q %q", svg.attr("viewBox"), svg.attr("width"))
	}
	if ti := svg.child("title"); ti.attr("id") != "time-title" || ti.Text != c.Title {
		t.Errorf("title: %+v", ti)
	}
	if d := svg.child("desc"); d.attr("id") != "time-desc" || !strings.Contains(d.Text, "4 rows") {
		t.Errorf("desc: %+v", d)
	}
	bars := svg.find("g", "bar")
	if len(bars) != 4 || len(svg.find("g", "legend")) != 0 {
		t.Fatalf("%d bars, legend %d; want 4 and none", len(bars), len(svg.find("g", "legend")))
	}
	wantText := []string{"12 min 30 s", "6 min 15 s", "0 min 0 s", "2 min 30 s"}
	wantWidth := []float64{250, 125, 0, 50}
	for i, b := range bars {
		if v := b.find("text", "value"); len(v) != 1 || v[0].Text != wantText[i] {
			t.Errorf("bar %d value text %+v, want %q", i, v, wantText[i])
		}
		if ti := b.child("title").Text; ti != c.Rows[i].Label+", "+wantText[i] {
			t.Errorf("bar %d title %q", i, ti)
		}
		if w := width(t, b); math.Abs(w-wantWidth[i]) > 0.01 {
			t.Errorf("bar %d width %v, want %v", i, w, wantWidth[i])
		}
		fill := b.child("rect").attr("fill")
		if fill != chart.Palette[0] {
			t.Errorf("bar %d fill %s", i, fill)
		}
	}
	labels := svg.find("text", "label")
	if len(labels) != 4 || labels[1].Text != "Civil society" {
		t.Errorf("labels %+v", labels)
	}
}

func TestGroupedSeries(t *testing.T) {
	c := chart.BarChart{ID: "room remote", Title: "Turns", Series: []string{"in the room", "remote"},
		Format: func(v float64) string { return strconv.Itoa(int(v)) + " turns" },
		Rows:   []chart.Row{{Label: "Governments", Values: []float64{8, 2}}, {Label: "Civil society", Values: []float64{1, 4}}, {Label: "Observers", Values: []float64{3}}}}
	svg := parse(t, c)
	if svg.attr("aria-labelledby") != "room-remote-title room-remote-desc" {
		t.Errorf("ids not made safe: %q", svg.attr("aria-labelledby"))
	}
	legend := svg.find("g", "legend")
	if len(legend) != 1 || len(legend[0].find("rect", "")) != 2 || legend[0].find("text", "")[1].Text != "remote" {
		t.Fatalf("legend: %+v", legend)
	}
	rows := svg.find("g", "row")
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	var got []string
	for _, r := range rows {
		bars := r.find("g", "bar")
		if len(bars) != 2 {
			t.Fatalf("row with %d bars", len(bars))
		}
		if bars[0].child("rect").attr("fill") == bars[1].child("rect").attr("fill") {
			t.Error("the two series share a colour")
		}
		for _, b := range bars {
			got = append(got, b.find("text", "value")[0].Text)
		}
	}
	want := []string{"in the room: 8 turns", "remote: 2 turns", "in the room: 1 turns", "remote: 4 turns", "in the room: 3 turns", "remote: 0 turns"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("values %q, want %q", got, want)
	}
	if w := width(t, rows[1].find("g", "bar")[1]); math.Abs(w-125) > 0.01 {
		t.Errorf("4 of 8 drawn %v wide, want 125", w)
	}
	tab := chart.Table(c)
	if strings.Join(tab.Columns, "|") != "|in the room|remote" || tab.Caption != "Turns" || len(tab.Rows) != 3 ||
		strings.Join(tab.Rows[2].Cells, "|") != "3 turns|0 turns" || tab.Rows[1].Label != "Civil society" {
		t.Errorf("table %+v", tab)
	}
}

func TestEdgeValues(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rows   []chart.Row
		widths []float64
		texts  []string
	}{
		{"all zero", []chart.Row{{Label: "a", Values: []float64{0}}, {Label: "b"}}, []float64{0, 0}, []string{"0", "0"}},
		{"single", []chart.Row{{Label: "a", Values: []float64{7.5}}}, []float64{250}, []string{"7.5"}},
		{"bad numbers", []chart.Row{{Label: "a", Values: []float64{math.NaN()}}, {Label: "b", Values: []float64{-3}}, {Label: "c", Values: []float64{math.Inf(1)}}, {Label: "d", Values: []float64{2}}},
			[]float64{0, 0, 0, 250}, []string{"0", "0", "0", "2"}},
		{"none", nil, nil, nil},
	} {
		svg := parse(t, chart.BarChart{Title: tc.name, Rows: tc.rows})
		bars := svg.find("g", "bar")
		if len(bars) != len(tc.widths) {
			t.Fatalf("%s: %d bars", tc.name, len(bars))
		}
		for i, b := range bars {
			if w := width(t, b); math.IsNaN(w) || math.Abs(w-tc.widths[i]) > 0.01 {
				t.Errorf("%s: bar %d width %v, want %v", tc.name, i, w, tc.widths[i])
			}
			if v := b.find("text", "value")[0].Text; v != tc.texts[i] {
				t.Errorf("%s: bar %d text %q", tc.name, i, v)
			}
		}
		if svg.attr("aria-labelledby") != "chart-title chart-desc" {
			t.Errorf("%s: default id: %q", tc.name, svg.attr("aria-labelledby"))
		}
		if len(tc.rows) == 0 && len(svg.find("text", "empty")) != 1 {
			t.Errorf("%s: an empty chart does not say so", tc.name)
		}
	}
}

func TestLabelsEscapedAndTruncated(t *testing.T) {
	long := "Association for Progressive Communications, on behalf of the Civil Society Coalition"
	hostile := `<script>alert("x")</script> & co`
	c := chart.BarChart{Title: hostile, Description: hostile, Series: []string{hostile, "b"}, MaxLabel: 30,
		Format: func(v float64) string { return "<b>" + num(v) + "</b>" },
		Rows:   []chart.Row{{Label: long, Values: []float64{1, 2}}, {Label: hostile, Values: []float64{3, 4}}}}
	out := string(chart.Bars(c))
	if strings.Contains(out, "<script") || strings.Contains(out, "<b>") {
		t.Fatalf("not escaped: %s", out)
	}
	if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co") {
		t.Error("escaped label missing")
	}
	svg := parse(t, c)
	label := svg.find("text", "label")[0].Text
	if label != "Association for Progressive C…" || len([]rune(label)) != 30 {
		t.Errorf("label %q not cut to 30", label)
	}
	if ti := svg.find("g", "bar")[0].child("title").Text; ti != long+", "+hostile+": <b>1</b>" {
		t.Errorf("bar title %q lacks the full label", ti)
	}
	if got := chart.Table(c).Rows[0].Label; got != long {
		t.Errorf("table label %q", got)
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func TestDeterministic(t *testing.T) {
	c := chart.BarChart{Title: "t", Series: []string{"a", "b", "c"}, Rows: []chart.Row{{Label: "x", Values: []float64{1, 2, 3}}}}
	if a, b := chart.Bars(c), chart.Bars(c); a != b {
		t.Error("two drawings of one chart differ")
	}
}

// luminance is the relative luminance of a #rrggbb colour (WCAG 2.1).
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	var ch [3]float64
	for i := range ch {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatal(err)
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			ch[i] = c / 12.92
		} else {
			ch[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]
}

func TestPaletteContrast(t *testing.T) {
	for _, c := range chart.Palette {
		if r := 1.05 / (luminance(t, c) + 0.05); r < 3 {
			t.Errorf("%s has contrast %.2f:1 against white, under 3:1", c, r)
		}
	}
	if r := 1.05 / (luminance(t, "#ffff00") + 0.05); r >= 3 {
		t.Errorf("the check passes yellow (%.2f)", r)
	}
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{{"short", 10, "short"}, {"exactly ten", 11, "exactly ten"}, {"a longer label", 6, "a lon…"}, {"two  spaces\nline", 40, "two spaces line"}, {"ééééé", 3, "éé…"}, {"x", 0, "x"}} {
		if got := chart.Truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
