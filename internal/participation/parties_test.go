package participation_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

func sec(t *testing.T, p *fixture.Participation, f forum.Forum) *forum.Scope {
	t.Helper()
	return fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug)
}

func payload(t *testing.T, ev ledger.Event) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev.Payload, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMemberStatesHaveTheirOfficialNames(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wcit-12", "WCIT-12", forum.KindTreatyConference)
	rows, err := participation.ParsePartiesCSV(fixture.MemberStatesFile(t), participation.Membership2012)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Svc.Participation.ImportParties(p.Ctx, sec(t, p, f), rows, participation.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	anon := fixture.In(t, p.Svc.Kernel, forum.Anonymous, f)
	for code, want := range map[string]string{
		"USA": "United States of America",
		"GBR": "United Kingdom of Great Britain and Northern Ireland",
		"RUS": "Russian Federation",
		"KOR": "Republic of Korea",
		"BIH": "Bosnia and Herzegovina",
		"VAT": "Holy See",
		"CIV": "Côte d’Ivoire",
		"TUR": "Türkiye",
		"BRA": "Brazil",
	} {
		pt, err := p.Svc.Participation.PartyByCode(p.Ctx, anon, code)
		if err != nil || pt.Name != want {
			t.Errorf("%s is called %q (%v), want %q", code, pt.Name, err, want)
		}
	}
	usa, _ := p.Svc.Participation.PartyByCode(p.Ctx, anon, "USA")
	if usa.Names == nil || usa.Names.Fr != "États-Unis d'Amérique" || usa.Names.Es != "Estados Unidos de América" ||
		usa.Names.Ru != "Соединенные Штаты Америки" || usa.Names.Zh != "美利坚合众国" || usa.Names.Ar != "الولايات المتحدة الأمريكية" {
		t.Fatalf("official names of the United States: %+v", usa.Names)
	}
	// Pages show the names in the forum's languages.
	got := usa.NamesIn([]string{"en", "fr", "ar"})
	if len(got) != 3 || got[1].Lang != "fr" || got[1].Language != "French" || got[1].Name != "États-Unis d'Amérique" {
		t.Fatalf("names in en, fr, ar: %+v", got)
	}

	// A State added by its country gets its code and name; a name other
	// than the official one is replaced.
	g := p.Forum("wtpf", "WTPF-13", forum.KindPolicyForum)
	pt, err := p.Svc.Participation.AddParty(p.Ctx, sec(t, p, g), participation.PartyInput{Country: "Russia", Group: rules.GroupMemberState})
	if err == nil {
		t.Fatalf("Russia is not a UN name, yet it was found: %+v", pt)
	}
	pt, err = p.Svc.Participation.AddParty(p.Ctx, sec(t, p, g), participation.PartyInput{Country: "russian federation", Group: rules.GroupMemberState})
	if err != nil || pt.Code != "RUS" || pt.Name != "Russian Federation" || pt.ISO2 != "RU" || pt.Kind != participation.KindMemberState || pt.ITUCode != "RUS" {
		t.Fatalf("added by its name: %+v, %v", pt, err)
	}
	rep, err := p.Svc.Participation.ImportParties(p.Ctx, sec(t, p, g), []participation.PartyRow{
		{Row: 2, PartyInput: participation.PartyInput{Code: "GBR", Name: "UK", Group: rules.GroupMemberState}}}, participation.ImportOptions{})
	if err != nil || rep.Parties[0].Name != "United Kingdom of Great Britain and Northern Ireland" || len(rep.Warnings) != 1 ||
		rep.Warnings[0].Row != 2 || rep.Warnings[0].Field != "name" || !strings.Contains(rep.Warnings[0].Message, `"UK" is not the official name`) {
		t.Fatalf("a State named UK: %+v, %v", rep, err)
	}
}

func TestPartyImportTakesACountryAndRefusesUnknownCodes(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("igf", "IGF 2014", forum.KindOpenForum)
	rows, err := participation.ParsePartiesCSV(strings.NewReader(`group,country,code,name
member_state,FR,,
member_state,deu,,
member_state,cote d'ivoire,,
member_state,Estados Unidos de América,,
technical_community,CH,ISOC,Internet Society
`), "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := p.Svc.Participation.ImportParties(p.Ctx, sec(t, p, f), rows, participation.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, pt := range rep.Parties {
		codes = append(codes, pt.Code+":"+pt.Name+":"+pt.ISO2)
	}
	if got := strings.Join(codes, ", "); got != "FRA:France:FR, DEU:Germany:DE, CIV:Côte d’Ivoire:CI, USA:United States of America:US, ISOC:Internet Society:CH" {
		t.Fatalf("imported %s", got)
	}

	// Unknown ISO codes and countries are refused, each naming its row
	// and field; nothing is imported.
	rows, err = participation.ParsePartiesCSV(strings.NewReader(`code,name,group,iso2,iso3,country
EXTEL,Example Telecom,sector_member,XX,,
EXNET,Example Networks,sector_member,,XXX,
XXX,Nowhere,member_state,,,
,,member_state,,,Atlantis
,,member_state,,,XX
,,member_state,,,
ESP,Spain,member_state,PT,,
`), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.ImportParties(p.Ctx, sec(t, p, f), rows, participation.ImportOptions{})
	var ie *participation.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("import: %v, want an ImportError", err)
	}
	got := map[string]string{}
	for _, r := range ie.Rows {
		got[strings.Join([]string{string(rune('0' + r.Row)), r.Field}, " ")] = r.Message
	}
	for want, msg := range map[string]string{
		"2 iso2": "XX is not an ISO 3166 country code", "3 iso3": "XXX is not an ISO 3166 country code",
		"4 code": "XXX is not an ISO 3166 alpha-3 code", "5 country": `no country is called "Atlantis"`,
		"6 country": "XX is not an ISO 3166 country code", "7 country": "a Member State is named by its country",
		"8 code": "PRT for Portugal",
	} {
		if !strings.Contains(got[want], msg) {
			t.Errorf("row/field %s: %q, want %q", want, got[want], msg)
		}
	}
	if len(ie.Rows) != 7 {
		t.Errorf("problems %+v, want one per bad row", ie.Rows)
	}
}

func TestPartyImportWarnsOfNearDuplicateNames(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("igf", "IGF 2014", forum.KindOpenForum)
	p.Party(f, "ISOC", "Internet Society", rules.GroupTechnicalCommunity)
	rows, err := participation.ParsePartiesCSV(strings.NewReader(`code,name,group
INSOC,internet  society,technical_community
APC,Association for Progressive Communications,civil_society
APC2,Association for Progressive Communications,civil_society
APC3,"Association for Progressive Communications, Inc.",civil_society
ETNO,Européenne Télécom,private_sector
ETNO2,Europeenne - Telecom,private_sector
`), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, dry := range []bool{true, false} {
		rep, err := p.Svc.Participation.ImportParties(p.Ctx, sec(t, p, f), rows, participation.ImportOptions{DryRun: dry})
		if err != nil {
			t.Fatalf("dry run %v: warnings stopped the import: %v", dry, err)
		}
		var ws []string
		for _, w := range rep.Warnings {
			ws = append(ws, w.String())
		}
		want := []string{
			"row 2, name: internet  society is nearly the same as Internet Society, of the party ISOC",
			"row 4, name: Association for Progressive Communications is also the name of row 3",
			"row 7, name: Europeenne - Telecom is nearly the same as Européenne Télécom, of row 6",
		}
		if strings.Join(ws, "\n") != strings.Join(want, "\n") {
			t.Errorf("dry run %v: warnings\n%s\nwant\n%s", dry, strings.Join(ws, "\n"), strings.Join(want, "\n"))
		}
		if rep.DryRun != dry || len(rep.Parties) != 6 {
			t.Errorf("report %+v", rep)
		}
	}
	all, _ := p.Svc.Participation.Parties(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if len(all) != 7 {
		t.Fatalf("%d parties, want ISOC and the six of the file", len(all))
	}
}

func TestPartyImportDryRunImportsNothing(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wcit", "WCIT-12", forum.KindTreatyConference)
	rows, err := participation.ParsePartiesCSV(fixture.MemberStatesFile(t), participation.MembershipToday)
	if err != nil {
		t.Fatal(err)
	}
	before := len(p.Events(f))
	rep, err := p.Svc.Participation.ImportParties(p.Ctx, sec(t, p, f), rows, participation.ImportOptions{DryRun: true})
	if err != nil || !rep.DryRun || len(rep.Parties) != 194 || len(rep.Warnings) != 0 {
		t.Fatalf("dry run: %d parties, %d warnings, %v", len(rep.Parties), len(rep.Warnings), err)
	}
	if all, _ := p.Svc.Participation.Parties(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f)); len(all) != 0 || len(p.Events(f)) != before {
		t.Fatalf("a dry run imported %d parties, recorded %d events", len(all), len(p.Events(f))-before)
	}
	// A dry run reports the problems a real import would.
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	_, err = p.Svc.Participation.ImportParties(p.Ctx, sec(t, p, f), rows, participation.ImportOptions{DryRun: true})
	var ie *participation.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || !strings.Contains(ie.Rows[0].Message, "already has a party BRA") {
		t.Fatalf("dry run over an existing party: %v", err)
	}
	// Only the secretariat runs it.
	_, err = p.Svc.Participation.ImportParties(p.Ctx, fixture.In(t, p.Svc.Kernel, p.User("Bob", false), f.Slug), rows, participation.ImportOptions{DryRun: true})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
}

func TestPartyKindsDefaultAsAPersonExpects(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13", forum.KindPolicyForum)
	for _, c := range []struct {
		in   participation.PartyInput
		want string
	}{
		{participation.PartyInput{Code: "ISOC", Name: "Internet Society", Group: rules.GroupSectorMember}, participation.KindOther},
		{participation.PartyInput{Code: "EXTEL", Name: "Example Telecom Ltd", Group: rules.GroupSectorMember}, participation.KindCompany},
		{participation.PartyInput{Code: "EXNET", Name: "Example Networks S.A.", Group: rules.GroupAssociate}, participation.KindCompany},
		{participation.PartyInput{Code: "MIT", Name: "Massachusetts Institute of Technology", Group: rules.GroupSectorMember}, participation.KindAcademia},
		{participation.PartyInput{Code: "UNIGE", Name: "Université de Genève", Group: rules.GroupSectorMember}, participation.KindAcademia},
		{participation.PartyInput{Code: "RIPE", Name: "RIPE NCC", Group: rules.GroupTechnicalCommunity}, participation.KindOther},
		{participation.PartyInput{Code: "ETNO", Name: "ETNO", Group: rules.GroupPrivateSector}, participation.KindCompany},
		{participation.PartyInput{Code: "APC", Name: "APC", Group: rules.GroupCivilSociety}, participation.KindNGO},
		{participation.PartyInput{Code: "CITEL", Name: "CITEL", Group: rules.GroupIGO}, participation.KindIGO},
		// What the input says wins.
		{participation.PartyInput{Code: "ISOC2", Name: "Internet Society Chapter", Group: rules.GroupSectorMember, Kind: participation.KindNGO}, participation.KindNGO},
	} {
		pt, err := p.Svc.Participation.AddParty(p.Ctx, sec(t, p, f), c.in)
		if err != nil || pt.Kind != c.want {
			t.Errorf("%s (%s): kind %q, %v; want %q", c.in.Name, c.in.Group, pt.Kind, err, c.want)
		}
	}
}

func TestANewGroupStartsWithTheRightsItIsGiven(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("igf", "IGF 2014", forum.KindOpenForum)
	g := func(key string) participation.GroupInput {
		return participation.GroupInput{Key: key, Name: key + " member", Plural: key + " members"}
	}
	_, err := p.Svc.Participation.AddGroup(p.Ctx, sec(t, p, f), participation.NewGroupInput{GroupInput: g("youth")})
	fixture.WantCode(t, err, plenary.CodeInvalid, "rights_from")
	_, err = p.Svc.Participation.AddGroup(p.Ctx, sec(t, p, f), participation.NewGroupInput{GroupInput: g("youth"), RightsFrom: "nobody"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "rights_from")
	if gs, _ := sec(t, p, f).Groups(p.Ctx); len(gs) != len(rules.DefaultGroups()) {
		t.Fatalf("a refused group was added: %d groups", len(gs))
	}

	if _, err := p.Svc.Participation.AddGroup(p.Ctx, sec(t, p, f), participation.NewGroupInput{GroupInput: g("youth"), RightsFrom: rules.GroupCivilSociety}); err != nil {
		t.Fatal(err)
	}
	st, _ := p.Svc.Kernel.ParticipationSettings(p.Ctx, sec(t, p, f))
	copied := 0
	for _, role := range rules.Roles() {
		for _, mode := range rules.Modes() {
			want := st.Matrix.Get(rules.Key{Group: rules.GroupCivilSociety, Role: role, Mode: mode})
			if got := st.Matrix.Get(rules.Key{Group: "youth", Role: role, Mode: mode}); got != want {
				t.Errorf("youth %s %s: %v, want civil society's %v", role, mode, got.Actions(), want.Actions())
			}
			if !want.IsEmpty() {
				copied++
			}
		}
	}
	if copied == 0 {
		t.Fatal("civil society has no rights to copy")
	}
	// The copy is a change of the rules: on the record and in the history.
	evs := p.Events(f)
	if added := fixture.EventsOf(evs, "group.added"); len(added) != 1 || payload(t, added[0])["rights_from"] != rules.GroupCivilSociety {
		t.Fatalf("group.added: %+v", added)
	}
	changed := fixture.EventsOf(evs, "rules.changed")
	if len(changed) != 1 || !strings.Contains(string(changed[0].Payload), "Youth member delegates") {
		t.Fatalf("rules.changed: %d events, %s", len(changed), changed[0].Payload)
	}
	rs, err := p.Svc.Participation.RulesOf(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f))
	if err != nil || len(rs.History) != 1 {
		t.Fatalf("history %+v, %v", rs.History, err)
	}
	// None, said explicitly: no rights, and no change of the rules.
	if _, err := p.Svc.Participation.AddGroup(p.Ctx, sec(t, p, f), participation.NewGroupInput{GroupInput: g("press"), RightsFrom: participation.NoRights}); err != nil {
		t.Fatal(err)
	}
	st, _ = p.Svc.Kernel.ParticipationSettings(p.Ctx, sec(t, p, f))
	for _, k := range st.Matrix.Keys() {
		if k.Group == "press" {
			t.Fatalf("press has rights: %+v", k)
		}
	}
	if n := len(fixture.EventsOf(p.Events(f), "rules.changed")); n != 1 {
		t.Fatalf("%d rules changes after adding a group with no rights", n)
	}
	// A closed forum's rules do not change.
	if _, err := p.Svc.Kernel.SetForumStatus(p.Ctx, sec(t, p, f), forum.StatusOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Svc.Kernel.SetForumStatus(p.Ctx, sec(t, p, f), forum.StatusClosed); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.AddGroup(p.Ctx, sec(t, p, f), participation.NewGroupInput{GroupInput: g("late"), RightsFrom: rules.GroupCivilSociety})
	fixture.WantCode(t, err, plenary.CodeConflict, "closed")
}

func TestUpdatePartyIsOnTheRecord(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13", forum.KindPolicyForum)
	p.Party(f, "ISCO", "Internet Socity", rules.GroupSectorMember)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	str := func(s string) *string { return &s }

	pt, err := p.Svc.Participation.UpdateParty(p.Ctx, sec(t, p, f), "ISCO", participation.PartyChange{Code: str("ISOC"), Name: str("Internet Society"),
		Group: str(rules.GroupTechnicalCommunity), Kind: str(participation.KindNGO), Country: str("CH"), Reason: "Typing mistakes."})
	if err != nil || pt.Code != "ISOC" || pt.Name != "Internet Society" || pt.Group != rules.GroupTechnicalCommunity || pt.Kind != participation.KindNGO ||
		pt.ISO2 != "CH" || pt.ISO3 != "CHE" {
		t.Fatalf("corrected: %+v, %v", pt, err)
	}
	evs := fixture.EventsOf(p.Events(f), "party.updated")
	if len(evs) != 1 || evs[0].Visibility != ledger.VisPublic {
		t.Fatalf("party.updated events: %+v", evs)
	}
	pl := payload(t, evs[0])
	changes, _ := pl["changes"].(map[string]any)
	if pl["reason"] != "Typing mistakes." || len(changes) != 6 || changes["code"].(map[string]any)["from"] != "ISCO" {
		t.Fatalf("payload %+v", pl)
	}
	// The same values again change nothing and record nothing.
	if _, err := p.Svc.Participation.UpdateParty(p.Ctx, sec(t, p, f), "ISOC", participation.PartyChange{Name: str("Internet Society")}); err != nil {
		t.Fatal(err)
	}
	if n := len(fixture.EventsOf(p.Events(f), "party.updated")); n != 1 {
		t.Fatalf("%d party.updated events after a change to the same values", n)
	}
	// A State's name is its official one; its country gives its code.
	_, err = p.Svc.Participation.UpdateParty(p.Ctx, sec(t, p, f), "BRA", participation.PartyChange{Name: str("Brasil")})
	fixture.WantCode(t, err, plenary.CodeInvalid, "name")
	pt, err = p.Svc.Participation.UpdateParty(p.Ctx, sec(t, p, f), "BRA", participation.PartyChange{Country: str("AR"), Reason: "Argentina, not Brazil."})
	if err != nil || pt.Code != "ARG" || pt.Name != "Argentina" || pt.ISO2 != "AR" || pt.ITUCode != "ARG" {
		t.Fatalf("new country: %+v, %v", pt, err)
	}
	// Bad changes name their field; only the secretariat changes parties.
	for _, c := range []struct {
		ch    participation.PartyChange
		field string
	}{
		{participation.PartyChange{Code: str("ARG")}, "code"},
		{participation.PartyChange{Name: str("")}, "name"},
		{participation.PartyChange{Group: str("nobody")}, "group"},
		{participation.PartyChange{ISO2: str("XX")}, "iso2"},
		{participation.PartyChange{}, "name"},
		{participation.PartyChange{Region: str("Europe"), Reason: "bad \x00"}, "reason"},
	} {
		_, err := p.Svc.Participation.UpdateParty(p.Ctx, sec(t, p, f), "ISOC", c.ch)
		fixture.WantCode(t, err, plenary.CodeInvalid, c.field)
	}
	_, err = p.Svc.Participation.UpdateParty(p.Ctx, fixture.In(t, p.Svc.Kernel, p.User("Bob", false), f.Slug), "ISOC", participation.PartyChange{Name: str("x")})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")
	_, err = p.Svc.Participation.UpdateParty(p.Ctx, sec(t, p, f), "NOBODY", participation.PartyChange{Name: str("x")})
	fixture.WantCode(t, err, plenary.CodeNotFound, "")
}

func TestWithdrawPartyWithdrawsItsRegistrations(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13", forum.KindPolicyForum)
	p.Party(f, "EXTEL", "Example Telecom", rules.GroupSectorMember)
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	del := p.User("Dora Delegate", false)
	p.Register(f, del, "EXTEL", rules.RoleDelegate, rules.InRoom)
	pending, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, p.User("Paul Pending", false), f.Slug),
		participation.RegistrationInput{Party: "EXTEL", Role: "adviser"})
	if err != nil || pending.State != forum.RegPending {
		t.Fatalf("pending registration %+v, %v", pending, err)
	}
	if _, err := p.Svc.Kernel.Authorize(p.Ctx, del, f, rules.Contribute, "EXTEL"); err != nil {
		t.Fatal(err)
	}
	_, err = p.Svc.Participation.WithdrawParty(p.Ctx, sec(t, p, f), "EXTEL", " ")
	fixture.WantCode(t, err, plenary.CodeInvalid, "reason")
	_, err = p.Svc.Participation.WithdrawParty(p.Ctx, fixture.In(t, p.Svc.Kernel, del, f.Slug), "EXTEL", "We leave.")
	fixture.WantCode(t, err, plenary.CodeForbidden, "")

	pt, err := p.Svc.Participation.WithdrawParty(p.Ctx, sec(t, p, f), "EXTEL", "The company left the Sector.")
	if err != nil || pt.Status != participation.PartyWithdrawn || pt.StatusReason != "The company left the Sector." || pt.StatusAt == nil {
		t.Fatalf("withdrawn: %+v, %v", pt, err)
	}
	if _, err := p.Svc.Kernel.Authorize(p.Ctx, del, f, rules.Contribute, "EXTEL"); err == nil {
		t.Fatal("a delegate of a withdrawn party keeps its rights")
	}
	for _, id := range []string{pending.ID} {
		r, err := p.Svc.Participation.RegistrationFor(p.Ctx, sec(t, p, f), id)
		if err != nil || r.State != forum.RegWithdrawn || !strings.Contains(r.Reason, "The company left the Sector.") {
			t.Fatalf("registration after the withdrawal: %+v, %v", r, err)
		}
	}
	evs := fixture.EventsOf(p.Events(f), "party.withdrawn")
	if len(evs) != 1 || evs[0].Visibility != ledger.VisPublic || payload(t, evs[0])["reason"] != "The company left the Sector." {
		t.Fatalf("party.withdrawn: %+v", evs)
	}
	if n := len(fixture.EventsOf(p.Events(f), "registration.withdrawn")); n != 2 {
		t.Fatalf("%d registration.withdrawn events, want 2", n)
	}
	// It is kept for the record, but nobody registers for it any more.
	anon := fixture.In(t, p.Svc.Kernel, forum.Anonymous, f)
	if kept, err := p.Svc.Participation.PartyByCode(p.Ctx, anon, "EXTEL"); err != nil || kept.Active() {
		t.Fatalf("kept: %+v, %v", kept, err)
	}
	_, err = p.Svc.Participation.Register(p.Ctx, sec(t, p, f), participation.RegistrationInput{Email: del.Email, Party: "EXTEL", Role: "delegate"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "has withdrawn")
	_, err = p.Svc.Participation.AppointFocalPoint(p.Ctx, sec(t, p, f), "EXTEL", del.Email)
	fixture.WantCode(t, err, plenary.CodeConflict, "has withdrawn")
	_, err = p.Svc.Participation.WithdrawParty(p.Ctx, sec(t, p, f), "EXTEL", "Again.")
	fixture.WantCode(t, err, plenary.CodeConflict, "already withdrawn")
	if s, _ := p.Svc.Participation.SummaryOf(p.Ctx, anon); s.Parties != 1 {
		t.Fatalf("the summary counts %d parties, want 1", s.Parties)
	}
}

func TestMergePartiesMovesEverythingToThePartyKept(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wcit", "WCIT-12", forum.KindTreatyConference)
	keep := p.Party(f, "EXTEL", "Example Telecom", rules.GroupSectorMember)
	dup := p.Party(f, "EXTEL2", "Example Telecom S.A.", rules.GroupSectorMember)
	p.Party(f, "CHE", "Switzerland", rules.GroupMemberState)
	both := p.User("Bea Both", false)     // registered for both, as a delegate
	only := p.User("Otto Only", false)    // registered for the duplicate only
	focal := p.User("Fiona Focal", false) // focal point of both
	p.Register(f, both, "EXTEL", rules.RoleDelegate, rules.InRoom)
	p.Register(f, both, "EXTEL2", rules.RoleDelegate, rules.InRoom)
	onlyReg := p.Register(f, only, "EXTEL2", rules.RoleAdviser, rules.Remote)
	for _, code := range []string{"EXTEL", "EXTEL2"} {
		if _, err := p.Svc.Participation.AppointFocalPoint(p.Ctx, sec(t, p, f), code, focal.Email); err != nil {
			t.Fatal(err)
		}
	}
	second := p.User("Sam Second", false)
	if _, err := p.Svc.Participation.AppointFocalPoint(p.Ctx, sec(t, p, f), "EXTEL2", second.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Svc.Participation.RecordCredentials(p.Ctx, sec(t, p, f), "CHE", participation.CredentialsInput{State: "transferred", Proxy: "EXTEL2"}); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		in    participation.MergeInput
		field string
	}{
		{participation.MergeInput{Into: "EXTEL"}, "reason"},
		{participation.MergeInput{Reason: "Twice."}, "into"},
		{participation.MergeInput{Into: "NOBODY", Reason: "Twice."}, "into"},
		{participation.MergeInput{Into: "EXTEL2", Reason: "Twice."}, "into"},
	} {
		_, err := p.Svc.Participation.MergeParties(p.Ctx, sec(t, p, f), "EXTEL2", c.in)
		fixture.WantCode(t, err, plenary.CodeInvalid, c.field)
	}
	_, err := p.Svc.Participation.MergeParties(p.Ctx, fixture.In(t, p.Svc.Kernel, both, f.Slug), "EXTEL2", participation.MergeInput{Into: "EXTEL", Reason: "Twice."})
	fixture.WantCode(t, err, plenary.CodeForbidden, "")

	got, err := p.Svc.Participation.MergeParties(p.Ctx, sec(t, p, f), "EXTEL2", participation.MergeInput{Into: "extel", Reason: "Entered twice."})
	if err != nil || got.ID != keep.ID {
		t.Fatalf("merge: %+v, %v", got, err)
	}
	anon := fixture.In(t, p.Svc.Kernel, forum.Anonymous, f)
	merged, _ := p.Svc.Participation.PartyByCode(p.Ctx, anon, "EXTEL2")
	if merged.ID != dup.ID || merged.Status != participation.PartyMerged || merged.MergedInto != "EXTEL" || merged.StatusReason != "Entered twice." {
		t.Fatalf("the duplicate: %+v", merged)
	}
	// Registrations: Otto's moved; Bea's second one was withdrawn.
	r, err := p.Svc.Participation.RegistrationFor(p.Ctx, sec(t, p, f), onlyReg.ID)
	if err != nil || r.PartyCode != "EXTEL" || r.State != forum.RegApproved {
		t.Fatalf("Otto's registration: %+v, %v", r, err)
	}
	if _, err := p.Svc.Kernel.Authorize(p.Ctx, only, f, rules.ReadPublic, "EXTEL"); err != nil {
		t.Fatalf("Otto does not act for the party kept: %v", err)
	}
	d, err := p.Svc.Participation.DelegationOf(p.Ctx, sec(t, p, f), "EXTEL")
	if err != nil || d.Count != 2 {
		t.Fatalf("the delegation of the party kept: %+v, %v", d, err)
	}
	if len(d.FocalPoints) != 2 {
		t.Fatalf("focal points of the party kept: %+v", d.FocalPoints)
	}
	mine, _ := p.Svc.Participation.MyRegistrations(p.Ctx, both)
	states := map[string]int{}
	for _, r := range mine {
		states[r.PartyCode+" "+r.State]++
	}
	// Both are the kept party's now; the second, withdrawn, for the record.
	if states["EXTEL approved"] != 1 || states["EXTEL withdrawn"] != 1 || len(mine) != 2 {
		t.Fatalf("Bea's registrations: %+v", states)
	}
	che, _ := p.Svc.Participation.PartyByCode(p.Ctx, anon, "CHE")
	if che.ProxyCode != "EXTEL" {
		t.Fatalf("the proxy held by the duplicate: %+v", che)
	}
	evs := fixture.EventsOf(p.Events(f), "party.merged")
	if len(evs) != 1 || evs[0].Visibility != ledger.VisPublic {
		t.Fatalf("party.merged: %+v", evs)
	}
	pl := payload(t, evs[0])
	moved, _ := pl["moved"].(map[string]any)
	if pl["into"] != "EXTEL" || pl["code"] != "EXTEL2" || pl["reason"] != "Entered twice." || moved["registrations"] != 1.0 ||
		moved["registrations_withdrawn"] != 1.0 || moved["focal_points"] != 2.0 || moved["proxies"] != 1.0 {
		t.Fatalf("payload %+v", pl)
	}
	// The duplicate is kept for the record and takes part no more.
	_, err = p.Svc.Participation.Register(p.Ctx, sec(t, p, f), participation.RegistrationInput{Email: only.Email, Party: "EXTEL2", Role: "delegate"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "was merged into")
	_, err = p.Svc.Participation.MergeParties(p.Ctx, sec(t, p, f), "EXTEL", participation.MergeInput{Into: "EXTEL2", Reason: "Back."})
	fixture.WantCode(t, err, plenary.CodeInvalid, "was merged into")
	if s, _ := p.Svc.Participation.SummaryOf(p.Ctx, anon); s.Parties != 2 {
		t.Fatalf("the summary counts %d parties, want 2", s.Parties)
	}
}
