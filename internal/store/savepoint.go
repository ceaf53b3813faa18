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
}

// Savepoint marks the transaction's present state under name (an SQL
// identifier made in Go, never from input).
func (t *Tx) Savepoint(ctx context.Context, name string) (*Savepoint, error) {
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return nil, mapErr(err)
	}
	return &Savepoint{t: t, name: name, heads: maps.Clone(t.heads), appended: maps.Clone(t.appended)}, nil
}

// Rollback undoes everything written since the savepoint, in the database
// and in the ledger heads the transaction keeps, and ends the savepoint.
func (sp *Savepoint) Rollback(ctx context.Context) error {
	if _, err := sp.t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+sp.name); err != nil {
		return mapErr(err)
	}
	sp.t.heads, sp.t.appended = sp.heads, sp.appended
	return sp.Release(ctx)
}

// Release ends the savepoint, keeping what was written since.
func (sp *Savepoint) Release(ctx context.Context) error {
	_, err := sp.t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+sp.name)
	return mapErr(err)
}
