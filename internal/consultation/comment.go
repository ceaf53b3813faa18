package consultation

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/campaign"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
)

const commentColumns = `id, period_id, number, user_id, author, group_key, organisation, target, provision_id, span_start, span_end, quote,
	proposed, body, address_hash, hidden, hidden_reason, created_at`

func scanComment(sc interface{ Scan(...any) error }) (Comment, error) {
	var c Comment
	var target string
	var created int64
	err := sc.Scan(&c.ID, &c.PeriodID, &c.Number, &c.userID, &c.Author, &c.Group, &c.Organisation, &target, &c.Provision,
		&c.Start, &c.End, &c.Quote, &c.Proposed, &c.Text, &c.address, &c.Hidden, &c.HiddenReason, &created)
	c.Target, c.CreatedAt, c.Ref = Target(target), time.UnixMilli(created).UTC(), Ref(c.Number)
	return c, err
}

// Ref is a comment's number in the forum's register: C-12.
func Ref(number int) string { return "C-" + strconv.Itoa(number) }

// ParseRef reads a comment's number from "C-12" or "12".
func ParseRef(ref string) (int, bool) {
	ref = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(ref), "C-"), "c-")
	n, err := strconv.Atoi(ref)
	return n, err == nil && n > 0
}

// comment reads a comment by its id or its number (C-12).
func (s *Service) comment(ctx context.Context, q store.Querier, forumID, ref string) (Comment, error) {
	if !forum.IsRef(ref) || ref == "" {
		return Comment{}, plenary.NotFound("no comment %q in this forum", ref)
	}
	var row *sql.Row
	if n, ok := ParseRef(ref); ok {
		row = q.QueryRowContext(ctx, "SELECT "+commentColumns+" FROM consultation_comments WHERE forum_id = ? AND number = ?", forumID, n)
	} else {
		row = q.QueryRowContext(ctx, "SELECT "+commentColumns+" FROM consultation_comments WHERE forum_id = ? AND id = ?", forumID, ref)
	}
	c, err := scanComment(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Comment{}, plenary.NotFound("no comment %q in this forum", ref)
	}
	return c, err
}

// mayComment is the right to comment in period p: the rights matrix's
// Comment cell, or, in a period open to the public, being signed in. It
// does not look at the period's dates.
func (s *Service) mayComment(ctx context.Context, sc *forum.Scope, p Period) (forum.Capacity, error) {
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return forum.Capacity{}, plenary.Unauthorized("sign in to comment")
	}
	c, err := sc.Authorize(ctx, rules.Comment, "")
	if err != nil && p.Public && plenary.ErrorCode(err) == plenary.CodeForbidden {
		return forum.Capacity{Role: forum.RolePublic}, nil
	}
	return c, err
}

// MayComment reports whether the actor may comment in the period now: a
// right to comment and an open period.
func (s *Service) MayComment(ctx context.Context, sc *forum.Scope, p Period) (bool, error) {
	if _, err := s.mayComment(ctx, sc, p); err != nil {
		return forum.Allowed(err)
	}
	return p.StateAt(s.now()) == Open, nil
}

// Groups are the stakeholder groups a commenter may declare in the forum:
// the forum's own (but guests and the secretariat), then those of
// StandardGroups it lacks.
func (s *Service) Groups(ctx context.Context, sc *forum.Scope) ([]forum.Choice, error) {
	gs, err := sc.Groups(ctx)
	if err != nil {
		return nil, err
	}
	var out []forum.Choice
	seen := map[string]bool{}
	for _, g := range gs {
		if g.Key == rules.GroupGuest || g.Key == rules.GroupSecretariat {
			continue
		}
		out = append(out, forum.Choice{Value: g.Key, Label: g.Name})
		seen[g.Key] = true
	}
	for _, c := range StandardGroups() {
		if !seen[c.Value] {
			out = append(out, c)
		}
	}
	return out, nil
}

func groupLabel(gs []forum.Choice, key string) string {
	for _, g := range gs {
		if g.Value == key {
			return g.Label
		}
	}
	return key
}

// checkOpen refuses a comment outside the period's time.
func checkOpen(p Period, now time.Time) error {
	switch p.StateAt(now) {
	case Upcoming:
		return plenary.Conflict("the comment period opens at %s", p.OpensAt.Format(time.RFC3339))
	case Closed:
		return plenary.Conflict("the comment period closed at %s", p.ClosesAt.Format(time.RFC3339))
	}
	return nil
}

// SubmitComment takes a comment in an open period and numbers it in the
// forum's register. It is accepted only when its transaction commits:
// what the commenter is told was taken is in the database and on the
// record.
func (s *Service) SubmitComment(ctx context.Context, sc *forum.Scope, periodID string, in CommentInput) (Comment, error) {
	body, err := forum.CheckText("text", in.Text, MaxComment)
	if err != nil {
		return Comment{}, err
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return Comment{}, plenary.Invalid("text", "write the comment")
	}
	org, err := forum.CheckLine("organisation", in.Organisation, MaxOrganisation)
	if err != nil {
		return Comment{}, err
	}
	if org == "" {
		return Comment{}, plenary.Invalid("organisation", "name your organisation, or %q", Individual)
	}
	if strings.EqualFold(org, Individual) {
		org = Individual
	}
	group, err := forum.CheckLine("group", in.Group, rules.MaxGroupKey)
	if err != nil {
		return Comment{}, err
	}
	proposed, err := forum.CheckText("proposed", in.Proposed, text.MaxProvisionText)
	if err != nil {
		return Comment{}, err
	}
	proposed = strings.TrimSpace(proposed)
	quote, err := forum.CheckText("quote", in.Quote, MaxQuote)
	if err != nil {
		return Comment{}, err
	}
	if !forum.IsRef(in.Provision) {
		return Comment{}, plenary.Invalid("provision", "not a valid provision id")
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return Comment{}, err
	}
	if _, err := s.mayComment(ctx, sc, p); err != nil {
		return Comment{}, err
	}
	if err := checkOpen(p, s.now()); err != nil {
		return Comment{}, err
	}
	gs, err := s.Groups(ctx, sc)
	if err != nil {
		return Comment{}, err
	}
	if group == "" {
		return Comment{}, plenary.Invalid("group", "declare your stakeholder group")
	}
	if groupLabel(gs, group) == group && !hasChoice(gs, group) {
		return Comment{}, plenary.Invalid("group", "unknown stakeholder group %q", group)
	}
	c := Comment{ID: plenary.NewID(), PeriodID: p.ID, Author: sc.Actor.Name, Group: group, GroupLabel: groupLabel(gs, group),
		Organisation: org, Target: in.Target, Text: body, userID: sc.Actor.UserID}
	if err := s.checkTarget(ctx, sc, p, in, quote, proposed, &c); err != nil {
		return Comment{}, err
	}
	sig := campaign.Fingerprint(body)
	c.fingerprint = sig.Encode()
	var salt []byte
	// Comments come in bursts into one forum: concurrent ones share a
	// transaction (each its own command, number and event; see
	// forum.GroupCommand), and each is answered after the commit. Once
	// begun, a comment is not cancelled with its request: that would
	// undo the others sharing its transaction.
	ctx = context.WithoutCancel(ctx)
	err = s.kernel.GroupCommand(ctx, sc, "consultation.SubmitComment", func(tx *store.Tx, sc *forum.Scope) error {
		// The period as it stands, and the forum's next comment number:
		// the forum's row is locked by the command, so numbers are taken
		// one at a time, without gaps or repeats.
		p, err := scanPeriod(tx.QueryRowContext(ctx, "SELECT "+periodColumns+
			", (SELECT COALESCE(MAX(number), 0) + 1 FROM consultation_comments WHERE forum_id = ?) FROM consultation_periods WHERE id = ? AND forum_id = ?",
			sc.Forum.ID, periodID, sc.Forum.ID), &c.Number)
		if errors.Is(err, sql.ErrNoRows) {
			return plenary.NotFound("no comment period %q in this forum", periodID)
		}
		if err != nil {
			return err
		}
		if _, err := s.mayComment(ctx, sc, p); err != nil {
			return err
		}
		now := s.now()
		if err := checkOpen(p, now); err != nil {
			return err
		}
		if c.address, salt, err = s.addressHash(ctx, tx, sc.Forum.ID, in.Address); err != nil {
			return err
		}
		if err := s.checkIntake(ctx, tx, p, sc.Actor.UserID, c.address, now); err != nil {
			return err
		}
		c.Ref, c.CreatedAt = Ref(c.Number), now
		sum := sha256.Sum256([]byte(c.Text + "\x00" + c.Proposed))
		ev, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.comment_submitted", p.visibility, map[string]any{
			"period": p.ID, "comment": c.ID, "number": c.Ref, "group": c.Group, "organisation": c.Organisation,
			"target": string(c.Target), "provision": c.Provision, "text_sha256": hex.EncodeToString(sum[:]),
		})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO consultation_comments (id, forum_id, period_id, number, user_id, author, group_key, organisation,
			target, provision_id, span_start, span_end, quote, proposed, body, fingerprint, address_hash, hidden, hidden_reason, seq, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, sc.Forum.ID, p.ID, c.Number, c.userID, c.Author, c.Group, c.Organisation, string(c.Target), c.Provision,
			c.Start, c.End, c.Quote, c.Proposed, c.Text, c.fingerprint, c.address, false, "", ev.Seq, now.UnixMilli())
		if err != nil {
			return err
		}
		indexComment(tx, sc.Forum, p, c)
		return nil
	})
	if err != nil {
		return Comment{}, err
	}
	if salt != nil {
		// Committed now: kept in memory for the forum's next comments.
		s.salts.Store(sc.Forum.ID, salt)
	}
	return c, nil
}

func hasChoice(cs []forum.Choice, v string) bool {
	for _, c := range cs {
		if c.Value == v {
			return true
		}
	}
	return false
}

// checkTarget checks what the comment addresses against the period's
// revision and fills it in.
func (s *Service) checkTarget(ctx context.Context, sc *forum.Scope, p Period, in CommentInput, quote, proposed string, c *Comment) error {
	switch in.Target {
	case TargetProvision, TargetSpan, TargetWhole, TargetMissing:
	case "":
		return plenary.Invalid("target", "say what the comment addresses: a provision, words in one, the text as a whole or something missing")
	default:
		return plenary.Invalid("target", "unknown target %q", in.Target)
	}
	if in.Target != TargetMissing && proposed != "" {
		return plenary.Invalid("proposed", "a proposed new provision goes with a comment on something missing")
	}
	if in.Target != TargetSpan && (quote != "" || in.Start != 0 || in.End != 0) {
		return plenary.Invalid("quote", "quoted words go with a comment on words in a provision")
	}
	if in.Target == TargetWhole {
		if in.Provision != "" {
			return plenary.Invalid("provision", "a comment on the text as a whole names no provision")
		}
		return nil
	}
	if p.DraftID == "" {
		return plenary.Invalid("target", "this period is on a document without provisions: comment on it as a whole")
	}
	rv, err := s.drafting.DraftRevision(ctx, sc, p.DraftID, p.Revision)
	if err != nil {
		return err
	}
	if in.Target == TargetMissing {
		if proposed == "" {
			return plenary.Invalid("proposed", "write the provision you propose")
		}
		if in.Provision != "" {
			if _, ok := rv.Text.Provision(in.Provision); !ok {
				return plenary.Invalid("provision", "no provision %q in revision %d, to place the new one after", in.Provision, p.Revision)
			}
		}
		c.Provision, c.Proposed = in.Provision, proposed
		return nil
	}
	if in.Provision == "" {
		return plenary.Invalid("provision", "name the provision the comment addresses")
	}
	pr, ok := rv.Text.Provision(in.Provision)
	if !ok {
		return plenary.Invalid("provision", "no provision %q in revision %d", in.Provision, p.Revision)
	}
	c.Provision = pr.ID
	if in.Target == TargetProvision {
		return nil
	}
	words := []rune(pr.Text())
	start, end := in.Start, in.End
	switch {
	case start == 0 && end == 0 && quote == "":
		return plenary.Invalid("quote", "quote the words the comment addresses, or give their place")
	case start == 0 && end == 0:
		i := strings.Index(pr.Text(), quote)
		if i < 0 {
			return plenary.Invalid("quote", "the words %q are not in provision %s", quote, pr.DisplayLabel())
		}
		start = utf8.RuneCountInString(pr.Text()[:i])
		end = start + utf8.RuneCountInString(quote)
	case start < 0 || end <= start || end > len(words):
		return plenary.Invalid("end", "the span %d-%d is outside provision %s, of %d characters", start, end, pr.DisplayLabel(), len(words))
	case quote != "" && string(words[start:end]) != quote:
		return plenary.Invalid("quote", "the words at %d-%d are %q, not %q", start, end, string(words[start:end]), quote)
	}
	if end-start > MaxQuote {
		return plenary.Invalid("end", "a span is at most %d characters; comment on the whole provision instead", MaxQuote)
	}
	c.Start, c.End, c.Quote = start, end, string(words[start:end])
	return nil
}

// addressHash is the keyed hash of a client address: HMAC-SHA-256 under
// the forum's salt, made on first use and kept in consultation_salts. The
// raw address is never stored, logged or put on the record; the hash lets
// intake count comments from one address and the secretariat see bursts,
// and cannot be reversed without the salt (which no face shows). When the
// salt was read or made in tx, it is returned too, for the caller to keep
// in memory once tx is committed: a salt made in a transaction (or, in a
// grouped one, by another command in it) that rolled back must not serve
// later comments.
func (s *Service) addressHash(ctx context.Context, tx *store.Tx, forumID, address string) (hash string, read []byte, err error) {
	if address == "" {
		return "", nil, nil
	}
	var salt []byte
	if v, ok := s.salts.Load(forumID); ok {
		salt = v.([]byte)
	} else {
		var h string
		err := tx.QueryRowContext(ctx, "SELECT salt FROM consultation_salts WHERE forum_id = ?", forumID).Scan(&h)
		if errors.Is(err, sql.ErrNoRows) {
			b := make([]byte, 32)
			if _, err := rand.Read(b); err != nil {
				return "", nil, err
			}
			h = hex.EncodeToString(b)
			if _, err := tx.ExecContext(ctx, "INSERT INTO consultation_salts (forum_id, salt) VALUES (?, ?)", forumID, h); err != nil {
				return "", nil, err
			}
		} else if err != nil {
			return "", nil, err
		}
		salt, _ = hex.DecodeString(h)
		read = salt
	}
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(address))
	return hex.EncodeToString(m.Sum(nil))[:32], read, nil
}

// checkIntake refuses a comment over the bounds on intake: PerAccount
// comments by one account, PerAddress from one address, in the period
// within Window.
func (s *Service) checkIntake(ctx context.Context, tx *store.Tx, p Period, userID, address string, now time.Time) error {
	since := now.Add(-s.Window).UnixMilli()
	window := during(s.Window)
	if s.PerAccount > 0 {
		var n int
		// Counting stops at the bound: the check reads at most that many
		// index entries, however many comments the account has made.
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM consultation_comments WHERE period_id = ? AND user_id = ? AND created_at > ? LIMIT ?) AS recent",
			p.ID, userID, since, s.PerAccount).Scan(&n); err != nil {
			return err
		}
		if n >= s.PerAccount {
			return plenary.RateLimited("at most %d comments per account within %s in this comment period; try again later", s.PerAccount, window)
		}
	}
	if s.PerAddress > 0 && address != "" {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM consultation_comments WHERE period_id = ? AND address_hash = ? AND created_at > ? LIMIT ?) AS recent",
			p.ID, address, since, s.PerAddress).Scan(&n); err != nil {
			return err
		}
		if n >= s.PerAddress {
			return plenary.RateLimited("at most %d comments from one network address within %s in this comment period; try again later", s.PerAddress, window)
		}
	}
	return nil
}

// during words a window of time: "an hour", "3 hours", "10 minutes".
func during(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "an hour"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + " hours"
	case d == time.Minute:
		return "a minute"
	case d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	}
	return d.String()
}

// Moderation ----------------------------------------------------------

// HideComment hides an abusive comment from the public, with the reason,
// on the record. Its text is kept for the secretariat.
func (s *Service) HideComment(ctx context.Context, sc *forum.Scope, ref, reason string) (Comment, error) {
	reason, err := forum.CheckText("reason", reason, MaxReason)
	if err != nil {
		return Comment{}, err
	}
	if strings.TrimSpace(reason) == "" {
		return Comment{}, plenary.Invalid("reason", "say why the comment is hidden")
	}
	return s.moderate(ctx, sc, ref, true, strings.TrimSpace(reason))
}

// UnhideComment shows a hidden comment again, on the record.
func (s *Service) UnhideComment(ctx context.Context, sc *forum.Scope, ref string) (Comment, error) {
	return s.moderate(ctx, sc, ref, false, "")
}

func (s *Service) moderate(ctx context.Context, sc *forum.Scope, ref string, hide bool, reason string) (Comment, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Comment{}, err
	}
	var c Comment
	err := s.kernel.Command(ctx, sc, "consultation.ModerateComment", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		var err error
		if c, err = s.comment(ctx, tx, sc.Forum.ID, ref); err != nil {
			return err
		}
		if c.Hidden == hide {
			if hide {
				return plenary.Conflict("comment %s is already hidden", c.Ref)
			}
			return plenary.Conflict("comment %s is not hidden", c.Ref)
		}
		p, err := s.period(ctx, tx, sc.Forum.ID, c.PeriodID)
		if err != nil {
			return err
		}
		c.Hidden, c.HiddenReason = hide, reason
		if _, err := tx.ExecContext(ctx, "UPDATE consultation_comments SET hidden = ?, hidden_reason = ? WHERE id = ?", hide, reason, c.ID); err != nil {
			return err
		}
		indexComment(tx, sc.Forum, p, c)
		typ, payload := "consultation.comment_unhidden", map[string]any{"period": p.ID, "comment": c.ID, "number": c.Ref}
		if hide {
			typ, payload["reason"] = "consultation.comment_hidden", reason
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), typ, p.visibility, payload)
		return err
	})
	return c, err
}

// Reads ---------------------------------------------------------------

// secretariat reports whether the reader is the forum's secretariat.
func secretariat(ctx context.Context, sc *forum.Scope) (bool, error) {
	v, err := sc.Viewer(ctx)
	return v.Secretariat, err
}

// shown is c as the reader sees it: a hidden comment's words only for the
// secretariat.
func shown(c Comment, sec bool) Comment {
	if c.Hidden && !sec {
		c.Text, c.Proposed = "", ""
	}
	return c
}

// Comment returns one comment, by id or number (C-12), with its
// disposition.
func (s *Service) Comment(ctx context.Context, sc *forum.Scope, ref string) (Comment, error) {
	c, err := s.comment(ctx, s.store, sc.Forum.ID, ref)
	if err != nil {
		return Comment{}, err
	}
	p, err := s.period(ctx, s.store, sc.Forum.ID, c.PeriodID)
	if err != nil {
		return Comment{}, err
	}
	if err := s.readable(ctx, sc, p); err != nil {
		return Comment{}, plenary.NotFound("no comment %q in this forum", ref)
	}
	sec, err := secretariat(ctx, sc)
	if err != nil {
		return Comment{}, err
	}
	gs, err := s.Groups(ctx, sc)
	if err != nil {
		return Comment{}, err
	}
	c.GroupLabel = groupLabel(gs, c.Group)
	ds, err := s.currentDispositions(ctx, s.store, "comment_id = ?", c.ID)
	if err != nil {
		return Comment{}, err
	}
	if d, ok := ds[c.ID]; ok {
		c.Disposition = &d
	}
	return shown(c, sec), nil
}

// CommentFilter selects a period's comments: on one provision (what
// addresses it, words in it, or something missing after it), of one
// target, only those still unanswered or answered with one outcome; and a
// page of them: those numbered after After, at most Limit (0: all).
type CommentFilter struct {
	Provision  string  `json:"provision,omitempty"`
	Target     Target  `json:"target,omitempty"`
	Unanswered bool    `json:"unanswered,omitempty"`
	Outcome    Outcome `json:"outcome,omitempty"`
	After      int     `json:"after,omitempty"`
	Limit      int     `json:"limit,omitempty"`
}

// Comments lists a period's comments in the order of their numbers, each
// with its disposition, as the reader may see them.
func (s *Service) Comments(ctx context.Context, sc *forum.Scope, periodID string, flt CommentFilter) ([]Comment, error) {
	cs, _, err := s.CommentPage(ctx, sc, periodID, flt)
	return cs, err
}

// CommentPage is Comments with the number to ask for after this page (the
// filter's After), or 0 when this page is the last.
func (s *Service) CommentPage(ctx context.Context, sc *forum.Scope, periodID string, flt CommentFilter) ([]Comment, int, error) {
	if flt.Outcome != "" && !flt.Outcome.Valid() {
		return nil, 0, plenary.Invalid("outcome", "must be accepted, accepted_in_part, noted, not_accepted or out_of_scope")
	}
	if flt.Outcome != "" && flt.Unanswered {
		return nil, 0, plenary.Invalid("outcome", "an unanswered comment has no outcome")
	}
	if flt.After < 0 {
		return nil, 0, plenary.Invalid("after", "must be a comment number, from 0")
	}
	if flt.Limit < 0 {
		return nil, 0, plenary.Invalid("limit", "must be a number of comments, from 1")
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, 0, err
	}
	cs, err := s.commentsWhere(ctx, sc, flt, "c.period_id = ?", p.ID)
	if err != nil {
		return nil, 0, err
	}
	cs, next := cut(cs, flt.Limit)
	return cs, next, nil
}

// cut keeps the first limit comments of those commentsWhere read with that
// limit (one more than it, when there are more), and says the number the
// next page follows (0: none).
func cut(cs []Comment, limit int) ([]Comment, int) {
	if limit <= 0 || len(cs) <= limit {
		return cs, 0
	}
	cs = cs[:limit]
	return cs, cs[len(cs)-1].Number
}

// CommentBatch is how many comments a reading of every comment (an export,
// a table's download) reads at a time.
var CommentBatch = 5000

// EachComment calls fn with each of a period's comments in the order of
// their numbers, with its disposition, as the reader may see them, reading
// them a few thousand at a time: a period can have a million. It stops at
// fn's first error and returns it.
func (s *Service) EachComment(ctx context.Context, sc *forum.Scope, periodID string, fn func(Comment) error) error {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return err
	}
	return s.eachComment(ctx, sc, 0, fn, "c.period_id = ?", p.ID)
}

// eachComment calls fn with each comment matching where numbered after
// after, in order, CommentBatch at a time.
func (s *Service) eachComment(ctx context.Context, sc *forum.Scope, after int, fn func(Comment) error, where string, args ...any) error {
	for {
		cs, err := s.commentsWhere(ctx, sc, CommentFilter{After: after, Limit: CommentBatch}, where, args...)
		if err != nil {
			return err
		}
		cs, next := cut(cs, CommentBatch)
		for _, c := range cs {
			if err := fn(c); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		after = next
	}
}

// CommentsByNumber reads some of a period's comments by their numbers, as
// the reader may see them, keyed by number; numbers that name none are
// left out.
func (s *Service) CommentsByNumber(ctx context.Context, sc *forum.Scope, periodID string, numbers []int) (map[int]Comment, error) {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	out := map[int]Comment{}
	err = byNumbers(p.ID, numbers, "c.", func(where string, args []any) error {
		cs, err := s.commentsWhere(ctx, sc, CommentFilter{}, where, args...)
		for _, c := range cs {
			out[c.Number] = c
		}
		return err
	})
	return out, err
}

// numberChunk is how many comment numbers a query names at most (number
// IN (...)); a variable for the tests.
var numberChunk = 500

// byNumbers calls query with the condition on a period's comments (with
// the column prefix col, such as "c.") that names numbers, numberChunk at
// a time, and its arguments.
func byNumbers(periodID string, numbers []int, col string, query func(where string, args []any) error) error {
	for len(numbers) > 0 {
		chunk := numbers[:min(len(numbers), numberChunk)]
		numbers = numbers[len(chunk):]
		args := []any{periodID}
		for _, n := range chunk {
			args = append(args, n)
		}
		where := col + "period_id = ? AND " + col + "number IN (?" + strings.Repeat(", ?", len(chunk)-1) + ")"
		if err := query(where, args); err != nil {
			return err
		}
	}
	return nil
}

// withDisposition scans a comment's columns, then a current disposition's.
type withDisposition struct {
	rows *sql.Rows
	d    []any
}

func (w withDisposition) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.d...)...) }

// commentsWhere reads the comments matching where (on the comments, c),
// each with its current disposition (d), as the reader may see them. With
// a limit, it reads one more comment than the limit, so that the caller
// knows whether another page follows.
func (s *Service) commentsWhere(ctx context.Context, sc *forum.Scope, flt CommentFilter, where string, args ...any) ([]Comment, error) {
	sec, err := secretariat(ctx, sc)
	if err != nil {
		return nil, err
	}
	gs, err := s.Groups(ctx, sc)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + prefixed("c.", commentColumns) + `, COALESCE(d.comment_id, ''), COALESCE(d.version, 0), COALESCE(d.outcome, ''),
		COALESCE(d.reason, ''), COALESCE(d.amendment_id, ''), COALESCE(d.link_revision, 0), COALESCE(d.link_provision, ''),
		COALESCE(d.campaign, 0), COALESCE(d.decided_at, 0)
		FROM consultation_comments c LEFT JOIN consultation_dispositions d ON d.comment_id = c.id AND d.is_current = ?
		WHERE c.forum_id = ? AND ` + where
	args = append([]any{true, sc.Forum.ID}, args...)
	if flt.Provision != "" {
		q += " AND c.provision_id = ?"
		args = append(args, flt.Provision)
	}
	if flt.Target != "" {
		q += " AND c.target = ?"
		args = append(args, string(flt.Target))
	}
	if flt.Unanswered {
		q += " AND d.comment_id IS NULL"
	}
	if flt.Outcome != "" {
		q += " AND d.outcome = ?"
		args = append(args, string(flt.Outcome))
	}
	if flt.After > 0 {
		q += " AND c.number > ?"
		args = append(args, flt.After)
	}
	q += " ORDER BY c.number"
	if flt.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, flt.Limit+1)
	}
	rows, err := s.store.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Comment{}
	for rows.Next() {
		var d Disposition
		var outcome string
		var at int64
		c, err := scanComment(withDisposition{rows, []any{&d.CommentID, &d.Version, &outcome, &d.Reason, &d.Amendment,
			&d.Revision, &d.Provision, &d.Campaign, &at}})
		if err != nil {
			return nil, err
		}
		if d.CommentID != "" {
			d.Outcome, d.DecidedAt = Outcome(outcome), time.UnixMilli(at).UTC()
			c.Disposition = &d
		}
		c.GroupLabel = groupLabel(gs, c.Group)
		out = append(out, shown(c, sec))
	}
	return out, rows.Err()
}

// prefixed qualifies each of a list of columns with a table's alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// Counts are a period's numbers: comments, hidden ones, unanswered ones
// (without a disposition), and dispositions by outcome.
type Counts struct {
	Comments   int             `json:"comments"`
	Hidden     int             `json:"hidden"`
	Unanswered int             `json:"unanswered"`
	ByOutcome  map[Outcome]int `json:"by_outcome"`
}

// PeriodCounts counts a period's comments.
func (s *Service) PeriodCounts(ctx context.Context, sc *forum.Scope, periodID string) (Counts, error) {
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return Counts{}, err
	}
	return s.counts(ctx, p.ID)
}

// counts counts a period's comments without reading them: the total
// and the hidden through their indexes, the answered from the current
// dispositions (a period can have a million comments).
func (s *Service) counts(ctx context.Context, periodID string) (Counts, error) {
	c := Counts{ByOutcome: map[Outcome]int{}}
	if err := s.store.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_comments WHERE period_id = ?", periodID).Scan(&c.Comments); err != nil {
		return Counts{}, err
	}
	// "AND hidden", not "= ?": the partial index's own condition.
	if err := s.store.QueryRowContext(ctx, "SELECT COUNT(*) FROM consultation_comments WHERE period_id = ? AND hidden", periodID).Scan(&c.Hidden); err != nil {
		return Counts{}, err
	}
	rows, err := s.store.QueryContext(ctx, `SELECT outcome, COUNT(*) FROM consultation_dispositions
		WHERE period_id = ? AND is_current = ? GROUP BY outcome`, periodID, true)
	if err != nil {
		return Counts{}, err
	}
	defer rows.Close()
	answered := 0
	for rows.Next() {
		var outcome string
		var n int
		if err := rows.Scan(&outcome, &n); err != nil {
			return Counts{}, err
		}
		c.ByOutcome[Outcome(outcome)] += n
		answered += n
	}
	c.Unanswered = c.Comments - answered
	return c, rows.Err()
}
