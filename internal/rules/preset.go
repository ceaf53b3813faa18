package rules

// Preset is a ready-made rights matrix drawn from the real practice of one
// kind of forum. A forum starts from a preset; the secretariat may then
// change any cell.
type Preset struct {
	Key     string   // stable key, stored with the forum
	Name    string   // display name
	Summary string   // what the preset allows, in a few sentences
	Source  string   // the texts and practice it follows
	Notes   []string // choices made where practice is unclear
	Matrix  Matrix
}

// Keys of the presets.
const (
	PresetITUPolicyForum        = "itu_policy_forum"
	PresetITUTreatyConference   = "itu_treaty_conference"
	PresetMultistakeholderEqual = "multistakeholder_equal"
	PresetIETFRoughConsensus    = "ietf_rough_consensus"
)

// Presets returns the four presets, freshly built, in display order.
func Presets() []Preset {
	out := make([]Preset, len(presetList))
	for i, p := range presetList {
		out[i] = p.clone()
	}
	return out
}

// clone copies the preset's slices; the Matrix is immutable and shared.
func (p Preset) clone() Preset {
	p.Notes = append([]string(nil), p.Notes...)
	return p
}

// presetList is built once: a Matrix is an immutable value, so the
// presets can be shared by every caller.
var presetList = []Preset{ituPolicyForum(), ituTreatyConference(), multistakeholderEqual(), ietfRoughConsensus()}

// PresetByKey returns the preset with the given key.
func PresetByKey(key string) (Preset, bool) {
	for _, p := range presetList {
		if p.Key == key {
			return p.clone(), true
		}
	}
	return Preset{}, false
}

// set is NewActionSet, short for the tables below.
func set(actions ...Action) ActionSet { return NewActionSet(actions...) }

// Action sets shared by the presets.
var (
	readOnly   = set(ReadPublic)
	readAll    = set(ReadPublic, ReadRestricted)
	speakViews = set(ReadPublic, Contribute, AskFloor)
	// fullDebate is everything a participant does short of a decision act:
	// read, contribute, amend, co-sponsor, speak, raise a point of order,
	// object.
	fullDebate = set(ReadPublic, ReadRestricted, Contribute, ProposeAmendment, Cosponsor, AskFloor, PointOfOrder, ObjectConsensus)
)

// offices are the rights of the office roles, the same in every preset,
// every group and both modes.
var offices = map[Role]ActionSet{
	RoleChair:           set(ReadPublic, ReadRestricted, ProposeAmendment, ManageFloor),
	RoleEditor:          set(ReadPublic, ReadRestricted, EditDraft),
	RoleRemoteModerator: set(ReadPublic, ReadRestricted, AskFloor),
	RoleSecretariat:     set(ReadPublic, ReadRestricted, Contribute, ApproveRegistrations, ManageFloor),
}

// commonNotes explain what every preset shares.
var commonNotes = []string{
	"Offices, in every group and both modes: chairs read all documents, table compromise texts (propose amendments) and manage the floor; editors edit the draft; remote moderators relay remote participants' requests for the floor (the command checks the relayed request against the remote participant's own rights); secretariat staff submit reports, approve registrations and manage the floor.",
	"Guests get nothing from the matrix: the secretariat states each guest's rights when inviting them.",
	"Everyone registered in a participant role (heads of delegation, delegates, advisers and observers) of every group but the secretariat comments in a public consultation. A comment period the secretariat opens to the public also takes comments from anyone signed in, registered or not; one that is not open to the public takes them only from those the matrix allows.",
}

// participants gives the rights of the participant roles of some groups in
// the room; remoteDrop is what those groups lose when remote.
type participants struct {
	groups                            []string
	head, delegate, adviser, observer ActionSet
	remoteDrop                        ActionSet
}

// uniform is the common case: heads of delegation, delegates and advisers
// alike, heads of delegation also approving their delegation's
// registrations when approve is true.
func uniform(groups []string, delegate, observer ActionSet, approve bool) participants {
	head := delegate
	if approve {
		head = head.With(ApproveRegistrations)
	}
	return participants{groups: groups, head: head, delegate: delegate, adviser: delegate, observer: observer}
}

// build assembles a preset's matrix: the participant rows, the offices in
// every default group except guests, and the conditions.
func build(rows []participants, conds map[Action]Condition) Matrix {
	m := Matrix{cells: map[Key]ActionSet{}, conds: map[Action]Condition{}}
	for _, p := range rows {
		for _, g := range p.groups {
			// Everyone registered in a participant role comments in a
			// public consultation, but the secretariat, which answers the
			// comments.
			comment := set(Comment)
			if g == GroupSecretariat {
				comment = 0
			}
			for _, mode := range Modes() {
				drop := ActionSet(0)
				if mode == Remote {
					drop = p.remoteDrop
				}
				m.put(Key{g, RoleHeadOfDelegation, mode}, p.head.Minus(drop).Union(comment))
				m.put(Key{g, RoleDelegate, mode}, p.delegate.Minus(drop).Union(comment))
				m.put(Key{g, RoleAdviser, mode}, p.adviser.Minus(drop).Union(comment))
				m.put(Key{g, RoleObserver, mode}, p.observer.Minus(drop).Union(comment))
			}
		}
	}
	for _, g := range DefaultGroups() {
		if g.Key == GroupGuest {
			continue
		}
		for r, s := range offices {
			for _, mode := range Modes() {
				m.put(Key{g.Key, r, mode}, s)
			}
		}
	}
	for a, c := range conds {
		m.putCondition(a, c)
	}
	return m
}

func ituPolicyForum() Preset {
	return Preset{
		Key:  PresetITUPolicyForum,
		Name: "ITU policy forum (WTPF)",
		Summary: "Member States and Sector Members contribute, propose amendments, co-sponsor, take the floor and object to consensus; " +
			"Associates, Academia and intergovernmental organisations read member documents, submit views and speak when given the floor; " +
			"civil society, the technical community and the private sector submit views and speak in their own right; observers read public documents. " +
			"Opinions are adopted by consensus: nobody votes or signs.",
		Source: "PP-94 Resolution 2 (rev. 2018): the WTPF adopts non-binding opinions by consensus, on the Secretary-General's report and contributions based on it; " +
			"WTPF-13 Chairman's report WTPF-13/16(Rev.1); Council 2012 opened the WTPF-13 Informal Experts Group to all stakeholders " +
			"(https://www.itu.int/en/wtpf-13/Pages/ieg.aspx); ITU Convention Nos. 269A-D (observers in an advisory capacity).",
		Notes: append([]string{
			"Civil society, the technical community and the private sector are groups in their own right, because the WTPF-13 experts group was open to all stakeholders and Resolution 2 (rev. 2018) invites stakeholders' views: they submit contributions and may ask for the floor. They do not propose amendments in session, co-sponsor or object to consensus, and they read public documents only, as non-members did.",
			"Associates, Academia and intergovernmental organisations submit views and speak when given the floor (advisory capacity) and read member documents; they do not propose amendments or object.",
			"Sector Members object to consensus: their voice at WTPF-13 was de facto decisive enough to count. Only Member States raise points of order.",
			"There are no votes, final acts or reservations: opinions are non-binding and adopted by consensus.",
			"Heads of delegation approve their own delegation's registrations (as focal points).",
			"Remote participants have the same rights as participants in the room.",
		}, commonNotes...),
		Matrix: build([]participants{
			uniform([]string{GroupMemberState}, fullDebate, readAll, true),
			uniform([]string{GroupSectorMember}, fullDebate.Without(PointOfOrder), readAll, true),
			uniform([]string{GroupAssociate, GroupAcademia, GroupIGO}, speakViews.With(ReadRestricted), readAll, true),
			uniform([]string{GroupCivilSociety, GroupTechnicalCommunity, GroupPrivateSector}, speakViews, readOnly, true),
			uniform([]string{GroupObserver}, readOnly, readOnly, false),
			uniform([]string{GroupSecretariat}, readAll, readAll, false),
		}, nil),
	}
}

func ituTreatyConference() Preset {
	decide := set(Vote, Sign, FileReservation)
	return Preset{
		Key:  PresetITUTreatyConference,
		Name: "ITU treaty conference (WCIT)",
		Summary: "Only Member States submit proposals, propose amendments, co-sponsor, object, vote, sign the final acts and file reservations; " +
			"voting and signing need credentials in order and presence in the room. " +
			"Sector Members and intergovernmental organisations are observers in an advisory capacity: they read conference documents and speak when given the floor. " +
			"Everyone else reads public documents, or takes part inside a national delegation.",
		Source: "ITU Constitution Art. 3 (one Member State, one vote); ITU Convention Nos. 269A-E and 280 (observers in an advisory capacity), " +
			"Art. 31 (credentials) and Art. 32 (proposals signed by the head of delegation); WCIT-12: 152 Member States registered, 144 eligible to sign, 89 signed; " +
			"declarations and reservations published as Documents 66 and 67.",
		Notes: append([]string{
			"Voting needs credentials in order; signing needs credentials in order or in order for signature only (at WCIT-12 some delegations could sign but not vote). Provisional credentials do not suffice: the secretariat records them as in order when the credentials committee reports. Arrears are not modelled separately: record such a delegation as in order for signature only.",
			"A delegation whose powers are transferred to another delegation cannot vote itself: the delegation holding the proxy votes for it, which the decision rules count.",
			"Heads of delegation and delegates vote, sign and file reservations for their State; advisers propose, speak and object but do not vote, sign or file reservations. Heads of delegation approve their own delegation's registrations (as focal points).",
			"Remote Member State delegates do everything but vote and sign: votes are taken by show of placards, roll-call or secret ballot, and the final acts are signed in signing folders, in the room.",
			"Associates and Academia are not conference participants: public documents only. Civil society, technical community and private sector people who want more join a national delegation and register in the Member State group, as at WCIT-12.",
		}, commonNotes...),
		Matrix: build([]participants{
			{
				groups:   []string{GroupMemberState},
				head:     fullDebate.Union(decide).With(ApproveRegistrations),
				delegate: fullDebate.Union(decide),
				adviser:  fullDebate,
				observer: readAll,
				// Votes and signatures are cast in the room.
				remoteDrop: set(Vote, Sign),
			},
			uniform([]string{GroupSectorMember, GroupIGO}, set(ReadPublic, ReadRestricted, AskFloor), set(ReadPublic, ReadRestricted, AskFloor), true),
			uniform([]string{GroupAssociate, GroupAcademia, GroupCivilSociety, GroupTechnicalCommunity, GroupPrivateSector}, readOnly, readOnly, true),
			uniform([]string{GroupObserver}, readOnly, readOnly, false),
			uniform([]string{GroupSecretariat}, readAll, readAll, false),
		}, map[Action]Condition{Vote: NeedsCredentials, Sign: NeedsCredentials}),
	}
}

func multistakeholderEqual() Preset {
	public := set(ReadPublic, Contribute, ProposeAmendment, AskFloor)
	stakeholders := []string{GroupMemberState, GroupSectorMember, GroupAssociate, GroupAcademia,
		GroupCivilSociety, GroupTechnicalCommunity, GroupPrivateSector, GroupIGO}
	return Preset{
		Key:  PresetMultistakeholderEqual,
		Name: "Multistakeholder, equal footing (IGF, NETmundial)",
		Summary: "Every stakeholder group reads, contributes, comments on the draft (proposes amendments), co-sponsors, asks for the floor, raises points of order and objects, on an equal footing, in the room and remotely. " +
			"Observers and the public contribute, comment and speak at the open microphone. Nothing is voted on or signed.",
		Source: "Tunis Agenda §35 (the stakeholder groups); IGF practice: anyone registered, onsite or remote, may speak at the open microphone; " +
			"NETmundial 2014: open call for contributions, open online comments on the draft outcome with self-declared sector, one microphone per stakeholder group plus remote hubs, " +
			"outcome adopted by consensus with dissent in closing statements.",
		Notes: append([]string{
			"Every group may object to consensus alike. The IGF and NETmundial make no binding decisions, but when an outcome is adopted by consensus each objection is on the record; whether it blocks is for the decision rules.",
			"Restricted documents (a draft before its release, for example) are readable by registered participants of every group, not by observers.",
			"Observers (the observer group, or anyone registered as an observer) read public documents, submit contributions, comment on the draft and ask for the floor, as NETmundial's open call and comments and the IGF's open microphone allowed anyone to.",
			"Heads of delegation approve their own organisation's registrations (as focal points).",
			"Remote participants have the same rights as participants in the room; the speakers' queue, not the matrix, decides how room and remote turns alternate.",
		}, commonNotes...),
		Matrix: build([]participants{
			uniform(stakeholders, fullDebate, public, true),
			uniform([]string{GroupObserver}, public, public, false),
			uniform([]string{GroupSecretariat}, readAll, readAll, false),
		}, nil),
	}
}

func ietfRoughConsensus() Preset {
	individual := fullDebate.Without(ReadRestricted)
	everyone := []string{GroupMemberState, GroupSectorMember, GroupAssociate, GroupAcademia,
		GroupCivilSociety, GroupTechnicalCommunity, GroupPrivateSector, GroupIGO, GroupObserver}
	return Preset{
		Key:  PresetIETFRoughConsensus,
		Name: "IETF rough consensus",
		Summary: "Participants are individuals, not delegations: anyone participating, whatever their affiliation, contributes, proposes text, co-sponsors, asks for the floor, raises points of order and objects. " +
			"The chair judges rough consensus; there is no vote. Everything is public.",
		Source: "RFC 7282 (On Consensus and Humming in the IETF): the chair judges that objections have been addressed, not necessarily accommodated; humming gauges the room and is not a vote. " +
			"RFC 2418 §3.3 (working group decisions).",
		Notes: append([]string{
			"Stakeholder groups only show affiliation: every group, the observer group included, has the same rights.",
			"There are no delegations: heads of delegation and advisers have a delegate's rights, and nobody but the secretariat approves registrations.",
			"Someone registered as an observer only reads (and comments in a public consultation): to take part, register as a participant (delegate).",
			"Restricted reading is left to the offices (chair, editor, remote moderator, secretariat): the IETF publishes everything.",
			"Remote participants have the same rights as participants in the room.",
		}, commonNotes...),
		Matrix: build([]participants{
			uniform(everyone, individual, readOnly, false),
			uniform([]string{GroupSecretariat}, readAll, readAll, false),
		}, nil),
	}
}
