package meetings

import (
	"strconv"

	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/web"
)

// The wording of the speakers' queue's events (floor.<type>) on the
// record and the live pages.
func init() {
	num := func(p map[string]any) string {
		if n := web.Str(p, "number"); n != "" {
			return " in meeting " + n
		}
		return ""
	}
	// who: "Brazil (Ms X, in the room)", "the Internet Society hub
	// (from a remote hub)", "Ms Y (remotely)".
	who := func(p map[string]any) string {
		name, party := web.Str(p, "name"), web.Str(p, "party_name")
		where := ""
		switch floor.Origin(web.Str(p, "origin")) {
		case floor.Room:
			where = rules.InRoom.Label()
		case floor.Remote:
			where = rules.Remote.Label()
		case floor.Hub:
			where = "from a remote hub"
		}
		switch {
		case name == "" && party == "":
			return "the speaker"
		case party != "" && name != "":
			if where != "" {
				return party + " (" + name + ", " + where + ")"
			}
			return party + " (" + name + ")"
		case party != "":
			name = party
		}
		if where != "" {
			return name + " (" + where + ")"
		}
		return name
	}
	ev := func(p map[string]any) map[string]any {
		m, _ := p["event"].(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		return m
	}
	position := func(e map[string]any) string {
		n, _ := e["to"].(float64)
		return strconv.Itoa(int(n))
	}
	kind := func(p map[string]any) string {
		k := floor.Kind(web.Str(p, "kind"))
		if k == "" {
			if r, ok := ev(p)["request"].(map[string]any); ok {
				k = floor.Kind(web.Str(r, "kind"))
			}
		}
		return k.Label()
	}
	web.Describe("floor.configured", func(p map[string]any) string {
		return "The chair set the order of speakers" + num(p) + ": " + web.Str(p, "policy_text")
	})
	web.Describe("floor.item", func(p map[string]any) string {
		return "Item " + web.Str(p, "item_number") + " (" + web.Str(p, "item_title") + ") came under discussion" + num(p) + "; the list of speakers starts afresh."
	})
	web.Describe("floor.requested", func(p map[string]any) string {
		switch floor.Kind(web.Str(p, "kind")) {
		case floor.PointOfOrder:
			return "Point of order by " + who(p) + num(p) + "."
		case floor.Reply:
			return who(p) + " asked for a right of reply" + num(p) + "."
		case floor.Question:
			return who(p) + " asked to put a question to the speaker" + num(p) + "."
		}
		return who(p) + " asked for the floor" + num(p) + "."
	})
	web.Describe("floor.withdrawn", func(p map[string]any) string {
		return "The request of " + who(p) + " for the floor was withdrawn" + num(p) + "."
	})
	web.Describe("floor.moved", func(p map[string]any) string {
		return "The chair moved the request of " + who(p) + " to position " + position(ev(p)) + num(p) + ". Reason: " + web.Str(ev(p), "reason") + "."
	})
	web.Describe("floor.removed", func(p map[string]any) string {
		return "The chair removed the request of " + who(p) + " from the list of speakers" + num(p) + ". Reason: " + web.Str(ev(p), "reason") + "."
	})
	web.Describe("floor.closed", func(p map[string]any) string {
		return "The chair closed the list of speakers" + num(p) + ": only points of order and rights of reply are taken."
	})
	web.Describe("floor.reopened", func(p map[string]any) string {
		return "The chair reopened the list of speakers" + num(p) + "."
	})
	web.Describe("floor.given", func(p map[string]any) string {
		k := kind(p)
		if k == "" || k == floor.Speak.Label() {
			return "The chair gave the floor to " + who(p) + num(p) + "."
		}
		return "The chair gave the floor to " + who(p) + " for a " + k + num(p) + "."
	})
	web.Describe("floor.started", func(p map[string]any) string {
		return "The clock of " + who(p) + " started" + num(p) + "."
	})
	web.Describe("floor.paused", func(p map[string]any) string {
		return "The clock of " + who(p) + " was paused" + num(p) + "."
	})
	web.Describe("floor.resumed", func(p map[string]any) string {
		return "The clock of " + who(p) + " resumed" + num(p) + "."
	})
	web.Describe("floor.finished", func(p map[string]any) string {
		out := who(p) + " finished speaking" + num(p) + "."
		if r := web.Str(ev(p), "reason"); r != "" {
			out += " " + r + "."
		}
		return out
	})
	web.Describe("floor.ruled", func(p map[string]any) string {
		return "Point of order by " + who(p) + num(p) + "; ruling: " + web.Str(ev(p), "ruling")
	})
}
