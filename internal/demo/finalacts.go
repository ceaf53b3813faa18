package demo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// The final acts demo. In WCIT-12's plenary of 13 December 2012 the
// revised International Telecommunication Regulations (a few of their
// articles) and Resolution PLEN/3 are adopted; the secretariat assembles
// them as the Final Acts, sets the cut-off for declarations and
// reservations and opens them for signature on 14 December 2012. Six
// declarations and reservations are deposited (one joint, one additional,
// answering earlier numbers); 89 of the 144 eligible Member States sign
// and 55 do not. The record gives those totals and names some of the
// States that did not sign (the United States, the United Kingdom,
// Sweden, Canada, Poland, the Netherlands, Denmark, Kenya, New Zealand,
// Costa Rica, the Czech Republic and the other members of the European
// Union); the rest of the split, and the wording of the declarations, are
// illustrative, and the final acts' note says so. At NETmundial, civil
// society's closing statement of dissent is kept with the forum.

// WCITFinalActsTitle is the title of the demo's WCIT-12 Final Acts.
const WCITFinalActsTitle = "Final Acts of the World Conference on International Telecommunications (Dubai, 2012)"

// WCITFinalActsNumber is the document number the demo's WCIT-12 Final
// Acts get (the demo's tests check it).
const WCITFinalActsNumber = "WCIT-12/5"

// WCITFinalActsNote is the note of the final acts' text: it says what is
// illustrative.
const WCITFinalActsNote = "Demonstration data. The Final Acts were signed by 89 of the 144 eligible Member States on 14 December 2012; " +
	"the United States, the United Kingdom, Sweden, Canada, Poland, the Netherlands, Denmark, Kenya, New Zealand, Costa Rica, " +
	"the Czech Republic and the other members of the European Union did not sign. The rest of the split shown here is illustrative, " +
	"as is the wording of the declarations and reservations; the text is an extract of the revised Regulations."

// Totals of the WCIT-12 Final Acts.
const (
	WCITEligible  = 144
	WCITSigned    = 89
	WCITNotSigned = 55
)

// WCITNamedNonSigners are the Member States the record names as not
// signing the WCIT-12 Final Acts: the first announcements after the vote
// of 13 December, and the members of the European Union (Spain, an EU
// member, is not eligible in the demo: its credentials are provisional).
var WCITNamedNonSigners = []string{"USA", "GBR", "SWE", "CAN", "POL", "NLD", "DNK", "KEN", "NZL", "CRI", "CZE",
	"AUT", "BEL", "BGR", "CYP", "DEU", "EST", "FIN", "FRA", "GRC", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "PRT", "ROU", "SVK", "SVN"}

// wcitOtherNonSigners complete the illustrative 55: the delegations the
// vote demo has against or abstaining that are not named above, Egypt and
// Qatar (named by early reports), and a few others.
var wcitOtherNonSigners = []string{"AUS", "CHE", "CHL", "COL", "ISL", "JPN", "NOR", "IND", "PER", "PHL", "SRB", "MNE", "QAT", "EGY",
	"ALB", "AND", "ARM", "GEO", "MDA", "MHL", "MNG", "MWI", "UGA", "ZMB"}

// wcitSignersFirst are Member States that signed, made eligible first when
// the signers are completed, before the others in the order of their codes.
var wcitSignersFirst = []string{"RUS", "CHN", "SAU", "IRN", "ARE", "BRA", "DZA", "NGA", "ZAF", "IDN", "MYS", "TUR", "MEX", "CUB", "VEN",
	"URY", "THA", "VNM", "PAK", "SDN", "MAR", "TUN", "OMN", "KWT", "BHR", "JOR", "IRQ", "ARG", "KOR"}

// wcitSubjectToRatification sign subject to ratification (illustrative).
var wcitSubjectToRatification = []string{"ARG", "MEX", "URY", "ZAF", "TUR"}

// WCITAdoptionMeeting is the number of the plenary that adopts the texts.
const WCITAdoptionMeeting = "PL-13DEC"

// WCITHeadEmail is the e-mail address of the WCIT-12 demo head of
// delegation of the Member State of the given code (its password is
// WCITDelegatePassword).
func WCITHeadEmail(code string) string {
	return "wcit.head." + strings.ToLower(code) + "@demo.plenary.example"
}

const itrsText = `# International Telecommunication Regulations (Dubai, 2012): extracts

## Article 1 — Purpose and scope of the Regulations

1.1 These Regulations establish general principles which relate to the provision and operation of international telecommunication services offered to the public, as well as to the underlying international telecommunication transport means used to provide such services.

1.2 In implementing the principles of these Regulations, Member States should foster the development of international telecommunication services and their availability to the public.

## Article 3 — International network

3.1 Member States shall endeavour to ensure that sufficient telecommunication facilities are provided to meet requirements of and demand for international telecommunication services.

3.2 Member States shall endeavour to ensure that international numbering resources are used only by the assignees and only for the purposes for which they were assigned.

## Article 5 — Security and robustness of networks

5.1 Member States shall individually and collectively endeavour to ensure the security and robustness of international telecommunication networks in order to achieve effective use thereof and avoidance of technical harm thereto.

## Article 6 — Unsolicited bulk electronic communications

6.1 Member States should endeavour to take necessary measures to prevent the propagation of unsolicited bulk electronic communications and minimize its impact on international telecommunication services.
`

const resolutionText = `# Resolution PLEN/3 (Dubai, 2012): To foster an enabling environment for the greater growth of the Internet

*recognizing*

a) that the Internet has become a central element of the infrastructure of the information society;

*resolves to invite Member States*

1. to elaborate on their respective positions on international Internet-related technical, development and public-policy issues within the mandate of ITU at various ITU forums;

*instructs the Secretary-General*

1. to continue to take the necessary steps for ITU to play an active and constructive role in the development of broadband and the multistakeholder model of the Internet.
`

func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2012, month, day, hour, minute, 0, 0, time.UTC)
}

func loadFinalActs(ctx context.Context, svc *app.App, users map[string]account.User) error {
	if err := loadWCITFinalActs(ctx, svc, users); err != nil {
		return err
	}
	return loadNETmundialStatement(ctx, svc, users)
}

// loadWCITFinalActs loads the WCIT-12 Final Acts, unless the forum has
// final acts already.
func loadWCITFinalActs(ctx context.Context, svc *app.App, users map[string]account.User) error {
	sec := scopeIn(ctx, svc.Kernel, actorOf(users["secretariat"]), WCITSlug)
	if exists, err := forumExists(ctx, svc, WCITSlug); !exists || err != nil {
		return err
	}
	if fas, err := svc.FinalActs.List(ctx, sec); err != nil || len(fas) > 0 {
		return err
	}
	fail := func(what string, err error) error { return fmt.Errorf("demo: WCIT-12 Final Acts, %s: %w", what, err) }

	texts, err := wcitAdoptedTexts(ctx, svc, users, sec)
	if err != nil {
		return fail("the adopted texts", err)
	}
	signers, nonSigners, err := wcitEligible(ctx, svc, sec)
	if err != nil {
		return fail("eligibility", err)
	}
	heads, err := wcitHeads(ctx, svc, sec, append(slices.Clone(signers), nonSigners...))
	if err != nil {
		return fail("heads of delegation", err)
	}

	clk := &demoClock{t: at(time.December, 13, 15, 0)}
	svc.FinalActs.SetClock(clk.now)
	defer svc.FinalActs.SetClock(nil)
	fa, err := svc.FinalActs.Assemble(ctx, sec, finalacts.AssembleInput{Title: WCITFinalActsTitle, Texts: texts, Visibility: "public", Note: WCITFinalActsNote})
	if err != nil {
		return fail("assembly", err)
	}
	key := map[string]string{} // provision label or name -> key
	for _, p := range fa.Provisions {
		key[p.DraftNumber+" "+p.Name] = p.Key
		key[p.Name] = p.Key
	}
	provisions := func(names ...string) ([]string, error) {
		var out []string
		for _, n := range names {
			k, ok := key[n]
			if !ok {
				return nil, fmt.Errorf("no provision %q in the final acts", n)
			}
			out = append(out, k)
		}
		return out, nil
	}
	when := func(t time.Time) finalacts.TimeInput { return finalacts.TimeInput{At: &t} }
	if _, err := svc.FinalActs.SetCutoff(ctx, sec, fa.ID, when(at(time.December, 14, 6, 0))); err != nil {
		return fail("the cut-off", err)
	}

	// Declarations and reservations, 13 December in the evening and the
	// night that followed.
	clk.until(at(time.December, 13, 17, 0))
	resolution := "resolves to invite Member States 1."
	for _, d := range []struct {
		by      string // the depositing head's party; "" the secretariat
		in      finalacts.DepositInput
		targets []string
	}{
		{"", finalacts.DepositInput{Kind: finalacts.KindDeclaration, Parties: []string{"AUT", "BEL", "DEU", "FRA", "ITA", "NLD", "POL", "SWE"},
			Text: "The delegations of the Member States above declare that they understand nothing in these Regulations, and in particular in Articles 5 and 6, " +
				"to apply to the content of communications or to the Internet, and that they will apply the Regulations consistently with their obligations on human rights. " +
				"(Illustrative wording, written for Plenary's demonstration.)"}, []string{"Article 5", "5.1", "Article 6", "6.1"}},
		{"RUS", finalacts.DepositInput{Kind: finalacts.KindReservation,
			Text: "The Russian Federation reserves the right to take any measures it considers necessary to protect its interests should any Member State fail to comply with these Regulations, " +
				"or should reservations by other Member States jeopardize its telecommunication services. (Illustrative wording, written for Plenary's demonstration.)"}, nil},
		{"IRN", finalacts.DepositInput{Kind: finalacts.KindReservation,
			Text: "The Islamic Republic of Iran reserves its right to take the measures it deems necessary should unilateral measures by any Member State impede its access to international telecommunication services. " +
				"(Illustrative wording, written for Plenary's demonstration.)"}, []string{"3.1"}},
		{"BRA", finalacts.DepositInput{Kind: finalacts.KindDeclaration,
			Text: "Brazil understands Resolution PLEN/3 as inviting all stakeholders, in their respective roles, to the discussion of Internet-related public-policy issues. " +
				"(Illustrative wording, written for Plenary's demonstration.)"}, []string{resolution}},
		{"USA", finalacts.DepositInput{Kind: finalacts.KindDeclaration,
			Text: "The United States declares that these Regulations do not apply to the Internet, nor to operating agencies that are not authorized or recognized to provide international telecommunication services to the public. " +
				"(Illustrative wording, written for Plenary's demonstration.)"}, []string{"1.1"}},
		{"", finalacts.DepositInput{Kind: finalacts.KindReservation, Additional: true, References: []int{1, 5}, Parties: []string{"RUS", "CHN", "SAU", "ARE"},
			Text: "Having taken note of Declarations Nos. 1 and 5, the delegations of the Member States above reserve the right of their Governments to take such measures as they consider necessary " +
				"should those declarations limit the application of these Regulations to their international telecommunication services. (Illustrative wording, written for Plenary's demonstration.)"}, nil},
	} {
		if d.in.Provisions, err = provisions(d.targets...); err != nil {
			return fail("a declaration", err)
		}
		who := sec
		if d.by != "" {
			who = scopeIn(ctx, svc.Kernel, heads[d.by], WCITSlug)
		}
		if _, err := svc.FinalActs.Deposit(ctx, who, fa.ID, d.in); err != nil {
			return fail("a declaration of "+d.by, err)
		}
		clk.pass(47 * time.Minute)
	}

	// Signature, on 14 December 2012 (11:00 to 18:00 in Dubai).
	if _, err := svc.FinalActs.OpenForSignature(ctx, sec, fa.ID, when(at(time.December, 14, 7, 0))); err != nil {
		return fail("the opening for signature", err)
	}
	clk.until(at(time.December, 14, 7, 5))
	// Brazil's head of delegation names its delegate (the member_state
	// login), who signs.
	braReg, err := approved(ctx, svc, sec, users["member_state"].ID)
	if err != nil {
		return fail("Brazil's delegate", err)
	}
	if _, err := svc.FinalActs.NameSigner(ctx, scopeIn(ctx, svc.Kernel, heads["BRA"], WCITSlug), fa.ID, finalacts.SignerInput{Registration: braReg.ID}); err != nil {
		return fail("Brazil's signer", err)
	}
	for _, code := range signers {
		who, state := heads[code], finalacts.Signed
		if code == "BRA" {
			who = actorOf(users["member_state"])
		}
		if slices.Contains(wcitSubjectToRatification, code) {
			state = finalacts.SignedSubjectToRatification
		}
		if _, err := svc.FinalActs.Sign(ctx, scopeIn(ctx, svc.Kernel, who, WCITSlug), fa.ID, finalacts.SignInput{State: state, Hash: fa.Hash}); err != nil {
			return fail("the signature of "+code, err)
		}
		clk.pass(2 * time.Minute)
	}
	// The United States declines on the record; the others do not sign.
	if _, err := svc.FinalActs.Sign(ctx, scopeIn(ctx, svc.Kernel, heads["USA"], WCITSlug), fa.ID, finalacts.SignInput{State: finalacts.Declined, Hash: fa.Hash,
		Note: "The United States announced on 13 December that it would not sign the revised Regulations."}); err != nil {
		return fail("the United States declining", err)
	}
	clk.until(at(time.December, 14, 14, 5))
	if _, err := svc.FinalActs.CloseForSignature(ctx, sec, fa.ID, when(at(time.December, 14, 14, 0))); err != nil {
		return fail("the close of signature", err)
	}
	return nil
}

// wcitAdoptedTexts adopts, by consensus in the plenary of 13 December
// 2012, the extract of the revised Regulations and Resolution PLEN/3, and
// returns them as the texts of the final acts. (The record of WCIT-12 has
// no consensus on either; the adoption here is illustrative.)
func wcitAdoptedTexts(ctx context.Context, svc *app.App, users map[string]account.User, sec *forum.Scope) ([]finalacts.TextInput, error) {
	chair := scopeIn(ctx, svc.Kernel, actorOf(users["chair"]), WCITSlug)
	chairReg, err := approved(ctx, svc, sec, users["chair"].ID)
	if err != nil {
		return nil, err
	}
	m, err := svc.Meetings.ScheduleMeeting(ctx, sec, meetings.MeetingInput{Body: "plenary", Number: WCITAdoptionMeeting,
		Title: "Plenary, 13 December 2012: adoption of the revised Regulations", Date: "2012-12-13", Start: "15:00", End: "19:00", Zone: "Asia/Dubai",
		Room: "Plenary hall, Dubai World Trade Centre", ChairRegistration: chairReg.ID, Access: meetings.AccessOpen})
	if err != nil {
		return nil, err
	}
	item, err := svc.Meetings.AddItem(ctx, chair, m.ID, meetings.ItemInput{Title: "Second reading of the revised Regulations and Resolution PLEN/3", Minutes: 180})
	if err != nil {
		return nil, err
	}
	if _, err := svc.Meetings.AdoptAgenda(ctx, chair, m.ID, "Adopted without objection."); err != nil {
		return nil, err
	}
	if _, err := svc.Meetings.ChangeState(ctx, chair, m.ID, "open", ""); err != nil {
		return nil, err
	}
	// The adoption is dated in the sitting (13 December 2012, 15:00 in
	// Dubai), as the final acts that follow it are.
	clk := &demoClock{t: at(time.December, 13, 11, 30)}
	svc.Decisions.SetClock(clk.now)
	defer svc.Decisions.SetClock(nil)
	var out []finalacts.TextInput
	for _, src := range []string{itrsText, resolutionText} {
		dt, err := svc.Drafting.CreateDraft(ctx, sec, drafting.DraftInput{Text: src, Visibility: "public", Body: "plenary", IssuedOn: "2012-12-13"})
		if err != nil {
			return nil, err
		}
		d, err := svc.Decisions.OpenConsensus(ctx, chair, decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: m.ID, Item: item.ID,
			Title: "Adoption of " + dt.Title, Subject: decisions.SubjectInput{Kind: decide.OnRevision, Draft: dt.ID},
			Note: "Illustrative: the adoption of the texts by consensus is written for Plenary's demonstration."}})
		if err != nil {
			return nil, err
		}
		clk.pass(time.Minute)
		if _, err := svc.Decisions.CloseConsensus(ctx, chair, d.ID, decisions.FindingInput{Finding: decide.FoundAdopted}); err != nil {
			return nil, err
		}
		out = append(out, finalacts.TextInput{Draft: dt.ID})
	}
	if _, err := svc.Meetings.ChangeState(ctx, chair, m.ID, "adjourn", ""); err != nil {
		return nil, err
	}
	if _, err := svc.Meetings.ChangeState(ctx, chair, m.ID, "close", ""); err != nil {
		return nil, err
	}
	return out, nil
}

// wcitEligible makes 144 Member States eligible to sign: those eligible
// already, the 55 that do not sign, and signers to make up 89 (those of
// wcitSignersFirst, then the others in the order of their codes), each
// with credentials in order unless it has credentials that let it sign.
// It returns the signers and the non-signers, each in the order of codes.
func wcitEligible(ctx context.Context, svc *app.App, sec *forum.Scope) (signers, nonSigners []string, err error) {
	nonSigners = append(slices.Clone(WCITNamedNonSigners), wcitOtherNonSigners...)
	sort.Strings(nonSigners)
	if len(nonSigners) != WCITNotSigned || len(slices.Compact(slices.Clone(nonSigners))) != WCITNotSigned {
		return nil, nil, fmt.Errorf("the non-signers are %d, not %d", len(nonSigners), WCITNotSigned)
	}
	parties, err := svc.Participation.Parties(ctx, sec)
	if err != nil {
		return nil, nil, err
	}
	byCode := map[string]participation.Party{}
	for _, p := range parties {
		byCode[p.Code] = p
	}
	signs := func(p participation.Party) bool {
		return p.Active() && (p.Credentials == rules.CredentialsInOrder || p.Credentials == rules.CredentialsSignOnly)
	}
	chosen := map[string]bool{}
	for _, c := range nonSigners {
		chosen[c] = true
	}
	for _, p := range parties {
		if p.Group == rules.GroupMemberState && signs(p) && !chosen[p.Code] {
			signers = append(signers, p.Code)
			chosen[p.Code] = true
		}
	}
	var codes []string
	for _, p := range parties {
		if p.Group == rules.GroupMemberState && p.Active() && p.Credentials != rules.CredentialsTransferred && p.Credentials != rules.CredentialsProvisional {
			codes = append(codes, p.Code)
		}
	}
	sort.Strings(codes)
	for _, c := range append(slices.Clone(wcitSignersFirst), codes...) {
		if len(signers) >= WCITSigned {
			break
		}
		if _, ok := byCode[c]; ok && !chosen[c] {
			signers = append(signers, c)
			chosen[c] = true
		}
	}
	if len(signers) != WCITSigned {
		return nil, nil, fmt.Errorf("%d Member States may sign besides the non-signers, not %d", len(signers), WCITSigned)
	}
	sort.Strings(signers)
	for _, c := range append(slices.Clone(signers), nonSigners...) {
		p, ok := byCode[c]
		if !ok {
			return nil, nil, fmt.Errorf("no Member State %s", c)
		}
		if !signs(p) {
			if _, err := svc.Participation.RecordCredentials(ctx, sec, c, participation.CredentialsInput{State: string(rules.CredentialsInOrder)}); err != nil {
				return nil, nil, fmt.Errorf("credentials of %s: %w", c, err)
			}
		}
	}
	return signers, nonSigners, nil
}

// wcitHeads registers a head of delegation for each party (in one
// import), with an account of its own, wcit.head.<code>@demo.plenary.example.
func wcitHeads(ctx context.Context, svc *app.App, sec *forum.Scope, codes []string) (map[string]forum.Actor, error) {
	out := map[string]forum.Actor{}
	// These accounts share one public password: hashed at the cheap cost
	// account.FastParams is for, as the WCIT-12 delegates' are.
	people := account.NewService(svc.Kernel, account.FastParams)
	var rows []participation.RegistrationRow
	for _, c := range codes {
		p, err := sec.Party(ctx, c)
		if err != nil {
			return out, err
		}
		u, err := demoPersonWith(ctx, people, WCITHeadEmail(c), "Head of the delegation of "+p.Name, WCITDelegatePassword)
		if err != nil {
			return out, err
		}
		out[c] = actorOf(u)
		rows = append(rows, participation.RegistrationRow{Row: len(rows) + 1, RegistrationInput: participation.RegistrationInput{
			Email: u.Email, Party: c, Role: string(rules.RoleHeadOfDelegation), Mode: "in_room"}})
	}
	if _, err := svc.Participation.ImportRegistrations(ctx, sec, rows); err != nil {
		return out, err
	}
	return out, nil
}

// NETmundialClosingAuthor is the civil-society participant whose closing
// statement of dissent the NETmundial demo keeps.
const NETmundialClosingAuthor = "civil_society"

// NETmundialClosingText is the text of that closing statement.
const NETmundialClosingText = "Civil society participants welcome the openness of this meeting, but cannot support its outcome as it stands: " +
	"the statement leaves out net neutrality, says too little about mass surveillance, and was finished in a drafting room where we could watch but not speak. " +
	"We ask that this dissent be kept with the outcome. (Illustrative wording, written for Plenary's demonstration.)"

// loadNETmundialStatement files civil society's closing statement of
// dissent on NETmundial as a whole, on 24 April 2014, unless the forum has
// statements already.
func loadNETmundialStatement(ctx context.Context, svc *app.App, users map[string]account.User) error {
	if exists, err := forumExists(ctx, svc, NETmundialSlug); !exists || err != nil {
		return err
	}
	cs := scopeIn(ctx, svc.Kernel, actorOf(users[NETmundialClosingAuthor]), NETmundialSlug)
	if ss, err := svc.FinalActs.Statements(ctx, cs, finalacts.TargetInput{}); err != nil || len(ss) > 0 {
		return err
	}
	clk := &demoClock{t: time.Date(2014, time.April, 24, 21, 30, 0, 0, time.UTC)}
	svc.FinalActs.SetClock(clk.now)
	defer svc.FinalActs.SetClock(nil)
	if _, err := svc.FinalActs.FileStatement(ctx, cs, finalacts.StatementInput{Kind: finalacts.ClosingStatement,
		Target: finalacts.TargetInput{Kind: finalacts.OnForum}, Text: NETmundialClosingText}); err != nil {
		return fmt.Errorf("demo: NETmundial closing statement: %w", err)
	}
	return nil
}
