// Package consultation is the public consultation's face in the HTML site:
// a forum's comment periods, a period's page with its comments by
// provision in the order of the text (and those on the text as a whole and
// on what is missing), each numbered (C-12) with its commenter's declared
// group and organisation and its disposition or "unanswered"; the comment
// form on a provision, on words in one, on the whole text and for missing
// text; a comment's page; the secretariat's forms (open, close and extend
// a period, hide and unhide a comment, give a comment or a whole campaign
// a disposition); the campaigns of near-identical comments, with the signs
// of fabrication for the secretariat alone; the disposition table of a
// revision (HTML, CSV and JSON); its parts of the drafting pages (the
// comment links beside each provision, the unanswered count on the
// revision form, the dispositions in a provision's drafting log); and the
// wording of the consultation.* events on the record.
package consultation

import (
	"strconv"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/web"
)

// period names a comment period for a sentence.
func period(p map[string]any) string { return "the comment period “" + web.Str(p, "title") + "”" }

// comment names a comment by its number, C-12.
func comment(p map[string]any) string {
	if ref := web.Str(p, "number"); ref != "" {
		return "comment " + ref
	}
	return "a comment"
}

// statement names a statement of an opinion map by its number, S-3.
func statement(p map[string]any) string {
	if ref := web.Str(p, "number"); ref != "" {
		return "statement " + ref
	}
	return "a statement"
}

// declaredGroup names a declared stakeholder group: a standard group's
// name, or the key of a forum's own.
func declaredGroup(key string) string {
	for _, g := range consultation.StandardGroups() {
		if g.Value == key {
			return g.Label
		}
	}
	return key
}

// count words a number of things: "1 vote", "12 votes".
func count(p map[string]any, key, one, many string) string {
	n, _ := p[key].(float64)
	if int(n) == 1 {
		return "1 " + one
	}
	return strconv.Itoa(int(n)) + " " + many
}

func init() {
	web.Describe("consultation.period_opened", func(p map[string]any) string {
		s := "The secretariat opened " + period(p)
		if d := web.Str(p, "document"); d != "" {
			s += " on " + d
		}
		if r, _ := p["revision"].(float64); r > 0 {
			s += " (revision " + strconv.Itoa(int(r)) + ")"
		}
		if b, _ := p["public"].(bool); b {
			s += ", open to comment by anyone signed in"
		}
		return s + "."
	})
	web.Describe("consultation.period_closed", func(p map[string]any) string {
		return "The secretariat closed " + period(p) + " before its time."
	})
	web.Describe("consultation.period_extended", func(p map[string]any) string {
		return "The secretariat extended " + period(p) + ": " + web.Str(p, "reason")
	})
	web.Describe("consultation.comment_submitted", func(p map[string]any) string {
		s := web.UpperFirst(comment(p)) + " was submitted"
		if t := consultation.Target(web.Str(p, "target")); t != "" {
			s += " on " + t.Label()
		}
		return s + "."
	})
	web.Describe("consultation.comment_hidden", func(p map[string]any) string {
		return "The secretariat hid " + comment(p) + ": " + web.Str(p, "reason")
	})
	web.Describe("consultation.comment_unhidden", func(p map[string]any) string {
		return "The secretariat showed " + comment(p) + " again."
	})
	web.Describe("consultation.comment_disposed", func(p map[string]any) string {
		return "The secretariat answered " + comment(p) + ": " + consultation.Outcome(web.Str(p, "outcome")).Label() + "."
	})
	web.Describe("consultation.campaign_disposed", func(p map[string]any) string {
		s := "The secretariat answered the campaign"
		if ref := web.Str(p, "campaign"); ref != "" {
			s += " " + ref
		}
		return s + " as a whole: " + consultation.Outcome(web.Str(p, "outcome")).Label() + "."
	})

	// The opinion map.
	web.Describe("consultation.opinion_enabled", func(p map[string]any) string {
		return "The secretariat gave " + period(p) + " an opinion map."
	})
	web.Describe("consultation.statement_seeded", func(p map[string]any) string {
		return "The secretariat made " + statement(p) + " of the opinion map from a provision of the text."
	})
	web.Describe("consultation.statement_submitted", func(p map[string]any) string {
		s := "A participant"
		if g := web.Str(p, "group"); g != "" {
			s += " (" + declaredGroup(g) + ")"
		}
		return s + " submitted " + statement(p) + " to the opinion map, for moderation."
	})
	web.Describe("consultation.statement_accepted", func(p map[string]any) string {
		return "The secretariat opened " + statement(p) + " of the opinion map for votes."
	})
	web.Describe("consultation.statement_rejected", func(p map[string]any) string {
		return "The secretariat rejected " + statement(p) + " of the opinion map: " + web.Str(p, "reason")
	})
	web.Describe("consultation.voted", func(p map[string]any) string {
		s := "A participant voted on " + web.Str(p, "statement") + " of the opinion map"
		if v := consultation.VoteValue(web.Str(p, "vote")); v != "" {
			s += ": " + v.Label()
		}
		return s + "."
	})
	web.Describe("consultation.statements_imported", func(p map[string]any) string {
		return "The secretariat imported the statements of the conversation “" + web.Str(p, "source") + "” into an opinion map: " +
			count(p, "added", "new statement", "new statements") + ", " + count(p, "changed", "changed", "changed") + "."
	})
	web.Describe("consultation.votes_imported", func(p map[string]any) string {
		return "The secretariat imported " + count(p, "votes", "vote", "votes") + " of the conversation “" + web.Str(p, "source") +
			"” into an opinion map, from " + count(p, "new_voters", "new voter", "new voters") + "."
	})
}
