// Package worddiff is the bounded word and line diff beneath package text:
// the tokenizer, and the diff that turns one list of tokens into another.
// It knows nothing of drafts, provisions or brackets. It is pure: no I/O,
// no clock, no randomness in its results, deterministic to the byte.
//
// Tokenize splits text into words, spaces and punctuation such that joining
// the tokens gives the text back; SplitLines does the same with lines, and
// CountWords counts the words. DiffTokens, DiffWords and DiffLines return
// Edits that turn the old tokens into the new ones exactly (ApplyEdits);
// CheckEdits validates edits that come from elsewhere, such as a stored
// proposal. Hunks and MergeHunks give the changed regions themselves, for a
// caller that keeps its own data beside each token (package text diffs
// provision bodies in which a bracket is one token).
//
// The diff is patience-anchored with a budgeted Myers fallback that degrades
// to replacing a whole span, so it is O(n log n) on any input, including
// inputs built to defeat it (BenchmarkDiffAdversarial).
package worddiff
