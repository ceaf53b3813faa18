package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

func TestMeetingRecordAPI(t *testing.T) {
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
	want := func(c *servertest.Client, method, path, body string, status int, text string) servertest.Response {
		t.Helper()
		r := c.JSON(method, "/api/v1"+path, body)
		if r.StatusCode != status || !strings.Contains(r.Body, text) {
			t.Fatalf("%s %s: %d %s, want %d %q", method, path, r.StatusCode, r.Body, status, text)
		}
		return r
	}
	mustOK(sec, "POST", "/forums", `{"slug":"wtpf","title":"WTPF-13","kind":"policy_forum","doc_prefix":"WTPF-13"}`)
	mustOK(sec, "POST", "/forums/wtpf/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"}]}`)
	mustOK(sec, "POST", "/forums/wtpf/bodies", `{"slug":"wg3","name":"Working Group 3","kind":"working_group"}`)
	usa := s.APIToken(s.User("usa@example.org", "Uma Delegate", false))
	mustOK(sec, "POST", "/forums/wtpf/registrations", `{"email":"usa@example.org","mode":"in_room","party":"USA","role":"delegate"}`)
	anon := s.Client()
	mustOK(sec, "POST", "/forums/wtpf/meetings", `{"body":"wg3","number":"WG3-4","title":"Fourth meeting","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich"}`)
	base := "/forums/wtpf/meetings/WG3-4"
	mustOK(sec, "POST", base+"/agenda", `{"title":"Draft Opinion 5"}`)
	mustOK(sec, "POST", base+"/state", `{"action":"open"}`)
	id := mustOK(usa, "POST", base+"/floor/requests", `{}`)["id"].(string)
	mustOK(sec, "POST", base+"/floor/requests/"+id+"/give", `{}`)
	mustOK(sec, "POST", base+"/floor/finish", `{}`)

	// Transcript text: the secretariat's; the delegate is refused.
	want(usa, "POST", base+"/interventions/"+id+"/transcript", `{"text":"The United States agrees."}`, http.StatusForbidden, "")
	want(sec, "POST", base+"/interventions/nope/transcript", `{"text":"x"}`, http.StatusUnprocessableEntity, "intervention")
	want(sec, "POST", base+"/interventions/"+id+"/transcript", `{"text":"The United States agrees."}`, http.StatusCreated, `"speaker":"Uma Delegate"`)
	r := want(anon, "GET", base+"/transcript", "", http.StatusOK, "The United States agrees.")
	if !strings.Contains(r.Body, `"party":"United States of America"`) {
		t.Fatalf("the line does not name its party: %s", r.Body)
	}
	want(anon, "GET", base+"/record", "", http.StatusOK, `"transcript":[{`)

	// A statement must be of type statement.
	doc := mustOK(sec, "POST", "/forums/wtpf/documents", `{"type":"information","title":"Note","text":"A note."}`)["id"].(string)
	want(sec, "POST", base+"/interventions/"+id+"/statement", `{"document":"`+doc+`"}`, http.StatusUnprocessableEntity, "not a statement")
	st := mustOK(sec, "POST", "/forums/wtpf/documents", `{"type":"statement","title":"Statement of the United States","text":"We agree.","parties":["USA"]}`)
	want(sec, "POST", base+"/interventions/"+id+"/statement", `{"document":"`+st["number"].(string)+`"}`, http.StatusOK, st["id"].(string))
	want(anon, "GET", base+"/record", "", http.StatusOK, `"statement_number":"`+st["number"].(string)+`"`)

	// The debate, for anyone who may see the meeting.
	r = anon.Get("/api/v1" + base + "/debate.xml")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "<debate") || !strings.Contains(r.Body, "The United States agrees.") {
		t.Fatalf("debate: %d %s", r.StatusCode, r.Body)
	}

	// Minutes: once adjourned, the secretariat's, as JSON or Markdown.
	want(sec, "GET", base+"/minutes", "", http.StatusConflict, "adjourned or closed")
	mustOK(sec, "POST", base+"/state", `{"action":"adjourn"}`)
	want(usa, "GET", base+"/minutes", "", http.StatusForbidden, "")
	want(sec, "GET", base+"/minutes", "", http.StatusOK, "Uma Delegate")
	r = sec.Do("GET", "/api/v1"+base+"/minutes", nil, http.Header{"Accept": {"text/markdown"}})
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/markdown") || !strings.Contains(r.Body, "Draft Opinion 5") {
		t.Fatalf("markdown: %s %s", r.Header.Get("Content-Type"), r.Body)
	}
	want(sec, "POST", base+"/minutes", `{"text":"  "}`, http.StatusUnprocessableEntity, "text")
	m := mustOK(sec, "POST", base+"/minutes", `{"text":"The meeting heard the United States."}`)
	if m["type"] != "minutes" || !strings.HasPrefix(m["number"].(string), "WTPF-13/") {
		t.Fatalf("minutes: %v", m)
	}
}
