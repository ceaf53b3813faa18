package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

func TestCounterCountsStatementsOfItsContext(t *testing.T) {
	s := storetest.New(t)
	var c store.Counter
	ctx := store.WithCounter(context.Background(), &c)
	if store.CounterFrom(ctx) != &c || store.CounterFrom(context.Background()) != nil {
		t.Fatal("CounterFrom does not return the context's counter")
	}
	want := func(n int64, what string) {
		t.Helper()
		if got := c.Count(); got != n {
			t.Fatalf("after %s: %d statements, want %d", what, got, n)
		}
	}
	if _, err := s.ExecContext(ctx, "CREATE TABLE count_test (n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	want(1, "an exec on the store")
	var n int
	if err := s.QueryRowContext(ctx, "SELECT COUNT(*) FROM count_test").Scan(&n); err != nil {
		t.Fatal(err)
	}
	want(2, "a row query on the store")
	rows, err := s.QueryContext(ctx, "SELECT n FROM count_test")
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	want(3, "a query on the store")

	// Statements inside a transaction count; beginning and committing it
	// do not.
	_, err = s.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 3; i++ {
			if _, err := tx.ExecContext(ctx, "INSERT INTO count_test (n) VALUES (?)", i); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM count_test").Scan(&n); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT n FROM count_test")
		if err != nil {
			return err
		}
		return rows.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	want(8, "a transaction of five statements")

	// A context without the counter is not counted, and an inner counter
	// takes the statements of its context from the outer one.
	if err := s.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM count_test").Scan(&n); err != nil {
		t.Fatal(err)
	}
	var inner store.Counter
	if err := s.QueryRowContext(store.WithCounter(ctx, &inner), "SELECT COUNT(*) FROM count_test").Scan(&n); err != nil {
		t.Fatal(err)
	}
	want(8, "statements under other contexts")
	if inner.Count() != 1 {
		t.Fatalf("inner counter: %d, want 1", inner.Count())
	}
	if got := c.Reset(); got != 8 || c.Count() != 0 {
		t.Fatalf("Reset returned %d and left %d", got, c.Count())
	}
}

// Requests run concurrently; so may the statements of one request.
func TestCounterIsSafeForConcurrentUse(t *testing.T) {
	s := storetest.New(t)
	var c store.Counter
	ctx := store.WithCounter(context.Background(), &c)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				var one int
				if err := s.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if c.Count() != workers*each {
		t.Fatalf("%d statements counted, want %d", c.Count(), workers*each)
	}
}
