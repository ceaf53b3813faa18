// Package forum is the kernel of Plenary's command layer: what every
// aggregate (accounts, participation, documents, drafting, the record, and
// those to come) shares. It holds the types Forum, Body, Actor, Viewer and
// Capacity; the Scope, read once per request, that answers who the actor is
// in a forum and what it may do; Command, the one way a command writes (it
// re-checks the actor's standing inside the transaction, appends the
// events, signs the checkpoint and announces after the commit); and the
// storage of each forum's rules of participation.
//
// Each aggregate is its own package over this kernel (see
// docs/ARCHITECTURE.md, "Adding an aggregate").
package forum

import (
	"context"
	"log/slog"
	"sync"

	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Kernel is the shared part of the command layer: the store, the ledger's
// signer and the announcer of new events.
type Kernel struct {
	store    *store.Store
	signer   *ledger.Signer
	announce func(map[string]int64)
	log      *slog.Logger
	gens     *cache.Generations
	cache    *cache.Cache
	// groups are the queues of grouped commands, by forum (GroupCommand).
	groupsMu sync.Mutex
	groups   map[string]*group
}

// Options configure a Kernel.
type Options struct {
	// Announce is called after each commit with the chains that got
	// events (the live broker's NotifyAll). May be nil.
	Announce func(map[string]int64)
	Logger   *slog.Logger
}

// New returns a Kernel over st that signs checkpoints with signer.
func New(st *store.Store, signer *ledger.Signer, o Options) *Kernel {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	gens := cache.NewGenerations()
	return &Kernel{store: st, signer: signer, announce: o.Announce, log: o.Logger, gens: gens, cache: cache.New(gens, cache.Options{MaxEntries: 20000, MaxBytes: 256 << 20})}
}

// Generations are the generations of the chains: they move with every
// commit of this process, and, through Remote, with the commits of other
// processes.
func (s *Kernel) Generations() *cache.Generations { return s.gens }

// Cache keeps what aggregates derive from a forum's state until its chain
// moves (see package cache).
func (s *Kernel) Cache() *cache.Cache { return s.cache }

// Remote tells the kernel that another process appended to chain (seq 0:
// to some chains, unknown), so that what it keeps of them is read again.
func (s *Kernel) Remote(chain string) {
	if chain == "" {
		s.gens.BumpAll()
		return
	}
	s.gens.Bump(chain)
	s.gens.Bump(configChain(chain))
}

// configChain is the cache chain of a forum's configuration: the forum's
// row (its state and deadlines), its rights matrix and participation
// settings, stakeholder groups, bodies, and each participant's standings.
// It moves with every commit to the forum's chain but those of grouped
// commands (GroupCommand), which change none of it: a consultation's
// comments, coming by the thousand, would otherwise have each request read
// them all again. Another process's commit moves it too, whatever it was.
func configChain(forumID string) string { return forumID + "\x00configuration" }

// Logger returns the kernel's logger.
func (s *Kernel) Logger() *slog.Logger { return s.log }

// Store returns the store, for read-only queries that do not depend on the viewer.
func (s *Kernel) Store() *store.Store { return s.store }

// Signer returns the checkpoint signer.
func (s *Kernel) Signer() *ledger.Signer { return s.signer }

// SetAnnounce sets the function told of new events after each commit.
func (s *Kernel) SetAnnounce(f func(map[string]int64)) { s.announce = f }

// write runs one command's transaction. Every chain the command appended
// to gets a signed checkpoint of its new head in the same transaction, so
// each committed command leaves a signed, verifiable head. Subscribers are
// told after the commit, never before.
func (s *Kernel) Write(ctx context.Context, fn func(tx *store.Tx) error) error {
	return s.write(ctx, fn, true)
}

// write is Write; configured says whether the transaction may have
// changed a forum's configuration (configChain).
func (s *Kernel) write(ctx context.Context, fn func(tx *store.Tx) error, configured bool) error {
	appended, err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.checkpoint(ctx, tx)
	})
	if err != nil {
		return err
	}
	for chain := range appended {
		s.gens.Bump(chain)
		if configured {
			s.gens.Bump(configChain(chain))
		}
	}
	if s.announce != nil && len(appended) > 0 {
		s.announce(appended)
	}
	return nil
}

func (s *Kernel) checkpoint(ctx context.Context, tx *store.Tx) error {
	if s.signer == nil {
		return nil
	}
	for chain := range tx.Appended() {
		h, err := tx.Head(ctx, chain)
		if err != nil {
			return err
		}
		cp, err := s.signer.Sign(h, NowUTC())
		if err != nil {
			return err
		}
		if err := tx.InsertCheckpoint(ctx, cp); err != nil {
			return err
		}
	}
	return nil
}
