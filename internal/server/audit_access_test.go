package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// auditObject is a restricted document or draft text.
type auditObject struct {
	Label      string // stable, for keys: "members document", "demo document WTPF-13/12"
	Slug       string
	ID, Number string
	Visibility string
	Draft      bool
	Files      []string // file ids
	Provision  string   // a provision of a draft
	Revision   int      // a draft's current revision
	Amendment  string   // a proposal on a draft, if any
	// Secret is a word that appears only in the object (its title and
	// text): a page showing it to someone who may not read the object
	// leaks it.
	Secret string
}

// makeRestricted files restricted objects of every kind in WTPF-13 (a
// members-only document and a delegation-only one for Brazil and for the
// United States, each with a file; a members-only draft text with a
// proposal and a second revision, and a delegation-only one), then lists
// every restricted document and draft of every forum, the demo's too.
func (a *audit) makeRestricted() {
	sec, slug := a.sec.API, demo.WTPFSlug
	base := "/forums/" + slug
	attach := func(id, secret string) {
		body, ct := uploadBody("note-"+secret+".txt", "A note for those who may read it: "+secret+".\n")
		r := sec.Do("POST", "/api/v1"+base+"/documents/"+id+"/files", body, http.Header{"Content-Type": {ct}})
		if r.StatusCode != http.StatusCreated {
			a.t.Fatalf("audit set-up: attach a file: %d %s", r.StatusCode, r.Body)
		}
	}
	secrets := map[string]string{} // id -> secret
	labels := map[string]string{}  // id -> label
	doc := func(label, secret, body string) string {
		id := a.ok(sec, "POST", base+"/documents", body)["id"].(string)
		attach(id, secret)
		secrets[id], labels[id] = secret, label
		return id
	}
	doc("members document", "Quorvexmembers", `{"type":"report","title":"Seating of heads of delegation Quorvexmembers","text":"The seating plan Quorvexmembers.","visibility":"members"}`)
	doc("Brazil's delegation document", "Quorvexbrazil", `{"type":"contribution","title":"Fallback position Quorvexbrazil","text":"Our fallback Quorvexbrazil.","parties":["BRA"],"visibility":"party:BRA"}`)
	doc("the United States' delegation document", "Quorvexusa", `{"type":"contribution","title":"Instructions Quorvexusa","text":"Instructions Quorvexusa.","parties":["USA"],"visibility":"party:USA"}`)

	draft := func(label, secret, vis string) string {
		d := a.ok(sec, "POST", base+"/drafts", fmt.Sprintf(`{"text":"# Draft resolution %s\n\n1. that the members consider %s;\n\n2. that the work continue.\n","visibility":%q}`, secret, secret, vis))
		id := d["id"].(string)
		secrets[id], labels[id] = secret, label
		return id
	}
	md := draft("members draft", "Quorvexdraft", "members")
	// Brazil proposes a change, and the chair issues revision 2
	// taking it, then Brazil proposes again: the draft has a compilation,
	// a redline and a pending proposal.
	bra := a.persona("member_state").API
	am := a.ok(bra, "POST", base+"/drafts/"+md+"/amendments", `{"op":"MOD","provision":"p2","text":"that the work continue in 2014 Quorvexdraft."}`)
	a.ok(a.persona("chair").API, "POST", base+"/drafts/"+md+"/revisions", `{"decisions":[{"action":"accept","amendment_id":"`+am["id"].(string)+`"}]}`)
	a.ok(bra, "POST", base+"/drafts/"+md+"/amendments", `{"op":"ADD","after":"p2","text":"that a report be made Quorvexdraft."}`)
	draft("Brazil's delegation draft", "Quorvexbradraft", "party:BRA")

	for _, slug := range a.slugs {
		sc := a.scope(a.sec, slug)
		ds, err := a.s.Svc.Documents.Documents(a.ctx, sc, documents.DocumentFilter{})
		if err != nil {
			a.t.Fatal(err)
		}
		for _, d := range ds {
			if d.Visibility == ledger.VisPublic {
				continue
			}
			full, err := a.s.Svc.Documents.Document(a.ctx, sc, d.ID)
			if err != nil {
				a.t.Fatal(err)
			}
			o := auditObject{Label: labels[d.ID], Slug: slug, ID: d.ID, Number: d.Number, Visibility: d.Visibility, Secret: secrets[d.ID]}
			if o.Label == "" {
				o.Label = "demo document " + d.Number
			}
			for _, v := range full.Versions {
				for _, f := range v.Files {
					o.Files = append(o.Files, f.ID)
				}
			}
			if d.Type == documents.DocDraftText {
				if dt, err := a.s.Svc.Drafting.DraftText(a.ctx, sc, d.ID); err == nil {
					o.Draft = true
					rv, err := a.s.Svc.Drafting.DraftRevision(a.ctx, sc, dt.ID, 0)
					if err != nil {
						a.t.Fatal(err)
					}
					o.Provision, o.Revision = rv.Text.Provisions[0].ID, dt.Revision
					ams, err := a.s.Svc.Drafting.Amendments(a.ctx, sc, dt.ID, drafting.AmendmentFilter{})
					if err != nil {
						a.t.Fatal(err)
					}
					if len(ams) > 0 {
						o.Amendment = ams[0].ID
					}
				}
			}
			a.restricted = append(a.restricted, o)
		}
	}
	sort.Slice(a.restricted, func(i, j int) bool { return a.restricted[i].Label < a.restricted[j].Label })
}

func (a *audit) persona(name string) *auditPersona {
	for _, p := range a.personas {
		if p.Name == name {
			return p
		}
	}
	a.t.Fatalf("no persona %s", name)
	return nil
}

// scope is a fresh scope of p in a forum: what the read checks decide on.
func (a *audit) scope(p *auditPersona, slug string) *forum.Scope {
	sc, err := a.s.Svc.Kernel.Scope(a.ctx, p.Actor, slug)
	if err != nil {
		a.t.Fatal(err)
	}
	return sc
}

// mayRead is the read check of a restricted object for p.
func (a *audit) mayRead(p *auditPersona, o auditObject) bool {
	return a.s.Svc.Documents.CheckReadable(a.ctx, a.scope(p, o.Slug), o.Number, o.Visibility) == nil
}

// auditTarget is one direct read: a path, whether p may read it, and a
// word it must not show when it refuses.
type auditTarget struct {
	Label, Path string
	API         bool
	May         func(p *auditPersona) bool
	Secret      string
}

func (a *audit) targets() []auditTarget {
	var ts []auditTarget
	add := func(label, path string, api bool, may func(*auditPersona) bool, secret string) {
		ts = append(ts, auditTarget{Label: label, Path: path, API: api, May: may, Secret: secret})
	}
	never := func(*auditPersona) bool { return false }
	for _, o := range a.restricted {
		o := o
		may := func(p *auditPersona) bool { return a.mayRead(p, o) }
		web, api := "/forums/"+o.Slug+"/documents/"+o.ID, "/api/v1/forums/"+o.Slug+"/documents/"+o.ID
		add(o.Label+": page", web, false, may, o.Secret)
		add(o.Label+": API", api, true, may, o.Secret)
		for i, f := range o.Files {
			add(fmt.Sprintf("%s: file %d", o.Label, i+1), web+"/files/"+f, false, may, o.Secret)
			add(fmt.Sprintf("%s: file %d through the API", o.Label, i+1), api+"/files/"+f, true, may, o.Secret)
		}
		// The same object through another forum's path is no one's.
		for _, other := range a.slugs {
			if other != o.Slug {
				add(o.Label+": through "+other, "/forums/"+other+"/documents/"+o.ID, false, never, o.Secret)
				add(o.Label+": through "+other+" in the API", "/api/v1/forums/"+other+"/documents/"+o.ID, true, never, o.Secret)
				if o.Draft {
					add(o.Label+": draft through "+other, "/forums/"+other+"/drafts/"+o.ID, false, never, o.Secret)
				}
				break
			}
		}
		if !o.Draft {
			continue
		}
		web, api = "/forums/"+o.Slug+"/drafts/"+o.ID, "/api/v1/forums/"+o.Slug+"/drafts/"+o.ID
		pages := []string{"", "/compilation", "/brackets", "/redline", "/amendments",
			"/provisions/" + o.Provision, "/revisions/1/draft.md", "/revisions/1/draft.html", "/revisions/1/draft.json",
			"/revisions/1/draft.xml", "/revisions/1/proposals.xml"}
		calls := []string{"", "/compilation", "/consolidated", "/brackets", "/redline", "/provisions/" + o.Provision + "/log",
			"/amendments", "/revisions/1/akn", "/revisions/1/proposals/akn"}
		if o.Revision > 1 {
			pages = append(pages, "/redline?from=1&to=2", "/revisions/2/draft.html")
			calls = append(calls, "/redline?from=1&to=2", "/revisions/2/akn")
		}
		for _, sub := range pages {
			add(o.Label+": draft page "+strings.TrimPrefix(sub, "/"), web+sub, false, may, o.Secret)
		}
		for _, sub := range calls {
			add(o.Label+": draft API "+strings.TrimPrefix(sub, "/"), api+sub, true, may, o.Secret)
		}
		if o.Amendment != "" {
			add(o.Label+": a proposal through the API", api+"/amendments/"+o.Amendment, true, may, o.Secret)
		}
		add(o.Label+": revising", web+"/revise", false, func(p *auditPersona) bool {
			if !a.mayRead(p, o) {
				return false
			}
			_, err := a.s.Svc.Drafting.AuthorizeRevision(a.ctx, a.scope(p, o.Slug))
			return err == nil
		}, o.Secret)
	}
	loggedIn := func(p *auditPersona) bool { return p.Actor.LoggedIn() }
	for _, slug := range a.slugs {
		slug := slug
		secretariat := func(p *auditPersona) bool {
			v, err := a.scope(p, slug).Viewer(a.ctx)
			return err == nil && v.Secretariat
		}
		approver := func(p *auditPersona) bool {
			_, err := a.s.Svc.Participation.ApprovalQueue(a.ctx, a.scope(p, slug))
			return err == nil
		}
		add("approvals queue of "+slug, "/forums/"+slug+"/approvals", false, approver, "")
		add("approvals queue of "+slug+" through the API", "/api/v1/forums/"+slug+"/registrations", true, approver, "")
		add("settings of "+slug, "/forums/"+slug+"/settings", false, secretariat, "")
		add("rules editor of "+slug, "/forums/"+slug+"/rules/edit", false, secretariat, "")
		add("guest invitation of "+slug, "/forums/"+slug+"/guests/new", false, secretariat, "")
	}
	// The guest's registration: the guest's own, and the secretariat's.
	regs, err := a.s.Svc.Participation.MyRegistrations(a.ctx, a.persona("guest").Actor)
	if err != nil || len(regs) == 0 {
		a.t.Fatalf("the guest's registration: %v", err)
	}
	reg := regs[0]
	add("the guest's registration through the API", "/api/v1/forums/"+demo.WTPFSlug+"/registrations/"+reg.ID, true, func(p *auditPersona) bool {
		_, err := a.s.Svc.Participation.RegistrationFor(a.ctx, a.scope(p, demo.WTPFSlug), reg.ID)
		return err == nil
	}, "")
	add("new forum form", "/forums/new", false, func(p *auditPersona) bool { return p.Actor.Admin }, "")
	add("account page", "/account", false, loggedIn, "")
	add("own registrations page", "/registrations", false, loggedIn, "")
	add("own account through the API", "/api/v1/me", true, loggedIn, "")
	add("own registrations through the API", "/api/v1/me/registrations", true, loggedIn, "")
	return ts
}

// accessControl reads every restricted object directly as every persona.
func (a *audit) accessControl() {
	ts := a.targets()
	for _, p := range a.personas {
		for _, tg := range ts {
			c := p.Web
			if tg.API {
				c = p.API
			}
			r := c.Get(tg.Path)
			a.count("access-control attempts", 1)
			may := tg.May(p)
			refused := r.StatusCode == 401 || r.StatusCode == 403 || r.StatusCode == 404 ||
				(r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login"))
			switch {
			case !may && !refused:
				a.find("access: "+p.Name+" reads "+tg.Label, "GET %s as %s: %d, but the read check refuses it", tg.Path, p.Name, r.StatusCode)
			case may && r.StatusCode != http.StatusOK:
				a.find("access: "+p.Name+" refused "+tg.Label, "GET %s as %s: %d, but the read check allows it", tg.Path, p.Name, r.StatusCode)
			}
			if !may && tg.Secret != "" && strings.Contains(r.Body, tg.Secret) {
				a.find("leak: "+p.Name+" refused "+tg.Label+" but shown its text", "GET %s as %s: the refusal shows %q", tg.Path, p.Name, tg.Secret)
			}
		}
	}
}

// --- the crawl ---

const (
	auditCrawlMax      = 2500            // fetches per persona and crawl
	auditCrawlPerShape = 60              // fetches per route shape (200 parties are one shape)
	auditCrawlTime     = 3 * time.Minute // per persona and crawl
)

// crawlAll crawls the site as every persona. The crawl after the hostile
// inputs also looks for them on every page.
func (a *audit) crawlAll(after bool) {
	for _, p := range a.personas {
		n := a.crawl(p, after)
		a.count("page fetches (crawl)", n)
	}
}

func (a *audit) crawl(p *auditPersona, after bool) int {
	queue := []string{"/"}
	fs, err := a.s.Svc.Kernel.Forums(a.ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, f := range fs {
		queue = append(queue, "/forums/"+f.Slug)
	}
	seen := map[string]bool{}
	for _, q := range queue {
		seen[q] = true
	}
	// What p may not read, decided once per crawl.
	var hidden []auditObject
	for _, o := range a.restricted {
		if o.Secret != "" && !a.mayRead(p, o) {
			hidden = append(hidden, o)
		}
	}
	perShape := map[string]int{}
	n := 0
	deadline := time.Now().Add(auditCrawlTime)
	for len(queue) > 0 && n < auditCrawlMax && time.Now().Before(deadline) {
		path := queue[0]
		queue = queue[1:]
		u, err := url.Parse(path)
		if err != nil {
			continue
		}
		sh := auditShape(u)
		if perShape[sh] >= auditCrawlPerShape {
			continue
		}
		perShape[sh]++
		pg := a.fetch(p.Web, path)
		n++
		a.checkPage(p, pg, after, hidden)
		for _, l := range pg.Links {
			if lp := a.local(path, l); lp != "" && !seen[lp] {
				seen[lp] = true
				queue = append(queue, lp)
			}
		}
	}
	if len(queue) > 0 {
		a.note("the crawl as %s stopped after %d fetches with %d links not followed", p.Name, n, len(queue))
	}
	return n
}

// checkPage checks one crawled page.
func (a *audit) checkPage(p *auditPersona, pg auditPage, after bool, hidden []auditObject) {
	u, _ := url.Parse(pg.Path)
	sh := auditShape(u)
	for _, f := range pg.Forms {
		au, _ := url.Parse(f.Action)
		if f.Method == "post" && f.csrf() == "" {
			a.find("csrf-less form: "+sh+" posts to "+auditShape(au), "a form on %s (as %s) posts to %s without a csrf_token", pg.Path, p.Name, f.Action)
		}
		if !after && f.Method == "post" {
			a.addForm(p, f)
		}
	}
	for _, o := range hidden {
		if strings.Contains(pg.Body, o.Secret) {
			a.find("leak: "+p.Name+" shown "+o.Label+" on "+sh, "GET %s as %s shows %q of %s, which %s may not read", pg.Path, p.Name, o.Secret, o.Label, p.Name)
		}
	}
	if after {
		a.checkShown(p.Name, pg.Path, pg.Response)
	}
	if pg.StatusCode == http.StatusNotFound {
		a.note("a link leads to a 404 as %s: %s", p.Name, pg.Path)
	}
}

// addForm remembers a form, once per persona, route shape and fields.
func (a *audit) addForm(p *auditPersona, f auditForm) {
	au, _ := url.Parse(f.Action)
	var names []string
	for _, fl := range f.Fields {
		names = append(names, fl.Name)
	}
	sort.Strings(names)
	key := auditShape(au) + " " + strings.Join(names, ",")
	for _, g := range a.forms[p.Name] {
		gu, _ := url.Parse(g.Action)
		var gn []string
		for _, fl := range g.Fields {
			gn = append(gn, fl.Name)
		}
		sort.Strings(gn)
		if auditShape(gu)+" "+strings.Join(gn, ",") == key {
			return
		}
	}
	a.forms[p.Name] = append(a.forms[p.Name], f)
}

// --- what pages show ---

// auditNeedles are the fragments of hostile inputs that, found in an
// HTML or XML answer as they were sent, mean the input was not escaped.
var auditNeedles = []string{"<script>alert(", "<img src=x onerror", "<svg onload", "<svg/onload"}

// checkShown checks an answer for hostile inputs that were not made
// harmless, and notes the audit's tags it shows.
func (a *audit) checkShown(who, path string, r servertest.Response) {
	ct := r.Header.Get("Content-Type")
	u, _ := url.Parse(path)
	sh := auditShape(u)
	if strings.HasPrefix(ct, "application/json") {
		if r.Header.Get("X-Content-Type-Options") != "nosniff" {
			a.find("json without nosniff: "+sh, "GET %s: JSON without X-Content-Type-Options: nosniff", path)
		}
		for _, nd := range auditNeedles {
			if strings.Contains(r.Body, nd) {
				a.find("json unescaped: "+sh, "GET %s as %s: the JSON holds %q unescaped (%s)", path, who, nd, a.tagAfter(r.Body, nd))
			}
		}
		return
	}
	if !strings.HasPrefix(ct, "text/html") && !strings.Contains(ct, "xml") && ct != "" {
		return // plain text, Markdown, files: not rendered by a browser as markup
	}
	a.sawTags(r.Body)
	for _, nd := range auditNeedles {
		if strings.Contains(r.Body, nd) {
			a.find("xss: "+nd+" on "+sh, "GET %s as %s shows %q unescaped (%s)", path, who, nd, a.tagAfter(r.Body, nd))
		}
	}
	// Template syntax must come out as it went in: every tag of a
	// template payload follows its braces (escaped or not).
	for tag, payload := range a.payloads {
		if !strings.HasPrefix(payload, "{{") {
			continue
		}
		for i := strings.Index(r.Body, tag); i >= 0; {
			if !strings.HasSuffix(closingBraces(r.Body[max(0, i-40):i]), "}}") {
				a.find("template: "+sh, "GET %s as %s: %q shows as %q", path, who, payload, r.Body[max(0, i-12):i+len(tag)])
				break
			}
			j := strings.Index(r.Body[i+1:], tag)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	if !strings.HasPrefix(ct, "text/html") {
		return
	}
	doc, err := html.Parse(strings.NewReader(r.Body))
	if err != nil {
		return
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" && strings.Contains(textOf(n), "alert(") {
				a.find("xss: script element on "+sh, "GET %s as %s: a script element runs %q", path, who, textOf(n))
			}
			for _, at := range n.Attr {
				k, v := strings.ToLower(at.Key), strings.ToLower(strings.TrimSpace(at.Val))
				if strings.HasPrefix(k, "on") && strings.Contains(v, "alert(") {
					a.find("xss: event handler attribute on "+sh, "GET %s as %s: <%s %s=%q>", path, who, n.Data, at.Key, at.Val)
				}
				switch k {
				case "href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "hx-get", "hx-post":
					if strings.HasPrefix(strings.Map(dropControl, v), "javascript:") {
						a.find("xss: javascript URL on "+sh, "GET %s as %s: <%s %s=%q>", path, who, n.Data, at.Key, at.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// closingBraces decodes the closing braces in s however often they were
// escaped (HTML, URL, JSON).
func closingBraces(s string) string {
	s = strings.ToLower(s)
	r := strings.NewReplacer("%25", "%", "%7d", "}", "&#125;", "}", "&#x7d;", "}", `\u007d`, "}", "&rbrace;", "}")
	for range 4 {
		s = r.Replace(s)
	}
	return s
}

// dropControl drops what a browser ignores in a URL's scheme.
func dropControl(r rune) rune {
	if r <= ' ' {
		return -1
	}
	return r
}

// tagAfter names the input a needle came from, by the tag that follows
// it.
func (a *audit) tagAfter(body, needle string) string {
	i := strings.Index(body, needle)
	rest := body[i:min(len(body), i+80)]
	for tag, what := range a.sentAs {
		if strings.Contains(rest, tag) {
			return "sent " + what
		}
	}
	return "source unknown"
}
