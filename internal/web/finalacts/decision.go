package finalacts

import (
	"cmp"
	"html/template"
	"slices"

	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/web"
	webdecisions "github.com/plenary-forum/plenary/internal/web/decisions"
)

// onDecision is what the final acts keep with a decision, for its page:
// the final acts that include the text it adopted, and the explanations
// of position and closing statements filed on it or on that text.
type onDecision struct {
	Slug       string
	FinalActs  []finalacts.FinalActs
	Statements []finalacts.Statement
}

// Path is the page of final acts of the decision's forum.
func (o onDecision) Path(id string) string { return Path(o.Slug, id) }

// decisionParts shows, on a decision's page, what the final acts keep
// with it.
func (h *handler) decisionParts(c *web.Core) {
	c.Funcs(template.FuncMap{
		"faOnDecision": func(p web.Page, f *forum.Forum, d decisions.Decision) (onDecision, error) {
			if f == nil {
				return onDecision{}, nil
			}
			ctx, cancel := web.ReadContext(p)
			defer cancel()
			sc := h.svc.Kernel.RequestScopeOf(ctx, forum.ActorFrom(ctx), *f)
			out := onDecision{Slug: f.Slug}
			var err error
			if d.Document != nil && d.Draft != "" {
				if out.FinalActs, err = h.svc.FinalActs.Including(ctx, sc, d.Draft, d.Revision); err != nil {
					return out, err
				}
			}
			if out.Statements, err = h.svc.FinalActs.Statements(ctx, sc, finalacts.TargetInput{Kind: finalacts.OnDecision, ID: d.ID}); err != nil {
				return out, err
			}
			if d.Document != nil {
				// And those filed on the text it adopted, as a document.
				on, err := h.svc.FinalActs.Statements(ctx, sc, finalacts.TargetInput{Kind: finalacts.OnDocument, ID: d.Document.ID})
				if err != nil {
					return out, err
				}
				out.Statements = append(out.Statements, on...)
				slices.SortStableFunc(out.Statements, func(a, b finalacts.Statement) int { return cmp.Compare(a.Seq, b.Seq) })
			}
			return out, nil
		},
	})
	c.Part(webdecisions.SlotDecisionRecord, "fa-decision-record")
}
