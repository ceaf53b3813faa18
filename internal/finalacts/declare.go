package finalacts

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// headMay checks whether the head of delegation of party p, in the room,
// holds action under the forum's rights matrix with p's credentials as
// they stand: what the secretariat entering a party's paper and the
// eligibility to sign rely on.
func headMay(ctx context.Context, sc *forum.Scope, p participation.Party, action rules.Action) error {
	st, err := sc.Settings(ctx)
	if err != nil {
		return err
	}
	groups, err := sc.Groups(ctx)
	if err != nil {
		return err
	}
	return st.Matrix.Check(rules.Subject{Forum: forum.ShortName(sc.Forum), Group: groups.Lookup(p.Group), Role: rules.RoleHeadOfDelegation,
		Mode: rules.InRoom, Credentials: p.Credentials}, action)
}

// depositUntil says whether deposits are taken at t, and the refusal.
func (r row) depositsRefused(t int64) error {
	switch {
	case r.CutoffAt != 0 && t >= r.CutoffAt:
		return plenary.Conflict("the cut-off for declarations and reservations on %s was %s", r.Number, fmtTime(r.CutoffAt))
	case r.CutoffAt == 0 && r.ClosesAt != 0 && t >= r.ClosesAt:
		return plenary.Conflict("%s closed for signature at %s; declarations and reservations are deposited before signature", r.Number, fmtTime(r.ClosesAt))
	}
	return nil
}

// Deposit deposits a declaration or a reservation on the final acts, for
// one party or jointly for several, before the cut-off. It takes the next
// number. See the package comment for who may.
func (s *Service) Deposit(ctx context.Context, sc *forum.Scope, id string, in DepositInput) (Declaration, error) {
	var err error
	if in.Kind != KindDeclaration && in.Kind != KindReservation {
		return Declaration{}, plenary.Invalid("kind", "must be declaration or reservation")
	}
	if in.Text, err = forum.CheckText("text", strings.TrimSpace(in.Text), MaxText); err != nil {
		return Declaration{}, err
	}
	if in.Text == "" {
		return Declaration{}, plenary.Invalid("text", "is required: the text of the %s", in.Kind)
	}
	if len(in.Parties) > MaxParties {
		return Declaration{}, plenary.Invalid("parties", "at most %d parties", MaxParties)
	}
	if len(in.Provisions) > MaxRefs || len(in.References) > MaxRefs {
		return Declaration{}, plenary.Invalid("provisions", "at most %d provisions and %d references", MaxRefs, MaxRefs)
	}
	for i := range in.Parties {
		in.Parties[i] = strings.TrimSpace(in.Parties[i])
		if in.Parties[i] == "" {
			return Declaration{}, plenary.Invalid("parties", "a party is named by its code or id, not left empty")
		}
	}
	in.Parties = forum.Dedupe(in.Parties)
	for i := range in.Provisions {
		in.Provisions[i] = strings.TrimSpace(in.Provisions[i])
	}
	in.Provisions = forum.Dedupe(in.Provisions)
	refs := slices.Clone(in.References)
	slices.Sort(refs)
	refs = slices.Compact(refs)
	switch {
	case !in.Additional && len(refs) > 0:
		return Declaration{}, plenary.Invalid("references", "only an additional declaration or reservation cites earlier ones: set additional")
	case in.Additional && len(refs) == 0:
		return Declaration{}, plenary.Invalid("references", "an additional declaration or reservation answers earlier ones: cite their numbers")
	}
	for _, n := range refs {
		if n < 1 {
			return Declaration{}, plenary.Invalid("references", "numbers start at 1, not %d", n)
		}
	}
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return Declaration{}, err
	}
	old, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return Declaration{}, err
	}
	var out Declaration
	err = s.kernel.Command(ctx, sc, "finalacts.Deposit", func(tx *store.Tx, sc *forum.Scope) error {
		r, err := s.row(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		now := s.now().UnixMilli()
		if err := r.depositsRefused(now); err != nil {
			return err
		}
		parties, capacity, err := s.depositors(ctx, tx, sc, in.Parties)
		if err != nil {
			return err
		}
		ps, err := s.provisions(ctx, tx, r.ID, r.Revision)
		if err != nil {
			return err
		}
		byKey := map[string]Provision{}
		for _, p := range ps {
			byKey[p.Key] = p
		}
		var names []string
		for _, k := range in.Provisions {
			p, ok := byKey[k]
			if !ok {
				return plenary.Invalid("provisions", "%s has no provision %q in its current text (revision %d)", r.Number, k, r.Revision)
			}
			names = append(names, provisionRefName(p))
		}
		var number int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(number), 0) FROM final_act_declarations WHERE final_acts_id = ?", r.ID).Scan(&number); err != nil {
			return err
		}
		for _, n := range refs {
			if n > number {
				return plenary.Invalid("references", "there is no declaration or reservation No. %d on %s", n, r.Number)
			}
		}
		number++
		codes, ids := make([]string, len(parties)), make([]string, len(parties))
		for i, p := range parties {
			codes[i], ids[i] = p.Code, p.ID
		}
		if in.Provisions == nil {
			in.Provisions = []string{}
		}
		if refs == nil {
			refs = []int{}
		}
		led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "finalacts.declaration_deposited", r.Visibility, map[string]any{
			"final_acts": r.ID, "number": r.Number, "declaration": number, "kind": string(in.Kind), "additional": in.Additional,
			"parties": codes, "provisions": in.Provisions, "references": refs, "text": in.Text, "revision": r.Revision, "capacity": capacity})
		if err != nil {
			return err
		}
		jp, _ := json.Marshal(ids)
		jv, _ := json.Marshal(in.Provisions)
		jr, _ := json.Marshal(refs)
		did := plenary.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO final_act_declarations (id, final_acts_id, number, kind, additional, parties, provisions, refs, body,
			revision, deposited_by, capacity, seq, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			did, r.ID, number, string(in.Kind), in.Additional, string(jp), string(jv), string(jr), in.Text, r.Revision, sc.Actor.Name, capacity, led.Seq, now); err != nil {
			return err
		}
		out = Declaration{ID: did, Number: number, Kind: in.Kind, KindLabel: in.Kind.Label(), Additional: in.Additional, Parties: parties,
			Provisions: in.Provisions, ProvisionNames: names, References: refs, Text: in.Text, Revision: r.Revision, DepositedBy: sc.Actor.Name,
			Capacity: capacity, Seq: led.Seq, At: timeOf(now)}
		if out.ProvisionNames == nil {
			out.ProvisionNames = []string{}
		}
		return nil
	})
	return out, err
}

// depositors authorizes a deposit for each party named (none: the
// depositor's own) and returns them in order, with the capacity the
// depositor acts in: its role, or secretariat.
func (s *Service) depositors(ctx context.Context, tx *store.Tx, sc *forum.Scope, refs []string) ([]PartyRef, string, error) {
	v, err := sc.Viewer(ctx)
	if err != nil {
		return nil, "", err
	}
	if len(refs) == 0 {
		c, err := sc.Authorize(ctx, rules.FileReservation, "")
		if err != nil {
			if v.Secretariat {
				return nil, "", plenary.Invalid("parties", "name the parties the secretariat deposits for")
			}
			return nil, "", err
		}
		if c.PartyID == "" {
			return nil, "", plenary.Invalid("parties", "name the parties it is deposited for")
		}
		p, err := s.participation.Party(ctx, tx, sc.Forum, c.PartyID)
		if err != nil {
			return nil, "", err
		}
		return []PartyRef{refOf(p)}, c.Role, nil
	}
	var out []PartyRef
	var roles []string
	seen := map[string]bool{}
	for _, ref := range refs {
		p, err := s.participation.Party(ctx, tx, sc.Forum, ref)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return nil, "", plenary.Invalid("parties", "no party %q in this forum", ref)
			}
			return nil, "", err
		}
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		role := ""
		c, aerr := sc.Authorize(ctx, rules.FileReservation, p.ID)
		switch {
		case aerr == nil && c.PartyID == p.ID:
			role = c.Role
		case v.Secretariat:
			if err := headMay(ctx, sc, p, rules.FileReservation); err != nil {
				return nil, "", plenary.Forbidden("the secretariat deposits only for a party that may file reservations itself: %s", plenary.AsError(err).Message)
			}
			role = string(rules.RoleSecretariat)
		case aerr != nil:
			return nil, "", aerr
		default:
			return nil, "", plenary.Forbidden("%s may not deposit for %s", sc.Actor.Name, p.Name)
		}
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
		}
		out = append(out, refOf(p))
	}
	return out, strings.Join(roles, ", "), nil
}

func refOf(p participation.Party) PartyRef {
	return PartyRef{ID: p.ID, Code: p.Code, Name: p.Name, ISO3: p.ISO3}
}

// provisionRefName names a provision in a list of declarations: "WCIT-12/1
// Article 3", or its name.
func provisionRefName(p Provision) string {
	return strings.TrimSpace(p.DraftNumber + " " + p.Name)
}
