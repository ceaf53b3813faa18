package live_test

import (
	"context"
	"fmt"
	"strings"
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

// next returns the frames of the window past *cursor, waiting up to
// timeout for the chain to advance, and moves the cursor.
func next(sub *live.Subscriber, cursor *int64, timeout time.Duration) []*live.Frame {
	deadline := time.After(timeout)
	for {
		if frames, _ := sub.After(*cursor); len(frames) > 0 {
			*cursor = frames[len(frames)-1].Event.Seq
			return frames
		}
		select {
		case <-sub.Ready():
		case <-deadline:
			return nil
		}
	}
}

func TestBrokerDeliversInOrder(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{})
	defer b.Close()
	appendEvents(t, st, "f1", 2) // before subscribing: not in the window
	sub, err := b.Subscribe(context.Background(), "f1")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := b.Subscribe(context.Background(), "f2")
	for i := 0; i < 3; i++ {
		b.NotifyAll(appendEvents(t, st, "f1", 2))
	}
	cursor := int64(2)
	for want := int64(3); want <= 8; {
		frames := next(sub, &cursor, 5*time.Second)
		if frames == nil {
			t.Fatalf("stuck waiting for seq %d", want)
		}
		for _, f := range frames {
			if f.Event.Seq != want {
				t.Fatalf("got seq %d, want %d", f.Event.Seq, want)
			}
			if want := fmt.Sprintf("id: %d\ndata: {", want); !strings.HasPrefix(string(f.Data), want) || !strings.HasSuffix(string(f.Data), "}\n\n") {
				t.Fatalf("frame %q", f.Data)
			}
			if string(f.ID) != fmt.Sprintf("id: %d\n\n", want) {
				t.Fatalf("id frame %q", f.ID)
			}
			want++
		}
	}
	if frames, behind := other.After(0); len(frames) > 0 || behind {
		t.Fatalf("a subscriber of f2 got %v (behind %v)", frames, behind)
	}
	if s := b.Stats(); s.Subscribers != 2 || s.Events != 6 || s.Encodes != 6 {
		t.Fatalf("stats %+v", s)
	}
}

// Every subscriber of a chain reads the same frames, encoded once, and
// the window keeps only the newest events: a cursor older than the window
// is behind.
func TestWindowIsSharedAndBounded(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{WindowLen: 4})
	defer b.Close()
	one, _ := b.Subscribe(context.Background(), "f")
	two, _ := b.Subscribe(context.Background(), "f")
	for i := 0; i < 10; i++ {
		b.NotifyAll(appendEvents(t, st, "f", 1))
	}
	for start := time.Now(); ; {
		if frames, _ := one.After(9); len(frames) == 1 {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("event 10 did not reach the window")
		}
		time.Sleep(time.Millisecond)
	}
	a, behindA := one.After(6)
	c, behindC := two.After(6)
	if behindA || behindC || len(a) != 4 || len(c) != 4 {
		t.Fatalf("after 6: %d and %d frames (behind %v %v), want the window's 4", len(a), len(c), behindA, behindC)
	}
	for i := range a {
		if a[i] != c[i] || &a[i].Data[0] != &c[i].Data[0] {
			t.Fatalf("frame %d is not shared", i)
		}
	}
	if _, behind := one.After(5); !behind {
		t.Fatal("a cursor older than the window is not behind")
	}
	if s := b.Stats(); s.Events != 10 || s.Encodes != 10 {
		t.Fatalf("stats %+v: want one encoding per event", s)
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
