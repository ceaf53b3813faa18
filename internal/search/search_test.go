package search_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

func index(t testing.TB, st *store.Store, es ...search.Entry) {
	t.Helper()
	_, err := st.Write(context.Background(), func(tx *store.Tx) error {
		for _, e := range es {
			if err := search.Index(context.Background(), tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func refs(r search.Result) string {
	var s []string
	for _, h := range r.Hits {
		s = append(s, h.RefID)
	}
	return strings.Join(s, " ")
}

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func fixture(t testing.TB) *store.Store {
	st := storetest.New(t)
	index(t, st,
		search.Entry{Kind: search.KindDocument, RefID: "d1", ForumID: "f1", Visibility: "public", Type: "report", At: day("2013-03-15"),
			Number: "WTPF-13/3", Title: "Report of the Secretary-General", Text: "Internet exchange points and broadband connectivity in developing countries.", Parties: nil},
		search.Entry{Kind: search.KindDocument, RefID: "d2", ForumID: "f1", Visibility: "members", Type: "contribution", At: day("2013-04-20"),
			Number: "WTPF-13/6", Title: "Contribution on exchange points", Text: "Secret negotiating position about exchange points.", Parties: []string{"usa"}},
		search.Entry{Kind: search.KindDocument, RefID: "d3", ForumID: "f1", Visibility: "party:bra", Type: "contribution", At: day("2013-05-01"),
			Number: "WTPF-13/12", Title: "Draft opinion on the role of governments", Text: "Exchange points and multistakeholder governance.", Parties: []string{"bra"}},
		search.Entry{Kind: search.KindDocument, RefID: "d4", ForumID: "f2", Visibility: "members", Type: "proposal", At: day("2012-11-30"),
			Number: "WCIT-12/1", Title: "Proposals for the revision of the ITRs", Text: "Exchange points are out of scope.", BodyID: "b1"},
		search.Entry{Kind: search.KindProvision, RefID: "p1", DocumentID: "d1", ForumID: "f1", Visibility: "public", Type: "draft_text", At: day("2013-03-15"),
			Number: "WTPF-13/3 Opinion 1", Title: "Opinion 1", Text: "Promoting Internet exchange points <script>alert(1)</script> as a long-term solution."},
	)
	return st
}

func TestSearchFiltersByAccess(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		access search.Access
		forum  string
		want   string
	}{
		{"anonymous sees public only", search.Access{}, "", "d1 p1"},
		{"member of f1 sees its members documents, not f2's", search.Access{Restricted: map[string][]string{"f1": {"members"}}}, "", "d1 d2 p1"},
		{"Brazil's delegation sees its own", search.Access{Restricted: map[string][]string{"f1": {"members", "party:bra"}}}, "", "d1 d2 d3 p1"},
		{"member of f2 does not see f1's restricted", search.Access{Restricted: map[string][]string{"f2": {"members"}}}, "", "d1 d4 p1"},
		{"secretariat sees all", search.Access{All: true}, "", "d1 d2 d3 d4 p1"},
		{"forum filter", search.Access{All: true}, "f2", "d4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := search.Search(ctx, st, search.Query{Text: "exchange points", Access: tt.access, ForumID: tt.forum})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Fields(refs(r))
			gotSet := map[string]bool{}
			for _, g := range got {
				gotSet[g] = true
			}
			want := strings.Fields(tt.want)
			if len(got) != len(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			for _, w := range want {
				if !gotSet[w] {
					t.Fatalf("got %v, want %v", got, want)
				}
			}
			for _, h := range r.Hits {
				if strings.Contains(h.Snippet, "Secret") && !gotSet["d2"] {
					t.Fatalf("restricted text leaked in a snippet: %q", h.Snippet)
				}
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	all := search.Access{All: true}
	tests := []struct {
		name string
		q    search.Query
		want string
	}{
		{"type", search.Query{Text: "exchange", Type: "contribution"}, "d2 d3"},
		{"party", search.Query{Text: "exchange", PartyID: "bra"}, "d3"},
		{"body", search.Query{Text: "exchange", BodyID: "b1"}, "d4"},
		{"kind", search.Query{Text: "exchange", Kind: search.KindProvision}, "p1"},
		{"from", search.Query{Text: "exchange", From: day("2013-04-01")}, "d2 d3"},
		{"to", search.Query{Text: "exchange", To: day("2013-01-01")}, "d4"},
		{"phrase", search.Query{Text: `"long-term solution"`}, "p1"},
		{"exclusion", search.Query{Text: "exchange -governance -secret -scope"}, "d1 p1"},
		{"or", search.Query{Text: "negotiating OR ITRs"}, "d2 d4"},
		{"prefix", search.Query{Text: "multistake*"}, "d3"},
		{"number", search.Query{Text: `"WTPF-13/12"`}, "d3"},
		{"diacritics", search.Query{Text: "góvernance"}, "d3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Access = all
			r, err := search.Search(ctx, st, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Fields(refs(r))
			want := strings.Fields(tt.want)
			set := map[string]bool{}
			for _, g := range got {
				set[g] = true
			}
			if len(got) != len(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			for _, w := range want {
				if !set[w] {
					t.Fatalf("got %v, want %v", got, want)
				}
			}
		})
	}
}

func TestSearchRanksNumberAndTitleFirst(t *testing.T) {
	st := fixture(t)
	r, err := search.Search(context.Background(), st, search.Query{Text: "opinion", Access: search.Access{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) < 2 || r.Hits[0].Kind != search.KindProvision {
		t.Fatalf("want the provision titled Opinion 1 first, got %s", refs(r))
	}
}

func TestSnippetsAreEscapedAndMarked(t *testing.T) {
	st := fixture(t)
	r, err := search.Search(context.Background(), st, search.Query{Text: "alert", Access: search.Access{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 1 {
		t.Fatalf("got %d hits", len(r.Hits))
	}
	h := string(r.Hits[0].SnippetHTML)
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;") {
		t.Fatalf("snippet not escaped: %s", h)
	}
	if !strings.Contains(h, "<mark>alert</mark>") {
		t.Fatalf("match not marked: %s", h)
	}
	if strings.ContainsAny(r.Hits[0].Snippet, "\ue000\ue001") {
		t.Fatalf("markers left in the plain snippet: %q", r.Hits[0].Snippet)
	}
}

func TestIndexReplacesAndVisibilityFollowsDocument(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	anon := search.Query{Text: "negotiating"}
	if r, _ := search.Search(ctx, st, anon); len(r.Hits) != 0 {
		t.Fatalf("members document visible to the public: %s", refs(r))
	}
	_, err := st.Write(ctx, func(tx *store.Tx) error { return search.SetVisibility(ctx, tx, "d2", "public") })
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := search.Search(ctx, st, anon); refs(r) != "d2" {
		t.Fatalf("after release got %q", refs(r))
	}
	// Re-indexing replaces the text: the old words no longer match.
	index(t, st, search.Entry{Kind: search.KindDocument, RefID: "d2", ForumID: "f1", Visibility: "public", Title: "Contribution", Text: "Rewritten entirely."})
	if r, _ := search.Search(ctx, st, anon); len(r.Hits) != 0 {
		t.Fatalf("old text still matches: %s", refs(r))
	}
	if r, _ := search.Search(ctx, st, search.Query{Text: "rewritten"}); refs(r) != "d2" {
		t.Fatalf("new text does not match: %s", refs(r))
	}
	_, err = st.Write(ctx, func(tx *store.Tx) error { return search.Remove(ctx, tx, search.KindDocument, "d2") })
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := search.Search(ctx, st, search.Query{Text: "rewritten"}); len(r.Hits) != 0 {
		t.Fatalf("removed entry still found: %s", refs(r))
	}
}

func TestBadQueries(t *testing.T) {
	st := fixture(t)
	for _, q := range []string{"", "   ", "-exchange", `"" ** --`, strings.Repeat("a", search.MaxQueryLen+1)} {
		_, err := search.Search(context.Background(), st, search.Query{Text: q})
		if plenary.ErrorCode(err) != plenary.CodeInvalid {
			t.Errorf("query %q: got %v, want an invalid-input error", q, err)
		}
	}
	// Database syntax in a query is text, not syntax.
	for _, q := range []string{`title:exchange`, `NEAR(exchange points)`, `exchange AND OR NOT`, `"unterminated`, `a'b`, `x) OR (y`} {
		if _, err := search.Search(context.Background(), st, search.Query{Text: q}); err != nil {
			t.Errorf("query %q: %v", q, err)
		}
	}
}

func TestPaging(t *testing.T) {
	st := storetest.New(t)
	var es []search.Entry
	for i := 0; i < 25; i++ {
		es = append(es, search.Entry{Kind: search.KindDocument, RefID: "d" + string(rune('a'+i)), ForumID: "f", Visibility: "public", Title: "Paged", Text: "common words"})
	}
	index(t, st, es...)
	r, err := search.Search(context.Background(), st, search.Query{Text: "common", Limit: 10})
	if err != nil || len(r.Hits) != 10 || !r.More {
		t.Fatalf("page 1: %d hits, more %v, %v", len(r.Hits), r.More, err)
	}
	r, err = search.Search(context.Background(), st, search.Query{Text: "common", Limit: 10, Offset: 20})
	if err != nil || len(r.Hits) != 5 || r.More {
		t.Fatalf("page 3: %d hits, more %v, %v", len(r.Hits), r.More, err)
	}
}

// Whatever people type, the database sees only quoted strings: a query
// either runs or is refused as invalid input, never as a database error.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"exchange points", `"long-term solution"`, "-x y", "a OR b", "multi*", `NEAR(a b)`, `title:x`, `"`, `*`, `a AND OR NOT`, "góvernance", "x) OR (y", `a"b`, "\x00", "WTPF-13/12", "OR OR", "- -", "\ue000mark\ue001"} {
		f.Add(s)
	}
	st := fixture(f)
	f.Fuzz(func(t *testing.T, q string) {
		_, err := search.Search(context.Background(), st, search.Query{Text: q, Access: search.Access{All: true}})
		if err != nil && plenary.ErrorCode(err) != plenary.CodeInvalid {
			t.Fatalf("query %q: %v", q, err)
		}
	})
}
