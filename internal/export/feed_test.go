package export_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/export"
)

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomFeed struct {
	XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string     `xml:"id"`
	Title   atomText   `xml:"title"`
	Updated string     `xml:"updated"`
	Author  string     `xml:"author>name"`
	Links   []atomLink `xml:"link"`
	Entries []struct {
		ID      string     `xml:"id"`
		Title   atomText   `xml:"title"`
		Updated string     `xml:"updated"`
		Links   []atomLink `xml:"link"`
		Summary *atomText  `xml:"summary"`
	} `xml:"entry"`
}

func parseFeed(t *testing.T, b []byte) atomFeed {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("no XML declaration: %.60s", b)
	}
	var f atomFeed
	if err := xml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return f
}

func rfc3339UTC(t *testing.T, what, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		t.Errorf("%s: %q is not an RFC 3339 UTC time (%v)", what, s, err)
	}
	return tm
}

func TestSignatureFeed(t *testing.T) {
	fa := wcit()
	meta := export.FeedMeta{Title: "WCIT-12 Final Acts: signatures", ID: "tag:plenary.example,2012:wcit-12/final-acts/signatures",
		SelfURL: "https://plenary.example/f/wcit-12/final-acts/signatures.atom", AltURL: "https://plenary.example/f/wcit-12/final-acts",
		Author: "Secretariat of WCIT-12"}
	entries := export.SignatureEntries(fa, "tag:plenary.example,2012:wcit-12/final-acts/signature", "https://plenary.example/f/wcit-12/final-acts/signatures")
	if len(entries) != 4 {
		t.Fatalf("%d entries, want 4 (the party that has not signed has none): %+v", len(entries), entries)
	}
	b := export.SignatureFeed(meta, entries)
	f := parseFeed(t, b)
	if f.ID != meta.ID || f.Title.Text != meta.Title || f.Title.Type != "text" || f.Author != "Secretariat of WCIT-12" {
		t.Errorf("feed: %+v", f)
	}
	// The feed's updated time is the newest entry's when not given.
	if got := rfc3339UTC(t, "feed updated", f.Updated); !got.Equal(at(14, 12, 0)) {
		t.Errorf("feed updated %v", got)
	}
	if len(f.Links) != 2 || f.Links[0] != (atomLink{"self", "application/atom+xml", meta.SelfURL}) || f.Links[1] != (atomLink{"alternate", "text/html", meta.AltURL}) {
		t.Errorf("feed links: %+v", f.Links)
	}
	wantTitles := []string{
		"Brazil signed the Final Acts subject to ratification",
		"Argentina signed the Final Acts",
		"China signed the Final Acts",
		"United States declined to sign the Final Acts",
	}
	if len(f.Entries) != len(wantTitles) {
		t.Fatalf("%d entries", len(f.Entries))
	}
	var prev time.Time
	ids := map[string]bool{}
	for i, e := range f.Entries {
		if e.Title.Text != wantTitles[i] {
			t.Errorf("entry %d: %q, want %q", i, e.Title.Text, wantTitles[i])
		}
		u := rfc3339UTC(t, "entry updated", e.Updated)
		if i > 0 && u.After(prev) {
			t.Errorf("entry %d is newer than the one before it", i)
		}
		prev = u
		if e.ID == "" || ids[e.ID] {
			t.Errorf("entry %d: id %q missing or repeated", i, e.ID)
		}
		ids[e.ID] = true
		if len(e.Links) != 1 || e.Links[0].Rel != "alternate" || e.Links[0].Href == "" {
			t.Errorf("entry %d links: %+v", i, e.Links)
		}
	}
	if e := f.Entries[0]; e.ID != "tag:plenary.example,2012:wcit-12/final-acts/signature/bra/signed_subject_to_ratification/20121214T120000Z" ||
		e.Summary == nil || e.Summary.Text != "By João Silva, Deputy head of delegation. Text "+hashV2+"." {
		t.Errorf("first entry: %+v %+v", e, e.Summary)
	}
	if s := f.Entries[2].Summary; s == nil || !strings.Contains(s.Text, hashV1+", since superseded.") {
		t.Errorf("a superseded signature's summary: %+v", s)
	}
	if s := f.Entries[3].Summary; s == nil || s.Text != "By Terry Kramer, Head of delegation." {
		t.Errorf("a declined signature's summary: %+v", s)
	}
	if !bytes.Equal(b, export.SignatureFeed(meta, entries)) {
		t.Error("two feeds of the same entries differ")
	}
	// The caller's slice keeps its order.
	if entries[0].Title != "Argentina signed the Final Acts" {
		t.Error("SignatureFeed reordered its argument")
	}
}

func TestSignatureFeedEscapesAndEdges(t *testing.T) {
	bad := `<b>"O'Brien" & Co</b>]]>`
	meta := export.FeedMeta{Title: "Feed " + bad, ID: "tag:x,2012:f?a=1&b=2", SelfURL: "https://x/feed?a=1&b=\"2\"",
		Updated: time.Date(2012, 12, 14, 22, 0, 0, 0, time.FixedZone("GST", 4*3600))}
	same := time.Date(2012, 12, 14, 10, 0, 0, 0, time.UTC)
	b := export.SignatureFeed(meta, []export.FeedEntry{
		{ID: "tag:x,2012:e1", Title: bad, Updated: same, Link: "https://x/?p=<1>&q", Summary: bad},
		{ID: "tag:x,2012:e2", Title: "second at the same time", Updated: same},
	})
	if bytes.Contains(b, []byte("<b>")) || bytes.Contains(b, []byte(`"O'`)) || bytes.Contains(b, []byte("]]>")) {
		t.Errorf("unescaped markup:\n%s", b)
	}
	f := parseFeed(t, b)
	if f.Title.Text != "Feed "+bad || f.ID != meta.ID || f.Links[0].Href != meta.SelfURL || len(f.Links) != 1 || f.Author != "Feed "+bad {
		t.Errorf("feed: %+v", f)
	}
	if f.Updated != "2012-12-14T18:00:00Z" {
		t.Errorf("feed updated %s, want it in UTC", f.Updated)
	}
	if len(f.Entries) != 2 || f.Entries[0].Title.Text != bad || f.Entries[0].Summary.Text != bad || f.Entries[0].Links[0].Href != "https://x/?p=<1>&q" ||
		f.Entries[1].ID != "tag:x,2012:e2" || f.Entries[1].Summary != nil || len(f.Entries[1].Links) != 0 {
		t.Errorf("entries: %+v", f.Entries)
	}
	// No entries: a valid feed with its own updated time.
	e := parseFeed(t, export.SignatureFeed(export.FeedMeta{Title: "Empty", ID: "tag:x,2012:empty"}, nil))
	if e.ID != "tag:x,2012:empty" || len(e.Entries) != 0 || e.Updated == "" {
		t.Errorf("empty feed: %+v", e)
	}
	rfc3339UTC(t, "empty feed updated", e.Updated)
}
