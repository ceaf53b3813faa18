package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// StreamOptions tune the Server-Sent Events streams. Zero fields take the
// defaults.
//
// The memory one stream can hold is bounded. While it replays history it
// holds one page read from the source (ReplayBytes of payload, plus the
// event that crosses the bound); while it follows the chain, the events
// taken from its queue (ChunkBytes, plus one event). Either way its
// subscriber's queue holds at most QueueBytes (plus one event), its write
// buffer at most 2 × ChunkBytes, and the event being encoded a few copies
// of itself. So a stream holds at most
//
//	ReplayBytes + QueueBytes + 3 × ChunkBytes + 4 × the largest event's Size
//
// and the connection some 64 KiB more (goroutines, buffers): with the
// defaults, 1.44 MiB plus four times the largest event (see MemoryBound).
// A client that does not take a write within WriteTimeout loses its
// connection, and the server all that the stream held.
type StreamOptions struct {
	// WriteTimeout bounds every write and flush to a stream (default
	// 10 s). A client that does not take a write in that time is too slow
	// or gone: its connection is closed, and it resumes from Last-Event-ID
	// when it reconnects.
	WriteTimeout time.Duration
	// ChunkBytes is the size of the writes: events are encoded into a
	// buffer that is written out once it holds this many bytes (default
	// 64 KiB); a longer data line is written as it is, not copied.
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

// MemoryBound is the most one stream of this broker holds, with its
// connection, when no event is larger than largestEvent bytes of payload
// (see StreamOptions).
func (b *Broker) MemoryBound(largestEvent int) int {
	s := b.opts.Stream
	return s.ReplayBytes + b.opts.QueueBytes + 3*s.ChunkBytes + 4*(largestEvent+eventFields) + 64<<10
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
	// Encode renders an event's data line(s); the default is its JSON.
	Encode func(ledger.Event) ([]byte, error)
	// Filter, when set, narrows the stream to the events it accepts (the
	// events of one meeting, say); the others go out as their id alone,
	// as invisible ones do, so that Last-Event-ID stays right.
	Filter func(ledger.Event) bool
	// Name, when set, gives the SSE event name of a sent event (its
	// "event:" field); "" (or no Name) leaves the default, "message".
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

// streamer is the state of one stream being served.
type streamer struct {
	st       Stream
	o        StreamOptions
	ctx      context.Context
	w        http.ResponseWriter
	rc       *http.ResponseController
	buf      *bytes.Buffer
	see      func(string) bool
	changed  <-chan struct{}
	checked  time.Time
	head     int64 // the chain's head when the stream opened
	last     int64 // the last id sent or buffered
	deadline bool  // writes have deadlines
}

// Serve streams events to w until the client goes, the subscriber is cut
// off, the broker closes, the viewer's credentials end or MaxDuration
// passes. The caller has checked that the viewer may see the stream at
// all. Every write has a deadline (WriteTimeout); a client that does not
// take one, or whose queue overflowed, has its connection closed.
func (st Stream) Serve(w http.ResponseWriter, r *http.Request, after int64) error {
	if st.Encode == nil {
		st.Encode = EncodeJSON
	}
	s := &streamer{st: st, o: st.Broker.opts.Stream, ctx: r.Context(), w: w, rc: http.NewResponseController(w), see: st.Rights.CanSee}
	ctx := s.ctx
	if st.Rights.Changed != nil {
		s.changed = st.Rights.Changed()
	}
	sub, err := st.Broker.Subscribe(ctx, st.Chain)
	if err != nil {
		return err
	}
	defer st.Broker.Unsubscribe(sub)
	if s.head, err = st.Source.HeadSeq(ctx, st.Chain); err != nil {
		return err
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
	case st.Broker.noDeadline.CompareAndSwap(false, true):
		st.Broker.log.Warn("live: the response writer cannot set write deadlines; a client that stops reading holds its stream until it goes", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	s.buf = bytes.NewBuffer(make([]byte, 0, 2*s.o.ChunkBytes+1024))
	s.buf.WriteString("retry: 2000\n\n")
	s.last = after
	if after < 0 {
		s.last = s.head // from now on
	}
	err = s.replay()
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

// replay sends the events after s.last up to the head, in pages bounded by
// count and bytes.
func (s *streamer) replay() error {
	limit := 16
	for s.last < s.head {
		evs, err := s.st.Source.EventPage(s.ctx, s.st.Chain, s.last, limit, s.o.ReplayBytes)
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		// Ask next time for about as many as fit: on PostgreSQL the rows
		// past the byte bound are sent over the wire and dropped.
		if pageBytes(evs) >= s.o.ReplayBytes {
			limit = max(len(evs), 1)
		} else if len(evs) == limit {
			limit = min(2*limit, replayEvents)
		}
		for i := range evs {
			if err := s.event(evs[i]); err != nil {
				return err
			}
			evs[i] = ledger.Event{} // sent: let it go
		}
	}
	return nil
}

// follow sends the chain's new events as the broker queues them.
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
	for {
		select {
		case <-s.ctx.Done():
			return nil
		case <-end.C:
			return nil
		case <-sub.Done():
			if sub.Slow() {
				// Cut off for not keeping up: close the connection; the
				// client resumes from Last-Event-ID.
				return errWrite
			}
			return nil // the broker closed (shutdown): end the stream
		case <-beat.C:
			s.buf.WriteString(": ping\n\n")
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
			for {
				evs := sub.Take(s.o.ChunkBytes)
				if len(evs) == 0 {
					break
				}
				for _, ev := range evs {
					if err := s.event(ev); err != nil {
						return err
					}
				}
			}
			if err := s.flush(); err != nil {
				return err
			}
		}
	}
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
		s.buf.Reset() // nothing more goes out
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

// event buffers ev (its id alone when the viewer may not see it), writing
// the buffer out whenever it reaches ChunkBytes.
func (s *streamer) event(ev ledger.Event) error {
	if ev.Seq <= s.last {
		return nil // already sent by the replay
	}
	if err := s.fresh(ev); err != nil {
		return err
	}
	// An event the viewer may not see goes out as its id alone, which
	// still advances the client's position, so that it does not read
	// invisible events again after a reconnect.
	fmt.Fprintf(s.buf, "id: %d\n", ev.Seq)
	if s.see(ev.Visibility) && (s.st.Filter == nil || s.st.Filter(ev)) {
		if s.st.Name != nil {
			if name := s.st.Name(ev); name != "" {
				fmt.Fprintf(s.buf, "event: %s\n", name)
			}
		}
		data, err := s.st.Encode(ev)
		if err != nil {
			return err
		}
		for {
			line, rest, more := bytes.Cut(data, []byte("\n"))
			s.buf.WriteString("data: ")
			if len(line) >= s.o.ChunkBytes {
				// A long line goes out as it is, not through the buffer.
				if err := s.write(s.buf.Bytes()); err != nil {
					return err
				}
				s.buf.Reset()
				if err := s.write(line); err != nil {
					return err
				}
			} else {
				s.buf.Write(line)
			}
			s.buf.WriteByte('\n')
			if !more {
				break
			}
			data = rest
		}
	}
	s.buf.WriteByte('\n')
	s.last = ev.Seq
	if s.buf.Len() >= s.o.ChunkBytes {
		if err := s.write(s.buf.Bytes()); err != nil {
			return err
		}
		s.buf.Reset()
	}
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

// flush writes the buffer and flushes the response, under a fresh deadline.
func (s *streamer) flush() error {
	if err := s.write(s.buf.Bytes()); err != nil {
		return err
	}
	s.buf.Reset()
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
