package meetings_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
)

// tick waits until the server's clock has moved on, so that a turn lasts.
func tick() {
	for t0 := plenary.Now(); !plenary.Now().After(t0.Add(2 * time.Millisecond)); {
		runtime.Gosched()
	}
}

// turn has a participant speak once: asked, given, timed, finished.
func (s *floorSetup) turn(t *testing.T, a forum.Actor) meetings.Intervention {
	t.Helper()
	r := s.ask(t, a, meetings.RequestInput{})
	ch := s.in(t, s.chair)
	for _, step := range []func() error{
		func() error { return s.M.GiveFloor(s.Ctx, ch, s.m.ID, r.ID) },
		func() error { return s.M.StartClock(s.Ctx, ch, s.m.ID) },
		func() error { return s.M.FinishTurn(s.Ctx, ch, s.m.ID, "") },
	} {
		tick()
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := s.M.Interventions(s.Ctx, s.in(t, s.Admin), s.m.ID)
	if err != nil || len(ins) == 0 || ins[len(ins)-1].ID != r.ID {
		t.Fatalf("interventions: %+v %v", ins, err)
	}
	return ins[len(ins)-1]
}

func TestTranscriptsAlignToTheSpeakers(t *testing.T) {
	s := newFloor(t)
	usa := s.turn(t, s.Usa)
	bra := s.turn(t, s.Bra)
	sec := s.in(t, s.Admin)

	// Typed text: the secretariat's or the chair's, never a delegate's.
	_, err := s.M.AddTranscript(s.Ctx, s.in(t, s.Usa), s.m.ID, usa.ID, "We agree.")
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.M.AddTranscript(s.Ctx, sec, s.m.ID, usa.ID, " ")
	fixture.ExpectField(t, err, "text")
	_, err = s.M.AddTranscript(s.Ctx, sec, s.m.ID, "nope", "We agree.")
	fixture.ExpectField(t, err, "intervention")
	if _, err := s.M.AddTranscript(s.Ctx, s.in(t, s.chair), s.m.ID, usa.ID, "The United States agrees."); err != nil {
		t.Fatal(err)
	}

	// WebVTT: each cue to the intervention it overlaps most; a cue
	// outside both is reported, not stored.
	base := usa.StartedAt.Add(-time.Second).Truncate(time.Second)
	off := func(x time.Time) string { return time.Time{}.Add(x.Sub(base)).Format("15:04:05.000") }
	mid := usa.EndedAt.Add(bra.GivenAt.Sub(usa.EndedAt) / 2)
	vtt := "WEBVTT\n\n" + off(*usa.StartedAt) + " --> " + off(mid) + "\n<v USA>We support the text.\n\n" +
		off(mid) + " --> " + off(bra.EndedAt.Add(time.Second)) + "\nBrazil also supports it.\n\n" +
		"03:00:00.000 --> 03:00:02.000\n[Applause]\n"
	before := len(s.Events(t, "transcript.imported"))
	res, err := s.M.ImportWebVTT(s.Ctx, sec, s.m.ID, strings.NewReader(vtt), base)
	if err != nil {
		t.Fatal(err)
	}
	if res.Cues != 3 || len(res.Stored) != 2 || len(res.Unassigned) != 1 || res.Unassigned[0].Text != "[Applause]" ||
		res.Stored[0].InterventionID != usa.ID || res.Stored[1].InterventionID != bra.ID {
		t.Fatalf("import: %+v", res)
	}
	if evs := s.Events(t, "transcript.imported"); len(evs) != before+1 || fixture.Payload(t, evs[len(evs)-1])["unassigned"] != float64(1) {
		t.Fatalf("the import is not on the record: %v", evs)
	}
	lines, err := s.M.Transcript(s.Ctx, s.in(t, s.Observer), s.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.Party+": "+l.Text)
	}
	want := "United States: The United States agrees.|United States: We support the text.|Brazil: Brazil also supports it."
	if strings.Join(got, "|") != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", strings.Join(got, "|"), want)
	}

	// Too large, or not WebVTT: refused, naming the field, nothing stored.
	big := "WEBVTT\n\n" + strings.Repeat("x", meetings.MaxWebVTTBytes)
	_, err = s.M.ImportWebVTT(s.Ctx, sec, s.m.ID, strings.NewReader(big), base)
	fixture.ExpectField(t, err, "transcript")
	_, err = s.M.ImportWebVTT(s.Ctx, sec, s.m.ID, bytes.NewReader([]byte("SRT\n1\n")), base)
	fixture.ExpectField(t, err, "transcript")
	if lines2, _ := s.M.Transcript(s.Ctx, sec, s.m.ID); len(lines2) != len(lines) {
		t.Fatalf("a refused import stored lines")
	}

	// Statements: a document of type statement, by number.
	info, err := s.Svc.Documents.SubmitDocument(s.Ctx, sec, documents.DocumentInput{Type: documents.DocInformation, Title: "Note", Text: "A note."})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.M.AttachStatement(s.Ctx, sec, s.m.ID, usa.ID, info.Number)
	fixture.ExpectField(t, err, "document")
	st, err := s.Svc.Documents.SubmitDocument(s.Ctx, s.in(t, s.Usa), documents.DocumentInput{Type: documents.DocStatement, Title: "Statement", Text: "We agree."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.M.AttachStatement(s.Ctx, sec, s.m.ID, usa.ID, st.Number); err != nil {
		t.Fatal(err)
	}
	rec, err := s.M.Record(s.Ctx, sec, s.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rec {
		if r.ID == usa.ID && (r.StatementNumber != st.Number || len(r.Lines) != 2) {
			t.Fatalf("the record of the United States' intervention: %+v", r)
		}
	}

	// Minutes wait for the meeting to be adjourned.
	_, err = s.M.IssueMinutes(s.Ctx, sec, s.m.ID, meetings.MinutesInput{Text: "Minutes."})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	if _, err := s.M.ChangeState(s.Ctx, s.in(t, s.chair), s.m.ID, "adjourn", ""); err != nil {
		t.Fatal(err)
	}
	sec = s.in(t, s.Admin) // a scope keeps what it read: a new request
	md, err := s.M.MinutesDraft(s.Ctx, sec, s.m.ID, "")
	if err != nil || !strings.Contains(md, "United States") || !strings.Contains(md, "Brazil") {
		t.Fatalf("draft: %v\n%s", err, md)
	}
	_, err = s.M.MinutesDraft(s.Ctx, s.in(t, s.chair), s.m.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	doc, err := s.M.IssueMinutes(s.Ctx, sec, s.m.ID, meetings.MinutesInput{Text: md})
	if err != nil || doc.Type != documents.DocMinutes || doc.Number == "" {
		t.Fatalf("minutes: %+v %v", doc, err)
	}
}
