package meetings

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/transcript"
)

// Transcripts and statements of interventions. Transcript text is entered
// by the forum's secretariat or by a captioner, who is whoever the rules
// let manage the floor (the chair, and the staff the secretariat gives
// that right); it is typed for one intervention, or imported from a
// WebVTT file whose cues are aligned by time to the meeting's
// interventions. Each stored line belongs to one intervention, so it
// knows who was speaking. Cues outside every intervention are not stored:
// the import reports them, and whoever imports may type them where they
// belong. A statement is a numbered document of type statement attached
// to an intervention.

// Transcript sources.
const (
	SourceTyped  = "typed"
	SourceWebVTT = "webvtt"
)

// Limits of transcripts.
const (
	MaxTranscriptText = 20000   // one typed entry
	MaxWebVTTBytes    = 4 << 20 // one imported file
)

// TranscriptLine is one line of an intervention's transcript.
type TranscriptLine struct {
	ID             string    `json:"id"`
	InterventionID string    `json:"intervention_id"`
	N              int       `json:"n"`
	At             time.Time `json:"at"`
	Text           string    `json:"text"`
	Source         string    `json:"source"`
	// Speaker and Party are the intervention's: who was speaking.
	Speaker   string    `json:"speaker"`
	Party     string    `json:"party,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ImportResult is what a WebVTT import stored and what it could not place.
type ImportResult struct {
	Cues   int              `json:"cues"`
	Stored []TranscriptLine `json:"stored"`
	// Unassigned are the cues outside every intervention, not stored.
	Unassigned []UnassignedCue `json:"unassigned"`
}

// UnassignedCue is a cue of an import that no intervention holds.
type UnassignedCue struct {
	Line  int       `json:"line"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Voice string    `json:"voice,omitempty"`
	Text  string    `json:"text"`
}

// mayRecord lets the secretariat, or whoever may manage the floor (the
// chair, a captioner given that right), enter transcripts and statements.
func mayRecord(ctx context.Context, sc *forum.Scope) error {
	ok, err := sc.May(ctx, rules.ManageFloor, "")
	if err != nil || ok {
		return err
	}
	if err := sc.RequireSecretariat(ctx); err != nil {
		return plenary.Forbidden("transcripts and statements are entered by the secretariat, or by whoever may %s", rules.ManageFloor.Label())
	}
	return nil
}

// MayRecord reports whether the actor may enter transcripts and attach
// statements.
func (s *Service) MayRecord(ctx context.Context, sc *forum.Scope) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	err := mayRecord(ctx, sc)
	if plenary.ErrorCode(err) == plenary.CodeForbidden {
		return false, nil
	}
	return err == nil, err
}

// interventionOf reads one intervention of a meeting.
func (s *Service) interventionOf(ctx context.Context, q store.Querier, meetingID, id string) (Intervention, error) {
	all, err := s.interventions(ctx, q, meetingID, 0)
	if err != nil {
		return Intervention{}, err
	}
	for _, in := range all {
		if in.ID == id {
			return in, nil
		}
	}
	return Intervention{}, plenary.Invalid("intervention", "no finished intervention %q in this meeting", id)
}

// recordCommand runs a command on a meeting's record of interventions.
func (s *Service) recordCommand(ctx context.Context, sc *forum.Scope, ref, name string, fn func(tx *store.Tx, sc *forum.Scope, m Meeting) error) error {
	if err := mayRecord(ctx, sc); err != nil {
		return err
	}
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return err
	}
	if err := s.checkVisible(ctx, sc, old); err != nil {
		return err
	}
	return s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		m, err := s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if m.State == StateCancelled {
			return plenary.Conflict("meeting %s was cancelled", m.Number)
		}
		return fn(tx, sc, m)
	})
}

func (s *Service) insertLine(ctx context.Context, tx *store.Tx, sc *forum.Scope, m Meeting, in Intervention, at time.Time, text, source string) (TranscriptLine, error) {
	var n sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(n) FROM meeting_transcript WHERE intervention_id = ?", in.ID).Scan(&n); err != nil {
		return TranscriptLine{}, err
	}
	l := TranscriptLine{ID: plenary.NewID(), InterventionID: in.ID, N: int(n.Int64) + 1, At: at.UTC().Truncate(time.Millisecond), Text: text,
		Source: source, Speaker: in.Name, Party: in.PartyName, CreatedAt: plenary.Now().UTC().Truncate(time.Millisecond)}
	_, err := tx.ExecContext(ctx, `INSERT INTO meeting_transcript (id, meeting_id, intervention_id, n, at_ms, text, source, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, m.ID, in.ID, l.N, l.At.UnixMilli(), l.Text, source, sc.Actor.LedgerID(), l.CreatedAt.UnixMilli())
	return l, err
}

// start is when an intervention began: its clock's start, else when the
// floor was given.
func (in Intervention) start() time.Time {
	if in.StartedAt != nil {
		return *in.StartedAt
	}
	return in.GivenAt
}

// AddTranscript adds typed transcript text to an intervention of the
// meeting.
func (s *Service) AddTranscript(ctx context.Context, sc *forum.Scope, ref, interventionID, text string) (TranscriptLine, error) {
	text, err := forum.CheckText("text", strings.TrimSpace(text), MaxTranscriptText)
	if err != nil {
		return TranscriptLine{}, err
	}
	if text == "" {
		return TranscriptLine{}, plenary.Invalid("text", "write the transcript text")
	}
	var l TranscriptLine
	err = s.recordCommand(ctx, sc, ref, "meetings.AddTranscript", func(tx *store.Tx, sc *forum.Scope, m Meeting) error {
		in, err := s.interventionOf(ctx, tx, m.ID, strings.TrimSpace(interventionID))
		if err != nil {
			return err
		}
		if l, err = s.insertLine(ctx, tx, sc, m, in, in.start(), text, SourceTyped); err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "transcript.added", map[string]any{"intervention": in.ID, "name": in.Name, "party_name": in.PartyName,
			"n": l.N, "chars": len([]rune(text))})
	})
	return l, err
}

// ImportWebVTT imports a WebVTT file (at most MaxWebVTTBytes) whose cue
// times count from base: each cue goes to the intervention it overlaps
// most (from the start of its clock, or when the floor was given, to its
// end). The cues outside every intervention are reported, not stored.
func (s *Service) ImportWebVTT(ctx context.Context, sc *forum.Scope, ref string, r io.Reader, base time.Time) (ImportResult, error) {
	if base.IsZero() {
		return ImportResult{}, plenary.Invalid("base", "give the time the recording starts at")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxWebVTTBytes+1))
	if err != nil {
		return ImportResult{}, err
	}
	if len(data) > MaxWebVTTBytes {
		return ImportResult{}, plenary.Invalid("transcript", "the file is larger than %d MiB", MaxWebVTTBytes>>20)
	}
	cues, err := transcript.Parse(data, transcript.Limits{MaxBytes: MaxWebVTTBytes})
	if err != nil {
		var pe *plenary.Error
		if errors.As(err, &pe) {
			return ImportResult{}, err
		}
		return ImportResult{}, plenary.Invalid("transcript", "%s", err.Error())
	}
	res := ImportResult{Cues: len(cues), Stored: []TranscriptLine{}, Unassigned: []UnassignedCue{}}
	err = s.recordCommand(ctx, sc, ref, "meetings.ImportWebVTT", func(tx *store.Tx, sc *forum.Scope, m Meeting) error {
		ins, err := s.interventions(ctx, tx, m.ID, 0)
		if err != nil {
			return err
		}
		byID := map[string]Intervention{}
		spans := make([]transcript.Span, 0, len(ins))
		for _, in := range ins {
			byID[in.ID] = in
			spans = append(spans, transcript.Span{ID: in.ID, Start: in.start(), End: in.EndedAt})
		}
		for _, seg := range transcript.Align(cues, base, spans) {
			if !seg.Assigned {
				res.Unassigned = append(res.Unassigned, UnassignedCue{Line: seg.Cue.Line, Start: seg.Start.UTC(), End: seg.End.UTC(), Voice: seg.Cue.Voice, Text: seg.Cue.Text})
				continue
			}
			l, err := s.insertLine(ctx, tx, sc, m, byID[seg.Span], seg.Start, seg.Cue.Text, SourceWebVTT)
			if err != nil {
				return err
			}
			res.Stored = append(res.Stored, l)
		}
		return s.emit(ctx, tx, sc, m, "transcript.imported", map[string]any{"cues": len(cues), "stored": len(res.Stored),
			"unassigned": len(res.Unassigned), "base": base.UTC().Format(time.RFC3339)})
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// AttachStatement attaches a numbered document of type statement, which
// the actor may read, to an intervention of the meeting.
func (s *Service) AttachStatement(ctx context.Context, sc *forum.Scope, ref, interventionID, documentID string) (documents.Document, error) {
	ref2 := strings.TrimSpace(documentID)
	if ref2 == "" {
		return documents.Document{}, plenary.Invalid("document", "name the statement, by id or number")
	}
	d, err := s.documents.Document(ctx, sc, ref2)
	if plenary.ErrorCode(err) == plenary.CodeNotFound {
		d, err = s.documents.DocumentByNumber(ctx, sc, ref2)
	}
	if plenary.ErrorCode(err) == plenary.CodeNotFound {
		return documents.Document{}, plenary.Invalid("document", "no document %q you may read in this forum", ref2)
	}
	if err != nil {
		return documents.Document{}, err
	}
	if d.Type != documents.DocStatement {
		return documents.Document{}, plenary.Invalid("document", "%s is not a statement but of type %s", d.Number, d.Type)
	}
	err = s.recordCommand(ctx, sc, ref, "meetings.AttachStatement", func(tx *store.Tx, sc *forum.Scope, m Meeting) error {
		in, err := s.interventionOf(ctx, tx, m.ID, strings.TrimSpace(interventionID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE meeting_interventions SET statement_doc_id = ? WHERE id = ? AND meeting_id = ?", d.ID, in.ID, m.ID); err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "intervention.statement_attached", map[string]any{"intervention": in.ID, "name": in.Name,
			"party_name": in.PartyName, "document": d.ID, "document_number": d.Number})
	})
	return d, err
}

// Transcript is the transcript of a meeting's interventions, in the
// order of the interventions, then of time.
func (s *Service) Transcript(ctx context.Context, sc *forum.Scope, ref string) ([]TranscriptLine, error) {
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.QueryContext(ctx, `SELECT t.id, t.intervention_id, t.n, t.at_ms, t.text, t.source, t.created_at, i.speaker_name, i.party_name
		FROM meeting_transcript t JOIN meeting_interventions i ON i.id = t.intervention_id
		WHERE t.meeting_id = ? ORDER BY i.seq, i.ended_at, i.id, t.at_ms, t.n`, m.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TranscriptLine{}
	for rows.Next() {
		var l TranscriptLine
		var at, cr int64
		if err := rows.Scan(&l.ID, &l.InterventionID, &l.N, &at, &l.Text, &l.Source, &cr, &l.Speaker, &l.Party); err != nil {
			return nil, err
		}
		l.At, l.CreatedAt = time.UnixMilli(at).UTC(), time.UnixMilli(cr).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

// InterventionRecord is an intervention with its transcript and the
// number of its statement (when the actor may read it).
type InterventionRecord struct {
	Intervention
	Lines           []TranscriptLine `json:"transcript"`
	StatementNumber string           `json:"statement_number,omitempty"`
}

// Record is a meeting's interventions with their transcripts and
// statements.
func (s *Service) Record(ctx context.Context, sc *forum.Scope, ref string) ([]InterventionRecord, error) {
	ins, err := s.Interventions(ctx, sc, ref)
	if err != nil {
		return nil, err
	}
	lines, err := s.Transcript(ctx, sc, ref)
	if err != nil {
		return nil, err
	}
	by := map[string][]TranscriptLine{}
	for _, l := range lines {
		by[l.InterventionID] = append(by[l.InterventionID], l)
	}
	out := make([]InterventionRecord, 0, len(ins))
	for _, in := range ins {
		rec := InterventionRecord{Intervention: in, Lines: by[in.ID]}
		if rec.Lines == nil {
			rec.Lines = []TranscriptLine{}
		}
		if in.Statement != "" {
			if d, err := s.documents.Document(ctx, sc, in.Statement); err == nil {
				rec.StatementNumber = d.Number
			} else if c := plenary.ErrorCode(err); c != plenary.CodeNotFound && c != plenary.CodeForbidden {
				return nil, err
			} else {
				rec.Statement = ""
			}
		}
		out = append(out, rec)
	}
	return out, nil
}
