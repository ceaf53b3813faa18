package forum

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// User is an account.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email,omitempty"`
	Name      string    `json:"name"`
	Admin     bool      `json:"admin"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Admin    bool
}

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

// CreateUser creates an account. Only the secretariat (or the CLI, acting
// as the system) may create accounts; members of the public create their
// own through RegisterAccount. The password is stored as an argon2id hash
// and appears in no event and no log.
func (s *Service) CreateUser(ctx context.Context, a Actor, in NewUser) (User, error) {
	if err := requireAdmin(a); err != nil {
		return User{}, err
	}
	return s.createUser(ctx, a, in)
}

// RegisterAccount lets a member of the public open an account (to apply
// for observer status, for example). It cannot make an administrator.
func (s *Service) RegisterAccount(ctx context.Context, in NewUser) (User, error) {
	in.Admin = false
	return s.createUser(ctx, Anonymous, in)
}

func (s *Service) createUser(ctx context.Context, a Actor, in NewUser) (User, error) {
	var errs plenary.Errors
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	name, err := CheckName("name", in.Name, 200)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if err := account.CheckPassword(in.Password); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if len(errs) > 0 {
		return User{}, errs
	}
	hash, err := account.HashPassword(in.Password, s.pwParams)
	if err != nil {
		return User{}, err
	}
	u := User{ID: plenary.NewID(), Email: email, Name: name, Admin: in.Admin, CreatedAt: nowUTC()}
	actor := a.LedgerID()
	if !a.LoggedIn() {
		actor = u.ID // self-registration
	}
	err = s.write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, is_admin, disabled, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Email, u.Name, hash, u.Admin, false, u.CreatedAt.UnixMilli()); err != nil {
			if errors.Is(store.MapErr(err), plenary.ErrConflict) {
				return plenary.Invalid("email", "an account with this e-mail address already exists")
			}
			return err
		}
		_, err := tx.Emit(ctx, ledger.SiteChain, actor, "user.created", ledger.VisSecretariat,
			map[string]any{"user_id": u.ID, "name": u.Name, "admin": u.Admin})
		return err
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

const userColumns = "id, email, name, is_admin, disabled, created_at"

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var at int64
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &u.Disabled, &at)
	u.CreatedAt = time.UnixMilli(at).UTC()
	return u, err
}

// UserByID returns a user.
func (s *Service) UserByID(ctx context.Context, id string) (User, error) {
	u, err := scanUser(s.store.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, plenary.NotFound("no such user")
	}
	return u, err
}

// UserByEmail returns a user by e-mail address.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	u, err := scanUser(s.store.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, plenary.NotFound("no account with that e-mail address")
	}
	return u, err
}

// ErrBadLogin is the one answer to a wrong e-mail or a wrong password, so
// that the answer does not tell which addresses have accounts.
var ErrBadLogin = &plenary.Error{Code: plenary.CodeUnauthorized, Field: "password", Message: "the e-mail address or the password is wrong"}

// Authenticate checks an e-mail address and password and returns the user.
func (s *Service) Authenticate(ctx context.Context, email, password string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		account.BurnPasswordCheck(password)
		return User{}, ErrBadLogin
	}
	var hash string
	u, err := scanUserWithHash(s.store.QueryRowContext(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE email = ?", email), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		account.BurnPasswordCheck(password)
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, err
	}
	ok, err := account.VerifyPassword(password, hash)
	if err != nil {
		return User{}, err
	}
	if !ok || u.Disabled {
		return User{}, ErrBadLogin
	}
	return u, nil
}

func scanUserWithHash(sc interface{ Scan(...any) error }, hash *string) (User, error) {
	var u User
	var at int64
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &u.Disabled, &at, hash)
	u.CreatedAt = time.UnixMilli(at).UTC()
	return u, err
}

// Session is a login: the cookie holds Secret; the database keeps only
// its hash.
type Session struct {
	Secret    string
	UserID    string
	CSRFToken string
	ExpiresAt time.Time
}

// StartSession records a new login for u. Sessions are operational state,
// not part of a forum's record, so they append no ledger event.
func (s *Service) StartSession(ctx context.Context, u User, ttl time.Duration) (Session, error) {
	sess := Session{
		Secret:    account.NewSecret("", 32),
		UserID:    u.ID,
		CSRFToken: account.NewSecret("", 24),
		ExpiresAt: nowUTC().Add(ttl),
	}
	_, err := s.store.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			account.HashSecret(sess.Secret), u.ID, sess.CSRFToken, nowUTC().UnixMilli(), sess.ExpiresAt.UnixMilli())
		return err
	})
	return sess, err
}

// SessionActor resolves a session cookie's secret to its actor and CSRF token.
func (s *Service) SessionActor(ctx context.Context, secret string) (Actor, string, error) {
	var a Actor
	var csrf string
	var exp int64
	var disabled bool
	err := s.store.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.is_admin, u.disabled, s.csrf_token, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, account.HashSecret(secret)).
		Scan(&a.UserID, &a.Name, &a.Email, &a.Admin, &disabled, &csrf, &exp)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (disabled || exp < nowUTC().UnixMilli())) {
		return Anonymous, "", plenary.Unauthorized("the session has ended; log in again")
	}
	if err != nil {
		return Anonymous, "", err
	}
	a.Via = "session"
	return a, csrf, nil
}

// EndSession logs out.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	_, err := s.store.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = ?", account.HashSecret(secret))
		return err
	})
	return err
}

// PurgeSessions deletes expired sessions.
func (s *Service) PurgeSessions(ctx context.Context) error {
	_, err := s.store.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ?", nowUTC().UnixMilli())
		return err
	})
	return err
}

// Token is an API token as listed (the secret is shown once, at creation).
type Token struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// CreateToken makes an API token for the actor and returns its secret,
// which is stored only as a hash and cannot be shown again.
func (s *Service) CreateToken(ctx context.Context, a Actor, name string) (Token, string, error) {
	if err := requireLogin(a); err != nil {
		return Token{}, "", err
	}
	name, err := CheckName("name", name, 100)
	if err != nil {
		return Token{}, "", err
	}
	secret := account.NewSecret(account.TokenPrefix, 32)
	t := Token{ID: plenary.NewID(), Name: name, CreatedAt: nowUTC()}
	err = s.write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			t.ID, a.UserID, t.Name, account.HashSecret(secret), t.CreatedAt.UnixMilli()); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, ledger.SiteChain, a.LedgerID(), "token.created", ledger.VisSecretariat,
			map[string]any{"token_id": t.ID, "user_id": a.UserID, "name": t.Name})
		return err
	})
	return t, secret, err
}

// RevokeToken revokes one of the actor's tokens.
func (s *Service) RevokeToken(ctx context.Context, a Actor, id string) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	return s.write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
			nowUTC().UnixMilli(), id, a.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return plenary.NotFound("no such active token")
		}
		_, err = tx.Emit(ctx, ledger.SiteChain, a.LedgerID(), "token.revoked", ledger.VisSecretariat,
			map[string]any{"token_id": id, "user_id": a.UserID})
		return err
	})
}

// Tokens lists the actor's tokens.
func (s *Service) Tokens(ctx context.Context, a Actor) ([]Token, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	rows, err := s.store.QueryContext(ctx, "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC", a.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []Token
	for rows.Next() {
		var t Token
		var created int64
		var used, revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &created, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = time.UnixMilli(created).UTC()
		t.LastUsedAt = nullTime(used)
		t.RevokedAt = nullTime(revoked)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

func nullTime(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := time.UnixMilli(n.Int64).UTC()
	return &t
}

// TokenActor resolves an API token to its actor.
func (s *Service) TokenActor(ctx context.Context, secret string) (Actor, error) {
	if !strings.HasPrefix(secret, account.TokenPrefix) {
		return Anonymous, plenary.Unauthorized("the API token is not valid")
	}
	var a Actor
	var tokenID string
	var disabled bool
	var revoked, used sql.NullInt64
	err := s.store.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.is_admin, u.disabled, t.id, t.revoked_at, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, account.HashSecret(secret)).
		Scan(&a.UserID, &a.Name, &a.Email, &a.Admin, &disabled, &tokenID, &revoked, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (disabled || revoked.Valid)) {
		return Anonymous, plenary.Unauthorized("the API token is not valid")
	}
	if err != nil {
		return Anonymous, err
	}
	// Recording the last use is best effort, not part of the record, and
	// at most once a minute, so that API reads do not queue for the writer.
	if now := nowUTC().UnixMilli(); !used.Valid || now-used.Int64 > 60_000 {
		_, _ = s.store.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, tokenID)
	}
	a.Via = "token"
	return a, nil
}
