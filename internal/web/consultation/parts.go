package consultation

import (
	"context"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/web"
	webdrafting "github.com/plenary-forum/plenary/internal/web/drafting"
)

// The consultation's parts of the drafting pages (the slots of
// internal/web/drafting): each reads through the request's scope, once per
// request whatever the number of provisions.

// draftNotes are a revision's comment periods, for its page.
type draftNotes struct {
	Periods []periodNote
	// Table is the disposition table of the revision, when it has
	// comments; Counts its numbers.
	Table  string
	Counts consultation.Counts
	// Open is the period taking comments now that the reader may comment
	// in, if any.
	Open *periodNote
}

type periodNote struct {
	Title, Path string
	State       consultation.PeriodState
	ClosesAt    time.Time
	MayComment  bool
	ID          string
}

// scopeOf is the request's scope in forum f, for a template function.
func (h *handler) scopeOf(ctx context.Context, f *forum.Forum) *forum.Scope {
	return h.svc.Kernel.RequestScopeOf(ctx, forum.ActorFrom(ctx), *f)
}

// notes reads the comment periods of a draft text's revision, once per
// request.
func (h *handler) notes(p web.Page, f *forum.Forum, draftID string, rev int) (draftNotes, error) {
	if f == nil {
		return draftNotes{}, nil
	}
	ctx, cancel := web.ReadContext(p)
	defer cancel()
	sc := h.scopeOf(ctx, f)
	type key struct {
		draft string
		rev   int
	}
	return forum.Keep(sc, key{draftID, rev}, func() (draftNotes, error) {
		svc := h.svc.Consultation
		ps, err := svc.Periods(ctx, sc, consultation.PeriodFilter{Draft: draftID, Revision: rev})
		if err != nil || len(ps) == 0 {
			return draftNotes{}, err
		}
		var n draftNotes
		now := plenary.Now()
		for _, x := range ps {
			pn := periodNote{ID: x.ID, Title: x.Title, Path: PeriodPath(f.Slug, x.ID), State: x.StateAt(now), ClosesAt: x.ClosesAt}
			if pn.MayComment, err = svc.MayComment(ctx, sc, x); err != nil {
				return n, err
			}
			n.Periods = append(n.Periods, pn)
		}
		for i := range n.Periods {
			if n.Periods[i].MayComment {
				n.Open = &n.Periods[i]
				break
			}
		}
		if n.Counts, err = svc.RevisionCounts(ctx, sc, draftID, rev); err != nil {
			return n, err
		}
		n.Table = TablePath(f.Slug, draftID, rev)
		return n, nil
	})
}

// unanswered is the count the revision form shows.
type unanswered struct {
	N    int
	Path string
}

// logEntry is a comment on a provision, with its disposition, for the
// provision's drafting log.
type logEntry struct {
	C      commentView
	Period string
}

// provisionLog is what a provision's drafting log shows of its comments:
// the first logShown of each period, and for a period that has more, a
// link to all of them on the period's page of the provision.
type provisionLog struct {
	Entries []logEntry
	More    []logMore
}

type logMore struct {
	Period, Path string
	Shown        int
}

// logShown is how many comments of each period a provision's drafting log
// shows.
const logShown = 50

func (h *handler) funcs() template.FuncMap {
	return template.FuncMap{
		// consDraftNotes are the comment periods of a revision.
		"consDraftNotes": func(p web.Page, f *forum.Forum, d drafting.DraftText, rev int) (draftNotes, error) {
			return h.notes(p, f, d.ID, rev)
		},
		// consProvisionForm is the comment form on a provision of the
		// draft's page, while a period on its revision takes the
		// reader's comments; "" otherwise.
		"consProvisionForm": func(s webdrafting.ProvisionSlot) (string, error) {
			n, err := h.notes(s.Page, s.Forum, s.Draft.ID, s.Revision)
			if err != nil || n.Open == nil {
				return "", err
			}
			return FormPath(s.Forum.Slug, n.Open.ID, consultation.TargetProvision, s.ID), nil
		},
		// consUnanswered counts the comments on a draft text still
		// without a disposition, for the revision form.
		"consUnanswered": func(p web.Page, f *forum.Forum, d drafting.DraftText) (unanswered, error) {
			if f == nil {
				return unanswered{}, nil
			}
			ctx, cancel := web.ReadContext(p)
			defer cancel()
			sc := h.scopeOf(ctx, f)
			ps, err := h.svc.Consultation.Periods(ctx, sc, consultation.PeriodFilter{Draft: d.ID})
			if err != nil || len(ps) == 0 {
				return unanswered{}, err
			}
			n, err := h.svc.Consultation.Unanswered(ctx, sc, d.ID)
			if err != nil {
				return unanswered{}, err
			}
			u := unanswered{N: n, Path: PeriodPath(f.Slug, ps[0].ID) + "?unanswered=1"}
			if len(ps) > 1 {
				u.Path = "/forums/" + f.Slug + "/consultations"
			}
			return u, nil
		},
		// consProvisionLog are the comments on a provision, in every
		// period on its draft text, with their dispositions.
		"consProvisionLog": func(p web.Page, f *forum.Forum, d drafting.DraftText, provisionID string) (*provisionLog, error) {
			if f == nil {
				return nil, nil
			}
			ctx, cancel := web.ReadContext(p)
			defer cancel()
			sc := h.scopeOf(ctx, f)
			svc := h.svc.Consultation
			cs, more, err := svc.ProvisionComments(ctx, sc, d.ID, provisionID, logShown)
			if err != nil || len(cs) == 0 {
				return nil, err
			}
			v, err := sc.Viewer(ctx)
			if err != nil {
				return nil, err
			}
			log := &provisionLog{}
			periods := map[string]consultation.Period{}
			names := map[string][]provision{}
			for _, c := range cs {
				per, ok := periods[c.PeriodID]
				if !ok {
					if per, err = svc.Period(ctx, sc, c.PeriodID); err != nil {
						return nil, err
					}
					periods[c.PeriodID] = per
					if names[per.ID], err = h.revisionProvisions(ctx, sc, per); err != nil {
						return nil, err
					}
				}
				log.Entries = append(log.Entries, logEntry{C: view(f.Slug, per, names[per.ID], c, v.Secretariat), Period: per.Title})
			}
			// A period with more comments has shown some: it was read above.
			for _, id := range more {
				per := periods[id]
				log.More = append(log.More, logMore{Period: per.Title, Shown: logShown, Path: PeriodPath(f.Slug, per.ID) + "/provisions/" + url.PathEscape(provisionID)})
			}
			return log, nil
		},
		// consParagraphs splits a comment's text into its paragraphs.
		"consParagraphs": func(s string) []string {
			var out []string
			for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return out
		},
	}
}
