package web

import (
	"errors"
	"testing"
)

type fakeGen struct{ n int64 }

func (g *fakeGen) Generation() int64 { return g.n }

func TestMemoKeepsValuesUntilTheNextEvent(t *testing.T) {
	g := &fakeGen{n: 1}
	m := &memo{values: map[string]any{}, broker: g}
	calls := 0
	compute := func() (any, error) { calls++; return calls, nil }
	if v, _ := m.get("k", compute); v != 1 {
		t.Fatalf("first: %v", v)
	}
	if v, _ := m.get("k", compute); v != 1 || calls != 1 {
		t.Fatalf("second: %v after %d computations; want the kept 1", v, calls)
	}
	g.n++ // a ledger event
	if v, _ := m.get("k", compute); v != 2 {
		t.Fatalf("after an event: %v, want a fresh 2", v)
	}
	boom := errors.New("database away")
	if _, err := m.get("e", func() (any, error) { return nil, boom }); err != boom {
		t.Fatalf("error not returned: %v", err)
	}
	if v, err := m.get("e", func() (any, error) { return "ok", nil }); err != nil || v != "ok" {
		t.Fatalf("an error was kept: %v %v", v, err)
	}
	// A value computed while an event happened is not kept.
	v, _ := m.get("race", func() (any, error) { g.n++; return "stale", nil })
	if v != "stale" {
		t.Fatal(v)
	}
	if v, _ := m.get("race", func() (any, error) { return "fresh", nil }); v != "fresh" {
		t.Fatalf("a value computed across an event was kept: %v", v)
	}
}
