package documents_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

func TestDocumentNumberingPerSeries(t *testing.T) {
	fx := fixture.NewDocuments(t)
	a := fx.Admin
	if d := fx.Submit(t, a, documents.DocumentInput{Type: documents.DocReport, Title: "Report of the Secretary-General"}); d.Number != "WTPF-13/1" || d.Series != "main" {
		t.Fatalf("first document: %s in %s", d.Number, d.Series)
	}
	if d := fx.Submit(t, a, documents.DocumentInput{Number: 5}); d.Number != "WTPF-13/5" {
		t.Fatalf("chosen number: %s", d.Number)
	}
	if d := fx.Submit(t, a, documents.DocumentInput{}); d.Number != "WTPF-13/6" {
		t.Fatalf("after a chosen number: %s", d.Number)
	}
	if d := fx.Submit(t, a, documents.DocumentInput{Number: 3}); d.Number != "WTPF-13/3" {
		t.Fatalf("filling a gap: %s", d.Number)
	}
	_, err := fx.Svc.Documents.SubmitDocument(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), documents.DocumentInput{Type: documents.DocReport, Title: "Again", Number: 5})
	fixture.ExpectField(t, err, "number")
	if !strings.Contains(err.Error(), "WTPF-13/5 is already taken") {
		t.Fatalf("message: %v", err)
	}

	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), forum.BodyInput{Slug: "ieg", Name: "Informal Experts Group", Kind: "experts_group"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []documents.SeriesInput{
		{Slug: "dt", Prefix: "DT", Name: "Temporary documents"},
		{Slug: "ieg-3", Prefix: "WTPF-IEG/3", Name: "Third meeting of the IEG", Body: "ieg"},
	} {
		if _, err := fx.Svc.Documents.CreateSeries(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), in); err != nil {
			t.Fatal(err)
		}
	}
	if d := fx.Submit(t, a, documents.DocumentInput{Type: documents.DocTemporary, Series: "dt", Number: 55}); d.Number != "DT/55" {
		t.Fatalf("DT: %s", d.Number)
	}
	d := fx.Submit(t, a, documents.DocumentInput{Series: "ieg-3"})
	if d.Number != "WTPF-IEG/3/1" || d.BodyID == "" {
		t.Fatalf("IEG: %s, body %q", d.Number, d.BodyID)
	}
	if d := fx.Submit(t, a, documents.DocumentInput{}); d.Number != "WTPF-13/7" {
		t.Fatalf("main series after other series: %s", d.Number)
	}

	for _, tt := range []struct {
		in    documents.SeriesInput
		field string
	}{
		{documents.SeriesInput{Slug: "dt", Prefix: "TD", Name: "x"}, "prefix"},
		{documents.SeriesInput{Slug: "td", Prefix: "dt", Name: "x"}, "prefix"},
		{documents.SeriesInput{Slug: "own", Prefix: "WTPF-13", Name: "x"}, "prefix"},
		{documents.SeriesInput{Slug: "main", Prefix: "M", Name: "x"}, "slug"},
		{documents.SeriesInput{Slug: "bad", Prefix: "A/", Name: "x"}, "prefix"},
		{documents.SeriesInput{Slug: "nobody", Prefix: "NB", Name: "x", Body: "nope"}, "body"},
	} {
		_, err := fx.Svc.Documents.CreateSeries(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), tt.in)
		fixture.ExpectField(t, err, tt.field)
	}
	_, err = fx.Svc.Documents.CreateSeries(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), documents.SeriesInput{Slug: "usa", Prefix: "USA", Name: "Mine"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)

	// Numbers belong to a forum: another forum starts at 1.
	other, err := fx.Svc.Kernel.CreateForum(fx.Ctx, a, forum.ForumInput{Slug: "wcit-12", Title: "WCIT-12", Kind: forum.KindTreatyConference, DocPrefix: "WCIT-12"})
	if err != nil {
		t.Fatal(err)
	}
	d2, err := fx.Svc.Documents.SubmitDocument(fx.Ctx, fixture.In(t, fx.Svc.Kernel, a, other.Slug), documents.DocumentInput{Type: documents.DocProposal, Title: "Proposals"})
	if err != nil || d2.Number != "WCIT-12/1" {
		t.Fatalf("other forum: %s %v", d2.Number, err)
	}
	ser, err := fx.Svc.Documents.DocSeries(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F))
	if err != nil || len(ser) != 3 || ser[0].Slug != "main" || ser[0].LastSeq != 7 || ser[1].LastSeq != 55 {
		t.Fatalf("series: %+v %v", ser, err)
	}
}

// Many submissions at once, on the test engine (run the package with
// PLENARY_TEST_ENGINE=postgres for PostgreSQL): every number is given
// once and none is skipped.
func TestConcurrentNumberingNeverRepeatsOrSkips(t *testing.T) {
	fx := fixture.NewDocuments(t)
	if _, err := fx.Svc.Documents.CreateSeries(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), documents.SeriesInput{Slug: "dt", Prefix: "DT", Name: "Temporary documents"}); err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	nums := make(chan string, 2*n)
	errs := make(chan error, 2*n)
	start := make(chan struct{})
	for i := 0; i < 2*n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			in := documents.DocumentInput{Type: documents.DocContribution, Title: fmt.Sprintf("Contribution %d", i), Text: "Text"}
			a := fx.Usa
			if i%2 == 1 {
				in.Type, in.Series, a = documents.DocTemporary, "dt", fx.Admin
			}
			d, err := fx.Svc.Documents.SubmitDocument(context.Background(), fixture.In(t, fx.Svc.Kernel, a, fx.F.Slug), in)
			if err != nil {
				errs <- err
				return
			}
			nums <- d.Number
		}(i)
	}
	close(start)
	wg.Wait()
	close(nums)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := map[string]int{}
	for num := range nums {
		got[num]++
	}
	for _, prefix := range []string{"WTPF-13/", "DT/"} {
		for i := 1; i <= n; i++ {
			num := fmt.Sprintf("%s%d", prefix, i)
			if got[num] != 1 {
				t.Errorf("%s given %d times", num, got[num])
			}
		}
	}
	if len(got) != 2*n {
		t.Errorf("%d distinct numbers, want %d", len(got), 2*n)
	}
	if r, err := fx.Svc.Record.VerifyChain(fx.Ctx, fx.F.ID); err != nil || !r.OK() {
		t.Fatalf("chain after concurrent submissions: %+v %v", r, err)
	}
}

func TestVersionsKeepTheNumber(t *testing.T) {
	fx := fixture.NewDocuments(t)
	d := fx.Submit(t, fx.Admin, documents.DocumentInput{Type: documents.DocReport, Title: "Chairman's report", Text: "First text", Number: 16})
	steps := []struct {
		in   documents.VersionInput
		want string
	}{
		{documents.VersionInput{Kind: documents.VersionRev, Text: "Revised text", Title: "Chairman's report (revised)", Note: "Part II added"}, "WTPF-13/16(Rev.1)"},
		{documents.VersionInput{Kind: documents.VersionAdd, Text: "An annex"}, "WTPF-13/16(Add.1)"},
		{documents.VersionInput{Kind: documents.VersionCorr, Text: "Correct paragraph 3"}, "WTPF-13/16(Corr.1)"},
		{documents.VersionInput{Kind: documents.VersionAdd, Text: "Another annex"}, "WTPF-13/16(Add.2)"},
		{documents.VersionInput{Kind: documents.VersionRev, Text: "Second revision"}, "WTPF-13/16(Rev.2)"},
	}
	for _, s := range steps {
		v, err := fx.Svc.Documents.AddVersion(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, s.in)
		if err != nil {
			t.Fatal(err)
		}
		if v.Label != s.want {
			t.Fatalf("label %s, want %s", v.Label, s.want)
		}
	}
	got, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "WTPF-13/16" || got.Current != "WTPF-13/16(Rev.2)" || got.Text != "Second revision" || got.Title != "Chairman's report (revised)" {
		t.Fatalf("document after versions: %s %s %q %q", got.Number, got.Current, got.Text, got.Title)
	}
	if len(got.Versions) != 6 || got.Versions[0].Kind != documents.VersionOriginal {
		t.Fatalf("versions: %+v", got.Versions)
	}
	list, err := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), documents.DocumentFilter{})
	if err != nil || len(list) != 1 || list[0].Current != "WTPF-13/16(Rev.2)" || list[0].Text != "" {
		t.Fatalf("register: %+v %v", list, err)
	}
	if evs := fx.Events(t, "document.version_added"); len(evs) != 5 || !strings.Contains(string(evs[0].Payload), `"label":"WTPF-13/16(Rev.1)"`) {
		t.Fatalf("events: %v", evs)
	}
	for _, bad := range []documents.VersionInput{{Kind: "rev2", Text: "x"}, {Kind: documents.VersionRev}} {
		_, err := fx.Svc.Documents.AddVersion(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, bad)
		fixture.ExpectCode(t, err, plenary.CodeInvalid)
	}
	// Old-text search: the revised text replaced the first.
	r, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "first"})
	if err != nil || len(r.Hits) != 0 {
		t.Fatalf("replaced text still found: %+v %v", r.Hits, err)
	}
	r, err = fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "annex"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("addendum text not found: %+v %v", r.Hits, err)
	}
	r, err = fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: `"WTPF-13/16"`})
	if err != nil || len(r.Hits) != 1 || r.Hits[0].Number != "WTPF-13/16(Rev.2)" {
		t.Fatalf("search by number: %+v %v", r.Hits, err)
	}
}

func TestWhoMaySubmitWhat(t *testing.T) {
	fx := fixture.NewDocuments(t)
	d := fx.Submit(t, fx.Usa, documents.DocumentInput{Title: "Contribution from the United States"})
	if len(d.Parties) != 1 || d.Parties[0].Code != "USA" || d.Parties[0].Name != "United States" || d.Visibility != "public" {
		t.Fatalf("delegate's contribution: %+v", d)
	}
	if d := fx.Submit(t, fx.Isoc, documents.DocumentInput{Parties: []string{"ISOC"}}); d.Parties[0].Code != "ISOC" {
		t.Fatalf("civil society: %+v", d.Parties)
	}
	if d := fx.Submit(t, fx.Editor, documents.DocumentInput{Type: documents.DocDraftText, Title: "Draft Opinion 5"}); len(d.Parties) != 0 {
		t.Fatalf("editor's draft: %+v", d.Parties)
	}
	// The secretariat files a joint contribution for two parties and
	// chooses its number.
	if d := fx.Submit(t, fx.Admin, documents.DocumentInput{Parties: []string{"USA", "bra"}, Number: 20}); d.PartyNames() != "United States, Brazil" {
		t.Fatalf("joint: %s", d.PartyNames())
	}

	for _, tt := range []struct {
		name string
		a    forum.Actor
		in   documents.DocumentInput
		code plenary.Code
		msg  string
	}{
		{"anonymous", forum.Anonymous, documents.DocumentInput{}, plenary.CodeUnauthorized, ""},
		{"not registered", fx.Outsider, documents.DocumentInput{}, plenary.CodeForbidden, "not registered"},
		{"observer", fx.Observer, documents.DocumentInput{}, plenary.CodeForbidden, "WTPF-13"},
		{"report by a delegate", fx.Usa, documents.DocumentInput{Type: documents.DocReport}, plenary.CodeForbidden, "only the secretariat of WTPF-13 issues"},
		{"for another party", fx.Usa, documents.DocumentInput{Parties: []string{"BRA"}}, plenary.CodeForbidden, "Brazil"},
		{"draft text by a delegate", fx.Isoc, documents.DocumentInput{Type: documents.DocDraftText}, plenary.CodeForbidden, "WTPF-13"},
		{"chosen number", fx.Usa, documents.DocumentInput{Number: 9}, plenary.CodeInvalid, "secretariat chooses"},
		{"another delegation's visibility", fx.Usa, documents.DocumentInput{Visibility: "party:BRA"}, plenary.CodeInvalid, "delegation you belong to"},
		{"unknown party", fx.Admin, documents.DocumentInput{Parties: []string{"XYZ"}}, plenary.CodeInvalid, "XYZ"},
		{"bad type", fx.Admin, documents.DocumentInput{Type: "memo"}, plenary.CodeInvalid, "type"},
		{"unknown series", fx.Admin, documents.DocumentInput{Series: "nope"}, plenary.CodeInvalid, "series"},
		{"embargo on public", fx.Admin, documents.DocumentInput{Visibility: "public", EmbargoUntil: "2030-01-01"}, plenary.CodeInvalid, "embargo"},
		{"bad embargo", fx.Admin, documents.DocumentInput{Visibility: "members", EmbargoUntil: "soon"}, plenary.CodeInvalid, "embargo_until"},
		{"bad date", fx.Admin, documents.DocumentInput{IssuedOn: "15/03/2013"}, plenary.CodeInvalid, "issued_on"},
		{"bad language", fx.Admin, documents.DocumentInput{Languages: []string{"english"}}, plenary.CodeInvalid, "languages"},
		{"delegation without party", fx.Admin, documents.DocumentInput{Visibility: "delegation"}, plenary.CodeInvalid, "source party"},
		{"NUL in text", fx.Admin, documents.DocumentInput{Text: "a\x00b"}, plenary.CodeInvalid, "text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.Type == "" {
				in.Type = documents.DocContribution
			}
			if in.Title == "" {
				in.Title = "Refused"
			}
			_, err := fx.Svc.Documents.SubmitDocument(fx.Ctx, fixture.In(t, fx.Svc.Kernel, tt.a, fx.F.Slug), in)
			fixture.ExpectCode(t, err, tt.code)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("message %q lacks %q", err, tt.msg)
			}
		})
	}
	list, _ := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F), documents.DocumentFilter{})
	if len(list) != 4 {
		t.Fatalf("%d documents after refusals, want 4", len(list))
	}
}

func TestReadingRestrictedDocuments(t *testing.T) {
	fx := fixture.NewDocuments(t)
	pub := fx.Submit(t, fx.Usa, documents.DocumentInput{Title: "Public contribution", Text: "Open text about exchange points"})
	mem := fx.Submit(t, fx.Usa, documents.DocumentInput{Title: "Members contribution", Text: "Confidential exchange points", Visibility: "members"})
	del := fx.Submit(t, fx.Bra, documents.DocumentInput{Title: "Brazil's own paper", Text: "Delegation exchange points", Visibility: "delegation"})
	if del.Visibility != ledger.VisParty(fx.Parties["BRA"]) || del.VisibilityLabel() != "Delegation of Brazil only" {
		t.Fatalf("delegation visibility: %s %s", del.Visibility, del.VisibilityLabel())
	}
	cases := []struct {
		who   string
		a     forum.Actor
		sees  []documents.Document
		codes map[string]plenary.Code // refusals by document id
		msg   string
	}{
		{"anonymous", forum.Anonymous, []documents.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeUnauthorized, del.ID: plenary.CodeUnauthorized}, ""},
		{"observer", fx.Observer, []documents.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeForbidden, del.ID: plenary.CodeForbidden}, "WTPF-13"},
		{"civil society delegate", fx.Isoc, []documents.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeForbidden}, "WTPF-13"},
		{"not registered", fx.Outsider, []documents.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeForbidden}, "not registered"},
		{"USA delegate", fx.Usa, []documents.Document{pub, mem}, map[string]plenary.Code{del.ID: plenary.CodeForbidden}, "one delegation"},
		{"Brazil", fx.Bra, []documents.Document{pub, mem, del}, nil, ""},
		{"secretariat", fx.Admin, []documents.Document{pub, mem, del}, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			list, err := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, c.a, fx.F), documents.DocumentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, d := range list {
				got = append(got, d.Number)
			}
			for _, d := range c.sees {
				want = append(want, d.Number)
				if _, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, c.a, fx.F), d.ID); err != nil {
					t.Fatalf("reading %s: %v", d.Number, err)
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("register shows %v, want %v", got, want)
			}
			for id, code := range c.codes {
				_, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, c.a, fx.F), id)
				fixture.ExpectCode(t, err, code)
				if !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("refusal %q does not name %q", err, c.msg)
				}
			}
			// Readable, which reads no more than the visibility, answers
			// as Document does, refusals included.
			for _, d := range []documents.Document{pub, mem, del} {
				sc := fixture.In(t, fx.Svc.Kernel, c.a, fx.F)
				_, full := fx.Svc.Documents.Document(fx.Ctx, sc, d.ID)
				cheap := fx.Svc.Documents.Readable(fx.Ctx, sc, d.ID)
				if plenary.ErrorCode(full) != plenary.ErrorCode(cheap) || (full != nil) != (cheap != nil) ||
					(full != nil && full.Error() != cheap.Error()) {
					t.Fatalf("%s: Document gives %v, Readable %v", d.Number, full, cheap)
				}
			}
			err = fx.Svc.Documents.Readable(fx.Ctx, fixture.In(t, fx.Svc.Kernel, c.a, fx.F), "no-such-document")
			fixture.ExpectCode(t, err, plenary.CodeNotFound)
			// Search shows the same, snippets included.
			r, err := fx.Svc.Documents.Search(fx.Ctx, c.a, documents.SearchInput{Q: "exchange points", Forum: fx.F.Slug})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Hits) != len(c.sees) {
				t.Fatalf("search found %d, want %d", len(r.Hits), len(c.sees))
			}
			for _, h := range r.Hits {
				if h.Visibility != "public" && len(c.sees) == 1 || strings.Contains(h.Snippet, "Confidential") && len(c.sees) == 1 {
					t.Fatalf("restricted hit for %s: %+v", c.who, h)
				}
			}
			// And the site-wide search too.
			r, err = fx.Svc.Documents.Search(fx.Ctx, c.a, documents.SearchInput{Q: "exchange points"})
			if err != nil || len(r.Hits) != len(c.sees) {
				t.Fatalf("site-wide search found %d, want %d (%v)", len(r.Hits), len(c.sees), err)
			}
		})
	}
	// A delegation whose group may not read restricted documents still
	// reads its own delegation's documents, and only those.
	own := fx.Submit(t, fx.Isoc, documents.DocumentInput{Title: "ISOC internal note", Text: "Own exchange points", Visibility: "delegation"})
	if _, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Isoc, fx.F), own.ID); err != nil {
		t.Fatalf("ISOC reading its own delegation document: %v", err)
	}
	if list, _ := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Isoc, fx.F), documents.DocumentFilter{}); len(list) != 2 {
		t.Fatalf("ISOC's register: %d documents, want its own and the public one", len(list))
	}
	_, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F), own.ID)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	if _, err := fx.Svc.Documents.DocumentByNumber(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), pub.Number); err != nil {
		t.Fatal(err)
	}
	_, err = fx.Svc.Documents.DocumentByNumber(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), "WTPF-13/99")
	fixture.ExpectCode(t, err, plenary.CodeNotFound)
	// The events of restricted documents are restricted too.
	for _, ev := range fx.Events(t, "document.submitted") {
		var want string
		switch {
		case strings.Contains(string(ev.Payload), mem.ID):
			want = "members"
		case strings.Contains(string(ev.Payload), del.ID):
			want = del.Visibility
		case strings.Contains(string(ev.Payload), own.ID):
			want = own.Visibility
		default:
			want = "public"
		}
		if ev.Visibility != want {
			t.Errorf("event %d visibility %s, want %s", ev.Seq, ev.Visibility, want)
		}
	}
}

func TestForumDefaultVisibility(t *testing.T) {
	fx := fixture.NewDocuments(t)
	closed := false
	if _, err := fx.Svc.Kernel.UpdateForum(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), forum.ForumInput{Title: fx.F.Title, Kind: fx.F.Kind, DocPrefix: "WTPF-13", DefaultPublic: &closed}); err != nil {
		t.Fatal(err)
	}
	if d := fx.Submit(t, fx.Usa, documents.DocumentInput{}); d.Visibility != "members" {
		t.Fatalf("default with the switch off: %s", d.Visibility)
	}
	if d := fx.Submit(t, fx.Usa, documents.DocumentInput{Visibility: "public"}); d.Visibility != "public" {
		t.Fatalf("explicitly public: %s", d.Visibility)
	}
}

func TestEmbargoReleaseIsRecordedAndSearchable(t *testing.T) {
	fx := fixture.NewDocuments(t)
	past := fx.Submit(t, fx.Admin, documents.DocumentInput{Type: documents.DocInformation, Title: "Embargoed draft report", Text: "Embargoed words",
		Visibility: "members", EmbargoUntil: time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	future := fx.Submit(t, fx.Admin, documents.DocumentInput{Type: documents.DocInformation, Title: "Later", Text: "Embargoed words too",
		Visibility: "members", EmbargoUntil: "2999-01-01"})
	anonSearch := func() int {
		r, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "embargoed"})
		if err != nil {
			t.Fatal(err)
		}
		return len(r.Hits)
	}
	if n := anonSearch(); n != 0 {
		t.Fatalf("embargoed documents found by the public: %d", n)
	}
	if n, err := fx.Svc.Documents.ReleaseEmbargoed(fx.Ctx); err != nil || n != 0 {
		t.Fatalf("released %d before the date (%v)", n, err)
	}
	if err := fx.Svc.Documents.Readable(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), future.ID); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("an embargoed document is readable by the public: %v", err)
	}
	// The embargo passes.
	if _, err := fx.St.ExecContext(fx.Ctx, "UPDATE documents SET embargo_until = ? WHERE id = ?", time.Now().Add(-time.Minute).UnixMilli(), past.ID); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			n, err := fx.Svc.Documents.ReleaseEmbargoed(context.Background())
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}(i)
	}
	wg.Wait()
	if counts[0]+counts[1]+counts[2]+counts[3] != 1 {
		t.Fatalf("four sweeps at once released %v", counts)
	}
	evs := fx.Events(t, "document.released")
	if len(evs) != 1 || evs[0].Actor != ledger.SystemActor || evs[0].Visibility != ledger.VisPublic ||
		!strings.Contains(string(evs[0].Payload), past.Number) || !strings.Contains(string(evs[0].Payload), `"from":"members"`) {
		t.Fatalf("release events: %+v", evs)
	}
	d, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), past.ID)
	if err != nil || d.Visibility != "public" || d.ReleasedAt == nil || d.EmbargoUntil != nil {
		t.Fatalf("after release: %+v %v", d, err)
	}
	if n := anonSearch(); n != 1 {
		t.Fatalf("released document not found by the public: %d hits", n)
	}
	_, err = fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), future.ID)
	fixture.ExpectCode(t, err, plenary.CodeUnauthorized)

	// Reading releases too, without waiting for the sweep.
	if _, err := fx.St.ExecContext(fx.Ctx, "UPDATE documents SET embargo_until = ? WHERE id = ?", time.Now().Add(-time.Second).UnixMilli(), future.ID); err != nil {
		t.Fatal(err)
	}
	// (Readable, asking whether the public may read it, releases it.)
	if err := fx.Svc.Documents.Readable(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), future.ID); err != nil {
		t.Fatalf("readable after the embargo: %v", err)
	}
	if d, err := fx.Svc.Documents.Document(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), future.ID); err != nil || !d.Public() {
		t.Fatalf("read after the embargo: %+v %v", d, err)
	}
	if evs := fx.Events(t, "document.released"); len(evs) != 2 {
		t.Fatalf("%d release events, want 2", len(evs))
	}
	if r, err := fx.Svc.Record.VerifyChain(fx.Ctx, fx.F.ID); err != nil || !r.OK() {
		t.Fatalf("chain: %+v %v", r, err)
	}
}

func TestSweepRunsUntilCancelled(t *testing.T) {
	fx := fixture.NewDocuments(t)
	d := fx.Submit(t, fx.Admin, documents.DocumentInput{Type: documents.DocInformation, Visibility: "members", EmbargoUntil: "2001-01-01"})
	ctx, cancel := context.WithCancel(fx.Ctx)
	done := make(chan struct{})
	go func() { fx.Svc.Documents.RunEmbargoSweep(ctx, 10*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F), documents.DocumentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Public() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sweep did not release the document")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	_ = d
}

func TestChangingVisibility(t *testing.T) {
	fx := fixture.NewDocuments(t)
	d := fx.Submit(t, fx.Usa, documents.DocumentInput{Title: "Sensitive", Text: "Something sensitive"})
	_, err := fx.Svc.Documents.SetDocumentVisibility(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), d.ID, documents.VisibilityInput{Visibility: "members"})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	got, err := fx.Svc.Documents.SetDocumentVisibility(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, documents.VisibilityInput{Visibility: "delegation", EmbargoUntil: "2999-01-01T10:00"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Visibility != ledger.VisParty(fx.Parties["USA"]) || got.EmbargoUntil == nil || got.EmbargoUntil.Hour() != 10 {
		t.Fatalf("after change: %s %v", got.Visibility, got.EmbargoUntil)
	}
	r, _ := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "sensitive"})
	if len(r.Hits) != 0 {
		t.Fatal("restricted document still in the public search")
	}
	evs := fx.Events(t, "document.visibility_changed")
	if len(evs) != 1 || evs[0].Visibility != "public" || strings.Contains(string(evs[0].Payload), "Sensitive") ||
		!strings.Contains(string(evs[0].Payload), `"to":"delegation"`) || strings.Contains(string(evs[0].Payload), fx.Parties["USA"]) {
		t.Fatalf("event: %+v", evs)
	}
	// Back to public: the title is on the record now.
	if _, err := fx.Svc.Documents.SetDocumentVisibility(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, documents.VisibilityInput{Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	evs = fx.Events(t, "document.visibility_changed")
	if len(evs) != 2 || !strings.Contains(string(evs[1].Payload), "Sensitive") {
		t.Fatalf("events: %+v", evs)
	}
	// No change, no event.
	if _, err := fx.Svc.Documents.SetDocumentVisibility(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, documents.VisibilityInput{Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	if evs := fx.Events(t, "document.visibility_changed"); len(evs) != 2 {
		t.Fatalf("a no-op made an event")
	}
	for _, bad := range []documents.VisibilityInput{{}, {Visibility: "secret"}, {Visibility: "public", EmbargoUntil: "2999-01-01"}, {Visibility: "party:NOPE"}} {
		_, err := fx.Svc.Documents.SetDocumentVisibility(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, bad)
		fixture.ExpectCode(t, err, plenary.CodeInvalid)
	}
}

func TestWithdrawing(t *testing.T) {
	fx := fixture.NewDocuments(t)
	d := fx.Submit(t, fx.Usa, documents.DocumentInput{})
	_, err := fx.Svc.Documents.WithdrawDocument(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), d.ID, "not theirs")
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	got, err := fx.Svc.Documents.WithdrawDocument(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), d.ID, "Superseded by a joint contribution")
	if err != nil || got.Status != documents.DocWithdrawn || got.StatusNote == "" {
		t.Fatalf("withdrawn: %+v %v", got, err)
	}
	_, err = fx.Svc.Documents.WithdrawDocument(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), d.ID, "")
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	_, err = fx.Svc.Documents.AddVersion(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), d.ID, documents.VersionInput{Kind: documents.VersionRev, Text: "x"})
	fixture.ExpectCode(t, err, plenary.CodeConflict)
	// The number is not given again.
	if next := fx.Submit(t, fx.Usa, documents.DocumentInput{}); next.Number != "WTPF-13/2" {
		t.Fatalf("next number %s", next.Number)
	}
	list, _ := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), documents.DocumentFilter{Status: documents.DocWithdrawn})
	if len(list) != 1 || list[0].ID != d.ID {
		t.Fatalf("withdrawn filter: %+v", list)
	}
}

func TestRegisterFilters(t *testing.T) {
	fx := fixture.NewDocuments(t)
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), forum.BodyInput{Slug: "wg3", Name: "Working Group 3", Kind: "working_group"}); err != nil {
		t.Fatal(err)
	}
	fx.Submit(t, fx.Admin, documents.DocumentInput{Type: documents.DocReport, IssuedOn: "2013-03-15"})
	fx.Submit(t, fx.Usa, documents.DocumentInput{IssuedOn: "2013-04-20", Body: "wg3"})
	fx.Submit(t, fx.Bra, documents.DocumentInput{IssuedOn: "2013-05-01"})
	bodies, _ := fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F).Bodies(fx.Ctx)
	for _, tt := range []struct {
		flt  documents.DocumentFilter
		want string
	}{
		{documents.DocumentFilter{}, "WTPF-13/1 WTPF-13/2 WTPF-13/3"},
		{documents.DocumentFilter{Type: documents.DocReport}, "WTPF-13/1"},
		{documents.DocumentFilter{Party: fx.Parties["BRA"]}, "WTPF-13/3"},
		{documents.DocumentFilter{Body: bodies[0].ID}, "WTPF-13/2"},
		{documents.DocumentFilter{From: "2013-04-20"}, "WTPF-13/2 WTPF-13/3"},
		{documents.DocumentFilter{To: "2013-04-20"}, "WTPF-13/1 WTPF-13/2"},
		{documents.DocumentFilter{Series: "main", Status: documents.DocCurrent}, "WTPF-13/1 WTPF-13/2 WTPF-13/3"},
	} {
		list, err := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), tt.flt)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range list {
			got = append(got, d.Number)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%+v: got %v, want %s", tt.flt, got, tt.want)
		}
	}
	for _, bad := range []documents.DocumentFilter{{Type: "x"}, {From: "yesterday"}, {Status: "gone"}} {
		_, err := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), bad)
		fixture.ExpectCode(t, err, plenary.CodeInvalid)
	}
	ps, err := fx.Svc.Documents.DocumentParties(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F))
	if err != nil || len(ps) != 2 || ps[0].Name != "Brazil" {
		t.Fatalf("parties: %+v %v", ps, err)
	}
	r, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "document", Forum: fx.F.Slug, Party: "USA", Body: "wg3", From: "2013-04-20", To: "2013-04-20"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("search filters: %+v %v", r, err)
	}
	for _, bad := range []documents.SearchInput{{Q: "x", Forum: "nope"}, {Q: "x", Body: "wg3"}, {Q: "x", From: "2013"}, {Q: "x", Type: "memo"}, {Q: "x", Kind: "k"}, {Q: ""}, {Q: "x", Page: -1}} {
		_, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, bad)
		fixture.ExpectCode(t, err, plenary.CodeInvalid)
	}
}

func TestUploadsAreCheckedBeforeAnythingIsStored(t *testing.T) {
	fx := fixture.NewDocuments(t)
	submit := func(name string, content []byte) (documents.Document, error) {
		return fx.Svc.Documents.SubmitDocument(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), documents.DocumentInput{Type: documents.DocContribution, Title: "With a file",
			Files: []documents.FileInput{{Name: name, Language: "en", Content: bytes.NewReader(content)}}})
	}
	_, err := submit("contribution.pdf", []byte("MZ\x90\x00 not a pdf at all"))
	fixture.ExpectField(t, err, "file")
	fixture.ExpectCode(t, err, plenary.CodeInvalid)
	_, err = submit("big.txt", bytes.Repeat([]byte("a"), 64<<10+1))
	fixture.ExpectField(t, err, "file")
	fixture.ExpectCode(t, err, plenary.CodeTooLarge)
	_, err = submit("empty.txt", nil)
	fixture.ExpectField(t, err, "file")
	if n := fx.Objects(t); n != 0 {
		t.Fatalf("%d objects stored after refused uploads", n)
	}
	if list, _ := fx.Svc.Documents.Documents(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F), documents.DocumentFilter{}); len(list) != 0 {
		t.Fatalf("refused uploads left documents: %+v", list)
	}

	d, err := submit("../Contribution.PDF", []byte(fixture.DocPDF("exchange")))
	if err != nil {
		t.Fatal(err)
	}
	fl := d.Versions[0].Files[0]
	if fl.Name != "Contribution.pdf" || fl.ContentType != "application/pdf" || fl.Language != "en" || fl.Size != int64(len(fixture.DocPDF("exchange"))) {
		t.Fatalf("stored file: %+v", fl)
	}
	// A DOCX attached to the same version: its text becomes searchable.
	f2, err := fx.Svc.Documents.AttachFile(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), d.ID, documents.AttachInput{FileInput: documents.FileInput{Name: "contribution-fr", Language: "fr",
		Content: bytes.NewReader(fixture.DocDOCX(t, "Contribution des États-Unis sur les points d'échange"))}})
	if err != nil {
		t.Fatal(err)
	}
	if f2.Name != "contribution-fr.docx" || !strings.Contains(f2.ContentType, "wordprocessingml") {
		t.Fatalf("docx: %+v", f2)
	}
	r, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "etats-unis"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("text of the DOCX not searchable: %+v %v", r, err)
	}
	// The same bytes again are stored once.
	if _, err := fx.Svc.Documents.AttachFile(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, documents.AttachInput{Version: d.Number, FileInput: documents.FileInput{Name: "copy.pdf", Content: strings.NewReader(fixture.DocPDF("exchange"))}}); err != nil {
		t.Fatal(err)
	}
	if n := fx.Objects(t); n != 2 {
		t.Fatalf("%d objects, want 2", n)
	}
	// Reading a file back needs the right to read the document.
	got, rc, err := fx.Svc.Documents.OpenFile(fx.Ctx, fixture.In(t, fx.Svc.Kernel, forum.Anonymous, fx.F), d.ID, fl.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != fixture.DocPDF("exchange") || got.SHA256 != fl.SHA256 {
		t.Fatalf("read back %q", b)
	}
	if _, err := fx.Svc.Documents.SetDocumentVisibility(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, documents.VisibilityInput{Visibility: "members"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = fx.Svc.Documents.OpenFile(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Observer, fx.F), d.ID, fl.ID)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, _, err = fx.Svc.Documents.OpenFile(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F), d.ID, "nope")
	fixture.ExpectCode(t, err, plenary.CodeNotFound)
	_, err = fx.Svc.Documents.AttachFile(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug), d.ID, documents.AttachInput{Version: "WTPF-13/1(Rev.9)", FileInput: documents.FileInput{Name: "x.pdf", Content: strings.NewReader(fixture.DocPDF(""))}})
	fixture.ExpectField(t, err, "version")
	_, err = fx.Svc.Documents.AttachFile(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Bra, fx.F.Slug), d.ID, documents.AttachInput{FileInput: documents.FileInput{Name: "x.pdf", Content: strings.NewReader(fixture.DocPDF(""))}})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	evs := fx.Events(t, "document.file_attached")
	if len(evs) != 2 || !strings.Contains(string(evs[0].Payload), f2.SHA256) {
		t.Fatalf("file events: %+v", evs)
	}
	sub := fx.Events(t, "document.submitted")
	if len(sub) != 1 || !strings.Contains(string(sub[0].Payload), fl.SHA256) || !strings.Contains(string(sub[0].Payload), `"text_sha256"`) {
		t.Fatalf("submitted event lacks the file hash: %s", sub[0].Payload)
	}
}

func TestNewDocumentIsSearchableAtOnce(t *testing.T) {
	fx := fixture.NewDocuments(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		fx.Submit(t, fx.Usa, documents.DocumentInput{Title: "Internet exchange points", Text: "Unique word zanzibarian."})
	}()
	<-done
	r, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "zanzibarian"})
	if err != nil || len(r.Hits) != 1 || r.Hits[0].Number != "WTPF-13/1" || !strings.Contains(string(r.Hits[0].SnippetHTML), "<mark>zanzibarian</mark>") {
		t.Fatalf("search right after the commit: %+v %v", r, err)
	}
	if r.Hits[0].Path != documents.DocumentPath(fx.F, r.Hits[0].DocumentID) {
		t.Fatalf("path %s", r.Hits[0].Path)
	}
}

// CreateDocumentTx lets another command create a document inside its own
// transaction, as the drafting commands do for a draft text.
func TestCreateDocumentInsideAnotherCommand(t *testing.T) {
	fx := fixture.NewDocuments(t)
	var d documents.Document
	_, err := fx.St.Write(fx.Ctx, func(tx *store.Tx) error {
		var err error
		d, err = fx.Svc.Documents.CreateDocumentTx(fx.Ctx, tx, fx.Editor, fx.F, documents.DocumentInput{Type: documents.DocDraftText, Title: "Draft Opinion 5", Text: "considering..."})
		if err != nil {
			return err
		}
		if err := search.Index(fx.Ctx, tx, search.Entry{Kind: search.KindProvision, RefID: "prov-1", DocumentID: d.ID, ForumID: fx.F.ID,
			Visibility: d.Visibility, Type: d.Type, Number: d.Number + " 1", Title: "is of the view", Text: "that multistakeholder participation matters"}); err != nil {
			return err
		}
		_, err = fx.Svc.Documents.AddVersionTx(fx.Ctx, tx, fx.Editor, fx.F, d.ID, documents.VersionInput{Kind: documents.VersionRev, Text: "revised"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "WTPF-13/1" || d.Type != documents.DocDraftText {
		t.Fatalf("draft: %+v", d)
	}
	r, err := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "multistakeholder", Kind: search.KindProvision})
	if err != nil || len(r.Hits) != 1 || r.Hits[0].DocumentID != d.ID {
		t.Fatalf("provision: %+v %v", r, err)
	}
	// Restricting the draft restricts its provisions.
	if _, err := fx.Svc.Documents.SetDocumentVisibility(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), d.ID, documents.VisibilityInput{Visibility: "members"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := fx.Svc.Documents.Search(fx.Ctx, forum.Anonymous, documents.SearchInput{Q: "multistakeholder"}); len(r.Hits) != 0 {
		t.Fatalf("provision of a restricted draft found: %+v", r.Hits)
	}
	if r, _ := fx.Svc.Documents.Search(fx.Ctx, fx.Usa, documents.SearchInput{Q: "multistakeholder"}); len(r.Hits) != 1 {
		t.Fatalf("member does not find the provision: %+v", r.Hits)
	}
	var kinds []string
	for _, ev := range fx.Events(t, "document.submitted") {
		kinds = append(kinds, ev.Actor)
	}
	sort.Strings(kinds)
	if len(kinds) != 1 || kinds[0] != fx.Editor.UserID {
		t.Fatalf("events: %v", kinds)
	}
}
