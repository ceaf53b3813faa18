package transcript

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
)

// Cue is one cue of a WebVTT file.
type Cue struct {
	// ID is the cue's identifier, if it has one.
	ID string
	// Start and End are the cue's offsets from the start of the
	// recording.
	Start, End time.Duration
	// Settings are the cue settings after the timings, as written.
	Settings string
	// Voice is the speaker its first voice tag names, if any.
	Voice string
	// Text is the cue's text without tags, its character references
	// decoded, its lines joined by "\n".
	Text string
	// Line is the number of the cue's timing line, counted from 1.
	Line int
}

// Limits bound what Parse reads; a zero field takes its default.
type Limits struct {
	MaxBytes    int // the whole file (default 16 MiB)
	MaxCues     int // cues (default 100,000)
	MaxCueBytes int // one cue's text as written (default 64 KiB)
}

// DefaultLimits are the limits a zero Limits stands for.
var DefaultLimits = Limits{MaxBytes: 16 << 20, MaxCues: 100_000, MaxCueBytes: 64 << 10}

func (l Limits) orDefault() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxCues <= 0 {
		l.MaxCues = DefaultLimits.MaxCues
	}
	if l.MaxCueBytes <= 0 {
		l.MaxCueBytes = DefaultLimits.MaxCueBytes
	}
	return l
}

// SyntaxError is what is wrong with a WebVTT file, and on which line. The
// errors Parse returns are plenary invalid errors on the field
// "transcript" that wrap one.
type SyntaxError struct {
	Line   int
	Reason string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

func invalid(line int, format string, args ...any) error {
	se := &SyntaxError{Line: line, Reason: fmt.Sprintf(format, args...)}
	return &plenary.Error{Code: plenary.CodeInvalid, Field: "transcript", Message: "WebVTT " + se.Error(), Err: se}
}

// Read reads a WebVTT file from r, no more than lim.MaxBytes of it, and
// parses it.
func Read(r io.Reader, lim Limits) ([]Cue, error) {
	lim = lim.orDefault()
	data, err := io.ReadAll(io.LimitReader(r, int64(lim.MaxBytes)+1))
	if err != nil {
		return nil, err
	}
	return Parse(data, lim)
}

// Parse parses a WebVTT file.
func Parse(data []byte, lim Limits) ([]Cue, error) {
	lim = lim.orDefault()
	if len(data) > lim.MaxBytes {
		return nil, invalid(0, "the file is larger than %d bytes", lim.MaxBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	s := strings.ToValidUTF8(string(data), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")

	first := lines[0]
	if first != "WEBVTT" && !strings.HasPrefix(first, "WEBVTT ") && !strings.HasPrefix(first, "WEBVTT\t") {
		return nil, invalid(1, "the file does not start with WEBVTT")
	}
	i := 1
	// The header runs to the first blank line, or to a cue that follows
	// it without one.
	for i < len(lines) && lines[i] != "" && !strings.Contains(lines[i], "-->") {
		i++
	}
	var cues []Cue
	for i < len(lines) {
		if lines[i] == "" {
			i++
			continue
		}
		start := i
		l := lines[i]
		if isBlock(l, "NOTE") || isBlock(l, "STYLE") || isBlock(l, "REGION") {
			for i < len(lines) && lines[i] != "" {
				i++
			}
			continue
		}
		var c Cue
		if !strings.Contains(l, "-->") {
			c.ID = l
			i++
			if i >= len(lines) || !strings.Contains(lines[i], "-->") {
				return nil, invalid(start+1, "expected a cue timing line (start --> end) after the cue id %q", short(l))
			}
		}
		c.Line = i + 1
		if err := timings(lines[i], &c); err != nil {
			return nil, invalid(c.Line, "%s", err)
		}
		i++
		var text []string
		size := 0
		for i < len(lines) && lines[i] != "" && !strings.Contains(lines[i], "-->") {
			size += len(lines[i]) + 1
			if size > lim.MaxCueBytes {
				return nil, invalid(i+1, "the cue's text is longer than %d bytes", lim.MaxCueBytes)
			}
			text = append(text, lines[i])
			i++
		}
		if len(cues) == lim.MaxCues {
			return nil, invalid(start+1, "the file has more than %d cues", lim.MaxCues)
		}
		c.Text, c.Voice = cueText(strings.Join(text, "\n"))
		cues = append(cues, c)
	}
	return cues, nil
}

// isBlock tells whether line opens a block of the given kind: the word
// alone, or followed by a space or a tab.
func isBlock(line, word string) bool {
	return line == word || strings.HasPrefix(line, word+" ") || strings.HasPrefix(line, word+"\t")
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// timings reads "start --> end [settings]" into c.
func timings(line string, c *Cue) error {
	left, right, _ := strings.Cut(line, "-->")
	var err error
	if c.Start, err = timestamp(strings.Trim(left, " \t")); err != nil {
		return fmt.Errorf("start time: %w", err)
	}
	right = strings.TrimLeft(right, " \t")
	end, settings := right, ""
	if k := strings.IndexAny(right, " \t"); k >= 0 {
		end, settings = right[:k], strings.Trim(right[k:], " \t")
	}
	if c.End, err = timestamp(end); err != nil {
		return fmt.Errorf("end time: %w", err)
	}
	if c.End < c.Start {
		return errors.New("the cue ends before it starts")
	}
	c.Settings = settings
	return nil
}

// timestamp reads [hh:]mm:ss.ttt; hours have two digits or more.
func timestamp(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("missing")
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("%q is not a time (hh:mm:ss.ttt or mm:ss.ttt)", short(s))
	}
	var h int64
	if len(parts) == 3 {
		hs := parts[0]
		if len(hs) < 2 || len(hs) > 6 || !digits(hs) {
			return 0, fmt.Errorf("%q: the hours must be 2 to 6 digits", short(s))
		}
		h = atoi(hs)
		parts = parts[1:]
	}
	ms, sec := parts[0], parts[1]
	if len(ms) != 2 || !digits(ms) || atoi(ms) > 59 {
		return 0, fmt.Errorf("%q: the minutes must be two digits, 00 to 59", short(s))
	}
	if len(sec) != 6 || sec[2] != '.' || !digits(sec[:2]) || !digits(sec[3:]) || atoi(sec[:2]) > 59 {
		return 0, fmt.Errorf("%q: the seconds must be ss.ttt, 00.000 to 59.999", short(s))
	}
	return time.Duration(h)*time.Hour + time.Duration(atoi(ms))*time.Minute +
		time.Duration(atoi(sec[:2]))*time.Second + time.Duration(atoi(sec[3:]))*time.Millisecond, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int64 {
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}

// cueText strips the tags of a cue's text, decodes its character
// references, and returns it with the annotation of its first voice tag.
func cueText(raw string) (text, voice string) {
	var b strings.Builder
	voiceSet := false
	for raw != "" {
		k := strings.IndexByte(raw, '<')
		if k < 0 {
			b.WriteString(raw)
			break
		}
		b.WriteString(raw[:k])
		raw = raw[k+1:]
		end := strings.IndexByte(raw, '>')
		tag := raw
		if end < 0 {
			raw = ""
		} else {
			tag, raw = raw[:end], raw[end+1:]
		}
		if !voiceSet && len(tag) > 1 && tag[0] == 'v' && (tag[1] == ' ' || tag[1] == '\t' || tag[1] == '.') {
			if k := strings.IndexAny(tag, " \t"); k >= 0 {
				if v := strings.Join(strings.Fields(html.UnescapeString(tag[k:])), " "); v != "" {
					voice, voiceSet = v, true
				}
			}
		}
	}
	lines := strings.Split(html.UnescapeString(b.String()), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	// Trim spaces, tabs and line ends, not the no-break spaces &nbsp;
	// stands for.
	return strings.Trim(strings.Join(lines, "\n"), " \t\n"), voice
}
