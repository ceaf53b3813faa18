package opinion

// RandIndex compares two labellings of the same items: ri is the share of
// pairs of items on which they agree (both together, or both apart), ari the
// adjusted Rand index (0 for chance, 1 for identical partitions). Labels are
// any non-negative integers; a and b must have the same length.
func RandIndex(a, b []int) (ri, ari float64) {
	n := len(a)
	if n < 2 || len(b) != n {
		return 1, 1
	}
	type pair struct{ x, y int }
	cell := map[pair]float64{}
	ra, rb := map[int]float64{}, map[int]float64{}
	for i := range a {
		cell[pair{a[i], b[i]}]++
		ra[a[i]]++
		rb[b[i]]++
	}
	c2 := func(x float64) float64 { return x * (x - 1) / 2 }
	var sij, sa, sb float64
	for _, v := range cell {
		sij += c2(v)
	}
	for _, v := range ra {
		sa += c2(v)
	}
	for _, v := range rb {
		sb += c2(v)
	}
	total := c2(float64(n))
	// Pairs together in both: sij; apart in both: total - sa - sb + sij.
	ri = (total - sa - sb + 2*sij) / total
	expected := sa * sb / total
	maxIdx := (sa + sb) / 2
	if maxIdx == expected {
		return ri, 1
	}
	ari = (sij - expected) / (maxIdx - expected)
	return ri, ari
}
