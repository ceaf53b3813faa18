package forum

import (
	"database/sql"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
)

// NormalizeEmail lower-cases and trims an address and checks its form.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", plenary.Invalid("email", "is required")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") || len(s) > 254 {
		return "", plenary.Invalid("email", "is not an e-mail address")
	}
	return s, nil
}

// CheckName validates a person's or organisation's display name.
func CheckName(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", plenary.Invalid(field, "is required")
	case utf8.RuneCountInString(s) > max:
		return "", plenary.Invalid(field, "must be at most %d characters", max)
	case strings.ContainsAny(s, "\x00\r\n"):
		return "", plenary.Invalid(field, "must be one line of text")
	}
	return s, nil
}

func NullTime(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := time.UnixMilli(n.Int64).UTC()
	return &t
}
