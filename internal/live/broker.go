// Package live delivers ledger events to subscribers as they are committed:
// an in-process broker that fans each chain's new events out to bounded
// per-subscriber queues, and a Server-Sent Events handler whose event ids
// are ledger sequence numbers, so a client that reconnects with
// Last-Event-ID loses nothing.
//
// The broker never trusts a message to carry an event: a notification only
// says "chain X has new events up to seq N", and the broker reads them from
// the database in order. The same path serves a commit in this process and,
// on PostgreSQL, a commit in another process announced by LISTEN/NOTIFY.
package live

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plenary-forum/plenary/internal/ledger"
)

// Source is where the broker reads events: the store.
type Source interface {
	// EventPage returns events of chain with seq > after, in order: at
	// most limit, and no more once their payloads add up to maxBytes
	// (the event that reaches it is the last; at least one, if any).
	EventPage(ctx context.Context, chain string, after int64, limit, maxBytes int) ([]ledger.Event, error)
	// HeadSeq returns the last sequence number of chain, 0 when empty.
	HeadSeq(ctx context.Context, chain string) (int64, error)
}

// Broker fans events out to subscribers.
type Broker struct {
	src  Source
	log  *slog.Logger
	opts Options

	mu     sync.Mutex
	chains map[string]*chainState
	closed bool

	subscribers atomic.Int64
	delivered   atomic.Int64
	cutOff      atomic.Int64
	generation  atomic.Int64
	noDeadline  atomic.Bool // warned that a stream's writes cannot be bounded
}

type chainState struct {
	subs      map[*Subscriber]struct{}
	delivered int64 // last seq fanned out
	target    int64 // highest seq announced
	drain     bool  // read until the source has nothing more
	running   bool
}

// Subscriber receives one chain's events until Done is closed: Ready
// signals that events are queued, Take takes them. Its queue is bounded by
// count and by bytes (Options.QueueLen, Options.QueueBytes); a subscriber
// that lets it fill is cut off.
type Subscriber struct {
	chain string
	ready chan struct{} // capacity 1: "something is queued"
	done  chan struct{}
	once  sync.Once
	// slow is set when the subscriber was cut off for not keeping up.
	slow atomic.Bool

	mu    sync.Mutex
	queue []ledger.Event
	bytes int // Size of the events in queue
}

// Ready receives when events have been queued; Take them until none is
// left.
func (s *Subscriber) Ready() <-chan struct{} { return s.ready }

// Take removes and returns queued events, oldest first: no more once
// their Size adds up to maxBytes (at least one, if any are queued), so
// that a stream holds a bounded part of its queue at a time.
func (s *Subscriber) Take(maxBytes int) []ledger.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, size := 0, 0
	for n < len(s.queue) && (n == 0 || size < maxBytes) {
		size += Size(s.queue[n])
		n++
	}
	if n == len(s.queue) {
		q := s.queue
		s.queue, s.bytes = nil, 0
		return q
	}
	out := append([]ledger.Event(nil), s.queue[:n]...)
	clear(s.queue[:n])
	s.queue = s.queue[n:]
	s.bytes -= size
	return out
}

// Queued returns how many events, and how many bytes of them (Size), are
// queued.
func (s *Subscriber) Queued() (events, bytes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue), s.bytes
}

// Done is closed when the subscriber is cut off (slow, or the broker
// closed). Events already queued may still be taken.
func (s *Subscriber) Done() <-chan struct{} { return s.done }

// Slow reports whether the subscriber was cut off for a full queue.
func (s *Subscriber) Slow() bool { return s.slow.Load() }

func (s *Subscriber) stop() { s.once.Do(func() { close(s.done) }) }

// Size is what an event is counted for in the bounds on memory: its
// payload and an allowance for its other fields.
func Size(ev ledger.Event) int { return len(ev.Payload) + eventFields }

// eventFields is the allowance for an event's fields other than its
// payload (ids, hashes, salt, type, visibility).
const eventFields = 512

// Options tune a broker and the streams served through it.
type Options struct {
	// QueueLen bounds each subscriber's queue by count (default 256) and
	// QueueBytes by the Size of its events (default 1 MiB; a single event
	// larger than that is still queued when the queue is empty). A
	// subscriber whose queue is full is cut off; its stream ends, closing
	// the connection, and the client reconnects and resumes from
	// Last-Event-ID.
	QueueLen   int
	QueueBytes int
	// Stream tunes the Server-Sent Events streams (see Stream).
	Stream StreamOptions
	Logger *slog.Logger
}

// NewBroker returns a broker reading from src.
func NewBroker(src Source, o Options) *Broker {
	if o.QueueLen <= 0 {
		o.QueueLen = 256
	}
	if o.QueueBytes <= 0 {
		o.QueueBytes = 1 << 20
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	o.Stream = o.Stream.withDefaults()
	return &Broker{src: src, log: o.Logger, opts: o, chains: map[string]*chainState{}}
}

// Subscribe registers a subscriber for chain. Events committed after the
// call are delivered on its queue; the caller reads anything older from the
// source (the SSE handler does).
func (b *Broker) Subscribe(ctx context.Context, chain string) (*Subscriber, error) {
	s := &Subscriber{chain: chain, ready: make(chan struct{}, 1), done: make(chan struct{})}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		s.stop()
		return s, nil
	}
	cs := b.chains[chain]
	if cs == nil {
		b.mu.Unlock()
		head, err := b.src.HeadSeq(ctx, chain)
		if err != nil {
			return nil, err
		}
		b.mu.Lock()
		if cs = b.chains[chain]; cs == nil {
			cs = &chainState{subs: map[*Subscriber]struct{}{}, delivered: head, target: head}
			b.chains[chain] = cs
		}
	}
	cs.subs[s] = struct{}{}
	b.mu.Unlock()
	b.subscribers.Add(1)
	return s, nil
}

// Unsubscribe removes s.
func (b *Broker) Unsubscribe(s *Subscriber) {
	b.mu.Lock()
	if cs := b.chains[s.chain]; cs != nil {
		if _, ok := cs.subs[s]; ok {
			delete(cs.subs, s)
			b.subscribers.Add(-1)
		}
		if len(cs.subs) == 0 && !cs.running {
			delete(b.chains, s.chain)
		}
	}
	b.mu.Unlock()
	s.stop()
}

// Notify says chain has events up to seq; seq 0 means "read whatever is
// there". It returns at once; delivery happens on one goroutine per chain,
// in order.
func (b *Broker) Notify(chain string, seq int64) {
	b.generation.Add(1)
	b.mu.Lock()
	defer b.mu.Unlock()
	cs := b.chains[chain]
	if cs == nil || b.closed {
		return // nobody listens; a later subscriber reads from the source
	}
	if seq == 0 {
		cs.drain = true
	} else if seq > cs.target {
		cs.target = seq
	}
	if !cs.running {
		cs.running = true
		go b.run(chain, cs)
	}
}

// NotifyAll announces several chains, as store.Write returns them.
func (b *Broker) NotifyAll(chains map[string]int64) {
	for c, s := range chains {
		b.Notify(c, s)
	}
}

func (b *Broker) run(chain string, cs *chainState) {
	misses := 0
	for {
		b.mu.Lock()
		if b.closed || (cs.delivered >= cs.target && !cs.drain) {
			cs.running = false
			if len(cs.subs) == 0 {
				delete(b.chains, chain)
			}
			b.mu.Unlock()
			return
		}
		after := cs.delivered
		b.mu.Unlock()

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		// Pages of half a queue, so that a subscriber that keeps up is not
		// cut off by a burst.
		evs, err := b.src.EventPage(ctx, chain, after, b.fanoutEvents(), b.fanoutBytes())
		cancel()
		if err != nil {
			b.log.Error("live: read events", "chain", chain, "after", after, "err", err)
			time.Sleep(200 * time.Millisecond)
			continue
		}

		b.mu.Lock()
		if len(evs) == 0 {
			cs.drain = false
			if cs.delivered < cs.target {
				// Announced but not readable yet: try a few times, then
				// settle at what exists rather than spin.
				misses++
				if misses > 100 {
					b.log.Warn("live: announced events never appeared", "chain", chain, "delivered", cs.delivered, "target", cs.target)
					cs.target = cs.delivered
				}
				b.mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				continue
			}
			b.mu.Unlock()
			continue
		}
		misses = 0
		subs := make([]*Subscriber, 0, len(cs.subs))
		for s := range cs.subs {
			subs = append(subs, s)
		}
		cs.delivered = evs[len(evs)-1].Seq
		if cs.delivered > cs.target {
			cs.target = cs.delivered
		}
		if len(evs) == b.fanoutEvents() || pageBytes(evs) >= b.fanoutBytes() {
			cs.drain = true // there may be more
		}
		b.mu.Unlock()

		for _, s := range subs {
			b.deliver(s, evs)
		}
	}
}

func (b *Broker) deliver(s *Subscriber, evs []ledger.Event) {
	if s.slow.Load() {
		return
	}
	s.mu.Lock()
	n := 0
	for _, ev := range evs {
		size := Size(ev)
		if len(s.queue) >= b.opts.QueueLen || (len(s.queue) > 0 && s.bytes+size > b.opts.QueueBytes) {
			s.queue, s.bytes = nil, 0 // what it missed, it reads again on reconnecting
			s.mu.Unlock()
			s.slow.Store(true)
			b.cutOff.Add(1)
			b.delivered.Add(int64(n))
			b.Unsubscribe(s)
			return
		}
		s.queue = append(s.queue, ev)
		s.bytes += size
		n++
	}
	s.mu.Unlock()
	b.delivered.Add(int64(n))
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// fanoutEvents and fanoutBytes bound what the broker reads from the
// source at once for a chain, which all of its subscribers share.
func (b *Broker) fanoutEvents() int { return max(b.opts.QueueLen/2, 1) }
func (b *Broker) fanoutBytes() int  { return max(b.opts.QueueBytes/2, 1) }

func pageBytes(evs []ledger.Event) int {
	n := 0
	for _, ev := range evs {
		n += len(ev.Payload)
	}
	return n
}

// Close cuts off every subscriber; streams end and clients reconnect
// elsewhere. Used at shutdown.
func (b *Broker) Close() {
	b.mu.Lock()
	b.closed = true
	var all []*Subscriber
	for _, cs := range b.chains {
		for s := range cs.subs {
			all = append(all, s)
		}
	}
	b.mu.Unlock()
	for _, s := range all {
		b.Unsubscribe(s)
	}
}

// Generation counts the notifications this broker has had: it changes
// whenever any chain gets new events, from this process or (on
// PostgreSQL) another. Caches of rendered pages key on it.
func (b *Broker) Generation() int64 { return b.generation.Load() }

// Stats are counters for metrics.
type Stats struct {
	Subscribers int64 // now
	Delivered   int64 // events queued to subscribers, total
	CutOff      int64 // subscribers cut off for a full queue, total
}

// Stats returns the broker's counters.
func (b *Broker) Stats() Stats {
	return Stats{Subscribers: b.subscribers.Load(), Delivered: b.delivered.Load(), CutOff: b.cutOff.Load()}
}

// CatchUp asks every followed chain to read whatever is new, after a gap
// in notifications (a reconnected PostgreSQL listener).
func (b *Broker) CatchUp() {
	b.mu.Lock()
	chains := make([]string, 0, len(b.chains))
	for c := range b.chains {
		chains = append(chains, c)
	}
	b.mu.Unlock()
	for _, c := range chains {
		b.Notify(c, 0)
	}
}
