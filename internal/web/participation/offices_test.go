package participation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

func TestOfficesOnThePagesAndTheAPI(t *testing.T) {
	s := pwSetup(t)
	ctx := context.Background()
	carla := s.User("carla@example.org", "Carla Chair", false)
	sec, bea := s.client(s.sec), s.client(s.bea)

	// The secretariat registers a chair who holds the pen: one registration.
	doc := pwParse(t, sec.Get("/forums/wcit/register").Body)
	if n := len(pwAll(doc, "input", "type", "checkbox", "name", "offices")); n != 4 {
		t.Fatalf("the secretariat's register form has %d office checkboxes", n)
	}
	if n := len(pwAll(pwParse(t, bea.Get("/forums/wcit/register").Body), "input", "name", "offices")); n != 0 {
		t.Fatalf("a delegate's register form offers %d offices", n)
	}
	r := sec.PostForm("/forums/wcit/register", "/forums/wcit/register", url.Values{"email": {carla.Email}, "group": {"secretariat"},
		"role": {"chair"}, "mode": {"in_room"}, "offices": {"editor"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	// Beatriz is also registered for a second party: two registrations, one person.
	if _, err := s.Svc.Participation.Register(ctx, fixture.In(t, s.Svc.Kernel, s.sec, s.f.Slug), participation.RegistrationInput{
		Email: s.bea.Email, Party: "CHE", Role: "adviser"}); err != nil {
		t.Fatal(err)
	}
	pwStatus(t, sec.Get("/forums/wcit/participants"), http.StatusOK, "4 registered participants in 5 registrations")
	pwStatus(t, s.client(s.pat).Get("/forums/wcit"), http.StatusOK, "4 registered participants in 5 registrations")
	names := sec.Get("/forums/wcit/participants/names")
	pwStatus(t, names, http.StatusOK, "Carla ChairNoneSecretariatChair, Editor")
	mine, err := s.Svc.Participation.MyRegistrations(ctx, carla)
	if err != nil || len(mine) != 1 {
		t.Fatalf("Carla's registrations: %v %v", mine, err)
	}
	regPath := "/forums/wcit/registrations/" + mine[0].ID
	if !strings.Contains(names.Body, `href="`+regPath+`"`) {
		t.Fatal("the secretariat's list of names does not link to the registration")
	}
	// Registration ids are for the secretariat's pages only.
	if strings.Contains(bea.Get("/forums/wcit/participants/names").Body, "/registrations/") {
		t.Fatal("a delegate's list of names links to registrations")
	}

	// The registration's page: the secretariat's office forms.
	doc = pwParse(t, sec.Get(regPath).Body)
	if len(pwAll(doc, "form", "action", regPath+"/offices")) != 1 || len(pwAll(doc, "form", "action", regPath+"/offices/remove")) != 1 {
		t.Fatalf("the registration's page lacks its office forms:\n%s", pwText(doc))
	}
	if opts := pwAll(doc, "option"); len(opts) != 2 { // remote moderator, secretariat
		t.Fatalf("%d offices offered to add", len(opts))
	}
	pwStatus(t, bea.Get(regPath), http.StatusNotFound, "")
	r = bea.PostForm("/forums/wcit/participants", regPath+"/offices", url.Values{"office": {"remote_moderator"}})
	pwStatus(t, r, http.StatusForbidden, "only the secretariat")
	r = sec.PostForm(regPath, regPath+"/offices", url.Values{"office": {"president"}})
	pwInvalid(t, r, "f-office")
	pwStatus(t, r, http.StatusUnprocessableEntity, "must be one of chair, editor, remote_moderator, secretariat")
	r = sec.PostForm(regPath, regPath+"/offices", url.Values{"office": {"remote_moderator"}, "reason": {"relays the remote room"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, sec.Get(regPath), http.StatusOK, "Chair, Editor, Remote moderator")
	r = sec.PostForm(regPath, regPath+"/offices/remove", url.Values{"office": {"editor"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, sec.Get(regPath), http.StatusOK, "Chair, Remote moderator")
	pwStatus(t, s.client(carla).Get("/registrations"), http.StatusOK, "Chair, Remote moderator")
	rec := sec.Get("/forums/wcit/record")
	pwStatus(t, rec, http.StatusOK, "Carla Chair was given the office of remote moderator beside the role of chair: relays the remote room.")
	pwStatus(t, rec, http.StatusOK, "Carla Chair no longer holds the office of editor.")

	// The API: a delegate may not assign offices; the secretariat may.
	api := s.APIToken(s.bea)
	ar := api.JSON("POST", "/api/v1"+regPath+"/offices", `{"office":"editor"}`)
	if ar.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate assigns an office: %d %s", ar.StatusCode, ar.Body)
	}
	sapi := s.APIToken(s.sec)
	ar = sapi.JSON("POST", "/api/v1"+regPath+"/offices", `{"office":"delegate"}`)
	if ar.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(ar.Body, `"office"`) {
		t.Fatalf("a participant's role as an office: %d %s", ar.StatusCode, ar.Body)
	}
	ar = sapi.JSON("POST", "/api/v1"+regPath+"/offices", `{"office":"editor","reason":"holds the pen again"}`)
	var got struct {
		Offices []string `json:"offices"`
	}
	if ar.StatusCode != http.StatusOK || json.Unmarshal([]byte(ar.Body), &got) != nil || strings.Join(got.Offices, ",") != "editor,remote_moderator" {
		t.Fatalf("assign over the API: %d %s", ar.StatusCode, ar.Body)
	}
	ar = sapi.JSON("POST", "/api/v1"+regPath+"/offices", `{"office":"editor"}`)
	if ar.StatusCode != http.StatusConflict {
		t.Fatalf("an office held twice: %d %s", ar.StatusCode, ar.Body)
	}
	ar = sapi.JSON("POST", "/api/v1"+regPath+"/offices/remove", `{"office":"remote_moderator"}`)
	if ar.StatusCode != http.StatusOK || !strings.Contains(ar.Body, `"offices":["editor"]`) {
		t.Fatalf("remove over the API: %d %s", ar.StatusCode, ar.Body)
	}
	ar = sapi.JSON("GET", "/api/v1/forums/wcit/participants", "")
	if !strings.Contains(ar.Body, `"total":4`) || !strings.Contains(ar.Body, `"registrations":5`) {
		t.Fatalf("the API's participant counts: %s", ar.Body)
	}
}

// The rules edit page sets an office's rights in every group and mode at
// once: turning on "edit the draft" for chairs lets a chair edit it.
func TestOfficesFormOnTheRulesEditPage(t *testing.T) {
	s := pwSetup(t)
	ctx := context.Background()
	carla := s.User("carla@example.org", "Carla Chair", false)
	if _, err := s.Svc.Participation.Register(ctx, fixture.In(t, s.Svc.Kernel, s.sec, s.f.Slug), participation.RegistrationInput{
		Email: carla.Email, Group: "secretariat", Role: "chair"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Kernel.Authorize(ctx, carla, s.f, rules.EditDraft, ""); err == nil || !strings.Contains(err.Error(), "Chairs may not edit the draft") {
		t.Fatalf("a chair edits the draft: %v", err)
	}
	sec := s.client(s.sec)
	doc := pwParse(t, sec.Get("/forums/wcit/rules/edit").Body)
	var boxes []string
	form := url.Values{}
	for _, b := range pwAll(doc, "input", "type", "checkbox", "name", "cell") {
		v, _ := pwAttr(b, "value")
		boxes = append(boxes, v)
		if _, checked := pwAttr(b, "checked"); checked {
			form.Add("cell", v)
		}
	}
	if len(boxes) != 4*len(rules.Actions()) {
		t.Fatalf("%d checkboxes in the offices' grid", len(boxes))
	}
	if !pwHas(form["cell"], "chair|manage_floor") || pwHas(form["cell"], "chair|edit_draft") {
		t.Fatalf("the chairs' row: %v", form["cell"])
	}
	pwStatus(t, s.client(s.bea).PostForm("/forums/wcit/participants", "/forums/wcit/rules/offices", url.Values{"cell": form["cell"]}),
		http.StatusForbidden, "only the secretariat")
	r := sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/rules/offices", url.Values{"cell": {"president|vote"}})
	pwStatus(t, r, http.StatusUnprocessableEntity, "cell")
	form.Add("cell", "chair|edit_draft")
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/rules/offices", form)
	pwStatus(t, r, http.StatusSeeOther, "")
	c, err := s.Svc.Kernel.Authorize(ctx, carla, s.f, rules.EditDraft, "")
	if err != nil || c.Role != "chair" {
		t.Fatalf("after the change: %+v %v", c, err)
	}
	// Every group, both modes.
	rs, err := s.Svc.Participation.RulesOf(ctx, fixture.In(t, s.Svc.Kernel, s.sec, s.f.Slug))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rs.Groups {
		for _, m := range rules.Modes() {
			if set := rs.Settings.Matrix.Get(rules.Key{Group: g.Key, Role: rules.RoleChair, Mode: m}); g.Key != rules.GroupGuest && !set.Has(rules.EditDraft) {
				t.Fatalf("chairs of %s %s may not edit the draft", g.Key, m)
			}
		}
	}
	pwStatus(t, sec.Get("/forums/wcit/rules"), http.StatusOK, "")
}

func pwHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
