package meetings_test

import (
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/meetings"
)

// icalProp is one parsed content line.
type icalProp struct {
	Name   string
	Params map[string]string
	Value  string
}

// parseICal reads an iCalendar stream back: it checks CRLF line ends and
// the 75-octet limit, unfolds, and returns the VEVENTs' properties and
// the TZIDs of the VTIMEZONEs.
func parseICal(t *testing.T, s string) (events []map[string]icalProp, zones []string) {
	t.Helper()
	if !strings.HasSuffix(s, "\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatal("lines must end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var lines []string
	for _, l := range raw {
		if len(l) > 75 {
			t.Fatalf("line of %d octets: %q", len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var cur map[string]icalProp
	inZone := false
	for _, l := range lines {
		i := strings.Index(l, ":")
		if i < 0 {
			t.Fatalf("no colon: %q", l)
		}
		head, value := l[:i], l[i+1:]
		parts := strings.Split(head, ";")
		p := icalProp{Name: parts[0], Params: map[string]string{}, Value: unescape(value)}
		for _, kv := range parts[1:] {
			k, v, _ := strings.Cut(kv, "=")
			p.Params[k] = v
		}
		switch {
		case p.Name == "BEGIN" && p.Value == "VEVENT":
			cur = map[string]icalProp{}
		case p.Name == "END" && p.Value == "VEVENT":
			events = append(events, cur)
			cur = nil
		case p.Name == "BEGIN" && p.Value == "VTIMEZONE":
			inZone = true
		case p.Name == "END" && p.Value == "VTIMEZONE":
			inZone = false
		case inZone && p.Name == "TZID":
			zones = append(zones, p.Value)
		case cur != nil:
			cur[p.Name] = p
		}
	}
	return events, zones
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestICalendarRoundTrip(t *testing.T) {
	geneva, _ := time.LoadLocation("Europe/Zurich")
	sp, _ := time.LoadLocation("America/Sao_Paulo")
	ms := []meetings.Meeting{
		{ID: "m1", Number: "WG3-4", Title: "Working Group 3, fourth meeting; on Opinion 5 \\ draft", Zone: "Europe/Zurich",
			Starts: time.Date(2013, 5, 14, 9, 30, 0, 0, geneva).UTC(), Ends: time.Date(2013, 5, 14, 12, 30, 0, 0, geneva).UTC(),
			Room: "Room II, CICG", BodyName: "Working Group 3", State: meetings.StateInSession, Access: meetings.AccessOpen,
			ChairName: "Mr Chair with a very long name that goes on and on so that the description must fold — ünïcödé",
			Remote:    true, WebcastURL: "https://webcast.example.org/wtpf"},
		{ID: "m2", Number: "PLEN-1", Title: "Session 1: Internet governance principles", Zone: "America/Sao_Paulo",
			Starts: time.Date(2014, 4, 23, 9, 0, 0, 0, sp).UTC(), Ends: time.Date(2014, 4, 23, 13, 0, 0, 0, sp).UTC(),
			BodyName: "Plenary", State: meetings.StateScheduled, Access: meetings.AccessOpen},
	}
	stamp := time.Date(2013, 5, 14, 8, 0, 0, 0, time.UTC)
	out := meetings.ICalendar("WTPF-13", "plenary.example.org", ms, stamp, func(m meetings.Meeting) string { return "https://plenary.example.org/m/" + m.ID })
	if !strings.HasPrefix(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") {
		t.Fatalf("head: %q", out[:40])
	}
	evs, zones := parseICal(t, out)
	if len(evs) != 2 || strings.Join(zones, ",") != "America/Sao_Paulo,Europe/Zurich" {
		t.Fatalf("%d events, zones %v", len(evs), zones)
	}
	for i, ev := range evs {
		m := ms[i]
		for _, name := range []string{"DTSTART", "DTEND"} {
			p := ev[name]
			loc, err := time.LoadLocation(p.Params["TZID"])
			if err != nil || p.Params["TZID"] != m.Zone {
				t.Fatalf("%s TZID %q: %v", name, p.Params["TZID"], err)
			}
			got, err := time.ParseInLocation("20060102T150405", p.Value, loc)
			if err != nil {
				t.Fatal(err)
			}
			want := m.Starts
			if name == "DTEND" {
				want = m.Ends
			}
			if !got.Equal(want) {
				t.Fatalf("%s of %s: %v, want %v", name, m.Number, got, want)
			}
		}
		if ev["UID"].Value != m.ID+"@plenary.example.org" || ev["DTSTAMP"].Value != "20130514T080000Z" {
			t.Fatalf("UID %q, DTSTAMP %q", ev["UID"].Value, ev["DTSTAMP"].Value)
		}
		if ev["SUMMARY"].Value != m.Number+": "+m.Title {
			t.Fatalf("summary %q", ev["SUMMARY"].Value)
		}
	}
	if evs[0]["LOCATION"].Value != "Room II, CICG" || !strings.Contains(evs[0]["DESCRIPTION"].Value, "ünïcödé") ||
		!strings.Contains(evs[0]["DESCRIPTION"].Value, "\nWebcast: https://webcast.example.org/wtpf") {
		t.Fatalf("location %q, description %q", evs[0]["LOCATION"].Value, evs[0]["DESCRIPTION"].Value)
	}
	// Geneva in 2013: a DAYLIGHT change to +0200 and back to +0100.
	if !strings.Contains(out, "TZOFFSETTO:+0200\r\n") || !strings.Contains(out, "DTSTART:20130331T020000\r\n") {
		t.Fatalf("Europe/Zurich VTIMEZONE:\n%s", out)
	}
	// The same meetings give the same UIDs and the same calendar.
	if again := meetings.ICalendar("WTPF-13", "plenary.example.org", ms, stamp, func(m meetings.Meeting) string { return "https://plenary.example.org/m/" + m.ID }); again != out {
		t.Fatal("the calendar is not stable")
	}
}
