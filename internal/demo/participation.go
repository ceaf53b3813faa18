package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// The participation demo: WTPF-13 under the ITU policy-forum rules, a
// WCIT-12 forum under the treaty-conference rules with credentials, and an
// IGF forum under the multistakeholder-equal rules, so that the three
// rules pages can be compared. Each has the parties and the registrations
// of the demo accounts; the "public" account has none, so that it can
// apply for observer status.

// Slugs of the other demo forums.
const (
	WCITSlug = "wcit-12"
	IGFSlug  = "igf-2014"
)

// organisations are the non-State parties of the demo forums. The Internet
// Society and the RIPE NCC really contributed to WTPF-13; the others are
// made up and say so.
var organisations = []participation.PartyInput{
	{Code: "EXTEL", Name: "Example Telecom (an operator; fictitious)", Group: rules.GroupSectorMember, Kind: "company"},
	{Code: "EXNET", Name: "Example Networks (a vendor; fictitious)", Group: rules.GroupSectorMember, Kind: "company"},
	{Code: "ISOC", Name: "Internet Society", Group: rules.GroupTechnicalCommunity, Kind: "ngo"},
	{Code: "RIPE", Name: "RIPE NCC", Group: rules.GroupTechnicalCommunity, Kind: "other"},
	{Code: "CSNET", Name: "Civil Society Example Network (fictitious)", Group: rules.GroupCivilSociety, Kind: "ngo"},
	{Code: "EXUNI", Name: "Example University (fictitious)", Group: rules.GroupAcademia, Kind: "academia"},
	{Code: "RTO", Name: "Example Regional Telecommunity (an IGO; fictitious)", Group: rules.GroupIGO, Kind: "igo"},
}

// withGroup returns the organisations with some groups changed (a company
// is private sector at the IGF, not a Sector Member).
func withGroup(ps []participation.PartyInput, change map[string]string) []participation.PartyInput {
	out := make([]participation.PartyInput, len(ps))
	for i, p := range ps {
		if g, ok := change[p.Group]; ok {
			p.Group, p.Kind = g, ""
		}
		out[i] = p
	}
	return out
}

// importParties adds the Member States of the given membership (or only
// the listed codes, when some are given) and the organisations, in one
// command.
func importParties(ctx context.Context, svc *app.App, sec forum.Actor, slug, membership string, only []string, orgs []participation.PartyInput) error {
	rows, err := participation.ParsePartiesCSV(bytes.NewReader(MemberStatesCSV), membership)
	if err != nil {
		return err
	}
	if only != nil {
		keep := map[string]bool{}
		for _, c := range only {
			keep[c] = true
		}
		var kept []participation.PartyRow
		for _, r := range rows {
			if keep[r.Code] {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	for _, o := range orgs {
		rows = append(rows, participation.PartyRow{PartyInput: o})
	}
	if _, err := svc.Participation.ImportParties(ctx, scopeIn(ctx, svc.Kernel, sec, slug), rows, participation.ImportOptions{}); err != nil {
		return fmt.Errorf("demo: parties of %s: %w", slug, err)
	}
	return nil
}

// reg is a demo registration of a demo account.
type reg struct {
	login, party, group, role, mode, affiliation, background string
}

func registerAll(ctx context.Context, svc *app.App, sec forum.Actor, slug string, users map[string]account.User, regs []reg) error {
	rows := make([]participation.RegistrationRow, 0, len(regs))
	for i, r := range regs {
		rows = append(rows, participation.RegistrationRow{Row: i + 1, RegistrationInput: participation.RegistrationInput{
			Email: users[r.login].Email, Party: r.party, Group: r.group, Role: r.role, Mode: r.mode,
			Affiliation: r.affiliation, Background: r.background}})
	}
	if _, err := svc.Participation.ImportRegistrations(ctx, scopeIn(ctx, svc.Kernel, sec, slug), rows); err != nil {
		return fmt.Errorf("demo: registrations of %s: %w", slug, err)
	}
	return nil
}

// loadWTPFParticipation gives WTPF-13 its rules, parties and registrations.
// Only counts of participants are public there, so the list of names is a
// restricted document.
func loadWTPFParticipation(ctx context.Context, svc *app.App, users map[string]account.User) error {
	f, err := svc.Kernel.ForumBySlug(ctx, WTPFSlug)
	if err != nil {
		return err
	}
	if st, err := svc.Kernel.ParticipationSettings(ctx, scopeIn(ctx, svc.Kernel, forum.Anonymous, f)); err != nil || st.Chosen {
		return err
	}
	sec := actorOf(users["secretariat"])
	if _, err := svc.Participation.ChoosePreset(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), rules.PresetITUPolicyForum); err != nil {
		return fmt.Errorf("demo: WTPF-13 rules: %w", err)
	}
	if err := importParties(ctx, svc, sec, f.Slug, participation.Membership2012, nil, organisations); err != nil {
		return err
	}
	if _, err := svc.Participation.AppointFocalPoint(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), "BRA", users["member_state"].Email); err != nil {
		return fmt.Errorf("demo: WTPF-13 focal point: %w", err)
	}
	return registerAll(ctx, svc, sec, f.Slug, users, []reg{
		{login: "secretariat", role: "secretariat", affiliation: "ITU General Secretariat"},
		{login: "chair", party: "NGA", role: "chair"},
		{login: "member_state", party: "BRA", role: "delegate", affiliation: "Ministry of Communications"},
		{login: "sector_member", party: "EXTEL", role: "delegate", mode: "remote"},
		{login: "civil_society", party: "CSNET", role: "observer", mode: "remote"},
	})
}

// loadWCIT creates the WCIT-12 demo forum: a treaty conference where only
// Member States with credentials in order vote and sign, Sector Members
// take part in an advisory capacity, and civil society comes in through a
// national delegation. Participants' names are public.
func loadWCIT(ctx context.Context, svc *app.App, users map[string]account.User) error {
	if exists, err := forumExists(ctx, svc, WCITSlug); exists || err != nil {
		return err
	}
	sec := actorOf(users["secretariat"])
	pub := false
	f, err := svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{
		Slug: WCITSlug, Title: "WCIT-12: World Conference on International Telecommunications", Kind: forum.KindTreatyConference,
		StartsOn: "2012-12-03", EndsOn: "2012-12-14", Venue: "Dubai", Languages: []string{"en", "fr", "es", "ar", "ru", "zh"},
		DocPrefix: "WCIT-12", DefaultPublic: &pub,
		Description: "The ITU's treaty conference that revised the International Telecommunication Regulations. Member States with credentials in order vote and sign the Final Acts; Sector Members take part in an advisory capacity.",
	})
	if err != nil {
		return fmt.Errorf("demo: WCIT-12: %w", err)
	}
	if _, err := svc.Participation.ChoosePreset(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), rules.PresetITUTreatyConference); err != nil {
		return fmt.Errorf("demo: WCIT-12 rules: %w", err)
	}
	names := true
	if _, err := svc.Participation.UpdateParticipationSettings(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), forum.SettingsInput{NamesPublic: &names}); err != nil {
		return err
	}
	for _, b := range []forum.BodyInput{
		{Slug: "plenary", Name: "Plenary", Kind: "plenary"},
		{Slug: "com5", Name: "Committee 5 (Review of the ITRs)", Kind: "committee", ParentSlug: "plenary"},
		{Slug: "com5-wg1", Name: "Working Group 1 of Committee 5", Kind: "working_group", ParentSlug: "com5"},
	} {
		if _, err := svc.Kernel.CreateBody(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), b); err != nil {
			return fmt.Errorf("demo: WCIT-12 body %s: %w", b.Slug, err)
		}
	}
	if err := importParties(ctx, svc, sec, f.Slug, participation.Membership2012, nil, organisations); err != nil {
		return err
	}
	for _, c := range []struct{ code, state, proxy, note string }{
		{"ARE", "in_order", "", ""},
		{"BRA", "in_order", "", ""},
		{"GBR", "in_order", "", ""},
		{"USA", "in_order", "", ""},
		{"CHE", "in_order", "", ""},
		{"KEN", "sign_only", "", "In order for signature only."},
		{"ESP", "provisional", "", "Presented; the Credentials Committee has not yet reported."},
		{"LIE", "transferred", "CHE", "Powers transferred to the delegation of Switzerland."},
	} {
		if _, err := svc.Participation.RecordCredentials(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), c.code, participation.CredentialsInput{State: c.state, Proxy: c.proxy, Note: c.note}); err != nil {
			return fmt.Errorf("demo: WCIT-12 credentials of %s: %w", c.code, err)
		}
	}
	if err := registerAll(ctx, svc, sec, f.Slug, users, []reg{
		{login: "secretariat", role: "secretariat", affiliation: "ITU General Secretariat"},
		{login: "chair", party: "ARE", role: "chair"},
		{login: "member_state", party: "BRA", role: "delegate", affiliation: "Ministry of Communications"},
		{login: "sector_member", party: "EXTEL", role: "delegate"},
		// The WCIT route for civil society: an adviser inside a national delegation, who says so.
		{login: "civil_society", party: "BRA", role: "adviser", affiliation: "Civil Society Example Network", background: rules.GroupCivilSociety},
	}); err != nil {
		return err
	}
	if _, err := svc.Participation.AppointOfficer(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), "plenary", participation.OfficerInput{Email: users["chair"].Email, Office: participation.OfficeChair}); err != nil {
		return fmt.Errorf("demo: WCIT-12 chair: %w", err)
	}
	return nil
}

// loadIGF creates an IGF-style demo forum: every stakeholder group on an
// equal footing, in the room and remotely; counts of participants public.
func loadIGF(ctx context.Context, svc *app.App, users map[string]account.User) error {
	if exists, err := forumExists(ctx, svc, IGFSlug); exists || err != nil {
		return err
	}
	sec := actorOf(users["secretariat"])
	pub := true
	f, err := svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{
		Slug: IGFSlug, Title: "IGF 2014: Ninth Internet Governance Forum", Kind: forum.KindOpenForum,
		StartsOn: "2014-09-02", EndsOn: "2014-09-05", Venue: "Istanbul", Languages: []string{"en"},
		DocPrefix: "IGF-2014", DefaultPublic: &pub,
		Description: "The UN's open, non-decisional multistakeholder forum: governments, the private sector, civil society, the technical and academic community and IGOs on an equal footing, with remote hubs and an open microphone.",
	})
	if err != nil {
		return fmt.Errorf("demo: IGF 2014: %w", err)
	}
	if _, err := svc.Participation.ChoosePreset(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), rules.PresetMultistakeholderEqual); err != nil {
		return fmt.Errorf("demo: IGF 2014 rules: %w", err)
	}
	if _, err := svc.Kernel.CreateBody(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: "main", Name: "Main session", Kind: "plenary"}); err != nil {
		return fmt.Errorf("demo: IGF 2014 body: %w", err)
	}
	orgs := withGroup(organisations, map[string]string{rules.GroupSectorMember: rules.GroupPrivateSector})
	if err := importParties(ctx, svc, sec, f.Slug, participation.MembershipToday, []string{"BRA", "TUR", "USA", "KEN", "IND"}, orgs); err != nil {
		return err
	}
	return registerAll(ctx, svc, sec, f.Slug, users, []reg{
		{login: "secretariat", role: "secretariat", affiliation: "IGF Secretariat"},
		{login: "chair", party: "TUR", role: "chair"},
		{login: "member_state", party: "BRA", role: "delegate", affiliation: "Ministry of Communications"},
		{login: "sector_member", party: "EXTEL", role: "delegate", mode: "remote"},
		{login: "civil_society", party: "CSNET", role: "delegate", mode: "remote"},
	})
}
