package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

func TestDemoDraftOfOpinion5(t *testing.T) {
	ctx := context.Background()
	_, svc := loadDemo(t)
	f, _ := svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug)
	doc, err := svc.Documents.DocumentByNumber(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f), demo.OpinionNumber)
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.Drafting.DraftText(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f), doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Revision != 2 || d.Label != "WTPF-13/5(Rev.1)" || d.Revisions[0].OpenBrackets != 0 || d.Revisions[1].OpenBrackets != 1 || d.Pending != 1 ||
		!strings.Contains(d.Title, "Supporting multi-stakeholderism in Internet governance") || !strings.Contains(d.Revisions[0].Note, "written for Plenary's demonstration") {
		t.Fatalf("draft: %+v", d)
	}
	// The compilation before the first reading is frozen as DT/2, with
	// its six proposals; the revision is also DT/3; the text adopted by
	// consensus in WG3-4 is filed "… as adopted" (decisions.go).
	dds, err := svc.Drafting.DraftDocuments(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f), d.ID, "")
	if err != nil || len(dds) != 3 || dds[2].Kind != drafting.DraftDocAdopted || !strings.HasSuffix(dds[2].Title, " as adopted") || dds[2].Revision != 2 || dds[0].Number != "DT/2" || dds[0].Kind != drafting.DraftDocCompilation || dds[0].Proposals != 6 ||
		dds[1].Number != "DT/3" || dds[1].Kind != drafting.DraftDocRevision || dds[1].Revision != 2 {
		t.Fatalf("numbered documents of the draft: %+v %v", dds, err)
	}
	rv, _ := svc.Drafting.DraftRevision(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f), d.ID, 0)
	brs := rv.Text.Brackets()
	if len(brs) != 1 || len(brs[0].Bracket.Alternatives) != 2 {
		t.Fatalf("brackets: %+v", brs)
	}
	alts := brs[0].Bracket.Alternatives
	if strings.Join(alts[0].Supporters, ",") != "BRA" || strings.Join(alts[1].Supporters, ",") != "USA,EXTEL" {
		t.Fatalf("supporters: %+v", alts)
	}
	ams, _ := svc.Drafting.Amendments(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f), d.ID, drafting.AmendmentFilter{})
	usa := ""
	for _, am := range ams {
		if am.Proposer == "USA" {
			usa = am.ContributionNumber[strings.LastIndexByte(am.ContributionNumber, '/')+1:]
		}
	}
	labels := map[string]text.Status{}
	for _, am := range ams {
		labels[am.Label] = am.Status
	}
	for label, want := range map[string]text.Status{"BRA/12/1": text.StatusSuperseded, "USA/" + usa + "/1": text.StatusSuperseded,
		"BRA/12/2": text.StatusAcceptedModified, "EXTEL/5/1": text.StatusAccepted, "USA/" + usa + "/2": text.StatusRejected,
		"USA/" + usa + "/3": text.StatusAccepted, "EXTEL/5/2": text.StatusSubmitted} {
		if labels[label] != want {
			t.Errorf("%s: %q, want %s (all: %v)", label, labels[label], want, labels)
		}
	}
	// The chair holds the pen; the delegates propose.
	chair, _ := svc.Accounts.UserByEmail(ctx, demo.LoginByKey("chair").Email)
	if ok, err := svc.Drafting.MayEditDraft(ctx, fixture.In(t, svc.Kernel, forum.Actor{UserID: chair.ID}, f)); err != nil || !ok {
		t.Errorf("the chair may not edit the draft (%v)", err)
	}
	bra, _ := svc.Accounts.UserByEmail(ctx, demo.LoginByKey("member_state").Email)
	if r, _ := svc.Drafting.DraftingRightsOf(ctx, fixture.In(t, svc.Kernel, forum.Actor{UserID: bra.ID}, f)); !r.Propose || r.ProposeFor.Code != "BRA" || r.Edit {
		t.Errorf("Brazil's rights: %+v", r)
	}
	h, err := svc.Drafting.ProvisionLog(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f), d.ID, "p5")
	if err != nil || len(h.Steps) != 2 || len(h.Steps[1].Sources) != 1 || h.Steps[1].Sources[0].Label != "BRA/12/2" {
		t.Fatalf("drafting log: %+v %v", h, err)
	}
}
