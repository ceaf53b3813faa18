package participation

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/web"
)

// ruleTable is one stakeholder group's table on the rules page.
type ruleTable struct {
	ID       string
	Group    rules.Group
	Summary  string
	NotYet   string
	ByGrant  bool
	Columns  []rules.Column
	Rows     []ruleRow
	NoRights string
}

type ruleRow struct {
	Role, Mode string
	ByGrant    bool
	Cells      []ruleCell
}

// ruleCell says in words (never by colour alone) whether an action is allowed.
type ruleCell struct {
	Text, Class string
}

// ruleTables arranges the view into one table per group. Offices whose
// rights are the same in every group are described once, above the
// tables, and left out of them; so are the guest rows, set per guest.
func ruleTables(v rules.View, m rules.Matrix, groups rules.Groups) []ruleTable {
	uniform := map[rules.Role]bool{}
	for _, role := range rules.Roles() {
		if !role.IsOffice() {
			continue
		}
		uniform[role] = true
		var first *rules.ActionSet
		for _, g := range groups {
			if g.Key == rules.GroupGuest {
				continue
			}
			for _, mode := range rules.Modes() {
				set := m.Get(rules.Key{Group: g.Key, Role: role, Mode: mode})
				if first == nil {
					first = &set
				} else if *first != set {
					uniform[role] = false
				}
			}
		}
	}
	var out []ruleTable
	for _, g := range v.Groups {
		t := ruleTable{ID: "g-" + g.Group.Key, Group: g.Group, Summary: g.Summary, NotYet: g.NotYet, ByGrant: g.ByGrant, Columns: v.Columns}
		for _, r := range g.Rows {
			if r.ByGrant || uniform[r.Role] {
				continue
			}
			row := ruleRow{Role: r.RoleLabel, Mode: web.UpperFirst(r.ModeLabel), ByGrant: r.ByGrant}
			for i, m := range r.Marks {
				switch m {
				case rules.MarkYes:
					row.Cells = append(row.Cells, ruleCell{m.Label(), "yes"})
				case rules.MarkConditional:
					row.Cells = append(row.Cells, ruleCell{rules.MarkYes.Label() + ", " + v.Columns[i].Condition, "cond"})
				default:
					row.Cells = append(row.Cells, ruleCell{m.Label(), "no"})
				}
			}
			t.Rows = append(t.Rows, row)
		}
		var none []string
		for _, r := range g.NoRights {
			if !uniform[r] {
				none = append(none, r.Plural())
			}
		}
		if len(none) > 0 && !g.ByGrant {
			t.NoRights = web.UpperFirst(strings.Join(none, ", ")) + " of this group may do nothing."
		}
		out = append(out, t)
	}
	return out
}

type rulesPage struct {
	web.Base
	Rules  forum.Rules
	Tables []ruleTable
	// Guests are the current guests with their rights (names as the
	// forum's privacy setting allows).
	Guests []participation.Participant
	Viewer forum.Viewer
}

// showRules is the public "Rules of participation" page: what each
// stakeholder group may do, in the room and remotely, and the history of
// changes.
func (h *handler) showRules(w http.ResponseWriter, r *http.Request) error {
	b, f, v, err := h.ForumBase(r, "Rules of participation", "rules")
	if err != nil {
		return err
	}
	rs, err := h.svc.Participation.RulesOf(r.Context(), h.Scope(r, f))
	if err != nil {
		return err
	}
	guests, err := h.svc.Participation.Guests(r.Context(), h.Scope(r, f))
	if err != nil {
		return err
	}
	p := rulesPage{Base: b, Rules: rs, Tables: ruleTables(rs.View, rs.Settings.Matrix, rs.Groups), Guests: guests, Viewer: v}
	h.Render(w, r, http.StatusOK, "part_rules", p)
	return nil
}

type conditionRow struct {
	Action rules.Action
	Label  string
	Value  rules.Condition
}

type rulesEditPage struct {
	web.Base
	Rules      forum.Rules
	Presets    []rules.Preset
	Conditions []conditionRow
	NewGroup   participation.NewGroupInput
	// Offices are the offices' rights, set across every group at once.
	Offices []officeRow
}

// RightsChoices are where a new group's rights may start: an existing
// group's, or none, said explicitly.
func (p rulesEditPage) RightsChoices() []forum.Choice {
	out := []forum.Choice{}
	for _, g := range p.Rules.Groups {
		out = append(out, forum.Choice{Value: g.Key, Label: "The rights of " + g.Plural})
	}
	return append(out, forum.Choice{Value: participation.NoRights, Label: "No rights at all (give them on the next page)"})
}

// ConditionChoices are the choices for each action's condition: none, or
// one of the conditions in the words of its label.
func (rulesEditPage) ConditionChoices() []forum.Choice {
	none := []forum.Choice{{Value: string(rules.NoCondition), Label: "No condition"}}
	return append(none, forum.Choices(rules.Conditions(), func(c rules.Condition) string { return web.UpperFirst(c.Label()) })...)
}

func (h *handler) rulesEdit(r *http.Request) (rulesEditPage, error) {
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return rulesEditPage{}, plenary.Unauthorized("log in first")
	}
	b, f, v, err := h.ForumBase(r, "Change the rules", "rules")
	if err != nil {
		return rulesEditPage{}, err
	}
	if !v.Secretariat {
		return rulesEditPage{}, plenary.Forbidden("only the secretariat of %s may change its rules", f.Title)
	}
	rs, err := h.svc.Participation.RulesOf(r.Context(), h.Scope(r, f))
	if err != nil {
		return rulesEditPage{}, err
	}
	p := rulesEditPage{Base: b, Rules: rs, Presets: rules.Presets(), Offices: officeRows(rs.Settings.Matrix, rs.Groups)}
	for _, a := range rules.Actions() {
		p.Conditions = append(p.Conditions, conditionRow{Action: a, Label: web.UpperFirst(a.Label()), Value: rs.Settings.Matrix.Condition(a)})
	}
	return p, nil
}

func (h *handler) showRulesEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := h.rulesEdit(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_rules_edit", p)
	return nil
}

func changedFlash(lines []string) string {
	switch len(lines) {
	case 0:
		return "Nothing changed."
	case 1:
		return "The rules changed: " + lines[0]
	}
	return fmt.Sprintf("The rules changed: %d changes are on the record.", len(lines))
}

func (h *handler) choosePreset(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	res, err := h.svc.Participation.ChoosePreset(r.Context(), sc, r.PostFormValue("preset"))
	if err != nil {
		return web.RefuseForm[rulesEditPage](h.Core, w, r, err, "part_rules_edit", h.rulesEdit, nil)
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules", changedFlash(res.Lines))
}

func (h *handler) changeConditions(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	var in forum.RulesChange
	for _, a := range rules.Actions() {
		if v, ok := r.PostForm["condition_"+string(a)]; ok {
			in.Conditions = append(in.Conditions, forum.ConditionInput{Action: string(a), Condition: v[0]})
		}
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	res, err := h.svc.Participation.ChangeRules(r.Context(), sc, in)
	if err != nil {
		return web.RefuseForm[rulesEditPage](h.Core, w, r, err, "part_rules_edit", h.rulesEdit, nil)
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules", changedFlash(res.Lines))
}

func (h *handler) updateParticipationSettings(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	var in forum.SettingsInput
	for _, f := range []struct {
		name string
		to   **bool
	}{{"names_public", &in.NamesPublic}, {"applications_open", &in.ApplicationsOpen}} {
		switch r.PostFormValue(f.name) {
		case "yes":
			t := true
			*f.to = &t
		case "no":
			v := false
			*f.to = &v
		case "":
		default:
			return web.RefuseForm[rulesEditPage](h.Core, w, r, plenary.Invalid(f.name, "must be yes or no"), "part_rules_edit", h.rulesEdit, nil)
		}
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Participation.UpdateParticipationSettings(r.Context(), sc, in); err != nil {
		return web.RefuseForm[rulesEditPage](h.Core, w, r, err, "part_rules_edit", h.rulesEdit, nil)
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules/edit", "The participation settings are saved.")
}

func groupInputFrom(r *http.Request) participation.GroupInput {
	return participation.GroupInput{Key: r.PostFormValue("key"), Name: r.PostFormValue("name"), Plural: r.PostFormValue("plural"),
		Description: r.PostFormValue("description")}
}

func (h *handler) addGroup(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	in := participation.NewGroupInput{GroupInput: groupInputFrom(r), RightsFrom: r.PostFormValue("rights_from")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	g, err := h.svc.Participation.AddGroup(r.Context(), sc, in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_rules_edit", h.rulesEdit, func(p *rulesEditPage) { p.NewGroup = in })
	}
	msg := "The group " + g.Plural + " is added. It has no rights until you give it some."
	if in.RightsFrom != participation.NoRights {
		gs, err := sc.Groups(r.Context())
		if err != nil {
			return err
		}
		msg = "The group " + g.Plural + " is added, with the rights of " + gs.Lookup(in.RightsFrom).Plural + ", shown below."
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules/groups/"+g.Key, msg)
}

type gridCell struct {
	Value, Label string
	Checked      bool
}

type gridRow struct {
	Label string
	Cells []gridCell
}

type groupRulesPage struct {
	web.Base
	Group   rules.Group
	Columns []rules.Column
	Rows    []gridRow
	In      participation.GroupInput
	ByGrant bool
}

func (h *handler) groupRules(r *http.Request) (groupRulesPage, error) {
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return groupRulesPage{}, plenary.Unauthorized("log in first")
	}
	b, f, v, err := h.ForumBase(r, "Rights of a stakeholder group", "rules")
	if err != nil {
		return groupRulesPage{}, err
	}
	if !v.Secretariat {
		return groupRulesPage{}, plenary.Forbidden("only the secretariat of %s may change its rules", f.Title)
	}
	rs, err := h.svc.Participation.RulesOf(r.Context(), h.Scope(r, f))
	if err != nil {
		return groupRulesPage{}, err
	}
	g, ok := rs.Groups.Find(r.PathValue("group"))
	if !ok {
		return groupRulesPage{}, plenary.NotFound("no stakeholder group %q in %s", r.PathValue("group"), f.Title)
	}
	b.Title = "Rights of " + g.Plural + " · " + f.Title
	p := groupRulesPage{Base: b, Group: g, Columns: rs.View.Columns, ByGrant: g.Key == rules.GroupGuest,
		In: participation.GroupInput{Key: g.Key, Name: g.Name, Plural: g.Plural, Description: g.Description}}
	for _, role := range rules.Roles() {
		if role == rules.RoleGuest {
			continue
		}
		for _, mode := range rules.Modes() {
			set := rs.Settings.Matrix.Get(rules.Key{Group: g.Key, Role: role, Mode: mode})
			label := web.UpperFirst(role.Plural()) + " " + mode.Label()
			row := gridRow{Label: label}
			for _, a := range rules.Actions() {
				row.Cells = append(row.Cells, gridCell{Value: string(role) + "|" + string(mode) + "|" + string(a),
					Label: label + ": " + a.Label(), Checked: set.Has(a)})
			}
			p.Rows = append(p.Rows, row)
		}
	}
	return p, nil
}

func (h *handler) showGroupRules(w http.ResponseWriter, r *http.Request) error {
	p, err := h.groupRules(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_group_rules", p)
	return nil
}

// changeGroupRules sets every cell of one group from the grid of
// checkboxes: what is ticked is allowed, the rest is not.
func (h *handler) changeGroupRules(w http.ResponseWriter, r *http.Request) error {
	slug, group := r.PathValue("slug"), r.PathValue("group")
	if r.PostFormValue("form") == "rename" {
		return h.renameGroup(w, r)
	}
	cells := map[[2]string][]string{}
	for _, role := range rules.Roles() {
		if role == rules.RoleGuest {
			continue
		}
		for _, mode := range rules.Modes() {
			cells[[2]string{string(role), string(mode)}] = []string{}
		}
	}
	for _, v := range r.PostForm["cell"] {
		parts := strings.Split(v, "|")
		k := [2]string{}
		if len(parts) == 3 {
			k = [2]string{parts[0], parts[1]}
		}
		if _, ok := cells[k]; !ok {
			return plenary.Invalid("cell", "%q is not a cell of the grid", v)
		}
		cells[k] = append(cells[k], parts[2])
	}
	var in forum.RulesChange
	for _, role := range rules.Roles() {
		for _, mode := range rules.Modes() {
			if acts, ok := cells[[2]string{string(role), string(mode)}]; ok {
				in.Cells = append(in.Cells, forum.CellInput{Group: group, Role: string(role), Mode: string(mode), Actions: acts})
			}
		}
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	res, err := h.svc.Participation.ChangeRules(r.Context(), sc, in)
	if err != nil {
		return web.RefuseForm[groupRulesPage](h.Core, w, r, err, "part_group_rules", h.groupRules, nil)
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules#g-"+group, changedFlash(res.Lines))
}

func (h *handler) renameGroup(w http.ResponseWriter, r *http.Request) error {
	slug, key := r.PathValue("slug"), r.PathValue("group")
	in := groupInputFrom(r)
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	g, err := h.svc.Participation.RenameGroup(r.Context(), sc, key, in)
	if err != nil {
		in.Key = key
		return web.RefuseForm(h.Core, w, r, err, "part_group_rules", h.groupRules, func(p *groupRulesPage) { p.In = in })
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules/groups/"+key, "The group is now called "+g.Plural+".")
}
