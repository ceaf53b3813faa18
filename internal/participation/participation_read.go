package participation

import (
	"context"
	"database/sql"
	"sort"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
)

// Who is registered is public as the forum's settings say: with names
// (ParticipationSettings.NamesPublic) or as counts only. When only counts
// are public, the list of names is a restricted document: those the rules
// allow to read restricted documents, and the secretariat, see it. E-mail
// addresses are never part of these lists.

// Participant is an approved registration as the public sees it.
type Participant struct {
	// Name is empty when names are not shown to the viewer.
	Name      string     `json:"name,omitempty"`
	PartyCode string     `json:"party,omitempty"`
	PartyName string     `json:"party_name,omitempty"`
	Group     string     `json:"group"`
	Role      rules.Role `json:"role"`
	// Offices are held beside Role.
	Offices     []rules.Role   `json:"offices"`
	Mode        rules.Mode     `json:"mode"`
	Affiliation string         `json:"affiliation,omitempty"`
	Background  string         `json:"background,omitempty"`
	Grants      []rules.Action `json:"grants,omitempty"`
	// RegistrationID is filled for the secretariat, whose pages link to
	// the registration.
	RegistrationID string `json:"registration_id,omitempty"`

	userID string // counts people, not registrations
}

// RoleLabel is the role in words, with every office held beside it:
// "Chair, Editor".
func (p Participant) RoleLabel() string { return forum.OfficesLabel(p.Role, p.Offices) }

// ModeLabel is the mode in words.
func (p Participant) ModeLabel() string { return p.Mode.Label() }

// GroupCount is the number of people approved to take part for one
// stakeholder group (a person with two registrations in the group counts
// once; one registered in the room and remotely counts once in each
// column and once in Count).
type GroupCount struct {
	Group  string `json:"group"`
	Name   string `json:"name"`
	Count  int    `json:"count"`
	InRoom int    `json:"in_room"`
	Remote int    `json:"remote"`
}

// PartyCount is the number of people approved to take part for one party.
type PartyCount struct {
	Code        string            `json:"code"`
	Name        string            `json:"name"`
	Group       string            `json:"group"`
	Count       int               `json:"count"`
	Credentials rules.Credentials `json:"credentials"`
}

// ParticipantList is who takes part in a forum, as one viewer may see it.
type ParticipantList struct {
	// NamesPublic is the forum's setting; NamesShown says whether this
	// viewer sees names (the setting, or the right to read restricted
	// documents).
	NamesPublic bool `json:"names_public"`
	NamesShown  bool `json:"names_shown"`
	// Total counts people; Registrations their approved registrations
	// (a person registered for two parties has two).
	Total         int          `json:"total"`
	Registrations int          `json:"registrations"`
	Parties       int          `json:"parties"`
	ByGroup       []GroupCount `json:"by_group"`
	ByParty       []PartyCount `json:"by_party"`
	// Participants is filled when names are shown.
	Participants []Participant `json:"participants,omitempty"`
}

// Participants returns who takes part in forum f, as a may see it: counts
// per group and party for everyone, names when the forum publishes them or
// a may read restricted documents.
func (s *Service) Participants(ctx context.Context, sc *forum.Scope) (ParticipantList, error) {
	f := sc.Forum
	l, err := s.participants(ctx, f)
	if err != nil {
		return l, err
	}
	if l.NamesShown, err = forum.Allowed(s.mayReadNames(ctx, sc, l.NamesPublic)); err != nil {
		return ParticipantList{}, err
	}
	if !l.NamesShown {
		l.Participants = nil
	}
	return l, hideIDs(ctx, sc, l.Participants)
}

// hideIDs clears the registrations' ids unless the viewer is the
// secretariat.
func hideIDs(ctx context.Context, sc *forum.Scope, ps []Participant) error {
	v, err := sc.Viewer(ctx)
	if err != nil {
		return err
	}
	if !v.Secretariat {
		for i := range ps {
			ps[i].RegistrationID = ""
		}
	}
	return nil
}

// mayReadNames is the right to read participants' names, which
// ParticipantNames checks: the forum publishes them (public), or the
// actor may read restricted documents. A refusal names the missing right.
func (s *Service) mayReadNames(ctx context.Context, sc *forum.Scope, public bool) error {
	if public {
		return nil
	}
	_, err := sc.Authorize(ctx, rules.ReadRestricted, "")
	return err
}

// ParticipantNames is the list of participants by name. When the forum
// publishes only counts, it is a restricted document: a denial names the
// missing right ("Observers may not read restricted documents in WTPF-13").
func (s *Service) ParticipantNames(ctx context.Context, sc *forum.Scope) (ParticipantList, error) {
	f := sc.Forum
	l, err := s.participants(ctx, f)
	if err != nil {
		return l, err
	}
	if err := s.mayReadNames(ctx, sc, l.NamesPublic); err != nil {
		return ParticipantList{}, err
	}
	l.NamesShown = true
	return l, hideIDs(ctx, sc, l.Participants)
}

// participants builds the full list; callers remove what a viewer may not see.
func (s *Service) participants(ctx context.Context, f forum.Forum) (ParticipantList, error) {
	st, err := s.kernel.Settings(ctx, s.store, f)
	if err != nil {
		return ParticipantList{}, err
	}
	groups, err := s.kernel.Groups(ctx, s.store, f.ID)
	if err != nil {
		return ParticipantList{}, err
	}
	rs, err := s.registrations(ctx, s.store, "WHERE r.forum_id = ? AND r.state = ? ORDER BY COALESCE(p.name, ''), u.name", f.ID, forum.RegApproved)
	if err != nil {
		return ParticipantList{}, err
	}
	l := ParticipantList{NamesPublic: st.NamesPublic, ByGroup: []GroupCount{}, ByParty: []PartyCount{}, Participants: []Participant{}}
	byGroup := map[string]*GroupCount{}
	byParty := map[string]*PartyCount{}
	// Counts are of people: each person is counted once in a total, a
	// group, a group's mode and a party, however many registrations they
	// hold there.
	seen := map[[3]string]bool{}
	first := func(what, in, user string) bool {
		k := [3]string{what, in, user}
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, r := range rs {
		l.Registrations++
		if first("total", "", r.UserID) {
			l.Total++
		}
		g := byGroup[r.Group]
		if g == nil {
			g = &GroupCount{Group: r.Group, Name: groups.Lookup(r.Group).Plural}
			byGroup[r.Group] = g
		}
		if first("group", r.Group, r.UserID) {
			g.Count++
		}
		if first("mode", r.Group+"|"+string(r.Mode), r.UserID) {
			if r.Mode == rules.Remote {
				g.Remote++
			} else {
				g.InRoom++
			}
		}
		if r.PartyID != "" {
			p := byParty[r.PartyID]
			if p == nil {
				p = &PartyCount{Code: r.PartyCode, Name: r.PartyName, Group: r.Group, Credentials: r.credentials}
				byParty[r.PartyID] = p
			}
			if first("party", r.PartyID, r.UserID) {
				p.Count++
			}
		}
		l.Participants = append(l.Participants, Participant{Name: r.Name, PartyCode: r.PartyCode, PartyName: r.PartyName, Group: r.Group,
			Role: r.Role, Offices: r.Offices, Mode: r.Mode, Affiliation: r.Affiliation, Background: r.Background, Grants: r.Grants, userID: r.UserID,
			RegistrationID: r.ID})
	}
	for _, g := range groups {
		if c := byGroup[g.Key]; c != nil {
			l.ByGroup = append(l.ByGroup, *c)
			delete(byGroup, g.Key)
		}
	}
	for _, c := range byGroup {
		l.ByGroup = append(l.ByGroup, *c)
	}
	for _, p := range byParty {
		l.ByParty = append(l.ByParty, *p)
	}
	sort.Slice(l.ByParty, func(i, j int) bool { return l.ByParty[i].Name < l.ByParty[j].Name })
	l.Parties = len(l.ByParty)
	return l, nil
}

// Delegation is a party with its people, as one viewer may see it.
type Delegation struct {
	Party Party       `json:"party"`
	Group rules.Group `json:"group_info"`
	// NamesShown says whether Members and FocalPoints carry names.
	NamesShown bool `json:"names_shown"`
	// Count counts people; Registrations their registrations for the
	// party.
	Count         int           `json:"count"`
	Registrations int           `json:"registrations"`
	Members       []Participant `json:"members,omitempty"`
	// Backgrounds lists the other stakeholder groups its people come from:
	// a national delegation that includes industry or civil society says so.
	Backgrounds []string `json:"backgrounds"`
	FocalPoints []Person `json:"focal_points,omitempty"`
	// Pending is filled for those who may decide on its registrations.
	Pending    []Registration `json:"pending,omitempty"`
	CanApprove bool           `json:"can_approve"`
}

// DelegationOf returns a party of forum f with its delegation, as a may
// see it: names per the forum's setting (or the right to read restricted
// documents), pending registrations for those who may decide on them.
func (s *Service) DelegationOf(ctx context.Context, sc *forum.Scope, code string) (Delegation, error) {
	a, f := sc.Actor, sc.Forum
	p, err := s.PartyByCode(ctx, sc, code)
	if err != nil {
		return Delegation{}, err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return Delegation{}, err
	}
	all, err := s.participants(ctx, f)
	if err != nil {
		return Delegation{}, err
	}
	d := Delegation{Party: p, Group: groups.Lookup(p.Group), Backgrounds: []string{}}
	if d.NamesShown, err = forum.Allowed(s.mayReadNames(ctx, sc, all.NamesPublic)); err != nil {
		return Delegation{}, err
	}
	seen, people := map[string]bool{}, map[string]bool{}
	for _, m := range all.Participants {
		if m.PartyCode != p.Code {
			continue
		}
		d.Registrations++
		if !people[m.userID] {
			people[m.userID] = true
			d.Count++
		}
		if m.Background != "" && !seen[m.Background] {
			seen[m.Background] = true
			d.Backgrounds = append(d.Backgrounds, groups.Lookup(m.Background).Name)
		}
		if !d.NamesShown {
			m.Name, m.Affiliation = "", ""
		}
		d.Members = append(d.Members, m)
	}
	if err := hideIDs(ctx, sc, d.Members); err != nil {
		return Delegation{}, err
	}
	if d.NamesShown {
		if d.FocalPoints, err = s.FocalPoints(ctx, p); err != nil {
			return Delegation{}, err
		}
	}
	if a.LoggedIn() {
		_, err := s.approverCapacity(ctx, sc, p.ID, rules.RoleDelegate)
		if d.CanApprove, err = forum.Allowed(err); err != nil {
			return Delegation{}, err
		}
		if d.CanApprove {
			q, err := s.ApprovalQueue(ctx, sc)
			if err != nil {
				return Delegation{}, err
			}
			for _, r := range q {
				if r.PartyID == p.ID {
					d.Pending = append(d.Pending, r)
				}
			}
		}
	}
	return d, nil
}

// ParticipationSummary is the short view of a forum's participation for
// its overview page.
type ParticipationSummary struct {
	Preset      string `json:"preset"`
	PresetName  string `json:"preset_name"`
	Modified    bool   `json:"modified"`
	NamesPublic bool   `json:"names_public"`
	// ApplicationsOpen: the public may apply for observer status.
	ApplicationsOpen bool `json:"applications_open"`
	// Total counts people; Registrations their approved registrations.
	Total         int          `json:"total"`
	Registrations int          `json:"registrations"`
	Parties       int          `json:"parties"`
	ByGroup       []GroupCount `json:"by_group"`
}

// SummaryOf returns the participation summary of a forum. It is public.
func (s *Service) SummaryOf(ctx context.Context, sc *forum.Scope) (ParticipationSummary, error) {
	f := sc.Forum
	st, err := sc.Settings(ctx)
	if err != nil {
		return ParticipationSummary{}, err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return ParticipationSummary{}, err
	}
	// Counts come from the database in one aggregate, so the forum page
	// costs the same with ten participants or ten thousand.
	// They count people: rows marked "mode" count the people of a group
	// in one mode, "group" those of a group, "people" everyone, and
	// "registrations" the registrations; the last row, marked "parties",
	// counts the parties.
	const approved = `FROM registrations r LEFT JOIN parties p ON p.id = r.party_id WHERE r.forum_id = ? AND r.state = ?`
	rows, err := s.store.QueryContext(ctx, `SELECT 'mode', COALESCE(p.group_key, r.group_key), r.mode, COUNT(DISTINCT r.user_id)
		`+approved+` GROUP BY COALESCE(p.group_key, r.group_key), r.mode
		UNION ALL SELECT 'group', COALESCE(p.group_key, r.group_key), '', COUNT(DISTINCT r.user_id)
		`+approved+` GROUP BY COALESCE(p.group_key, r.group_key)
		UNION ALL SELECT 'people', '', '', COUNT(DISTINCT r.user_id) `+approved+`
		UNION ALL SELECT 'registrations', '', '', COUNT(*) `+approved+`
		UNION ALL SELECT 'parties', '', '', COUNT(*) FROM parties WHERE forum_id = ? AND status = ?`,
		f.ID, forum.RegApproved, f.ID, forum.RegApproved, f.ID, forum.RegApproved, f.ID, forum.RegApproved, f.ID, PartyActive)
	if err != nil {
		return ParticipationSummary{}, err
	}
	byGroup := map[string]*GroupCount{}
	total, regs, parties := 0, 0, 0
	for rows.Next() {
		var what, g string
		var mode rules.Mode
		var n int
		if err := rows.Scan(&what, &g, &mode, &n); err != nil {
			rows.Close()
			return ParticipationSummary{}, err
		}
		switch what {
		case "parties":
			parties = n
			continue
		case "people":
			total = n
			continue
		case "registrations":
			regs = n
			continue
		}
		c := byGroup[g]
		if c == nil {
			c = &GroupCount{Group: g, Name: groups.Lookup(g).Plural}
			byGroup[g] = c
		}
		switch {
		case what == "group":
			c.Count = n
		case mode == rules.Remote:
			c.Remote = n
		default:
			c.InRoom = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ParticipationSummary{}, err
	}
	counts := []GroupCount{}
	for _, g := range groups {
		if c := byGroup[g.Key]; c != nil {
			counts = append(counts, *c)
			delete(byGroup, g.Key)
		}
	}
	rest := make([]string, 0, len(byGroup))
	for k := range byGroup {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		counts = append(counts, *byGroup[k])
	}
	p, _ := rules.PresetByKey(st.Preset)
	return ParticipationSummary{Preset: st.Preset, PresetName: p.Name, Modified: !p.Matrix.Equal(st.Matrix), NamesPublic: st.NamesPublic,
		ApplicationsOpen: st.ApplicationsOpen, Total: total, Registrations: regs, Parties: parties, ByGroup: counts}, nil
}

// Guests lists the forum's approved guests with the rights the secretariat
// gave each. The rights are public; the names as the forum's setting (or
// the right to read restricted documents) allows.
func (s *Service) Guests(ctx context.Context, sc *forum.Scope) ([]Participant, error) {
	f := sc.Forum
	l, err := s.participants(ctx, f)
	if err != nil {
		return nil, err
	}
	shown, err := forum.Allowed(s.mayReadNames(ctx, sc, l.NamesPublic))
	if err != nil {
		return nil, err
	}
	out := []Participant{}
	for _, p := range l.Participants {
		if p.Group != rules.GroupGuest && p.Role != rules.RoleGuest {
			continue
		}
		if !shown {
			p.Name, p.Affiliation = "", ""
		}
		if p.Grants == nil {
			p.Grants = []rules.Action{}
		}
		out = append(out, p)
	}
	return out, hideIDs(ctx, sc, out)
}

// rowScanner is a row being read: *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// collectRows reads every row of a query's result with scan; a query
// error is returned as is. The result is never nil.
func collectRows[T any](rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
