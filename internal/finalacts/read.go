package finalacts

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

func timeOf(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func timePtr(ms int64) *time.Time {
	if ms == 0 {
		return nil
	}
	t := timeOf(ms)
	return &t
}

// readable reads final acts the viewer may read: those whose document it
// may read.
func (s *Service) readable(ctx context.Context, sc *forum.Scope, id string) (row, error) {
	r, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return row{}, err
	}
	return r, s.documents.CheckReadable(ctx, sc, r.Number, r.Visibility)
}

// provisions reads the provisions of a text of final acts, in order.
func (s *Service) provisions(ctx context.Context, q store.Querier, id string, rev int) ([]Provision, error) {
	rows, err := q.QueryContext(ctx, `SELECT draft_id, draft_number, draft_revision, instrument, provision_id, kind, intro, label, name, body
		FROM final_act_provisions WHERE final_acts_id = ? AND revision = ? ORDER BY n`, id, rev)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Provision
	for rows.Next() {
		var p Provision
		if err := rows.Scan(&p.DraftID, &p.DraftNumber, &p.DraftRevision, &p.Instrument, &p.ProvisionID, &p.Kind, &p.Intro, &p.Label, &p.Name, &p.Text); err != nil {
			return nil, err
		}
		p.Key = p.DraftID + ":" + p.ProvisionID
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Service) texts(ctx context.Context, q store.Querier, r row) ([]TextVersion, error) {
	rows, err := q.QueryContext(ctx, `SELECT revision, hash, title, note, version_label, seq, created_at FROM final_act_texts
		WHERE final_acts_id = ? ORDER BY revision`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TextVersion
	for rows.Next() {
		var t TextVersion
		var at int64
		if err := rows.Scan(&t.Revision, &t.Hash, &t.Title, &t.Note, &t.VersionLabel, &t.Seq, &at); err != nil {
			return nil, err
		}
		t.At, t.Current = timeOf(at), t.Revision == r.Revision
		out = append(out, t)
	}
	return out, rows.Err()
}

// view is the summary of r as of now, without provisions.
func (s *Service) view(r row, now int64) FinalActs {
	fa := FinalActs{ID: r.ID, Number: r.Number, Title: r.Title, Visibility: r.Visibility, Revision: r.Revision, Hash: r.Hash,
		OpensAt: timePtr(r.OpensAt), ClosesAt: timePtr(r.ClosesAt), CutoffAt: timePtr(r.CutoffAt), Open: r.isOpen(now), CreatedAt: timeOf(r.CreatedAt)}
	switch {
	case r.OpensAt == 0:
		fa.Status = "Not yet open for signature"
	case now < r.OpensAt:
		fa.Status = "Opens for signature on " + fmtTime(r.OpensAt)
	case fa.Open && r.ClosesAt != 0:
		fa.Status = "Open for signature until " + fmtTime(r.ClosesAt)
	case fa.Open:
		fa.Status = "Open for signature"
	default:
		fa.Status = "Closed for signature on " + fmtTime(r.ClosesAt)
	}
	return fa
}

// FinalActs returns final acts (by id or document number) as the viewer
// may read them: the current text's provisions, each with the
// declarations and reservations tied to it, those on the whole, and the
// history of the text with its hashes.
func (s *Service) FinalActs(ctx context.Context, sc *forum.Scope, id string) (FinalActs, error) {
	r, err := s.readable(ctx, sc, id)
	if err != nil {
		return FinalActs{}, err
	}
	fa := s.view(r, s.now().UnixMilli())
	if fa.Texts, err = s.texts(ctx, s.store, r); err != nil {
		return FinalActs{}, err
	}
	if fa.Provisions, err = s.provisions(ctx, s.store, r.ID, r.Revision); err != nil {
		return FinalActs{}, err
	}
	decls, err := s.declarations(ctx, sc, r)
	if err != nil {
		return FinalActs{}, err
	}
	at := map[string]int{}
	for i, p := range fa.Provisions {
		at[p.Key] = i
	}
	for _, d := range decls {
		ref := DeclarationRef{Number: d.Number, Kind: d.Kind, Additional: d.Additional, Parties: d.Parties}
		placed := false
		for _, k := range d.Provisions {
			if i, ok := at[k]; ok {
				fa.Provisions[i].Declarations = append(fa.Provisions[i].Declarations, ref)
				placed = true
			}
		}
		switch {
		case len(d.Provisions) == 0:
			fa.General = append(fa.General, ref)
		case !placed:
			fa.Unplaced = append(fa.Unplaced, ref)
		}
	}
	return fa, nil
}

// List returns the forum's final acts the viewer may read, oldest first,
// without their provisions.
func (s *Service) List(ctx context.Context, sc *forum.Scope) ([]FinalActs, error) {
	return s.list(ctx, sc, "")
}

// Including returns the final acts the viewer may read whose current text
// includes provisions of the given revision of a draft text, oldest
// first, without their provisions: where an adopted text went.
func (s *Service) Including(ctx context.Context, sc *forum.Scope, draftID string, revision int) ([]FinalActs, error) {
	return s.list(ctx, sc, ` AND EXISTS (SELECT 1 FROM final_act_provisions p WHERE p.final_acts_id = final_acts.id
		AND p.revision = final_acts.revision AND p.draft_id = ? AND p.draft_revision = ?)`, draftID, revision)
}

// list reads the forum's final acts that the condition where (with its
// arguments) keeps and the viewer may read, oldest first.
func (s *Service) list(ctx context.Context, sc *forum.Scope, where string, args ...any) ([]FinalActs, error) {
	rows, err := s.store.QueryContext(ctx, "SELECT "+rowColumns+" FROM final_acts WHERE forum_id = ?"+where+" ORDER BY created_at, id",
		append([]any{sc.Forum.ID}, args...)...)
	if err != nil {
		return nil, err
	}
	var rs []row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []FinalActs{}
	now := s.now().UnixMilli()
	for _, r := range rs {
		if s.documents.CheckReadable(ctx, sc, r.Number, r.Visibility) != nil {
			continue
		}
		out = append(out, s.view(r, now))
	}
	return out, nil
}

// parties returns the forum's parties by id.
func (s *Service) parties(ctx context.Context, sc *forum.Scope) (map[string]participation.Party, []participation.Party, error) {
	ps, err := s.participation.Parties(ctx, sc)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]participation.Party, len(ps))
	for _, p := range ps {
		m[p.ID] = p
	}
	return m, ps, nil
}

const signatureColumns = "party_id, n, state, hash, revision, registration_id, user_id, signer, capacity, note, seq, at"

func scanSignature(sc interface{ Scan(...any) error }) (Signature, error) {
	var sig Signature
	var state string
	var at int64
	err := sc.Scan(&sig.Party.ID, &sig.N, &state, &sig.Hash, &sig.Revision, &sig.RegistrationID, &sig.UserID, &sig.Signer, &sig.Capacity, &sig.Note, &sig.Seq, &at)
	sig.State, sig.At = State(state), timeOf(at)
	sig.StateLabel = sig.State.Label()
	return sig, err
}

// acts reads every signature act of r in order.
func (s *Service) acts(ctx context.Context, sc *forum.Scope, r row) ([]Signature, error) {
	byID, _, err := s.parties(ctx, sc)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.QueryContext(ctx, "SELECT "+signatureColumns+" FROM final_act_signatures WHERE final_acts_id = ? ORDER BY seq", r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Signature
	for rows.Next() {
		sig, err := scanSignature(rows)
		if err != nil {
			return nil, err
		}
		if p, ok := byID[sig.Party.ID]; ok {
			sig.Party = refOf(p)
		}
		sig.Current = sig.Hash == r.Hash
		out = append(out, sig)
	}
	return out, rows.Err()
}

// SignatureActs returns every signature act on final acts, in the order
// they were made: a party that declined and then signed has two.
func (s *Service) SignatureActs(ctx context.Context, sc *forum.Scope, id string) ([]Signature, error) {
	r, err := s.readable(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return s.acts(ctx, sc, r)
}

// Signatures returns each party's signature (its last act), by party
// name: state, signer, time, the hash signed and whether it is the
// current text's.
func (s *Service) Signatures(ctx context.Context, sc *forum.Scope, id string) ([]Signature, error) {
	r, err := s.readable(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	all, err := s.acts(ctx, sc, r)
	if err != nil {
		return nil, err
	}
	return lastActs(all), nil
}

func lastActs(all []Signature) []Signature {
	last := map[string]Signature{}
	for _, sig := range all {
		last[sig.Party.ID] = sig
	}
	out := make([]Signature, 0, len(last))
	for _, sig := range last {
		out = append(out, sig)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Party.Name != out[j].Party.Name {
			return out[i].Party.Name < out[j].Party.Name
		}
		return out[i].Party.Code < out[j].Party.Code
	})
	return out
}

// Signers returns the delegates named to sign final acts, by party.
func (s *Service) Signers(ctx context.Context, sc *forum.Scope, id string) ([]Signer, error) {
	r, err := s.readable(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.parties(ctx, sc)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.QueryContext(ctx, "SELECT party_id, registration_id, name, basis, seq, at FROM final_act_signers WHERE final_acts_id = ? ORDER BY seq", r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Signer{}
	for rows.Next() {
		var sg Signer
		var at int64
		if err := rows.Scan(&sg.Party.ID, &sg.RegistrationID, &sg.Name, &sg.Basis, &sg.Seq, &at); err != nil {
			return nil, err
		}
		if p, ok := byID[sg.Party.ID]; ok {
			sg.Party = refOf(p)
		}
		sg.At = timeOf(at)
		out = append(out, sg)
	}
	return out, rows.Err()
}

// declarations reads r's declarations in number order.
func (s *Service) declarations(ctx context.Context, sc *forum.Scope, r row) ([]Declaration, error) {
	byID, _, err := s.parties(ctx, sc)
	if err != nil {
		return nil, err
	}
	ps, err := s.provisions(ctx, s.store, r.ID, r.Revision)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range ps {
		names[p.Key] = provisionRefName(p)
	}
	rows, err := s.store.QueryContext(ctx, `SELECT id, number, kind, additional, parties, provisions, refs, body, revision, deposited_by, capacity, seq, at
		FROM final_act_declarations WHERE final_acts_id = ? ORDER BY number`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Declaration{}
	for rows.Next() {
		var d Declaration
		var kind, jp, jv, jr string
		var at int64
		if err := rows.Scan(&d.ID, &d.Number, &kind, &d.Additional, &jp, &jv, &jr, &d.Text, &d.Revision, &d.DepositedBy, &d.Capacity, &d.Seq, &at); err != nil {
			return nil, err
		}
		d.Kind, d.At = DeclarationKind(kind), timeOf(at)
		d.KindLabel = d.Kind.Label()
		var ids []string
		if err := json.Unmarshal([]byte(jp), &ids); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(jv), &d.Provisions); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(jr), &d.References); err != nil {
			return nil, err
		}
		for _, pid := range ids {
			if p, ok := byID[pid]; ok {
				d.Parties = append(d.Parties, refOf(p))
			} else {
				d.Parties = append(d.Parties, PartyRef{ID: pid})
			}
		}
		d.ProvisionNames = make([]string, len(d.Provisions))
		for i, k := range d.Provisions {
			if n, ok := names[k]; ok {
				d.ProvisionNames[i] = n
			} else {
				d.ProvisionNames[i] = k
			}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Declarations returns the declarations and reservations on final acts
// in the ITU layout's order: by number, each with its parties, the
// provisions it concerns, its kind and the numbers it answers.
func (s *Service) Declarations(ctx context.Context, sc *forum.Scope, id string) ([]Declaration, error) {
	r, err := s.readable(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return s.declarations(ctx, sc, r)
}

// Statements returns the explanations of position and closing statements
// kept with a target (kind decision, document or forum; ID for the first
// two; an empty kind lists all the forum's), as the viewer may see them,
// oldest first.
func (s *Service) Statements(ctx context.Context, sc *forum.Scope, t TargetInput) ([]Statement, error) {
	v, err := sc.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.parties(ctx, sc)
	if err != nil {
		return nil, err
	}
	q := `SELECT id, kind, target_kind, target_id, target_label, party_id, author, body, visibility, filed_by, capacity, seq, at
		FROM final_act_statements WHERE forum_id = ?`
	args := []any{sc.Forum.ID}
	if t.Kind != "" {
		q += " AND target_kind = ? AND target_id = ?"
		args = append(args, t.Kind, t.ID)
	}
	rows, err := s.store.QueryContext(ctx, q+" ORDER BY seq", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Statement{}
	for rows.Next() {
		var st Statement
		var kind, partyID string
		var at int64
		if err := rows.Scan(&st.ID, &kind, &st.TargetKind, &st.TargetID, &st.TargetLabel, &partyID, &st.Author, &st.Text, &st.Visibility,
			&st.FiledBy, &st.Capacity, &st.Seq, &at); err != nil {
			return nil, err
		}
		if !v.CanSee(st.Visibility) {
			continue
		}
		st.Kind, st.At = StatementKind(kind), timeOf(at)
		st.KindLabel = st.Kind.Label()
		if p, ok := byID[partyID]; ok {
			ref := refOf(p)
			st.Party = &ref
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// eligible reports whether party p is eligible to sign (see the package
// comment).
func eligible(ctx context.Context, sc *forum.Scope, p participation.Party) (bool, error) {
	if !p.Active() || p.Credentials == rules.CredentialsTransferred {
		return false, nil
	}
	err := headMay(ctx, sc, p, rules.Sign)
	if err == nil {
		return true, nil
	}
	return forum.Allowed(err)
}

// Tally counts the state of signature of final acts over the eligible
// parties, in all, by region and by stakeholder group, and lists every
// eligible party (and every other party with a signature) with its state,
// by name: what the map and the signatures list show.
func (s *Service) Tally(ctx context.Context, sc *forum.Scope, id string) (Tally, error) {
	r, err := s.readable(ctx, sc, id)
	if err != nil {
		return Tally{}, err
	}
	all, err := s.acts(ctx, sc, r)
	if err != nil {
		return Tally{}, err
	}
	last := map[string]Signature{}
	for _, sig := range all {
		last[sig.Party.ID] = sig
	}
	decls, err := s.declarations(ctx, sc, r)
	if err != nil {
		return Tally{}, err
	}
	declOf := map[string][]int{}
	for _, d := range decls {
		for _, p := range d.Parties {
			declOf[p.ID] = append(declOf[p.ID], d.Number)
		}
	}
	_, ps, err := s.parties(ctx, sc)
	if err != nil {
		return Tally{}, err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return Tally{}, err
	}
	t := Tally{FinalActs: r.ID, Hash: r.Hash, ByRegion: []GroupCount{}, ByGroup: []GroupCount{}, Parties: []PartyState{}}
	regions, byGroup := map[string]*GroupCount{}, map[string]*GroupCount{}
	var regionKeys, groupKeys []string
	for _, p := range ps {
		el, err := eligible(ctx, sc, p)
		if err != nil {
			return Tally{}, err
		}
		sig, signed := last[p.ID]
		if !el && !signed {
			continue
		}
		g := groups.Lookup(p.Group)
		st := PartyState{Party: refOf(p), Region: p.Region, Group: p.Group, GroupName: g.Name, Eligible: el, State: NotYet,
			Declarations: declOf[p.ID]}
		if signed {
			st.State = sig.State
			st.Superseded = sig.State.IsSigned() && !sig.Current
		}
		st.StateLabel = st.State.Label()
		t.Parties = append(t.Parties, st)
		if !el {
			if st.State.IsSigned() {
				t.NotEligibleSigned++
			}
			continue
		}
		if p.Region != "" {
			if regions[p.Region] == nil {
				regions[p.Region] = &GroupCount{Key: p.Region, Label: p.Region}
				regionKeys = append(regionKeys, p.Region)
			}
			regions[p.Region].add(st)
		}
		if byGroup[p.Group] == nil {
			byGroup[p.Group] = &GroupCount{Key: p.Group, Label: g.Plural}
			if byGroup[p.Group].Label == "" {
				byGroup[p.Group].Label = g.Name
			}
			groupKeys = append(groupKeys, p.Group)
		}
		byGroup[p.Group].add(st)
		t.Total.add(st)
	}
	sort.Strings(regionKeys)
	for _, k := range regionKeys {
		t.ByRegion = append(t.ByRegion, *regions[k])
	}
	sort.Strings(groupKeys)
	for _, k := range groupKeys {
		t.ByGroup = append(t.ByGroup, *byGroup[k])
	}
	sort.Slice(t.Parties, func(i, j int) bool {
		if t.Parties[i].Party.Name != t.Parties[j].Party.Name {
			return t.Parties[i].Party.Name < t.Parties[j].Party.Name
		}
		return t.Parties[i].Party.Code < t.Parties[j].Party.Code
	})
	return t, nil
}

func (c *Count) add(st PartyState) {
	c.Eligible++
	switch {
	case st.State.IsSigned():
		c.Signed++
		if st.State == SignedSubjectToRatification {
			c.SubjectToRatification++
		}
		if st.Superseded {
			c.Superseded++
		}
	case st.State == Declined:
		c.Declined++
	default:
		c.NotYet++
	}
}
