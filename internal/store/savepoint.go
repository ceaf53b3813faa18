package store

import (
	"context"
	"maps"

	"github.com/plenary-forum/plenary/internal/ledger"
)

// Savepoint is a point inside a transaction that it can go back to,
// undoing what was written after it (ledger appends included) and keeping
// what was written before. Group commit uses it: several commands in one
// transaction, each undone alone when it fails.
type Savepoint struct {
	t        *Tx
	name     string
	heads    map[string]ledger.Head
	appended map[string]int64
	later    int
}

// Savepoint marks the transaction's present state under name (an SQL
// identifier made in Go, never from input).
func (t *Tx) Savepoint(ctx context.Context, name string) (*Savepoint, error) {
	if err := t.control(ctx, "SAVEPOINT "+name); err != nil {
		return nil, err
	}
	return &Savepoint{t: t, name: name, heads: maps.Clone(t.heads), appended: maps.Clone(t.appended), later: len(t.later)}, nil
}

// Rollback undoes everything written since the savepoint, in the database
// and in the ledger heads the transaction keeps, drops what was deferred
// to the commit since (BeforeCommit), and ends the savepoint.
func (sp *Savepoint) Rollback(ctx context.Context) error {
	if err := sp.t.control(ctx, "ROLLBACK TO SAVEPOINT "+sp.name); err != nil {
		return err
	}
	sp.t.heads, sp.t.appended = sp.heads, sp.appended
	sp.t.later = sp.t.later[:sp.later]
	return sp.Release(ctx)
}

// Release ends the savepoint, keeping what was written since.
func (sp *Savepoint) Release(ctx context.Context) error {
	return sp.t.control(ctx, "RELEASE SAVEPOINT "+sp.name)
}

// control runs a statement about the transaction itself, prepared like
// the others but not counted as one of the command's statements.
func (t *Tx) control(ctx context.Context, query string) error {
	var err error
	if st := t.stmt(ctx, query); st != nil {
		_, err = st.ExecContext(ctx)
		st.Close()
	} else {
		_, err = t.tx.ExecContext(ctx, query)
	}
	return mapErr(err)
}

// Retryable reports whether err is a failure of the whole transaction
// that running it again may cure (a serialization failure or deadlock on
// PostgreSQL, a busy database on SQLite): a command in a group that meets
// one fails the group's transaction, which Write retries on PostgreSQL,
// rather than being undone alone.
func Retryable(err error) bool { return err != nil && isRetryable(err) }
