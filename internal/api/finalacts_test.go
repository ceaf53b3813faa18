package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// faTest sends requests to a signing site and checks the answers.
type faTest struct {
	*probeSite
	s signing
	d doc
	v validator
}

func newFATest(t *testing.T) *faTest {
	ps := newProbeSite(t)
	ft := &faTest{probeSite: ps, s: ps.signing(1)}
	ft.d, ft.v = loadDoc(t, ps.Site)
	return ft
}

// want sends a request, wants the status (and for an error, the field it
// names, if any), checks a success against its schema (documented as
// pattern) and returns the decoded body.
func (ft *faTest) want(c *servertest.Client, method, path, pattern, body string, status int, field string) map[string]any {
	ft.t.Helper()
	r := c.JSON(method, "/api/v1"+path, body)
	if r.StatusCode != status {
		ft.t.Fatalf("%s %s %s: %d %s, want %d", method, path, body, r.StatusCode, r.Body, status)
	}
	if status < 300 && pattern != "" {
		checkResponse(ft.t, ft.d, ft.v, method, pattern, r)
	}
	if field != "" && !errorNames(r.Body, field) {
		ft.t.Errorf("%s %s: the error %s does not name %s", method, path, r.Body, field)
	}
	var m map[string]any
	json.Unmarshal([]byte(r.Body), &m)
	return m
}

func TestFinalActsAPISignatureDeclarationsAndTally(t *testing.T) {
	ft := newFATest(t)
	s, sec, pub := ft.s, ft.sec, ft.Client()
	const one = "/forums/{slug}/final-acts/{id}"

	list := ft.want(sec, "GET", "/forums/"+s.slug+"/final-acts", "/forums/{slug}/final-acts", "", 200, "")
	if fas := list["final_acts"].([]any); len(fas) != 1 {
		t.Fatalf("final acts listed: %v", fas)
	}
	fa := ft.want(sec, "GET", s.base, one, "", 200, "")
	provs := fa["provisions"].([]any)
	if len(provs) != 2 || fa["hash"] != s.hash || fa["open"] != false {
		t.Fatalf("final acts read: %v", fa)
	}
	key := provs[1].(map[string]any)["key"].(string)
	if !strings.HasPrefix(key, s.first+":") || provs[1].(map[string]any)["label"] != "1.1" {
		t.Errorf("a provision keeps its identity from the drafting history: %v", provs[1])
	}

	// Not open yet: no signature.
	sign := `{"state":"signed","hash":"` + s.hash + `"}`
	ft.want(s.head, "POST", s.base+"/signatures", "", sign, http.StatusConflict, "")
	ft.want(sec, "POST", s.base+"/open", one+"/open", `{}`, 200, "")

	// Who signs: not the public, not a delegate not named, not with a bad
	// state or another text's hash; the head of delegation, once.
	ft.want(pub, "POST", s.base+"/signatures", "", sign, http.StatusUnauthorized, "")
	ft.want(s.delegate, "POST", s.base+"/signatures", "", sign, http.StatusForbidden, "")
	ft.want(sec, "POST", s.base+"/signatures", "", sign, http.StatusForbidden, "")
	ft.want(s.head, "POST", s.base+"/signatures", "", `{"state":"maybe","hash":"`+s.hash+`"}`, http.StatusUnprocessableEntity, "state")
	ft.want(s.head, "POST", s.base+"/signatures", "", `{"state":"signed","hash":"`+s.hash+`","seal":true}`, http.StatusUnprocessableEntity, "seal")
	ft.want(s.head, "POST", s.base+"/signatures", "", `{"state":"signed","hash":"`+strings.Repeat("0", 64)+`"}`, http.StatusConflict, "")
	sig := ft.want(s.head, "POST", s.base+"/signatures", one+"/signatures", sign, http.StatusCreated, "")
	if sig["hash"] != s.hash || sig["state"] != "signed" || sig["capacity"] != "head_of_delegation" || sig["current"] != true {
		t.Errorf("the signature: %v", sig)
	}
	ft.want(s.head, "POST", s.base+"/signatures", "", sign, http.StatusConflict, "")

	// Naming a signer: the head on its own word; the secretariat names the party.
	ft.want(s.delegate, "POST", s.base+"/signers", "", `{"registration":"`+s.delegateReg+`"}`, http.StatusForbidden, "")
	ft.want(sec, "POST", s.base+"/signers", "", `{"registration":"`+s.delegateReg+`"}`, http.StatusUnprocessableEntity, "party")
	ft.want(s.head, "POST", s.base+"/signers", "", `{"registration":"nobody"}`, http.StatusUnprocessableEntity, "registration")
	named := ft.want(s.head, "POST", s.base+"/signers", one+"/signers", `{"registration":"`+s.delegateReg+`"}`, http.StatusCreated, "")
	if named["basis"] != "head" {
		t.Errorf("named signer: %v", named)
	}
	signers := ft.want(pub, "GET", s.base+"/signers", one+"/signers", "", 200, "")
	if len(signers["signers"].([]any)) != 1 {
		t.Errorf("signers: %v", signers)
	}

	// Declarations and reservations, numbered, tied to the provision.
	ft.want(pub, "POST", s.base+"/declarations", "", `{"kind":"declaration","text":"x"}`, http.StatusUnauthorized, "")
	ft.want(s.head, "POST", s.base+"/declarations", "", `{"kind":"protest","text":"x"}`, http.StatusUnprocessableEntity, "kind")
	ft.want(s.head, "POST", s.base+"/declarations", "", `{"kind":"reservation","text":"x","provisions":["nowhere"]}`, http.StatusUnprocessableEntity, "provisions")
	ft.want(s.head, "POST", s.base+"/declarations", "", `{"kind":"declaration","text":"x","additional":true}`, http.StatusUnprocessableEntity, "references")
	d1 := ft.want(s.head, "POST", s.base+"/declarations", one+"/declarations",
		`{"kind":"reservation","text":"The United States reserves its right to take measures it deems necessary.","provisions":["`+key+`"]}`, http.StatusCreated, "")
	d2 := ft.want(s.delegate, "POST", s.base+"/declarations", one+"/declarations",
		`{"kind":"declaration","additional":true,"references":[1],"text":"Further to No. 1.","provisions":["`+key+`"]}`, http.StatusCreated, "")
	if d1["number"] != 1.0 || d2["number"] != 2.0 || d2["references"].([]any)[0] != 1.0 {
		t.Errorf("numbering: %v %v", d1, d2)
	}
	ft.want(s.head, "POST", s.base+"/declarations", "", `{"kind":"declaration","additional":true,"references":[9],"text":"x"}`, http.StatusUnprocessableEntity, "references")
	decls := ft.want(pub, "GET", s.base+"/declarations", one+"/declarations", "", 200, "")
	if len(decls["declarations"].([]any)) != 2 {
		t.Errorf("declarations: %v", decls)
	}
	fa = ft.want(pub, "GET", s.base, one, "", 200, "")
	beside := fa["provisions"].([]any)[1].(map[string]any)["declarations"].([]any)
	if len(beside) != 2 || beside[0].(map[string]any)["number"] != 1.0 || beside[1].(map[string]any)["additional"] != true {
		t.Errorf("declarations beside the provision: %v", beside)
	}

	// The tally.
	tally := ft.want(pub, "GET", s.base+"/tally", one+"/tally", "", 200, "")
	total := tally["total"].(map[string]any)
	if total["eligible"] != 1.0 || total["signed"] != 1.0 || total["not_yet"] != 0.0 || len(tally["by_group"].([]any)) == 0 {
		t.Errorf("tally: %v", tally)
	}

	// The documents' API gives final acts no free-text Rev.: it says to use the revise command.
	doc := "/forums/" + s.slug + "/documents/" + s.base[strings.LastIndex(s.base, "/")+1:] + "/versions"
	if r := sec.JSON("POST", "/api/v1"+doc, `{"kind":"rev","text":"Another text."}`); r.StatusCode != http.StatusUnprocessableEntity ||
		!errorNames(r.Body, "kind") || !strings.Contains(r.Body, "revise command") {
		t.Errorf("a free-text Rev. of the final acts: %d %s", r.StatusCode, r.Body)
	}

	// A revision supersedes the signature.
	ft.want(s.head, "POST", s.base+"/revisions", "", `{"note":"x","title":"Renamed"}`, http.StatusForbidden, "")
	ft.want(sec, "POST", s.base+"/revisions", "", `{"title":"Renamed"}`, http.StatusUnprocessableEntity, "note")
	ft.want(sec, "POST", s.base+"/revisions", "", `{"note":"x","kind":"addendum","title":"Renamed"}`, http.StatusUnprocessableEntity, "kind")
	rev := ft.want(sec, "POST", s.base+"/revisions", one+"/revisions",
		`{"note":"The resolution is added.","kind":"corr","texts":[{"draft":"`+s.first+`"},{"draft":"`+s.second+`"}]}`, 200, "")
	if rev["revision"] != 2.0 || rev["hash"] == s.hash || len(rev["provisions"].([]any)) != 3 {
		t.Errorf("revised: %v", rev)
	}
	sigs := ft.want(pub, "GET", s.base+"/signatures", one+"/signatures", "", 200, "")
	if l := sigs["signatures"].([]any); len(l) != 1 || l[0].(map[string]any)["current"] != false || l[0].(map[string]any)["hash"] != s.hash {
		t.Errorf("a signature of a superseded text: %v", sigs)
	}
	ft.want(pub, "GET", s.base+"/signatures?all=maybe", "", "", http.StatusUnprocessableEntity, "all")
	if tally := ft.want(pub, "GET", s.base+"/tally", one+"/tally", "", 200, ""); tally["total"].(map[string]any)["superseded"] != 1.0 {
		t.Errorf("tally after the revision: %v", tally["total"])
	}
	// The named delegate signs the current text for the party.
	sig2 := ft.want(s.delegate, "POST", s.base+"/signatures", one+"/signatures", `{"state":"signed_subject_to_ratification","hash":"`+rev["hash"].(string)+`"}`, http.StatusCreated, "")
	if sig2["n"] != 2.0 || sig2["capacity"] != "delegate" {
		t.Errorf("the named delegate's signature: %v", sig2)
	}
	acts := ft.want(pub, "GET", s.base+"/signatures?all=true", one+"/signatures", "", 200, "")
	if len(acts["signatures"].([]any)) != 2 {
		t.Errorf("signature acts: %v", acts)
	}

	// The window and the cut-off: the secretariat's.
	ft.want(s.head, "PUT", s.base+"/cutoff", "", `{}`, http.StatusForbidden, "")
	ft.want(s.head, "POST", s.base+"/close", "", `{}`, http.StatusForbidden, "")
	ft.want(sec, "PUT", s.base+"/cutoff", "", `{"at":"tomorrow"}`, http.StatusUnprocessableEntity, "body")
	ft.want(sec, "PUT", s.base+"/cutoff", one+"/cutoff", `{}`, 200, "")
	ft.want(s.head, "POST", s.base+"/declarations", "", `{"kind":"declaration","text":"Too late."}`, http.StatusConflict, "")
	closed := ft.want(sec, "POST", s.base+"/close", one+"/close", `{}`, 200, "")
	if closed["open"] != false || closed["closes_at"] == nil {
		t.Errorf("closed: %v", closed)
	}
	ft.want(s.delegate, "POST", s.base+"/signatures", "", `{"state":"signed","hash":"`+rev["hash"].(string)+`"}`, http.StatusConflict, "")
	ft.want(pub, "GET", "/forums/"+s.slug+"/final-acts/nothing", "", "", http.StatusNotFound, "")
}

func TestFinalActsAPIAssembleDenials(t *testing.T) {
	ft := newFATest(t)
	s, sec := ft.s, ft.sec
	path := "/forums/" + s.slug + "/final-acts"
	before := ft.want(sec, "GET", path, "", "", 200, "")
	for _, c := range []struct {
		who    *servertest.Client
		body   string
		status int
		field  string
	}{
		{ft.Client(), `{"title":"Final Acts","texts":[{"draft":"` + s.first + `"}]}`, http.StatusUnauthorized, ""},
		{s.head, `{"title":"Final Acts","texts":[{"draft":"` + s.first + `"}]}`, http.StatusForbidden, ""},
		{sec, `{"texts":[{"draft":"` + s.first + `"}]}`, http.StatusUnprocessableEntity, "title"},
		{sec, `{"title":"Final Acts","texts":[]}`, http.StatusUnprocessableEntity, "texts"},
		{sec, `{"title":"Final Acts","texts":[{"draft":"nothing"}]}`, http.StatusUnprocessableEntity, "draft"},
		{sec, `{"title":"Final Acts","texts":[{"draft":"` + s.first + `","revision":7}]}`, http.StatusUnprocessableEntity, "revision"},
		{sec, `{"title":"Final Acts","texts":[{"draft":"` + s.first + `"}],"signed":true}`, http.StatusUnprocessableEntity, "signed"},
		{sec, `{"title":"Final Acts","texts":"all"}`, http.StatusUnprocessableEntity, "texts"},
	} {
		ft.want(c.who, "POST", path, "", c.body, c.status, c.field)
	}
	if after := ft.want(sec, "GET", path, "", "", 200, ""); len(after["final_acts"].([]any)) != len(before["final_acts"].([]any)) {
		t.Errorf("refused assemblies changed the list: %v", after)
	}
	// An unadopted draft is refused, naming it.
	draft := ft.ok(sec, "POST", "/forums/"+s.slug+"/drafts", `{"text":"# Not adopted\n\n1. that nothing is agreed.\n"}`)["id"].(string)
	ft.want(sec, "POST", path, "", `{"title":"Final Acts","texts":[{"draft":"`+draft+`"}]}`, http.StatusUnprocessableEntity, "draft")
}

func TestFinalActsAPIStatements(t *testing.T) {
	ft := newFATest(t)
	sec, pub := ft.sec, ft.Client()
	path := "/forums/wtpf/statements"
	ft.want(pub, "POST", path, "", `{"kind":"closing","target":{"kind":"forum"},"text":"x"}`, http.StatusUnauthorized, "")
	ft.want(ft.usa, "POST", path, "", `{"kind":"closing","text":"x"}`, http.StatusUnprocessableEntity, "target")
	ft.want(ft.usa, "POST", path, "", `{"kind":"speech","target":{"kind":"forum"},"text":"x"}`, http.StatusUnprocessableEntity, "kind")
	ft.want(ft.usa, "POST", path, "", `{"kind":"explanation","target":{"kind":"forum"},"text":"x"}`, http.StatusUnprocessableEntity, "kind")
	ft.want(ft.usa, "POST", path, "", `{"kind":"closing","target":{"kind":"decision","id":"nothing"},"text":"x"}`, http.StatusUnprocessableEntity, "id")
	// A named group's statement is entered by the secretariat only.
	ft.want(ft.usa, "POST", path, "", `{"kind":"closing","target":{"kind":"forum"},"author":"Civil society","text":"x"}`, http.StatusForbidden, "")
	st := ft.want(sec, "POST", path, "/forums/{slug}/statements",
		`{"kind":"closing","target":{"kind":"forum"},"author":"Civil society participants","text":"We do not support the outcome."}`, http.StatusCreated, "")
	if st["author"] != "Civil society participants" || st["kind_label"] != "Closing statement" || st["target_kind"] != "forum" {
		t.Errorf("statement: %v", st)
	}
	own := ft.want(ft.usa, "POST", path, "/forums/{slug}/statements",
		`{"kind":"explanation","target":{"kind":"document","id":"`+ft.document+`"},"text":"We join, with an understanding."}`, http.StatusCreated, "")
	if own["party"].(map[string]any)["code"] != "USA" {
		t.Errorf("a party's explanation: %v", own)
	}
	all := ft.want(pub, "GET", path, "/forums/{slug}/statements", "", 200, "")
	if len(all["statements"].([]any)) != 2 {
		t.Errorf("statements: %v", all)
	}
	onForum := ft.want(pub, "GET", path+"?target=forum", "/forums/{slug}/statements", "", 200, "")
	if l := onForum["statements"].([]any); len(l) != 1 || l[0].(map[string]any)["text"] != "We do not support the outcome." {
		t.Errorf("statements on the forum: %v", onForum)
	}
	ft.want(pub, "GET", path+"?target=meeting", "", "", http.StatusUnprocessableEntity, "target")
}
