package text

// DiffBody exposes diffBody to the benchmarks of package text_test.
var DiffBody = diffBody
