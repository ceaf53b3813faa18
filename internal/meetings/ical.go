package meetings

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ICalendar writes meetings as an iCalendar stream (RFC 5545): one VEVENT
// per meeting, its times given in the venue's zone by TZID with a
// VTIMEZONE for each zone used (its UTC offsets over the years the
// meetings span), lines folded at 75 octets, text escaped, CRLF line
// ends. prodID names the calendar's maker; base is the site's address, to
// which each event's URL is relative (path); host makes UIDs unique.
func ICalendar(name, host string, ms []Meeting, stamp time.Time, url func(Meeting) string) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Plenary//Meetings//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(name))
	zones := map[string][2]int{}
	for _, m := range ms {
		y0, y1 := m.LocalStart().Year(), m.LocalEnd().Year()
		if r, ok := zones[m.Zone]; ok {
			y0, y1 = min(y0, r[0]), max(y1, r[1])
		}
		zones[m.Zone] = [2]int{y0, y1}
	}
	names := make([]string, 0, len(zones))
	for z := range zones {
		names = append(names, z)
	}
	sort.Strings(names)
	for _, z := range names {
		loc, err := time.LoadLocation(z)
		if err != nil {
			continue
		}
		writeTimezone(line, z, loc, zones[z][0], zones[z][1])
	}
	for _, m := range ms {
		line("BEGIN:VEVENT")
		line("UID:" + m.ID + "@" + host)
		line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;TZID=" + m.Zone + ":" + m.LocalStart().Format("20060102T150405"))
		line("DTEND;TZID=" + m.Zone + ":" + m.LocalEnd().Format("20060102T150405"))
		line("SUMMARY:" + escapeText(m.Number+": "+m.Title))
		desc := m.BodyName + ". " + m.StateLabel() + "."
		if m.ChairName != "" {
			desc += " Chair: " + m.ChairName + "."
		}
		if m.Remote {
			desc += " Remote participation."
		}
		if m.WebcastURL != "" {
			desc += "\nWebcast: " + m.WebcastURL
		}
		line("DESCRIPTION:" + escapeText(desc))
		if m.Room != "" {
			line("LOCATION:" + escapeText(m.Room))
		}
		switch m.State {
		case StateCancelled:
			line("STATUS:CANCELLED")
		default:
			line("STATUS:CONFIRMED")
		}
		if m.Access == AccessClosed {
			line("CLASS:PRIVATE")
		}
		if u := url(m); u != "" {
			line("URL:" + u)
		}
		line("LAST-MODIFIED:" + m.UpdatedAt.UTC().Format("20060102T150405Z"))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}

// writeTimezone writes a VTIMEZONE for loc: a STANDARD or DAYLIGHT
// component at each change of offset in the years y0..y1, found by
// searching the zone's transitions, or one fixed offset.
func writeTimezone(line func(string), name string, loc *time.Location, y0, y1 int) {
	line("BEGIN:VTIMEZONE")
	line("TZID:" + name)
	start := time.Date(y0, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(y1+1, 1, 1, 0, 0, 0, 0, loc)
	_, off := start.Zone()
	n := 0
	for t := start; t.Before(end); {
		next := t.Add(24 * time.Hour)
		if _, o := next.Zone(); o != off {
			// Narrow to the minute of the change.
			lo, hi := t, next
			for hi.Sub(lo) > time.Minute {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.Zone(); o == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			hi = hi.Truncate(time.Minute)
			abbr, o := hi.Zone()
			kind := "STANDARD"
			if hi.IsDST() {
				kind = "DAYLIGHT"
			}
			line("BEGIN:" + kind)
			line("DTSTART:" + hi.In(time.FixedZone("", off)).Format("20060102T150405"))
			line("TZOFFSETFROM:" + offset(off))
			line("TZOFFSETTO:" + offset(o))
			line("TZNAME:" + escapeText(abbr))
			line("END:" + kind)
			off = o
			n++
		}
		t = next
	}
	if n == 0 {
		abbr, o := start.Zone()
		line("BEGIN:STANDARD")
		line("DTSTART:" + start.Format("20060102T150405"))
		line("TZOFFSETFROM:" + offset(o))
		line("TZOFFSETTO:" + offset(o))
		line("TZNAME:" + escapeText(abbr))
		line("END:STANDARD")
	}
	line("END:VTIMEZONE")
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and line
// breaks.
func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold writes one content line folded at 75 octets (continuation lines
// begin with a space), never inside a UTF-8 character, ended by CRLF.
func fold(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
