// Package parse imports draft texts: it reads Markdown (Markdown, whose doc
// comment states the convention, the one render.Markdown writes) and
// numbered plain text (Plain) into a text.Draft. It recognises provisions by
// their list markers and numbers ("1.", "a)", "(a)", "3.1", "Article 3"),
// groups of clauses by their intro words ("considering", "invites": see
// IntroKind), and square brackets with alternatives ("[a / b]"). It keeps a
// label as written only where the automatic numbering would give another
// (text.Draft.AppendImported).
//
// Like package text, it is pure: no I/O, no clock, deterministic to the
// byte. Errors on bad input are *plenary.Error values (invalid) naming the
// line.
package parse
