package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/forum"
)

func TestDemoConsultation(t *testing.T) {
	_, svc := loadDemo(t)
	ctx := context.Background()
	// Loading again changes nothing.
	if err := demo.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	sec, err := svc.Accounts.UserByEmail(ctx, demo.LoginByKey("secretariat").Email)
	if err != nil {
		t.Fatal(err)
	}
	secSc, err := svc.Kernel.Scope(ctx, forum.Actor{UserID: sec.ID, Name: sec.Name, Email: sec.Email, Admin: true}, demo.NETmundialSlug)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := svc.Kernel.Scope(ctx, forum.Anonymous, demo.NETmundialSlug)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := svc.Consultation.Periods(ctx, pub, consultation.PeriodFilter{})
	if err != nil || len(ps) != 1 {
		t.Fatalf("periods: %v %v", ps, err)
	}
	p := ps[0]
	if st := p.StateAt(time.Now()); st != consultation.Closed || !p.ClosedEarly {
		t.Errorf("the period is %s (closed early: %v)", st, p.ClosedEarly)
	}
	counts, err := svc.Consultation.PeriodCounts(ctx, pub, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Comments != demo.ConsultationComments || counts.Unanswered != demo.ConsultationUnanswered || counts.Hidden != demo.ConsultationHidden {
		t.Errorf("counts: %+v", counts)
	}
	cs, err := svc.Consultation.Comments(ctx, pub, p.ID, consultation.CommentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	groups, targets := map[string]int{}, map[consultation.Target]int{}
	for _, c := range cs {
		groups[c.Group]++
		targets[c.Target]++
		if c.Hidden && c.Text != "" {
			t.Errorf("%s is hidden but the public reads it", c.Ref)
		}
	}
	if len(groups) != 6 || len(targets) != 4 {
		t.Errorf("groups %v, targets %v", groups, targets)
	}
	camps, err := svc.Consultation.Campaigns(ctx, pub, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var big consultation.Campaign
	for _, c := range camps {
		if c.Size > big.Size {
			big = c
		}
	}
	if big.Size != demo.ConsultationCampaign || big.Unanswered != 0 || len(big.Variants) < 2 {
		t.Errorf("the campaign: size %d, unanswered %d, %d variants", big.Size, big.Unanswered, len(big.Variants))
	}
	flags, err := svc.Consultation.Flags(ctx, secSc, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range flags {
		kinds[f.Kind] = max(kinds[f.Kind], len(f.Comments))
	}
	if kinds["burst"] < demo.ConsultationBurst || kinds["template"] != demo.ConsultationCampaign {
		t.Errorf("flags: %+v", flags)
	}
	// The second revision acted on comments: their dispositions link to
	// its provisions.
	dt, err := svc.Drafting.DraftText(ctx, pub, p.DraftID)
	if err != nil || dt.Revision != 2 {
		t.Fatalf("the draft: revision %d, %v", dt.Revision, err)
	}
	rv, err := svc.Drafting.DraftRevision(ctx, pub, dt.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, c := range cs {
		if d := c.Disposition; d != nil && d.Revision == 2 {
			if _, ok := rv.Text.Provision(d.Provision); !ok {
				t.Errorf("%s links to %s, not in revision 2", c.Ref, d.Provision)
			}
			linked++
		}
	}
	if linked <= demo.ConsultationCampaign {
		t.Errorf("%d dispositions link to revision 2", linked)
	}
	table, err := svc.Consultation.Table(ctx, pub, dt.ID, 1)
	if err != nil || len(table) != demo.ConsultationComments {
		t.Errorf("the disposition table of revision 1: %d rows, %v", len(table), err)
	}

	// The opinion map: statements from the text and from participants,
	// one rejected with its reason; groups found, with consensus, a
	// reading by the six stakeholder groups, and a bridging statement.
	sts, err := svc.Consultation.Statements(ctx, secSc, p.ID, consultation.StatementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sources, rejected := map[consultation.StatementSource]int{}, 0
	for _, st := range sts {
		sources[st.Source]++
		if st.State == consultation.StatementRejected {
			rejected++
			if st.Reason == "" {
				t.Errorf("%s is rejected without a reason", st.Ref)
			}
		}
	}
	if sources[consultation.FromProvision] != 11 || sources[consultation.FromParticipant] < 3 || rejected != 1 {
		t.Errorf("statements: %v, %d rejected", sources, rejected)
	}
	m, err := svc.Consultation.OpinionMap(ctx, pub, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Map.Participants != demo.ConsultationVoters || len(m.Map.Clusters.Groups) < 2 || len(m.Map.Consensus)+len(m.Map.Clusters.GroupConsensus) == 0 {
		t.Errorf("the map: %d participants, %d groups, consensus %v / %v", m.Map.Participants, len(m.Map.Clusters.Groups),
			m.Map.Consensus, m.Map.Clusters.GroupConsensus)
	}
	if len(m.Map.Clusters.Bridging) == 0 || len(m.Map.Clusters.Splits) == 0 {
		t.Errorf("the map: bridging %v, splits %v", m.Map.Clusters.Bridging, m.Map.Clusters.Splits)
	}
	if m.Map.Declared == nil || len(m.Map.Declared.Groups) != 6 || len(m.Map.Declared.Splits) == 0 {
		t.Errorf("by stakeholder group: %+v", m.Map.Declared)
	}
	if path, err := demo.NETmundialMapPath(ctx, svc); err != nil || path != "/forums/"+demo.NETmundialSlug+"/consultations/"+p.ID+"/map" {
		t.Errorf("the map's path: %q, %v", path, err)
	}
	t.Logf("map: k=%d, consensus %v, group consensus %v, bridging %v, declared splits %v", m.Map.K, m.Map.Consensus,
		m.Map.Clusters.GroupConsensus, m.Map.Clusters.Bridging, m.Map.Declared.Splits)
}
