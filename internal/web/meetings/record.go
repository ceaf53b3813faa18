package meetings

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/web"
)

// A meeting's interventions with their transcripts and statements, and
// the forms of the secretariat and captioners: type transcript text,
// import a WebVTT file, attach a statement.

func init() {
	pageTypes["meet_interventions"] = interventionsPage{}
	web.Describe("transcript.added", func(p map[string]any) string {
		who := web.Str(p, "name")
		if pn := web.Str(p, "party_name"); pn != "" {
			who += " (" + pn + ")"
		}
		return "Transcript text of " + who + " was added to the record of meeting " + web.Str(p, "number") + "."
	})
	web.Describe("transcript.imported", func(p map[string]any) string {
		return fmt.Sprintf("A transcript of meeting %s was imported: %v lines placed with their speakers, %v outside every intervention.",
			web.Str(p, "number"), p["stored"], p["unassigned"])
	})
	web.Describe("intervention.statement_attached", func(p map[string]any) string {
		who := web.Str(p, "name")
		if pn := web.Str(p, "party_name"); pn != "" {
			who += " (" + pn + ")"
		}
		return "The statement " + web.Str(p, "document_number") + " was attached to the intervention of " + who + " at meeting " + web.Str(p, "number") + "."
	})
}

func registerRecord(h *handler) {
	h.Handle("GET /forums/{slug}/meetings/{id}/interventions", h.showInterventions)
	h.Handle("POST /forums/{slug}/meetings/{id}/interventions/{iid}/transcript", h.addTranscript)
	h.Handle("POST /forums/{slug}/meetings/{id}/interventions/{iid}/statement", h.attachStatement)
	h.HandleRaw("POST /forums/{slug}/meetings/{id}/transcript", http.HandlerFunc(h.importWebVTT))
}

// interventionsPage is a meeting's interventions.
type interventionsPage struct {
	web.Base
	M         meetings.Meeting
	Records   []meetings.InterventionRecord
	MayRecord bool
	// Base is the default start of a recording: the meeting's start at
	// the venue, for a datetime-local field.
	Start string
	// Import is the result of the last import, shown once.
	Import *meetings.ImportResult
	Form   string
	Sent   url.Values
}

// Value is what the refused form sent in a field.
func (p interventionsPage) Value(field string) string { return p.Sent.Get(field) }

// MPath is the meeting's page.
func (p interventionsPage) MPath() string {
	return "/forums/" + p.Forum.Slug + "/meetings/" + url.PathEscape(p.M.Number)
}

// Local writes a time at the venue.
func (p interventionsPage) Local(t time.Time) string { return t.In(p.M.Location()).Format("15:04:05") }

// OriginOf says where a speaker spoke from.
func (p interventionsPage) OriginOf(in meetings.Intervention) string {
	return OriginLabel(in.Origin, in.Hub)
}

// KindOf is the kind of an intervention for people.
func (p interventionsPage) KindOf(in meetings.Intervention) string {
	return web.UpperFirst(in.Kind.Label())
}

// SpokenOf writes a time spoken.
func (p interventionsPage) SpokenOf(ms int64) string { return Duration(ms) }

func (h *handler) interventionsPage(r *http.Request) (interventionsPage, error) {
	b, f, _, err := h.ForumBase(r, "Interventions", "meetings")
	if err != nil {
		return interventionsPage{}, err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	m, err := h.svc.Meetings.Meeting(ctx, sc, r.PathValue("id"))
	if err != nil {
		return interventionsPage{}, err
	}
	p := interventionsPage{Base: b, M: m, Start: m.LocalStart().Format("2006-01-02T15:04:05")}
	p.Title = m.Number + ": interventions"
	if p.Records, err = h.svc.Meetings.Record(ctx, sc, m.ID); err != nil {
		return p, err
	}
	p.MayRecord, err = h.svc.Meetings.MayRecord(ctx, sc)
	return p, err
}

func (h *handler) showInterventions(w http.ResponseWriter, r *http.Request) error {
	p, err := h.interventionsPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "meet_interventions", p)
	return nil
}

// recordAct runs a form of the interventions page.
func (h *handler) recordAct(w http.ResponseWriter, r *http.Request, form, flash string, do func(sc *forum.Scope) error) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	if err := do(sc); err != nil {
		if plenary.ErrorCode(err) == plenary.CodeConflict {
			err = plenary.Invalid("", "%s", plenary.AsError(err).Message)
		}
		return web.RefuseForm(h.Core, w, r, err, "meet_interventions", h.interventionsPage, func(p *interventionsPage) { p.Form, p.Sent = form, r.PostForm })
	}
	m, err := h.svc.Meetings.Meeting(r.Context(), sc, r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.Redirect(w, r, meetingPath(sc.Forum, m)+"/interventions#i-"+r.PathValue("iid"), flash)
}

func (h *handler) addTranscript(w http.ResponseWriter, r *http.Request) error {
	return h.recordAct(w, r, "text-"+r.PathValue("iid"), "The transcript text is on the record.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.AddTranscript(r.Context(), sc, r.PathValue("id"), r.PathValue("iid"), r.PostFormValue("text"))
		return err
	})
}

func (h *handler) attachStatement(w http.ResponseWriter, r *http.Request) error {
	return h.recordAct(w, r, "statement-"+r.PathValue("iid"), "The statement is attached.", func(sc *forum.Scope) error {
		_, err := h.svc.Meetings.AttachStatement(r.Context(), sc, r.PathValue("id"), r.PathValue("iid"), r.PostFormValue("document"))
		return err
	})
}

// importWebVTT reads the upload form (a file of at most
// meetings.MaxWebVTTBytes and the recording's start at the venue), checks
// its CSRF token, imports it and shows the page with what was placed and
// what was not.
func (h *handler) importWebVTT(w http.ResponseWriter, r *http.Request) {
	fail := func(err error) {
		if _, _, ok := web.FieldErrors(err); ok {
			err = web.RefuseForm(h.Core, w, r, err, "meet_interventions", h.interventionsPage, func(p *interventionsPage) { p.Form, p.Sent = "import", r.PostForm })
		}
		if err != nil {
			h.Fail(w, r, err)
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, meetings.MaxWebVTTBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.Fail(w, r, &plenary.Error{Code: plenary.CodeTooLarge, Field: "file", Message: fmt.Sprintf("is larger than the limit of %d MiB", meetings.MaxWebVTTBytes>>20)})
			return
		}
		h.Fail(w, r, &plenary.Error{Code: plenary.CodeInvalid, Message: "the form could not be read: send the file as multipart/form-data"})
		return
	}
	defer r.MultipartForm.RemoveAll()
	if err := web.CheckCSRF(r); err != nil {
		h.Fail(w, r, err)
		return
	}
	if err := web.CheckFormText(r); err != nil {
		h.Fail(w, r, err)
		return
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	m, err := h.svc.Meetings.Meeting(r.Context(), sc, r.PathValue("id"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	base := m.Starts
	if s := strings.TrimSpace(r.PostFormValue("base")); s != "" {
		t, err := parseLocal(s, m.Location())
		if err != nil {
			fail(plenary.Invalid("base", "must be a date and time at the venue, such as 2013-05-15T09:30:00"))
			return
		}
		base = t
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		fail(plenary.Invalid("file", "choose a WebVTT file (.vtt)"))
		return
	}
	defer file.Close()
	res, err := h.svc.Meetings.ImportWebVTT(r.Context(), sc, m.ID, io.Reader(file), base)
	if err != nil {
		fail(err)
		return
	}
	p, err := h.interventionsPage(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	p.Import = &res
	p.Flash = fmt.Sprintf("The transcript is imported: %d of %d cues placed with their speakers.", len(res.Stored), res.Cues)
	h.Render(w, r, http.StatusOK, "meet_interventions", p)
}

// parseLocal reads a datetime-local value at the venue.
func parseLocal(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, plenary.Invalid("base", "not a date and time")
}
