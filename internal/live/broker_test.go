package live_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

func appendEvents(t *testing.T, st *store.Store, chain string, n int) map[string]int64 {
	t.Helper()
	appended, err := st.Write(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			if _, err := tx.Emit(context.Background(), chain, "system", "test.happened", ledger.VisPublic, map[string]int{"i": i}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return appended
}

// next returns the subscriber's next queued event, waiting up to timeout.
func next(sub *live.Subscriber, pending *[]ledger.Event, timeout time.Duration) (ledger.Event, bool) {
	deadline := time.After(timeout)
	for len(*pending) == 0 {
		select {
		case <-sub.Ready():
			*pending = sub.Take(1 << 20)
		case <-deadline:
			return ledger.Event{}, false
		}
	}
	ev := (*pending)[0]
	*pending = (*pending)[1:]
	return ev, true
}

func TestBrokerDeliversInOrder(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{})
	defer b.Close()
	appendEvents(t, st, "f1", 2) // before subscribing: not delivered
	sub, err := b.Subscribe(context.Background(), "f1")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := b.Subscribe(context.Background(), "f2")
	for i := 0; i < 3; i++ {
		b.NotifyAll(appendEvents(t, st, "f1", 2))
	}
	var pending []ledger.Event
	for want := int64(3); want <= 8; want++ {
		ev, ok := next(sub, &pending, 5*time.Second)
		if !ok {
			t.Fatalf("stuck waiting for seq %d", want)
		}
		if ev.Seq != want {
			t.Fatalf("got seq %d, want %d", ev.Seq, want)
		}
	}
	if evs := other.Take(1 << 20); len(evs) > 0 {
		t.Fatalf("a subscriber of f2 got %v", evs)
	}
	if s := b.Stats(); s.Subscribers != 2 || s.Delivered != 6 {
		t.Fatalf("stats %+v", s)
	}
}

func TestSlowSubscriberIsCutOff(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{QueueLen: 4})
	defer b.Close()
	slow, _ := b.Subscribe(context.Background(), "f")
	fast, _ := b.Subscribe(context.Background(), "f")
	got := make(chan int64, 100)
	go func() {
		var pending []ledger.Event
		for {
			ev, ok := next(fast, &pending, 10*time.Second)
			if !ok {
				return
			}
			got <- ev.Seq
		}
	}()
	for i := 0; i < 10; i++ {
		b.NotifyAll(appendEvents(t, st, "f", 1))
		time.Sleep(2 * time.Millisecond)
	}
	select {
	case <-slow.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a subscriber that never reads was not cut off")
	}
	if !slow.Slow() {
		t.Fatal("cut off but not marked slow")
	}
	if n, _ := slow.Queued(); n > 4 {
		t.Fatalf("slow queue holds %d events, bound is 4", n)
	}
	for want := int64(1); want <= 10; want++ {
		select {
		case seq := <-got:
			if seq != want {
				t.Fatalf("fast subscriber got %d, want %d", seq, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("fast subscriber stuck at %d", want)
		}
	}
	if s := b.Stats(); s.CutOff != 1 || s.Subscribers != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCloseEndsSubscribers(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{})
	subs := make([]*live.Subscriber, 5)
	for i := range subs {
		subs[i], _ = b.Subscribe(context.Background(), fmt.Sprintf("c%d", i%2))
	}
	b.Close()
	for i, s := range subs {
		select {
		case <-s.Done():
		default:
			t.Fatalf("subscriber %d still open after Close", i)
		}
	}
	late, _ := b.Subscribe(context.Background(), "c0")
	select {
	case <-late.Done():
	default:
		t.Fatal("a subscriber after Close is open")
	}
}
