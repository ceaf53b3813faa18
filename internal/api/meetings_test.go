package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

func TestMeetingsAPI(t *testing.T) {
	s := servertest.New(t)
	sec := s.APIToken(s.User("sec@example.org", "Sec", true))
	mustOK := func(c *servertest.Client, method, path, body string) map[string]any {
		t.Helper()
		r := c.JSON(method, "/api/v1"+path, body)
		if r.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, r.StatusCode, r.Body)
		}
		var m map[string]any
		json.Unmarshal([]byte(r.Body), &m)
		return m
	}
	mustOK(sec, "POST", "/forums", `{"slug":"wtpf","title":"WTPF-13","kind":"policy_forum","doc_prefix":"WTPF-13"}`)
	mustOK(sec, "POST", "/forums/wtpf/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"}]}`)
	mustOK(sec, "POST", "/forums/wtpf/bodies", `{"slug":"wg3","name":"Working Group 3","kind":"working_group"}`)
	usa := s.APIToken(s.User("usa@example.org", "usa", false))
	mustOK(sec, "POST", "/forums/wtpf/registrations", `{"email":"usa@example.org","mode":"in_room","party":"USA","role":"delegate"}`)
	anon := s.Client()

	r := sec.JSON("POST", "/api/v1/forums/wtpf/meetings", `{"body":"wg3","title":"Fourth meeting","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Mars/Olympus"}`)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"zone"`) {
		t.Fatalf("bad zone: %d %s", r.StatusCode, r.Body)
	}
	r = usa.JSON("POST", "/api/v1/forums/wtpf/meetings", `{"body":"wg3","title":"Fourth meeting","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich"}`)
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate schedules: %d %s", r.StatusCode, r.Body)
	}
	r = sec.JSON("POST", "/api/v1/forums/wtpf/meetings", `{"body":"wg3","number":"WG3-4","title":"Fourth meeting","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich","remote":true}`)
	if r.StatusCode != http.StatusCreated || !strings.HasSuffix(r.Header.Get("Location"), "/meetings/"+jsonField(t, r.Body, "id")) {
		t.Fatalf("schedule: %d %s", r.StatusCode, r.Body)
	}
	base := "/forums/wtpf/meetings/WG3-4"
	if r := usa.JSON("POST", "/api/v1"+base+"/state", `{"action":"open"}`); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate opens: %d %s", r.StatusCode, r.Body)
	}
	mustOK(sec, "POST", base+"/state", `{"action":"open"}`)
	if r := sec.JSON("POST", "/api/v1"+base+"/state", `{"action":"close"}`); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "allowed: suspend, adjourn") {
		t.Fatalf("closing a meeting in session: %d %s", r.StatusCode, r.Body)
	}
	item := mustOK(sec, "POST", base+"/agenda", `{"title":"Adoption of the agenda","minutes":5}`)["id"].(string)
	mustOK(sec, "PUT", base+"/current-item", `{"item":"`+item+`"}`)
	mustOK(usa, "POST", base+"/check-in", `{"present":true}`)
	att := mustOK(anon, "GET", base+"/attendance", "")
	if att["people"].(float64) != 1 || att["in_room"].(float64) != 1 {
		t.Fatalf("attendance: %v", att)
	}
	m := mustOK(anon, "GET", base, "")
	if m["current_item"] != item || m["state"] != "in_session" {
		t.Fatalf("meeting: %v", m)
	}
	// A closed meeting is not the public's.
	mustOK(sec, "POST", "/forums/wtpf/meetings", `{"body":"wg3","number":"WG3-5","title":"Closed","date":"2013-05-15","start":"09:30","end":"12:30","zone":"Europe/Zurich","access":"closed"}`)
	if r := anon.JSON("GET", "/api/v1/forums/wtpf/meetings/WG3-5", ""); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the public reads a closed meeting: %d", r.StatusCode)
	}
	if r := anon.JSON("GET", "/api/v1/forums/wtpf/meetings", ""); strings.Contains(r.Body, "WG3-5") || !strings.Contains(r.Body, "WG3-4") {
		t.Fatalf("public list: %s", r.Body)
	}
	if r := usa.JSON("GET", "/api/v1/forums/wtpf/meetings", ""); !strings.Contains(r.Body, "WG3-5") {
		t.Fatalf("a delegate's list: %s", r.Body)
	}
	r = anon.Do("GET", "/api/v1/forums/wtpf/meetings.ics", nil, nil)
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(r.Body, "DTSTART;TZID=Europe/Zurich:20130514T093000\r\n") || strings.Contains(r.Body, "Closed") {
		t.Fatalf("calendar: %d %s\n%s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
}

func jsonField(t *testing.T, body, field string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[field].(string)
	return s
}

// Every command of the meetings API refuses a delegate who holds neither
// the secretariat's office nor the right to manage the floor, and the
// public, and changes nothing: the meeting reads the same after.
func TestMeetingsAPIDenials(t *testing.T) {
	s := servertest.New(t)
	sec := s.APIToken(s.User("sec@example.org", "Sec", true))
	do := func(c *servertest.Client, method, path, body string) servertest.Response {
		t.Helper()
		return c.JSON(method, "/api/v1"+path, body)
	}
	mustOK := func(method, path, body string) string {
		t.Helper()
		r := do(sec, method, path, body)
		if r.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, r.StatusCode, r.Body)
		}
		return jsonField(t, r.Body, "id")
	}
	mustOK("POST", "/forums", `{"slug":"wtpf","title":"WTPF-13","kind":"policy_forum","doc_prefix":"WTPF-13"}`)
	mustOK("POST", "/forums/wtpf/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"}]}`)
	mustOK("POST", "/forums/wtpf/bodies", `{"slug":"wg3","name":"Working Group 3","kind":"working_group"}`)
	usa := s.APIToken(s.User("usa@example.org", "usa", false))
	reg := mustOK("POST", "/forums/wtpf/registrations", `{"email":"usa@example.org","mode":"in_room","party":"USA","role":"delegate"}`)
	mustOK("POST", "/forums/wtpf/meetings", `{"body":"wg3","number":"WG3-4","title":"Fourth meeting","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich","remote":true}`)
	base := "/forums/wtpf/meetings/WG3-4"
	hub := mustOK("POST", base+"/hubs", `{"name":"Geneva hub"}`)
	item := mustOK("POST", base+"/agenda", `{"title":"Adoption of the agenda","minutes":5}`)
	mustOK("POST", base+"/agenda", `{"title":"Draft Opinion 5","minutes":60}`)
	before := do(sec, "GET", base, "").Body

	for _, c := range []struct{ method, path, body string }{
		{"POST", "/forums/wtpf/meetings", `{"body":"wg3","title":"Fifth meeting","date":"2013-05-15","start":"09:30","end":"12:30","zone":"Europe/Zurich"}`},
		{"PUT", base, `{"body":"wg3","title":"Renamed","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich"}`},
		{"POST", base + "/state", `{"action":"open"}`},
		{"POST", base + "/hubs", `{"name":"Another hub"}`},
		{"DELETE", base + "/hubs/" + hub, ``},
		{"POST", base + "/attendance", `{"registration":"` + reg + `","present":true}`},
		{"POST", base + "/agenda", `{"title":"Any other business"}`},
		{"PUT", base + "/agenda/" + item, `{"title":"Renamed"}`},
		{"POST", base + "/agenda/" + item + "/move", `{"position":2}`},
		{"POST", base + "/agenda/" + item + "/remove", `{"reason":"not needed"}`},
		{"POST", base + "/agenda/adopt", `{}`},
		{"PUT", base + "/current-item", `{"item":"` + item + `"}`},
	} {
		if r := do(usa, c.method, c.path, c.body); r.StatusCode != http.StatusForbidden {
			t.Errorf("a delegate: %s %s: %d %s", c.method, c.path, r.StatusCode, r.Body)
		}
		if r := do(s.Client(), c.method, c.path, c.body); r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusForbidden {
			t.Errorf("the public: %s %s: %d %s", c.method, c.path, r.StatusCode, r.Body)
		}
	}
	if after := do(sec, "GET", base, "").Body; after != before {
		t.Errorf("refused commands changed the meeting:\nbefore %s\nafter  %s", before, after)
	}
}
