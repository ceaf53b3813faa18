package meetings

import (
	"encoding/json"
	"testing"

	"github.com/plenary-forum/plenary/internal/ledger"
)

// The filter a meeting's streams share accepts the events that name the
// meeting and no others, whatever order its subscribers ask in.
func TestMeetingFilterIsSharedAndExact(t *testing.T) {
	f := filterOf("m-1")
	if filterOf("m-1") != f || filterOf("m-2") == f {
		t.Fatal("streams of one meeting do not share one filter, or two meetings share one")
	}
	ev := func(seq int64, meeting string) ledger.Event {
		p, _ := json.Marshal(map[string]any{"meeting": meeting, "title": "x"})
		return ledger.Event{Seq: seq, Payload: p}
	}
	for _, c := range []struct {
		ev   ledger.Event
		want bool
	}{
		{ev(1, "m-1"), true}, {ev(1, "m-1"), true}, {ev(2, "m-2"), false}, {ev(2, "m-2"), false},
		{ev(3, "m-1"), true}, {ev(4, ""), false}, {ledger.Event{Seq: 5}, false}, {ev(3, "m-1"), true},
	} {
		if got := f.accept(c.ev); got != c.want {
			t.Errorf("event %d (%s): accepted %v, want %v", c.ev.Seq, c.ev.Payload, got, c.want)
		}
	}
}
