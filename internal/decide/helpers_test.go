package decide_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
)

// t0 is 13 December 2012, 10:00 UTC, the day of the WCIT-12 vote.
const t0 = int64(1355392800000)

// atMin is t0 plus minutes.
func atMin(m int) int64 { return t0 + int64(m)*60000 }

// wantErr checks err against a code and a fragment of its message; an
// empty code wants no error.
func wantErr(t *testing.T, err error, code plenary.Code, frag string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var pe *plenary.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a %s error containing %q, got %v", code, frag, err)
	}
	if pe.Code != code || !strings.Contains(pe.Message, frag) {
		t.Fatalf("want a %s error containing %q, got %s: %q", code, frag, pe.Code, pe.Message)
	}
}

// equalJSON reports whether a and b encode to the same JSON.
func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}

// rollCallLetter is the documented draw: SHA-256 of "plenary roll-call:"
// and the seed in decimal, its first 8 bytes big-endian, modulo the number
// of letters.
func rollCallLetter(letters []rune, seed uint64) rune {
	h := sha256.Sum256([]byte("plenary roll-call:" + strconv.FormatUint(seed, 10)))
	return letters[binary.BigEndian.Uint64(h[:8])%uint64(len(letters))]
}
