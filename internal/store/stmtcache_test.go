package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

func TestPreparedStatementsAreKeptAndGiveTheSameResults(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	if _, err := s.ExecContext(ctx, "CREATE TABLE stmt_test (n INTEGER NOT NULL, label TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	const insert = "INSERT INTO stmt_test (n, label) VALUES (?, ?)"
	const sum = "SELECT COALESCE(SUM(n), 0) FROM stmt_test WHERE label = ?"
	for i := 1; i <= 3; i++ {
		var got int
		_, err := s.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, insert, i, "a"); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, sum, "a").Scan(&got)
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := i * (i + 1) / 2; got != want {
			t.Fatalf("transaction %d: the sum inside it is %d, want %d", i, got, want)
		}
	}
	w, _ := s.PreparedStatements()
	if s.Dialect() == store.SQLite && w < 2 {
		t.Fatalf("the writer keeps %d prepared statements after the same two ran three times, want at least 2", w)
	}
	if s.Dialect() == store.Postgres && w != 0 {
		t.Fatalf("on PostgreSQL the store keeps %d prepared statements, want none (pgx keeps its own)", w)
	}

	// A rolled-back transaction's statements, prepared or not, leave nothing.
	boom := errors.New("boom")
	_, err := s.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, insert, 100, "a"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want boom", err)
	}
	var got int
	for range 2 { // the second read goes through the reader's prepared statement
		if err := s.QueryRowContext(ctx, sum, "a").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != 6 {
			t.Fatalf("after the rollback the sum is %d, want 6", got)
		}
	}
	if _, r := s.PreparedStatements(); s.Dialect() == store.SQLite && r < 1 {
		t.Fatalf("the reader keeps %d prepared statements, want at least 1", r)
	}

	// A statement that cannot be prepared is not kept, and fails each time.
	for range 2 {
		_, err := s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO no_such_table (n) VALUES (?)", 1)
			return err
		})
		if err == nil {
			t.Fatal("an insert into a missing table succeeded")
		}
	}

	// A query of many rows read while the same query runs again, as one
	// row, inside the same transaction: both see their own results. (On
	// PostgreSQL a connection runs one query at a time.)
	if s.Dialect() == store.Postgres {
		return
	}
	const list = "SELECT n FROM stmt_test WHERE label = ? ORDER BY n"
	_, err = s.Write(ctx, func(tx *store.Tx) error {
		var first int
		if err := tx.QueryRowContext(ctx, list, "a").Scan(&first); err != nil { // prepared after this transaction
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pass := range 2 { // the second pass runs the outer query prepared
		_, err = s.Write(ctx, func(tx *store.Tx) error {
			rows, err := tx.QueryContext(ctx, list, "a")
			if err != nil {
				return err
			}
			defer rows.Close()
			var seen []int
			for rows.Next() {
				var n, first int
				if err := rows.Scan(&n); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, list, "a").Scan(&first); err != nil {
					return err
				}
				if first != 1 {
					return fmt.Errorf("the nested query's first row is %d, want 1", first)
				}
				// The same query of many rows, read whole, inside the first.
				inner, err := tx.QueryContext(ctx, list, "a")
				if err != nil {
					return err
				}
				var all []int
				for inner.Next() {
					var m int
					if err := inner.Scan(&m); err != nil {
						return err
					}
					all = append(all, m)
				}
				if err := inner.Close(); err != nil {
					return err
				}
				if fmt.Sprint(all) != "[1 2 3]" {
					return fmt.Errorf("the nested query of many rows read %v, want [1 2 3]", all)
				}
				seen = append(seen, n)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if fmt.Sprint(seen) != "[1 2 3]" {
				return fmt.Errorf("the outer query read %v, want [1 2 3]", seen)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("pass %d: %v", pass, err)
		}
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if w, r := s.PreparedStatements(); w != 0 || r != 0 {
		t.Fatalf("after Close the store keeps %d and %d prepared statements, want none", w, r)
	}
}

func TestPreparedStatementsAreBounded(t *testing.T) {
	s := storetest.New(t)
	if s.Dialect() != store.SQLite {
		t.Skip("only SQLite keeps prepared statements of its own")
	}
	ctx := context.Background()
	n := store.MaxCachedStatements + 50
	_, err := s.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			var got int
			if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT ? + %d", i), 1).Scan(&got); err != nil {
				return err
			}
			if got != i+1 {
				return fmt.Errorf("query %d gave %d", i, got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := s.PreparedStatements(); w != store.MaxCachedStatements {
		t.Fatalf("the writer keeps %d prepared statements after %d different ones, want the bound %d", w, n, store.MaxCachedStatements)
	}
	// Past the bound, statements still run (unprepared).
	var got int
	_, err = s.Write(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, fmt.Sprintf("SELECT ? + %d", n+1), 1).Scan(&got)
	})
	if err != nil || got != n+2 {
		t.Fatalf("a statement past the bound gave %d, %v", got, err)
	}
}
