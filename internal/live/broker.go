// Package live delivers ledger events to subscribers as they are committed:
// an in-process broker that encodes each chain's new events once into a
// bounded window of recent frames, which every subscriber reads at its own
// cursor, and a Server-Sent Events handler whose event ids are ledger
// sequence numbers, so a client that reconnects with Last-Event-ID loses
// nothing.
//
// The broker never trusts a message to carry an event: a notification only
// says "chain X has new events up to seq N", and the broker reads them from
// the database in order. The same path serves a commit in this process and,
// on PostgreSQL, a commit in another process announced by LISTEN/NOTIFY.
//
// Nothing is encoded or copied per subscriber: an event becomes two frames
// (its full SSE frame and its id alone, for viewers who may not see it),
// shared by all. Public streams are written by a few writer shards from
// the window, with no goroutine and no queue per connection (see
// shard.go); streams whose viewer has credentials keep a goroutine of
// their own, which reads the viewer's rights again as it runs.
package live

import (
	"context"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plenary-forum/plenary"
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

// Frame is one committed event as the streams send it, encoded once and
// shared by every subscriber of its chain.
type Frame struct {
	Event ledger.Event
	// Data is the whole SSE frame: "id: N\ndata: ...\n\n".
	Data []byte
	// ID is the frame of the id alone, "id: N\n\n", sent to a viewer
	// who may not see the event: it still advances the client's
	// position, so that it does not read invisible events again after a
	// reconnect.
	ID []byte
}

// parts appends the frame's data to bufs, with an "event:" line after its
// id line when line is set: slices of shared bytes, nothing copied.
func (f *Frame) parts(bufs [][]byte, line []byte) [][]byte {
	if line == nil {
		return append(bufs, f.Data)
	}
	n := len(f.ID) - 1 // "id: N\n"
	return append(bufs, f.Data[:n], line, f.Data[n:])
}

func (f *Frame) size() int { return len(f.Data) + len(f.ID) + len(f.Event.Payload) + eventFields }

// Broker fans events out to subscribers.
type Broker struct {
	src  Source
	log  *slog.Logger
	opts Options

	mu     sync.Mutex
	chains map[string]*chainState
	closed bool
	perIP  map[string]int

	shards []*shard
	names  sync.Map // event name → its "event: name\n" line

	subscribers atomic.Int64
	delivered   atomic.Int64
	cutOff      atomic.Int64
	behind      atomic.Int64
	resumed     atomic.Int64
	refused     atomic.Int64
	encodes     atomic.Int64
	events      atomic.Int64
	writes      atomic.Int64
	generation  atomic.Int64
	noDeadline  atomic.Bool // warned that a stream's writes cannot be bounded
}

type chainState struct {
	subs      map[*Subscriber]struct{}
	delivered int64 // last seq fanned out
	target    int64 // highest seq announced
	drain     bool  // read until the source has nothing more
	running   bool

	// win is the window of recent frames, in order of seq. It is
	// replaced, never changed in place below its length, so that a
	// reader may keep a copy of the slice without the lock.
	winMu    sync.RWMutex
	win      []*Frame
	winBytes int
	base     int64 // the seq before the window's first frame
}

// after returns the frames of the window past seq. behind is true when
// seq is older than the window: the events after it are gone from memory
// and must be read from the source.
func (cs *chainState) after(seq int64) (frames []*Frame, behind bool) {
	cs.winMu.RLock()
	win, base := cs.win, cs.base
	cs.winMu.RUnlock()
	if seq < base {
		return nil, true
	}
	i := sort.Search(len(win), func(i int) bool { return win[i].Event.Seq > seq })
	return win[i:], false
}

// windowBase is the seq before the window's first frame: a cursor at or
// past it is served from the window.
func (cs *chainState) windowBase() int64 {
	cs.winMu.RLock()
	defer cs.winMu.RUnlock()
	return cs.base
}

func (cs *chainState) push(frames []*Frame, maxLen, maxBytes int) {
	cs.winMu.Lock()
	defer cs.winMu.Unlock()
	for _, f := range frames {
		cs.win = append(cs.win, f)
		cs.winBytes += f.size()
	}
	drop := 0
	for len(cs.win)-drop > 1 && (len(cs.win)-drop > maxLen || cs.winBytes > maxBytes) {
		cs.winBytes -= cs.win[drop].size()
		drop++
	}
	if drop > 0 {
		cs.base = cs.win[drop-1].Event.Seq
		// A new array: readers may still hold the old one.
		cs.win = append(make([]*Frame, 0, len(cs.win)-drop+len(frames)+16), cs.win[drop:]...)
	}
}

// Subscriber follows one chain from a cursor. A subscriber that falls
// behind the window is cut off: its stream ends with a comment saying so,
// and its client resumes from Last-Event-ID, reading the gap from the
// source.
type Subscriber struct {
	b     *Broker
	cs    *chainState
	chain string
	addr  string
	ready chan struct{} // capacity 1: "the chain has advanced"
	done  chan struct{}
	once  sync.Once
	// slow is set when the subscriber was cut off for not keeping up.
	slow atomic.Bool

	// d is set once the subscriber is written by a shard, not by a
	// goroutine of its own.
	d atomic.Pointer[direct]
}

// Ready receives when the chain has advanced.
func (s *Subscriber) Ready() <-chan struct{} { return s.ready }

// After returns the window's frames past seq; behind is true when seq is
// older than the window (the subscriber must be cut off, or read the gap
// from the source).
func (s *Subscriber) After(seq int64) (frames []*Frame, behind bool) { return s.cs.after(seq) }

// Done is closed when the subscriber is cut off (slow, or the broker
// closed).
func (s *Subscriber) Done() <-chan struct{} { return s.done }

// Slow reports whether the subscriber was cut off for not keeping up.
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
	// WindowLen bounds each chain's window of recent encoded events by
	// count (default 1024) and WindowBytes by their size (default
	// 8 MiB; the newest event stays, however large). A subscriber whose
	// cursor falls behind the window is cut off; its client reconnects
	// and resumes from Last-Event-ID, reading the gap from the database.
	WindowLen   int
	WindowBytes int
	// MaxPerAddr bounds the streams open at once from one client
	// address (default 64); beyond it a stream is refused (429).
	MaxPerAddr int
	// Shards is the number of writer goroutines of public streams
	// (default GOMAXPROCS).
	Shards int
	// Stream tunes the Server-Sent Events streams (see Stream).
	Stream StreamOptions
	Logger *slog.Logger
}

// NewBroker returns a broker reading from src.
func NewBroker(src Source, o Options) *Broker {
	if o.WindowLen <= 0 {
		o.WindowLen = 1024
	}
	if o.WindowBytes <= 0 {
		o.WindowBytes = 8 << 20
	}
	if o.MaxPerAddr <= 0 {
		o.MaxPerAddr = 64
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	o.Stream = o.Stream.withDefaults()
	b := &Broker{src: src, log: o.Logger, opts: o, chains: map[string]*chainState{}, perIP: map[string]int{}}
	b.startShards()
	return b
}

// Subscribe registers a subscriber for chain, its cursor at the chain's
// head as the broker knows it (returned). Events after it reach the
// subscriber; the caller reads anything older from the source (the SSE
// handler does).
func (b *Broker) Subscribe(ctx context.Context, chain string) (*Subscriber, error) {
	return b.subscribe(ctx, chain, "")
}

func (b *Broker) subscribe(ctx context.Context, chain, addr string) (*Subscriber, error) {
	s := &Subscriber{b: b, chain: chain, addr: addr, ready: make(chan struct{}, 1), done: make(chan struct{})}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		s.stop()
		s.cs = &chainState{}
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
			cs = &chainState{subs: map[*Subscriber]struct{}{}, delivered: head, target: head, base: head}
			b.chains[chain] = cs
		}
	}
	if addr != "" {
		if b.perIP[addr] >= b.opts.MaxPerAddr {
			b.mu.Unlock()
			b.refused.Add(1)
			return nil, errTooMany
		}
		b.perIP[addr]++
	}
	s.cs = cs
	cs.subs[s] = struct{}{}
	b.mu.Unlock()
	b.subscribers.Add(1)
	return s, nil
}

// errTooMany refuses a stream to a client address that has MaxPerAddr
// open.
var errTooMany = &plenary.Error{Code: plenary.CodeRateLimited, Message: "too many live streams from this address; close some first"}

// Unsubscribe removes s.
func (b *Broker) Unsubscribe(s *Subscriber) {
	b.mu.Lock()
	if cs := b.chains[s.chain]; cs != nil && cs == s.cs {
		if _, ok := cs.subs[s]; ok {
			delete(cs.subs, s)
			b.subscribers.Add(-1)
			if s.addr != "" {
				if b.perIP[s.addr]--; b.perIP[s.addr] <= 0 {
					delete(b.perIP, s.addr)
				}
			}
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
	var subs []*Subscriber
	byShard := make([][]*Subscriber, len(b.shards))
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
		// Pages of half a window, so that a subscriber that keeps up is
		// not cut off by a burst.
		evs, err := b.src.EventPage(ctx, chain, after, b.fanoutEvents(), b.fanoutBytes())
		cancel()
		if err != nil {
			b.log.Error("live: read events", "chain", chain, "after", after, "err", err)
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if len(evs) == 0 {
			b.mu.Lock()
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
		// Encode each event once, for every subscriber.
		frames := make([]*Frame, 0, len(evs))
		for _, ev := range evs {
			f, err := b.encode(ev)
			if err != nil {
				b.log.Error("live: encode event", "chain", chain, "seq", ev.Seq, "err", err)
				f = &Frame{Event: ev, ID: idFrame(ev.Seq)}
				f.Data = f.ID
			}
			frames = append(frames, f)
		}
		cs.push(frames, b.opts.WindowLen, b.opts.WindowBytes)
		b.events.Add(int64(len(frames)))

		b.mu.Lock()
		subs = subs[:0]
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
			if d := s.d.Load(); d != nil {
				byShard[d.shard] = append(byShard[d.shard], s)
				continue
			}
			select {
			case s.ready <- struct{}{}:
			default:
			}
		}
		clear(subs)
		for i, q := range byShard {
			if len(q) > 0 {
				b.shards[i].enqueueAll(q)
				clear(q)
				byShard[i] = q[:0]
			}
		}
	}
}

// eventLine returns the shared "event: name\n" line of name; nil for "".
func (b *Broker) eventLine(name string) []byte {
	if name == "" {
		return nil
	}
	if l, ok := b.names.Load(name); ok {
		return l.([]byte)
	}
	l, _ := b.names.LoadOrStore(name, []byte("event: "+strings.NewReplacer("\n", " ", "\r", " ").Replace(name)+"\n"))
	return l.([]byte)
}

// encode makes the frames of ev.
func (b *Broker) encode(ev ledger.Event) (*Frame, error) {
	data, err := EncodeJSON(ev)
	if err != nil {
		return nil, err
	}
	b.encodes.Add(1)
	return newFrame(ev, data), nil
}

// newFrame is the frame of ev whose data is encoded: the whole frame and
// the frame of its id alone.
func newFrame(ev ledger.Event, data []byte) *Frame {
	return &Frame{Event: ev, Data: sseFrame(ev.Seq, data), ID: idFrame(ev.Seq)}
}

// sseFrame is the frame of an event with data: one data line per line of
// data.
func sseFrame(seq int64, data []byte) []byte {
	out := make([]byte, 0, len(data)+32)
	out = append(out, "id: "...)
	out = strconv.AppendInt(out, seq, 10)
	out = append(out, '\n')
	for {
		line, rest, more := cutLine(data)
		out = append(out, "data: "...)
		out = append(out, line...)
		out = append(out, '\n')
		if !more {
			break
		}
		data = rest
	}
	return append(out, '\n')
}

func cutLine(data []byte) (line, rest []byte, more bool) {
	for i, c := range data {
		if c == '\n' {
			return data[:i], data[i+1:], true
		}
	}
	return data, nil, false
}

func idFrame(seq int64) []byte {
	out := append([]byte("id: "), strconv.FormatInt(seq, 10)...)
	return append(out, "\n\n"...)
}

// fanoutEvents and fanoutBytes bound what the broker reads from the
// source at once for a chain, which all of its subscribers share.
func (b *Broker) fanoutEvents() int { return max(b.opts.WindowLen/2, 1) }
func (b *Broker) fanoutBytes() int  { return max(b.opts.WindowBytes/4, 1) }

func pageBytes(evs []ledger.Event) int {
	n := 0
	for _, ev := range evs {
		n += len(ev.Payload)
	}
	return n
}

// Close cuts off every subscriber and closes the connections the shards
// hold; clients reconnect elsewhere. Used at shutdown.
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
		if d := s.d.Load(); d != nil {
			b.shards[d.shard].drop(s, d, "")
			continue
		}
		b.Unsubscribe(s)
	}
	b.stopShards()
}

// Generation counts the notifications this broker has had: it changes
// whenever any chain gets new events, from this process or (on
// PostgreSQL) another. Caches of rendered pages key on it.
func (b *Broker) Generation() int64 { return b.generation.Load() }

// Stats are counters for metrics.
type Stats struct {
	Subscribers int64 // now
	Delivered   int64 // events sent to subscribers, total (frames, with data or id alone)
	CutOff      int64 // subscribers cut off for not keeping up, total
	Behind      int64 // of which: fallen behind the window
	Resumed     int64 // streams opened with a resume point (Last-Event-ID)
	Refused     int64 // streams refused for the limit per client address
	Events      int64 // events entered into the windows
	Encodes     int64 // events encoded for the windows (one per event)
	Writes      int64 // writes to the connections of live events
}

// Stats returns the broker's counters.
func (b *Broker) Stats() Stats {
	return Stats{Subscribers: b.subscribers.Load(), Delivered: b.delivered.Load(), CutOff: b.cutOff.Load(),
		Behind: b.behind.Load(), Resumed: b.resumed.Load(), Refused: b.refused.Load(),
		Events: b.events.Load(), Encodes: b.encodes.Load(), Writes: b.writes.Load()}
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
