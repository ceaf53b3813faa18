package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// decisionsSite is a treaty conference where Member States with
// credentials in order vote: the United States and Brazil (in order),
// Kenya (for signature only) and Example Telecom, a Sector Member; a
// plenary meeting in session and a draft text.
type decisionsSite struct {
	*servertest.Site
	t                       *testing.T
	sec, usa, bra, ken, tel *servertest.Client
	meeting, draft          string
	d                       doc
	v                       validator
}

const dBase = "/forums/wcit/decisions"

func newDecisionsSite(t *testing.T) *decisionsSite {
	s := &decisionsSite{Site: servertest.New(t), t: t}
	s.sec = s.APIToken(s.User("sec@example.org", "Sec", true))
	s.ok(s.sec, "POST", "/forums", `{"slug":"wcit","title":"WCIT-12","kind":"treaty_conference","doc_prefix":"WCIT-12"}`)
	s.ok(s.sec, "PUT", "/forums/wcit/rules/preset", `{"preset":"itu_treaty_conference"}`)
	s.ok(s.sec, "POST", "/forums/wcit/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"},`+
		`{"code":"BRA","name":"Brazil","group":"member_state"},{"code":"KEN","name":"Kenya","group":"member_state"},`+
		`{"code":"EXTEL","name":"Example Telecom","group":"sector_member"}]}`)
	s.ok(s.sec, "PUT", "/forums/wcit/parties/USA/credentials", `{"state":"in_order"}`)
	s.ok(s.sec, "PUT", "/forums/wcit/parties/BRA/credentials", `{"state":"in_order"}`)
	s.ok(s.sec, "PUT", "/forums/wcit/parties/KEN/credentials", `{"state":"sign_only"}`)
	s.ok(s.sec, "POST", "/forums/wcit/bodies", `{"slug":"plenary","name":"Plenary","kind":"plenary"}`)
	reg := func(email, name, party string) *servertest.Client {
		c := s.APIToken(s.User(email, name, false))
		s.ok(s.sec, "POST", "/forums/wcit/registrations", `{"email":"`+email+`","mode":"in_room","party":"`+party+`","role":"delegate"}`)
		return c
	}
	s.usa, s.bra = reg("usa@example.org", "Uma Delegate", "USA"), reg("bra@example.org", "Beatriz Delegate", "BRA")
	s.ken, s.tel = reg("ken@example.org", "Kamau Delegate", "KEN"), reg("tel@example.org", "Samir Sector", "EXTEL")
	s.meeting = s.ok(s.sec, "POST", "/forums/wcit/meetings", `{"body":"plenary","number":"PL-1","title":"Plenary","date":"2012-12-12","start":"20:00","end":"23:00","zone":"Asia/Dubai"}`)["id"].(string)
	s.ok(s.sec, "POST", "/forums/wcit/meetings/PL-1/state", `{"action":"open"}`)
	s.draft = s.ok(s.sec, "POST", "/forums/wcit/drafts", `{"text":"# Draft resolution\n\n1. that all stakeholders should take part;\n"}`)["id"].(string)
	s.d, s.v = loadDoc(t, s.Site)
	return s
}

func (s *decisionsSite) ok(c *servertest.Client, method, path, body string) map[string]any {
	s.t.Helper()
	r := c.JSON(method, "/api/v1"+path, body)
	if r.StatusCode >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, r.StatusCode, r.Body)
	}
	var m map[string]any
	json.Unmarshal([]byte(r.Body), &m)
	return m
}

// decision reads a decision and checks it against its schema.
func (s *decisionsSite) decision(id string) (map[string]any, string) {
	s.t.Helper()
	r := s.Client().Get("/api/v1" + dBase + "/" + id)
	if r.StatusCode != http.StatusOK {
		s.t.Fatalf("decision %s: %d %s", id, r.StatusCode, r.Body)
	}
	checkResponse(s.t, s.d, s.v, "GET", "/forums/{slug}/decisions/{id}", r)
	var m map[string]any
	json.Unmarshal([]byte(r.Body), &m)
	return m, r.Body
}

func (s *decisionsSite) vote(method string) string {
	return s.ok(s.sec, "POST", dBase+"/votes", `{"meeting":"PL-1","title":"Vote on the preamble","subject":{"kind":"question","text":"Whether to adopt the preamble"},"method":"`+method+`"}`)["id"].(string)
}

func TestDecisionsAPIConsensusAdoptsADraft(t *testing.T) {
	s := newDecisionsSite(t)
	in := `{"meeting":"PL-1","title":"The resolution","subject":{"kind":"revision","draft":"` + s.draft + `"}}`
	wantRefusal(t, "a delegate opening a consensus call", s.usa.JSON("POST", "/api/v1"+dBase+"/consensus", in), http.StatusForbidden)
	r := s.sec.JSON("POST", "/api/v1"+dBase+"/consensus", in)
	if r.StatusCode != http.StatusCreated || !strings.HasPrefix(r.Header.Get("Location"), "/api/v1/forums/wcit/decisions/") {
		t.Fatalf("open: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	id := jsonField(t, r.Body, "id")
	wantRefusal(t, "an objection without a reason", s.bra.JSON("POST", "/api/v1"+dBase+"/"+id+"/objections", `{}`), http.StatusUnprocessableEntity, "reason")
	obj := s.ok(s.bra, "POST", dBase+"/"+id+"/objections", `{"reason":"Paragraph 1 goes too far."}`)["id"].(string)
	wantRefusal(t, "the United States withdrawing Brazil's objection", s.usa.JSON("POST", "/api/v1"+dBase+"/"+id+"/objections/"+obj+"/withdraw", `{}`), http.StatusForbidden)
	wantRefusal(t, "rough consensus without answers", s.sec.JSON("POST", "/api/v1"+dBase+"/"+id+"/finding", `{"finding":"adopted_objections_addressed"}`),
		http.StatusUnprocessableEntity, "not been addressed")
	s.ok(s.bra, "POST", dBase+"/"+id+"/objections/"+obj+"/withdraw", `{}`)
	closed := s.ok(s.sec, "POST", dBase+"/"+id+"/finding", `{"finding":"adopted"}`)
	if closed["outcome"] != "adopted" || closed["document"] == nil {
		t.Fatalf("closed: %v", closed)
	}
	ex := s.ok(s.usa, "POST", dBase+"/"+id+"/explanations", `{"text":"We join consensus."}`)
	if ex["party"].(map[string]any)["code"] != "USA" {
		t.Fatalf("explanation: %v", ex)
	}
	d, _ := s.decision(id)
	if len(d["consensus"].(map[string]any)["explanations"].([]any)) != 1 || d["binding"] != true {
		t.Fatalf("decision: %v", d)
	}
	// The adopted draft takes no proposal until a decision reopens it.
	wantRefusal(t, "a proposal to an adopted draft", s.usa.JSON("POST", "/api/v1/forums/wcit/drafts/"+s.draft+"/amendments", `{"op":"ADD","after":"p1","text":"that more be said."}`),
		http.StatusConflict, "adopted")
	wantRefusal(t, "a delegate reopening", s.usa.JSON("POST", "/api/v1/forums/wcit/drafts/"+s.draft+"/reopen", `{"meeting":"PL-1","reason":"Again."}`), http.StatusForbidden)
	if r := s.sec.JSON("POST", "/api/v1/forums/wcit/drafts/"+s.draft+"/reopen", `{"meeting":"PL-1","reason":"A second reading."}`); r.StatusCode != http.StatusNoContent {
		t.Fatalf("reopen: %d %s", r.StatusCode, r.Body)
	}
	s.ok(s.usa, "POST", "/forums/wcit/drafts/"+s.draft+"/amendments", `{"op":"ADD","after":"p1","text":"that more be said."}`)
	// Listed in the forum and in its meeting.
	for _, path := range []string{dBase, dBase + "?meeting=PL-1", "/forums/wcit/meetings/" + s.meeting + "/decisions"} {
		r := s.Client().Get("/api/v1" + path)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, id) {
			t.Errorf("%s: %d %s", path, r.StatusCode, r.Body)
		}
	}
}

func TestDecisionsAPIStrawPollIsNeverBinding(t *testing.T) {
	s := newDecisionsSite(t)
	r := s.sec.JSON("POST", "/api/v1"+dBase+"/straw-polls", `{"meeting":"PL-1","title":"Feel of the room","question":"Do you wish to have the resolution in?",`+
		`"options":[{"key":"in","label":"In"},{"key":"out","label":"Out"}]}`)
	if r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, `"binding":false`) {
		t.Fatalf("open: %d %s", r.StatusCode, r.Body)
	}
	id := jsonField(t, r.Body, "id")
	wantRefusal(t, "counts for an option it does not offer", s.sec.JSON("PUT", "/api/v1"+dBase+"/"+id+"/counts", `{"counts":[{"option":"maybe","n":3}]}`), http.StatusUnprocessableEntity)
	s.ok(s.sec, "PUT", dBase+"/"+id+"/counts", `{"counts":[{"option":"in","n":72},{"option":"out","n":34}]}`)
	wantRefusal(t, "answering a poll counted by the secretariat", s.usa.JSON("POST", "/api/v1"+dBase+"/"+id+"/answers", `{"option":"in"}`), http.StatusConflict)
	s.ok(s.sec, "POST", dBase+"/"+id+"/close-poll", `{}`)
	d, body := s.decision(id)
	if d["binding"] != false || d["outcome"] != "pending" || strings.Contains(strings.ToLower(d["label"].(string)), "vote") ||
		!strings.Contains(body, "not a vote") || d["straw"].(map[string]any)["binding"] != false {
		t.Fatalf("the straw poll: %s", body)
	}
	// No command turns it into a decision: not a package, not the decision of one.
	wantRefusal(t, "a straw poll in a package", s.sec.JSON("POST", "/api/v1"+dBase+"/packages", `{"meeting":"PL-1","name":"P","decisions":["`+id+`"]}`),
		http.StatusUnprocessableEntity, "straw poll")
	wantRefusal(t, "closing a straw poll as a vote", s.sec.JSON("POST", "/api/v1"+dBase+"/"+id+"/close-vote", `{}`), http.StatusConflict)
}

func TestDecisionsAPIRecordedVoteEligibility(t *testing.T) {
	s := newDecisionsSite(t)
	wantRefusal(t, "a delegate opening a vote", s.usa.JSON("POST", "/api/v1"+dBase+"/votes",
		`{"meeting":"PL-1","title":"V","subject":{"kind":"question","text":"Q?"},"method":"recorded"}`), http.StatusForbidden)
	wantRefusal(t, "a vote without a method", s.sec.JSON("POST", "/api/v1"+dBase+"/votes",
		`{"meeting":"PL-1","title":"V","subject":{"kind":"question","text":"Q?"}}`), http.StatusUnprocessableEntity, "must be")
	id := s.vote("recorded")
	cast := func(c *servertest.Client, body string) servertest.Response {
		return c.JSON("POST", "/api/v1"+dBase+"/"+id+"/ballots", body)
	}
	// A Sector Member has no vote at a treaty conference: the refusal names the rule.
	r := cast(s.tel, `{"choice":"yes"}`)
	wantRefusal(t, "a Sector Member voting", r, http.StatusForbidden, "vote")
	if !strings.Contains(r.Body, "Sector Member") {
		t.Errorf("the refusal does not name the rule of the Sector Members: %s", r.Body)
	}
	wantRefusal(t, "credentials for signature only", cast(s.ken, `{"choice":"yes"}`), http.StatusForbidden, "sign")
	if r := cast(s.usa, `{"choice":"yes"}`); r.StatusCode != http.StatusCreated || jsonField(t, r.Body, "choice") != "yes" {
		t.Fatalf("the United States' ballot: %d %s", r.StatusCode, r.Body)
	}
	wantRefusal(t, "a second ballot of the United States", cast(s.usa, `{"choice":"no"}`), http.StatusConflict, "United States")
	wantRefusal(t, "a bad choice", cast(s.bra, `{"choice":"maybe"}`), http.StatusUnprocessableEntity, "yes, no or abstain")
	s.ok(s.bra, "POST", dBase+"/"+id+"/ballots", `{"choice":"no"}`)
	d := s.ok(s.sec, "POST", dBase+"/"+id+"/close-vote", `{}`)
	res := d["vote"].(map[string]any)["result"].(map[string]any)
	if recs := res["records"].([]any); len(recs) != 2 || d["outcome"] != "not_adopted" {
		t.Fatalf("the result: %v", d)
	}
	if _, body := s.decision(id); !strings.Contains(body, "a tie fails") && !strings.Contains(body, "1 for, 1 against") {
		t.Errorf("the arithmetic of a tie: %s", body)
	}
}

func TestDecisionsAPISecretBallotReceiptVerifies(t *testing.T) {
	s := newDecisionsSite(t)
	id := s.vote("secret")
	r := s.usa.JSON("POST", "/api/v1"+dBase+"/"+id+"/ballots", `{"choice":"abstain"}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("cast: %d %s", r.StatusCode, r.Body)
	}
	var c struct {
		Choice  string `json:"choice"`
		Receipt struct {
			Nonce   string `json:"nonce"`
			Receipt string `json:"receipt"`
		} `json:"receipt"`
	}
	json.Unmarshal([]byte(r.Body), &c)
	if c.Choice != "" || c.Receipt.Nonce == "" || c.Receipt.Receipt == "" {
		t.Fatalf("the cast of a secret ballot: %s", r.Body)
	}
	s.ok(s.bra, "POST", dBase+"/"+id+"/ballots", `{"choice":"yes"}`)
	check := `{"choice":"abstain","nonce":"` + c.Receipt.Nonce + `"}`
	wantRefusal(t, "a receipt checked before the list is published", s.usa.JSON("POST", "/api/v1"+dBase+"/"+id+"/receipts", check), http.StatusConflict)
	s.ok(s.sec, "POST", dBase+"/"+id+"/close-vote", `{}`)
	// Who voted is public; what each voted is not.
	_, body := s.decision(id)
	if !strings.Contains(body, "United States") || strings.Contains(body, `"choice":"abstain","by"`) {
		t.Errorf("the secret ballot's page: %s", body)
	}
	v := s.ok(s.Client(), "POST", dBase+"/"+id+"/receipts", check)
	if v["found"] != true || v["receipt"] != c.Receipt.Receipt {
		t.Fatalf("verification: %v", v)
	}
	if v := s.ok(s.Client(), "POST", dBase+"/"+id+"/receipts", `{"choice":"yes","nonce":"`+c.Receipt.Nonce+`"}`); v["found"] != false {
		t.Fatalf("a receipt with another choice verified: %v", v)
	}
}

func TestDecisionsAPIShowOfHandsArithmetic(t *testing.T) {
	s := newDecisionsSite(t)
	id := s.vote("show_of_hands")
	wantRefusal(t, "a negative count", s.sec.JSON("PUT", "/api/v1"+dBase+"/"+id+"/tally", `{"tally":{"yes":-1}}`), http.StatusUnprocessableEntity, "not negative")
	s.ok(s.sec, "PUT", dBase+"/"+id+"/tally", `{"tally":{"yes":77,"no":33,"abstain":8}}`)
	s.ok(s.sec, "POST", dBase+"/"+id+"/close-vote", `{}`)
	d, body := s.decision(id)
	const sentence = "77 for, 33 against: 77 > 55 of 110 present and voting; 8 abstentions not counted"
	ar := d["vote"].(map[string]any)["result"].(map[string]any)["arithmetic"].(map[string]any)
	if d["outcome"] != "adopted" || !strings.HasPrefix(ar["sentence"].(string), sentence) || !strings.HasPrefix(d["status"].(string), sentence) {
		t.Fatalf("the arithmetic: %s", body)
	}
}

func TestDecisionsAPIPackage(t *testing.T) {
	s := newDecisionsSite(t)
	open := func(title string) string {
		return s.ok(s.sec, "POST", dBase+"/consensus", `{"meeting":"PL-1","title":"`+title+`","subject":{"kind":"question","text":"Whether to agree `+title+`"}}`)["id"].(string)
	}
	a, b := open("Article 5A"), open("Article 5B")
	s.ok(s.sec, "POST", dBase+"/"+a+"/finding", `{"finding":"adopted"}`)
	r := s.sec.JSON("POST", "/api/v1"+dBase+"/packages", `{"meeting":"PL-1","name":"Security package","decisions":["`+a+`","`+b+`"]}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("package: %d %s", r.StatusCode, r.Body)
	}
	pk := jsonField(t, r.Body, "id")
	if d, _ := s.decision(a); d["package"].(map[string]any)["provisional"] != true {
		t.Fatalf("a decision in an undecided package is not provisional: %v", d["package"])
	}
	whole := open("The package as a whole")
	s.ok(s.sec, "POST", dBase+"/"+whole+"/finding", `{"finding":"not_adopted"}`)
	p := s.ok(s.sec, "POST", dBase+"/packages/"+pk+"/decide", `{"decision":"`+whole+`"}`)
	if p["outcome"] != "not_adopted" {
		t.Fatalf("the package: %v", p)
	}
	got := s.ok(s.Client(), "GET", dBase+"/packages/"+pk, "")
	for _, m := range got["members"].([]any) {
		if m.(map[string]any)["outcome"] != "fallen" {
			t.Errorf("a member of a failed package did not fall: %v", m)
		}
	}
}
