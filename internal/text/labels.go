package text

// The words for people of this package's enumerations, each in one table:
// the kinds of proposal, their states, the editor's decisions, the kinds of
// provision, the states of brackets, the kinds of drafting-log source and
// collision, and the states of provisions in a redline. Pages and exports
// call the Label methods and never word a value again. A value outside its
// table is its own label.

// labelled is one value of an enumeration with its label.
type labelled[T ~string] struct {
	value T
	label string
}

func labelIn[T ~string](table []labelled[T], v T) string {
	for _, l := range table {
		if l.value == v {
			return l.label
		}
	}
	return string(v)
}

func valuesIn[T ~string](table []labelled[T]) []T {
	out := make([]T, len(table))
	for i, l := range table {
		out[i] = l.value
	}
	return out
}

var opLabels = []labelled[AmendOp]{
	{OpADD, "Addition"},
	{OpMOD, "Modification"},
	{OpSUP, "Suppression"},
	{OpNOC, "No change"},
}

// Ops returns the kinds of proposal in display order.
func Ops() []AmendOp { return valuesIn(opLabels) }

// Label is the kind of proposal in words: "Modification" for MOD.
func (op AmendOp) Label() string { return labelIn(opLabels, op) }

var statusLabels = []labelled[Status]{
	{StatusSubmitted, "Pending"},
	{StatusAccepted, "Accepted"},
	{StatusAcceptedModified, "Accepted as modified"},
	{StatusMerged, "Merged"},
	{StatusRejected, "Rejected"},
	{StatusSuperseded, "Superseded"},
	{StatusNoted, "Noted"},
	{StatusWithdrawn, "Withdrawn"},
}

// Statuses returns the states of a proposal in display order: the pending
// state first.
func Statuses() []Status { return valuesIn(statusLabels) }

// Label is the state in words: "Pending" for a submitted proposal,
// "Accepted as modified".
func (s Status) Label() string { return labelIn(statusLabels, s) }

var actionLabels = []labelled[Action]{
	{ActAccept, "accepted"},
	{ActAcceptModified, "accepted as modified by the editor"},
	{ActReject, "rejected"},
	{ActNote, "noted: taken into account without changing the text"},
	{ActMerge, "merged into another proposal"},
	{ActSupersede, "superseded"},
	{ActBracket, "made an alternative of a bracket"},
	{ActClear, "cleared"},
	{ActKeep, "kept open"},
	{ActAgree, "agreed ad referendum"},
	{ActCompromise, "replaced by the editor's compromise text"},
}

// Actions returns the editor's decisions in display order.
func Actions() []Action { return valuesIn(actionLabels) }

// Label is what the decision did, written to follow "was": "accepted as
// modified by the editor", "kept open".
func (a Action) Label() string { return labelIn(actionLabels, a) }

// Describe says in words what the decision of a log entry did, after the
// decision's label: "USA/5/1 was accepted.", "Bracket b1 was cleared with
// alternative 2.". A proposal without a label (as anonymised views show
// it) is "A proposal".
func (e LogEntry) Describe() string {
	ref := e.Label
	if ref == "" {
		ref = "A proposal"
	}
	done := e.Action.Label()
	switch e.Action {
	case ActAccept, ActAcceptModified, ActReject, ActNote, ActSupersede, ActMerge:
		return ref + " was " + done + "."
	case ActBracket:
		return ref + " became an alternative of bracket " + e.BracketID + "."
	case ActClear:
		if e.Alternative > 0 {
			return "Bracket " + e.BracketID + " was " + done + " with alternative " + itoa(e.Alternative) + "."
		}
		return "Bracket " + e.BracketID + " was " + done + " with compromise text."
	case ActKeep, ActAgree:
		return "Bracket " + e.BracketID + " was " + done + "."
	case ActCompromise:
		return "The provision was " + done + "."
	}
	return string(e.Action)
}

var kindLabels = []labelled[Kind]{
	{KindPreamble, "Preamble clause"},
	{KindOperative, "Operative clause"},
	{KindParagraph, "Paragraph"},
	{KindArticle, "Article"},
	{KindHeading, "Heading"},
}

// Kinds returns the kinds of provision in display order.
func Kinds() []Kind { return valuesIn(kindLabels) }

// Label is the kind of provision in words: "Operative clause".
func (k Kind) Label() string { return labelIn(kindLabels, k) }

var bracketStatusLabels = []labelled[BracketStatus]{
	{BracketOpen, "Open"},
	{BracketAdReferendum, "Agreed ad referendum"},
	{BracketCleared, "Cleared"},
}

// BracketStatuses returns the states of a bracket in display order.
func BracketStatuses() []BracketStatus { return valuesIn(bracketStatusLabels) }

// Label is the state of the bracket in words: "Agreed ad referendum".
func (s BracketStatus) Label() string { return labelIn(bracketStatusLabels, s) }

var sourceLabels = []labelled[SourceKind]{
	{SourceAccepted, "Accepted proposal"},
	{SourceModified, "Proposal accepted as modified by the editor"},
	{SourceMerged, "Proposal merged into an accepted one"},
	{SourceCompromise, "Editor's compromise text"},
	{SourceBracketed, "Proposal made an alternative of a bracket"},
	{SourceBracketCleared, "Bracket cleared"},
	{SourceAdReferendum, "Bracket agreed ad referendum"},
	{SourcePreview, "Pending proposal applied in the preview"},
}

// SourceKinds returns the kinds of drafting-log source in display order.
func SourceKinds() []SourceKind { return valuesIn(sourceLabels) }

// Label says in words how the source shaped the provision: "Accepted
// proposal", "Bracket cleared".
func (k SourceKind) Label() string { return labelIn(sourceLabels, k) }

var collisionLabels = []labelled[CollisionKind]{
	{CollisionOverlap, "proposals change the same words"},
	{CollisionSuppression, "deletion beside other proposals"},
	{CollisionAddition, "additions at the same place"},
}

// CollisionKinds returns the kinds of collision in display order.
func CollisionKinds() []CollisionKind { return valuesIn(collisionLabels) }

// Label says in words why the proposals collide: "proposals change the
// same words".
func (k CollisionKind) Label() string { return labelIn(collisionLabels, k) }

var redlineLabels = []labelled[RedlineStatus]{
	{RedlineUnchanged, "Unchanged"},
	{RedlineChanged, "Changed"},
	{RedlineAdded, "Added"},
	{RedlineDeleted, "Deleted"},
}

// RedlineStatuses returns the states of a provision in a redline in
// display order.
func RedlineStatuses() []RedlineStatus { return valuesIn(redlineLabels) }

// Label says in words what happened to the provision: "Added".
func (s RedlineStatus) Label() string { return labelIn(redlineLabels, s) }
