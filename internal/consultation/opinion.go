package consultation

// The opinion map of a comment period, in the manner of Polis: statements
// (seeded by the secretariat from the provisions, submitted by
// participants and moderated, or imported from a Polis conversation), the
// participants' votes on them (agree, disagree or pass; one vote per
// participant and statement, the latest counting), and the map that
// internal/opinion computes from the votes, kept until they change.
//
// Every change is a command on the forum's chain. A vote is one too, with
// a small payload (the statement's and the voter's numbers and the vote);
// since its event names the voting account as its actor, it is visible to
// the secretariat alone, whatever the period's visibility: who voted how
// is not public, while the statements' counts and the map are;
// an import is recorded batch by batch, each event naming how many votes
// it took and the SHA-256 of the batch, so that a conversation of
// millions of votes is not millions of events.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
)

// MaxStatement is the length of a statement of the opinion map, in bytes;
// Polis' are short (140 characters), a provision's may be longer.
const MaxStatement = 4000

// StatementSource is where a statement came from.
type StatementSource string

// The sources of a statement.
const (
	FromProvision   StatementSource = "provision"   // seeded by the secretariat from a provision
	FromParticipant StatementSource = "participant" // submitted by a participant, then moderated
	FromImport      StatementSource = "imported"    // imported from a conversation in Polis' format
)

// Label is the source in words.
func (s StatementSource) Label() string {
	switch s {
	case FromProvision:
		return "from the text"
	case FromParticipant:
		return "from a participant"
	case FromImport:
		return "from an imported conversation"
	}
	return string(s)
}

// StatementState is where a statement stands in moderation.
type StatementState string

// The states of a statement.
const (
	StatementPending  StatementState = "pending"
	StatementAccepted StatementState = "accepted"
	StatementRejected StatementState = "rejected"
)

// Label is the state in words.
func (s StatementState) Label() string {
	switch s {
	case StatementPending:
		return "awaiting moderation"
	case StatementAccepted:
		return "open for votes"
	case StatementRejected:
		return "rejected"
	}
	return string(s)
}

// VoteValue is a vote on a statement.
type VoteValue string

// The votes.
const (
	Agree    VoteValue = "agree"
	Disagree VoteValue = "disagree"
	Pass     VoteValue = "pass"
)

// VoteValues lists the votes in display order.
func VoteValues() []VoteValue { return []VoteValue{Agree, Disagree, Pass} }

// Label is the vote in words.
func (v VoteValue) Label() string {
	switch v {
	case Agree:
		return "Agree"
	case Disagree:
		return "Disagree"
	case Pass:
		return "Pass / unsure"
	}
	return string(v)
}

func (v VoteValue) int() (int, bool) {
	switch v {
	case Agree:
		return 1, true
	case Disagree:
		return -1, true
	case Pass:
		return 0, true
	}
	return 0, false
}

// Statement is a statement of a period's opinion map, with its votes.
type Statement struct {
	ID        string          `json:"id"`
	PeriodID  string          `json:"period_id"`
	Number    int             `json:"number"`
	Ref       string          `json:"ref"` // S-<number>
	Source    StatementSource `json:"source"`
	Provision string          `json:"provision,omitempty"`
	Author    string          `json:"author,omitempty"`
	Group     string          `json:"group,omitempty"`
	Text      string          `json:"text"`
	State     StatementState  `json:"state"`
	Reason    string          `json:"reason,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	Agrees    int             `json:"agrees"`
	Disagrees int             `json:"disagrees"`
	Passes    int             `json:"passes"`

	userID     string
	externalID string
}

// Votes is the number of votes cast on the statement.
func (st Statement) Votes() int { return st.Agrees + st.Disagrees + st.Passes }

// StatementRef is a statement's number in its period: S-3.
func StatementRef(number int) string { return "S-" + strconv.Itoa(number) }

// StatementInput is a participant's statement, with the stakeholder group
// the participant declares (kept for their votes too; may be empty when
// already declared).
type StatementInput struct {
	Text  string `json:"text"`
	Group string `json:"group,omitempty"`
}

// VoteInput is a vote on a statement (its id or S-number), with the
// stakeholder group the voter declares (may be empty once declared, or
// when the voter declared one on a comment in the period).
type VoteInput struct {
	Statement string    `json:"statement"`
	Vote      VoteValue `json:"vote"`
	Group     string    `json:"group,omitempty"`
}

// ModerationInput accepts or rejects a participant's statement; a
// rejection says why.
type ModerationInput struct {
	Accept bool   `json:"accept"`
	Reason string `json:"reason,omitempty"`
}

// Voter is a participant of an opinion map as the map knows them.
type Voter struct {
	Number int    `json:"number"`
	Group  string `json:"group,omitempty"`
	// Voted is how many statements the voter has voted on.
	Voted int `json:"voted"`
}

const statementColumns = `s.id, s.period_id, s.number, s.source, s.provision_id, s.external_id, s.user_id, s.author, s.group_key, s.body,
	s.state, s.reason, s.created_at`

func scanStatement(sc interface{ Scan(...any) error }, extra ...any) (Statement, error) {
	var st Statement
	var source, state string
	var created int64
	err := sc.Scan(append([]any{&st.ID, &st.PeriodID, &st.Number, &source, &st.Provision, &st.externalID, &st.userID, &st.Author,
		&st.Group, &st.Text, &state, &st.Reason, &created}, extra...)...)
	st.Source, st.State, st.CreatedAt, st.Ref = StatementSource(source), StatementState(state), time.UnixMilli(created).UTC(), StatementRef(st.Number)
	return st, err
}

// ParseStatementRef reads a statement's number from "S-3" or "3".
func ParseStatementRef(ref string) (int, bool) {
	ref = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(ref), "S-"), "s-")
	n, err := strconv.Atoi(ref)
	return n, err == nil && n > 0
}

func (s *Service) statement(ctx context.Context, q store.Querier, periodID, ref string) (Statement, error) {
	if ref == "" || !forum.IsRef(ref) {
		return Statement{}, plenary.NotFound("no statement %q in this opinion map", ref)
	}
	var row *sql.Row
	if n, ok := ParseStatementRef(ref); ok {
		row = q.QueryRowContext(ctx, "SELECT "+statementColumns+" FROM consultation_statements s WHERE s.period_id = ? AND s.number = ?", periodID, n)
	} else {
		row = q.QueryRowContext(ctx, "SELECT "+statementColumns+" FROM consultation_statements s WHERE s.period_id = ? AND s.id = ?", periodID, ref)
	}
	st, err := scanStatement(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Statement{}, plenary.NotFound("no statement %q in this opinion map", ref)
	}
	return st, err
}

// mapVersion reads the period's opinion map's version; ok is false when
// the period has no opinion map.
func mapVersion(ctx context.Context, q store.Querier, periodID string) (int64, bool, error) {
	var v int64
	err := q.QueryRowContext(ctx, "SELECT version FROM consultation_opinion_maps WHERE period_id = ?", periodID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}

func bumpVersion(ctx context.Context, tx *store.Tx, periodID string) error {
	_, err := tx.ExecContext(ctx, "UPDATE consultation_opinion_maps SET version = version + 1 WHERE period_id = ?", periodID)
	return err
}

// requireMap refuses a period without an opinion map.
func requireMap(ctx context.Context, q store.Querier, p Period) error {
	_, ok, err := mapVersion(ctx, q, p.ID)
	if err != nil {
		return err
	}
	if !ok {
		return plenary.Conflict("the comment period %q has no opinion map", p.Title)
	}
	return nil
}

// HasOpinionMap reports whether the period has an opinion map.
func (s *Service) HasOpinionMap(ctx context.Context, sc *forum.Scope, periodID string) (bool, error) {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return false, err
	}
	return s.HasMap(ctx, p)
}

// HasMap reports whether period p, already read for its reader, has an
// opinion map.
func (s *Service) HasMap(ctx context.Context, p Period) (bool, error) {
	_, ok, err := mapVersion(ctx, s.store, p.ID)
	return ok, err
}

// EnableOpinionMap gives a period an opinion map (the secretariat's
// choice, on the record). A closed period may have one too, to load an
// earlier conversation into it.
func (s *Service) EnableOpinionMap(ctx context.Context, sc *forum.Scope, periodID string) error {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return err
	}
	return s.kernel.Command(ctx, sc, "consultation.EnableOpinionMap", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		p, err := s.period(ctx, tx, sc.Forum.ID, periodID)
		if err != nil {
			return err
		}
		if _, ok, err := mapVersion(ctx, tx, p.ID); err != nil {
			return err
		} else if ok {
			return plenary.Conflict("the comment period %q already has an opinion map", p.Title)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consultation_opinion_maps (period_id, forum_id, version, created_by, created_at)
			VALUES (?, ?, ?, ?, ?)`, p.ID, sc.Forum.ID, 0, sc.Actor.LedgerID(), s.now().UnixMilli()); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.opinion_enabled", p.visibility, map[string]any{
			"period": p.ID, "title": p.Title,
		})
		return err
	})
}

// openMap reads the period in the command's transaction and checks what a
// participant's statement or vote needs: the right to comment, the period
// open now, and an opinion map; it returns the period and the time.
func (s *Service) openMap(ctx context.Context, tx *store.Tx, sc *forum.Scope, periodID string) (Period, time.Time, error) {
	p, err := s.period(ctx, tx, sc.Forum.ID, periodID)
	if err != nil {
		return Period{}, time.Time{}, err
	}
	if _, err := s.mayComment(ctx, sc, p); err != nil {
		return Period{}, time.Time{}, err
	}
	now := s.now()
	if err := checkOpen(p, now); err != nil {
		return Period{}, time.Time{}, err
	}
	if err := requireMap(ctx, tx, p); err != nil {
		return Period{}, time.Time{}, err
	}
	return p, now, nil
}

// nextStatement is the number of the period's next statement.
func nextStatement(ctx context.Context, tx *store.Tx, periodID string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM consultation_statements WHERE period_id = ?", periodID).Scan(&n)
	return n, err
}

func (s *Service) insertStatement(ctx context.Context, tx *store.Tx, forumID string, st *Statement, seq int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO consultation_statements (id, forum_id, period_id, number, source, provision_id, external_id,
		user_id, author, group_key, body, state, reason, seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.ID, forumID, st.PeriodID, st.Number, string(st.Source), st.Provision, st.externalID, st.userID, st.Author, st.Group,
		st.Text, string(st.State), st.Reason, seq, st.CreatedAt.UnixMilli())
	return err
}

// SeedStatements makes statements of the period's provisions, one per
// provision (the given ids, or every provision of the period's revision
// with words, headings and article titles aside, when none is given), accepted at once. A provision already
// seeded is passed over, so seeding twice adds nothing.
func (s *Service) SeedStatements(ctx context.Context, sc *forum.Scope, periodID string, provisions []string) ([]Statement, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return nil, err
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	if p.DraftID == "" {
		return nil, plenary.Invalid("provisions", "this period is on a document without provisions: add statements another way")
	}
	rv, err := s.drafting.DraftRevision(ctx, sc, p.DraftID, p.Revision)
	if err != nil {
		return nil, err
	}
	type seed struct{ id, text string }
	var seeds []seed
	if len(provisions) == 0 {
		for i := range rv.Text.Provisions {
			pr := &rv.Text.Provisions[i]
			if pr.Kind == text.KindHeading || pr.Kind == text.KindArticle {
				continue
			}
			if t := strings.TrimSpace(pr.Text()); t != "" {
				seeds = append(seeds, seed{pr.ID, t})
			}
		}
	} else {
		for _, id := range forum.Dedupe(provisions) {
			pr, ok := rv.Text.Provision(id)
			if !ok {
				return nil, plenary.Invalid("provisions", "no provision %q in revision %d", id, p.Revision)
			}
			t := strings.TrimSpace(pr.Text())
			if t == "" {
				return nil, plenary.Invalid("provisions", "provision %s has no words to vote on", pr.DisplayLabel())
			}
			seeds = append(seeds, seed{pr.ID, t})
		}
	}
	for i := range seeds {
		if len(seeds[i].text) > MaxStatement {
			seeds[i].text = strings.ToValidUTF8(seeds[i].text[:MaxStatement-3], "") + "…"
		}
	}
	var out []Statement
	err = s.kernel.Command(ctx, sc, "consultation.SeedStatements", func(tx *store.Tx, sc *forum.Scope) error {
		out = nil
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		if err := requireMap(ctx, tx, p); err != nil {
			return err
		}
		n, err := nextStatement(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		now := s.now()
		for _, sd := range seeds {
			var dup int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_statements WHERE period_id = ? AND source = ? AND provision_id = ?",
				p.ID, string(FromProvision), sd.id).Scan(&dup); err != nil {
				return err
			}
			if dup > 0 {
				continue
			}
			st := Statement{ID: plenary.NewID(), PeriodID: p.ID, Number: n, Ref: StatementRef(n), Source: FromProvision, Provision: sd.id,
				Text: sd.text, State: StatementAccepted, CreatedAt: now}
			ev, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.statement_seeded", p.visibility, map[string]any{
				"period": p.ID, "statement": st.ID, "number": st.Ref, "provision": sd.id,
			})
			if err != nil {
				return err
			}
			if err := s.insertStatement(ctx, tx, sc.Forum.ID, &st, ev.Seq); err != nil {
				return err
			}
			out = append(out, st)
			n++
		}
		return nil
	})
	return out, err
}

// voterGroup checks a declared group against the forum's choices.
func (s *Service) voterGroup(ctx context.Context, sc *forum.Scope, in string) (string, error) {
	group, err := forum.CheckLine("group", in, rules.MaxGroupKey)
	if err != nil || group == "" {
		return group, err
	}
	gs, err := s.Groups(ctx, sc)
	if err != nil {
		return "", err
	}
	if !hasChoice(gs, group) {
		return "", plenary.Invalid("group", "unknown stakeholder group %q", group)
	}
	return group, nil
}

// voter finds or makes the actor's voter in the period, declaring group
// when given; a new voter without a group takes the one the account
// declared on its latest comment in the period, and without one is
// refused (the map is read by stakeholder group).
func (s *Service) voter(ctx context.Context, tx *store.Tx, p Period, userID, group string) (id string, number int, err error) {
	var have string
	err = tx.QueryRowContext(ctx, "SELECT id, number, group_key FROM consultation_voters WHERE period_id = ? AND user_id = ?", p.ID, userID).
		Scan(&id, &number, &have)
	switch {
	case err == nil:
		if group != "" && group != have {
			if _, err := tx.ExecContext(ctx, "UPDATE consultation_voters SET group_key = ? WHERE id = ?", group, id); err != nil {
				return "", 0, err
			}
			if err := bumpVersion(ctx, tx, p.ID); err != nil {
				return "", 0, err
			}
		}
		return id, number, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", 0, err
	}
	if group == "" {
		err := tx.QueryRowContext(ctx, "SELECT group_key FROM consultation_comments WHERE period_id = ? AND user_id = ? ORDER BY number DESC",
			p.ID, userID).Scan(&group)
		if errors.Is(err, sql.ErrNoRows) {
			return "", 0, plenary.Invalid("group", "declare your stakeholder group")
		}
		if err != nil {
			return "", 0, err
		}
	}
	return s.newVoter(ctx, tx, p.ID, userID, "", group)
}

func (s *Service) newVoter(ctx context.Context, tx *store.Tx, periodID, userID, pseudonym, group string) (string, int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM consultation_voters WHERE period_id = ?", periodID).Scan(&n); err != nil {
		return "", 0, err
	}
	id := plenary.NewID()
	_, err := tx.ExecContext(ctx, `INSERT INTO consultation_voters (id, period_id, number, user_id, pseudonym, group_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, periodID, n, userID, pseudonym, group, s.now().UnixMilli())
	return id, n, err
}

// MayVote reports whether the actor may vote and submit statements in the
// period now: the right to comment in it, an open period and an opinion
// map.
func (s *Service) MayVote(ctx context.Context, sc *forum.Scope, p Period) (bool, error) {
	ok, err := s.MayComment(ctx, sc, p)
	if !ok || err != nil {
		return ok, err
	}
	_, has, err := mapVersion(ctx, s.store, p.ID)
	return has, err
}

// SubmitStatement takes a participant's statement for moderation. Who may
// comment in the period may submit statements, within the bounds on
// intake of comments (PerAccount within Window).
func (s *Service) SubmitStatement(ctx context.Context, sc *forum.Scope, periodID string, in StatementInput) (Statement, error) {
	body, err := forum.CheckLine("text", in.Text, MaxStatement)
	if err != nil {
		return Statement{}, err
	}
	if body == "" {
		return Statement{}, plenary.Invalid("text", "write the statement")
	}
	group, err := s.voterGroup(ctx, sc, in.Group)
	if err != nil {
		return Statement{}, err
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return Statement{}, err
	}
	if _, err := s.mayComment(ctx, sc, p); err != nil {
		return Statement{}, err
	}
	var st Statement
	err = s.kernel.Command(ctx, sc, "consultation.SubmitStatement", func(tx *store.Tx, sc *forum.Scope) error {
		p, now, err := s.openMap(ctx, tx, sc, periodID)
		if err != nil {
			return err
		}
		if s.PerAccount > 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_statements WHERE period_id = ? AND user_id = ? AND created_at > ?",
				p.ID, sc.Actor.UserID, now.Add(-s.Window).UnixMilli()).Scan(&n); err != nil {
				return err
			}
			if n >= s.PerAccount {
				return plenary.RateLimited("at most %d statements per account within %s in this opinion map; try again later", s.PerAccount, during(s.Window))
			}
		}
		if _, _, err := s.voter(ctx, tx, p, sc.Actor.UserID, group); err != nil {
			return err
		}
		if group == "" {
			if err := tx.QueryRowContext(ctx, "SELECT group_key FROM consultation_voters WHERE period_id = ? AND user_id = ?", p.ID, sc.Actor.UserID).
				Scan(&group); err != nil {
				return err
			}
		}
		n, err := nextStatement(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		st = Statement{ID: plenary.NewID(), PeriodID: p.ID, Number: n, Ref: StatementRef(n), Source: FromParticipant, Author: sc.Actor.Name,
			Group: group, Text: body, State: StatementPending, CreatedAt: now, userID: sc.Actor.UserID}
		sum := sha256.Sum256([]byte(body))
		ev, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.statement_submitted", p.visibility, map[string]any{
			"period": p.ID, "statement": st.ID, "number": st.Ref, "group": group, "text_sha256": hex.EncodeToString(sum[:]),
		})
		if err != nil {
			return err
		}
		return s.insertStatement(ctx, tx, sc.Forum.ID, &st, ev.Seq)
	})
	if err != nil {
		return Statement{}, err
	}
	return st, nil
}

// ModerateStatement accepts a statement for votes, or rejects it with the
// reason; a statement may be moderated again the other way (a rejected
// statement's votes then take no part in the map).
func (s *Service) ModerateStatement(ctx context.Context, sc *forum.Scope, periodID, ref string, in ModerationInput) (Statement, error) {
	reason, err := forum.CheckText("reason", in.Reason, MaxReason)
	if err != nil {
		return Statement{}, err
	}
	reason = strings.TrimSpace(reason)
	if !in.Accept && reason == "" {
		return Statement{}, plenary.Invalid("reason", "say why the statement is rejected")
	}
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Statement{}, err
	}
	var st Statement
	err = s.kernel.Command(ctx, sc, "consultation.ModerateStatement", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		p, err := s.period(ctx, tx, sc.Forum.ID, periodID)
		if err != nil {
			return err
		}
		if st, err = s.statement(ctx, tx, p.ID, ref); err != nil {
			return err
		}
		to, typ := StatementAccepted, "consultation.statement_accepted"
		if !in.Accept {
			to, typ = StatementRejected, "consultation.statement_rejected"
		} else {
			reason = ""
		}
		if st.State == to {
			return plenary.Conflict("statement %s is already %s", st.Ref, to.Label())
		}
		st.State, st.Reason = to, reason
		if _, err := tx.ExecContext(ctx, "UPDATE consultation_statements SET state = ?, reason = ? WHERE id = ?", string(to), reason, st.ID); err != nil {
			return err
		}
		if err := bumpVersion(ctx, tx, p.ID); err != nil {
			return err
		}
		payload := map[string]any{"period": p.ID, "statement": st.ID, "number": st.Ref}
		if in.Accept {
			payload["text"] = st.Text
		} else {
			payload["reason"] = reason
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), typ, p.visibility, payload)
		return err
	})
	if err != nil {
		return Statement{}, err
	}
	return st, nil
}

// Vote records the actor's vote on an accepted statement; a new vote on
// the same statement replaces the old one, and the same vote again
// changes nothing. The event names the statement's and the voter's
// numbers and the vote.
func (s *Service) Vote(ctx context.Context, sc *forum.Scope, periodID string, in VoteInput) (Voter, error) {
	value, ok := in.Vote.int()
	if !ok {
		return Voter{}, plenary.Invalid("vote", "agree, disagree or pass")
	}
	group, err := s.voterGroup(ctx, sc, in.Group)
	if err != nil {
		return Voter{}, err
	}
	if !forum.IsRef(in.Statement) || in.Statement == "" {
		return Voter{}, plenary.Invalid("statement", "name the statement")
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return Voter{}, err
	}
	if _, err := s.mayComment(ctx, sc, p); err != nil {
		return Voter{}, err
	}
	var v Voter
	err = s.kernel.Command(ctx, sc, "consultation.Vote", func(tx *store.Tx, sc *forum.Scope) error {
		p, now, err := s.openMap(ctx, tx, sc, periodID)
		if err != nil {
			return err
		}
		st, err := s.statement(ctx, tx, p.ID, in.Statement)
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return plenary.Invalid("statement", "no statement %q in this opinion map", in.Statement)
		}
		if err != nil {
			return err
		}
		if st.State != StatementAccepted {
			return plenary.Conflict("statement %s is %s, not open for votes", st.Ref, st.State.Label())
		}
		voterID, number, err := s.voter(ctx, tx, p, sc.Actor.UserID, group)
		if err != nil {
			return err
		}
		v.Number = number
		var old int
		err = tx.QueryRowContext(ctx, "SELECT value FROM consultation_votes WHERE statement_id = ? AND voter_id = ?", st.ID, voterID).Scan(&old)
		switch {
		case err == nil && old == value:
			// The same vote again: nothing changes.
		case err == nil || errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO consultation_votes (statement_id, voter_id, period_id, voter_number, statement_number, value, cast_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (statement_id, voter_id) DO UPDATE SET value = excluded.value, cast_at = excluded.cast_at`,
				st.ID, voterID, p.ID, number, st.Number, value, now.UnixMilli()); err != nil {
				return err
			}
			if err := bumpVersion(ctx, tx, p.ID); err != nil {
				return err
			}
			// The event names the account as its actor: it is the
			// secretariat's alone, whatever the period's visibility.
			if _, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.voted", ledger.VisSecretariat, map[string]any{
				"period": p.ID, "statement": st.Ref, "voter": number, "vote": string(in.Vote),
			}); err != nil {
				return err
			}
		default:
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT g.group_key, (SELECT COUNT(*) FROM consultation_votes x WHERE x.voter_id = g.id) FROM consultation_voters g WHERE g.id = ?",
			voterID).Scan(&v.Group, &v.Voted)
	})
	if err != nil {
		return Voter{}, err
	}
	return v, nil
}
