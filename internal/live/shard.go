package live

import (
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// A public stream, once its history is replayed, is handed to one of a
// few writer shards (GOMAXPROCS by default): its connection is hijacked
// from the HTTP server, and it has no goroutine, no buffer and no queue of
// its own, only a cursor into its chain's window. When the chain advances,
// the shard writes each of its subscribers' new frames, shared with every
// other subscriber, in one non-blocking write (writev). What a full socket
// does not take, slices of the shared frames, is written by a goroutine of
// its own that blocks until the client takes it, under WriteTimeout, and
// then hands the subscriber back: only a backlogged connection has a
// goroutine, and only until it drains. A write not taken within
// WriteTimeout, or a cursor that falls behind the window, cuts the
// subscriber off.
//
// Nobody reads these connections: once a second the shard asks each of
// them, without blocking, whether its peer has closed it (a shared poll),
// and a heartbeat comment every Heartbeat finds peers that vanished
// without closing.

// direct is the state of a subscriber written by a shard. Its fields
// other than shard, conn and raw belong to the shard's goroutine.
type direct struct {
	shard  int
	conn   net.Conn
	raw    syscall.RawConn // nil when the connection has no file descriptor
	see    func(string) bool
	filter func(*Frame) bool
	name   func(*Frame) []byte // the "event:" line of a frame, or nil

	queued   atomic.Bool
	closed   atomic.Bool
	draining atomic.Bool // a goroutine writes what the socket did not take

	cursor    int64
	lastWrite time.Time
	end       time.Time
}

// frame appends to bufs what d's viewer gets of f.
func (d *direct) frame(bufs net.Buffers, f *Frame) net.Buffers {
	if !d.see(f.Event.Visibility) || (d.filter != nil && !d.filter(f)) {
		return append(bufs, f.ID)
	}
	if d.name == nil {
		return append(bufs, f.Data)
	}
	return f.parts(bufs, d.name(f))
}

type shard struct {
	b     *Broker
	mu    sync.Mutex
	queue []*Subscriber
	subs  map[*Subscriber]struct{}
	wake  chan struct{}
	stop  chan struct{}
	done  chan struct{}

	scratch   net.Buffers
	w         *writer
	all       []*Subscriber
	lastProbe time.Time
}

// sweepEvery is how often a shard retries pending writes and ends
// streams past MaxDuration; probeEvery how often it asks whether peers
// closed their connections.
const (
	sweepEvery = 200 * time.Millisecond
	probeEvery = time.Second
)

func (b *Broker) startShards() {
	n := b.opts.Shards
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	b.shards = make([]*shard, n)
	for i := range b.shards {
		sh := &shard{b: b, subs: map[*Subscriber]struct{}{}, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}), w: newWriter()}
		b.shards[i] = sh
		go sh.run()
	}
}

func (b *Broker) stopShards() {
	for _, sh := range b.shards {
		select {
		case <-sh.stop:
		default:
			close(sh.stop)
		}
	}
}

var nextShard atomic.Uint64

// attach hands s, whose history is written up to cursor, to a shard.
func (b *Broker) attach(s *Subscriber, d *direct) {
	d.shard = int(nextShard.Add(1) % uint64(len(b.shards)))
	now := time.Now()
	d.lastWrite = now
	d.end = now.Add(b.opts.Stream.MaxDuration)
	sh := b.shards[d.shard]
	sh.mu.Lock()
	sh.subs[s] = struct{}{}
	sh.mu.Unlock()
	s.d.Store(d)
	select {
	case <-s.done: // cut off or closed meanwhile
		sh.drop(s, d, "")
		return
	default:
	}
	sh.enqueue(s) // what came during the replay
}

func (sh *shard) enqueue(s *Subscriber) {
	d := s.d.Load()
	if !d.queued.CompareAndSwap(false, true) {
		return
	}
	sh.mu.Lock()
	sh.queue = append(sh.queue, s)
	sh.mu.Unlock()
	select {
	case sh.wake <- struct{}{}:
	default:
	}
}

func (sh *shard) run() {
	defer close(sh.done)
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	var q []*Subscriber
	for {
		select {
		case <-sh.stop:
			return
		case <-sh.wake:
			sh.mu.Lock()
			q, sh.queue = sh.queue, q[:0]
			sh.mu.Unlock()
			now := time.Now()
			for i, s := range q {
				d := s.d.Load()
				d.queued.Store(false)
				sh.write(s, d, now)
				q[i] = nil
			}
		case now := <-tick.C:
			sh.sweep(now)
		}
	}
}

// write sends s its new frames.
func (sh *shard) write(s *Subscriber, d *direct, now time.Time) {
	if d.closed.Load() || d.draining.Load() {
		return // the drain hands it back
	}
	frames, behind := s.cs.after(d.cursor)
	if behind {
		sh.b.behind.Add(1)
		sh.cut(s, d, ": cut off: fell behind the live window; resume with Last-Event-ID\n\n")
		return
	}
	if len(frames) == 0 {
		return
	}
	bufs := sh.scratch[:0]
	for _, f := range frames {
		bufs = d.frame(bufs, f)
	}
	d.cursor = frames[len(frames)-1].Event.Seq
	sh.b.delivered.Add(int64(len(frames)))
	sh.send(s, d, bufs, now)
	clear(bufs)
	sh.scratch = bufs[:0]
}

// send writes bufs without blocking; what the socket does not take a
// goroutine of its own writes.
func (sh *shard) send(s *Subscriber, d *direct, bufs net.Buffers, now time.Time) {
	sh.b.writes.Add(1)
	n, err := sh.writeNow(d, bufs)
	if err != nil {
		sh.drop(s, d, "")
		return
	}
	rest := consume(bufs, n)
	if len(rest) == 0 {
		d.lastWrite = now
		return
	}
	d.draining.Store(true)
	go sh.drain(s, d, append(net.Buffers(nil), rest...))
}

// drain writes rest, blocking until the client takes it, a chunk
// (ChunkBytes) at a time, each under WriteTimeout (a client that does not
// take one in time is cut off), and hands s back to the shard.
func (sh *shard) drain(s *Subscriber, d *direct, rest net.Buffers) {
	o := sh.b.opts.Stream
	for len(rest) > 0 {
		chunk, n := rest, 0
		for i, b := range rest {
			if n += len(b); n >= o.ChunkBytes {
				chunk = rest[:i+1]
				break
			}
		}
		k := len(chunk)
		if n > 2*o.ChunkBytes && len(chunk[k-1]) > o.ChunkBytes {
			// A large frame: its first part alone.
			last := chunk[k-1]
			cut := len(last) - (n - o.ChunkBytes)
			chunk = append(chunk[:k-1:k-1], last[:cut])
			rest[k-1] = last[cut:]
			k--
		}
		_ = d.conn.SetWriteDeadline(time.Now().Add(o.WriteTimeout))
		w := append(net.Buffers(nil), chunk...)
		if _, err := w.WriteTo(d.conn); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				sh.cut(s, d, "") // mid-frame: no reason can be written
			} else {
				sh.drop(s, d, "")
			}
			return
		}
		clear(rest[:k])
		rest = rest[k:]
	}
	_ = d.conn.SetWriteDeadline(time.Time{})
	d.lastWrite = time.Now()
	d.draining.Store(false)
	sh.enqueue(s) // what came meanwhile
}

// consume drops n written bytes from the front of bufs.
func consume(bufs net.Buffers, n int) net.Buffers {
	for len(bufs) > 0 && n >= len(bufs[0]) {
		n -= len(bufs[0])
		bufs = bufs[1:]
	}
	if len(bufs) > 0 && n > 0 {
		bufs[0] = bufs[0][n:]
	}
	return bufs
}

var ping = []byte(": ping\n\n")

// sweep ends streams past MaxDuration, writes
// heartbeats and, once a second, asks which peers have closed.
func (sh *shard) sweep(now time.Time) {
	probe := now.Sub(sh.lastProbe) >= probeEvery
	if probe {
		sh.lastProbe = now
	}
	sh.mu.Lock()
	all := sh.all[:0]
	for s := range sh.subs {
		all = append(all, s)
	}
	sh.mu.Unlock()
	beat := sh.b.opts.Stream.Heartbeat
	for _, s := range all {
		d := s.d.Load()
		switch {
		case d.closed.Load() || d.draining.Load():
		case now.After(d.end):
			sh.drop(s, d, "")
		case probe && peerClosed(d):
			sh.drop(s, d, "")
		case now.Sub(d.lastWrite) >= beat:
			sh.send(s, d, net.Buffers{ping}, now)
			sh.b.writes.Add(-1) // not an event's
		}
	}
	clear(all)
	sh.all = all[:0]
}

// cut cuts s off for not keeping up, with a reason when one can be
// written.
func (sh *shard) cut(s *Subscriber, d *direct, reason string) {
	s.slow.Store(true)
	sh.b.cutOff.Add(1)
	sh.drop(s, d, reason)
}

// drop closes the connection of s and unsubscribes it. It may be called
// from outside the shard's goroutine (Broker.Close, a drain) only with no
// reason.
func (sh *shard) drop(s *Subscriber, d *direct, reason string) {
	if !d.closed.CompareAndSwap(false, true) {
		return
	}
	if reason != "" {
		_, _ = sh.writeNow(d, net.Buffers{[]byte(reason)})
	}
	_ = d.conn.Close()
	sh.mu.Lock()
	delete(sh.subs, s)
	sh.mu.Unlock()
	sh.b.Unsubscribe(s)
}

// writeNow writes what the socket takes at once. A connection without a
// file descriptor (TLS, a wrapper) takes nothing here: its writes are
// drained, blocking, by a goroutine.
func (sh *shard) writeNow(d *direct, bufs net.Buffers) (int, error) {
	if d.raw != nil {
		return sh.w.writevNow(d.raw, bufs)
	}
	return 0, nil
}

// peerClosed asks, without blocking, whether the peer has closed the
// connection (it reads and discards what the client sent).
func peerClosed(d *direct) bool {
	if d.raw == nil {
		return false // the heartbeat finds out
	}
	return probeClosed(d.raw)
}
