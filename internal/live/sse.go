package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// StreamOptions tune the Server-Sent Events streams. Zero fields take the
// defaults.
//
// The memory one stream holds of its own is bounded. While it replays
// history it holds one page read from the source (ReplayBytes of payload,
// plus the event that crosses the bound) and its frames being written (up
// to ChunkBytes, plus one event). While it follows the chain it holds no
// event of its own: its chain's window (Options.WindowBytes) is shared by
// every subscriber, and a stream only keeps its cursor (and, while a
// socket is full, the slices of the shared frames it has yet to take).
// So a stream holds at most
//
//	ReplayBytes + ChunkBytes + 4 × the largest event's Size
//
// and its connection a few KiB more (see MemoryBound). A client that does
// not take a write within WriteTimeout loses its connection.
type StreamOptions struct {
	// WriteTimeout bounds every write to a stream (default 10 s). A
	// client that does not take a write in that time is too slow or
	// gone: its connection is closed, and it resumes from Last-Event-ID
	// when it reconnects.
	WriteTimeout time.Duration
	// ChunkBytes is the size of the writes of replayed history (default
	// 64 KiB); a longer frame is written as it is.
	ChunkBytes int
	// ReplayBytes bounds the payload of the page of history read at once
	// when a client resumes (default 256 KiB); pages also have at most
	// 256 events.
	ReplayBytes int
	// Heartbeat is the interval of keep-alive comments (default 20 s).
	Heartbeat time.Duration
	// MaxDuration ends a stream after this long (default 30 min); the
	// client reconnects with Last-Event-ID and loses nothing.
	MaxDuration time.Duration
	// RecheckEvery is how often a stream whose viewer has credentials
	// reads the viewer's rights again (default 5 s); see Rights.
	RecheckEvery time.Duration
}

const replayEvents = 256

func (o StreamOptions) withDefaults() StreamOptions {
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.ChunkBytes <= 0 {
		o.ChunkBytes = 64 << 10
	}
	if o.ReplayBytes <= 0 {
		o.ReplayBytes = 256 << 10
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 20 * time.Second
	}
	if o.MaxDuration <= 0 {
		o.MaxDuration = 30 * time.Minute
	}
	if o.RecheckEvery <= 0 {
		o.RecheckEvery = 5 * time.Second
	}
	return o
}

// MemoryBound is the most one stream of this broker holds of its own,
// with its connection, when no event is larger than largestEvent bytes of
// payload (see StreamOptions). The chains' windows are shared, and
// bounded apart (Options.WindowBytes).
func (b *Broker) MemoryBound(largestEvent int) int {
	s := b.opts.Stream
	return s.ReplayBytes + s.ChunkBytes + 4*(largestEvent+eventFields) + 64<<10
}

// Rights is what a stream's viewer may see, and how to read it again. A
// viewer without credentials (the public) has CanSee alone. A viewer with
// credentials (a session, an API token) has Check: the stream reads the
// rights again when it opens, every RecheckEvery, when Changed fires and
// before an event that Affects them, so that a session ended, a token
// revoked or a registration withdrawn stops what the viewer may no longer
// see within seconds.
type Rights struct {
	// CanSee is the visibility predicate of a viewer without Check.
	CanSee func(visibility string) bool
	// Check reads the viewer's credentials and rights now and returns
	// the visibility predicate; an error (credentials no longer valid)
	// ends the stream, and the client reconnects with what it has left.
	Check func(ctx context.Context) (func(visibility string) bool, error)
	// Changed, when set, returns a channel that is closed when the
	// viewer's credentials may have changed in this process. The stream
	// takes it before each Check, and does not send an event while it is
	// closed without checking again.
	Changed func() <-chan struct{}
	// Affects, when set, reports whether an event may change what the
	// viewer sees (a registration of theirs): the stream checks again
	// before sending it and what follows.
	Affects func(ledger.Event) bool
}

// Stream describes one SSE response.
type Stream struct {
	Broker *Broker
	Source Source
	Chain  string
	// Rights decide which events the viewer sees; invisible ones are
	// sent as their id alone.
	Rights Rights
	// Filter, when set, narrows the stream to the events it accepts (the
	// events of one meeting, say); the others go out as their id alone,
	// as invisible ones do, so that Last-Event-ID stays right.
	Filter func(ledger.Event) bool
	// Name, when set, gives the SSE event name of a sent event (its
	// "event:" field); "" (or no Name) leaves the default, "message". The
	// line goes out between the shared frame's id and data lines.
	Name func(ledger.Event) string
}

// LastEventID returns where a client resumes: the Last-Event-ID header
// (sent by EventSource on reconnect), else the last_event_id or since query
// parameter, else -1 meaning "from now on".
// A malformed value is a field error naming where it came from.
func LastEventID(r *http.Request) (int64, error) {
	field, v := "Last-Event-ID", r.Header.Get("Last-Event-ID")
	for _, p := range []string{"last_event_id", "since"} {
		if v == "" {
			field, v = p, r.URL.Query().Get(p)
		}
	}
	if v == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, plenary.Invalid(field, "must be a ledger sequence number, got %q", v)
	}
	return n, nil
}

// errWrite ends a stream whose client did not take a write in time, or is
// gone.
var errWrite = errors.New("live: write failed")

// errRights ends a stream whose viewer's credentials are no longer valid.
type errRights struct{ err error }

func (e errRights) Error() string { return "live: rights: " + e.err.Error() }

// behindReason is the comment a stream that fell behind the window ends
// with.
const behindReason = ": cut off: fell behind the live window; resume with Last-Event-ID\n\n"

// Serve streams events to w, resuming after the sequence number after
// (-1: from now on). The caller has checked that the viewer may see the
// stream at all.
//
// A public stream (no Rights.Check) on a connection that can be hijacked
// (HTTP/1.1) writes its history and then is handed to the broker's writer
// shards: Serve returns, and no goroutine serves the stream any more. A
// stream whose viewer has credentials, or on a connection that cannot be
// hijacked, is served by Serve until the client goes, the subscriber is
// cut off, the broker closes, the viewer's credentials end or MaxDuration
// passes. Either way every write has a deadline (WriteTimeout), and a
// client that does not keep up has its connection closed.
func (st Stream) Serve(w http.ResponseWriter, r *http.Request, after int64) error {
	b := st.Broker
	ctx := r.Context()
	sub, err := b.subscribe(ctx, st.Chain, clientAddr(r))
	if err != nil {
		return err
	}
	if after >= 0 {
		b.resumed.Add(1)
	}
	head, err := st.Source.HeadSeq(ctx, st.Chain)
	if err != nil {
		b.Unsubscribe(sub)
		return err
	}
	last := after
	if after < 0 {
		last = head // from now on
	}
	if st.Rights.Check == nil {
		if conn, ok := hijack(w); ok {
			st.serveDirect(sub, conn, w.Header(), last)
			return nil
		}
	}
	defer b.Unsubscribe(sub)
	s := &streamer{st: st, o: b.opts.Stream, ctx: ctx, w: w, rc: http.NewResponseController(w), see: st.Rights.CanSee, head: head, last: last}
	if st.Rights.Changed != nil {
		s.changed = st.Rights.Changed()
	}
	if st.Rights.Check != nil {
		// Read after subscribing and reading the head: a change of rights
		// committed later comes as an event past the head.
		if s.see, err = st.Rights.Check(ctx); err != nil {
			return err
		}
		s.checked = time.Now()
	}
	if s.see == nil {
		s.see = func(string) bool { return false }
	}

	switch err := s.rc.SetWriteDeadline(time.Now().Add(s.o.WriteTimeout)); {
	case err == nil:
		s.deadline = true
	case b.noDeadline.CompareAndSwap(false, true):
		b.log.Warn("live: the response writer cannot set write deadlines; a client that stops reading holds its stream until it goes", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	err = s.write([]byte("retry: 2000\n\n"))
	if err == nil {
		err = s.replay(sub)
	}
	if err == nil {
		err = s.flush()
	}
	if err == nil {
		err = s.follow(sub)
	}
	var re errRights
	switch {
	case errors.Is(err, errWrite):
		s.abort()
		return nil
	case errors.As(err, &re):
		// The viewer may no longer see what the stream was opened for:
		// end it, sending nothing more; the client reconnects and gets
		// what it may now see.
		return nil
	}
	return err
}

// clientAddr is the address streams are counted by (MaxPerAddr).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// hijack takes the connection from the HTTP server, when it allows it.
func hijack(w http.ResponseWriter) (net.Conn, bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, false
	}
	// The server's read and write deadlines no longer apply.
	_ = conn.SetDeadline(time.Time{})
	return conn, true
}

// visible reports whether the viewer gets f's data.
func visible(see func(string) bool, filter func(ledger.Event) bool, ev ledger.Event) bool {
	return see != nil && see(ev.Visibility) && (filter == nil || filter(ev))
}

// serveDirect writes the response's head and the history after last on
// the hijacked conn, then hands the stream to a writer shard.
func (st Stream) serveDirect(sub *Subscriber, conn net.Conn, header http.Header, last int64) {
	b := st.Broker
	o := b.opts.Stream
	see, filter := st.Rights.CanSee, st.Filter
	d := &direct{conn: conn, see: see}
	if d.see == nil {
		d.see = func(string) bool { return false }
	}
	if filter != nil {
		d.filter = func(f *Frame) bool { return filter(f.Event) }
	}
	if st.Name != nil {
		d.name = func(f *Frame) []byte { return b.eventLine(st.Name(f.Event)) }
	}
	if sc, ok := conn.(syscall.Conn); ok && runtime.GOOS == "linux" {
		if raw, err := sc.SyscallConn(); err == nil {
			d.raw = raw
		}
	}
	fail := func() {
		_ = conn.Close()
		b.Unsubscribe(sub)
	}
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	h := header.Clone()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	h.Set("Connection", "close")
	_ = h.Write(&head)
	head.WriteString("\r\nretry: 2000\n\n")
	w := &chunkWriter{conn: conn, timeout: o.WriteTimeout, chunk: o.ChunkBytes}
	w.add(head.Bytes())
	// History up to the window, read from the source in pages; the rest
	// is the window's.
	for last < sub.cs.windowBase() {
		evs, err := pageAfter(context.Background(), st.Source, st.Chain, last, o.ReplayBytes)
		if err != nil {
			b.log.Error("live: replay", "chain", st.Chain, "after", last, "err", err)
			fail()
			return
		}
		if len(evs) == 0 {
			break
		}
		for i, ev := range evs {
			data, err := EncodeJSON(ev)
			if err != nil {
				fail()
				return
			}
			f := newFrame(ev, data)
			w.bufs = d.frame(w.bufs, f)
			w.n += len(f.Data) + 32
			evs[i] = ledger.Event{}
			last = ev.Seq
			if w.full() && w.flush() != nil {
				fail()
				return
			}
		}
	}
	if w.flush() != nil {
		fail()
		return
	}
	_ = conn.SetWriteDeadline(time.Time{})
	d.cursor = last
	b.attach(sub, d)
}

// pageAfter reads a page of history after seq, bounded by count and
// payload.
func pageAfter(ctx context.Context, src Source, chain string, after int64, maxBytes int) ([]ledger.Event, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return src.EventPage(ctx, chain, after, replayEvents, maxBytes)
}

// chunkWriter gathers frames and writes them, a chunk at a time, in one
// write under a deadline.
type chunkWriter struct {
	conn    net.Conn
	timeout time.Duration
	chunk   int
	bufs    net.Buffers
	n       int
}

func (c *chunkWriter) add(p []byte) { c.bufs = append(c.bufs, p); c.n += len(p) }
func (c *chunkWriter) full() bool   { return c.n >= c.chunk }

func (c *chunkWriter) flush() error {
	if c.n == 0 {
		return nil
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.timeout))
	bufs := c.bufs
	_, err := bufs.WriteTo(c.conn)
	clear(c.bufs)
	c.bufs, c.n = c.bufs[:0], 0
	return err
}

// streamer is the state of one stream served by its own goroutine.
type streamer struct {
	st       Stream
	o        StreamOptions
	ctx      context.Context
	w        http.ResponseWriter
	rc       *http.ResponseController
	see      func(string) bool
	changed  <-chan struct{}
	checked  time.Time
	head     int64 // the chain's head when the stream opened
	last     int64 // the last id sent
	deadline bool  // writes have deadlines
}

// replay sends the events after s.last from the source, in pages bounded
// by count and bytes, until the window has the rest.
func (s *streamer) replay(sub *Subscriber) error {
	for s.last < sub.cs.windowBase() {
		evs, err := pageAfter(s.ctx, s.st.Source, s.st.Chain, s.last, s.o.ReplayBytes)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		for i := range evs {
			if err := s.event(evs[i], nil); err != nil {
				return err
			}
			evs[i] = ledger.Event{} // sent: let it go
		}
	}
	return nil
}

// follow sends the chain's new events from the window as it advances.
func (s *streamer) follow(sub *Subscriber) error {
	beat := time.NewTicker(s.o.Heartbeat)
	defer beat.Stop()
	end := time.NewTimer(s.o.MaxDuration)
	defer end.Stop()
	var recheck <-chan time.Time
	if s.st.Rights.Check != nil {
		t := time.NewTicker(s.o.RecheckEvery)
		defer t.Stop()
		recheck = t.C
	}
	if err := s.window(sub); err != nil {
		return err
	}
	for {
		select {
		case <-s.ctx.Done():
			return nil
		case <-end.C:
			return nil
		case <-sub.Done():
			if sub.Slow() {
				return errWrite
			}
			return nil // the broker closed (shutdown): end the stream
		case <-beat.C:
			if err := s.write(ping); err != nil {
				return err
			}
			if err := s.flush(); err != nil {
				return err
			}
		case <-s.changed:
			if err := s.check(); err != nil {
				return err
			}
		case <-recheck:
			if time.Since(s.checked) >= s.o.RecheckEvery/2 {
				if err := s.check(); err != nil {
					return err
				}
			}
		case <-sub.Ready():
			if err := s.window(sub); err != nil {
				return err
			}
		}
	}
}

// window sends the window's frames past s.last, or cuts the stream off
// if it fell behind the window.
func (s *streamer) window(sub *Subscriber) error {
	frames, behind := sub.After(s.last)
	if behind {
		b := s.st.Broker
		b.behind.Add(1)
		b.cutOff.Add(1)
		sub.slow.Store(true)
		_ = s.write([]byte(behindReason))
		_ = s.flush()
		return errWrite
	}
	if len(frames) == 0 {
		return nil
	}
	for _, f := range frames {
		if err := s.event(f.Event, f); err != nil {
			return err
		}
	}
	s.st.Broker.delivered.Add(int64(len(frames)))
	return s.flush()
}

// check reads the viewer's rights again.
func (s *streamer) check() error {
	if s.st.Rights.Check == nil {
		return nil
	}
	if s.st.Rights.Changed != nil {
		s.changed = s.st.Rights.Changed() // before reading: a change after it fires
	}
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	see, err := s.st.Rights.Check(ctx)
	s.checked = time.Now()
	if err != nil {
		return errRights{err}
	}
	s.see = see
	return nil
}

// fresh makes sure the rights are read recently enough to send ev.
func (s *streamer) fresh(ev ledger.Event) error {
	if s.st.Rights.Check == nil {
		return nil
	}
	select {
	case <-s.changed:
		return s.check()
	default:
	}
	if time.Since(s.checked) >= s.o.RecheckEvery || (ev.Seq > s.head && s.st.Rights.Affects != nil && s.st.Rights.Affects(ev)) {
		return s.check()
	}
	return nil
}

// event writes ev: its shared frame f when there is one, else encoded
// here (history); its id alone when the viewer may not see it.
func (s *streamer) event(ev ledger.Event, f *Frame) error {
	if ev.Seq <= s.last {
		return nil // already sent
	}
	if err := s.fresh(ev); err != nil {
		return err
	}
	if !visible(s.see, s.st.Filter, ev) {
		p := idFrame(ev.Seq)
		if f != nil {
			p = f.ID
		}
		if err := s.write(p); err != nil {
			return err
		}
		s.last = ev.Seq
		return nil
	}
	if f == nil {
		data, err := EncodeJSON(ev)
		if err != nil {
			return err
		}
		f = newFrame(ev, data)
	}
	var line []byte
	if s.st.Name != nil {
		line = s.st.Broker.eventLine(s.st.Name(ev))
	}
	var parts [3][]byte
	for _, p := range f.parts(parts[:0], line) {
		if err := s.write(p); err != nil {
			return err
		}
	}
	s.last = ev.Seq
	return nil
}

// write writes p under a fresh deadline.
func (s *streamer) write(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if s.deadline {
		_ = s.rc.SetWriteDeadline(time.Now().Add(s.o.WriteTimeout))
	}
	if _, err := s.w.Write(p); err != nil {
		return errWrite
	}
	return nil
}

// flush flushes the response, under a fresh deadline.
func (s *streamer) flush() error {
	if s.deadline {
		_ = s.rc.SetWriteDeadline(time.Now().Add(s.o.WriteTimeout))
	}
	if err := s.rc.Flush(); err != nil {
		return errWrite
	}
	return nil
}

// abort makes the rest of the response fail at once, so that the server
// closes the connection instead of waiting on a client that does not read.
func (s *streamer) abort() {
	if s.deadline {
		_ = s.rc.SetWriteDeadline(time.Now().Add(-time.Second))
	}
}

// EncodeJSON is the default event data: one JSON object with the public
// fields of the event.
func EncodeJSON(ev ledger.Event) ([]byte, error) {
	payload := ev.Payload
	if len(payload) == 0 {
		payload = json.RawMessage("{}")
	}
	return json.Marshal(struct {
		Seq        int64           `json:"seq"`
		Type       string          `json:"type"`
		At         time.Time       `json:"at"`
		Actor      string          `json:"actor"`
		Visibility string          `json:"visibility"`
		Payload    json.RawMessage `json:"payload"`
		Hash       string          `json:"hash"`
	}{ev.Seq, ev.Type, ev.At.UTC(), ev.Actor, ev.Visibility, payload, ev.Hash})
}

// ServeChain streams chain to a viewer with the given rights, resuming
// after the request's Last-Event-ID (see LastEventID). A malformed resume
// point is a field error.
func ServeChain(w http.ResponseWriter, r *http.Request, b *Broker, src Source, chain string, rights Rights) error {
	after, err := LastEventID(r)
	if err != nil {
		return err
	}
	return Stream{Broker: b, Source: src, Chain: chain, Rights: rights}.Serve(w, r, after)
}
