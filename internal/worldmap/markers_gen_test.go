package worldmap

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// TestGenerateMarkers writes data/markers.csv from world-atlas'
// countries-50m.json, with countries-10m.json for the countries 1:50m
// leaves out, when PLENARY_WORLD_ATLAS names the directory of the unpacked
// world-atlas package (npm pack world-atlas@2.0.2; tar xzf; the package/
// directory). Each ISO country's marker is the centroid of its largest
// polygon. Without the variable the test checks that the file it would
// write is well formed.
func TestGenerateMarkers(t *testing.T) {
	dir := os.Getenv("PLENARY_WORLD_ATLAS")
	if dir == "" {
		rows, err := csv.NewReader(bytes.NewReader(markersCSV)).ReadAll()
		if err != nil || len(rows) < 2 || len(rows[0]) != 4 || rows[0][0] != "alpha3" {
			t.Fatalf("data/markers.csv is not a markers table: %v", err)
		}
		return
	}
	alpha3, err := readNumeric()
	if err != nil {
		t.Fatal(err)
	}
	type marker struct {
		code, source string
		at           point
	}
	found := map[string]marker{}
	for _, file := range []string{"countries-50m.json", "countries-10m.json"} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		fs, err := decodeTopology(data, "countries")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			code := alpha3[f.id]
			if code == "" || f.id == antarctica {
				continue
			}
			if _, ok := found[code]; ok {
				continue
			}
			var best ring
			var bestArea float64
			for _, p := range f.polygons {
				if a := math.Abs(ringArea(unwrap(p[0]))); a > bestArea || best == nil {
					best, bestArea = p[0], a
				}
			}
			if best == nil {
				continue
			}
			c := ringCentroid(unwrap(best))
			c.lon = math.Remainder(c.lon, 360)
			found[code] = marker{code, file, c}
		}
	}
	codes := make([]string, 0, len(found))
	for c := range found {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"alpha3", "lon", "lat", "source"})
	for _, c := range codes {
		m := found[c]
		w.Write([]string{c, strconv.FormatFloat(m.at.lon, 'f', 2, 64), strconv.FormatFloat(m.at.lat, 'f', 2, 64), "world-atlas 2.0.2 " + m.source})
	}
	w.Flush()
	if err := os.WriteFile(filepath.Join("data", "markers.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d markers", len(codes))
}

// ringArea is a ring's signed area in square degrees (shoelace).
func ringArea(r ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i].lon*r[i+1].lat - r[i+1].lon*r[i].lat
	}
	return a / 2
}

// ringCentroid is the centroid of a ring's area in degrees, or the mean of
// its points when the ring has no area.
func ringCentroid(r ring) point {
	a := ringArea(r)
	if math.Abs(a) < 1e-12 {
		var c point
		for _, p := range r {
			c.lon += p.lon / float64(len(r))
			c.lat += p.lat / float64(len(r))
		}
		return c
	}
	var cx, cy float64
	for i := 0; i+1 < len(r); i++ {
		f := r[i].lon*r[i+1].lat - r[i+1].lon*r[i].lat
		cx += (r[i].lon + r[i+1].lon) * f
		cy += (r[i].lat + r[i+1].lat) * f
	}
	return point{cx / (6 * a), cy / (6 * a)}
}
