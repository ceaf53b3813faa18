package consultation

import (
	"context"
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/web"
	webdrafting "github.com/plenary-forum/plenary/internal/web/drafting"
)

//go:embed templates
var templateFS embed.FS

// pageTypes pairs each page template with the page struct its handlers
// render it with.
var pageTypes = map[string]any{
	"cons_list":      listPage{},
	"cons_period":    periodPage{},
	"cons_form":      formPage{},
	"cons_comment":   commentPage{},
	"cons_campaigns": campaignsPage{},
	"cons_table":     tablePage{},
}

type handler struct {
	*web.Core
	svc *app.App
}

// Register registers the consultation's pages with the core, its tab
// (shown in a forum with a comment period the reader may see) and its
// parts of the drafting pages.
func Register(c *web.Core) {
	h := &handler{Core: c, svc: c.App()}
	c.Templates("consultation", templateFS, pageTypes)
	c.Funcs(h.funcs())
	c.Part(webdrafting.SlotDraftNotes, "cons-draft-notes")
	c.Part(webdrafting.SlotProvisionActions, "cons-provision-action")
	c.Part(webdrafting.SlotReviseNotes, "cons-revise-notes")
	c.Part(webdrafting.SlotProvisionLog, "cons-provision-log")
	c.Tab(web.Tab{Order: 350, Section: "consultations", Path: "/consultations", Label: "Consultations",
		Shown: func(r *http.Request, f forum.Forum, v forum.Viewer) (bool, error) {
			if v.Secretariat {
				return true, nil
			}
			ps, err := h.svc.Consultation.Periods(r.Context(), h.Scope(r, f), consultation.PeriodFilter{})
			return len(ps) > 0, err
		}})
	h.Handle("GET /forums/{slug}/consultations", h.showList)
	h.Handle("POST /forums/{slug}/consultations", h.openPeriod)
	h.Handle("GET /forums/{slug}/consultations/{id}", h.showPeriod)
	h.Handle("GET /forums/{slug}/consultations/{id}/provisions/{key}", h.showPeriod)
	h.Handle("POST /forums/{slug}/consultations/{id}/close", h.periodAction)
	h.Handle("POST /forums/{slug}/consultations/{id}/extend", h.periodAction)
	h.Handle("GET /forums/{slug}/consultations/{id}/comment", h.showForm)
	h.Handle("POST /forums/{slug}/consultations/{id}/comments", h.submit)
	h.Handle("GET /forums/{slug}/consultations/{id}/campaigns", h.showCampaigns)
	h.Handle("GET /forums/{slug}/consultations/{id}/campaigns/{n}", h.showCampaigns)
	h.Handle("POST /forums/{slug}/consultations/{id}/campaigns/{n}/dispose", h.disposeCampaign)
	h.Handle("GET /forums/{slug}/comments/{ref}", h.showComment)
	h.Handle("POST /forums/{slug}/comments/{ref}/{action}", h.commentAction)
	h.Handle("GET /forums/{slug}/drafts/{id}/revisions/{n}/dispositions", h.showTable)
	h.Handle("GET /forums/{slug}/drafts/{id}/revisions/{n}/dispositions.csv", h.downloadTable)
	h.Handle("GET /forums/{slug}/drafts/{id}/revisions/{n}/dispositions.json", h.downloadTable)
}

// Paths of the consultation's pages.

// PeriodPath is a comment period's page.
func PeriodPath(slug, id string) string {
	return "/forums/" + slug + "/consultations/" + url.PathEscape(id)
}

// CommentPath is a comment's page, by its number (C-12).
func CommentPath(slug, ref string) string {
	return "/forums/" + slug + "/comments/" + url.PathEscape(ref)
}

// TablePath is the disposition table of a revision of a draft text.
func TablePath(slug, draftID string, rev int) string {
	return "/forums/" + slug + "/drafts/" + url.PathEscape(draftID) + "/revisions/" + strconv.Itoa(rev) + "/dispositions"
}

// FormPath is the comment form of a period, on a target (and provision).
func FormPath(slug, periodID string, target consultation.Target, provision string) string {
	q := url.Values{}
	if target != "" {
		q.Set("target", string(target))
	}
	if provision != "" {
		q.Set("provision", provision)
	}
	s := PeriodPath(slug, periodID) + "/comment"
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// timeLayout is how a form's date and time field (datetime-local) sends
// a time; the consultation's times are in UTC.
const timeLayout = "2006-01-02T15:04"

// CommentsPerPage is how many comments a period's page shows at a time.
// A period can take hundreds of thousands; the page goes through them in
// the order of their numbers.
var CommentsPerPage = 500

// parseTime reads a form's time in UTC; empty is the zero time.
func parseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{timeLayout, "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, plenary.Invalid(field, "must be a date and time such as 2014-04-24T18:00, in UTC")
}

// refusal is a command's refusal as a form shows it: a conflict (a period
// closed, a comment already hidden) is about what was asked, so the form
// is shown again with it.
func refusal(err error) error {
	if plenary.ErrorCode(err) == plenary.CodeConflict {
		return plenary.Invalid("", "%s", plenary.AsError(err).Message)
	}
	return err
}

// provision is a provision of the text commented on, for lists and forms.
type provision struct {
	ID, Name, Label, Text string
}

// revisionProvisions are the provisions of the revision a period is on, in
// the order of the text; none for a period on a document.
func (h *handler) revisionProvisions(ctx context.Context, sc *forum.Scope, p consultation.Period) ([]provision, error) {
	if p.DraftID == "" {
		return nil, nil
	}
	rv, err := h.svc.Drafting.DraftRevision(ctx, sc, p.DraftID, p.Revision)
	if err != nil {
		return nil, err
	}
	out := make([]provision, 0, len(rv.Text.Provisions))
	for i := range rv.Text.Provisions {
		pv := &rv.Text.Provisions[i]
		out = append(out, provision{ID: pv.ID, Name: drafting.ProvisionName(pv), Label: pv.DisplayLabel(), Text: pv.Text()})
	}
	return out, nil
}

// nameOf is the name of a provision among ps, or its id.
func nameOf(ps []provision, id string) string {
	for _, p := range ps {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

// commentView is a comment as the pages show it, with what it addresses in
// words and the links of its disposition.
type commentView struct {
	consultation.Comment
	Path string
	// Where is what the comment addresses, in words: "the text as a
	// whole", "clause 1", "words in clause 1", "a new provision proposed
	// after clause 1".
	Where string
	// WherePath is the provision's place in the text, if any.
	WherePath string
	// Secretariat: the reader is the secretariat, who reads hidden texts.
	Secretariat bool
	// AmendmentPath and ProvisionPath are the links of its disposition;
	// ProvisionName names the linked provision, or is empty when it is of
	// a revision other than the period's.
	AmendmentPath, ProvisionPath, ProvisionName string
}

// view makes a comment's view: ps are the provisions of its period's
// revision.
func view(slug string, p consultation.Period, ps []provision, c consultation.Comment, sec bool) commentView {
	v := commentView{Comment: c, Path: CommentPath(slug, c.Ref), Secretariat: sec}
	draft := ""
	if p.DraftID != "" {
		draft = "/forums/" + slug + "/drafts/" + url.PathEscape(p.DraftID)
	}
	switch c.Target {
	case consultation.TargetProvision:
		v.Where = nameOf(ps, c.Provision)
	case consultation.TargetSpan:
		v.Where = "words in " + nameOf(ps, c.Provision)
	case consultation.TargetMissing:
		if c.Provision == "" {
			v.Where = "a new provision proposed at the beginning of the text"
		} else {
			v.Where = "a new provision proposed after " + nameOf(ps, c.Provision)
		}
	default:
		v.Where = c.Target.Label()
	}
	if draft != "" && c.Provision != "" {
		v.WherePath = draft + "?rev=" + strconv.Itoa(p.Revision) + "#" + text.ProvisionAnchor(c.Provision)
	}
	if d := c.Disposition; d != nil && draft != "" {
		if d.Amendment != "" {
			v.AmendmentPath = draft + "/amendments#am-" + d.Amendment
		}
		if d.Provision != "" {
			// Its name as the period's revision has it; a provision of
			// another revision is named by its revision alone, since its
			// number may have changed.
			if d.Revision == 0 || d.Revision == p.Revision {
				v.ProvisionName = nameOf(ps, d.Provision)
			}
			v.ProvisionPath = draft + "/provisions/" + url.PathEscape(d.Provision)
			if d.Revision != 0 {
				v.ProvisionPath = draft + "?rev=" + strconv.Itoa(d.Revision) + "#" + text.ProvisionAnchor(d.Provision)
			}
		}
	}
	return v
}

// Shown is the comment's text as the reader may read it: for the public,
// nothing of a hidden comment.
func (v commentView) Shown() bool { return !v.Hidden || v.Secretariat }

// IsSpan, IsMissing tell the targets apart for the templates.
func (v commentView) IsSpan() bool { return v.Target == consultation.TargetSpan }

// IsMissing reports whether the comment proposes missing text.
func (v commentView) IsMissing() bool { return v.Target == consultation.TargetMissing }

// OwnName reports whether the commenter comments in their own name.
func (v commentView) OwnName() bool { return v.Organisation == consultation.Individual }
