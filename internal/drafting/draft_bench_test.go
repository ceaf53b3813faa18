package drafting_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store/storetest"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
	"github.com/plenary-forum/plenary/internal/text/texttest"
)

// BenchmarkProposeAmendment measures one proposal end to end on the test
// engine: authorization, loading and locking the current revision,
// validating the proposal and computing its word edits, storing it, and
// appending its ledger event with a signed checkpoint, in one
// transaction. The draft has 100 or 3,000 provisions (a 100-page treaty).
func BenchmarkProposeAmendment(b *testing.B) {
	for _, n := range []int{100, 3000} {
		b.Run(fmt.Sprintf("provisions=%d", n), func(b *testing.B) {
			ctx := context.Background()
			signer, err := ledger.GenerateSigner()
			if err != nil {
				b.Fatal(err)
			}
			svc := app.New(storetest.New(b), signer, app.Options{PasswordParams: account.FastParams})
			user := func(email string, admin bool) forum.Actor {
				u, err := svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: email, Name: email, Password: "password-" + email, Admin: admin})
				if err != nil {
					b.Fatal(err)
				}
				return forum.Actor{UserID: u.ID, Admin: admin}
			}
			sec, editor, bra := user("sec@example.org", true), user("editor@example.org", false), user("bra@example.org", false)
			f, err := svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Participation.AddParty(ctx, fixture.In(b, svc.Kernel, sec, f.Slug), participation.PartyInput{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState}); err != nil {
				b.Fatal(err)
			}
			for _, r := range []participation.RegistrationInput{
				{Email: "editor@example.org", Group: rules.GroupSecretariat, Role: "editor", Mode: "in_room"},
				{Email: "bra@example.org", Party: "BRA", Role: "delegate", Mode: "in_room"},
			} {
				if _, err := svc.Participation.Register(ctx, fixture.In(b, svc.Kernel, sec, f.Slug), r); err != nil {
					b.Fatal(err)
				}
			}
			d, _ := texttest.Synthetic(texttest.SyntheticConfig{Provisions: n, Amendments: 1, Seed: 7})
			dt, err := svc.Drafting.CreateDraft(ctx, fixture.In(b, svc.Kernel, editor, f.Slug), drafting.DraftInput{Text: string(render.Markdown(d)), Visibility: "public"})
			if err != nil {
				b.Fatal(err)
			}
			rv, err := svc.Drafting.DraftRevision(ctx, fixture.In(b, svc.Kernel, editor, f), dt.ID, 0)
			if err != nil {
				b.Fatal(err)
			}
			var targets []text.Provision
			for _, p := range rv.Text.Provisions {
				if p.Kind == text.KindParagraph {
					targets = append(targets, p)
				}
			}
			i := 0
			for b.Loop() {
				p := targets[i%len(targets)]
				i++
				in := drafting.ProposalInput{Op: "MOD", Provision: p.ID, Text: p.Text() + " and in particular developing countries " + fmt.Sprint(i)}
				if _, err := svc.Drafting.ProposeAmendment(ctx, fixture.In(b, svc.Kernel, bra, f.Slug), dt.ID, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
