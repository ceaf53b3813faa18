package meetings_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// liveSite is the demo on a test site, with a browser per demo login.
type liveSite struct {
	*servertest.Site
	clients map[string]*servertest.Client
}

func newLiveSite(t *testing.T) *liveSite {
	t.Helper()
	s := &liveSite{Site: servertest.New(t), clients: map[string]*servertest.Client{}}
	if err := demo.Load(context.Background(), s.Svc); err != nil {
		t.Fatal(err)
	}
	return s
}

// client is a browser logged in as the demo login key ("" anonymous).
func (s *liveSite) client(t *testing.T, key string) *servertest.Client {
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
			t.Fatalf("%s %s: no %q in\n%s", r.Request.Method, r.Request.URL.Path, s, r.Body)
		}
	}
}

func mustNotContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: %q should not be in\n%s", r.Request.Method, r.Request.URL.Path, s, r.Body)
		}
	}
}

const wg3 = "/forums/wtpf-13/meetings/" + demo.WG3Meeting

// mainOf is the page's main element: what is the page's own, without the
// site's header (whose log-out button is a form).
func mainOf(body string) string {
	_, after, _ := strings.Cut(body, `<main id="main"`)
	main, _, _ := strings.Cut(after, "</main>")
	return main
}

func TestTheLiveMeetingAndItsFaces(t *testing.T) {
	s := newLiveSite(t)
	live := wg3 + "/live"
	anon, bra, sector, chair, public := s.client(t, ""), s.client(t, "member_state"), s.client(t, "sector_member"), s.client(t, "chair"), s.client(t, "public")

	// The meeting page links to its live faces.
	r := anon.Get(wg3)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `href="`+live+`"`, `href="`+live+`/projector"`, `href="`+wg3+`/speaking-time"`)
	mustNotContain(t, r, `href="`+live+`/chair"`)

	// Anyone may follow it; only the chair gets the console. The demo's
	// WG3-4 is in session: Brazil has the floor, the United States'
	// point of order is first in the queue, with why.
	r = anon.Get(live)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `<meta http-equiv="refresh" content="10">`, `sse-connect="`+wg3+`/events"`, `hx-trigger="sse:floor, sse:meeting, sse:agenda, sse:decision"`,
		`aria-live="polite"`, "Under discussion", `<p class="speaker">Beatriz Delegate, Brazil</p>`, `data-running="true"`)
	mustNotContain(t, r, "Ask for the floor")
	firstInQueue(t, r, "Uma Delegate", "point of order")
	r = anon.Get(live + "/projector")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `class="projector"`, "Next speakers", `<p class="speaker">Beatriz Delegate, Brazil</p>`, `data-remaining="`, `<meta http-equiv="refresh"`)
	firstInQueue(t, r, "Uma Delegate", "point of order")
	if m := mainOf(r.Body); strings.Contains(m, "<form") || strings.Contains(m, "<button") {
		t.Fatalf("the projector view has controls: %s", m)
	}
	for _, c := range []*servertest.Client{anon, public, bra} {
		r = c.Get(live + "/chair")
		if r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
			t.Fatalf("the chair's console shown to someone else: %d", r.StatusCode)
		}
	}
	r = public.PostForm(live, live+"/chair/close", nil)
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("a member of the public closed the list: %d %s", r.StatusCode, r.Body)
	}

	// A sector member asks for the floor, and sees its place.
	r = sector.Get(live)
	mustContain(t, r, "Ask for the floor")
	mustNotContain(t, r, `name="kind" value="point_of_order"`)
	wantStatus(t, sector.PostForm(live, live+"/request", url.Values{"kind": {"speak"}}), http.StatusSeeOther)
	r = sector.Get(live)
	mustContain(t, r, "Withdraw this request")
	place := placeOf(t, r)
	// Whoever may not raise a point of order is refused, naming the rule.
	r = sector.PostForm(live, live+"/request", url.Values{"kind": {"point_of_order"}})
	wantStatus(t, r, http.StatusForbidden)
	mustContain(t, r, "may not raise a point of order")
	mustContain(t, bra.Get(live), `name="kind" value="point_of_order"`)

	// The chair's console: the point of order first, with its why.
	r = chair.Get(live + "/chair")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Run the floor", "Give the floor to the next: Uma Delegate", "Close the list of speakers", `<label for="f-item">`, "Pause the clock")
	mustNotContain(t, r, `http-equiv="refresh"`) // it would lose a ruling being typed
	firstInQueue(t, r, "Uma Delegate", "point of order")

	// The chair gives the floor to the point of order and starts the
	// clock; everyone waiting moves up.
	wantStatus(t, chair.PostForm(live+"/chair", live+"/chair/next", nil), http.StatusSeeOther)
	wantStatus(t, chair.PostForm(live+"/chair", live+"/chair/start", nil), http.StatusSeeOther)
	r = anon.Get(live + "/projector")
	mustContain(t, r, `<p class="speaker">Uma Delegate, United States of America</p>`, `data-running="true"`, "Running")
	if got := placeOf(t, sector.Get(live)); got != place-1 {
		t.Fatalf("the sector member's place went from %d to %d", place, got)
	}
	r = chair.Get(live + "/chair")
	mustContain(t, r, "Ruling on the point of order of Uma Delegate", "Interrupted: Beatriz Delegate")

	// A ruling must say something: the form comes back naming the field.
	r = chair.PostForm(live+"/chair", live+"/chair/rule", url.Values{"request": {requestAtFloor(t, r.Body)}, "ruling": {"  "}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-ruling"`, `aria-invalid="true"`)
	id := requestAtFloor(t, r.Body)
	wantStatus(t, chair.PostForm(live+"/chair", live+"/chair/rule", url.Values{"request": {id}, "ruling": {"The point is taken: the room waits for the interpreters."}}), http.StatusSeeOther)
	wantStatus(t, chair.PostForm(live+"/chair", live+"/chair/finish", nil), http.StatusSeeOther)
	r = anon.Get(live)
	mustContain(t, r, "Last decisions", "The point is taken: the room waits for the interpreters.", `<p class="speaker">Beatriz Delegate, Brazil</p>`)

	// An htmx request for the live part gets the fragment alone.
	r = anon.Do("GET", live, nil, http.Header{"HX-Request": {"true"}, "HX-Target": {"live"}})
	wantStatus(t, r, http.StatusOK)
	if !strings.HasPrefix(strings.TrimSpace(r.Body), `<div id="live">`) {
		t.Fatalf("not the fragment: %.200s", r.Body)
	}

	// The interventions are in the speaking time, in figures and in the
	// charts, whose numbers are text in the markup.
	for _, path := range []string{wg3 + "/speaking-time", "/forums/wtpf-13/speaking-time"} {
		r = anon.Get(path)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Turns at the floor: ", "<svg", "Speaking time per stakeholder group", "Turns per party", `<th scope="row">Brazil</th>`,
			`<th scope="row">United States of America</th>`, `font-size="14">Brazil</text>`)
		if !turnText.MatchString(r.Body) {
			t.Fatalf("%s: no number of turns as text in a chart", path)
		}
	}

	// The sector member withdraws.
	r = sector.Get(live)
	wantStatus(t, sector.PostForm(live, live+"/withdraw", url.Values{"request": {withdrawID(t, r.Body)}}), http.StatusSeeOther)
	mustContain(t, sector.Get(live), "You have no request waiting.")
}

var (
	turnText = regexp.MustCompile(`<text class="value"[^>]*>In the room: [1-9][0-9]* turns?</text>`)
	placeRE  = regexp.MustCompile(`your place in the queue: <strong>([0-9]+)(st|nd|rd|th)</strong>`)
)

// placeOf is the viewer's place in the queue on the live page.
func placeOf(t *testing.T, r servertest.Response) int {
	t.Helper()
	m := placeRE.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no place in the queue on %s", r.Request.URL.Path)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// firstInQueue checks the first place of the queue: who, what, and the
// sentence saying why.
func firstInQueue(t *testing.T, r servertest.Response, who, kind string) {
	t.Helper()
	i := strings.Index(r.Body, `<ol class="queue">`)
	if i < 0 {
		t.Fatalf("%s: no queue", r.Request.URL.Path)
	}
	queue := r.Body[i:]
	first := queue[:strings.Index(queue, "</li>")]
	if !strings.Contains(first, who) || !strings.Contains(strings.ToLower(first), kind) {
		t.Fatalf("%s: first in the queue is not %s's %s: %s", r.Request.URL.Path, who, kind, first)
	}
	if !strings.Contains(r.Request.URL.Path, "projector") && !strings.Contains(first, `<span class="why">`) {
		t.Fatalf("%s: no why sentence: %s", r.Request.URL.Path, first)
	}
}

// requestAtFloor is the request id in the ruling form.
func requestAtFloor(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `action="`+wg3+`/live/chair/rule"`)
	if i < 0 {
		t.Fatalf("no ruling form")
	}
	return valueOf(t, body[i:], "request")
}

func withdrawID(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `/live/withdraw"`)
	if i < 0 {
		t.Fatalf("no withdraw form")
	}
	return valueOf(t, body[i:], "request")
}

func valueOf(t *testing.T, body, name string) string {
	t.Helper()
	key := `name="` + name + `" value="`
	i := strings.Index(body, key)
	if i < 0 {
		t.Fatalf("no field %s", name)
	}
	v := body[i+len(key):]
	return v[:strings.Index(v, `"`)]
}

// The meeting's stream sends its own events in full, named by their kind,
// and the forum's other events as their id alone.
func TestTheMeetingsOwnStream(t *testing.T) {
	s := newLiveSite(t)
	resp, err := http.Get(s.URL + wg3 + "/events?since=0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	done := make(chan [3]int, 1)
	go func() {
		var ids, named, other int
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		for sc.Scan() {
			l := sc.Text()
			switch {
			case strings.HasPrefix(l, "id: "):
				ids++
			case l == "event: meeting" || l == "event: agenda" || l == "event: floor":
				named++
			case strings.HasPrefix(l, "event: "):
				other++
			}
			if named >= 3 && ids > named+10 {
				break
			}
		}
		done <- [3]int{ids, named, other}
	}()
	select {
	case got := <-done:
		if got[1] < 3 || got[2] != 0 || got[0] <= got[1] {
			t.Fatalf("ids %d, named %d, other names %d", got[0], got[1], got[2])
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the stream did not arrive")
	}
	r := s.client(t, "").Get("/forums/wtpf-13/meetings/NOPE/events")
	wantStatus(t, r, http.StatusNotFound)
}

// A closed meeting's live faces and stream are not shown to the public:
// it is not found; the forum's participants follow it.
func TestAClosedMeetingIsNotLiveForThePublic(t *testing.T) {
	s := newLiveSite(t)
	ctx := context.Background()
	sc := fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), demo.WTPFSlug)
	m, err := s.Svc.Meetings.ScheduleMeeting(ctx, sc, meetings.MeetingInput{Body: "wg3", Number: "WG3-CLOSED", Title: "Informal consultations",
		Date: "2013-05-15", Start: "14:00", End: "15:00", Zone: "Europe/Zurich", Access: meetings.AccessClosed})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Meetings.ChangeState(ctx, sc, m.ID, "open", ""); err != nil {
		t.Fatal(err)
	}
	path := "/forums/wtpf-13/meetings/WG3-CLOSED"
	for _, p := range []string{"/live", "/live/projector", "/live/chair", "/events", "/speaking-time", "/interventions", "/debate.xml"} {
		if r := s.client(t, "").Get(path + p); r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s%s shown to the public: %d", path, p, r.StatusCode)
		}
		if r := s.client(t, "public").Get(path + p); r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s%s shown to a member of the public: %d", path, p, r.StatusCode)
		}
	}
	r := s.client(t, "member_state").Get(path + "/live")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Informal consultations", "Nobody has the floor.")
	wantStatus(t, s.client(t, "chair").Get(path+"/live/chair"), http.StatusOK)
}
