package demo_test

import (
	"context"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
)

func TestDemoParticipation(t *testing.T) {
	ctx := context.Background()
	st, svc := loadDemo(t)
	head := map[string]int64{}
	for _, slug := range []string{demo.WTPFSlug, demo.WCITSlug, demo.IGFSlug} {
		f, err := svc.Kernel.ForumBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		head[slug], _ = st.HeadSeq(ctx, f.ID)
	}
	// Loading again changes nothing.
	if err := demo.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		preset      string
		namesPublic bool
		parties     int
	}{
		demo.WTPFSlug: {rules.PresetITUPolicyForum, false, 193 + 7},
		demo.WCITSlug: {rules.PresetITUTreatyConference, true, 193 + 7},
		demo.IGFSlug:  {rules.PresetMultistakeholderEqual, false, 5 + 7},
	}
	for slug, w := range want {
		f, _ := svc.Kernel.ForumBySlug(ctx, slug)
		if n, _ := st.HeadSeq(ctx, f.ID); n != head[slug] {
			t.Errorf("%s: a second load appended events (%d -> %d)", slug, head[slug], n)
		}
		s, err := svc.Kernel.ParticipationSettings(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f))
		if err != nil || !s.Chosen || s.Preset != w.preset || s.NamesPublic != w.namesPublic {
			t.Errorf("%s: settings %+v %v", slug, s, err)
		}
		ps, _ := svc.Participation.Parties(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f))
		if len(ps) != w.parties {
			t.Errorf("%s: %d parties, want %d", slug, len(ps), w.parties)
		}
		l, _ := svc.Participation.Participants(ctx, fixture.In(t, svc.Kernel, forum.System, f))
		// At WTPF-13 the chair also holds the editor's office in the same
		// registration (drafting.go), and a delegate of the United States
		// sits in Working Group 3's meeting (meetings.go).
		want := 5
		if slug == demo.WTPFSlug {
			// and two civil-society delegates take part in it remotely (floor.go).
			want = 8
		}
		if slug == demo.WCITSlug {
			// and a delegate of each Member State that votes in the plenary, and of Spain (decisions.go),
			// and a head of delegation of each Member State eligible to sign the Final Acts (finalacts.go).
			want = 5 + demo.WCITFor + demo.WCITAgainst + demo.WCITAbstain + demo.WCITEligible
		}
		if l.Total != want || l.Registrations != want {
			t.Errorf("%s: %d people in %d registrations, want %d in %d", slug, l.Total, l.Registrations, want, want)
		}
		for _, p := range l.Participants {
			if p.Name == demo.LoginByKey("public").Name {
				t.Errorf("%s: the public demo account is registered; it must be free to apply", slug)
			}
		}
	}
	// WCIT-12: credentials decide, the civil-society adviser sits in Brazil's delegation.
	wcit, _ := svc.Kernel.ForumBySlug(ctx, demo.WCITSlug)
	actor := func(key string) forum.Actor {
		u, _ := svc.Accounts.UserByEmail(ctx, demo.LoginByKey(key).Email)
		return forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin}
	}
	if _, err := svc.Kernel.Authorize(ctx, actor("member_state"), wcit, rules.Vote, "BRA"); err != nil {
		t.Errorf("Brazil's delegate cannot vote at WCIT-12: %v", err)
	}
	if _, err := svc.Kernel.Authorize(ctx, actor("sector_member"), wcit, rules.Vote, ""); err == nil || err.Error() != "forbidden: Sector Members may not vote in WCIT-12" {
		t.Errorf("Sector Member voting: %v", err)
	}
	for code, cred := range map[string]rules.Credentials{"ESP": rules.CredentialsProvisional, "LIE": rules.CredentialsTransferred, "BRA": rules.CredentialsInOrder} {
		if p, _ := svc.Participation.PartyByCode(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, wcit), code); p.Credentials != cred {
			t.Errorf("%s credentials %q, want %q", code, p.Credentials, cred)
		}
	}
	// Member States have their official names, in WCIT-12's six languages.
	for code, name := range map[string]string{"USA": "United States of America", "GBR": "United Kingdom of Great Britain and Northern Ireland",
		"RUS": "Russian Federation", "IRN": "Iran (Islamic Republic of)", "VAT": "Holy See"} {
		p, err := svc.Participation.PartyByCode(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, wcit), code)
		if err != nil || p.Name != name || len(p.NamesIn(wcit.Languages)) != 6 {
			t.Errorf("%s is called %q in %d languages (%v), want %q in six", code, p.Name, len(p.NamesIn(wcit.Languages)), err, name)
		}
	}
	d, _ := svc.Participation.DelegationOf(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, wcit), "BRA")
	if len(d.Backgrounds) != 1 || d.Count != 3 {
		t.Errorf("Brazil's WCIT-12 delegation %+v: want three people (its head, a delegate, an adviser from civil society)", d)
	}
	// WTPF-13: Brazil's delegate is its focal point; the observer cannot read the names.
	wtpf, _ := svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug)
	if ok, err := svc.Participation.MayApprove(ctx, fixture.In(t, svc.Kernel, actor("member_state"), wtpf)); err != nil || !ok {
		t.Errorf("Brazil's delegate is not an approver in WTPF-13 (%v)", err)
	}
	if _, err := svc.Participation.ParticipantNames(ctx, fixture.In(t, svc.Kernel, actor("civil_society"), wtpf)); err == nil {
		t.Error("a civil-society observer reads the restricted list of names in WTPF-13")
	}
}
