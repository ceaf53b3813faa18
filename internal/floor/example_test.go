package floor_test

import (
	"fmt"

	"github.com/plenary-forum/plenary/internal/floor"
)

// A working group under protocol precedence: the point of order goes first,
// then the head of delegation, then the delegate who asked first.
func Example() {
	at := int64(1368698400000) // 16 May 2013, 10:00 UTC
	events := []floor.Event{
		{Type: floor.Configured, At: at, Policy: &floor.Policy{Precedence: true}},
		{Type: floor.ItemOpened, At: at + 1000, Item: "opinion-1"},
		{Type: floor.Requested, At: at + 2000, Request: &floor.Request{ID: "r1", Kind: floor.Speak, Speaker: "p-us", PartyName: "United States", Origin: floor.Room, Rank: 3}},
		{Type: floor.Requested, At: at + 3000, Request: &floor.Request{ID: "r2", Kind: floor.Speak, Speaker: "p-br", PartyName: "Brazil", Origin: floor.Room, Rank: 2}},
		{Type: floor.Requested, At: at + 4000, Request: &floor.Request{ID: "r3", Kind: floor.PointOfOrder, Speaker: "p-es", PartyName: "Spain", Origin: floor.Room}},
	}
	s, err := floor.Replay(events)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Policy().Describe())
	for _, p := range s.Order() {
		fmt.Printf("%d. %s: %s\n", p.Position, p.PartyName, p.Why)
	}
	// Output:
	// Order of request, with protocol precedence.
	// 1. Spain: Point of order: points of order go before every speaker, first come first served.
	// 2. Brazil: Protocol precedence (a head of delegation).
	// 3. United States: Order of request: asked at 10:00:02 UTC.
}
