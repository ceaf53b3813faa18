// Package app wires Plenary's aggregates over one kernel: the set of
// services that the web pages, the JSON API, the CLI and the demo call.
package app

import (
	"log/slog"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/record"
	"github.com/plenary-forum/plenary/internal/store"
)

// App is one site's command layer: the kernel and one service per
// aggregate.
type App struct {
	Kernel        *forum.Kernel
	Accounts      *account.Service
	Participation *participation.Service
	Documents     *documents.Service
	Drafting      *drafting.Service
	Record        *record.Service
	Meetings      *meetings.Service
	Decisions     *decisions.Service
	FinalActs     *finalacts.Service
	Consultation  *consultation.Service
}

// Options configure an App.
type Options struct {
	// Announce is called after each commit with the chains that got
	// events (the live broker's NotifyAll). May be nil.
	Announce func(map[string]int64)
	Logger   *slog.Logger
	// PasswordParams are the argon2id costs (default account.DefaultParams).
	PasswordParams account.Params
}

// New returns the command layer over st, signing checkpoints with signer.
func New(st *store.Store, signer *ledger.Signer, o Options) *App {
	k := forum.New(st, signer, forum.Options{Announce: o.Announce, Logger: o.Logger})
	a := &App{Kernel: k}
	a.Accounts = account.NewService(k, o.PasswordParams)
	a.Participation = participation.New(k, a.Accounts)
	a.Documents = documents.New(k, a.Participation)
	a.Drafting = drafting.New(k, a.Participation, a.Documents)
	a.Record = record.New(k)
	a.Meetings = meetings.New(k, a.Participation, a.Documents, a.Drafting)
	a.Decisions = decisions.New(k, a.Participation, a.Documents, a.Drafting, a.Meetings)
	a.FinalActs = finalacts.New(k, a.Participation, a.Documents, a.Drafting, a.Decisions, a.Meetings)
	a.Consultation = consultation.New(k, a.Documents, a.Drafting)
	return a
}

// Store returns the store, for read-only queries that do not depend on the viewer.
func (a *App) Store() *store.Store { return a.Kernel.Store() }

// Signer returns the checkpoint signer.
func (a *App) Signer() *ledger.Signer { return a.Kernel.Signer() }

// SetAnnounce sets the function told of new events after each commit.
func (a *App) SetAnnounce(f func(map[string]int64)) { a.Kernel.SetAnnounce(f) }
