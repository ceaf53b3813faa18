package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// Append seals ev after its chain's head and stores it, in the
// transaction: the event is written before anyone is told. It fills ev's
// Seq, PrevHash and Hash (and At, when zero).
func (t *Tx) Append(ctx context.Context, ev *ledger.Event) error {
	if t.late {
		return fmt.Errorf("store: %s appended from a function deferred to the commit", ev.Type)
	}
	if ev.At.IsZero() {
		ev.At = plenary.Now()
	}
	head, ok := t.heads[ev.Chain]
	if !ok {
		// First event of this chain in the transaction: read (and on
		// PostgreSQL lock) the head row; later ones use the copy.
		head = ledger.Head{Chain: ev.Chain}
		err := t.QueryRowContext(ctx, "SELECT seq, hash FROM ledger_heads WHERE chain = ?"+t.ForUpdate(), ev.Chain).Scan(&head.Seq, &head.Hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if errors.Is(err, sql.ErrNoRows) {
			// A new chain: create its head row now, so that a concurrent
			// first append conflicts here instead of at commit.
			if _, err := t.ExecContext(ctx, "INSERT INTO ledger_heads (chain, seq, hash) VALUES (?, 0, '')", ev.Chain); err != nil {
				return mapErr(err)
			}
		}
	}
	ev.Seq = 0
	if err := ledger.SealAfter(head, ev); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO ledger_events (chain, seq, at, actor, type, visibility, payload, salt, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.Chain, ev.Seq, ev.At.UnixMilli(), ev.Actor, ev.Type, ev.Visibility, string(ev.Payload), ev.Salt, ev.PrevHash, ev.Hash); err != nil {
		return mapErr(err)
	}
	if t.heads == nil {
		t.heads = map[string]ledger.Head{}
		t.appended = map[string]int64{}
	}
	t.heads[ev.Chain] = ev.Head()
	t.appended[ev.Chain] = ev.Seq
	appends.Add(1)
	return nil
}

// Head returns the head of chain as this transaction sees it, including
// its own appends.
func (t *Tx) Head(ctx context.Context, chain string) (ledger.Head, error) {
	if h, ok := t.heads[chain]; ok {
		return h, nil
	}
	h := ledger.Head{Chain: chain}
	err := t.QueryRowContext(ctx, "SELECT seq, hash FROM ledger_heads WHERE chain = ?", chain).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	return h, err
}

// saveHeads writes the heads this transaction moved, once per chain,
// just before the commit.
func (t *Tx) saveHeads(ctx context.Context) error {
	for chain, h := range t.heads {
		if _, err := t.ExecContext(ctx, "UPDATE ledger_heads SET seq = ?, hash = ? WHERE chain = ?", h.Seq, h.Hash, chain); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

var appends atomic.Int64

// Appends counts the ledger events this process has appended (including
// any in transactions that later rolled back), for metrics.
func Appends() int64 { return appends.Load() }

// Emit builds an event from a Go value payload and appends it.
func (t *Tx) Emit(ctx context.Context, chain, actor, typ, visibility string, payload any) (ledger.Event, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return ledger.Event{}, err
	}
	if replacedText(raw) {
		// Every command refuses text that is not UTF-8 (forum.CheckText);
		// one that did not would store raw bytes in its tables and U+FFFD
		// here. Refuse the whole transaction rather than let them differ.
		return ledger.Event{}, fmt.Errorf("store: the payload of %s holds text that is not valid UTF-8", typ)
	}
	ev := ledger.Event{Chain: chain, Actor: actor, Type: typ, Visibility: visibility, Payload: raw}
	err = t.Append(ctx, &ev)
	return ev, err
}

// replacedText reports whether raw, as json.Marshal wrote it, replaced
// invalid UTF-8 in a string: it writes such bytes as the escape \ufffd,
// and U+FFFD itself as its UTF-8 bytes, so the escape (after an even run of
// backslashes) is the sign.
func replacedText(raw []byte) bool {
	for i := 0; ; {
		j := bytes.Index(raw[i:], []byte(`\ufffd`))
		if j < 0 {
			return false
		}
		j += i
		k := j
		for k > 0 && raw[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return true
		}
		i = j + 1
	}
}

const eventColumns = "chain, seq, at, actor, type, visibility, payload, salt, prev_hash, hash"

func scanEvent(sc interface{ Scan(...any) error }) (ledger.Event, error) {
	var ev ledger.Event
	var at int64
	var payload string
	err := sc.Scan(&ev.Chain, &ev.Seq, &at, &ev.Actor, &ev.Type, &ev.Visibility, &payload, &ev.Salt, &ev.PrevHash, &ev.Hash)
	ev.At = time.UnixMilli(at).UTC()
	ev.Payload = json.RawMessage(payload)
	return ev, err
}

// EventsAfter returns up to limit events of chain with seq > after, in order.
func (s *Store) EventsAfter(ctx context.Context, chain string, after int64, limit int) ([]ledger.Event, error) {
	return s.queryEvents(ctx, "SELECT "+eventColumns+" FROM ledger_events WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?", chain, after, limit)
}

// EventPage returns events of chain with seq > after, in order: at most
// limit of them, and no more once their payloads add up to maxBytes (the
// event that reaches the bound is the page's last, so a first event larger
// than maxBytes comes alone). Rows past the bound are not scanned: a page
// holds at most maxBytes plus one event's payload, which is how the live
// stream replays a long history of large events without holding it.
func (s *Store) EventPage(ctx context.Context, chain string, after int64, limit, maxBytes int) ([]ledger.Event, error) {
	rows, err := s.QueryContext(ctx, "SELECT "+eventColumns+" FROM ledger_events WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?", chain, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []ledger.Event
	size := 0
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
		if size += len(ev.Payload); size >= maxBytes {
			break
		}
	}
	return evs, rows.Err()
}

func (s *Store) queryEvents(ctx context.Context, q string, args ...any) ([]ledger.Event, error) {
	rows, err := s.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []ledger.Event
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// EventsBefore returns up to limit events of chain with seq < before,
// newest first, optionally only those whose visibility is in vis (nil:
// all). It serves activity lists.
func (s *Store) EventsBefore(ctx context.Context, chain string, before int64, limit int, vis []string) ([]ledger.Event, error) {
	q := "SELECT " + eventColumns + " FROM ledger_events WHERE chain = ? AND seq < ?"
	args := []any{chain, before}
	if vis != nil {
		if len(vis) == 0 {
			return nil, nil
		}
		q += " AND visibility IN (" + placeholders(len(vis)) + ")"
		for _, v := range vis {
			args = append(args, v)
		}
	}
	q += " ORDER BY seq DESC LIMIT ?"
	args = append(args, limit)
	return s.queryEvents(ctx, q, args...)
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, chain string, seq int64) (ledger.Event, error) {
	ev, err := scanEvent(s.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM ledger_events WHERE chain = ? AND seq = ?", chain, seq))
	return ev, mapErr(err)
}

// HeadSeq returns the last sequence number of chain, 0 when it is empty.
func (s *Store) HeadSeq(ctx context.Context, chain string) (int64, error) {
	h, err := s.Head(ctx, chain)
	return h.Seq, err
}

// Head returns the head of chain; an empty chain has seq 0.
func (s *Store) Head(ctx context.Context, chain string) (ledger.Head, error) {
	h := ledger.Head{Chain: chain}
	err := s.QueryRowContext(ctx, "SELECT seq, hash FROM ledger_heads WHERE chain = ?", chain).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	return h, err
}

// Chains lists every chain with events.
func (s *Store) Chains(ctx context.Context) ([]string, error) {
	return Strings(ctx, s, "SELECT chain FROM ledger_heads ORDER BY chain")
}

// ScanEvents calls fn for every event of chain in order, reading in pages
// so that memory stays flat on long chains.
func (s *Store) ScanEvents(ctx context.Context, chain string, fn func(ledger.Event) error) error {
	var after int64
	for {
		evs, err := s.EventsAfter(ctx, chain, after, 2000)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if err := fn(ev); err != nil {
				return err
			}
		}
		if len(evs) < 2000 {
			return nil
		}
		after = evs[len(evs)-1].Seq
	}
}

func placeholders(n int) string {
	b := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

// Placeholders returns "?, ?, ..." with n marks, for IN lists.
func Placeholders(n int) string { return placeholders(n) }

// InsertCheckpoint stores a signed checkpoint; a second one for the same
// chain and seq (another process signed the same head) is ignored.
func (t *Tx) InsertCheckpoint(ctx context.Context, cp ledger.Checkpoint) error {
	_, err := t.ExecContext(ctx, `INSERT INTO ledger_checkpoints (chain, seq, hash, at, key_id, signature)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chain, seq) DO NOTHING`,
		cp.Chain, cp.Seq, cp.Hash, cp.At.UnixMilli(), cp.KeyID, cp.Signature)
	return mapErr(err)
}

// Checkpoints returns the checkpoints of chain with seq in (after, upTo], in order.
func (s *Store) Checkpoints(ctx context.Context, chain string, after, upTo int64) ([]ledger.Checkpoint, error) {
	rows, err := s.QueryContext(ctx, `SELECT chain, seq, hash, at, key_id, signature FROM ledger_checkpoints
		WHERE chain = ? AND seq > ? AND seq <= ? ORDER BY seq`, chain, after, upTo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cps []ledger.Checkpoint
	for rows.Next() {
		var cp ledger.Checkpoint
		var at int64
		if err := rows.Scan(&cp.Chain, &cp.Seq, &cp.Hash, &at, &cp.KeyID, &cp.Signature); err != nil {
			return nil, err
		}
		cp.At = time.UnixMilli(at).UTC()
		cps = append(cps, cp)
	}
	return cps, rows.Err()
}

// LatestCheckpoint returns the newest checkpoint of chain.
func (s *Store) LatestCheckpoint(ctx context.Context, chain string) (ledger.Checkpoint, error) {
	var cp ledger.Checkpoint
	var at int64
	err := s.QueryRowContext(ctx, `SELECT chain, seq, hash, at, key_id, signature FROM ledger_checkpoints
		WHERE chain = ? ORDER BY seq DESC LIMIT 1`, chain).Scan(&cp.Chain, &cp.Seq, &cp.Hash, &at, &cp.KeyID, &cp.Signature)
	cp.At = time.UnixMilli(at).UTC()
	return cp, mapErr(err)
}
