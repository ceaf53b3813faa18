package account

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery", FastParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", h)
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
		{strings.Repeat("x", 300), false},
	} {
		ok, err := VerifyPassword(tt.pw, h)
		if err != nil || ok != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	h2, _ := HashPassword("correct horse battery", FastParams)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=18$m=1,t=1,p=1$AAAA$AAAA",
		"$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=1,t=1,p=1$!!$AAAA", "$argon2id$v=19$m=1,t=1,p=1$AAAA$"} {
		if _, err := VerifyPassword("pw", bad); err != ErrBadHash {
			t.Errorf("VerifyPassword(%q): err = %v, want ErrBadHash", bad, err)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	if err := CheckPassword("short"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("short password accepted or unnamed field: %v", err)
	}
	if err := CheckPassword(strings.Repeat("a", 257)); err == nil {
		t.Error("over-long password accepted")
	}
	if err := CheckPassword("long enough pass"); err != nil {
		t.Error(err)
	}
	// A password is typed again elsewhere, where text is UTF-8.
	if err := CheckPassword("long enough \xff pass"); err == nil || !strings.Contains(err.Error(), "is not valid UTF-8 text") {
		t.Errorf("password with invalid UTF-8: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	a, b := NewSecret(TokenPrefix, 32), NewSecret(TokenPrefix, 32)
	if a == b || !strings.HasPrefix(a, TokenPrefix) || len(a) != len(TokenPrefix)+43 {
		t.Fatalf("bad secrets %q %q", a, b)
	}
	if ha, hb := HashSecret(a), HashSecret(a); HashSecret(a) == HashSecret(b) || len(ha) != 64 || ha != hb {
		t.Fatal("HashSecret is not a stable SHA-256")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(3, 10*time.Second)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("ip"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("ip")
	if ok || wait != 10*time.Second {
		t.Fatalf("4th attempt: ok=%v wait=%v; want refused, 10s", ok, wait)
	}
	if ok, _ := l.Allow("other"); !ok {
		t.Fatal("another key was limited")
	}
	now = now.Add(10 * time.Second)
	if ok, _ := l.Allow("ip"); !ok {
		t.Fatal("not refilled after the interval")
	}
	if ok, _ := l.Allow("ip"); ok {
		t.Fatal("refilled more than one token")
	}
	l.Reset("ip")
	if ok, _ := l.Allow("ip"); !ok {
		t.Fatal("Reset did not restore the burst")
	}
	now = now.Add(time.Hour)
	l.Allow("x")
	if _, ok := l.buckets["other"]; ok {
		t.Fatal("idle key not collected")
	}
}

func TestLoginKeyIsTheNormalisedAddress(t *testing.T) {
	want := LoginKey("alice@example.org")
	for _, e := range []string{"Alice@Example.org", " alice@example.org ", "ALICE@EXAMPLE.ORG", "\talice@example.ORG\n"} {
		if got := LoginKey(e); got != want {
			t.Errorf("LoginKey(%q) = %q, want %q", e, got, want)
		}
	}
	if LoginKey("bob@example.org") == want {
		t.Error("two accounts share a key")
	}
	if got := LoginKey(" Not An Address "); got != "email:not an address" {
		t.Errorf("an address that does not normalise: %q", got)
	}
}
