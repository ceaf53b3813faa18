package participation

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// Registration is one registration, as its person and those who decide on
// it see it.
type Registration struct {
	ID         string `json:"id"`
	ForumID    string `json:"forum_id"`
	ForumSlug  string `json:"forum_slug"`
	ForumTitle string `json:"forum_title"`
	UserID     string `json:"user_id"`
	Name       string `json:"name"`
	// Email is filled only for the person themself and the secretariat.
	Email     string     `json:"email,omitempty"`
	PartyID   string     `json:"party_id,omitempty"`
	PartyCode string     `json:"party,omitempty"`
	PartyName string     `json:"party_name,omitempty"`
	Group     string     `json:"group"`
	Role      rules.Role `json:"role"`
	// Offices are the offices held beside Role (a chair who also holds
	// the pen: role chair, offices [editor]), in display order; the
	// person's rights are the union of the role's and each office's.
	Offices []rules.Role `json:"offices"`
	Mode    rules.Mode   `json:"mode"`
	State   string       `json:"state"`
	// Affiliation is the person's own organisation; Background their own
	// stakeholder group when it differs from the party's (an industry
	// adviser in a national delegation), or, in an application for
	// observer status, the applicant's own account in free text.
	Affiliation string `json:"affiliation,omitempty"`
	Background  string `json:"background,omitempty"`
	Statement   string `json:"statement,omitempty"`
	// Grants are a guest's rights, stated by the secretariat.
	Grants    []rules.Action `json:"grants,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	DecidedBy string         `json:"decided_by,omitempty"`
	DecidedAs string         `json:"decided_as,omitempty"`
	DecidedAt *time.Time     `json:"decided_at,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`

	email       string
	credentials rules.Credentials
	grants      rules.ActionSet
}

// StateLabel is the state for people.
func (r Registration) StateLabel() string { return forum.Label(forum.RegistrationStates, r.State) }

// IsGuest reports whether the registration is a guest's.
func (r Registration) IsGuest() bool { return r.Role == rules.RoleGuest || r.Group == rules.GroupGuest }

// GrantLabels lists a guest's rights in words.
func (r Registration) GrantLabels() []string {
	out := make([]string, 0, len(r.Grants))
	for _, a := range r.Grants {
		out = append(out, a.Label())
	}
	return out
}

// RoleLabel names the role and every office held beside it: "Chair,
// Editor".
func (r Registration) RoleLabel() string { return forum.OfficesLabel(r.Role, r.Offices) }

// Holds reports whether the registration is in role, or holds it as an
// office beside its own.
func (r Registration) Holds(role rules.Role) bool {
	if r.Role == role {
		return true
	}
	for _, o := range r.Offices {
		if o == role {
			return true
		}
	}
	return false
}

// OfficesToAdd are the offices the registration may still be given.
func (r Registration) OfficesToAdd() []rules.Role {
	var out []rules.Role
	for _, o := range Offices() {
		if !r.Holds(o) {
			out = append(out, o)
		}
	}
	return out
}

// Open reports whether the registration is pending or approved.
func (r Registration) Open() bool { return r.State == forum.RegPending || r.State == forum.RegApproved }

const regSelect = `SELECT r.id, r.forum_id, f.slug, f.title, r.user_id, u.name, u.email, COALESCE(r.party_id, ''), COALESCE(p.code, ''),
	COALESCE(p.name, ''), COALESCE(p.group_key, r.group_key), r.role, r.mode, r.state, r.affiliation, r.background, r.statement,
	r.grants, r.reason, COALESCE(d.name, ''), r.decided_as, r.decided_at, r.created_at, r.updated_at, COALESCE(p.credentials, ''), r.offices
	FROM registrations r JOIN users u ON u.id = r.user_id JOIN forums f ON f.id = r.forum_id
	LEFT JOIN parties p ON p.id = r.party_id LEFT JOIN users d ON d.id = r.decided_by `

func scanRegistration(sc rowScanner) (Registration, error) {
	var r Registration
	var grants, offices string
	var decided sql.NullInt64
	var created, updated int64
	err := sc.Scan(&r.ID, &r.ForumID, &r.ForumSlug, &r.ForumTitle, &r.UserID, &r.Name, &r.email, &r.PartyID, &r.PartyCode,
		&r.PartyName, &r.Group, &r.Role, &r.Mode, &r.State, &r.Affiliation, &r.Background, &r.Statement,
		&grants, &r.Reason, &r.DecidedBy, &r.DecidedAs, &decided, &created, &updated, &r.credentials, &offices)
	if err != nil {
		return r, err
	}
	r.Offices = append([]rules.Role{}, forum.ParseOffices(offices)...)
	r.DecidedAt = forum.NullTime(decided)
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if r.IsGuest() {
		r.grants = forum.ParseGrants(grants)
		r.Grants = r.grants.Actions()
	}
	return r, nil
}

func (s *Service) registrations(ctx context.Context, q store.Querier, where string, args ...any) ([]Registration, error) {
	rows, err := q.QueryContext(ctx, regSelect+where, args...)
	return collectRows(rows, err, scanRegistration)
}

func (s *Service) registration(ctx context.Context, q store.Querier, f forum.Forum, id string) (Registration, error) {
	rs, err := s.registrations(ctx, q, "WHERE r.forum_id = ? AND r.id = ?", f.ID, id)
	if err != nil {
		return Registration{}, err
	}
	if len(rs) == 0 {
		return Registration{}, plenary.NotFound("no such registration in %s", f.Title)
	}
	return rs[0], nil
}

// RegistrationInput is the input of Register.
type RegistrationInput struct {
	// Email names the person to register; empty registers yourself.
	// Registering someone else takes the right to approve the registration,
	// and the registration is approved at once.
	Email string `json:"email"`
	// Party is the code of the party the person registers for; empty for
	// none, and then Group says which stakeholder group they speak for.
	Party       string `json:"party"`
	Group       string `json:"group"`
	Role        string `json:"role"`
	Mode        string `json:"mode"`
	Affiliation string `json:"affiliation"`
	Background  string `json:"background"`
	Statement   string `json:"statement"`
	// Offices are offices held beside Role (role keys: chair, editor,
	// remote_moderator, secretariat); only the secretariat registers
	// someone in an office.
	Offices []string `json:"offices,omitempty"`
}

// defaultGroupForRole is the group of a registration without a party.
func defaultGroupForRole(r rules.Role) string {
	switch r {
	case rules.RoleObserver:
		return rules.GroupObserver
	case rules.RoleGuest:
		return rules.GroupGuest
	case rules.RoleHeadOfDelegation, rules.RoleDelegate, rules.RoleAdviser:
		return ""
	}
	return rules.GroupSecretariat
}

// newRegistration validates input into a registration (without its person).
func (s *Service) newRegistration(ctx context.Context, sc *forum.Scope, in RegistrationInput, guest bool) (Registration, error) {
	f := sc.Forum
	var errs plenary.Errors
	add := func(err error) {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	r := Registration{ForumID: f.ID, ForumSlug: f.Slug, ForumTitle: f.Title}
	role, err := rules.ParseRole("role", in.Role)
	add(err)
	if role == rules.RoleGuest && !guest {
		add(plenary.Invalid("role", "guests are invited by the secretariat, who states their rights"))
	}
	r.Role = role
	r.Offices = []rules.Role{}
	for _, o := range in.Offices {
		if strings.TrimSpace(o) == "" {
			continue
		}
		office, err := ParseOffice("offices", o)
		switch {
		case err != nil:
			add(err)
		case office == role:
			add(plenary.Invalid("offices", "the %s office is the registration's role already", office.Label()))
		case Registration{Role: role, Offices: r.Offices}.Holds(office):
			add(plenary.Invalid("offices", "the %s office is named twice", office.Label()))
		default:
			r.Offices = append(r.Offices, office)
		}
	}
	r.Offices = forum.ParseOffices(forum.FormatOffices(r.Offices))
	if r.Offices == nil {
		r.Offices = []rules.Role{}
	}
	if strings.TrimSpace(in.Mode) == "" {
		in.Mode = string(rules.InRoom)
	}
	mode, err := rules.ParseMode("mode", in.Mode)
	add(err)
	r.Mode = mode
	r.Affiliation, err = forum.CheckLine("affiliation", in.Affiliation, 200)
	add(err)
	r.Statement, err = checkChars("statement", in.Statement, 2000)
	add(err)
	groups, err := s.kernel.Groups(ctx, s.store, f.ID)
	if err != nil {
		return r, err
	}
	r.Background = strings.TrimSpace(in.Background)
	if _, ok := groups.Find(r.Background); r.Background != "" && !ok {
		add(plenary.Invalid("background", "no stakeholder group %q in this forum", r.Background))
	}
	if code := strings.TrimSpace(in.Party); code != "" {
		p, err := s.activeParty(ctx, s.store, f, "party", code)
		add(err)
		r.PartyID, r.PartyCode, r.PartyName, r.Group, r.credentials = p.ID, p.Code, p.Name, p.Group, p.Credentials
	} else {
		r.Group = strings.TrimSpace(in.Group)
		if r.Group == "" {
			r.Group = defaultGroupForRole(role)
		}
		if r.Group == "" {
			add(plenary.Invalid("party", "a %s registers for a party", role.Label()))
		} else if _, ok := groups.Find(r.Group); !ok {
			add(plenary.Invalid("group", "no stakeholder group %q in this forum", r.Group))
		} else if r.Group == rules.GroupGuest && !guest {
			add(plenary.Invalid("group", "guests are invited by the secretariat, who states their rights"))
		}
	}
	if r.Background == r.Group {
		r.Background = ""
	}
	return r, errs.Err()
}

// checkChars validates a free text of at most max characters (the rules of
// forum.CheckText), trimmed.
func checkChars(field, s string, max int) (string, error) {
	s, err := forum.CheckText(field, strings.TrimSpace(s), utf8.UTFMax*max)
	if err == nil && utf8.RuneCountInString(s) > max {
		err = plenary.Invalid(field, "must be at most %d characters", max)
	}
	return s, err
}

// Register registers a person in a forum. Registering yourself makes a
// pending registration, unless you may approve it yourself as the site
// secretariat; registering someone else (Email) needs the right to approve
// the registration, and approves it at once.
func (s *Service) Register(ctx context.Context, sc *forum.Scope, in RegistrationInput) (Registration, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return Registration{}, err
	}
	_, err := s.openForum(sc)
	if err != nil {
		return Registration{}, err
	}
	if err := sc.CheckDeadline(ctx, forum.DeadlineRegistrations); err != nil {
		return Registration{}, err
	}
	r, err := s.newRegistration(ctx, sc, in, false)
	if err != nil {
		return Registration{}, err
	}
	return s.submit(ctx, sc, r, strings.TrimSpace(in.Email))
}

// ApplicationInput is a member of the public's application for observer
// status.
type ApplicationInput struct {
	Mode        string `json:"mode"`
	Affiliation string `json:"affiliation"`
	// Group is the stakeholder group the applicant declares, one of
	// ObserverGroups; "" is the observers' own group (civil society in a
	// forum without one).
	Group string `json:"group"`
	// Background is the applicant's own account of who they are, free
	// text for those who decide on the application.
	Background string `json:"background"`
	Statement  string `json:"statement"`
}

// MaxApplicationBackground is the longest background of an application,
// in characters.
const MaxApplicationBackground = 1000

// ObserverGroups are the forum's groups an applicant for observer status
// may declare: all but the secretariat, guests and the membership
// categories, whose people register for a party.
func ObserverGroups(groups rules.Groups) rules.Groups {
	out := rules.Groups{}
	for _, g := range groups {
		switch g.Key {
		case rules.GroupSecretariat, rules.GroupGuest, rules.GroupMemberState, rules.GroupSectorMember, rules.GroupAssociate:
			continue
		}
		out = append(out, g)
	}
	return out
}

func observerGroup(groups rules.Groups, key string) bool {
	_, ok := ObserverGroups(groups).Find(key)
	return ok
}

// defaultObserverGroup is the group of an application that declares none:
// the observers', or else civil society.
func defaultObserverGroup(groups rules.Groups) string {
	if _, ok := groups.Find(rules.GroupObserver); ok {
		return rules.GroupObserver
	}
	return rules.GroupCivilSociety
}

// ApplyAsObserver is the public application for observer status: a
// logged-in person asks to observe the forum. The application waits for
// the secretariat; the applicant sees its state among their registrations.
func (s *Service) ApplyAsObserver(ctx context.Context, sc *forum.Scope, in ApplicationInput) (Registration, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return Registration{}, err
	}
	f, err := s.openForum(sc)
	if err != nil {
		return Registration{}, err
	}
	st, err := sc.Settings(ctx)
	if err != nil {
		return Registration{}, err
	}
	if !st.ApplicationsOpen {
		return Registration{}, plenary.Conflict("%s does not take applications for observer status", f.Title)
	}
	if err := sc.CheckDeadline(ctx, forum.DeadlineApplications); err != nil {
		return Registration{}, err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return Registration{}, err
	}
	group := strings.TrimSpace(in.Group)
	if group == "" {
		group = defaultObserverGroup(groups)
	}
	r, err := s.newRegistration(ctx, sc, RegistrationInput{Role: string(rules.RoleObserver), Group: group,
		Mode: in.Mode, Affiliation: in.Affiliation, Statement: in.Statement}, false)
	var errs plenary.Errors
	if errors.As(err, &errs) || err == nil {
		if _, ok := groups.Find(group); ok && !observerGroup(groups, group) {
			errs = append(errs, plenary.Invalid("group", "observers may not declare the stakeholder group %q in this forum", group))
		}
		if r.Affiliation == "" {
			errs = append(errs, plenary.Invalid("affiliation", "is required: your organisation, or \"individual\""))
		}
		var berr error
		if r.Background, berr = checkChars("background", in.Background, MaxApplicationBackground); berr != nil {
			errs = append(errs, plenary.AsError(berr))
		}
		err = errs.Err()
	}
	if err != nil {
		return Registration{}, err
	}
	return s.submit(ctx, sc, r, "")
}

// GuestInput is the input of InviteGuest.
type GuestInput struct {
	Email       string `json:"email"`
	Mode        string `json:"mode"`
	Affiliation string `json:"affiliation"`
	// Statement says who invited the guest and why.
	Statement string `json:"statement"`
	// Grants are the guest's rights, as action keys. It is required: an
	// empty list is the explicit choice of no rights beyond attending.
	Grants *[]string `json:"grants"`
}

// InviteGuest registers a guest with the rights the secretariat states
// for them: there are no guests of unclear standing. The forum's
// secretariat may; the guest's rights are public.
func (s *Service) InviteGuest(ctx context.Context, sc *forum.Scope, in GuestInput) (Registration, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return Registration{}, err
	}
	_, err := s.openForum(sc)
	if err != nil {
		return Registration{}, err
	}
	if _, err := s.approverCapacity(ctx, sc, "", rules.RoleGuest); err != nil {
		return Registration{}, err
	}
	r, err := s.newRegistration(ctx, sc, RegistrationInput{Role: string(rules.RoleGuest), Group: rules.GroupGuest, Mode: in.Mode,
		Affiliation: in.Affiliation, Statement: in.Statement}, true)
	var errs plenary.Errors
	if err != nil && !errors.As(err, &errs) {
		return Registration{}, err
	}
	if strings.TrimSpace(in.Email) == "" {
		errs = append(errs, plenary.Invalid("email", "is required: the guest's account"))
	}
	if in.Grants == nil {
		errs = append(errs, plenary.Invalid("grants", "say which rights the guest has: choose them, or choose no rights explicitly"))
	} else if set, err := rules.ValidateGrants(*in.Grants); err != nil {
		errs = append(errs, plenary.AsError(err))
	} else {
		r.grants, r.Grants = set, set.Actions()
	}
	if len(errs) > 0 {
		return Registration{}, errs
	}
	return s.submit(ctx, sc, r, strings.TrimSpace(in.Email))
}

// openForum loads a forum that takes registrations (not closed).
func (s *Service) openForum(sc *forum.Scope) (forum.Forum, error) {
	f := sc.Forum
	if f.Frozen() {
		return forum.Forum{}, plenary.Conflict("%s is %s: it takes no registrations", forum.ShortName(f), strings.ToLower(f.StatusLabel()))
	}
	return f, nil
}

// submit stores a new registration of the person with the given e-mail
// address (empty: the actor), approved at once when the actor registers
// someone else and may approve it.
func (s *Service) submit(ctx context.Context, sc *forum.Scope, r Registration, email string) (Registration, error) {
	a, f := sc.Actor, sc.Forum
	r.UserID, r.Name, r.email = a.UserID, a.Name, a.Email
	if email != "" {
		u, err := s.accounts.UserByEmail(ctx, email)
		if err != nil {
			return Registration{}, plenary.Invalid("email", "no account with that e-mail address")
		}
		r.UserID, r.Name, r.email = u.ID, u.Name, u.Email
	}
	self := r.UserID == a.UserID
	c, capErr := s.approverCapacity(ctx, sc, r.PartyID, r.decidingRole())
	switch {
	case capErr != nil && plenary.ErrorCode(capErr) == plenary.CodeInternal:
		return Registration{}, capErr
	case !self && capErr != nil:
		return Registration{}, capErr
	case capErr == nil && (!self || a.Admin):
		r.State = forum.RegApproved
	default:
		r.State = forum.RegPending
	}
	if r.State == forum.RegApproved {
		r.DecidedBy, r.DecidedAs = a.Name, c.Describe()
	}
	err := s.kernel.Command(ctx, sc, "participation.submit", func(tx *store.Tx, sc *forum.Scope) error {
		if err := s.insertRegistration(ctx, tx, a, f, &r); err != nil {
			return err
		}
		if r.State == forum.RegApproved {
			return s.emitParticipantsChanged(ctx, tx, f, a, "joined", []Registration{r})
		}
		return nil
	})
	if err != nil {
		return Registration{}, err
	}
	return r.shownTo(self, c), nil
}

// shownTo fills the e-mail address when the one who asked is the person
// (self) or acts as the secretariat.
func (r Registration) shownTo(self bool, c forum.Capacity) Registration {
	if self || c.Role == string(rules.RoleSecretariat) {
		r.Email = r.email
	}
	return r
}

func forParty(r Registration) string {
	if r.PartyName == "" {
		return ""
	}
	return " for " + r.PartyName
}

// insertRegistration stores a new registration and records it. r.State
// and, for an approved one, r.DecidedAs are set by the caller.
func (s *Service) insertRegistration(ctx context.Context, tx *store.Tx, a forum.Actor, f forum.Forum, r *Registration) error {
	now := forum.NowUTC()
	r.ID, r.CreatedAt, r.UpdatedAt = plenary.NewID(), now, now
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE forum_id = ? AND user_id = ? AND COALESCE(party_id, '') = ?
		AND role = ? AND state IN (?, ?)`, f.ID, r.UserID, r.PartyID, string(r.Role), forum.RegPending, forum.RegApproved).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return plenary.Conflict("%s already has a registration as %s%s in %s", r.Name, r.Role.Label(), forParty(*r), f.Title)
	}
	for _, role := range append([]rules.Role{r.Role}, r.Offices...) {
		if err := s.checkNotHeldElsewhere(ctx, tx, f, *r, role); err != nil {
			return err
		}
	}
	var party, decidedAt any
	if r.PartyID != "" {
		party = r.PartyID
	}
	decidedBy := ""
	if r.State == forum.RegApproved {
		if err := s.checkHead(ctx, tx, *r); err != nil {
			return err
		}
		decidedBy, decidedAt, r.DecidedAt = a.UserID, now.UnixMilli(), &now
	}
	if r.Offices == nil {
		r.Offices = []rules.Role{}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO registrations (id, forum_id, user_id, party_id, group_key, role, mode, state,
		affiliation, background, statement, grants, decided_by, decided_as, decided_at, created_by, created_at, updated_at, offices)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, f.ID, r.UserID, party, r.Group, string(r.Role), string(r.Mode), r.State, r.Affiliation, r.Background, r.Statement,
		forum.FormatGrants(r.grants), decidedBy, r.DecidedAs, decidedAt, a.LedgerID(), now.UnixMilli(), now.UnixMilli(),
		forum.FormatOffices(r.Offices)); err != nil {
		return err
	}
	typ := "registration.submitted"
	switch {
	case r.IsGuest():
		typ = "registration.invited"
	case r.State == forum.RegApproved:
		typ = "registration.approved"
	}
	return s.emitRegistration(ctx, tx, f, a, typ, *r)
}

// checkHead keeps a party to one approved head of delegation.
func (s *Service) checkHead(ctx context.Context, tx *store.Tx, r Registration) error {
	if r.Role != rules.RoleHeadOfDelegation || r.PartyID == "" {
		return nil
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT u.name FROM registrations r JOIN users u ON u.id = r.user_id
		WHERE r.party_id = ? AND r.role = ? AND r.state = ? AND r.id <> ?`, r.PartyID, string(rules.RoleHeadOfDelegation), forum.RegApproved, r.ID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return plenary.Conflict("%s already has a head of delegation, %s", r.PartyName, name)
}

// ApproveRegistration approves a pending registration.
func (s *Service) ApproveRegistration(ctx context.Context, sc *forum.Scope, id string) (Registration, error) {
	return s.decide(ctx, sc, id, forum.RegApproved, "")
}

// DeclineRegistration declines a pending registration, with a reason the
// person sees.
func (s *Service) DeclineRegistration(ctx context.Context, sc *forum.Scope, id, reason string) (Registration, error) {
	return s.decide(ctx, sc, id, forum.RegDeclined, reason)
}

// WithdrawRegistration withdraws a pending or approved registration: the
// person themself may, or whoever may approve it (with a reason).
func (s *Service) WithdrawRegistration(ctx context.Context, sc *forum.Scope, id, reason string) (Registration, error) {
	return s.decide(ctx, sc, id, forum.RegWithdrawn, reason)
}

func (s *Service) decide(ctx context.Context, sc *forum.Scope, id, to, reason string) (Registration, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return Registration{}, err
	}
	f := sc.Forum
	r, err := s.registration(ctx, s.store, f, id)
	if err != nil {
		return Registration{}, err
	}
	self := r.UserID == a.UserID
	c, capErr := s.approverCapacity(ctx, sc, r.PartyID, r.decidingRole())
	if _, err := forum.Allowed(capErr); err != nil {
		return Registration{}, err
	}
	switch {
	case to == forum.RegWithdrawn && self:
		c = forum.Capacity{Role: "registrant"}
	case capErr != nil && self:
		return Registration{}, plenary.Forbidden("you may withdraw your registration, but not decide on it")
	case capErr != nil:
		return Registration{}, capErr
	case self && !a.Admin:
		return Registration{}, plenary.Forbidden("nobody decides on their own registration")
	}
	reason, err = checkChars("reason", reason, 1000)
	if err != nil {
		return Registration{}, err
	}
	if reason == "" && (to == forum.RegDeclined || (to == forum.RegWithdrawn && !self)) {
		return Registration{}, plenary.Invalid("reason", "is required: say why, for the person and the record")
	}
	from := r.State
	err = s.kernel.Command(ctx, sc, "participation.decide", func(tx *store.Tx, sc *forum.Scope) error {
		var state string
		if err := tx.QueryRowContext(ctx, "SELECT state FROM registrations WHERE id = ?"+tx.ForUpdate(), r.ID).Scan(&state); err != nil {
			return err
		}
		from = state
		switch {
		case to == forum.RegWithdrawn && state != forum.RegPending && state != forum.RegApproved:
			return plenary.Conflict("this registration is %s: there is nothing to withdraw", strings.ToLower(forum.Label(forum.RegistrationStates, state)))
		case to != forum.RegWithdrawn && state != forum.RegPending:
			return plenary.Conflict("this registration is %s, not waiting for approval", strings.ToLower(forum.Label(forum.RegistrationStates, state)))
		}
		r.State = to
		if to == forum.RegApproved {
			if err := s.checkHead(ctx, tx, r); err != nil {
				return err
			}
		}
		now := forum.NowUTC()
		r.Reason, r.DecidedBy, r.DecidedAs, r.DecidedAt, r.UpdatedAt = reason, a.Name, c.Describe(), &now, now
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET state = ?, reason = ?, decided_by = ?, decided_as = ?, decided_at = ?,
			updated_at = ? WHERE id = ?`, to, reason, a.UserID, r.DecidedAs, now.UnixMilli(), now.UnixMilli(), r.ID); err != nil {
			return err
		}
		if err := s.emitRegistration(ctx, tx, f, a, "registration."+to, r); err != nil {
			return err
		}
		switch {
		case to == forum.RegApproved:
			return s.emitParticipantsChanged(ctx, tx, f, a, "joined", []Registration{r})
		case to == forum.RegWithdrawn && from == forum.RegApproved:
			return s.emitParticipantsChanged(ctx, tx, f, a, "left", []Registration{r})
		}
		return nil
	})
	if err != nil {
		return Registration{}, err
	}
	return r.shownTo(self, c), nil
}

// emitRegistration records a step of a registration, visible to the
// party's delegation and the secretariat, or to the secretariat alone.
func (s *Service) emitRegistration(ctx context.Context, tx *store.Tx, f forum.Forum, a forum.Actor, typ string, r Registration) error {
	vis := ledger.VisSecretariat
	if r.PartyID != "" {
		vis = ledger.VisParty(r.PartyID)
	}
	payload := map[string]any{"registration_id": r.ID, "user_id": r.UserID, "name": r.Name, "party_id": r.PartyID, "party": r.PartyCode,
		"party_name": r.PartyName, "group": r.Group, "role": r.Role, "mode": r.Mode, "state": r.State, "affiliation": r.Affiliation,
		"background": r.Background}
	if r.DecidedAs != "" {
		payload["decided_as"] = r.DecidedAs
	}
	if r.Reason != "" {
		payload["reason"] = r.Reason
	}
	if r.IsGuest() {
		payload["grants"] = r.Grants
	}
	if len(r.Offices) > 0 {
		payload["offices"] = r.Offices
	}
	_, err := tx.Emit(ctx, f.ID, a.LedgerID(), typ, vis, payload)
	return err
}

// participantEntry is one person joining or leaving, on the public record.
type participantEntry struct {
	Name  string     `json:"name,omitempty"`
	Group string     `json:"group"`
	Role  rules.Role `json:"role"`
	// Offices are held beside Role.
	Offices   []rules.Role `json:"offices,omitempty"`
	Mode      rules.Mode   `json:"mode"`
	Party     string       `json:"party,omitempty"`
	PartyName string       `json:"party_name,omitempty"`
	// Grants is set for guests, an empty list for a guest with no rights.
	Grants *[]rules.Action `json:"grants,omitempty"`
}

// emitParticipantsChanged puts on the public record that people joined or
// left the approved participants ("joined", "left"), with the new counts
// of their groups and parties (people, not registrations); names only when the forum publishes them,
// and always a guest's rights.
func (s *Service) emitParticipantsChanged(ctx context.Context, tx *store.Tx, f forum.Forum, a forum.Actor, change string, rs []Registration) error {
	if len(rs) == 0 {
		return nil
	}
	st, err := s.kernel.Settings(ctx, tx, f)
	if err != nil {
		return err
	}
	entries := make([]participantEntry, 0, len(rs))
	groups, parties := map[string]int{}, map[string]int{}
	for _, r := range rs {
		e := participantEntry{Group: r.Group, Role: r.Role, Offices: r.Offices, Mode: r.Mode, Party: r.PartyCode, PartyName: r.PartyName}
		if st.NamesPublic {
			e.Name = r.Name
		}
		if r.IsGuest() {
			grants := append([]rules.Action{}, r.Grants...)
			e.Grants = &grants
		}
		entries = append(entries, e)
		groups[r.Group] = 0
		if r.PartyCode != "" {
			parties[r.PartyCode] = 0
		}
	}
	for g := range groups {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT r.user_id) FROM registrations r LEFT JOIN parties p ON p.id = r.party_id
			WHERE r.forum_id = ? AND r.state = ? AND COALESCE(p.group_key, r.group_key) = ?`, f.ID, forum.RegApproved, g).Scan(&n); err != nil {
			return err
		}
		groups[g] = n
	}
	for code := range parties {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT r.user_id) FROM registrations r JOIN parties p ON p.id = r.party_id
			WHERE p.forum_id = ? AND p.code = ? AND r.state = ?`, f.ID, code, forum.RegApproved).Scan(&n); err != nil {
			return err
		}
		parties[code] = n
	}
	_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "participants.changed", ledger.VisPublic, map[string]any{
		"change": change, "entries": entries, "group_counts": groups, "party_counts": parties})
	return err
}

// approverCapacity is the capacity in which a may decide on a registration
// for the party (empty: none) in the role. Registrations for a party in a
// participant's role may be decided by the party's focal points and those
// of its delegation the rules allow to approve registrations; offices and
// registrations without a party by the secretariat alone, which may also
// decide any other.
func (s *Service) approverCapacity(ctx context.Context, sc *forum.Scope, partyID string, role rules.Role) (forum.Capacity, error) {
	f := sc.Forum
	var first error
	if partyID != "" && !role.IsOffice() {
		c, err := sc.Authorize(ctx, rules.ApproveRegistrations, partyID)
		if err == nil {
			return c, nil
		}
		if _, ferr := forum.Allowed(err); ferr != nil {
			return forum.Capacity{}, ferr
		}
		first = err
	}
	c, err := sc.Authorize(ctx, rules.ApproveRegistrations, "")
	if err == nil && c.Role == string(rules.RoleSecretariat) {
		return c, nil
	}
	if first != nil {
		return forum.Capacity{}, first
	}
	if err != nil {
		if code := plenary.ErrorCode(err); code != plenary.CodeForbidden {
			return forum.Capacity{}, err
		}
		// The secretariat itself refused by the rules hears the rule.
		v, verr := sc.Viewer(ctx)
		if verr != nil {
			return forum.Capacity{}, verr
		}
		if v.Secretariat {
			return forum.Capacity{}, err
		}
	}
	switch {
	case role.IsOffice():
		return forum.Capacity{}, plenary.Forbidden("only the secretariat of %s decides on registrations of %s", f.Title, role.Plural())
	}
	return forum.Capacity{}, plenary.Forbidden("only the secretariat of %s decides on registrations without a party", f.Title)
}

// RegistrationFor returns one registration of a forum, to its person and
// to those who may decide on it; the e-mail address only to the person and
// the secretariat.
func (s *Service) RegistrationFor(ctx context.Context, sc *forum.Scope, id string) (Registration, error) {
	a, f := sc.Actor, sc.Forum
	if err := forum.RequireLogin(a); err != nil {
		return Registration{}, err
	}
	r, err := s.registration(ctx, s.store, f, id)
	if err != nil {
		return Registration{}, err
	}
	if r.UserID == a.UserID {
		return r.shownTo(true, forum.Capacity{}), nil
	}
	c, err := s.approverCapacity(ctx, sc, r.PartyID, r.decidingRole())
	if err != nil {
		return Registration{}, plenary.NotFound("no such registration in %s", f.Title)
	}
	return r.shownTo(false, c), nil
}

// MyRegistrations lists the actor's registrations in every forum, newest
// first, with their states and reasons.
func (s *Service) MyRegistrations(ctx context.Context, a forum.Actor) ([]Registration, error) {
	if err := forum.RequireLogin(a); err != nil {
		return nil, err
	}
	rs, err := s.registrations(ctx, s.store, "WHERE r.user_id = ? ORDER BY r.created_at DESC", a.UserID)
	for i := range rs {
		rs[i].Email = rs[i].email
	}
	return rs, err
}

// ApprovalQueue lists the pending registrations a may decide on in forum f,
// oldest first: every one for the secretariat (with e-mail addresses),
// those of its parties for a focal point or a head of delegation the rules
// allow to approve. Someone who may approve nothing is refused.
func (s *Service) ApprovalQueue(ctx context.Context, sc *forum.Scope) ([]Registration, error) {
	a, f := sc.Actor, sc.Forum
	scope, err := s.approvalScope(ctx, sc)
	if err != nil {
		return nil, err
	}
	rs, err := s.registrations(ctx, s.store, "WHERE r.forum_id = ? AND r.state = ? ORDER BY r.created_at", f.ID, forum.RegPending)
	if err != nil {
		return nil, err
	}
	out := []Registration{}
	for _, r := range rs {
		switch {
		case scope.all:
			r.Email = r.email
		case r.PartyID == "" || r.decidingRole().IsOffice() || !scope.parties[r.PartyID] || r.UserID == a.UserID:
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

type approvalScope struct {
	all     bool
	parties map[string]bool
}

// approvalScope works out whose registrations a may decide on.
func (s *Service) approvalScope(ctx context.Context, sc *forum.Scope) (approvalScope, error) {
	a, f := sc.Actor, sc.Forum
	if err := forum.RequireLogin(a); err != nil {
		return approvalScope{}, err
	}
	as := approvalScope{parties: map[string]bool{}}
	c, err := sc.Authorize(ctx, rules.ApproveRegistrations, "")
	if err == nil && c.Role == string(rules.RoleSecretariat) {
		as.all = true
		return as, nil
	}
	if _, err := forum.Allowed(err); err != nil {
		return as, err
	}
	rows, err := s.store.QueryContext(ctx, `SELECT fp.party_id FROM focal_points fp JOIN parties p ON p.id = fp.party_id
		WHERE fp.user_id = ? AND p.forum_id = ?
		UNION SELECT party_id FROM registrations WHERE user_id = ? AND forum_id = ? AND state = ? AND party_id IS NOT NULL`,
		a.UserID, f.ID, a.UserID, f.ID, forum.RegApproved)
	if err != nil {
		return as, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return as, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var first error
	for _, id := range ids {
		_, err := sc.Authorize(ctx, rules.ApproveRegistrations, id)
		switch ok, ferr := forum.Allowed(err); {
		case ferr != nil:
			return as, ferr
		case ok:
			as.parties[id] = true
		case first == nil:
			first = err
		}
	}
	if len(as.parties) == 0 {
		if first != nil {
			return as, first
		}
		return as, plenary.Forbidden("you approve no registrations in %s", f.Title)
	}
	return as, nil
}

// MayApprove reports whether a approves some registrations in forum f, for
// pages that link the approval queue: what ApprovalQueue allows.
func (s *Service) MayApprove(ctx context.Context, sc *forum.Scope) (bool, error) {
	_, err := s.approvalScope(ctx, sc)
	return forum.Allowed(err)
}

// RegistrationIn reads registration id of forum f through q, whatever its
// state, for the aggregates built on participation (a meeting's chair and
// attendance). Not found when f has no such registration.
func (s *Service) RegistrationIn(ctx context.Context, q store.Querier, f forum.Forum, id string) (Registration, error) {
	if !forum.IsRef(id) {
		return Registration{}, plenary.NotFound("no such registration in %s", f.Title)
	}
	return s.registration(ctx, q, f, id)
}

// ApprovedRegistrationsOf lists user's approved registrations in forum f,
// oldest first, read through q.
func (s *Service) ApprovedRegistrationsOf(ctx context.Context, q store.Querier, f forum.Forum, userID string) ([]Registration, error) {
	return s.registrations(ctx, q, "WHERE r.forum_id = ? AND r.user_id = ? AND r.state = 'approved' ORDER BY r.created_at, r.id", f.ID, userID)
}

// ApprovedOfParty are the approved registrations of a party in forum f
// with the given role, the earliest first: the delegates its head may
// name to sign, for instance.
func (s *Service) ApprovedOfParty(ctx context.Context, q store.Querier, f forum.Forum, partyID string, role rules.Role) ([]Registration, error) {
	return s.approvedWhere(ctx, q, f, "party_id = ? AND role = ?", partyID, string(role))
}

// ApprovedOfParties are the approved registrations in forum f of every
// party with the given role, party by party, each party's earliest first:
// the delegates the secretariat may name to sign from their credentials.
func (s *Service) ApprovedOfParties(ctx context.Context, q store.Querier, f forum.Forum, role rules.Role) ([]Registration, error) {
	return s.approvedWhere(ctx, q, f, "party_id <> '' AND role = ?", string(role))
}

// approvedWhere are the approved registrations of forum f matching where,
// by party, then the earliest first.
func (s *Service) approvedWhere(ctx context.Context, q store.Querier, f forum.Forum, where string, args ...any) ([]Registration, error) {
	rows, err := q.QueryContext(ctx, "SELECT id FROM registrations WHERE forum_id = ? AND state = ? AND "+where+" ORDER BY party_id, created_at, id",
		append([]any{f.ID, string(forum.RegApproved)}, args...)...)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	regs, err := s.RegistrationsByID(ctx, q, f, ids)
	if err != nil {
		return nil, err
	}
	out := []Registration{}
	for _, id := range ids {
		if reg, ok := regs[id]; ok {
			out = append(out, reg)
		}
	}
	return out, nil
}

// RegistrationsByID reads registrations of forum f by id, in one
// statement, whatever their states; ids that name none are left out.
func (s *Service) RegistrationsByID(ctx context.Context, q store.Querier, f forum.Forum, ids []string) (map[string]Registration, error) {
	out := map[string]Registration{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{f.ID}
	marks := make([]string, 0, len(ids))
	for _, id := range ids {
		if forum.IsRef(id) {
			args = append(args, id)
			marks = append(marks, "?")
		}
	}
	if len(marks) == 0 {
		return out, nil
	}
	rs, err := s.registrations(ctx, q, "WHERE r.forum_id = ? AND r.id IN ("+strings.Join(marks, ", ")+")", args...)
	for _, r := range rs {
		out[r.ID] = r
	}
	return out, err
}
