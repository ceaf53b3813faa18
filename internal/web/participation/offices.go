package participation

import (
	"net/http"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/web"
)

// registrationPage is one registration, for its person and those who
// decide on it; the secretariat gives and takes offices here.
type registrationPage struct {
	web.Base
	Reg    participation.Registration
	Groups rules.Groups
	Viewer forum.Viewer
	// Office and Reason are what a refused office form held.
	Office, Reason string
}

func (h *handler) registrationView(r *http.Request) (registrationPage, error) {
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return registrationPage{}, plenary.Unauthorized("log in first")
	}
	b, f, v, err := h.ForumBase(r, "Registration", "participants")
	if err != nil {
		return registrationPage{}, err
	}
	reg, err := h.svc.Participation.RegistrationFor(r.Context(), h.Scope(r, f), r.PathValue("id"))
	if err != nil {
		return registrationPage{}, err
	}
	gs, err := h.Scope(r, f).Groups(r.Context())
	if err != nil {
		return registrationPage{}, err
	}
	b.Title = "Registration of " + reg.Name + " · " + f.Title
	return registrationPage{Base: b, Reg: reg, Groups: gs, Viewer: v}, nil
}

// showRegistration is one registration: its role with every office held
// beside it, its state and who decided; for the secretariat, the forms
// that give and take offices.
func (h *handler) showRegistration(w http.ResponseWriter, r *http.Request) error {
	p, err := h.registrationView(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_registration", p)
	return nil
}

func (h *handler) assignOffice(w http.ResponseWriter, r *http.Request) error {
	return h.changeOffice(w, r, true)
}

func (h *handler) removeOffice(w http.ResponseWriter, r *http.Request) error {
	return h.changeOffice(w, r, false)
}

func (h *handler) changeOffice(w http.ResponseWriter, r *http.Request, add bool) error {
	slug, id := r.PathValue("slug"), r.PathValue("id")
	in := participation.OfficeInput{Office: r.PostFormValue("office"), Reason: r.PostFormValue("reason")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	var reg participation.Registration
	if add {
		reg, err = h.svc.Participation.AssignOffice(r.Context(), sc, id, in)
	} else {
		reg, err = h.svc.Participation.RemoveOffice(r.Context(), sc, id, in)
	}
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_registration", h.registrationView, func(p *registrationPage) {
			p.Office, p.Reason = in.Office, in.Reason
		})
	}
	office := rules.Role(strings.TrimSpace(in.Office)).Label()
	msg := reg.Name + " now holds the office of " + office + ": " + reg.RoleLabel() + "."
	if !add {
		msg = reg.Name + " no longer holds the office of " + office + ": " + reg.RoleLabel() + "."
	}
	return h.Redirect(w, r, "/forums/"+slug+"/registrations/"+id, msg)
}

// officeRow is one office on the rules edit page: a checkbox per action,
// ticked when the office holds it in every group and mode.
type officeRow struct {
	Role  rules.Role
	Label string
	Cells []officeCell
}

type officeCell struct {
	Value, Label string
	Checked      bool
	// Some: held in some groups or modes, not all.
	Some bool
}

// officeRows are the offices' rights across every group (but the guests')
// and both modes.
func officeRows(m rules.Matrix, groups rules.Groups) []officeRow {
	var out []officeRow
	for _, role := range participation.Offices() {
		row := officeRow{Role: role, Label: web.UpperFirst(role.Plural())}
		for _, a := range rules.Actions() {
			all, some := true, false
			for _, k := range officeKeys(role, groups) {
				if m.Get(k).Has(a) {
					some = true
				} else {
					all = false
				}
			}
			row.Cells = append(row.Cells, officeCell{Value: string(role) + "|" + string(a), Label: row.Label + ": " + a.Label(),
				Checked: all, Some: some && !all})
		}
		out = append(out, row)
	}
	return out
}

// officeKeys are the cells of an office: every group but the guests', in
// both modes.
func officeKeys(role rules.Role, groups rules.Groups) []rules.Key {
	var out []rules.Key
	for _, g := range groups {
		if g.Key == rules.GroupGuest {
			continue
		}
		for _, mode := range rules.Modes() {
			out = append(out, rules.Key{Group: g.Key, Role: role, Mode: mode})
		}
	}
	return out
}

// changeOfficeRules sets each office's rights in every group and mode at
// once from the grid of the rules edit page: what is ticked is allowed,
// the rest is not. It is one change of the rules, on the record.
func (h *handler) changeOfficeRules(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	ticked := map[rules.Role][]string{}
	for _, o := range participation.Offices() {
		ticked[o] = []string{}
	}
	for _, v := range r.PostForm["cell"] {
		role, act, ok := strings.Cut(v, "|")
		if _, known := ticked[rules.Role(role)]; !ok || !known {
			return web.RefuseForm[rulesEditPage](h.Core, w, r, plenary.Invalid("cell", "%q is not a cell of the offices' grid", v),
				"part_rules_edit", h.rulesEdit, nil)
		}
		ticked[rules.Role(role)] = append(ticked[rules.Role(role)], act)
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	groups, err := sc.Groups(r.Context())
	if err != nil {
		return err
	}
	var in forum.RulesChange
	for _, o := range participation.Offices() {
		for _, k := range officeKeys(o, groups) {
			in.Cells = append(in.Cells, forum.CellInput{Group: k.Group, Role: string(o), Mode: string(k.Mode), Actions: ticked[o]})
		}
	}
	res, err := h.svc.Participation.ChangeRules(r.Context(), sc, in)
	if err != nil {
		return web.RefuseForm[rulesEditPage](h.Core, w, r, err, "part_rules_edit", h.rulesEdit, nil)
	}
	return h.Redirect(w, r, "/forums/"+slug+"/rules", changedFlash(res.Lines))
}
