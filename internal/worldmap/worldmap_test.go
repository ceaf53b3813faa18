package worldmap

import (
	"encoding/csv"
	"encoding/xml"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
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

// all lists the elements beneath n that have the attribute attr.
func (n node) all(attr string) []node {
	var out []node
	for _, k := range n.Kids {
		for _, a := range k.Attrs {
			if a.Name.Local == attr {
				out = append(out, k)
				break
			}
		}
		out = append(out, k.all(attr)...)
	}
	return out
}

func (n node) child(name string) (node, int) {
	var first node
	count := 0
	for _, k := range n.Kids {
		if k.XMLName.Local == name {
			if count == 0 {
				first = k
			}
			count++
		}
	}
	return first, count
}

func parse(t *testing.T, m Map) (node, string) {
	t.Helper()
	svg, err := m.SVG()
	if err != nil {
		t.Fatal(err)
	}
	var n node
	if err := xml.Unmarshal([]byte(svg), &n); err != nil {
		t.Fatalf("the SVG is not well-formed: %v", err)
	}
	return n, string(svg)
}

// member is an ITU Member State, from the demo's list.
type member struct{ alpha3, numeric, name string }

// members reads the 194 ITU Member States of 2025 from the demo's copy of
// itu-member-states.csv.
func members(t testing.TB) []member {
	t.Helper()
	f, err := os.Open("../demo/data/itu-member-states.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []member
	for _, r := range rows[1:] {
		if r[col["itu_member_2025"]] == "yes" {
			out = append(out, member{r[col["iso_alpha3"]], r[col["iso_numeric"]], r[col["name_short_en"]]})
		}
	}
	return out
}

func TestDecodeSynthetic(t *testing.T) {
	// Two arcs, quantized and delta-encoded: arc 0 runs (0,0) (2,0)
	// (2,2); arc 1 runs (2,2) (0,2) (0,0). Scale 10, translate (-5, 1).
	topo := `{"type":"Topology","transform":{"scale":[10,10],"translate":[-5,1]},
	"arcs":[[[0,0],[2,0],[0,2]],[[2,2],[-2,0],[0,-2]]],
	"objects":{"c":{"type":"GeometryCollection","geometries":[
	{"type":"Polygon","id":"001","properties":{"name":"P"},"arcs":[[0,1]]},
	{"type":"MultiPolygon","id":"002","arcs":[[[0,1]],[[-2,-1]]]},
	{"type":null,"id":"003"}]}}}`
	fs, err := decodeTopology([]byte(topo), "c")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("%d features, want 2 (the null geometry skipped)", len(fs))
	}
	p := func(x, y float64) point { return point{x*10 - 5, y*10 + 1} }
	want := ring{p(0, 0), p(2, 0), p(2, 2), p(0, 2), p(0, 0)}
	if got := fs[0].polygons[0][0]; !equalRing(got, want) || fs[0].name != "P" || fs[0].id != "001" {
		t.Errorf("polygon: %v %q %q, want %v", got, fs[0].id, fs[0].name, want)
	}
	if len(fs[1].polygons) != 2 {
		t.Fatalf("multipolygon: %d polygons, want 2", len(fs[1].polygons))
	}
	reversed := ring{p(0, 0), p(0, 2), p(2, 2), p(2, 0), p(0, 0)}
	if got := fs[1].polygons[1][0]; !equalRing(got, reversed) {
		t.Errorf("reversed arcs: %v, want %v", got, reversed)
	}
	for _, bad := range []struct{ name, doc string }{
		{"not JSON", `{`},
		{"not a topology", `{"type":"FeatureCollection"}`},
		{"no object", `{"type":"Topology","arcs":[],"objects":{}}`},
		{"arc out of range", `{"type":"Topology","arcs":[],"objects":{"c":{"geometries":[{"type":"Polygon","arcs":[[3]]}]}}}`},
		{"short position", `{"type":"Topology","arcs":[[[1]]],"objects":{"c":{"geometries":[]}}}`},
	} {
		if _, err := decodeTopology([]byte(bad.doc), "c"); err == nil {
			t.Errorf("%s: no error", bad.name)
		}
	}
}

func TestCutAtTheAntimeridian(t *testing.T) {
	for _, c := range []struct {
		name   string
		r      ring
		pieces int
	}{
		{"east of it", ring{{170, 0}, {179, 0}, {179, 10}, {170, 0}}, 1},
		{"across it", ring{{170, 0}, {-170, 0}, {-170, 10}, {170, 10}, {170, 0}}, 2},
		{"across it, from the west", ring{{-170, 0}, {-170, 10}, {170, 10}, {170, 0}, {-170, 0}}, 2},
		{"along it, quantized to -180", ring{{179, 0}, {-180, 0}, {-180, 5}, {179, 5}, {179, 0}}, 1},
	} {
		ps := cut(c.r)
		if len(ps) != c.pieces {
			t.Errorf("%s: %d pieces, want %d: %v", c.name, len(ps), c.pieces, ps)
		}
		for _, p := range ps {
			if p[0] != p[len(p)-1] {
				t.Errorf("%s: a piece is not closed: %v", c.name, p)
			}
			for i, q := range p {
				if q.lon < -180 || q.lon > 180 || i > 0 && math.Abs(q.lon-p[i-1].lon) > 180 {
					t.Errorf("%s: piece %v goes beyond or across the antimeridian", c.name, p)
					break
				}
			}
		}
	}
}

func equalRing(a, b ring) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i].lon-b[i].lon) > 1e-9 || math.Abs(a[i].lat-b[i].lat) > 1e-9 {
			return false
		}
	}
	return true
}

func TestDecodeNaturalEarth(t *testing.T) {
	fs, err := decodeTopology(countries110m, "countries")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 177 {
		t.Errorf("%d countries, want Natural Earth 1:110m's 177", len(fs))
	}
	byID := map[string]feature{}
	for _, f := range fs {
		byID[f.id] = f
		for _, poly := range f.polygons {
			for _, r := range poly {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("%s: a ring of %d points is not closed", f.name, len(r))
				}
				if f.id == antarctica {
					continue
				}
				for _, r := range cut(r) {
					for i, p := range r {
						if p.lon < -180 || p.lon > 180 || p.lat < -90 || p.lat > 90 {
							t.Fatalf("%s: point %v out of range", f.name, p)
						}
						if i > 0 && math.Abs(p.lon-r[i-1].lon) > 180 {
							t.Errorf("%s: a ring crosses the antimeridian, which a flat projection would smear", f.name)
						}
					}
				}
			}
		}
	}
	if a := loadAtlas(); a.rings["FRA"] != 3 || a.rings["RUS"] <= 12 {
		t.Errorf("drawn: France in %d rings, Russia in %d; want 3, and more than 12 (cut at the antimeridian)", a.rings["FRA"], a.rings["RUS"])
	}
	for _, c := range []struct {
		id, name                 string
		rings                    int
		west, south, east, north float64
	}{
		{"250", "France", 3, -54.6, 2.0, 9.6, 51.2}, // with French Guiana and Corsica
		{"076", "Brazil", 1, -74.1, -33.8, -34.7, 5.3},
		{"643", "Russia", 12, -180, 41.1, 180, 81.3},
		{"036", "Australia", 2, 113.3, -43.7, 153.7, -10.6},
		{"242", "Fiji", 2, -180, -18.3, 180, -16.0},
	} {
		f, ok := byID[c.id]
		if !ok || f.name != c.name {
			t.Errorf("%s: not found as %s", c.id, c.name)
			continue
		}
		rings := 0
		west, south, east, north := 180.0, 90.0, -180.0, -90.0
		for _, poly := range f.polygons {
			rings += len(poly)
			for _, r := range poly {
				for _, p := range r {
					west, east = math.Min(west, p.lon), math.Max(east, p.lon)
					south, north = math.Min(south, p.lat), math.Max(north, p.lat)
				}
			}
		}
		if rings != c.rings {
			t.Errorf("%s: %d rings, want %d", c.name, rings, c.rings)
		}
		if west < c.west-0.1 || east > c.east+0.1 || south < c.south-0.1 || north > c.north+0.1 ||
			west > c.west+1 || east < c.east-1 || south > c.south+1 || north < c.north-1 {
			t.Errorf("%s: box %.1f %.1f %.1f %.1f, want about %.1f %.1f %.1f %.1f", c.name, west, south, east, north, c.west, c.south, c.east, c.north)
		}
	}
}

func TestProjection(t *testing.T) {
	for _, c := range []struct{ lon, lat, x, y float64 }{
		{0, 0, 0, 0},
		{180, 0, 2.7064, 0},           // Equal Earth's half-width on the unit sphere
		{0, 90, 0, 1.3173},            // and its half-height
		{-180, -90, -1.6036, -1.3173}, // the pole lines are 0.59 of the equator's length
	} {
		x, y := equalEarth(c.lon, c.lat)
		if math.Abs(x-c.x) > 1e-3 || math.Abs(y-c.y) > 1e-3 {
			t.Errorf("equalEarth(%v, %v) = %.4f, %.4f, want %.4f, %.4f", c.lon, c.lat, x, y, c.x, c.y)
		}
	}
	x, y := equalEarth(-60, -30)
	if x2, y2 := equalEarth(60, 30); x != -x2 || y != -y2 {
		t.Errorf("not symmetric: %v,%v and %v,%v", x, y, x2, y2)
	}
	if a := loadAtlas(); a.err != nil || a.top >= 0 || a.bottom <= 0 {
		t.Fatalf("atlas: %v, top %d, bottom %d", a.err, a.top, a.bottom)
	}
}

func TestEveryMemberStatePlaceable(t *testing.T) {
	ms := members(t)
	if len(ms) != 194 {
		t.Fatalf("%d Member States, want 194", len(ms))
	}
	alpha3, err := readNumeric()
	if err != nil {
		t.Fatal(err)
	}
	a := loadAtlas()
	shapes, markers := 0, 0
	for _, m := range ms {
		n, _ := strconv.Atoi(m.numeric)
		if got := alpha3[strconv.Itoa(1000 + n)[1:]]; got != m.alpha3 {
			t.Errorf("%s: numeric code %s maps to %q", m.alpha3, m.numeric, got)
		}
		if !Placeable(m.alpha3) {
			t.Errorf("%s (%s) cannot be placed", m.alpha3, m.name)
		}
		if _, ok := a.shapes[m.alpha3]; ok {
			shapes++
		} else {
			markers++
		}
	}
	// 29 are too small for 1:110m: Andorra, Monaco, Tuvalu, Singapore ...
	if shapes != 165 || markers != 29 {
		t.Errorf("%d shapes and %d markers, want 165 and 29", shapes, markers)
	}
	if Placeable("XXX") || Placeable("ATA") {
		t.Error("an unknown code, or Antarctica, is placeable")
	}
}

// TestMarkersInTheirShapes checks data/markers.csv against the shapes: a
// country drawn at 1:110m has its marker inside its box.
func TestMarkersInTheirShapes(t *testing.T) {
	a := loadAtlas()
	if len(a.markers) < 230 {
		t.Fatalf("%d markers, want one for every country of world-atlas' 1:50m", len(a.markers))
	}
	for code, s := range a.shapes {
		m, ok := a.markers[code]
		if !ok {
			t.Errorf("%s: a shape and no marker", code)
			continue
		}
		const slack = 20 // two units
		if m[0] < s.minX-slack || m[0] > s.maxX+slack || m[1] < s.minY-slack || m[1] > s.maxY+slack {
			t.Errorf("%s: marker %v outside its shape's box %d,%d–%d,%d", code, m, s.minX, s.minY, s.maxX, s.maxY)
		}
	}
}

func allMembers(t testing.TB) Map {
	m := Map{ID: "wcit", Title: "Who signed the Final Acts"}
	for i, s := range members(t) {
		st := Statuses[i%len(Statuses)]
		href := ""
		if i%2 == 0 {
			href = "#sig-" + s.alpha3
		}
		m.States = append(m.States, State{Code: s.alpha3, Name: s.name, Status: st, Href: href})
	}
	return m
}

func TestOneShapePerState(t *testing.T) {
	m := allMembers(t)
	root, svg := parse(t, m)
	if root.attr("role") != "group" || root.attr("aria-labelledby") != "wcit-title wcit-desc" {
		t.Errorf("root: role %q, labelled by %q", root.attr("role"), root.attr("aria-labelledby"))
	}
	if title, _ := root.child("title"); title.Text != m.Title {
		t.Errorf("title %q", title.Text)
	}
	els := root.all("data-state")
	byCode := map[string]node{}
	for _, el := range els {
		code := el.attr("data-state")
		if _, dup := byCode[code]; dup {
			t.Errorf("%s: more than one element", code)
		}
		byCode[code] = el
	}
	table, err := m.Table()
	if err != nil {
		t.Fatal(err)
	}
	if len(els) != len(m.States) || len(table.Rows) != len(els) {
		t.Fatalf("%d states, %d elements, %d table rows", len(m.States), len(els), len(table.Rows))
	}
	for i, s := range m.States {
		el, ok := byCode[s.Code]
		if !ok {
			t.Errorf("%s: no element", s.Code)
			continue
		}
		want := s.Name + ": " + lowerFirst(s.Status.Label())
		title, titles := el.child("title")
		if titles != 1 || title.Text != want || el.attr("aria-label") != want {
			t.Errorf("%s: title %q (%d), aria-label %q, want %q", s.Code, title.Text, titles, el.attr("aria-label"), want)
		}
		if el.attr("class") != "state "+string(s.Status) {
			t.Errorf("%s: class %q", s.Code, el.attr("class"))
		}
		if s.Href != "" {
			if el.XMLName.Local != "a" || el.attr("href") != s.Href {
				t.Errorf("%s: a <%s> with href %q, want a link to %q", s.Code, el.XMLName.Local, el.attr("href"), s.Href)
			}
		} else if el.XMLName.Local != "g" || el.attr("role") != "img" {
			t.Errorf("%s: a <%s> of role %q, want an image", s.Code, el.XMLName.Local, el.attr("role"))
		}
		_, paths := el.child("path")
		_, circles := el.child("circle")
		if paths+circles == 0 || paths > 1 || circles > 1 {
			t.Errorf("%s: %d paths and %d circles", s.Code, paths, circles)
		}
		_, shaped := loadAtlas().shapes[s.Code]
		if shaped != (paths == 1) {
			t.Errorf("%s: shape %v, but %d paths", s.Code, shaped, paths)
		}
		r := table.Rows[i]
		if r.Code != s.Code || r.Name != s.Name || r.Status != s.Status || r.Label != s.Status.Label() || r.Href != s.Href {
			t.Errorf("table row %d: %+v, want %+v", i, r, s)
		}
	}
	if len(svg) > 150<<10 {
		t.Errorf("the map of 194 states is %d bytes, want under 150 KiB", len(svg))
	}
	// Every pattern a state uses is defined.
	for _, st := range Statuses {
		if f := fillOf("wcit", st); strings.HasPrefix(f, "url(#") && !strings.Contains(svg, `<pattern id="`+f[5:len(f)-1]+`"`) {
			t.Errorf("%s: pattern %s not defined", st, f)
		}
	}
	again, _ := m.SVG()
	if string(again) != svg {
		t.Error("the same map gave different bytes")
	}
}

func TestSmallStatesAreMarked(t *testing.T) {
	m := Map{States: []State{
		{Code: "MCO", Name: "Monaco", Status: Signed},     // not at 1:110m: a marker alone
		{Code: "LUX", Name: "Luxembourg", Status: Signed}, // a shape under 3 units: shape and marker
		{Code: "BRA", Name: "Brazil", Status: Declined},   // a shape alone
	}}
	root, _ := parse(t, m)
	for _, c := range []struct {
		code           string
		paths, circles int
	}{{"MCO", 0, 1}, {"LUX", 1, 1}, {"BRA", 1, 0}} {
		for _, el := range root.all("data-state") {
			if el.attr("data-state") != c.code {
				continue
			}
			_, p := el.child("path")
			_, ci := el.child("circle")
			if p != c.paths || ci != c.circles {
				t.Errorf("%s: %d paths and %d circles, want %d and %d", c.code, p, ci, c.paths, c.circles)
			}
		}
	}
	// The marker of Monaco lies inside the viewBox.
	vb := strings.Fields(root.attr("viewBox"))
	minY, _ := strconv.ParseFloat(vb[1], 64)
	h, _ := strconv.ParseFloat(vb[3], 64)
	for _, el := range root.all("data-state") {
		if c, n := el.child("circle"); n == 1 {
			x, _ := strconv.ParseFloat(c.attr("cx"), 64)
			y, _ := strconv.ParseFloat(c.attr("cy"), 64)
			if x < 0 || x > width || y < minY || y > minY+h {
				t.Errorf("%s: marker at %v,%v outside the viewBox %v", el.attr("data-state"), x, y, vb)
			}
		}
	}
}

func TestEscaping(t *testing.T) {
	name := `Côte <d'Ivoire> & "Co"`
	m := Map{ID: `m"1<`, Title: "Signatures & <reservations>", Desc: `a "map" & more`,
		States: []State{{Code: "civ", Name: " " + name + " ", Status: NotYet, Href: `/forums/wcit-12/final-acts?party=CIV&x="y"#s`}}}
	root, svg := parse(t, m)
	if strings.Contains(svg, "<d'") || strings.Contains(svg, `"Co"`) || strings.Contains(svg, "<reservations>") {
		t.Error("a name, title or description is not escaped")
	}
	if root.attr("id") != "m-1-" {
		t.Errorf("id %q", root.attr("id"))
	}
	if title, _ := root.child("title"); title.Text != m.Title {
		t.Errorf("title %q", title.Text)
	}
	if desc, _ := root.child("desc"); desc.Text != m.Desc {
		t.Errorf("desc %q", desc.Text)
	}
	els := root.all("data-state")
	if len(els) != 1 || els[0].attr("data-state") != "CIV" {
		t.Fatalf("elements %v", els)
	}
	want := name + ": not yet signed"
	if title, _ := els[0].child("title"); title.Text != want || els[0].attr("aria-label") != want {
		t.Errorf("title %q, aria-label %q, want %q", title.Text, els[0].attr("aria-label"), want)
	}
	if els[0].attr("href") != m.States[0].Href {
		t.Errorf("href %q", els[0].attr("href"))
	}
}

func TestRefusals(t *testing.T) {
	ok := State{Code: "FRA", Name: "France", Status: Signed}
	for _, c := range []struct {
		name   string
		m      Map
		naming []string
	}{
		{"unknown code", Map{States: []State{ok, {Code: "XYZ", Name: "Nowhere", Status: Signed}}}, []string{`"XYZ"`, "code"}},
		{"Antarctica", Map{States: []State{{Code: "ATA", Name: "Antarctica", Status: NoData}}}, []string{`"ATA"`}},
		{"empty code", Map{States: []State{{Name: "Nameless", Status: Signed}}}, []string{"Nameless", "code is empty"}},
		{"twice", Map{States: []State{ok, {Code: "fra", Name: "France", Status: Declined}}}, []string{`"FRA"`, "twice"}},
		{"no name", Map{States: []State{{Code: "DEU", Name: "  ", Status: Signed}}}, []string{`"DEU"`, "name"}},
		{"unknown status", Map{States: []State{{Code: "DEU", Name: "Germany", Status: "abstained"}}}, []string{`"DEU"`, `"abstained"`}},
		{"script link", Map{States: []State{{Code: "DEU", Name: "Germany", Status: Signed, Href: "javascript:alert(1)"}}}, []string{`"DEU"`, "href"}},
		{"data link", Map{States: []State{{Code: "DEU", Name: "Germany", Status: Signed, Href: "data:text/html,x"}}}, []string{`"DEU"`, "href"}},
		{"not in the legend", Map{Legend: []Status{Signed}, States: []State{ok, {Code: "DEU", Name: "Germany", Status: Declined}}}, []string{`"DEU"`, "legend"}},
		{"unknown in the legend", Map{Legend: []Status{Signed, "maybe"}, States: []State{ok}}, []string{"legend", `"maybe"`}},
		{"twice in the legend", Map{Legend: []Status{Signed, Signed}, States: []State{ok}}, []string{"legend", "twice"}},
	} {
		_, err := c.m.SVG()
		_, terr := c.m.Table()
		_, cerr := c.m.Counts()
		if err == nil || terr == nil || cerr == nil {
			t.Errorf("%s: SVG %v, Table %v, Counts %v; want errors", c.name, err, terr, cerr)
			continue
		}
		for _, w := range c.naming {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not name %s", c.name, err, w)
			}
		}
	}
}

func TestLegendCounts(t *testing.T) {
	states := []State{
		{Code: "FRA", Name: "France", Status: Signed},
		{Code: "BRA", Name: "Brazil", Status: Signed},
		{Code: "USA", Name: "United States", Status: Declined},
		{Code: "TUV", Name: "Tuvalu", Status: NotYet},
	}
	for _, c := range []struct {
		name   string
		legend []Status
		labels map[Status]string
		want   []string
	}{
		{"statuses used", nil, nil, []string{"Signed: 2", "Declined: 1", "Not yet signed: 1"}},
		{"given legend", []Status{NotYet, Declined, Signed, SignedSubject}, nil,
			[]string{"Not yet signed: 1", "Declined: 1", "Signed: 2", "Signed subject to ratification: 0"}},
		{"labels", nil, map[Status]string{Signed: "Signé", Declined: "Refusé", NotYet: "Pas encore signé"},
			[]string{"Signé: 2", "Refusé: 1", "Pas encore signé: 1"}},
	} {
		m := Map{States: states, Legend: c.legend, Labels: c.labels}
		root, _ := parse(t, m)
		var texts []string
		for _, k := range root.Kids {
			if k.attr("class") == "legend" {
				for _, tx := range k.Kids {
					if tx.XMLName.Local == "text" {
						texts = append(texts, tx.Text)
					}
				}
			}
		}
		want := append(c.want, "Other land, not listed")
		if strings.Join(texts, "|") != strings.Join(want, "|") {
			t.Errorf("%s: legend %q, want %q", c.name, texts, want)
		}
		counts, err := m.Counts()
		if err != nil || len(counts) != len(c.want) {
			t.Fatalf("%s: counts %v, %v", c.name, counts, err)
		}
		for i, cnt := range counts {
			if got := cnt.Label + ": " + strconv.Itoa(cnt.N); got != c.want[i] {
				t.Errorf("%s: count %q, want %q", c.name, got, c.want[i])
			}
		}
		table, _ := m.Table()
		if len(table.Counts) != len(counts) || len(table.Rows) != len(states) {
			t.Errorf("%s: table has %d counts and %d rows", c.name, len(table.Counts), len(table.Rows))
		}
	}
}

// luminance is the relative luminance of a #rrggbb colour (WCAG 2.1).
func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func TestColours(t *testing.T) {
	solid := map[string]Status{}
	for _, st := range Statuses {
		s := styles[st]
		if c := contrast(s.fill, "#ffffff"); c < 3 {
			t.Errorf("%s: %s has %.2f:1 against the white page and boundaries, want 3:1", st, s.fill, c)
		}
		// Two statuses may share a colour only if a pattern tells them apart.
		if s.pattern == "" {
			if other, dup := solid[s.fill]; dup {
				t.Errorf("%s and %s: the same solid fill", st, other)
			}
			solid[s.fill] = st
		}
	}
	patterns := map[string]Status{}
	for _, st := range Statuses {
		p := styles[st].pattern
		if p == "" {
			continue
		}
		if other, dup := patterns[p]; dup {
			t.Errorf("%s and %s: the same pattern", st, other)
		}
		patterns[p] = st
	}
	if len(patterns) < 3 {
		t.Errorf("%d statuses have a pattern, want at least 3", len(patterns))
	}
}

func BenchmarkSVG(b *testing.B) {
	m := allMembers(b)
	svg, err := m.SVG()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.SVG(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(svg)), "svg-bytes")
}

// BenchmarkDecode measures what the first map pays once: decoding the
// embedded data, projecting it and writing every country's path.
func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if a := buildAtlas(); a.err != nil {
			b.Fatal(a.err)
		}
	}
}
