package consultation

import (
	"context"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

const dispositionColumns = `comment_id, version, outcome, reason, amendment_id, link_revision, link_provision, campaign, decided_at`

// currentDispositions reads the current dispositions matching where, by
// comment id.
func (s *Service) currentDispositions(ctx context.Context, q store.Querier, where string, args ...any) (map[string]Disposition, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+dispositionColumns+" FROM consultation_dispositions WHERE is_current = ? AND "+where,
		append([]any{true}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Disposition{}
	for rows.Next() {
		d, err := scanDisposition(rows)
		if err != nil {
			return nil, err
		}
		out[d.CommentID] = d
	}
	return out, rows.Err()
}

func scanDisposition(sc interface{ Scan(...any) error }) (Disposition, error) {
	var d Disposition
	var outcome string
	var at int64
	err := sc.Scan(&d.CommentID, &d.Version, &outcome, &d.Reason, &d.Amendment, &d.Revision, &d.Provision, &d.Campaign, &at)
	d.Outcome, d.DecidedAt = Outcome(outcome), time.UnixMilli(at).UTC()
	return d, err
}

// History is every version of a comment's disposition, oldest first.
func (s *Service) History(ctx context.Context, sc *forum.Scope, ref string) ([]Disposition, error) {
	c, err := s.Comment(ctx, sc, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.QueryContext(ctx, "SELECT "+dispositionColumns+" FROM consultation_dispositions WHERE comment_id = ? ORDER BY version", c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Disposition{}
	for rows.Next() {
		d, err := scanDisposition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// checkDisposition validates a disposition's input, and that what it
// links to exists: a proposal on the period's draft text, a provision of
// one of its revisions.
func (s *Service) checkDisposition(ctx context.Context, sc *forum.Scope, p Period, in DispositionInput) (DispositionInput, error) {
	if !in.Outcome.Valid() {
		if in.Outcome == "" {
			return in, plenary.Invalid("outcome", "give the outcome: accepted, accepted_in_part, noted, not_accepted or out_of_scope")
		}
		return in, plenary.Invalid("outcome", "unknown outcome %q", in.Outcome)
	}
	reason, err := forum.CheckText("reason", in.Reason, MaxReason)
	if err != nil {
		return in, err
	}
	if in.Reason = strings.TrimSpace(reason); in.Reason == "" {
		return in, plenary.Invalid("reason", "give the reason for the disposition")
	}
	if !forum.IsRef(in.Amendment) || !forum.IsRef(in.Provision) {
		return in, plenary.Invalid("amendment", "not a valid reference")
	}
	if (in.Amendment != "" || in.Provision != "" || in.Revision != 0) && p.DraftID == "" {
		return in, plenary.Invalid("amendment", "this period is on a document, not a draft text: there is no proposal or provision to link")
	}
	if in.Amendment != "" {
		if _, err := s.drafting.AmendmentByID(ctx, sc, p.DraftID, in.Amendment); err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return in, plenary.Invalid("amendment", "no proposal %q on this draft text", in.Amendment)
			}
			return in, err
		}
	}
	if (in.Revision != 0) != (in.Provision != "") {
		return in, plenary.Invalid("provision", "a link to a provision names both the revision and the provision")
	}
	if in.Provision != "" {
		dt, err := s.drafting.DraftText(ctx, sc, p.DraftID)
		if err != nil {
			return in, err
		}
		if err := dt.CheckRevision("revision", in.Revision); err != nil {
			return in, err
		}
		rv, err := s.drafting.DraftRevision(ctx, sc, p.DraftID, in.Revision)
		if err != nil {
			return in, err
		}
		if _, ok := rv.Text.Provision(in.Provision); !ok {
			return in, plenary.Invalid("provision", "no provision %q in revision %d", in.Provision, in.Revision)
		}
	}
	return in, nil
}

// writeDisposition makes d the comment's current disposition, as its next
// version.
func writeDisposition(ctx context.Context, tx *store.Tx, forumID, periodID, actor string, seq int64, d *Disposition) error {
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM consultation_dispositions WHERE comment_id = ?",
		d.CommentID).Scan(&d.Version); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE consultation_dispositions SET is_current = ? WHERE comment_id = ? AND is_current = ?",
		false, d.CommentID, true); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO consultation_dispositions (comment_id, version, forum_id, period_id, is_current, outcome, reason,
		amendment_id, link_revision, link_provision, campaign, decided_by, seq, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.CommentID, d.Version, forumID, periodID, true, string(d.Outcome), d.Reason, d.Amendment, d.Revision, d.Provision, d.Campaign,
		actor, seq, d.DecidedAt.UnixMilli())
	return err
}

// Dispose gives a comment its disposition, or revises it: the earlier
// versions stay, on the record and in History. The secretariat answers
// comments, at any time (during the period, too).
func (s *Service) Dispose(ctx context.Context, sc *forum.Scope, ref string, in DispositionInput) (Disposition, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Disposition{}, err
	}
	c, err := s.comment(ctx, s.store, sc.Forum.ID, ref)
	if err != nil {
		return Disposition{}, err
	}
	p, err := s.period(ctx, s.store, sc.Forum.ID, c.PeriodID)
	if err != nil {
		return Disposition{}, err
	}
	if in, err = s.checkDisposition(ctx, sc, p, in); err != nil {
		return Disposition{}, err
	}
	d := Disposition{CommentID: c.ID, Outcome: in.Outcome, Reason: in.Reason, Amendment: in.Amendment, Revision: in.Revision, Provision: in.Provision}
	err = s.kernel.Command(ctx, sc, "consultation.Dispose", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		d.DecidedAt = s.now()
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM consultation_dispositions WHERE comment_id = ?", c.ID).Scan(&n); err != nil {
			return err
		}
		ev, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.comment_disposed", p.visibility, map[string]any{
			"period": p.ID, "comment": c.ID, "number": c.Ref, "version": n, "outcome": string(d.Outcome), "reason": d.Reason,
			"amendment": d.Amendment, "revision": d.Revision, "provision": d.Provision,
		})
		if err != nil {
			return err
		}
		return writeDisposition(ctx, tx, sc.Forum.ID, p.ID, sc.Actor.LedgerID(), ev.Seq, &d)
	})
	return d, err
}

// DisposeCampaign gives every comment of a campaign (named by the number
// of its first comment) one disposition, in one command and one event
// listing the members. Comments that join the campaign later are not
// disposed: they count as unanswered until answered.
func (s *Service) DisposeCampaign(ctx context.Context, sc *forum.Scope, periodID string, campaignNumber int, in DispositionInput) ([]Disposition, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return nil, err
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	if in, err = s.checkDisposition(ctx, sc, p, in); err != nil {
		return nil, err
	}
	var out []Disposition
	err = s.kernel.Command(ctx, sc, "consultation.DisposeCampaign", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		cp, ok, err := s.campaignOf(ctx, tx, p.ID, campaignNumber)
		if err != nil {
			return err
		}
		if !ok || len(cp.Members) < 2 {
			return plenary.NotFound("no campaign %s in this comment period", Ref(campaignNumber))
		}
		// The members' ids, a few hundred numbers to a query: the period
		// may have far more comments than the campaign.
		ids := make(map[int]string, len(cp.Members))
		err = byNumbers(p.ID, cp.Members, "", func(where string, args []any) error {
			rows, err := tx.QueryContext(ctx, "SELECT number, id FROM consultation_comments WHERE "+where, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var n int
				var id string
				if err := rows.Scan(&n, &id); err != nil {
					return err
				}
				ids[n] = id
			}
			return rows.Err()
		})
		if err != nil {
			return err
		}
		refs := make([]string, len(cp.Members))
		for i, n := range cp.Members {
			refs[i] = Ref(n)
		}
		now := s.now()
		ev, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.campaign_disposed", p.visibility, map[string]any{
			"period": p.ID, "campaign": Ref(cp.ID), "members": refs, "outcome": string(in.Outcome), "reason": in.Reason,
			"amendment": in.Amendment, "revision": in.Revision, "provision": in.Provision,
		})
		if err != nil {
			return err
		}
		out = out[:0]
		for _, n := range cp.Members {
			d := Disposition{CommentID: ids[n], Outcome: in.Outcome, Reason: in.Reason, Amendment: in.Amendment, Revision: in.Revision,
				Provision: in.Provision, Campaign: cp.ID, DecidedAt: now}
			if err := writeDisposition(ctx, tx, sc.Forum.ID, p.ID, sc.Actor.LedgerID(), ev.Seq, &d); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// draftPeriods are the ids of the periods on a draft text the reader may
// read (on revision rev only, when not 0).
func (s *Service) draftPeriods(ctx context.Context, sc *forum.Scope, draftID string, rev int) ([]string, error) {
	if _, err := s.drafting.DraftText(ctx, sc, draftID); err != nil {
		return nil, err
	}
	ps, err := s.Periods(ctx, sc, PeriodFilter{Draft: draftID, Revision: rev})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids, nil
}

// Unanswered counts the comments without a disposition in every comment
// period on a draft text: what the form that issues a revision shows
// ("N comments still unanswered").
func (s *Service) Unanswered(ctx context.Context, sc *forum.Scope, draftID string) (int, error) {
	ids, err := s.draftPeriods(ctx, sc, draftID, 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		c, err := s.counts(ctx, id)
		if err != nil {
			return 0, err
		}
		n += c.Unanswered
	}
	return n, nil
}

// RevisionCounts counts the comments on one revision of a draft text,
// over its comment periods.
func (s *Service) RevisionCounts(ctx context.Context, sc *forum.Scope, draftID string, rev int) (Counts, error) {
	if rev == 0 {
		dt, err := s.drafting.DraftText(ctx, sc, draftID)
		if err != nil {
			return Counts{}, err
		}
		rev = dt.Revision
	}
	ids, err := s.draftPeriods(ctx, sc, draftID, rev)
	if err != nil {
		return Counts{}, err
	}
	out := Counts{ByOutcome: map[Outcome]int{}}
	for _, id := range ids {
		c, err := s.counts(ctx, id)
		if err != nil {
			return Counts{}, err
		}
		out.Comments += c.Comments
		out.Hidden += c.Hidden
		out.Unanswered += c.Unanswered
		for o, n := range c.ByOutcome {
			out.ByOutcome[o] += n
		}
	}
	return out, nil
}

// ProvisionComments are the comments on one provision of a draft text, in
// every comment period on it, with their dispositions: those that address
// it or words in it, and the missing provisions proposed after it. The
// provision's drafting log shows them. With a limit, at most that many of
// each period, and the periods that have more.
func (s *Service) ProvisionComments(ctx context.Context, sc *forum.Scope, draftID, provisionID string, limit int) ([]Comment, []string, error) {
	ids, err := s.draftPeriods(ctx, sc, draftID, 0)
	if err != nil {
		return nil, nil, err
	}
	out := []Comment{}
	var more []string
	for _, id := range ids {
		cs, err := s.commentsWhere(ctx, sc, CommentFilter{Provision: provisionID, Limit: limit}, "c.period_id = ?", id)
		if err != nil {
			return nil, nil, err
		}
		cs, next := cut(cs, limit)
		if next != 0 {
			more = append(more, id)
		}
		out = append(out, cs...)
	}
	return out, more, nil
}

// Row is one line of a revision's disposition table (the comment
// resolution matrix): a comment, what it addresses, and its disposition.
type Row struct {
	Comment      string `json:"comment"` // C-12
	Period       string `json:"period"`
	Commenter    string `json:"commenter"`
	Group        string `json:"group"`
	Organisation string `json:"organisation"`
	Target       string `json:"target"`
	Provision    string `json:"provision"`
	Quote        string `json:"quote"`
	Proposed     string `json:"proposed"`
	Text         string `json:"text"`
	Hidden       bool   `json:"hidden"`
	Outcome      string `json:"outcome"` // "" while unanswered
	Reason       string `json:"reason"`
	Amendment    string `json:"amendment"`
	LinkRevision int    `json:"link_revision"`
	LinkProv     string `json:"link_provision"`
	Campaign     string `json:"campaign"` // the campaign disposed as a whole, C-<first>
	DecidedAt    string `json:"decided_at"`
}

// Table is the disposition table of a revision of a draft text (0: the
// current one): one row per comment of its comment periods, in the order
// of their numbers, as the reader may see them (a hidden comment's text is
// the secretariat's notice for the public).
func (s *Service) Table(ctx context.Context, sc *forum.Scope, draftID string, rev int) ([]Row, error) {
	out := []Row{}
	err := s.EachRow(ctx, sc, draftID, rev, func(r Row) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachRow calls fn with each row of Table in order, reading the comments a
// few thousand at a time: a revision can have a million. It stops at fn's
// first error and returns it.
func (s *Service) EachRow(ctx context.Context, sc *forum.Scope, draftID string, rev int, fn func(Row) error) error {
	return s.EachRowAfter(ctx, sc, draftID, rev, 0, fn)
}

// EachRowAfter is EachRow from the comment numbered after after.
func (s *Service) EachRowAfter(ctx context.Context, sc *forum.Scope, draftID string, rev, after int, fn func(Row) error) error {
	where, args, err := s.tableWhere(ctx, sc, draftID, rev)
	if err != nil || where == "" {
		return err
	}
	return s.eachComment(ctx, sc, after, func(c Comment) error { return fn(row(c)) }, where, args...)
}

// TableRows reads the first rows of Table (at most first) and returns a
// function that gives every row in order, reading the others as it goes. A
// download reads its first page before it answers, so that a refusal still
// gets its status, and holds no more than a page.
func (s *Service) TableRows(ctx context.Context, sc *forum.Scope, draftID string, rev, first int) (func(func(Row) error) error, error) {
	page, next, err := s.TablePage(ctx, sc, draftID, rev, 0, first)
	if err != nil {
		return nil, err
	}
	return func(fn func(Row) error) error {
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		return s.EachRowAfter(ctx, sc, draftID, rev, next, fn)
	}, nil
}

// TablePage is a page of Table: the rows of the comments numbered after
// after, at most limit of them (0: all), and the after of the next page
// (0 when this one is the last).
func (s *Service) TablePage(ctx context.Context, sc *forum.Scope, draftID string, rev, after, limit int) ([]Row, int, error) {
	where, args, err := s.tableWhere(ctx, sc, draftID, rev)
	if err != nil {
		return nil, 0, err
	}
	if where == "" {
		return []Row{}, 0, nil
	}
	cs, err := s.commentsWhere(ctx, sc, CommentFilter{After: after, Limit: limit}, where, args...)
	if err != nil {
		return nil, 0, err
	}
	cs, next := cut(cs, limit)
	return Rows(cs), next, nil
}

// tableWhere selects the comments of a revision's table (0: the current
// revision): those of its comment periods; "" when it has none.
func (s *Service) tableWhere(ctx context.Context, sc *forum.Scope, draftID string, rev int) (string, []any, error) {
	if rev == 0 {
		dt, err := s.drafting.DraftText(ctx, sc, draftID)
		if err != nil {
			return "", nil, err
		}
		rev = dt.Revision
	}
	ids, err := s.draftPeriods(ctx, sc, draftID, rev)
	if err != nil || len(ids) == 0 {
		return "", nil, err
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "c.period_id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")", args, nil
}

// Rows makes the disposition table's rows of comments.
func Rows(cs []Comment) []Row {
	out := make([]Row, 0, len(cs))
	for _, c := range cs {
		out = append(out, row(c))
	}
	return out
}

// row is a comment's row of the disposition table.
func row(c Comment) Row {
	r := Row{Comment: c.Ref, Period: c.PeriodID, Commenter: c.Author, Group: c.Group, Organisation: c.Organisation,
		Target: string(c.Target), Provision: c.Provision, Quote: c.Quote, Proposed: c.Proposed, Text: c.Text, Hidden: c.Hidden}
	if c.Hidden && c.Text == "" {
		r.Text = c.HiddenNotice()
	}
	if d := c.Disposition; d != nil {
		r.Outcome, r.Reason, r.Amendment, r.LinkRevision, r.LinkProv = string(d.Outcome), d.Reason, d.Amendment, d.Revision, d.Provision
		r.DecidedAt = d.DecidedAt.Format(time.RFC3339)
		if d.Campaign != 0 {
			r.Campaign = Ref(d.Campaign)
		}
	}
	return r
}
