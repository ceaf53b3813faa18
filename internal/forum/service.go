// Package forum is Plenary's command layer. Every change to the state goes
// through a method of Service: it validates the input, checks the actor's
// rights (the rights matrix for anything inside a forum), and then, in one
// database transaction, appends the event to the ledger and updates the
// tables that pages read. After the commit it announces the new events to
// live subscribers. The web pages, the JSON API and the CLI all call these
// same methods, so authorization is enforced once for every face.
//
// Reads that depend on who is looking (restricted documents, delegation-only
// events) are here too, as query methods that take the viewer.
package forum

import (
	"context"
	"log/slog"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs commands and viewer-dependent queries.
type Service struct {
	store    *store.Store
	signer   *ledger.Signer
	announce func(map[string]int64)
	log      *slog.Logger
	pwParams account.Params
	docs     docConfig // document files: storage and size limit (files.go)
}

// Options configure a Service.
type Options struct {
	// Announce is called after each commit with the chains that got
	// events (the live broker's NotifyAll). May be nil.
	Announce func(map[string]int64)
	Logger   *slog.Logger
	// PasswordParams are the argon2id costs (default account.DefaultParams).
	PasswordParams account.Params
}

// New returns a Service over st that signs checkpoints with signer.
func New(st *store.Store, signer *ledger.Signer, o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.PasswordParams.Time == 0 {
		o.PasswordParams = account.DefaultParams
	}
	return &Service{store: st, signer: signer, announce: o.Announce, log: o.Logger, pwParams: o.PasswordParams}
}

// Store returns the store, for read-only queries that do not depend on the viewer.
func (s *Service) Store() *store.Store { return s.store }

// Signer returns the checkpoint signer.
func (s *Service) Signer() *ledger.Signer { return s.signer }

// SetAnnounce sets the function told of new events after each commit.
func (s *Service) SetAnnounce(f func(map[string]int64)) { s.announce = f }

// write runs one command's transaction. Every chain the command appended
// to gets a signed checkpoint of its new head in the same transaction, so
// each committed command leaves a signed, verifiable head. Subscribers are
// told after the commit, never before.
func (s *Service) write(ctx context.Context, fn func(tx *store.Tx) error) error {
	appended, err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.checkpoint(ctx, tx)
	})
	if err != nil {
		return err
	}
	if s.announce != nil && len(appended) > 0 {
		s.announce(appended)
	}
	return nil
}

func (s *Service) checkpoint(ctx context.Context, tx *store.Tx) error {
	if s.signer == nil {
		return nil
	}
	for chain := range tx.Appended() {
		h, err := tx.Head(ctx, chain)
		if err != nil {
			return err
		}
		cp, err := s.signer.Sign(h, nowUTC())
		if err != nil {
			return err
		}
		if err := tx.InsertCheckpoint(ctx, cp); err != nil {
			return err
		}
	}
	return nil
}
