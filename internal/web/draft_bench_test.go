package web_test

import (
	"context"
	"encoding/json"
	"net/http"
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
// them, to keep the set-up short.
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
	path := drafting.DraftPath(f, dt.ID) + "/compilation"
	size := 0
	for b.Loop() {
		r := c.Get(path)
		if r.StatusCode != http.StatusOK {
			b.Fatalf("%d %.300s", r.StatusCode, r.Body)
		}
		size = len(r.Body)
	}
	b.ReportMetric(float64(size)/1e6, "MB/page")
}
