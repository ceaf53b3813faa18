package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// wantRefusal checks an answer's status and that its message says each of
// says.
func wantRefusal(t *testing.T, what string, r servertest.Response, status int, says ...string) {
	t.Helper()
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	json.Unmarshal([]byte(r.Body), &e)
	if r.StatusCode != status {
		t.Errorf("%s: %d %s, want %d", what, r.StatusCode, r.Body, status)
		return
	}
	for _, s := range says {
		if !strings.Contains(e.Error.Message, s) {
			t.Errorf("%s: %q does not say %q", what, e.Error.Message, s)
		}
	}
}

// After POST /forums/{slug}/status {"status":"closed"} a Member State can
// no longer submit a document or propose an amendment, and the forum
// cannot be opened again by a plain change of status: only by reopening
// it, with a reason, which is on the record.
func TestAPIClosedForumIsFrozen(t *testing.T) {
	s := newDraftAPISite(t)
	const f = "/api/v1/forums/wtpf-13"
	for _, status := range []string{"open", "closed"} {
		if r := s.sec.JSON("POST", f+"/status", `{"status":"`+status+`"}`); r.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", status, r.StatusCode, r.Body)
		}
	}
	closed := []string{"WTPF-13 is closed"}
	wantRefusal(t, "a contribution", s.bra.JSON("POST", f+"/documents", `{"type":"contribution","title":"Brazil on Opinion 5"}`), http.StatusConflict, closed...)
	wantRefusal(t, "a proposal", s.bra.JSON("POST", s.base+"/amendments", `{"op":"SUP","provision":"p2"}`), http.StatusConflict, closed...)
	wantRefusal(t, "a registration", s.obs.JSON("POST", f+"/registrations", `{"party":"BRA","role":"adviser"}`), http.StatusConflict, closed...)
	wantRefusal(t, "a change of the rules", s.sec.JSON("PUT", f+"/rules/preset", `{"preset":"multistakeholder_equal"}`), http.StatusConflict, closed...)
	wantRefusal(t, "a body", s.sec.JSON("POST", f+"/bodies", `{"slug":"wg","name":"WG","kind":"working_group"}`), http.StatusConflict, closed...)
	wantRefusal(t, "opening it by its status", s.sec.JSON("POST", f+"/status", `{"status":"open"}`), http.StatusConflict, closed...)
	wantRefusal(t, "a deadline", s.sec.JSON("POST", f+"/deadlines", `{"kind":"proposals","due_at":"2030-01-01"}`), http.StatusConflict, closed...)

	wantRefusal(t, "reopening without a reason", s.sec.JSON("POST", f+"/reopen", `{"reason":""}`), http.StatusUnprocessableEntity)
	wantRefusal(t, "a delegate reopening", s.bra.JSON("POST", f+"/reopen", `{"reason":"Not done"}`), http.StatusForbidden)
	r := s.sec.JSON("POST", f+"/reopen", `{"reason":"The plenary resumes."}`)
	checkResponse(t, s.d, s.v, "POST", "/forums/{slug}/reopen", r)
	var fo forum.Forum
	decodeInto(t, r, &fo)
	if fo.Status != forum.StatusOpen {
		t.Fatalf("reopened: %s", r.Body)
	}
	if r := s.anon.Get(f + "/ledger"); !strings.Contains(r.Body, `"forum.reopened"`) || !strings.Contains(r.Body, "The plenary resumes.") {
		t.Fatalf("the reopening is not on the public record:\n%.3000s", r.Body)
	}
	if r := s.bra.JSON("POST", f+"/documents", `{"type":"contribution","title":"Brazil on Opinion 5"}`); r.StatusCode != http.StatusCreated {
		t.Fatalf("a contribution after reopening: %d %s", r.StatusCode, r.Body)
	}
}

// Deadlines are set and extended through the API, shown with the forum,
// and enforced.
func TestAPIDeadlines(t *testing.T) {
	s := newDraftAPISite(t)
	const f = "/api/v1/forums/wtpf-13"
	past := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
	r := s.sec.JSON("POST", f+"/deadlines", `{"kind":"contributions","due_at":"`+past.Format(time.RFC3339)+`"}`)
	checkResponse(t, s.d, s.v, "POST", "/forums/{slug}/deadlines", r)
	wantRefusal(t, "a late contribution", s.bra.JSON("POST", f+"/documents", `{"type":"contribution","title":"Late"}`),
		http.StatusConflict, "deadline for contributions", past.Format("2 Jan 2006 15:04 UTC"))
	wantRefusal(t, "a bad kind", s.sec.JSON("POST", f+"/deadlines", `{"kind":"lunch"}`), http.StatusUnprocessableEntity)
	wantRefusal(t, "an extension without a reason", s.sec.JSON("POST", f+"/deadlines", `{"kind":"contributions","due_at":"2099-01-01"}`), http.StatusUnprocessableEntity, "reason")
	r = s.sec.JSON("POST", f+"/deadlines", `{"kind":"contributions","due_at":"2099-01-01T12:00","reason":"Late translations."}`)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("extend: %d %s", r.StatusCode, r.Body)
	}
	r = s.anon.Get(f)
	checkResponse(t, s.d, s.v, "GET", "/forums/{slug}", r)
	var fo forum.Forum
	decodeInto(t, r, &fo)
	if d := fo.DeadlineFor("contributions"); d == nil || d.DueText() != "1 Jan 2099 12:00 UTC" {
		t.Fatalf("the forum's deadlines: %s", r.Body)
	}
	if r := s.bra.JSON("POST", f+"/documents", `{"type":"contribution","title":"In time"}`); r.StatusCode != http.StatusCreated {
		t.Fatalf("a contribution after the extension: %d %s", r.StatusCode, r.Body)
	}
}

// A forum that never opened is discarded: it leaves the list of forums and
// the search, and its record is still there to export and verify.
func TestAPIDiscardedForumLeavesTheLists(t *testing.T) {
	s := newDraftAPISite(t)
	if r := s.sec.JSON("POST", "/api/v1/forums", `{"slug":"try-out","title":"Try-out","kind":"open_forum"}`); r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	if r := s.sec.JSON("POST", "/api/v1/forums/try-out/documents", `{"type":"report","title":"Quokka report","visibility":"public"}`); r.StatusCode != http.StatusCreated {
		t.Fatalf("report: %d %s", r.StatusCode, r.Body)
	}
	wantRefusal(t, "discarding an open forum", func() servertest.Response {
		s.sec.JSON("POST", "/api/v1/forums/wtpf-13/status", `{"status":"open"}`)
		return s.sec.JSON("POST", "/api/v1/forums/wtpf-13/discard", `{"reason":"No"}`)
	}(), http.StatusConflict, "has opened")
	r := s.sec.JSON("POST", "/api/v1/forums/try-out/discard", `{"reason":"Set up to try the software."}`)
	checkResponse(t, s.d, s.v, "POST", "/forums/{slug}/discard", r)
	r = s.anon.Get("/api/v1/forums")
	if r.StatusCode != http.StatusOK || strings.Contains(r.Body, "try-out") || !strings.Contains(r.Body, "wtpf-13") {
		t.Fatalf("forums: %d %s", r.StatusCode, r.Body)
	}
	if r := s.sec.Get("/api/v1/search?q=quokka"); r.StatusCode != http.StatusOK || strings.Contains(r.Body, "Quokka") {
		t.Fatalf("search: %d %s", r.StatusCode, r.Body)
	}
	if r := s.anon.Get("/api/v1/forums/try-out"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"status":"discarded"`) {
		t.Fatalf("the forum by its slug: %d %s", r.StatusCode, r.Body)
	}
	r = s.anon.Get("/api/v1/forums/try-out/ledger")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"forum.discarded"`) || !strings.Contains(r.Body, "Quokka report") {
		t.Fatalf("the ledger of a discarded forum: %d %.2000s", r.StatusCode, r.Body)
	}
}
