package transcript_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/transcript"
)

const sample = "\xEF\xBB\xBFWEBVTT - WTPF-13 Working Group 3\r\n" +
	"Kind: captions\r\n" +
	"\r\n" +
	"STYLE\r\n::cue { color: yellow }\r\n\r\n" +
	"REGION\r\nid:left width:40%\r\n\r\n" +
	"NOTE The captioner's notes\r\nspan two lines --> not a cue\r\n\r\n" +
	"1\r\n" +
	"00:00:05.000 --> 00:00:09.500 align:start line:0\r\n" +
	"<v Ana Souza>Brazil supports the text\r\n" +
	"as it stands.</v>\r\n" +
	"\r\n\r\n" +
	"00:10.250 --> 00:14.000\r\n" +
	"<v.loud Ana Souza>We ask that the brackets be lifted &amp; closed.\r\n" +
	"\r\n" +
	"intro-3\n" +
	"01:02:03.004 --> 01:02:05.000\n" +
	"<c.yellow>&lt;script&gt;</c> <i>not</i> a tag&nbsp;&lrm;&rlm;<00:00:01.000>\n" +
	"\n" +
	"00:00:20.000 --> 00:00:21.000\n" +
	"<v Mr Smith><b>Question:</b> why?\n" +
	"00:00:21.000 --> 00:00:22.000\n" +
	"Cue right after a cue\n"

func TestParse(t *testing.T) {
	cues, err := transcript.Parse([]byte(sample), transcript.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []transcript.Cue{
		{ID: "1", Start: 5 * time.Second, End: 9500 * time.Millisecond, Settings: "align:start line:0", Voice: "Ana Souza",
			Text: "Brazil supports the text\nas it stands.", Line: 14},
		{Start: 10250 * time.Millisecond, End: 14 * time.Second, Voice: "Ana Souza", Text: "We ask that the brackets be lifted & closed.", Line: 19},
		{ID: "intro-3", Start: time.Hour + 2*time.Minute + 3*time.Second + 4*time.Millisecond, End: time.Hour + 2*time.Minute + 5*time.Second,
			Text: "<script> not a tag\u00a0\u200e\u200f", Line: 23},
		{Start: 20 * time.Second, End: 21 * time.Second, Voice: "Mr Smith", Text: "Question: why?", Line: 26},
		{Start: 21 * time.Second, End: 22 * time.Second, Text: "Cue right after a cue", Line: 28},
	}
	if len(cues) != len(want) {
		t.Fatalf("%d cues, want %d: %+v", len(cues), len(want), cues)
	}
	for i := range want {
		if cues[i] != want[i] {
			t.Errorf("cue %d:\n got %+v\nwant %+v", i, cues[i], want[i])
		}
	}
}

func TestParseEdges(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		first    transcript.Cue
	}{
		{"header only", "WEBVTT", 0, transcript.Cue{}},
		{"header and blank lines", "WEBVTT\n\n\n", 0, transcript.Cue{}},
		{"cue under the header", "WEBVTT\n00:01.000 --> 00:02.000\nhi", 1, transcript.Cue{Start: time.Second, End: 2 * time.Second, Text: "hi", Line: 2}},
		{"no spaces round the arrow", "WEBVTT\n\n00:01.000-->00:02.000\nhi\n", 1, transcript.Cue{Start: time.Second, End: 2 * time.Second, Text: "hi", Line: 3}},
		{"empty cue", "WEBVTT\n\n00:01.000 --> 00:01.000\n\n", 1, transcript.Cue{Start: time.Second, End: time.Second, Line: 3}},
		{"lone CR", "WEBVTT\r\r00:01.000 --> 00:02.000\rhi", 1, transcript.Cue{Start: time.Second, End: 2 * time.Second, Text: "hi", Line: 3}},
		{"unclosed tag", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi <v Ana", 1, transcript.Cue{Start: time.Second, End: 2 * time.Second, Text: "hi", Voice: "Ana", Line: 3}},
		{"voice with entity", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A &amp; B>x", 1, transcript.Cue{Start: time.Second, End: 2 * time.Second, Text: "x", Voice: "A & B", Line: 3}},
		{"NOTE alone", "WEBVTT\n\nNOTE\nsomething\n\n00:01.000 --> 00:02.000\nhi", 1, transcript.Cue{Start: time.Second, End: 2 * time.Second, Text: "hi", Line: 6}},
		{"long hours", "WEBVTT\n\n100:00:00.000 --> 100:00:01.000\nhi", 1, transcript.Cue{Start: 100 * time.Hour, End: 100*time.Hour + time.Second, Text: "hi", Line: 3}},
		{"WEBVTT and tab", "WEBVTT\tx\n\n00:01.000 --> 00:02.000\nhi", 1, transcript.Cue{Start: time.Second, End: 2 * time.Second, Text: "hi", Line: 3}},
	} {
		cues, err := transcript.Parse([]byte(tc.in), transcript.Limits{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(cues) != tc.n {
			t.Errorf("%s: %d cues, want %d", tc.name, len(cues), tc.n)
			continue
		}
		if tc.n > 0 && cues[0] != tc.first {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, cues[0], tc.first)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		lim      transcript.Limits
		line     int
		reason   string
	}{
		{"no header", "00:01.000 --> 00:02.000\nhi", transcript.Limits{}, 1, "does not start with WEBVTT"},
		{"WEBVTTX", "WEBVTTX\n", transcript.Limits{}, 1, "does not start with WEBVTT"},
		{"empty", "", transcript.Limits{}, 1, "does not start with WEBVTT"},
		{"id without timing", "WEBVTT\n\nid\nhello\n", transcript.Limits{}, 3, `after the cue id "id"`},
		{"id at end", "WEBVTT\n\nid", transcript.Limits{}, 3, "expected a cue timing line"},
		{"bad minutes", "WEBVTT\n\n60:01.000 --> 61:02.000\n", transcript.Limits{}, 3, "start time: \"60:01.000\": the minutes must be two digits"},
		{"one-digit minutes", "WEBVTT\n\n0:01.000 --> 00:02.000\n", transcript.Limits{}, 3, "minutes must be two digits"},
		{"one-digit hours", "WEBVTT\n\n1:00:01.000 --> 1:00:02.000\n", transcript.Limits{}, 3, "hours must be 2 to 6 digits"},
		{"bad seconds", "WEBVTT\n\n00:01.000 --> 00:61.000\n", transcript.Limits{}, 3, "end time: \"00:61.000\": the seconds must be ss.ttt"},
		{"comma", "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\n", transcript.Limits{}, 3, "seconds must be ss.ttt"},
		{"missing end", "WEBVTT\n\n1\n00:00:01.000 -->\n", transcript.Limits{}, 4, "end time: missing"},
		{"not a time", "WEBVTT\n\n00:01.000 --> soon\n", transcript.Limits{}, 3, `end time: "soon" is not a time`},
		{"backwards", "WEBVTT\n\n00:05.000 --> 00:02.000\n", transcript.Limits{}, 3, "ends before it starts"},
		{"too big", "WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n", transcript.Limits{MaxBytes: 10}, 0, "larger than 10 bytes"},
		{"too many cues", "WEBVTT\n\n00:01.000 --> 00:02.000\na\n\nx\n00:02.000 --> 00:03.000\nb\n", transcript.Limits{MaxCues: 1}, 6, "more than 1 cues"},
		{"long cue", "WEBVTT\n\n00:01.000 --> 00:02.000\nabc\ndefgh\n", transcript.Limits{MaxCueBytes: 6}, 5, "longer than 6 bytes"},
	} {
		_, err := transcript.Parse([]byte(tc.in), tc.lim)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		var se *transcript.SyntaxError
		var pe *plenary.Error
		if !errors.As(err, &se) || !errors.As(err, &pe) || !errors.Is(err, plenary.ErrInvalid) || pe.Field != "transcript" {
			t.Errorf("%s: %v is not an invalid transcript error with a line", tc.name, err)
			continue
		}
		if se.Line != tc.line || !strings.Contains(se.Reason, tc.reason) {
			t.Errorf("%s: line %d %q, want line %d %q", tc.name, se.Line, se.Reason, tc.line, tc.reason)
		}
	}
}

func TestRead(t *testing.T) {
	cues, err := transcript.Read(strings.NewReader(sample), transcript.Limits{})
	if err != nil || len(cues) != 5 {
		t.Fatalf("%d cues, %v", len(cues), err)
	}
	if _, err := transcript.Read(strings.NewReader(sample), transcript.Limits{MaxBytes: 100}); err == nil {
		t.Error("Read took more than MaxBytes")
	}
}

func TestAlign(t *testing.T) {
	base := time.Date(2013, 5, 15, 8, 0, 0, 0, time.UTC)
	at := func(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }
	s := func(sec int) time.Duration { return time.Duration(sec) * time.Second }
	turns := []transcript.Span{
		{ID: "brazil", Start: at(10), End: at(40)},
		{ID: "usa", Start: at(40), End: at(60)},
		{ID: "isoc", Start: at(70), End: at(90)},
		{ID: "open", Start: at(95), End: at(95)}, // no length: holds nothing
	}
	cues := []transcript.Cue{
		{Start: s(12), End: s(15)},  // inside brazil
		{Start: s(35), End: s(50)},  // 5 s brazil, 10 s usa
		{Start: s(30), End: s(50)},  // 10 s each: the first given
		{Start: s(60), End: s(70)},  // between usa and isoc: touches both, overlaps neither
		{Start: s(0), End: s(5)},    // before everything
		{Start: s(40), End: s(40)},  // an instant: usa holds it, brazil's end excludes it
		{Start: s(88), End: s(120)}, // 2 s isoc
		{Start: s(95), End: s(96)},  // only the empty span
	}
	want := []string{"brazil", "usa", "brazil", "", "", "usa", "isoc", ""}
	segs := transcript.Align(cues, base, turns)
	if len(segs) != len(cues) {
		t.Fatalf("%d segments", len(segs))
	}
	for i, seg := range segs {
		if seg.Span != want[i] || seg.Assigned != (want[i] != "") {
			t.Errorf("cue %d: span %q assigned %v, want %q", i, seg.Span, seg.Assigned, want[i])
		}
		if !seg.Start.Equal(base.Add(cues[i].Start)) || !seg.End.Equal(base.Add(cues[i].End)) || seg.Cue != cues[i] {
			t.Errorf("cue %d placed at %v–%v", i, seg.Start, seg.End)
		}
	}
	if got := transcript.Align(cues, base, nil); len(got) != len(cues) || got[0].Assigned {
		t.Error("with no spans a cue was assigned")
	}
	if got := transcript.Align(nil, base, turns); len(got) != 0 {
		t.Error("segments from no cues")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>hi &amp; <b>bye"))
	f.Add([]byte("WEBVTT\r\n\r\nNOTE x\r\n\r\n1\r\n99:59:59.999 --> 100:00:00.000 line:0\r\n<"))
	f.Add([]byte("WEBVTT\n\nid\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := transcript.Limits{MaxCues: 50, MaxCueBytes: 200}
		cues, err := transcript.Parse(data, lim)
		if err != nil {
			var se *transcript.SyntaxError
			if !errors.As(err, &se) || se.Reason == "" {
				t.Fatalf("error without line and reason: %v", err)
			}
			return
		}
		if len(cues) > lim.MaxCues {
			t.Fatalf("%d cues over the limit", len(cues))
		}
		last := 0
		for _, c := range cues {
			if c.End < c.Start || c.Start < 0 {
				t.Fatalf("cue %+v runs backwards", c)
			}
			if c.Line <= last || strings.ContainsAny(c.Text, "\r\x00") || strings.Contains(c.ID, "-->") {
				t.Fatalf("bad cue %+v after line %d", c, last)
			}
			last = c.Line
		}
		transcript.Align(cues, time.Unix(0, 0), []transcript.Span{{ID: "a", Start: time.Unix(0, 0), End: time.Unix(60, 0)}})
	})
}
