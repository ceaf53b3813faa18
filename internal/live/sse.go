package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// Stream describes one SSE response.
type Stream struct {
	Broker *Broker
	Source Source
	Chain  string
	// Visible filters events for the viewer; invisible ones are skipped.
	Visible func(ledger.Event) bool
	// Encode renders an event's data line(s); the default is its JSON.
	Encode func(ledger.Event) ([]byte, error)
	// Heartbeat is the interval of keep-alive comments (default 20 s).
	Heartbeat time.Duration
	// MaxDuration ends a stream after this long (default 30 min); the
	// client reconnects with Last-Event-ID and loses nothing.
	MaxDuration time.Duration
}

// LastEventID returns where a client resumes: the Last-Event-ID header
// (sent by EventSource on reconnect), else the last_event_id or since query
// parameter, else -1 meaning "from now on".
func LastEventID(r *http.Request) (int64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("last_event_id")
	}
	if v == "" {
		v = r.URL.Query().Get("since")
	}
	if v == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("Last-Event-ID must be a ledger sequence number, got %q", v)
	}
	return n, nil
}

// Serve streams events to w until the client goes, the subscriber is cut
// off, the broker closes or MaxDuration passes. The caller has checked
// that the viewer may see the stream at all.
func (st Stream) Serve(w http.ResponseWriter, r *http.Request, after int64) error {
	if st.Heartbeat <= 0 {
		st.Heartbeat = 20 * time.Second
	}
	if st.MaxDuration <= 0 {
		st.MaxDuration = 30 * time.Minute
	}
	if st.Encode == nil {
		st.Encode = EncodeJSON
	}
	ctx := r.Context()
	sub, err := st.Broker.Subscribe(ctx, st.Chain)
	if err != nil {
		return err
	}
	defer st.Broker.Unsubscribe(sub)

	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	var buf bytes.Buffer
	buf.WriteString("retry: 2000\n\n")
	last := after
	if after < 0 {
		// From now on: the subscriber's starting point.
		head, err := st.Source.HeadSeq(ctx, st.Chain)
		if err != nil {
			return err
		}
		last = head
	} else {
		// Backfill what the client missed, in pages.
		for {
			evs, err := st.Source.EventsAfter(ctx, st.Chain, last, 500)
			if err != nil {
				return err
			}
			for _, ev := range evs {
				if err := st.write(&buf, ev); err != nil {
					return err
				}
				last = ev.Seq
			}
			if _, err := w.Write(buf.Bytes()); err != nil {
				return nil
			}
			buf.Reset()
			if len(evs) < 500 {
				break
			}
		}
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return nil
	}
	buf.Reset()
	if err := rc.Flush(); err != nil {
		return nil
	}

	beat := time.NewTicker(st.Heartbeat)
	defer beat.Stop()
	end := time.NewTimer(st.MaxDuration)
	defer end.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-end.C:
			return nil
		case <-sub.Done():
			// Cut off: send what is queued, then end; the client resumes.
			for {
				select {
				case ev := <-sub.C():
					if ev.Seq > last {
						_ = st.write(&buf, ev)
						last = ev.Seq
					}
					continue
				default:
				}
				break
			}
			_, _ = w.Write(buf.Bytes())
			_ = rc.Flush()
			return nil
		case <-beat.C:
			if _, err := w.Write([]byte(": ping\n\n")); err != nil {
				return nil
			}
			if err := rc.Flush(); err != nil {
				return nil
			}
		case ev := <-sub.C():
			if ev.Seq <= last {
				continue // already sent by the backfill
			}
			if err := st.write(&buf, ev); err != nil {
				return err
			}
			last = ev.Seq
			// Coalesce whatever else is queued into one write.
		more:
			for {
				select {
				case ev := <-sub.C():
					if ev.Seq > last {
						if err := st.write(&buf, ev); err != nil {
							return err
						}
						last = ev.Seq
					}
				default:
					break more
				}
			}
			if _, err := w.Write(buf.Bytes()); err != nil {
				return nil
			}
			buf.Reset()
			if err := rc.Flush(); err != nil {
				return nil
			}
		}
	}
}

func (st Stream) write(buf *bytes.Buffer, ev ledger.Event) error {
	if st.Visible != nil && !st.Visible(ev) {
		// Still advance the client's position so that it does not
		// re-read invisible events after a reconnect.
		fmt.Fprintf(buf, "id: %d\n\n", ev.Seq)
		return nil
	}
	data, err := st.Encode(ev)
	if err != nil {
		return err
	}
	fmt.Fprintf(buf, "id: %d\n", ev.Seq)
	for _, line := range bytes.Split(data, []byte("\n")) {
		buf.WriteString("data: ")
		buf.Write(line)
		buf.WriteByte('\n')
	}
	buf.WriteByte('\n')
	return nil
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

// ServeChain streams chain to a viewer who sees the events whose
// visibility canSee allows, resuming after the request's Last-Event-ID
// (see LastEventID). A malformed resume point is a field error.
func ServeChain(w http.ResponseWriter, r *http.Request, b *Broker, src Source, chain string, canSee func(visibility string) bool) error {
	after, err := LastEventID(r)
	if err != nil {
		return plenary.Invalid("Last-Event-ID", "%v", err)
	}
	st := Stream{Broker: b, Source: src, Chain: chain, Visible: func(ev ledger.Event) bool { return canSee(ev.Visibility) }}
	return st.Serve(w, r, after)
}
