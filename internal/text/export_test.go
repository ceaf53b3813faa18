package text

// DiffBody exposes diffBody to the benchmarks of package text_test.
var DiffBody = diffBody

// NaturalLess exposes naturalLess to the tests of package text_test.
var NaturalLess = naturalLess
