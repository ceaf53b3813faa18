package forum_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Concurrent grouped commands: those that fail (by error or panic, after
// writing) leave nothing, the others are all committed, each with its own
// event, on a chain that verifies and whose checkpoint signs its head.
func TestGroupCommandKeepsEachCommandApart(t *testing.T) {
	fx := fixture.NewSite(t)
	f := fx.Forum(t, "wtpf-13")
	k := fx.Svc.Kernel
	before, err := fx.St.HeadSeq(fx.Ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	const n = 48
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := fixture.In(t, k, fx.Admin, f.Slug)
			ctx := context.Background()
			if i%8 == 3 {
				// A caller that has gone away before its command ran:
				// its command fails alone.
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				cancel()
			}
			errs[i] = k.GroupCommand(ctx, sc, "test.Grouped", func(tx *store.Tx, sc *forum.Scope) error {
				if sc.Forum.ID != f.ID {
					return fmt.Errorf("the command's scope is in forum %s", sc.Forum.ID)
				}
				if _, err := tx.Emit(ctx, f.ID, sc.Actor.LedgerID(), "test.grouped", ledger.VisPublic, map[string]any{"i": i}); err != nil {
					return err
				}
				switch {
				case i%4 == 1:
					return errors.New("refused")
				case i == 6:
					panic("a bug")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	want := map[float64]bool{}
	for i, err := range errs {
		ok := i%4 != 1 && i != 6 && i%8 != 3
		switch {
		case ok && err != nil:
			t.Errorf("command %d failed: %v", i, err)
		case !ok && err == nil:
			t.Errorf("command %d, which fails, returned no error", i)
		case !ok:
			var ce *forum.CommandError
			if !errors.As(err, &ce) || ce.Command != "test.Grouped" {
				t.Errorf("command %d's error is %v, not the command's", i, err)
			}
		}
		if ok {
			want[float64(i)] = true
		}
	}
	evs, err := fx.St.EventsAfter(fx.Ctx, f.ID, before, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	for j, ev := range evs {
		if ev.Seq != before+int64(j)+1 || ev.Type != "test.grouped" {
			t.Fatalf("event %d is %d %s", j, ev.Seq, ev.Type)
		}
		i := fixture.Payload(t, ev)["i"].(float64)
		if !want[i] {
			t.Errorf("the event of command %v, which failed, is on the ledger", i)
		}
		got = append(got, i)
	}
	sort.Float64s(got)
	if len(got) != len(want) {
		t.Fatalf("%d events on the ledger, want %d: %v", len(got), len(want), got)
	}
	rep, err := fx.St.VerifyChain(fx.Ctx, f.ID, ledger.VerifyOptions{Keys: []ed25519.PublicKey{fx.Signer.Public()}})
	if err != nil || !rep.OK() {
		t.Fatalf("the chain does not verify: %v %+v", err, rep)
	}
	cp, err := fx.St.LatestCheckpoint(fx.Ctx, f.ID)
	if err != nil || cp.Seq != evs[len(evs)-1].Seq || cp.Hash != evs[len(evs)-1].Hash {
		t.Fatalf("the latest checkpoint %+v does not sign the head (%v)", cp, err)
	}
}

// What is kept of a forum's configuration (its row, rights matrix, groups,
// a participant's standings) outlasts a grouped command, which changes
// none of it, and not any other command.
func TestGroupedCommandsKeepTheConfigurationCached(t *testing.T) {
	fx := fixture.NewSite(t)
	f := fx.Forum(t, "wtpf-13")
	k := fx.Svc.Kernel
	ctx := context.Background()
	venue := func() string {
		t.Helper()
		got, err := k.ForumByID(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Venue
	}
	groups := func() int {
		t.Helper()
		gs, err := k.Groups(ctx, fx.St, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(gs)
	}
	event := func(grouped bool) {
		t.Helper()
		sc := fixture.In(t, k, fx.Admin, f.Slug)
		fn := func(tx *store.Tx, sc *forum.Scope) error {
			_, err := tx.Emit(ctx, f.ID, sc.Actor.LedgerID(), "test.note", ledger.VisPublic, map[string]any{"grouped": grouped})
			return err
		}
		var err error
		if grouped {
			err = k.GroupCommand(ctx, sc, "test.Grouped", fn)
		} else {
			err = k.Command(ctx, sc, "test.Single", fn)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	wasVenue, wasGroups := venue(), groups()
	// Changed behind the commands' back, so that a value read again shows.
	if _, err := fx.St.ExecContext(ctx, "UPDATE forums SET venue = ? WHERE id = ?", "Elsewhere", f.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.St.ExecContext(ctx, `INSERT INTO stakeholder_groups (forum_id, group_key, name, plural, description, position, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, "test_group", "Test group", "Test groups", "", 99, 0); err != nil {
		t.Fatal(err)
	}
	event(true)
	if got := venue(); got != wasVenue {
		t.Errorf("after a grouped command the forum was read again: venue %q, want the kept %q", got, wasVenue)
	}
	if got := groups(); got != wasGroups {
		t.Errorf("after a grouped command the groups were read again: %d, want the kept %d", got, wasGroups)
	}
	event(false)
	if got := venue(); got != "Elsewhere" {
		t.Errorf("after a command the forum is still the kept one: venue %q", got)
	}
	if got := groups(); got != wasGroups+1 {
		t.Errorf("after a command the groups are still the kept ones: %d, want %d", got, wasGroups+1)
	}
	// Another process's commit moves the configuration too.
	if _, err := fx.St.ExecContext(ctx, "UPDATE forums SET venue = ? WHERE id = ?", "Third place", f.ID); err != nil {
		t.Fatal(err)
	}
	k.Remote(f.ID)
	if got := venue(); got != "Third place" {
		t.Errorf("after another process's commit the forum is still the kept one: venue %q", got)
	}
}
