package consultation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// BenchmarkCampaigns10000 reads the campaigns of a public comment period
// of 10,000 comments, a third of them in three campaigns: cold (a new
// kernel and service, whose index is rebuilt from the stored
// fingerprints; it reports the heap the index holds, per comment) and
// warm (the campaigns kept in the kernel's cache). The comments are taken
// by SubmitComment, one command each.
func BenchmarkCampaigns10000(b *testing.B) {
	ctx := context.Background()
	st := storetest.New(b)
	signer, err := ledger.GenerateSigner()
	if err != nil {
		b.Fatal(err)
	}
	svc := app.New(st, signer, app.Options{PasswordParams: account.FastParams})
	user := func(email string, admin bool) forum.Actor {
		u, err := svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: email, Name: email, Password: "password-" + email, Admin: admin})
		if err != nil {
			b.Fatal(err)
		}
		return forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: admin}
	}
	admin, public := user("sec@example.org", true), user("public@example.org", false)
	if _, err := svc.Kernel.CreateForum(ctx, admin, forum.ForumInput{Slug: "nm", Title: "NETmundial", Kind: forum.KindPolicyForum, DocPrefix: "NM"}); err != nil {
		b.Fatal(err)
	}
	doc, err := svc.Documents.SubmitDocument(ctx, fixture.In(b, svc.Kernel, admin, "nm"), documents.DocumentInput{Type: documents.DocReport,
		Title: "Draft outcome", Visibility: "public", Text: "The draft outcome document."})
	if err != nil {
		b.Fatal(err)
	}
	p, err := svc.Consultation.OpenPeriod(ctx, fixture.In(b, svc.Kernel, admin, "nm"), consultation.PeriodInput{Document: doc.ID,
		Title: "Comments", Public: true, Closes: time.Now().Add(24 * time.Hour)})
	if err != nil {
		b.Fatal(err)
	}
	svc.Consultation.PerAccount, svc.Consultation.PerAddress = 0, 0
	sc := fixture.In(b, svc.Kernel, public, "nm")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 10000 {
		// A comment written on its own: words drawn at random.
		words := make([]string, 25)
		for j := range words {
			words[j] = fmt.Sprintf("w%d", rng.IntN(50000))
		}
		txt := strings.Join(words, " ")
		if i%3 == 0 {
			txt = fmt.Sprintf("We the undersigned ask the forum to keep the Internet open and free for everyone, campaign %d, signed by person %d.", i%9/3, i)
		}
		if _, err := svc.Consultation.SubmitComment(ctx, sc, p.ID, consultation.CommentInput{Group: "civil_society", Organisation: "individual",
			Target: consultation.TargetWhole, Text: txt, Address: "192.0.2.1"}); err != nil {
			b.Fatal(err)
		}
	}
	check := func(b *testing.B, a *app.App) {
		cps, err := a.Consultation.Campaigns(ctx, fixture.In(b, a.Kernel, forum.Anonymous, "nm"), p.ID)
		if err != nil || len(cps) != 3 {
			b.Fatalf("%v, %d campaigns", err, len(cps))
		}
	}
	b.Run("cold", func(b *testing.B) {
		var held uint64
		for b.Loop() {
			// What a period's index holds once built: the heap in use
			// after the first read, less before it.
			var before, after runtime.MemStats
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.StartTimer()
			// A new kernel too: the campaigns are kept in its cache.
			c := app.New(st, signer, app.Options{PasswordParams: account.FastParams})
			check(b, c)
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.StartTimer()
			runtime.KeepAlive(c)
			held += after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		}
		b.ReportMetric(float64(held)/float64(b.N)/10000, "heap-B/comment")
	})
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			check(b, svc)
		}
	})
}
