package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// BeforeCommit's functions run in order after the transaction's function,
// before the commit; those deferred after a savepoint that is rolled back
// do not run; an error fails the whole transaction; and none may append to
// the ledger.
func TestBeforeCommit(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	if _, err := s.ExecContext(ctx, "CREATE TABLE later_test (n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	insert := func(n int) func(context.Context, *store.Tx) error {
		return func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO later_test (n) VALUES (?)", n)
			return err
		}
	}
	rows := func() string {
		t.Helper()
		r, err := s.QueryContext(ctx, "SELECT n FROM later_test ORDER BY n")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var ns []string
		for r.Next() {
			var n int
			if err := r.Scan(&n); err != nil {
				t.Fatal(err)
			}
			ns = append(ns, fmt.Sprint(n))
		}
		return strings.Join(ns, " ")
	}

	var order []string
	_, err := s.Write(ctx, func(tx *store.Tx) error {
		tx.BeforeCommit(func(ctx context.Context, tx *store.Tx) error {
			order = append(order, "first deferred")
			return insert(1)(ctx, tx)
		})
		sp, err := tx.Savepoint(ctx, "kept")
		if err != nil {
			return err
		}
		tx.BeforeCommit(insert(2))
		if err := sp.Release(ctx); err != nil {
			return err
		}
		sp, err = tx.Savepoint(ctx, "undone")
		if err != nil {
			return err
		}
		tx.BeforeCommit(insert(3))
		if err := sp.Rollback(ctx); err != nil {
			return err
		}
		tx.BeforeCommit(func(ctx context.Context, tx *store.Tx) error {
			order = append(order, "last deferred")
			return insert(4)(ctx, tx)
		})
		order = append(order, "function")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ", "); got != "function, first deferred, last deferred" {
		t.Fatalf("ran in the order %q", got)
	}
	if got := rows(); got != "1 2 4" {
		t.Fatalf("after the commit the table holds %q, want %q (3 was deferred after a savepoint rolled back)", got, "1 2 4")
	}

	// A deferred function's error fails the transaction, and what the
	// function wrote is rolled back with it.
	boom := errors.New("boom")
	_, err = s.Write(ctx, func(tx *store.Tx) error {
		if err := insert(5)(ctx, tx); err != nil {
			return err
		}
		tx.BeforeCommit(func(context.Context, *store.Tx) error { return boom })
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("a failing deferred function gave %v, want boom", err)
	}
	// Nothing deferred runs when the function fails.
	ran := false
	_, err = s.Write(ctx, func(tx *store.Tx) error {
		tx.BeforeCommit(func(context.Context, *store.Tx) error { ran = true; return nil })
		return boom
	})
	if !errors.Is(err, boom) || ran {
		t.Fatalf("a failed transaction gave %v and ran its deferred function: %v", err, ran)
	}
	// A deferred function may not append to the ledger.
	_, err = s.Write(ctx, func(tx *store.Tx) error {
		tx.BeforeCommit(func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.Emit(ctx, "later-test", "u1", "note.added", ledger.VisPublic, map[string]string{"n": "6"})
			return err
		})
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "deferred to the commit") {
		t.Fatalf("a ledger append from a deferred function gave %v", err)
	}
	if got := rows(); got != "1 2 4" {
		t.Fatalf("after the failed transactions the table holds %q, want %q", got, "1 2 4")
	}
}
