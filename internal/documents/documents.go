package documents

import (
	"fmt"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
)

// Documents are the numbered papers of a forum: the Secretary-General's
// report, contributions, proposals, draft texts, temporary documents,
// information and administrative documents, statements, minutes and final
// acts. Each has a number in one of the forum's series (WTPF-13/5, DT/55,
// WTPF-IEG/3/12) that is never given twice; revisions, addenda and
// corrigenda keep it (WTPF-13/16(Rev.1), WTPF-13/5(Add.2)). Each has a
// visibility: public, members of the forum, or one delegation, with an
// optional embargo date after which a restricted document becomes public
// by itself, as an event on the record.

// Document types.
const (
	DocReport         = "report"
	DocContribution   = "contribution"
	DocProposal       = "proposal"
	DocDraftText      = "draft_text"
	DocTemporary      = "temporary"
	DocInformation    = "information"
	DocAdministrative = "administrative"
	DocStatement      = "statement"
	DocMinutes        = "minutes"
	DocFinalActs      = "final_acts"
)

// DocumentTypes lists the document types with their labels.
var DocumentTypes = []forum.Choice{
	{Value: DocReport, Label: "Report"},
	{Value: DocContribution, Label: "Contribution"},
	{Value: DocProposal, Label: "Proposal"},
	{Value: DocDraftText, Label: "Draft text"},
	{Value: DocTemporary, Label: "Temporary document"},
	{Value: DocInformation, Label: "Information document"},
	{Value: DocAdministrative, Label: "Administrative document"},
	{Value: DocStatement, Label: "Statement"},
	{Value: DocMinutes, Label: "Minutes"},
	{Value: DocFinalActs, Label: "Final acts"},
}

// documentAction is the right a participant needs to submit a document of
// type t: contributions, proposals and statements are a party's own;
// draft texts and temporary documents are the editor's and the chair's;
// the rest only the secretariat issues ("").
func documentAction(t string) rules.Action {
	switch t {
	case DocContribution, DocProposal, DocStatement:
		return rules.Contribute
	case DocDraftText, DocTemporary:
		return rules.EditDraft
	}
	return ""
}

// deadlineOf is the forum's deadline that closes the filing of documents
// of type t: contributions close with the contributions deadline,
// documents filed as proposals with the proposals deadline; other types
// have none.
func deadlineOf(t string) forum.DeadlineKind {
	switch t {
	case DocContribution:
		return forum.DeadlineContributions
	case DocProposal:
		return forum.DeadlineProposals
	}
	return ""
}

// Version kinds: the original, and the revisions (Rev.n, which replace
// the text), addenda (Add.n, which add to it) and corrigenda (Corr.n,
// which correct it) that keep the document's number.
const (
	VersionOriginal = "original"
	VersionRev      = "rev"
	VersionAdd      = "add"
	VersionCorr     = "corr"
)

// VersionKinds lists the kinds of version with their labels: the original,
// then the kinds of later versions.
var VersionKinds = []forum.Choice{
	{Value: VersionOriginal, Label: "Original"},
	{Value: VersionRev, Label: "Revision (Rev.)"},
	{Value: VersionAdd, Label: "Addendum (Add.)"},
	{Value: VersionCorr, Label: "Corrigendum (Corr.)"},
}

// LaterVersionKinds are the kinds of version that may be added to a
// document, for forms: every kind but the original.
func LaterVersionKinds() []forum.Choice { return VersionKinds[1:] }

// Document statuses.
const (
	DocCurrent   = "current"
	DocWithdrawn = "withdrawn"
)

// DocumentStatuses lists the statuses with their labels.
var DocumentStatuses = []forum.Choice{
	{Value: DocCurrent, Label: "Current"},
	{Value: DocWithdrawn, Label: "Withdrawn"},
}

// Visibility kinds of a document, as chosen in forms: public, members
// (ledger.VisPublic, ledger.VisMembers) or the delegation of its source
// party.
const (
	VisibilityDelegation = "delegation"
)

// Visibilities lists the visibility kinds with their labels, which are the
// ledger's (a document restricted to a delegation is read by that
// delegation and the secretariat, as a party event is).
var Visibilities = []forum.Choice{
	{Value: ledger.VisPublic, Label: ledger.VisibilityLabel(ledger.VisPublic)},
	{Value: ledger.VisMembers, Label: ledger.VisibilityLabel(ledger.VisMembers)},
	{Value: VisibilityDelegation, Label: ledger.VisibilityLabel(ledger.VisPartyKind)},
}

// VisibilityKind is a stored visibility without its party: public,
// members or delegation. Events that everyone reads use it, so that a
// delegation document's party is not told to the public.
func VisibilityKind(v string) string {
	if _, ok := ledger.PartyOf(v); ok {
		return VisibilityDelegation
	}
	return v
}

// SourceParty is a party a document comes from, with its name and code as
// the document gives them.
type SourceParty struct {
	ID   string `json:"id"`
	Code string `json:"code,omitempty"`
	Name string `json:"name"`
	// mergedInto is the code of the party a merged duplicate was merged
	// into (lookupParty): a new document names that one.
	mergedInto string
}

// Document is one numbered document.
type Document struct {
	ID      string `json:"id"`
	ForumID string `json:"forum_id"`
	Series  string `json:"series"` // the series' slug: "main" for the forum's own numbers
	Seq     int64  `json:"seq"`    // the number within the series
	// Number is the document's number (WTPF-13/5); Current is the label
	// of its latest original or revision (WTPF-13/5(Rev.2)).
	Number  string `json:"number"`
	Current string `json:"current"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	// Text is the text of the latest original or revision; lists leave it
	// out.
	Text         string        `json:"text,omitempty"`
	BodyID       string        `json:"body_id,omitempty"`
	AgendaItem   string        `json:"agenda_item,omitempty"`
	Languages    []string      `json:"languages"`
	Parties      []SourceParty `json:"parties"`
	Visibility   string        `json:"visibility"` // public, members or party:<id>
	EmbargoUntil *time.Time    `json:"embargo_until,omitempty"`
	ReleasedAt   *time.Time    `json:"released_at,omitempty"`
	Status       string        `json:"status"`
	StatusNote   string        `json:"status_note,omitempty"`
	IssuedOn     string        `json:"issued_on"` // YYYY-MM-DD
	SubmittedBy  string        `json:"submitted_by"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	// Versions, with their files, oldest first; only a single document
	// read has them.
	Versions []Version `json:"versions,omitempty"`
}

// TypeLabel is the type for people.
func (d Document) TypeLabel() string { return forum.Label(DocumentTypes, d.Type) }

// Public reports whether anyone may read the document.
func (d Document) Public() bool { return d.Visibility == ledger.VisPublic }

// StatusLabel is the status for people.
func (d Document) StatusLabel() string { return forum.Label(DocumentStatuses, d.Status) }

// Withdrawn reports whether the document was withdrawn.
func (d Document) Withdrawn() bool { return d.Status == DocWithdrawn }

// VisibilityKind is the document's visibility without its party: public,
// members or delegation.
func (d Document) VisibilityKind() string { return VisibilityKind(d.Visibility) }

// VisibilityLabel says in words who may read the document: the label of its
// visibility, naming the delegation when the document names its party.
func (d Document) VisibilityLabel() string {
	if p, ok := ledger.PartyOf(d.Visibility); ok {
		for _, sp := range d.Parties {
			if sp.ID == p {
				return "Delegation of " + sp.Name + " only"
			}
		}
	}
	return ledger.VisibilityLabel(d.Visibility)
}

// PartyNames lists the source parties' names.
func (d Document) PartyNames() string {
	names := make([]string, len(d.Parties))
	for i, p := range d.Parties {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// HasParty reports whether the document comes from party id.
func (d Document) HasParty(id string) bool {
	for _, p := range d.Parties {
		if p.ID == id {
			return true
		}
	}
	return false
}

// Version is the original of a document or one of its revisions,
// addenda or corrigenda.
type Version struct {
	ID         string    `json:"id"`
	DocumentID string    `json:"document_id"`
	Kind       string    `json:"kind"` // original, rev, add, corr
	N          int       `json:"n"`    // 0 for the original
	Label      string    `json:"label"`
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	Note       string    `json:"note,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Files      []File    `json:"files"`
}

// KindLabel is the kind for people.
func (v Version) KindLabel() string { return forum.Label(VersionKinds, v.Kind) }

// Original reports whether the version is the document's original.
func (v Version) Original() bool { return v.Kind == VersionOriginal }

// versionLabel is the label of version kind/n of a document numbered
// number: WTPF-13/16, WTPF-13/16(Rev.1), WTPF-13/5(Add.2), ...(Corr.1).
func versionLabel(number, kind string, n int) string {
	switch kind {
	case VersionRev:
		return fmt.Sprintf("%s(Rev.%d)", number, n)
	case VersionAdd:
		return fmt.Sprintf("%s(Add.%d)", number, n)
	case VersionCorr:
		return fmt.Sprintf("%s(Corr.%d)", number, n)
	}
	return number
}
