package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// testVisibility spreads events over every visibility: seven in ten are
// public.
func testVisibility(seq int64) string {
	switch seq % 10 {
	case 7:
		return VisMembers
	case 8:
		return VisParty("FR")
	case 9:
		return VisSecretariat
	}
	return VisPublic
}

// testPayload is a realistic payload of about 200 bytes.
func testPayload(seq int64) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(
		`{"amendment":"0190%028x","provision":"op-%d","op":"MOD","text":"invites Member States to <share> best practices on IXPs (%d)","party":"FR","co_sponsors":["DE","BR","KE"],"contribution":"WTPF-13/%d"}`,
		seq, seq%40, seq, seq%97))
}

// sealChain makes n sealed events on chain "wtpf13".
func sealChain(t testing.TB, n int) []Event {
	t.Helper()
	events := make([]Event, n)
	var prev *Event
	for i := range events {
		seq := int64(i + 1)
		e := Event{
			Chain:      "wtpf13",
			At:         t0.Add(time.Duration(seq) * 1500 * time.Millisecond),
			Actor:      fmt.Sprintf("0190a1b2c3d4e5f6%016x", seq%23),
			Type:       "amendment.submitted",
			Visibility: testVisibility(seq),
			Payload:    testPayload(seq),
		}
		if seq%50 == 0 {
			e.Actor, e.Type = SystemActor, "meeting.opened"
		}
		if err := Seal(prev, &e); err != nil {
			t.Fatal(err)
		}
		events[i] = e
		prev = &events[i]
	}
	return events
}

// testExport is an export split into lines, with the index of each
// event's and checkpoint's line.
type testExport struct {
	signer *Signer
	events []Event
	lines  []string
	ev     map[int64]int // seq -> line index of the event
	cp     map[int64]int // seq -> line index of the checkpoint
}

func (x *testExport) text(lines []string) string { return strings.Join(lines, "\n") + "\n" }

func (x *testExport) clone() []string { return append([]string(nil), x.lines...) }

// writeExport writes events as an export with a checkpoint every cpEvery
// events and one at the end.
func writeExport(t testing.TB, s *Signer, events []Event, cpEvery int64, show func(string) bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	h := Header{Chain: "wtpf13", PublicKey: s.PublicKeyBase64(), KeyID: s.KeyID(), ExportedAt: t0.Add(48 * time.Hour)}
	if show != nil {
		h.Filter = "public"
	}
	w, err := NewWriter(&buf, h, show)
	if err != nil {
		t.Fatal(err)
	}
	for i := range events {
		e := &events[i]
		if err := w.WriteEvent(*e); err != nil {
			t.Fatal(err)
		}
		if e.Seq%cpEvery == 0 || i == len(events)-1 {
			cp, err := s.Sign(e.Head(), e.At.Add(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteCheckpoint(cp); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func newTestExport(t testing.TB, n int, show func(string) bool) *testExport {
	t.Helper()
	x := &testExport{signer: testSigner(t, 1), ev: map[int64]int{}, cp: map[int64]int{}}
	x.events = sealChain(t, n)
	data := writeExport(t, x.signer, x.events, 100, show)
	x.lines = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i, l := range x.lines[1:] {
		var probe struct {
			Seq        int64
			Checkpoint *Checkpoint
		}
		if err := json.Unmarshal([]byte(l), &probe); err != nil {
			t.Fatal(err)
		}
		if probe.Checkpoint != nil {
			x.cp[probe.Checkpoint.Seq] = i + 1
		} else {
			x.ev[probe.Seq] = i + 1
		}
	}
	return x
}

// replaceIn replaces the first old in line i of lines, failing if absent.
func replaceIn(t *testing.T, lines []string, i int, old, new string) {
	t.Helper()
	if !strings.Contains(lines[i], old) {
		t.Fatalf("line %d has no %q: %s", i+1, old, lines[i])
	}
	lines[i] = strings.Replace(lines[i], old, new, 1)
}

// flipHex changes the hex digit at position i of the 64-digit value.
func flipHex(h string, i int) string {
	b := []byte(h)
	if b[i] == '0' {
		b[i] = '1'
	} else {
		b[i] = '0'
	}
	return string(b)
}

func TestExportRoundTrip(t *testing.T) {
	x := newTestExport(t, 250, nil)
	if !strings.HasPrefix(x.lines[0], `{"format":"plenary-ledger/v1","chain":"wtpf13","public_key":"`) {
		t.Errorf("header line: %s", x.lines[0])
	}
	if !strings.Contains(x.lines[x.ev[1]], `<share>`) {
		t.Errorf("payload was HTML-escaped: %s", x.lines[x.ev[1]])
	}
	if !strings.HasPrefix(x.lines[x.cp[100]], `{"checkpoint":{"chain":"wtpf13","seq":100,`) {
		t.Errorf("checkpoint line: %s", x.lines[x.cp[100]])
	}
	rd, err := NewReader(strings.NewReader(x.text(x.lines)))
	if err != nil {
		t.Fatal(err)
	}
	h := rd.Header()
	if h.Chain != "wtpf13" || h.KeyID != x.signer.KeyID() || !h.ExportedAt.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("header %+v", h)
	}
	var n, cps int
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case rec.Event != nil:
			want := x.events[n]
			if !reflect.DeepEqual(*rec.Event, want) {
				t.Fatalf("event %d read back as\n%+v\nwant\n%+v", n+1, *rec.Event, want)
			}
			if rec.Line != int64(x.ev[want.Seq]+1) {
				t.Errorf("event %d on line %d, want %d", want.Seq, rec.Line, x.ev[want.Seq]+1)
			}
			n++
		case rec.Checkpoint != nil:
			if err := VerifyCheckpoint(x.signer.Public(), *rec.Checkpoint); err != nil {
				t.Fatal(err)
			}
			cps++
		}
	}
	if n != 250 || cps != 3 {
		t.Errorf("read %d events and %d checkpoints, want 250 and 3", n, cps)
	}

	rep, err := VerifyStream(strings.NewReader(x.text(x.lines)), x.signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	want := Report{
		Chain: "wtpf13", KeyIDs: []string{x.signer.KeyID()}, Events: 250, Checkpoints: 3,
		Head: x.events[249].Head(), LastCheckpoint: 250, LastCheckpointAt: x.events[249].At.Add(time.Second),
	}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report\n%+v\nwant\n%+v", rep, want)
	}
	if !rep.OK() || rep.Unsigned() != 0 || !strings.Contains(rep.String(), "OK: 250 events") {
		t.Errorf("report: %s", rep)
	}
	// Without a key, the header's key is used, and the report says so.
	rep, err = VerifyStream(strings.NewReader(x.text(x.lines)))
	if err != nil || !rep.KeysFromHeader || rep.Checkpoints != 3 {
		t.Errorf("verify with header key: %v, %+v", err, rep)
	}
	// CRLF line endings and a missing final newline are accepted.
	crlf := strings.Join(x.lines, "\r\n")
	if _, err := VerifyStream(strings.NewReader(crlf), x.signer.Public()); err != nil {
		t.Errorf("CRLF export: %v", err)
	}
}

func TestWriterRefusesDisorder(t *testing.T) {
	s := testSigner(t, 1)
	events := sealChain(t, 3)
	w, err := NewWriter(io.Discard, Header{Chain: "wtpf13"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cp, _ := s.Sign(events[0].Head(), t0)
	if err := w.WriteCheckpoint(cp); err == nil {
		t.Error("checkpoint before its event accepted")
	}
	if err := w.WriteEvent(events[1]); err == nil {
		t.Error("event 2 accepted first")
	}
	if err := w.WriteEvent(events[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteCheckpoint(cp); err != nil {
		t.Fatal(err)
	}
	other := events[1]
	other.Chain = "wcit12"
	if err := w.WriteEvent(other); err == nil {
		t.Error("event of another chain accepted")
	}
	if w.Head() != events[0].Head() {
		t.Errorf("head %+v", w.Head())
	}
	if _, err := NewWriter(io.Discard, Header{Chain: "bad chain"}, nil); err == nil {
		t.Error("header with a bad chain accepted")
	}
	if _, err := NewWriter(io.Discard, Header{Chain: "c", PublicKey: s.PublicKeyBase64(), KeyID: "0000000000000000"}, nil); err == nil {
		t.Error("header with a wrong key id accepted")
	}
}

// TestTamper changes an export in one place at a time; verification must
// name exactly the first bad sequence number.
func TestTamper(t *testing.T) {
	x := newTestExport(t, 1000, nil)
	other := testSigner(t, 2)
	ev := func(lines []string, seq int64) *string { return &lines[x.ev[seq]] }
	tests := []struct {
		name   string
		mutate func(t *testing.T, lines []string) []string
		keys   []ed25519.PublicKey // nil: the signer's key
		kind   FailureKind         // "" when the export must still verify
		seq    int64
		reason string
		head   int64 // the report's head, when not seq-1 (events verified past the failure)
	}{
		{
			name: "payload byte",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[437], `"text":"invites`, `"text":"Invites`)
				return l
			},
			kind: FailEvent, seq: 437, reason: "hash mismatch",
		},
		{
			name: "payload number",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[438], `(438)`, `(439)`)
				return l
			},
			kind: FailEvent, seq: 438, reason: "hash mismatch",
		},
		{
			name: "payload key order and spacing (same meaning)",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[437], `{"amendment":`, `{ "op" : "MOD", "amendment" :`)
				replaceIn(t, l, x.ev[437], `,"op":"MOD"`, ``)
				return l
			},
		},
		{
			name: "hash byte",
			mutate: func(t *testing.T, l []string) []string {
				h := x.events[511].Hash
				replaceIn(t, l, x.ev[512], `"hash":"`+h, `"hash":"`+flipHex(h, 40))
				return l
			},
			kind: FailEvent, seq: 512, reason: "hash mismatch",
		},
		{
			name: "prev_hash byte",
			mutate: func(t *testing.T, l []string) []string {
				h := x.events[10].Hash
				replaceIn(t, l, x.ev[12], `"prev_hash":"`+h, `"prev_hash":"`+flipHex(h, 0))
				return l
			},
			kind: FailEvent, seq: 12, reason: "prev_hash does not match event 11",
		},
		{
			name: "time one millisecond later",
			mutate: func(t *testing.T, l []string) []string {
				at := x.events[89].At.Format(time.RFC3339Nano)
				replaceIn(t, l, x.ev[90], at, x.events[89].At.Add(time.Millisecond).Format(time.RFC3339Nano))
				return l
			},
			kind: FailEvent, seq: 90, reason: "hash mismatch",
		},
		{
			name: "visibility widened",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[99], `"visibility":"secretariat"`, `"visibility":"public"`)
				return l
			},
			kind: FailEvent, seq: 99, reason: "hash mismatch",
		},
		{
			name: "actor changed",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[150], `"actor":"system"`, `"actor":"u1"`)
				return l
			},
			kind: FailEvent, seq: 150, reason: "hash mismatch",
		},
		{
			name: "type changed",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[151], `amendment.submitted`, `amendment.withdrawn`)
				return l
			},
			kind: FailEvent, seq: 151, reason: "hash mismatch",
		},
		{
			name: "salt changed",
			mutate: func(t *testing.T, l []string) []string {
				s := x.events[208].Salt
				replaceIn(t, l, x.ev[209], s, flipHex(s, 63))
				return l
			},
			kind: FailEvent, seq: 209, reason: "hash mismatch",
		},
		{
			name: "delete an event line",
			mutate: func(t *testing.T, l []string) []string {
				return append(l[:x.ev[700]], l[x.ev[700]+1:]...)
			},
			kind: FailEvent, seq: 700, reason: "missing (checkpoint at 700 found in its place)",
		},
		{
			name: "delete an event line before another event",
			mutate: func(t *testing.T, l []string) []string {
				return append(l[:x.ev[701]], l[x.ev[701]+1:]...)
			},
			kind: FailEvent, seq: 701, reason: "missing (found event 702 in its place)",
		},
		{
			name: "delete the events since the last checkpoint",
			mutate: func(t *testing.T, l []string) []string {
				return append(l[:x.ev[601]], l[x.ev[700]+1:]...)
			},
			kind: FailEvent, seq: 601, reason: "missing (checkpoint at 700 found in its place)",
		},
		{
			name: "delete the first event",
			mutate: func(t *testing.T, l []string) []string {
				return append(l[:x.ev[1]], l[x.ev[1]+1:]...)
			},
			kind: FailEvent, seq: 1, reason: "missing (found event 2 in its place)",
		},
		{
			name: "swap two event lines",
			mutate: func(t *testing.T, l []string) []string {
				l[x.ev[250]], l[x.ev[251]] = l[x.ev[251]], l[x.ev[250]]
				return l
			},
			kind: FailEvent, seq: 250, reason: "missing (found event 251 in its place)",
		},
		{
			name: "duplicate an event line",
			mutate: func(t *testing.T, l []string) []string {
				i := x.ev[300]
				return append(l[:i+1], append([]string{l[i]}, l[i+1:]...)...)
			},
			kind: FailEvent, seq: 301, reason: "missing (found event 300 in its place)",
		},
		{
			name: "seq renumbered",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[800], `"seq":800`, `"seq":801`)
				return l
			},
			kind: FailEvent, seq: 800, reason: "missing (found event 801 in its place)",
		},
		{
			name: "event moved to another chain",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[50], `"chain":"wtpf13"`, `"chain":"wcit12"`)
				return l
			},
			kind: FailEvent, seq: 50, reason: `chain is "wcit12"`,
		},
		{
			name: "line cut short",
			mutate: func(t *testing.T, l []string) []string {
				*ev(l, 640) = (*ev(l, 640))[:120]
				return l
			},
			kind: FailEvent, seq: 640, reason: fmt.Sprintf("line %d: not a valid line", x.ev[640]+1),
		},
		{
			name: "unknown field",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[333], `{"chain"`, `{"note":"added later","chain"`)
				return l
			},
			kind: FailEvent, seq: 333, reason: `unknown field "note"`,
		},
		{
			name: "blank line",
			mutate: func(t *testing.T, l []string) []string {
				i := x.ev[20] + 1
				return append(l[:i], append([]string{""}, l[i:]...)...)
			},
			kind: FailEvent, seq: 21, reason: "blank line",
		},
		{
			name: "payload removed",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.ev[5], string(x.events[4].Payload), `{}`)
				replaceIn(t, l, x.ev[5], `"payload":{},`, ``)
				return l
			},
			kind: FailEvent, seq: 5, reason: "payload: is missing",
		},
		{
			name: "full event replaced by its redacted form (still verifies)",
			mutate: func(t *testing.T, l []string) []string {
				r, err := x.events[76].Redact()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(r)
				l[x.ev[77]] = string(b)
				return l
			},
		},
		{
			name: "checkpoint signature",
			mutate: func(t *testing.T, l []string) []string {
				var line checkpointLine
				json.Unmarshal([]byte(l[x.cp[500]]), &line)
				sig := line.Checkpoint.Signature
				replaceIn(t, l, x.cp[500], sig, flipBase64(sig, 20))
				return l
			},
			kind: FailCheckpoint, seq: 500, reason: "bad signature",
		},
		{
			name: "checkpoint hash and event hash both changed",
			mutate: func(t *testing.T, l []string) []string {
				h := x.events[499].Hash
				replaceIn(t, l, x.cp[500], h, flipHex(h, 5))
				return l
			},
			kind: FailCheckpoint, seq: 500, reason: "bad signature",
		},
		{
			name: "checkpoint moved after a later event",
			mutate: func(t *testing.T, l []string) []string {
				i := x.cp[500]
				l[i], l[i+1] = l[i+1], l[i]
				return l
			},
			kind: FailCheckpoint, seq: 500, reason: "out of place: it follows event 501",
		},
		{
			name: "checkpoint line cut short",
			mutate: func(t *testing.T, l []string) []string {
				l[x.cp[300]] = l[x.cp[300]][:60]
				return l
			},
			kind: FailCheckpoint, seq: 300, reason: "not a valid line",
		},
		{
			name: "checkpoint key id",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, x.cp[200], x.signer.KeyID(), other.KeyID())
				return l
			},
			kind: FailCheckpoint, seq: 200, reason: "signed by unknown key " + other.KeyID(),
		},
		{
			name: "event rewritten and the rest re-hashed",
			mutate: func(t *testing.T, l []string) []string {
				events := append([]Event(nil), x.events...)
				events[436].Payload = json.RawMessage(strings.Replace(string(events[436].Payload), "invites", "urges", 1))
				for i := 436; i < len(events); i++ {
					if err := Seal(&events[i-1], &events[i]); err != nil {
						t.Fatal(err)
					}
					b, _ := json.Marshal(events[i])
					l[x.ev[events[i].Seq]] = string(b)
				}
				return l
			},
			kind: FailCheckpoint, seq: 500, reason: "signed hash does not match event 500: events after checkpoint at 400 were rewritten",
		},
		{
			name:   "signed by a key the verifier does not trust",
			mutate: func(t *testing.T, l []string) []string { return l },
			keys:   []ed25519.PublicKey{other.Public()},
			kind:   FailCheckpoint, seq: 100, reason: "signed by unknown key " + x.signer.KeyID(),
		},
		{
			name: "header key replaced",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, 0, x.signer.PublicKeyBase64(), other.PublicKeyBase64())
				replaceIn(t, l, 0, x.signer.KeyID(), other.KeyID())
				return l
			},
			keys: []ed25519.PublicKey{},
			kind: FailCheckpoint, seq: 100, reason: "signed by unknown key " + x.signer.KeyID(),
		},
		{
			name: "header key id does not match its key",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, 0, x.signer.KeyID(), other.KeyID())
				return l
			},
			kind: FailHeader, seq: 0, reason: "does not match its public key",
		},
		{
			name: "header chain changed",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, 0, `"chain":"wtpf13"`, `"chain":"wcit12"`)
				return l
			},
			kind: FailEvent, seq: 1, reason: `chain is "wtpf13", expected "wcit12"`,
		},
		{
			name: "header format",
			mutate: func(t *testing.T, l []string) []string {
				replaceIn(t, l, 0, FormatV1, "plenary-ledger/v9")
				return l
			},
			kind: FailHeader, reason: `format is "plenary-ledger/v9"`,
		},
		{
			name:   "header missing",
			mutate: func(t *testing.T, l []string) []string { return l[1:] },
			kind:   FailHeader, reason: "unknown field",
		},
		{
			name:   "events after the last checkpoint cut off",
			mutate: func(t *testing.T, l []string) []string { return l[:x.ev[950]+1] },
			kind:   FailEvent, seq: 901, head: 950,
			reason: "not signed: the chain ends at event 950, but the last checkpoint signs event 900",
		},
		{
			name: "the last checkpoint deleted",
			mutate: func(t *testing.T, l []string) []string {
				return append(l[:x.cp[1000]], l[x.cp[1000]+1:]...)
			},
			kind: FailEvent, seq: 901, head: 1000,
			reason: "not signed: the chain ends at event 1000, but the last checkpoint signs event 900",
		},
		{
			name: "an event appended with a correct hash and no signature",
			mutate: func(t *testing.T, l []string) []string {
				e := Event{Chain: "wtpf13", At: x.events[999].At.Add(time.Second), Actor: "u1", Type: "amendment.submitted",
					Visibility: VisPublic, Payload: json.RawMessage(`{"text":"added by whoever holds the file"}`)}
				if err := Seal(&x.events[999], &e); err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(e)
				return append(l, string(b))
			},
			kind: FailEvent, seq: 1001, head: 1001,
			reason: "not signed: the chain ends at event 1001, but the last checkpoint signs event 1000",
		},
		{
			name: "every checkpoint deleted",
			mutate: func(t *testing.T, l []string) []string {
				var out []string
				for _, line := range l {
					if !strings.HasPrefix(line, `{"checkpoint"`) {
						out = append(out, line)
					}
				}
				return out
			},
			kind: FailEvent, seq: 1, head: 1000,
			reason: "not signed: no checkpoint signs any event of the chain (it ends at event 1000)",
		},
		{
			name:   "cut right after a checkpoint (verifies: only an earlier checkpoint shows the cut)",
			mutate: func(t *testing.T, l []string) []string { return l[:x.cp[700]+1] },
		},
		{
			name:   "a trailing blank line",
			mutate: func(t *testing.T, l []string) []string { return append(l, "") },
		},
		{
			name:   "several trailing blank lines, one with spaces, one with CRLF",
			mutate: func(t *testing.T, l []string) []string { return append(l, "", "  \t", "\r", "") },
		},
		{
			name: "a blank line before the final checkpoint",
			mutate: func(t *testing.T, l []string) []string {
				i := x.cp[1000]
				return append(l[:i], append([]string{""}, l[i:]...)...)
			},
			kind: FailEvent, seq: 1001, reason: "blank line",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := tt.mutate(t, x.clone())
			keys := tt.keys
			if keys == nil {
				keys = []ed25519.PublicKey{x.signer.Public()}
			}
			rep, err := VerifyStream(strings.NewReader(x.text(lines)), keys...)
			if tt.kind == "" {
				if err != nil {
					t.Fatalf("VerifyStream: %v", err)
				}
				return
			}
			var f *Failure
			if !errors.As(err, &f) {
				t.Fatalf("VerifyStream error %v, want a *Failure", err)
			}
			if f.Kind != tt.kind || f.Seq != tt.seq || !strings.Contains(f.Reason, tt.reason) {
				t.Errorf("VerifyStream: %v (kind %s, seq %d)\nwant kind %s, seq %d, reason containing %q", f, f.Kind, f.Seq, tt.kind, tt.seq, tt.reason)
			}
			if rep.Failure != f || rep.OK() {
				t.Error("report does not carry the failure")
			}
			wantHead := tt.head
			if wantHead == 0 && tt.kind == FailEvent {
				wantHead = tt.seq - 1
			}
			if tt.kind == FailEvent && rep.Head.Seq != wantHead {
				t.Errorf("report head %d, want %d", rep.Head.Seq, wantHead)
			}
		})
	}

	// A cut-off export fails, and the report counts the unsigned tail.
	rep, err := VerifyStream(strings.NewReader(x.text(x.lines[:x.ev[950]+1])), x.signer.Public())
	if err == nil || rep.OK() || rep.Unsigned() != 50 || rep.LastCheckpoint != 900 || rep.Events != 950 {
		t.Errorf("cut-off export: %v; unsigned %d, last checkpoint %d", err, rep.Unsigned(), rep.LastCheckpoint)
	}
	if !strings.Contains(rep.String(), "FAILED: event 901: not signed") {
		t.Errorf("report: %s", rep)
	}
}

func TestFailureText(t *testing.T) {
	for _, tt := range []struct {
		f    Failure
		want string
	}{
		{Failure{Kind: FailEvent, Seq: 4812, Reason: "hash mismatch"}, "event 4812: hash mismatch"},
		{Failure{Kind: FailEvent, Seq: 12, Reason: "prev_hash does not match event 11"}, "event 12: prev_hash does not match event 11"},
		{Failure{Kind: FailCheckpoint, Seq: 5000, Reason: "bad signature"}, "checkpoint at 5000: bad signature"},
		{Failure{Kind: FailHeader, Line: 1, Reason: `format is "", want "plenary-ledger/v1"`}, `header: format is "", want "plenary-ledger/v1"`},
	} {
		if got := tt.f.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// TestRedactedExport writes a public export: events that are not public
// appear as stubs without payload or salt, and the chain still verifies.
func TestRedactedExport(t *testing.T) {
	x := newTestExport(t, 300, ShowPublic)
	var redacted int
	for seq := int64(1); seq <= 300; seq++ {
		line := x.lines[x.ev[seq]]
		e := x.events[seq-1]
		if e.Visibility == VisPublic {
			if !strings.Contains(line, `"payload":{`) {
				t.Fatalf("public event %d lost its payload: %s", seq, line)
			}
			continue
		}
		redacted++
		if strings.Contains(line, `"payload"`) || strings.Contains(line, `"salt"`) || strings.Contains(line, "invites") || strings.Contains(line, e.Salt) {
			t.Fatalf("event %d (%s) is not redacted: %s", seq, e.Visibility, line)
		}
		for _, keep := range []string{`"payload_hash":"`, `"hash":"` + e.Hash, `"prev_hash":"` + e.PrevHash, `"type":"` + e.Type, `"visibility":"` + e.Visibility} {
			if !strings.Contains(line, keep) {
				t.Fatalf("stub of event %d lacks %s: %s", seq, keep, line)
			}
		}
	}
	if !strings.Contains(x.lines[0], `"filter":"public"`) {
		t.Errorf("header does not name the filter: %s", x.lines[0])
	}
	rep, err := VerifyStream(strings.NewReader(x.text(x.lines)), x.signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Events != 300 || rep.Redacted != int64(redacted) || redacted != 90 || rep.Checkpoints != 3 {
		t.Errorf("report %+v, want 300 events of which 90 redacted", rep)
	}

	// A stub whose digest is changed breaks the chain at that event.
	lines := x.clone()
	r, _ := x.events[8].Redact()
	replaceIn(t, lines, x.ev[9], r.PayloadHash, flipHex(r.PayloadHash, 7))
	_, err = VerifyStream(strings.NewReader(x.text(lines)), x.signer.Public())
	if err == nil || err.Error() != "event 9: hash mismatch" {
		t.Errorf("tampered stub: %v", err)
	}
	// So does a stub given a payload that is not the original.
	lines = x.clone()
	replaceIn(t, lines, x.ev[9], `"payload_hash":"`+r.PayloadHash+`"`, `"payload":{"note":"guess"},"salt":"`+strings.Repeat("ab", 32)+`"`)
	_, err = VerifyStream(strings.NewReader(x.text(lines)), x.signer.Public())
	if err == nil || err.Error() != "event 9: hash mismatch" {
		t.Errorf("stub with a guessed payload: %v", err)
	}
}

func TestVerifier(t *testing.T) {
	s := testSigner(t, 1)
	events := sealChain(t, 20)
	v := NewVerifier("", s.Public(), ed25519.PublicKey{1, 2}) // the short key is ignored
	for i, e := range events {
		if err := v.Add(e); err != nil {
			t.Fatal(err)
		}
		if (i+1)%10 == 0 {
			cp, _ := s.Sign(v.Head(), e.At)
			if err := v.AddCheckpoint(cp); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep := v.Report()
	if rep.Chain != "wtpf13" || rep.Events != 20 || rep.Checkpoints != 2 || rep.LastCheckpoint != 20 || len(rep.KeyIDs) != 1 || v.Err() != nil {
		t.Fatalf("report %+v", rep)
	}
	// A checkpoint fed again for the same head is fine; one for an older
	// head is out of place, and the failure sticks.
	cp, _ := s.Sign(events[19].Head(), events[19].At)
	if err := v.AddCheckpoint(cp); err != nil {
		t.Fatal(err)
	}
	old, _ := s.Sign(events[9].Head(), events[9].At)
	err := v.AddCheckpoint(old)
	if err == nil || err.Error() != "checkpoint at 10: out of place: it follows event 20" {
		t.Fatalf("old checkpoint: %v", err)
	}
	if v.Add(events[0]) != err || v.AddCheckpoint(cp) != err || v.Err() != err {
		t.Error("failure is not sticky")
	}

	// A verifier without keys verifies events and refuses checkpoints.
	v = NewVerifier("wtpf13")
	if err := v.Add(events[0]); err != nil {
		t.Fatal(err)
	}
	cp, _ = s.Sign(events[0].Head(), events[0].At)
	if err := v.AddCheckpoint(cp); err == nil || !strings.Contains(err.Error(), "no public key") {
		t.Errorf("checkpoint without keys: %v", err)
	}
	// A checkpoint before any event is refused.
	v = NewVerifier("wtpf13", s.Public())
	if err := v.AddCheckpoint(cp); err == nil || !strings.Contains(err.Error(), "before any event") {
		t.Errorf("checkpoint first: %v", err)
	}
	// The first event must have an empty prev_hash.
	v = NewVerifier("wtpf13")
	e := events[0]
	e.PrevHash = strings.Repeat("0", 64)
	if err := v.Add(e); err == nil || err.Error() != "event 1: prev_hash must be empty for the first event" {
		t.Errorf("first event with prev_hash: %v", err)
	}
	// A field defect is named.
	v = NewVerifier("wtpf13")
	e = events[0]
	e.Visibility = "everyone"
	if err := v.Add(e); err == nil || !strings.HasPrefix(err.Error(), "event 1: visibility:") {
		t.Errorf("bad visibility: %v", err)
	}
}

func TestReaderErrors(t *testing.T) {
	if _, err := NewReader(strings.NewReader("")); err == nil {
		t.Error("empty export accepted")
	}
	rep, err := VerifyStream(strings.NewReader(""))
	if err == nil || rep.Failure == nil || rep.Failure.Kind != FailHeader {
		t.Errorf("empty export: %v", err)
	}
	long := `{"format":"plenary-ledger/v1","chain":"c"}` + "\n" + `{"chain":"c","payload":{"x":"` + strings.Repeat("y", 1<<20) + `"}}` + "\n"
	rd, err := NewReader(strings.NewReader(long))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := rd.Next()
	if err != nil || rec.Event == nil || len(rec.Event.Payload) < 1<<20 {
		t.Errorf("long line: %v", err)
	}
	both := `{"format":"plenary-ledger/v1","chain":"c"}` + "\n" + `{"checkpoint":{"seq":1},"seq":1}` + "\n"
	rd, _ = NewReader(strings.NewReader(both))
	if _, err := rd.Next(); err == nil {
		t.Error("line with both a checkpoint and an event accepted")
	}
	trailing := `{"format":"plenary-ledger/v1","chain":"c"} {}` + "\n"
	if _, err := NewReader(strings.NewReader(trailing)); err == nil {
		t.Error("header with trailing data accepted")
	}
	if _, err := VerifyStream(errReader{}); err == nil || errors.As(err, new(*Failure)) {
		t.Errorf("read error: %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// jsonLine is how encoding/json reads a line, for comparison with the
// Reader's own parser.
type jsonLine struct {
	Event
	Checkpoint *Checkpoint `json:"checkpoint"`
}

// FuzzLineParser checks that every line the Reader's parser accepts is
// decoded exactly as encoding/json decodes it.
func FuzzLineParser(f *testing.F) {
	x := newTestExport(f, 20, nil)
	for _, l := range x.lines[1:] {
		f.Add([]byte(l))
	}
	r, _ := x.events[8].Redact()
	b, _ := json.Marshal(r)
	f.Add(b)
	f.Add([]byte(`{"chain":"c\u0041","seq":-0,"payload":[1,{"a":"}"}],"actor":"a\"b"}`))
	f.Add([]byte(` { "seq" : 9223372036854775807 , "at" : "2013-05-14T09:30:00.125+02:00" } `))
	var p lineParser
	f.Fuzz(func(t *testing.T, line []byte) {
		var e Event
		var cp Checkpoint
		isCP, err := p.parse(line, &e, &cp, true)
		if err != nil {
			return
		}
		var want jsonLine
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil {
			// The parser only skips over the payload; verification
			// rejects a payload that is not valid JSON when it
			// canonicalises it.
			if _, perr := CanonicalJSON(e.Payload); !isCP && len(e.Payload) > 0 && perr != nil {
				return
			}
			t.Fatalf("parser accepted %q, encoding/json did not: %v", line, err)
		}
		if isCP != (want.Checkpoint != nil) {
			t.Fatalf("%q: checkpoint %v, encoding/json says %v", line, isCP, want.Checkpoint != nil)
		}
		if isCP {
			if !reflect.DeepEqual(cp, *want.Checkpoint) {
				t.Fatalf("%q: checkpoint\n%+v\nencoding/json\n%+v", line, cp, *want.Checkpoint)
			}
			return
		}
		if len(e.Payload) == 0 && len(want.Payload) == 0 {
			e.Payload, want.Payload = nil, nil
		}
		if !reflect.DeepEqual(e, want.Event) {
			t.Fatalf("%q: event\n%+v\nencoding/json\n%+v", line, e, want.Event)
		}
	})
}

// TestLineParserStrict lists what the parser refuses although
// encoding/json would accept it.
func TestLineParserStrict(t *testing.T) {
	var p lineParser
	for _, line := range []string{
		`{"Seq":1}`,                 // keys are case-sensitive
		`{"seq":1,"seq":2}`,         // no repeated fields
		`{"chain":null}`,            // strings are strings
		`{"actor":"\ud800"}`,        // no lone surrogates
		"{\"actor\":\"\xff\"}",      // valid UTF-8
		`{"seq":1.0}`,               // integers are integers
		`{"checkpoint":{},"seq":1}`, // one kind of line
		`{"checkpoint":{"seq":1,"seq":1}}`,
		`{"checkpoint":{"note":1}}`,
		`{"seq":1} {}`,
		`[]`,
	} {
		var e Event
		var cp Checkpoint
		if _, err := p.parse([]byte(line), &e, &cp, false); err == nil {
			t.Errorf("parser accepted %s", line)
		}
	}
}

// TestVerifyStreamConstantMemory verifies a 100,000-event export (about
// 57 MB) streamed through a pipe and checks that the live heap stays
// small: the verifier keeps one event, not the chain.
func TestVerifyStreamConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100,000 events")
	}
	const n = 100_000
	s := testSigner(t, 1)
	pr, pw := io.Pipe()
	go func() {
		w, err := NewWriter(pw, Header{Chain: "wtpf13", PublicKey: s.PublicKeyBase64(), KeyID: s.KeyID()}, nil)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		var prev *Event
		for i := 1; i <= n; i++ {
			e := Event{Chain: "wtpf13", At: t0, Actor: "u1", Type: "amendment.submitted",
				Visibility: testVisibility(int64(i)), Payload: testPayload(int64(i))}
			if err := Seal(prev, &e); err != nil {
				pw.CloseWithError(err)
				return
			}
			if err := w.WriteEvent(e); err != nil {
				pw.CloseWithError(err)
				return
			}
			if i%1000 == 0 {
				cp, _ := s.Sign(e.Head(), t0)
				w.WriteCheckpoint(cp)
			}
			prev = &e
		}
		pw.CloseWithError(w.Flush())
	}()
	mr := &memReader{r: pr}
	rep, err := VerifyStream(mr, s.Public())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Events != n || rep.Checkpoints != n/1000 {
		t.Fatalf("report %+v", rep)
	}
	t.Logf("read %d MB; peak live heap after GC %.1f MB", mr.n>>20, float64(mr.peak)/(1<<20))
	if mr.peak > 16<<20 {
		t.Errorf("live heap reached %d MB while verifying a %d MB stream", mr.peak>>20, mr.n>>20)
	}
}

// memReader samples the live heap every 4 MB read.
type memReader struct {
	r       io.Reader
	n, next int64
	peak    uint64
}

func (m *memReader) Read(p []byte) (int, error) {
	k, err := m.r.Read(p)
	m.n += int64(k)
	if m.n >= m.next {
		m.next = m.n + 4<<20
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		m.peak = max(m.peak, ms.HeapAlloc)
	}
	return k, err
}
