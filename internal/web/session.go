package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/forum"
)

const (
	sessionCookie = "plenary_session"
	csrfCookie    = "plenary_csrf"
	flashCookie   = "plenary_flash"
	csrfField     = "csrf_token"
)

type csrfKey struct{}
type flashKey struct{}

// withSession puts the logged-in actor and the CSRF token in the request's
// context. A logged-in user's token is bound to the session; an anonymous
// visitor's (for the login and application forms) is a random value in a
// cookie of its own, checked by double submission.
func (c *Core) withSession(w http.ResponseWriter, r *http.Request) *http.Request {
	ctx := r.Context()
	token := ""
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		a, csrf, err := c.svc.Accounts.SessionActor(ctx, ck.Value)
		if err == nil {
			ctx = forum.WithActor(ctx, a)
			token = csrf
		} else {
			http.SetCookie(w, c.cookie(sessionCookie, "", -1))
		}
	}
	if token == "" {
		if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 {
			token = ck.Value
		} else {
			token = account.NewSecret("", 24)
			http.SetCookie(w, c.cookie(csrfCookie, token, 0))
		}
	}
	ctx = context.WithValue(ctx, csrfKey{}, token)
	if ck, err := r.Cookie(flashCookie); err == nil {
		if v, err := url.QueryUnescape(ck.Value); err == nil {
			ctx = context.WithValue(ctx, flashKey{}, v)
		}
		http.SetCookie(w, c.cookie(flashCookie, "", -1))
	}
	return r.WithContext(ctx)
}

func (c *Core) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: c.opt.SecureCookies, SameSite: http.SameSiteLaxMode}
}

func csrfToken(r *http.Request) string {
	s, _ := r.Context().Value(csrfKey{}).(string)
	return s
}

// CheckCSRF compares the form's token with the session's (or the
// anonymous cookie's) in constant time. htmx requests may send it in the
// X-CSRF-Token header instead.
func CheckCSRF(r *http.Request) error {
	want := csrfToken(r)
	got := r.PostFormValue(csrfField)
	if got == "" {
		got = r.Header.Get("X-CSRF-Token")
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return &plenary.Error{Code: plenary.CodeForbidden, Field: csrfField,
			Message: "the form had expired or did not come from this site; reload the page and send it again"}
	}
	return nil
}

func flashFrom(r *http.Request) string {
	s, _ := r.Context().Value(flashKey{}).(string)
	return s
}

func setFlash(w http.ResponseWriter, msg string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// startSession logs u in: a new session (never reusing an earlier one, so
// a planted cookie cannot be fixed) and its cookie.
func (c *Core) startSession(w http.ResponseWriter, r *http.Request, u account.User) error {
	sess, err := c.svc.Accounts.StartSession(r.Context(), u, c.opt.SessionTTL)
	if err != nil {
		return err
	}
	ck := c.cookie(sessionCookie, sess.Secret, int(time.Until(sess.ExpiresAt).Seconds()))
	http.SetCookie(w, ck)
	return nil
}

func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			return host[:i]
		}
	}
	return host
}
