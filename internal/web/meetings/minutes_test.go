package meetings_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// validateAKN checks an Akoma Ntoso document against the OASIS schema
// with xmllint; without xmllint the test is skipped, unless CI is set.
func validateAKN(t *testing.T, doc string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if ci := os.Getenv("CI"); ci != "" && ci != "0" && ci != "false" {
			t.Fatal("xmllint is not installed, and CI needs it to validate Akoma Ntoso (Debian: libxml2-utils)")
		}
		t.Skip("xmllint not installed: Akoma Ntoso output not validated")
	}
	path := filepath.Join(t.TempDir(), "debate.xml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("..", "..", "export", "testdata", "akomantoso30.xsd"), path).CombinedOutput()
	if err != nil {
		t.Fatalf("the debate does not validate: %v\n%s", err, out)
	}
}

var textareaRE = regexp.MustCompile(`(?s)<textarea id="f-text" name="text"[^>]*>(.*?)</textarea>`)

func TestMinutesAndTheDebate(t *testing.T) {
	s := newLiveSite(t)
	minutes := wg3 + "/minutes"
	anon, bra, sec, chair := s.client(t, ""), s.client(t, "member_state"), s.client(t, "secretariat"), s.client(t, "chair")

	// The debate is for anyone who may see the meeting, and validates.
	s.chair(t, "next", "start")
	r := anon.Get(wg3 + "/live/chair")
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("console: %d", r.StatusCode)
	}
	r = chair.Get(wg3 + "/live/chair")
	wantStatus(t, chair.PostForm(wg3+"/live/chair", wg3+"/live/chair/rule", url.Values{"request": {requestAtFloor(t, r.Body)},
		"ruling": {"The point is taken."}}), http.StatusSeeOther)
	s.chair(t, "finish", "finish")
	r = anon.Get(wg3 + "/debate.xml")
	wantStatus(t, r, http.StatusOK)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/akn+xml") {
		t.Fatalf("content type %q", r.Header.Get("Content-Type"))
	}
	mustContain(t, r, "<debate", "<pointOfOrder", "The point is taken.", "Beatriz Delegate")
	validateAKN(t, r.Body)

	// The minutes wait for the meeting to be adjourned, and are the
	// secretariat's.
	r = sec.Get(minutes)
	wantStatus(t, r, http.StatusConflict)
	mustContain(t, r, "once it is adjourned or closed")
	wantStatus(t, chair.PostForm(wg3, wg3+"/state", url.Values{"action": {"adjourn"}}), http.StatusSeeOther)
	for _, c := range []struct {
		name string
		key  string
	}{{"anyone", ""}, {"a delegate", "member_state"}, {"the chair", "chair"}} {
		if r := s.client(t, c.key).Get(minutes); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s gets the minutes' form: %d", c.name, r.StatusCode)
		}
	}
	r = sec.Get(minutes)
	wantStatus(t, r, http.StatusOK)
	m := textareaRE.FindStringSubmatch(r.Body)
	if m == nil || !strings.Contains(m[1], "Beatriz Delegate") || !strings.Contains(m[1], "The point is taken.") || !strings.Contains(m[1], "Uma Delegate") {
		t.Fatalf("the draft: %v", m)
	}
	draft := strings.NewReplacer("&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`).Replace(m[1])

	// Refused input changes nothing and keeps what was sent.
	r = sec.PostForm(minutes, minutes, url.Values{"series": {"nope"}, "title": {"Summary record"}, "text": {draft}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-series"`, "Summary record")
	r = bra.PostForm(wg3, minutes, url.Values{"text": {draft}})
	wantStatus(t, r, http.StatusForbidden)

	// Issued: a numbered document of type minutes.
	r = sec.PostForm(minutes, minutes, url.Values{"series": {""}, "title": {"Summary record of WG3-4"}, "text": {draft + "\nEdited by the secretariat.\n"}})
	wantStatus(t, r, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "/forums/wtpf-13/documents/") {
		t.Fatalf("redirected to %q", loc)
	}
	r = anon.Get(loc)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Summary record of WG3-4", "WTPF-13/")
}
