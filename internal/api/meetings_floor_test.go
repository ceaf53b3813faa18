package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

func TestFloorAPI(t *testing.T) {
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
	want := func(c *servertest.Client, method, path, body string, status int, text string) {
		t.Helper()
		r := c.JSON(method, "/api/v1"+path, body)
		if r.StatusCode != status || !strings.Contains(r.Body, text) {
			t.Fatalf("%s %s: %d %s, want %d %q", method, path, r.StatusCode, r.Body, status, text)
		}
	}
	mustOK(sec, "POST", "/forums", `{"slug":"wtpf","title":"WTPF-13","kind":"policy_forum","doc_prefix":"WTPF-13"}`)
	mustOK(sec, "POST", "/forums/wtpf/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"},{"code":"BRA","name":"Brazil","group":"member_state"}]}`)
	mustOK(sec, "POST", "/forums/wtpf/bodies", `{"slug":"wg3","name":"Working Group 3","kind":"working_group"}`)
	usa := s.APIToken(s.User("usa@example.org", "usa", false))
	mustOK(sec, "POST", "/forums/wtpf/registrations", `{"email":"usa@example.org","mode":"in_room","party":"USA","role":"delegate"}`)
	bra := s.APIToken(s.User("bra@example.org", "bra", false))
	mustOK(sec, "POST", "/forums/wtpf/registrations", `{"email":"bra@example.org","mode":"in_room","party":"BRA","role":"head_of_delegation"}`)
	obs := s.APIToken(s.User("obs@example.org", "obs", false))
	mustOK(sec, "POST", "/forums/wtpf/registrations", `{"email":"obs@example.org","mode":"in_room","role":"observer"}`)
	anon := s.Client()
	mustOK(sec, "POST", "/forums/wtpf/meetings", `{"body":"wg3","number":"WG3-4","title":"Fourth meeting","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich","remote":true}`)
	base := "/forums/wtpf/meetings/WG3-4"
	fl := base + "/floor"

	// Policy: the chair or secretariat only; a bad one names its field.
	want(usa, "PUT", fl, `{"precedence":true}`, http.StatusForbidden, "")
	want(sec, "PUT", fl, `{"alternate":{"room":4,"remote":0}}`, http.StatusUnprocessableEntity, "alternate.remote")
	if v := mustOK(sec, "PUT", fl, `{"precedence":true}`); v["policy_text"] == "" || v["policy"].(map[string]any)["precedence"] != true {
		t.Fatalf("policy: %v", v)
	}
	// Requests: anonymous, outsiders and observers (the matrix) are refused.
	want(anon, "POST", fl+"/requests", `{}`, http.StatusUnauthorized, "")
	want(obs, "POST", fl+"/requests", `{}`, http.StatusForbidden, "may not ask for the floor")
	want(usa, "POST", fl+"/requests", `{"kind":"shout"}`, http.StatusUnprocessableEntity, "kind")
	r := usa.JSON("POST", "/api/v1"+fl+"/requests", `{}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("request: %d %s", r.StatusCode, r.Body)
	}
	var req map[string]any
	json.Unmarshal([]byte(r.Body), &req)
	usaID := req["id"].(string)
	braID := mustOK(bra, "POST", fl+"/requests", `{}`)["id"].(string)
	guestID := mustOK(sec, "POST", fl+"/requests", `{"guest":{"name":"Dr Guest","group":"academia"}}`)["id"].(string)
	v := mustOK(anon, "GET", fl, "")
	order := v["order"].([]any)
	if len(order) != 3 || order[0].(map[string]any)["id"] != braID || order[0].(map[string]any)["why"] == "" {
		t.Fatalf("order: %v", order)
	}
	if mine := mustOK(usa, "GET", fl, "")["mine"].([]any); len(mine) != 1 || mine[0].(map[string]any)["position"].(float64) != 2 {
		t.Fatalf("mine: %v", mine)
	}
	// Withdraw, move, remove.
	want(bra, "POST", fl+"/requests/"+usaID+"/withdraw", `{}`, http.StatusForbidden, "")
	want(usa, "POST", fl+"/requests/"+usaID+"/move", `{"to":1,"reason":"x"}`, http.StatusForbidden, "")
	want(sec, "POST", fl+"/requests/"+usaID+"/move", `{"to":1}`, http.StatusUnprocessableEntity, "reason")
	mustOK(sec, "POST", fl+"/requests/"+usaID+"/move", `{"to":1,"reason":"agreed in the bureau"}`)
	want(sec, "POST", fl+"/requests/"+guestID+"/remove", `{}`, http.StatusUnprocessableEntity, "reason")
	mustOK(sec, "POST", fl+"/requests/"+guestID+"/remove", `{"reason":"the guest left"}`)
	// The list: closed, a request to speak refused; reopened.
	want(usa, "POST", fl+"/close", `{}`, http.StatusForbidden, "")
	mustOK(sec, "POST", fl+"/close", `{}`)
	if v := mustOK(anon, "GET", fl, ""); v["closed"] != true {
		t.Fatalf("not closed: %v", v["closed"])
	}
	mustOK(sec, "POST", fl+"/reopen", `{}`)
	// The floor is given only in session.
	want(sec, "POST", fl+"/requests/"+usaID+"/give", `{}`, http.StatusConflict, "in session")
	mustOK(sec, "POST", base+"/state", `{"action":"open"}`)
	want(usa, "POST", fl+"/requests/"+usaID+"/give", `{}`, http.StatusForbidden, "")
	mustOK(sec, "POST", fl+"/requests/"+usaID+"/give", `{}`)
	want(usa, "POST", fl+"/start", `{}`, http.StatusForbidden, "")
	mustOK(sec, "POST", fl+"/start", `{}`)
	want(sec, "POST", fl+"/resume", `{}`, http.StatusConflict, "not paused")
	mustOK(sec, "POST", fl+"/pause", `{}`)
	cur := mustOK(sec, "POST", fl+"/resume", `{}`)["current"].(map[string]any)
	if cur["id"] != usaID || cur["deadline"] == nil {
		t.Fatalf("current: %v", cur)
	}
	// A point of order interrupts; the chair rules.
	poID := mustOK(bra, "POST", fl+"/requests", `{"kind":"point_of_order"}`)["id"].(string)
	mustOK(sec, "POST", fl+"/requests/"+poID+"/give", `{}`)
	want(bra, "POST", fl+"/rule/"+poID, `{"ruling":"x"}`, http.StatusForbidden, "")
	want(sec, "POST", fl+"/rule/"+poID, `{}`, http.StatusUnprocessableEntity, "ruling")
	mustOK(sec, "POST", fl+"/rule/"+poID, `{"ruling":"The point is well taken."}`)
	want(usa, "POST", fl+"/finish", `{}`, http.StatusForbidden, "")
	mustOK(sec, "POST", fl+"/finish", `{}`)
	mustOK(sec, "POST", fl+"/finish", `{"reason":"time is up"}`)
	ins := mustOK(anon, "GET", base+"/interventions", "")["interventions"].([]any)
	if len(ins) != 2 || ins[0].(map[string]any)["ruling"] != "The point is well taken." || ins[1].(map[string]any)["reason"] != "time is up" {
		t.Fatalf("interventions: %v", ins)
	}
	st := mustOK(anon, "GET", base+"/speaking-time", "")
	if st["total"].(map[string]any)["turns"].(float64) != 2 || len(st["parties"].([]any)) != 2 {
		t.Fatalf("speaking time: %v", st)
	}
	if fst := mustOK(anon, "GET", "/forums/wtpf/speaking-time", ""); fst["total"].(map[string]any)["turns"].(float64) != 2 {
		t.Fatalf("forum speaking time: %v", fst)
	}
	want(anon, "GET", "/forums/wtpf/meetings/nope/floor", "", http.StatusNotFound, "")
	// A closed meeting's queue is hidden from the public.
	mustOK(sec, "POST", "/forums/wtpf/meetings", `{"body":"wg3","number":"WG3-5","title":"Closed","date":"2013-05-15","start":"09:30","end":"12:30","zone":"Europe/Zurich","access":"closed"}`)
	want(anon, "GET", "/forums/wtpf/meetings/WG3-5/floor", "", http.StatusNotFound, "")
	want(anon, "GET", "/forums/wtpf/meetings/WG3-5/interventions", "", http.StatusNotFound, "")
	mustOK(usa, "GET", "/forums/wtpf/meetings/WG3-5/floor", "")
}
