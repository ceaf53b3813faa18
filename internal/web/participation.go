package web

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// participationRoutes registers the pages of participation: the rules of
// participation, stakeholder groups, parties and delegations,
// registrations, the observer application, the approval queue and the
// officers and membership of bodies.
func (h *Handler) participationRoutes() {
	h.handle("GET /forums/{slug}/rules", h.showRules)
	h.handle("GET /forums/{slug}/rules/edit", h.showRulesEdit)
	h.handle("POST /forums/{slug}/rules/preset", h.choosePreset)
	h.handle("POST /forums/{slug}/rules/conditions", h.changeConditions)
	h.handle("GET /forums/{slug}/rules/groups/{group}", h.showGroupRules)
	h.handle("POST /forums/{slug}/rules/groups/{group}", h.changeGroupRules)
	h.handle("POST /forums/{slug}/participation/settings", h.updateParticipationSettings)
	h.handle("POST /forums/{slug}/groups", h.addGroup)
	h.handle("POST /forums/{slug}/groups/{group}", h.renameGroup)

	h.handle("GET /forums/{slug}/participants", h.showParticipants)
	h.handle("GET /forums/{slug}/participants/names", h.showParticipantNames)
	h.handle("POST /forums/{slug}/parties", h.addParty)
	h.handle("POST /forums/{slug}/parties/import", h.importParties)
	h.handle("GET /forums/{slug}/parties/{code}", h.showParty)
	h.handle("POST /forums/{slug}/parties/{code}", h.updateParty)
	h.handle("POST /forums/{slug}/parties/{code}/merge", h.mergeParty)
	h.handle("POST /forums/{slug}/parties/{code}/withdraw", h.withdrawParty)
	h.handle("POST /forums/{slug}/parties/{code}/credentials", h.recordCredentials)
	h.handle("POST /forums/{slug}/parties/{code}/focal-points", h.appointFocalPoint)
	h.handle("POST /forums/{slug}/parties/{code}/focal-points/{user}/remove", h.removeFocalPoint)

	h.handle("GET /forums/{slug}/apply", h.showApply)
	h.handle("POST /forums/{slug}/apply", h.apply)
	h.handle("GET /forums/{slug}/register", h.showRegister)
	h.handle("POST /forums/{slug}/register", h.register)
	h.handle("GET /forums/{slug}/guests/new", h.showInviteGuest)
	h.handle("POST /forums/{slug}/guests", h.inviteGuest)
	h.handle("GET /forums/{slug}/approvals", h.showApprovals)
	h.handle("POST /forums/{slug}/registrations/{id}/approve", h.approveRegistration)
	h.handle("POST /forums/{slug}/registrations/{id}/decline", h.declineRegistration)
	h.handle("POST /forums/{slug}/registrations/{id}/withdraw", h.withdrawRegistration)
	h.handle("GET /registrations", h.showMyRegistrations)

	h.handle("GET /forums/{slug}/bodies/{body}", h.showBody)
	h.handle("POST /forums/{slug}/bodies/{body}/officers", h.appointOfficer)
	h.handle("POST /forums/{slug}/bodies/{body}/officers/{user}/remove", h.removeOfficer)
	h.handle("POST /forums/{slug}/bodies/{body}/members", h.setBodyMembers)
}

func init() {
	funcHooks = append(funcHooks, participationFuncs)
	describeParticipation()
}

// participationFuncs are the template functions of the participation
// partials, which appear on every forum page.
func participationFuncs(h *Handler) template.FuncMap {
	return template.FuncMap{
		// partSummary is the participation summary of the forum overview.
		"partSummary": func(p page, f *forum.Forum) *participation.ParticipationSummary {
			if f == nil {
				return nil
			}
			v, err := kept(h, f.ID, "summary", func() (*participation.ParticipationSummary, error) {
				c, cancel := readContext(p)
				defer cancel()
				s, err := h.svc.Participation.SummaryOf(c, h.svc.Kernel.ScopeOf(forum.Anonymous, *f))
				return &s, err
			})
			if err != nil {
				h.log.Error("web: participation summary", "forum", f.Slug, "err", err)
				return nil
			}
			return v
		},
		"partRole":    func(r rules.Role) string { return r.Label() },
		"partMode":    func(m rules.Mode) string { return m.Label() },
		"partCred":    func(c rules.Credentials) string { return c.Label() },
		"partCapital": partCapital,
		"partLower":   strings.ToLower,
		"partAction":  func(a rules.Action) string { return a.Label() },
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

// setFormErrors puts the field errors of a refused form on a page.
func (b *Base) setFormErrors(errs map[string]string, problem string) {
	b.Errors, b.Problem = errs, problem
}

// refuseForm answers a refused form: when err is about the input, it
// renders the page afresh (load) with what was sent put back (fill, may be
// nil) and the field errors, as 422; any other error is returned.
func refuseForm[P any, PP interface {
	*P
	setFormErrors(map[string]string, string)
}](h *Handler, w http.ResponseWriter, r *http.Request, err error, name string, load func(*http.Request) (P, error), fill func(PP)) error {
	errs, problem, ok := fieldErrors(err)
	if !ok {
		return err
	}
	p, perr := load(r)
	if perr != nil {
		return perr
	}
	if fill != nil {
		fill(&p)
	}
	PP(&p).setFormErrors(errs, problem)
	h.render(w, r, http.StatusUnprocessableEntity, name, p)
	return nil
}

// partBase is forumBase for the participation pages.
func (h *Handler) partBase(r *http.Request, title, section string) (Base, forum.Forum, forum.Viewer, error) {
	return h.forumBase(r, title, section)
}

// describeParticipation registers how participation events read in
// activity lists and on the record.
func describeParticipation() {
	Describe("rules.changed", func(p map[string]any) string {
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
	Describe("participation.settings_changed", func(p map[string]any) string {
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
	Describe("group.added", func(p map[string]any) string {
		s := "The stakeholder group " + str(partSub(p, "group"), "plural") + " was added"
		if from := str(p, "rights_from"); from != "" {
			return s + ", with the rights of " + rules.Groups(nil).Lookup(from).Plural + "."
		}
		if _, ok := p["rights_from"]; ok {
			return s + ", with no rights."
		}
		return s + "."
	})
	Describe("group.renamed", func(p map[string]any) string {
		return "The stakeholder group " + str(p, "old_name") + " is now called " + str(partSub(p, "group"), "name") + "."
	})
	Describe("party.added", func(p map[string]any) string { return "The party " + str(p, "name") + " was added." })
	Describe("party.updated", func(p map[string]any) string {
		changes, _ := p["changes"].(map[string]any)
		fields := make([]string, 0, len(changes))
		for f := range changes {
			fields = append(fields, strings.ReplaceAll(f, "_", " "))
		}
		sort.Strings(fields)
		return "The party " + str(p, "name") + " was corrected (" + strings.Join(fields, ", ") + ")" + partReason(p) + "."
	})
	Describe("party.merged", func(p map[string]any) string {
		return str(p, "name") + " (" + str(p, "code") + ") was merged into " + str(p, "into_name") + " (" + str(p, "into") + ")" + partReason(p) + "."
	})
	Describe("party.withdrawn", func(p map[string]any) string {
		return str(p, "name") + " withdrew" + partReason(p) + "."
	})
	Describe("parties.imported", func(p map[string]any) string {
		n, _ := p["count"].(float64)
		return fmt.Sprintf("%d parties were added.", int(n))
	})
	Describe("credentials.recorded", func(p map[string]any) string {
		s := "The credentials of " + str(p, "name") + " were recorded: " + rules.Credentials(str(p, "state")).Label()
		if proxy := str(p, "proxy"); proxy != "" {
			s += " (to " + proxy + ")"
		}
		return s + "."
	})
	Describe("focal_point.appointed", func(p map[string]any) string {
		return str(p, "name") + " was appointed focal point of " + str(p, "code") + "."
	})
	Describe("focal_point.removed", func(p map[string]any) string { return "A focal point of " + str(p, "code") + " was removed." })
	for typ, verb := range map[string][2]string{
		"registration.submitted": {"registered as", ", waiting for approval"},
		"registration.approved":  {"was approved as", ""},
		"registration.declined":  {"was declined as", ""},
		"registration.withdrawn": {"withdrew, or was withdrawn, as", ""},
		"registration.invited":   {"was invited as", ""},
	} {
		verb := verb
		Describe(typ, func(p map[string]any) string {
			s := str(p, "name") + " " + verb[0] + " " + rules.Role(str(p, "role")).Label()
			if pn := str(p, "party_name"); pn != "" {
				s += " of " + pn
			}
			return s + verb[1] + "."
		})
	}
	Describe("participants.changed", describeParticipantsChanged)
	Describe("body.officer_appointed", func(p map[string]any) string {
		return str(p, "name") + " was appointed " + strings.ToLower(forum.Label(participation.BodyOffices, str(p, "office"))) + " of " + str(p, "body") + "."
	})
	Describe("body.officer_removed", func(p map[string]any) string { return "An officer of " + str(p, "body") + " stood down." })
	Describe("body.membership_changed", func(p map[string]any) string {
		if open, _ := p["open"].(bool); open {
			return str(p, "body") + " is open to every participant."
		}
		return fmt.Sprintf("%s is limited to %s.", str(p, "body"), strings.Join(partStrs(p, "parties"), ", "))
	})
}

// describeParticipantsChanged reads a public participants.changed event:
// who joined or left (names only when published), with the new counts.
func describeParticipantsChanged(p map[string]any) string {
	entries, _ := p["entries"].([]any)
	change := "joined"
	if str(p, "change") == "left" {
		change = "left"
	}
	var who []string
	for _, e := range entries {
		m, _ := e.(map[string]any)
		s := rules.Role(str(m, "role")).Label()
		if pn := str(m, "party_name"); pn != "" {
			s += " of " + pn
		}
		if n := str(m, "name"); n != "" {
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
		s = partCapital(who[0]) + " " + change
	default:
		s = fmt.Sprintf("%d participants %s", len(who), change)
	}
	if len(cs) > 0 {
		s += " (" + strings.Join(cs, "; ") + ")"
	}
	return s + "."
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

func partCapital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// partReason is an event's reason, as the end of a sentence.
func partReason(p map[string]any) string {
	if r := str(p, "reason"); r != "" {
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
