package drafting

import (
	"context"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// Anonymiser is the one rule of anonymised compilations, for one viewer of
// one forum, and the one place that applies it. Every read of the drafting
// aggregate that may name a party goes through the viewer's Anonymiser:
// the revisions of a draft with their brackets and logs, the drafting log
// of a provision, the compilation, the consolidated text, the list of
// proposals and the exports built from them. Pages and the API render
// what they are given, with RenderOptions from the same Anonymiser.
//
// The rule: when the forum publishes attributed compilations, everyone
// sees who proposed, co-sponsored and supports what; when it publishes
// anonymised ones, only its secretariat and those who may edit its draft
// texts do. Everyone else reads the anonymised copies that package text
// makes (Draft.Anonymised, LogEntry.Anonymised, Compilation.Anonymised...),
// in which no proposal of any party carries its label, proponents,
// contribution or rationale, and no alternative its supporters: proposals
// are "A proposal" in lists and logs and "Proposal N" in a compilation,
// the same for every party. One exception: in the list of proposals,
// where a delegation follows, withdraws and co-sponsors proposals, the
// proposals of the parties the viewer is registered for keep their
// attribution. The published texts (the draft, its logs, the compilation)
// do not make it: a delegation reads them as the public does.
type Anonymiser struct {
	attributed bool
	own        map[string]bool // the parties the viewer is registered for, by id
}

// anonymiserKey keeps the viewer's Anonymiser in its request scope.
type anonymiserKey struct{}

// Anonymiser returns the Anonymiser of the scope's viewer, made once per
// scope from the forum's setting and the viewer's standing.
func (s *Service) Anonymiser(ctx context.Context, sc *forum.Scope) (*Anonymiser, error) {
	return forum.Keep(sc, anonymiserKey{}, func() (*Anonymiser, error) {
		anon, err := compilationsAnonymised(ctx, s.store, sc.Forum)
		if err != nil {
			return nil, err
		}
		if !anon {
			return &Anonymiser{attributed: true}, nil
		}
		if !sc.Actor.LoggedIn() {
			return &Anonymiser{}, nil
		}
		v, err := sc.Viewer(ctx)
		if err != nil {
			return nil, err
		}
		attributed := v.Secretariat
		if !attributed {
			if attributed, err = s.MayEditDraft(ctx, sc); err != nil {
				return nil, err
			}
		}
		an := &Anonymiser{attributed: attributed, own: map[string]bool{}}
		for _, p := range v.Parties {
			an.own[p] = true
		}
		return an, nil
	})
}

// Attributed reports whether the viewer sees who proposed what.
func (an *Anonymiser) Attributed() bool { return an.attributed }

// RenderOptions returns opts for rendering what the viewer reads:
// anonymised unless the viewer sees who proposed what.
func (an *Anonymiser) RenderOptions(opts text.RenderOptions) text.RenderOptions {
	opts.Anonymised = !an.attributed
	return opts
}

// Draft returns d as the viewer may read it: d itself, or its anonymised
// copy.
func (an *Anonymiser) Draft(d *text.Draft) *text.Draft {
	if an.attributed {
		return d
	}
	return d.Anonymised()
}

// Log returns a revision log as the viewer may read it.
func (an *Anonymiser) Log(log []text.LogEntry) []text.LogEntry {
	if an.attributed {
		return log
	}
	out := make([]text.LogEntry, len(log))
	for i, e := range log {
		out[i] = e.Anonymised()
	}
	return out
}

// Compilation returns a compilation as the viewer may read it.
func (an *Anonymiser) Compilation(c *text.Compilation) *text.Compilation {
	if an.attributed {
		return c
	}
	return c.Anonymised()
}

// Consolidation returns a consolidated text as the viewer may read it.
func (an *Anonymiser) Consolidation(c *text.Consolidation) *text.Consolidation {
	if an.attributed {
		return c
	}
	return c.Anonymised()
}

// History makes a provision's drafting log what the viewer may read: each
// revision's text, log and sources as Draft and Log leave them.
func (an *Anonymiser) History(h *ProvisionHistory) {
	h.Attributed = an.attributed
	if an.attributed {
		return
	}
	for i := range h.Steps {
		st := &h.Steps[i]
		st.Log, st.Sources = an.Log(st.Log), nil
		if st.Provision != nil {
			p := st.Provision.Anonymised()
			st.Provision = &p
		}
	}
}

// Amendments makes a list of proposals, in place, what the viewer may
// read: proposals of other parties than the viewer's own lose their
// attribution and are marked Anonymous.
func (an *Anonymiser) Amendments(ams []Amendment) {
	for i := range ams {
		if !an.ShowsProposalOf(ams[i].PartyID) {
			ams[i] = ams[i].anonymised()
		}
	}
}

// ShowsProposalOf reports whether, in the list of proposals, the viewer
// sees who made a proposal of the party with this id (empty for an
// office's proposal).
func (an *Anonymiser) ShowsProposalOf(partyID string) bool {
	return an.attributed || partyID != "" && an.own[partyID]
}

// anonymised returns a copy of the proposal without its attribution: the
// text's (text.Amendment.Anonymised), the party, the number of its
// contribution and the capacity it was entered in.
func (am Amendment) anonymised() Amendment {
	am.Amendment = am.Amendment.Anonymised()
	am.PartyID, am.PartyName, am.ContributionNumber, am.EnteredAs = "", "", "", ""
	am.Anonymous = true
	return am
}
