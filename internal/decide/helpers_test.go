package decide_test

import (
	"encoding/json"
	"errors"
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
