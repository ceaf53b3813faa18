package api_test

import "fmt"

// commentPeriod opens a fresh comment period on the probe site's report,
// open until 2099, and returns its path.
func (ps *probeSite) commentPeriod() string {
	id := ps.ok(ps.sec, "POST", "/forums/wtpf/consultations", `{"document":"`+ps.document+`","title":"Comments on the report","closes":"2099-01-01T00:00:00Z"}`)["id"].(string)
	return "/forums/wtpf/consultations/" + id
}

// commentIn makes the United States' comment in a period and returns its
// number (C-n).
func (ps *probeSite) commentIn(period, text string) string {
	return ps.ok(ps.usa, "POST", period+"/comments", `{"group":"government","organisation":"Department of State","target":"whole","text":"`+text+`"}`)["ref"].(string)
}

// mapPeriod opens a fresh comment period on the probe site's draft with
// an opinion map seeded from its provisions (S-1, S-2), where the United
// States has commented as a government; it returns the period's path.
func (ps *probeSite) mapPeriod() string {
	id := ps.ok(ps.sec, "POST", "/forums/wtpf/consultations", `{"draft":"`+ps.draft+`","title":"Comments and votes","closes":"2099-01-01T00:00:00Z"}`)["id"].(string)
	p := "/forums/wtpf/consultations/" + id
	ps.ok(ps.sec, "POST", p+"/map", "")
	ps.ok(ps.sec, "POST", p+"/statements/seed", "{}")
	ps.commentIn(p, "Say who the stakeholders are.")
	return p
}

// consultationProbes are the minimal requests of the consultations'
// operations.
func (ps *probeSite) consultationProbes() map[string][]probe {
	return map[string][]probe{
		"openCommentPeriod": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/wtpf/consultations", body: `{"document":"` + ps.document + `","title":"Comments","closes":"2099-01-01T00:00:00Z"}`,
					also: []string{"document"}}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/wtpf/consultations", body: `{"draft":"` + ps.draft + `","title":"Comments","closes":"2099-01-01T00:00:00Z"}`,
					also: []string{"draft"}}
			},
		},
		"extendCommentPeriod": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: ps.commentPeriod() + "/extend", body: `{"closes":"2099-06-01T00:00:00Z","reason":"More time was asked for."}`}
		}},
		"submitComment": {func(n int) probeRequest {
			return probeRequest{c: ps.usa, path: ps.commentPeriod() + "/comments", body: fmt.Sprintf(`{"group":"government","organisation":"individual","target":"whole","text":"Comment %d."}`, n)}
		}},
		"hideComment": {func(n int) probeRequest {
			ref := ps.commentIn(ps.commentPeriod(), "An insult.")
			return probeRequest{c: ps.sec, path: "/forums/wtpf/comments/" + ref + "/hide", body: `{"reason":"Abusive."}`}
		}},
		"disposeComment": {func(n int) probeRequest {
			ref := ps.commentIn(ps.commentPeriod(), "Say more about remote participation.")
			return probeRequest{c: ps.sec, path: "/forums/wtpf/comments/" + ref + "/disposition", body: `{"outcome":"noted","reason":"The report says enough."}`}
		}},
		"seedOpinionStatements": {
			func(n int) probeRequest {
				id := ps.ok(ps.sec, "POST", "/forums/wtpf/consultations", `{"draft":"`+ps.draft+`","title":"Votes","closes":"2099-01-01T00:00:00Z"}`)["id"].(string)
				ps.ok(ps.sec, "POST", "/forums/wtpf/consultations/"+id+"/map", "")
				return probeRequest{c: ps.sec, path: "/forums/wtpf/consultations/" + id + "/statements/seed", body: `{}`}
			},
		},
		"submitOpinionStatement": {func(n int) probeRequest {
			return probeRequest{c: ps.usa, path: ps.mapPeriod() + "/statements", body: fmt.Sprintf(`{"text":"Statement %d."}`, n)}
		}},
		"moderateOpinionStatement": {func(n int) probeRequest {
			p := ps.mapPeriod()
			ref := ps.ok(ps.usa, "POST", p+"/statements", `{"text":"Governments should lead."}`)["ref"].(string)
			return probeRequest{c: ps.sec, path: p + "/statements/" + ref + "/moderation", body: `{"decision":"accept"}`}
		}},
		"castOpinionVote": {func(n int) probeRequest {
			return probeRequest{c: ps.usa, path: ps.mapPeriod() + "/votes", body: `{"statement":"S-1","vote":"agree"}`}
		}},
		"disposeCampaign": {func(n int) probeRequest {
			p := ps.commentPeriod()
			first := ps.commentIn(p, "Keep the Internet open and free for everyone in every country of the world.")
			ps.commentIn(p, "Keep the Internet open and free for everyone in every country of the world!")
			return probeRequest{c: ps.sec, path: p + "/campaigns/" + first + "/disposition", body: `{"outcome":"noted","reason":"The report agrees."}`}
		}},
	}
}
