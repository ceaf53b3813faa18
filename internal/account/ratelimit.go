package account

import (
	"strings"
	"sync"
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
)

// Limiter is a token-bucket rate limiter keyed by strings (a client address,
// an e-mail address). It forgets idle keys, so memory stays bounded by the
// keys seen within one refill period.
type Limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	buckets map[string]*bucket
	now     func() time.Time
	lastGC  time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter allows burst events at once and then one every interval.
func NewLimiter(burst int, interval time.Duration) *Limiter {
	return &Limiter{burst: float64(burst), perSec: 1 / interval.Seconds(), buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes a token for key and reports whether there was one. When not,
// it also returns how long until the next token.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastGC) > time.Minute {
		l.gc(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.perSec
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
	return false, wait
}

// Reset forgets key (after a successful login, for the e-mail key).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
}

func (l *Limiter) gc(now time.Time) {
	full := time.Duration(l.burst / l.perSec * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
	l.lastGC = now
}

// LoginKey is the key of an account's login attempts: the address as
// Authenticate reads it (forum.NormalizeEmail: trimmed, lower-case), so
// that every spelling of one address draws on one bucket. An address that
// does not normalise is still trimmed and lower-cased.
func LoginKey(email string) string {
	if n, err := forum.NormalizeEmail(email); err == nil {
		return "email:" + n
	}
	return "email:" + strings.ToLower(strings.TrimSpace(email))
}
