// Package rules is the rights matrix of a forum: for each stakeholder group,
// role and mode of participation (in the room or remote), the set of actions
// a registered participant may take, with the conditions some actions carry
// (voting and signing need credentials in order at a treaty conference).
//
// Every command in the system asks one function, [Matrix.Check], whether an
// action is allowed; a denial is a *plenary.Error with code forbidden whose
// message names the missing right in plain words, for example
// "Sector Members may not vote in WCIT-12".
//
// The package also holds the default stakeholder groups, four presets drawn
// from real practice (the ITU policy forum, the ITU treaty conference, the
// multistakeholder-equal IGF/NETmundial model and IETF rough consensus), a
// deterministic JSON encoding for the ledger, [Diff] for the public record of
// a rules change, and [Matrix.View] for the public rules page.
//
// The package is pure: no I/O, no clock, no global mutable state. A [Matrix]
// is an immutable value; [Matrix.Set] returns a changed copy.
package rules
