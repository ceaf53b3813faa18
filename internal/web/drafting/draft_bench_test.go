package drafting_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
	"github.com/plenary-forum/plenary/internal/text/texttest"
)

// BenchmarkCompilationPage3000 measures the compilation page of a
// 100-page text (3,000 provisions, about 50,000 words) with 4,000 pending
// proposals, as the editor loads it over HTTP: the access checks, reading
// the revision and the proposals from the test engine, compiling them
// with their collisions, and rendering the page. Logged-in pages are not
// cached. The proposals are stored directly, as ProposeAmendment stores
// them, to keep the set-up short. Each load is followed by a load of the
// same bytes from a bare net/http handler (pageBesideBare), so the page's
// time is given beside the time to serve its bytes in the same run.
//
//	go test -run '^$' -bench CompilationPage3000 -benchtime 10x ./internal/web
func BenchmarkCompilationPage3000(b *testing.B) {
	s := servertest.New(b)
	ctx := context.Background()
	sec := s.User("sec@example.org", "Sec", true)
	s.User("editor@example.org", "Edith Editor", false)
	f, err := s.Svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Svc.Participation.Register(ctx, fixture.In(b, s.Svc.Kernel, sec, f.Slug), participation.RegistrationInput{Email: "editor@example.org", Group: rules.GroupSecretariat, Role: "editor", Mode: "in_room"}); err != nil {
		b.Fatal(err)
	}
	d, ams := texttest.Synthetic(texttest.SyntheticConfig{Seed: 1})
	dt, err := s.Svc.Drafting.CreateDraft(ctx, fixture.In(b, s.Svc.Kernel, sec, f.Slug), drafting.DraftInput{Text: string(render.Markdown(d)), Visibility: "public"})
	if err != nil {
		b.Fatal(err)
	}
	rv, err := s.Svc.Drafting.DraftRevision(ctx, fixture.In(b, s.Svc.Kernel, sec, f), dt.ID, 0)
	if err != nil {
		b.Fatal(err)
	}
	_, err = s.Store.Write(ctx, func(tx *store.Tx) error {
		now := time.Now().UnixMilli()
		for i, a := range ams {
			a.Contribution, a.ID = "", plenary.NewID()
			p, err := text.Propose(rv.Text, a)
			if err != nil {
				return err
			}
			data, _ := json.Marshal(p)
			if _, err := tx.ExecContext(ctx, `INSERT INTO amendments (id, forum_id, draft_id, revision, made_in, label, label_doc, label_seq, op,
				provision_id, party_id, party_code, party_name, status, data, entered_by, entered_as, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, f.ID, dt.ID, 1, 1, p.Label, "x", i, string(p.Op),
				p.Target(), "", p.Proposer, p.Proposer, string(p.Status), string(data), "bench", "delegate", now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	c := s.Client()
	c.Login("editor@example.org")
	pageBesideBare(b, c, drafting.DraftPath(f, dt.ID)+"/compilation")
}

var bareSink string

const bareFetches = 3

// pageBesideBare loads the page at path with c, and after each load the
// same response (headers and body, captured from one real load) from a
// bare net/http handler serving it from memory over its own loopback
// connection, fetched the same way: one keep-alive connection, the whole
// body read into a string. The bare handler is fetched bareFetches times
// after each page load, on a collected heap so that it does not pay for
// the page's garbage. ns/op and ms/page are the page alone;
// bare-ms/page is the floor of sending its bytes through net/http on the
// same machine in the same run (the mean of its fetches), and page/bare
// the ratio of the two.
func pageBesideBare(b *testing.B, c *servertest.Client, path string) {
	first := c.Get(path)
	if first.StatusCode != http.StatusOK {
		b.Fatalf("%d %.300s", first.StatusCode, first.Body)
	}
	body := []byte(first.Body)
	header := first.Header.Clone()
	header.Del("Date")
	header.Del("Set-Cookie")
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		_, _ = w.Write(body)
	}))
	defer bare.Close()
	jar, _ := cookiejar.New(nil)
	bareClient := &http.Client{Jar: jar}
	getBare := func() {
		resp, err := bareClient.Get(bare.URL + "/")
		if err != nil {
			b.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || len(got) != len(body) {
			b.Fatalf("bare: %d, %d bytes, %v", resp.StatusCode, len(got), err)
		}
		bareSink = string(got) // as servertest's client keeps the body
	}
	getBare()
	var pageTime, bareTime time.Duration
	for b.Loop() {
		t := time.Now()
		r := c.Get(path)
		pageTime += time.Since(t)
		if r.StatusCode != http.StatusOK {
			b.Fatalf("%d %.300s", r.StatusCode, r.Body)
		}
		b.StopTimer()
		runtime.GC()
		t = time.Now()
		for range bareFetches {
			getBare()
		}
		bareTime += time.Since(t)
		b.StartTimer()
	}
	n := float64(b.N)
	bareTime /= bareFetches
	b.ReportMetric(float64(len(body))/1e6, "MB/page")
	b.ReportMetric(pageTime.Seconds()*1e3/n, "ms/page")
	b.ReportMetric(bareTime.Seconds()*1e3/n, "bare-ms/page")
	b.ReportMetric(float64(pageTime)/float64(bareTime), "page/bare")
}
