package live_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// A filtered stream sends the events it accepts in full, with their name,
// and the others as their id alone, so that a client resuming with
// Last-Event-ID neither misses nor repeats an event.
func TestFilteredStreamSendsOthersAsTheirID(t *testing.T) {
	st := storetest.New(t)
	b := live.NewBroker(st, live.Options{})
	ctx := context.Background()
	for i, m := range []string{"m1", "m2", "m1", "m2"} {
		if _, err := st.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Emit(ctx, "f", "system", []string{"floor.requested", "floor.given", "meeting.updated", "floor.given"}[i], ledger.VisPublic, map[string]any{"meeting": m})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	filter := func(ev ledger.Event) bool {
		var p struct{ Meeting string }
		_ = json.Unmarshal(ev.Payload, &p)
		return p.Meeting == "m1"
	}
	name := func(ev ledger.Event) string { typ, _, _ := strings.Cut(ev.Type, "."); return typ }
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = live.Stream{Broker: b, Source: st, Chain: "f", Rights: live.Rights{CanSee: func(string) bool { return true }},
			Filter: filter, Name: name}.Serve(w, r, 0)
	}))
	defer hs.Close()
	defer b.Close()
	resp, err := http.Get(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make(chan []string, 1)
	go func() {
		var lines []string
		sc := bufio.NewScanner(resp.Body)
		ids := 0
		for sc.Scan() {
			l := sc.Text()
			if strings.HasPrefix(l, "id:") || strings.HasPrefix(l, "event:") || strings.HasPrefix(l, "data:") {
				lines = append(lines, strings.SplitN(l, " ", 2)[0]+" "+firstField(l))
			}
			if strings.HasPrefix(l, "id:") {
				ids++
			}
			if ids == 4 && l == "" {
				break
			}
		}
		got <- lines
	}()
	select {
	case lines := <-got:
		want := "id: 1|event: floor|data: m1|id: 2|id: 3|event: meeting|data: m1|id: 4"
		if strings.Join(lines, "|") != want {
			t.Fatalf("stream:\n%s\nwant:\n%s", strings.Join(lines, "|"), want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not arrive")
	}
}

// firstField is the id, the event name, or the meeting of a data line.
func firstField(l string) string {
	k, v, _ := strings.Cut(l, ": ")
	if k != "data" {
		return v
	}
	var e struct {
		Payload struct{ Meeting string }
	}
	_ = json.Unmarshal([]byte(v), &e)
	return e.Payload.Meeting
}
