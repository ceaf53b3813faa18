// Package record is the record aggregate: a forum's ledger exported as JSON
// lines with signed checkpoints, and verification of the stored chains.
package record

import (
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service exports and verifies the record.
type Service struct {
	kernel *forum.Kernel
	store  *store.Store
	signer *ledger.Signer
}

// New returns the record aggregate over k.
func New(k *forum.Kernel) *Service {
	return &Service{kernel: k, store: k.Store(), signer: k.Signer()}
}
