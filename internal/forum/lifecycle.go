package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// A forum's life cycle: it is set up preparing, opens and closes. A closed
// forum is frozen: Command refuses every command in it but ReopenForum,
// which the secretariat gives with a reason on the record. A forum that
// never opened may be discarded instead: it leaves the lists, is frozen
// for good, and keeps its record. Deadlines close contributions,
// proposals, registrations and observer applications at a time the
// secretariat sets, and extends with a reason on the record.

// MaxReason is the longest reason a lifecycle command takes.
const MaxReason = 500

// DeadlineKind names what a deadline closes.
type DeadlineKind string

// The kinds of deadline.
const (
	DeadlineContributions DeadlineKind = "contributions"
	DeadlineProposals     DeadlineKind = "proposals"
	DeadlineRegistrations DeadlineKind = "registrations"
	DeadlineApplications  DeadlineKind = "observer_applications"
)

// DeadlineKinds lists the kinds of deadline with their labels, in the
// order pages show them. Contributions are documents filed as
// contributions; proposals are proposed amendments and documents filed as
// proposals; registrations are those of participants (not the guests the
// secretariat invites); observer applications are the public's.
var DeadlineKinds = []Choice{
	{Value: string(DeadlineContributions), Label: "Contributions"},
	{Value: string(DeadlineProposals), Label: "Proposals"},
	{Value: string(DeadlineRegistrations), Label: "Registrations"},
	{Value: string(DeadlineApplications), Label: "Observer applications"},
}

// deadlineColumns are the columns of forums that hold each kind's time.
var deadlineColumns = map[DeadlineKind]string{
	DeadlineContributions: "contributions_due",
	DeadlineProposals:     "proposals_due",
	DeadlineRegistrations: "registrations_due",
	DeadlineApplications:  "applications_due",
}

// Label is the kind for people.
func (k DeadlineKind) Label() string { return Label(DeadlineKinds, string(k)) }

// Deadline is when a forum stops taking something.
type Deadline struct {
	Kind DeadlineKind `json:"kind"`
	Due  time.Time    `json:"due_at"`
}

// Label is the deadline's kind for people ("Proposals").
func (d Deadline) Label() string { return d.Kind.Label() }

// Noun is the kind inside a sentence ("the deadline for proposals").
func (d Deadline) Noun() string { return strings.ToLower(d.Kind.Label()) }

// Passed reports whether the deadline has passed.
func (d Deadline) Passed() bool { return !NowUTC().Before(d.Due) }

// DueText is the deadline's time for people: 14 May 2013 12:00 UTC.
func (d Deadline) DueText() string { return d.Due.UTC().Format("2 Jan 2006 15:04 UTC") }

// TimeLeft says how long is left until the deadline ("3 days left"), or
// that it has passed.
func (d Deadline) TimeLeft() string { return timeLeft(d.Due.Sub(NowUTC())) }

func timeLeft(left time.Duration) string {
	n, unit := 0, ""
	switch {
	case left <= 0:
		return "closed"
	case left >= 48*time.Hour:
		n, unit = int(left/(24*time.Hour)), "day"
	case left >= 2*time.Hour:
		n, unit = int(left/time.Hour), "hour"
	default:
		n, unit = max(1, int(left/time.Minute)), "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s left", n, unit)
}

// DeadlineFor returns the forum's deadline of a kind, nil when it has none.
func (f Forum) DeadlineFor(kind string) *Deadline {
	for i := range f.Deadlines {
		if string(f.Deadlines[i].Kind) == kind {
			d := f.Deadlines[i]
			return &d
		}
	}
	return nil
}

// Frozen reports whether nothing in the forum may change: it is closed
// (until reopened) or discarded.
func (f Forum) Frozen() bool { return f.Status == StatusClosed || f.Status == StatusDiscarded }

// Discardable reports whether the forum may be discarded: it never opened.
func (f Forum) Discardable() bool { return f.Status == StatusPreparing && f.OpenedAt == nil }

// frozenError is the refusal of a command in a frozen forum, naming its
// state.
func frozenError(f Forum) error {
	if f.Status == StatusDiscarded {
		return plenary.Conflict("%s is discarded: nothing in it can change, and its record is kept", ShortName(f))
	}
	return plenary.Conflict("%s is closed: nothing in it can change unless the secretariat reopens it, with a reason on the record", ShortName(f))
}

// lockForum reads the forum's row inside tx, locked until the commit, so
// that a command decides on the forum's status and deadlines as they
// stand, and a change of them waits for the commands under way.
func lockForum(ctx context.Context, tx *store.Tx, id string) (Forum, error) {
	f, err := scanForum(tx.QueryRowContext(ctx, "SELECT "+forumColumns+" FROM forums WHERE id = ?"+tx.ForUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Forum{}, plenary.NotFound("no such forum")
	}
	return f, err
}

// CheckDeadline refuses, once the forum's deadline of kind has passed,
// what it closes; anyone acting as the forum's secretariat is not held to
// it (it enters what reached it in time by other means, on the record, and
// extends a deadline with a reason). The check is remembered: Command
// makes it again inside its transaction, on the forum as it stands then.
func (sc *Scope) CheckDeadline(ctx context.Context, kind DeadlineKind) error {
	if err := sc.checkDeadline(ctx, kind); err != nil {
		return err
	}
	sc.deadlines = append(sc.deadlines, kind)
	return nil
}

func (sc *Scope) checkDeadline(ctx context.Context, kind DeadlineKind) error {
	d := sc.Forum.DeadlineFor(string(kind))
	if d == nil || !d.Passed() {
		return nil
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return err
	}
	if v.Secretariat {
		return nil
	}
	return plenary.Conflict("the deadline for %s in %s passed on %s", d.Noun(), ShortName(sc.Forum), d.DueText())
}

func checkReason(reason, why string) (string, error) {
	r, err := CheckLine("reason", reason, MaxReason)
	if err != nil {
		return "", err
	}
	if r == "" {
		return "", plenary.Invalid("reason", "is required: %s", why)
	}
	return r, nil
}

// ReopenForum opens a closed forum again: a secretariat command with its
// reason on the record (forum.reopened), the one command a closed forum
// takes.
func (s *Kernel) ReopenForum(ctx context.Context, sc *Scope, reason string) (Forum, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Forum{}, err
	}
	reason, err := checkReason(reason, "the record says why a closed forum opened again")
	if err != nil {
		return Forum{}, err
	}
	var f Forum
	err = s.command(ctx, sc, "forum.ReopenForum", true, func(tx *store.Tx, sc *Scope) error {
		f = sc.Forum
		if f.Status != StatusClosed {
			return plenary.Conflict("%s is %s, not closed: only a closed forum is reopened", ShortName(f), strings.ToLower(f.StatusLabel()))
		}
		f.Status, f.UpdatedAt = StatusOpen, NowUTC()
		if _, err := tx.ExecContext(ctx, "UPDATE forums SET status = ?, updated_at = ? WHERE id = ?", f.Status, f.UpdatedAt.UnixMilli(), f.ID); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, f.ID, sc.Actor.LedgerID(), "forum.reopened", ledger.VisPublic,
			map[string]string{"forum_id": f.ID, "from": StatusClosed, "to": StatusOpen, "reason": reason})
		return err
	})
	return f, err
}

// DiscardForum discards a forum that never opened (a test forum, one set
// up by mistake): it is hidden from the lists of forums and from search,
// nothing in it can change any more, and its record is kept, exported and
// verified as any other. A secretariat command with its reason on the
// record (forum.discarded).
func (s *Kernel) DiscardForum(ctx context.Context, sc *Scope, reason string) (Forum, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Forum{}, err
	}
	reason, err := checkReason(reason, "the record says why the forum was discarded")
	if err != nil {
		return Forum{}, err
	}
	var f Forum
	err = s.Command(ctx, sc, "forum.DiscardForum", func(tx *store.Tx, sc *Scope) error {
		f = sc.Forum
		if !f.Discardable() {
			return plenary.Conflict("%s has opened: only a forum that never opened is discarded; close it instead", ShortName(f))
		}
		from := f.Status
		f.Status, f.UpdatedAt = StatusDiscarded, NowUTC()
		if _, err := tx.ExecContext(ctx, "UPDATE forums SET status = ?, updated_at = ? WHERE id = ?", f.Status, f.UpdatedAt.UnixMilli(), f.ID); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, f.ID, sc.Actor.LedgerID(), "forum.discarded", ledger.VisPublic,
			map[string]string{"forum_id": f.ID, "from": from, "to": StatusDiscarded, "reason": reason})
		return err
	})
	return f, err
}

// DiscardedForumIDs lists the ids of the discarded forums, for the
// searches across forums that leave them out.
func (s *Kernel) DiscardedForumIDs(ctx context.Context) ([]string, error) {
	return store.Strings(ctx, s.store, "SELECT id FROM forums WHERE status = ? ORDER BY id", StatusDiscarded)
}

// DeadlineInput is the input of SetDeadline.
type DeadlineInput struct {
	// Kind is contributions, proposals, registrations or
	// observer_applications.
	Kind string `json:"kind"`
	// Due is the deadline: RFC 3339, YYYY-MM-DDTHH:MM (UTC) or YYYY-MM-DD
	// (the end of that day, UTC); empty removes the deadline.
	Due string `json:"due_at"`
	// Reason is required to change or remove a deadline, and goes on
	// the record.
	Reason string `json:"reason"`
}

// ParseDeadline reads a deadline's time: RFC 3339; a date and time
// YYYY-MM-DDTHH:MM, taken as UTC (an HTML datetime-local field); or a date
// YYYY-MM-DD, which is open to its end, 23:59 UTC.
func ParseDeadline(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Minute), nil
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Add(24*time.Hour - time.Minute), nil
	}
	return time.Time{}, plenary.Invalid(field, "must be a date (YYYY-MM-DD, open to its end) or a date and time (YYYY-MM-DDTHH:MM, UTC)")
}

// SetDeadline sets, changes or removes one of the forum's deadlines. The
// secretariat may. A first deadline is set (forum.deadline_set); moving it
// later extends it (forum.deadline_extended), moving it earlier brings it
// forward (forum.deadline_brought_forward) and removing it reopens what it
// closed for good (forum.deadline_removed): each of those needs a reason,
// which goes on the record with the old and new times.
func (s *Kernel) SetDeadline(ctx context.Context, sc *Scope, in DeadlineInput) (Forum, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Forum{}, err
	}
	var errs plenary.Errors
	kind := DeadlineKind(strings.TrimSpace(in.Kind))
	col, ok := deadlineColumns[kind]
	if !ok {
		errs = append(errs, plenary.Invalid("kind", "must be contributions, proposals, registrations or observer_applications"))
	}
	var due *time.Time
	if strings.TrimSpace(in.Due) != "" {
		t, err := ParseDeadline("due_at", in.Due)
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
		due = &t
	}
	reason, err := CheckLine("reason", in.Reason, MaxReason)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if len(errs) > 0 {
		return Forum{}, errs
	}
	var f Forum
	err = s.Command(ctx, sc, "forum.SetDeadline", func(tx *store.Tx, sc *Scope) error {
		f = sc.Forum
		old := f.DeadlineFor(string(kind))
		var typ string
		switch {
		case old == nil && due == nil:
			return nil
		case old != nil && due != nil && old.Due.Equal(*due):
			return nil
		case old == nil:
			typ = "forum.deadline_set"
		case due == nil:
			typ = "forum.deadline_removed"
		case due.After(old.Due):
			typ = "forum.deadline_extended"
		default:
			typ = "forum.deadline_brought_forward"
		}
		if old != nil && reason == "" {
			return plenary.Invalid("reason", "is required: the record says why the deadline for %s changed", old.Noun())
		}
		f.UpdatedAt = NowUTC()
		if _, err := tx.ExecContext(ctx, "UPDATE forums SET "+col+" = ?, updated_at = ? WHERE id = ?", millisOrNil(due), f.UpdatedAt.UnixMilli(), f.ID); err != nil {
			return err
		}
		payload := map[string]any{"forum_id": f.ID, "kind": kind}
		if old != nil {
			payload["from"] = old.Due
		}
		if due != nil {
			payload["due_at"] = *due
		}
		if reason != "" {
			payload["reason"] = reason
		}
		if _, err := tx.Emit(ctx, f.ID, sc.Actor.LedgerID(), typ, ledger.VisPublic, payload); err != nil {
			return err
		}
		f, err = lockForum(ctx, tx, f.ID)
		return err
	})
	return f, err
}
