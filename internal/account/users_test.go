package account_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/ledger"
)

func TestUsersAndLogin(t *testing.T) {
	fx := fixture.NewSite(t)
	if _, err := fx.Svc.Accounts.CreateUser(fx.Ctx, fx.Alice, account.NewUser{Email: "x@example.org", Name: "X", Password: "long enough pw"}); plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Fatalf("non-admin creating a user: %v", err)
	}
	_, err := fx.Svc.Accounts.CreateUser(fx.Ctx, fx.Admin, account.NewUser{Email: "ALICE@example.org ", Name: "Alice 2", Password: "long enough pw"})
	if pe := plenary.AsError(err); pe.Field != "email" {
		t.Fatalf("duplicate e-mail (other case): %v", err)
	}
	_, err = fx.Svc.Accounts.CreateUser(fx.Ctx, fx.Admin, account.NewUser{Email: "not-an-address", Name: "", Password: "short"})
	var es plenary.Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("three bad fields: %v", err)
	}
	// Names follow the rules of text; a refused account appends nothing.
	head, _ := fx.St.HeadSeq(fx.Ctx, ledger.SiteChain)
	for _, name := range []string{"Jos\xe9", "Jos\u00e9\x1b[31m", "Jos\u00e9\nMart\u00ed"} {
		_, err = fx.Svc.Accounts.CreateUser(fx.Ctx, fx.Admin, account.NewUser{Email: "jose@example.org", Name: name, Password: "long enough pw"})
		if pe := plenary.AsError(err); !errors.As(err, &es) || es[0].Field != "name" || pe.Code != plenary.CodeInvalid {
			t.Fatalf("name %q: %v", name, err)
		}
	}
	if _, _, err := fx.Svc.Accounts.CreateToken(fx.Ctx, fx.Alice, "laptop\x00"); plenary.ErrorCode(err) != plenary.CodeInvalid {
		t.Fatalf("token name with NUL: %v", err)
	}
	if after, _ := fx.St.HeadSeq(fx.Ctx, ledger.SiteChain); after != head {
		t.Fatalf("refused accounts appended %d events", after-head)
	}
	u, err := fx.Svc.Accounts.Authenticate(fx.Ctx, " Alice@Example.org", "password-alice@example.org")
	if err != nil || u.ID != fx.Alice.UserID {
		t.Fatalf("good login: %v %v", u, err)
	}
	_, errWrongPw := fx.Svc.Accounts.Authenticate(fx.Ctx, "alice@example.org", "wrong password")
	_, errNoUser := fx.Svc.Accounts.Authenticate(fx.Ctx, "nobody@example.org", "wrong password")
	if errWrongPw != account.ErrBadLogin || errNoUser != account.ErrBadLogin {
		t.Fatalf("wrong password %v / unknown user %v: want the same ErrBadLogin", errWrongPw, errNoUser)
	}
	// Passwords appear nowhere in the record or the tables but as hashes.
	var payloads []string
	if err := fx.St.ScanEvents(fx.Ctx, ledger.SiteChain, func(ev ledger.Event) error {
		payloads = append(payloads, string(ev.Payload))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(payloads) < 2 {
		t.Fatalf("no user.created events: %v", payloads)
	}
	for _, p := range payloads {
		if strings.Contains(p, "password") || strings.Contains(p, "@example.org") {
			t.Errorf("site event carries a password or an e-mail address: %s", p)
		}
	}
	var hash string
	if err := fx.St.QueryRowContext(fx.Ctx, "SELECT password_hash FROM users WHERE id = ?", fx.Alice.UserID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "password-alice") {
		t.Fatalf("stored hash %q", hash)
	}
}

func TestSessions(t *testing.T) {
	fx := fixture.NewSite(t)
	u, _ := fx.Svc.Accounts.UserByID(fx.Ctx, fx.Alice.UserID)
	sess, err := fx.Svc.Accounts.StartSession(fx.Ctx, u, 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	a, csrf, err := fx.Svc.Accounts.SessionActor(fx.Ctx, sess.Secret)
	if err != nil || a.UserID != u.ID || csrf != sess.CSRFToken || a.Via != "session" {
		t.Fatalf("session: %+v %q %v", a, csrf, err)
	}
	var n int
	fx.St.QueryRowContext(fx.Ctx, "SELECT COUNT(*) FROM sessions WHERE id_hash = ?", sess.Secret).Scan(&n)
	if n != 0 {
		t.Fatal("the session secret is stored in clear")
	}
	if err := fx.Svc.Accounts.EndSession(fx.Ctx, sess.Secret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := fx.Svc.Accounts.SessionActor(fx.Ctx, sess.Secret); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("ended session still works: %v", err)
	}
	expired, _ := fx.Svc.Accounts.StartSession(fx.Ctx, u, -1)
	if _, _, err := fx.Svc.Accounts.SessionActor(fx.Ctx, expired.Secret); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("expired session works: %v", err)
	}
}

func TestAPITokens(t *testing.T) {
	fx := fixture.NewSite(t)
	tok, secret, err := fx.Svc.Accounts.CreateToken(fx.Ctx, fx.Alice, "my script")
	if err != nil || !strings.HasPrefix(secret, account.TokenPrefix) {
		t.Fatalf("%v %q", err, secret)
	}
	a, err := fx.Svc.Accounts.TokenActor(fx.Ctx, secret)
	if err != nil || a.UserID != fx.Alice.UserID || a.Via != "token" {
		t.Fatalf("token actor %+v %v", a, err)
	}
	var n int
	fx.St.QueryRowContext(fx.Ctx, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?", secret).Scan(&n)
	if n != 0 {
		t.Fatal("the token is stored in clear")
	}
	if _, err := fx.Svc.Accounts.TokenActor(fx.Ctx, secret+"x"); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("wrong token: %v", err)
	}
	bob := fx.User(t, "bob@example.org", "Bob", false)
	if err := fx.Svc.Accounts.RevokeToken(fx.Ctx, bob, tok.ID); plenary.ErrorCode(err) != plenary.CodeNotFound {
		t.Fatalf("revoking someone else's token: %v", err)
	}
	if err := fx.Svc.Accounts.RevokeToken(fx.Ctx, fx.Alice, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.Svc.Accounts.TokenActor(fx.Ctx, secret); plenary.ErrorCode(err) != plenary.CodeUnauthorized {
		t.Fatalf("revoked token works: %v", err)
	}
	ts, err := fx.Svc.Accounts.Tokens(fx.Ctx, fx.Alice)
	if err != nil || len(ts) != 1 || ts[0].RevokedAt == nil || ts[0].LastUsedAt == nil {
		t.Fatalf("tokens %+v %v", ts, err)
	}
}

// Registering an address that has an account says so only through
// ErrEmailTaken, which the public faces answer as they answer success, and
// changes nothing. (The password is hashed before the address is tried, so
// both cases take the same work; that is in the code's order, not timed
// here: timed tests fail on a busy machine.)
func TestRegisterAccountSaysTakenOnlyThroughErrEmailTaken(t *testing.T) {
	fx := fixture.NewSite(t)
	p := account.Params{Time: 1, Memory: 8 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}
	svc := account.NewService(fx.Svc.Kernel, p)
	register := func(email string) error {
		_, err := svc.RegisterAccount(fx.Ctx, account.NewUser{Email: email, Name: "Someone", Password: "a long new password"})
		return err
	}
	if err := register("new@example.org"); err != nil {
		t.Fatalf("a new address: %v", err)
	}
	for _, email := range []string{"alice@example.org", " ALICE@example.org", "new@example.org"} {
		if err := register(email); !errors.Is(err, account.ErrEmailTaken) {
			t.Errorf("%q: %v, want ErrEmailTaken", email, err)
		}
	}
	if _, err := svc.Authenticate(fx.Ctx, "new@example.org", "a long new password"); err != nil {
		t.Fatalf("the first account's password changed: %v", err)
	}
}

// Ending a session and revoking a token tell whatever follows the user's
// credentials (live streams), once committed.
func TestCredentialsChanged(t *testing.T) {
	fx := fixture.NewSite(t)
	closed := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	u, _ := fx.Svc.Accounts.UserByID(fx.Ctx, fx.Alice.UserID)
	sess, err := fx.Svc.Accounts.StartSession(fx.Ctx, u, 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	ch := fx.Svc.Accounts.CredentialsChanged(u.ID)
	if err := fx.Svc.Accounts.EndSession(fx.Ctx, "no such session"); err != nil || closed(ch) {
		t.Fatalf("ending no session: %v, told: %v", err, closed(ch))
	}
	if err := fx.Svc.Accounts.EndSession(fx.Ctx, sess.Secret); err != nil || !closed(ch) {
		t.Fatalf("logout: %v, told: %v", err, closed(ch))
	}
	ch = fx.Svc.Accounts.CredentialsChanged(u.ID)
	if closed(ch) {
		t.Fatal("a new channel is closed already")
	}
	tok, _, err := fx.Svc.Accounts.CreateToken(fx.Ctx, fx.Alice, "stream")
	if err != nil {
		t.Fatal(err)
	}
	bob := fx.User(t, "bob@example.org", "Bob", false)
	if err := fx.Svc.Accounts.RevokeToken(fx.Ctx, bob, tok.ID); err == nil || closed(ch) {
		t.Fatalf("a refused revocation: %v, told: %v", err, closed(ch))
	}
	if err := fx.Svc.Accounts.RevokeToken(fx.Ctx, fx.Alice, tok.ID); err != nil || !closed(ch) {
		t.Fatalf("revocation: %v, told: %v", err, closed(ch))
	}
}
