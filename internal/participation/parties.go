package participation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// A party speaks for a stakeholder group in one forum: a Member State, a
// company, an NGO, an intergovernmental organisation. Its people form its
// delegation (their registrations); its focal points approve them; at a
// treaty conference its credentials decide whether the delegation votes
// and signs. Parties are per forum, because the same company is a Sector
// Member at an ITU forum and private sector at the IGF. Parties, their
// groups and their credentials are public.

// Party kinds.
const (
	KindMemberState = "member_state"
	KindCompany     = "company"
	KindNGO         = "ngo"
	KindIGO         = "igo"
	KindAcademia    = "academia"
	KindOther       = "other"
)

// PartyKinds lists the party kinds with their labels.
var PartyKinds = []forum.Choice{
	{Value: KindMemberState, Label: "Member State"},
	{Value: KindCompany, Label: "Company"},
	{Value: KindNGO, Label: "Non-governmental organisation"},
	{Value: KindIGO, Label: "Intergovernmental organisation"},
	{Value: KindAcademia, Label: "Academic or research institution"},
	{Value: KindOther, Label: "Other organisation"},
}

// Party is one party of a forum.
type Party struct {
	ID      string `json:"id"`
	ForumID string `json:"forum_id"`
	// Code is the party's short code, used in proposal numbers: the ISO
	// alpha-3 code of a State, a short code for others.
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Group      string `json:"group"`
	ISO2       string `json:"iso2,omitempty"`
	ISO3       string `json:"iso3,omitempty"`
	ITUCode    string `json:"itu_code,omitempty"`
	Region     string `json:"region,omitempty"`
	Member2012 bool   `json:"member_2012"`
	MemberNow  bool   `json:"member_now"`
	// Credentials is the state of the delegation's credentials.
	Credentials rules.Credentials `json:"credentials"`
	// ProxyCode is the party holding the proxy when the powers are transferred.
	ProxyCode       string     `json:"proxy,omitempty"`
	ProxyName       string     `json:"proxy_name,omitempty"`
	CredentialsNote string     `json:"credentials_note,omitempty"`
	CredentialsAt   *time.Time `json:"credentials_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	proxyID         string
}

// KindLabel is the kind for people.
func (p Party) KindLabel() string { return forum.Label(PartyKinds, p.Kind) }

// IsMemberState reports whether the party is a State.
func (p Party) IsMemberState() bool { return p.Kind == KindMemberState }

// PartyInput is the input of AddParty and of each row of ImportParties.
type PartyInput struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Group      string `json:"group"`
	ISO2       string `json:"iso2"`
	ISO3       string `json:"iso3"`
	ITUCode    string `json:"itu_code"`
	Region     string `json:"region"`
	Member2012 bool   `json:"member_2012"`
	MemberNow  bool   `json:"member_now"`
}

var partyCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,15}$`)
var alpha3RE = regexp.MustCompile(`^[A-Z]{3}$`)
var alpha2RE = regexp.MustCompile(`^[A-Z]{2}$`)

// kindForGroup is the kind a party of a group has when none is given.
func kindForGroup(group string) string {
	switch group {
	case rules.GroupMemberState:
		return KindMemberState
	case rules.GroupSectorMember, rules.GroupPrivateSector, rules.GroupAssociate:
		return KindCompany
	case rules.GroupCivilSociety:
		return KindNGO
	case rules.GroupIGO:
		return KindIGO
	case rules.GroupAcademia:
		return KindAcademia
	}
	return KindOther
}

// validate normalises the input and returns every problem, each naming
// its field.
func (in *PartyInput) validate(groups rules.Groups) plenary.Errors {
	var errs plenary.Errors
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.ISO2 = strings.ToUpper(strings.TrimSpace(in.ISO2))
	in.ISO3 = strings.ToUpper(strings.TrimSpace(in.ISO3))
	in.Group = strings.TrimSpace(in.Group)
	in.Kind = strings.TrimSpace(in.Kind)
	name, err := forum.CheckName("name", in.Name, 200)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	in.Name = name
	if _, ok := groups.Find(in.Group); !ok {
		errs = append(errs, plenary.Invalid("group", "no stakeholder group %q in this forum", in.Group))
	}
	if in.Kind == "" {
		in.Kind = kindForGroup(in.Group)
	}
	if !forum.Valid(PartyKinds, in.Kind) {
		errs = append(errs, plenary.Invalid("kind", "must be member_state, company, ngo, igo, academia or other"))
	}
	switch {
	case in.Kind == KindMemberState && !alpha3RE.MatchString(in.Code):
		errs = append(errs, plenary.Invalid("code", "a State's code is its ISO 3166 alpha-3 code, three capital letters such as BRA"))
	case !partyCodeRE.MatchString(in.Code):
		errs = append(errs, plenary.Invalid("code", "must be 2 to 16 capital letters, digits or hyphens, such as ISOC"))
	}
	if in.ISO2 != "" && !alpha2RE.MatchString(in.ISO2) {
		errs = append(errs, plenary.Invalid("iso2", "must be two letters"))
	}
	if in.ISO3 != "" && !alpha3RE.MatchString(in.ISO3) {
		errs = append(errs, plenary.Invalid("iso3", "must be three letters"))
	}
	var itu, region string
	if itu, err = forum.CheckLine("itu_code", in.ITUCode, 8); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	in.ITUCode = strings.ToUpper(itu)
	if region, err = forum.CheckLine("region", in.Region, 100); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	in.Region = region
	return errs
}

// AddParty adds a party to a forum. The forum's secretariat may.
func (s *Service) AddParty(ctx context.Context, sc *forum.Scope, in PartyInput) (Party, error) {
	ps, err := s.ImportParties(ctx, sc, []PartyRow{{Row: 0, PartyInput: in}})
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			var es plenary.Errors
			for _, r := range ie.Rows {
				es = append(es, plenary.Invalid(r.Field, "%s", r.Message))
			}
			return Party{}, es
		}
		return Party{}, err
	}
	return ps[0], nil
}

// PartyRow is one party to import, with the row of the file it came from.
type PartyRow struct {
	Row int
	PartyInput
}

// RowError is one problem in one row of an imported file.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e RowError) String() string {
	if e.Row == 0 {
		return e.Field + ": " + e.Message
	}
	return fmt.Sprintf("row %d, %s: %s", e.Row, e.Field, e.Message)
}

// ImportError is the answer to an import with bad rows: every problem of
// every row, and nothing imported. It unwraps to plenary.Errors, so that
// the faces show it as invalid input.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	lines := make([]string, len(e.Rows))
	for i, r := range e.Rows {
		lines[i] = r.String()
	}
	return fmt.Sprintf("%d problems; nothing was imported:\n%s", len(e.Rows), strings.Join(lines, "\n"))
}

// Unwrap returns the problems as field errors, the field named with its row.
func (e *ImportError) Unwrap() error {
	es := make(plenary.Errors, len(e.Rows))
	for i, r := range e.Rows {
		field := r.Field
		if r.Row > 0 {
			field = fmt.Sprintf("row %d: %s", r.Row, r.Field)
		}
		es[i] = plenary.Invalid(field, "%s", r.Message)
	}
	return es
}

func (e *ImportError) add(row int, err error) {
	var es plenary.Errors
	if errors.As(err, &es) {
		for _, x := range es {
			e.Rows = append(e.Rows, RowError{row, x.Field, x.Message})
		}
		return
	}
	pe := plenary.AsError(err)
	e.Rows = append(e.Rows, RowError{row, pe.Field, pe.Message})
}

func (e *ImportError) err() error {
	if len(e.Rows) == 0 {
		return nil
	}
	return e
}

// ImportParties adds many parties to a forum in one transaction: either
// every row is good and all are added, with one public event listing them,
// or nothing is added and the error (an *ImportError) lists every bad row.
// The forum's secretariat may.
func (s *Service) ImportParties(ctx context.Context, sc *forum.Scope, rows []PartyRow) ([]Party, error) {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, plenary.Invalid("file", "has no parties")
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return nil, err
	}
	var bad ImportError
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		for _, e := range r.validate(groups) {
			bad.Rows = append(bad.Rows, RowError{r.Row, e.Field, e.Message})
		}
		if first, dup := seen[r.Code]; dup && r.Code != "" {
			bad.Rows = append(bad.Rows, RowError{r.Row, "code", fmt.Sprintf("%s is also in row %d", r.Code, first)})
		}
		seen[r.Code] = r.Row
	}
	now := forum.NowUTC()
	out := make([]Party, 0, len(rows))
	err = s.kernel.Command(ctx, sc, "participation.ImportParties", func(tx *store.Tx, sc *forum.Scope) error {
		existing := map[string]bool{}
		qr, err := tx.QueryContext(ctx, "SELECT code FROM parties WHERE forum_id = ?", f.ID)
		if err != nil {
			return err
		}
		for qr.Next() {
			var c string
			if err := qr.Scan(&c); err != nil {
				qr.Close()
				return err
			}
			existing[c] = true
		}
		qr.Close()
		for _, r := range rows {
			if existing[r.Code] {
				bad.Rows = append(bad.Rows, RowError{r.Row, "code", fmt.Sprintf("this forum already has a party %s", r.Code)})
			}
		}
		if err := bad.err(); err != nil {
			return err
		}
		type listed struct {
			Code  string `json:"code"`
			Name  string `json:"name"`
			Group string `json:"group"`
		}
		list := make([]listed, 0, len(rows))
		for _, r := range rows {
			p := Party{ID: plenary.NewID(), ForumID: f.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, Group: r.Group,
				ISO2: r.ISO2, ISO3: r.ISO3, ITUCode: r.ITUCode, Region: r.Region, Member2012: r.Member2012, MemberNow: r.MemberNow,
				Credentials: rules.CredentialsNone, CreatedAt: now}
			if _, err := tx.ExecContext(ctx, `INSERT INTO parties (id, forum_id, code, name, kind, group_key, iso2, iso3, itu_code, region,
				member_2012, member_now, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				p.ID, p.ForumID, p.Code, p.Name, p.Kind, p.Group, p.ISO2, p.ISO3, p.ITUCode, p.Region, p.Member2012, p.MemberNow,
				now.UnixMilli()); err != nil {
				return err
			}
			out = append(out, p)
			list = append(list, listed{p.Code, p.Name, p.Group})
		}
		if len(out) == 1 {
			_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "party.added", ledger.VisPublic, out[0])
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "parties.imported", ledger.VisPublic,
			map[string]any{"forum_id": f.ID, "count": len(list), "parties": list})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const partyColumns = `p.id, p.forum_id, p.code, p.name, p.kind, p.group_key, p.iso2, p.iso3, p.itu_code, p.region, p.member_2012,
	p.member_now, p.credentials, p.credentials_proxy, COALESCE(x.code, ''), COALESCE(x.name, ''), p.credentials_note, p.credentials_at, p.created_at`

const partyFrom = " FROM parties p LEFT JOIN parties x ON x.id = p.credentials_proxy AND p.credentials_proxy <> ''"

func scanParty(sc rowScanner) (Party, error) {
	var p Party
	var credAt sql.NullInt64
	var created int64
	err := sc.Scan(&p.ID, &p.ForumID, &p.Code, &p.Name, &p.Kind, &p.Group, &p.ISO2, &p.ISO3, &p.ITUCode, &p.Region, &p.Member2012,
		&p.MemberNow, &p.Credentials, &p.proxyID, &p.ProxyCode, &p.ProxyName, &p.CredentialsNote, &credAt, &created)
	p.CredentialsAt = forum.NullTime(credAt)
	p.CreatedAt = time.UnixMilli(created).UTC()
	return p, err
}

// Parties lists a forum's parties by group, then name. They are public.
func (s *Service) Parties(ctx context.Context, sc *forum.Scope) ([]Party, error) {
	f := sc.Forum
	rows, err := s.store.QueryContext(ctx, "SELECT "+partyColumns+partyFrom+" WHERE p.forum_id = ? ORDER BY p.name", f.ID)
	return collectRows(rows, err, scanParty)
}

// PartyByCode returns one party of a forum by its code (or its id).
func (s *Service) PartyByCode(ctx context.Context, sc *forum.Scope, code string) (Party, error) {
	f := sc.Forum
	return s.Party(ctx, s.store, f, code)
}

func (s *Service) Party(ctx context.Context, q store.Querier, f forum.Forum, ref string) (Party, error) {
	p, err := scanParty(q.QueryRowContext(ctx, "SELECT "+partyColumns+partyFrom+" WHERE p.forum_id = ? AND (p.code = ? OR p.id = ?)",
		f.ID, strings.ToUpper(ref), ref))
	if errors.Is(err, sql.ErrNoRows) {
		return Party{}, plenary.NotFound("no party %q in %s", ref, f.Title)
	}
	return p, err
}

// CredentialsInput is the input of RecordCredentials.
type CredentialsInput struct {
	// State is none, provisional, in_order, sign_only or transferred.
	State string `json:"state"`
	// Proxy is the code of the party holding the proxy, for transferred.
	Proxy string `json:"proxy"`
	Note  string `json:"note"`
}

// RecordCredentials records the state of a delegation's credentials (ITU
// Convention Art. 31): voting and signing at a treaty conference depend on
// it. The forum's secretariat may; the record is public.
func (s *Service) RecordCredentials(ctx context.Context, sc *forum.Scope, code string, in CredentialsInput) (Party, error) {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Party{}, err
	}
	state, err := rules.ParseCredentials("state", in.State)
	if err != nil {
		return Party{}, err
	}
	if in.Note, err = forum.CheckText("note", strings.TrimSpace(in.Note), 500); err != nil {
		return Party{}, err
	}
	var p Party
	err = s.kernel.Command(ctx, sc, "participation.RecordCredentials", func(tx *store.Tx, sc *forum.Scope) error {
		var err error
		if p, err = s.Party(ctx, tx, f, code); err != nil {
			return err
		}
		proxy := Party{}
		switch {
		case state == rules.CredentialsTransferred && strings.TrimSpace(in.Proxy) == "":
			return plenary.Invalid("proxy", "say to which party the powers are transferred")
		case state == rules.CredentialsTransferred:
			if proxy, err = s.Party(ctx, tx, f, strings.TrimSpace(in.Proxy)); err != nil {
				return plenary.Invalid("proxy", "no party %q in this forum", in.Proxy)
			}
			if proxy.ID == p.ID {
				return plenary.Invalid("proxy", "a delegation cannot transfer its powers to itself")
			}
			if proxy.Credentials == rules.CredentialsTransferred {
				return plenary.Invalid("proxy", "%s has itself transferred its powers", proxy.Name)
			}
		case strings.TrimSpace(in.Proxy) != "":
			return plenary.Invalid("proxy", "only transferred credentials name a proxy")
		}
		now := forum.NowUTC()
		p.Credentials, p.proxyID, p.ProxyCode, p.ProxyName, p.CredentialsNote, p.CredentialsAt = state, proxy.ID, proxy.Code, proxy.Name, in.Note, &now
		if _, err := tx.ExecContext(ctx, `UPDATE parties SET credentials = ?, credentials_proxy = ?, credentials_note = ?, credentials_at = ?
			WHERE id = ?`, string(state), proxy.ID, in.Note, now.UnixMilli(), p.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "credentials.recorded", ledger.VisPublic, map[string]any{
			"party_id": p.ID, "code": p.Code, "name": p.Name, "state": state, "proxy": proxy.Code, "note": in.Note})
		return err
	})
	return p, err
}

// Person is someone named on a page: an account's id and name, never its
// e-mail address.
type Person struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
}

// AppointFocalPoint makes the account with the given e-mail address a
// focal point of a party: it approves the party's registrations. The
// forum's secretariat may.
func (s *Service) AppointFocalPoint(ctx context.Context, sc *forum.Scope, code, email string) (Person, error) {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Person{}, err
	}
	p, err := s.PartyByCode(ctx, sc, code)
	if err != nil {
		return Person{}, err
	}
	u, err := s.accounts.UserByEmail(ctx, email)
	if err != nil {
		return Person{}, plenary.Invalid("email", "no account with that e-mail address")
	}
	err = s.kernel.Command(ctx, sc, "participation.AppointFocalPoint", func(tx *store.Tx, sc *forum.Scope) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO focal_points (party_id, user_id, created_at) VALUES (?, ?, ?)",
			p.ID, u.ID, forum.NowUTC().UnixMilli()); err != nil {
			if errors.Is(store.MapErr(err), plenary.ErrConflict) {
				return plenary.Invalid("email", "%s is already a focal point of %s", u.Name, p.Name)
			}
			return err
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "focal_point.appointed", ledger.VisParty(p.ID), map[string]any{
			"party_id": p.ID, "code": p.Code, "user_id": u.ID, "name": u.Name})
		return err
	})
	return Person{UserID: u.ID, Name: u.Name}, err
}

// RemoveFocalPoint ends a focal point's appointment. The forum's
// secretariat may.
func (s *Service) RemoveFocalPoint(ctx context.Context, sc *forum.Scope, code, userID string) error {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return err
	}
	p, err := s.PartyByCode(ctx, sc, code)
	if err != nil {
		return err
	}
	return s.kernel.Command(ctx, sc, "participation.RemoveFocalPoint", func(tx *store.Tx, sc *forum.Scope) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM focal_points WHERE party_id = ? AND user_id = ?", p.ID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return plenary.NotFound("that person is not a focal point of %s", p.Name)
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "focal_point.removed", ledger.VisParty(p.ID), map[string]any{
			"party_id": p.ID, "code": p.Code, "user_id": userID})
		return err
	})
}

// FocalPoints lists a party's focal points.
func (s *Service) FocalPoints(ctx context.Context, p Party) ([]Person, error) {
	return s.people(ctx, `SELECT u.id, u.name FROM focal_points fp JOIN users u ON u.id = fp.user_id
		WHERE fp.party_id = ? ORDER BY u.name`, p.ID)
}

func (s *Service) people(ctx context.Context, query string, args ...any) ([]Person, error) {
	rows, err := s.store.QueryContext(ctx, query, args...)
	return collectRows(rows, err, func(sc rowScanner) (Person, error) {
		var p Person
		err := sc.Scan(&p.UserID, &p.Name)
		return p, err
	})
}
