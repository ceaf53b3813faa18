package decisions_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// benchConference is a forum of n voting parties, each with a delegate,
// and a plenary meeting in session. There are fewer ISO codes than 10,000
// voters, so the parties are organisations of one stakeholder group
// (civil society, under the multistakeholder rules) whose delegates the
// rights matrix lets vote; the path of a ballot through CastVote is the
// same as a Member State's. The parties and the registrations are
// imported by their commands (one each); the accounts, which no command
// makes in bulk, are inserted directly.
type benchConference struct {
	svc     *app.App
	chair   *forum.Scope
	voters  []*forum.Scope
	meeting string
}

func newBenchConference(b *testing.B, n int) *benchConference {
	b.Helper()
	ctx := context.Background()
	st := storetest.New(b)
	signer, err := ledger.GenerateSigner()
	if err != nil {
		b.Fatal(err)
	}
	svc := app.New(st, signer, app.Options{PasswordParams: account.FastParams})
	au, err := svc.Accounts.CreateUser(ctx, forum.System, account.NewUser{Email: "sec@example.org", Name: "Secretariat", Password: "password-sec", Admin: true})
	if err != nil {
		b.Fatal(err)
	}
	admin := forum.Actor{UserID: au.ID, Name: au.Name, Email: au.Email, Admin: true}
	if _, err := svc.Kernel.CreateForum(ctx, admin, forum.ForumInput{Slug: "conf", Title: "Treaty conference", Kind: forum.KindTreatyConference}); err != nil {
		b.Fatal(err)
	}
	sc := fixture.In(b, svc.Kernel, admin, "conf")
	if _, err := svc.Participation.ChoosePreset(ctx, sc, rules.PresetMultistakeholderEqual); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Participation.ChangeRules(ctx, fixture.In(b, svc.Kernel, admin, "conf"), forum.RulesChange{Cells: []forum.CellInput{
		{Group: rules.GroupCivilSociety, Role: "delegate", Mode: "in_room", Actions: []string{string(rules.ReadPublic), string(rules.Vote)}}}}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Kernel.CreateBody(ctx, fixture.In(b, svc.Kernel, admin, "conf"), forum.BodyInput{Slug: "plenary", Name: "Plenary", Kind: "plenary"}); err != nil {
		b.Fatal(err)
	}
	parties := make([]participation.PartyRow, n)
	regs := make([]participation.RegistrationRow, n)
	actors := make([]forum.Actor, n)
	now := time.Now().UnixMilli()
	if _, err := st.Write(ctx, func(tx *store.Tx) error {
		for i := range n {
			code := fmt.Sprintf("V%05d", i)
			parties[i] = participation.PartyRow{PartyInput: participation.PartyInput{Code: code, Name: "Organisation " + code, Group: rules.GroupCivilSociety, Kind: "ngo"}}
			a := forum.Actor{UserID: fmt.Sprintf("u%05d", i), Name: "Delegate of " + code, Email: fmt.Sprintf("d%05d@example.org", i)}
			if _, err := tx.ExecContext(ctx, "INSERT INTO users (id, email, name, password_hash, is_admin, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				a.UserID, a.Email, a.Name, "!", false, false, now); err != nil {
				return err
			}
			actors[i] = a
			regs[i] = participation.RegistrationRow{Row: i + 1, RegistrationInput: participation.RegistrationInput{Email: a.Email, Party: code, Role: "delegate", Mode: "in_room"}}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Participation.ImportParties(ctx, fixture.In(b, svc.Kernel, admin, "conf"), parties, participation.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Participation.ImportRegistrations(ctx, fixture.In(b, svc.Kernel, admin, "conf"), regs); err != nil {
		b.Fatal(err)
	}
	m, err := svc.Meetings.ScheduleMeeting(ctx, fixture.In(b, svc.Kernel, admin, "conf"), meetings.MeetingInput{Body: "plenary", Title: "Plenary",
		Date: "2012-12-13", Start: "10:00", End: "18:00", Zone: "Asia/Dubai"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Meetings.ChangeState(ctx, fixture.In(b, svc.Kernel, admin, "conf"), m.ID, "open", ""); err != nil {
		b.Fatal(err)
	}
	c := &benchConference{svc: svc, chair: fixture.In(b, svc.Kernel, admin, "conf"), meeting: m.ID}
	for _, a := range actors {
		c.voters = append(c.voters, fixture.In(b, svc.Kernel, a, "conf"))
	}
	return c
}

// vote runs one vote from its opening to its published result: every
// delegation casts through CastVote, then the chair closes it.
func (c *benchConference) vote(b *testing.B, method decide.Method) decisions.Decision {
	ctx := context.Background()
	d, err := c.svc.Decisions.OpenVote(ctx, c.chair, decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: c.meeting, Title: "The preamble",
		Subject: decisions.SubjectInput{Kind: decide.OnQuestion, Text: "Whether to adopt the preamble"}}, Method: method, Credentials: decide.NotConsulted})
	if err != nil {
		b.Fatal(err)
	}
	choices := []decide.Choice{decide.Yes, decide.No, decide.Abstain}
	for i, sc := range c.voters {
		if _, err := c.svc.Decisions.CastVote(ctx, sc, d.ID, decisions.CastInput{Choice: choices[i%3]}); err != nil {
			b.Fatal(err)
		}
	}
	d, err = c.svc.Decisions.CloseVote(ctx, c.chair, d.ID, decisions.CloseVoteInput{})
	if err != nil {
		b.Fatal(err)
	}
	if d.Vote == nil || d.Vote.Result == nil || d.Vote.Result.Tally.Cast() != len(c.voters) {
		b.Fatalf("the result does not count every ballot: %+v", d.Vote)
	}
	return d
}

// 194 delegations vote in a recorded vote, through the service, from the
// opening to the published result; per vote is the whole divided by 194.
// internal/decide's benchmark of the same name is the arithmetic alone.
func BenchmarkRecordedVote194(b *testing.B) {
	c := newBenchConference(b, 194)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.vote(b, decide.Recorded)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/194, "ns/vote")
}

// A secret ballot of 10,000 voters, each casting through CastVote, to the
// published, verifiable ballot list and tally; one receipt is verified.
// internal/decide's benchmark of the same name is the arithmetic alone.
func BenchmarkSecretBallot10000(b *testing.B) {
	const n = 10000
	c := newBenchConference(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d := c.vote(b, decide.Secret)
		if len(d.Vote.Result.Ballots) != n || len(d.Vote.Result.BallotHash) != 64 {
			b.Fatalf("the ballot list: %d ballots", len(d.Vote.Result.Ballots))
		}
		if _, err := c.svc.Decisions.VerifyReceipt(ctx, c.chair, d.ID, decisions.ReceiptCheck{Choice: decide.Yes, Nonce: "00"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/vote")
}
