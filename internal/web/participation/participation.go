// Package participation is the pages of the participation aggregate: the
// rules of participation, stakeholder groups, parties and delegations,
// registrations, the observer application, the approval queue and the
// officers and membership of bodies; the participation summary of a
// forum's overview; and the wording of participation events.
package participation

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/web"
)

//go:embed templates
var templateFS embed.FS

// pageTypes pairs each page template with the page struct its handlers
// render it with.
var pageTypes = map[string]any{
	"part_apply":        applyPage{},
	"part_approvals":    approvalsPage{},
	"part_body":         bodyPage{},
	"part_group_rules":  groupRulesPage{},
	"part_guest":        guestPage{},
	"part_mine":         myRegistrationsPage{},
	"part_names":        namesPage{},
	"part_participants": participantsPage{},
	"part_party":        partyPage{},
	"part_register":     registerPage{},
	"part_registration": registrationPage{},
	"part_rules":        rulesPage{},
	"part_rules_edit":   rulesEditPage{},
}

// handler serves the participation pages.
type handler struct {
	*web.Core
	svc *app.App
}

// Register adds the participation pages to the HTML face.
func Register(c *web.Core) {
	h := &handler{Core: c, svc: c.App()}
	c.Templates("participation", templateFS, pageTypes)
	c.Funcs(h.funcs())
	c.Part(web.SlotForumOverview, "forum-participation-summary")
	c.Tab(web.Tab{Order: 100, Section: "participants", Path: "/participants", Label: "Participants"})
	c.Tab(web.Tab{Order: 110, Section: "rules", Path: "/rules", Label: "Rules"})
	c.Tab(web.Tab{Order: 120, Section: "approvals", Path: "/approvals", Label: "Approvals", Shown: h.mayApprove})
	h.routes()
}

func init() { describeParticipation() }

// routes registers the pages of participation.
func (h *handler) routes() {
	h.Handle("GET /forums/{slug}/rules", h.showRules)
	h.Handle("GET /forums/{slug}/rules/edit", h.showRulesEdit)
	h.Handle("POST /forums/{slug}/rules/preset", h.choosePreset)
	h.Handle("POST /forums/{slug}/rules/conditions", h.changeConditions)
	h.Handle("GET /forums/{slug}/rules/groups/{group}", h.showGroupRules)
	h.Handle("POST /forums/{slug}/rules/groups/{group}", h.changeGroupRules)
	h.Handle("POST /forums/{slug}/participation/settings", h.updateParticipationSettings)
	h.Handle("POST /forums/{slug}/groups", h.addGroup)
	h.Handle("POST /forums/{slug}/groups/{group}", h.renameGroup)

	h.Handle("GET /forums/{slug}/participants", h.showParticipants)
	h.Handle("GET /forums/{slug}/participants/names", h.showParticipantNames)
	h.Handle("POST /forums/{slug}/parties", h.addParty)
	h.Handle("POST /forums/{slug}/parties/import", h.importParties)
	h.Handle("GET /forums/{slug}/parties/{code}", h.showParty)
	h.Handle("POST /forums/{slug}/parties/{code}", h.updateParty)
	h.Handle("POST /forums/{slug}/parties/{code}/merge", h.mergeParty)
	h.Handle("POST /forums/{slug}/parties/{code}/withdraw", h.withdrawParty)
	h.Handle("POST /forums/{slug}/parties/{code}/credentials", h.recordCredentials)
	h.Handle("POST /forums/{slug}/parties/{code}/focal-points", h.appointFocalPoint)
	h.Handle("POST /forums/{slug}/parties/{code}/focal-points/{user}/remove", h.removeFocalPoint)

	h.Handle("GET /forums/{slug}/apply", h.showApply)
	h.Handle("POST /forums/{slug}/apply", h.apply)
	h.Handle("GET /forums/{slug}/register", h.showRegister)
	h.Handle("POST /forums/{slug}/register", h.register)
	h.Handle("GET /forums/{slug}/guests/new", h.showInviteGuest)
	h.Handle("POST /forums/{slug}/guests", h.inviteGuest)
	h.Handle("GET /forums/{slug}/approvals", h.showApprovals)
	h.Handle("POST /forums/{slug}/registrations/{id}/approve", h.approveRegistration)
	h.Handle("POST /forums/{slug}/registrations/{id}/decline", h.declineRegistration)
	h.Handle("POST /forums/{slug}/registrations/{id}/withdraw", h.withdrawRegistration)
	h.Handle("GET /registrations", h.showMyRegistrations)
	h.Handle("GET /forums/{slug}/registrations/{id}", h.showRegistration)
	h.Handle("POST /forums/{slug}/registrations/{id}/offices", h.assignOffice)
	h.Handle("POST /forums/{slug}/registrations/{id}/offices/remove", h.removeOffice)
	h.Handle("POST /forums/{slug}/rules/offices", h.changeOfficeRules)

	h.Handle("GET /forums/{slug}/bodies/{body}", h.showBody)
	h.Handle("POST /forums/{slug}/bodies/{body}/officers", h.appointOfficer)
	h.Handle("POST /forums/{slug}/bodies/{body}/officers/{user}/remove", h.removeOfficer)
	h.Handle("POST /forums/{slug}/bodies/{body}/members", h.setBodyMembers)
}

// funcs are the template functions of the participation pages and of the
// participation summary, which appears on every forum's overview.
func (h *handler) funcs() template.FuncMap {
	return template.FuncMap{
		// partSummary is the participation summary of the forum overview.
		"partSummary": func(p web.Page, f *forum.Forum) *participation.ParticipationSummary {
			if f == nil {
				return nil
			}
			v, err := web.Kept(h.Core, f.ID, "summary", func() (*participation.ParticipationSummary, error) {
				c, cancel := web.ReadContext(p)
				defer cancel()
				s, err := h.svc.Participation.SummaryOf(c, h.svc.Kernel.ScopeOf(forum.Anonymous, *f))
				return &s, err
			})
			if err != nil {
				h.Log().Error("web: participation summary", "forum", f.Slug, "err", err)
				return nil
			}
			return v
		},
		"partRole":     func(r rules.Role) string { return r.Label() },
		"partMode":     func(m rules.Mode) string { return m.Label() },
		"partCred":     func(c rules.Credentials) string { return c.Label() },
		"partCapital":  web.UpperFirst,
		"partAction":   func(a rules.Action) string { return a.Label() },
		"partEnforced": func(a rules.Action) bool { return a.Enforced() },
		"partHas": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
	}
}

// mayApprove reports whether the actor decides on registrations in f (the
// approvals tab), kept until the forum's next ledger event since every
// forum page asks.
func (h *handler) mayApprove(r *http.Request, f forum.Forum, _ forum.Viewer) (bool, error) {
	a := forum.ActorFrom(r.Context())
	if !a.LoggedIn() {
		return false, nil
	}
	return web.Kept(h.Core, f.ID, "approvals|"+a.UserID, func() (bool, error) {
		return h.svc.Participation.MayApprove(r.Context(), h.Scope(r, f))
	})
}

// describeParticipation registers how participation events read in
// activity lists and on the record.
func describeParticipation() {
	web.Describe("rules.changed", func(p map[string]any) string {
		lines := partStrs(p, "lines")
		s := "The rules of participation changed"
		if during, _ := p["during_forum"].(bool); during {
			s += " during the forum"
		}
		if len(lines) > 0 {
			s += ": " + lines[0]
			if len(lines) > 1 {
				s += fmt.Sprintf(" (and %d more changes)", len(lines)-1)
			}
			return s
		}
		return s + "."
	})
	web.Describe("participation.settings_changed", func(p map[string]any) string {
		names, _ := p["names_public"].(bool)
		apps, _ := p["applications_open"].(bool)
		s := "Participants are now listed by count only"
		if names {
			s = "Participants' names are now public"
		}
		if apps {
			return s + "; the public may apply for observer status."
		}
		return s + "; applications for observer status are closed."
	})
	web.Describe("group.added", func(p map[string]any) string {
		s := "The stakeholder group " + web.Str(partSub(p, "group"), "plural") + " was added"
		if from := web.Str(p, "rights_from"); from != "" {
			return s + ", with the rights of " + rules.Groups(nil).Lookup(from).Plural + "."
		}
		if _, ok := p["rights_from"]; ok {
			return s + ", with no rights."
		}
		return s + "."
	})
	web.Describe("group.renamed", func(p map[string]any) string {
		return "The stakeholder group " + web.Str(p, "old_name") + " is now called " + web.Str(partSub(p, "group"), "name") + "."
	})
	web.Describe("party.added", func(p map[string]any) string { return "The party " + web.Str(p, "name") + " was added." })
	web.Describe("party.updated", func(p map[string]any) string {
		changes, _ := p["changes"].(map[string]any)
		fields := make([]string, 0, len(changes))
		for f := range changes {
			fields = append(fields, strings.ReplaceAll(f, "_", " "))
		}
		sort.Strings(fields)
		return "The party " + web.Str(p, "name") + " was corrected (" + strings.Join(fields, ", ") + ")" + partReason(p) + "."
	})
	web.Describe("party.merged", func(p map[string]any) string {
		return web.Str(p, "name") + " (" + web.Str(p, "code") + ") was merged into " + web.Str(p, "into_name") + " (" + web.Str(p, "into") + ")" + partReason(p) + "."
	})
	web.Describe("party.withdrawn", func(p map[string]any) string {
		return web.Str(p, "name") + " withdrew" + partReason(p) + "."
	})
	web.Describe("parties.imported", func(p map[string]any) string {
		n, _ := p["count"].(float64)
		return fmt.Sprintf("%d parties were added.", int(n))
	})
	web.Describe("credentials.recorded", func(p map[string]any) string {
		s := "The credentials of " + web.Str(p, "name") + " were recorded: " + rules.Credentials(web.Str(p, "state")).Label()
		if proxy := web.Str(p, "proxy"); proxy != "" {
			s += " (to " + proxy + ")"
		}
		return s + "."
	})
	web.Describe("focal_point.appointed", func(p map[string]any) string {
		return web.Str(p, "name") + " was appointed focal point of " + web.Str(p, "code") + "."
	})
	web.Describe("focal_point.removed", func(p map[string]any) string { return "A focal point of " + web.Str(p, "code") + " was removed." })
	for typ, verb := range map[string][2]string{
		"registration.submitted": {"registered as", ", waiting for approval"},
		"registration.approved":  {"was approved as", ""},
		"registration.declined":  {"was declined as", ""},
		"registration.withdrawn": {"withdrew, or was withdrawn, as", ""},
		"registration.invited":   {"was invited as", ""},
	} {
		verb := verb
		web.Describe(typ, func(p map[string]any) string {
			s := web.Str(p, "name") + " " + verb[0] + " " + rolesText(p)
			if pn := web.Str(p, "party_name"); pn != "" {
				s += " of " + pn
			}
			return s + verb[1] + "."
		})
	}
	web.Describe("registration.office_assigned", func(p map[string]any) string {
		return web.Str(p, "name") + " was given the office of " + rules.Role(web.Str(p, "office")).Label() + " beside the role of " +
			rules.Role(web.Str(p, "role")).Label() + partReason(p) + "."
	})
	web.Describe("registration.office_removed", func(p map[string]any) string {
		return web.Str(p, "name") + " no longer holds the office of " + rules.Role(web.Str(p, "office")).Label() + partReason(p) + "."
	})
	web.Describe("participants.changed", describeParticipantsChanged)
	web.Describe("body.officer_appointed", func(p map[string]any) string {
		return web.Str(p, "name") + " was appointed " + strings.ToLower(forum.Label(participation.BodyOffices, web.Str(p, "office"))) + " of " + web.Str(p, "body") + "."
	})
	web.Describe("body.officer_removed", func(p map[string]any) string { return "An officer of " + web.Str(p, "body") + " stood down." })
	web.Describe("body.membership_changed", func(p map[string]any) string {
		if open, _ := p["open"].(bool); open {
			return web.Str(p, "body") + " is open to every participant."
		}
		return fmt.Sprintf("%s is limited to %s.", web.Str(p, "body"), strings.Join(partStrs(p, "parties"), ", "))
	})
}

// describeParticipantsChanged reads a public participants.changed event:
// who joined or left (names only when published), with the new counts.
func describeParticipantsChanged(p map[string]any) string {
	entries, _ := p["entries"].([]any)
	change := "joined"
	if web.Str(p, "change") == "left" {
		change = "left"
	}
	var who []string
	for _, e := range entries {
		m, _ := e.(map[string]any)
		s := rolesText(m)
		if pn := web.Str(m, "party_name"); pn != "" {
			s += " of " + pn
		}
		if n := web.Str(m, "name"); n != "" {
			s = n + ", " + s
		} else {
			s = indefinite(s) + " " + s
		}
		if g, ok := m["grants"].([]any); ok {
			s += " (rights: " + grantsText(g) + ")"
		}
		who = append(who, s)
	}
	counts, _ := p["group_counts"].(map[string]any)
	var cs []string
	for g, n := range counts {
		f, _ := n.(float64)
		cs = append(cs, fmt.Sprintf("%s: %d", rules.Groups(nil).Lookup(g).Plural, int(f)))
	}
	sort.Strings(cs)
	s := ""
	switch {
	case len(who) == 1:
		s = web.UpperFirst(who[0]) + " " + change
	default:
		s = fmt.Sprintf("%d participants %s", len(who), change)
	}
	if len(cs) > 0 {
		s += " (" + strings.Join(cs, "; ") + ")"
	}
	return s + "."
}

// rolesText is an event's role with the offices held beside it, in words:
// "chair and editor".
func rolesText(p map[string]any) string {
	names := []string{rules.Role(web.Str(p, "role")).Label()}
	for _, o := range partStrs(p, "offices") {
		names = append(names, rules.Role(o).Label())
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func grantsText(g []any) string {
	if len(g) == 0 {
		return "none beyond attending"
	}
	var out []string
	for _, a := range g {
		s, _ := a.(string)
		out = append(out, rules.Action(s).Label())
	}
	return strings.Join(out, ", ")
}

// partReason is an event's reason, as the end of a sentence.
func partReason(p map[string]any) string {
	if r := web.Str(p, "reason"); r != "" {
		return ": " + strings.TrimRight(r, ".")
	}
	return ""
}

func partSub(p map[string]any, k string) map[string]any {
	m, _ := p[k].(map[string]any)
	return m
}

func partStrs(p map[string]any, k string) []string {
	l, _ := p[k].([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// indefinite returns the English indefinite article for a noun phrase.
func indefinite(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an"
	}
	return "a"
}
