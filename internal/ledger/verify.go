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
	// FailHead: a store's head record of the chain disagrees with the
	// events it holds; Seq is the sequence number the record names, 0 when
	// it is missing.
	FailHead FailureKind = "head"
	// FailSince: the chain does not extend a checkpoint obtained earlier
	// (VerifyOptions.Since), or that checkpoint is bad; Seq is the
	// sequence number it signs.
	FailSince FailureKind = "since"
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
	case FailHead:
		if f.Seq == 0 {
			return "head record: " + f.Reason
		}
		return fmt.Sprintf("head record at %d: %s", f.Seq, f.Reason)
	case FailSince:
		return fmt.Sprintf("earlier checkpoint at %d: %s", f.Seq, f.Reason)
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
	// Extends is the sequence number of the earlier checkpoint
	// (VerifyOptions.Since) the chain was shown to extend, 0 if none was
	// given.
	Extends int64
	// Failure is the first defect found, nil when the chain verified.
	Failure *Failure
}

// OK reports whether verification found no defect.
func (r Report) OK() bool { return r.Failure == nil }

// Unsigned returns the number of verified events after the last
// checkpoint: their hashes link up, but no signature vouches for them, so
// they could have been appended by anyone who had the export. A chain
// whose verification is finished (Verifier.Finish) has none: unsigned
// events at its end are a failure.
func (r Report) Unsigned() int64 { return r.Head.Seq - r.LastCheckpoint }

// String summarises the report in one line.
func (r Report) String() string {
	if r.Failure != nil {
		return fmt.Sprintf("chain %s: FAILED: %v (%d events verified)", r.Chain, r.Failure, r.Events)
	}
	s := fmt.Sprintf("chain %s: OK: %d events (%d redacted), %d checkpoints", r.Chain, r.Events, r.Redacted, r.Checkpoints)
	if r.Events > 0 {
		s += fmt.Sprintf(", head %d %s", r.Head.Seq, r.Head.Hash)
	}
	if u := r.Unsigned(); u > 0 {
		s += fmt.Sprintf(", %d events after the last checkpoint", u)
	}
	if r.Extends > 0 {
		s += fmt.Sprintf(", extends the earlier checkpoint at %d", r.Extends)
	}
	if r.KeysFromHeader {
		s += ", keys taken from the export itself"
	}
	return s
}

// VerifyOptions configure a Verifier or VerifyStreamWith.
type VerifyOptions struct {
	// Keys are the public keys checkpoints must be signed with; keys of
	// the wrong length are ignored. With none, a Verifier refuses every
	// checkpoint, and VerifyStreamWith uses the keys in the export's
	// header (Report.KeysFromHeader tells).
	Keys []ed25519.PublicKey
	// Since is a checkpoint of the chain obtained earlier, for example
	// from the server's published checkpoint (see ParseCheckpoint). When
	// set, verification also proves that the chain extends it: the
	// checkpoint's signature verifies with one of the keys, the chain
	// reaches its sequence number, and the event there has its hash. A
	// chain cut short or rewritten since that checkpoint was taken fails,
	// even when every checkpoint it carries verifies.
	Since *Checkpoint
}

// Verifier checks a chain fed to it one event at a time, in sequence
// order, with each checkpoint fed right after the event it signs, and
// Finish called after the last event. It keeps only the last hash, so it
// verifies a chain of any length in constant memory, straight from a
// database iterator or an export. It stops at the first defect: that call
// and every later one return the same *Failure. A Verifier is not safe for
// concurrent use.
type Verifier struct {
	chain  string
	keys   map[string]ed25519.PublicKey
	since  *Checkpoint
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

// NewVerifierWith returns a Verifier for chain configured by o: its keys,
// and the earlier checkpoint the chain must extend (see
// VerifyOptions.Since). A bad earlier checkpoint is a failure the
// Verifier reports from its first call.
func NewVerifierWith(chain string, o VerifyOptions) *Verifier {
	v := NewVerifier(chain, o.Keys...)
	if o.Since != nil {
		v.extend(*o.Since)
	}
	return v
}

// extend checks cp, a checkpoint obtained earlier, and makes the
// verifier require that the chain extends it.
func (v *Verifier) extend(cp Checkpoint) {
	if v.chain == "" {
		if err := checkID(cp.Chain); err == nil {
			v.chain = cp.Chain
			v.report.Chain = cp.Chain
		}
	}
	if cp.Chain != v.chain {
		v.failSince(cp.Seq, "chain is %q, expected %q", cp.Chain, v.chain)
		return
	}
	if err := cp.checkForm(); err != nil {
		v.failSince(cp.Seq, "%v", err)
		return
	}
	pub, ok := v.keys[cp.KeyID]
	if !ok {
		if len(v.keys) == 0 {
			v.failSince(cp.Seq, "no public key to check it with (key id %s)", cp.KeyID)
		} else {
			v.failSince(cp.Seq, "signed by unknown key %s", cp.KeyID)
		}
		return
	}
	if err := VerifyCheckpoint(pub, cp); err != nil {
		if errors.Is(err, ErrBadSignature) {
			v.failSince(cp.Seq, "bad signature")
		} else {
			v.failSince(cp.Seq, "%v", err)
		}
		return
	}
	v.since = &cp
}

// Head returns the last verified event's head.
func (v *Verifier) Head() Head { return v.head }

// Chain returns the chain being verified ("" until known).
func (v *Verifier) Chain() string { return v.chain }

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

func (v *Verifier) failSince(seq int64, format string, args ...any) error {
	v.fail = &Failure{Kind: FailSince, Seq: seq, Line: v.line, Reason: fmt.Sprintf(format, args...)}
	return v.fail
}

// Fail records a defect the caller found outside the events and
// checkpoints fed to the Verifier, such as a store's head record that
// disagrees with them (kind FailHead), unless a failure is already
// recorded. It returns the first failure.
func (v *Verifier) Fail(kind FailureKind, seq int64, reason string) error {
	if v.fail == nil {
		v.fail = &Failure{Kind: kind, Seq: seq, Line: v.line, Reason: reason}
	}
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
	if v.since != nil && e.Seq == v.since.Seq {
		if e.Hash != v.since.Hash {
			return v.failSince(e.Seq, "event %d has another hash: the chain was rewritten at or before event %d after that checkpoint was signed", e.Seq, e.Seq)
		}
		v.report.Extends = e.Seq
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

// Finish tells the Verifier that the chain ends with the last event
// added, and checks what only the end can show: that a checkpoint signs
// the last event (events after the last checkpoint are vouched for by no
// signature, so anyone could have appended them), and that the chain
// reaches the earlier checkpoint it must extend, if any. An empty chain
// passes unless it must extend one. It returns the first failure, like
// Add; it may be called again and returns the same.
func (v *Verifier) Finish() error {
	if v.fail != nil {
		return v.fail
	}
	if v.since != nil && v.head.Seq < v.since.Seq {
		return v.failEvent(v.head.Seq+1, "missing: the chain ends at event %d, but the earlier checkpoint signs event %d", v.head.Seq, v.since.Seq)
	}
	if last := v.report.LastCheckpoint; v.head.Seq > last {
		if last == 0 {
			return v.failEvent(1, "not signed: no checkpoint signs any event of the chain (it ends at event %d)", v.head.Seq)
		}
		return v.failEvent(last+1, "not signed: the chain ends at event %d, but the last checkpoint signs event %d", v.head.Seq, last)
	}
	return nil
}

// VerifyStream reads an export (see the package documentation) and
// verifies it with a Verifier: every event's hash and link, the
// continuity of sequence numbers from 1, every checkpoint's signature
// and hash, and that the export ends with a checkpoint of its last event.
// Checkpoints are checked against keys; with none, against the keys in
// the export's header (Report.KeysFromHeader tells). It reads the stream
// once in constant memory (bounded by the longest line).
//
// The error is a *Failure (also in Report.Failure) when the export is bad,
// naming the first bad sequence number; any other error is a read error,
// and the report then covers what was read.
func VerifyStream(r io.Reader, keys ...ed25519.PublicKey) (Report, error) {
	return VerifyStreamWith(r, VerifyOptions{Keys: keys})
}

// VerifyStreamWith is VerifyStream configured by o; with o.Since it also
// proves that the export extends that earlier checkpoint. When o.Keys is
// empty the header's keys are used, and the earlier checkpoint must
// verify with one of them.
func VerifyStreamWith(r io.Reader, o VerifyOptions) (Report, error) {
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
	fromHeader := len(o.Keys) == 0
	if fromHeader {
		o.Keys = h.keys()
	}
	v := NewVerifierWith(h.Chain, o)
	v.report.KeysFromHeader = fromHeader && len(o.Keys) > 0
	if err := v.Err(); err != nil {
		return v.Report(), err
	}
	var rec Record
	for {
		err := rd.next(&rec, false)
		if err == io.EOF {
			err = v.Finish()
			return v.Report(), err
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
