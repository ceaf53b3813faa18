package ledger

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
)

var t0 = time.Date(2013, 5, 14, 9, 30, 0, 125e6, time.UTC)

func newEvent(seq int64, vis, payload string) Event {
	return Event{
		Chain:      "wtpf13",
		Seq:        seq,
		At:         t0.Add(time.Duration(seq) * time.Second),
		Actor:      "u7",
		Type:       "amendment.submitted",
		Visibility: vis,
		Payload:    json.RawMessage(payload),
	}
}

// TestCanonicalKnownAnswer pins the canonical encoding and hash of one
// event, byte by byte, so that any change to the format is deliberate.
func TestCanonicalKnownAnswer(t *testing.T) {
	e := Event{
		Chain:      "f1",
		Seq:        2,
		At:         time.Date(2013, 5, 14, 9, 30, 0, 125e6, time.UTC),
		Actor:      "u7",
		Type:       "forum.created",
		Visibility: "public",
		Payload:    json.RawMessage(`{ "name" : "WTPF-13", "days": 3 }`),
		PrevHash:   strings.Repeat("ab", 32),
	}
	payloadSum := sha256.Sum256([]byte(`{"days":3,"name":"WTPF-13"}`))
	want := "plenary-event/v1\n" +
		"\x00\x00\x00\x02f1" +
		"\x00\x00\x00\x00\x00\x00\x00\x02" +
		"\x00\x00\x01\x3e\xa2\x5f\xfe\x3d" + // 1368523800125 ms
		"\x00\x00\x00\x02u7" +
		"\x00\x00\x00\x0dforum.created" +
		"\x00\x00\x00\x06public" +
		string(payloadSum[:]) +
		strings.Repeat("\xab", 32)
	if e.At.UnixMilli() != 1368523800125 {
		t.Fatalf("test time is %d ms", e.At.UnixMilli())
	}
	got := e.Canonical()
	if string(got) != want {
		t.Fatalf("Canonical()\n got %x\nwant %x", got, want)
	}
	sum := sha256.Sum256([]byte(want))
	const golden = "8c21c4590858f880eae454b9e23d307246f4c5697054b7558224565e544ab299" // computed independently with Python hashlib
	if h := hex.EncodeToString(sum[:]); h != golden {
		t.Errorf("hash of the known answer is %s, want %s", h, golden)
	}
	e.Hash = golden
	if err := e.CheckHash(); err != nil {
		t.Errorf("CheckHash of the known answer: %v", err)
	}

	// With a salt the payload digest is HMAC-SHA-256 keyed by it.
	e.Salt = strings.Repeat("01", 32)
	e.Visibility = VisSecretariat
	m := hmac.New(sha256.New, []byte(strings.Repeat("\x01", 32)))
	m.Write([]byte(`{"days":3,"name":"WTPF-13"}`))
	got = e.Canonical()
	off := len("plenary-event/v1\n") + 6 + 16 + 6 + 17 + 4 + len(VisSecretariat)
	if string(got[off:off+32]) != string(m.Sum(nil)) {
		t.Errorf("salted payload digest %x, want %x", got[off:off+32], m.Sum(nil))
	}
}

func TestSeal(t *testing.T) {
	first := newEvent(0, VisPublic, `{"b":2, "a":1}`)
	if err := Seal(nil, &first); err != nil {
		t.Fatal(err)
	}
	if first.Seq != 1 || first.PrevHash != "" || len(first.Hash) != 64 {
		t.Fatalf("first event: seq %d prev %q hash %q", first.Seq, first.PrevHash, first.Hash)
	}
	if string(first.Payload) != `{"a":1,"b":2}` {
		t.Errorf("payload not canonicalised: %s", first.Payload)
	}
	if first.Salt != "" {
		t.Errorf("public event got a salt")
	}
	if err := first.CheckHash(); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(first.Canonical())
	if hex.EncodeToString(sum[:]) != first.Hash {
		t.Error("Hash is not the SHA-256 of Canonical()")
	}

	second := newEvent(2, VisMembers, `{}`)
	if err := Seal(&first, &second); err != nil {
		t.Fatal(err)
	}
	if second.PrevHash != first.Hash {
		t.Error("second event does not link to the first")
	}
	if _, ok := decodeHash(second.Salt); !ok {
		t.Errorf("non-public event salt %q", second.Salt)
	}
	if err := second.CheckHash(); err != nil {
		t.Fatal(err)
	}

	// SealAfter with only the head's seq and hash, as a store keeps them.
	third := newEvent(0, VisParty("FR"), ``)
	if err := SealAfter(Head{Seq: second.Seq, Hash: second.Hash}, &third); err != nil {
		t.Fatal(err)
	}
	if third.Seq != 3 || third.PrevHash != second.Hash || string(third.Payload) != `{}` {
		t.Errorf("third: seq %d prev %q payload %s", third.Seq, third.PrevHash, third.Payload)
	}

	// Two events with the same payload have different salts, so their
	// redacted digests differ.
	a, b := newEvent(1, VisSecretariat, `{"vote":"yes"}`), newEvent(1, VisSecretariat, `{"vote":"yes"}`)
	if err := Seal(nil, &a); err != nil {
		t.Fatal(err)
	}
	if err := Seal(nil, &b); err != nil {
		t.Fatal(err)
	}
	ra, _ := a.Redact()
	rb, _ := b.Redact()
	yes := sha256.Sum256([]byte(`{"vote":"yes"}`))
	if ra.PayloadHash == rb.PayloadHash || ra.PayloadHash == hex.EncodeToString(yes[:]) {
		t.Error("salted payload digests can be guessed")
	}
}

func TestSealErrors(t *testing.T) {
	prev := newEvent(0, VisPublic, `{}`)
	if err := Seal(nil, &prev); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edit  func(*Event)
		field string
	}{
		{"seq gap", func(e *Event) { e.Seq = 3 }, "seq"},
		{"seq repeat", func(e *Event) { e.Seq = 1 }, "seq"},
		{"other chain", func(e *Event) { e.Chain = "other" }, "chain"},
		{"empty type", func(e *Event) { e.Type = "" }, "type"},
		{"type uppercase", func(e *Event) { e.Type = "Forum.Created" }, "type"},
		{"type with space", func(e *Event) { e.Type = "forum created" }, "type"},
		{"type too long", func(e *Event) { e.Type = "a" + strings.Repeat("b", MaxTypeLen) }, "type"},
		{"empty visibility", func(e *Event) { e.Visibility = "" }, "visibility"},
		{"bad visibility", func(e *Event) { e.Visibility = "everyone" }, "visibility"},
		{"empty party", func(e *Event) { e.Visibility = "party:" }, "visibility"},
		{"payload array", func(e *Event) { e.Payload = json.RawMessage(`[1]`) }, "payload"},
		{"payload null", func(e *Event) { e.Payload = json.RawMessage(`null`) }, "payload"},
		{"payload string", func(e *Event) { e.Payload = json.RawMessage(`"x"`) }, "payload"},
		{"payload invalid", func(e *Event) { e.Payload = json.RawMessage(`{"a":}`) }, "payload"},
		{"payload duplicate key", func(e *Event) { e.Payload = json.RawMessage(`{"a":1,"a":2}`) }, "payload"},
		{"at zero", func(e *Event) { e.At = time.Time{} }, "at"},
		{"at sub-millisecond", func(e *Event) { e.At = e.At.Add(time.Microsecond) }, "at"},
		{"at not UTC", func(e *Event) { e.At = e.At.In(time.FixedZone("CEST", 7200)) }, "at"},
		{"empty actor", func(e *Event) { e.Actor = "" }, "actor"},
		{"actor control", func(e *Event) { e.Actor = "u\n7" }, "actor"},
		{"actor bad UTF-8", func(e *Event) { e.Actor = "u\xff" }, "actor"},
		{"actor too long", func(e *Event) { e.Actor = strings.Repeat("u", MaxActorLen+1) }, "actor"},
		{"bad salt", func(e *Event) { e.Visibility = VisMembers; e.Salt = "XYZ" }, "salt"},
		{"uppercase salt", func(e *Event) { e.Visibility = VisMembers; e.Salt = strings.Repeat("AB", 32) }, "salt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEvent(2, VisPublic, `{"x":1}`)
			tt.edit(&e)
			before := e
			err := Seal(&prev, &e)
			if err == nil {
				t.Fatal("Seal accepted a bad event")
			}
			var pe *plenary.Error
			if !errors.As(err, &pe) || pe.Code != plenary.CodeInvalid || pe.Field != tt.field {
				t.Errorf("Seal error = %v, want invalid on field %q", err, tt.field)
			}
			if !reflect.DeepEqual(e, before) {
				t.Error("Seal changed the event on error")
			}
		})
	}
	// A chain id must be an id.
	e := newEvent(1, VisPublic, `{}`)
	e.Chain = "a forum"
	if err := Seal(nil, &e); err == nil {
		t.Error("Seal accepted chain id with a space")
	}
	// A bad head is refused.
	e = newEvent(0, VisPublic, `{}`)
	if err := SealAfter(Head{Seq: 4, Hash: "xyz"}, &e); err == nil {
		t.Error("SealAfter accepted a head with a bad hash")
	}
	if err := SealAfter(Head{Seq: 0, Hash: prev.Hash}, &e); err == nil {
		t.Error("SealAfter accepted an empty head with a hash")
	}
}

func TestCheckHashDetectsChanges(t *testing.T) {
	var prev Event
	for i := 1; i <= 2; i++ {
		e := newEvent(int64(i), VisMembers, `{"text":"is of the view"}`)
		var p *Event
		if i == 2 {
			p = &prev
		}
		if err := Seal(p, &e); err != nil {
			t.Fatal(err)
		}
		prev = e
	}
	good := prev
	edits := map[string]func(*Event){
		"chain":      func(e *Event) { e.Chain = "wtpf12" },
		"seq":        func(e *Event) { e.Seq = 3 },
		"at":         func(e *Event) { e.At = e.At.Add(time.Millisecond) },
		"actor":      func(e *Event) { e.Actor = "u8" },
		"type":       func(e *Event) { e.Type = "amendment.withdrawn" },
		"visibility": func(e *Event) { e.Visibility = VisPublic },
		"payload":    func(e *Event) { e.Payload = json.RawMessage(`{"text":"is of the View"}`) },
		"salt":       func(e *Event) { e.Salt = strings.Repeat("0", 64) },
		"prev_hash":  func(e *Event) { e.PrevHash = strings.Repeat("0", 64) },
		"hash":       func(e *Event) { e.Hash = strings.Repeat("0", 64) },
	}
	for name, edit := range edits {
		e := good
		e.Payload = append(json.RawMessage(nil), good.Payload...)
		edit(&e)
		if err := e.CheckHash(); err == nil {
			t.Errorf("changing %s went unnoticed", name)
		}
	}
	// Representation changes that keep the meaning keep the hash.
	same := good
	same.Payload = json.RawMessage(`{ "text" : "is of the \u0076iew" }`)
	same.At = good.At.In(time.FixedZone("CEST", 7200))
	if err := same.CheckHash(); err != nil {
		t.Errorf("equivalent representation: %v", err)
	}
	if err := good.CheckHash(); err != nil {
		t.Fatal(err)
	}
	// Canonical returns nil when the event cannot be encoded.
	bad := good
	bad.Payload = json.RawMessage(`{`)
	if bad.Canonical() != nil {
		t.Error("Canonical of a bad payload is not nil")
	}
}

func TestRedact(t *testing.T) {
	pub := newEvent(1, VisPublic, `{"title":"Draft Opinion 1"}`)
	if err := Seal(nil, &pub); err != nil {
		t.Fatal(err)
	}
	sec := newEvent(2, VisSecretariat, `{"note":"hold until Friday"}`)
	if err := Seal(&pub, &sec); err != nil {
		t.Fatal(err)
	}
	for _, e := range []Event{pub, sec} {
		r, err := e.Redact()
		if err != nil {
			t.Fatal(err)
		}
		if r.Payload != nil || r.Salt != "" || !r.Redacted() {
			t.Errorf("event %d: redacted form keeps payload or salt: %+v", e.Seq, r)
		}
		if r.Hash != e.Hash || r.PrevHash != e.PrevHash {
			t.Errorf("event %d: redaction changed the hashes", e.Seq)
		}
		if err := r.CheckHash(); err != nil {
			t.Errorf("event %d: redacted event does not verify: %v", e.Seq, err)
		}
		if string(r.Canonical()) != string(e.Canonical()) {
			t.Errorf("event %d: redacted encoding differs", e.Seq)
		}
		again, err := r.Redact()
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Errorf("event %d: redacting twice: %v", e.Seq, err)
		}
		// A full event may carry payload_hash too, if it matches.
		both := e
		both.PayloadHash = r.PayloadHash
		if err := both.CheckHash(); err != nil {
			t.Errorf("event %d: full event with its payload_hash: %v", e.Seq, err)
		}
		both.PayloadHash = strings.Repeat("0", 64)
		if err := both.CheckHash(); err == nil {
			t.Errorf("event %d: wrong payload_hash accepted", e.Seq)
		}
	}
	// A public event's digest is the plain SHA-256 of its payload.
	r, _ := pub.Redact()
	sum := sha256.Sum256([]byte(`{"title":"Draft Opinion 1"}`))
	if r.PayloadHash != hex.EncodeToString(sum[:]) {
		t.Error("public payload digest is not SHA-256 of the canonical payload")
	}
	// A stub with a salt, or with neither payload nor digest, is refused.
	bad := r
	bad.Salt = strings.Repeat("01", 32)
	if bad.CheckHash() == nil {
		t.Error("stub with salt accepted")
	}
	bad = r
	bad.PayloadHash = ""
	if bad.CheckHash() == nil {
		t.Error("event with neither payload nor payload_hash accepted")
	}
	if _, err := bad.Redact(); err == nil {
		t.Error("Redact of an event with no payload succeeded")
	}
}
