package floor

import (
	"strconv"
	"testing"
)

// benchPolicy is every policy at once.
func benchPolicy() Policy {
	return Policy{Precedence: true, Rotation: []string{"member_state", "civil_society", "technical_community", "private_sector"},
		Alternate: Alternation{4, 2}, LeastSpoken: true, Lots: true, Seed: 42, Budgets: map[string]int64{"group:observer": 600}}
}

// benchQueue is a state with n requests waiting under p: the tests' people
// in turn, each request by a different speaker, one in 50 a point of order.
func benchQueue(b *testing.B, n int, p Policy) (*State, int64) {
	b.Helper()
	s := New()
	now := t0
	if err := s.Apply(Event{Type: Configured, Policy: &p, At: now}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		now += 1000
		pp := people[i%len(people)]
		r := pp.req("r"+strconv.Itoa(i), Speak)
		r.Speaker += strconv.Itoa(i)
		if i%50 == 0 {
			r.Kind = PointOfOrder
		}
		if err := s.Apply(Event{Type: Requested, Request: r, At: now}); err != nil {
			b.Fatal(err)
		}
	}
	return s, now
}

func benchOrder(b *testing.B, n int, p Policy) {
	s, now := benchQueue(b, n, p)
	b.ReportAllocs()
	for b.Loop() {
		if len(s.OrderAt(now)) != n {
			b.Fatal("short order")
		}
	}
}

// BenchmarkOrder500 recomputes the order of a queue of 500 requests under
// every policy at once.
func BenchmarkOrder500(b *testing.B) { benchOrder(b, 500, benchPolicy()) }

// BenchmarkOrder5000 is the same with 5,000 requests.
func BenchmarkOrder5000(b *testing.B) { benchOrder(b, 5000, benchPolicy()) }

// BenchmarkOrderPolicies recomputes the order of 500 requests under each
// policy alone.
func BenchmarkOrderPolicies(b *testing.B) {
	all := benchPolicy()
	for _, c := range []struct {
		name string
		p    Policy
	}{
		{"request", Policy{}},
		{"precedence", Policy{Precedence: true}},
		{"rotation", Policy{Rotation: all.Rotation}},
		{"alternation", Policy{Alternate: all.Alternate}},
		{"least_spoken", Policy{LeastSpoken: true}},
		{"lots", Policy{Lots: true, Seed: 42}},
		{"budgets", Policy{Budgets: all.Budgets}},
	} {
		b.Run(c.name, func(b *testing.B) { benchOrder(b, 500, c.p) })
	}
}
