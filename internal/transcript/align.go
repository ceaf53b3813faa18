package transcript

import "time"

// Span is one intervention: its id and when it started and ended.
type Span struct {
	ID         string
	Start, End time.Time
}

// Segment is a cue placed in absolute time and assigned to the
// intervention it overlaps most.
type Segment struct {
	Cue        Cue
	Start, End time.Time
	// Span is the id of the intervention; Assigned is false, and Span
	// empty, for a cue outside every intervention.
	Span     string
	Assigned bool
}

// Align places each cue at base plus its offsets and assigns it to the
// span it overlaps most; of spans overlapping it equally, the first given.
// A cue of no length is assigned to the span that holds its instant (start
// included, end excluded). A span whose end is not after its start holds
// nothing. The segments are in the order of the cues.
func Align(cues []Cue, base time.Time, turns []Span) []Segment {
	out := make([]Segment, len(cues))
	for i, c := range cues {
		seg := Segment{Cue: c, Start: base.Add(c.Start), End: base.Add(c.End)}
		var best time.Duration
		for _, sp := range turns {
			if !sp.End.After(sp.Start) {
				continue
			}
			if !seg.End.After(seg.Start) {
				if !seg.Start.Before(sp.Start) && seg.Start.Before(sp.End) && !seg.Assigned {
					seg.Span, seg.Assigned = sp.ID, true
				}
				continue
			}
			lo, hi := maxTime(seg.Start, sp.Start), minTime(seg.End, sp.End)
			if d := hi.Sub(lo); d > best {
				best, seg.Span, seg.Assigned = d, sp.ID, true
			}
		}
		out[i] = seg
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
