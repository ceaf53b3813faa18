package account

import (
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service is the accounts aggregate: users, sessions and API tokens.
type Service struct {
	kernel   *forum.Kernel
	store    *store.Store
	pwParams Params
	changes  credentialChanges
}

// NewService returns the accounts aggregate over k; p are the argon2id
// costs (DefaultParams when zero).
func NewService(k *forum.Kernel, p Params) *Service {
	if p.Time == 0 {
		p = DefaultParams
	}
	return &Service{kernel: k, store: k.Store(), pwParams: p}
}
