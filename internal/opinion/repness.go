package opinion

import (
	"cmp"
	"math"
	"slices"
)

// zCritical is the one-sided 90 % critical value Polis uses.
const zCritical = 1.2816

// counts are the votes on each statement by each group, and by everyone
// counted (all).
type counts struct {
	k, nc            int
	agree, dis, seen []int32 // [g*nc + c]
	allA, allD, allS []int32 // [c]
}

func (m *matrix) tally(assign []int, k int) *counts {
	nc := m.nCols
	// One count per (group, statement, vote), the vote's value + 1
	// indexing it: no branch per vote. Row k holds those of no group.
	n := make([]int32, 3*(k+1)*nc)
	for r, g := range assign {
		if g < 0 {
			g = k
		}
		cell := n[3*g*nc : 3*(g+1)*nc]
		lo, hi := m.start[r], m.start[r+1]
		raw := m.raw[lo:hi]
		for i, c := range m.col[lo:hi] {
			cell[3*int(c)+int(raw[i])+1]++
		}
	}
	return fold(n, k, nc)
}

// fold makes the counts of k groups over nc statements from n, the count
// of each (group, statement, vote value + 1), group k being no group's.
func fold(n []int32, k, nc int) *counts {
	t := &counts{k: k, nc: nc,
		agree: make([]int32, k*nc), dis: make([]int32, k*nc), seen: make([]int32, k*nc),
		allA: make([]int32, nc), allD: make([]int32, nc), allS: make([]int32, nc)}
	for g := 0; g <= k; g++ {
		for c := 0; c < nc; c++ {
			x := n[3*(g*nc+c) : 3*(g*nc+c)+3]
			t.allD[c] += x[0]
			t.allA[c] += x[2]
			t.allS[c] += x[0] + x[1] + x[2]
			if g < k {
				j := g*nc + c
				t.dis[j], t.agree[j], t.seen[j] = x[0], x[2], x[0]+x[1]+x[2]
			}
		}
	}
	return t
}

// prob is Polis' smoothed probability (1+n)/(2+seen).
func prob(n, seen int32) float64 { return (1 + float64(n)) / (2 + float64(seen)) }

// pTest is the one-proportion statistic of n successes in seen trials
// against one half, with the same smoothing.
func pTest(n, seen int32) float64 {
	s, t := float64(n)+1, float64(seen)+1
	return 2 * math.Sqrt(t) * (s/t - 0.5)
}

// twoPropTest is the two-proportion statistic of n1/s1 against n2/s2, each
// smoothed by one success in one trial.
func twoPropTest(n1, s1, n2, s2 int32) float64 {
	a1, b1 := float64(n1)+1, float64(s1)+1
	a2, b2 := float64(n2)+1, float64(s2)+1
	p1, p2 := a1/b1, a2/b2
	p := (a1 + a2) / (b1 + b2)
	d := math.Sqrt(p * (1 - p) * (1/b1 + 1/b2))
	if d == 0 {
		return 0
	}
	return (p1 - p2) / d
}

func analyse(t *counts, labels []string, maxRep int, sid []int) Analysis {
	a := Analysis{Groups: make([]Group, t.k)}
	for g := range a.Groups {
		a.Groups[g].Label = labels[g]
	}
	for g := 0; g < t.k; g++ {
		var agree, dis []Rep
		for c := 0; c < t.nc; c++ {
			j := g*t.nc + c
			na, nd, ns := t.agree[j], t.dis[j], t.seen[j]
			if ns == 0 {
				continue
			}
			ra, rd, rs := t.allA[c]-na, t.allD[c]-nd, t.allS[c]-ns
			for side := 0; side < 2; side++ {
				n, rn := na, ra
				if side == 1 {
					n, rn = nd, rd
				}
				p, pr := prob(n, ns), prob(rn, rs)
				z, zp := twoPropTest(n, ns, rn, rs), pTest(n, ns)
				if p <= pr || z < zCritical || zp < zCritical {
					continue
				}
				r := Rep{Statement: sid[c], Agrees: int(na), Disagrees: int(nd), Seen: int(ns),
					P: p, PRest: pr, Z: z, ZP: zp, Metric: p / pr * z * p * zp}
				if side == 0 {
					agree = append(agree, r)
				} else {
					dis = append(dis, r)
				}
			}
		}
		a.Groups[g].Agree = topReps(agree, maxRep)
		a.Groups[g].Disagree = topReps(dis, maxRep)
	}
	a.GroupConsensus = groupConsensus(t, sid)
	a.Splits, a.Bridging = splitsAndBridges(t, sid)
	return a
}

func topReps(r []Rep, n int) []Rep {
	before := func(a, b Rep) int {
		if a.Metric != b.Metric {
			return descending(a.Metric, b.Metric)
		}
		return cmp.Compare(a.Statement, b.Statement)
	}
	if n <= 0 {
		return r[:0]
	}
	if len(r) > 4*n {
		// Keep the n best in a sorted prefix, then sort only those: the
		// same n, in the same order, as sorting them all.
		best := make([]Rep, 0, n+1)
		for _, x := range r {
			if len(best) == n && before(x, best[n-1]) >= 0 {
				continue
			}
			at, _ := slices.BinarySearchFunc(best, x, before)
			for at < len(best) && before(best[at], x) == 0 {
				at++ // after its equals, as a stable sort would
			}
			best = slices.Insert(best, at, x)
			if len(best) > n {
				best = best[:n]
			}
		}
		return best
	}
	slices.SortStableFunc(r, before)
	if len(r) > n {
		r = r[:n]
	}
	return r
}

// groupConsensus ranks statements by the product over groups of pa (or
// pd), keeping those where the product exceeds what it would be were every
// group split evenly (0.5^k), best first; a statement some group has not
// voted on is left out.
func groupConsensus(t *counts, sid []int) []Consensus {
	var out []Consensus
	floor := math.Pow(0.5, float64(t.k))
	for c := 0; c < t.nc; c++ {
		pa, pd := 1.0, 1.0
		ok := true
		for g := 0; g < t.k; g++ {
			j := g*t.nc + c
			if t.seen[j] == 0 {
				ok = false
				break
			}
			pa *= prob(t.agree[j], t.seen[j])
			pd *= prob(t.dis[j], t.seen[j])
		}
		if !ok || t.k == 0 {
			continue
		}
		if pa > floor {
			out = append(out, Consensus{Statement: sid[c], Agree: true, P: pa})
		}
		if pd > floor {
			out = append(out, Consensus{Statement: sid[c], Agree: false, P: pd})
		}
	}
	sortConsensus(out, func(x Consensus) float64 { return x.P })
	return out
}

func sortConsensus(out []Consensus, key func(Consensus) float64) {
	slices.SortStableFunc(out, func(x, y Consensus) int {
		a, b := key(x), key(y)
		if a != b {
			return descending(a, b)
		}
		if x.Statement != y.Statement {
			return cmp.Compare(x.Statement, y.Statement)
		}
		switch {
		case x.Agree == y.Agree:
			return 0
		case x.Agree:
			return -1
		}
		return 1
	})
}

// consensus lists the statements a significant majority of everyone
// counted agrees (or disagrees) with, ranked by p·z.
func consensus(t *counts, sid []int) []Consensus {
	var out []Consensus
	for c := 0; c < t.nc; c++ {
		if t.allS[c] == 0 {
			continue
		}
		for side := 0; side < 2; side++ {
			n := t.allA[c]
			if side == 1 {
				n = t.allD[c]
			}
			p, z := prob(n, t.allS[c]), pTest(n, t.allS[c])
			if p > 0.5 && z >= zCritical {
				out = append(out, Consensus{Statement: sid[c], Agree: side == 0, P: p, Z: z})
			}
		}
	}
	sortConsensus(out, func(x Consensus) float64 { return x.P * x.Z })
	return out
}

// splitsAndBridges finds the statements that divide the groups, and the
// statements every group agrees (or disagrees) with although the groups are
// divided elsewhere. See the package documentation for the definitions.
func splitsAndBridges(t *counts, sid []int) ([]Split, []Bridge) {
	if t.k < 2 {
		return nil, nil
	}
	var splits []Split
	type sides struct{ agree, dis []bool }
	per := make([]sides, t.nc)
	for c := 0; c < t.nc; c++ {
		s := sides{make([]bool, t.k), make([]bool, t.k)}
		var ag, dg []int
		lo, hi := math.Inf(1), math.Inf(-1)
		for g := 0; g < t.k; g++ {
			j := g*t.nc + c
			if t.seen[j] == 0 {
				continue
			}
			if pTest(t.agree[j], t.seen[j]) >= zCritical {
				s.agree[g] = true
				ag = append(ag, g)
			}
			if pTest(t.dis[j], t.seen[j]) >= zCritical {
				s.dis[g] = true
				dg = append(dg, g)
			}
			p := prob(t.agree[j], t.seen[j])
			lo, hi = min(lo, p), max(hi, p)
		}
		per[c] = s
		if len(ag) > 0 && len(dg) > 0 {
			splits = append(splits, Split{Statement: sid[c], AgreeGroups: ag, DisagreeGroups: dg, Spread: hi - lo})
		}
	}
	slices.SortStableFunc(splits, func(a, b Split) int {
		if a.Spread != b.Spread {
			return descending(a.Spread, b.Spread)
		}
		return cmp.Compare(a.Statement, b.Statement)
	})
	// Every group takes part in a bridge; count the statements that split
	// all of them, i.e. on which some pair of groups is divided.
	if len(splits) == 0 {
		return splits, nil
	}
	var bridges []Bridge
	for c := 0; c < t.nc; c++ {
		for side := 0; side < 2; side++ {
			all := true
			minP := 1.0
			for g := 0; g < t.k; g++ {
				j := g*t.nc + c
				if side == 0 && !per[c].agree[g] || side == 1 && !per[c].dis[g] {
					all = false
					break
				}
				n := t.agree[j]
				if side == 1 {
					n = t.dis[j]
				}
				minP = min(minP, prob(n, t.seen[j]))
			}
			if all {
				bridges = append(bridges, Bridge{Statement: sid[c], Agree: side == 0, MinP: minP, Splits: len(splits)})
			}
		}
	}
	slices.SortStableFunc(bridges, func(a, b Bridge) int {
		if a.MinP != b.MinP {
			return descending(a.MinP, b.MinP)
		}
		return cmp.Compare(a.Statement, b.Statement)
	})
	return splits, bridges
}

// descending orders a before b when a is the larger; unordered values
// (NaN) compare equal.
func descending(a, b float64) int {
	switch {
	case a > b:
		return -1
	case b > a:
		return 1
	}
	return 0
}
