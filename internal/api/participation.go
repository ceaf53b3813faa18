package api

import (
	"net/http"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// RulesDoc is a forum's rules of participation: the preset they started
// from, the rights matrix, the stakeholder groups and the history of
// changes.
type RulesDoc struct {
	Preset     string `json:"preset"`
	PresetName string `json:"preset_name"`
	// Chosen is false while the forum uses the default for its kind.
	Chosen bool `json:"chosen"`
	// Modified: the matrix differs from its preset.
	Modified         bool                `json:"modified"`
	NamesPublic      bool                `json:"names_public"`
	ApplicationsOpen bool                `json:"applications_open"`
	Matrix           MatrixDoc           `json:"matrix"`
	Groups           []rules.Group       `json:"groups"`
	History          []forum.RulesRecord `json:"history"`
}

// MatrixDoc is a rights matrix: the cells that allow something and the
// conditions actions carry. A cell not listed allows nothing.
type MatrixDoc struct {
	Conditions []forum.ConditionInput `json:"conditions"`
	Cells      []forum.CellInput      `json:"cells"`
}

func matrixDoc(m rules.Matrix) MatrixDoc {
	d := MatrixDoc{Conditions: []forum.ConditionInput{}, Cells: []forum.CellInput{}}
	for _, a := range rules.Actions() {
		if c := m.Condition(a); c != rules.NoCondition {
			d.Conditions = append(d.Conditions, forum.ConditionInput{Action: string(a), Condition: string(c)})
		}
	}
	for _, k := range m.Keys() {
		acts := []string{}
		for _, a := range m.Get(k).Actions() {
			acts = append(acts, string(a))
		}
		d.Cells = append(d.Cells, forum.CellInput{Group: k.Group, Role: string(k.Role), Mode: string(k.Mode), Actions: acts})
	}
	return d
}

// PresetInput is the body of PUT /forums/{slug}/rules/preset.
type PresetInput struct {
	Preset string `json:"preset"`
}

// RulesChangeDoc is what a rules command changed, in the words put on the
// public record (empty when nothing changed).
type RulesChangeDoc struct {
	Preset string   `json:"preset"`
	Lines  []string `json:"lines"`
}

// GroupRename documents the body of PUT /forums/{slug}/groups/{key}: a
// group's new names and description; its key, named by the path, is
// ignored. The handler decodes it as a participation.GroupInput.
type GroupRename participation.GroupInput

// GroupList is the body of GET /forums/{slug}/groups.
type GroupList struct {
	Groups []rules.Group `json:"groups"`
}

// PartyList is a list of parties.
type PartyList struct {
	Parties []participation.Party `json:"parties"`
}

// ImportPartiesInput is the body of POST /forums/{slug}/parties/import
// and of its dry run, POST /forums/{slug}/parties/import/check: all
// parties are added or none; problems name the item (row 1 is the first).
type ImportPartiesInput struct {
	Parties []participation.PartyInput `json:"parties"`
}

// RegistrationRowInput is one registration to import; Grants, for guests,
// lists action keys separated by spaces or semicolons, or "none".
type RegistrationRowInput struct {
	participation.RegistrationInput
	Grants string `json:"grants"`
}

// ImportRegistrationsInput is the body of POST
// /forums/{slug}/registrations/import: all are registered (and approved by
// the secretariat) or none.
type ImportRegistrationsInput struct {
	Registrations []RegistrationRowInput `json:"registrations"`
}

// RegistrationList is a list of registrations.
type RegistrationList struct {
	Registrations []participation.Registration `json:"registrations"`
}

// ReasonInput is the body of POST .../registrations/{id}/decline (the
// reason, which the person sees), and of POST /forums/{slug}/reopen and
// /discard (the reason, on the record): the reason is required.
type ReasonInput struct {
	Reason string `json:"reason"`
}

// EmailInput names an account by its e-mail address.
type EmailInput struct {
	Email string `json:"email"`
}

// BodyMembersInput is the body of PUT /forums/{slug}/bodies/{body}/members:
// party codes; an empty list opens the body to every participant.
type BodyMembersInput struct {
	Parties []string `json:"parties"`
}

// participationRoutes registers the participation endpoints: the rules of
// participation, stakeholder groups, parties and delegations,
// registrations and their approval, and the officers of bodies.
func (h *Handler) participationRoutes() {
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/rules", ID: "getRules", Tag: "participation",
		Summary: "The rules of participation: the rights matrix, the stakeholder groups and the history of changes", Response: RulesDoc{}},
		query(h.getRules))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/rules/preset", ID: "choosePreset", Tag: "participation",
		Summary: "Replace the rights matrix with a preset (secretariat; recorded publicly)", Auth: true,
		Request: PresetInput{}, Response: RulesChangeDoc{}},
		command(func(r *http.Request, sc *forum.Scope, in PresetInput) (RulesChangeDoc, error) {
			res, err := h.svc.Participation.ChoosePreset(r.Context(), sc, in.Preset)
			return RulesChangeDoc{Preset: res.Preset, Lines: res.Lines}, err
		}))
	h.add(&Op{Method: "PATCH", Path: "/forums/{slug}/rules", ID: "changeRules", Tag: "participation",
		Summary: "Set cells and conditions of the rights matrix (secretariat; recorded publicly, marked when the forum is open)", Auth: true,
		Request: forum.RulesChange{}, Response: RulesChangeDoc{}},
		command(func(r *http.Request, sc *forum.Scope, in forum.RulesChange) (RulesChangeDoc, error) {
			res, err := h.svc.Participation.ChangeRules(r.Context(), sc, in)
			return RulesChangeDoc{Preset: res.Preset, Lines: res.Lines}, err
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/authorize", ID: "authorize", Tag: "participation",
		Summary:  "May the caller take an action (for a party)? The capacity it would act in, or 403 naming the missing right",
		Query:    map[string]string{"action": "an action key, e.g. vote", "party": "a party code (optional)"},
		Response: forum.Capacity{}},
		query(func(r *http.Request, sc *forum.Scope) (forum.Capacity, error) {
			a, err := rules.ParseAction("action", r.URL.Query().Get("action"))
			if err != nil {
				return forum.Capacity{}, err
			}
			return sc.Authorize(r.Context(), a, r.URL.Query().Get("party"))
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/participation-settings", ID: "updateParticipationSettings", Tag: "participation",
		Summary: "Whether participants' names are public, and whether the public may apply for observer status (secretariat)", Auth: true,
		Request: forum.SettingsInput{}, Response: forum.ParticipationSettings{}},
		command(func(r *http.Request, sc *forum.Scope, in forum.SettingsInput) (forum.ParticipationSettings, error) {
			return h.svc.Participation.UpdateParticipationSettings(r.Context(), sc, in)
		}))
	h.groupRoutes()
	h.partyRoutes()
	h.registrationRoutes()
	h.bodyOfficerRoutes()
}

func (h *Handler) getRules(r *http.Request, sc *forum.Scope) (RulesDoc, error) {
	rs, err := h.svc.Participation.RulesOf(r.Context(), sc)
	if err != nil {
		return RulesDoc{}, err
	}
	return RulesDoc{Preset: rs.Settings.Preset, PresetName: rs.Preset.Name, Chosen: rs.Settings.Chosen,
		Modified: rs.Modified, NamesPublic: rs.Settings.NamesPublic, ApplicationsOpen: rs.Settings.ApplicationsOpen,
		Matrix: matrixDoc(rs.Settings.Matrix), Groups: rs.Groups, History: rs.History}, nil
}

func (h *Handler) groupRoutes() {
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/groups", ID: "listGroups", Tag: "participation",
		Summary: "The stakeholder groups of a forum", Response: GroupList{}},
		query(func(r *http.Request, sc *forum.Scope) (GroupList, error) {
			gs, err := sc.Groups(r.Context())
			return GroupList{Groups: gs}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/groups", ID: "addGroup", Tag: "participation",
		Summary: "Add a stakeholder group, starting with the rights of an existing group (rights_from: its key) or, said explicitly, none (rights_from: none) (secretariat; the rights copied are a public change of the rules)",
		Auth:    true, Request: participation.NewGroupInput{}, Response: rules.Group{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in participation.NewGroupInput) (rules.Group, error) {
			return h.svc.Participation.AddGroup(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/groups/{key}", ID: "renameGroup", Tag: "participation",
		Summary: "Rename a stakeholder group; its key stays (secretariat)", Auth: true, Request: GroupRename{}, Response: rules.Group{}},
		command(func(r *http.Request, sc *forum.Scope, in participation.GroupInput) (rules.Group, error) {
			return h.svc.Participation.RenameGroup(r.Context(), sc, r.PathValue("key"), in)
		}))
}

func (h *Handler) partyRoutes() {
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/parties", ID: "listParties", Tag: "participation",
		Summary: "The parties of a forum, with their groups and credentials", Response: PartyList{}},
		query(func(r *http.Request, sc *forum.Scope) (PartyList, error) {
			ps, err := h.svc.Participation.Parties(r.Context(), sc)
			return PartyList{Parties: ps}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/parties", ID: "addParty", Tag: "participation",
		Summary: "Add a party (secretariat)", Auth: true, Request: participation.PartyInput{}, Response: participation.Party{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in participation.PartyInput) (participation.Party, error) {
			return h.svc.Participation.AddParty(r.Context(), sc, in)
		}))
	importParties := func(dryRun bool) func(r *http.Request, sc *forum.Scope, in ImportPartiesInput) (participation.ImportReport, error) {
		return func(r *http.Request, sc *forum.Scope, in ImportPartiesInput) (participation.ImportReport, error) {
			rows := make([]participation.PartyRow, len(in.Parties))
			for i, p := range in.Parties {
				rows[i] = participation.PartyRow{Row: i + 1, PartyInput: p}
			}
			return h.svc.Participation.ImportParties(r.Context(), sc, rows, participation.ImportOptions{DryRun: dryRun})
		}
	}
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/parties/import", ID: "importParties", Tag: "participation",
		Summary: "Add many parties at once: all or none; each bad item is reported as \"row N: field\"; the report lists warnings (names that are, or nearly are, another's) (secretariat)",
		Auth:    true, Request: ImportPartiesInput{}, Response: participation.ImportReport{}, Status: http.StatusCreated},
		command(importParties(false)))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/parties/import/check", ID: "checkPartyImport", Tag: "participation",
		Summary: "A dry run of importParties: the same checks and report (the parties as they would be added, the warnings); nothing is imported (secretariat)",
		Auth:    true, Request: ImportPartiesInput{}, Response: participation.ImportReport{}},
		command(importParties(true)))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/parties/{code}", ID: "getDelegation", Tag: "participation",
		Summary:  "A party and its delegation: names as the forum's privacy setting allows, pending registrations for those who decide on them",
		Response: participation.Delegation{}},
		query(func(r *http.Request, sc *forum.Scope) (participation.Delegation, error) {
			return h.svc.Participation.DelegationOf(r.Context(), sc, r.PathValue("code"))
		}))
	h.add(&Op{Method: "PATCH", Path: "/forums/{slug}/parties/{code}", ID: "updateParty", Tag: "participation",
		Summary: "Correct a party: the fields given change, with an optional reason; a Member State's name follows its country (secretariat; public)",
		Auth:    true, Request: participation.PartyChange{}, Response: participation.Party{}},
		command(func(r *http.Request, sc *forum.Scope, in participation.PartyChange) (participation.Party, error) {
			return h.svc.Participation.UpdateParty(r.Context(), sc, r.PathValue("code"), in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/parties/{code}/merge", ID: "mergeParty", Tag: "participation",
		Summary: "Merge a duplicate party into the party kept (into): its registrations, focal points, document sources and proposals move there; the duplicate is kept for the record, marked merged; the reason is required (secretariat; public)",
		Auth:    true, Request: participation.MergeInput{}, Response: participation.Party{}},
		command(func(r *http.Request, sc *forum.Scope, in participation.MergeInput) (participation.Party, error) {
			return h.svc.Participation.MergeParties(r.Context(), sc, r.PathValue("code"), in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/parties/{code}/withdraw", ID: "withdrawParty", Tag: "participation",
		Summary: "Withdraw a party, with a reason: its open registrations are withdrawn; it is kept for the record (secretariat; public)",
		Auth:    true, Request: ReasonInput{}, Response: participation.Party{}},
		command(func(r *http.Request, sc *forum.Scope, in ReasonInput) (participation.Party, error) {
			return h.svc.Participation.WithdrawParty(r.Context(), sc, r.PathValue("code"), in.Reason)
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/parties/{code}/credentials", ID: "recordCredentials", Tag: "participation",
		Summary: "Record the state of a delegation's credentials (secretariat; public)", Auth: true,
		Request: participation.CredentialsInput{}, Response: participation.Party{}},
		command(func(r *http.Request, sc *forum.Scope, in participation.CredentialsInput) (participation.Party, error) {
			return h.svc.Participation.RecordCredentials(r.Context(), sc, r.PathValue("code"), in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/parties/{code}/focal-points", ID: "appointFocalPoint", Tag: "participation",
		Summary: "Appoint a focal point, who approves the party's registrations (secretariat)", Auth: true,
		Request: EmailInput{}, Response: participation.Person{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in EmailInput) (participation.Person, error) {
			return h.svc.Participation.AppointFocalPoint(r.Context(), sc, r.PathValue("code"), in.Email)
		}))
	h.add(&Op{Method: "DELETE", Path: "/forums/{slug}/parties/{code}/focal-points/{user_id}", ID: "removeFocalPoint", Tag: "participation",
		Summary: "End a focal point's appointment (secretariat)", Auth: true, Status: http.StatusNoContent},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (struct{}, error) {
			return struct{}{}, h.svc.Participation.RemoveFocalPoint(r.Context(), sc, r.PathValue("code"), r.PathValue("user_id"))
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/participants", ID: "listParticipants", Tag: "participation",
		Summary:  "Who takes part: counts per group and party for everyone, names when the forum publishes them or the caller may read restricted documents",
		Response: participation.ParticipantList{}},
		query(func(r *http.Request, sc *forum.Scope) (participation.ParticipantList, error) {
			return h.svc.Participation.Participants(r.Context(), sc)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/participants/names", ID: "listParticipantNames", Tag: "participation",
		Summary:  "The list of participants by name; a restricted document when the forum publishes counts only (403 names the missing right)",
		Response: participation.ParticipantList{}},
		query(func(r *http.Request, sc *forum.Scope) (participation.ParticipantList, error) {
			return h.svc.Participation.ParticipantNames(r.Context(), sc)
		}))
}

// check refuses an empty import before the forum is read.
func (in ImportPartiesInput) check() error {
	if len(in.Parties) == 0 {
		return plenary.Invalid("parties", "give at least one party")
	}
	return nil
}

// check refuses an empty import before the forum is read.
func (in ImportRegistrationsInput) check() error {
	if len(in.Registrations) == 0 {
		return plenary.Invalid("registrations", "give at least one registration")
	}
	return nil
}

func (h *Handler) registrationRoutes() {
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/registrations", ID: "register", Tag: "participation",
		Summary: "Register yourself (pending approval) or, with the right to approve it, someone else (approved at once)", Auth: true,
		Request: participation.RegistrationInput{}, Response: participation.Registration{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in participation.RegistrationInput) (participation.Registration, error) {
			return h.svc.Participation.Register(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/registrations/import", ID: "importRegistrations", Tag: "participation",
		Summary: "Register many people at once, approved by the secretariat: all or none; each bad item is reported as \"row N: field\"", Auth: true,
		Request: ImportRegistrationsInput{}, Response: RegistrationList{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in ImportRegistrationsInput) (RegistrationList, error) {
			rows := make([]participation.RegistrationRow, len(in.Registrations))
			for i, x := range in.Registrations {
				rows[i] = participation.RegistrationRow{Row: i + 1, RegistrationInput: x.RegistrationInput, Grants: x.Grants}
			}
			regs, err := h.svc.Participation.ImportRegistrations(r.Context(), sc, rows)
			return RegistrationList{Registrations: regs}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/applications", ID: "applyAsObserver", Tag: "participation",
		Summary: "Apply for observer status (a logged-in member of the public); the secretariat decides", Auth: true,
		Request: participation.ApplicationInput{}, Response: participation.Registration{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in participation.ApplicationInput) (participation.Registration, error) {
			return h.svc.Participation.ApplyAsObserver(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/guests", ID: "inviteGuest", Tag: "participation",
		Summary: "Invite a guest with explicitly stated rights (grants is required; [] means none) (secretariat)", Auth: true,
		Request: participation.GuestInput{}, Response: participation.Registration{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in participation.GuestInput) (participation.Registration, error) {
			return h.svc.Participation.InviteGuest(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/registrations", ID: "approvalQueue", Tag: "participation",
		Summary: "The pending registrations the caller decides on (secretariat: all; focal points: their parties')", Auth: true,
		Response: RegistrationList{}},
		query(func(r *http.Request, sc *forum.Scope) (RegistrationList, error) {
			q, err := h.svc.Participation.ApprovalQueue(r.Context(), sc)
			return RegistrationList{Registrations: q}, err
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/registrations/{id}", ID: "getRegistration", Tag: "participation",
		Summary: "One registration, for its person and those who decide on it", Auth: true, Response: participation.Registration{}},
		query(func(r *http.Request, sc *forum.Scope) (participation.Registration, error) {
			return h.svc.Participation.RegistrationFor(r.Context(), sc, r.PathValue("id"))
		}))
	decide := func(id, summary, how string) {
		op := &Op{Method: "POST", Path: "/forums/{slug}/registrations/{id}/" + how, ID: id, Tag: "participation", Summary: summary,
			Auth: true, Response: participation.Registration{}}
		switch how {
		case "decline":
			op.Request = ReasonInput{}
		case "withdraw":
			// The same body, whose reason only those withdrawing
			// someone else's registration must give.
			op.Request = WithdrawInput{}
		}
		// Approving takes no body: the Op documents none, so none is read.
		h.add(op, command(func(r *http.Request, sc *forum.Scope, in ReasonInput) (participation.Registration, error) {
			rid := r.PathValue("id")
			switch how {
			case "approve":
				return h.svc.Participation.ApproveRegistration(r.Context(), sc, rid)
			case "decline":
				return h.svc.Participation.DeclineRegistration(r.Context(), sc, rid, in.Reason)
			}
			return h.svc.Participation.WithdrawRegistration(r.Context(), sc, rid, in.Reason)
		}))
	}
	decide("approveRegistration", "Approve a pending registration (focal point, an allowed head of delegation, or the secretariat)", "approve")
	decide("declineRegistration", "Decline a pending registration, with a reason the person sees", "decline")
	decide("withdrawRegistration", "Withdraw a registration (the person; or, with a reason, whoever may approve it)", "withdraw")
	office := func(id, summary, path string, add bool) {
		h.add(&Op{Method: "POST", Path: "/forums/{slug}/registrations/{id}/" + path, ID: id, Tag: "participation", Summary: summary,
			Auth: true, Request: participation.OfficeInput{}, Response: participation.Registration{}},
			command(func(r *http.Request, sc *forum.Scope, in participation.OfficeInput) (participation.Registration, error) {
				if add {
					return h.svc.Participation.AssignOffice(r.Context(), sc, r.PathValue("id"), in)
				}
				return h.svc.Participation.RemoveOffice(r.Context(), sc, r.PathValue("id"), in)
			}))
	}
	office("assignOffice", "Give a pending or approved registration an office beside its role (chair, editor, remote_moderator, secretariat), with an optional reason; its person then has the rights of the role and of each office (secretariat)", "offices", true)
	office("removeOffice", "Take an office held beside its role from a registration, with an optional reason (secretariat)", "offices/remove", false)
	h.add(&Op{Method: "GET", Path: "/me/registrations", ID: "myRegistrations", Tag: "participation",
		Summary: "The caller's registrations and applications in every forum, with their states", Auth: true, Response: RegistrationList{}},
		siteQuery(func(r *http.Request, a forum.Actor) (RegistrationList, error) {
			rs, err := h.svc.Participation.MyRegistrations(r.Context(), a)
			return RegistrationList{Registrations: rs}, err
		}))
}

func (h *Handler) bodyOfficerRoutes() {
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/bodies/{body}", ID: "getBody", Tag: "forums",
		Summary: "A body with its chair, vice-chairs and membership", Response: participation.BodyDetail{}},
		query(func(r *http.Request, sc *forum.Scope) (participation.BodyDetail, error) {
			return h.svc.Participation.BodyDetailOf(r.Context(), sc, r.PathValue("body"))
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/bodies/{body}/officers", ID: "appointOfficer", Tag: "forums",
		Summary: "Appoint a registered participant chair or vice-chair of a body (secretariat)", Auth: true,
		Request: participation.OfficerInput{}, Response: participation.BodyOfficer{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in participation.OfficerInput) (participation.BodyOfficer, error) {
			return h.svc.Participation.AppointOfficer(r.Context(), sc, r.PathValue("body"), in)
		}))
	h.add(&Op{Method: "DELETE", Path: "/forums/{slug}/bodies/{body}/officers/{user_id}", ID: "removeOfficer", Tag: "forums",
		Summary: "End an officer's appointment (secretariat)", Auth: true, Status: http.StatusNoContent},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (struct{}, error) {
			return struct{}{}, h.svc.Participation.RemoveOfficer(r.Context(), sc, r.PathValue("body"), r.PathValue("user_id"))
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}/bodies/{body}/members", ID: "setBodyMembers", Tag: "forums",
		Summary: "Limit a body to listed parties, or open it with an empty list (secretariat)", Auth: true,
		Request: BodyMembersInput{}, Response: participation.BodyDetail{}},
		command(func(r *http.Request, sc *forum.Scope, in BodyMembersInput) (participation.BodyDetail, error) {
			return h.svc.Participation.SetBodyMembers(r.Context(), sc, r.PathValue("body"), in.Parties)
		}))
}
