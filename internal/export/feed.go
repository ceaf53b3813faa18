package export

import (
	"encoding/xml"
	"sort"
	"strings"
	"time"
)

// AtomNamespace is the namespace of Atom 1.0 (RFC 4287).
const AtomNamespace = "http://www.w3.org/2005/Atom"

// FeedMeta describes an Atom feed.
type FeedMeta struct {
	// Title is the feed's title; ID its permanent, unique id, an IRI such
	// as a tag: URI ("tag:plenary.example,2012:wcit-12/final-acts").
	Title, ID string
	// SelfURL is the feed's own address (link rel="self"); AltURL the page
	// it follows (link rel="alternate"). Either may be empty.
	SelfURL, AltURL string
	// Author names the feed's author ("Secretariat of WCIT-12"); the
	// feed's title when empty.
	Author string
	// Updated is when the feed last changed; the newest entry's time when
	// zero.
	Updated time.Time
}

// FeedEntry is one entry of an Atom feed.
type FeedEntry struct {
	// ID is the entry's permanent, unique id (an IRI); Title its title
	// ("France signed the Final Acts").
	ID, Title string
	Updated   time.Time
	// Link is the page the entry is about (link rel="alternate"), if any;
	// Summary a sentence of plain text, if any.
	Link, Summary string
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   atomText   `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary *atomText  `xml:"summary"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   atomText    `xml:"title"`
	Updated string      `xml:"updated"`
	Author  string      `xml:"author>name"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

// atomTime writes t in RFC 3339, in UTC.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// SignatureFeed writes an Atom 1.0 feed (RFC 4287) of the entries, newest
// first (entries of the same time keep their order): the feed's id, title,
// updated time, author and links (self, alternate), and each entry's id,
// title, updated time, alternate link and summary. Times are RFC 3339 in
// UTC; text is escaped. It serves the final acts' signature events, as a
// depositary's notifications, and any other list of events.
func SignatureFeed(feed FeedMeta, entries []FeedEntry) []byte {
	es := append([]FeedEntry(nil), entries...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Updated.After(es[j].Updated) })
	updated := feed.Updated
	if updated.IsZero() && len(es) > 0 {
		updated = es[0].Updated
	}
	author := oneLine(feed.Author)
	if author == "" {
		author = oneLine(feed.Title)
	}
	f := atomFeed{NS: AtomNamespace, ID: feed.ID, Title: atomText{"text", oneLine(feed.Title)}, Updated: atomTime(updated), Author: author}
	if feed.SelfURL != "" {
		f.Links = append(f.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: feed.SelfURL})
	}
	if feed.AltURL != "" {
		f.Links = append(f.Links, atomLink{Rel: "alternate", Type: "text/html", Href: feed.AltURL})
	}
	for _, e := range es {
		ae := atomEntry{ID: e.ID, Title: atomText{"text", oneLine(e.Title)}, Updated: atomTime(e.Updated)}
		if e.Link != "" {
			ae.Links = append(ae.Links, atomLink{Rel: "alternate", Type: "text/html", Href: e.Link})
		}
		if s := strings.TrimSpace(e.Summary); s != "" {
			ae.Summary = &atomText{"text", s}
		}
		f.Entries = append(f.Entries, ae)
	}
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		// Strings only: they always marshal.
		panic(err)
	}
	return append(append([]byte(xml.Header), b...), '\n')
}

// SignatureEntries makes one feed entry per party that signed or declined
// the final acts: the title says who did what ("France signed the Final
// Acts", "… signed the Final Acts subject to ratification", "… declined to
// sign the Final Acts"), the summary who signed and which text. Each
// entry's id is idBase followed by the party's code, its state and the
// time, so a party that declines and later signs gives two entries; link
// is every entry's link. Pass the entries to SignatureFeed.
func SignatureEntries(fa FinalActs, idBase, link string) []FeedEntry {
	const title = "the Final Acts"
	var out []FeedEntry
	for i := range fa.Signatures {
		s := &fa.Signatures[i]
		var what string
		switch s.state() {
		case SignatureSigned:
			what = " signed " + title
		case SignatureSubjectToRatification:
			what = " signed " + title + " subject to ratification"
		case SignatureDeclined:
			what = " declined to sign " + title
		default:
			continue
		}
		var sum []string
		if n := oneLine(s.Signer); n != "" {
			sum = append(sum, "By "+joinNonEmpty(", ", n, oneLine(s.SignerRole))+".")
		}
		if s.signed() {
			if h := oneLine(s.TextHash); h != "" {
				t := "Text " + h
				if !s.Current {
					t += ", since superseded"
				}
				sum = append(sum, t+".")
			}
		}
		out = append(out, FeedEntry{
			ID:      idBase + "/" + idSafe(s.PartyCode) + "/" + s.state() + "/" + s.At.UTC().Format("20060102T150405Z"),
			Title:   s.name() + what,
			Updated: s.At, Link: link, Summary: strings.Join(sum, " "),
		})
	}
	return out
}
