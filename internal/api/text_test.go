package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/api"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// heads is the head of every chain of the site's ledger.
func heads(t *testing.T, s *servertest.Site) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	chains, err := s.Store.AllChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range chains {
		if out[c], err = s.Store.HeadSeq(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func sameHeads(t *testing.T, what string, before, after map[string]int64) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("%s: chains %v, then %v", what, before, after)
	}
	for c, n := range before {
		if after[c] != n {
			t.Fatalf("%s appended events to chain %s: %d -> %d", what, c, n, after[c])
		}
	}
}

// wantError checks a refusal: its status and the field it names, with a
// message containing msg.
func wantError(t *testing.T, what string, r servertest.Response, status int, field, msg string) {
	t.Helper()
	var e api.ErrorBody
	decodeInto(t, r, &e)
	if r.StatusCode != status || e.Error.Field != field || !strings.Contains(e.Error.Message, msg) {
		t.Errorf("%s: %d %s, want %d naming %s: %q", what, r.StatusCode, r.Body, status, field, msg)
	}
}

// Text that is not valid UTF-8 is refused naming its field, before it is
// decoded (encoding/json would turn it into U+FFFD), and nothing is stored.
func TestAPIRefusesTextThatIsNotUTF8(t *testing.T) {
	s := newDraftAPISite(t)
	before := heads(t, s.Site)
	for _, tt := range []struct {
		c          *servertest.Client
		path, body string
		field      string
	}{
		{s.sec, "/api/v1/forums", `{"slug": "wcit-12", "title": "WCIT-12, Duba` + "\xef" + `", "kind": "treaty_conference"}`, "title"},
		{s.sec, "/api/v1/forums", `{"slug": "wcit-12", "title": "WCIT-12", "kind": "treaty_conference", "venue": "Duba\udc8f"}`, "venue"},
		{s.sec, "/api/v1/forums", `{"slug": "wcit-12", "title": "WCIT-12", "kind": "treaty_conference", "languages": ["en", "` + "\xff" + `"]}`, "languages[1]"},
		{s.bra, s.base + "/amendments", `{"op": "MOD", "provision": "p3", "text": "that all stakeholders \ud800 take part;"}`, "text"},
		{s.editor, s.base + "/revisions", `{"decisions": [{"action": "compromise", "provision_id": "p3", "text": "caf` + "\xe9" + `"}]}`, "decisions[0].text"},
		{s.sec, "/api/v1/forums/wtpf-13/parties/import", `{"parties": [{"code": "CIV", "name": "C` + "\xf4" + `te d'Ivoire", "group": "member_state"}]}`, "parties[0].name"},
	} {
		r := tt.c.JSON("POST", tt.path, tt.body)
		wantError(t, tt.path, r, http.StatusUnprocessableEntity, tt.field, "is not valid UTF-8 text")
	}
	sameHeads(t, "refused bodies", before, heads(t, s.Site))
	if r := s.anon.Get("/api/v1/forums/wcit-12"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a refused forum was stored: %d", r.StatusCode)
	}
	// Control characters are refused by the commands, on every face alike.
	r := s.sec.JSON("POST", "/api/v1/forums", `{"slug": "wcit-12", "title": "WCIT-12\u001b[2J", "kind": "treaty_conference"}`)
	wantError(t, "control character", r, http.StatusUnprocessableEntity, "title", "must not contain control characters")
	sameHeads(t, "a refused title", before, heads(t, s.Site))
}

// A revision number in a query or a body that names no revision is refused
// naming its field (422, not 409); a revision in a path that does not exist
// is not found.
func TestAPIRevisionNumbersOutOfRange(t *testing.T) {
	s := newDraftAPISite(t)
	p := "/forums/{slug}/drafts/{id}"
	const msg = "must be a revision of WTPF-13/1, from 1 to 1"
	for _, tt := range []struct {
		pattern, path, field string
	}{
		{p, s.base + "?revision=99", "revision"},
		{p + "/brackets", s.base + "/brackets?revision=2", "revision"},
		{p + "/redline", s.base + "/redline?from=1&to=99", "to"},
		{p + "/amendments", s.base + "/amendments?revision=2", "revision"},
	} {
		r := s.check(t, s.anon, "GET", tt.pattern, tt.path, "", http.StatusUnprocessableEntity)
		wantError(t, tt.path, r, http.StatusUnprocessableEntity, tt.field, msg)
	}
	before := heads(t, s.Site)
	r := s.check(t, s.bra, "POST", p+"/amendments", s.base+"/amendments", `{"op": "NOC", "provision": "p1", "revision": 99}`, http.StatusUnprocessableEntity)
	wantError(t, "proposal against revision 99", r, http.StatusUnprocessableEntity, "revision", msg)
	r = s.check(t, s.editor, "POST", p+"/revisions", s.base+"/revisions", `{"revision": 99, "decisions": [{"action": "compromise", "provision_id": "p3", "text": "that it works;"}]}`, http.StatusUnprocessableEntity)
	wantError(t, "revision decided on revision 99", r, http.StatusUnprocessableEntity, "revision", msg)
	sameHeads(t, "refused commands", before, heads(t, s.Site))
	for _, path := range []string{s.base + "/revisions/99/akn", s.base + "/revisions/2/proposals/akn", s.base + "/revisions/x/akn", s.base + "/revisions/0/akn"} {
		if r := s.anon.Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.StatusCode)
		}
	}
}

// One provision has one limit, whether it comes with the draft, in a
// proposal or in the editor's rewording, with the same message.
func TestAPIProvisionLimit(t *testing.T) {
	s := newDraftAPISite(t)
	p := "/forums/{slug}/drafts/{id}"
	long := strings.Repeat("words ", 70000/6)
	const msg = "a provision's text must be at most 65536 bytes"
	before := heads(t, s.Site)
	r := s.check(t, s.editor, "POST", "/forums/{slug}/drafts", "/api/v1/forums/wtpf-13/drafts", `{"title": "Long", "text": "1. `+long+`"}`, http.StatusUnprocessableEntity)
	wantError(t, "draft", r, http.StatusUnprocessableEntity, "text", "line 1: "+msg)
	r = s.check(t, s.bra, "POST", p+"/amendments", s.base+"/amendments", `{"op": "MOD", "provision": "p3", "text": "`+long+`"}`, http.StatusUnprocessableEntity)
	wantError(t, "proposal", r, http.StatusUnprocessableEntity, "text", msg)
	r = s.check(t, s.editor, "POST", p+"/revisions", s.base+"/revisions", `{"decisions": [{"action": "compromise", "provision_id": "p3", "text": "`+long+`"}]}`, http.StatusUnprocessableEntity)
	wantError(t, "compromise", r, http.StatusUnprocessableEntity, "decisions[0].text", msg)
	sameHeads(t, "refused provisions", before, heads(t, s.Site))
}
