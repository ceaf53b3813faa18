package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSigner returns a signer with a fixed key, so that test exports are
// reproducible.
func testSigner(t testing.TB, seed byte) *Signer {
	t.Helper()
	s, err := NewSigner(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCheckpointSignVerify(t *testing.T) {
	s := testSigner(t, 1)
	head := Head{Chain: "wtpf13", Seq: 5000, Hash: strings.Repeat("7f", 32)}
	at := time.Date(2013, 5, 16, 18, 0, 0, 0, time.UTC)
	cp, err := s.Sign(head, at)
	if err != nil {
		t.Fatal(err)
	}
	wantMsg := "plenary-checkpoint/v1\nwtpf13\n5000\n" + strings.Repeat("7f", 32) + "\n1368727200000\n"
	if got := string(cp.Message()); got != wantMsg {
		t.Fatalf("Message() = %q, want %q", got, wantMsg)
	}
	if cp.KeyID != s.KeyID() || len(cp.KeyID) != KeyIDLen || cp.Head() != head {
		t.Fatalf("checkpoint %+v", cp)
	}
	if err := VerifyCheckpoint(s.Public(), cp); err != nil {
		t.Fatal(err)
	}
	// The signature is plain Ed25519 over the message.
	sig, _ := base64.StdEncoding.DecodeString(cp.Signature)
	if !ed25519.Verify(s.Public(), []byte(wantMsg), sig) {
		t.Fatal("signature does not verify with crypto/ed25519")
	}

	other := testSigner(t, 2)
	tests := []struct {
		name string
		edit func(*Checkpoint)
		pub  ed25519.PublicKey
		want string
	}{
		{"chain", func(c *Checkpoint) { c.Chain = "wcit12" }, nil, "bad signature"},
		{"seq", func(c *Checkpoint) { c.Seq = 5001 }, nil, "bad signature"},
		{"hash", func(c *Checkpoint) { c.Hash = strings.Repeat("7e", 32) }, nil, "bad signature"},
		{"at", func(c *Checkpoint) { c.At = c.At.Add(time.Millisecond) }, nil, "bad signature"},
		{"signature byte", func(c *Checkpoint) { c.Signature = flipBase64(c.Signature, 10) }, nil, "bad signature"},
		{"signature not base64", func(c *Checkpoint) { c.Signature = "!!" }, nil, "not a base64"},
		{"signature short", func(c *Checkpoint) { c.Signature = c.Signature[:40] }, nil, "bad signature"},
		{"key id", func(c *Checkpoint) { c.KeyID = other.KeyID() }, nil, "key id"},
		{"other key", func(c *Checkpoint) {}, other.Public(), "key id"},
		{"other key, its id", func(c *Checkpoint) { c.KeyID = other.KeyID() }, other.Public(), "bad signature"},
		{"malformed hash", func(c *Checkpoint) { c.Hash = "xyz" }, nil, "hash is not"},
		{"zero seq", func(c *Checkpoint) { c.Seq = 0 }, nil, "seq 0"},
		{"short key", func(c *Checkpoint) {}, ed25519.PublicKey{1, 2, 3}, "public key has 3 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cp
			tt.edit(&c)
			pub := tt.pub
			if pub == nil {
				pub = s.Public()
			}
			err := VerifyCheckpoint(pub, c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("VerifyCheckpoint error %v, want %q", err, tt.want)
			}
		})
	}
	if err := VerifyCheckpoint(s.Public(), Checkpoint{Chain: "x", Seq: 1, Hash: strings.Repeat("0", 64), At: at, KeyID: s.KeyID(), Signature: cp.Signature}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("error %v is not ErrBadSignature", err)
	}
	// Sign refuses what it cannot sign.
	if _, err := s.Sign(Head{Chain: "wtpf13", Seq: 0, Hash: head.Hash}, at); err == nil {
		t.Error("signed seq 0")
	}
	if _, err := s.Sign(Head{Chain: "wtpf13", Seq: 1, Hash: "abc"}, at); err == nil {
		t.Error("signed a malformed hash")
	}
	if _, err := s.Sign(head, at.Add(time.Microsecond)); err == nil {
		t.Error("signed a sub-millisecond time")
	}
	if !strings.Contains(s.String(), s.KeyID()) || strings.Contains(s.String(), s.SeedBase64()) {
		t.Error("String() must name the key id and hide the key")
	}
}

// flipBase64 changes the base64 character at i to another valid one.
func flipBase64(s string, i int) string {
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestKeyID(t *testing.T) {
	s := testSigner(t, 1)
	id := KeyID(s.Public())
	if len(id) != 16 || id != s.KeyID() {
		t.Fatalf("KeyID = %q", id)
	}
	if KeyID(testSigner(t, 2).Public()) == id {
		t.Error("two keys share an id")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data", "ledger.key")
	s1, created, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !created {
		t.Error("first call did not report a created key")
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("key file mode %o, want 600", mode)
	}
	di, _ := os.Stat(filepath.Dir(path))
	if mode := di.Mode().Perm(); mode != 0o700 {
		t.Errorf("key directory mode %o, want 700", mode)
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Errorf("key file is not a PEM private key:\n%s", data)
	}
	s2, created, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if created || s2.KeyID() != s1.KeyID() || !s2.Public().Equal(s1.Public()) {
		t.Error("second call did not load the same key")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the key", len(entries))
	}

	// Processes starting at once end up with one key.
	path2 := filepath.Join(dir, "race", "ledger.key")
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			s, _, err := LoadOrCreateKey(path2)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = s.KeyID()
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent creation gave different keys: %v", ids)
		}
	}

	// A damaged key file is an error, never silently replaced.
	bad := filepath.Join(dir, "bad.key")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	if _, _, err := LoadOrCreateKey(bad); err == nil {
		t.Error("loaded a damaged key file")
	}
	if got, _ := os.ReadFile(bad); string(got) != "not a key" {
		t.Error("damaged key file was overwritten")
	}
	// An unreadable location is an error.
	if _, _, err := LoadOrCreateKey(filepath.Join(bad, "ledger.key")); err == nil {
		t.Error("created a key under a file")
	}

	// openssl reads the key file and derives the same public key.
	if _, err := exec.LookPath("openssl"); err == nil {
		out, err := exec.Command("openssl", "pkey", "-in", path, "-pubout").Output()
		if err != nil {
			t.Fatalf("openssl pkey: %v", err)
		}
		pub, err := ParsePublicKey(string(out))
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Equal(s1.Public()) {
			t.Error("openssl derived a different public key")
		}
	}
}

func TestParseKey(t *testing.T) {
	s := testSigner(t, 3)
	seed := s.priv.Seed()
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"seed std", base64.StdEncoding.EncodeToString(seed), true},
		{"seed raw std", base64.RawStdEncoding.EncodeToString(seed), true},
		{"seed url", base64.URLEncoding.EncodeToString(seed), true},
		{"seed with spaces", "  " + s.SeedBase64() + "\n", true},
		{"private key", base64.StdEncoding.EncodeToString(s.priv), true},
		{"pem", string(s.MarshalPEM()), true},
		{"empty", "", false},
		{"not base64", "not*base64", false},
		{"short", base64.StdEncoding.EncodeToString(seed[:16]), false},
		{"bad public half", base64.StdEncoding.EncodeToString(append(append([]byte{}, seed...), make([]byte, 32)...)), false},
		{"pem public key", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n", false},
		{"pem garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseKey error = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && got.KeyID() != s.KeyID() {
				t.Errorf("ParseKey gave key %s, want %s", got.KeyID(), s.KeyID())
			}
		})
	}
}

func TestParsePublicKey(t *testing.T) {
	s := testSigner(t, 4)
	for _, in := range []string{
		s.PublicKeyBase64(),
		EncodePublicKey(s.Public()),
		base64.RawURLEncoding.EncodeToString(s.Public()),
		" " + s.PublicKeyBase64() + "\n",
	} {
		pub, err := ParsePublicKey(in)
		if err != nil || !pub.Equal(s.Public()) {
			t.Errorf("ParsePublicKey(%q) = %x, %v", in, pub, err)
		}
	}
	for _, in := range []string{"", "abc", base64.StdEncoding.EncodeToString(make([]byte, 31)), "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"} {
		if _, err := ParsePublicKey(in); err == nil {
			t.Errorf("ParsePublicKey(%q) succeeded", in)
		}
	}
}
