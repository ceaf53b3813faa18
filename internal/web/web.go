// Package web is Plenary's HTML face: server-rendered pages from
// html/template with typed page structs, readable without JavaScript, with
// htmx and Server-Sent Events for the live parts. Handlers are thin: parse
// the request, call one command or query of an aggregate, render or
// redirect. Logins are cookie sessions; every state-changing form carries
// a CSRF token, and cross-origin unsafe requests are refused outright.
//
// This package is what the pages share (the Core: routing, sessions,
// CSRF, rendering, the layout, error pages, the page cache, the forum's
// navigation and the event descriptions) and the pages of the site, the
// accounts and the forums themselves. The pages of each aggregate are a
// package beneath it (participation, documents, drafting) whose Register
// function New calls: see Core.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/live"
)

// Options configure the web face.
type Options struct {
	Logger         *slog.Logger
	SecureCookies  bool
	SessionTTL     time.Duration
	MaxBodyBytes   int64
	MaxUploadBytes int64
	// LoginLimit limits login attempts per client address and per e-mail
	// address (default: 10 at once, then one every 30 s).
	LoginLimit *account.Limiter
	// DemoLogins, when set, lists the demo accounts on the login page.
	DemoLogins []DemoLogin
}

// DemoLogin is a demo account shown on the login page.
type DemoLogin struct {
	Role, Email, Password string
}

// Handler serves the HTML pages.
type Handler struct {
	c   *Core
	cop *http.CrossOriginProtection
}

// Core is what the packages of pages share. Each registers its pages with
// it, in a function Register(c *Core) that New calls: its templates with
// their page structs (Templates), template functions (Funcs), routes
// (Handle), tabs in a forum's navigation (Tab) and partial templates shown
// on other packages' pages (Part). Its handlers then render and redirect
// through it.
type Core struct {
	svc    *app.App
	broker *live.Broker
	log    *slog.Logger
	opt    Options
	r      renderer
	mux    *http.ServeMux
	pages  *cache.Cache
	reg    registry
}

// New builds the web face with the packages of pages given, each by its
// Register function.
func New(svc *app.App, broker *live.Broker, o Options, pages ...func(*Core)) (*Handler, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = 14 * 24 * time.Hour
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.MaxUploadBytes <= 0 {
		o.MaxUploadBytes = 20 << 20
	}
	if o.LoginLimit == nil {
		o.LoginLimit = account.NewLimiter(10, 30*time.Second)
	}
	c := &Core{svc: svc, broker: broker, log: o.Logger, opt: o, mux: http.NewServeMux(), pages: newPageCache(svc.Kernel.Generations())}
	if err := c.build(pages); err != nil {
		return nil, err
	}
	h := &Handler{c: c, cop: http.NewCrossOriginProtection()}
	h.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.Fail(w, r, &plenary.Error{Code: plenary.CodeForbidden, Message: "this form was sent from another site, so it was refused"})
	}))
	return h, nil
}

// build registers the pages of the core and of the packages, then loads
// every template: a broken or missing template, or a page without its
// struct, fails here, at start.
func (c *Core) build(pages []func(*Core)) error {
	c.routes()
	for _, register := range pages {
		register(c)
	}
	if c.reg.err != nil {
		return c.reg.err
	}
	return c.loadTemplates()
}

// ServeHTTP resolves the session, guards against cross-site requests and
// dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := forum.CheckAddress(r.URL.Path, r.URL.Query()); err != nil {
		h.c.Fail(w, r, err)
		return
	}
	r2 := h.c.withSession(w, r)
	r2 = r2.WithContext(forum.WithScopes(r2.Context()))
	h.cop.Handler(h.c.mux).ServeHTTP(w, r2)
	r.Pattern = r2.Pattern // for the metrics and logs outside
}

// App is the service the pages call: the kernel and one service per
// aggregate.
func (c *Core) App() *app.App { return c.svc }

// Log is the web face's logger.
func (c *Core) Log() *slog.Logger { return c.log }

// Options are the web face's options.
func (c *Core) Options() Options { return c.opt }

type pageKeyKey struct{}

// HandlerFunc is a handler that returns an error; the adapter renders it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle registers a page or a form: a POST's form is read (within
// MaxBodyBytes) and its CSRF token checked before f runs, an anonymous
// GET's page may be kept (see cache.go), and an error f returns is
// rendered as an error page.
func (c *Core) Handle(pattern string, f HandlerFunc) {
	c.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, c.opt.MaxBodyBytes)
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				if err := r.ParseForm(); err != nil {
					c.Fail(w, r, FormError(err))
					return
				}
			}
			if err := CheckCSRF(r); err != nil {
				c.Fail(w, r, err)
				return
			}
			if err := CheckFormText(r); err != nil {
				c.Fail(w, r, err)
				return
			}
		}
		if key := cacheKey(r); key != "" {
			// The generation is read before the handler reads any state,
			// so that a commit during the request marks its page stale.
			k := pageKey{chain: c.pageChain(r), key: key}
			if v, ok := c.pages.Lookup(k.chain, k.key); ok {
				p := v.(cachedPage)
				writePage(w, p.status, p.body)
				return
			}
			k.gen = c.pages.Generation(k.chain)
			r = r.WithContext(context.WithValue(r.Context(), pageKeyKey{}, k))
		}
		if err := f(w, r); err != nil {
			c.Fail(w, r, err)
		}
	}))
}

// HandleRaw registers a handler that reads the request's body itself, as
// a form carrying files does: after reading the form it checks the CSRF
// token with CheckCSRF and the text with CheckFormText, and renders its
// errors with Fail.
func (c *Core) HandleRaw(pattern string, h http.Handler) { c.mux.Handle(pattern, h) }

// FormError is the error for a form that could not be read: too large, or
// not a form.
func FormError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &plenary.Error{Code: plenary.CodeTooLarge, Message: "the form is too large"}
	}
	return &plenary.Error{Code: plenary.CodeInvalid, Message: "the form could not be read"}
}

// CheckFormText refuses a form whose fields are not valid UTF-8, naming the
// first such field. A page of this site is UTF-8, and so is what a browser
// sends from it; other bytes come from a program, and are refused before
// any handler reads them rather than stored as sent (the commands refuse
// them too: see forum.CheckText).
func CheckFormText(r *http.Request) error {
	forms := []url.Values{r.PostForm}
	if r.MultipartForm != nil {
		forms = append(forms, r.MultipartForm.Value)
	}
	for _, form := range forms {
		names := make([]string, 0, len(form))
		for name := range form {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if !utf8.ValidString(name) {
				return plenary.Invalid("form", "has a field name that is not valid UTF-8 text")
			}
			for _, v := range form[name] {
				if !utf8.ValidString(v) {
					return plenary.Invalid(name, forum.MsgNotUTF8)
				}
			}
		}
	}
	return nil
}

// errorPage is the page for errors.
type errorPage struct {
	Base
	Status  int
	Heading string
	Message string
	Fields  []fieldProblem
}

type fieldProblem struct{ Field, Message string }

// Status maps an error code to an HTTP status.
func Status(c plenary.Code) int { return c.HTTPStatus() }

// Fail renders an error page. Internal errors are logged and shown as a
// generic message; their text never reaches the client.
func (c *Core) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	var fields []fieldProblem
	var es plenary.Errors
	var pe *plenary.Error
	switch {
	case errors.As(err, &es) && len(es) > 0:
		for _, e := range es {
			fields = append(fields, fieldProblem{e.Field, e.Message})
		}
		pe = &plenary.Error{Code: plenary.CodeInvalid, Message: "some of what was sent needs correcting"}
	default:
		pe = plenary.AsError(err)
		if pe.Field != "" {
			fields = append(fields, fieldProblem{pe.Field, pe.Message})
		}
	}
	status := Status(pe.Code)
	if pe.Code == plenary.CodeUnauthorized && r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg := pe.Message
	if status == http.StatusInternalServerError {
		c.log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "Something went wrong on our side. It has been logged; please try again."
	}
	heading := http.StatusText(status)
	if pe.Code == plenary.CodeInvalid {
		heading = "Please correct the form"
	}
	if pe.Code == plenary.CodeRateLimited {
		w.Header().Set("Retry-After", "30")
	}
	p := errorPage{Base: c.Base(r, heading), Status: status, Heading: heading, Message: msg, Fields: fields}
	c.Render(w, r, status, "error", p)
}

// FieldErrors turns a validation error into a map for re-rendering a form
// and the form-level message; ok is false when err is not a validation
// error.
func FieldErrors(err error) (map[string]string, string, bool) {
	var es plenary.Errors
	if errors.As(err, &es) {
		m := map[string]string{}
		for _, e := range es {
			if _, dup := m[e.Field]; !dup {
				m[e.Field] = e.Message
			}
		}
		return m, "Some of what was sent needs correcting.", true
	}
	var pe *plenary.Error
	if errors.As(err, &pe) && pe.Code == plenary.CodeInvalid {
		if pe.Field == "" {
			return map[string]string{}, pe.Message, true
		}
		return map[string]string{pe.Field: pe.Message}, "Some of what was sent needs correcting.", true
	}
	return nil, "", false
}

// RefuseForm answers a refused form: when err is about the input, it
// renders the page afresh (load) with what was sent put back (fill, may be
// nil) and the field errors, as 422; any other error is returned.
func RefuseForm[P any, PP interface {
	*P
	setFormErrors(map[string]string, string)
}](c *Core, w http.ResponseWriter, r *http.Request, err error, name string, load func(*http.Request) (P, error), fill func(PP)) error {
	errs, problem, ok := FieldErrors(err)
	if !ok {
		return err
	}
	p, perr := load(r)
	if perr != nil {
		return perr
	}
	if fill != nil {
		fill(&p)
	}
	PP(&p).setFormErrors(errs, problem)
	c.Render(w, r, http.StatusUnprocessableEntity, name, p)
	return nil
}

// Redirect answers a successful POST: 303 to the next page, with a flash
// message.
func (c *Core) Redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		setFlash(w, flash, c.opt.SecureCookies)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// LocalPath returns next if it is a path on this site, else "/". It is
// the only way a value of next reaches a Location header or a form. A
// browser drops tabs and line breaks anywhere in a URL, trims spaces and
// control characters, reads a backslash as a slash and "//host" as
// another site, so none of these may appear, raw or percent-encoded in
// the path (decoded as often as it decodes, in case something on the way
// decodes it again). The query and the fragment are kept as they are.
func LocalPath(next string) string {
	if !isLocalPath(next) {
		return "/"
	}
	return next
}

func isLocalPath(s string) bool {
	if !strings.HasPrefix(s, "/") || !plainURLText(s) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" {
		return false
	}
	p := u.EscapedPath()
	for range 4 {
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || !plainURLText(p) {
			return false
		}
		d, err := url.PathUnescape(p)
		if err != nil || d == p {
			return true // nothing more to decode
		}
		p = d
	}
	return false // encoded more deeply than anything legitimate
}

// plainURLText reports whether s has no backslash, space or control
// character, which browsers would strip or reinterpret.
func plainURLText(s string) bool {
	for _, r := range s {
		if r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}
