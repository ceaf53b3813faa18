package record_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

func TestVerifyChainNamesTheFirstTamperedEvent(t *testing.T) {
	fx := fixture.NewSite(t)
	f := fx.Forum(t, "wtpf")
	for i := 0; i < 5; i++ {
		if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.BodyInput{Slug: fmt.Sprintf("b%d", i), Name: fmt.Sprintf("Body %d", i), Kind: "working_group"}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := fx.Svc.Record.VerifyChain(fx.Ctx, f.ID)
	if err != nil || !rep.OK() || rep.Events != 6 || rep.Checkpoints != 6 {
		t.Fatalf("clean chain: %v %v", rep, err)
	}
	// Someone with database access rewrites history: event 4's name.
	if _, err := fx.St.ExecContext(fx.Ctx, "UPDATE ledger_events SET payload = REPLACE(payload, 'Body 2', 'Body X') WHERE chain = ? AND seq = 4", f.ID); err != nil {
		t.Fatal(err)
	}
	rep, err = fx.Svc.Record.VerifyChain(fx.Ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || rep.Failure.Seq != 4 {
		t.Fatalf("tampered chain: %v, want a failure at event 4", rep)
	}
}

func TestExportVerifiesAndRedacts(t *testing.T) {
	fx := fixture.NewSite(t)
	f := fx.Forum(t, "wtpf")
	// A non-public event on the forum chain.
	if _, err := fx.St.Write(fx.Ctx, func(tx *store.Tx) error {
		_, err := tx.Emit(fx.Ctx, f.ID, fx.Admin.UserID, "note.secret", ledger.VisSecretariat, map[string]string{"text": "the secret"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, f.Slug), forum.BodyInput{Slug: "p", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	var full, public bytes.Buffer
	if err := fx.Svc.Record.ExportLedger(fx.Ctx, f.ID, &full, nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := fx.Svc.Record.ExportLedger(fx.Ctx, f.ID, &public, ledger.ShowPublic, "public"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(public.String(), "the secret") || !strings.Contains(full.String(), "the secret") {
		t.Fatal("the public export shows the secretariat's event, or the full export lacks it")
	}
	for name, b := range map[string][]byte{"full": full.Bytes(), "public": public.Bytes()} {
		rep, err := ledger.VerifyStream(bytes.NewReader(b), fx.Signer.Public())
		if err != nil || !rep.OK() || rep.Events != 3 {
			t.Fatalf("%s export: %v %v", name, rep, err)
		}
	}
	// One changed byte in event 3's payload.
	bad := bytes.Replace(full.Bytes(), []byte(`"name":"Plenary"`), []byte(`"name":"Plenarx"`), 1)
	rep, _ := ledger.VerifyStream(bytes.NewReader(bad), fx.Signer.Public())
	if rep.OK() || rep.Failure.Seq != 3 {
		t.Fatalf("tampered export: %v, want failure at 3", rep)
	}
}
