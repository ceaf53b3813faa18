package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// checkpointTag opens the signed text of a checkpoint.
const checkpointTag = "plenary-checkpoint/v1"

// KeyIDLen is the length of a key id in hex digits: the first 8 bytes of
// the SHA-256 of the public key.
const KeyIDLen = 16

// Checkpoint is a signed statement that the chain Chain had, at time At,
// the event Seq with hash Hash as its head. Like a Certificate
// Transparency signed tree head (RFC 9162), it lets anyone holding the
// public key detect a rewritten history: a chain that no longer contains
// the signed hash at the signed position was changed after signing.
type Checkpoint struct {
	Chain     string    `json:"chain"`
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`        // when it was signed; UTC, milliseconds
	KeyID     string    `json:"key_id"`    // KeyID of the signing key
	Signature string    `json:"signature"` // Ed25519 over Message(), standard base64
}

// Head returns the chain head the checkpoint signs.
func (cp Checkpoint) Head() Head { return Head{Chain: cp.Chain, Seq: cp.Seq, Hash: cp.Hash} }

// Message returns the exact bytes the signature covers, five lines each
// ended by "\n":
//
//	plenary-checkpoint/v1
//	<chain>
//	<seq, decimal>
//	<hash, 64 lowercase hex digits>
//	<at, milliseconds since the Unix epoch, decimal>
//
// KeyID is not signed: it only says which key to check against.
func (cp Checkpoint) Message() []byte {
	b := make([]byte, 0, len(checkpointTag)+len(cp.Chain)+64+48)
	b = append(b, checkpointTag...)
	b = append(b, '\n')
	b = append(b, cp.Chain...)
	b = append(b, '\n')
	b = strconv.AppendInt(b, cp.Seq, 10)
	b = append(b, '\n')
	b = append(b, cp.Hash...)
	b = append(b, '\n')
	b = strconv.AppendInt(b, cp.At.UnixMilli(), 10)
	return append(b, '\n')
}

// checkForm checks the fields of a checkpoint other than the signature.
func (cp Checkpoint) checkForm() error {
	if err := checkID(cp.Chain); err != nil {
		return fmt.Errorf("chain %w", err)
	}
	if cp.Seq < 1 {
		return fmt.Errorf("seq %d is not 1 or more", cp.Seq)
	}
	if _, ok := decodeHash(cp.Hash); !ok {
		return fmt.Errorf("hash is not 64 lowercase hex digits")
	}
	if cp.At.IsZero() || cp.At.Nanosecond()%int(time.Millisecond) != 0 {
		return fmt.Errorf("at is missing or not in whole milliseconds")
	}
	return nil
}

// EncodeCheckpoint returns cp as the JSON document a server publishes for
// the latest checkpoint of a chain (GET /api/v1/forums/{slug}/checkpoint)
// and that ParseCheckpoint reads: one object with the fields chain, seq,
// hash, at (RFC 3339 in UTC, as in an export), key_id and signature, in
// that order, followed by "\n". It is the object of an export's
// checkpoint line. It does not check the signature, only the form.
func EncodeCheckpoint(cp Checkpoint) ([]byte, error) {
	cp.At = cp.At.UTC()
	if err := cp.checkForm(); err != nil {
		return nil, fmt.Errorf("checkpoint at %d: %w", cp.Seq, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cp); err != nil {
		return nil, fmt.Errorf("checkpoint at %d: %w", cp.Seq, err)
	}
	return buf.Bytes(), nil
}

// ParseCheckpoint reads a checkpoint published by a server (see
// EncodeCheckpoint), or a checkpoint line of an export
// ({"checkpoint":{...}}), with any whitespace around and between tokens.
// Every field must be present, spelt exactly, once; unknown fields are
// errors. It checks the form of the fields but not the signature: a
// Verifier given the checkpoint (VerifyOptions.Since) does.
func ParseCheckpoint(data []byte) (Checkpoint, error) {
	var p lineParser
	var cp Checkpoint
	p.in = data
	p.space()
	err := p.checkpoint(&cp)
	if err == nil {
		p.space()
		if p.pos != len(p.in) {
			err = p.errorf("data after the JSON object")
		}
	}
	if err != nil {
		// Perhaps a checkpoint line of an export.
		var e Event
		var line Checkpoint
		if isCP, lerr := p.parse(data, &e, &line, false); lerr == nil && isCP {
			cp, err = line, nil
		}
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: %w", err)
	}
	if p.cpSeen != cpAllFields {
		return Checkpoint{}, errors.New("checkpoint: chain, seq, hash, at, key_id and signature are all required")
	}
	if err := cp.checkForm(); err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint at %d: %w", cp.Seq, err)
	}
	return cp, nil
}

// ErrBadSignature is returned, wrapped, by VerifyCheckpoint when the
// signature does not verify.
var ErrBadSignature = errors.New("bad signature")

// VerifyCheckpoint checks that cp is well-formed, that its KeyID is the
// id of pub and that its signature over cp.Message() verifies with pub.
func VerifyCheckpoint(pub ed25519.PublicKey, cp Checkpoint) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("checkpoint at %d: public key has %d bytes, want %d", cp.Seq, len(pub), ed25519.PublicKeySize)
	}
	if err := cp.checkForm(); err != nil {
		return fmt.Errorf("checkpoint at %d: %w", cp.Seq, err)
	}
	if id := KeyID(pub); cp.KeyID != id {
		return fmt.Errorf("checkpoint at %d: key id %q is not %q", cp.Seq, cp.KeyID, id)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(cp.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("checkpoint at %d: %w (not a base64 Ed25519 signature)", cp.Seq, ErrBadSignature)
	}
	if !ed25519.Verify(pub, cp.Message(), sig) {
		return fmt.Errorf("checkpoint at %d: %w", cp.Seq, ErrBadSignature)
	}
	return nil
}

// KeyID returns the id of a public key: the first 8 bytes of its SHA-256,
// as 16 lowercase hex digits.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:KeyIDLen/2])
}

// EncodePublicKey returns pub in standard base64, the form used in export
// headers and configuration.
func EncodePublicKey(pub ed25519.PublicKey) string {
	return base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey parses a public key given as base64 (standard or URL
// alphabet, padded or not) of its 32 bytes, or as a PEM "PUBLIC KEY" block
// (PKIX, as openssl writes it).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-----BEGIN") {
		block, _ := pem.Decode([]byte(s))
		if block == nil || block.Type != "PUBLIC KEY" {
			return nil, errors.New("public key: not a PEM PUBLIC KEY block")
		}
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("public key: %w", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("public key: %T is not an Ed25519 key", k)
		}
		return pub, nil
	}
	b, err := decodeBase64(s)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: %d bytes, want %d", len(b), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

// decodeBase64 accepts standard or URL-safe base64, with or without
// padding.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// Signer signs checkpoints with an Ed25519 private key. It is safe for
// concurrent use.
type Signer struct {
	priv  ed25519.PrivateKey
	pub   ed25519.PublicKey
	keyID string
}

// NewSigner returns a Signer for priv.
func NewSigner(priv ed25519.PrivateKey) (*Signer, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("ledger key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	pub := priv.Public().(ed25519.PublicKey)
	return &Signer{priv: priv, pub: pub, keyID: KeyID(pub)}, nil
}

// GenerateSigner returns a Signer with a new random key.
func GenerateSigner() (*Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("ledger key: %w", err)
	}
	return NewSigner(priv)
}

// Public returns the public key.
func (s *Signer) Public() ed25519.PublicKey { return s.pub }

// KeyID returns the id of the public key (see KeyID).
func (s *Signer) KeyID() string { return s.keyID }

// PublicKeyBase64 returns the public key in standard base64.
func (s *Signer) PublicKeyBase64() string { return EncodePublicKey(s.pub) }

// String names the key without revealing it, so that a Signer printed in a
// log or a configuration dump shows only its id.
func (s *Signer) String() string { return "ed25519 key " + s.keyID }

// Sign returns the checkpoint of head at time at, which must be in whole
// milliseconds (it is converted to UTC).
func (s *Signer) Sign(head Head, at time.Time) (Checkpoint, error) {
	cp := Checkpoint{Chain: head.Chain, Seq: head.Seq, Hash: head.Hash, At: at.UTC(), KeyID: s.keyID}
	if err := cp.checkForm(); err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: %w", err)
	}
	cp.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(s.priv, cp.Message()))
	return cp, nil
}

// MarshalPEM returns the private key as a PEM "PRIVATE KEY" block holding
// PKCS#8 (RFC 8410), the key file format; openssl reads it.
func (s *Signer) MarshalPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(s.priv)
	if err != nil {
		panic("ledger: marshal ed25519 key: " + err.Error()) // cannot happen for a valid key
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// SeedBase64 returns the 32-byte private key seed in standard base64: the
// form ParseKey accepts from configuration. It is a secret.
func (s *Signer) SeedBase64() string { return base64.StdEncoding.EncodeToString(s.priv.Seed()) }

// ParseKey parses a private key given in configuration: standard or
// URL-safe base64 (padded or not) of the 32-byte seed or of the 64-byte
// private key, or the text of a key file (PEM "PRIVATE KEY", PKCS#8).
// Surrounding whitespace is ignored.
func ParseKey(s string) (*Signer, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-----BEGIN") {
		return parsePEMKey([]byte(s))
	}
	b, err := decodeBase64(s)
	if err != nil {
		return nil, fmt.Errorf("ledger key: not base64 or PEM: %w", err)
	}
	switch len(b) {
	case ed25519.SeedSize:
		return NewSigner(ed25519.NewKeyFromSeed(b))
	case ed25519.PrivateKeySize:
		priv := ed25519.NewKeyFromSeed(b[:ed25519.SeedSize])
		if string(priv[ed25519.SeedSize:]) != string(b[ed25519.SeedSize:]) {
			return nil, errors.New("ledger key: the public half does not match the seed")
		}
		return NewSigner(priv)
	}
	return nil, fmt.Errorf("ledger key: %d bytes, want a %d-byte seed or a %d-byte key", len(b), ed25519.SeedSize, ed25519.PrivateKeySize)
}

func parsePEMKey(data []byte) (*Signer, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("ledger key: no PEM block")
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("ledger key: PEM block %q, want PRIVATE KEY", block.Type)
	}
	if len(strings.TrimSpace(string(rest))) != 0 {
		return nil, errors.New("ledger key: data after the PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("ledger key: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("ledger key: %T is not an Ed25519 key", k)
	}
	return NewSigner(priv)
}

// LoadOrCreateKey loads the key file at path or, when there is none,
// creates one with a new key: a PEM "PRIVATE KEY" block (PKCS#8), mode
// 0600, in a directory created with mode 0700 if missing. The file is
// written under a temporary name and then linked into place, so a crash
// never leaves a partial key and two processes starting at once end up
// with the same key. created reports whether a new key was made.
func LoadOrCreateKey(path string) (s *Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		s, err := parsePEMKey(data)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return s, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	s, err = GenerateSigner()
	if err != nil {
		return nil, false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".ledger-key-*")
	if err != nil {
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file with mode 0600; Chmod makes sure of it
	// whatever the umask.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	if _, err := tmp.Write(s.MarshalPEM()); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Another process created the key first: use it.
			return LoadOrCreateKey(path)
		}
		// The file system may not support hard links: create the file
		// exclusively instead, which still never replaces a key.
		if err := writeExclusive(path, s.MarshalPEM()); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return LoadOrCreateKey(path)
			}
			return nil, false, fmt.Errorf("ledger key: %w", err)
		}
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the new name durable; not all systems support it
		d.Close()
	}
	return s, true, nil
}

// writeExclusive creates path with mode 0600 and writes data, failing if
// path exists.
func writeExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
