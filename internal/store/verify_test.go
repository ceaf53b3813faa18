package store_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// chainFixture is a store holding one chain, "f1", written as commands
// write it: each transaction appends events and signs the head it leaves.
type chainFixture struct {
	ctx    context.Context
	st     *store.Store
	signer *ledger.Signer
}

const testChain = "f1"

func newChainFixture(t *testing.T) *chainFixture {
	t.Helper()
	signer, err := ledger.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	fx := &chainFixture{ctx: context.Background(), st: storetest.New(t), signer: signer}
	for _, n := range []int{2, 1, 3} { // checkpoints at 2, 3 and 6
		fx.command(t, n)
	}
	return fx
}

// command appends n events in one transaction and signs the new head.
func (fx *chainFixture) command(t *testing.T, n int) {
	t.Helper()
	_, err := fx.st.Write(fx.ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			vis := ledger.VisPublic
			if i == 1 {
				vis = ledger.VisSecretariat
			}
			if _, err := tx.Emit(fx.ctx, testChain, "u1", "note.added", vis, map[string]int{"i": i}); err != nil {
				return err
			}
		}
		h, err := tx.Head(fx.ctx, testChain)
		if err != nil {
			return err
		}
		cp, err := fx.signer.Sign(h, plenary.Now())
		if err != nil {
			return err
		}
		return tx.InsertCheckpoint(fx.ctx, cp)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (fx *chainFixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := fx.st.ExecContext(fx.ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (fx *chainFixture) event(t *testing.T, seq int64) ledger.Event {
	t.Helper()
	ev, err := fx.st.Event(fx.ctx, testChain, seq)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func (fx *chainFixture) checkpoint(t *testing.T, seq int64) ledger.Checkpoint {
	t.Helper()
	cps, err := fx.st.Checkpoints(fx.ctx, testChain, seq-1, seq)
	if err != nil || len(cps) != 1 {
		t.Fatalf("checkpoint at %d: %v %v", seq, cps, err)
	}
	return cps[0]
}

func (fx *chainFixture) verify(t *testing.T, since *ledger.Checkpoint) ledger.Report {
	t.Helper()
	rep, err := fx.st.VerifyChain(fx.ctx, testChain, ledger.VerifyOptions{Keys: []ed25519.PublicKey{fx.signer.Public()}, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// forge appends a well-sealed event after the last one, straight into the
// table, as someone with database access could.
func (fx *chainFixture) forge(t *testing.T) ledger.Event {
	t.Helper()
	head, err := fx.st.Head(fx.ctx, testChain)
	if err != nil {
		t.Fatal(err)
	}
	ev := ledger.Event{Chain: testChain, At: plenary.Now(), Actor: "u1", Type: "note.added", Visibility: ledger.VisPublic,
		Payload: json.RawMessage(`{"forged":true}`)}
	if err := ledger.SealAfter(head, &ev); err != nil {
		t.Fatal(err)
	}
	fx.exec(t, `INSERT INTO ledger_events (chain, seq, at, actor, type, visibility, payload, salt, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ev.Chain, ev.Seq, ev.At.UnixMilli(), ev.Actor, ev.Type, ev.Visibility, string(ev.Payload), ev.Salt, ev.PrevHash, ev.Hash)
	return ev
}

func wantOK(t *testing.T, rep ledger.Report, events, checkpoints int64) {
	t.Helper()
	if !rep.OK() || rep.Events != events || rep.Checkpoints != checkpoints || rep.Unsigned() != 0 {
		t.Fatalf("report %s (%d checkpoints), want OK with %d events and %d checkpoints", rep, rep.Checkpoints, events, checkpoints)
	}
}

func wantFailure(t *testing.T, rep ledger.Report, text string) {
	t.Helper()
	if rep.OK() || rep.Failure.Error() != text {
		t.Fatalf("report %s\nwant the failure %q", rep, text)
	}
}

func TestVerifyChain(t *testing.T) {
	fx := newChainFixture(t)
	wantOK(t, fx.verify(t, nil), 6, 3)
	rep := fx.verify(t, ptr(fx.checkpoint(t, 3)))
	wantOK(t, rep, 6, 3)
	if rep.Extends != 3 {
		t.Errorf("extends %d, want 3", rep.Extends)
	}
	// A chain with no events at all verifies as empty.
	rep, err := fx.st.VerifyChain(fx.ctx, "nothing", ledger.VerifyOptions{Keys: []ed25519.PublicKey{fx.signer.Public()}})
	if err != nil || !rep.OK() || rep.Events != 0 {
		t.Fatalf("empty chain: %s %v", rep, err)
	}
}

func ptr[T any](v T) *T { return &v }

// AllChains lists a chain whose head record is gone, which Chains does not.
func TestAllChains(t *testing.T) {
	fx := newChainFixture(t)
	fx.command(t, 1)
	fx.exec(t, "DELETE FROM ledger_heads WHERE chain = ?", testChain)
	fx.exec(t, "INSERT INTO ledger_checkpoints (chain, seq, hash, at, key_id, signature) VALUES ('f0', 1, '', 0, '', '')")
	chains, err := fx.st.AllChains(fx.ctx)
	if err != nil || strings.Join(chains, ",") != "f0,f1" {
		t.Fatalf("AllChains: %v %v", chains, err)
	}
	if chains, _ := fx.st.Chains(fx.ctx); len(chains) != 0 {
		t.Fatalf("Chains: %v", chains)
	}
}

// TestVerifyChainDefects changes a stored chain as someone with access to
// the database could, and checks that verification names the defect.
func TestVerifyChainDefects(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(t *testing.T, fx *chainFixture)
		want   string
	}{
		{
			name: "every checkpoint deleted",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "DELETE FROM ledger_checkpoints WHERE chain = ?", testChain)
			},
			want: "event 1: not signed: no checkpoint signs any event of the chain (it ends at event 6)",
		},
		{
			name: "the last checkpoint deleted",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "DELETE FROM ledger_checkpoints WHERE chain = ? AND seq = 6", testChain)
			},
			want: "event 4: not signed: the chain ends at event 6, but the last checkpoint signs event 3",
		},
		{
			name: "the tail truncated",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "DELETE FROM ledger_events WHERE chain = ? AND seq > 3", testChain)
				fx.exec(t, "DELETE FROM ledger_checkpoints WHERE chain = ? AND seq > 3", testChain)
			},
			want: "event 4: missing (the chain's head record is at event 6)",
		},
		{
			name: "the tail truncated and the head record moved back, checkpoints left",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "DELETE FROM ledger_events WHERE chain = ? AND seq > 3", testChain)
				fx.exec(t, "UPDATE ledger_heads SET seq = 3, hash = ? WHERE chain = ?", fx.event(t, 3).Hash, testChain)
			},
			want: "event 4: missing (checkpoint at 6 found beyond the last event)",
		},
		{
			name: "the head record pointing past the last event",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "UPDATE ledger_heads SET seq = 9 WHERE chain = ?", testChain)
			},
			want: "event 7: missing (the chain's head record is at event 9)",
		},
		{
			name: "the head record with another hash",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "UPDATE ledger_heads SET hash = ? WHERE chain = ?", fx.event(t, 5).Hash, testChain)
			},
			want: `head record at 6: hash "` + "%HASH5%" + `" is not the hash of event 6`,
		},
		{
			name: "the head record deleted",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "DELETE FROM ledger_heads WHERE chain = ?", testChain)
			},
			want: "head record: missing, but the chain has events up to 6 and checkpoints up to 6",
		},
		{
			name: "a forged event inserted after the head",
			change: func(t *testing.T, fx *chainFixture) {
				fx.forge(t)
			},
			want: "event 7: not in the chain: its head record is at event 6",
		},
		{
			name: "a forged event inserted and the head record moved to it",
			change: func(t *testing.T, fx *chainFixture) {
				ev := fx.forge(t)
				fx.exec(t, "UPDATE ledger_heads SET seq = ?, hash = ? WHERE chain = ?", ev.Seq, ev.Hash, testChain)
			},
			want: "event 7: not signed: the chain ends at event 7, but the last checkpoint signs event 6",
		},
		{
			name: "a forged first event of a new chain, with no head record",
			change: func(t *testing.T, fx *chainFixture) {
				fx.exec(t, "DELETE FROM ledger_events WHERE chain = ?", testChain)
				fx.exec(t, "DELETE FROM ledger_checkpoints WHERE chain = ?", testChain)
				fx.exec(t, "DELETE FROM ledger_heads WHERE chain = ?", testChain)
				fx.forge(t)
			},
			want: "head record: missing, but the chain has events up to 1 and checkpoints up to 0",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newChainFixture(t)
			want := strings.ReplaceAll(tt.want, "%HASH5%", fx.event(t, 5).Hash)
			tt.change(t, fx)
			wantFailure(t, fx.verify(t, nil), want)
		})
	}
}

// TestVerifyChainSince checks that a checkpoint obtained earlier catches
// a history cut short or rewritten in a way that is consistent in itself.
func TestVerifyChainSince(t *testing.T) {
	// Cut back to event 3, with the head record and checkpoints to match:
	// consistent, but not an extension of the checkpoint at 6.
	fx := newChainFixture(t)
	cp6 := fx.checkpoint(t, 6)
	fx.exec(t, "DELETE FROM ledger_events WHERE chain = ? AND seq > 3", testChain)
	fx.exec(t, "DELETE FROM ledger_checkpoints WHERE chain = ? AND seq > 3", testChain)
	fx.exec(t, "UPDATE ledger_heads SET seq = 3, hash = ? WHERE chain = ?", fx.event(t, 3).Hash, testChain)
	wantOK(t, fx.verify(t, nil), 3, 2)
	wantFailure(t, fx.verify(t, &cp6), "event 4: missing: the chain ends at event 3, but the earlier checkpoint signs event 6")

	// Event 5 rewritten, the rest sealed again, the head record moved and
	// the head signed again with the server's key.
	fx = newChainFixture(t)
	cp6 = fx.checkpoint(t, 6)
	prev := fx.event(t, 4)
	for seq := int64(5); seq <= 6; seq++ {
		ev := fx.event(t, seq)
		if seq == 5 {
			ev.Payload = json.RawMessage(`{"i":42}`)
		}
		if err := ledger.Seal(&prev, &ev); err != nil {
			t.Fatal(err)
		}
		fx.exec(t, "UPDATE ledger_events SET payload = ?, prev_hash = ?, hash = ? WHERE chain = ? AND seq = ?", string(ev.Payload), ev.PrevHash, ev.Hash, testChain, seq)
		prev = ev
	}
	cp, err := fx.signer.Sign(prev.Head(), plenary.Now())
	if err != nil {
		t.Fatal(err)
	}
	fx.exec(t, "UPDATE ledger_checkpoints SET hash = ?, at = ?, signature = ? WHERE chain = ? AND seq = 6", cp.Hash, cp.At.UnixMilli(), cp.Signature, testChain)
	fx.exec(t, "UPDATE ledger_heads SET hash = ? WHERE chain = ?", prev.Hash, testChain)
	wantOK(t, fx.verify(t, nil), 6, 3)
	wantFailure(t, fx.verify(t, &cp6), "earlier checkpoint at 6: event 6 has another hash: the chain was rewritten at or before event 6 after that checkpoint was signed")
	// The checkpoint at 3, before the rewrite, still holds.
	if rep := fx.verify(t, ptr(fx.checkpoint(t, 3))); !rep.OK() || rep.Extends != 3 {
		t.Fatalf("earlier checkpoint before the rewrite: %s", rep)
	}
}

// TestFinishVerifyFollowsALiveChain feeds a Verifier from the store as the
// service does, lets a command commit meanwhile, and checks that
// FinishVerify verifies the new events instead of reporting a head record
// ahead of them.
func TestFinishVerifyFollowsALiveChain(t *testing.T) {
	fx := newChainFixture(t)
	v := ledger.NewVerifier(testChain, fx.signer.Public())
	evs, err := fx.st.EventsAfter(fx.ctx, testChain, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	cps, err := fx.st.Checkpoints(fx.ctx, testChain, 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if err := v.Add(ev); err != nil {
			t.Fatal(err)
		}
		for _, cp := range cps {
			if cp.Seq == ev.Seq {
				if err := v.AddCheckpoint(cp); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	fx.command(t, 2)
	rep, err := fx.st.FinishVerify(fx.ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	wantOK(t, rep, 8, 4)
}
