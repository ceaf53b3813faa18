package api_test

import (
	"fmt"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// signing is a fresh treaty conference where the United States' head of
// delegation signs (credentials in order), with a delegate of its own, two
// draft texts adopted by consensus in a sitting plenary, and final acts
// assembled from the first.
type signing struct {
	slug, base     string // base: the final acts' path
	head, delegate *servertest.Client
	delegateReg    string
	first, second  string // the adopted drafts
	hash           string
}

func (ps *probeSite) signing(n int) signing {
	slug := ps.forum(n)
	s := signing{slug: slug}
	f := "/forums/" + slug
	ps.ok(ps.sec, "PUT", f+"/rules/preset", `{"preset":"itu_treaty_conference"}`)
	ps.ok(ps.sec, "POST", f+"/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"}]}`)
	ps.ok(ps.sec, "PUT", f+"/parties/USA/credentials", `{"state":"in_order"}`)
	ps.ok(ps.sec, "POST", f+"/bodies", `{"slug":"plenary","name":"Plenary","kind":"plenary"}`)
	head := fmt.Sprintf("head-%d@example.org", n)
	s.head = ps.user(head)
	ps.ok(ps.sec, "POST", f+"/registrations", `{"email":"`+head+`","mode":"in_room","party":"USA","role":"head_of_delegation"}`)
	s.delegate = ps.usa
	s.delegateReg = ps.ok(ps.sec, "POST", f+"/registrations", `{"email":"usa@example.org","mode":"in_room","party":"USA","role":"delegate"}`)["id"].(string)
	m := ps.ok(ps.sec, "POST", f+"/meetings", `{"body":"plenary","title":"Plenary","date":"2012-12-13","start":"10:00","end":"12:00","zone":"Asia/Dubai"}`)["id"].(string)
	ps.ok(ps.sec, "POST", f+"/meetings/"+m+"/state", `{"action":"open"}`)
	adopt := func(md string) string {
		draft := ps.ok(ps.sec, "POST", f+"/drafts", `{"text":"`+md+`"}`)["id"].(string)
		d := ps.ok(ps.sec, "POST", f+"/decisions/consensus", `{"meeting":"`+m+`","title":"Adoption","subject":{"kind":"revision","draft":"`+draft+`"}}`)["id"].(string)
		ps.ok(ps.sec, "POST", f+"/decisions/"+d+"/finding", `{"finding":"adopted"}`)
		return draft
	}
	s.first = adopt(`# Regulations\n\n## Article 1 — Purpose\n\n1.1 These Regulations establish general principles.\n`)
	s.second = adopt(`# Resolution\n\n*resolves*\n\n1. to invite Member States to elaborate their positions.\n`)
	fa := ps.ok(ps.sec, "POST", f+"/final-acts", `{"title":"Final Acts","texts":[{"draft":"`+s.first+`"}]}`)
	s.base, s.hash = f+"/final-acts/"+fa["id"].(string), fa["hash"].(string)
	return s
}

// finalActsProbes are the minimal requests of the final acts' operations.
func (ps *probeSite) finalActsProbes() map[string][]probe {
	return map[string][]probe{
		"assembleFinalActs": {func(n int) probeRequest {
			s := ps.signing(n)
			return probeRequest{c: ps.sec, path: "/forums/" + s.slug + "/final-acts", body: `{"title":"Final Acts","texts":[{"draft":"` + s.second + `"}]}`}
		}},
		// A revision must change something: the texts, or the title.
		"reviseFinalActs": {
			func(n int) probeRequest {
				s := ps.signing(n)
				return probeRequest{c: ps.sec, path: s.base + "/revisions", body: `{"note":"The resolution is added.","texts":[{"draft":"` + s.first + `"},{"draft":"` + s.second + `"}]}`,
					also: []string{"texts"}}
			},
			func(n int) probeRequest {
				s := ps.signing(n)
				return probeRequest{c: ps.sec, path: s.base + "/revisions", body: `{"note":"The title is corrected.","title":"Final Acts (corrected)"}`, also: []string{"title"}}
			},
		},
		"openFinalActsForSignature": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: ps.signing(n).base + "/open", body: `{}`}
		}},
		"closeFinalActsForSignature": {func(n int) probeRequest {
			s := ps.signing(n)
			ps.ok(ps.sec, "POST", s.base+"/open", `{"at":"2012-12-14T06:00:00Z"}`)
			return probeRequest{c: ps.sec, path: s.base + "/close", body: `{}`}
		}},
		"setDeclarationCutoff": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: ps.signing(n).base + "/cutoff", body: `{}`}
		}},
		"nameSigner": {func(n int) probeRequest {
			s := ps.signing(n)
			return probeRequest{c: s.head, path: s.base + "/signers", body: `{"registration":"` + s.delegateReg + `"}`}
		}},
		"signFinalActs": {func(n int) probeRequest {
			s := ps.signing(n)
			ps.ok(ps.sec, "POST", s.base+"/open", `{}`)
			return probeRequest{c: s.head, path: s.base + "/signatures", body: `{"state":"signed","hash":"` + s.hash + `"}`}
		}},
		"depositDeclaration": {func(n int) probeRequest {
			s := ps.signing(n)
			return probeRequest{c: s.head, path: s.base + "/declarations", body: `{"kind":"reservation","text":"The United States reserves its right."}`}
		}},
		"fileStatement": {func(n int) probeRequest {
			return probeRequest{c: ps.usa, path: "/forums/wtpf/statements", body: `{"kind":"closing","target":{"kind":"forum"},"text":"We could not join consensus."}`}
		}},
	}
}
