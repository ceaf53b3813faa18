package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/plenary-forum/plenary/internal/ledger"
)

// verifyPage is how many events verification reads per query.
const verifyPage = 2000

// VerifyChain checks a chain as stored: every event's hash and link,
// every checkpoint's signature against o.Keys, that a checkpoint signs
// the last event, that the chain's head record agrees with its events and
// checkpoints (see FinishVerify), and, with o.Since, that the chain
// extends that earlier checkpoint. It reads the chain in pages, so memory
// stays flat on long chains, and it may run beside a live server: events
// committed while it reads are verified too.
//
// A defect is reported in the Report's Failure, naming the first bad
// sequence number, with a nil error; the error is for a database that
// cannot be read.
func (s *Store) VerifyChain(ctx context.Context, chain string, o ledger.VerifyOptions) (ledger.Report, error) {
	v := ledger.NewVerifierWith(chain, o)
	if err := s.feedVerifier(ctx, v, 0, math.MaxInt64); err != nil {
		return v.Report(), err
	}
	return s.FinishVerify(ctx, v)
}

// AllChains lists, in order, every chain any ledger table mentions: with
// a head record, events or checkpoints. Verification uses it rather than
// Chains, so that it also sees a chain whose head record was deleted.
func (s *Store) AllChains(ctx context.Context) ([]string, error) {
	return Strings(ctx, s, `SELECT chain FROM ledger_heads UNION SELECT chain FROM ledger_events
		UNION SELECT chain FROM ledger_checkpoints ORDER BY chain`)
}

// feedVerifier gives v the events of its chain with after < seq <= upTo,
// in order, each followed by its checkpoint if it has one. It stops at the
// first defect, which v records.
func (s *Store) feedVerifier(ctx context.Context, v *ledger.Verifier, after, upTo int64) error {
	chain := v.Chain()
	for v.Err() == nil && after < upTo {
		evs, err := s.queryEvents(ctx, "SELECT "+eventColumns+" FROM ledger_events WHERE chain = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
			chain, after, upTo, verifyPage)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		last := evs[len(evs)-1].Seq
		cps, err := s.Checkpoints(ctx, chain, after, last)
		if err != nil {
			return err
		}
		ci := 0
		for _, ev := range evs {
			if v.Add(ev) != nil {
				return nil
			}
			for ci < len(cps) && cps[ci].Seq <= ev.Seq {
				if v.AddCheckpoint(cps[ci]) != nil {
					return nil
				}
				ci++
			}
		}
		if len(evs) < verifyPage {
			return nil
		}
		after = last
	}
	return nil
}

// FinishVerify ends the verification of a chain whose events and
// checkpoints were fed to v from this store, and returns v's report. It
// checks that the chain's head record (the ledger_heads row every append
// moves) agrees with the events and the checkpoints:
//
//   - a chain with events or checkpoints has a head record;
//   - the head record names the last event, with its hash: an event after
//     it was not appended by a command, and a head record past the last
//     event means events were removed;
//   - no checkpoint signs an event beyond the last one;
//
// and then calls v.Finish, which checks that a checkpoint signs the last
// event (every command signs the head it leaves) and that the chain
// reaches the earlier checkpoint v must extend, if any. Events committed
// after v was fed (a live server) are fed to v first.
//
// A defect is recorded in v and reported in the Report's Failure, with a
// nil error; the error is for a database that cannot be read.
func (s *Store) FinishVerify(ctx context.Context, v *ledger.Verifier) (ledger.Report, error) {
	if v.Err() != nil {
		return v.Report(), nil
	}
	chain := v.Chain()
	var headSeq, lastEvent, lastCheckpoint sql.NullInt64
	var headHash sql.NullString
	// One statement, so that the four values come from one snapshot on
	// both engines, whatever commits meanwhile.
	err := s.QueryRowContext(ctx, `SELECT
		(SELECT seq FROM ledger_heads WHERE chain = ?),
		(SELECT hash FROM ledger_heads WHERE chain = ?),
		(SELECT MAX(seq) FROM ledger_events WHERE chain = ?),
		(SELECT MAX(seq) FROM ledger_checkpoints WHERE chain = ?)`,
		chain, chain, chain, chain).Scan(&headSeq, &headHash, &lastEvent, &lastCheckpoint)
	if err != nil {
		return v.Report(), err
	}
	if upTo := max(headSeq.Int64, lastEvent.Int64); upTo > v.Head().Seq {
		if err := s.feedVerifier(ctx, v, v.Head().Seq, upTo); err != nil {
			return v.Report(), err
		}
		if v.Err() != nil {
			return v.Report(), nil
		}
	}
	got := v.Head()
	switch h := headSeq.Int64; {
	case !headSeq.Valid && (got.Seq > 0 || lastCheckpoint.Int64 > 0):
		v.Fail(ledger.FailHead, 0, fmt.Sprintf("missing, but the chain has events up to %d and checkpoints up to %d", got.Seq, lastCheckpoint.Int64))
	case h > got.Seq:
		v.Fail(ledger.FailEvent, got.Seq+1, fmt.Sprintf("missing (the chain's head record is at event %d)", h))
	case h < got.Seq && h == 0:
		v.Fail(ledger.FailEvent, 1, "not in the chain: its head record says the chain is empty")
	case h < got.Seq:
		v.Fail(ledger.FailEvent, h+1, fmt.Sprintf("not in the chain: its head record is at event %d", h))
	case headHash.String != got.Hash:
		v.Fail(ledger.FailHead, h, fmt.Sprintf("hash %q is not the hash of event %d", headHash.String, h))
	case lastCheckpoint.Int64 > got.Seq:
		v.Fail(ledger.FailEvent, got.Seq+1, fmt.Sprintf("missing (checkpoint at %d found beyond the last event)", lastCheckpoint.Int64))
	}
	_ = v.Finish()
	return v.Report(), nil
}
