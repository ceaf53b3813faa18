package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// Capacity is the standing in which an actor takes an action in a forum:
// the registration it acts under, for which party, in which role and mode.
// The site secretariat acting without a registration has Role
// "secretariat" and no registration; a party's focal point approving its
// registrations has Role "focal_point"; anyone reading public documents
// without a registration that allows it has Role "public".
type Capacity struct {
	RegistrationID string `json:"registration_id,omitempty"`
	PartyID        string `json:"party_id,omitempty"`
	PartyName      string `json:"party_name,omitempty"`
	PartyCode      string `json:"party_code,omitempty"` // short code for proposal ids (ISO alpha-3 for states)
	Group          string `json:"group,omitempty"`
	Role           string `json:"role"`
	Mode           string `json:"mode,omitempty"`
}

// The roles of a capacity that are not roles of a registration.
const (
	RoleFocalPoint = "focal_point" // a party's focal point approving its registrations
	RolePublic     = "public"      // anyone reading public documents
)

// RoleLabel is the capacity's role in words: the label of a registration's
// role ("head of delegation"), "focal point" or "public".
func (c Capacity) RoleLabel() string {
	switch c.Role {
	case RoleFocalPoint:
		return "focal point"
	case RolePublic:
		return "public"
	}
	return rules.Role(c.Role).Label()
}

// Describe names a capacity for the record: "secretariat", "focal point
// of Brazil", "head of delegation of Brazil".
func (c Capacity) Describe() string {
	role := c.RoleLabel()
	if c.PartyName != "" && c.Role != string(rules.RoleSecretariat) {
		return role + " of " + c.PartyName
	}
	return role
}

// Scope is what one request knows of one forum and one actor: the forum,
// its rules of participation and stakeholder groups, and the actor's
// standings (its approved registrations there). It is read once per
// request, lazily, and every check of the request uses it; a command
// re-reads the standings inside its transaction (see Command). A Scope is
// not safe for concurrent use.
type Scope struct {
	Forum Forum
	Actor Actor

	k *Kernel
	q store.Querier // the store, or the transaction inside Command

	settings  *ParticipationSettings
	groups    rules.Groups
	standings []standing
	loaded    bool // standings read
	parties   map[string]PartyRef
	granted   []grant        // authorizations given so far, re-checked by Command
	deadlines []DeadlineKind // deadlines checked so far, checked again by Command
	kept      map[any]any    // what aggregates derived from the scope (Keep)
}

type grant struct {
	action rules.Action
	party  string
}

// Scope reads the scope of actor a in the forum with the given slug: the
// one way to name a forum.
func (k *Kernel) Scope(ctx context.Context, a Actor, slug string) (*Scope, error) {
	f, err := k.ForumBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return k.ScopeOf(a, f), nil
}

// ScopeOf is the scope of actor a in forum f, for a caller that has just
// read f.
func (k *Kernel) ScopeOf(a Actor, f Forum) *Scope {
	return &Scope{Forum: f, Actor: a, k: k, q: k.store}
}

// As is the scope of another actor in the same forum, sharing the forum's
// settings and groups.
func (sc *Scope) As(a Actor) *Scope {
	return &Scope{Forum: sc.Forum, Actor: a, k: sc.k, q: sc.q, settings: sc.settings, groups: sc.groups}
}

// Keep returns what an aggregate derives from the scope, kept under key:
// load runs the first time, and its value serves the rest of the request,
// as the scope's own reads do (drafting's Anonymiser is made once per
// request this way). An error is returned, not kept. The scope of a
// command (Command) and of another actor (As) start with nothing kept.
func Keep[T any](sc *Scope, key any, load func() (T, error)) (T, error) {
	if v, ok := sc.kept[key]; ok {
		return v.(T), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	if sc.kept == nil {
		sc.kept = map[any]any{}
	}
	sc.kept[key] = v
	return v, nil
}

// Forget drops what Keep kept under key, for a command that changed what
// it was derived from.
func (sc *Scope) Forget(key any) { delete(sc.kept, key) }

// Kernel returns the kernel the scope reads through.
func (sc *Scope) Kernel() *Kernel { return sc.k }

// Querier is what the scope reads through: the store, or inside Command the
// command's transaction.
func (sc *Scope) Querier() store.Querier { return sc.q }

// Settings returns the forum's rules of participation.
func (sc *Scope) Settings(ctx context.Context) (ParticipationSettings, error) {
	if sc.settings == nil {
		st, err := sc.k.Settings(ctx, sc.q, sc.Forum)
		if err != nil {
			return st, err
		}
		sc.settings = &st
	}
	return *sc.settings, nil
}

// Groups returns the forum's stakeholder groups.
func (sc *Scope) Groups(ctx context.Context) (rules.Groups, error) {
	if sc.groups == nil {
		gs, err := sc.k.Groups(ctx, sc.q, sc.Forum.ID)
		if err != nil {
			return nil, err
		}
		sc.groups = gs
	}
	return sc.groups, nil
}

func (sc *Scope) readStandings(ctx context.Context) ([]standing, error) {
	if !sc.loaded {
		if sc.Actor.LoggedIn() {
			read := func() ([]standing, error) { return standingsOf(ctx, sc.q, sc.Actor.UserID, sc.Forum.ID) }
			var regs []standing
			var err error
			if sc.q == store.Querier(sc.k.store) {
				// Registrations change only by events on the forum's chain.
				regs, err = cache.Get(sc.k.cache, configChain(sc.Forum.ID), "standings|"+sc.Actor.UserID, read)
			} else {
				regs, err = read()
			}
			if err != nil {
				return nil, err
			}
			sc.standings = regs
		}
		sc.loaded = true
	}
	return sc.standings, nil
}

// Viewer is what the actor may see in the forum: the one read check of
// every channel. Its registrations' parties give the delegation-only
// visibilities; the rights matrix's right to read restricted documents
// makes it a member. An error reading them leaves the public's view, never
// more.
func (sc *Scope) Viewer(ctx context.Context) (Viewer, error) {
	v := Viewer{Actor: sc.Actor, ForumID: sc.Forum.ID, Secretariat: sc.Actor.Admin}
	regs, err := sc.readStandings(ctx)
	if err != nil {
		return Viewer{Actor: sc.Actor, ForumID: sc.Forum.ID}, err
	}
	seen := map[string]bool{}
	for _, r := range regs {
		if r.holds(rules.RoleSecretariat) {
			v.Secretariat = true
		}
		if r.partyID != "" && !seen[r.partyID] {
			seen[r.partyID] = true
			v.Parties = append(v.Parties, r.partyID)
		}
	}
	switch {
	case len(regs) == 0:
	case v.Secretariat:
		v.Member = true
	default:
		// The one read check: what is restricted to members is for those
		// the rules let read restricted documents.
		may, err := sc.May(ctx, rules.ReadRestricted, "")
		if err != nil {
			return Viewer{Actor: sc.Actor, ForumID: sc.Forum.ID}, err
		}
		v.Member = may
	}
	return v, nil
}

// RequireSecretariat allows the site secretariat and the forum's own
// secretariat.
func (sc *Scope) RequireSecretariat(ctx context.Context) error {
	if err := RequireLogin(sc.Actor); err != nil {
		return err
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return err
	}
	if !v.Secretariat {
		return forbiddenSecretariat(sc.Forum)
	}
	return nil
}

// PartyRef is what the kernel knows of a party: enough to name it and to
// check its rights.
type PartyRef struct {
	ID, Code, Name, Group string
}

// Party looks up a party of the forum by id or code.
func (sc *Scope) Party(ctx context.Context, ref string) (PartyRef, error) {
	if !IsRef(ref) {
		return PartyRef{}, plenary.NotFound("no party %q in %s", ref, sc.Forum.Title)
	}
	if p, ok := sc.parties[ref]; ok {
		return p, nil
	}
	var p PartyRef
	err := sc.q.QueryRowContext(ctx, "SELECT id, code, name, group_key FROM parties WHERE forum_id = ? AND (code = ? OR id = ?)",
		sc.Forum.ID, strings.ToUpper(ref), ref).Scan(&p.ID, &p.Code, &p.Name, &p.Group)
	if errors.Is(err, sql.ErrNoRows) {
		return PartyRef{}, plenary.NotFound("no party %q in %s", ref, sc.Forum.Title)
	}
	if err != nil {
		return PartyRef{}, err
	}
	if sc.parties == nil {
		sc.parties = map[string]PartyRef{}
	}
	sc.parties[ref] = p
	return p, nil
}

// Authorize is the one gate of every command inside a forum: it checks
// that the actor may take action in the forum, acting for party (a party's
// id or code; empty: in any capacity it holds), against the forum's rights
// matrix, and returns the capacity it acts in. A denial is the rules
// package's message naming the missing right ("Sector Members may not vote
// in WCIT-12"). A grant is remembered: Command checks it again inside its
// transaction.
//
// The actor's approved registrations in the forum are tried in the order
// they were made: for party, only those for that party. Each becomes a
// rules.Subject (the party's stakeholder group, or the registration's own
// group when it has no party; its role and mode; the credentials of the
// party's delegation; a guest's grants), once for its role and once for
// each office it holds beside it (a chair who holds the pen is one
// registration, chair with the office of editor), and the first the
// matrix allows is the capacity, whose Role names the role or office that
// granted the right. Then:
//
//   - to approve a party's registrations, its focal points are authorized;
//   - the site secretariat (Actor.Admin) is checked as the secretariat
//     office in the room, which acts for no party except to approve
//     registrations (so does a registration in the secretariat role);
//   - anyone may read public documents.
//
// When nothing allows the action, the denial of the first registration
// tried is returned, or, for someone not registered, a denial saying so.
// Anonymous actors may only read public documents.
func (sc *Scope) Authorize(ctx context.Context, action rules.Action, party string) (Capacity, error) {
	c, err := sc.authorize(ctx, action, party)
	if err == nil && sc.Actor.LoggedIn() {
		sc.granted = append(sc.granted, grant{action, party})
	}
	return c, err
}

// May reports whether Authorize would allow the action; an error reading
// the rights is returned, never taken for a yes or a no.
func (sc *Scope) May(ctx context.Context, action rules.Action, party string) (bool, error) {
	_, err := sc.authorize(ctx, action, party)
	if err == nil {
		return true, nil
	}
	switch plenary.ErrorCode(err) {
	case plenary.CodeForbidden, plenary.CodeUnauthorized:
		return false, nil
	}
	return false, err
}

// Allowed turns what a command's check returns into the yes or no of a
// page that offers the command (a button, a form, a link): nil is yes; a
// refusal, an error the command would answer its caller with because of
// who asks or of the state of things (not logged in, forbidden, not
// found, in conflict, invalid for this caller), is no; anything else is a
// failure to decide, returned and never taken for a yes or a no. Each
// aggregate's rights are one function that its command calls to
// authorize and that its May function passes through Allowed, so that
// what a page offers is what the command accepts.
func Allowed(err error) (bool, error) {
	if err == nil {
		return true, nil
	}
	switch plenary.ErrorCode(err) {
	case plenary.CodeUnauthorized, plenary.CodeForbidden, plenary.CodeNotFound, plenary.CodeConflict, plenary.CodeInvalid:
		return false, nil
	}
	return false, err
}

func (sc *Scope) authorize(ctx context.Context, action rules.Action, party string) (Capacity, error) {
	if !action.Valid() {
		return Capacity{}, plenary.Invalid("action", "unknown action %q", action)
	}
	a, f := sc.Actor, sc.Forum
	if !a.LoggedIn() {
		if action == rules.ReadPublic {
			return Capacity{Role: RolePublic}, nil
		}
		return Capacity{}, plenary.Unauthorized("log in first")
	}
	st, err := sc.Settings(ctx)
	if err != nil {
		return Capacity{}, err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return Capacity{}, err
	}
	regs, err := sc.readStandings(ctx)
	if err != nil {
		return Capacity{}, err
	}
	var target PartyRef
	if party != "" {
		if target, err = sc.Party(ctx, party); err != nil {
			return Capacity{}, err
		}
	}
	name := ShortName(f)
	var first error
	for _, r := range regs {
		if party != "" && r.partyID != target.ID &&
			!(action == rules.ApproveRegistrations && r.partyID == "" && r.holds(rules.RoleSecretariat)) {
			continue
		}
		// The registration's role, then each office it holds beside it,
		// each checked in the registration's group and mode: the first
		// that the matrix allows is the capacity, and names that office.
		for _, role := range r.roles() {
			sub := rules.Subject{Forum: name, Group: groups.Lookup(r.group), Role: role, Mode: r.mode,
				Credentials: r.credentials, Grants: r.grants}
			err := st.Matrix.Check(sub, action)
			if err == nil {
				return Capacity{RegistrationID: r.id, PartyID: r.partyID, PartyName: r.partyName, PartyCode: r.partyCode,
					Group: r.group, Role: string(role), Mode: string(r.mode)}, nil
			}
			if first == nil {
				first = err
			}
		}
	}
	if party != "" && action == rules.ApproveRegistrations {
		fp, err := isFocalPoint(ctx, sc.q, a.UserID, target.ID)
		if err != nil {
			return Capacity{}, err
		}
		if fp {
			return Capacity{PartyID: target.ID, PartyName: target.Name, PartyCode: target.Code, Group: target.Group, Role: RoleFocalPoint}, nil
		}
	}
	if a.Admin && (party == "" || action == rules.ApproveRegistrations) {
		sub := rules.Subject{Forum: name, Group: groups.Lookup(rules.GroupSecretariat), Role: rules.RoleSecretariat, Mode: rules.InRoom}
		err := st.Matrix.Check(sub, action)
		if err == nil {
			return Capacity{Group: rules.GroupSecretariat, Role: string(rules.RoleSecretariat), Mode: string(rules.InRoom)}, nil
		}
		if first == nil {
			first = err
		}
	}
	switch {
	case action == rules.ReadPublic:
		return Capacity{Role: RolePublic}, nil
	case first != nil:
		return Capacity{}, first
	case party != "":
		return Capacity{}, plenary.Forbidden("you are not registered for %s in %s", target.Name, name)
	}
	return Capacity{}, plenary.Forbidden("you are not registered in %s", name)
}

func isFocalPoint(ctx context.Context, q store.Querier, userID, partyID string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM focal_points WHERE party_id = ? AND user_id = ?", partyID, userID).Scan(&n)
	return n > 0, err
}

// ShortName is the forum's name in messages: its title up to a colon
// ("WCIT-12" of "WCIT-12: World Conference on International
// Telecommunications"), or the whole title.
func ShortName(f Forum) string {
	if i := strings.Index(f.Title, ":"); i > 0 && i <= 40 {
		return strings.TrimSpace(f.Title[:i])
	}
	return f.Title
}

// standing is one approved registration of an actor, with what a
// rules.Subject needs.
type standing struct {
	id, partyID, partyCode, partyName, group string
	role                                     rules.Role
	mode                                     rules.Mode
	credentials                              rules.Credentials
	grants                                   rules.ActionSet
	offices                                  []rules.Role // held beside role
}

// roles are the registration's role and the offices it holds beside it,
// in the order Authorize tries them.
func (r standing) roles() []rules.Role {
	out := []rules.Role{r.role}
	for _, o := range r.offices {
		if o != r.role {
			out = append(out, o)
		}
	}
	return out
}

// holds reports whether the registration is in role, or holds it as an
// office beside its own.
func (r standing) holds(role rules.Role) bool {
	for _, x := range r.roles() {
		if x == role {
			return true
		}
	}
	return false
}

// standingsOf returns a user's approved registrations in a forum, oldest
// first.
func standingsOf(ctx context.Context, q store.Querier, userID, forumID string) ([]standing, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, COALESCE(r.party_id, ''), COALESCE(p.code, ''), COALESCE(p.name, ''),
		COALESCE(p.group_key, r.group_key), r.role, r.mode, COALESCE(p.credentials, ''), r.grants, r.offices
		FROM registrations r LEFT JOIN parties p ON p.id = r.party_id
		WHERE r.user_id = ? AND r.forum_id = ? AND r.state = ? ORDER BY r.created_at, r.id`, userID, forumID, RegApproved)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []standing
	for rows.Next() {
		var r standing
		var grants, offices string
		if err := rows.Scan(&r.id, &r.partyID, &r.partyCode, &r.partyName, &r.group, &r.role, &r.mode, &r.credentials, &grants, &offices); err != nil {
			return nil, err
		}
		r.grants, r.offices = ParseGrants(grants), ParseOffices(offices)
		out = append(out, r)
	}
	return out, rows.Err()
}

func forbiddenSecretariat(f Forum) error {
	return plenary.Forbidden("only the secretariat of %s may do this", f.Title)
}

// Command runs one command's transaction: the order of every command is
// validate (before calling Command), then, inside fn, load, authorize and
// write. Before fn runs, the forum's row is read again inside the
// transaction, locked, and a closed or discarded forum refuses the command
// naming its state (only ReopenForum is taken in a closed forum); then the
// actor's standings are read again and every authorization the scope
// granted earlier in the request is checked again, so a registration
// withdrawn in between refuses the command, and so is every deadline it
// checked (CheckDeadline). fn gets a scope that reads through the
// transaction, with the forum as it stands: an Authorize there sees the
// committed state. Every chain the command appended to gets a signed
// checkpoint of its new head in the same transaction; subscribers are told
// after the commit, never before. An error is returned wrapped with the
// command's name.
func (k *Kernel) Command(ctx context.Context, sc *Scope, name string, fn func(tx *store.Tx, sc *Scope) error) error {
	return k.command(ctx, sc, name, false, fn)
}

// command is Command; whenClosed lets the command run in a closed forum.
func (k *Kernel) command(ctx context.Context, sc *Scope, name string, whenClosed bool, fn func(tx *store.Tx, sc *Scope) error) error {
	err := k.Write(ctx, func(tx *store.Tx) error {
		return k.commandIn(ctx, tx, sc, whenClosed, fn)
	})
	if err != nil {
		return &CommandError{Command: name, Err: err}
	}
	return nil
}

// commandIn is the body of a command inside its transaction: the forum
// locked and checked, the scope's authorizations and deadlines checked
// again, then fn.
func (k *Kernel) commandIn(ctx context.Context, tx *store.Tx, sc *Scope, whenClosed bool, fn func(tx *store.Tx, sc *Scope) error) error {
	f, err := lockForum(ctx, tx, sc.Forum.ID)
	if err != nil {
		return err
	}
	return k.commandOn(ctx, tx, sc, f, whenClosed, fn)
}

// commandOn is commandIn on the forum's row f, already read and locked in
// tx.
func (k *Kernel) commandOn(ctx context.Context, tx *store.Tx, sc *Scope, f Forum, whenClosed bool, fn func(tx *store.Tx, sc *Scope) error) error {
	if f.Frozen() && !(whenClosed && f.Status == StatusClosed) {
		return frozenError(f)
	}
	in := &Scope{Forum: f, Actor: sc.Actor, k: k, q: tx, settings: sc.settings, groups: sc.groups}
	for _, g := range sc.granted {
		if _, err := in.Authorize(ctx, g.action, g.party); err != nil {
			return err
		}
	}
	for _, d := range sc.deadlines {
		if err := in.CheckDeadline(ctx, d); err != nil {
			return err
		}
	}
	return fn(tx, in)
}

// CommandError is a command's error, named after the command. Its message
// to a client is the underlying error's: Unwrap reaches it.
type CommandError struct {
	Command string
	Err     error
}

func (e *CommandError) Error() string { return fmt.Sprintf("%s: %v", e.Command, e.Err) }
func (e *CommandError) Unwrap() error { return e.Err }

// Authorize is Scope.Authorize for a caller without a scope: the scope of a
// in f, read for this one check.
func (s *Kernel) Authorize(ctx context.Context, a Actor, f Forum, action rules.Action, party string) (Capacity, error) {
	return s.ScopeOf(a, f).Authorize(ctx, action, party)
}

// ViewerFor works out what a can see in forum f.
func (s *Kernel) ViewerFor(ctx context.Context, a Actor, f Forum) (Viewer, error) {
	return s.ScopeOf(a, f).Viewer(ctx)
}

// RequireSecretariat allows the site secretariat and the forum's own
// secretariat.
func (s *Kernel) RequireSecretariat(ctx context.Context, a Actor, f Forum) error {
	return s.ScopeOf(a, f).RequireSecretariat(ctx)
}

type scopesKey struct{}

type requestScopes struct {
	byForum map[string]*Scope // forum id -> scope
}

// WithScopes returns a context in which the scopes read for a request are
// kept, so that the forum, its rules and the actor's standings are read
// once however many checks the request makes. Each face calls it once per
// request.
func WithScopes(ctx context.Context) context.Context {
	return context.WithValue(ctx, scopesKey{}, &requestScopes{byForum: map[string]*Scope{}})
}

// RequestScope is the scope of actor a in the forum named by slug, read
// once per request (see WithScopes).
func (k *Kernel) RequestScope(ctx context.Context, a Actor, slug string) (*Scope, error) {
	if rs, ok := ctx.Value(scopesKey{}).(*requestScopes); ok {
		for _, sc := range rs.byForum {
			if sc.Forum.Slug == slug && sc.Actor == a {
				return sc, nil
			}
		}
	}
	f, err := k.ForumBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return k.RequestScopeOf(ctx, a, f), nil
}

// RequestScopeOf is the scope of actor a in forum f, kept for the rest of
// the request (see WithScopes).
func (k *Kernel) RequestScopeOf(ctx context.Context, a Actor, f Forum) *Scope {
	rs, ok := ctx.Value(scopesKey{}).(*requestScopes)
	if !ok {
		return k.ScopeOf(a, f)
	}
	if sc, ok := rs.byForum[f.ID]; ok && sc.Actor == a {
		return sc
	}
	sc := k.ScopeOf(a, f)
	rs.byForum[f.ID] = sc
	return sc
}
