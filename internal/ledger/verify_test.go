package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// checkpointAt returns the checkpoint line of x at seq, decoded.
func (x *testExport) checkpointAt(t *testing.T, seq int64) Checkpoint {
	t.Helper()
	i, ok := x.cp[seq]
	if !ok {
		t.Fatalf("no checkpoint at %d", seq)
	}
	cp, err := ParseCheckpoint([]byte(x.lines[i]))
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// wantFailure checks that err is a *Failure of kind at seq whose reason
// contains reason.
func wantFailure(t *testing.T, rep Report, err error, kind FailureKind, seq int64, reason string) {
	t.Helper()
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("error %v, want a *Failure", err)
	}
	if f.Kind != kind || f.Seq != seq || !strings.Contains(f.Reason, reason) {
		t.Fatalf("failure %v (kind %s, seq %d)\nwant kind %s, seq %d, reason containing %q", f, f.Kind, f.Seq, kind, seq, reason)
	}
	if rep.Failure != f {
		t.Error("report does not carry the failure")
	}
}

// resealFrom rewrites event seq's payload and re-seals every later event,
// returning the new chain.
func resealFrom(t *testing.T, events []Event, seq int64) []Event {
	t.Helper()
	out := append([]Event(nil), events...)
	out[seq-1].Payload = json.RawMessage(strings.Replace(string(out[seq-1].Payload), "invites", "urges", 1))
	for i := seq - 1; i < int64(len(out)); i++ {
		var prev *Event
		if i > 0 {
			prev = &out[i-1]
		}
		out[i].Salt = ""
		if err := Seal(prev, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestVerifySince checks that a checkpoint obtained earlier catches what
// the checkpoints inside an export cannot: a history cut short at a
// checkpoint, or rewritten and signed again.
func TestVerifySince(t *testing.T) {
	x := newTestExport(t, 1000, nil)
	key := []ed25519.PublicKey{x.signer.Public()}
	cp500 := x.checkpointAt(t, 500)
	verify := func(lines []string, o VerifyOptions) (Report, error) {
		return VerifyStreamWith(strings.NewReader(x.text(lines)), o)
	}

	// The whole export extends it, with the key given or from the header.
	for _, keys := range [][]ed25519.PublicKey{key, nil} {
		rep, err := verify(x.lines, VerifyOptions{Keys: keys, Since: &cp500})
		if err != nil || rep.Extends != 500 || !strings.Contains(rep.String(), "extends the earlier checkpoint at 500") {
			t.Fatalf("keys %d: %v %s", len(keys), err, rep)
		}
	}
	// So does a redacted export, and one whose last checkpoint is that one.
	pub := writeExport(t, x.signer, x.events, 100, ShowPublic)
	if rep, err := VerifyStreamWith(bytes.NewReader(pub), VerifyOptions{Keys: key, Since: &cp500}); err != nil || rep.Extends != 500 || rep.Redacted == 0 {
		t.Fatalf("redacted export: %v %s", err, rep)
	}
	if rep, err := verify(x.lines[:x.cp[500]+1], VerifyOptions{Keys: key, Since: &cp500}); err != nil || rep.Extends != 500 {
		t.Fatalf("export ending at the checkpoint: %v %s", err, rep)
	}

	// Cut at an earlier checkpoint: it verifies on its own, but not as an
	// extension of the checkpoint at 500.
	cut := x.lines[:x.cp[400]+1]
	if _, err := verify(cut, VerifyOptions{Keys: key}); err != nil {
		t.Fatalf("cut export without an earlier checkpoint: %v", err)
	}
	rep, err := verify(cut, VerifyOptions{Keys: key, Since: &cp500})
	wantFailure(t, rep, err, FailEvent, 401, "missing: the chain ends at event 400, but the earlier checkpoint signs event 500")

	// History rewritten at event 437 and every checkpoint signed again
	// with the same key: only the earlier checkpoint shows it.
	rewritten := writeExport(t, x.signer, resealFrom(t, x.events, 437), 100, nil)
	lines := strings.Split(strings.TrimSuffix(string(rewritten), "\n"), "\n")
	if _, err := verify(lines, VerifyOptions{Keys: key}); err != nil {
		t.Fatalf("re-signed export without an earlier checkpoint: %v", err)
	}
	rep, err = verify(lines, VerifyOptions{Keys: key, Since: &cp500})
	wantFailure(t, rep, err, FailSince, 500, "event 500 has another hash: the chain was rewritten at or before event 500")
	// A rewrite after the earlier checkpoint is not its business.
	later := writeExport(t, x.signer, resealFrom(t, x.events, 501), 100, nil)
	lines = strings.Split(strings.TrimSuffix(string(later), "\n"), "\n")
	if rep, err := verify(lines, VerifyOptions{Keys: key, Since: &cp500}); err != nil || rep.Extends != 500 {
		t.Fatalf("rewrite after the earlier checkpoint: %v", err)
	}

	// The same rewrite signed with another key, announced in the header:
	// the earlier checkpoint does not verify with the header's key.
	other := testSigner(t, 2)
	forged := writeExport(t, other, resealFrom(t, x.events, 437), 100, nil)
	rep, err = VerifyStreamWith(bytes.NewReader(forged), VerifyOptions{Since: &cp500})
	wantFailure(t, rep, err, FailSince, 500, "signed by unknown key "+x.signer.KeyID())

	// A bad earlier checkpoint fails before any event is read.
	bad := cp500
	bad.Signature = flipBase64(bad.Signature, 10)
	rep, err = verify(x.lines, VerifyOptions{Keys: key, Since: &bad})
	wantFailure(t, rep, err, FailSince, 500, "bad signature")
	if rep.Events != 0 {
		t.Errorf("verified %d events after a bad earlier checkpoint", rep.Events)
	}
	bad = cp500
	bad.Hash = flipHex(bad.Hash, 3)
	rep, err = verify(x.lines, VerifyOptions{Keys: key, Since: &bad})
	wantFailure(t, rep, err, FailSince, 500, "bad signature")
	wcit, err := x.signer.Sign(Head{Chain: "wcit12", Seq: 500, Hash: cp500.Hash}, cp500.At)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = verify(x.lines, VerifyOptions{Keys: key, Since: &wcit})
	wantFailure(t, rep, err, FailSince, 500, `chain is "wcit12", expected "wtpf13"`)
	if got := rep.Failure.Error(); got != `earlier checkpoint at 500: chain is "wcit12", expected "wtpf13"` {
		t.Errorf("failure text %q", got)
	}
}

// TestVerifierFinish checks the end of a chain fed to a Verifier: a
// checkpoint must sign the last event.
func TestVerifierFinish(t *testing.T) {
	s := testSigner(t, 1)
	events := sealChain(t, 12)
	v := NewVerifier("wtpf13", s.Public())
	if err := v.Finish(); err != nil {
		t.Fatalf("empty chain: %v", err)
	}
	for i, e := range events[:10] {
		if err := v.Add(e); err != nil {
			t.Fatal(err)
		}
		if i == 9 {
			cp, _ := s.Sign(e.Head(), e.At)
			if err := v.AddCheckpoint(cp); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := v.Finish(); err != nil || v.Report().Unsigned() != 0 {
		t.Fatalf("signed chain: %v", err)
	}
	v.Add(events[10])
	v.Add(events[11])
	err := v.Finish()
	if err == nil || err.Error() != "event 11: not signed: the chain ends at event 12, but the last checkpoint signs event 10" {
		t.Fatalf("unsigned tail: %v", err)
	}
	if v.Finish() != err || v.Report().Unsigned() != 2 {
		t.Error("the failure does not stick")
	}

	// Fail records a defect found by the caller, once.
	v = NewVerifier("wtpf13", s.Public())
	err = v.Fail(FailHead, 7, "hash differs")
	if err == nil || err.Error() != "head record at 7: hash differs" || v.Fail(FailEvent, 1, "later") != err || v.Add(events[0]) != err {
		t.Fatalf("Fail: %v", err)
	}
	if got := (&Failure{Kind: FailHead, Reason: "missing"}).Error(); got != "head record: missing" {
		t.Errorf("failure text %q", got)
	}

	// An earlier checkpoint given to NewVerifierWith: the chain must reach it.
	cp, _ := s.Sign(events[9].Head(), events[9].At)
	v = NewVerifierWith("", VerifyOptions{Keys: []ed25519.PublicKey{s.Public()}, Since: &cp})
	if v.Chain() != "wtpf13" {
		t.Errorf("chain %q, want the checkpoint's", v.Chain())
	}
	for _, e := range events[:5] {
		v.Add(e)
	}
	if err := v.Finish(); err == nil || err.Error() != "event 6: missing: the chain ends at event 5, but the earlier checkpoint signs event 10" {
		t.Fatalf("short chain: %v", err)
	}
	// Without keys it cannot be checked.
	v = NewVerifierWith("wtpf13", VerifyOptions{Since: &cp})
	if err := v.Err(); err == nil || !strings.Contains(err.Error(), "earlier checkpoint at 10: no public key") {
		t.Fatalf("earlier checkpoint without keys: %v", err)
	}
}

// TestWriterEndsWithCheckpoint checks that an export, full or redacted,
// ends with a checkpoint of its last event, and that Flush refuses one
// that does not.
func TestWriterEndsWithCheckpoint(t *testing.T) {
	for name, show := range map[string]func(string) bool{"full": nil, "public": ShowPublic} {
		x := newTestExport(t, 250, show)
		last := x.lines[len(x.lines)-1]
		if !strings.HasPrefix(last, `{"checkpoint":{"chain":"wtpf13","seq":250,"hash":"`+x.events[249].Hash+`"`) {
			t.Errorf("%s export ends with %s", name, last)
		}
	}

	s := testSigner(t, 1)
	events := sealChain(t, 3)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{Chain: "wtpf13"}, ShowPublic)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("export of an empty chain: %v", err)
	}
	w.WriteEvent(events[0])
	cp, _ := s.Sign(events[0].Head(), events[0].At)
	w.WriteCheckpoint(cp)
	w.WriteEvent(events[1])
	w.WriteEvent(events[2])
	err = w.Flush()
	if !errors.Is(err, ErrUnsignedEnd) || !strings.Contains(err.Error(), "event 3") {
		t.Fatalf("export ending with an unsigned event: %v", err)
	}
	if !strings.Contains(buf.String(), `"seq":3`) {
		t.Error("Flush held back the data")
	}
	cp, _ = s.Sign(events[2].Head(), events[2].At)
	if err := w.WriteCheckpoint(cp); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyStream(&buf, s.Public()); err != nil {
		t.Fatal(err)
	}
}

// TestCheckpointJSON checks the published form of a checkpoint: its exact
// bytes, and what ParseCheckpoint accepts and refuses.
func TestCheckpointJSON(t *testing.T) {
	s := testSigner(t, 1)
	h := Head{Chain: "wtpf13", Seq: 12, Hash: strings.Repeat("ab", 32)}
	cp, err := s.Sign(h, time.Date(2013, 5, 14, 9, 30, 0, 125e6, time.FixedZone("CEST", 7200)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncodeCheckpoint(cp)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"chain":"wtpf13","seq":12,"hash":"` + h.Hash + `","at":"2013-05-14T07:30:00.125Z","key_id":"` + s.KeyID() + `","signature":"` + cp.Signature + `"}` + "\n"
	if string(b) != want {
		t.Fatalf("EncodeCheckpoint:\n%s\nwant\n%s", b, want)
	}
	for _, in := range []string{
		string(b),
		strings.TrimSpace(string(b)),
		`{"checkpoint":` + strings.TrimSpace(string(b)) + "}\r\n",
		"{\n  \"signature\": \"" + cp.Signature + "\",\n  \"key_id\": \"" + s.KeyID() + "\",\n  \"at\": \"2013-05-14T09:30:00.125+02:00\",\n" +
			"  \"hash\": \"" + h.Hash + "\",\n  \"seq\": 12,\n  \"chain\": \"wtpf13\"\n}\n",
	} {
		got, err := ParseCheckpoint([]byte(in))
		if err != nil {
			t.Fatalf("ParseCheckpoint(%s): %v", in, err)
		}
		if err := VerifyCheckpoint(s.Public(), got); err != nil || got.Head() != h || !got.At.Equal(cp.At) {
			t.Fatalf("ParseCheckpoint(%s) = %+v, %v", in, got, err)
		}
	}
	full := strings.TrimSpace(string(b))
	for _, in := range []string{
		"",
		"[]",
		strings.Replace(full, `"seq":12,`, ``, 1),
		strings.Replace(full, `,"signature":"`+cp.Signature+`"`, ``, 1),
		strings.Replace(full, `"seq":12`, `"seq":12,"seq":12`, 1),
		strings.Replace(full, `"seq":12`, `"Seq":12`, 1),
		strings.Replace(full, `"seq":12`, `"seq":12,"note":"x"`, 1),
		strings.Replace(full, `"seq":12`, `"seq":0`, 1),
		strings.Replace(full, h.Hash, strings.ToUpper(h.Hash), 1),
		full + " {}",
		`{"checkpoint":` + full + `,"seq":12}`,
	} {
		if _, err := ParseCheckpoint([]byte(in)); err == nil {
			t.Errorf("ParseCheckpoint accepted %s", in)
		}
	}
	if _, err := EncodeCheckpoint(Checkpoint{Chain: "wtpf13", Seq: 1}); err == nil {
		t.Error("EncodeCheckpoint accepted a checkpoint without hash or time")
	}
}

// TestRecordWorkedExample rebuilds the worked example of docs/RECORD.md and
// checks that the document shows exactly what this package writes.
func TestRecordWorkedExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/RECORD.md")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	e1 := Event{Chain: "f1", At: time.Date(2013, 5, 14, 9, 30, 0, 0, time.UTC), Actor: SystemActor, Type: "forum.created",
		Visibility: VisPublic, Payload: json.RawMessage(`{"slug":"wtpf-13","title":"WTPF-13"}`)}
	e2 := Event{Chain: "f1", At: time.Date(2013, 5, 14, 9, 30, 0, 125e6, time.UTC), Actor: "u7", Type: "note.added",
		Visibility: VisSecretariat, Payload: json.RawMessage(`{"text": "Résumé: 1.50 €", "n": 1.50e1}`), Salt: strings.Repeat("01", 32)}
	if err := Seal(nil, &e1); err != nil {
		t.Fatal(err)
	}
	if err := Seal(&e1, &e2); err != nil {
		t.Fatal(err)
	}
	cp, err := s.Sign(e2.Head(), time.Date(2013, 5, 14, 9, 30, 1, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	w, err := NewWriter(&export, Header{Chain: "f1", PublicKey: s.PublicKeyBase64(), KeyID: s.KeyID(), Filter: "public",
		ExportedAt: time.Date(2013, 5, 14, 10, 0, 0, 0, time.UTC)}, ShowPublic)
	if err != nil {
		t.Fatal(err)
	}
	w.WriteEvent(e1)
	w.WriteEvent(e2)
	w.WriteCheckpoint(cp)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	published, err := EncodeCheckpoint(cp)
	if err != nil {
		t.Fatal(err)
	}
	canon := hex.EncodeToString(e1.Canonical())
	for what, want := range map[string]string{
		"the public export":     "```\n" + export.String() + "```\n",
		"the published form":    "```json\n" + string(published) + "```\n",
		"the signed message":    strings.ReplaceAll(string(cp.Message()), "\n", `\n`),
		"the public key":        s.PublicKeyBase64(),
		"the key id":            s.KeyID(),
		"event 1's digest":      canon[len(canon)-128 : len(canon)-64],
		"event 2's digest":      mustRedact(t, e2).PayloadHash,
		"event 2's hash":        e2.Hash,
		"event 1's hash":        e1.Hash,
		"event 1's time (ms)":   fmt.Sprint(e1.At.UnixMilli()),
		"event 1's time (hex)":  canon[len("plenary-event/v1\n")*2+12+16 : len("plenary-event/v1\n")*2+12+32],
		"event 2's canon. form": string(e2.Payload),
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/RECORD.md does not show %s:\n%s", what, want)
		}
	}
	if _, err := VerifyStream(&export, s.Public()); err != nil {
		t.Fatal(err)
	}
}

func mustRedact(t *testing.T, e Event) Event {
	t.Helper()
	r, err := e.Redact()
	if err != nil {
		t.Fatal(err)
	}
	return r
}
