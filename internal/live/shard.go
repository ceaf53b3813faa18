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
// Nobody reads these connections. Each shard has an epoll instance (on
// Linux) in which its connections are registered for the peer's close;
// once a second it asks the instance, without blocking, which peers have
// closed (one system call for all of them), and a heartbeat comment every
// Heartbeat finds peers that vanished without closing. A connection that
// cannot be registered is asked itself, with a non-blocking read, once a
// second.

// direct is the state of a subscriber written by a shard. Its fields
// other than shard, conn and raw belong to the shard's goroutine.
type direct struct {
	shard  int
	conn   net.Conn
	raw    syscall.RawConn // nil when the connection has no file descriptor
	see    func(string) bool
	filter func(*Frame) bool
	name   func(*Frame) []byte // the "event:" line of a frame, or nil

	token   uint64 // its key in the shard's subs and close watch
	watched bool   // the close watch will report its peer's close

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
	subs  map[uint64]*Subscriber // by token
	wake  chan struct{}
	stop  chan struct{}
	done  chan struct{}

	scratch net.Buffers
	w       *writer
	watch   *closeWatch
	all     []*Subscriber
}

// sweepEvery is how often a shard writes heartbeats, ends streams past
// MaxDuration and asks which peers closed their connections (more often
// when Heartbeat is shorter).
const sweepEvery = time.Second

func (b *Broker) startShards() {
	n := b.opts.Shards
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	b.shards = make([]*shard, n)
	for i := range b.shards {
		sh := &shard{b: b, subs: map[uint64]*Subscriber{}, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}), w: newWriter(), watch: newCloseWatch()}
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

var nextShard, nextToken atomic.Uint64

// attach hands s, whose history is written up to cursor, to a shard.
func (b *Broker) attach(s *Subscriber, d *direct) {
	d.shard = int(nextShard.Add(1) % uint64(len(b.shards)))
	now := time.Now()
	d.lastWrite = now
	d.end = now.Add(b.opts.Stream.MaxDuration)
	d.token = nextToken.Add(1)
	sh := b.shards[d.shard]
	d.watched = sh.watch.add(d.raw, d.token)
	sh.mu.Lock()
	sh.subs[d.token] = s
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
	sh.wakeUp()
}

// enqueueAll queues every subscriber of subs (all of this shard) that is
// not queued yet, under one lock and with one wake-up: a fan-out is one
// pass of the shard, not one per subscriber.
func (sh *shard) enqueueAll(subs []*Subscriber) {
	sh.mu.Lock()
	for _, s := range subs {
		if s.d.Load().queued.CompareAndSwap(false, true) {
			sh.queue = append(sh.queue, s)
		}
	}
	sh.mu.Unlock()
	sh.wakeUp()
}

func (sh *shard) wakeUp() {
	select {
	case sh.wake <- struct{}{}:
	default:
	}
}

func (sh *shard) run() {
	defer close(sh.done)
	defer sh.watch.close()
	every := sweepEvery
	if hb := sh.b.opts.Stream.Heartbeat; hb < every {
		every = hb
	}
	tick := time.NewTicker(every)
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

// sweep drops the subscribers whose peers have closed, ends streams past
// MaxDuration and writes heartbeats.
func (sh *shard) sweep(now time.Time) {
	sh.mu.Lock()
	all := sh.all[:0]
	sh.watch.closed(func(token uint64) {
		if s := sh.subs[token]; s != nil {
			all = append(all, s)
		}
	})
	sh.mu.Unlock()
	for _, s := range all {
		d := s.d.Load()
		if d.draining.Load() {
			// Reported once: its drain fails, or it is asked itself
			// from now on.
			d.watched = false
			continue
		}
		sh.drop(s, d, "")
	}
	clear(all)
	all = all[:0]
	sh.mu.Lock()
	for _, s := range sh.subs {
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
		case !d.watched && peerClosed(d):
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
	delete(sh.subs, d.token)
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
