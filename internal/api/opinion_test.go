package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

func TestOpinionMapAPI(t *testing.T) {
	s := newConsultSite(t)
	ctx := context.Background()
	pid := s.ok(s.sec, "POST", cBase, `{"draft":"`+s.draft+`","title":"Comments and votes","public":true,"closes":"2099-01-01T00:00:00Z"}`)["id"].(string)
	pp := cBase + "/" + pid

	// The map: the secretariat's to enable, once.
	wantRefusal(t, "a map before it is enabled", s.Client().JSON("GET", "/api/v1"+pp+"/map", ""), http.StatusNotFound)
	wantRefusal(t, "anonymous enabling", s.Client().JSON("POST", "/api/v1"+pp+"/map", ""), http.StatusUnauthorized)
	wantRefusal(t, "a delegate enabling", s.usa.JSON("POST", "/api/v1"+pp+"/map", ""), http.StatusForbidden)
	r := s.sec.JSON("POST", "/api/v1"+pp+"/map", "")
	if r.StatusCode != http.StatusCreated || r.Header.Get("Location") != "/api/v1"+pp+"/map" {
		t.Fatalf("enable: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	checkResponse(t, s.d, s.v, "POST", "/forums/{slug}/consultations/{id}/map", r)
	wantRefusal(t, "enabling twice", s.sec.JSON("POST", "/api/v1"+pp+"/map", ""), http.StatusConflict)

	// Statements: seeded from the provisions, submitted, moderated.
	wantRefusal(t, "a delegate seeding", s.usa.JSON("POST", "/api/v1"+pp+"/statements/seed", "{}"), http.StatusForbidden)
	wantRefusal(t, "seeding an unknown provision", s.sec.JSON("POST", "/api/v1"+pp+"/statements/seed", `{"provisions":["p9"]}`), http.StatusUnprocessableEntity, "provisions")
	if got := refs(s.ok(s.sec, "POST", pp+"/statements/seed", "{}")["statements"].([]any)); strings.Join(got, ",") != "S-1,S-2" {
		t.Fatalf("seeded: %v", got)
	}
	wantRefusal(t, "an anonymous statement", s.Client().JSON("POST", "/api/v1"+pp+"/statements", `{"text":"x","group":"civil_society"}`), http.StatusUnauthorized)
	wantRefusal(t, "a statement without a group", s.pub.JSON("POST", "/api/v1"+pp+"/statements", `{"text":"Remote participation counts."}`), http.StatusUnprocessableEntity, "group")
	wantRefusal(t, "an empty statement", s.pub.JSON("POST", "/api/v1"+pp+"/statements", `{"text":" ","group":"civil_society"}`), http.StatusUnprocessableEntity, "text")
	r = s.pub.JSON("POST", "/api/v1"+pp+"/statements", `{"text":"Remote participation counts.","group":"civil_society"}`)
	if r.StatusCode != http.StatusCreated || jsonField(t, r.Body, "state") != "pending" || jsonField(t, r.Body, "ref") != "S-3" {
		t.Fatalf("submitted: %d %s", r.StatusCode, r.Body)
	}
	checkResponse(t, s.d, s.v, "POST", "/forums/{slug}/consultations/{id}/statements", r)
	s3 := s.ok(s.pub, "POST", pp+"/statements", `{"text":"Everyone else is paid to disagree."}`)["ref"].(string)
	pubList := refs(s.get(s.Client(), "/forums/{slug}/consultations/{id}/statements", pp+"/statements")["statements"].([]any))
	ownList := refs(s.get(s.pub, "/forums/{slug}/consultations/{id}/statements", pp+"/statements")["statements"].([]any))
	secPending := refs(s.get(s.sec, "/forums/{slug}/consultations/{id}/statements", pp+"/statements?state=pending")["statements"].([]any))
	if strings.Join(pubList, ",") != "S-1,S-2" || strings.Join(ownList, ",") != "S-1,S-2,S-3,"+s3 || strings.Join(secPending, ",") != "S-3,"+s3 {
		t.Errorf("statements: the public %v, their author %v, the secretariat's pending %v", pubList, ownList, secPending)
	}
	wantRefusal(t, "an unknown state", s.Client().JSON("GET", "/api/v1"+pp+"/statements?state=maybe", ""), http.StatusUnprocessableEntity, "state")
	wantRefusal(t, "a delegate moderating", s.usa.JSON("POST", "/api/v1"+pp+"/statements/S-3/moderation", `{"decision":"accept"}`), http.StatusForbidden)
	wantRefusal(t, "no decision", s.sec.JSON("POST", "/api/v1"+pp+"/statements/S-3/moderation", `{"decision":"maybe"}`), http.StatusUnprocessableEntity, "decision")
	wantRefusal(t, "a rejection without a reason", s.sec.JSON("POST", "/api/v1"+pp+"/statements/"+s3+"/moderation", `{"decision":"reject"}`), http.StatusUnprocessableEntity, "reason")
	wantRefusal(t, "moderating no statement", s.sec.JSON("POST", "/api/v1"+pp+"/statements/S-99/moderation", `{"decision":"accept"}`), http.StatusNotFound)
	if st := s.ok(s.sec, "POST", pp+"/statements/S-3/moderation", `{"decision":"accept"}`); st["state"] != "accepted" {
		t.Errorf("accepted: %v", st)
	}
	if st := s.ok(s.sec, "POST", pp+"/statements/"+s3+"/moderation", `{"decision":"reject","reason":"It attacks other participants."}`); st["state"] != "rejected" || st["reason"] != "It attacks other participants." {
		t.Errorf("rejected: %v", st)
	}

	// Votes.
	wantRefusal(t, "an anonymous vote", s.Client().JSON("POST", "/api/v1"+pp+"/votes", `{"statement":"S-1","vote":"agree"}`), http.StatusUnauthorized)
	wantRefusal(t, "a vote of maybe", s.pub.JSON("POST", "/api/v1"+pp+"/votes", `{"statement":"S-1","vote":"maybe"}`), http.StatusUnprocessableEntity, "vote")
	wantRefusal(t, "a vote on no statement", s.pub.JSON("POST", "/api/v1"+pp+"/votes", `{"statement":"S-99","vote":"agree"}`), http.StatusUnprocessableEntity, "statement")
	wantRefusal(t, "a vote on a rejected statement", s.pub.JSON("POST", "/api/v1"+pp+"/votes", `{"statement":"`+s3+`","vote":"agree"}`), http.StatusConflict)
	wantRefusal(t, "a first vote without a group", s.usa.JSON("POST", "/api/v1"+pp+"/votes", `{"statement":"S-1","vote":"agree"}`), http.StatusUnprocessableEntity, "group")
	r = s.usa.JSON("POST", "/api/v1"+pp+"/votes", `{"statement":"S-1","vote":"agree","group":"government"}`)
	if r.StatusCode != http.StatusOK || jsonField(t, r.Body, "group") != "government" {
		t.Fatalf("vote: %d %s", r.StatusCode, r.Body)
	}
	checkResponse(t, s.d, s.v, "POST", "/forums/{slug}/consultations/{id}/votes", r)
	s.ok(s.pub, "POST", pp+"/votes", `{"statement":"S-1","vote":"disagree"}`)
	s.ok(s.pub, "POST", pp+"/votes", `{"statement":"S-3","vote":"pass"}`)
	st := s.get(s.Client(), "/forums/{slug}/consultations/{id}/statements", pp+"/statements")["statements"].([]any)[0].(map[string]any)
	if st["agrees"].(float64) != 1 || st["disagrees"].(float64) != 1 {
		t.Errorf("S-1's counts: %v", st)
	}
	b := s.get(s.pub, "/forums/{slug}/consultations/{id}/ballot", pp+"/ballot")
	if b["voted"].(float64) != 2 || b["open"].(float64) != 3 || b["next"].(map[string]any)["ref"] != "S-2" || b["counted"] != false {
		t.Errorf("ballot: %v", b)
	}

	// The map, with a crowd of two camps imported beside them.
	u, err := s.Svc.Accounts.UserByEmail(ctx, "sec@example.org")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := s.Svc.Kernel.Scope(ctx, forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: true}, "wtpf")
	if err != nil {
		t.Fatal(err)
	}
	in := consultation.ImportInput{Source: "crowd", Groups: map[string]string{}}
	for i := range 3 {
		in.Statements = append(in.Statements, consultation.ImportStatement{External: fmt.Sprint(i + 1), Ref: consultation.StatementRef(i + 1)})
	}
	for v := range 40 {
		voter := fmt.Sprintf("v%d", v)
		camp, group := 1, "civil_society"
		if v%2 == 1 {
			camp, group = -1, "private_sector"
		}
		in.Groups[voter] = group
		for i := range 3 {
			val := camp
			if i == 2 {
				val = 1 // everyone agrees on S-3
			}
			in.Votes = append(in.Votes, consultation.ImportVote{Voter: voter, Statement: fmt.Sprint(i + 1), Value: val})
		}
	}
	if _, err := s.Svc.Consultation.ImportConversation(ctx, sc, pid, in); err != nil {
		t.Fatal(err)
	}
	m := s.get(s.Client(), "/forums/{slug}/consultations/{id}/map", pp+"/map")
	if m["participants"].(float64) != 42 || m["groups"].(float64) != 2 || len(m["points"].([]any)) != 40 {
		t.Errorf("map: %d participants, %v groups, %d points", int(m["participants"].(float64)), m["groups"], len(m["points"].([]any)))
	}
	if len(m["consensus"].([]any)) == 0 || m["consensus"].([]any)[0].(map[string]any)["statement"] != "S-3" {
		t.Errorf("consensus: %v", m["consensus"])
	}
	by := m["by_stakeholder_group"].(map[string]any)
	if len(by["groups"].([]any)) != 2 || len(by["splits"].([]any)) == 0 {
		t.Errorf("by stakeholder group: %v", by)
	}
	if len(m["by_opinion"].(map[string]any)["bridging"].([]any)) == 0 {
		t.Errorf("no bridging statement: %v", m["by_opinion"])
	}
	raw := s.Client().JSON("GET", "/api/v1"+pp+"/map", "").Body
	for _, who := range []string{"pat@example.org", "usa@example.org", "Uma Delegate", "crowd:v1"} {
		if strings.Contains(raw, who) {
			t.Errorf("the map names %s", who)
		}
	}

	// The bulk export: the statements the reader may see, and their
	// votes by voter number, naming no account.
	votesOn := map[string]int{}
	for _, st := range s.get(s.sec, "/forums/{slug}/consultations/{id}/statements", pp+"/statements")["statements"].([]any) {
		st := st.(map[string]any)
		votesOn[st["ref"].(string)] = int(st["agrees"].(float64) + st["disagrees"].(float64) + st["passes"].(float64))
	}
	for _, c := range []struct {
		name       string
		c          *servertest.Client
		statements int
	}{{"the public", s.Client(), 3}, {"the secretariat", s.sec, 4}} {
		manifest, files := exportFiles(t, c.c, pp+"/export")
		names := []string{}
		for _, f := range manifest["files"].([]any) {
			names = append(names, fmt.Sprintf("%s:%v", f.(map[string]any)["name"], f.(map[string]any)["records"]))
		}
		wantVotes := votesOn["S-1"] + votesOn["S-2"] + votesOn["S-3"]
		if c.statements == 4 {
			wantVotes += votesOn[s3]
		}
		if strings.Join(names, ",") != fmt.Sprintf("comments.jsonl:0,dispositions.jsonl:0,statements.jsonl:%d,votes.jsonl:%d", c.statements, wantVotes) {
			t.Errorf("%s: the export's files: %v", c.name, names)
		}
		for _, line := range strings.Split(strings.TrimSpace(files["votes.jsonl"]), "\n") {
			var v map[string]any
			if err := json.Unmarshal([]byte(line), &v); err != nil || v["voter"].(float64) < 1 || !strings.HasPrefix(v["statement"].(string), "S-") || len(v) != 5 {
				t.Fatalf("%s: a vote: %s %v", c.name, line, err)
			}
		}
		for _, who := range []string{"pat@example.org", "usa@example.org", "Uma Delegate", "crowd:", u.ID} {
			if strings.Contains(files["votes.jsonl"], who) {
				t.Errorf("%s: votes.jsonl names %s", c.name, who)
			}
		}
		if !strings.Contains(files["statements.jsonl"], `"statement":"S-3","number":3`) {
			t.Errorf("%s: statements.jsonl: %s", c.name, files["statements.jsonl"])
		}
	}

	// A closed period takes no vote.
	s.ok(s.sec, "POST", pp+"/close", "")
	wantRefusal(t, "a vote after the close", s.pub.JSON("POST", "/api/v1"+pp+"/votes", `{"statement":"S-2","vote":"agree"}`), http.StatusConflict)
	wantRefusal(t, "a statement after the close", s.pub.JSON("POST", "/api/v1"+pp+"/statements", `{"text":"Late."}`), http.StatusConflict)
}

// exportFiles reads a consultation's bulk export as c: its manifest and
// its data files' bytes by name.
func exportFiles(t *testing.T, c *servertest.Client, path string) (map[string]any, map[string]string) {
	t.Helper()
	r := c.Do("GET", "/api/v1"+path, nil, nil)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s %s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(r.Body)), int64(len(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	var manifest map[string]any
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "manifest.json" {
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
			continue
		}
		files[f.Name] = string(b)
	}
	return manifest, files
}
