package consultation_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/opinion"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// BenchmarkOpinionMapVTaiwan imports Polis' vTaiwan UberX conversation
// (1,921 participants, 197 statements, 49,443 votes after the latest-wins
// rule) into a consultation's opinion map, then reads the map: computed
// (a new service, whose kept maps are empty: the votes read from the
// database and the map computed), kept (the votes unchanged since the
// last read), and, as the baseline, internal/opinion's Compute alone on
// the same votes read from the CSV files.
func BenchmarkOpinionMapVTaiwan(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "polis", "vtaiwan-uberx")
	vf, err := os.Open(filepath.Join(dir, "votes.csv"))
	if err != nil {
		b.Skip("no vTaiwan conversation here")
	}
	votes, err := opinion.ReadVotes(vf)
	vf.Close()
	if err != nil {
		b.Fatal(err)
	}
	cf, err := os.Open(filepath.Join(dir, "comments.csv"))
	if err != nil {
		b.Fatal(err)
	}
	comments, err := opinion.ReadComments(cf)
	cf.Close()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	signer, err := ledger.GenerateSigner()
	if err != nil {
		b.Fatal(err)
	}
	svc := app.New(storetest.New(b), signer, app.Options{PasswordParams: account.FastParams})
	u, err := svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: "sec@example.org", Name: "Sec", Password: "password-sec", Admin: true})
	if err != nil {
		b.Fatal(err)
	}
	admin := forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: true}
	if _, err := svc.Kernel.CreateForum(ctx, admin, forum.ForumInput{Slug: "vt", Title: "vTaiwan", Kind: forum.KindPolicyForum, DocPrefix: "VT"}); err != nil {
		b.Fatal(err)
	}
	sc := fixture.In(b, svc.Kernel, admin, "vt")
	doc, err := svc.Documents.SubmitDocument(ctx, sc, documents.DocumentInput{Type: documents.DocReport, Title: "UberX", Visibility: "public", Text: "UberX."})
	if err != nil {
		b.Fatal(err)
	}
	p, err := svc.Consultation.OpenPeriod(ctx, sc, consultation.PeriodInput{Document: doc.ID, Title: "UberX", Closes: time.Now().Add(24 * time.Hour)})
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.Consultation.EnableOpinionMap(ctx, sc, p.ID); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	rep, err := svc.Consultation.ImportConversation(ctx, sc, p.ID, consultation.PolisConversation("vtaiwan", comments, votes))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("imported %d votes of %d voters on %d statements in %d batches in %s", rep.Votes, rep.Voters, rep.Statements, rep.Batches, time.Since(start).Round(time.Millisecond))
	anon := fixture.In(b, svc.Kernel, forum.Anonymous, "vt")
	b.Run("computed", func(b *testing.B) {
		for b.Loop() {
			m, err := consultation.New(svc.Kernel, svc.Documents, svc.Drafting).OpinionMap(ctx, anon, p.ID)
			if err != nil || m.Map.K != 2 || len(m.Map.Counted) != 1218 {
				b.Fatalf("%v: %+v", err, m)
			}
		}
	})
	b.Run("kept", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Consultation.OpinionMap(ctx, anon, p.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	excluded := map[int]bool{}
	for _, c := range comments {
		if c.Moderated < 0 {
			excluded[c.ID] = true
		}
	}
	b.Run("compute-alone", func(b *testing.B) {
		for b.Loop() {
			opinion.Compute(votes, opinion.Options{MinVotes: consultation.MinVotes, Seed: consultation.MapSeed, Excluded: excluded})
		}
	})
}
