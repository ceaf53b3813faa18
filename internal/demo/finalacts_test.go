package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
)

func TestDemoWCITFinalActs(t *testing.T) {
	_, svc := loadDemo(t)
	ctx := context.Background()
	wcit, err := svc.Kernel.ForumBySlug(ctx, demo.WCITSlug)
	if err != nil {
		t.Fatal(err)
	}
	pub := fixture.In(t, svc.Kernel, forum.Anonymous, wcit)
	fas, err := svc.FinalActs.List(ctx, pub)
	if err != nil || len(fas) != 1 {
		t.Fatalf("WCIT-12 final acts, read by anyone: %v %v", fas, err)
	}
	fa, err := svc.FinalActs.FinalActs(ctx, pub, fas[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if fa.Title != demo.WCITFinalActsTitle || fa.Number != demo.WCITFinalActsNumber || fa.Open || fa.OpensAt == nil || fa.OpensAt.Format("2006-01-02") != "2012-12-14" ||
		fa.ClosesAt == nil || fa.ClosesAt.Format("2006-01-02") != "2012-12-14" || fa.CutoffAt == nil {
		t.Errorf("the final acts' window: %+v", fa)
	}
	if len(fa.Texts) != 1 || !strings.Contains(fa.Texts[0].Note, "illustrative") {
		t.Errorf("the note of the text says what is illustrative: %+v", fa.Texts)
	}
	instruments := map[string]bool{}
	for _, p := range fa.Provisions {
		instruments[p.Instrument] = true
	}
	if len(instruments) != 2 || len(fa.Provisions) < 8 {
		t.Errorf("the final acts hold the Regulations and the resolution: %d provisions of %v", len(fa.Provisions), instruments)
	}

	// 144 eligible, 89 signed, 55 not.
	tally, err := svc.FinalActs.Tally(ctx, pub, fa.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tally.Total.Eligible != demo.WCITEligible || tally.Total.Signed != demo.WCITSigned || tally.Total.Declined+tally.Total.NotYet != demo.WCITNotSigned ||
		tally.Total.Declined != 1 || tally.Total.SubjectToRatification == 0 || tally.Total.Superseded != 0 {
		t.Errorf("the tally: %+v", tally.Total)
	}
	if demo.WCITEligible != 144 || demo.WCITSigned != 89 || demo.WCITNotSigned != 55 {
		t.Error("the record's totals are 144 eligible, 89 signed, 55 not")
	}
	state := map[string]finalacts.PartyState{}
	for _, p := range tally.Parties {
		state[p.Party.Code] = p
	}
	for _, code := range demo.WCITNamedNonSigners {
		if p, ok := state[code]; !ok || !p.Eligible || p.State.IsSigned() {
			t.Errorf("%s, named by the record as not signing: %+v", code, p)
		}
	}
	for _, code := range []string{"RUS", "CHN", "SAU", "ARE", "BRA"} {
		if p := state[code]; !p.Eligible || !p.State.IsSigned() {
			t.Errorf("%s signed: %+v", code, p)
		}
	}
	if state["USA"].State != finalacts.Declined || state["ESP"].Eligible || state["LIE"].Eligible {
		t.Errorf("the United States declined; Spain and Liechtenstein are not eligible: %+v %+v %+v", state["USA"], state["ESP"], state["LIE"])
	}
	sigs, err := svc.FinalActs.Signatures(ctx, pub, fa.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sigs {
		if s.Hash != fa.Hash || s.At.Format("2006-01-02") != "2012-12-14" {
			t.Errorf("a signature of another text or day: %+v", s)
		}
		if s.Party.Code == "BRA" && (s.Signer != demo.LoginByKey("member_state").Name || s.Capacity != "delegate") {
			t.Errorf("Brazil's named delegate signs for it: %+v", s)
		}
	}
	if signers, err := svc.FinalActs.Signers(ctx, pub, fa.ID); err != nil || len(signers) != 1 || signers[0].Party.Code != "BRA" {
		t.Errorf("the signer named: %+v %v", signers, err)
	}
	// A head of delegation logs in.
	if _, err := svc.Accounts.Authenticate(ctx, demo.WCITHeadEmail("RUS"), demo.WCITDelegatePassword); err != nil {
		t.Errorf("the head of the Russian delegation cannot log in: %v", err)
	}

	// The declarations: numbered, one joint, one additional answering
	// earlier numbers, tied to provisions and shown beside them.
	ds, err := svc.FinalActs.Declarations(ctx, pub, fa.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) < 5 || len(ds) > 8 {
		t.Fatalf("%d declarations and reservations", len(ds))
	}
	joint, tied := false, 0
	var additional []finalacts.Declaration
	for i, d := range ds {
		if d.Number != i+1 {
			t.Errorf("declaration %d is numbered %d", i+1, d.Number)
		}
		if len(d.Parties) > 1 {
			joint = true
		}
		if d.Additional {
			additional = append(additional, d)
		}
		if len(d.Provisions) > 0 {
			tied++
		}
		if !strings.Contains(d.Text, "Illustrative") {
			t.Errorf("No. %d does not say its wording is illustrative", d.Number)
		}
	}
	if !joint || tied < 3 || len(additional) != 1 || !slices.Equal(additional[0].References, []int{1, 5}) {
		t.Errorf("joint %v, tied to provisions %d, additional %+v", joint, tied, additional)
	}
	beside := 0
	for _, p := range fa.Provisions {
		beside += len(p.Declarations)
	}
	if beside == 0 || len(fa.General) == 0 {
		t.Errorf("declarations beside provisions %d, on the whole %d", beside, len(fa.General))
	}

	// NETmundial: civil society's closing statement of dissent.
	nm, err := svc.Kernel.ForumBySlug(ctx, demo.NETmundialSlug)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := svc.FinalActs.Statements(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, nm), finalacts.TargetInput{Kind: finalacts.OnForum})
	if err != nil || len(ss) != 1 {
		t.Fatalf("NETmundial's statements: %+v %v", ss, err)
	}
	if s := ss[0]; s.Kind != finalacts.ClosingStatement || s.Text != demo.NETmundialClosingText || s.Party == nil || s.Party.Code != "CSNET" ||
		s.FiledBy != demo.LoginByKey(demo.NETmundialClosingAuthor).Name {
		t.Errorf("the closing statement: %+v", s)
	}

	// Loading again changes nothing.
	if err := demo.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if again, _ := svc.FinalActs.Declarations(ctx, pub, fa.ID); len(again) != len(ds) {
		t.Errorf("loading the demo again deposited more: %d", len(again))
	}
	if fas, _ := svc.FinalActs.List(ctx, pub); len(fas) != 1 {
		t.Errorf("loading the demo again assembled more: %d", len(fas))
	}
}
