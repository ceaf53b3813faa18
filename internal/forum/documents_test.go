package forum_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/files"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

// docFixture is a WTPF-like forum with parties and registered people,
// made through the tables directly so that these tests do not depend on
// the registration commands.
type docFixture struct {
	*fixture
	f        forum.Forum
	filesDir string
	parties  map[string]string // code -> id
	// People: a Member State delegate each for USA and BRA, a civil
	// society delegate (ISOC), an observer, an editor, and someone who
	// is not registered.
	usa, bra, isoc, observer, editor, outsider forum.Actor
}

func newDocFixture(t *testing.T) *docFixture {
	t.Helper()
	fx := &docFixture{fixture: newFixture(t), parties: map[string]string{}}
	f, err := fx.svc.CreateForum(fx.ctx, fx.admin, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum",
		Kind: forum.KindPolicyForum, DocPrefix: "WTPF-13", Languages: []string{"en", "fr"}})
	if err != nil {
		t.Fatal(err)
	}
	fx.f = f
	fx.filesDir = t.TempDir()
	fx.svc.SetFileStore(files.NewDisk(fx.filesDir), 64<<10)
	for _, p := range []struct{ code, name, group string }{
		{"USA", "United States", rules.GroupMemberState},
		{"BRA", "Brazil", rules.GroupMemberState},
		{"ISOC", "Internet Society", rules.GroupCivilSociety},
	} {
		fx.parties[p.code] = fx.addParty(t, p.code, p.name, p.group)
	}
	fx.usa = fx.registered(t, "usa@example.org", "USA", "", rules.RoleDelegate)
	fx.bra = fx.registered(t, "bra@example.org", "BRA", "", rules.RoleHeadOfDelegation)
	fx.isoc = fx.registered(t, "isoc@example.org", "ISOC", "", rules.RoleDelegate)
	fx.observer = fx.registered(t, "observer@example.org", "", rules.GroupObserver, rules.RoleObserver)
	fx.editor = fx.registered(t, "editor@example.org", "", rules.GroupSecretariat, rules.RoleEditor)
	fx.outsider = fx.user(t, "outsider@example.org", "Otto Outsider", false)
	return fx
}

func (fx *docFixture) addParty(t *testing.T, code, name, group string) string {
	t.Helper()
	id := plenary.NewID()
	_, err := fx.st.Write(fx.ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(fx.ctx, `INSERT INTO parties (id, forum_id, code, name, kind, group_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, fx.f.ID, code, name, "other", group, time.Now().UnixMilli())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (fx *docFixture) registered(t *testing.T, email, party, group string, role rules.Role) forum.Actor {
	t.Helper()
	a := fx.user(t, email, strings.Split(email, "@")[0], false)
	var partyID any
	if party != "" {
		partyID = fx.parties[party]
	}
	_, err := fx.st.Write(fx.ctx, func(tx *store.Tx) error {
		now := time.Now().UnixMilli()
		_, err := tx.ExecContext(fx.ctx, `INSERT INTO registrations (id, forum_id, user_id, party_id, group_key, role, mode, state, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, plenary.NewID(), fx.f.ID, a.UserID, partyID, group, string(role), "in_room", "approved", a.UserID, now, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (fx *docFixture) submit(t *testing.T, a forum.Actor, in forum.DocumentInput) forum.Document {
	t.Helper()
	if in.Title == "" {
		in.Title = "A document"
	}
	if in.Type == "" {
		in.Type = forum.DocContribution
	}
	d, err := fx.svc.SubmitDocument(fx.ctx, a, fx.f.Slug, in)
	if err != nil {
		t.Fatalf("submit %+v: %v", in, err)
	}
	return d
}

func expectCode(t *testing.T, err error, code plenary.Code) {
	t.Helper()
	got := plenary.ErrorCode(err)
	var es plenary.Errors
	if errors.As(err, &es) {
		got = plenary.CodeInvalid
	}
	if got != code {
		t.Fatalf("got %v, want a %s error", err, code)
	}
}

func expectField(t *testing.T, err error, field string) {
	t.Helper()
	var es plenary.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if e.Field == field {
				return
			}
		}
		t.Fatalf("got %v, want an error on %s", err, field)
	}
	var pe *plenary.Error
	if !errors.As(err, &pe) || pe.Field != field {
		t.Fatalf("got %v, want an error on %s", err, field)
	}
}

func (fx *docFixture) events(t *testing.T, typ string) []ledger.Event {
	t.Helper()
	var out []ledger.Event
	err := fx.st.ScanEvents(fx.ctx, fx.f.ID, func(ev ledger.Event) error {
		if ev.Type == typ {
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDocumentNumberingPerSeries(t *testing.T) {
	fx := newDocFixture(t)
	a := fx.admin
	if d := fx.submit(t, a, forum.DocumentInput{Type: forum.DocReport, Title: "Report of the Secretary-General"}); d.Number != "WTPF-13/1" || d.Series != "main" {
		t.Fatalf("first document: %s in %s", d.Number, d.Series)
	}
	if d := fx.submit(t, a, forum.DocumentInput{Number: 5}); d.Number != "WTPF-13/5" {
		t.Fatalf("chosen number: %s", d.Number)
	}
	if d := fx.submit(t, a, forum.DocumentInput{}); d.Number != "WTPF-13/6" {
		t.Fatalf("after a chosen number: %s", d.Number)
	}
	if d := fx.submit(t, a, forum.DocumentInput{Number: 3}); d.Number != "WTPF-13/3" {
		t.Fatalf("filling a gap: %s", d.Number)
	}
	_, err := fx.svc.SubmitDocument(fx.ctx, a, fx.f.Slug, forum.DocumentInput{Type: forum.DocReport, Title: "Again", Number: 5})
	expectField(t, err, "number")
	if !strings.Contains(err.Error(), "WTPF-13/5 is already taken") {
		t.Fatalf("message: %v", err)
	}

	if _, err := fx.svc.CreateBody(fx.ctx, a, fx.f.Slug, forum.BodyInput{Slug: "ieg", Name: "Informal Experts Group", Kind: "experts_group"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []forum.SeriesInput{
		{Slug: "dt", Prefix: "DT", Name: "Temporary documents"},
		{Slug: "ieg-3", Prefix: "WTPF-IEG/3", Name: "Third meeting of the IEG", Body: "ieg"},
	} {
		if _, err := fx.svc.CreateSeries(fx.ctx, a, fx.f.Slug, in); err != nil {
			t.Fatal(err)
		}
	}
	if d := fx.submit(t, a, forum.DocumentInput{Type: forum.DocTemporary, Series: "dt", Number: 55}); d.Number != "DT/55" {
		t.Fatalf("DT: %s", d.Number)
	}
	d := fx.submit(t, a, forum.DocumentInput{Series: "ieg-3"})
	if d.Number != "WTPF-IEG/3/1" || d.BodyID == "" {
		t.Fatalf("IEG: %s, body %q", d.Number, d.BodyID)
	}
	if d := fx.submit(t, a, forum.DocumentInput{}); d.Number != "WTPF-13/7" {
		t.Fatalf("main series after other series: %s", d.Number)
	}

	for _, tt := range []struct {
		in    forum.SeriesInput
		field string
	}{
		{forum.SeriesInput{Slug: "dt", Prefix: "TD", Name: "x"}, "prefix"},
		{forum.SeriesInput{Slug: "td", Prefix: "dt", Name: "x"}, "prefix"},
		{forum.SeriesInput{Slug: "own", Prefix: "WTPF-13", Name: "x"}, "prefix"},
		{forum.SeriesInput{Slug: "main", Prefix: "M", Name: "x"}, "slug"},
		{forum.SeriesInput{Slug: "bad", Prefix: "A/", Name: "x"}, "prefix"},
		{forum.SeriesInput{Slug: "nobody", Prefix: "NB", Name: "x", Body: "nope"}, "body"},
	} {
		_, err := fx.svc.CreateSeries(fx.ctx, a, fx.f.Slug, tt.in)
		expectField(t, err, tt.field)
	}
	_, err = fx.svc.CreateSeries(fx.ctx, fx.usa, fx.f.Slug, forum.SeriesInput{Slug: "usa", Prefix: "USA", Name: "Mine"})
	expectCode(t, err, plenary.CodeForbidden)

	// Numbers belong to a forum: another forum starts at 1.
	other, err := fx.svc.CreateForum(fx.ctx, a, forum.ForumInput{Slug: "wcit-12", Title: "WCIT-12", Kind: forum.KindTreatyConference, DocPrefix: "WCIT-12"})
	if err != nil {
		t.Fatal(err)
	}
	d2, err := fx.svc.SubmitDocument(fx.ctx, a, other.Slug, forum.DocumentInput{Type: forum.DocProposal, Title: "Proposals"})
	if err != nil || d2.Number != "WCIT-12/1" {
		t.Fatalf("other forum: %s %v", d2.Number, err)
	}
	ser, err := fx.svc.DocSeries(fx.ctx, fx.f)
	if err != nil || len(ser) != 3 || ser[0].Slug != "main" || ser[0].LastSeq != 7 || ser[1].LastSeq != 55 {
		t.Fatalf("series: %+v %v", ser, err)
	}
}

// Many submissions at once, on the test engine (run the package with
// PLENARY_TEST_ENGINE=postgres for PostgreSQL): every number is given
// once and none is skipped.
func TestConcurrentNumberingNeverRepeatsOrSkips(t *testing.T) {
	fx := newDocFixture(t)
	if _, err := fx.svc.CreateSeries(fx.ctx, fx.admin, fx.f.Slug, forum.SeriesInput{Slug: "dt", Prefix: "DT", Name: "Temporary documents"}); err != nil {
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
			in := forum.DocumentInput{Type: forum.DocContribution, Title: fmt.Sprintf("Contribution %d", i), Text: "Text"}
			a := fx.usa
			if i%2 == 1 {
				in.Type, in.Series, a = forum.DocTemporary, "dt", fx.admin
			}
			d, err := fx.svc.SubmitDocument(context.Background(), a, fx.f.Slug, in)
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
	if r, err := fx.svc.VerifyChain(fx.ctx, fx.f.ID); err != nil || !r.OK() {
		t.Fatalf("chain after concurrent submissions: %+v %v", r, err)
	}
}

func TestVersionsKeepTheNumber(t *testing.T) {
	fx := newDocFixture(t)
	d := fx.submit(t, fx.admin, forum.DocumentInput{Type: forum.DocReport, Title: "Chairman's report", Text: "First text", Number: 16})
	steps := []struct {
		in   forum.VersionInput
		want string
	}{
		{forum.VersionInput{Kind: forum.VersionRev, Text: "Revised text", Title: "Chairman's report (revised)", Note: "Part II added"}, "WTPF-13/16(Rev.1)"},
		{forum.VersionInput{Kind: forum.VersionAdd, Text: "An annex"}, "WTPF-13/16(Add.1)"},
		{forum.VersionInput{Kind: forum.VersionCorr, Text: "Correct paragraph 3"}, "WTPF-13/16(Corr.1)"},
		{forum.VersionInput{Kind: forum.VersionAdd, Text: "Another annex"}, "WTPF-13/16(Add.2)"},
		{forum.VersionInput{Kind: forum.VersionRev, Text: "Second revision"}, "WTPF-13/16(Rev.2)"},
	}
	for _, s := range steps {
		v, err := fx.svc.AddVersion(fx.ctx, fx.admin, fx.f.Slug, d.ID, s.in)
		if err != nil {
			t.Fatal(err)
		}
		if v.Label != s.want {
			t.Fatalf("label %s, want %s", v.Label, s.want)
		}
	}
	got, err := fx.svc.Document(fx.ctx, forum.Anonymous, fx.f, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "WTPF-13/16" || got.Current != "WTPF-13/16(Rev.2)" || got.Text != "Second revision" || got.Title != "Chairman's report (revised)" {
		t.Fatalf("document after versions: %s %s %q %q", got.Number, got.Current, got.Text, got.Title)
	}
	if len(got.Versions) != 6 || got.Versions[0].Kind != forum.VersionOriginal {
		t.Fatalf("versions: %+v", got.Versions)
	}
	list, err := fx.svc.Documents(fx.ctx, forum.Anonymous, fx.f, forum.DocumentFilter{})
	if err != nil || len(list) != 1 || list[0].Current != "WTPF-13/16(Rev.2)" || list[0].Text != "" {
		t.Fatalf("register: %+v %v", list, err)
	}
	if evs := fx.events(t, "document.version_added"); len(evs) != 5 || !strings.Contains(string(evs[0].Payload), `"label":"WTPF-13/16(Rev.1)"`) {
		t.Fatalf("events: %v", evs)
	}
	for _, bad := range []forum.VersionInput{{Kind: "rev2", Text: "x"}, {Kind: forum.VersionRev}} {
		_, err := fx.svc.AddVersion(fx.ctx, fx.admin, fx.f.Slug, d.ID, bad)
		expectCode(t, err, plenary.CodeInvalid)
	}
	// Old-text search: the revised text replaced the first.
	r, err := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "first"})
	if err != nil || len(r.Hits) != 0 {
		t.Fatalf("replaced text still found: %+v %v", r.Hits, err)
	}
	r, err = fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "annex"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("addendum text not found: %+v %v", r.Hits, err)
	}
	r, err = fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: `"WTPF-13/16"`})
	if err != nil || len(r.Hits) != 1 || r.Hits[0].Number != "WTPF-13/16(Rev.2)" {
		t.Fatalf("search by number: %+v %v", r.Hits, err)
	}
}

func TestWhoMaySubmitWhat(t *testing.T) {
	fx := newDocFixture(t)
	d := fx.submit(t, fx.usa, forum.DocumentInput{Title: "Contribution from the United States"})
	if len(d.Parties) != 1 || d.Parties[0].Code != "USA" || d.Parties[0].Name != "United States" || d.Visibility != "public" {
		t.Fatalf("delegate's contribution: %+v", d)
	}
	if d := fx.submit(t, fx.isoc, forum.DocumentInput{Parties: []string{"ISOC"}}); d.Parties[0].Code != "ISOC" {
		t.Fatalf("civil society: %+v", d.Parties)
	}
	if d := fx.submit(t, fx.editor, forum.DocumentInput{Type: forum.DocDraftText, Title: "Draft Opinion 5"}); len(d.Parties) != 0 {
		t.Fatalf("editor's draft: %+v", d.Parties)
	}
	// The secretariat files a joint contribution for two parties and
	// chooses its number.
	if d := fx.submit(t, fx.admin, forum.DocumentInput{Parties: []string{"USA", "bra"}, Number: 20}); d.PartyNames() != "United States, Brazil" {
		t.Fatalf("joint: %s", d.PartyNames())
	}

	for _, tt := range []struct {
		name string
		a    forum.Actor
		in   forum.DocumentInput
		code plenary.Code
		msg  string
	}{
		{"anonymous", forum.Anonymous, forum.DocumentInput{}, plenary.CodeUnauthorized, ""},
		{"not registered", fx.outsider, forum.DocumentInput{}, plenary.CodeForbidden, "not registered"},
		{"observer", fx.observer, forum.DocumentInput{}, plenary.CodeForbidden, "WTPF-13"},
		{"report by a delegate", fx.usa, forum.DocumentInput{Type: forum.DocReport}, plenary.CodeForbidden, "only the secretariat of WTPF-13 issues"},
		{"for another party", fx.usa, forum.DocumentInput{Parties: []string{"BRA"}}, plenary.CodeForbidden, "Brazil"},
		{"draft text by a delegate", fx.isoc, forum.DocumentInput{Type: forum.DocDraftText}, plenary.CodeForbidden, "WTPF-13"},
		{"chosen number", fx.usa, forum.DocumentInput{Number: 9}, plenary.CodeInvalid, "secretariat chooses"},
		{"another delegation's visibility", fx.usa, forum.DocumentInput{Visibility: "party:BRA"}, plenary.CodeInvalid, "delegation you belong to"},
		{"unknown party", fx.admin, forum.DocumentInput{Parties: []string{"XYZ"}}, plenary.CodeInvalid, "XYZ"},
		{"bad type", fx.admin, forum.DocumentInput{Type: "memo"}, plenary.CodeInvalid, "type"},
		{"unknown series", fx.admin, forum.DocumentInput{Series: "nope"}, plenary.CodeInvalid, "series"},
		{"embargo on public", fx.admin, forum.DocumentInput{Visibility: "public", EmbargoUntil: "2030-01-01"}, plenary.CodeInvalid, "embargo"},
		{"bad embargo", fx.admin, forum.DocumentInput{Visibility: "members", EmbargoUntil: "soon"}, plenary.CodeInvalid, "embargo_until"},
		{"bad date", fx.admin, forum.DocumentInput{IssuedOn: "15/03/2013"}, plenary.CodeInvalid, "issued_on"},
		{"bad language", fx.admin, forum.DocumentInput{Languages: []string{"english"}}, plenary.CodeInvalid, "languages"},
		{"delegation without party", fx.admin, forum.DocumentInput{Visibility: "delegation"}, plenary.CodeInvalid, "source party"},
		{"NUL in text", fx.admin, forum.DocumentInput{Text: "a\x00b"}, plenary.CodeInvalid, "text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.Type == "" {
				in.Type = forum.DocContribution
			}
			if in.Title == "" {
				in.Title = "Refused"
			}
			_, err := fx.svc.SubmitDocument(fx.ctx, tt.a, fx.f.Slug, in)
			expectCode(t, err, tt.code)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("message %q lacks %q", err, tt.msg)
			}
		})
	}
	list, _ := fx.svc.Documents(fx.ctx, fx.admin, fx.f, forum.DocumentFilter{})
	if len(list) != 4 {
		t.Fatalf("%d documents after refusals, want 4", len(list))
	}
}

func TestReadingRestrictedDocuments(t *testing.T) {
	fx := newDocFixture(t)
	pub := fx.submit(t, fx.usa, forum.DocumentInput{Title: "Public contribution", Text: "Open text about exchange points"})
	mem := fx.submit(t, fx.usa, forum.DocumentInput{Title: "Members contribution", Text: "Confidential exchange points", Visibility: "members"})
	del := fx.submit(t, fx.bra, forum.DocumentInput{Title: "Brazil's own paper", Text: "Delegation exchange points", Visibility: "delegation"})
	if del.Visibility != ledger.VisParty(fx.parties["BRA"]) || del.VisibilityLabel() != "Delegation of Brazil only" {
		t.Fatalf("delegation visibility: %s %s", del.Visibility, del.VisibilityLabel())
	}
	cases := []struct {
		who   string
		a     forum.Actor
		sees  []forum.Document
		codes map[string]plenary.Code // refusals by document id
		msg   string
	}{
		{"anonymous", forum.Anonymous, []forum.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeUnauthorized, del.ID: plenary.CodeUnauthorized}, ""},
		{"observer", fx.observer, []forum.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeForbidden, del.ID: plenary.CodeForbidden}, "WTPF-13"},
		{"civil society delegate", fx.isoc, []forum.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeForbidden}, "WTPF-13"},
		{"not registered", fx.outsider, []forum.Document{pub}, map[string]plenary.Code{mem.ID: plenary.CodeForbidden}, "not registered"},
		{"USA delegate", fx.usa, []forum.Document{pub, mem}, map[string]plenary.Code{del.ID: plenary.CodeForbidden}, "one delegation"},
		{"Brazil", fx.bra, []forum.Document{pub, mem, del}, nil, ""},
		{"secretariat", fx.admin, []forum.Document{pub, mem, del}, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			list, err := fx.svc.Documents(fx.ctx, c.a, fx.f, forum.DocumentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, d := range list {
				got = append(got, d.Number)
			}
			for _, d := range c.sees {
				want = append(want, d.Number)
				if _, err := fx.svc.Document(fx.ctx, c.a, fx.f, d.ID); err != nil {
					t.Fatalf("reading %s: %v", d.Number, err)
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("register shows %v, want %v", got, want)
			}
			for id, code := range c.codes {
				_, err := fx.svc.Document(fx.ctx, c.a, fx.f, id)
				expectCode(t, err, code)
				if !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("refusal %q does not name %q", err, c.msg)
				}
			}
			// Search shows the same, snippets included.
			r, err := fx.svc.Search(fx.ctx, c.a, forum.SearchInput{Q: "exchange points", Forum: fx.f.Slug})
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
			r, err = fx.svc.Search(fx.ctx, c.a, forum.SearchInput{Q: "exchange points"})
			if err != nil || len(r.Hits) != len(c.sees) {
				t.Fatalf("site-wide search found %d, want %d (%v)", len(r.Hits), len(c.sees), err)
			}
		})
	}
	// A delegation whose group may not read restricted documents still
	// reads its own delegation's documents, and only those.
	own := fx.submit(t, fx.isoc, forum.DocumentInput{Title: "ISOC internal note", Text: "Own exchange points", Visibility: "delegation"})
	if _, err := fx.svc.Document(fx.ctx, fx.isoc, fx.f, own.ID); err != nil {
		t.Fatalf("ISOC reading its own delegation document: %v", err)
	}
	if list, _ := fx.svc.Documents(fx.ctx, fx.isoc, fx.f, forum.DocumentFilter{}); len(list) != 2 {
		t.Fatalf("ISOC's register: %d documents, want its own and the public one", len(list))
	}
	_, err := fx.svc.Document(fx.ctx, fx.usa, fx.f, own.ID)
	expectCode(t, err, plenary.CodeForbidden)
	if _, err := fx.svc.DocumentByNumber(fx.ctx, forum.Anonymous, fx.f, pub.Number); err != nil {
		t.Fatal(err)
	}
	_, err = fx.svc.DocumentByNumber(fx.ctx, forum.Anonymous, fx.f, "WTPF-13/99")
	expectCode(t, err, plenary.CodeNotFound)
	// The events of restricted documents are restricted too.
	for _, ev := range fx.events(t, "document.submitted") {
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
	fx := newDocFixture(t)
	closed := false
	if _, err := fx.svc.UpdateForum(fx.ctx, fx.admin, fx.f.Slug, forum.ForumInput{Title: fx.f.Title, Kind: fx.f.Kind, DocPrefix: "WTPF-13", DefaultPublic: &closed}); err != nil {
		t.Fatal(err)
	}
	if d := fx.submit(t, fx.usa, forum.DocumentInput{}); d.Visibility != "members" {
		t.Fatalf("default with the switch off: %s", d.Visibility)
	}
	if d := fx.submit(t, fx.usa, forum.DocumentInput{Visibility: "public"}); d.Visibility != "public" {
		t.Fatalf("explicitly public: %s", d.Visibility)
	}
}

func TestEmbargoReleaseIsRecordedAndSearchable(t *testing.T) {
	fx := newDocFixture(t)
	past := fx.submit(t, fx.admin, forum.DocumentInput{Type: forum.DocInformation, Title: "Embargoed draft report", Text: "Embargoed words",
		Visibility: "members", EmbargoUntil: time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	future := fx.submit(t, fx.admin, forum.DocumentInput{Type: forum.DocInformation, Title: "Later", Text: "Embargoed words too",
		Visibility: "members", EmbargoUntil: "2999-01-01"})
	anonSearch := func() int {
		r, err := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "embargoed"})
		if err != nil {
			t.Fatal(err)
		}
		return len(r.Hits)
	}
	if n := anonSearch(); n != 0 {
		t.Fatalf("embargoed documents found by the public: %d", n)
	}
	if n, err := fx.svc.ReleaseEmbargoed(fx.ctx); err != nil || n != 0 {
		t.Fatalf("released %d before the date (%v)", n, err)
	}
	// The embargo passes.
	if _, err := fx.st.ExecContext(fx.ctx, "UPDATE documents SET embargo_until = ? WHERE id = ?", time.Now().Add(-time.Minute).UnixMilli(), past.ID); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			n, err := fx.svc.ReleaseEmbargoed(context.Background())
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
	evs := fx.events(t, "document.released")
	if len(evs) != 1 || evs[0].Actor != ledger.SystemActor || evs[0].Visibility != ledger.VisPublic ||
		!strings.Contains(string(evs[0].Payload), past.Number) || !strings.Contains(string(evs[0].Payload), `"from":"members"`) {
		t.Fatalf("release events: %+v", evs)
	}
	d, err := fx.svc.Document(fx.ctx, forum.Anonymous, fx.f, past.ID)
	if err != nil || d.Visibility != "public" || d.ReleasedAt == nil || d.EmbargoUntil != nil {
		t.Fatalf("after release: %+v %v", d, err)
	}
	if n := anonSearch(); n != 1 {
		t.Fatalf("released document not found by the public: %d hits", n)
	}
	_, err = fx.svc.Document(fx.ctx, forum.Anonymous, fx.f, future.ID)
	expectCode(t, err, plenary.CodeUnauthorized)

	// Reading releases too, without waiting for the sweep.
	if _, err := fx.st.ExecContext(fx.ctx, "UPDATE documents SET embargo_until = ? WHERE id = ?", time.Now().Add(-time.Second).UnixMilli(), future.ID); err != nil {
		t.Fatal(err)
	}
	if d, err := fx.svc.Document(fx.ctx, forum.Anonymous, fx.f, future.ID); err != nil || !d.Public() {
		t.Fatalf("read after the embargo: %+v %v", d, err)
	}
	if evs := fx.events(t, "document.released"); len(evs) != 2 {
		t.Fatalf("%d release events, want 2", len(evs))
	}
	if r, err := fx.svc.VerifyChain(fx.ctx, fx.f.ID); err != nil || !r.OK() {
		t.Fatalf("chain: %+v %v", r, err)
	}
}

func TestSweepRunsUntilCancelled(t *testing.T) {
	fx := newDocFixture(t)
	d := fx.submit(t, fx.admin, forum.DocumentInput{Type: forum.DocInformation, Visibility: "members", EmbargoUntil: "2001-01-01"})
	ctx, cancel := context.WithCancel(fx.ctx)
	done := make(chan struct{})
	go func() { fx.svc.RunEmbargoSweep(ctx, 10*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := fx.svc.Documents(fx.ctx, fx.admin, fx.f, forum.DocumentFilter{})
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
	fx := newDocFixture(t)
	d := fx.submit(t, fx.usa, forum.DocumentInput{Title: "Sensitive", Text: "Something sensitive"})
	_, err := fx.svc.SetDocumentVisibility(fx.ctx, fx.usa, fx.f.Slug, d.ID, forum.VisibilityInput{Visibility: "members"})
	expectCode(t, err, plenary.CodeForbidden)
	got, err := fx.svc.SetDocumentVisibility(fx.ctx, fx.admin, fx.f.Slug, d.ID, forum.VisibilityInput{Visibility: "delegation", EmbargoUntil: "2999-01-01T10:00"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Visibility != ledger.VisParty(fx.parties["USA"]) || got.EmbargoUntil == nil || got.EmbargoUntil.Hour() != 10 {
		t.Fatalf("after change: %s %v", got.Visibility, got.EmbargoUntil)
	}
	r, _ := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "sensitive"})
	if len(r.Hits) != 0 {
		t.Fatal("restricted document still in the public search")
	}
	evs := fx.events(t, "document.visibility_changed")
	if len(evs) != 1 || evs[0].Visibility != "public" || strings.Contains(string(evs[0].Payload), "Sensitive") ||
		!strings.Contains(string(evs[0].Payload), `"to":"delegation"`) || strings.Contains(string(evs[0].Payload), fx.parties["USA"]) {
		t.Fatalf("event: %+v", evs)
	}
	// Back to public: the title is on the record now.
	if _, err := fx.svc.SetDocumentVisibility(fx.ctx, fx.admin, fx.f.Slug, d.ID, forum.VisibilityInput{Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	evs = fx.events(t, "document.visibility_changed")
	if len(evs) != 2 || !strings.Contains(string(evs[1].Payload), "Sensitive") {
		t.Fatalf("events: %+v", evs)
	}
	// No change, no event.
	if _, err := fx.svc.SetDocumentVisibility(fx.ctx, fx.admin, fx.f.Slug, d.ID, forum.VisibilityInput{Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	if evs := fx.events(t, "document.visibility_changed"); len(evs) != 2 {
		t.Fatalf("a no-op made an event")
	}
	for _, bad := range []forum.VisibilityInput{{}, {Visibility: "secret"}, {Visibility: "public", EmbargoUntil: "2999-01-01"}, {Visibility: "party:NOPE"}} {
		_, err := fx.svc.SetDocumentVisibility(fx.ctx, fx.admin, fx.f.Slug, d.ID, bad)
		expectCode(t, err, plenary.CodeInvalid)
	}
}

func TestWithdrawing(t *testing.T) {
	fx := newDocFixture(t)
	d := fx.submit(t, fx.usa, forum.DocumentInput{})
	_, err := fx.svc.WithdrawDocument(fx.ctx, fx.bra, fx.f.Slug, d.ID, "not theirs")
	expectCode(t, err, plenary.CodeForbidden)
	got, err := fx.svc.WithdrawDocument(fx.ctx, fx.usa, fx.f.Slug, d.ID, "Superseded by a joint contribution")
	if err != nil || got.Status != forum.DocWithdrawn || got.StatusNote == "" {
		t.Fatalf("withdrawn: %+v %v", got, err)
	}
	_, err = fx.svc.WithdrawDocument(fx.ctx, fx.usa, fx.f.Slug, d.ID, "")
	expectCode(t, err, plenary.CodeConflict)
	_, err = fx.svc.AddVersion(fx.ctx, fx.usa, fx.f.Slug, d.ID, forum.VersionInput{Kind: forum.VersionRev, Text: "x"})
	expectCode(t, err, plenary.CodeConflict)
	// The number is not given again.
	if next := fx.submit(t, fx.usa, forum.DocumentInput{}); next.Number != "WTPF-13/2" {
		t.Fatalf("next number %s", next.Number)
	}
	list, _ := fx.svc.Documents(fx.ctx, forum.Anonymous, fx.f, forum.DocumentFilter{Status: forum.DocWithdrawn})
	if len(list) != 1 || list[0].ID != d.ID {
		t.Fatalf("withdrawn filter: %+v", list)
	}
}

func TestRegisterFilters(t *testing.T) {
	fx := newDocFixture(t)
	if _, err := fx.svc.CreateBody(fx.ctx, fx.admin, fx.f.Slug, forum.BodyInput{Slug: "wg3", Name: "Working Group 3", Kind: "working_group"}); err != nil {
		t.Fatal(err)
	}
	fx.submit(t, fx.admin, forum.DocumentInput{Type: forum.DocReport, IssuedOn: "2013-03-15"})
	fx.submit(t, fx.usa, forum.DocumentInput{IssuedOn: "2013-04-20", Body: "wg3"})
	fx.submit(t, fx.bra, forum.DocumentInput{IssuedOn: "2013-05-01"})
	bodies, _ := fx.svc.Bodies(fx.ctx, fx.f.ID)
	for _, tt := range []struct {
		flt  forum.DocumentFilter
		want string
	}{
		{forum.DocumentFilter{}, "WTPF-13/1 WTPF-13/2 WTPF-13/3"},
		{forum.DocumentFilter{Type: forum.DocReport}, "WTPF-13/1"},
		{forum.DocumentFilter{Party: fx.parties["BRA"]}, "WTPF-13/3"},
		{forum.DocumentFilter{Body: bodies[0].ID}, "WTPF-13/2"},
		{forum.DocumentFilter{From: "2013-04-20"}, "WTPF-13/2 WTPF-13/3"},
		{forum.DocumentFilter{To: "2013-04-20"}, "WTPF-13/1 WTPF-13/2"},
		{forum.DocumentFilter{Series: "main", Status: forum.DocCurrent}, "WTPF-13/1 WTPF-13/2 WTPF-13/3"},
	} {
		list, err := fx.svc.Documents(fx.ctx, forum.Anonymous, fx.f, tt.flt)
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
	for _, bad := range []forum.DocumentFilter{{Type: "x"}, {From: "yesterday"}, {Status: "gone"}} {
		_, err := fx.svc.Documents(fx.ctx, forum.Anonymous, fx.f, bad)
		expectCode(t, err, plenary.CodeInvalid)
	}
	ps, err := fx.svc.DocumentParties(fx.ctx, forum.Anonymous, fx.f)
	if err != nil || len(ps) != 2 || ps[0].Name != "Brazil" {
		t.Fatalf("parties: %+v %v", ps, err)
	}
	r, err := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "document", Forum: fx.f.Slug, Party: "USA", Body: "wg3", From: "2013-04-20", To: "2013-04-20"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("search filters: %+v %v", r, err)
	}
	for _, bad := range []forum.SearchInput{{Q: "x", Forum: "nope"}, {Q: "x", Body: "wg3"}, {Q: "x", From: "2013"}, {Q: "x", Type: "memo"}, {Q: "x", Kind: "k"}, {Q: ""}, {Q: "x", Page: -1}} {
		_, err := fx.svc.Search(fx.ctx, forum.Anonymous, bad)
		expectCode(t, err, plenary.CodeInvalid)
	}
}

func docPDF(body string) string { return "%PDF-1.4\n" + body + "\n%%EOF\n" }

func docDOCX(t *testing.T, text string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range [][2]string{
		{"[Content_Types].xml", `<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"word/document.xml", `<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`},
	} {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e[1])
	}
	zw.Close()
	return buf.Bytes()
}

func (fx *docFixture) objects(t *testing.T) int {
	n := 0
	filepath.WalkDir(fx.filesDir, func(p string, e fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(fx.filesDir, p)
		if err == nil && !e.IsDir() && !strings.HasPrefix(rel, "tmp"+string(os.PathSeparator)) {
			n++
		}
		return nil
	})
	return n
}

func TestUploadsAreCheckedBeforeAnythingIsStored(t *testing.T) {
	fx := newDocFixture(t)
	submit := func(name string, content []byte) (forum.Document, error) {
		return fx.svc.SubmitDocument(fx.ctx, fx.usa, fx.f.Slug, forum.DocumentInput{Type: forum.DocContribution, Title: "With a file",
			Files: []forum.FileInput{{Name: name, Language: "en", Content: bytes.NewReader(content)}}})
	}
	_, err := submit("contribution.pdf", []byte("MZ\x90\x00 not a pdf at all"))
	expectField(t, err, "file")
	expectCode(t, err, plenary.CodeInvalid)
	_, err = submit("big.txt", bytes.Repeat([]byte("a"), 64<<10+1))
	expectField(t, err, "file")
	expectCode(t, err, plenary.CodeTooLarge)
	_, err = submit("empty.txt", nil)
	expectField(t, err, "file")
	if n := fx.objects(t); n != 0 {
		t.Fatalf("%d objects stored after refused uploads", n)
	}
	if list, _ := fx.svc.Documents(fx.ctx, fx.admin, fx.f, forum.DocumentFilter{}); len(list) != 0 {
		t.Fatalf("refused uploads left documents: %+v", list)
	}

	d, err := submit("../Contribution.PDF", []byte(docPDF("exchange")))
	if err != nil {
		t.Fatal(err)
	}
	fl := d.Versions[0].Files[0]
	if fl.Name != "Contribution.pdf" || fl.ContentType != "application/pdf" || fl.Language != "en" || fl.Size != int64(len(docPDF("exchange"))) {
		t.Fatalf("stored file: %+v", fl)
	}
	// A DOCX attached to the same version: its text becomes searchable.
	f2, err := fx.svc.AttachFile(fx.ctx, fx.usa, fx.f.Slug, d.ID, forum.AttachInput{FileInput: forum.FileInput{Name: "contribution-fr", Language: "fr",
		Content: bytes.NewReader(docDOCX(t, "Contribution des États-Unis sur les points d'échange"))}})
	if err != nil {
		t.Fatal(err)
	}
	if f2.Name != "contribution-fr.docx" || !strings.Contains(f2.ContentType, "wordprocessingml") {
		t.Fatalf("docx: %+v", f2)
	}
	r, err := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "etats-unis"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("text of the DOCX not searchable: %+v %v", r, err)
	}
	// The same bytes again are stored once.
	if _, err := fx.svc.AttachFile(fx.ctx, fx.admin, fx.f.Slug, d.ID, forum.AttachInput{Version: d.Number, FileInput: forum.FileInput{Name: "copy.pdf", Content: strings.NewReader(docPDF("exchange"))}}); err != nil {
		t.Fatal(err)
	}
	if n := fx.objects(t); n != 2 {
		t.Fatalf("%d objects, want 2", n)
	}
	// Reading a file back needs the right to read the document.
	got, rc, err := fx.svc.OpenFile(fx.ctx, forum.Anonymous, fx.f, d.ID, fl.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != docPDF("exchange") || got.SHA256 != fl.SHA256 {
		t.Fatalf("read back %q", b)
	}
	if _, err := fx.svc.SetDocumentVisibility(fx.ctx, fx.admin, fx.f.Slug, d.ID, forum.VisibilityInput{Visibility: "members"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = fx.svc.OpenFile(fx.ctx, fx.observer, fx.f, d.ID, fl.ID)
	expectCode(t, err, plenary.CodeForbidden)
	_, _, err = fx.svc.OpenFile(fx.ctx, fx.usa, fx.f, d.ID, "nope")
	expectCode(t, err, plenary.CodeNotFound)
	_, err = fx.svc.AttachFile(fx.ctx, fx.usa, fx.f.Slug, d.ID, forum.AttachInput{Version: "WTPF-13/1(Rev.9)", FileInput: forum.FileInput{Name: "x.pdf", Content: strings.NewReader(docPDF(""))}})
	expectField(t, err, "version")
	_, err = fx.svc.AttachFile(fx.ctx, fx.bra, fx.f.Slug, d.ID, forum.AttachInput{FileInput: forum.FileInput{Name: "x.pdf", Content: strings.NewReader(docPDF(""))}})
	expectCode(t, err, plenary.CodeForbidden)
	evs := fx.events(t, "document.file_attached")
	if len(evs) != 2 || !strings.Contains(string(evs[0].Payload), f2.SHA256) {
		t.Fatalf("file events: %+v", evs)
	}
	sub := fx.events(t, "document.submitted")
	if len(sub) != 1 || !strings.Contains(string(sub[0].Payload), fl.SHA256) || !strings.Contains(string(sub[0].Payload), `"text_sha256"`) {
		t.Fatalf("submitted event lacks the file hash: %s", sub[0].Payload)
	}
}

func TestNewDocumentIsSearchableAtOnce(t *testing.T) {
	fx := newDocFixture(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		fx.submit(t, fx.usa, forum.DocumentInput{Title: "Internet exchange points", Text: "Unique word zanzibarian."})
	}()
	<-done
	r, err := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "zanzibarian"})
	if err != nil || len(r.Hits) != 1 || r.Hits[0].Number != "WTPF-13/1" || !strings.Contains(string(r.Hits[0].SnippetHTML), "<mark>zanzibarian</mark>") {
		t.Fatalf("search right after the commit: %+v %v", r, err)
	}
	if r.Hits[0].Path != forum.DocumentPath(fx.f, r.Hits[0].DocumentID) {
		t.Fatalf("path %s", r.Hits[0].Path)
	}
}

// CreateDocumentTx lets another command create a document inside its own
// transaction, as the drafting commands do for a draft text.
func TestCreateDocumentInsideAnotherCommand(t *testing.T) {
	fx := newDocFixture(t)
	var d forum.Document
	_, err := fx.st.Write(fx.ctx, func(tx *store.Tx) error {
		var err error
		d, err = fx.svc.CreateDocumentTx(fx.ctx, tx, fx.editor, fx.f, forum.DocumentInput{Type: forum.DocDraftText, Title: "Draft Opinion 5", Text: "considering..."})
		if err != nil {
			return err
		}
		if err := search.Index(fx.ctx, tx, search.Entry{Kind: search.KindProvision, RefID: "prov-1", DocumentID: d.ID, ForumID: fx.f.ID,
			Visibility: d.Visibility, Type: d.Type, Number: d.Number + " 1", Title: "is of the view", Text: "that multistakeholder participation matters"}); err != nil {
			return err
		}
		_, err = fx.svc.AddVersionTx(fx.ctx, tx, fx.editor, fx.f, d.ID, forum.VersionInput{Kind: forum.VersionRev, Text: "revised"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "WTPF-13/1" || d.Type != forum.DocDraftText {
		t.Fatalf("draft: %+v", d)
	}
	r, err := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "multistakeholder", Kind: search.KindProvision})
	if err != nil || len(r.Hits) != 1 || r.Hits[0].DocumentID != d.ID {
		t.Fatalf("provision: %+v %v", r, err)
	}
	// Restricting the draft restricts its provisions.
	if _, err := fx.svc.SetDocumentVisibility(fx.ctx, fx.admin, fx.f.Slug, d.ID, forum.VisibilityInput{Visibility: "members"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := fx.svc.Search(fx.ctx, forum.Anonymous, forum.SearchInput{Q: "multistakeholder"}); len(r.Hits) != 0 {
		t.Fatalf("provision of a restricted draft found: %+v", r.Hits)
	}
	if r, _ := fx.svc.Search(fx.ctx, fx.usa, forum.SearchInput{Q: "multistakeholder"}); len(r.Hits) != 1 {
		t.Fatalf("member does not find the provision: %+v", r.Hits)
	}
	var kinds []string
	for _, ev := range fx.events(t, "document.submitted") {
		kinds = append(kinds, ev.Actor)
	}
	sort.Strings(kinds)
	if len(kinds) != 1 || kinds[0] != fx.editor.UserID {
		t.Fatalf("events: %v", kinds)
	}
}
