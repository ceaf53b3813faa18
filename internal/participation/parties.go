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

// Party states. A party is withdrawn by the secretariat (with a reason on
// the record), or merged into another when it was a duplicate; either way
// it is kept, for the record, with its code.
const (
	PartyActive    = "active"
	PartyWithdrawn = "withdrawn"
	PartyMerged    = "merged"
)

// PartyStates lists the states of a party with their labels.
var PartyStates = []forum.Choice{
	{Value: PartyActive, Label: "Taking part"},
	{Value: PartyWithdrawn, Label: "Withdrawn"},
	{Value: PartyMerged, Label: "Merged into another party"},
}

// Party is one party of a forum.
type Party struct {
	ID      string `json:"id"`
	ForumID string `json:"forum_id"`
	// Code is the party's short code, used in proposal numbers: the ISO
	// alpha-3 code of a State, a short code for others.
	Code string `json:"code"`
	// Name is the party's name; a Member State's is its official short
	// name in English, and Names has it in the six UN languages.
	Name       string         `json:"name"`
	Names      *OfficialNames `json:"names,omitempty"`
	Kind       string         `json:"kind"`
	Group      string         `json:"group"`
	ISO2       string         `json:"iso2,omitempty"`
	ISO3       string         `json:"iso3,omitempty"`
	ITUCode    string         `json:"itu_code,omitempty"`
	Region     string         `json:"region,omitempty"`
	Member2012 bool           `json:"member_2012"`
	MemberNow  bool           `json:"member_now"`
	// Credentials is the state of the delegation's credentials.
	Credentials rules.Credentials `json:"credentials"`
	// ProxyCode is the party holding the proxy when the powers are transferred.
	ProxyCode       string     `json:"proxy,omitempty"`
	ProxyName       string     `json:"proxy_name,omitempty"`
	CredentialsNote string     `json:"credentials_note,omitempty"`
	CredentialsAt   *time.Time `json:"credentials_at,omitempty"`
	// Status is active, withdrawn or merged; MergedInto is the code of the
	// party a merged one was merged into; StatusReason and StatusAt say why
	// and when it was withdrawn or merged.
	Status         string     `json:"status"`
	MergedInto     string     `json:"merged_into,omitempty"`
	MergedIntoName string     `json:"merged_into_name,omitempty"`
	StatusReason   string     `json:"status_reason,omitempty"`
	StatusAt       *time.Time `json:"status_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	proxyID        string
	mergedIntoID   string
}

// KindLabel is the kind for people.
func (p Party) KindLabel() string { return forum.Label(PartyKinds, p.Kind) }

// StatusLabel is the state for people.
func (p Party) StatusLabel() string { return forum.Label(PartyStates, p.Status) }

// IsMemberState reports whether the party is a State.
func (p Party) IsMemberState() bool { return p.Kind == KindMemberState }

// Active reports whether the party takes part (neither withdrawn nor merged).
func (p Party) Active() bool { return p.Status == PartyActive }

// NamesIn returns a State's official names in the given languages (a
// forum's), for pages; none for other parties.
func (p Party) NamesIn(langs []string) []LocalName {
	if p.Names == nil {
		return nil
	}
	return p.Names.InLanguages(langs)
}

// PartyInput is the input of AddParty and of each row of ImportParties.
type PartyInput struct {
	// Code is required, except for a Member State named by its country,
	// whose code is its ISO alpha-3 code.
	Code string `json:"code"`
	// Name is required, except for a Member State: a State's name is its
	// official name, from its country.
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Group string `json:"group"`
	// Country is the party's country: an ISO 3166 alpha-2 or alpha-3 code,
	// or its name in one of the six UN languages. It gives a Member State
	// its code, ISO codes, ITU code and official names.
	Country    string `json:"country"`
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

// kindFor is the kind a party has when none is given: what its group
// says, where the group says it (a Member State, an IGO, civil society, a
// company of the private sector, an academic institution). Sector Members,
// Associates and the technical community are of every kind (an operator, a
// vendor, the Internet Society, a regional organisation, a university): a
// legal form in the name makes a company, a university or institute an
// academic institution, anything else an organisation of another kind.
func kindForGroup(group, name string) string {
	switch group {
	case rules.GroupMemberState:
		return KindMemberState
	case rules.GroupPrivateSector:
		return KindCompany
	case rules.GroupCivilSociety:
		return KindNGO
	case rules.GroupIGO:
		return KindIGO
	case rules.GroupAcademia:
		return KindAcademia
	}
	words := " " + FoldName(name) + " "
	for _, w := range academicWords {
		if strings.Contains(words, " "+w+" ") {
			return KindAcademia
		}
	}
	for _, w := range companyWords {
		if strings.Contains(words, " "+w+" ") {
			return KindCompany
		}
	}
	return KindOther
}

// companyWords are legal forms of companies, folded (FoldName).
var companyWords = []string{"inc", "incorporated", "ltd", "limited", "llc", "plc", "corp", "corporation", "company", "co",
	"gmbh", "ag", "sa", "s a", "sas", "spa", "s p a", "srl", "bv", "nv", "ab", "oy", "asa", "kk", "pty", "pte", "ooo", "oao", "pjsc", "jsc"}

// academicWords name universities and research institutes, folded.
var academicWords = []string{"university", "universite", "universidad", "universidade", "universita", "universitat",
	"college", "institute of technology", "school of", "academy of sciences", "research institute", "polytechnic"}

// Warning is something in an import a person should look at, which does
// not stop it: a name that is (nearly) another's, a name replaced by the
// official one.
type Warning struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (w Warning) String() string {
	if w.Row == 0 {
		return w.Field + ": " + w.Message
	}
	return fmt.Sprintf("row %d, %s: %s", w.Row, w.Field, w.Message)
}

// validate normalises the input and returns every problem, each naming
// its field, and what a person should look at.
func (in *PartyInput) validate(groups rules.Groups) (plenary.Errors, []Warning) {
	var errs plenary.Errors
	var warns []Warning
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.ISO2 = strings.ToUpper(strings.TrimSpace(in.ISO2))
	in.ISO3 = strings.ToUpper(strings.TrimSpace(in.ISO3))
	in.Group = strings.TrimSpace(in.Group)
	in.Kind = strings.TrimSpace(in.Kind)
	name, err := forum.CheckLine("name", in.Name, 200)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	in.Name = name
	country, cerrs := in.country()
	errs = append(errs, cerrs...)
	if _, ok := groups.Find(in.Group); !ok {
		errs = append(errs, plenary.Invalid("group", "no stakeholder group %q in this forum", in.Group))
	}
	if in.Kind == "" {
		in.Kind = kindForGroup(in.Group, in.Name)
	}
	if !forum.Valid(PartyKinds, in.Kind) {
		errs = append(errs, plenary.Invalid("kind", "must be member_state, company, ngo, igo, academia or other"))
	}
	if in.Kind == KindMemberState {
		if country == nil && alpha3RE.MatchString(in.Code) && len(cerrs) == 0 {
			if c, ok := CountryByCode(in.Code); ok {
				country = &c
			}
		}
		switch {
		case len(cerrs) > 0:
		case country == nil && alpha3RE.MatchString(in.Code):
			errs = append(errs, plenary.Invalid("code", "%s is not an ISO 3166 alpha-3 code", in.Code))
		case country == nil && in.Code != "":
			errs = append(errs, plenary.Invalid("code", "a State's code is its ISO 3166 alpha-3 code, three capital letters such as BRA"))
		case country == nil:
			errs = append(errs, plenary.Invalid("country", "a Member State is named by its country: give its ISO 3166 code (BR or BRA) or its name"))
		default:
			if in.Code == "" {
				in.Code = country.ISO3
			}
			if in.Code != country.ISO3 {
				errs = append(errs, plenary.Invalid("code", "a State's code is its ISO 3166 alpha-3 code: %s for %s", country.ISO3, country.Names.En))
			}
			if in.Name != "" && in.Name != country.Names.En {
				warns = append(warns, Warning{Field: "name", Message: fmt.Sprintf("%q is not the official name: the party is called %s", in.Name, country.Names.En)})
			}
			in.Name = country.Names.En
			if in.ITUCode == "" {
				in.ITUCode = country.ITU
			}
		}
	} else {
		if in.Name == "" && err == nil {
			errs = append(errs, plenary.Invalid("name", "is required"))
		}
		if !partyCodeRE.MatchString(in.Code) {
			errs = append(errs, plenary.Invalid("code", "must be 2 to 16 capital letters, digits or hyphens, such as ISOC"))
		}
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
	return errs, warns
}

// country reads the country of the input from its country, iso2 and iso3
// fields, which must agree, and fills the ISO codes from it. A code that
// is not an ISO 3166 code is refused.
func (in *PartyInput) country() (*Country, plenary.Errors) {
	var errs plenary.Errors
	var found *Country
	var from string
	agree := func(field string, c Country) {
		switch {
		case found == nil:
			found, from = &c, field
		case found.ISO3 != c.ISO3:
			errs = append(errs, plenary.Invalid(field, "is %s (%s), but %s is %s (%s)", c.ISO3, c.Names.En, from, found.ISO3, found.Names.En))
		}
	}
	if cs, err := forum.CheckLine("country", in.Country, 200); err != nil {
		errs = append(errs, plenary.AsError(err))
	} else if in.Country = cs; cs != "" {
		if c, err := FindCountry(cs); err != nil {
			errs = append(errs, plenary.Invalid("country", "%s", err.Error()))
		} else {
			agree("country", c)
		}
	}
	for _, x := range []struct {
		field, code string
		re          *regexp.Regexp
		what        string
	}{{"iso2", in.ISO2, alpha2RE, "two"}, {"iso3", in.ISO3, alpha3RE, "three"}} {
		if x.code == "" {
			continue
		}
		if !x.re.MatchString(x.code) {
			errs = append(errs, plenary.Invalid(x.field, "must be %s letters", x.what))
			continue
		}
		c, ok := CountryByCode(x.code)
		if !ok {
			errs = append(errs, plenary.Invalid(x.field, "%s is not an ISO 3166 country code", x.code))
			continue
		}
		agree(x.field, c)
	}
	if found != nil && len(errs) == 0 {
		in.ISO2, in.ISO3 = found.ISO2, found.ISO3
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return found, nil
}

// AddParty adds a party to a forum. The forum's secretariat may.
func (s *Service) AddParty(ctx context.Context, sc *forum.Scope, in PartyInput) (Party, error) {
	rep, err := s.ImportParties(ctx, sc, []PartyRow{{Row: 0, PartyInput: in}}, ImportOptions{})
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
	return rep.Parties[0], nil
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
// the faces show it as invalid input. Warnings are what the import would
// also have reported.
type ImportError struct {
	Rows     []RowError
	Warnings []Warning
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

// ImportOptions change what ImportParties does.
type ImportOptions struct {
	// DryRun checks everything and reports, and imports nothing.
	DryRun bool
}

// ImportReport is what an import of parties did, or, for a dry run, would
// do: the parties (with the codes, names and kinds they get) and the
// warnings, which do not stop it.
type ImportReport struct {
	DryRun   bool      `json:"dry_run"`
	Parties  []Party   `json:"parties"`
	Warnings []Warning `json:"warnings"`
}

// ImportParties adds many parties to a forum in one transaction: either
// every row is good and all are added, with one public event listing them,
// or nothing is added and the error (an *ImportError) lists every bad row.
// Names that are the same as, or nearly the same as (in case, spacing,
// diacritics or punctuation), another row's or an existing party's are
// reported as warnings, as is a State's name replaced by its official one.
// A dry run makes the same checks and the same report, and adds nothing.
// The forum's secretariat may.
func (s *Service) ImportParties(ctx context.Context, sc *forum.Scope, rows []PartyRow, opt ImportOptions) (ImportReport, error) {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return ImportReport{}, err
	}
	if len(rows) == 0 {
		return ImportReport{}, plenary.Invalid("file", "has no parties")
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return ImportReport{}, err
	}
	var bad ImportError
	var warns []Warning
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		errs, ws := r.validate(groups)
		for _, e := range errs {
			bad.Rows = append(bad.Rows, RowError{r.Row, e.Field, e.Message})
		}
		for _, w := range ws {
			w.Row = r.Row
			warns = append(warns, w)
		}
		if first, dup := seen[r.Code]; dup && r.Code != "" {
			bad.Rows = append(bad.Rows, RowError{r.Row, "code", fmt.Sprintf("%s is also in row %d", r.Code, first)})
		}
		seen[r.Code] = r.Row
	}
	now := forum.NowUTC()
	rep := ImportReport{DryRun: opt.DryRun, Parties: make([]Party, 0, len(rows))}
	// check compares the rows with the forum's parties, read through q:
	// a code taken is a problem, a name taken or nearly taken a warning.
	check := func(q store.Querier) error {
		bad := bad
		rep.Parties = rep.Parties[:0]
		existing, err := s.partiesIn(ctx, q, f.ID)
		if err != nil {
			return err
		}
		codes := map[string]bool{}
		for _, p := range existing {
			codes[p.Code] = true
		}
		for _, r := range rows {
			if codes[r.Code] {
				bad.Rows = append(bad.Rows, RowError{r.Row, "code", fmt.Sprintf("this forum already has a party %s", r.Code)})
			}
		}
		rep.Warnings = append(append([]Warning{}, warns...), nameWarnings(rows, existing)...)
		bad.Warnings = rep.Warnings
		if err := bad.err(); err != nil {
			return err
		}
		for _, r := range rows {
			p := Party{ID: plenary.NewID(), ForumID: f.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, Group: r.Group,
				ISO2: r.ISO2, ISO3: r.ISO3, ITUCode: r.ITUCode, Region: r.Region, Member2012: r.Member2012, MemberNow: r.MemberNow,
				Credentials: rules.CredentialsNone, Status: PartyActive, CreatedAt: now}
			p.setNames()
			rep.Parties = append(rep.Parties, p)
		}
		return nil
	}
	if opt.DryRun {
		if err := check(s.store); err != nil {
			return ImportReport{}, err
		}
		return rep, nil
	}
	err = s.kernel.Command(ctx, sc, "participation.ImportParties", func(tx *store.Tx, sc *forum.Scope) error {
		if err := check(tx); err != nil {
			return err
		}
		type listed struct {
			Code  string `json:"code"`
			Name  string `json:"name"`
			Group string `json:"group"`
		}
		list := make([]listed, 0, len(rows))
		for _, p := range rep.Parties {
			if _, err := tx.ExecContext(ctx, `INSERT INTO parties (id, forum_id, code, name, kind, group_key, iso2, iso3, itu_code, region,
				member_2012, member_now, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				p.ID, p.ForumID, p.Code, p.Name, p.Kind, p.Group, p.ISO2, p.ISO3, p.ITUCode, p.Region, p.Member2012, p.MemberNow,
				now.UnixMilli()); err != nil {
				return err
			}
			list = append(list, listed{p.Code, p.Name, p.Group})
		}
		if len(rep.Parties) == 1 {
			_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "party.added", ledger.VisPublic, rep.Parties[0])
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "parties.imported", ledger.VisPublic,
			map[string]any{"forum_id": f.ID, "count": len(list), "parties": list})
		return err
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// nameWarnings warns of rows whose names are the same as, or nearly the
// same as, an earlier row's or a party's of the forum (withdrawn and merged
// ones included: a party merged away is a duplicate already found).
func nameWarnings(rows []PartyRow, existing []Party) []Warning {
	var out []Warning
	type holder struct {
		what, name string
	}
	byFold := map[string]holder{}
	for _, p := range existing {
		k := FoldName(p.Name)
		if _, ok := byFold[k]; !ok && k != "" {
			byFold[k] = holder{"the party " + p.Code, p.Name}
		}
	}
	for _, r := range rows {
		k := FoldName(r.Name)
		if k == "" {
			continue
		}
		h, ok := byFold[k]
		switch {
		case !ok:
			byFold[k] = holder{fmt.Sprintf("row %d", r.Row), r.Name}
			if r.Row == 0 {
				byFold[k] = holder{"this party", r.Name}
			}
		case h.name == r.Name:
			out = append(out, Warning{r.Row, "name", fmt.Sprintf("%s is also the name of %s", r.Name, h.what)})
		default:
			out = append(out, Warning{r.Row, "name", fmt.Sprintf("%s is nearly the same as %s, of %s", r.Name, h.name, h.what)})
		}
	}
	return out
}

const partyColumns = `p.id, p.forum_id, p.code, p.name, p.kind, p.group_key, p.iso2, p.iso3, p.itu_code, p.region, p.member_2012,
	p.member_now, p.credentials, p.credentials_proxy, COALESCE(x.code, ''), COALESCE(x.name, ''), p.credentials_note, p.credentials_at,
	p.status, p.merged_into, COALESCE(mi.code, ''), COALESCE(mi.name, ''), p.status_reason, p.status_at, p.created_at`

const partyFrom = ` FROM parties p LEFT JOIN parties x ON x.id = p.credentials_proxy AND p.credentials_proxy <> ''
	LEFT JOIN parties mi ON mi.id = p.merged_into AND p.merged_into <> ''`

func scanParty(sc rowScanner) (Party, error) {
	var p Party
	var credAt, statusAt sql.NullInt64
	var created int64
	err := sc.Scan(&p.ID, &p.ForumID, &p.Code, &p.Name, &p.Kind, &p.Group, &p.ISO2, &p.ISO3, &p.ITUCode, &p.Region, &p.Member2012,
		&p.MemberNow, &p.Credentials, &p.proxyID, &p.ProxyCode, &p.ProxyName, &p.CredentialsNote, &credAt,
		&p.Status, &p.mergedIntoID, &p.MergedInto, &p.MergedIntoName, &p.StatusReason, &statusAt, &created)
	p.CredentialsAt = forum.NullTime(credAt)
	p.StatusAt = forum.NullTime(statusAt)
	p.CreatedAt = time.UnixMilli(created).UTC()
	p.setNames()
	return p, err
}

// setNames gives a State its official names, from its ISO code.
func (p *Party) setNames() {
	p.Names = nil
	if p.Kind != KindMemberState {
		return
	}
	if n, ok := OfficialNamesOf(p.ISO3); ok {
		p.Names = &n
	} else if n, ok := OfficialNamesOf(p.Code); ok {
		p.Names = &n
	}
}

// Parties lists a forum's parties by name, withdrawn and merged ones
// included (their Status says so). They are public.
func (s *Service) Parties(ctx context.Context, sc *forum.Scope) ([]Party, error) {
	return s.partiesIn(ctx, s.store, sc.Forum.ID)
}

func (s *Service) partiesIn(ctx context.Context, q store.Querier, forumID string) ([]Party, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+partyColumns+partyFrom+" WHERE p.forum_id = ? ORDER BY p.name", forumID)
	return collectRows(rows, err, scanParty)
}

// PartyByCode returns one party of a forum by its code (or its id).
func (s *Service) PartyByCode(ctx context.Context, sc *forum.Scope, code string) (Party, error) {
	f := sc.Forum
	return s.Party(ctx, s.store, f, code)
}

// Party returns one party of forum f by its code or id, read through q.
func (s *Service) Party(ctx context.Context, q store.Querier, f forum.Forum, ref string) (Party, error) {
	p, err := scanParty(q.QueryRowContext(ctx, "SELECT "+partyColumns+partyFrom+" WHERE p.forum_id = ? AND (p.code = ? OR p.id = ?)",
		f.ID, strings.ToUpper(ref), ref))
	if errors.Is(err, sql.ErrNoRows) {
		return Party{}, plenary.NotFound("no party %q in %s", ref, f.Title)
	}
	return p, err
}

// activeParty returns a party that takes part, read through q: a
// withdrawn or merged one is refused, naming the field.
func (s *Service) activeParty(ctx context.Context, q store.Querier, f forum.Forum, field, ref string) (Party, error) {
	p, err := s.Party(ctx, q, f, strings.TrimSpace(ref))
	if plenary.ErrorCode(err) == plenary.CodeNotFound {
		return Party{}, plenary.Invalid(field, "no party %q in this forum", ref)
	}
	if err != nil {
		return Party{}, err
	}
	return p, p.takesPart(field)
}

// mustTakePart refuses a command on a withdrawn or merged party, named by
// the path, as a conflict.
func (p Party) mustTakePart() error {
	if err := p.takesPart(""); err != nil {
		return plenary.Conflict("%s", plenary.AsError(err).Message)
	}
	return nil
}

// takesPart refuses a withdrawn or merged party, naming the field.
func (p Party) takesPart(field string) error {
	switch p.Status {
	case PartyWithdrawn:
		return plenary.Invalid(field, "%s has withdrawn from this forum", p.Name)
	case PartyMerged:
		return plenary.Invalid(field, "%s was merged into %s (%s): use %s", p.Code, p.MergedIntoName, p.MergedInto, p.MergedInto)
	}
	return nil
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
		if err := p.mustTakePart(); err != nil {
			return err
		}
		proxy := Party{}
		switch {
		case state == rules.CredentialsTransferred && strings.TrimSpace(in.Proxy) == "":
			return plenary.Invalid("proxy", "say to which party the powers are transferred")
		case state == rules.CredentialsTransferred:
			if proxy, err = s.activeParty(ctx, tx, f, "proxy", in.Proxy); err != nil {
				return err
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
	if err := p.mustTakePart(); err != nil {
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
