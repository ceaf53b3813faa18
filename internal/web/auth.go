package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/forum"
)

type loginPage struct {
	Base
	Email string
	Next  string
	Demo  []DemoLogin
}

func (c *Core) showLogin(w http.ResponseWriter, r *http.Request) error {
	p := loginPage{Base: c.Base(r, "Log in"), Next: LocalPath(r.URL.Query().Get("next")), Demo: c.opt.DemoLogins}
	c.Render(w, r, http.StatusOK, "login", p)
	return nil
}

func (c *Core) login(w http.ResponseWriter, r *http.Request) error {
	email, pw, next := r.PostFormValue("email"), r.PostFormValue("password"), LocalPath(r.PostFormValue("next"))
	p := loginPage{Base: c.Base(r, "Log in"), Email: email, Next: next, Demo: c.opt.DemoLogins}
	// Rate limits: per client address and per account (its address as
	// login reads it, however it was typed), so that neither one client
	// nor one account can be hammered.
	okIP, _ := c.opt.LoginLimit.Allow("ip:" + clientIP(r))
	okEmail, _ := c.opt.LoginLimit.Allow(account.LoginKey(email))
	if !okIP || !okEmail {
		w.Header().Set("Retry-After", "30")
		p.Problem = "Too many login attempts. Wait a minute and try again."
		c.Render(w, r, http.StatusTooManyRequests, "login", p)
		return nil
	}
	u, err := c.svc.Accounts.Authenticate(r.Context(), email, pw)
	if errors.Is(err, account.ErrBadLogin) {
		p.Problem = account.ErrBadLogin.Message
		c.Render(w, r, http.StatusUnauthorized, "login", p)
		return nil
	}
	if err != nil {
		return err
	}
	c.opt.LoginLimit.Reset(account.LoginKey(email))
	if err := c.startSession(w, r, u); err != nil {
		return err
	}
	return c.Redirect(w, r, next, "Welcome, "+u.Name+".")
}

func (c *Core) logout(w http.ResponseWriter, r *http.Request) error {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := c.svc.Accounts.EndSession(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, c.cookie(sessionCookie, "", -1))
	return c.Redirect(w, r, "/", "You are logged out.")
}

type signupPage struct {
	Base
	Name, Email, Next string
}

func (c *Core) showSignup(w http.ResponseWriter, r *http.Request) error {
	c.Render(w, r, http.StatusOK, "signup", signupPage{Base: c.Base(r, "Create an account"), Next: LocalPath(r.URL.Query().Get("next"))})
	return nil
}

func (c *Core) signup(w http.ResponseWriter, r *http.Request) error {
	p := signupPage{Base: c.Base(r, "Create an account"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Next: LocalPath(r.PostFormValue("next"))}
	if ok, _ := c.opt.LoginLimit.Allow("ip:" + clientIP(r)); !ok {
		return &plenary.Error{Code: plenary.CodeRateLimited, Message: "too many attempts; wait a minute and try again"}
	}
	_, err := c.svc.Accounts.RegisterAccount(r.Context(), account.NewUser{Name: p.Name, Email: p.Email, Password: r.PostFormValue("password")})
	if errors.Is(err, account.ErrEmailTaken) {
		// Answered as a new account is, so that the form does not tell
		// who has an account; the owner logs in as usual.
		err = nil
	}
	if errs, problem, ok := FieldErrors(err); ok {
		p.Errors, p.Problem = errs, problem
		c.Render(w, r, http.StatusUnprocessableEntity, "signup", p)
		return nil
	}
	if err != nil {
		return err
	}
	// No session is started, since none could be for an address that had
	// an account: both go on to log in.
	return c.Redirect(w, r, "/login?next="+url.QueryEscape(p.Next), signedUp)
}

// signedUp is the one answer to a sign-up that was not refused, whether
// or not the address had an account.
const signedUp = "Log in to continue. If this e-mail address had no account, it now has one with the password you chose; if it had one, that account is unchanged."

type accountPage struct {
	Base
	Tokens    []account.Token
	NewSecret string
	TokenName string
}

func (c *Core) showAccount(w http.ResponseWriter, r *http.Request) error {
	a := forum.ActorFrom(r.Context())
	ts, err := c.svc.Accounts.Tokens(r.Context(), a)
	if err != nil {
		return err
	}
	c.Render(w, r, http.StatusOK, "account", accountPage{Base: c.Base(r, "Your account"), Tokens: ts})
	return nil
}

func (c *Core) createToken(w http.ResponseWriter, r *http.Request) error {
	a := forum.ActorFrom(r.Context())
	_, secret, err := c.svc.Accounts.CreateToken(r.Context(), a, r.PostFormValue("name"))
	p := accountPage{Base: c.Base(r, "Your account"), TokenName: r.PostFormValue("name")}
	if errs, problem, ok := FieldErrors(err); ok {
		p.Errors, p.Problem = errs, problem
	} else if err != nil {
		return err
	} else {
		p.NewSecret = secret
		p.TokenName = ""
	}
	if p.Tokens, err = c.svc.Accounts.Tokens(r.Context(), a); err != nil {
		return err
	}
	status := http.StatusOK
	if p.Errors != nil {
		status = http.StatusUnprocessableEntity
	}
	// The secret is shown once, on this response; it is not stored.
	c.Render(w, r, status, "account", p)
	return nil
}

func (c *Core) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := c.svc.Accounts.RevokeToken(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return c.Redirect(w, r, "/account", "The token is revoked.")
}
