package demo_test

import (
	"context"
	"testing"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// loadDemo returns a fresh database with the demo loaded, and its service.
func loadDemo(t *testing.T) (*store.Store, *forum.Service) {
	t.Helper()
	st := storetest.New(t)
	signer, err := ledger.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	svc := forum.New(st, signer, forum.Options{PasswordParams: account.FastParams})
	if err := demo.Load(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	return st, svc
}
