package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

type paErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

func paError(t *testing.T, r servertest.Response, status int, code, contains string) paErr {
	t.Helper()
	var e paErr
	if err := json.Unmarshal([]byte(r.Body), &e); err != nil || r.StatusCode != status || e.Error.Code != code ||
		!strings.Contains(e.Error.Message, contains) {
		t.Fatalf("%s %s: %d %s, want %d %s containing %q", r.Request.Method, r.Request.URL.Path, r.StatusCode, r.Body, status, code, contains)
	}
	return e
}

// The whole participation API, each response checked against the OpenAPI
// document: a treaty conference is set up with its rules, groups, parties
// and credentials; people register, apply and are approved; the rules are
// asked; denials name the missing right.
func TestParticipationEndpointsMatchTheirSchemas(t *testing.T) {
	s := servertest.New(t)
	d, v := loadDoc(t, s)
	ctx := context.Background()
	secA := s.User("sec@example.org", "Sofia Secretariat", true)
	beaA := s.User("bea@example.org", "Beatriz Delegate", false)
	samA := s.User("samir@example.org", "Samir Sector", false)
	patA := s.User("pat@example.org", "Pat Public", false)
	s.User("guest@example.org", "Gil Guest", false)
	sec, bea, sam, pat, anon := s.APIToken(secA), s.APIToken(beaA), s.APIToken(samA), s.APIToken(patA), s.Client()
	if _, err := s.Svc.Kernel.CreateForum(ctx, secA, forum.ForumInput{Slug: "wcit", Title: "WCIT-12: World Conference", Kind: forum.KindTreatyConference}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Kernel.CreateBody(ctx, fixture.In(t, s.Svc.Kernel, secA, "wcit"), forum.BodyInput{Slug: "com5", Name: "Committee 5", Kind: "committee"}); err != nil {
		t.Fatal(err)
	}
	ok := func(c *servertest.Client, method, path, docPath, body string, want int) servertest.Response {
		t.Helper()
		r := c.JSON(method, "/api/v1"+path, body)
		if r.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, r.StatusCode, r.Body, want)
		}
		if want != http.StatusNoContent {
			checkResponse(t, d, v, method, docPath, r)
		}
		return r
	}
	ok(anon, "GET", "/forums/wcit/rules", "/forums/{slug}/rules", "", 200)
	ok(sec, "PUT", "/forums/wcit/rules/preset", "/forums/{slug}/rules/preset", `{"preset":"itu_treaty_conference"}`, 200)
	r := ok(sec, "PATCH", "/forums/wcit/rules", "/forums/{slug}/rules",
		`{"cells":[{"group":"civil_society","role":"delegate","mode":"remote","actions":["read_public","contribute"]}],"conditions":[]}`, 200)
	if !strings.Contains(r.Body, "Remote civil society delegates: may now submit a contribution") {
		t.Fatalf("rules change: %s", r.Body)
	}
	ok(sec, "PUT", "/forums/wcit/participation-settings", "/forums/{slug}/participation-settings", `{"names_public":false}`, 200)
	r = ok(sec, "POST", "/forums/wcit/groups", "/forums/{slug}/groups", `{"key":"youth","name":"youth","plural":"youth participants","rights_from":"civil_society"}`, 201)
	if r = ok(anon, "GET", "/forums/wcit/rules", "/forums/{slug}/rules", "", 200); !strings.Contains(r.Body, `{"group":"youth","role":"delegate","mode":"remote","actions":["read_public","contribute"]}`) {
		t.Fatalf("the new group has not the rights of civil society: %s", r.Body)
	}
	ok(sec, "PUT", "/forums/wcit/groups/youth", "/forums/{slug}/groups/{key}", `{"name":"young person","plural":"young people"}`, 200)
	ok(anon, "GET", "/forums/wcit/groups", "/forums/{slug}/groups", "", 200)
	ok(sec, "POST", "/forums/wcit/parties", "/forums/{slug}/parties", `{"code":"BRA","name":"Brazil","group":"member_state","iso2":"BR"}`, 201)
	ok(sec, "POST", "/forums/wcit/parties/import", "/forums/{slug}/parties/import",
		`{"parties":[{"code":"CHE","name":"Switzerland","group":"member_state"},{"code":"LIE","name":"Liechtenstein","group":"member_state"},{"code":"EXTEL","name":"Example Telecom","group":"sector_member"}]}`, 201)
	ok(anon, "GET", "/forums/wcit/parties", "/forums/{slug}/parties", "", 200)
	// A dry run reports and imports nothing; the import reports warnings.
	r = ok(sec, "POST", "/forums/wcit/parties/import/check", "/forums/{slug}/parties/import/check",
		`{"parties":[{"group":"member_state","country":"FR"},{"code":"EXTEL2","name":"Example  telecom","group":"sector_member"}]}`, 200)
	if !strings.Contains(r.Body, `"dry_run":true`) || !strings.Contains(r.Body, `"name":"France"`) || !strings.Contains(r.Body, "nearly the same as Example Telecom") {
		t.Fatalf("dry run: %s", r.Body)
	}
	ok(anon, "GET", "/forums/wcit/parties/FRA", "/forums/{slug}/parties/{code}", "", 404)
	r = ok(sec, "POST", "/forums/wcit/parties/import", "/forums/{slug}/parties/import",
		`{"parties":[{"code":"EXTEL2","name":"Example  telecom","group":"sector_member"},{"code":"ISCO","name":"Internet Socity","group":"sector_member"}]}`, 201)
	if !strings.Contains(r.Body, `"warnings":[{"row":1,"field":"name"`) {
		t.Fatalf("import with a near-duplicate: %s", r.Body)
	}
	r = ok(sec, "PATCH", "/forums/wcit/parties/ISCO", "/forums/{slug}/parties/{code}",
		`{"code":"ISOC","name":"Internet Society","group":"technical_community","reason":"Typing mistakes."}`, 200)
	if !strings.Contains(r.Body, `"code":"ISOC"`) || !strings.Contains(r.Body, `"kind":"other"`) {
		t.Fatalf("corrected: %s", r.Body)
	}
	r = ok(sec, "POST", "/forums/wcit/parties/EXTEL2/merge", "/forums/{slug}/parties/{code}/merge", `{"into":"EXTEL","reason":"Entered twice."}`, 200)
	if !strings.Contains(r.Body, `"code":"EXTEL"`) {
		t.Fatalf("merged into: %s", r.Body)
	}
	if r = ok(anon, "GET", "/forums/wcit/parties/EXTEL2", "/forums/{slug}/parties/{code}", "", 200); !strings.Contains(r.Body, `"status":"merged","merged_into":"EXTEL"`) {
		t.Fatalf("the duplicate: %s", r.Body)
	}
	r = ok(sec, "POST", "/forums/wcit/parties/ISOC/withdraw", "/forums/{slug}/parties/{code}/withdraw", `{"reason":"It is not a Sector Member."}`, 200)
	if !strings.Contains(r.Body, `"status":"withdrawn"`) {
		t.Fatalf("withdrawn: %s", r.Body)
	}
	ok(sec, "PUT", "/forums/wcit/parties/BRA/credentials", "/forums/{slug}/parties/{code}/credentials", `{"state":"in_order"}`, 200)
	ok(sec, "PUT", "/forums/wcit/parties/LIE/credentials", "/forums/{slug}/parties/{code}/credentials", `{"state":"transferred","proxy":"CHE","note":"Proxy"}`, 200)
	r = ok(sec, "POST", "/forums/wcit/parties/BRA/focal-points", "/forums/{slug}/parties/{code}/focal-points", `{"email":"bea@example.org"}`, 201)
	if strings.Contains(r.Body, "@") {
		t.Fatalf("a focal point's e-mail address in the answer: %s", r.Body)
	}
	// Registrations: self (pending), by the secretariat (approved), import, application, guest.
	reg := ok(bea, "POST", "/forums/wcit/registrations", "/forums/{slug}/registrations", `{"party":"BRA","role":"head_of_delegation"}`, 201)
	var beaReg participation.Registration
	json.Unmarshal([]byte(reg.Body), &beaReg)
	if beaReg.State != "pending" || beaReg.Email != "bea@example.org" {
		t.Fatalf("own registration %+v", beaReg)
	}
	ok(sec, "POST", "/forums/wcit/registrations/import", "/forums/{slug}/registrations/import",
		`{"registrations":[{"email":"samir@example.org","party":"EXTEL","role":"delegate","mode":"remote","grants":""}]}`, 201)
	app := ok(pat, "POST", "/forums/wcit/applications", "/forums/{slug}/applications", `{"affiliation":"Daily Bugle","mode":"remote"}`, 201)
	var patReg participation.Registration
	json.Unmarshal([]byte(app.Body), &patReg)
	ok(sec, "POST", "/forums/wcit/guests", "/forums/{slug}/guests", `{"email":"guest@example.org","grants":["ask_floor"]}`, 201)
	q := ok(sec, "GET", "/forums/wcit/registrations", "/forums/{slug}/registrations", "", 200)
	if !strings.Contains(q.Body, "pat@example.org") || !strings.Contains(q.Body, beaReg.ID) {
		t.Fatalf("secretariat queue: %s", q.Body)
	}
	ok(sec, "GET", "/forums/wcit/registrations/"+patReg.ID, "/forums/{slug}/registrations/{id}", "", 200)
	ok(sec, "POST", "/forums/wcit/registrations/"+beaReg.ID+"/approve", "/forums/{slug}/registrations/{id}/approve", "", 200)
	ok(sec, "POST", "/forums/wcit/registrations/"+patReg.ID+"/decline", "/forums/{slug}/registrations/{id}/decline", `{"reason":"The room is full."}`, 200)
	mine := ok(pat, "GET", "/me/registrations", "/me/registrations", "", 200)
	if !strings.Contains(mine.Body, "The room is full.") || !strings.Contains(mine.Body, `"state":"declined"`) {
		t.Fatalf("the applicant's registrations: %s", mine.Body)
	}
	ok(bea, "POST", "/forums/wcit/registrations/"+beaReg.ID+"/withdraw", "/forums/{slug}/registrations/{id}/withdraw", `{"reason":""}`, 200)
	ok(sec, "POST", "/forums/wcit/registrations", "/forums/{slug}/registrations", `{"email":"bea@example.org","party":"BRA","role":"delegate"}`, 201)
	// Participants: counts for the public, names for a Member State delegate.
	pub := ok(anon, "GET", "/forums/wcit/participants", "/forums/{slug}/participants", "", 200)
	if strings.Contains(pub.Body, "Beatriz") || strings.Contains(pub.Body, "@") {
		t.Fatalf("public participant list shows a name or an address: %s", pub.Body)
	}
	names := ok(bea, "GET", "/forums/wcit/participants/names", "/forums/{slug}/participants/names", "", 200)
	if !strings.Contains(names.Body, "Beatriz Delegate") || strings.Contains(names.Body, "@") {
		t.Fatalf("names: %s", names.Body)
	}
	ok(anon, "GET", "/forums/wcit/parties/BRA", "/forums/{slug}/parties/{code}", "", 200)
	ok(bea, "GET", "/forums/wcit/parties/BRA", "/forums/{slug}/parties/{code}", "", 200)
	// Authorize: the capacity, or the rule's words.
	c := ok(bea, "GET", "/forums/wcit/authorize?action=vote&party=BRA", "/forums/{slug}/authorize", "", 200)
	if !strings.Contains(c.Body, `"party_code":"BRA"`) || !strings.Contains(c.Body, `"role":"delegate"`) {
		t.Fatalf("capacity: %s", c.Body)
	}
	r = sam.JSON("GET", "/api/v1/forums/wcit/authorize?action=vote", "")
	checkResponse(t, d, v, "GET", "/forums/{slug}/authorize", r)
	paError(t, r, 403, "forbidden", "Sector Members may not vote in WCIT-12")
	paError(t, anon.JSON("GET", "/api/v1/forums/wcit/authorize?action=vote", ""), 401, "unauthorized", "log in")
	paError(t, bea.JSON("GET", "/api/v1/forums/wcit/authorize?action=fly", ""), 422, "invalid", "action")
	ok(anon, "GET", "/forums/wcit/authorize?action=read_public", "/forums/{slug}/authorize", "", 200)
	// Bodies.
	ok(sec, "POST", "/forums/wcit/bodies/com5/officers", "/forums/{slug}/bodies/{body}/officers", `{"email":"bea@example.org","office":"chair"}`, 201)
	ok(sec, "PUT", "/forums/wcit/bodies/com5/members", "/forums/{slug}/bodies/{body}/members", `{"parties":["BRA","CHE"]}`, 200)
	ok(anon, "GET", "/forums/wcit/bodies/com5", "/forums/{slug}/bodies/{body}", "", 200)
	ok(sec, "DELETE", "/forums/wcit/bodies/com5/officers/"+beaA.UserID, "", "", 204)
	ok(sec, "DELETE", "/forums/wcit/parties/BRA/focal-points/"+beaA.UserID, "", "", 204)
	ok(anon, "GET", "/forums/wcit/rules", "/forums/{slug}/rules", "", 200)
}

func TestParticipationAPIDenialsAndBadInput(t *testing.T) {
	s := servertest.New(t)
	ctx := context.Background()
	secA := s.User("sec@example.org", "Sec", true)
	delA := s.User("del@example.org", "Del", false)
	sec, del, anon := s.APIToken(secA), s.APIToken(delA), s.Client()
	if _, err := s.Svc.Kernel.CreateForum(ctx, secA, forum.ForumInput{Slug: "wtpf", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum}); err != nil {
		t.Fatal(err)
	}
	// 401 without a token on every write.
	for _, c := range []struct{ method, path string }{
		{"PUT", "/forums/wtpf/rules/preset"}, {"PATCH", "/forums/wtpf/rules"}, {"POST", "/forums/wtpf/parties"},
		{"POST", "/forums/wtpf/registrations"}, {"POST", "/forums/wtpf/applications"}, {"POST", "/forums/wtpf/guests"},
		{"GET", "/forums/wtpf/registrations"}, {"GET", "/me/registrations"},
	} {
		paError(t, anon.JSON(c.method, "/api/v1"+c.path, `{}`), 401, "unauthorized", "token")
	}
	// 403 for someone who is not the secretariat.
	paError(t, del.JSON("PUT", "/api/v1/forums/wtpf/rules/preset", `{"preset":"ietf_rough_consensus"}`), 403, "forbidden", "only the secretariat")
	paError(t, del.JSON("POST", "/api/v1/forums/wtpf/parties", `{"code":"BRA","name":"Brazil","group":"member_state"}`), 403, "forbidden", "")
	paError(t, del.JSON("GET", "/api/v1/forums/wtpf/registrations", ""), 403, "forbidden", "")
	// 422 naming the field.
	e := paError(t, sec.JSON("PUT", "/api/v1/forums/wtpf/rules/preset", `{"preset":"nope"}`), 422, "invalid", "preset")
	if e.Error.Field != "preset" {
		t.Fatalf("field %q", e.Error.Field)
	}
	e = paError(t, sec.JSON("POST", "/api/v1/forums/wtpf/parties", `{"code":"X","name":"","group":"nobody"}`), 422, "invalid", "")
	fields := map[string]bool{}
	for _, f := range e.Error.Fields {
		fields[f.Field] = true
	}
	if !fields["code"] || !fields["name"] || !fields["group"] {
		t.Fatalf("fields %+v", e.Error.Fields)
	}
	e = paError(t, sec.JSON("POST", "/api/v1/forums/wtpf/parties/import", `{"parties":[{"code":"BRA","name":"Brazil","group":"member_state"},{"code":"BRA","name":"Brazil again","group":"member_state"}]}`), 422, "invalid", "row 2: code")
	if ps, _ := s.Svc.Participation.Parties(ctx, fixture.In(t, s.Svc.Kernel, forum.Anonymous, forum.Forum{ID: mustForum(t, s, "wtpf").ID})); len(ps) != 0 {
		t.Fatal("a refused import added parties")
	}
	paError(t, sec.JSON("POST", "/api/v1/forums/wtpf/guests", `{"email":"del@example.org"}`), 422, "invalid", "grants")
	paError(t, sec.JSON("POST", "/api/v1/forums/wtpf/guests", `{"email":"del@example.org","grants":["vote"]}`), 422, "invalid", "vote")
	paError(t, sec.JSON("POST", "/api/v1/forums/wtpf/registrations", `{"role":"delegate","colour":"red"}`), 422, "invalid", "colour")
	paError(t, del.JSON("POST", "/api/v1/forums/wtpf/applications", `{"mode":"remote"}`), 422, "invalid", "affiliation")
	paError(t, sec.JSON("GET", "/api/v1/forums/wtpf/parties/XXX", ""), 404, "not_found", "")
	paError(t, sec.JSON("POST", "/api/v1/forums/wtpf/registrations/nope/approve", ""), 404, "not_found", "")
}

func mustForum(t *testing.T, s *servertest.Site, slug string) forum.Forum {
	t.Helper()
	f, err := s.Svc.Kernel.ForumBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
