// Package participation is the participation aggregate: stakeholder
// groups, parties, delegations, registrations and credentials, their CSV
// imports, body officers and changes to the rules of participation.
package participation

import (
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs participation's commands and queries.
type Service struct {
	kernel   *forum.Kernel
	accounts *account.Service
	store    *store.Store
	// onMerge are what the aggregates built on this one move when a
	// duplicate party is merged (OnMerge).
	onMerge []MergeHook
}

// New returns the participation aggregate over k.
func New(k *forum.Kernel, accounts *account.Service) *Service {
	return &Service{kernel: k, accounts: accounts, store: k.Store()}
}
