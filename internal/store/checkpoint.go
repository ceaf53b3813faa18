package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// On SQLite the write-ahead log is copied back into the database
// (checkpointed) by a connection of its own, in the background, rather
// than by the writer at the commit that fills it: a checkpoint writes and
// syncs the pages of many commits, and the writer that ran it held every
// command waiting meanwhile (under a burst of comments, seconds at a time
// on a slow disk). The writer still checkpoints itself if the log grows
// past walBackstop pages, so the log stays bounded if the background
// falls behind.
const (
	// walBackstop is the writer's own automatic checkpoint, in pages of
	// the log (4 KB each): a bound, not the usual path.
	walBackstop = 16384
	// checkpointEvery is how often the background checkpoint runs.
	checkpointEvery = 200 * time.Millisecond
	// walSizeLimit is the size the log's file is cut back to after a
	// checkpoint has emptied it.
	walSizeLimit = 64 << 20
)

// checkpointer runs passive checkpoints until stopped. A passive
// checkpoint waits for no one: it copies what is committed and not being
// read, and leaves the rest for the next one.
type checkpointer struct {
	db     *sql.DB
	cancel context.CancelFunc
	done   sync.WaitGroup
}

func startCheckpointer(db *sql.DB) *checkpointer {
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, cancel: cancel}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				// An error (a busy database) is left for the next tick;
				// the writer's backstop bounds the log meanwhile.
				_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
	return c
}

// stop ends the background checkpoints and closes their connection.
func (c *checkpointer) stop() error {
	if c == nil {
		return nil
	}
	c.cancel()
	c.done.Wait()
	return c.db.Close()
}
