package search

import (
	"context"

	"github.com/plenary-forum/plenary/internal/store"
)

// IndexAtCommit is Index deferred to the end of the transaction: the
// entries of every command in the transaction are written together, in one
// statement per batch, just before the commit. Use it for what many
// commands of one grouped transaction each index (a consultation's
// comments): on SQLite the full-text index writes out what it holds in
// memory at every statement that opens a savepoint, so indexing in each
// command, or one entry per statement, writes the index in as many small
// pieces as there are entries. An entry deferred after a savepoint that is
// rolled back is not written (store.Tx.BeforeCommit).
func IndexAtCommit(tx *store.Tx, e Entry) {
	tx.BeforeCommit(func(_ context.Context, tx *store.Tx) error {
		p := pendingOf(tx)
		p.ops = append(p.ops, op{entry: e})
		return nil
	})
}

// RemoveAtCommit is Remove deferred like IndexAtCommit, in order with the
// entries it defers.
func RemoveAtCommit(tx *store.Tx, kind, refID string) {
	tx.BeforeCommit(func(_ context.Context, tx *store.Tx) error {
		p := pendingOf(tx)
		p.ops = append(p.ops, op{remove: true, entry: Entry{Kind: kind, RefID: refID}})
		return nil
	})
}

type pendingKey struct{}

type op struct {
	remove bool
	entry  Entry
}

// pending gathers the deferred writes of one transaction.
type pending struct{ ops []op }

// pendingOf returns the transaction's gathering, starting it (and its
// write, deferred after every function deferred so far) on first use.
func pendingOf(tx *store.Tx) *pending {
	if p, ok := tx.Value(pendingKey{}).(*pending); ok && p != nil {
		return p
	}
	p := &pending{}
	tx.SetValue(pendingKey{}, p)
	tx.BeforeCommit(func(ctx context.Context, tx *store.Tx) error {
		tx.SetValue(pendingKey{}, nil)
		return p.write(ctx, tx)
	})
	return p
}

// batchRows bounds the entries of one statement (well under SQLite's
// 32,766 parameters at 15 an entry).
const batchRows = 256

// write runs the gathered operations in order: each run of entries without
// parties in statements of up to batchRows, the others one by one.
func (p *pending) write(ctx context.Context, tx *store.Tx) error {
	var run []Entry
	flush := func() error {
		for len(run) > 0 {
			n := min(len(run), batchRows)
			if err := indexMany(ctx, tx, run[:n]); err != nil {
				return err
			}
			run = run[n:]
		}
		return nil
	}
	for _, o := range p.ops {
		switch {
		case o.remove:
			if err := flush(); err != nil {
				return err
			}
			if err := Remove(ctx, tx, o.entry.Kind, o.entry.RefID); err != nil {
				return err
			}
		case len(o.entry.Parties) > 0:
			if err := flush(); err != nil {
				return err
			}
			if err := Index(ctx, tx, o.entry); err != nil {
				return err
			}
		default:
			// An entry written twice in one run keeps its last version
			// (one statement may not write a row twice on PostgreSQL).
			for i, r := range run {
				if r.Kind == o.entry.Kind && r.RefID == o.entry.RefID {
					run = append(run[:i], run[i+1:]...)
					break
				}
			}
			run = append(run, o.entry)
		}
	}
	return flush()
}

// indexMany writes entries that have no parties in one statement, and
// removes the party rows any of them had before.
func indexMany(ctx context.Context, tx *store.Tx, es []Entry) error {
	d := tx.Dialect()
	args := make([]any, 0, len(es)*15)
	keys := make([]any, 0, 2*len(es))
	where := ""
	for i := range es {
		if err := es[i].check(); err != nil {
			return err
		}
		args = es[i].args(d, args)
		if i > 0 {
			where += " OR "
		}
		where += "(kind = ? AND ref_id = ?)"
		keys = append(keys, es[i].Kind, es[i].RefID)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_parties WHERE entry_id IN (SELECT id FROM search_entries WHERE `+where+`)`, keys...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, upsert(d, len(es), false), args...)
	return err
}
