// Package chart draws horizontal bar charts as SVG on the server, for pages
// that must read without JavaScript: speaking time and turns per
// stakeholder group, per party, in the room and remote.
//
// Bars returns the SVG: an img with a title and a description, each bar a
// group with its own title (label and value), and every label and value
// written as text in the markup, so screen readers, text browsers and
// print see the numbers. Colours keep a contrast of at least 3:1 against
// white and never carry meaning alone: with several series each value is
// written with its series' name, and a legend names the colours. Sizes are
// in viewBox units, so the chart scales to any width down to a 375 px
// screen. Table returns the same data as a table, which pages render
// beside the chart.
//
// The package is pure: no I/O, and the same chart gives the same bytes.
package chart
