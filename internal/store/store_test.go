package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

func TestMigrationsShareNumbering(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %04d_%s, postgres %04d_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
		if i > 0 && lite[i].Version != lite[i-1].Version+1 {
			t.Errorf("migration numbers jump from %d to %d", lite[i-1].Version, lite[i].Version)
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	s := storetest.New(t)
	applied, err := s.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Fatalf("second Migrate applied %v", applied)
	}
	v, err := s.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := store.Migrations(s.Dialect())
	if v != ms[len(ms)-1].Version {
		t.Fatalf("schema version %d, want %d", v, ms[len(ms)-1].Version)
	}
}

// A driver that binds $N by order of appearance would silently swap
// arguments; the store's placeholders must bind by number on both engines.
func TestPlaceholdersBindByPosition(t *testing.T) {
	s := storetest.New(t)
	var got string
	if err := s.QueryRowContext(context.Background(), "SELECT CAST(? AS TEXT) || '-' || CAST(? AS TEXT)", "a", "b").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "a-b" {
		t.Fatalf("got %q, want a-b", got)
	}
}

func TestRebind(t *testing.T) {
	s := storetest.New(t)
	tests := []struct{ in, pg string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT ? , ?", "SELECT $1 , $2"},
		{"SELECT '?' , ?", "SELECT '?' , $1"},
		{`SELECT "a?" , ? , 'it''s ?', ?`, `SELECT "a?" , $1 , 'it''s ?', $2`},
	}
	for _, tt := range tests {
		want := tt.in
		if s.Dialect() == store.Postgres {
			want = tt.pg
		}
		if got := s.Rebind(tt.in); got != want {
			t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, want)
		}
	}
}

func TestDriverErrorsMapToProjectErrors(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	insert := func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			plenary.NewID(), "a@example.org", "A", "x", 1)
		return store.MapErr(err)
	}
	if _, err := s.Write(ctx, insert); err != nil {
		t.Fatal(err)
	}
	_, err := s.Write(ctx, insert)
	if !errors.Is(err, plenary.ErrConflict) {
		t.Fatalf("duplicate email: got %v, want a conflict", err)
	}
	var name string
	err = store.MapErr(s.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", "nope").Scan(&name))
	if !errors.Is(err, plenary.ErrNotFound) {
		t.Fatalf("missing row: got %v, want not found", err)
	}
	_, err = s.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			"h", "no-such-user", "c", 1, 2)
		return store.MapErr(err)
	})
	if !errors.Is(err, plenary.ErrConflict) {
		t.Fatalf("dangling foreign key: got %v, want a conflict", err)
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	boom := errors.New("boom")
	_, err := s.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			"u1", "b@example.org", "B", "x", 1); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	var n int
	if err := s.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d users after a rolled-back write", n)
	}
}

// A page of events is bounded by count and by the bytes of its payloads;
// an event larger than the bound comes alone.
func TestEventPageIsBoundedByBytes(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	sizes := []int{100, 100, 100, 1000, 100}
	if _, err := s.Write(ctx, func(tx *store.Tx) error {
		for _, n := range sizes {
			if _, err := tx.Emit(ctx, "c", "u1", "note.added", ledger.VisPublic, map[string]string{"x": strings.Repeat("x", n-8)}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		after           int64
		limit, maxBytes int
		want            []int64
	}{
		{0, 10, 250, []int64{1, 2, 3}}, // the third reaches the bound
		{0, 2, 1 << 20, []int64{1, 2}},
		{3, 10, 250, []int64{4}}, // larger than the bound: alone
		{4, 10, 250, []int64{5}},
		{5, 10, 250, nil},
	} {
		evs, err := s.EventPage(ctx, "c", tc.after, tc.limit, tc.maxBytes)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, ev := range evs {
			got = append(got, ev.Seq)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("EventPage(after %d, limit %d, %d bytes) = %v, want %v", tc.after, tc.limit, tc.maxBytes, got, tc.want)
		}
	}
}

// On SQLite every connection keeps its temporary files (the journals of
// savepoints) in memory, the writer's as the readers'.
func TestSQLiteKeepsTemporaryFilesInMemory(t *testing.T) {
	s := storetest.New(t)
	if s.Dialect() != store.SQLite {
		t.Skip("SQLite only")
	}
	ctx := context.Background()
	var read int
	if err := s.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&read); err != nil {
		t.Fatal(err)
	}
	var write int
	if _, err := s.Write(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&write)
	}); err != nil {
		t.Fatal(err)
	}
	if read != 2 || write != 2 {
		t.Fatalf("temp_store is %d for reads and %d for writes, want 2 (memory)", read, write)
	}
}

// Strings reads a column in the query's order, and nothing for no rows.
func TestStringsReadsAColumn(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	got, err := store.Strings(ctx, s, "SELECT slug FROM forums WHERE slug <> ? ORDER BY slug", "")
	if err != nil || len(got) != 0 {
		t.Fatalf("no forums: %v, %v", got, err)
	}
	got, err = store.Strings(ctx, s, "SELECT 'b' UNION ALL SELECT 'a' UNION ALL SELECT ?", "c")
	if err != nil || strings.Join(got, ",") != "b,a,c" {
		t.Fatalf("got %v, %v; want b,a,c", got, err)
	}
	if _, err := store.Strings(ctx, s, "SELECT nothing FROM nowhere"); err == nil {
		t.Error("a bad query gave no error")
	}
}
