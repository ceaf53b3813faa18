package decisions

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// memberStates lists the forum's active Member States, for a roll-call's
// roll and the number of members.
func (s *Service) memberStates(ctx context.Context, sc *forum.Scope) ([]participation.Party, error) {
	ps, err := s.participation.Parties(ctx, sc)
	if err != nil {
		return nil, err
	}
	var out []participation.Party
	for _, p := range ps {
		if p.Active() && p.IsMemberState() {
			out = append(out, p)
		}
	}
	return out, nil
}

// OpenVote opens a formal vote with its method and rules. A roll-call
// draws its seed here (crypto/rand) and puts it on the record with the
// roll. Whoever may manage the floor may.
func (s *Service) OpenVote(ctx context.Context, sc *forum.Scope, in VoteInput) (Decision, error) {
	o, err := s.checkOpen(ctx, sc, decide.FormalVote, in.OpenInput, true)
	if err != nil {
		return Decision{}, err
	}
	if !in.Method.Valid() {
		return Decision{}, plenary.Invalid("method", "must be show_of_hands, roll_call, recorded or secret")
	}
	if in.Majority == "" {
		in.Majority = decide.Simple
	}
	if in.Credentials == "" {
		in.Credentials = decide.InOrderOnly
	}
	vote := decide.Vote{ID: o.ID, Subject: o.subject, Rules: decide.VoteRules{Method: in.Method, Majority: in.Majority, Members: in.Members,
		Quorum: in.Quorum, Credentials: in.Credentials, Presence: in.Presence, HideResults: in.HideResults}}
	needMembers := in.Majority == decide.Absolute || in.Quorum.Den > 0
	if in.Method == decide.RollCall || len(in.Roll) > 0 || (needMembers && in.Members == 0) {
		states, err := s.memberStates(ctx, sc)
		if err != nil {
			return Decision{}, err
		}
		if needMembers && vote.Rules.Members == 0 {
			vote.Rules.Members = len(states)
		}
		if len(in.Roll) > 0 {
			for _, ref := range dedupe(in.Roll) {
				p, err := sc.Party(ctx, strings.TrimSpace(ref))
				if err != nil {
					return Decision{}, plenary.Invalid("roll", "no party %q in this forum", ref)
				}
				vote.Roll = append(vote.Roll, decide.Party{Code: p.Code, Name: p.Name})
			}
		} else if in.Method == decide.RollCall {
			for _, p := range states {
				vote.Roll = append(vote.Roll, decide.Party{Code: p.Code, Name: p.Name})
			}
		}
	}
	if in.Method == decide.RollCall {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return Decision{}, err
		}
		vote.Seed = binary.BigEndian.Uint64(b[:]) >> 11 // exact in JSON numbers
		if vote.Seed == 0 {
			vote.Seed = 1
		}
	}
	if err := vote.Validate(); err != nil {
		return Decision{}, err
	}
	if _, err := s.open(ctx, sc, "decisions.OpenVote", o, func(sc *forum.Scope) error { return mayManageFloor(ctx, sc) },
		func(id string) (any, map[string]any, error) {
			return decide.VoteEvent{Type: decide.VoteOpened, Vote: &vote}, map[string]any{"method": string(in.Method),
				"method_label": in.Method.Label(), "majority": string(in.Majority), "seed": vote.Seed}, nil
		}); err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, o.ID)
}

// EnterTally enters the tally of a vote by show of hands (replacing an
// earlier one). Whoever may manage the floor may.
func (s *Service) EnterTally(ctx context.Context, sc *forum.Scope, id string, in TallyInput) (Decision, error) {
	if err := in.Tally.Validate(); err != nil {
		return Decision{}, err
	}
	t := in.Tally
	err := s.decisionCommand(ctx, sc, id, "decisions.EnterTally", "tally_entered", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.FormalVote, "a tally is entered for a formal vote"); err != nil {
			return step{}, err
		}
		if err := mayManageFloor(ctx, sc); err != nil {
			return step{}, err
		}
		human := map[string]any{}
		if !st.v.Vote().Rules.HideResults {
			human["tally"] = t
		}
		return step{event: decide.VoteEvent{Type: decide.TallyEntered, Tally: &t}, human: human}, nil
	})
	if err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, id)
}

// voter finds everything eligibility depends on for the actor casting for
// a party: the rights matrix's vote right (for the party), head of
// delegation or a delegate (Plenary keeps no separate record of the
// delegate a head names: every delegate of the party with the vote right
// counts as named by its head), the party's credentials, presence in the
// meeting when the vote requires it, and the party voted for by proxy.
func (s *Service) voter(ctx context.Context, tx *store.Tx, sc *forum.Scope, m meetings.Meeting, rules_ decide.VoteRules, in CastInput) (decide.Voter, error) {
	a, err := actFor(ctx, sc, rules.Vote, strings.TrimSpace(in.Party))
	if err != nil {
		return decide.Voter{}, err
	}
	v := decide.Voter{Party: a.party, Person: "user:" + sc.Actor.UserID, Name: sc.Actor.Name, Right: a.right,
		Head: a.cap.Role == string(rules.RoleHeadOfDelegation), Named: a.cap.Role == string(rules.RoleDelegate)}
	p, err := s.participation.Party(ctx, tx, sc.Forum, a.cap.PartyID)
	if err != nil {
		return decide.Voter{}, err
	}
	v.Credentials = p.Credentials
	if rules_.Presence && a.cap.RegistrationID != "" {
		att, err := s.meetings.Present(ctx, sc, m.ID)
		if err != nil {
			return decide.Voter{}, err
		}
		for _, pa := range att.Parties {
			for _, x := range pa.Present {
				if x.RegistrationID == a.cap.RegistrationID && x.Present {
					v.Present = true
				}
			}
		}
	}
	if in.For = strings.TrimSpace(in.For); in.For != "" {
		fp, err := s.participation.Party(ctx, tx, sc.Forum, in.For)
		if err != nil {
			return decide.Voter{}, plenary.Invalid("for", "no party %q in this forum", in.For)
		}
		v.For = &decide.Proxy{Party: decide.Party{Code: fp.Code, Name: fp.Name}, Credentials: fp.Credentials, Holder: fp.ProxyCode}
	}
	return v, nil
}

// CastVote casts a party's ballot in a roll-call, a recorded vote or a
// secret ballot. Eligibility is decide.Eligible's, from the rights
// matrix's vote right, the party's credentials, who casts (head of
// delegation or a delegate) and presence; one vote per party. A secret
// ballot's choice goes to the ballot box keyed by its receipt, apart from
// the voters' list; the ledger names the voter, never the choice; the
// receipt and its nonce are returned once and not kept.
func (s *Service) CastVote(ctx context.Context, sc *forum.Scope, id string, in CastInput) (Cast, error) {
	if !in.Choice.Valid() || in.Choice == decide.NotParticipating {
		return Cast{}, plenary.Invalid("choice", "must be yes, no or abstain")
	}
	var out Cast
	err := s.decisionCommand(ctx, sc, id, "decisions.CastVote", "ballot_cast", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.FormalVote, "ballots are cast in a formal vote"); err != nil {
			return step{}, err
		}
		vr := st.v.Vote().Rules
		v, err := s.voter(ctx, tx, sc, m, vr, in)
		if err != nil {
			return step{}, err
		}
		p := v.Counts()
		out = Cast{Decision: r.ID, Party: p}
		human := map[string]any{"party": p.Code, "party_name": p.String(), "by": v.Name}
		if v.For != nil {
			human["holder"] = v.Party.Code
		}
		if vr.Method != decide.Secret {
			out.Choice = in.Choice
			if !vr.HideResults {
				human["choice"] = string(in.Choice)
			}
			return step{event: decide.VoteEvent{Type: decide.BallotCast, Voter: &v, Choice: in.Choice}, human: human}, nil
		}
		ballot, receipt, err := decide.NewBallot(rand.Reader, r.ID, in.Choice)
		if err != nil {
			return step{}, err
		}
		out.Receipt = &receipt
		return step{event: decide.VoteEvent{Type: decide.BallotCast, Voter: &v}, human: human,
			after: func(tx *store.Tx, st *state, seq int64) error {
				// Two rows, nothing in common but the vote: who voted, and
				// the ballot keyed by its receipt.
				pid := v.Counts().Code
				if _, err := tx.ExecContext(ctx, "INSERT INTO decision_voters (decision_id, party_id, person, at) VALUES (?, ?, ?, ?)",
					r.ID, pid, v.Person, s.now().UnixMilli()); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, "INSERT INTO decision_ballots (decision_id, receipt, choice) VALUES (?, ?, ?)",
					r.ID, ballot.Receipt, string(ballot.Choice))
				return err
			}}, nil
	})
	if err != nil {
		return Cast{}, err
	}
	return out, nil
}

// ballots reads a secret ballot's ballot list, in receipt order.
func ballots(ctx context.Context, q store.Querier, id string) ([]decide.Ballot, error) {
	rows, err := q.QueryContext(ctx, "SELECT receipt, choice FROM decision_ballots WHERE decision_id = ? ORDER BY receipt", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []decide.Ballot
	for rows.Next() {
		var b decide.Ballot
		var c string
		if err := rows.Scan(&b.Receipt, &c); err != nil {
			return nil, err
		}
		b.Choice = decide.Choice(c)
		out = append(out, b)
	}
	return out, rows.Err()
}

// rewriteBallots writes a closing secret ballot's list again, in receipt
// order, in the closing transaction. On PostgreSQL a heap table keeps its
// rows in the order they were inserted and stamps each with the
// transaction that inserted it (xmin), the transaction that also wrote
// the voter's row: rewritten, the live rows carry the closing
// transaction's stamp and the list's order, and no longer the casting's.
// The dead rows stay until VACUUM, and the write-ahead log and backups
// keep the casting; docs/SECRET_BALLOT.md says so. On SQLite the table is
// WITHOUT ROWID, kept in receipt order, and the rewrite changes nothing.
func rewriteBallots(ctx context.Context, tx *store.Tx, id string, list []decide.Ballot) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM decision_ballots WHERE decision_id = ?", id); err != nil {
		return err
	}
	for _, b := range list {
		if _, err := tx.ExecContext(ctx, "INSERT INTO decision_ballots (decision_id, receipt, choice) VALUES (?, ?, ?)", id, b.Receipt, string(b.Choice)); err != nil {
			return err
		}
	}
	return nil
}

// CloseVote closes a formal vote: decide.Compute gives the result and its
// sentence, on the record; a secret ballot publishes its ballot list with
// its hash. A vote that adopts a draft revision marks the draft adopted.
// Whoever may manage the floor may.
func (s *Service) CloseVote(ctx context.Context, sc *forum.Scope, id string, in CloseVoteInput) (Decision, error) {
	if in.Present < 0 {
		return Decision{}, plenary.Invalid("present", "the number present is not negative")
	}
	err := s.decisionCommand(ctx, sc, id, "decisions.CloseVote", "vote_closed", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.FormalVote, "this closes a formal vote"); err != nil {
			return step{}, err
		}
		if err := mayManageFloor(ctx, sc); err != nil {
			return step{}, err
		}
		ev := decide.VoteEvent{Type: decide.VoteClosed, Present: in.Present}
		human := map[string]any{}
		if st.v.Vote().Rules.Method == decide.Secret {
			list, err := ballots(ctx, tx, r.ID)
			if err != nil {
				return step{}, err
			}
			ev.Ballots = list
			human["ballot_hash"] = decide.BallotListHash(list)
			if err := rewriteBallots(ctx, tx, r.ID, list); err != nil {
				return step{}, err
			}
		}
		return step{event: ev, human: human, after: func(tx *store.Tx, st *state, seq int64) error {
			res, err := st.v.Result()
			if err != nil {
				return err
			}
			return s.closed(ctx, tx, sc, r, m, res.Arithmetic.Outcome)
		}}, nil
	})
	if err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, id)
}

// VerifyReceipt checks a voter's receipt against a closed secret ballot's
// published list. Anyone who may read the decision may.
func (s *Service) VerifyReceipt(ctx context.Context, sc *forum.Scope, id string, in ReceiptCheck) (Verification, error) {
	d, err := s.Decision(ctx, sc, id)
	if err != nil {
		return Verification{}, err
	}
	if d.Vote == nil || d.Vote.Method != decide.Secret {
		return Verification{}, plenary.Conflict("only a secret ballot has receipts")
	}
	if d.Open || d.Vote.Result == nil {
		return Verification{}, plenary.Conflict("the ballot list is published when the vote closes")
	}
	if !in.Choice.Valid() {
		return Verification{}, plenary.Invalid("choice", "must be yes, no or abstain")
	}
	in.Nonce = strings.TrimSpace(in.Nonce)
	if in.Nonce == "" {
		return Verification{}, plenary.Invalid("nonce", "is required: the nonce of the receipt")
	}
	res := d.Vote.Result
	v := Verification{Decision: id, BallotHash: res.BallotHash}
	if b, err := hexNonce(in.Nonce); err == nil {
		v.Receipt = decide.ReceiptOf(id, in.Choice, b)
	}
	v.Found = decide.VerifyReceipt(res.Ballots, id, in.Choice, in.Nonce)
	if v.Found {
		v.Sentence = "Your ballot is in the published list, with your choice, and counted in the tally."
	} else {
		v.Sentence = "No ballot with this receipt and choice is in the published list."
	}
	return v, nil
}
