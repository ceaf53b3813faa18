package ledger

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
)

// SiteChain is the chain of events that belong to no forum, such as
// accounts.
const SiteChain = "site"

// SystemActor is the actor of events the server makes on its own.
const SystemActor = "system"

// Field limits checked by Seal and by verification.
const (
	MaxTypeLen  = 128 // longest event type
	MaxActorLen = 256 // longest actor, in bytes
)

// encodingTag opens every canonical event encoding; it names the version
// of the encoding.
const encodingTag = "plenary-event/v1\n"

// Event is one entry of a chain. Chain is a forum id, or SiteChain for
// events that belong to no forum (accounts).
//
// A full event carries its Payload. A redacted event (see Redact) carries
// PayloadHash instead, and still verifies: the hash commits to the payload
// only through its digest. Events that are not public carry a random Salt
// that keys the payload digest, so that a redacted payload cannot be
// guessed by hashing candidates; see the package documentation.
type Event struct {
	Chain      string          `json:"chain"`
	Seq        int64           `json:"seq"`        // 1, 2, 3... per chain, no gaps
	At         time.Time       `json:"at"`         // UTC, millisecond precision
	Actor      string          `json:"actor"`      // user id, or "system"
	Type       string          `json:"type"`       // e.g. "forum.created", "amendment.submitted"
	Visibility string          `json:"visibility"` // "public", "members", "party:<id>", "secretariat"
	Payload    json.RawMessage `json:"payload,omitempty"`
	// PayloadHash is the payload digest, hex: set on redacted events,
	// empty on full events (where it is recomputed from Payload).
	PayloadHash string `json:"payload_hash,omitempty"`
	// Salt is 64 lowercase hex digits (32 random bytes) on events that are
	// not public, set by Seal; empty on public events and on redacted ones.
	Salt string `json:"salt,omitempty"`
	// PrevHash is the Hash of the previous event, "" for seq 1.
	PrevHash string `json:"prev_hash"`
	// Hash is the hex SHA-256 of Canonical().
	Hash string `json:"hash"`
}

// Head identifies the last event of a chain: the point a new event is
// sealed after, and what a checkpoint signs. The zero Head, or one with
// only Chain set, is the head of an empty chain.
type Head struct {
	Chain string `json:"chain"`
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
}

// Head returns the head of the chain that ends with e.
func (e *Event) Head() Head { return Head{Chain: e.Chain, Seq: e.Seq, Hash: e.Hash} }

// Redacted reports whether e is a redacted event: no payload, only its
// digest.
func (e *Event) Redacted() bool { return len(e.Payload) == 0 && e.PayloadHash != "" }

// Seal checks e as the event after prev (nil when e is the first event of
// its chain) and sets its hashes; see SealAfter.
func Seal(prev *Event, e *Event) error {
	if prev == nil {
		return SealAfter(Head{}, e)
	}
	return SealAfter(prev.Head(), e)
}

// SealAfter checks e as the next event after head and, when it is valid,
// completes it:
//
//   - Seq: 0 is replaced by head.Seq+1; any other value must equal it;
//   - Chain must be a valid id and equal head.Chain when that is set;
//   - At must be non-zero, in UTC and whole milliseconds;
//   - Actor must be 1 to MaxActorLen bytes of UTF-8 without control
//     characters; Type must match [a-z][a-z0-9._-]* up to MaxTypeLen;
//     Visibility must be well-formed (see ParseVisibility);
//   - Payload must be a JSON object (empty means {}); it is replaced by its
//     canonical form (see CanonicalJSON), which is what the store should
//     keep;
//   - Salt: when the event is not public and Salt is empty, 32 random
//     bytes are drawn; a Salt given by the caller must be 64 lowercase hex
//     digits;
//   - PayloadHash is cleared, PrevHash set to head.Hash, and Hash computed.
//
// On error e is left unchanged. Errors are *plenary.Error with code
// invalid, naming the field.
func SealAfter(head Head, e *Event) error {
	ev := *e
	if ev.Seq == 0 {
		ev.Seq = head.Seq + 1
	}
	if head.Seq < 0 {
		return plenary.Invalid("seq", "head seq %d is negative", head.Seq)
	}
	if head.Chain != "" && ev.Chain != head.Chain {
		return plenary.Invalid("chain", "event chain %q does not match head chain %q", ev.Chain, head.Chain)
	}
	if ev.Seq != head.Seq+1 {
		return plenary.Invalid("seq", "is %d, want %d (the head of chain %s is %d)", ev.Seq, head.Seq+1, ev.Chain, head.Seq)
	}
	switch {
	case head.Seq == 0 && head.Hash != "":
		return plenary.Invalid("prev_hash", "head of an empty chain has hash %q", head.Hash)
	case head.Seq > 0:
		if _, ok := decodeHash(head.Hash); !ok {
			return plenary.Invalid("prev_hash", "head hash %q is not 64 lowercase hex digits", head.Hash)
		}
	}
	if !ev.At.IsZero() && ev.At.Location() != time.UTC {
		return plenary.Invalid("at", "%s is not in UTC", ev.At)
	}
	if len(ev.Payload) == 0 {
		ev.Payload = json.RawMessage("{}")
	}
	canon, err := CanonicalJSON(ev.Payload)
	if err != nil {
		return plenary.Invalid("payload", "%v", err)
	}
	if canon[0] != '{' {
		return plenary.Invalid("payload", "is not a JSON object")
	}
	ev.Payload = canon
	ev.PayloadHash = ""
	if ev.Salt == "" && ev.Visibility != VisPublic {
		var salt [32]byte
		_, _ = rand.Read(salt[:]) // crypto/rand.Read never fails
		ev.Salt = hex.EncodeToString(salt[:])
	}
	ev.PrevHash = head.Hash
	if p := validate(&ev); p != nil {
		return plenary.Invalid(p.field, "%s", p.msg)
	}
	var c canonicalizer
	sum, _, p := hashEvent(&c, nil, &ev)
	if p != nil {
		return plenary.Invalid(p.field, "%s", p.msg)
	}
	ev.Hash = hex.EncodeToString(sum[:])
	*e = ev
	return nil
}

// Canonical returns the canonical encoding of e, version 1, the bytes
// Hash is the SHA-256 of:
//
//	"plenary-event/v1\n" str(chain) u64(seq) i64(at in Unix milliseconds)
//	str(actor) str(type) str(visibility) payload_digest[32] prev_hash[32]
//
// where str(s) is the big-endian u32 length of s then its bytes, integers
// are big-endian, prev_hash is 32 zero bytes for seq 1, and
// payload_digest is SHA-256(CanonicalJSON(payload)), or
// HMAC-SHA-256(salt, CanonicalJSON(payload)) when there is a salt, or the
// decoded PayloadHash of a redacted event. The package documentation
// explains each choice. It returns nil when
// e cannot be encoded: a payload that is not canonicalisable JSON, a
// missing payload without a PayloadHash, or a malformed Salt, PayloadHash
// or PrevHash. Canonical does not check the other fields; CheckHash does.
func (e *Event) Canonical() []byte {
	var c canonicalizer
	_, enc, p := hashEvent(&c, nil, e)
	if p != nil {
		return nil
	}
	return enc
}

// CheckHash checks that e is well-formed (as SealAfter requires, except
// that At may be in any location) and that Hash is the SHA-256 of its
// canonical encoding. It cannot check PrevHash against the previous event;
// a Verifier does. Errors are *plenary.Error with code invalid, naming the
// field.
func (e Event) CheckHash() error {
	if p := validate(&e); p != nil {
		return plenary.Invalid(p.field, "%s", p.msg)
	}
	var c canonicalizer
	sum, _, p := hashEvent(&c, nil, &e)
	if p != nil {
		return plenary.Invalid(p.field, "%s", p.msg)
	}
	if !hashIs(sum, e.Hash) {
		return plenary.Invalid("hash", "does not match the event (hash mismatch)")
	}
	return nil
}

// Redact returns e with its payload withheld: Payload and Salt are removed
// and PayloadHash holds the payload digest, so that the redacted event
// keeps its Hash and still verifies. Redacting a redacted event returns it
// unchanged.
func (e Event) Redact() (Event, error) {
	if len(e.Payload) == 0 {
		if e.PayloadHash == "" {
			return Event{}, plenary.Invalid("payload", "event %d has neither payload nor payload_hash", e.Seq)
		}
		return e, nil
	}
	var c canonicalizer
	d, p := payloadDigest(&c, &e)
	if p != nil {
		return Event{}, plenary.Invalid(p.field, "%s", p.msg)
	}
	e.Payload = nil
	e.Salt = ""
	e.PayloadHash = hex.EncodeToString(d[:])
	return e, nil
}

// problem is a field-level defect of an event.
type problem struct{ field, msg string }

func (p *problem) String() string { return p.field + ": " + p.msg }

func newProblem(field, format string, args ...any) *problem {
	return &problem{field: field, msg: fmt.Sprintf(format, args...)}
}

// validate checks the fields of e that the hash does not: their form, and
// the relation between Seq and PrevHash.
func validate(e *Event) *problem {
	if err := checkID(e.Chain); err != nil {
		return newProblem("chain", "%v", err)
	}
	if e.Seq < 1 {
		return newProblem("seq", "is %d, must be 1 or more", e.Seq)
	}
	if e.At.IsZero() {
		return newProblem("at", "is missing")
	}
	if y := e.At.Year(); y < 1 || y > 9999 {
		return newProblem("at", "year %d is out of range", y)
	}
	if e.At.Nanosecond()%int(time.Millisecond) != 0 {
		return newProblem("at", "%s has sub-millisecond precision", e.At.Format(time.RFC3339Nano))
	}
	if p := checkActor(e.Actor); p != nil {
		return p
	}
	if p := checkType(e.Type); p != nil {
		return p
	}
	if _, _, err := ParseVisibility(e.Visibility); err != nil {
		return newProblem("visibility", "%v", err)
	}
	if e.Seq == 1 {
		if e.PrevHash != "" {
			return newProblem("prev_hash", "must be empty for seq 1")
		}
	} else if _, ok := decodeHash(e.PrevHash); !ok {
		return newProblem("prev_hash", "is not 64 lowercase hex digits")
	}
	return nil
}

func checkActor(a string) *problem {
	if a == "" {
		return newProblem("actor", "is empty")
	}
	if len(a) > MaxActorLen {
		return newProblem("actor", "is longer than %d bytes", MaxActorLen)
	}
	if !utf8.ValidString(a) {
		return newProblem("actor", "is not valid UTF-8")
	}
	for _, r := range a {
		if r < 0x20 || r == 0x7f {
			return newProblem("actor", "has a control character")
		}
	}
	return nil
}

func checkType(t string) *problem {
	if t == "" {
		return newProblem("type", "is empty")
	}
	if len(t) > MaxTypeLen {
		return newProblem("type", "is longer than %d characters", MaxTypeLen)
	}
	if t[0] < 'a' || t[0] > 'z' {
		return newProblem("type", "%q must start with a lowercase letter", t)
	}
	for i := 1; i < len(t); i++ {
		b := t[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '.' || b == '_' || b == '-') {
			return newProblem("type", "%q has %q: only a-z 0-9 . _ - are allowed", t, b)
		}
	}
	return nil
}

// payloadDigest returns the digest the encoding commits to: for a full
// event SHA-256 of the canonical payload, or HMAC-SHA-256 keyed with the
// salt; for a redacted event the decoded PayloadHash.
func payloadDigest(c *canonicalizer, e *Event) ([32]byte, *problem) {
	var d [32]byte
	if len(e.Payload) == 0 {
		if e.PayloadHash == "" {
			return d, newProblem("payload", "is missing and there is no payload_hash")
		}
		if e.Salt != "" {
			return d, newProblem("salt", "is present without a payload")
		}
		d, ok := decodeHash(e.PayloadHash)
		if !ok {
			return d, newProblem("payload_hash", "is not 64 lowercase hex digits")
		}
		return d, nil
	}
	canon, err := c.canonical(c.payload[:0], e.Payload)
	if canon != nil {
		c.payload = canon[:0] // keep the buffer for the next event
	}
	if err != nil {
		return d, newProblem("payload", "%v", err)
	}
	if canon[0] != '{' {
		return d, newProblem("payload", "is not a JSON object")
	}
	if e.Salt == "" {
		d = sha256.Sum256(canon)
	} else {
		salt, ok := decodeHash(e.Salt)
		if !ok {
			return d, newProblem("salt", "is not 64 lowercase hex digits")
		}
		d = hmacSHA256(salt[:], canon)
	}
	if e.PayloadHash != "" && !hashIs(d, e.PayloadHash) {
		return d, newProblem("payload_hash", "does not match the payload")
	}
	return d, nil
}

// hashEvent returns the SHA-256 of e's canonical encoding, and the
// encoding itself (appended to buf[:0]; the payload is canonicalised in
// c's own buffer).
func hashEvent(c *canonicalizer, buf []byte, e *Event) ([32]byte, []byte, *problem) {
	var sum [32]byte
	pd, p := payloadDigest(c, e)
	if p != nil {
		return sum, nil, p
	}
	var prev [32]byte
	if e.PrevHash != "" {
		var ok bool
		if prev, ok = decodeHash(e.PrevHash); !ok {
			return sum, nil, newProblem("prev_hash", "is not 64 lowercase hex digits")
		}
	}
	enc := appendCanonical(buf[:0], e, &pd, &prev)
	return sha256.Sum256(enc), enc, nil
}

// appendCanonical appends the canonical encoding of e, given its payload
// digest and previous hash, to dst.
func appendCanonical(dst []byte, e *Event, payloadDigest, prev *[32]byte) []byte {
	dst = append(dst, encodingTag...)
	dst = appendStr(dst, e.Chain)
	dst = binary.BigEndian.AppendUint64(dst, uint64(e.Seq))
	dst = binary.BigEndian.AppendUint64(dst, uint64(e.At.UnixMilli()))
	dst = appendStr(dst, e.Actor)
	dst = appendStr(dst, e.Type)
	dst = appendStr(dst, e.Visibility)
	dst = append(dst, payloadDigest[:]...)
	return append(dst, prev[:]...)
}

func appendStr(dst []byte, s string) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(s)))
	return append(dst, s...)
}

// decodeHash decodes 64 lowercase hex digits. Uppercase is refused so that
// each hash has exactly one written form.
func decodeHash(s string) ([32]byte, bool) {
	var h [32]byte
	if len(s) != 64 || strings.ContainsAny(s, "ABCDEF") {
		return h, false
	}
	var digits [64]byte
	copy(digits[:], s)
	if _, err := hex.Decode(h[:], digits[:]); err != nil {
		return [32]byte{}, false
	}
	return h, true
}

// hashIs reports whether s is the lowercase hex form of h.
func hashIs(h [32]byte, s string) bool {
	if len(s) != 64 {
		return false
	}
	var buf [64]byte
	hex.Encode(buf[:], h[:])
	return string(buf[:]) == s
}

// hmacSHA256 returns HMAC-SHA-256 (RFC 2104) of msg keyed with key.
func hmacSHA256(key, msg []byte) [32]byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	var d [32]byte
	copy(d[:], m.Sum(nil))
	return d
}
