package consultation

// SetNumberChunk sets how many comment numbers a query names at most, and
// returns a function that restores it.
func SetNumberChunk(n int) (restore func()) {
	was := numberChunk
	numberChunk = n
	return func() { numberChunk = was }
}
