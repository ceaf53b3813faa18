package worldmap

import (
	"encoding/json"
	"fmt"
)

// topology is a TopoJSON document, as far as the map reads it: the arcs,
// their quantization transform, and the named geometry collections
// (https://github.com/topojson/topojson-specification).
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][]float64 `json:"arcs"`
	Objects map[string]struct {
		Type       string         `json:"type"`
		Geometries []topoGeometry `json:"geometries"`
	} `json:"objects"`
}

// topoGeometry is one geometry of a collection: a Polygon (arcs are rings
// of arc indexes), a MultiPolygon (polygons of rings), or another type the
// map ignores.
type topoGeometry struct {
	Type       string                `json:"type"`
	ID         string                `json:"id"`
	Properties struct{ Name string } `json:"properties"`
	Arcs       json.RawMessage       `json:"arcs"`
}

// point is a longitude and latitude in degrees.
type point struct{ lon, lat float64 }

// ring is a closed ring of points, the last equal to the first.
type ring []point

// feature is a decoded country: its ISO numeric id ("250"; empty for the
// few Natural Earth units that have none), its Natural Earth name and its
// polygons, each an outer ring followed by its holes.
type feature struct {
	id, name string
	polygons [][]ring
}

// decodeTopology decodes the geometry collection object of a TopoJSON
// document: the arcs are delta-decoded and scaled by the transform when
// the topology is quantized, and each ring is stitched from its arcs, a
// negative index ^i standing for arc i reversed.
func decodeTopology(data []byte, object string) ([]feature, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type is %q, not Topology", t.Type)
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("topojson: no object %q", object)
	}
	arcs := make([][]point, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([]point, len(a))
		var x, y float64
		for j, p := range a {
			if len(p) < 2 {
				return nil, fmt.Errorf("topojson: arc %d, position %d: fewer than two coordinates", i, j)
			}
			if t.Transform != nil {
				x += p[0]
				y += p[1]
				pts[j] = point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[j] = point{p[0], p[1]}
			}
		}
		arcs[i] = pts
	}
	stitch := func(idx []int) (ring, error) {
		var r ring
		for k, i := range idx {
			reversed := i < 0
			if reversed {
				i = ^i
			}
			if i >= len(arcs) {
				return nil, fmt.Errorf("topojson: arc index %d out of range (%d arcs)", i, len(arcs))
			}
			a := arcs[i]
			for j := range a {
				p := a[j]
				if reversed {
					p = a[len(a)-1-j]
				}
				if k > 0 && j == 0 {
					continue // the first point of each later arc repeats the last of the one before
				}
				r = append(r, p)
			}
		}
		return r, nil
	}
	polygon := func(rings [][]int) ([]ring, error) {
		out := make([]ring, 0, len(rings))
		for _, idx := range rings {
			r, err := stitch(idx)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	var fs []feature
	for _, g := range obj.Geometries {
		f := feature{id: g.ID, name: g.Properties.Name}
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("topojson: %s: %w", g.Properties.Name, err)
			}
			p, err := polygon(rings)
			if err != nil {
				return nil, err
			}
			f.polygons = [][]ring{p}
		case "MultiPolygon":
			var polys [][][]int
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("topojson: %s: %w", g.Properties.Name, err)
			}
			for _, rings := range polys {
				p, err := polygon(rings)
				if err != nil {
					return nil, err
				}
				f.polygons = append(f.polygons, p)
			}
		default:
			continue // null geometries, points and lines are not countries
		}
		fs = append(fs, f)
	}
	return fs, nil
}
