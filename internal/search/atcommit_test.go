package search_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

// Entries deferred to the commit are written with it, in the order
// deferred; those deferred after a savepoint that was rolled back are not;
// a document's party rows go when its entry is rewritten without them.
func TestIndexAtCommit(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	comment := func(ref, text string) search.Entry {
		return search.Entry{Kind: search.KindComment, RefID: ref, DocumentID: "d1", ForumID: "f1", Visibility: "public", Number: ref, Title: "Comment", Text: text}
	}
	found := func(q string) string {
		t.Helper()
		r, err := search.Search(ctx, st, search.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return refs(r)
	}
	_, err := st.Write(ctx, func(tx *store.Tx) error {
		// Seventy comments, more than one statement's worth of some
		// groups, each in a savepoint; the tenth is undone.
		for i := 1; i <= 70; i++ {
			sp, err := tx.Savepoint(ctx, "c")
			if err != nil {
				return err
			}
			search.IndexAtCommit(tx, comment(fmt.Sprintf("c%d", i), fmt.Sprintf("zebra%d crossing", i)))
			if i == 10 {
				if err := sp.Rollback(ctx); err != nil {
					return err
				}
				continue
			}
			if err := sp.Release(ctx); err != nil {
				return err
			}
		}
		// Written twice: the last version wins.
		search.IndexAtCommit(tx, comment("c2", "giraffe"))
		// Written, then removed, then written again; and written, then removed.
		search.IndexAtCommit(tx, comment("c3", "okapi"))
		search.RemoveAtCommit(tx, search.KindComment, "c3")
		search.IndexAtCommit(tx, comment("c3", "okapi again"))
		search.RemoveAtCommit(tx, search.KindComment, "c4")
		// A document with its parties goes in too; one rewritten without them
		// loses its party rows.
		search.IndexAtCommit(tx, search.Entry{Kind: search.KindDocument, RefID: "d9", ForumID: "f1", Visibility: "public", Number: "WTPF-13/9",
			Title: "Deferred", Text: "Aardvark", Parties: []string{"bra"}})
		search.IndexAtCommit(tx, search.Entry{Kind: search.KindDocument, RefID: "d3", ForumID: "f1", Visibility: "public", Number: "WTPF-13/12",
			Title: "Rewritten", Text: "Aardvark too"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range map[int]string{1: "c1", 10: "", 11: "c11", 70: "c70", 2: "", 4: ""} {
		if got := found(fmt.Sprintf("zebra%d", i)); got != want {
			t.Errorf("zebra%d found %q, want %q", i, got, want)
		}
	}
	if got := found("giraffe"); got != "c2" {
		t.Errorf("the second version of c2: found %q", got)
	}
	if got := found("okapi"); got != "c3" {
		t.Errorf("c3 written again after its removal: found %q", got)
	}
	if got := found("aardvark"); got != "d3 d9" && got != "d9 d3" {
		t.Errorf("the deferred documents: found %q", got)
	}
	var parties int
	if err := st.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_parties p JOIN search_entries e ON e.id = p.entry_id
		WHERE e.ref_id = ?`, "d3").Scan(&parties); err != nil {
		t.Fatal(err)
	}
	if parties != 0 {
		t.Errorf("d3, rewritten without parties, keeps %d party rows", parties)
	}
	if err := st.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_parties p JOIN search_entries e ON e.id = p.entry_id
		WHERE e.ref_id = ?`, "d9").Scan(&parties); err != nil {
		t.Fatal(err)
	}
	if parties != 1 {
		t.Errorf("d9 has %d party rows, want 1", parties)
	}
}
