package demo_test

import (
	"context"
	"testing"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// loadDemo returns a fresh database with the demo loaded, and its service.
func loadDemo(t *testing.T) (*store.Store, *app.App) {
	t.Helper()
	st := storetest.New(t)
	signer, err := ledger.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	svc := app.New(st, signer, app.Options{PasswordParams: account.FastParams})
	if err := demo.Load(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	return st, svc
}
