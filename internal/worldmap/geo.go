package worldmap

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Natural Earth's 1:110m Admin 0 countries, version 4.1.0, as world-atlas
// 2.0.2 ships them (public domain; see data/README.md).
//
//go:embed data/countries-110m.json
var countries110m []byte

// ISO 3166-1 numeric codes and their alpha-3 codes, from the
// datasets/country-codes project (public domain; see data/README.md).
//
//go:embed data/iso-numeric.csv
var isoNumericCSV []byte

// A point for each country and territory, where a marker stands for the
// states too small for the 1:110m shapes (see data/README.md).
//
//go:embed data/markers.csv
var markersCSV []byte

// Geometry of the map, in viewBox units: the projected world is width
// wide; the legend is drawn below it.
const (
	width  = 800.0
	margin = 4.0
)

// Equal Earth projection (Šavrič, Patterson and Jenny, 2018), on the unit
// sphere: x in [-xMax, xMax], y in [-yMax, yMax], north up.
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

var eeM = math.Sqrt(3) / 2

func equalEarth(lon, lat float64) (x, y float64) {
	l := lon * math.Pi / 180
	p := lat * math.Pi / 180
	t := math.Asin(eeM * math.Sin(p))
	t2 := t * t
	t6 := t2 * t2 * t2
	x = l * math.Cos(t) / (eeM * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y = t * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}

// xMax is the projected half-width of the world (longitude 180 on the
// equator); scale maps projected units to viewBox units.
var (
	xMax, _ = equalEarth(180, 0)
	scale   = width / (2 * xMax)
)

// project gives a point's position in viewBox units, in tenths, before
// the map is cropped to its land (see atlas.top).
func project(p point) (x, y int) {
	px, py := equalEarth(p.lon, p.lat)
	return int(math.Round((px + xMax) * scale * 10)), int(math.Round(-py * scale * 10))
}

// shape is a country drawn: its path, its box in tenths, and the centre of
// its box (where a marker stands when the shape is too small to find).
type shape struct {
	d                      string
	minX, minY, maxX, maxY int
}

// atlas is the map's geometry, decoded and projected once.
type atlas struct {
	shapes  map[string]*shape // by ISO alpha-3
	order   []string          // the codes of shapes, sorted
	markers map[string][2]int // by ISO alpha-3, in tenths
	land    string            // the path of the land of no ISO code
	top     int               // the top of the map, in tenths
	bottom  int               // the bottom, in tenths
	rings   map[string]int    // rings drawn per alpha-3 (for tests)
	err     error
}

var (
	atlasOnce sync.Once
	theAtlas  atlas
)

// loadAtlas decodes the embedded data once.
func loadAtlas() *atlas {
	atlasOnce.Do(func() { theAtlas = buildAtlas() })
	return &theAtlas
}

// Natural Earth units without an ISO code in world-atlas: Northern Cyprus
// and Somaliland are drawn as parts of Cyprus and Somalia, as the United
// Nations' maps show them; Kosovo is drawn as land of no state listed.
var unitsWithoutCode = map[string]string{"N. Cyprus": "CYP", "Somaliland": "SOM"}

// antarctica is dropped: no state, and it would take a fifth of the map.
const antarctica = "010"

func buildAtlas() atlas {
	a := atlas{shapes: map[string]*shape{}, markers: map[string][2]int{}, rings: map[string]int{}}
	alpha3, err := readNumeric()
	if err != nil {
		a.err = err
		return a
	}
	fs, err := decodeTopology(countries110m, "countries")
	if err != nil {
		a.err = err
		return a
	}
	paths := map[string]*strings.Builder{}
	var land strings.Builder
	a.top, a.bottom = math.MaxInt, math.MinInt
	for _, f := range fs {
		if f.id == antarctica {
			continue
		}
		code := alpha3[f.id]
		if f.id == "" {
			code = unitsWithoutCode[f.name]
		}
		var b *strings.Builder
		var s *shape
		if code == "" {
			b = &land
			s = &shape{}
		} else {
			b = paths[code]
			if b == nil {
				b = &strings.Builder{}
				paths[code] = b
				a.shapes[code] = &shape{minX: math.MaxInt, minY: math.MaxInt, maxX: math.MinInt, maxY: math.MinInt}
			}
			s = a.shapes[code]
		}
		for _, poly := range f.polygons {
			for _, r := range poly {
				for _, piece := range cut(r) {
					if writeRing(b, piece, s) && code != "" {
						a.rings[code]++
					}
				}
			}
		}
		if s.minY < a.top {
			a.top = s.minY
		}
		if s.maxY > a.bottom {
			a.bottom = s.maxY
		}
	}
	for code, b := range paths {
		if b.Len() == 0 {
			delete(a.shapes, code) // every ring fell below a tenth of a unit
			continue
		}
		a.shapes[code].d = b.String()
		a.order = append(a.order, code)
	}
	sort.Strings(a.order)
	a.land = land.String()
	if err := readMarkers(a.markers); err != nil {
		a.err = err
		return a
	}
	a.top -= margin * 10
	a.bottom += margin * 10
	return a
}

// cut splits a ring at the antimeridian. Natural Earth's 1:110m rings of
// Russia and Fiji cross it, going on from 180 to -177, and quantization
// writes some points of the line at 180 as -180: a flat map would join
// them by lines across the world. The ring is made continuous (each point
// moved by 360 degrees when it is more than 180 from the one before), and
// what lies beyond ±180 is clipped off and moved back to the other side.
func cut(r ring) []ring {
	u := unwrap(r)
	lo, hi := 0.0, 0.0
	for _, p := range u {
		lo, hi = math.Min(lo, p.lon), math.Max(hi, p.lon)
	}
	switch {
	case hi > 180+1e-6:
		return pieces(clip(u, 180, true), shift(clip(u, 180, false), -360))
	case lo < -180-1e-6:
		return pieces(clip(u, -180, false), shift(clip(u, -180, true), 360))
	}
	return []ring{u}
}

// unwrap makes a ring continuous across the antimeridian.
func unwrap(r ring) ring {
	out := make(ring, len(r))
	move := 0.0
	for i, p := range r {
		if i > 0 {
			switch d := p.lon - r[i-1].lon; {
			case d > 180:
				move -= 360
			case d < -180:
				move += 360
			}
		}
		out[i] = point{p.lon + move, p.lat}
	}
	return out
}

// clip keeps the part of a closed ring west of longitude c (east when
// west is false), the Sutherland–Hodgman way: the ring's edges that cross
// c end where they cross it.
func clip(r ring, c float64, west bool) ring {
	in := func(p point) bool { return p.lon <= c == west || p.lon == c }
	var out ring
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if in(a) {
			out = append(out, a)
		}
		if in(a) != in(b) {
			t := (c - a.lon) / (b.lon - a.lon)
			out = append(out, point{c, a.lat + t*(b.lat-a.lat)})
		}
	}
	if len(out) > 0 {
		out = append(out, out[0])
	}
	return out
}

func shift(r ring, by float64) ring {
	for i := range r {
		r[i].lon += by
	}
	return r
}

func pieces(rs ...ring) []ring {
	var out []ring
	for _, r := range rs {
		if len(r) >= 4 {
			out = append(out, r)
		}
	}
	return out
}

// writeRing writes a ring as path data, in tenths of a unit: an absolute
// move, then relative lines, with points that round to the one before
// left out, closed with z. It grows s's box and reports whether the ring
// was written (a ring of fewer than three distinct points is not).
func writeRing(b *strings.Builder, r ring, s *shape) bool {
	pts := make([][2]int, 0, len(r))
	for _, p := range r {
		x, y := project(p)
		if n := len(pts); n > 0 && pts[n-1] == [2]int{x, y} {
			continue
		}
		pts = append(pts, [2]int{x, y})
	}
	if n := len(pts); n > 1 && pts[n-1] == pts[0] {
		pts = pts[:n-1]
	}
	if len(pts) < 3 {
		return false
	}
	for i, p := range pts {
		if i == 0 {
			b.WriteByte('M')
			writeTenths(b, p[0], false)
			writeTenths(b, p[1], true)
			b.WriteByte('l')
		} else {
			writeTenths(b, p[0]-pts[i-1][0], i > 1)
			writeTenths(b, p[1]-pts[i-1][1], true)
		}
		s.minX, s.maxX = min(s.minX, p[0]), max(s.maxX, p[0])
		s.minY, s.maxY = min(s.minY, p[1]), max(s.maxY, p[1])
	}
	b.WriteByte('z')
	return true
}

// writeTenths writes n tenths as a number of path data, short: "12.3",
// ".5", "-2"; sep puts a space before it unless its minus sign separates
// it.
func writeTenths(b *strings.Builder, n int, sep bool) {
	if n < 0 {
		b.WriteByte('-')
		n = -n
	} else if sep {
		b.WriteByte(' ')
	}
	if n >= 10 || n == 0 {
		b.WriteString(strconv.Itoa(n / 10))
	}
	if n%10 != 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + n%10))
	}
}

// tenths writes n tenths as a number ("12.3", "-0.5", "4").
func tenths(n int) string {
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
		n = -n
	}
	b.WriteString(strconv.Itoa(n / 10))
	if n%10 != 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + n%10))
	}
	return b.String()
}

func readNumeric() (map[string]string, error) {
	rows, err := csv.NewReader(bytes.NewReader(isoNumericCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("iso-numeric.csv: %w", err)
	}
	m := make(map[string]string, len(rows))
	for i, r := range rows {
		if i == 0 {
			continue
		}
		if len(r) != 2 || len(r[0]) != 3 || len(r[1]) != 3 {
			return nil, fmt.Errorf("iso-numeric.csv: line %d: want a 3-digit numeric code and an alpha-3 code", i+1)
		}
		m[r[0]] = r[1]
	}
	return m, nil
}

func readMarkers(into map[string][2]int) error {
	rows, err := csv.NewReader(bytes.NewReader(markersCSV)).ReadAll()
	if err != nil {
		return fmt.Errorf("markers.csv: %w", err)
	}
	for i, r := range rows {
		if i == 0 {
			continue
		}
		if len(r) != 4 {
			return fmt.Errorf("markers.csv: line %d: want alpha3, lon, lat, source", i+1)
		}
		lon, err1 := strconv.ParseFloat(r[1], 64)
		lat, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return fmt.Errorf("markers.csv: line %d: longitude and latitude must be degrees", i+1)
		}
		x, y := project(point{lon, lat})
		into[r[0]] = [2]int{x, y}
	}
	return nil
}
