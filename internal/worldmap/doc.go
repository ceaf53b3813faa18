// Package worldmap draws a world map of states as SVG on the server, for
// pages that must read without JavaScript: which Member States signed a
// conference's final acts, which declined and which have not yet signed.
//
// The countries are Natural Earth's 1:110m Admin 0 shapes (public domain),
// as the world-atlas package ships them in TopoJSON, embedded and decoded
// once, on first use: the quantized, delta-encoded arcs are stitched into
// rings, projected with the Equal Earth projection, and written as path
// data rounded to a tenth of a unit, so that drawing a map is string
// concatenation. Antarctica is left out. States too small for 1:110m
// (Monaco, Tuvalu, Singapore, the island states of the Caribbean and the
// Pacific) are drawn as a dot where their largest island or territory
// lies, from world-atlas' 1:50m shapes (1:10m for Tuvalu), computed once
// into data/markers.csv (see data/README.md); a state whose shape is less
// than 3 units across gets the dot as well as the shape, so it can be seen
// and pointed at. Countries are keyed by ISO 3166-1 alpha-3 code.
//
// Map.SVG returns the SVG: a group with a title and a description; each
// state exactly one element (a link to its row when it has one, otherwise
// an image) with its name and status as its title and accessible name, its
// code in data-state and its status as class; and a legend with the count
// of each status, written as text. Each status has a fill of at least 3:1
// against the white page and, but for "signed" and "no data", a pattern of
// white marks, so colour never carries the status alone; states are parted
// by white boundaries, which contrast by at least 3:1 with every fill.
// Land of no state listed is light grey and hidden from assistive
// technology. Map.Table gives the same states and counts as a table, which
// pages render beside the map. Bad input (an unknown code, a code given
// twice, an empty name, an unknown status, an unsafe link) is an error
// naming the state and the field.
//
// The package is pure: no I/O, and the same map gives the same bytes.
package worldmap
