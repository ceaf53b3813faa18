package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/store"
)

// On SQLite the write-ahead log is copied into the database in the
// background: a commit far below the writer's own checkpoint reaches the
// database file without another write.
func TestSQLiteCheckpointsInTheBackground(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plenary.db")
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ExecContext(ctx, "CREATE TABLE ckpt_test (b TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	// 2 MB in one transaction: about 500 pages of the log, far below the
	// writer's backstop.
	if _, err := s.Write(ctx, func(tx *store.Tx) error {
		for range 8 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO ckpt_test (b) VALUES (?)", strings.Repeat("x", 256<<10)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Not a measure of time: the background's ticks come every fraction of
	// a second, and the test waits for the first that copies the pages.
	deadline := time.Now().Add(30 * time.Second)
	for size() < before+2<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is %d bytes, %d before the commit: the log was not checkpointed", size(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("closing: %v", err)
	}
}
