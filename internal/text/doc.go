// Package text models the texts a forum negotiates: draft texts made of
// provisions, proposals against them (ADD, MOD, SUP, NOC), the compilation
// of pending proposals with their collisions, square brackets with
// alternatives, revisions made by the editor's decisions with a drafting
// log, and redlines between revisions, over the word diff of package
// worddiff. It is pure: no I/O, no clock, no randomness, deterministic to
// the byte. Errors on bad input are *plenary.Error values (invalid or
// conflict) naming the field and the reason.
//
// # Drafts and provisions
//
// A Draft is one revision: a title, a revision number and an ordered list of
// Provisions. Each provision has a stable id ("p1", "p2"... from the
// counter Draft.NextProvision, never reused, carried from revision to
// revision), a Kind (heading, preamble, operative, article, paragraph), the
// Intro clause word of its group ("considering", "is of the view",
// "invites"...), a display Label ("a)", "1", "Article 3", "3.1") recomputed
// by Renumber unless LabelFixed, a Body, and Sources: its drafting log.
// A body is a sequence of Parts, each plain text or a Bracket. Drafts are
// imported from Markdown or numbered plain text by package parse (whose
// parse.Markdown states the convention; it builds the draft with
// Draft.AppendImported), and written back to both by package render. A
// draft can also be built by hand with NewDraft and Draft.Append. Package
// render writes drafts, changes, compilations and redlines as Markdown,
// package export as HTML, both walking the same data (Parts, Brackets,
// Changes) with RenderOptions.
//
// # Proposals
//
// An Amendment is a proposal against one revision, with an ITU-style label
// (FormatLabel: "USA/6/1"), proposer, co-sponsors, rationale, source
// contribution and Status. Propose validates it against the draft and, for a
// MOD given as the provision's whole new text, computes its word Edits.
// Transition checks status changes: only a submitted (pending) proposal
// changes state, and every other state is final.
//
// # Diff
//
// The word diff beneath proposals and redlines is package worddiff: its
// tokenizer and its bounded diff, O(n log n) on any input. Here a provision
// body is tokenized with each bracket as one token, so that a proposal's
// Edits (worddiff.Edit) never split a bracket, and edits are shown as inline
// Changes (EditChanges, and the Changes of compilations and redlines), each
// bracket a change of its own.
//
// # Compilation and consolidated text
//
// Compile gives the synoptic view (WCIT DT/1): per provision, its text and
// every pending proposal as inline Changes, numbered in a deterministic
// order, with Collisions: MODs touching the same words (overlap), a SUP
// beside anything else on the provision (suppression), two ADDs at one
// place (addition). Compilation.Anonymised hides the parties for a public
// anonymised view; the attributed compilation stays whole. Consolidate gives
// the text as it would read if every pending proposal were accepted, each
// collision shown as a bracket of the competing versions.
//
// # Brackets
//
// A Bracket holds two or more Alternatives with their supporters, at a place
// in a provision or as the whole provision; it is open or agreed ad
// referendum, and when cleared it leaves the text and is recorded in the
// revision log. It renders as "[alternative 1 / alternative 2]"
// (Bracket.Plain, and in package render's Markdown) or, by package export,
// as accessible HTML with the supporters on demand (export.BracketHTML).
// Draft.OpenBrackets counts the open ones.
//
// # Revisions and redlines
//
// Revise makes the next revision from the editor's Decisions: accept,
// accept as modified, reject, merge or supersede each proposal; turn
// colliding proposals into a bracket; clear, keep or agree a bracket ad
// referendum; write compromise text. Every provision touched gets Sources
// naming the proposals and contributions it came from; undecided proposals
// are reported, for the caller to carry over (CarryOver) or supersede.
// Compare aligns two revisions by provision id into a Redline (added,
// deleted, changed, moved), word by word, rendered in Markdown by package
// render (and by package export in HTML with <ins> and <del>);
// CompareByText aligns unrelated drafts by text.
package text
