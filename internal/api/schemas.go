package api

import (
	"fmt"
	"reflect"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// schemaEntry names the schema of one Go type in the OpenAPI document and,
// for a type clients send, says which of its fields are required.
type schemaEntry struct {
	typ  reflect.Type
	name string
	// input: the type appears in request bodies. Its schema's required
	// fields are exactly those listed in required: the fields whose
	// absence the server refuses, naming them. The JSON decoder fills an
	// absent field with its zero value, so only the command's validation
	// can tell, and TestRequestSchemasRequireWhatHandlersRequire checks
	// these lists against it. The required fields of a type only sent by
	// the server are those it always writes (no omitempty, no pointer); a
	// type sent both ways has the request's, which promise less about
	// responses but nothing false.
	input    bool
	required []string
}

// named is a type only sent by the server.
func named[T any](name string) schemaEntry {
	return schemaEntry{typ: reflect.TypeFor[T](), name: name}
}

// input is a type sent by clients, with the fields the server requires.
func input[T any](name string, required ...string) schemaEntry {
	return schemaEntry{typ: reflect.TypeFor[T](), name: name, input: true, required: required}
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
	input[StatusInput]("StatusInput", "status"),
	named[RulesDoc]("RulesDoc"),
	named[MatrixDoc]("MatrixDoc"),
	input[PresetInput]("PresetInput", "preset"),
	named[RulesChangeDoc]("RulesChangeDoc"),
	named[GroupList]("GroupList"),
	named[PartyList]("PartyList"),
	input[ImportPartiesInput]("ImportPartiesInput", "parties"),
	input[RegistrationRowInput]("RegistrationRowInput", "email", "role"),
	input[ImportRegistrationsInput]("ImportRegistrationsInput", "registrations"),
	named[RegistrationList]("RegistrationList"),
	input[ReasonInput]("ReasonInput", "reason"),
	input[EmailInput]("EmailInput", "email"),
	input[BodyMembersInput]("BodyMembersInput"),
	named[DocumentList]("DocumentList"),
	named[SeriesList]("SeriesList"),
	input[WithdrawInput]("WithdrawInput"),
	input[FileUpload]("FileUpload", "file"),
	named[DraftList]("DraftList"),
	named[AmendmentList]("AmendmentList"),
	named[BracketList]("BracketList"),
	named[ConsolidatedText]("ConsolidatedText"),
	input[CosponsorInput]("CosponsorInput"),
	input[CompilationSetting]("CompilationSetting"),

	// Forums and bodies.
	named[forum.Forum]("Forum"),
	named[forum.Deadline]("Deadline"),
	input[forum.DeadlineInput]("DeadlineInput", "kind"),
	input[forum.ForumInput]("ForumInput", "slug", "title", "kind"),
	input[ForumUpdate]("ForumUpdate", "title", "kind"),
	named[forum.Body]("Body"),
	input[forum.BodyInput]("BodyInput", "slug", "name", "kind"),
	named[participation.BodyDetail]("BodyDetail"),
	named[participation.BodyOfficer]("BodyOfficer"),
	input[participation.OfficerInput]("OfficerInput", "email", "office"),

	// Participation.
	named[rules.Group]("Group"),
	input[participation.NewGroupInput]("GroupInput", "key", "name", "plural", "rights_from"),
	input[GroupRename]("GroupRename", "name", "plural"),
	input[forum.RulesChange]("RulesChange"),
	input[forum.CellInput]("CellInput", "group", "role", "mode"),
	input[forum.ConditionInput]("ConditionInput", "action"),
	named[forum.RulesRecord]("RulesRecord"),
	input[forum.SettingsInput]("ParticipationSettingsInput"),
	named[forum.ParticipationSettings]("ParticipationSettings"),
	named[forum.Capacity]("Capacity"),
	named[participation.Party]("Party"),
	named[participation.OfficialNames]("OfficialNames"),
	// code and name are required but for a Member State given by its
	// country, whose code and official name come from it.
	input[participation.PartyInput]("PartyInput", "group"),
	input[participation.PartyChange]("PartyChange"),
	input[participation.MergeInput]("MergeInput", "into", "reason"),
	named[participation.ImportReport]("PartyImportReport"),
	named[participation.Warning]("ImportWarning"),
	input[participation.CredentialsInput]("CredentialsInput"),
	named[participation.Delegation]("Delegation"),
	named[participation.Person]("Person"),
	named[participation.Registration]("Registration"),
	input[participation.RegistrationInput]("RegistrationInput", "role"),
	input[participation.OfficeInput]("OfficeInput", "office"),
	input[participation.ApplicationInput]("ApplicationInput", "affiliation"),
	input[participation.GuestInput]("GuestInput", "email", "grants"),
	named[participation.ParticipantList]("ParticipantList"),
	named[participation.Participant]("Participant"),
	named[participation.GroupCount]("GroupCount"),
	named[participation.PartyCount]("PartyCount"),

	// Documents and search.
	named[documents.Document]("Document"),
	input[documents.DocumentInput]("DocumentInput", "type", "title"),
	named[documents.SourceParty]("SourceParty"),
	named[documents.Version]("DocumentVersion"),
	input[documents.VersionInput]("DocumentVersionInput", "kind", "text"),
	named[documents.File]("File"),
	input[documents.VisibilityInput]("VisibilityInput", "visibility"),
	named[documents.Series]("Series"),
	input[documents.SeriesInput]("SeriesInput", "slug", "prefix", "name"),
	named[search.Result]("SearchPage"),
	named[search.Hit]("SearchMatch"),

	// Drafting.
	named[drafting.DraftText]("DraftText"),
	input[drafting.DraftInput]("DraftInput", "text"),
	// Meetings.
	named[MeetingList]("MeetingList"),
	named[meetings.Meeting]("Meeting"),
	named[meetings.Hub]("MeetingHub"),
	named[meetings.AgendaItem]("AgendaItem"),
	named[meetings.Link]("AgendaLink"),
	named[meetings.Attendee]("Attendee"),
	named[meetings.Attendance]("Attendance"),
	named[meetings.PartyAttendance]("PartyAttendance"),
	input[meetings.MeetingInput]("MeetingInput", "body", "title", "date", "start", "end", "zone"),
	input[MeetingUpdate]("MeetingUpdate", "title", "date", "start", "end", "zone"),
	input[MeetingStateInput]("MeetingStateInput", "action"),
	input[meetings.HubInput]("HubInput", "name"),
	input[CheckInInput]("CheckInInput"),
	input[meetings.AttendanceInput]("AttendanceInput", "registration"),
	input[meetings.ItemInput]("AgendaItemInput", "title"),
	input[meetings.LinkInput]("AgendaLinkInput", "kind", "ref"),
	input[meetings.MoveInput]("MoveInput"),
	// The speakers' queue.
	named[meetings.FloorView]("FloorView"),
	named[meetings.FloorTurn]("FloorTurn"),
	named[meetings.MyRequest]("MyFloorRequest"),
	named[meetings.Intervention]("Intervention"),
	named[InterventionList]("InterventionList"),
	named[meetings.SpeakingTime]("SpeakingTime"),
	named[meetings.SpeakingCount]("SpeakingCount"),
	named[floor.Request]("SpeakerRequest"),
	named[floor.Place]("QueuePlace"),
	named[floor.Pause]("ClockPause"),
	input[floor.Policy]("OrderPolicy"),
	input[floor.Alternation]("RoomRemoteAlternation", "room", "remote"),
	input[meetings.RequestInput]("FloorRequestInput"),
	input[meetings.Guest]("FloorGuest", "name"),
	input[FloorMoveInput]("FloorMoveInput", "to", "reason"),
	input[FloorReasonInput]("FloorReasonInput", "reason"),
	input[FloorFinishInput]("FloorFinishInput"),
	input[FloorRulingInput]("FloorRulingInput", "ruling"),
	input[CurrentItemInput]("CurrentItemInput"),
	// The record of interventions: transcripts, statements, minutes.
	named[meetings.InterventionRecord]("InterventionRecord"),
	named[InterventionRecordList]("InterventionRecordList"),
	named[meetings.TranscriptLine]("TranscriptLine"),
	named[TranscriptList]("TranscriptList"),
	named[meetings.ImportResult]("TranscriptImport"),
	named[meetings.UnassignedCue]("UnassignedCue"),
	named[MinutesDraft]("MinutesDraft"),
	input[TranscriptInput]("TranscriptInput", "text"),
	input[TranscriptUpload]("TranscriptUpload", "file"),
	input[StatementInput]("StatementInput", "document"),
	input[meetings.MinutesInput]("MinutesInput", "text"),
	named[drafting.RevisionInfo]("RevisionInfo"),
	named[drafting.RevisionView]("RevisionView"),
	named[drafting.CompilationView]("CompilationView"),
	named[drafting.ProvisionHistory]("ProvisionHistory"),
	named[drafting.ProvisionStep]("ProvisionStep"),
	named[drafting.Amendment]("Amendment"),
	input[drafting.ProposalInput]("ProposalInput", "op"),
	input[drafting.RevisionInput]("RevisionInput"),
	input[drafting.CollisionBracket]("CollisionBracket", "collision"),
	named[drafting.RevisionOutcome]("RevisionOutcome"),
	input[drafting.FreezeInput]("FreezeInput"),
	named[text.Draft]("RevisionText"),
	named[text.Provision]("Provision"),
	named[text.Part]("ProvisionPart"),
	named[text.Source]("ProvisionSource"),
	named[text.Bracket]("Bracket"),
	named[text.BracketRef]("BracketRef"),
	named[text.Alternative]("BracketAlternative"),
	named[text.Change]("WordChange"),
	named[worddiff.Edit]("WordEdit"),
	named[text.Compilation]("Compilation"),
	named[text.CompiledProvision]("CompiledProvision"),
	named[text.CompiledProposal]("CompiledProposal"),
	named[text.Collision]("Collision"),
	named[text.Consolidation]("Consolidation"),
	named[text.Redline]("Redline"),
	named[text.RedlineEntry]("RedlineEntry"),
	input[text.Decision]("RevisionDecision", "action"),
	named[text.LogEntry]("RevisionLogEntry"),
	named[text.StatusChange]("ProposalStatusChange"),
	// Decisions: consensus calls, straw polls, formal votes, packages.
	named[DecisionList]("DecisionList"),
	named[decisions.Decision]("Decision"),
	named[decisions.VoteView]("VoteView"),
	named[decisions.PackageRef]("DecisionPackageRef"),
	named[decisions.Package]("DecisionPackage"),
	named[decisions.PackageMember]("DecisionPackageMember"),
	named[decisions.DocumentRef]("DecisionDocument"),
	named[decisions.Cast]("BallotCast"),
	named[decisions.Verification]("ReceiptVerification"),
	named[decide.Subject]("DecisionSubject"),
	named[decide.Party]("DecisionParty"),
	named[decide.Right]("DecisionRight"),
	named[decide.Objection]("Objection"),
	named[decide.Explanation]("ExplanationOfPosition"),
	named[decide.ConsensusResult]("ConsensusResult"),
	named[decide.StrawResult]("StrawPollResult"),
	named[decide.OptionCount]("StrawPollOptionCount"),
	named[decide.GroupCount]("StrawPollGroupCount"),
	named[decide.VoteRules]("VoteRules"),
	named[decide.Progress]("VoteProgress"),
	named[decide.VoteResult]("VoteResult"),
	named[decide.Arithmetic]("VoteArithmetic"),
	named[decide.Record]("VoteRecord"),
	named[decide.Voted]("VoterListed"),
	named[decide.Ballot]("PublishedBallot"),
	named[decide.Receipt]("BallotReceipt"),
	input[decisions.SubjectInput]("DecisionSubjectInput", "kind"),
	input[decisions.ConsensusInput]("ConsensusCallInput", "meeting", "title", "subject"),
	input[decisions.ObjectionInput]("ObjectionInput", "reason"),
	input[decisions.FindingInput]("ConsensusFindingInput", "finding"),
	input[decide.Answer]("ObjectionAnswer", "objection", "text"),
	input[decisions.ExplanationInput]("ExplanationInput", "text"),
	input[decisions.StrawInput]("StrawPollInput", "meeting", "title", "options"),
	input[decide.Option]("StrawPollOption", "key", "label"),
	input[decisions.StrawCountsInput]("StrawPollCountsInput"),
	input[decide.Count]("StrawPollCount", "option"),
	input[decisions.StrawAnswerInput]("StrawPollAnswerInput", "option"),
	input[decisions.VoteInput]("VoteInput", "meeting", "title", "subject", "method"),
	input[decide.Quorum]("VoteQuorum"),
	input[decisions.TallyInput]("VoteTallyInput"),
	input[decide.Tally]("VoteTally"),
	input[decisions.CastInput]("BallotInput", "choice"),
	input[decisions.CloseVoteInput]("CloseVoteInput"),
	input[decisions.ReceiptCheck]("ReceiptCheck", "choice", "nonce"),
	input[decisions.PackageInput]("DecisionPackageInput", "meeting", "name", "decisions"),
	input[decisions.PackageDecisionInput]("DecisionPackageDecisionInput", "decision"),
	input[decisions.ReopenInput]("ReopenDraftInput", "meeting", "reason"),
	// Final acts: signatures, declarations and reservations, statements.
	named[FinalActsList]("FinalActsList"),
	named[SignatureList]("SignatureList"),
	named[SignerList]("SignerList"),
	named[DeclarationList]("DeclarationList"),
	named[FinalStatementList]("StatementList"),
	named[finalacts.FinalActs]("FinalActs"),
	named[finalacts.Provision]("FinalActsProvision"),
	named[finalacts.TextVersion]("FinalActsText"),
	named[finalacts.PartyRef]("FinalActsParty"),
	named[finalacts.Signer]("Signer"),
	named[finalacts.Signature]("Signature"),
	named[finalacts.DeclarationRef]("DeclarationRef"),
	named[finalacts.Declaration]("Declaration"),
	named[finalacts.Statement]("Statement"),
	named[finalacts.Tally]("SignatureTally"),
	named[finalacts.Count]("SignatureCount"),
	named[finalacts.GroupCount]("SignatureGroupCount"),
	named[finalacts.PartyState]("SignatoryState"),
	input[finalacts.AssembleInput]("AssembleFinalActsInput", "title", "texts"),
	input[finalacts.TextInput]("FinalActsTextInput", "draft"),
	input[finalacts.ReviseInput]("ReviseFinalActsInput", "note"),
	input[finalacts.TimeInput]("FinalActsTimeInput"),
	input[finalacts.SignerInput]("SignerInput", "registration"),
	input[finalacts.SignInput]("SignatureInput", "state", "hash"),
	input[finalacts.DepositInput]("DeclarationInput", "kind", "text"),
	input[StatementFiling]("StatementFilingInput", "kind", "target", "text"),
	input[finalacts.TargetInput]("StatementTarget", "kind"),
	// Public consultation: comment periods, comments, dispositions, campaigns.
	named[CommentPeriodList]("CommentPeriodList"),
	named[CommentPeriod]("CommentPeriod"),
	named[consultation.Counts]("CommentCounts"),
	input[consultation.PeriodInput]("CommentPeriodInput", "title", "closes"),
	input[consultation.ExtendInput]("CommentPeriodExtension", "closes", "reason"),
	named[consultation.Extension]("CommentPeriodExtended"),
	named[CommentList]("CommentList"),
	named[consultation.Comment]("Comment"),
	input[consultation.CommentInput]("CommentInput", "group", "organisation", "target", "text"),
	named[consultation.Disposition]("Disposition"),
	input[consultation.DispositionInput]("DispositionInput", "outcome", "reason"),
	named[DispositionList]("DispositionList"),
	named[CampaignList]("CampaignList"),
	named[consultation.Campaign]("Campaign"),
	named[consultation.Variant]("CampaignVariant"),
	named[consultation.Flag]("FabricationFlag"),
	named[consultation.TableDocument]("DispositionTable"),
	named[consultation.Row]("DispositionRow"),
	// The opinion map of a comment period.
	named[StatementList]("OpinionStatementList"),
	named[consultation.Statement]("OpinionStatement"),
	input[SeedInput]("StatementSeeds"),
	input[consultation.StatementInput]("OpinionStatementInput", "text"),
	input[StatementModeration]("StatementModeration", "decision"),
	input[consultation.VoteInput]("OpinionVoteInput", "statement", "vote"),
	named[consultation.Voter]("OpinionVoter"),
	named[consultation.Ballot]("OpinionBallot"),
	named[OpinionMapView]("OpinionMap"),
	named[OpinionReading]("OpinionReading"),
	named[OpinionGroup]("OpinionGroup"),
	named[OpinionRepresentative]("OpinionRepresentative"),
	named[OpinionConsensus]("OpinionConsensus"),
	named[OpinionBridge]("OpinionBridge"),
	named[OpinionSplit]("OpinionSplit"),
	named[OpinionPoint]("OpinionPoint"),
}

// schemaIndex is schemaTable by type; a type listed twice, or two types
// given one name, is refused.
func schemaIndex(table []schemaEntry) (map[reflect.Type]schemaEntry, error) {
	index := make(map[reflect.Type]schemaEntry, len(table))
	owner := make(map[string]reflect.Type, len(table))
	for _, e := range table {
		if _, ok := index[e.typ]; ok {
			return nil, fmt.Errorf("schema table: %s is listed twice", e.typ)
		}
		if other, ok := owner[e.name]; ok {
			return nil, fmt.Errorf("schema table: %s and %s are both named %q", other, e.typ, e.name)
		}
		index[e.typ], owner[e.name] = e, e.typ
	}
	return index, nil
}
