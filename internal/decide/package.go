package decide

import "fmt"

// PackageOutcome applies "nothing is agreed until everything is agreed" to
// the decisions of a package. While the package is pending, each member's
// outcome is provisional and returned as it is; once the package is
// adopted, each stands as decided; if the package fails (not adopted, or no
// result), every decision in it falls, adopted or not. The result has one
// outcome per member, in order.
func PackageOutcome(members []Outcome, packageDecision Outcome) []Outcome {
	out := make([]Outcome, len(members))
	for i, m := range members {
		switch packageDecision {
		case NotAdopted, NoResult, Fallen:
			out[i] = Fallen
		default:
			out[i] = m
		}
	}
	return out
}

// Provisional reports whether a member's outcome is still provisional:
// the package it belongs to is pending.
func Provisional(packageDecision Outcome) bool { return packageDecision == Pending }

// PackageStatus is a member decision's status in words, for a page, given
// its own outcome, the package's name and the package's outcome:
//
//	Adopted, provisionally: part of package P until it is decided
//	Adopted: package P was adopted
//	Fell with package P: the package was not adopted
func PackageStatus(member Outcome, pkg string, packageDecision Outcome) string {
	switch packageDecision {
	case Pending:
		if member == Pending {
			return fmt.Sprintf("Pending: part of package %s", pkg)
		}
		return fmt.Sprintf("%s, provisionally: part of package %s until it is decided", member.Label(), pkg)
	case Adopted:
		return fmt.Sprintf("%s: package %s was adopted", member.Label(), pkg)
	case NoResult:
		return fmt.Sprintf("Fell with package %s: the vote on the package had no result", pkg)
	}
	return fmt.Sprintf("Fell with package %s: the package was not adopted", pkg)
}
