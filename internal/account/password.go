// Package account holds the secrets of accounts: argon2id password hashes,
// random session and API-token secrets (kept only as SHA-256 hashes at rest),
// and the login rate limiter. It does no storage; the command layer does.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters. Defaults follow RFC 9106's
// second recommended option, scaled to 64 MiB.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// DefaultParams is used for new hashes.
var DefaultParams = Params{Time: 3, Memory: 64 * 1024, Threads: 2, KeyLen: 32, SaltLen: 16}

// FastParams are cheap parameters for tests and the demo's many accounts;
// never use them for real accounts.
var FastParams = Params{Time: 1, Memory: 8 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// MaxPasswordLen bounds the work an attacker can ask of argon2id.
const MaxPasswordLen = 256

// CheckPassword validates a new password.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		// A password is typed again on other faces, where text can only
		// be UTF-8 (a JSON string, a form of a UTF-8 page).
		return plenary.Invalid("password", "is not valid UTF-8 text")
	case n < MinPasswordLen:
		return plenary.Invalid("password", "must be at least %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return plenary.Invalid("password", "must be at most %d bytes", MaxPasswordLen)
	}
	return nil
}

// HashPassword returns an argon2id hash in the PHC string format:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>.
func HashPassword(pw string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash is returned for a stored hash that cannot be parsed.
var ErrBadHash = errors.New("account: malformed password hash")

// VerifyPassword reports whether pw matches the PHC-encoded hash, in
// constant time.
func VerifyPassword(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	if len(pw) > MaxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash lets a login for an unknown e-mail cost as much as a real one,
// so timing does not tell which addresses have accounts.
var dummyHash, _ = HashPassword("not-a-real-password", DefaultParams)

// BurnPasswordCheck spends the time of a password check against nothing.
func BurnPasswordCheck(pw string) { _, _ = VerifyPassword(pw, dummyHash) }

// NewSecret returns a random secret of n bytes, URL-safe base64 encoded,
// with an optional prefix (e.g. "plenary_" for API tokens, which makes them
// easy to find in leaked text).
func NewSecret(prefix string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("account: no randomness: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how session ids and API tokens are kept at rest: hex
// SHA-256. A high-entropy secret needs no slow hash.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// TokenPrefix starts every API token.
const TokenPrefix = "plenary_"
