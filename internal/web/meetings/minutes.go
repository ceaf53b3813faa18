package meetings

import (
	"net/http"
	"net/url"

	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/web"
)

// The minutes drafted from the record, which the secretariat edits and
// issues as a numbered document, and the Akoma Ntoso debate export.

func init() {
	pageTypes["meet_minutes"] = minutesPage{}
}

func registerMinutes(h *handler) {
	h.Handle("GET /forums/{slug}/meetings/{id}/minutes", h.showMinutes)
	h.Handle("POST /forums/{slug}/meetings/{id}/minutes", h.issueMinutes)
	h.Handle("GET /forums/{slug}/meetings/{id}/debate.xml", h.debateXML)
}

// minutesPage is the draft summary record of a meeting.
type minutesPage struct {
	web.Base
	M      meetings.Meeting
	Series []documents.Series
	In     meetings.MinutesInput
}

// MPath is the meeting's page.
func (p minutesPage) MPath() string {
	return "/forums/" + p.Forum.Slug + "/meetings/" + url.PathEscape(p.M.Number)
}

// siteBase is the scheme and host the request came to.
func siteBase(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

func (h *handler) minutesPage(r *http.Request, in *meetings.MinutesInput) (minutesPage, error) {
	b, f, _, err := h.ForumBase(r, "Summary record", "meetings")
	if err != nil {
		return minutesPage{}, err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	m, err := h.svc.Meetings.Meeting(ctx, sc, r.PathValue("id"))
	if err != nil {
		return minutesPage{}, err
	}
	p := minutesPage{Base: b, M: m}
	p.Title = m.Number + ": minutes"
	if in != nil {
		p.In = *in
	} else {
		text, err := h.svc.Meetings.MinutesDraft(ctx, sc, m.ID, siteBase(r))
		if err != nil {
			return p, err
		}
		p.In = meetings.MinutesInput{Title: "Summary record of meeting " + m.Number + ": " + m.Title, Text: text}
	}
	p.Series, err = h.svc.Documents.DocSeries(ctx, sc)
	return p, err
}

func (h *handler) showMinutes(w http.ResponseWriter, r *http.Request) error {
	p, err := h.minutesPage(r, nil)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "meet_minutes", p)
	return nil
}

func (h *handler) issueMinutes(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	in := meetings.MinutesInput{Series: r.PostFormValue("series"), Title: r.PostFormValue("title"), Text: r.PostFormValue("text")}
	d, err := h.svc.Meetings.IssueMinutes(r.Context(), sc, r.PathValue("id"), in)
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "meet_minutes", func(r *http.Request) (minutesPage, error) { return h.minutesPage(r, &in) }, nil)
	}
	return h.Redirect(w, r, "/forums/"+sc.Forum.Slug+"/documents/"+d.ID, "The minutes are issued as "+d.Number+".")
}

func (h *handler) debateXML(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	x, err := h.svc.Meetings.DebateXML(r.Context(), sc, r.PathValue("id"), siteBase(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/akn+xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+url.PathEscape(r.PathValue("id"))+`.akn.xml"`)
	_, err = w.Write(x)
	return err
}
