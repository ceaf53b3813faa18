package participation_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

func TestDefaultRulesFollowTheForumKind(t *testing.T) {
	p := fixture.NewParticipation(t)
	for kind, want := range map[string]string{
		forum.KindPolicyForum:      rules.PresetITUPolicyForum,
		forum.KindTreatyConference: rules.PresetITUTreatyConference,
		forum.KindOpenForum:        rules.PresetMultistakeholderEqual,
		forum.KindExpertsGroup:     rules.PresetITUPolicyForum,
	} {
		f := p.Forum(strings.ReplaceAll(kind, "_", "-"), "Forum "+kind, kind)
		st, err := p.Svc.Kernel.ParticipationSettings(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
		if err != nil {
			t.Fatal(err)
		}
		preset, _ := rules.PresetByKey(want)
		if st.Preset != want || st.Chosen || !st.Matrix.Equal(preset.Matrix) || st.NamesPublic || !st.ApplicationsOpen {
			t.Errorf("%s: settings %+v, want the unchosen default %s, counts only, applications open", kind, st, want)
		}
	}
}

func TestChoosePresetIsAPublicRecordedChange(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wcit", "WCIT-12: World Conference", forum.KindPolicyForum)
	alice := p.User("Alice", false)
	_, err := p.Svc.Participation.ChoosePreset(p.Ctx, fixture.In(t, p.Svc.Kernel, alice, f.Slug), rules.PresetITUTreatyConference)
	fixture.WantCode(t, err, plenary.CodeForbidden, "only the secretariat")
	_, err = p.Svc.Participation.ChoosePreset(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "made_up")
	fixture.WantCode(t, err, plenary.CodeInvalid, "preset")

	res, err := p.Svc.Participation.ChoosePreset(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rules.PresetITUTreatyConference)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) < 2 || !strings.Contains(res.Lines[0], "ITU treaty conference") {
		t.Fatalf("lines %q: want the preset named, then the cells that changed", res.Lines)
	}
	st, _ := p.Svc.Kernel.ParticipationSettings(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	treaty, _ := rules.PresetByKey(rules.PresetITUTreatyConference)
	if !st.Chosen || st.Preset != treaty.Key || !st.Matrix.Equal(treaty.Matrix) {
		t.Fatalf("settings after choosing: %+v", st)
	}
	evs := fixture.EventsOf(p.Events(f), "rules.changed")
	if len(evs) != 1 || evs[0].Visibility != ledger.VisPublic {
		t.Fatalf("rules.changed events %+v, want one public", evs)
	}
	// Choosing the same preset again changes nothing and records nothing.
	res, err = p.Svc.Participation.ChoosePreset(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rules.PresetITUTreatyConference)
	if err != nil || len(res.Lines) != 0 {
		t.Fatalf("second choice: %v, %q", err, res.Lines)
	}
	if n := len(fixture.EventsOf(p.Events(f), "rules.changed")); n != 1 {
		t.Fatalf("%d rules.changed events after a no-op, want 1", n)
	}
	hist, err := p.Svc.Participation.RulesHistory(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if err != nil || len(hist) != 1 || hist[0].Preset != treaty.Key || hist[0].DuringForum || hist[0].By != "Ada Admin" {
		t.Fatalf("history %+v, %v", hist, err)
	}
}

func TestChangeRulesBeforeAndDuringTheForum(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	vote := forum.CellInput{Group: rules.GroupCivilSociety, Role: string(rules.RoleDelegate), Mode: string(rules.InRoom),
		Actions: []string{"read_public", "contribute", "ask_floor", "object_consensus"}}
	res, err := p.Svc.Participation.ChangeRules(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.RulesChange{Cells: []forum.CellInput{vote}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) != 1 || !strings.Contains(res.Lines[0], "may now object to consensus") {
		t.Fatalf("lines %q", res.Lines)
	}
	// Bad input names the field and changes nothing.
	for _, bad := range []forum.RulesChange{
		{},
		{Cells: []forum.CellInput{{Group: "nobody", Role: "delegate", Mode: "in_room"}}},
		{Cells: []forum.CellInput{{Group: "civil_society", Role: "king", Mode: "in_room"}}},
		{Cells: []forum.CellInput{{Group: "civil_society", Role: "delegate", Mode: "in_room", Actions: []string{"fly"}}}},
		{Conditions: []forum.ConditionInput{{Action: "vote", Condition: "full_moon"}}},
	} {
		_, err := p.Svc.Participation.ChangeRules(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), bad)
		fixture.WantCode(t, err, plenary.CodeInvalid, "")
	}
	if _, err := p.Svc.Kernel.SetForumStatus(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.StatusOpen); err != nil {
		t.Fatal(err)
	}
	res, err = p.Svc.Participation.ChangeRules(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.RulesChange{
		Conditions: []forum.ConditionInput{{Action: "object_consensus", Condition: string(rules.NeedsCredentials)}}})
	if err != nil || len(res.Lines) != 1 {
		t.Fatalf("change during the forum: %v %q", err, res.Lines)
	}
	hist, _ := p.Svc.Participation.RulesHistory(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if len(hist) != 2 || hist[0].DuringForum || !hist[1].DuringForum {
		t.Fatalf("history %+v: want the second change marked as made during the forum", hist)
	}
	evs := fixture.EventsOf(p.Events(f), "rules.changed")
	if len(evs) != 2 || !strings.Contains(string(evs[1].Payload), `"during_forum":true`) {
		t.Fatalf("rules.changed events %v", evs)
	}
	r, err := p.Svc.Participation.RulesOf(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, p.Reload(f)))
	if err != nil || !r.Modified || len(r.View.Groups) == 0 || len(r.History) != 2 {
		t.Fatalf("rules page data: modified %v, %d groups, %d changes, %v", r.Modified, len(r.View.Groups), len(r.History), err)
	}
	if _, err := p.Svc.Kernel.SetForumStatus(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.StatusClosed); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.ChangeRules(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.RulesChange{Cells: []forum.CellInput{vote}})
	fixture.WantCode(t, err, plenary.CodeConflict, "closed")
}

func TestStakeholderGroupsAreDataPerForum(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("igf", "IGF 2014", forum.KindOpenForum)
	other := p.Forum("igf2", "IGF 2015", forum.KindOpenForum)
	g, err := p.Svc.Participation.AddGroup(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "youth", Name: "youth", Plural: "youth participants",
		Description: "Young people under 30."}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Key != "youth" {
		t.Fatalf("group %+v", g)
	}
	if _, err := p.Svc.Participation.RenameGroup(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rules.GroupCivilSociety, participation.GroupInput{Name: "civil society organisation",
		Plural: "civil society organisations"}); err != nil {
		t.Fatal(err)
	}
	gs, _ := fixture.In(t, p.Svc.Kernel, forum.Anonymous, f).Groups(p.Ctx)
	if len(gs) != len(rules.DefaultGroups())+1 || gs[len(gs)-1].Key != "youth" {
		t.Fatalf("groups %+v", gs)
	}
	if cs, _ := gs.Find(rules.GroupCivilSociety); cs.Plural != "civil society organisations" {
		t.Fatalf("renamed group %+v", cs)
	}
	if gs2, _ := fixture.In(t, p.Svc.Kernel, forum.Anonymous, other).Groups(p.Ctx); len(gs2) != len(rules.DefaultGroups()) {
		t.Fatalf("the other forum has %d groups", len(gs2))
	}
	_, err = p.Svc.Participation.AddGroup(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "youth", Name: "young", Plural: "young people"}})
	fixture.WantCode(t, err, plenary.CodeInvalid, "key")
	_, err = p.Svc.Participation.AddGroup(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "kids", Name: "youth", Plural: "kids"}})
	fixture.WantCode(t, err, plenary.CodeInvalid, "name")
	_, err = p.Svc.Participation.AddGroup(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "Bad Key", Name: "x", Plural: "xs"}})
	fixture.WantCode(t, err, plenary.CodeInvalid, "key")
	_, err = p.Svc.Participation.RenameGroup(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "nobody", participation.GroupInput{Name: "x", Plural: "xs"})
	fixture.WantCode(t, err, plenary.CodeNotFound, "")
	_, err = p.Svc.Participation.AddGroup(p.Ctx, fixture.In(t, p.Svc.Kernel, p.User("Bob", false), f.Slug), participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "bobs", Name: "Bob", Plural: "Bobs"}})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	// The new group can be given rights, and a party of it registers.
	if _, err := p.Svc.Participation.ChangeRules(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.RulesChange{Cells: []forum.CellInput{{Group: "youth",
		Role: "delegate", Mode: "remote", Actions: []string{"read_public", "ask_floor"}}}}); err != nil {
		t.Fatal(err)
	}
	p.Party(f, "YIGF", "Youth IGF", "youth")
	yd := p.User("Yara Youth", false)
	p.Register(f, yd, "YIGF", rules.RoleDelegate, rules.Remote)
	if _, err := p.Svc.Kernel.Authorize(p.Ctx, yd, f, rules.AskFloor, ""); err != nil {
		t.Fatalf("youth delegate may not ask for the floor: %v", err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, yd, f, rules.Contribute, "")
	fixture.WantCode(t, err, plenary.CodeForbidden, "Youth participants may not submit a contribution in IGF 2014")
	if n := len(fixture.EventsOf(p.Events(f), "group.added")) + len(fixture.EventsOf(p.Events(f), "group.renamed")); n != 2 {
		t.Fatalf("%d group events, want 2", n)
	}
}

func TestImportTheRealMemberStateList(t *testing.T) {
	p := fixture.NewParticipation(t)
	for _, c := range []struct {
		membership string
		want       int
	}{{participation.Membership2012, 193}, {participation.MembershipToday, 194}, {"", 194}, {participation.MembershipAll, 194}} {
		rows, err := participation.ParsePartiesCSV(fixture.MemberStatesFile(t), c.membership)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != c.want {
			t.Errorf("membership %q: %d rows, want %d", c.membership, len(rows), c.want)
		}
	}
	f := p.Forum("wcit-12", "WCIT-12: World Conference", forum.KindTreatyConference)
	rows, _ := participation.ParsePartiesCSV(fixture.MemberStatesFile(t), participation.Membership2012)
	rep, err := p.Svc.Participation.ImportParties(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rows, participation.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ps := rep.Parties
	all, _ := p.Svc.Participation.Parties(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if len(ps) != 193 || len(all) != 193 {
		t.Fatalf("imported %d, stored %d, want 193", len(ps), len(all))
	}
	bra, err := p.Svc.Participation.PartyByCode(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f), "bra")
	if err != nil || bra.Name != "Brazil" || bra.ISO2 != "BR" || bra.ITUCode != "B" && bra.ITUCode == "" || bra.Region != "Americas" ||
		!bra.Member2012 || !bra.MemberNow || bra.Group != rules.GroupMemberState || bra.Kind != "member_state" {
		t.Fatalf("Brazil: %+v, %v", bra, err)
	}
	if _, err := p.Svc.Participation.PartyByCode(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f), "PLW"); err == nil {
		t.Fatal("Palau was not an ITU Member State in 2012-13")
	}
	evs := fixture.EventsOf(p.Events(f), "parties.imported")
	if len(evs) != 1 || evs[0].Visibility != ledger.VisPublic || !strings.Contains(string(evs[0].Payload), `"count":193`) {
		t.Fatalf("parties.imported events: %d", len(evs))
	}
	// Importing the list again: every row is reported, nothing is added.
	_, err = p.Svc.Participation.ImportParties(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rows, participation.ImportOptions{})
	var ie *participation.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 193 || !strings.Contains(ie.Rows[0].Message, "already has a party") {
		t.Fatalf("second import: %v", err)
	}
	if all, _ := p.Svc.Participation.Parties(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f)); len(all) != 193 {
		t.Fatalf("%d parties after a refused import", len(all))
	}
}

func TestImportWithBadRowsReportsEveryRowAndImportsNothing(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	csv := `code,name,group,kind,member_now
ISOC,Internet Society,technical_community,ngo,no
bra,Brazil,member_state,,yes
X,Too short,civil_society,ngo,no
RIPE,RIPE NCC,nobody,,no
ISOC,Internet Society again,civil_society,ngo,no
BR1,A State with a bad code,member_state,,maybe
ETNO,,private_sector,company,no
`
	_, err := participation.ParsePartiesCSV(strings.NewReader(csv), "")
	var ie *participation.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0] != (participation.RowError{Row: 7, Field: "member_now", Message: "must be yes or no"}) {
		t.Fatalf("parse: %v", err)
	}
	csv = strings.Replace(csv, "maybe", "yes", 1)
	rows, err := participation.ParsePartiesCSV(strings.NewReader(csv), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.ImportParties(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rows, participation.ImportOptions{})
	if !errors.As(err, &ie) {
		t.Fatalf("import: %v, want an ImportError", err)
	}
	got := map[string]bool{}
	for _, r := range ie.Rows {
		got[fmt.Sprintf("%d %s", r.Row, r.Field)] = true
	}
	for _, want := range []string{"4 code", "5 group", "6 code", "7 code", "8 name"} {
		if !got[want] {
			t.Errorf("no problem reported for row/field %s; got %+v", want, ie.Rows)
		}
	}
	if got["2 code"] || got["3 code"] {
		t.Errorf("good rows reported: %+v", ie.Rows)
	}
	if !strings.Contains(err.Error(), "row 6, code: ISOC is also in row 2") {
		t.Errorf("message %q does not name the duplicate", err.Error())
	}
	if ps, _ := p.Svc.Participation.Parties(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f)); len(ps) != 0 {
		t.Fatalf("%d parties imported from a bad file", len(ps))
	}
	if n := len(fixture.EventsOf(p.Events(f), "parties.imported")); n != 0 {
		t.Fatalf("%d import events after a refused import", n)
	}
	// The errors unwrap to field errors for the faces.
	var es plenary.Errors
	if !errors.As(err, &es) || es[0].Field == "" || !strings.HasPrefix(es[0].Field, "row ") {
		t.Fatalf("field errors %v", es)
	}
	// Files that are not CSV of either format.
	for _, bad := range []string{"", "colour,name\nred,x\n", "code,name,group\n\"unterminated,x,y\n", "code,name,group\nA,B\n"} {
		if _, err := participation.ParsePartiesCSV(strings.NewReader(bad), ""); !errors.As(err, &ie) {
			t.Errorf("%q: %v, want an ImportError", bad, err)
		}
	}
}

func TestRegistrationApprovedByTheFocalPointIsRecorded(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	p.Party(f, "ARG", "Argentina", rules.GroupMemberState)
	focal := p.User("Fabio Focal", false)
	if _, err := p.Svc.Participation.AppointFocalPoint(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "BRA", focal.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Svc.Participation.AppointFocalPoint(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "BRA", focal.Email); err == nil {
		t.Fatal("appointed the same focal point twice")
	}
	bea := p.User("Beatriz Delegate", false)
	r, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, bea, f.Slug), participation.RegistrationInput{Party: "BRA", Role: "delegate", Mode: "remote",
		Affiliation: "Telebras", Background: rules.GroupPrivateSector})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != forum.RegPending || r.Email != bea.Email || r.Background != rules.GroupPrivateSector {
		t.Fatalf("own registration %+v", r)
	}
	// Not yet a member: the pending registration gives no rights.
	if _, err := p.Svc.Kernel.Authorize(p.Ctx, bea, f, rules.Contribute, ""); err == nil {
		t.Fatal("a pending registration gave a right")
	}
	// Argentina's focal point cannot approve Brazil's delegate; nor can she herself.
	arg := p.User("Ana Argentina", false)
	if _, err := p.Svc.Participation.AppointFocalPoint(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "ARG", arg.Email); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, arg, f.Slug), r.ID)
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	_, err = p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, bea, f.Slug), r.ID)
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	q, err := p.Svc.Participation.ApprovalQueue(p.Ctx, fixture.In(t, p.Svc.Kernel, focal, f))
	if err != nil || len(q) != 1 || q[0].ID != r.ID || q[0].Email != "" {
		t.Fatalf("focal point's queue %+v, %v (no e-mail addresses for focal points)", q, err)
	}
	if q, _ := p.Svc.Participation.ApprovalQueue(p.Ctx, fixture.In(t, p.Svc.Kernel, arg, f)); len(q) != 0 {
		t.Fatalf("Argentina's focal point sees %d of Brazil's registrations", len(q))
	}
	if q, _ := p.Svc.Participation.ApprovalQueue(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f)); len(q) != 1 || q[0].Email != bea.Email {
		t.Fatalf("secretariat queue %+v", q)
	}
	_, err = p.Svc.Participation.ApprovalQueue(p.Ctx, fixture.In(t, p.Svc.Kernel, bea, f))
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	r, err = p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, focal, f.Slug), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != forum.RegApproved || r.DecidedAs != "focal point of Brazil" || r.DecidedBy != "Fabio Focal" || r.DecidedAt == nil {
		t.Fatalf("approved %+v", r)
	}
	_, err = p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, focal, f.Slug), r.ID)
	fixture.WantCode(t, err, plenary.CodeConflict, "approved")
	c, err := p.Svc.Kernel.Authorize(p.Ctx, bea, f, rules.Contribute, "BRA")
	if err != nil || c.RegistrationID != r.ID || c.PartyCode != "BRA" || c.Role != "delegate" || c.Mode != "remote" || c.Group != rules.GroupMemberState {
		t.Fatalf("capacity %+v, %v", c, err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, bea, f, rules.Contribute, "ARG")
	fixture.WantCode(t, err, plenary.CodeForbidden, "not registered for Argentina")
	v, _ := p.Svc.Kernel.ViewerFor(p.Ctx, bea, f)
	if !v.Member || v.Secretariat || len(v.Parties) != 1 || v.Parties[0] != r.PartyID {
		t.Fatalf("viewer %+v", v)
	}
	// The record: private steps for Brazil's delegation, a public count.
	evs := p.Events(f)
	sub, appr, pub := fixture.EventsOf(evs, "registration.submitted"), fixture.EventsOf(evs, "registration.approved"), fixture.EventsOf(evs, "participants.changed")
	if len(sub) != 1 || len(appr) != 1 || sub[0].Visibility != ledger.VisParty(r.PartyID) || appr[0].Visibility != ledger.VisParty(r.PartyID) {
		t.Fatalf("private events %v %v", sub, appr)
	}
	if len(pub) != 1 || pub[0].Visibility != ledger.VisPublic || strings.Contains(string(pub[0].Payload), "Beatriz") ||
		!strings.Contains(string(pub[0].Payload), `"party_counts":{"BRA":1}`) {
		t.Fatalf("public event %s: want counts without the name (the forum publishes counts only)", pub[0].Payload)
	}
	for _, ev := range evs {
		if strings.Contains(string(ev.Payload), "@") {
			t.Errorf("event %d %s carries an e-mail address: %s", ev.Seq, ev.Type, ev.Payload)
		}
	}
	// Withdrawing: her own choice needs no reason; the public count drops.
	if _, err := p.Svc.Participation.WithdrawRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, bea, f.Slug), r.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Svc.Kernel.Authorize(p.Ctx, bea, f, rules.Contribute, ""); err == nil {
		t.Fatal("a withdrawn registration still gives rights")
	}
	if pub := fixture.EventsOf(p.Events(f), "participants.changed"); len(pub) != 2 || !strings.Contains(string(pub[1].Payload), `"change":"left"`) {
		t.Fatalf("no public record of leaving")
	}
	mine, _ := p.Svc.Participation.MyRegistrations(p.Ctx, bea)
	if len(mine) != 1 || mine[0].State != forum.RegWithdrawn || mine[0].ForumSlug != f.Slug {
		t.Fatalf("my registrations %+v", mine)
	}
}

func TestObserverApplicationDeclinedThenApproved(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	head := p.User("Hugo Head", false)
	p.Register(f, head, "BRA", rules.RoleHeadOfDelegation, rules.InRoom)
	pat := p.User("Pat Public", false)
	_, err := p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f.Slug), participation.ApplicationInput{Affiliation: "individual"})
	fixture.WantCode(t, err, plenary.CodeUnauthorized, "")
	_, err = p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, pat, f.Slug), participation.ApplicationInput{Mode: "by_pigeon"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "mode")
	fixture.WantCode(t, err, plenary.CodeInvalid, "affiliation")
	// The group is a choice among those observers may declare; the
	// background is free text.
	_, err = p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, pat, f.Slug), participation.ApplicationInput{Affiliation: "Daily Bugle", Group: rules.GroupMemberState})
	fixture.WantCode(t, err, plenary.CodeInvalid, "group")
	_, err = p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, pat, f.Slug), participation.ApplicationInput{Affiliation: "Daily Bugle", Group: "pirates"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "group")
	_, err = p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, pat, f.Slug), participation.ApplicationInput{Affiliation: "Daily Bugle",
		Background: strings.Repeat("a", participation.MaxApplicationBackground+1)})
	fixture.WantCode(t, err, plenary.CodeInvalid, "background")
	const background = "Ten years as a technology journalist, covering the ITU and ICANN."
	r, err := p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, pat, f.Slug), participation.ApplicationInput{Mode: "remote", Affiliation: "Daily Bugle",
		Background: background, Statement: "I report on Internet governance."})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != forum.RegPending || r.Group != rules.GroupObserver || r.Role != rules.RoleObserver || r.PartyID != "" || r.Background != background {
		t.Fatalf("application %+v", r)
	}
	if q, err := p.Svc.Participation.ApprovalQueue(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug)); err != nil || len(q) != 1 || q[0].Background != background {
		t.Fatalf("the secretariat's queue %+v, %v", q, err)
	}
	cs, err := p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, p.User("Cora Civil", false), f.Slug),
		participation.ApplicationInput{Affiliation: "Open Net Society", Group: rules.GroupCivilSociety, Background: "A digital rights NGO."})
	if err != nil || cs.Group != rules.GroupCivilSociety || cs.Background != "A digital rights NGO." {
		t.Fatalf("civil society application %+v, %v", cs, err)
	}
	_, err = p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, pat, f.Slug), participation.ApplicationInput{Affiliation: "Daily Bugle"})
	fixture.WantCode(t, err, plenary.CodeConflict, "already has a registration")
	// Brazil's head of delegation approves Brazil's people, not the public.
	_, err = p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, head, f.Slug), r.ID)
	fixture.WantCode(t, err, plenary.CodeForbidden, "only the secretariat")
	_, err = p.Svc.Participation.DeclineRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), r.ID, " ")
	fixture.WantCode(t, err, plenary.CodeInvalid, "reason")
	r, err = p.Svc.Participation.DeclineRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), r.ID, "The room is full.")
	if err != nil || r.State != forum.RegDeclined || r.Reason != "The room is full." || r.DecidedAs != "secretariat" {
		t.Fatalf("declined %+v, %v", r, err)
	}
	mine, _ := p.Svc.Participation.MyRegistrations(p.Ctx, pat)
	if len(mine) != 1 || mine[0].State != forum.RegDeclined || mine[0].Reason != "The room is full." {
		t.Fatalf("the applicant sees %+v", mine)
	}
	r2, err := p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, pat, f.Slug), participation.ApplicationInput{Affiliation: "Daily Bugle"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), r2.ID); err != nil {
		t.Fatal(err)
	}
	c, err := p.Svc.Kernel.Authorize(p.Ctx, pat, f, rules.ReadPublic, "")
	if err != nil || c.Role != "observer" {
		t.Fatalf("observer reads public documents as %+v, %v", c, err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, pat, f, rules.ReadRestricted, "")
	fixture.WantCode(t, err, plenary.CodeForbidden, "Observers may not read restricted documents in WTPF-13")
	// Registration details: the person, and the secretariat with the e-mail; others not at all.
	if got, err := p.Svc.Participation.RegistrationFor(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f), r2.ID); err != nil || got.Email != pat.Email {
		t.Fatalf("secretariat view %+v %v", got, err)
	}
	_, err = p.Svc.Participation.RegistrationFor(p.Ctx, fixture.In(t, p.Svc.Kernel, head, f), r2.ID)
	fixture.WantCode(t, err, plenary.CodeNotFound, "")
	// Applications can be closed.
	closed := false
	if _, err := p.Svc.Participation.UpdateParticipationSettings(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.SettingsInput{ApplicationsOpen: &closed}); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.ApplyAsObserver(p.Ctx, fixture.In(t, p.Svc.Kernel, p.User("Late Comer", false), f.Slug), participation.ApplicationInput{Affiliation: "individual"})
	fixture.WantCode(t, err, plenary.CodeConflict, "does not take applications")
}

func TestGuestsHaveExplicitRights(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	g1, g2 := p.User("Guest One", false), p.User("Guest Two", false)
	_, err := p.Svc.Participation.InviteGuest(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.GuestInput{Email: g1.Email})
	fixture.WantCode(t, err, plenary.CodeInvalid, "grants")
	vote := []string{"vote"}
	_, err = p.Svc.Participation.InviteGuest(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.GuestInput{Email: g1.Email, Grants: &vote})
	fixture.WantCode(t, err, plenary.CodeInvalid, "cannot be granted the right to vote")
	none := []string{}
	r, err := p.Svc.Participation.InviteGuest(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.GuestInput{Email: g1.Email, Grants: &none, Statement: "Invited by the Secretary-General"})
	if err != nil || r.State != forum.RegApproved || !r.IsGuest() || len(r.Grants) != 0 {
		t.Fatalf("guest without rights %+v, %v", r, err)
	}
	speak := []string{"read_public", "ask_floor"}
	if _, err := p.Svc.Participation.InviteGuest(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.GuestInput{Email: g2.Email, Mode: "remote", Grants: &speak}); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, g1, f, rules.AskFloor, "")
	fixture.WantCode(t, err, plenary.CodeForbidden, "This guest may not ask for the floor in WTPF-13: the secretariat has not granted that right")
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, g2, f, rules.AskFloor, ""); err != nil || c.Role != "guest" || c.Mode != "remote" {
		t.Fatalf("guest with the floor: %+v %v", c, err)
	}
	// Only the secretariat invites; guests cannot register themselves.
	_, err = p.Svc.Participation.InviteGuest(p.Ctx, fixture.In(t, p.Svc.Kernel, g2, f.Slug), participation.GuestInput{Email: g1.Email, Grants: &none})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	_, err = p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, p.User("Sneaky", false), f.Slug), participation.RegistrationInput{Role: "guest"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "guests are invited")
	// Guests' rights are public, even when names are not.
	pub := fixture.EventsOf(p.Events(f), "participants.changed")
	if len(pub) != 2 || !strings.Contains(string(pub[1].Payload), `"grants":["read_public","ask_floor"]`) ||
		!strings.Contains(string(pub[0].Payload), `"grants":[]`) || strings.Contains(string(pub[1].Payload), "Guest Two") {
		t.Fatalf("public guest events: %v", pub)
	}
}

func TestCredentialsDecideVotingAtATreatyConference(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wcit-12", "WCIT-12: World Conference on International Telecommunications", forum.KindTreatyConference)
	for _, c := range []struct{ code, name string }{{"BRA", "Brazil"}, {"ESP", "Spain"}, {"LIE", "Liechtenstein"}, {"CHE", "Switzerland"}, {"KEN", "Kenya"}} {
		p.Party(f, c.code, c.name, rules.GroupMemberState)
	}
	p.Party(f, "OPER", "Example Telecom", rules.GroupSectorMember)
	del := map[string]forum.Actor{}
	for _, code := range []string{"BRA", "ESP", "LIE", "CHE", "KEN"} {
		del[code] = p.User("Delegate "+code, false)
		p.Register(f, del[code], code, rules.RoleDelegate, rules.InRoom)
	}
	remote := p.User("Remote Brazil", false)
	p.Register(f, remote, "BRA", rules.RoleDelegate, rules.Remote)
	samir := p.User("Samir Sector", false)
	p.Register(f, samir, "OPER", rules.RoleDelegate, rules.InRoom)

	record := func(code, state, proxy string) {
		t.Helper()
		if _, err := p.Svc.Participation.RecordCredentials(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), code, participation.CredentialsInput{State: state, Proxy: proxy}); err != nil {
			t.Fatalf("credentials %s %s: %v", code, state, err)
		}
	}
	record("BRA", "in_order", "")
	record("ESP", "provisional", "")
	record("CHE", "in_order", "")
	record("LIE", "transferred", "CHE")
	record("KEN", "sign_only", "")
	for _, c := range []struct {
		who    forum.Actor
		action rules.Action
		want   string // "" allowed
	}{
		{del["BRA"], rules.Vote, ""},
		{del["BRA"], rules.Sign, ""},
		{del["ESP"], rules.Vote, "Member States may vote in WCIT-12 only with credentials in order (credentials: provisional)"},
		{del["LIE"], rules.Vote, "the delegation holding its proxy votes for it"},
		{del["KEN"], rules.Vote, "only with credentials in order (credentials: in order for signature only)"},
		{del["KEN"], rules.Sign, ""},
		{remote, rules.Vote, "Remote Member States may not vote in WCIT-12"},
		{samir, rules.Vote, "Sector Members may not vote in WCIT-12"},
		{samir, rules.AskFloor, ""},
		{samir, rules.ProposeAmendment, "Sector Members may not propose an amendment in WCIT-12"},
	} {
		_, err := p.Svc.Kernel.Authorize(p.Ctx, c.who, f, c.action, "")
		if c.want == "" {
			if err != nil {
				t.Errorf("%s %s: %v", c.who.Name, c.action, err)
			}
			continue
		}
		if err == nil || plenary.ErrorCode(err) != plenary.CodeForbidden || !strings.Contains(plenary.AsError(err).Message, c.want) {
			t.Errorf("%s %s: %v, want a denial with %q", c.who.Name, c.action, err, c.want)
		}
	}
	// Bad credentials input.
	for _, in := range []struct {
		code string
		in   participation.CredentialsInput
		want string
	}{
		{"LIE", participation.CredentialsInput{State: "transferred"}, "proxy"},
		{"LIE", participation.CredentialsInput{State: "transferred", Proxy: "LIE"}, "itself"},
		{"KEN", participation.CredentialsInput{State: "transferred", Proxy: "LIE"}, "has itself transferred"},
		{"KEN", participation.CredentialsInput{State: "in_order", Proxy: "BRA"}, "only transferred"},
		{"KEN", participation.CredentialsInput{State: "sort_of"}, `state: unknown credentials state "sort_of": must be one of none, provisional, in_order, sign_only, transferred`},
	} {
		_, err := p.Svc.Participation.RecordCredentials(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), in.code, in.in)
		fixture.WantCode(t, err, plenary.CodeInvalid, in.want)
	}
	_, err := p.Svc.Participation.RecordCredentials(p.Ctx, fixture.In(t, p.Svc.Kernel, del["BRA"], f.Slug), "BRA", participation.CredentialsInput{State: "in_order"})
	fixture.WantCode(t, err, plenary.CodeForbidden, "only the secretariat")
	lie, _ := p.Svc.Participation.PartyByCode(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f), "LIE")
	if lie.Credentials != rules.CredentialsTransferred || lie.ProxyCode != "CHE" || lie.ProxyName != "Switzerland" || lie.CredentialsAt == nil {
		t.Fatalf("Liechtenstein %+v", lie)
	}
	if evs := fixture.EventsOf(p.Events(f), "credentials.recorded"); len(evs) != 5 || evs[3].Visibility != ledger.VisPublic {
		t.Fatalf("%d credentials events", len(evs))
	}
}

func TestAuthorizeSemantics(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	p.Party(f, "ISOC", "Internet Society", rules.GroupTechnicalCommunity)

	// Anonymous: public documents only.
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, forum.Anonymous, f, rules.ReadPublic, ""); err != nil || c.Role != "public" {
		t.Fatalf("anonymous read: %+v %v", c, err)
	}
	_, err := p.Svc.Kernel.Authorize(p.Ctx, forum.Anonymous, f, rules.Contribute, "")
	fixture.WantCode(t, err, plenary.CodeUnauthorized, "")
	_, err = p.Svc.Kernel.Authorize(p.Ctx, p.Admin, f, rules.Action("fly"), "")
	fixture.WantCode(t, err, plenary.CodeInvalid, "action")
	// Logged in but not registered.
	nobody := p.User("Nobody", false)
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, nobody, f, rules.ReadPublic, ""); err != nil || c.Role != "public" {
		t.Fatalf("unregistered read: %+v %v", c, err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, nobody, f, rules.Contribute, "")
	fixture.WantCode(t, err, plenary.CodeForbidden, "you are not registered in WTPF-13")
	_, err = p.Svc.Kernel.Authorize(p.Ctx, nobody, f, rules.Contribute, "ZZZ")
	fixture.WantCode(t, err, plenary.CodeNotFound, "")
	// The site secretariat passes as the secretariat office: it contributes
	// but does not object, and acts for no party.
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, p.Admin, f, rules.Contribute, ""); err != nil || c.Role != "secretariat" || c.PartyID != "" {
		t.Fatalf("admin contributes as %+v %v", c, err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, p.Admin, f, rules.ObjectConsensus, "")
	fixture.WantCode(t, err, plenary.CodeForbidden, "Secretariat staff may not object to consensus in WTPF-13")
	_, err = p.Svc.Kernel.Authorize(p.Ctx, p.Admin, f, rules.Contribute, "BRA")
	fixture.WantCode(t, err, plenary.CodeForbidden, "not registered for Brazil")
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, p.Admin, f, rules.ApproveRegistrations, "BRA"); err != nil || c.Role != "secretariat" {
		t.Fatalf("admin approves for Brazil as %+v %v", c, err)
	}
	// Several registrations: the one for the party asked, or the first that allows.
	both := p.User("Two Hats", false)
	rISOC := p.Register(f, both, "ISOC", rules.RoleObserver, rules.InRoom)
	rBRA := p.Register(f, both, "BRA", rules.RoleAdviser, rules.Remote)
	if c, _ := p.Svc.Kernel.Authorize(p.Ctx, both, f, rules.ReadPublic, ""); c.RegistrationID != rISOC.ID {
		t.Errorf("read_public: capacity %+v, want the first registration", c)
	}
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, both, f, rules.ObjectConsensus, ""); err != nil || c.RegistrationID != rBRA.ID {
		t.Errorf("object: %+v %v, want Brazil's registration, the one that allows it", c, err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, both, f, rules.Contribute, "ISOC")
	fixture.WantCode(t, err, plenary.CodeForbidden, "Technical community observers may not submit a contribution in WTPF-13")
	// A registration in the secretariat role makes the forum's secretariat.
	staff := p.User("Staff Member", false)
	p.Register(f, staff, "", rules.RoleSecretariat, rules.InRoom)
	if v, _ := p.Svc.Kernel.ViewerFor(p.Ctx, staff, f); !v.Secretariat || !v.Member {
		t.Fatalf("staff viewer %+v", v)
	}
	if _, err := p.Svc.Participation.AddParty(p.Ctx, fixture.In(t, p.Svc.Kernel, staff, f.Slug), participation.PartyInput{Code: "ARG", Name: "Argentina", Group: "member_state"}); err != nil {
		t.Fatalf("the forum's secretariat adds a party: %v", err)
	}
	// A focal point approves its party's registrations without being registered.
	focal := p.User("Fiona Focal", false)
	if _, err := p.Svc.Participation.AppointFocalPoint(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "BRA", focal.Email); err != nil {
		t.Fatal(err)
	}
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, focal, f, rules.ApproveRegistrations, "BRA"); err != nil || c.Role != "focal_point" || c.PartyCode != "BRA" {
		t.Fatalf("focal point: %+v %v", c, err)
	}
	_, err = p.Svc.Kernel.Authorize(p.Ctx, focal, f, rules.Contribute, "BRA")
	fixture.WantCode(t, err, plenary.CodeForbidden, "not registered for Brazil")
}

func TestHeadOfDelegationIsOnePerParty(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	head := p.User("Hugo Head", false)
	p.Register(f, head, "BRA", rules.RoleHeadOfDelegation, rules.InRoom)
	other := p.User("Other Head", false)
	_, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.RegistrationInput{Email: other.Email, Party: "BRA", Role: "head_of_delegation"})
	fixture.WantCode(t, err, plenary.CodeConflict, "Brazil already has a head of delegation, Hugo Head")
	// The head approves the delegation's people (the policy-forum preset lets heads approve).
	del := p.User("Dora Delegate", false)
	r, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, del, f.Slug), participation.RegistrationInput{Party: "BRA", Role: "delegate"})
	if err != nil {
		t.Fatal(err)
	}
	r, err = p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, head, f.Slug), r.ID)
	if err != nil || r.DecidedAs != "head of delegation of Brazil" {
		t.Fatalf("head approves: %+v %v", r, err)
	}
	// The head registers an adviser directly: approved at once.
	adv := p.User("Ada Adviser", false)
	r, err = p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, head, f.Slug), participation.RegistrationInput{Email: adv.Email, Party: "BRA", Role: "adviser", Background: "civil_society"})
	if err != nil || r.State != forum.RegApproved || r.Email != "" {
		t.Fatalf("head registers an adviser: %+v %v", r, err)
	}
	// But not an office, nor someone of another party.
	_, err = p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, head, f.Slug), participation.RegistrationInput{Email: adv.Email, Role: "chair"})
	fixture.WantCode(t, err, plenary.CodeForbidden, "only the secretariat")
	d, err := p.Svc.Participation.DelegationOf(p.Ctx, fixture.In(t, p.Svc.Kernel, head, f), "BRA")
	if err != nil || d.Count != 3 || len(d.Backgrounds) != 1 || d.Backgrounds[0] != "civil society" || !d.CanApprove || !d.NamesShown {
		t.Fatalf("delegation %+v %v", d, err)
	}
}

func TestParticipantNamesFollowThePrivacySetting(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	bea := p.User("Beatriz Delegate", false)
	p.Register(f, bea, "BRA", rules.RoleDelegate, rules.InRoom)
	obs := p.User("Olga Observer", false)
	p.Register(f, obs, "", rules.RoleObserver, rules.Remote)

	l, err := p.Svc.Participation.Participants(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if err != nil || l.NamesShown || l.Participants != nil || l.Total != 2 || l.Parties != 1 || len(l.ByGroup) != 2 ||
		l.ByGroup[0].Group != rules.GroupMemberState || l.ByGroup[1].Remote != 1 {
		t.Fatalf("anonymous list %+v %v", l, err)
	}
	_, err = p.Svc.Participation.ParticipantNames(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	fixture.WantCode(t, err, plenary.CodeUnauthorized, "")
	_, err = p.Svc.Participation.ParticipantNames(p.Ctx, fixture.In(t, p.Svc.Kernel, obs, f))
	fixture.WantCode(t, err, plenary.CodeForbidden, "Observers may not read restricted documents in WTPF-13")
	l, err = p.Svc.Participation.ParticipantNames(p.Ctx, fixture.In(t, p.Svc.Kernel, bea, f))
	if err != nil || len(l.Participants) != 2 || l.Participants[0].Name == "" {
		t.Fatalf("delegate's list %+v %v", l, err)
	}
	d, _ := p.Svc.Participation.DelegationOf(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f), "BRA")
	if d.NamesShown || d.Count != 1 || d.Members[0].Name != "" || d.FocalPoints != nil {
		t.Fatalf("anonymous delegation %+v", d)
	}
	yes := true
	if _, err := p.Svc.Participation.UpdateParticipationSettings(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.SettingsInput{NamesPublic: &yes}); err != nil {
		t.Fatal(err)
	}
	l, err = p.Svc.Participation.ParticipantNames(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if err != nil || !l.NamesShown || len(l.Participants) != 2 {
		t.Fatalf("public names %+v %v", l, err)
	}
	// Changing the settings is the secretariat's, and on the record.
	_, err = p.Svc.Participation.UpdateParticipationSettings(p.Ctx, fixture.In(t, p.Svc.Kernel, bea, f.Slug), forum.SettingsInput{NamesPublic: &yes})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	if evs := fixture.EventsOf(p.Events(f), "participation.settings_changed"); len(evs) != 1 || evs[0].Visibility != ledger.VisPublic {
		t.Fatalf("settings events %v", evs)
	}
	sum, err := p.Svc.Participation.SummaryOf(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if err != nil || sum.Total != 2 || sum.Parties != 1 || !sum.NamesPublic || sum.PresetName == "" {
		t.Fatalf("summary %+v %v", sum, err)
	}
}

func TestImportRegistrations(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindPolicyForum)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	a, b, g := p.User("Anna", false), p.User("Bruno", false), p.User("Gita Guest", false)
	good := "email,party,role,mode,affiliation,background,grants\n" +
		a.Email + ",BRA,head_of_delegation,in_room,Anatel,,\n" +
		b.Email + ",BRA,adviser,remote,Telco Inc.,private_sector,\n" +
		g.Email + ",,guest,remote,,,read_public;ask_floor\n"
	bad := "email,party,role,mode,affiliation,background,grants\n" +
		a.Email + ",BRA,head_of_delegation,in_room,,,\n" +
		"nobody@example.org,BRA,delegate,in_room,,,\n" +
		b.Email + ",XXX,delegate,in_room,,,\n" +
		b.Email + ",BRA,delegate,on_the_moon,,,\n" +
		g.Email + ",,guest,remote,,,\n" +
		a.Email + ",BRA,head_of_delegation,in_room,,,\n" +
		b.Email + ",BRA,adviser,remote,,,vote\n"
	rows, err := participation.ParseRegistrationsCSV(strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.ImportRegistrations(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rows)
	var ie *participation.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("bad file: %v", err)
	}
	got := map[string]bool{}
	for _, r := range ie.Rows {
		got[fmt.Sprintf("%d %s", r.Row, r.Field)] = true
	}
	for _, want := range []string{"3 email", "4 party", "5 mode", "6 grants", "7 email", "8 grants"} {
		if !got[want] {
			t.Errorf("row/field %s not reported: %+v", want, ie.Rows)
		}
	}
	if got["2 email"] {
		t.Errorf("the good row 2 was reported: %+v", ie.Rows)
	}
	if l, _ := p.Svc.Participation.Participants(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f)); l.Total != 0 {
		t.Fatalf("%d registrations from a bad file", l.Total)
	}
	rows, err = participation.ParseRegistrationsCSV(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.ImportRegistrations(p.Ctx, fixture.In(t, p.Svc.Kernel, a, f.Slug), rows)
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	regs, err := p.Svc.Participation.ImportRegistrations(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rows)
	if err != nil || len(regs) != 3 {
		t.Fatalf("good file: %d, %v", len(regs), err)
	}
	if c, err := p.Svc.Kernel.Authorize(p.Ctx, g, f, rules.AskFloor, ""); err != nil || c.Role != "guest" {
		t.Fatalf("imported guest %+v %v", c, err)
	}
	evs := p.Events(f)
	if n := len(fixture.EventsOf(evs, "participants.changed")); n != 1 {
		t.Fatalf("%d public events for one import, want 1", n)
	}
	if n := len(fixture.EventsOf(evs, "registration.approved")) + len(fixture.EventsOf(evs, "registration.invited")); n != 3 {
		t.Fatalf("%d private events, want 3", n)
	}
	// Importing the same file again: each row is a duplicate.
	_, err = p.Svc.Participation.ImportRegistrations(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), rows)
	if !errors.As(err, &ie) || len(ie.Rows) != 3 {
		t.Fatalf("second import: %v", err)
	}
}

func TestBodyOfficersAndMembership(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wcit", "WCIT-12: Conference", forum.KindTreatyConference)
	if _, err := p.Svc.Kernel.CreateBody(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), forum.BodyInput{Slug: "com5", Name: "Committee 5", Kind: "committee"}); err != nil {
		t.Fatal(err)
	}
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	p.Party(f, "ESP", "Spain", rules.GroupMemberState)
	chair, vice, outsider := p.User("Carla Chair", false), p.User("Victor Vice", false), p.User("Oscar Outsider", false)
	p.Register(f, chair, "BRA", rules.RoleDelegate, rules.InRoom)
	p.Register(f, vice, "ESP", rules.RoleDelegate, rules.InRoom)
	_, err := p.Svc.Participation.AppointOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", participation.OfficerInput{Email: outsider.Email, Office: "chair"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "no approved registration")
	_, err = p.Svc.Participation.AppointOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", participation.OfficerInput{Email: chair.Email, Office: "emperor"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "office")
	if _, err := p.Svc.Participation.AppointOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", participation.OfficerInput{Email: chair.Email, Office: "chair"}); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.AppointOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", participation.OfficerInput{Email: vice.Email, Office: "chair"})
	fixture.WantCode(t, err, plenary.CodeConflict, "Carla Chair already chairs Committee 5")
	if _, err := p.Svc.Participation.AppointOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", participation.OfficerInput{Email: vice.Email, Office: "vice_chair"}); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.AppointOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, chair, f.Slug), "com5", participation.OfficerInput{Email: vice.Email, Office: "vice_chair"})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	d, err := p.Svc.Participation.SetBodyMembers(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", []string{"bra", "ESP", "BRA"})
	if err != nil || d.Open || len(d.Members) != 2 || len(d.Officers) != 2 || d.Officers[0].Office != "chair" {
		t.Fatalf("body %+v %v", d, err)
	}
	_, err = p.Svc.Participation.SetBodyMembers(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", []string{"XXX"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "parties")
	if d, err = p.Svc.Participation.SetBodyMembers(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", nil); err != nil || !d.Open {
		t.Fatalf("reopened body %+v %v", d, err)
	}
	if err := p.Svc.Participation.RemoveOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", vice.UserID); err != nil {
		t.Fatal(err)
	}
	if err := p.Svc.Participation.RemoveOfficer(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), "com5", vice.UserID); err == nil {
		t.Fatal("removed an officer twice")
	}
	evs := p.Events(f)
	if len(fixture.EventsOf(evs, "body.officer_appointed")) != 2 || len(fixture.EventsOf(evs, "body.membership_changed")) != 2 || len(fixture.EventsOf(evs, "body.officer_removed")) != 1 {
		t.Fatal("body events missing from the record")
	}
}
