// Package decisions is the decisions' face in the HTML site: a forum's
// decisions, a decision's page with everything on it and its forms, the
// chair's form to open one in a meeting, and the wording of the
// decisions' events on the record.
package decisions

import (
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/web"
)

// what names a decision for a sentence: its kind's label and title. A
// straw poll's label says it is indicative and not binding.
func what(p map[string]any) string {
	return decide.Kind(web.Str(p, "kind")).Label() + " “" + web.Str(p, "title") + "”"
}

func init() {
	web.Describe("decision.opened", func(p map[string]any) string { return what(p) + " was opened in meeting " + web.Str(p, "number") + "." })
	web.Describe("decision.objected", func(p map[string]any) string {
		return web.Str(p, "party_name") + " objected to consensus on “" + web.Str(p, "title") + "”: " + web.Str(p, "reason")
	})
	web.Describe("decision.objection_withdrawn", func(p map[string]any) string {
		return web.Str(p, "party_name") + " withdrew its objection to consensus on “" + web.Str(p, "title") + "”."
	})
	web.Describe("decision.closed", func(p map[string]any) string {
		if f := decide.Finding(web.Str(p, "finding")); f != "" {
			return what(p) + " was closed: " + f.Label() + "."
		}
		return what(p) + " was closed: the silence was kept."
	})
	web.Describe("decision.explained", func(p map[string]any) string {
		return web.Str(p, "party_name") + " filed an explanation of position on “" + web.Str(p, "title") + "”."
	})
	web.Describe("decision.poll_counted", func(p map[string]any) string { return "The counts of " + what(p) + " were entered." })
	web.Describe("decision.poll_answered", func(p map[string]any) string { return "A participant answered " + what(p) + "." })
	web.Describe("decision.poll_closed", func(p map[string]any) string { return what(p) + " was closed. " + decide.StrawNotice })
	web.Describe("decision.tally_entered", func(p map[string]any) string { return "The tally of " + what(p) + " was entered." })
	web.Describe("decision.ballot_cast", func(p map[string]any) string {
		return web.Str(p, "party_name") + " voted in " + what(p) + "."
	})
	web.Describe("decision.vote_closed", func(p map[string]any) string { return what(p) + " was closed and its result recorded." })
	web.Describe("decision.package_created", func(p map[string]any) string {
		return "The package “" + web.Str(p, "name") + "” was formed: nothing in it is agreed until it is decided."
	})
	web.Describe("decision.package_decided", func(p map[string]any) string {
		return "The package “" + web.Str(p, "name") + "” was decided: " + decide.Outcome(web.Str(p, "outcome")).Label() + "."
	})
	web.Describe("decision.draft_reopened", func(p map[string]any) string {
		return web.Str(p, "draft_number") + " was reopened to proposals by the chair: " + web.Str(p, "reason")
	})
}
