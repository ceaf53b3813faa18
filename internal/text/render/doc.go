// Package render writes the texts of package text as Markdown and plain
// text, the way package export writes them as HTML. A draft is written in
// the two formats package parse reads back: Markdown in the convention
// parse.Markdown states (Markdown), and numbered plain text (Plain). A
// compilation of proposals (CompilationMarkdown), a redline between two
// revisions (RedlineMarkdown) and inline changes (ChangesMarkdown) are
// written as Markdown with insertions in **bold** and deletions in
// ~~strikethrough~~. It imports text; text does not import it.
//
// Like package text, it is pure: no I/O, no clock, deterministic to the
// byte.
package render
