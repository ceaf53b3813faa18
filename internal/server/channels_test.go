package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/web"
)

// channelPersona is one way of looking at a forum.
type channelPersona struct {
	name    string
	actor   forum.Actor
	browser *servertest.Client // cookie session (anonymous when not logged in)
	api     *servertest.Client // bearer token (anonymous when not logged in)
}

// TestWhatAParticipantMayNotReadStaysOutOfEveryChannel looks at every
// forum of the demo as each of its personas (and a guest invited with no
// rights, and the public) through every channel that shows ledger events:
// the ledger export, the API's and the web's live streams (replayed from
// the start), the Record page and the forum page's activity list. For every
// event, the one read check (the documents' check of a thing of that
// visibility, for that persona) says whether the persona may read what it
// is about; an event it may not read must not show its content anywhere:
// redacted in the export, absent from the streams, and none of its
// payload's words on the pages.
//
// It also iterates over every event type the pages know how to describe:
// each must occur in the demo, so that a new type cannot escape this check.
func TestWhatAParticipantMayNotReadStaysOutOfEveryChannel(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	s := servertest.New(t)
	ctx := context.Background()
	if err := demo.Load(ctx, s.Svc); err != nil {
		t.Fatal(err)
	}
	k := s.Svc.Kernel

	var personas []channelPersona
	personas = append(personas, channelPersona{name: "anonymous", actor: forum.Anonymous, browser: s.Client(), api: s.Client()})
	for _, key := range []string{"secretariat", "chair", "member_state", "sector_member", "civil_society", "public"} {
		l := demo.LoginByKey(key)
		u, err := s.Svc.Accounts.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		a := forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin, Via: "test"}
		b := s.Client()
		b.LoginWithPassword(l.Email, l.Password)
		personas = append(personas, channelPersona{name: key, actor: a, browser: b, api: s.APIToken(a)})
	}
	// A guest invited to WTPF-13 with no rights beyond attending.
	sec := personas[1].actor
	guest := s.User("guest.norights@example.org", "Gwen Guest", false)
	none := []string{}
	if _, err := s.Svc.Participation.InviteGuest(ctx, mustScope(t, k, sec, demo.WTPFSlug), participation.GuestInput{
		Email: guest.Email, Mode: "in_room", Statement: "Invited by the chair to attend.", Grants: &none}); err != nil {
		t.Fatal(err)
	}
	gb := s.Client()
	gb.Login(guest.Email)
	personas = append(personas, channelPersona{name: "guest without rights", actor: guest, browser: gb, api: s.APIToken(guest)})

	forums, err := k.Forums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seenTypes := map[string]bool{}
	checked := 0
	for _, f := range forums {
		evs, err := s.Store.EventsAfter(ctx, f.ID, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			seenTypes[ev.Type] = true
		}
		for _, p := range personas {
			sc, err := k.Scope(ctx, p.actor, f.Slug)
			if err != nil {
				t.Fatal(err)
			}
			// The one read check, by visibility.
			may := map[string]bool{}
			for _, ev := range evs {
				if _, ok := may[ev.Visibility]; !ok {
					may[ev.Visibility] = s.Svc.Documents.CheckReadable(ctx, sc, "it", ev.Visibility) == nil
				}
			}
			// Words an allowed event shows may appear anywhere; those of a
			// refused event may not, unless an allowed one shows them too.
			allowedWords := map[string]bool{}
			for _, ev := range evs {
				if may[ev.Visibility] {
					for _, w := range payloadWords(ev) {
						allowedWords[w] = true
					}
				}
			}
			var secret []string
			refused := map[int64]bool{}
			for _, ev := range evs {
				if may[ev.Visibility] {
					continue
				}
				refused[ev.Seq] = true
				for _, w := range payloadWords(ev) {
					if !allowedWords[w] {
						secret = append(secret, w)
					}
				}
			}
			where := f.Slug + " as " + p.name

			// The ledger export: refused events redacted.
			exp := p.api.Get("/api/v1/forums/" + f.Slug + "/ledger")
			if exp.StatusCode != http.StatusOK {
				t.Fatalf("%s: export: %d", where, exp.StatusCode)
			}
			for _, line := range strings.Split(strings.TrimSpace(exp.Body), "\n") {
				var e struct {
					Seq     int64           `json:"seq"`
					Payload json.RawMessage `json:"payload"`
				}
				if json.Unmarshal([]byte(line), &e) != nil || e.Seq == 0 {
					continue
				}
				if refused[e.Seq] && len(e.Payload) > 0 && string(e.Payload) != "null" {
					t.Errorf("%s: the export shows the payload of event %d", where, e.Seq)
				}
			}
			// The live streams, replayed from the start.
			var wg sync.WaitGroup
			var apiSeqs, webSeqs []int64
			wg.Add(2)
			go func() { defer wg.Done(); apiSeqs = streamSeqs(t, s, p.api, "/api/v1/forums/"+f.Slug+"/events?since=0") }()
			go func() { defer wg.Done(); webSeqs = streamSeqs(t, s, p.browser, "/forums/"+f.Slug+"/events?since=0") }()
			wg.Wait()
			for name, seqs := range map[string][]int64{"API stream": apiSeqs, "web stream": webSeqs} {
				for _, seq := range seqs {
					if refused[seq] {
						t.Errorf("%s: the %s delivers event %d", where, name, seq)
					}
				}
			}
			// The pages: the Record page (every page of it) and the forum's
			// activity list.
			pages := []string{p.browser.Get("/forums/" + f.Slug).Body}
			for path := "/forums/" + f.Slug + "/record"; path != ""; {
				r := p.browser.Get(path)
				if r.StatusCode != http.StatusOK {
					t.Fatalf("%s: %s: %d", where, path, r.StatusCode)
				}
				pages = append(pages, r.Body)
				path = olderLink(r.Body)
			}
			for _, w := range secret {
				for i, body := range pages {
					if strings.Contains(body, htmlEscape(w)) {
						page := "the forum page"
						if i > 0 {
							page = "the Record page"
						}
						t.Errorf("%s: %s shows %q from an event it may not read", where, page, w)
					}
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	// Every event type the pages describe occurs in the demo, so the check
	// above covers it.
	var missing []string
	for _, typ := range web.DescribedTypes() {
		if !seenTypes[typ] && !notInTheDemo[typ] && !notYetInTheDemo[typ] {
			missing = append(missing, typ)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("event types the demo never records, so no channel is checked for them: %v (add them to the demo, or to notInTheDemo with a reason)", missing)
	}
	for typ := range seenTypes {
		if !web.IsDescribed(typ) {
			t.Errorf("the demo records %s events, which no page describes", typ)
		}
	}
}

// notInTheDemo are event types the demo does not record, each with why its
// content cannot leak.
var notInTheDemo = map[string]bool{
	// Account events are on the site chain, which no forum channel shows.
	"user.created": true, "token.created": true, "token.revoked": true,
}

// notYetInTheDemo are event types that neither the demo nor this test
// records yet.
var notYetInTheDemo = map[string]bool{
	"amendment.withdrawn": true, "body.membership_changed": true, "body.officer_removed": true, "document.file_attached": true,
	"document.visibility_changed": true, "document.withdrawn": true, "drafting.attribution": true, "focal_point.removed": true,
	"forum.compilations_setting_changed": true, "forum.status_changed": true, "forum.updated": true, "group.added": true,
	"group.renamed": true, "party.added": true, "registration.declined": true, "registration.submitted": true, "registration.withdrawn": true,
}

func mustScope(t *testing.T, k *forum.Kernel, a forum.Actor, slug string) *forum.Scope {
	t.Helper()
	sc, err := k.Scope(context.Background(), a, slug)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// payloadWords are the longer strings of an event's payload: titles, texts,
// rationales, names.
func payloadWords(ev ledger.Event) []string {
	var p any
	if json.Unmarshal(ev.Payload, &p) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if len(x) >= 16 && !strings.HasPrefix(x, "01") && strings.Contains(x, " ") {
				out = append(out, x)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(p)
	return out
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// olderLink returns the Record page's link to older events, or "".
func olderLink(body string) string {
	i := strings.Index(body, "?before=")
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], `"`) + 1
	end := strings.Index(body[i:], `"`) + i
	return strings.ReplaceAll(body[start:end], "&amp;", "&")
}

// chainOf is the chain of the forum a stream's path names.
func chainOf(t *testing.T, s *servertest.Site, path string) string {
	rest := path[strings.Index(path, "/forums/")+len("/forums/"):]
	slug, _, _ := strings.Cut(rest, "/")
	f, err := s.Svc.Kernel.ForumBySlug(context.Background(), slug)
	if err != nil {
		t.Error(err)
	}
	return f.ID
}

// streamSeqs replays a stream for a moment and returns the ids of the
// events it sent with their data.
func streamSeqs(t *testing.T, s *servertest.Site, c *servertest.Client, path string) []int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+path, nil)
	if err != nil {
		t.Error(err)
		return nil
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer resp.Body.Close()
	head, _ := s.Store.HeadSeq(context.Background(), chainOf(t, s, path))
	// An event the viewer may not see is sent as its id alone, so that
	// the client's position moves; only events with data count.
	var seqs []int64
	var id int64
	data := false
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data {
				seqs = append(seqs, id)
			}
			if id >= head {
				return seqs // caught up: every event, seen or not, sends its id
			}
			id, data = 0, false
		case strings.HasPrefix(line, "id: "):
			id, _ = strconv.ParseInt(strings.TrimPrefix(line, "id: "), 10, 64)
		case strings.HasPrefix(line, "data:"):
			data = true
		}
	}
	return seqs
}
