package finalacts_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// setup is a treaty conference with an adopted draft text and Member
// States whose credentials are in every state.
type setup struct {
	*fixture.Drafting
	FA      *finalacts.Service
	chair   forum.Actor
	m       meetings.Meeting
	adopted decisions.Decision
	heads   map[string]forum.Actor // by party code
	mu      sync.Mutex
	clock   time.Time
}

func (s *setup) in(t testing.TB, a forum.Actor) *forum.Scope {
	return fixture.In(t, s.Svc.Kernel, a, s.F.Slug)
}

func (s *setup) at(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = t
}

var (
	opens  = time.Date(2012, 12, 14, 10, 0, 0, 0, time.UTC)
	closes = time.Date(2012, 12, 14, 18, 0, 0, 0, time.UTC)
)

// adopt adopts draft by consensus in the open meeting.
func (s *setup) adopt(t *testing.T, draftID string) decisions.Decision {
	t.Helper()
	ch := s.in(t, s.chair)
	d, err := s.Svc.Decisions.OpenConsensus(s.Ctx, ch, decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: s.m.ID, Title: "Adoption",
		Subject: decisions.SubjectInput{Kind: decide.OnRevision, Draft: draftID}}})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = s.Svc.Decisions.CloseConsensus(s.Ctx, ch, d.ID, decisions.FindingInput{Finding: decide.FoundAdopted}); err != nil {
		t.Fatal(err)
	}
	return d
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	fx := fixture.NewDrafting(t)
	s := &setup{Drafting: fx, FA: fx.Svc.FinalActs, heads: map[string]forum.Actor{}, clock: opens.Add(-24 * time.Hour)}
	s.FA.SetClock(func() time.Time {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.clock
	})
	adm := s.in(t, fx.Admin)
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, adm, forum.BodyInput{Slug: "plen", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	s.chair = fx.User(t, "chair@example.org", "Chair Person", false)
	if _, err := fx.Svc.Participation.Register(fx.Ctx, adm, participation.RegistrationInput{Email: "chair@example.org", Role: "chair", Mode: "in_room"}); err != nil {
		t.Fatal(err)
	}
	m, err := fx.Svc.Meetings.ScheduleMeeting(fx.Ctx, adm, meetings.MeetingInput{Body: "plen", Title: "Plenary 17",
		Date: "2012-12-14", Start: "09:30", End: "12:30", Zone: "Asia/Dubai"})
	if err != nil {
		t.Fatal(err)
	}
	if s.m, err = fx.Svc.Meetings.ChangeState(fx.Ctx, s.in(t, s.chair), m.ID, "open", ""); err != nil {
		t.Fatal(err)
	}
	s.adopted = s.adopt(t, fx.Draft.ID)
	if _, err := fx.Svc.Participation.ChoosePreset(fx.Ctx, adm, rules.PresetITUTreatyConference); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ code, name, iso3, region, cred string }{
		{"FRA", "France", "FRA", "Europe", "in_order"},
		{"GBR", "United Kingdom", "GBR", "Europe", "in_order"},
		{"DNK", "Denmark", "DNK", "Europe", "in_order"},
		{"SWE", "Sweden", "SWE", "Europe", "in_order"},
		{"KEN", "Kenya", "KEN", "Africa", "sign_only"},
		{"CAN", "Canada", "CAN", "Americas", "provisional"},
		{"NZL", "New Zealand", "NZL", "Oceania", ""},
		{"CZE", "Czechia", "CZE", "Europe", "transferred"},
	} {
		if _, err := fx.Svc.Participation.AddParty(fx.Ctx, adm, participation.PartyInput{Code: p.code, Name: p.name, Kind: "member_state",
			Group: rules.GroupMemberState, ISO3: p.iso3, Region: p.region}); err != nil {
			t.Fatalf("%s: %v", p.code, err)
		}
		email := strings.ToLower(p.code) + "-head@example.org"
		s.heads[p.code] = fx.User(t, email, "Head of "+p.name, false)
		if _, err := fx.Svc.Participation.Register(fx.Ctx, adm, participation.RegistrationInput{Email: email, Party: p.code,
			Role: string(rules.RoleHeadOfDelegation), Mode: "in_room"}); err != nil {
			t.Fatal(err)
		}
		if p.cred != "" {
			in := participation.CredentialsInput{State: p.cred}
			if p.cred == "transferred" {
				in.Proxy = "FRA"
			}
			s.credentials(t, p.code, in)
		}
	}
	s.credentials(t, "USA", participation.CredentialsInput{State: "in_order"})
	s.credentials(t, "BRA", participation.CredentialsInput{State: "in_order"})
	s.heads["BRA"] = fx.Bra
	return s
}

func (s *setup) credentials(t *testing.T, code string, in participation.CredentialsInput) {
	t.Helper()
	if _, err := s.Svc.Participation.RecordCredentials(s.Ctx, s.in(t, s.Admin), code, in); err != nil {
		t.Fatalf("credentials of %s: %v", code, err)
	}
}

// assemble assembles the final acts from the adopted draft and opens them
// for signature from opens to closes.
func (s *setup) assemble(t *testing.T) finalacts.FinalActs {
	t.Helper()
	adm := s.in(t, s.Admin)
	fa, err := s.FA.Assemble(s.Ctx, adm, finalacts.AssembleInput{Title: "Final Acts of WTPF-13", Texts: []finalacts.TextInput{{Draft: s.Draft.ID}},
		Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.FA.OpenForSignature(s.Ctx, adm, fa.ID, finalacts.TimeInput{At: &opens}); err != nil {
		t.Fatal(err)
	}
	if fa, err = s.FA.CloseForSignature(s.Ctx, adm, fa.ID, finalacts.TimeInput{At: &closes}); err != nil {
		t.Fatal(err)
	}
	return fa
}

func (s *setup) sign(t *testing.T, a forum.Actor, fa finalacts.FinalActs, st finalacts.State) (finalacts.Signature, error) {
	t.Helper()
	return s.FA.Sign(s.Ctx, s.in(t, a), fa.ID, finalacts.SignInput{State: st, Hash: fa.Hash})
}

func wantRefusal(t *testing.T, err error, code plenary.Code, words ...string) {
	t.Helper()
	fixture.ExpectCode(t, err, code)
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("refusal %q does not say %q", err, w)
		}
	}
}

func TestAssembleFromAdoptedTexts(t *testing.T) {
	s := newSetup(t)
	adm := s.in(t, s.Admin)
	_, err := s.FA.Assemble(s.Ctx, s.in(t, s.Bra), finalacts.AssembleInput{Title: "Final Acts", Texts: []finalacts.TextInput{{Draft: s.Draft.ID}}})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.FA.Assemble(s.Ctx, adm, finalacts.AssembleInput{Title: "Final Acts"})
	fixture.ExpectField(t, err, "texts")
	_, err = s.FA.Assemble(s.Ctx, adm, finalacts.AssembleInput{Title: "Final Acts", Texts: []finalacts.TextInput{{Draft: "nope"}}})
	fixture.ExpectField(t, err, "texts[0].draft")
	_, err = s.FA.Assemble(s.Ctx, adm, finalacts.AssembleInput{Title: "Final Acts", Texts: []finalacts.TextInput{{Draft: s.Draft.ID, Revision: 7}}})
	fixture.ExpectField(t, err, "texts[0].revision")
	// A draft text not adopted is refused, naming it.
	other, err := s.Svc.Drafting.CreateDraft(s.Ctx, s.in(t, s.Editor), drafting.DraftInput{Text: "# Resolution 1\n\n1. that the Forum meets again.\n", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.FA.Assemble(s.Ctx, adm, finalacts.AssembleInput{Title: "Final Acts", Texts: []finalacts.TextInput{{Draft: s.Draft.ID}, {Draft: other.ID}}})
	fixture.ExpectField(t, err, "texts[1].draft")
	if err == nil || !strings.Contains(err.Error(), "has not been adopted") {
		t.Fatalf("not adopted: %v", err)
	}
	if n := len(s.Events(t, "finalacts.assembled")); n != 0 {
		t.Fatalf("a refusal recorded %d events", n)
	}

	fa := s.assemble(t)
	if len(fa.Provisions) == 0 || fa.Hash != finalacts.TextHash(fa.Provisions) || fa.Revision != 1 || len(fa.Texts) != 1 || !fa.Texts[0].Current {
		t.Fatalf("assembled: %+v", fa)
	}
	for _, p := range fa.Provisions {
		if p.Instrument == "" || p.DraftID != s.Draft.ID || p.Key != s.Draft.ID+":"+p.ProvisionID || p.DraftNumber != s.Draft.Number || p.DraftRevision != 1 {
			t.Fatalf("a provision lost its identity: %+v", p)
		}
	}
	doc, err := s.Svc.Documents.Document(s.Ctx, s.in(t, s.Observer), fa.ID)
	if err != nil || doc.Type != documents.DocFinalActs || doc.Number != fa.Number || !strings.Contains(doc.Text, fa.Hash) {
		t.Fatalf("the document: %+v %v", doc, err)
	}
	// The hash is over the documented serialization: changing one
	// provision's text changes it.
	ps := append([]finalacts.Provision(nil), fa.Provisions...)
	ps[0].Text += "."
	if finalacts.TextHash(ps) == fa.Hash {
		t.Fatal("the hash ignores the text")
	}
	if fa.Status != "Opens for signature on 2012-12-14 10:00 UTC" || fa.Open {
		t.Fatalf("status before opening: %q", fa.Status)
	}
	evs := s.Events(t, "finalacts.assembled")
	if len(evs) != 1 || fixture.Payload(t, evs[0])["hash"] != fa.Hash {
		t.Fatalf("the record: %+v", evs)
	}
	list, err := s.FA.List(s.Ctx, s.in(t, s.Outsider))
	if err != nil || len(list) != 1 || list[0].ID != fa.ID {
		t.Fatalf("list: %+v %v", list, err)
	}
	// Closing before opening is refused.
	early := opens.Add(-time.Hour)
	_, err = s.FA.CloseForSignature(s.Ctx, adm, fa.ID, finalacts.TimeInput{At: &early})
	fixture.ExpectField(t, err, "at")
}

func TestSignatureEligibilityAndWindow(t *testing.T) {
	s := newSetup(t)
	fa := s.assemble(t)
	// Before the opening: refused, naming the times.
	_, err := s.sign(t, s.heads["FRA"], fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeConflict, "not open for signature", "2012-12-14 10:00 UTC", "2012-12-14 18:00 UTC")

	s.at(opens)
	may := func(a forum.Actor) bool {
		t.Helper()
		ok, err := s.FA.MaySign(s.Ctx, s.in(t, a), fa.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !may(s.heads["FRA"]) || may(s.heads["CAN"]) || may(s.Usa) || may(s.Outsider) || may(s.Observer) {
		t.Fatal("MaySign disagrees with Sign")
	}
	// Credentials in order, and for signature only: they sign.
	if _, err := s.sign(t, s.heads["FRA"], fa, finalacts.Signed); err != nil {
		t.Fatal(err)
	}
	if _, err := s.sign(t, s.heads["KEN"], fa, finalacts.SignedSubjectToRatification); err != nil {
		t.Fatal(err)
	}
	// Provisional, none, transferred: refused by the rule.
	_, err = s.sign(t, s.heads["CAN"], fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeForbidden, "only with credentials in order or in order for signature only", "provisional")
	_, err = s.sign(t, s.heads["NZL"], fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeForbidden, "only with credentials in order or in order for signature only")
	_, err = s.sign(t, s.heads["CZE"], fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeForbidden, "transferred")
	// An adviser may not sign.
	adviser := s.User(t, "bra-adviser@example.org", "Adviser of Brazil", false)
	if _, err := s.Svc.Participation.Register(s.Ctx, s.in(t, s.Admin), participation.RegistrationInput{Email: "bra-adviser@example.org", Party: "BRA",
		Role: string(rules.RoleAdviser), Mode: "in_room"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.sign(t, adviser, fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeForbidden, "advisers may not sign the final acts")
	// A delegate signs once named; not before.
	_, err = s.sign(t, s.Usa, fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeForbidden, "neither the head of the delegation")
	regs, err := s.Svc.Participation.ApprovedRegistrationsOf(s.Ctx, s.St, s.F, s.Usa.UserID)
	if err != nil || len(regs) != 1 {
		t.Fatalf("registrations: %v %v", regs, err)
	}
	_, err = s.FA.NameSigner(s.Ctx, s.in(t, s.Usa), fa.ID, finalacts.SignerInput{Registration: regs[0].ID})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	// The head of another delegation may not name a signer for the United States.
	_, err = s.FA.NameSigner(s.Ctx, s.in(t, s.Bra), fa.ID, finalacts.SignerInput{Party: "USA", Registration: regs[0].ID})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	named, err := s.FA.NameSigner(s.Ctx, s.in(t, s.Admin), fa.ID, finalacts.SignerInput{Party: "USA", Registration: regs[0].ID})
	if err != nil || named.Basis != finalacts.BasisCredentials || named.Party.Code != "USA" {
		t.Fatalf("named: %+v %v", named, err)
	}
	sig, err := s.sign(t, s.Usa, fa, finalacts.Signed)
	if err != nil || sig.Capacity != string(rules.RoleDelegate) || sig.RegistrationID != regs[0].ID || sig.Hash != fa.Hash || !sig.At.Equal(opens) {
		t.Fatalf("the delegate's signature: %+v %v", sig, err)
	}
	if may(s.heads["FRA"]) || may(s.Usa) {
		t.Fatal("MaySign offers a second signature to France")
	}
	// One per party: a second is refused, naming who signed.
	_, err = s.sign(t, s.heads["FRA"], fa, finalacts.Declined)
	wantRefusal(t, err, plenary.CodeConflict, "France has already signed", "Head of France")
	// A head that saw another text is refused.
	_, err = s.FA.Sign(s.Ctx, s.in(t, s.Bra), fa.ID, finalacts.SignInput{State: finalacts.Signed, Hash: strings.Repeat("0", 64)})
	wantRefusal(t, err, plenary.CodeConflict, "the final acts changed since you opened them")
	_, err = s.FA.Sign(s.Ctx, s.in(t, s.Bra), fa.ID, finalacts.SignInput{State: "maybe", Hash: fa.Hash})
	fixture.ExpectField(t, err, "state")
	// Declining, then signing while open: two acts on the record.
	if _, err := s.sign(t, s.heads["GBR"], fa, finalacts.Declined); err != nil {
		t.Fatal(err)
	}
	_, err = s.sign(t, s.heads["GBR"], fa, finalacts.Declined)
	wantRefusal(t, err, plenary.CodeConflict, "already declined")
	if sig, err := s.sign(t, s.heads["GBR"], fa, finalacts.Signed); err != nil || sig.N != 2 {
		t.Fatalf("signing after declining: %+v %v", sig, err)
	}
	if _, err := s.sign(t, s.heads["DNK"], fa, finalacts.Declined); err != nil {
		t.Fatal(err)
	}
	// At the close: refused.
	s.at(closes)
	_, err = s.sign(t, s.Bra, fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeConflict, "not open for signature", "until 2012-12-14 18:00 UTC")

	evs := s.Events(t, "finalacts.signed")
	if len(evs) != 6 {
		t.Fatalf("%d signature events", len(evs))
	}
	last := fixture.Payload(t, evs[len(evs)-1])
	if last["party"] != "DNK" || last["state"] != "declined" || last["hash"] != fa.Hash {
		t.Fatalf("the last event: %v", last)
	}
	acts, err := s.FA.SignatureActs(s.Ctx, s.in(t, s.Outsider), fa.ID)
	if err != nil || len(acts) != 6 {
		t.Fatalf("acts: %d %v", len(acts), err)
	}
	sigs, err := s.FA.Signatures(s.Ctx, s.in(t, s.Outsider), fa.ID)
	if err != nil || len(sigs) != 5 {
		t.Fatalf("signatures: %+v %v", sigs, err)
	}
	for _, sg := range sigs {
		if sg.Party.Code == "GBR" && (sg.State != finalacts.Signed || sg.N != 2) {
			t.Fatalf("the United Kingdom: %+v", sg)
		}
	}

	// The tally: eligible are the Member States whose credentials let them
	// sign (USA, BRA, FRA, GBR, DNK, SWE, KEN), not Canada (provisional),
	// New Zealand (none), Czechia (transferred) or the Internet Society.
	tl, err := s.FA.Tally(s.Ctx, s.in(t, s.Outsider), fa.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := finalacts.Count{Eligible: 7, Signed: 4, SubjectToRatification: 1, Declined: 1, NotYet: 2}
	if tl.Total != want {
		t.Fatalf("total: %+v, want %+v", tl.Total, want)
	}
	if len(tl.ByGroup) != 1 || tl.ByGroup[0].Key != rules.GroupMemberState || tl.ByGroup[0].Eligible != 7 {
		t.Fatalf("by group: %+v", tl.ByGroup)
	}
	regions := map[string]finalacts.Count{}
	for _, r := range tl.ByRegion {
		regions[r.Key] = r.Count
	}
	if regions["Europe"] != (finalacts.Count{Eligible: 4, Signed: 2, Declined: 1, NotYet: 1}) || regions["Africa"] != (finalacts.Count{Eligible: 1, Signed: 1, SubjectToRatification: 1}) {
		t.Fatalf("by region: %+v", tl.ByRegion)
	}
	states := map[string]finalacts.PartyState{}
	for _, p := range tl.Parties {
		states[p.Party.Code] = p
	}
	if len(tl.Parties) != 7 || states["SWE"].State != finalacts.NotYet || states["FRA"].Party.ISO3 != "FRA" || states["KEN"].State != finalacts.SignedSubjectToRatification {
		t.Fatalf("parties: %+v", tl.Parties)
	}
	if _, ok := states["CAN"]; ok {
		t.Fatal("Canada, with provisional credentials, counted as eligible")
	}
}

func TestSignatureOfSupersededText(t *testing.T) {
	s := newSetup(t)
	fa := s.assemble(t)
	s.at(opens.Add(time.Hour))
	if _, err := s.sign(t, s.Bra, fa, finalacts.Signed); err != nil {
		t.Fatal(err)
	}
	// A resolution is adopted and the final acts are revised to include it.
	res, err := s.Svc.Drafting.CreateDraft(s.Ctx, s.in(t, s.Editor), drafting.DraftInput{Text: "# Resolution 1\n\n1. that the Forum meets again.\n", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	s.adopt(t, res.ID)
	adm := s.in(t, s.Admin)
	_, err = s.FA.Revise(s.Ctx, adm, fa.ID, finalacts.ReviseInput{Note: "Nothing changed."})
	fixture.ExpectField(t, err, "texts")
	_, err = s.FA.Revise(s.Ctx, adm, fa.ID, finalacts.ReviseInput{Texts: []finalacts.TextInput{{Draft: s.Draft.ID}, {Draft: res.ID}}})
	fixture.ExpectField(t, err, "note")
	_, err = s.FA.Revise(s.Ctx, s.in(t, s.Bra), fa.ID, finalacts.ReviseInput{Texts: []finalacts.TextInput{{Draft: s.Draft.ID}, {Draft: res.ID}}, Note: "Resolution 1 added."})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	rev, err := s.FA.Revise(s.Ctx, adm, fa.ID, finalacts.ReviseInput{Texts: []finalacts.TextInput{{Draft: s.Draft.ID}, {Draft: res.ID}},
		Kind: documents.VersionCorr, Note: "Resolution 1 added."})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Hash == fa.Hash || rev.Revision != 2 || len(rev.Texts) != 2 || rev.Texts[0].Current || !rev.Texts[1].Current ||
		len(rev.Provisions) <= len(fa.Provisions) || rev.Hash != finalacts.TextHash(rev.Provisions) || rev.Texts[1].VersionLabel == "" {
		t.Fatalf("revised: %+v", rev)
	}
	sigs, err := s.FA.Signatures(s.Ctx, s.in(t, s.Observer), fa.ID)
	if err != nil || len(sigs) != 1 || sigs[0].Current || sigs[0].Hash != fa.Hash || sigs[0].Revision != 1 {
		t.Fatalf("the superseded signature: %+v %v", sigs, err)
	}
	tl, err := s.FA.Tally(s.Ctx, s.in(t, s.Observer), fa.ID)
	if err != nil || tl.Total.Signed != 1 || tl.Total.Superseded != 1 || tl.Hash != rev.Hash {
		t.Fatalf("tally: %+v %v", tl.Total, err)
	}
	// Whoever opened the first text is told it changed; the current one may
	// be signed.
	_, err = s.sign(t, s.heads["FRA"], fa, finalacts.Signed)
	wantRefusal(t, err, plenary.CodeConflict, "the final acts changed since you opened them", rev.Hash[:12])
	if _, err := s.sign(t, s.heads["FRA"], rev, finalacts.Signed); err != nil {
		t.Fatal(err)
	}
	// Brazil signs the current text too; then it may not sign again.
	if sig, err := s.sign(t, s.Bra, rev, finalacts.Signed); err != nil || sig.N != 2 || !sig.Current {
		t.Fatalf("signing the current text: %+v %v", sig, err)
	}
	_, err = s.sign(t, s.Bra, rev, finalacts.Signed)
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	if evs := s.Events(t, "finalacts.revised"); len(evs) != 1 || fixture.Payload(t, evs[0])["previous_hash"] != fa.Hash {
		t.Fatalf("the record of the revision: %+v", evs)
	}
}

func TestDeclarationsNumberedBeforeCutoff(t *testing.T) {
	s := newSetup(t)
	fa := s.assemble(t)
	adm := s.in(t, s.Admin)
	key := fa.Provisions[len(fa.Provisions)-1].Key
	dep := func(a forum.Actor, in finalacts.DepositInput) (finalacts.Declaration, error) {
		return s.FA.Deposit(s.Ctx, s.in(t, a), fa.ID, in)
	}
	mayDep := func(a forum.Actor) bool {
		t.Helper()
		ok, err := s.FA.MayDeposit(s.Ctx, s.in(t, a), fa.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !mayDep(s.Bra) || !mayDep(s.Admin) || mayDep(s.Observer) || mayDep(s.Outsider) {
		t.Fatal("MayDeposit disagrees with Deposit")
	}
	if ok, err := s.FA.MayAdminister(s.Ctx, adm); !ok || err != nil {
		t.Fatalf("the secretariat may not administer: %v", err)
	}
	if ok, err := s.FA.MayAdminister(s.Ctx, s.in(t, s.Bra)); ok || err != nil {
		t.Fatalf("a head of delegation may administer: %v", err)
	}
	// Bad input changes nothing.
	_, err := dep(s.Bra, finalacts.DepositInput{Kind: "opinion", Text: "x"})
	fixture.ExpectField(t, err, "kind")
	_, err = dep(s.Bra, finalacts.DepositInput{Kind: finalacts.KindReservation})
	fixture.ExpectField(t, err, "text")
	_, err = dep(s.Bra, finalacts.DepositInput{Kind: finalacts.KindReservation, Text: "x", Provisions: []string{"nope"}})
	fixture.ExpectField(t, err, "provisions")
	_, err = dep(s.Bra, finalacts.DepositInput{Kind: finalacts.KindReservation, Text: "x", References: []int{1}})
	fixture.ExpectField(t, err, "references")
	_, err = dep(s.Bra, finalacts.DepositInput{Kind: finalacts.KindReservation, Text: "x", Additional: true})
	fixture.ExpectField(t, err, "references")
	// Who may: not an adviser, not the head of one party for another, not
	// the secretariat for a party that may not file reservations itself.
	_, err = dep(s.Observer, finalacts.DepositInput{Kind: finalacts.KindDeclaration, Text: "x"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = dep(s.Bra, finalacts.DepositInput{Kind: finalacts.KindDeclaration, Text: "x", Parties: []string{"BRA", "USA"}})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = dep(s.Admin, finalacts.DepositInput{Kind: finalacts.KindDeclaration, Text: "x", Parties: []string{"ISOC"}})
	wantRefusal(t, err, plenary.CodeForbidden, "may not file a reservation")
	if n := len(s.Events(t, "finalacts.declaration_deposited")); n != 0 {
		t.Fatalf("refusals recorded %d deposits", n)
	}

	// Concurrent deposits take 1..n with no gap and no repeat.
	depositors := []forum.Actor{s.Bra, s.Usa, s.heads["FRA"], s.heads["GBR"], s.heads["KEN"], s.heads["SWE"]}
	const each = 3
	var wg sync.WaitGroup
	errs := make(chan error, len(depositors)*each)
	for _, a := range depositors {
		wg.Add(1)
		go func(a forum.Actor) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				sc := s.Svc.Kernel.ScopeOf(a, s.F)
				_, err := s.FA.Deposit(s.Ctx, sc, fa.ID, finalacts.DepositInput{Kind: finalacts.KindDeclaration, Text: fmt.Sprintf("Declaration %d of %s", i, a.Name)})
				errs <- err
			}
		}(a)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ds, err := s.FA.Declarations(s.Ctx, s.in(t, s.Outsider), fa.ID)
	if err != nil || len(ds) != len(depositors)*each {
		t.Fatalf("declarations: %d %v", len(ds), err)
	}
	for i, d := range ds {
		if d.Number != i+1 {
			t.Fatalf("No. %d at place %d", d.Number, i+1)
		}
	}
	n := len(ds)
	// A joint reservation tied to a provision, entered by the secretariat;
	// an additional declaration answering it and No. 1.
	joint, err := dep(s.Admin, finalacts.DepositInput{Kind: finalacts.KindReservation, Text: "The delegations reserve their rights.",
		Parties: []string{"USA", "BRA"}, Provisions: []string{key}})
	if err != nil || joint.Number != n+1 || len(joint.Parties) != 2 || joint.Capacity != string(rules.RoleSecretariat) {
		t.Fatalf("joint: %+v %v", joint, err)
	}
	_, err = dep(s.heads["FRA"], finalacts.DepositInput{Kind: finalacts.KindDeclaration, Text: "In answer.", Additional: true, References: []int{n + 2}})
	fixture.ExpectField(t, err, "references")
	add, err := dep(s.heads["FRA"], finalacts.DepositInput{Kind: finalacts.KindDeclaration, Text: "In answer.", Additional: true,
		References: []int{joint.Number, 1}, Provisions: []string{key}})
	if err != nil || add.Number != n+2 || len(add.References) != 2 || add.References[0] != 1 || add.Parties[0].Code != "FRA" {
		t.Fatalf("additional: %+v %v", add, err)
	}
	// Beside the provision, for anyone reading the final acts.
	read, err := s.FA.FinalActs(s.Ctx, s.in(t, s.Outsider), fa.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := read.Provisions[len(read.Provisions)-1]
	if len(p.Declarations) != 2 || p.Declarations[0].Number != joint.Number || p.Declarations[1].Number != add.Number || len(read.General) != n {
		t.Fatalf("beside the provision: %+v, general %d", p.Declarations, len(read.General))
	}
	tl, err := s.FA.Tally(s.Ctx, s.in(t, s.Outsider), fa.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range tl.Parties {
		if ps.Party.Code == "FRA" && len(ps.Declarations) != each+1 {
			t.Fatalf("France's declarations: %v", ps.Declarations)
		}
	}
	// The cut-off: from then on, refused, naming it.
	cut := opens.Add(-time.Hour)
	if _, err := s.FA.SetCutoff(s.Ctx, adm, fa.ID, finalacts.TimeInput{At: &cut}); err != nil {
		t.Fatal(err)
	}
	s.at(cut)
	_, err = dep(s.Bra, finalacts.DepositInput{Kind: finalacts.KindDeclaration, Text: "Late."})
	wantRefusal(t, err, plenary.CodeConflict, "cut-off", "2012-12-14 09:00 UTC")
	if mayDep(s.Bra) {
		t.Fatal("MayDeposit after the cut-off")
	}
	if evs := s.Events(t, "finalacts.cutoff_set"); len(evs) != 1 {
		t.Fatalf("cut-off events: %d", len(evs))
	}
}

func TestStatements(t *testing.T) {
	s := newSetup(t)
	ch := finalacts.TargetInput{Kind: finalacts.OnForum}
	// A coalition's closing statement, entered by the secretariat.
	_, err := s.FA.FileStatement(s.Ctx, s.in(t, s.Bra), finalacts.StatementInput{Kind: finalacts.ClosingStatement, Target: ch,
		Author: "Civil society coalition", Text: "We cannot support the outcome."})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	cs, err := s.FA.FileStatement(s.Ctx, s.in(t, s.Admin), finalacts.StatementInput{Kind: finalacts.ClosingStatement, Target: ch,
		Author: "Civil society coalition", Text: "We cannot support the outcome."})
	if err != nil || cs.Party != nil || cs.Author != "Civil society coalition" || cs.Capacity != string(rules.RoleSecretariat) {
		t.Fatalf("closing statement: %+v %v", cs, err)
	}
	_, err = s.FA.FileStatement(s.Ctx, s.in(t, s.Usa), finalacts.StatementInput{Kind: finalacts.Explanation, Target: ch, Text: "x"})
	fixture.ExpectField(t, err, "target.kind")
	_, err = s.FA.FileStatement(s.Ctx, s.in(t, s.Usa), finalacts.StatementInput{Kind: finalacts.Explanation,
		Target: finalacts.TargetInput{Kind: finalacts.OnDecision, ID: "nope"}, Text: "x"})
	fixture.ExpectField(t, err, "target.id")
	// A party's explanation of position on the decision that adopted the text.
	ex, err := s.FA.FileStatement(s.Ctx, s.in(t, s.Usa), finalacts.StatementInput{Kind: finalacts.Explanation,
		Target: finalacts.TargetInput{Kind: finalacts.OnDecision, ID: s.adopted.ID}, Text: "We joined consensus with concerns."})
	if err != nil || ex.Party == nil || ex.Party.Code != "USA" || ex.TargetLabel != s.adopted.Title {
		t.Fatalf("explanation: %+v %v", ex, err)
	}
	// An observer has no party to speak for.
	_, err = s.FA.FileStatement(s.Ctx, s.in(t, s.Observer), finalacts.StatementInput{Kind: finalacts.ClosingStatement, Target: ch, Text: "x"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	all, err := s.FA.Statements(s.Ctx, s.in(t, s.Outsider), finalacts.TargetInput{})
	if err != nil || len(all) != 2 || all[0].ID != cs.ID {
		t.Fatalf("statements: %+v %v", all, err)
	}
	on, err := s.FA.Statements(s.Ctx, s.in(t, s.Outsider), finalacts.TargetInput{Kind: finalacts.OnDecision, ID: s.adopted.ID})
	if err != nil || len(on) != 1 || on[0].ID != ex.ID {
		t.Fatalf("on the decision: %+v %v", on, err)
	}
	if evs := s.Events(t, "finalacts.statement_filed"); len(evs) != 2 {
		t.Fatalf("statement events: %d", len(evs))
	}
}

// The documents' pages and API do not give final acts a free-text Rev.:
// the refusal says to use the final acts' revise command. An addendum,
// which replaces nothing, is taken; the revise command still works.
func TestFinalActsRefuseAFreeTextRevision(t *testing.T) {
	s := newSetup(t)
	adm := s.in(t, s.Admin)
	fa := s.assemble(t)
	_, err := s.Svc.Documents.AddVersion(s.Ctx, adm, fa.ID, documents.VersionInput{Kind: documents.VersionRev, Text: "Another text altogether."})
	wantRefusal(t, err, plenary.CodeInvalid, "kind", fa.Number, "final acts", "revise command")
	if strings.Contains(err.Error(), "draft text") {
		t.Errorf("the refusal speaks of a draft text: %v", err)
	}
	// A draft text keeps the drafting aggregate's refusal.
	_, err = s.Svc.Documents.AddVersion(s.Ctx, adm, s.Draft.ID, documents.VersionInput{Kind: documents.VersionRev, Text: "Another text."})
	wantRefusal(t, err, plenary.CodeInvalid, "draft text")
	after, err := s.FA.FinalActs(s.Ctx, adm, fa.ID)
	if err != nil || after.Revision != 1 || after.Hash != fa.Hash {
		t.Fatalf("a refused Rev. changed the final acts: %+v %v", after, err)
	}
	d, err := s.Svc.Documents.Document(s.Ctx, adm, fa.ID)
	if err != nil || len(d.Versions) != 1 {
		t.Fatalf("a refused Rev. added a version: %+v %v", d.Versions, err)
	}
	if _, err := s.Svc.Documents.AddVersion(s.Ctx, adm, fa.ID, documents.VersionInput{Kind: documents.VersionAdd, Text: "List of the delegations present."}); err != nil {
		t.Errorf("an addendum to the final acts: %v", err)
	}
	rev, err := s.FA.Revise(s.Ctx, adm, fa.ID, finalacts.ReviseInput{Title: "Final Acts (corrected)", Kind: documents.VersionCorr, Note: "The title is corrected."})
	if err != nil || rev.Revision != 2 {
		t.Errorf("the revise command: %+v %v", rev, err)
	}
}
