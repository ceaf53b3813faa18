package meetings

import (
	"context"
	"html/template"
	"net/url"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/text"
)

// The text under discussion: the current revision of the provisions (or
// the whole draft texts) that the current agenda item links, read through
// the drafting service as the viewer may read them. A text the viewer may
// not read is left out; the item's links still name it.

// DiscussedText is one draft text, or one provision of it, under
// discussion.
type DiscussedText struct {
	// Heading names it: "WTPF-13/5(Rev.1), paragraph 1" or the draft's
	// label and title.
	Heading string
	Path    string
	// Whole is true when the item takes up the whole draft.
	Whole      bool
	Provisions []DiscussedProvision
}

// DiscussedProvision is a provision as the live page shows it.
type DiscussedProvision struct {
	// Intro is set when the provision opens a group of clauses
	// ("considering", "is of the view").
	Intro string
	Label string
	Body  template.HTML
}

// discussedTexts reads what the item links: each draft whole, or the
// provisions linked one by one (none twice, and no provision of a draft
// shown whole).
func (h *handler) discussedTexts(ctx context.Context, sc *forum.Scope, item *meetings.AgendaItem) ([]DiscussedText, error) {
	if item == nil {
		return nil, nil
	}
	whole := map[string]bool{}
	for _, l := range item.Links {
		if l.Kind == meetings.LinkDraft {
			whole[l.Ref] = true
		}
	}
	var out []DiscussedText
	var opts *text.RenderOptions
	seen := map[string]bool{}
	for _, l := range item.Links {
		if l.Kind != meetings.LinkDraft && l.Kind != meetings.LinkProvision {
			continue
		}
		if l.Kind == meetings.LinkProvision && whole[l.Ref] {
			continue
		}
		key := l.Ref + "#" + l.Provision
		if seen[key] {
			continue
		}
		seen[key] = true
		rv, err := h.svc.Drafting.DraftRevision(ctx, sc, l.Ref, 0)
		if err != nil {
			switch plenary.ErrorCode(err) {
			case plenary.CodeForbidden, plenary.CodeUnauthorized, plenary.CodeNotFound:
				continue
			}
			return nil, err
		}
		if opts == nil {
			an, err := h.svc.Drafting.Anonymiser(ctx, sc)
			if err != nil {
				return nil, err
			}
			o := an.RenderOptions(text.RenderOptions{})
			opts = &o
		}
		dt := DiscussedText{Heading: rv.Draft.Label + ": " + rv.Text.Title, Whole: l.Kind == meetings.LinkDraft,
			Path: "/forums/" + sc.Forum.Slug + "/drafts/" + url.PathEscape(rv.Draft.ID)}
		intro := ""
		for i := range rv.Text.Provisions {
			p := &rv.Text.Provisions[i]
			opens := p.Intro != "" && p.Intro != intro
			intro = p.Intro
			if !dt.Whole && p.ID != l.Provision {
				continue
			}
			dp := DiscussedProvision{Label: p.DisplayLabel(), Body: export.BodyHTML(p, *opts)}
			if opens || !dt.Whole {
				dp.Intro = p.Intro
			}
			dt.Provisions = append(dt.Provisions, dp)
			if !dt.Whole {
				dt.Heading = rv.Draft.Label + ", " + drafting.ProvisionName(p)
				dt.Path += "#" + text.ProvisionAnchor(p.ID)
			}
		}
		if len(dt.Provisions) == 0 {
			// The provision is not in the current revision any more.
			continue
		}
		out = append(out, dt)
	}
	return out, nil
}
