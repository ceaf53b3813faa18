package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// The speakers' queues of the demo meetings. Every queue event is made
// through the meetings service, so it carries the server's clock when the
// demo loads (floor requires events in clock order, and the service
// stamps them): the meetings are placed on their historical dates, but
// their queues, interventions and the turn at the floor happen "now",
// which is what makes the countdown of the current turn read sensibly.

// loadWTPFFloor fills the queue of WG3-4: order of request with protocol
// precedence; Brazil, the United States, Chidi Okafor (a remote
// civil-society delegate, the demo's remote_delegate login) and the
// Internet Society hub have spoken, each with a few lines of transcript;
// Brazil has the floor with the clock running, and the United States,
// another remote civil-society participant and the hub wait, with a
// point of order of the United States pending. Chidi Okafor is not
// waiting, so whoever tries the demo as him can ask for the floor.
func loadWTPFFloor(ctx context.Context, svc *app.App, users map[string]account.User, m meetings.Meeting, clk *demoClock) error {
	fail := func(what string, err error) error { return fmt.Errorf("demo: WTPF-13 queue, %s: %w", what, err) }
	sec := scopeIn(ctx, svc.Kernel, actorOf(users["secretariat"]), WTPFSlug)
	chair := scopeIn(ctx, svc.Kernel, actorOf(users["chair"]), WTPFSlug)
	cs, err := demoPerson(ctx, svc, "remote.cs@demo.plenary.example", "Chidi Okafor")
	if err != nil {
		return fail("civil society participant", err)
	}
	csReg, err := svc.Participation.Register(ctx, sec, participation.RegistrationInput{Email: cs.Email, Party: "CSNET", Role: "delegate", Mode: "remote",
		Affiliation: "Lagos Digital Rights Initiative"})
	if err != nil {
		return fail("civil society participant", err)
	}
	cs2, err := demoPerson(ctx, svc, "remote.cs2@demo.plenary.example", "Amina Diallo")
	if err != nil {
		return fail("second civil society participant", err)
	}
	cs2Reg, err := svc.Participation.Register(ctx, sec, participation.RegistrationInput{Email: cs2.Email, Party: "CSNET", Role: "delegate", Mode: "remote",
		Affiliation: "Dakar Open Internet Collective"})
	if err != nil {
		return fail("second civil society participant", err)
	}
	for _, reg := range []string{csReg.ID, cs2Reg.ID} {
		if _, err := svc.Meetings.RecordAttendance(ctx, sec, m.ID, meetings.AttendanceInput{Registration: reg, Mode: meetings.ModeRemote, Present: true}); err != nil {
			return fail("remote attendance", err)
		}
	}
	m, err = svc.Meetings.Meeting(ctx, sec, m.ID)
	if err != nil || len(m.Hubs) == 0 {
		return fail("hub", err)
	}
	hub := m.Hubs[0]
	if _, err := svc.Meetings.ConfigureFloor(ctx, chair, m.ID, floor.Policy{Precedence: true}); err != nil {
		return fail("policy", err)
	}
	bra := scopeIn(ctx, svc.Kernel, actorOf(users["member_state"]), WTPFSlug)
	usaUser, err := svc.Accounts.UserByEmail(ctx, "usa@demo.plenary.example")
	if err != nil {
		return fail("United States delegate", err)
	}
	usa := scopeIn(ctx, svc.Kernel, actorOf(usaUser), WTPFSlug)
	ask := func(sc *forum.Scope, in meetings.RequestInput) (floor.Request, error) {
		return svc.Meetings.RequestFloor(ctx, sc, m.ID, in)
	}
	// Each round: Brazil, the United States, a remote civil-society
	// participant (asked for by the secretariat) and the hub.
	round := func(remote string) ([]floor.Request, error) {
		var out []floor.Request
		for _, a := range []struct {
			sc *forum.Scope
			in meetings.RequestInput
		}{
			{bra, meetings.RequestInput{}},
			{usa, meetings.RequestInput{}},
			{sec, meetings.RequestInput{For: remote}},
			{sec, meetings.RequestInput{Hub: hub.ID, Group: rules.GroupTechnicalCommunity}},
		} {
			r, err := ask(a.sc, a.in)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	done, err := round(csReg.ID)
	if err != nil {
		return fail("first requests", err)
	}
	for i, r := range done {
		if err := svc.Meetings.GiveFloor(ctx, chair, m.ID, r.ID); err != nil {
			return fail("floor", err)
		}
		if err := svc.Meetings.StartClock(ctx, chair, m.ID); err != nil {
			return fail("clock", err)
		}
		clk.pass(firstRound[i])
		if i == 0 {
			// The interpretation into French fails during Brazil's
			// statement: a point of order, the clock paused, a ruling.
			po, err := ask(usa, meetings.RequestInput{Kind: floor.PointOfOrder})
			if err != nil {
				return fail("point of order", err)
			}
			if err := svc.Meetings.GiveFloor(ctx, chair, m.ID, po.ID); err != nil {
				return fail("point of order", err)
			}
			if err := svc.Meetings.StartClock(ctx, chair, m.ID); err != nil {
				return fail("point of order", err)
			}
			clk.pass(35 * time.Second)
			if err := svc.Meetings.FinishTurn(ctx, chair, m.ID, ""); err != nil {
				return fail("point of order", err)
			}
			if err := svc.Meetings.RuleOnPointOfOrder(ctx, chair, m.ID, po.ID, "The point is well taken: the meeting waits for the French interpretation."); err != nil {
				return fail("ruling", err)
			}
			if err := svc.Meetings.ResumeClock(ctx, chair, m.ID); err != nil {
				return fail("clock", err)
			}
			clk.pass(50 * time.Second)
			if err := svc.Meetings.PauseClock(ctx, chair, m.ID); err != nil {
				return fail("clock", err)
			}
			clk.pass(90 * time.Second) // the interpretation comes back
			if err := svc.Meetings.ResumeClock(ctx, chair, m.ID); err != nil {
				return fail("clock", err)
			}
			clk.pass(40 * time.Second)
		}
		if err := svc.Meetings.FinishTurn(ctx, chair, m.ID, ""); err != nil {
			return fail("floor", err)
		}
	}
	if err := addWTPFTranscripts(ctx, svc, sec, m.ID); err != nil {
		return fail("transcript", err)
	}
	waiting, err := round(cs2Reg.ID)
	if err != nil {
		return fail("second requests", err)
	}
	// Brazil takes the floor again about half a minute before the demo
	// starts, so that the countdown reads as a turn under way.
	clk.until(plenary.Now().Add(-35 * time.Second))
	if err := svc.Meetings.GiveFloor(ctx, chair, m.ID, waiting[0].ID); err != nil {
		return fail("floor", err)
	}
	if err := svc.Meetings.StartClock(ctx, chair, m.ID); err != nil {
		return fail("clock", err)
	}
	if _, err := ask(usa, meetings.RequestInput{Kind: floor.PointOfOrder}); err != nil {
		return fail("point of order", err)
	}
	return nil
}

// loadNETmundialFloor fills the queue of NETmundial's first session:
// rotation across the four microphones (governments, private sector,
// civil society, technical community) with four room slots, then two
// remote; a request moved, one removed and one withdrawn, the list
// closed and reopened, two statements made and nine requests waiting.
func loadNETmundialFloor(ctx context.Context, svc *app.App, users map[string]account.User, m meetings.Meeting, clk *demoClock) error {
	fail := func(what string, err error) error { return fmt.Errorf("demo: NETmundial queue, %s: %w", what, err) }
	sec := scopeIn(ctx, svc.Kernel, actorOf(users["secretariat"]), NETmundialSlug)
	chair := scopeIn(ctx, svc.Kernel, actorOf(users["chair"]), NETmundialSlug)
	if _, err := svc.Meetings.ConfigureFloor(ctx, chair, m.ID, floor.Policy{
		Rotation:  []string{rules.GroupMemberState, rules.GroupPrivateSector, rules.GroupCivilSociety, rules.GroupTechnicalCommunity},
		Alternate: floor.Alternation{Room: 4, Remote: 2}}); err != nil {
		return fail("policy", err)
	}
	m, err := svc.Meetings.Meeting(ctx, sec, m.ID)
	if err != nil {
		return fail("session", err)
	}
	ask := func(sc *forum.Scope, in meetings.RequestInput) (floor.Request, error) {
		return svc.Meetings.RequestFloor(ctx, sc, m.ID, in)
	}
	guest := func(name, party, group string) meetings.RequestInput {
		return meetings.RequestInput{Guest: &meetings.Guest{Name: name, Party: party, Group: group}}
	}
	var reqs []floor.Request
	for _, a := range []struct {
		sc *forum.Scope
		in meetings.RequestInput
	}{
		{scopeIn(ctx, svc.Kernel, actorOf(users["member_state"]), NETmundialSlug), meetings.RequestInput{}},
		{sec, guest("Ana Técnica", "", rules.GroupTechnicalCommunity)},
		{scopeIn(ctx, svc.Kernel, actorOf(users["civil_society"]), NETmundialSlug), meetings.RequestInput{}},
		{sec, guest("Ravi Menon", "IND", "")},
		{sec, guest("Grace Wanjiru", "KEN", "")},
		{sec, guest("Paul Industry", "EXTEL", "")},
		{sec, meetings.RequestInput{Hub: m.Hubs[0].ID, Group: rules.GroupCivilSociety}},
		{sec, meetings.RequestInput{Hub: m.Hubs[1].ID, Group: rules.GroupTechnicalCommunity}},
		{sec, guest("Jonas Weber", "DEU", "")},
		{sec, guest("Lucía Académica", "", rules.GroupAcademia)},
		{sec, guest("Sam Engineer", "", rules.GroupTechnicalCommunity)},
		{sec, guest("Maria Activist", "", rules.GroupCivilSociety)},
	} {
		r, err := ask(a.sc, a.in)
		if err != nil {
			return fail("requests", err)
		}
		reqs = append(reqs, r)
	}
	// The chair runs the list: a speaker moved with a reason, one removed,
	// one withdrawn, and the list closed and reopened for a late speaker.
	if err := svc.Meetings.MoveRequest(ctx, chair, m.ID, reqs[9].ID, 2, "The academic community has not yet spoken in this session."); err != nil {
		return fail("move", err)
	}
	if err := svc.Meetings.RemoveRequest(ctx, chair, m.ID, reqs[5].ID, "The speaker asked twice; the earlier request stands."); err != nil {
		return fail("remove", err)
	}
	if err := svc.Meetings.WithdrawRequest(ctx, sec, m.ID, reqs[11].ID); err != nil {
		return fail("withdraw", err)
	}
	if err := svc.Meetings.CloseList(ctx, chair, m.ID); err != nil {
		return fail("close", err)
	}
	if err := svc.Meetings.ReopenList(ctx, chair, m.ID); err != nil {
		return fail("reopen", err)
	}
	if _, err := ask(sec, guest("Maria Activist", "", rules.GroupCivilSociety)); err != nil {
		return fail("late request", err)
	}
	// The first two in the order have spoken.
	for i := 0; i < 2; i++ {
		v, err := svc.Meetings.Floor(ctx, chair, m.ID)
		if err != nil || len(v.Order) == 0 {
			return fail("order", err)
		}
		if err := svc.Meetings.GiveFloor(ctx, chair, m.ID, v.Order[0].ID); err != nil {
			return fail("floor", err)
		}
		if err := svc.Meetings.StartClock(ctx, chair, m.ID); err != nil {
			return fail("clock", err)
		}
		clk.pass([]time.Duration{115 * time.Second, 128 * time.Second}[i])
		if err := svc.Meetings.FinishTurn(ctx, chair, m.ID, ""); err != nil {
			return fail("floor", err)
		}
	}
	return nil
}

// addWTPFTranscripts enters a few lines of transcript for each finished
// intervention of WG3-4, as the secretariat's captioner would, so that
// the interventions page and the debate export say who said what.
func addWTPFTranscripts(ctx context.Context, svc *app.App, sec *forum.Scope, meeting string) error {
	ins, err := svc.Meetings.Interventions(ctx, sec, meeting)
	if err != nil {
		return err
	}
	for _, in := range ins {
		var lines []string
		switch {
		case in.Kind == floor.PointOfOrder:
			lines = []string{
				"Point of order, Chair. The French interpretation has stopped: the delegations following in French cannot hear the statement of Brazil.",
				"We ask that the meeting wait until the interpreters are back.",
			}
		case in.Origin == floor.Hub:
			lines = []string{
				"Thank you, Chair. I speak for the participants gathered at the Internet Society hub in Geneva.",
				"The technical community supports the draft's call for the Internet's technical bodies to keep working in the open, with all stakeholders.",
			}
		case in.Origin == floor.Remote:
			lines = []string{
				"Thank you, Chair, and thank you for letting us take the floor from Lagos.",
				"Civil society welcomes draft Opinion 5. We ask that it name civil society among the stakeholders, not only governments and the private sector.",
				"Remote participation should be a right of every stakeholder, not a favour.",
			}
		case in.PartyName == "Brazil":
			lines = []string{
				"Thank you, Chair. Brazil supports the draft Opinion as a basis for our work.",
				"Multistakeholderism must include governments on an equal footing, in their respective roles and responsibilities.",
			}
		case in.PartyName == "United States of America":
			lines = []string{
				"Thank you, Chair. The United States thanks the secretariat for the draft.",
				"Our contribution proposes that the first paragraph recognise the bottom-up, open and transparent processes that have served the Internet well.",
			}
		}
		for _, l := range lines {
			if _, err := svc.Meetings.AddTranscript(ctx, sec, meeting, in.ID, l); err != nil {
				return fmt.Errorf("%s: %w", in.Name, err)
			}
		}
	}
	return nil
}

// firstRound is how long each speaker of WG3-4's first round speaks
// (Brazil's statement is interrupted by a point of order, and the United
// States runs over its three minutes).
var firstRound = []time.Duration{95 * time.Second, 194 * time.Second, 131 * time.Second, 88 * time.Second}

// demoClock is the clock the demo's queues are recorded on, after the
// fact: it starts in the past, each reading moves it on by the few
// seconds a chair takes between two steps, and pass adds the time a
// speaker speaks; so the turns last as turns do, and the demo ends at
// the present.
type demoClock struct{ t time.Time }

func startDemoClock(svc *app.App, ago time.Duration) *demoClock {
	c := &demoClock{t: plenary.Now().Add(-ago).Truncate(time.Second)}
	svc.Meetings.SetClock(c.now)
	return c
}

func (c *demoClock) now() time.Time {
	c.t = c.t.Add(4 * time.Second)
	return c.t
}

func (c *demoClock) pass(d time.Duration) { c.t = c.t.Add(d) }

// until moves the clock on to t, if it is not past it already.
func (c *demoClock) until(t time.Time) {
	if c.t.Before(t) {
		c.t = t
	}
}
