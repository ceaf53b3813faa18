package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
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

// CreateUser creates an account. Only the secretariat (or the CLI, acting
// as the system) may create accounts; members of the public create their
// own through RegisterAccount. The password is stored as an argon2id hash
// and appears in no event and no log.
func (s *Service) CreateUser(ctx context.Context, a forum.Actor, in NewUser) (User, error) {
	if err := forum.RequireAdmin(a); err != nil {
		return User{}, err
	}
	return s.createUser(ctx, a, in)
}

// ErrEmailTaken is the answer to a new account for an address that has
// one already.
var ErrEmailTaken = plenary.Invalid("email", "an account with this e-mail address already exists")

// RegisterAccount lets a member of the public open an account (to apply
// for observer status, for example). It cannot make an administrator.
//
// For an address that has an account already it returns ErrEmailTaken,
// after the same work as for a new account (the password is hashed
// either way), so that it takes as long. A public face must answer
// ErrEmailTaken exactly as it answers success, or anyone could learn who
// has an account.
func (s *Service) RegisterAccount(ctx context.Context, in NewUser) (User, error) {
	in.Admin = false
	return s.createUser(ctx, forum.Anonymous, in)
}

func (s *Service) createUser(ctx context.Context, a forum.Actor, in NewUser) (User, error) {
	var errs plenary.Errors
	email, err := forum.NormalizeEmail(in.Email)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	name, err := forum.CheckName("name", in.Name, 200)
	if err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if err := CheckPassword(in.Password); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if len(errs) > 0 {
		return User{}, errs
	}
	hash, err := HashPassword(in.Password, s.pwParams)
	if err != nil {
		return User{}, err
	}
	u := User{ID: plenary.NewID(), Email: email, Name: name, Admin: in.Admin, CreatedAt: forum.NowUTC()}
	actor := a.LedgerID()
	if !a.LoggedIn() {
		actor = u.ID // self-registration
	}
	err = s.kernel.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, is_admin, disabled, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Email, u.Name, hash, u.Admin, false, u.CreatedAt.UnixMilli()); err != nil {
			if errors.Is(store.MapErr(err), plenary.ErrConflict) {
				return ErrEmailTaken
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
	email, err := forum.NormalizeEmail(email)
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
	email, err := forum.NormalizeEmail(email)
	if err != nil {
		BurnPasswordCheck(password)
		return User{}, ErrBadLogin
	}
	var hash string
	u, err := scanUserWithHash(s.store.QueryRowContext(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE email = ?", email), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		BurnPasswordCheck(password)
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, err
	}
	ok, err := VerifyPassword(password, hash)
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
		Secret:    NewSecret("", 32),
		UserID:    u.ID,
		CSRFToken: NewSecret("", 24),
		ExpiresAt: forum.NowUTC().Add(ttl),
	}
	_, err := s.store.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			HashSecret(sess.Secret), u.ID, sess.CSRFToken, forum.NowUTC().UnixMilli(), sess.ExpiresAt.UnixMilli())
		return err
	})
	return sess, err
}

// SessionActor resolves a session cookie's secret to its actor and CSRF token.
func (s *Service) SessionActor(ctx context.Context, secret string) (forum.Actor, string, error) {
	var a forum.Actor
	var csrf string
	var exp int64
	var disabled bool
	err := s.store.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.is_admin, u.disabled, s.csrf_token, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, HashSecret(secret)).
		Scan(&a.UserID, &a.Name, &a.Email, &a.Admin, &disabled, &csrf, &exp)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (disabled || exp < forum.NowUTC().UnixMilli())) {
		return forum.Anonymous, "", plenary.Unauthorized("the session has ended; log in again")
	}
	if err != nil {
		return forum.Anonymous, "", err
	}
	a.Via = "session"
	return a, csrf, nil
}

// EndSession logs out; what follows the user's credentials is told
// (CredentialsChanged).
func (s *Service) EndSession(ctx context.Context, secret string) error {
	var userID string
	_, err := s.store.Write(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT user_id FROM sessions WHERE id_hash = ?", HashSecret(secret)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = ?", HashSecret(secret))
		return err
	})
	if err == nil && userID != "" {
		s.changes.changed(userID)
	}
	return err
}

// PurgeSessions deletes expired sessions.
func (s *Service) PurgeSessions(ctx context.Context) error {
	_, err := s.store.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ?", forum.NowUTC().UnixMilli())
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
func (s *Service) CreateToken(ctx context.Context, a forum.Actor, name string) (Token, string, error) {
	if err := forum.RequireLogin(a); err != nil {
		return Token{}, "", err
	}
	name, err := forum.CheckName("name", name, 100)
	if err != nil {
		return Token{}, "", err
	}
	secret := NewSecret(TokenPrefix, 32)
	t := Token{ID: plenary.NewID(), Name: name, CreatedAt: forum.NowUTC()}
	err = s.kernel.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			t.ID, a.UserID, t.Name, HashSecret(secret), t.CreatedAt.UnixMilli()); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, ledger.SiteChain, a.LedgerID(), "token.created", ledger.VisSecretariat,
			map[string]any{"token_id": t.ID, "user_id": a.UserID, "name": t.Name})
		return err
	})
	return t, secret, err
}

// RevokeToken revokes one of the actor's tokens; what follows the user's
// credentials is told (CredentialsChanged).
func (s *Service) RevokeToken(ctx context.Context, a forum.Actor, id string) error {
	if err := forum.RequireLogin(a); err != nil {
		return err
	}
	err := s.kernel.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
			forum.NowUTC().UnixMilli(), id, a.UserID)
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
	if err == nil {
		s.changes.changed(a.UserID)
	}
	return err
}

// Tokens lists the actor's tokens.
func (s *Service) Tokens(ctx context.Context, a forum.Actor) ([]Token, error) {
	if err := forum.RequireLogin(a); err != nil {
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
		t.LastUsedAt = forum.NullTime(used)
		t.RevokedAt = forum.NullTime(revoked)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// TokenActor resolves an API token to its actor.
func (s *Service) TokenActor(ctx context.Context, secret string) (forum.Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return forum.Anonymous, plenary.Unauthorized("the API token is not valid")
	}
	var a forum.Actor
	var tokenID string
	var disabled bool
	var revoked, used sql.NullInt64
	err := s.store.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.is_admin, u.disabled, t.id, t.revoked_at, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, HashSecret(secret)).
		Scan(&a.UserID, &a.Name, &a.Email, &a.Admin, &disabled, &tokenID, &revoked, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (disabled || revoked.Valid)) {
		return forum.Anonymous, plenary.Unauthorized("the API token is not valid")
	}
	if err != nil {
		return forum.Anonymous, err
	}
	// Recording the last use is best effort, not part of the record, and
	// at most once a minute, so that API reads do not queue for the writer.
	if now := forum.NowUTC().UnixMilli(); !used.Valid || now-used.Int64 > 60_000 {
		_, _ = s.store.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, tokenID)
	}
	a.Via = "token"
	return a, nil
}
