package forum

import (
	"context"
	"fmt"
	"sync"

	"github.com/plenary-forum/plenary/internal/store"
)

// maxGroup bounds the commands one grouped transaction takes.
const maxGroup = 64

// GroupCommand is Command for a command that many people send at once
// into one forum (a comment in a public consultation): it may share its
// transaction with other grouped commands of the same forum that arrived
// while the previous transaction was being written, so that the cost of a
// transaction and its commit is paid once for all of them. Each is still
// its own command, with its own checks, events and effects, run in turn
// under the forum's lock inside a savepoint: one that fails is undone
// alone and the others are kept. The transaction's checkpoint signs the
// chain's head after the last of them. GroupCommand returns only after
// the transaction is committed (or has failed, and then every command in
// it failed), so a command is never acknowledged before its commit.
//
// fn should run under a context that is not cancelled midway
// (context.WithoutCancel of the request's): on SQLite a statement
// interrupted by its context rolls back the whole transaction, and with it
// the other commands of the group, which then all fail. A context already
// cancelled when the command starts fails that command alone.
func (k *Kernel) GroupCommand(ctx context.Context, sc *Scope, name string, fn func(tx *store.Tx, sc *Scope) error) error {
	g := k.groupOf(sc.Forum.ID)
	r := &groupReq{ctx: ctx, sc: sc, name: name, fn: fn, done: make(chan struct{})}
	g.mu.Lock()
	g.pending = append(g.pending, r)
	lead := !g.running
	g.running = true
	g.mu.Unlock()
	if lead {
		k.lead(g)
	}
	<-r.done
	return r.err
}

type groupReq struct {
	ctx  context.Context
	sc   *Scope
	name string
	fn   func(tx *store.Tx, sc *Scope) error
	err  error
	done chan struct{}
}

// group is one forum's queue of grouped commands. One goroutine at a time
// (the leader) writes them.
type group struct {
	mu      sync.Mutex
	pending []*groupReq
	running bool
}

func (k *Kernel) groupOf(forumID string) *group {
	k.groupsMu.Lock()
	defer k.groupsMu.Unlock()
	if k.groups == nil {
		k.groups = map[string]*group{}
	}
	g, ok := k.groups[forumID]
	if !ok {
		g = &group{}
		k.groups[forumID] = g
	}
	return g
}

// lead writes the queued commands in one transaction; if more arrived
// meanwhile, another goroutine leads them, so that the leader's own
// caller is answered at once.
func (k *Kernel) lead(g *group) {
	g.mu.Lock()
	n := min(len(g.pending), maxGroup)
	batch := g.pending[:n:n]
	g.pending = g.pending[n:]
	g.mu.Unlock()
	k.writeGroup(batch)
	for _, r := range batch {
		close(r.done)
	}
	g.mu.Lock()
	if len(g.pending) == 0 {
		g.running = false
		g.mu.Unlock()
		return
	}
	g.mu.Unlock()
	go k.lead(g)
}

// writeGroup runs batch in one transaction, each command in a savepoint.
func (k *Kernel) writeGroup(batch []*groupReq) {
	// The transaction is not cancelled with the first caller's request,
	// since the others wait on it too.
	ctx := context.WithoutCancel(batch[0].ctx)
	// A grouped command changes nothing of the forum's configuration (see
	// configChain).
	err := k.write(ctx, func(tx *store.Tx) error {
		for _, r := range batch { // Write may run this again (PostgreSQL)
			r.err = nil
		}
		// The forum's row is read and locked once, before the first
		// savepoint, so that the lock holds for every command of the group
		// (on PostgreSQL a lock taken inside a savepoint that is rolled
		// back is lost); none of them changes it.
		f, err := lockForum(ctx, tx, batch[0].sc.Forum.ID)
		if err != nil {
			return err
		}
		for i, r := range batch {
			sp, err := tx.Savepoint(ctx, "grouped")
			if err != nil {
				return err
			}
			if r.err = runGrouped(r, tx, k, f, i); r.err != nil {
				if store.Retryable(r.err) {
					return r.err
				}
				if err := sp.Rollback(ctx); err != nil {
					return err
				}
				continue
			}
			if err := sp.Release(ctx); err != nil {
				return err
			}
		}
		return nil
	}, false)
	for _, r := range batch {
		if r.err == nil {
			r.err = err
		}
		if r.err != nil {
			r.err = &CommandError{Command: r.name, Err: r.err}
		}
	}
}

// runGrouped runs one command of a group, turning a panic into its error
// so that the others are not left waiting.
func runGrouped(r *groupReq, tx *store.Tx, k *Kernel, f Forum, i int) (err error) {
	defer func() {
		if p := recover(); p != nil {
			k.log.Error("a grouped command panicked", "command", r.name, "panic", p)
			err = fmt.Errorf("%s (command %d of its group) panicked: %v", r.name, i+1, p)
		}
	}()
	// The kernel's own statements are not cancelled with the caller's
	// request (see GroupCommand).
	return k.commandOn(context.WithoutCancel(r.ctx), tx, r.sc, f, false, r.fn)
}
