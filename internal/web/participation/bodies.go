package participation

import (
	"net/http"
	"strings"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/web"
)

type bodyPage struct {
	web.Base
	D       participation.BodyDetail
	Viewer  forum.Viewer
	Offices []forum.Choice
	// Officer form and member list as sent, on a refused form.
	OfficerEmail, Office, Members string
}

func (h *handler) body(r *http.Request) (bodyPage, error) {
	b, f, v, err := h.ForumBase(r, "Body", "overview")
	if err != nil {
		return bodyPage{}, err
	}
	d, err := h.svc.Participation.BodyDetailOf(r.Context(), h.Scope(r, f), r.PathValue("body"))
	if err != nil {
		return bodyPage{}, err
	}
	b.Title = d.Body.Name + " · " + f.Title
	codes := make([]string, 0, len(d.Members))
	for _, p := range d.Members {
		codes = append(codes, p.Code)
	}
	return bodyPage{Base: b, D: d, Viewer: v, Offices: participation.BodyOffices, Office: participation.OfficeViceChair, Members: strings.Join(codes, " ")}, nil
}

// showBody is a body's page: its chair and vice-chairs, and whether it is
// open to every participant or limited to listed parties.
func (h *handler) showBody(w http.ResponseWriter, r *http.Request) error {
	p, err := h.body(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "part_body", p)
	return nil
}

func (h *handler) bodyPath(r *http.Request) string {
	return "/forums/" + r.PathValue("slug") + "/bodies/" + r.PathValue("body")
}

func (h *handler) appointOfficer(w http.ResponseWriter, r *http.Request) error {
	in := participation.OfficerInput{Email: r.PostFormValue("email"), Office: r.PostFormValue("office")}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	o, err := h.svc.Participation.AppointOfficer(r.Context(), sc, r.PathValue("body"), in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_body", h.body, func(p *bodyPage) { p.OfficerEmail, p.Office = in.Email, in.Office })
	}
	return h.Redirect(w, r, h.bodyPath(r), o.Name+" is now "+strings.ToLower(o.OfficeLabel())+".")
}

func (h *handler) removeOfficer(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if err := h.svc.Participation.RemoveOfficer(r.Context(), sc, r.PathValue("body"), r.PathValue("user")); err != nil {
		return err
	}
	return h.Redirect(w, r, h.bodyPath(r), "The officer stood down.")
}

func (h *handler) setBodyMembers(w http.ResponseWriter, r *http.Request) error {
	list := r.PostFormValue("parties")
	codes := strings.FieldsFunc(list, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == ';' })
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Participation.SetBodyMembers(r.Context(), sc, r.PathValue("body"), codes)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "part_body", h.body, func(p *bodyPage) { p.Members = list })
	}
	msg := "The body is open to every participant."
	if !d.Open {
		msg = "The body is limited to the listed parties."
	}
	return h.Redirect(w, r, h.bodyPath(r), msg)
}
