// Package storetest gives tests a migrated store on a real database:
// SQLite in a temporary directory by default, or PostgreSQL, in a schema of
// its own per test, when PLENARY_TEST_ENGINE=postgres and
// PLENARY_TEST_POSTGRES_URL is set. There are no mocks of our storage.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/plenary-forum/plenary/internal/store"
)

// Engine reports the engine tests run on: "sqlite" or "postgres".
func Engine() store.Dialect {
	if os.Getenv("PLENARY_TEST_ENGINE") == "postgres" {
		return store.Postgres
	}
	return store.SQLite
}

// PostgresURL returns the PostgreSQL server URL for tests, skipping the
// test when none is set (and failing it under CI, where PostgreSQL must be
// there).
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("PLENARY_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("PLENARY_TEST_POSTGRES_URL is not set, and CI needs PostgreSQL")
		}
		tb.Skip("PostgreSQL not configured: set PLENARY_TEST_POSTGRES_URL to run this test")
	}
	return u
}

// New returns a migrated store on the test engine, closed at cleanup.
func New(tb testing.TB) *store.Store {
	tb.Helper()
	cfg := Config(tb)
	s, err := store.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("storetest: migrate: %v", err)
	}
	return s
}

// Config returns a store configuration for a fresh, empty database on the
// test engine: a new SQLite file, or a new PostgreSQL schema dropped at
// cleanup. Tests that start whole servers use it.
func Config(tb testing.TB) store.Config {
	tb.Helper()
	if Engine() == store.Postgres {
		return store.Config{DatabaseURL: NewSchema(tb, PostgresURL(tb))}
	}
	return store.Config{SQLitePath: filepath.Join(tb.TempDir(), "plenary.db")}
}

// NewSchema creates an empty schema on the PostgreSQL server at base and
// returns a URL whose connections use it; the schema is dropped at cleanup.
func NewSchema(tb testing.TB, base string) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("storetest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("storetest: bad PLENARY_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
