package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
)

// The record of a meeting's interventions: transcripts, statements, the
// draft minutes and their issue, the debate in Akoma Ntoso.

// TranscriptInput is the body of typed transcript text.
type TranscriptInput struct {
	Text string `json:"text"`
}

// StatementInput is the body that attaches a statement to an
// intervention.
type StatementInput struct {
	// Document is the statement's id or number; it must be of type
	// statement, and readable by the caller.
	Document string `json:"document"`
}

// TranscriptUpload documents the multipart/form-data body of a WebVTT
// import.
type TranscriptUpload struct {
	// File is the WebVTT file (at most 4 MiB).
	File Binary `json:"file"`
	// Base is when the recording starts: RFC 3339, or a date and time at
	// the venue (2013-05-15T09:30:00); the meeting's start when empty.
	Base string `json:"base,omitempty"`
}

// InterventionRecordList is the body of GET .../record.
type InterventionRecordList struct {
	Interventions []meetings.InterventionRecord `json:"interventions"`
}

// TranscriptList is the body of GET .../transcript.
type TranscriptList struct {
	Lines []meetings.TranscriptLine `json:"lines"`
}

// MinutesDraft is the body of GET .../minutes.
type MinutesDraft struct {
	// Markdown is the draft summary record.
	Markdown string `json:"markdown"`
}

// apiBase is the scheme and host the request came to.
func apiBase(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// recordRoutes registers the endpoints of a meeting's record.
func (h *Handler) recordRoutes() {
	base := "/forums/{slug}/meetings/{id}"
	h.add(&Op{Method: "GET", Path: base + "/record", ID: "getMeetingRecord", Tag: "floor",
		Summary:  "A meeting's interventions in order with their transcripts (each line knows who was speaking) and the statements the caller may read",
		Response: InterventionRecordList{}},
		query(func(r *http.Request, sc *forum.Scope) (InterventionRecordList, error) {
			recs, err := h.svc.Meetings.Record(r.Context(), sc, r.PathValue("id"))
			return InterventionRecordList{Interventions: recs}, err
		}))
	h.add(&Op{Method: "GET", Path: base + "/transcript", ID: "getMeetingTranscript", Tag: "floor",
		Summary: "A meeting's transcript: its lines in the order of the interventions, each with its speaker", Response: TranscriptList{}},
		query(func(r *http.Request, sc *forum.Scope) (TranscriptList, error) {
			ls, err := h.svc.Meetings.Transcript(r.Context(), sc, r.PathValue("id"))
			return TranscriptList{Lines: ls}, err
		}))
	h.add(&Op{Method: "POST", Path: base + "/interventions/{intervention}/transcript", ID: "addTranscript", Tag: "floor",
		Summary: "Add typed transcript text to an intervention (the secretariat, or whoever may manage the floor, such as a captioner)", Auth: true,
		Request: TranscriptInput{}, Response: meetings.TranscriptLine{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in TranscriptInput) (meetings.TranscriptLine, error) {
			return h.svc.Meetings.AddTranscript(r.Context(), sc, r.PathValue("id"), r.PathValue("intervention"), in.Text)
		}))
	h.add(&Op{Method: "POST", Path: base + "/transcript", ID: "importTranscript", Tag: "floor",
		Summary: "Import a WebVTT file: each cue goes to the intervention it overlaps most; cues outside every intervention are reported, not stored (the secretariat, or whoever may manage the floor)", Auth: true,
		Request: TranscriptUpload{}, Consumes: "multipart/form-data", Response: meetings.ImportResult{}, Status: http.StatusCreated},
		upload(func(r *http.Request, sc *forum.Scope, f uploadedFile) (meetings.ImportResult, error) {
			m, err := h.svc.Meetings.Meeting(r.Context(), sc, r.PathValue("id"))
			if err != nil {
				return meetings.ImportResult{}, err
			}
			start := m.Starts
			if s := strings.TrimSpace(r.FormValue("base")); s != "" {
				if start, err = parseBase(s, m.Location()); err != nil {
					return meetings.ImportResult{}, err
				}
			}
			return h.svc.Meetings.ImportWebVTT(r.Context(), sc, m.ID, f.Content, start)
		}))
	h.add(&Op{Method: "POST", Path: base + "/interventions/{intervention}/statement", ID: "attachStatement", Tag: "floor",
		Summary: "Attach a numbered document of type statement to an intervention (the secretariat, or whoever may manage the floor)", Auth: true,
		Request: StatementInput{}, Response: documents.Document{}},
		command(func(r *http.Request, sc *forum.Scope, in StatementInput) (documents.Document, error) {
			return h.svc.Meetings.AttachStatement(r.Context(), sc, r.PathValue("id"), r.PathValue("intervention"), in.Document)
		}))
	h.add(&Op{Method: "GET", Path: base + "/minutes", ID: "getMinutesDraft", Tag: "floor",
		Summary:  "The draft summary record of an adjourned or closed meeting, in Markdown (secretariat); with Accept: text/markdown, the Markdown itself",
		Response: MinutesDraft{}},
		raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			md, err := h.svc.Meetings.MinutesDraft(r.Context(), sc, r.PathValue("id"), apiBase(r))
			if err != nil {
				return err
			}
			if strings.Contains(r.Header.Get("Accept"), "text/markdown") {
				w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
				_, err = w.Write([]byte(md))
				return err
			}
			writeJSON(w, http.StatusOK, MinutesDraft{Markdown: md})
			return nil
		}))
	h.add(&Op{Method: "POST", Path: base + "/minutes", ID: "issueMinutes", Tag: "floor",
		Summary: "Issue the minutes of an adjourned or closed meeting as a numbered document of type minutes, in the series chosen (secretariat)", Auth: true,
		Request: meetings.MinutesInput{}, Response: documents.Document{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in meetings.MinutesInput) (documents.Document, error) {
			return h.svc.Meetings.IssueMinutes(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "GET", Path: base + "/debate.xml", ID: "getMeetingDebate", Tag: "floor",
		Summary:  "A meeting's record as an Akoma Ntoso 3.0 debate: per agenda item its speeches, points of order with rulings and questions",
		Response: "", Produces: "application/akn+xml"},
		raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			x, err := h.svc.Meetings.DebateXML(r.Context(), sc, r.PathValue("id"), apiBase(r))
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/akn+xml; charset=utf-8")
			_, err = w.Write(x)
			return err
		}))
}

// parseBase reads the start of a recording: RFC 3339, or a time at the
// venue.
func parseBase(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, plenary.Invalid("base", "must be RFC 3339 or a date and time at the venue, such as 2013-05-15T09:30:00")
}
