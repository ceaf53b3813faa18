package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// The consultation demo: NETmundial's draft outcome document, a short
// "NETmundial Multistakeholder Statement" with its two sections (Internet
// governance principles, and a roadmap), written for the demo (it is not
// the real statement's text), with a comment period open to the public
// from 3 to 8 April 2014, now closed. Its comments are synthetic: written
// by the demo from templates with a fixed seed, by made-up commenters of
// the six stakeholder groups, on provisions, words in them, the text as a
// whole and what is missing. Forty of them are one campaign (one letter
// with small changes), fifteen of those sent within minutes from one
// network address, so that the secretariat sees the signs of
// fabrication. The period was extended once, at the request of
// stakeholders, and closed by the secretariat when the compilation began.
// Two abusive comments are hidden; a third, hidden at first, was shown
// again. The secretariat issued a
// second revision that acted on some comments, and gave a disposition to
// every comment but a few, linking those it acted on to the revision's
// provisions; the campaign has one disposition for all its members.
//
// The period has an opinion map: a statement seeded from each provision,
// and four statements from participants, one of them rejected. Its votes
// are synthetic too (opinionDemoVotes): 150 voters, 25 of each stakeholder
// group, drawn with a fixed seed from three planted currents of opinion,
// and loaded as one imported conversation held on the map's statements.

// ConsultationDraftTitle is the title of NETmundial's demo draft.
const ConsultationDraftTitle = "NETmundial Multistakeholder Statement (draft)"

// The demo consultation's numbers, for its tests and the look list.
const (
	ConsultationComments   = 300 // every comment, the campaign's included
	ConsultationCampaign   = 40  // the campaign's comments
	ConsultationBurst      = 15  // of those, sent from one address within minutes
	ConsultationHidden     = 2
	ConsultationUnanswered = 9 // comments left without a disposition
)

const consultationDraftText = `# NETmundial Multistakeholder Statement (draft)

## Internet governance principles

1. Human rights and shared values: the rights that people have offline must also be protected online.

2. Protection of intermediaries: intermediaries should not be held liable for content they do not create.

3. Culture and linguistic diversity: Internet governance should respect and promote cultural and linguistic diversity.

4. Unified and unfragmented space: the Internet should remain one globally coherent, interconnected, stable and secure network.

5. Security, stability and resilience: all stakeholders share responsibility for the security and resilience of the Internet.

6. Open and distributed architecture: the Internet should remain an open, distributed and end-to-end network.

7. Process principles: Internet governance should be multistakeholder, open, participative, transparent, accountable and inclusive.

## Roadmap for the future evolution of the Internet governance ecosystem

8. The Internet Governance Forum should be strengthened, with stable funding and tangible outcomes.

9. The globalisation of the IANA functions should be completed, accountable to the global multistakeholder community.

10. Mass and arbitrary surveillance undermines trust in the Internet; the collection of personal data should respect international human rights law.

11. Capacity building should support the participation of stakeholders from developing countries.
`

// consultationTopics name what each operative provision of the draft is
// about, in order, for the comments' templates.
var consultationTopics = []string{"human rights", "the protection of intermediaries", "linguistic diversity", "an unfragmented Internet",
	"security and resilience", "the open architecture", "the process principles", "the Internet Governance Forum",
	"the IANA functions", "surveillance", "capacity building"}

// consultationRevised are the operative provisions (0-based, in order)
// the second revision rewords, with their new text.
var consultationRevised = map[int]string{
	1:  "Protection of intermediaries: intermediaries should not be held liable for content they do not create, in a way that respects and promotes human rights.",
	6:  "Process principles: Internet governance should be multistakeholder, open, participative, consensus-driven, transparent, accountable and inclusive, with remote participation on equal terms.",
	7:  "The Internet Governance Forum should be strengthened, with stable and predictable funding, intersessional work and tangible outcomes.",
	9:  "Mass and arbitrary surveillance undermines trust in the Internet; the collection and processing of personal data by state and non-state actors should respect international human rights law.",
	10: "Capacity building and funding should support the meaningful participation of stakeholders from developing countries, remote participation included.",
}

// consultationOrgs are the made-up organisations of each stakeholder
// group's commenters.
var consultationOrgs = map[string][]string{
	"government":          {"Ministry of Communications of Arcadia", "Telecommunications Regulator of Borduria", "Ministry of Foreign Affairs of Syldavia", "Digital Agency of Freedonia", "Ministry of Science of Genovia", consultation.Individual},
	"private_sector":      {"Example Telecom", "Northwind Hosting", "Contoso Networks", "Globex Cloud", "Initech Mobile", "Acme Registry Services"},
	"civil_society":       {"Open Net Alliance", "Digital Rights Watch", "Coalition for an Inclusive Internet", "Rural Connectivity Network", "Privacy First Association", consultation.Individual},
	"technical_community": {"Example Network Operators' Group", "Example Regional Internet Registry", "Open Standards Working Circle", "Example Root Server Operator", "Community Network Engineers", consultation.Individual},
	"academia":            {"University of Example, Centre for Internet Studies", "Institute for Digital Policy", "School of Law, Example University", "Media Studies Department, Example College", "Network Research Lab", consultation.Individual},
	"igo":                 {"Example Regional Development Bank", "Intergovernmental Telecommunications Organisation", "Regional Economic Commission", "International Cultural Organisation", "Regional Broadcasting Union", "Development Programme Office"},
}

var consultationGroups = []string{"government", "private_sector", "civil_society", "technical_community", "academia", "igo"}

var (
	commentOpeners = []string{"We welcome the text on %s.", "We support the reference to %s.", "We have concerns about the wording on %s.",
		"The paragraph on %s is a good start but too vague.", "On %s, the draft goes further than we can accept.", "We read the text on %s with interest.",
		"The draft is right to address %s.", "Our members asked us to comment on %s."}
	commentReasons = []string{"It should say who is responsible for acting on it.", "Without a clear commitment it will not change practice.",
		"The wording is stronger than what was agreed at the World Summit on the Information Society.", "Developing countries need this to be concrete.",
		"Users in our region depend on it every day.", "It risks being read as a mandate for new regulation.",
		"It must be consistent with international human rights law.", "Small operators cannot carry the cost this implies."}
	commentAsks = []string{"Please add a reference to measurable follow-up.", "We suggest shorter wording that all can accept.",
		"We ask that the paragraph be kept as it is.", "We propose to delete the second half of the sentence.",
		"We ask for a reference to the rule of law.", "Please mention remote participation explicitly.", "The roadmap should give a date.",
		"We would add the word \"meaningful\"."}
	commentClosings = []string{"", " We are ready to help draft a better text.", " This comment is made on behalf of our members.", " Thank you for the open process."}
	wholeOpeners    = []string{"The statement as a whole is balanced.", "The statement is too long for a non-binding outcome.",
		"As a whole, the draft reflects the contributions received.", "The statement should be clearer about what happens next.",
		"Overall the draft is weaker than the contributions asked for."}
	missingTopics = []struct{ topic, proposed string }{
		{"net neutrality", "Net neutrality: Internet traffic should be treated without discrimination, as a principle of an open Internet."},
		{"jurisdiction", "Jurisdiction: the roadmap should address questions of jurisdiction over services offered across borders."},
		{"gender equality", "Gender: Internet governance should promote the participation of women and girls in every stakeholder group."},
		{"accessibility", "Accessibility: the Internet should be accessible to persons with disabilities."},
		{"the rights of the child", "Children: the statement should address the protection and the rights of children online."},
	}
	dispositionReasons = map[consultation.Outcome][]string{
		consultation.Accepted:       {"The second revision takes the point.", "The provision was reworded as asked.", "Agreed; the revision says so."},
		consultation.AcceptedInPart: {"Part of the proposal is in the second revision; the rest did not find support.", "The revision adds the idea in shorter words."},
		consultation.Noted:          {"Noted for the discussion in São Paulo.", "The point is already covered by the process principles.", "Noted; other comments asked for the opposite."},
		consultation.NotAccepted:    {"Other stakeholders asked to keep the agreed wording.", "The statement is non-binding and does not go into this detail."},
		consultation.OutOfScope:     {"This concerns national law, outside the scope of the statement.", "The comment raises no point on the text."},
	}
	campaignTowns = []string{"Recife", "Natal", "Belém", "Manaus", "Curitiba", "Salvador", "Fortaleza", "Palmas", "Goiânia", "Campinas",
		"Londrina", "Maceió", "Teresina", "Santos", "Niterói", "Olinda", "Cuiabá", "Vitória", "Joinville", "Aracaju"}
)

// campaignLetter is the campaign's letter, with its small changes (at
// three words: the town, one word in each sentence).
func campaignLetter(i int) string {
	verb := []string{"ask", "urge"}[i%2]
	please := []string{"Please", "Kindly"}[i/3%2]
	return fmt.Sprintf("As an Internet user from %s, I %s NETmundial to protect net neutrality and to keep the Internet free and open, governed by all of its stakeholders. %s add net neutrality to the principles.",
		campaignTowns[i%len(campaignTowns)], verb, please)
}

// consultationClock is the demo consultation's time, moved on by hand.
type consultationClock struct{ t time.Time }

func (c *consultationClock) now() time.Time { return c.t }

// loadNETmundialConsultation loads the demo consultation once: when the
// forum has no comment period yet.
func loadNETmundialConsultation(ctx context.Context, svc *app.App, users map[string]account.User) error {
	sec := actorOf(users["secretariat"])
	sc := scopeIn(ctx, svc.Kernel, sec, NETmundialSlug)
	fail := func(what string, err error) error {
		return fmt.Errorf("demo: NETmundial consultation, %s: %w", what, err)
	}
	ps, err := svc.Consultation.Periods(ctx, sc, consultation.PeriodFilter{})
	if err != nil {
		return fail("periods", err)
	}
	if len(ps) > 0 {
		return nil
	}
	clock := &consultationClock{t: time.Date(2014, 4, 3, 9, 0, 0, 0, time.UTC)}
	svc.Consultation.SetClock(clock.now)
	defer svc.Consultation.SetClock(nil)

	d, err := svc.Drafting.CreateDraft(ctx, sc, drafting.DraftInput{Text: consultationDraftText, Body: "plenary", Visibility: "public",
		IssuedOn: "2014-04-03", Languages: []string{"en"},
		Note: "This text was written for Plenary's demonstration. It is not the text of the real NETmundial statement, and it quotes no one."})
	if err != nil {
		return fail("the draft", err)
	}
	rv, err := svc.Drafting.DraftRevision(ctx, sc, d.ID, 1)
	if err != nil {
		return fail("the draft's text", err)
	}
	var provs []text.Provision // the operative provisions, in order
	for _, p := range rv.Text.Provisions {
		if p.Kind != text.KindHeading {
			provs = append(provs, p)
		}
	}
	if len(provs) != len(consultationTopics) {
		return fail("the draft's provisions", fmt.Errorf("%d, not %d", len(provs), len(consultationTopics)))
	}
	p, err := svc.Consultation.OpenPeriod(ctx, sc, consultation.PeriodInput{Draft: d.ID, Revision: 1, Public: true,
		Title:  "Public comment on the draft statement (its comments were generated for Plenary's demonstration)",
		Closes: time.Date(2014, 4, 8, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		return fail("the comment period", err)
	}

	// The opinion map, seeded from the provisions.
	if err := svc.Consultation.EnableOpinionMap(ctx, sc, p.ID); err != nil {
		return fail("the opinion map", err)
	}
	if _, err := svc.Consultation.SeedStatements(ctx, sc, p.ID, nil); err != nil {
		return fail("the opinion map's statements", err)
	}

	// The commenters: six of each stakeholder group, and the campaign's
	// supporters. Their passwords protect nothing (they are never given),
	// so they are hashed at the cheap cost.
	people := account.NewService(svc.Kernel, account.FastParams)
	type commenter struct {
		actor      forum.Actor
		group, org string
		address    string
	}
	var commenters []commenter
	for gi, g := range consultationGroups {
		for j, org := range consultationOrgs[g] {
			n := gi*6 + j + 1
			u, err := demoPersonWith(ctx, people, fmt.Sprintf("commenter-%d@demo.plenary.example", n), fmt.Sprintf("Commenter %d (%s)", n, strings.ReplaceAll(g, "_", " ")), plenary.NewID())
			if err != nil {
				return fail("a commenter", err)
			}
			commenters = append(commenters, commenter{actorOf(u), g, org, fmt.Sprintf("198.51.100.%d", n)})
		}
	}
	var supporters []forum.Actor
	for i := range ConsultationCampaign {
		u, err := demoPersonWith(ctx, people, fmt.Sprintf("supporter-%d@demo.plenary.example", i+1), fmt.Sprintf("Supporter %d", i+1), plenary.NewID())
		if err != nil {
			return fail("a supporter", err)
		}
		supporters = append(supporters, actorOf(u))
	}

	rng := rand.New(rand.NewPCG(2014, 423))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	submit := func(a forum.Actor, in consultation.CommentInput) (consultation.Comment, error) {
		return svc.Consultation.SubmitComment(ctx, scopeIn(ctx, svc.Kernel, a, NETmundialSlug), p.ID, in)
	}
	// Five days of comments; the campaign arrives in the middle, its
	// burst within minutes.
	others := ConsultationComments - ConsultationCampaign
	step := 5 * 24 * time.Hour / time.Duration(ConsultationComments+10)
	campaignAt := others / 2
	var abusive []string
	var harsh string
	for i := range others {
		if i == others*3/4 {
			clock.t = clock.t.Add(time.Hour)
			if _, err := svc.Consultation.ExtendPeriod(ctx, sc, p.ID, consultation.ExtendInput{Closes: time.Date(2014, 4, 9, 23, 59, 0, 0, time.UTC),
				Reason: "Stakeholders in Asia and the Pacific asked for more time; the period stays open until the compilation must begin."}); err != nil {
				return fail("the extension", err)
			}
		}
		if i == campaignAt {
			for k, a := range supporters {
				addr := fmt.Sprintf("192.0.2.%d", k+1)
				if k < ConsultationBurst {
					addr = "203.0.113.7"
					clock.t = clock.t.Add(20 * time.Second)
				} else {
					clock.t = clock.t.Add(step / 2)
				}
				if _, err := submit(a, consultation.CommentInput{Group: "civil_society", Organisation: consultation.Individual,
					Target: consultation.TargetWhole, Text: campaignLetter(k), Address: addr}); err != nil {
					return fail("a campaign comment", err)
				}
			}
		}
		clock.t = clock.t.Add(step/2 + time.Duration(rng.Int64N(int64(step))))
		who := commenters[rng.IntN(len(commenters))]
		in := consultation.CommentInput{Group: who.group, Organisation: who.org, Address: who.address}
		k := rng.IntN(len(provs))
		body := fmt.Sprintf(pick(commentOpeners), consultationTopics[k]) + " " + pick(commentReasons) + " " + pick(commentAsks) + pick(commentClosings)
		switch r := rng.IntN(100); {
		case i == 37 || i == 191:
			in.Target, in.Text = consultation.TargetWhole, "This whole statement is worthless and so are the people who wrote it."
			if i == 191 {
				in.Text = "Nobody should listen to the idiots running this process."
			}
		case i == 120:
			in.Target, in.Text = consultation.TargetWhole, "This process is a farce run by insiders, and the roadmap is empty. Say who decides what, and when."
		case r < 55:
			in.Target, in.Provision, in.Text = consultation.TargetProvision, provs[k].ID, body
		case r < 75:
			words := strings.Fields(provisionText(provs[k]))
			start := 1 + rng.IntN(max(1, len(words)-5))
			in.Target, in.Provision, in.Quote = consultation.TargetSpan, provs[k].ID, strings.Join(words[start:min(len(words), start+3)], " ")
			in.Text = fmt.Sprintf("The words \"%s\" need to change. %s %s", in.Quote, pick(commentReasons), pick(commentAsks))
		case r < 88:
			in.Target, in.Text = consultation.TargetWhole, pick(wholeOpeners)+" "+pick(commentReasons)+" "+pick(commentAsks)+pick(commentClosings)
		default:
			m := missingTopics[rng.IntN(len(missingTopics))]
			after := provs[6] // after the principles
			if rng.IntN(2) == 0 {
				after = provs[len(provs)-1] // at the end of the roadmap
			}
			in.Target, in.Provision, in.Proposed = consultation.TargetMissing, after.ID, m.proposed
			in.Text = fmt.Sprintf("The draft says nothing about %s. %s We propose a new paragraph.", m.topic, pick(commentReasons))
		}
		if i == others/3 {
			if err := participantStatements(ctx, svc, p.ID, sc, func(group string) forum.Actor {
				for _, c := range commenters {
					if c.group == group {
						return c.actor
					}
				}
				return who.actor
			}); err != nil {
				return fail("the opinion map's participant statements", err)
			}
		}
		c, err := submit(who.actor, in)
		if err != nil && in.Target == consultation.TargetSpan && plenary.ErrorCode(err) == plenary.CodeInvalid {
			// Words that occur twice in the provision: comment on it whole.
			in.Target, in.Quote = consultation.TargetProvision, ""
			c, err = submit(who.actor, in)
		}
		if err != nil {
			return fail(fmt.Sprintf("comment %d", i+1), err)
		}
		if i == 37 || i == 191 {
			abusive = append(abusive, c.Ref)
		}
		if i == 120 {
			harsh = c.Ref
		}
	}
	// The secretariat closes the period when the compilation begins, and
	// hides the abusive comments; one, hidden at first, is shown again: it
	// is harsh about the process, not abusive of anyone.
	clock.t = time.Date(2014, 4, 9, 18, 0, 0, 0, time.UTC)
	if _, err := svc.Consultation.ClosePeriod(ctx, sc, p.ID); err != nil {
		return fail("closing the period", err)
	}
	for _, ref := range append(abusive, harsh) {
		if _, err := svc.Consultation.HideComment(ctx, sc, ref, "Abusive language; it raises no point on the text."); err != nil {
			return fail("hiding "+ref, err)
		}
	}
	if _, err := svc.Consultation.UnhideComment(ctx, sc, harsh); err != nil {
		return fail("showing "+harsh+" again", err)
	}

	// The opinion map's votes.
	if _, err := svc.Consultation.ImportConversation(ctx, sc, p.ID, opinionDemoVotes()); err != nil {
		return fail("the opinion map's votes", err)
	}

	// The second revision, acting on some comments: the chair holds the
	// pen.
	if err := chairHoldsThePen(ctx, svc, sec, sc.Forum, actorOf(users["chair"])); err != nil {
		return err
	}
	var decisions []text.Decision
	for k := range provs {
		if t, ok := consultationRevised[k]; ok {
			decisions = append(decisions, text.Decision{Action: text.ActCompromise, ProvisionID: provs[k].ID, Text: t,
				Note: "After the public comment period"})
		}
	}
	if _, err := svc.Drafting.IssueRevision(ctx, scopeIn(ctx, svc.Kernel, actorOf(users["chair"]), NETmundialSlug), d.ID, drafting.RevisionInput{Revision: 1, Decisions: decisions,
		Note: "After the public comment period: five provisions reworded in the light of the comments."}); err != nil {
		return fail("the second revision", err)
	}

	// Dispositions: every comment but the campaign's (answered as one)
	// and a few left unanswered.
	clock.t = time.Date(2014, 4, 14, 9, 0, 0, 0, time.UTC)
	sc = scopeIn(ctx, svc.Kernel, sec, NETmundialSlug) // a scope reads the draft texts once
	cs, err := svc.Consultation.Comments(ctx, sc, p.ID, consultation.CommentFilter{})
	if err != nil {
		return fail("the comments", err)
	}
	camps, err := svc.Consultation.Campaigns(ctx, sc, p.ID)
	if err != nil {
		return fail("the campaigns", err)
	}
	inCampaign := map[int]bool{}
	var campaign consultation.Campaign
	for _, c := range camps {
		if c.Size >= ConsultationCampaign/2 {
			campaign = c
			for _, m := range c.Members {
				inCampaign[m] = true
			}
		}
	}
	if campaign.Size == 0 {
		return fail("the campaign", fmt.Errorf("not found among %d campaigns", len(camps)))
	}
	revised := map[string]bool{}
	for k := range consultationRevised {
		revised[provs[k].ID] = true
	}
	var candidates []consultation.Comment
	for _, c := range cs {
		if !inCampaign[c.Number] {
			candidates = append(candidates, c)
		}
	}
	unanswered := map[int]bool{}
	for len(unanswered) < ConsultationUnanswered {
		c := candidates[rng.IntN(len(candidates))]
		if !c.Hidden {
			unanswered[c.Number] = true
		}
	}
	for _, c := range candidates {
		if unanswered[c.Number] {
			continue
		}
		clock.t = clock.t.Add(3 * time.Minute)
		in := consultation.DispositionInput{}
		switch {
		case c.Hidden:
			in.Outcome = consultation.OutOfScope
		case revised[c.Provision] && c.Target != consultation.TargetMissing:
			in.Outcome = []consultation.Outcome{consultation.Accepted, consultation.AcceptedInPart}[rng.IntN(2)]
			in.Revision, in.Provision = 2, c.Provision
		default:
			in.Outcome = []consultation.Outcome{consultation.Noted, consultation.Noted, consultation.NotAccepted, consultation.OutOfScope}[rng.IntN(4)]
		}
		in.Reason = pick(dispositionReasons[in.Outcome])
		if _, err := svc.Consultation.Dispose(ctx, sc, c.Ref, in); err != nil {
			return fail("the disposition of "+c.Ref, err)
		}
	}
	if _, err := svc.Consultation.DisposeCampaign(ctx, sc, p.ID, campaign.ID, consultation.DispositionInput{Outcome: consultation.AcceptedInPart,
		Reason:   "Net neutrality did not find consensus as a principle; the process principles now say more about an open Internet governed by all.",
		Revision: 2, Provision: provs[6].ID}); err != nil {
		return fail("the campaign's disposition", err)
	}
	return nil
}

// provisionText is a provision's plain text.
func provisionText(p text.Provision) string {
	var b strings.Builder
	for _, part := range p.Body {
		b.WriteString(part.Text)
	}
	return b.String()
}

// The opinion map's statements from participants (written for the demo):
// the group of who submits each, its text, and the reason when the
// secretariat rejects it.
var opinionParticipantStatements = []struct{ group, text, rejected string }{
	{"civil_society", "Net neutrality should be one of the statement's principles.", ""},
	{"technical_community", "The roadmap should give a date for each of its steps.", ""},
	{"academia", "Remote participation should count as participation on equal terms.", ""},
	{"private_sector", "Everyone who disagrees with this statement is paid to do so.",
		"It attacks other participants and makes no point that one could vote on."},
}

// participantStatements submits the participants' statements and
// moderates them; actorOf gives a commenter of a stakeholder group.
func participantStatements(ctx context.Context, svc *app.App, periodID string, sec *forum.Scope, actorOf func(group string) forum.Actor) error {
	for _, ps := range opinionParticipantStatements {
		st, err := svc.Consultation.SubmitStatement(ctx, scopeIn(ctx, svc.Kernel, actorOf(ps.group), NETmundialSlug), periodID,
			consultation.StatementInput{Text: ps.text, Group: ps.group})
		if err != nil {
			return err
		}
		in := consultation.ModerationInput{Accept: ps.rejected == "", Reason: ps.rejected}
		if _, err := svc.Consultation.ModerateStatement(ctx, sec, periodID, st.Ref, in); err != nil {
			return err
		}
	}
	return nil
}

// The demo's opinion map: three planted currents of opinion, how likely a
// voter of each stakeholder group is to hold each, and how likely each
// current is to agree with each statement (S-1 to S-11 from the
// provisions, S-12 to S-14 from participants; S-15 was rejected).
// Consensus: human rights (S-1), linguistic diversity (S-3), capacity
// building (S-11); bridging: remote participation (S-14); a split between
// stakeholder groups: net neutrality (S-12), civil society for and the
// private sector against.
const (
	ConsultationVoters = 150 // the opinion map's synthetic voters, 25 of each stakeholder group
	opinionVotersEach  = ConsultationVoters / 6
)

var (
	opinionCurrentsOf = map[string][3]float64{ // rights first, states first, industry first
		"civil_society":       {0.85, 0.05, 0.10},
		"academia":            {0.65, 0.15, 0.20},
		"technical_community": {0.40, 0.05, 0.55},
		"private_sector":      {0.05, 0.10, 0.85},
		"government":          {0.10, 0.85, 0.05},
		"igo":                 {0.15, 0.75, 0.10},
	}
	opinionAgree = [][3]float64{
		{0.95, 0.85, 0.90}, // S-1 human rights: consensus
		{0.85, 0.15, 0.95}, // S-2 intermediaries
		{0.90, 0.85, 0.85}, // S-3 linguistic diversity: consensus
		{0.80, 0.40, 0.90}, // S-4 unfragmented
		{0.35, 0.95, 0.85}, // S-5 security
		{0.90, 0.20, 0.90}, // S-6 open architecture
		{0.95, 0.15, 0.70}, // S-7 process principles
		{0.85, 0.35, 0.45}, // S-8 the IGF
		{0.60, 0.10, 0.95}, // S-9 IANA
		{0.95, 0.10, 0.50}, // S-10 surveillance
		{0.90, 0.90, 0.85}, // S-11 capacity building: consensus
		{0.95, 0.45, 0.05}, // S-12 net neutrality: split
		{0.70, 0.90, 0.15}, // S-13 dates for the roadmap
		{0.90, 0.85, 0.90}, // S-14 remote participation: bridging
	}
)

// opinionDemoVotes are the map's synthetic votes, from a fixed seed: each
// voter holds one current, sees most statements, passes on some, and
// votes with the current's odds.
func opinionDemoVotes() consultation.ImportInput {
	in := consultation.ImportInput{Source: "netmundial-demo", Groups: map[string]string{}}
	for i := range opinionAgree {
		in.Statements = append(in.Statements, consultation.ImportStatement{External: fmt.Sprint(i + 1), Ref: consultation.StatementRef(i + 1)})
	}
	rng := rand.New(rand.NewPCG(2014, 424))
	for gi, g := range consultationGroups {
		for j := range opinionVotersEach {
			voter := fmt.Sprintf("v%03d", gi*opinionVotersEach+j+1)
			in.Groups[voter] = g
			odds, r, current := opinionCurrentsOf[g], rng.Float64(), 0
			for current < 2 && r >= odds[current] {
				r -= odds[current]
				current++
			}
			for si, agree := range opinionAgree {
				if rng.Float64() < 0.15 {
					continue // not seen
				}
				v := -1
				switch r := rng.Float64(); {
				case r < 0.08:
					v = 0
				case r < 0.08+0.92*agree[current]:
					v = 1
				}
				in.Votes = append(in.Votes, consultation.ImportVote{Voter: voter, Statement: fmt.Sprint(si + 1), Value: v})
			}
		}
	}
	return in
}

// NETmundialMapPath is the path of the page of the demo consultation's
// opinion map.
func NETmundialMapPath(ctx context.Context, svc *app.App) (string, error) {
	p, err := NETmundialPeriodPath(ctx, svc)
	if err != nil {
		return "", err
	}
	return p + "/map", nil
}

// NETmundialPeriodPath is the path of the demo consultation's comment
// period.
func NETmundialPeriodPath(ctx context.Context, svc *app.App) (string, error) {
	sc := scopeIn(ctx, svc.Kernel, forum.Anonymous, NETmundialSlug)
	ps, err := svc.Consultation.Periods(ctx, sc, consultation.PeriodFilter{})
	if err != nil {
		return "", err
	}
	if len(ps) == 0 {
		return "", fmt.Errorf("demo: NETmundial has no comment period")
	}
	return "/forums/" + NETmundialSlug + "/consultations/" + ps[0].ID, nil
}
