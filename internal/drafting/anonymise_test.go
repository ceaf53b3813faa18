package drafting_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// TestOneAnonymisation checks that a forum publishing anonymised
// compilations hides a party the same way wherever its proposals appear:
// in the compilation, in the list of proposals, in the revision's log and
// in a provision's drafting log. Each viewer sees Brazil's proposals under
// the same label everywhere: their ITU labels for the secretariat and the
// editor, no label (and no party anywhere) for the public, an observer and
// another party, with the same anonymous words as the other parties'
// proposals. Brazil's own delegation sees its proposals named in the list
// of proposals only, and the published texts as the public does.
func TestOneAnonymisation(t *testing.T) {
	fx := fixture.NewDrafting(t)
	if _, err := fx.Svc.Drafting.SetCompilationsAnonymised(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), true); err != nil {
		t.Fatal(err)
	}
	accepted := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "MOD", Provision: "p3", Contribution: fx.Contrib.ID,
		Text: "that all stakeholders should take part in Internet governance on an equal footing;", Rationale: "Equal footing."})
	pending := fx.Propose(t, fx.Bra, drafting.ProposalInput{Op: "SUP", Provision: "p4", Contribution: fx.Contrib.ID})
	usa := fx.Propose(t, fx.Usa, drafting.ProposalInput{Op: "NOC", Provision: "p1"})
	if _, err := fx.Svc.Drafting.IssueRevision(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Editor, fx.F.Slug), fx.Draft.ID,
		drafting.RevisionInput{Decisions: []text.Decision{{Action: text.ActAccept, AmendmentID: accepted.ID}}}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct {
		name       string
		a          forum.Actor
		attributed bool
		own        bool // the viewer is Brazil's delegation
	}{
		{"public", forum.Anonymous, false, false}, {"observer", fx.Observer, false, false}, {"another party", fx.Isoc, false, false},
		{"Brazil", fx.Bra, false, true}, {"secretariat", fx.Admin, true, false}, {"editor", fx.Editor, true, false},
	} {
		t.Run(who.name, func(t *testing.T) {
			sc := fixture.In(t, fx.Svc.Kernel, who.a, fx.F)
			an, err := fx.Svc.Drafting.Anonymiser(fx.Ctx, sc)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := fx.Svc.Drafting.Anonymiser(fx.Ctx, sc); again != an {
				t.Error("the anonymiser is made again within one scope")
			}
			if an.Attributed() != who.attributed || an.RenderOptions(text.RenderOptions{}).Anonymised == who.attributed {
				t.Errorf("attributed %v, want %v", an.Attributed(), who.attributed)
			}
			want := func(label string) string {
				if who.attributed {
					return label
				}
				return ""
			}
			wantListed := want
			if who.own {
				wantListed = func(label string) string { return label }
			}

			// Where Brazil's proposals appear, and under which label.
			cv, err := fx.Svc.Drafting.Compilation(fx.Ctx, sc, fx.Draft.ID)
			if err != nil {
				t.Fatal(err)
			}
			var inCompilation, usaInCompilation *text.CompiledProposal
			for i := range cv.Compilation.Entries {
				e := &cv.Compilation.Entries[i]
				if e.Provision.ID == "p4" && len(e.Proposals) == 1 {
					inCompilation = &e.Proposals[0]
				}
				if e.Provision.ID == "p1" && len(e.Proposals) == 1 {
					usaInCompilation = &e.Proposals[0]
				}
			}
			if inCompilation == nil || usaInCompilation == nil {
				t.Fatalf("compilation: %+v", cv.Compilation)
			}
			list, err := fx.Svc.Drafting.Amendments(fx.Ctx, sc, fx.Draft.ID, drafting.AmendmentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			listed := map[string]drafting.Amendment{}
			for _, am := range list {
				listed[am.ID] = am
			}
			rv, err := fx.Svc.Drafting.DraftRevision(fx.Ctx, sc, fx.Draft.ID, 2)
			if err != nil {
				t.Fatal(err)
			}
			h, err := fx.Svc.Drafting.ProvisionLog(fx.Ctx, sc, fx.Draft.ID, "p3")
			if err != nil {
				t.Fatal(err)
			}
			if len(rv.Log) != 1 || len(h.Steps) != 2 || len(h.Steps[1].Log) != 1 {
				t.Fatalf("logs: %+v %+v", rv.Log, h.Steps)
			}
			var sources []string
			for _, src := range h.Steps[1].Sources {
				sources = append(sources, src.Label)
			}
			for _, got := range []struct{ where, label, want string }{
				{"the compilation", inCompilation.Label, want(pending.Label)},
				{"the revision's log", rv.Log[0].Label, want(accepted.Label)},
				{"the provision's drafting log", h.Steps[1].Log[0].Label, want(accepted.Label)},
				{"the provision's sources", strings.Join(sources, ","), want(accepted.Label)},
				{"the proposals list (pending)", listed[pending.ID].Label, wantListed(pending.Label)},
				{"the proposals list (decided)", listed[accepted.ID].Label, wantListed(accepted.Label)},
				{"the proposals list (another party's)", listed[usa.ID].Label, want(usa.Label)},
			} {
				if got.label != got.want {
					t.Errorf("%s shows the proposal as %q, want %q", got.where, got.label, got.want)
				}
			}

			// Anonymised, a proposal reads the same whichever party made
			// it, and nothing names a party.
			if who.attributed {
				return
			}
			if inCompilation.Name() != "Proposal 2" || usaInCompilation.Name() != "Proposal 1" || len(inCompilation.Proponents)+len(usaInCompilation.Proponents) != 0 {
				t.Errorf("compilation names %q (%v) and %q (%v)", inCompilation.Name(), inCompilation.Proponents, usaInCompilation.Name(), usaInCompilation.Proponents)
			}
			if got := rv.Log[0].Describe(); got != "A proposal was accepted." {
				t.Errorf("the revision's log says %q", got)
			}
			if !who.own && (listed[pending.ID].Proposer != "" || listed[usa.ID].Proposer != "" || !listed[pending.ID].Anonymous || !listed[usa.ID].Anonymous) {
				t.Errorf("list: %+v", list)
			}
			published := []any{cv, rv, h}
			if !who.own {
				published = append(published, list)
			}
			for _, v := range published {
				raw, _ := json.Marshal(v)
				for _, party := range []string{"BRA", "USA", "Brazil", "United States", fx.Contrib.ID, "Equal footing"} {
					if strings.Contains(string(raw), party) {
						t.Errorf("%T names %s: %s", v, party, raw)
					}
				}
			}
		})
	}
}
