package opinion

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// planted makes a synthetic conversation with four planted groups: group g
// holds the positions (a, b) = (g&1, g>>1) on two axes; statements
// alternate between the axes, and a member agrees with a statement of its
// axis with probability 0.85 (axis a) or 0.75 (axis b) when its position is
// 1, disagrees with that probability when it is 0, and passes one time in
// ten. One statement in 50 is agreed by everyone with probability 0.9. The
// groups hold 40, 30, 20 and 10 % of the participants. Each participant
// votes on about votes/participants random statements.
func planted(participants, statements, votes int, seed uint64) (Votes, []int) {
	rng := newRand(seed)
	truth := make([]int, participants)
	for p := range truth {
		switch x := rng.float(); {
		case x < 0.4:
			truth[p] = 0
		case x < 0.7:
			truth[p] = 1
		case x < 0.9:
			truth[p] = 2
		default:
			truth[p] = 3
		}
	}
	out := make(Votes, 0, votes)
	for i := 0; i < votes; i++ {
		p := i % participants
		s := rng.intn(statements)
		g := truth[p]
		var v int8
		switch {
		case rng.float() < 0.1:
			v = 0
		case s%50 == 0:
			v = -1
			if rng.float() < 0.9 {
				v = 1
			}
		default:
			pos, strength := g&1, 0.85
			if s%2 == 1 {
				pos, strength = g>>1, 0.75
			}
			agree := rng.float() < strength
			if pos == 0 {
				agree = !agree
			}
			v = -1
			if agree {
				v = 1
			}
		}
		out = append(out, Vote{Participant: p, Statement: s, Value: v})
	}
	return out, truth
}

// peakHeap runs f while sampling the live heap every millisecond, and
// returns the largest sample.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	metrics.Read(sample)
	close(done)
	wg.Wait()
	return max(peak, sample[0].Value.Uint64())
}

var benchSizes = []struct{ participants, statements, votes int }{
	{10_000, 1_000, 300_000},
	{100_000, 5_000, 3_000_000},
}

// cpuPerOp reports the CPU time per iteration of the loop it wraps
// (cpu-ms/op): on a shared machine the wall time per operation includes
// the time spent waiting for a core, the CPU time does not.
func cpuPerOp(b *testing.B, loop func()) {
	start, ok := cpuTime()
	loop()
	end, _ := cpuTime()
	if ok && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkOpinionMap recomputes the whole map (PCA, base clusters, groups
// for k = 2…5 with silhouettes, representative, consensus, bridging and
// split statements). Outside the timed loop it checks that the planted
// groups are found (Rand index at least 0.95) and reports the peak live
// heap of one computation, the votes included.
func BenchmarkOpinionMap(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("participants=%d/statements=%d/votes=%d", size.participants, size.statements, size.votes), func(b *testing.B) {
			votes, truth := planted(size.participants, size.statements, size.votes, 7)
			var m Map
			peak := peakHeap(func() { m = Compute(votes, Options{Seed: 1}) })
			got := make([]int, len(m.Counted))
			want := make([]int, len(m.Counted))
			for i, p := range m.Counted {
				got[i], want[i] = p.Group, truth[p.Participant]
			}
			ri, ari := RandIndex(got, want)
			if m.K != 4 || ri < 0.95 {
				b.Fatalf("found %d groups, Rand index %.4f (adjusted %.4f); want the 4 planted groups, at least 0.95", m.K, ri, ari)
			}
			b.ReportAllocs()
			cpuPerOp(b, func() {
				for b.Loop() {
					m = Compute(votes, Options{Seed: 1})
				}
			})
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.ReportMetric(ri, "rand")
			b.ReportMetric(float64(m.Iterations), "pca-iters")
		})
	}
}

// BenchmarkOpinionMapIncremental updates the map of 100,000 participants ×
// 5,000 statements × 3,000,000 votes with 1,000 new votes (Update, warm
// started from the map), against recomputing it (Compute) on all the votes.
// Outside the timed loop it checks that the updated map finds the planted
// groups. update-newcomers brings the 1,000 votes from 200 new
// participants, whom the map does not count yet.
func BenchmarkOpinionMapIncremental(b *testing.B) {
	const base, fresh = 3_000_000, 1_000
	votes, truth := planted(100_000, 5_000, base+fresh, 7)
	opts := Options{Seed: 1}
	prev := Compute(votes[:base], opts)
	m, err := Update(prev, votes[base:], opts)
	if err != nil {
		b.Fatal(err)
	}
	got := make([]int, len(m.Counted))
	want := make([]int, len(m.Counted))
	for i, p := range m.Counted {
		got[i], want[i] = p.Group, truth[p.Participant]
	}
	ri, ari := RandIndex(got, want)
	if m.K != 4 || ri < 0.95 {
		b.Fatalf("found %d groups, Rand index %.4f (adjusted %.4f); want the 4 planted groups, at least 0.95", m.K, ri, ari)
	}
	b.Run("update", func(b *testing.B) {
		b.ReportAllocs()
		cpuPerOp(b, func() {
			for b.Loop() {
				m, _ = Update(prev, votes[base:], opts)
			}
		})
		b.ReportMetric(float64(m.Iterations), "pca-iters")
		b.ReportMetric(ri, "rand")
	})
	// The same number of votes from 200 participants new to the map,
	// five each: too few to be counted, so the counted participants are
	// no longer every voter.
	newcomers := make(Votes, fresh)
	for i, v := range votes[base:] {
		v.Participant = 100_000 + i%200
		newcomers[i] = v
	}
	b.Run("update-newcomers", func(b *testing.B) {
		b.ReportAllocs()
		cpuPerOp(b, func() {
			for b.Loop() {
				m, _ = Update(prev, newcomers, opts)
			}
		})
		if m.Participants != 100_200 || len(m.Counted) != 100_000 || m.K != 4 {
			b.Fatalf("%d participants, %d counted, %d groups; want 100,200, 100,000, 4", m.Participants, len(m.Counted), m.K)
		}
		b.ReportMetric(float64(m.Iterations), "pca-iters")
	})
	b.Run("recompute", func(b *testing.B) {
		b.ReportAllocs()
		cpuPerOp(b, func() {
			for b.Loop() {
				m = Compute(votes, opts)
			}
		})
		b.ReportMetric(float64(m.Iterations), "pca-iters")
	})
}

// BenchmarkOpinionTally is the baseline: one pass over the same votes
// counting agrees, disagrees and passes per statement, what any tally of a
// consultation costs.
func BenchmarkOpinionTally(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("participants=%d/statements=%d/votes=%d", size.participants, size.statements, size.votes), func(b *testing.B) {
			votes, _ := planted(size.participants, size.statements, size.votes, 7)
			b.ReportAllocs()
			var total int
			for b.Loop() {
				counts := make([][3]int32, size.statements)
				for _, v := range votes {
					counts[v.Statement][v.Value+1]++
				}
				total += int(counts[0][2])
			}
			if total == 0 {
				b.Fatal("no agree counted on statement 0")
			}
		})
	}
}
