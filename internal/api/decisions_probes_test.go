package api_test

import (
	"fmt"
	"strings"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// sitting is a fresh meeting of Committee 5 in session, by id.
func (ps *probeSite) sitting() string {
	m := ps.meeting(true)
	return m[strings.LastIndex(m, "/")+1:]
}

// decision opens a decision of the given kind in a fresh sitting meeting
// of wtpf and returns its id and meeting id.
func (ps *probeSite) decision(kind string) (string, string) {
	m := ps.sitting()
	var body string
	switch kind {
	case "consensus":
		body = `{"meeting":"` + m + `","title":"The question","subject":{"kind":"question","text":"Whether to proceed?"}}`
	case "straw-polls":
		body = `{"meeting":"` + m + `","title":"The feel of the room","options":[{"key":"in","label":"In"},{"key":"out","label":"Out"}]}`
	case "straw-polls/devices":
		kind = "straw-polls"
		body = `{"meeting":"` + m + `","title":"The feel of the room","entry":"devices","options":[{"key":"in","label":"In"},{"key":"out","label":"Out"}]}`
	case "votes":
		body = `{"meeting":"` + m + `","title":"The vote","subject":{"kind":"question","text":"Whether to proceed?"},"method":"show_of_hands","credentials":"not_checked"}`
	}
	return ps.ok(ps.sec, "POST", "/forums/wtpf/decisions/"+kind, body)["id"].(string), m
}

// voting is a forum under the treaty conference's rules where the United
// States' delegate votes (credentials in order), with a fresh sitting
// meeting; it returns the delegate's client, the forum's slug and the
// meeting's id.
func (ps *probeSite) voting(n int) (*servertest.Client, string, string) {
	slug := ps.forum(n)
	ps.ok(ps.sec, "PUT", "/forums/"+slug+"/rules/preset", `{"preset":"itu_treaty_conference"}`)
	ps.ok(ps.sec, "POST", "/forums/"+slug+"/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"}]}`)
	ps.ok(ps.sec, "PUT", "/forums/"+slug+"/parties/USA/credentials", `{"state":"in_order"}`)
	ps.ok(ps.sec, "POST", "/forums/"+slug+"/bodies", `{"slug":"plenary","name":"Plenary","kind":"plenary"}`)
	ps.ok(ps.sec, "POST", "/forums/"+slug+"/registrations", `{"email":"usa@example.org","mode":"in_room","party":"USA","role":"delegate"}`)
	m := ps.ok(ps.sec, "POST", "/forums/"+slug+"/meetings", `{"body":"plenary","title":"Plenary","date":"2012-12-13","start":"10:00","end":"12:00","zone":"Asia/Dubai"}`)["id"].(string)
	ps.ok(ps.sec, "POST", "/forums/"+slug+"/meetings/"+m+"/state", `{"action":"open"}`)
	return ps.usa, slug, m
}

// decisionProbes are the minimal requests of the decisions' operations.
func (ps *probeSite) decisionProbes() map[string][]probe {
	d := "/forums/wtpf/decisions/"
	return map[string][]probe{
		"openConsensusCall": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: d + "consensus", body: `{"meeting":"` + ps.sitting() + `","title":"Draft Opinion","subject":{"kind":"question","text":"Whether to adopt?"}}`,
					also: []string{"subject.text"}}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: d + "consensus", body: `{"meeting":"` + ps.sitting() + `","title":"Draft Opinion","subject":{"kind":"revision","draft":"` + ps.draft + `"}}`,
					also: []string{"subject.draft"}}
			},
		},
		"objectToConsensus": {func(n int) probeRequest {
			id, _ := ps.decision("consensus")
			return probeRequest{c: ps.usa, path: d + id + "/objections", body: `{"reason":"Paragraph 2 goes too far."}`}
		}},
		"closeConsensusCall": {
			func(n int) probeRequest {
				id, _ := ps.decision("consensus")
				return probeRequest{c: ps.sec, path: d + id + "/finding", body: `{"finding":"adopted"}`}
			},
			func(n int) probeRequest {
				id, _ := ps.decision("consensus")
				obj := ps.ok(ps.usa, "POST", d+id+"/objections", `{"reason":"Paragraph 2 goes too far."}`)["id"].(string)
				return probeRequest{c: ps.sec, path: d + id + "/finding",
					body: `{"finding":"adopted_objections_addressed","answers":[{"objection":"` + obj + `","text":"Paragraph 2 was narrowed."}]}`, also: []string{"answers"}}
			},
		},
		"fileExplanationOfPosition": {func(n int) probeRequest {
			id, _ := ps.decision("consensus")
			ps.ok(ps.sec, "POST", d+id+"/finding", `{"finding":"adopted"}`)
			return probeRequest{c: ps.usa, path: d + id + "/explanations", body: `{"text":"We join consensus."}`}
		}},
		"openStrawPoll": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: d + "straw-polls", body: `{"meeting":"` + ps.sitting() + `","title":"Feel of the room","options":[{"key":"in","label":"In"},{"key":"out","label":"Out"}]}`}
		}},
		// Counts replace the earlier ones; none clears them.
		"enterStrawPollCounts": {
			func(n int) probeRequest {
				id, _ := ps.decision("straw-polls")
				return probeRequest{c: ps.sec, path: d + id + "/counts", body: `{"counts":[{"option":"in"}]}`, also: []string{"counts"}}
			},
			func(n int) probeRequest {
				id, _ := ps.decision("straw-polls")
				return probeRequest{c: ps.sec, path: d + id + "/counts", body: `{}`}
			},
		},
		"answerStrawPoll": {func(n int) probeRequest {
			id, _ := ps.decision("straw-polls/devices")
			return probeRequest{c: ps.usa, path: d + id + "/answers", body: `{"option":"in"}`}
		}},
		"openVote": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: d + "votes", body: `{"meeting":"` + ps.sitting() + `","title":"Vote","subject":{"kind":"question","text":"Whether to adopt?"},"method":"show_of_hands"}`,
					also: []string{"subject.text"}}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: d + "votes", body: `{"meeting":"` + ps.sitting() + `","title":"Vote","subject":{"kind":"question","text":"Whether to adopt?"},"method":"show_of_hands","quorum":{}}`,
					also: []string{"subject.text", "quorum"}}
			},
		},
		// A tally of no votes is a tally.
		"enterVoteTally": {
			func(n int) probeRequest {
				id, _ := ps.decision("votes")
				return probeRequest{c: ps.sec, path: d + id + "/tally", body: `{"tally":{}}`, also: []string{"tally"}}
			},
			func(n int) probeRequest {
				id, _ := ps.decision("votes")
				return probeRequest{c: ps.sec, path: d + id + "/tally", body: `{}`}
			},
		},
		"castVote": {func(n int) probeRequest {
			c, slug, m := ps.voting(n)
			id := ps.ok(ps.sec, "POST", "/forums/"+slug+"/decisions/votes", `{"meeting":"`+m+`","title":"Vote","subject":{"kind":"question","text":"Whether to adopt?"},"method":"recorded"}`)["id"].(string)
			return probeRequest{c: c, path: "/forums/" + slug + "/decisions/" + id + "/ballots", body: `{"choice":"yes"}`}
		}},
		"closeVote": {func(n int) probeRequest {
			id, _ := ps.decision("votes")
			ps.ok(ps.sec, "PUT", d+id+"/tally", `{"tally":{"yes":3,"no":1}}`)
			return probeRequest{c: ps.sec, path: d + id + "/close-vote", body: `{}`}
		}},
		"verifyBallotReceipt": {func(n int) probeRequest {
			c, slug, m := ps.voting(n)
			base := "/forums/" + slug + "/decisions/"
			id := ps.ok(ps.sec, "POST", base+"votes", `{"meeting":"`+m+`","title":"Vote","subject":{"kind":"question","text":"Whether to adopt?"},"method":"secret"}`)["id"].(string)
			rc := ps.ok(c, "POST", base+id+"/ballots", `{"choice":"no"}`)["receipt"].(map[string]any)
			ps.ok(ps.sec, "POST", base+id+"/close-vote", `{}`)
			return probeRequest{c: c, path: base + id + "/receipts", body: `{"choice":"no","nonce":"` + rc["nonce"].(string) + `"}`}
		}},
		"createDecisionPackage": {func(n int) probeRequest {
			id, m := ps.decision("consensus")
			return probeRequest{c: ps.sec, path: d + "packages", body: fmt.Sprintf(`{"meeting":%q,"name":"Package %d","decisions":[%q]}`, m, n, id)}
		}},
		"decideDecisionPackage": {func(n int) probeRequest {
			id, m := ps.decision("consensus")
			pk := ps.ok(ps.sec, "POST", d+"packages", fmt.Sprintf(`{"meeting":%q,"name":"Package %d","decisions":[%q]}`, m, n, id))["id"].(string)
			whole := ps.ok(ps.sec, "POST", d+"consensus", `{"meeting":"`+m+`","title":"The package","subject":{"kind":"question","text":"Whether to adopt the package?"}}`)["id"].(string)
			ps.ok(ps.sec, "POST", d+whole+"/finding", `{"finding":"adopted"}`)
			return probeRequest{c: ps.sec, path: d + "packages/" + pk + "/decide", body: `{"decision":"` + whole + `"}`}
		}},
		"reopenAdoptedDraft": {func(n int) probeRequest {
			draft := ps.newDraft()
			m := ps.sitting()
			id := ps.ok(ps.sec, "POST", d+"consensus", `{"meeting":"`+m+`","title":"The draft","subject":{"kind":"revision","draft":"`+draft+`"}}`)["id"].(string)
			ps.ok(ps.sec, "POST", d+id+"/finding", `{"finding":"adopted"}`)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/drafts/" + draft + "/reopen", body: `{"meeting":"` + m + `","reason":"A second reading."}`}
		}},
	}
}
