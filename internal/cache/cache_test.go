package cache

import (
	"errors"
	"testing"
)

func TestAValueLastsUntilItsChainMoves(t *testing.T) {
	g := NewGenerations()
	c := New(g, Options{})
	calls := 0
	get := func(chain string) int {
		v, err := Get(c, chain, "k", func() (int, error) { calls++; return calls, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get("f1") != 1 {
		t.Fatal("first value")
	}
	if get("f1") != 1 {
		t.Fatal("a kept value was computed again")
	}
	if get("f2") != 2 {
		t.Fatal("another chain's value")
	}
	g.Bump("f2")
	if get("f1") != 1 {
		t.Fatal("a change of f2 dropped f1's value")
	}
	if get("f2") != 3 {
		t.Fatal("a change of f2 kept its old value")
	}
	g.Bump("f1")
	if get("f1") != 4 {
		t.Fatal("a change of f1 kept its old value")
	}
	if get(Forever) != 5 {
		t.Fatal("forever")
	}
	g.BumpAll()
	if get(Forever) != 5 {
		t.Fatal("a value that never changes was dropped")
	}
	if get("f1") != 6 || get("f2") != 7 {
		t.Fatal("BumpAll left a value valid")
	}
	anyGen := c.Generation(Any)
	g.Bump("f9")
	if c.Generation(Any) == anyGen {
		t.Fatal("Any did not move with a chain")
	}
}

func TestAValueComputedWhileItsChainMovedIsNotKept(t *testing.T) {
	g := NewGenerations()
	c := New(g, Options{})
	_, _ = Get(c, "f", "k", func() (int, error) { g.Bump("f"); return 1, nil })
	if _, ok := c.Lookup("f", "k"); ok {
		t.Fatal("a value computed across a change was kept")
	}
}

func TestErrorsAreNotKept(t *testing.T) {
	c := New(NewGenerations(), Options{})
	boom := errors.New("boom")
	if _, err := Get(c, "f", "k", func() (int, error) { return 0, boom }); err != boom {
		t.Fatal(err)
	}
	if _, ok := c.Lookup("f", "k"); ok {
		t.Fatal("an error's value was kept")
	}
}

func TestBounds(t *testing.T) {
	g := NewGenerations()
	c := New(g, Options{MaxEntries: 10, MaxBytes: 1600})
	for i := 0; i < 100; i++ {
		c.Put("f", string(rune('a'+i%26))+string(rune('a'+i/26)), c.Generation("f"), i, 90)
		if len(c.entries) > 10 || c.bytes > 1600 {
			t.Fatalf("after %d puts: %d entries, %d bytes", i+1, len(c.entries), c.bytes)
		}
	}
	c.Put("f", "big", c.Generation("f"), 0, 1600/16+1)
	if _, ok := c.Lookup("f", "big"); ok {
		t.Fatal("a value larger than a sixteenth of the bound was kept")
	}
}
