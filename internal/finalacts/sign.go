package finalacts

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// The bases on which a delegate is named to sign.
const (
	BasisHead        = "head"        // named by the head of delegation
	BasisCredentials = "credentials" // named in the credentials (entered by the secretariat)
)

// NameSigner names a delegate of a party to sign the final acts for it:
// by the party's head of delegation (basis head), or by the secretariat
// entering whom the credentials name (basis credentials; or head, on the
// head's word). The delegate must be an approved delegate of the party.
func (s *Service) NameSigner(ctx context.Context, sc *forum.Scope, id string, in SignerInput) (Signer, error) {
	in.Party, in.Registration, in.Basis = strings.TrimSpace(in.Party), strings.TrimSpace(in.Registration), strings.TrimSpace(in.Basis)
	if in.Registration == "" {
		return Signer{}, plenary.Invalid("registration", "is required: the delegate's registration")
	}
	switch in.Basis {
	case "", BasisHead, BasisCredentials:
	default:
		return Signer{}, plenary.Invalid("basis", "must be head (named by the head of delegation) or credentials (named in the credentials)")
	}
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return Signer{}, err
	}
	old, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return Signer{}, err
	}
	var out Signer
	err = s.kernel.Command(ctx, sc, "finalacts.NameSigner", func(tx *store.Tx, sc *forum.Scope) error {
		r, err := s.row(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		v, err := sc.Viewer(ctx)
		if err != nil {
			return err
		}
		// The head of delegation, through the matrix's sign right.
		c, aerr := sc.Authorize(ctx, rules.Sign, in.Party)
		head := aerr == nil && c.Role == string(rules.RoleHeadOfDelegation)
		partyID := c.PartyID
		switch {
		case head:
			if in.Basis == "" {
				in.Basis = BasisHead
			}
			if in.Basis != BasisHead {
				return plenary.Invalid("basis", "a head of delegation names a signer on its own word (head); the secretariat enters whom the credentials name")
			}
		case v.Secretariat:
			if in.Party == "" {
				return plenary.Invalid("party", "name the party the delegate signs for")
			}
			p, err := sc.Party(ctx, in.Party)
			if err != nil {
				return plenary.Invalid("party", "no party %q in this forum", in.Party)
			}
			partyID = p.ID
			if in.Basis == "" {
				in.Basis = BasisCredentials
			}
		case aerr != nil:
			return aerr // the matrix's refusal names the rule
		default:
			return plenary.Forbidden("only the head of delegation of the party, or the secretariat entering whom the credentials name, names a delegate to sign")
		}
		reg, err := s.participation.RegistrationIn(ctx, tx, sc.Forum, in.Registration)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return plenary.Invalid("registration", "no registration %q in this forum", in.Registration)
			}
			return err
		}
		if reg.PartyID != partyID {
			return plenary.Invalid("registration", "%s is not registered for this party", reg.Name)
		}
		if reg.State != forum.RegApproved {
			return plenary.Invalid("registration", "the registration of %s is %s, not approved", reg.Name, reg.State)
		}
		if reg.Role != rules.RoleDelegate {
			return plenary.Invalid("registration", "%s is registered as %s: only a delegate is named to sign (a head of delegation signs without being named)", reg.Name, reg.Role.Label())
		}
		at := s.now().UnixMilli()
		led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "finalacts.signer_named", r.Visibility, map[string]any{
			"final_acts": r.ID, "number": r.Number, "party": reg.PartyCode, "party_name": reg.PartyName,
			"registration": reg.ID, "name": reg.Name, "basis": in.Basis})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM final_act_signers WHERE final_acts_id = ? AND party_id = ? AND registration_id = ?", r.ID, partyID, reg.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO final_act_signers (final_acts_id, party_id, registration_id, user_id, name, basis, named_by, seq, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, partyID, reg.ID, reg.UserID, reg.Name, in.Basis, sc.Actor.UserID, led.Seq, at); err != nil {
			return err
		}
		out = Signer{Party: PartyRef{ID: partyID, Code: reg.PartyCode, Name: reg.PartyName}, RegistrationID: reg.ID, Name: reg.Name,
			Basis: in.Basis, Seq: led.Seq, At: timeOf(at)}
		return nil
	})
	return out, err
}

// named reports whether registration regID was named to sign for party.
func named(ctx context.Context, q store.Querier, actsID, partyID, regID string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM final_act_signers WHERE final_acts_id = ? AND party_id = ? AND registration_id = ?",
		actsID, partyID, regID).Scan(&n)
	return n > 0, err
}

// lastSignature reads a party's last signature act, if any.
func (s *Service) lastSignature(ctx context.Context, q store.Querier, actsID, partyID string) (Signature, bool, error) {
	sig, err := scanSignature(q.QueryRowContext(ctx, "SELECT "+signatureColumns+" FROM final_act_signatures WHERE final_acts_id = ? AND party_id = ? ORDER BY n DESC LIMIT 1",
		actsID, partyID))
	if errors.Is(err, sql.ErrNoRows) {
		return Signature{}, false, nil
	}
	return sig, err == nil, err
}

// signer authorizes the actor to sign for party: the matrix's sign right
// (with its credentials condition), a party that has not transferred its
// powers, and the head of delegation or a named delegate.
func (s *Service) signer(ctx context.Context, tx store.Querier, sc *forum.Scope, r row, party string) (forum.Capacity, error) {
	c, err := sc.Authorize(ctx, rules.Sign, party)
	if err != nil {
		return c, err
	}
	if c.PartyID == "" {
		return c, plenary.Invalid("party", "a signature is a party's, and %s acts for no party here", sc.Actor.Name)
	}
	p, err := s.participation.Party(ctx, tx, sc.Forum, c.PartyID)
	if err != nil {
		return c, err
	}
	if p.Credentials == rules.CredentialsTransferred {
		return c, plenary.Forbidden("%s has transferred its powers to %s: a delegation that transferred its powers does not sign", p.Name, p.ProxyCode)
	}
	switch c.Role {
	case string(rules.RoleHeadOfDelegation):
		return c, nil
	case string(rules.RoleDelegate):
		ok, err := named(ctx, tx, r.ID, c.PartyID, c.RegistrationID)
		if err != nil || ok {
			return c, err
		}
	}
	return c, plenary.Forbidden("%s is neither the head of the delegation of %s nor a delegate named to sign for it (by its head or its credentials)", sc.Actor.Name, c.PartyName)
}

// Sign records a party's signature of the final acts, or its declining
// to sign, while they are open for signature, on the text whose hash the
// signer saw. See the package comment for who signs and when a party's
// state may change.
func (s *Service) Sign(ctx context.Context, sc *forum.Scope, id string, in SignInput) (Signature, error) {
	var err error
	in.Party, in.Hash = strings.TrimSpace(in.Party), strings.ToLower(strings.TrimSpace(in.Hash))
	if !in.State.Valid() {
		return Signature{}, plenary.Invalid("state", "must be signed, signed_subject_to_ratification or declined")
	}
	if in.Hash == "" {
		return Signature{}, plenary.Invalid("hash", "is required: the hash of the text of the final acts being signed")
	}
	if in.Note, err = forum.CheckText("note", strings.TrimSpace(in.Note), MaxNote); err != nil {
		return Signature{}, err
	}
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return Signature{}, err
	}
	old, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return Signature{}, err
	}
	var out Signature
	err = s.kernel.Command(ctx, sc, "finalacts.Sign", func(tx *store.Tx, sc *forum.Scope) error {
		r, err := s.row(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		now := s.now().UnixMilli()
		if !r.isOpen(now) {
			return plenary.Conflict("the final acts %s are not open for signature now: %s", r.Number, r.window())
		}
		c, err := s.signer(ctx, tx, sc, r, in.Party)
		if err != nil {
			return err
		}
		if in.Hash != r.Hash {
			return plenary.Conflict("the final acts changed since you opened them: you saw the text %s, the current text is %s (revision %d); read it again before signing",
				short(in.Hash), short(r.Hash), r.Revision)
		}
		last, had, err := s.lastSignature(ctx, tx, r.ID, c.PartyID)
		if err != nil {
			return err
		}
		n := 1
		if had {
			n = last.N + 1
			switch {
			case last.State == Declined && in.State == Declined:
				return plenary.Conflict("%s already declined to sign (%s, %s)", c.PartyName, last.Signer, fmtTime(last.At.UnixMilli()))
			case last.State.IsSigned() && last.Hash == r.Hash:
				return plenary.Conflict("%s has already signed: %s, %s, %s", c.PartyName, strings.ToLower(last.State.Label()), last.Signer, fmtTime(last.At.UnixMilli()))
			}
		}
		payload := map[string]any{"final_acts": r.ID, "number": r.Number, "party": c.PartyCode, "party_name": c.PartyName,
			"state": string(in.State), "state_label": in.State.Label(), "hash": r.Hash, "revision": r.Revision,
			"signer": sc.Actor.Name, "registration": c.RegistrationID, "capacity": c.Role}
		if had {
			payload["previous_state"], payload["previous_hash"] = string(last.State), last.Hash
		}
		if in.Note != "" {
			payload["note"] = in.Note
		}
		led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "finalacts.signed", r.Visibility, payload)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO final_act_signatures (final_acts_id, party_id, n, state, hash, revision, registration_id, user_id,
			signer, capacity, note, seq, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, c.PartyID, n, string(in.State), r.Hash, r.Revision, c.RegistrationID, sc.Actor.UserID, sc.Actor.Name, c.Role, in.Note, led.Seq, now); err != nil {
			return err
		}
		out = Signature{Party: PartyRef{ID: c.PartyID, Code: c.PartyCode, Name: c.PartyName}, N: n, State: in.State, StateLabel: in.State.Label(),
			Hash: r.Hash, Revision: r.Revision, Current: true, UserID: sc.Actor.UserID, RegistrationID: c.RegistrationID, Signer: sc.Actor.Name,
			Capacity: c.Role, Note: in.Note, Seq: led.Seq, At: timeOf(now)}
		return nil
	})
	return out, err
}

// MaySign reports whether the actor may sign final acts now for party ("":
// its own), for a page's button: open for signature, the right to sign,
// the head of delegation or a named delegate, and no signature of the
// party on the current text yet (a party that declined may still sign).
func (s *Service) MaySign(ctx context.Context, sc *forum.Scope, id, party string) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	r, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return forum.Allowed(err)
	}
	if !r.isOpen(s.now().UnixMilli()) {
		return false, nil
	}
	// A scope of its own, so that the check leaves no grant on sc.
	c, err := s.signer(ctx, s.store, sc.As(sc.Actor), r, party)
	if err != nil {
		return forum.Allowed(err)
	}
	last, had, err := s.lastSignature(ctx, s.store, r.ID, c.PartyID)
	if err != nil {
		return false, err
	}
	return !had || last.State == Declined || last.Hash != r.Hash, nil
}

// MayAdminister reports whether the actor may assemble, revise and
// schedule final acts and name signers on the credentials' word: the
// secretariat, for a page's forms.
func (s *Service) MayAdminister(ctx context.Context, sc *forum.Scope) (bool, error) {
	return forum.Allowed(sc.RequireSecretariat(ctx))
}

// MayDeposit reports whether the actor may deposit a declaration or a
// reservation on final acts now, for a page's form: before the cut-off,
// with the right to file reservations for a party of its own, or as the
// secretariat.
func (s *Service) MayDeposit(ctx context.Context, sc *forum.Scope, id string) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	r, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return forum.Allowed(err)
	}
	if r.depositsRefused(s.now().UnixMilli()) != nil {
		return false, nil
	}
	v, err := sc.Viewer(ctx)
	if err != nil || v.Secretariat {
		return v.Secretariat, err
	}
	return sc.May(ctx, rules.FileReservation, "")
}
