package decisions_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

const (
	forumPath = "/forums/" + demo.WTPFSlug
	wg3       = forumPath + "/meetings/" + demo.WG3Meeting
)

type site struct {
	*servertest.Site
	clients map[string]*servertest.Client
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{Site: servertest.New(t), clients: map[string]*servertest.Client{}}
	if err := demo.Load(context.Background(), s.Svc); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *site) client(t *testing.T, key string) *servertest.Client {
	t.Helper()
	if c, ok := s.clients[key]; ok {
		return c
	}
	c := s.Client()
	if key != "" {
		l := demo.LoginByKey(key)
		c.LoginWithPassword(l.Email, l.Password)
	}
	s.clients[key] = c
	return c
}

func wantStatus(t *testing.T, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.Body)
	}
}

func mustContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: no %q in\n%s", r.Request.Method, r.Request.URL.Path, s, mainOf(r.Body))
		}
	}
}

func mustNotContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: %q should not be in\n%s", r.Request.Method, r.Request.URL.Path, s, mainOf(r.Body))
		}
	}
}

func mainOf(body string) string {
	_, after, _ := strings.Cut(body, `<main id="main"`)
	main, _, _ := strings.Cut(after, "</main>")
	return main
}

// opened posts the chair's form and returns the new decision's page.
func opened(t *testing.T, chair *servertest.Client, form url.Values) string {
	t.Helper()
	r := chair.PostForm(wg3+"/decisions/new?kind="+form.Get("kind"), wg3+"/decisions", form)
	wantStatus(t, r, http.StatusSeeOther)
	to := r.Header.Get("Location")
	if !strings.HasPrefix(to, forumPath+"/decisions/") {
		t.Fatalf("opened: to %q", to)
	}
	return to
}

func TestConsensusCallFromThePages(t *testing.T) {
	s := newSite(t)
	chair, bra, public := s.client(t, "chair"), s.client(t, "member_state"), s.client(t, "public")

	// The chair's console leads to the forms; others may not open one.
	r := chair.Get(wg3 + "/live/chair")
	mustContain(t, r, `href="`+wg3+`/decisions/new?kind=consensus_call"`, `href="`+wg3+`/decisions/new?kind=straw_poll"`)
	wantStatus(t, bra.Get(wg3+"/decisions/new"), http.StatusForbidden)
	r = bra.PostForm(wg3+"/live", wg3+"/decisions", url.Values{"kind": {"consensus_call"}, "title": {"X"}, "subject": {"question"}, "question": {"X?"}})
	wantStatus(t, r, http.StatusForbidden)

	// A refused form keeps what was sent and names the field.
	r = chair.Get(wg3 + "/decisions/new?kind=consensus_call")
	wantStatus(t, r, http.StatusOK)
	r = chair.PostForm(wg3+"/decisions/new", wg3+"/decisions", url.Values{"kind": {"consensus_call"}, "title": {""}, "subject": {"question"}, "question": {"Kept question?"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Kept question?", `id="e-title"`)

	page := opened(t, chair, url.Values{"kind": {"consensus_call"}, "title": {"Draft Opinion 5"}, "subject": {"question"}, "question": {"Is there any objection to Draft Opinion 5?"}})
	r = public.Get(page)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Consensus call", "Open: is there any objection?", "No objection so far.")
	mustNotContain(t, r, `action="`+page+`/object"`)

	// Brazil objects; the refused objection names the reason.
	r = bra.Get(page)
	mustContain(t, r, `action="`+page+`/object"`)
	wantStatus(t, bra.PostForm(page, page+"/object", url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, bra.PostForm(page, page+"/object", url.Values{"reason": {"Paragraph 3 goes too far."}, "provisions": {"p3"}}), http.StatusSeeOther)
	r = public.Get(page)
	mustContain(t, r, "Paragraph 3 goes too far.", "Brazil")

	// Rough consensus needs an answer to each objection.
	r = chair.Get(page)
	m := regexp.MustCompile(`name="(answer-[^"]+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no answer field for the objection:\n%s", mainOf(r.Body))
	}
	r = chair.PostForm(page, page+"/close-consensus", url.Values{"finding": {"adopted_objections_addressed"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = chair.PostForm(page, page+"/close-consensus", url.Values{"finding": {"adopted_objections_addressed"}, m[1]: {"Paragraph 3 was narrowed in the chair's text."}})
	wantStatus(t, r, http.StatusSeeOther)
	r = public.Get(page)
	mustContain(t, r, "How the chair addressed it: Paragraph 3 was narrowed", "Adopted by consensus, objections addressed.", "/record?before=")

	// Brazil explains its position; it stays with the text.
	wantStatus(t, bra.PostForm(page, page+"/explain", url.Values{"text": {"Brazil joins consensus on the understanding that ..."}}), http.StatusSeeOther)
	mustContain(t, public.Get(page), "Explanations of position", "Brazil joins consensus")

	// The forum's list and the live page show it, with its status.
	r = public.Get(forumPath + "/decisions")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Draft Opinion 5", `href="`+page+`"`)
	r = public.Get(wg3 + "/live")
	mustContain(t, r, `href="`+page+`"`, "Consensus call", "sse:decision")

	// The meeting's Akoma Ntoso debate carries it, with its outcome.
	r = public.Get(wg3 + "/debate.xml")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `<debateSection name="decision"`, `class="outcome adopted"`, "Adopted by consensus, objections addressed.",
		"Explanation of position of Brazil")
}

// wordVote finds "vote" as a word, in any case.
var wordVote = regexp.MustCompile(`(?i)\bvot(e|es|ed|ing)\b`)

// TestNoPageCallsAStrawPollAVote renders every page that shows a straw
// poll (its page, the forum's list, the chair's console and the live
// page, for the chair, a delegate and the public) and fails if any text
// about it calls it a vote, apart from "a straw poll is not a vote".
func TestNoPageCallsAStrawPollAVote(t *testing.T) {
	s := newSite(t)
	chair := s.client(t, "chair")
	page := opened(t, chair, url.Values{"kind": {"straw_poll"}, "title": {"Feel of the room"}, "subject": {"question"},
		"question": {"Should the resolution stay in?"}, "options": {"In\nOut"}, "entry": {"devices"}})
	wantStatus(t, s.client(t, "member_state").PostForm(page, page+"/answer", url.Values{"option": {"o1"}}), http.StatusSeeOther)
	wantStatus(t, s.client(t, "sector_member").PostForm(page, page+"/answer", url.Values{"option": {"o2"}}), http.StatusSeeOther)

	check := func(who string, path string, closed bool) {
		t.Helper()
		r := s.client(t, who).Get(path)
		wantStatus(t, r, http.StatusOK)
		text := mainOf(r.Body)
		if path == page {
			mustContain(t, r, "Straw poll (indicative, not binding)", "a straw poll is not a vote", "decides nothing", "<svg")
		} else {
			// Only the part about the straw poll: its row or item.
			i := strings.Index(text, "Feel of the room")
			if i < 0 {
				t.Fatalf("%s as %s: the straw poll is not shown:\n%s", path, who, text)
			}
			start := strings.LastIndex(text[:i], "<li")
			if j := strings.LastIndex(text[:i], "<tr"); j > start {
				start = j
			}
			end := strings.Index(text[i:], "</li>")
			if j := strings.Index(text[i:], "</tr>"); j >= 0 && (end < 0 || j < end) {
				end = j
			}
			text = text[start : i+end]
			if !strings.Contains(text, "Straw poll (indicative, not binding)") {
				t.Fatalf("%s as %s: the straw poll is not labelled: %s", path, who, text)
			}
		}
		text = strings.ReplaceAll(text, "a straw poll is not a vote", "")
		text = strings.ReplaceAll(text, "A straw poll is not a vote", "")
		// Attribute values are markup, not text (hx-trigger="sse:..."): drop the tags.
		text = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(text, " ")
		if m := wordVote.FindString(text); m != "" {
			t.Errorf("%s as %s (closed %v) calls the straw poll %q:\n%s", path, who, closed, m, text)
		}
	}
	for _, closed := range []bool{false, true} {
		if closed {
			wantStatus(t, chair.PostForm(page, page+"/close-poll", nil), http.StatusSeeOther)
		}
		for _, who := range []string{"chair", "member_state", "public", ""} {
			check(who, page, closed)
			check(who, forumPath+"/decisions", closed)
			check(who, wg3+"/live", closed)
		}
		check("chair", wg3+"/live/chair", closed)
	}
}

// The chair's form opens a written silence procedure ending at a time in
// the meeting's zone, and a vote with a quorum; a silence without its end,
// or a quorum that is not a number, comes back naming the field.
func TestOpenFormWindowsAndQuorum(t *testing.T) {
	s := newSite(t)
	chair := s.client(t, "chair")
	r := chair.PostForm(wg3+"/decisions/new?kind=consensus_call", wg3+"/decisions", url.Values{"kind": {"consensus_call"},
		"title": {"Silence on item 3"}, "subject": {"question"}, "question": {"Is there any objection?"}, "silence": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "a silence procedure needs the date and time it ends")
	to := opened(t, chair, url.Values{"kind": {"consensus_call"}, "title": {"Silence on item 3"}, "subject": {"question"},
		"question": {"Is there any objection?"}, "silence": {"1"}, "until": {"2030-05-16T18:00"}})
	mustContain(t, chair.Get(to), "Silence on item 3")
	r = chair.PostForm(wg3+"/decisions/new?kind=vote", wg3+"/decisions", url.Values{"kind": {"vote"}, "title": {"A vote"},
		"subject": {"question"}, "question": {"Shall the item be deferred?"}, "method": {"show_of_hands"}, "majority": {"simple"}, "quorum": {"many"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "must be a whole number")
}

// The chair links two decisions into a package from the meeting's list of
// decisions; each is provisional until a decision on the package as a
// whole decides it from a member's page. A delegate may do neither.
func TestPackagesFromThePages(t *testing.T) {
	s := newSite(t)
	chair, bra := s.client(t, "chair"), s.client(t, "member_state")
	call := func(title string) string {
		return opened(t, chair, url.Values{"kind": {"consensus_call"}, "title": {title}, "subject": {"question"}, "question": {title + "?"}})
	}
	a, b, whole := call("Paragraph 1"), call("Paragraph 2"), call("The package as a whole")
	idOf := func(page string) string { return page[strings.LastIndex(page, "/")+1:] }
	list := forumPath + "/decisions?meeting=" + demo.WG3Meeting
	r := chair.Get(list)
	mustContain(t, r, "Link decisions into a package", idOf(a), idOf(b))
	r = bra.PostForm(list, wg3+"/packages", url.Values{"name": {"Paragraphs"}, "decisions": {idOf(a), idOf(b)}})
	wantStatus(t, r, http.StatusForbidden)
	r = chair.PostForm(list, wg3+"/packages", url.Values{"name": {""}, "decisions": {idOf(a), idOf(b)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-pname">is required`)
	r = chair.PostForm(list, wg3+"/packages", url.Values{"name": {"Paragraphs 1 and 2"}, "decisions": {idOf(a), idOf(b)}})
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, chair.Get(a), "Provisional: part of the package “Paragraphs 1 and 2”", "Decide the package")
	wantStatus(t, chair.PostForm(whole, whole+"/close-consensus", url.Values{"finding": {"adopted"}}), http.StatusSeeOther)
	for _, d := range []string{a, b} {
		wantStatus(t, chair.PostForm(d, d+"/close-consensus", url.Values{"finding": {"adopted"}}), http.StatusSeeOther)
	}
	wantStatus(t, bra.PostForm(a, a+"/decide-package", url.Values{"by": {idOf(whole)}}), http.StatusForbidden)
	wantStatus(t, chair.PostForm(a, a+"/decide-package", url.Values{"by": {idOf(whole)}}), http.StatusSeeOther)
	r = chair.Get(b)
	mustContain(t, r, "Part of the package “Paragraphs 1 and 2”")
	mustNotContain(t, r, "Provisional: part of the package")
}
