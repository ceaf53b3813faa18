package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
)

// The decisions demo. In WTPF-13's Working Group 3 (WG3-4), draft Opinion
// 5 is adopted by consensus, the United States explains its position, and
// the adopted text is filed as "… as adopted"; the chair then reopens the
// draft by a decision on the record for a second reading, so that the
// drafting demo goes on. In WCIT-12's plenary on the night of 12 December
// 2012: the chair's "feel of the room" on the Internet resolution (a straw
// poll, indicative), Spain's point of order ("was that a vote?") and the
// chair's ruling, then the formal vote on the preamble by recorded
// electronic vote, 77 for, 33 against, 8 abstentions. Only those totals
// are known: the split per delegation below is illustrative, and the vote
// says so.

// WCITPlenary is the number of WCIT-12's demo plenary meeting.
const WCITPlenary = "PL-12DEC"

// WCITDelegatePassword is the password of every WCIT-12 demo delegate,
// wcit.<code>@demo.plenary.example (code: the Member State's ISO 3166
// alpha-3 code in lower case, e.g. wcit.deu@demo.plenary.example), so that
// anyone trying the demo can vote as any delegation. Public, as all the
// demo's passwords are. Brazil's delegate is the member_state login.
const WCITDelegatePassword = "demo-wcit-delegate"

// WCITDelegateEmail is the e-mail address of the WCIT-12 demo delegate of
// the Member State of the given code.
func WCITDelegateEmail(code string) string {
	return "wcit." + strings.ToLower(code) + "@demo.plenary.example"
}

// Titles of the demo's decisions, for tests and the list of pages to see.
const (
	DemoConsensusTitle = "Adoption of draft Opinion 5"
	DemoStrawTitle     = "Feel of the room on the Internet resolution"
	DemoVoteTitle      = "Vote on the preamble of the International Telecommunication Regulations"
)

// Illustrative split of the WCIT-12 vote on the preamble. The record gives
// only the totals (77 for, 33 against, 8 abstentions). The 33 against and
// the 8 abstentions are named here, chosen among delegations that did not
// sign the Final Acts; the 77 for are the first other Member States in the
// order of their codes whose credentials allow them to vote.
var (
	wcitAgainst = []string{"AUS", "AUT", "BEL", "BGR", "CAN", "CHE", "CHL", "COL", "CRI", "CZE", "DEU", "DNK", "EST", "FIN", "FRA",
		"GBR", "GRC", "HUN", "IRL", "ISL", "ITA", "JPN", "LTU", "LUX", "LVA", "NLD", "NOR", "NZL", "POL", "PRT", "SVK", "SWE", "USA"}
	wcitAbstain = []string{"IND", "PER", "PHL", "SRB", "MNE", "SVN", "ROU", "QAT"}
)

// Totals of the WCIT-12 vote on the preamble.
const (
	WCITFor     = 77
	WCITAgainst = 33
	WCITAbstain = 8
)

func loadDecisions(ctx context.Context, svc *app.App, users map[string]account.User) error {
	if err := loadWTPFDecision(ctx, svc, users); err != nil {
		return err
	}
	return loadWCITDecisions(ctx, svc, users)
}

// loadWTPFDecision adopts draft Opinion 5 in WG3-4 by consensus.
func loadWTPFDecision(ctx context.Context, svc *app.App, users map[string]account.User) error {
	chair := scopeIn(ctx, svc.Kernel, actorOf(users["chair"]), WTPFSlug)
	m, err := svc.Meetings.Meeting(ctx, chair, WG3Meeting)
	if err != nil {
		return nil // the meetings demo was not loaded
	}
	ds, err := svc.Decisions.MeetingDecisions(ctx, chair, m.ID)
	if err != nil || len(ds) > 0 {
		return err
	}
	fail := func(what string, err error) error { return fmt.Errorf("demo: WTPF-13 decision, %s: %w", what, err) }
	draft, err := svc.Documents.DocumentByNumber(ctx, chair, OpinionNumber)
	if err != nil {
		return fail("draft Opinion 5", err)
	}
	clk := decisionClock(svc, 10*time.Minute)
	defer svc.Decisions.SetClock(nil)
	d, err := svc.Decisions.OpenConsensus(ctx, chair, decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: m.ID,
		Title: DemoConsensusTitle, Subject: decisions.SubjectInput{Kind: decide.OnRevision, Draft: draft.ID},
		Note: "The chair asks whether there is any objection to adopting the draft as it stands."}})
	if err != nil {
		return fail("the call", err)
	}
	clk.pass(time.Minute)
	if _, err := svc.Decisions.CloseConsensus(ctx, chair, d.ID, decisions.FindingInput{Finding: decide.FoundAdopted,
		Note: "No objection was raised: draft Opinion 5 is adopted."}); err != nil {
		return fail("the finding", err)
	}
	usaUser, err := svc.Accounts.UserByEmail(ctx, "usa@demo.plenary.example")
	if err != nil {
		return fail("United States delegate", err)
	}
	clk.pass(2 * time.Minute)
	if _, err := svc.Decisions.FileExplanation(ctx, scopeIn(ctx, svc.Kernel, actorOf(usaUser), WTPFSlug), d.ID, decisions.ExplanationInput{
		Text: "The United States joins consensus on this opinion on the understanding that it is not binding and that the respective roles of stakeholders are those agreed at the World Summit on the Information Society. (Written for Plenary's demonstration.)"}); err != nil {
		return fail("the explanation of position", err)
	}
	clk.pass(time.Minute)
	if err := svc.Decisions.ReopenDraft(ctx, chair, draft.ID, decisions.ReopenInput{Meeting: m.ID,
		Reason: "The Working Group takes the adopted text to a second reading, to consider the proposals still pending."}); err != nil {
		return fail("the reopening", err)
	}
	return nil
}

// demoPersonWith is demoPerson with the accounts of as and the given
// password.
func demoPersonWith(ctx context.Context, as *account.Service, email, name, password string) (account.User, error) {
	u, err := as.UserByEmail(ctx, email)
	if errors.Is(err, plenary.ErrNotFound) {
		u, err = as.CreateUser(ctx, forum.System, account.NewUser{Email: email, Name: name, Password: password})
	}
	return u, err
}

// decisionClock stamps the demo's decisions on a clock of their own that
// starts some minutes ago, as demoClock does for the queues.
func decisionClock(svc *app.App, ago time.Duration) *demoClock {
	c := &demoClock{t: time.Now().Add(-ago).Truncate(time.Second)}
	svc.Decisions.SetClock(c.now)
	return c
}

// loadWCITDecisions holds WCIT-12's plenary of 12 December 2012.
func loadWCITDecisions(ctx context.Context, svc *app.App, users map[string]account.User) error {
	sec := scopeIn(ctx, svc.Kernel, actorOf(users["secretariat"]), WCITSlug)
	if exists, err := meetingExists(ctx, svc, sec, WCITPlenary); exists || err != nil {
		return err
	}
	fail := func(what string, err error) error { return fmt.Errorf("demo: WCIT-12 decisions, %s: %w", what, err) }
	chairAct := actorOf(users["chair"])
	chair := scopeIn(ctx, svc.Kernel, chairAct, WCITSlug)
	chairReg, err := approved(ctx, svc, sec, users["chair"].ID)
	if err != nil {
		return fail("chair", err)
	}

	// A delegate for each Member State that votes, and for Spain.
	voters, err := wcitVoters(ctx, svc, sec)
	if err != nil {
		return fail("voters", err)
	}
	delegates, err := wcitDelegates(ctx, svc, sec, append([]string{"ESP"}, voters.codes()...), users["member_state"])
	if err != nil {
		return fail("delegates", err)
	}

	m, err := svc.Meetings.ScheduleMeeting(ctx, sec, meetings.MeetingInput{Body: "plenary", Number: WCITPlenary,
		Title: "Plenary, evening session of 12 December 2012", Date: "2012-12-12", Start: "20:00", End: "23:59", Zone: "Asia/Dubai",
		Room: "Plenary hall, Dubai World Trade Centre", ChairRegistration: chairReg.ID, Access: meetings.AccessOpen})
	if err != nil {
		return fail("schedule", err)
	}
	item, err := svc.Meetings.AddItem(ctx, chair, m.ID, meetings.ItemInput{Title: "Draft resolution on the Internet and the preamble of the Regulations", Minutes: 180})
	if err != nil {
		return fail("agenda", err)
	}
	if _, err := svc.Meetings.AdoptAgenda(ctx, chair, m.ID, "Adopted without objection."); err != nil {
		return fail("agenda", err)
	}
	if _, err := svc.Meetings.ChangeState(ctx, chair, m.ID, "open", ""); err != nil {
		return fail("open", err)
	}
	clk := startDemoClock(svc, 20*time.Minute)
	defer svc.Meetings.SetClock(nil)
	svc.Decisions.SetClock(clk.now)
	defer svc.Decisions.SetClock(nil)
	if _, err := svc.Meetings.SetCurrentItem(ctx, chair, m.ID, item.ID); err != nil {
		return fail("current item", err)
	}

	// (1) The feel of the room: placards, counted by the secretariat.
	poll, err := svc.Decisions.OpenStrawPoll(ctx, chair, decisions.StrawInput{OpenInput: decisions.OpenInput{Meeting: m.ID, Item: item.ID,
		Title: DemoStrawTitle, Subject: decisions.SubjectInput{Kind: decide.OnQuestion, Text: "Whether the resolution on the Internet stays in the Final Acts"},
		Note: "The chair takes the feel of the room by a show of placards. The counts here are illustrative: the chair gave none."},
		Question: "Do you wish to have the resolution in?",
		Options:  []decide.Option{{Key: "in", Label: "Resolution in"}, {Key: "out", Label: "Resolution out"}}})
	if err != nil {
		return fail("the straw poll", err)
	}
	clk.pass(2 * time.Minute)
	if _, err := svc.Decisions.EnterStrawCounts(ctx, sec, poll.ID, decisions.StrawCountsInput{Counts: []decide.Count{{Option: "in", N: 72}, {Option: "out", N: 34}}}); err != nil {
		return fail("the placards", err)
	}
	if _, err := svc.Decisions.CloseStrawPoll(ctx, chair, poll.ID); err != nil {
		return fail("the straw poll closed", err)
	}

	// (2) Spain's point of order, and the chair's ruling.
	esp := scopeIn(ctx, svc.Kernel, delegates["ESP"], WCITSlug)
	po, err := svc.Meetings.RequestFloor(ctx, esp, m.ID, meetings.RequestInput{Kind: floor.PointOfOrder})
	if err != nil {
		return fail("Spain's point of order", err)
	}
	if err := svc.Meetings.GiveFloor(ctx, chair, m.ID, po.ID); err != nil {
		return fail("Spain's point of order", err)
	}
	clk.pass(40 * time.Second) // Spain asks whether that was a vote
	if err := svc.Meetings.RuleOnPointOfOrder(ctx, chair, m.ID, po.ID, "It was not a vote."); err != nil {
		return fail("the ruling", err)
	}
	if err := svc.Meetings.FinishTurn(ctx, chair, m.ID, ""); err != nil {
		return fail("the ruling", err)
	}
	if _, err := svc.Meetings.AddTranscript(ctx, sec, m.ID, po.ID, "Spain asks whether that was a vote. The chair: it was not a vote."); err != nil {
		return fail("the transcript of the point of order", err)
	}

	// (3) The formal vote on the preamble, by recorded electronic vote.
	clk.pass(5 * time.Minute)
	v, err := svc.Decisions.OpenVote(ctx, chair, decisions.VoteInput{OpenInput: decisions.OpenInput{Meeting: m.ID, Item: item.ID,
		Title: DemoVoteTitle, Subject: decisions.SubjectInput{Kind: decide.OnQuestion,
			Text: "Whether to adopt the preamble of the International Telecommunication Regulations as amended"},
		Note: "Requested by the Islamic Republic of Iran. The record gives only the totals (77 for, 33 against, 8 abstentions): the split per delegation shown here is illustrative."},
		Method: decide.Recorded, Majority: decide.Simple, Credentials: decide.InOrderOnly})
	if err != nil {
		return fail("the vote", err)
	}
	for _, b := range voters {
		if _, err := svc.Decisions.CastVote(ctx, scopeIn(ctx, svc.Kernel, delegates[b.code], WCITSlug), v.ID,
			decisions.CastInput{Party: b.code, Choice: b.choice}); err != nil {
			return fail("the ballot of "+b.code, err)
		}
	}
	clk.pass(time.Minute)
	if _, err := svc.Decisions.CloseVote(ctx, chair, v.ID, decisions.CloseVoteInput{}); err != nil {
		return fail("the vote closed", err)
	}
	return nil
}

type wcitBallot struct {
	code   string
	choice decide.Choice
}

type wcitBallots []wcitBallot

func (bs wcitBallots) codes() []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.code
	}
	return out
}

// wcitVoters assigns the illustrative split: each Member State named
// against or abstaining, and the first 77 others in the order of their
// codes. All of them get credentials in order, except those the
// participation demo gave other credentials (Kenya signs only, Spain's are
// provisional, Liechtenstein's powers are with Switzerland), who do not
// vote.
func wcitVoters(ctx context.Context, svc *app.App, sec *forum.Scope) (wcitBallots, error) {
	rows, err := participation.ParsePartiesCSV(bytes.NewReader(MemberStatesCSV), participation.Membership2012)
	if err != nil {
		return nil, err
	}
	excluded := map[string]bool{"KEN": true, "ESP": true, "LIE": true}
	named := map[string]decide.Choice{}
	for _, c := range wcitAgainst {
		named[c] = decide.No
	}
	for _, c := range wcitAbstain {
		named[c] = decide.Abstain
	}
	var codes []string
	for _, r := range rows {
		codes = append(codes, r.Code)
	}
	sort.Strings(codes)
	var out wcitBallots
	yes := 0
	for _, c := range codes {
		if excluded[c] {
			continue
		}
		if ch, ok := named[c]; ok {
			out = append(out, wcitBallot{c, ch})
		} else if yes < WCITFor {
			out = append(out, wcitBallot{c, decide.Yes})
			yes++
		}
	}
	if yes != WCITFor || len(out) != WCITFor+WCITAgainst+WCITAbstain {
		return nil, fmt.Errorf("the illustrative split has %d ballots, %d for", len(out), yes)
	}
	already := map[string]bool{"ARE": true, "BRA": true, "GBR": true, "USA": true, "CHE": true}
	for _, b := range out {
		if already[b.code] {
			continue
		}
		if _, err := svc.Participation.RecordCredentials(ctx, sec, b.code, participation.CredentialsInput{State: "in_order"}); err != nil {
			return nil, fmt.Errorf("credentials of %s: %w", b.code, err)
		}
	}
	return out, nil
}

// wcitDelegates gives each party a delegate (Brazil's is the demo's
// member_state login), registered in one import.
func wcitDelegates(ctx context.Context, svc *app.App, sec *forum.Scope, codes []string, bra account.User) (map[string]forum.Actor, error) {
	out := map[string]forum.Actor{}
	var rows []participation.RegistrationRow
	// These accounts share one public password, WCITDelegatePassword, so
	// they protect nothing: they are hashed at the cheap cost
	// account.FastParams is for, which the hash records (118 accounts at
	// the default cost would add seconds to the demo's load).
	people := account.NewService(svc.Kernel, account.FastParams)
	for _, c := range codes {
		if c == "BRA" {
			out[c] = actorOf(bra)
			continue
		}
		p, err := sec.Party(ctx, c)
		if err != nil {
			return nil, err
		}
		u, err := demoPersonWith(ctx, people, WCITDelegateEmail(c), "Delegate of "+p.Name, WCITDelegatePassword)
		if err != nil {
			return nil, err
		}
		out[c] = actorOf(u)
		rows = append(rows, participation.RegistrationRow{Row: len(rows) + 1, RegistrationInput: participation.RegistrationInput{
			Email: u.Email, Party: c, Role: "delegate", Mode: "in_room"}})
	}
	if _, err := svc.Participation.ImportRegistrations(ctx, sec, rows); err != nil {
		return nil, err
	}
	return out, nil
}
