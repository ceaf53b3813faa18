package api

import (
	"fmt"
	"reflect"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/text"
)

// schemaEntry names the schema of one Go type in the OpenAPI document.
type schemaEntry struct {
	typ  reflect.Type
	name string
}

func named[T any](name string) schemaEntry {
	return schemaEntry{typ: reflect.TypeFor[T](), name: name}
}

// schemaTable names every struct type that appears in a request or
// response body. Schema names are part of the API contract: they are
// chosen here, once, and never derived from where a type lives in Go, so
// that moving a type to another package changes nothing for clients. The
// document cannot be built with a struct type missing from this table,
// nor with two types of one name.
var schemaTable = []schemaEntry{
	// This package's bodies.
	named[ErrorBody]("ErrorBody"),
	named[ErrorDetail]("ErrorDetail"),
	named[FieldError]("FieldError"),
	named[Me]("Me"),
	named[ForumList]("ForumList"),
	named[BodyList]("BodyList"),
	named[StatusInput]("StatusInput"),
	named[RulesDoc]("RulesDoc"),
	named[MatrixDoc]("MatrixDoc"),
	named[PresetInput]("PresetInput"),
	named[RulesChangeDoc]("RulesChangeDoc"),
	named[GroupList]("GroupList"),
	named[PartyList]("PartyList"),
	named[ImportPartiesInput]("ImportPartiesInput"),
	named[RegistrationRowInput]("RegistrationRowInput"),
	named[ImportRegistrationsInput]("ImportRegistrationsInput"),
	named[RegistrationList]("RegistrationList"),
	named[ReasonInput]("ReasonInput"),
	named[EmailInput]("EmailInput"),
	named[BodyMembersInput]("BodyMembersInput"),
	named[DocumentList]("DocumentList"),
	named[SeriesList]("SeriesList"),
	named[WithdrawInput]("WithdrawInput"),
	named[FileUpload]("FileUpload"),
	named[DraftList]("DraftList"),
	named[AmendmentList]("AmendmentList"),
	named[BracketList]("BracketList"),
	named[ConsolidatedText]("ConsolidatedText"),
	named[CosponsorInput]("CosponsorInput"),
	named[CompilationSetting]("CompilationSetting"),

	// Forums and bodies.
	named[forum.Forum]("Forum"),
	named[forum.ForumInput]("ForumInput"),
	named[forum.Body]("Body"),
	named[forum.BodyInput]("BodyInput"),
	named[forum.BodyDetail]("BodyDetail"),
	named[forum.BodyOfficer]("BodyOfficer"),
	named[forum.OfficerInput]("OfficerInput"),

	// Participation.
	named[rules.Group]("Group"),
	named[forum.GroupInput]("GroupInput"),
	named[forum.RulesChange]("RulesChange"),
	named[forum.CellInput]("CellInput"),
	named[forum.ConditionInput]("ConditionInput"),
	named[forum.RulesRecord]("RulesRecord"),
	named[forum.SettingsInput]("ParticipationSettingsInput"),
	named[forum.ParticipationSettings]("ParticipationSettings"),
	named[forum.Capacity]("Capacity"),
	named[forum.Party]("Party"),
	named[forum.PartyInput]("PartyInput"),
	named[forum.CredentialsInput]("CredentialsInput"),
	named[forum.Delegation]("Delegation"),
	named[forum.Person]("Person"),
	named[forum.Registration]("Registration"),
	named[forum.RegistrationInput]("RegistrationInput"),
	named[forum.ApplicationInput]("ApplicationInput"),
	named[forum.GuestInput]("GuestInput"),
	named[forum.ParticipantList]("ParticipantList"),
	named[forum.Participant]("Participant"),
	named[forum.GroupCount]("GroupCount"),
	named[forum.PartyCount]("PartyCount"),

	// Documents and search.
	named[forum.Document]("Document"),
	named[forum.DocumentInput]("DocumentInput"),
	named[forum.SourceParty]("SourceParty"),
	named[forum.Version]("DocumentVersion"),
	named[forum.VersionInput]("DocumentVersionInput"),
	named[forum.File]("File"),
	named[forum.VisibilityInput]("VisibilityInput"),
	named[forum.Series]("Series"),
	named[forum.SeriesInput]("SeriesInput"),
	named[search.Result]("SearchPage"),
	named[search.Hit]("SearchMatch"),

	// Drafting.
	named[forum.DraftText]("DraftText"),
	named[forum.DraftInput]("DraftInput"),
	named[forum.RevisionInfo]("RevisionInfo"),
	named[forum.RevisionView]("RevisionView"),
	named[forum.CompilationView]("CompilationView"),
	named[forum.ProvisionHistory]("ProvisionHistory"),
	named[forum.ProvisionStep]("ProvisionStep"),
	named[forum.Amendment]("Amendment"),
	named[forum.ProposalInput]("ProposalInput"),
	named[forum.RevisionInput]("RevisionInput"),
	named[forum.CollisionBracket]("CollisionBracket"),
	named[forum.RevisionOutcome]("RevisionOutcome"),
	named[text.Draft]("RevisionText"),
	named[text.Provision]("Provision"),
	named[text.Part]("ProvisionPart"),
	named[text.Source]("ProvisionSource"),
	named[text.Bracket]("Bracket"),
	named[text.BracketRef]("BracketRef"),
	named[text.Alternative]("BracketAlternative"),
	named[text.Change]("WordChange"),
	named[text.Edit]("WordEdit"),
	named[text.Compilation]("Compilation"),
	named[text.CompiledProvision]("CompiledProvision"),
	named[text.CompiledProposal]("CompiledProposal"),
	named[text.Collision]("Collision"),
	named[text.Consolidation]("Consolidation"),
	named[text.Redline]("Redline"),
	named[text.RedlineEntry]("RedlineEntry"),
	named[text.Decision]("RevisionDecision"),
	named[text.LogEntry]("RevisionLogEntry"),
	named[text.StatusChange]("ProposalStatusChange"),
}

// schemaNames is schemaTable by type; a type listed twice, or two types
// given one name, is refused.
func schemaNames(table []schemaEntry) (map[reflect.Type]string, error) {
	names := make(map[reflect.Type]string, len(table))
	owner := make(map[string]reflect.Type, len(table))
	for _, e := range table {
		if _, ok := names[e.typ]; ok {
			return nil, fmt.Errorf("schema table: %s is listed twice", e.typ)
		}
		if other, ok := owner[e.name]; ok {
			return nil, fmt.Errorf("schema table: %s and %s are both named %q", other, e.typ, e.name)
		}
		names[e.typ], owner[e.name] = e.name, e.typ
	}
	return names, nil
}
