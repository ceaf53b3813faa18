package ledger

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// benchExport writes a chain of n events with ~200-byte payloads, a
// checkpoint every 1,000 events and one at the end, as an export file in
// dir, and returns its path and size. Three in ten events are not public
// and so carry a salt.
func benchExport(b *testing.B, dir string, n int) (string, int64) {
	b.Helper()
	s := testSigner(b, 1)
	path := filepath.Join(dir, "ledger.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w, err := NewWriter(f, Header{Chain: "wtpf13", PublicKey: s.PublicKeyBase64(), KeyID: s.KeyID()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var prev Event
	for i := 1; i <= n; i++ {
		seq := int64(i)
		e := Event{
			Chain:      "wtpf13",
			At:         t0.Add(time.Duration(seq) * time.Millisecond),
			Actor:      "0190a1b2c3d4e5f60718293a4b5c6d7e",
			Type:       "amendment.submitted",
			Visibility: testVisibility(seq),
			Payload:    testPayload(seq),
		}
		p := &prev
		if i == 1 {
			p = nil
		}
		if err := Seal(p, &e); err != nil {
			b.Fatal(err)
		}
		if err := w.WriteEvent(e); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 0 || i == n {
			cp, err := s.Sign(e.Head(), e.At)
			if err != nil {
				b.Fatal(err)
			}
			if err := w.WriteCheckpoint(cp); err != nil {
				b.Fatal(err)
			}
		}
		prev = e
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	return path, fi.Size()
}

// The 1,000,000-event export is made once per test binary run, shared by
// the benchmarks that read it, and removed by TestMain.
var (
	bench1MOnce sync.Once
	bench1MDir  string
	bench1MPath string
	bench1MSize int64
)

func bench1M(b *testing.B) (string, int64) {
	bench1MOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ledger-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bench1MDir = dir
		bench1MPath, bench1MSize = benchExport(b, dir, 1_000_000)
	})
	if bench1MPath == "" {
		b.Fatal("no benchmark export")
	}
	return bench1MPath, bench1MSize
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench1MDir != "" {
		os.RemoveAll(bench1MDir)
	}
	os.Exit(code)
}

// BenchmarkVerify1M verifies an export of 1,000,000 events (about 570 MB)
// read from a file: JSON decoding, canonical payloads, two SHA-256 per
// event (three for salted ones) and 1,000 Ed25519 signatures.
func BenchmarkVerify1M(b *testing.B) {
	const n = 1_000_000
	path, size := bench1M(b)
	s := testSigner(b, 1)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := VerifyStream(f, s.Public())
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Events != n || rep.Checkpoints != n/1000 {
			b.Fatalf("report %+v", rep)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkVerifierAdd feeds sealed events to a Verifier directly, as
// when verifying from a database: no JSON decoding of the line.
func BenchmarkVerifierAdd(b *testing.B) {
	events := sealChain(b, 10_000)
	var v *Verifier
	i := len(events)
	for b.Loop() {
		if i == len(events) {
			v, i = NewVerifier("wtpf13"), 0
		}
		if err := v.Add(events[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkSeal seals events with ~200-byte payloads, one after another.
func BenchmarkSeal(b *testing.B) {
	payloads := make([]json.RawMessage, 1000)
	for i := range payloads {
		payloads[i] = testPayload(int64(i))
	}
	prev := Event{Chain: "wtpf13", At: t0, Actor: "u1", Type: "forum.created", Visibility: VisPublic}
	if err := Seal(nil, &prev); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		e := Event{
			Chain:      "wtpf13",
			At:         t0,
			Actor:      "0190a1b2c3d4e5f60718293a4b5c6d7e",
			Type:       "amendment.submitted",
			Visibility: testVisibility(int64(i)),
			Payload:    payloads[i%len(payloads)],
		}
		if err := Seal(&prev, &e); err != nil {
			b.Fatal(err)
		}
		prev = e
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCanonicalJSON canonicalises a ~200-byte payload whose keys are
// out of order.
func BenchmarkCanonicalJSON(b *testing.B) {
	p := testPayload(12345)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	var c canonicalizer
	var out []byte
	for b.Loop() {
		var err error
		out, err = c.canonical(out[:0], p)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadExport only reads (decodes) an export of 100,000 events,
// without verifying, to separate decoding cost from hashing.
func BenchmarkReadExport(b *testing.B) {
	path, size := benchExport(b, b.TempDir(), 100_000)
	b.SetBytes(size)
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rd, err := NewReader(bufio.NewReader(f))
		if err != nil {
			b.Fatal(err)
		}
		var rec Record
		for rd.next(&rec, false) == nil {
		}
		f.Close()
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkSHA256File1M is the floor for BenchmarkVerify1M: reading the
// same file and computing one SHA-256 over all of it.
func BenchmarkSHA256File1M(b *testing.B) {
	path, size := bench1M(b)
	b.SetBytes(size)
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(1_000_000*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkJSONDecodeFile1M is a second reference for BenchmarkVerify1M:
// decoding every line of the same file with encoding/json into an Event,
// without any verification.
func BenchmarkJSONDecodeFile1M(b *testing.B) {
	path, size := bench1M(b)
	b.SetBytes(size)
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), MaxLineBytes)
		for sc.Scan() {
			var e jsonLine
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
	b.ReportMetric(1_000_000*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
