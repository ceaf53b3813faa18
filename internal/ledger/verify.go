package ledger

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// FailureKind says what a Failure is about.
type FailureKind string

// The kinds of Failure.
const (
	FailEvent      FailureKind = "event"      // an event is bad or missing; Seq is its sequence number
	FailCheckpoint FailureKind = "checkpoint" // a checkpoint is bad; Seq is the sequence number it signs
	FailHeader     FailureKind = "header"     // the export header is bad; Seq is 0
)

// Failure is the first defect verification found. Its Error text names the
// first bad sequence number and the reason, for example
// "event 4812: hash mismatch", "event 12: prev_hash does not match event 11"
// or "checkpoint at 5000: bad signature".
type Failure struct {
	Kind   FailureKind
	Seq    int64  // the first bad sequence number
	Line   int64  // line of the export, from 1; 0 when not verifying a stream
	Reason string // what is wrong, without the "event N: " prefix
}

func (f *Failure) Error() string {
	switch f.Kind {
	case FailEvent:
		return fmt.Sprintf("event %d: %s", f.Seq, f.Reason)
	case FailCheckpoint:
		return fmt.Sprintf("checkpoint at %d: %s", f.Seq, f.Reason)
	}
	return string(f.Kind) + ": " + f.Reason
}

// Report is the outcome of verifying a chain.
type Report struct {
	Chain string
	// KeyIDs are the ids of the keys checkpoints were checked against.
	KeyIDs []string
	// KeysFromHeader is set when those keys came from the export's own
	// header rather than from the caller. The checkpoints then prove the
	// export is consistent, not that the server holding the key made it:
	// pass the forum's published key to prove that.
	KeysFromHeader bool
	Events         int64 // events verified
	Redacted       int64 // of which redacted (payload withheld)
	Checkpoints    int64 // checkpoints verified
	Head           Head  // the last verified event
	// LastCheckpoint is the sequence number of the last verified
	// checkpoint, 0 if none; LastCheckpointAt is when it was signed.
	LastCheckpoint   int64
	LastCheckpointAt time.Time
	// Failure is the first defect found, nil when the chain verified.
	Failure *Failure
}

// OK reports whether verification found no defect.
func (r Report) OK() bool { return r.Failure == nil }

// Unsigned returns the number of verified events after the last
// checkpoint: their hashes link up, but no signature vouches for them
// yet, so they could have been appended by anyone who had the export.
func (r Report) Unsigned() int64 { return r.Head.Seq - r.LastCheckpoint }

// String summarises the report in one line.
func (r Report) String() string {
	if r.Failure != nil {
		return fmt.Sprintf("chain %s: FAILED: %v (verified %d events before it)", r.Chain, r.Failure, r.Events)
	}
	s := fmt.Sprintf("chain %s: OK: %d events (%d redacted), %d checkpoints", r.Chain, r.Events, r.Redacted, r.Checkpoints)
	if r.Events > 0 {
		s += fmt.Sprintf(", head %d %s", r.Head.Seq, r.Head.Hash)
	}
	if u := r.Unsigned(); u > 0 {
		s += fmt.Sprintf(", %d events after the last checkpoint", u)
	}
	if r.KeysFromHeader {
		s += ", keys taken from the export itself"
	}
	return s
}

// Verifier checks a chain fed to it one event at a time, in sequence
// order, with each checkpoint fed right after the event it signs. It keeps
// only the last hash, so it verifies a chain of any length in constant
// memory, straight from a database iterator or an export. It stops at the
// first defect: that call and every later one return the same *Failure.
// A Verifier is not safe for concurrent use.
type Verifier struct {
	chain  string
	keys   map[string]ed25519.PublicKey
	head   Head
	report Report
	fail   *Failure
	line   int64 // current line, set by VerifyStream

	c   canonicalizer
	enc []byte
}

// NewVerifier returns a Verifier for the chain chain, which must start at
// seq 1 (an empty chain takes the chain of the first event). Checkpoints
// must be signed by one of keys; keys of the wrong length are ignored.
// With no key, any checkpoint fails.
func NewVerifier(chain string, keys ...ed25519.PublicKey) *Verifier {
	v := &Verifier{chain: chain, keys: make(map[string]ed25519.PublicKey, len(keys))}
	v.report.Chain = chain
	for _, k := range keys {
		if len(k) != ed25519.PublicKeySize {
			continue
		}
		id := KeyID(k)
		if _, dup := v.keys[id]; !dup {
			v.keys[id] = k
			v.report.KeyIDs = append(v.report.KeyIDs, id)
		}
	}
	return v
}

// Head returns the last verified event's head.
func (v *Verifier) Head() Head { return v.head }

// Err returns the first failure, or nil.
func (v *Verifier) Err() error {
	if v.fail == nil {
		return nil
	}
	return v.fail
}

// Report returns the report so far.
func (v *Verifier) Report() Report {
	r := v.report
	r.Head = v.head
	r.Failure = v.fail
	return r
}

func (v *Verifier) failEvent(seq int64, format string, args ...any) error {
	v.fail = &Failure{Kind: FailEvent, Seq: seq, Line: v.line, Reason: fmt.Sprintf(format, args...)}
	return v.fail
}

func (v *Verifier) failCheckpoint(seq int64, format string, args ...any) error {
	v.fail = &Failure{Kind: FailCheckpoint, Seq: seq, Line: v.line, Reason: fmt.Sprintf(format, args...)}
	return v.fail
}

// Add verifies e as the next event of the chain: it must be the expected
// sequence number of the expected chain, link to the previous event's
// hash, be well-formed, and carry the hash of its canonical encoding. A
// redacted event verifies through its payload digest. The error is a
// *Failure naming the first bad sequence number: the expected one when an
// event is missing or out of order.
func (v *Verifier) Add(e Event) error {
	if v.fail != nil {
		return v.fail
	}
	want := v.head.Seq + 1
	if v.chain == "" {
		if err := checkID(e.Chain); err != nil {
			return v.failEvent(want, "chain %v", err)
		}
		v.chain = e.Chain
		v.report.Chain = e.Chain
	}
	if e.Chain != v.chain {
		return v.failEvent(want, "chain is %q, expected %q", e.Chain, v.chain)
	}
	if e.Seq != want {
		return v.failEvent(want, "missing (found event %d in its place)", e.Seq)
	}
	if e.PrevHash != v.head.Hash {
		if want == 1 {
			return v.failEvent(want, "prev_hash must be empty for the first event")
		}
		return v.failEvent(want, "prev_hash does not match event %d", want-1)
	}
	if p := validate(&e); p != nil {
		return v.failEvent(want, "%s", p)
	}
	sum, enc, p := hashEvent(&v.c, v.enc, &e)
	if p != nil {
		return v.failEvent(want, "%s", p)
	}
	v.enc = enc[:0]
	if !hashIs(sum, e.Hash) {
		return v.failEvent(want, "hash mismatch")
	}
	v.head = Head{Chain: v.chain, Seq: e.Seq, Hash: e.Hash}
	v.report.Events++
	if e.Redacted() {
		v.report.Redacted++
	}
	return nil
}

// AddCheckpoint verifies cp against the last event added: it must sign
// that event's sequence number and hash on this chain, with one of the
// Verifier's keys. A checkpoint of a later event means events are
// missing, and fails as the first missing event. A checkpoint whose signature verifies but whose hash
// differs from the event's means the events since the previous checkpoint
// were rewritten after signing. The error is a *Failure.
func (v *Verifier) AddCheckpoint(cp Checkpoint) error {
	if v.fail != nil {
		return v.fail
	}
	if v.head.Seq == 0 {
		return v.failCheckpoint(cp.Seq, "comes before any event")
	}
	if cp.Seq > v.head.Seq {
		// The checkpoint's events are missing: name the first of them.
		return v.failEvent(v.head.Seq+1, "missing (checkpoint at %d found in its place)", cp.Seq)
	}
	if cp.Seq != v.head.Seq {
		return v.failCheckpoint(cp.Seq, "out of place: it follows event %d", v.head.Seq)
	}
	if cp.Chain != v.chain {
		return v.failCheckpoint(cp.Seq, "chain is %q, expected %q", cp.Chain, v.chain)
	}
	if err := cp.checkForm(); err != nil {
		return v.failCheckpoint(cp.Seq, "%v", err)
	}
	pub, ok := v.keys[cp.KeyID]
	if !ok {
		if len(v.keys) == 0 {
			return v.failCheckpoint(cp.Seq, "no public key to check it with (key id %s)", cp.KeyID)
		}
		return v.failCheckpoint(cp.Seq, "signed by unknown key %s", cp.KeyID)
	}
	if err := VerifyCheckpoint(pub, cp); err != nil {
		if errors.Is(err, ErrBadSignature) {
			return v.failCheckpoint(cp.Seq, "bad signature")
		}
		return v.failCheckpoint(cp.Seq, "%v", err)
	}
	if cp.Hash != v.head.Hash {
		since := "the start of the chain"
		if v.report.LastCheckpoint > 0 {
			since = fmt.Sprintf("checkpoint at %d", v.report.LastCheckpoint)
		}
		return v.failCheckpoint(cp.Seq, "signed hash does not match event %d: events after %s were rewritten", cp.Seq, since)
	}
	v.report.Checkpoints++
	v.report.LastCheckpoint = cp.Seq
	v.report.LastCheckpointAt = cp.At
	return nil
}

// VerifyStream reads an export (see the package documentation) and
// verifies it with a Verifier: every event's hash and link, the
// continuity of sequence numbers from 1, and every checkpoint's signature
// and hash. Checkpoints are checked against keys; with none, against the
// keys in the export's header (Report.KeysFromHeader tells). It reads the
// stream once in constant memory (bounded by the longest line).
//
// The error is a *Failure (also in Report.Failure) when the export is bad,
// naming the first bad sequence number; any other error is a read error,
// and the report then covers what was read.
func VerifyStream(r io.Reader, keys ...ed25519.PublicKey) (Report, error) {
	rd, err := NewReader(r)
	if err != nil {
		var le *LineError
		if errors.As(err, &le) {
			f := &Failure{Kind: FailHeader, Line: le.Line, Reason: strings.TrimPrefix(le.Err.Error(), "header: ")}
			return Report{Failure: f}, f
		}
		return Report{}, err
	}
	h := rd.Header()
	fromHeader := len(keys) == 0
	if fromHeader {
		keys = h.keys()
	}
	v := NewVerifier(h.Chain, keys...)
	v.report.KeysFromHeader = fromHeader && len(keys) > 0
	var rec Record
	for {
		err := rd.next(&rec, false)
		if err == io.EOF {
			return v.Report(), nil
		}
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				return v.Report(), err
			}
			v.line = le.Line
			if le.Checkpoint {
				err = v.failCheckpoint(v.head.Seq, "line %d: %v", le.Line, le.Err)
			} else {
				err = v.failEvent(v.head.Seq+1, "line %d: %v", le.Line, le.Err)
			}
			return v.Report(), err
		}
		v.line = rec.Line
		if rec.Checkpoint != nil {
			err = v.AddCheckpoint(*rec.Checkpoint)
		} else {
			err = v.Add(*rec.Event)
		}
		if err != nil {
			return v.Report(), err
		}
	}
}
