// Package web is Plenary's HTML face: server-rendered pages from
// html/template with typed page structs, readable without JavaScript, with
// htmx and Server-Sent Events for the live parts. Handlers are thin: parse
// the request, call one command or query of the forum package, render or
// redirect. Logins are cookie sessions; every state-changing form carries
// a CSRF token, and cross-origin unsafe requests are refused outright.
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
	svc    *app.App
	broker *live.Broker
	log    *slog.Logger
	opt    Options
	r      renderer
	mux    *http.ServeMux
	cop    *http.CrossOriginProtection
	pages  *cache.Cache
}

// New builds the web face.
func New(svc *app.App, broker *live.Broker, o Options) (*Handler, error) {
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
	h := &Handler{svc: svc, broker: broker, log: o.Logger, opt: o, mux: http.NewServeMux(), cop: http.NewCrossOriginProtection(), pages: newPageCache(svc.Kernel.Generations())}
	h.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, &plenary.Error{Code: plenary.CodeForbidden, Message: "this form was sent from another site, so it was refused"})
	}))
	if err := h.loadTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// ServeHTTP resolves the session, guards against cross-site requests and
// dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r2 := h.withSession(w, r)
	r2 = r2.WithContext(forum.WithScopes(r2.Context()))
	h.cop.Handler(h.mux).ServeHTTP(w, r2)
	r.Pattern = r2.Pattern // for the metrics and logs outside
}

type pageKeyKey struct{}

// handlerFunc is a handler that returns an error; the adapter renders it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (h *Handler) handle(pattern string, f handlerFunc) {
	h.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, h.opt.MaxBodyBytes)
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				if err := r.ParseForm(); err != nil {
					h.fail(w, r, formError(err))
					return
				}
			}
			if err := checkCSRF(r); err != nil {
				h.fail(w, r, err)
				return
			}
			if err := checkFormText(r); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if key := cacheKey(r); key != "" {
			// The generation is read before the handler reads any state,
			// so that a commit during the request marks its page stale.
			k := pageKey{chain: h.pageChain(r), key: key}
			if v, ok := h.pages.Lookup(k.chain, k.key); ok {
				p := v.(cachedPage)
				writePage(w, p.status, p.body)
				return
			}
			k.gen = h.pages.Generation(k.chain)
			r = r.WithContext(context.WithValue(r.Context(), pageKeyKey{}, k))
		}
		if err := f(w, r); err != nil {
			h.fail(w, r, err)
		}
	}))
}

func formError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &plenary.Error{Code: plenary.CodeTooLarge, Message: "the form is too large"}
	}
	return &plenary.Error{Code: plenary.CodeInvalid, Message: "the form could not be read"}
}

// checkFormText refuses a form whose fields are not valid UTF-8, naming the
// first such field. A page of this site is UTF-8, and so is what a browser
// sends from it; other bytes come from a program, and are refused before
// any handler reads them rather than stored as sent (the commands refuse
// them too: see forum.CheckText).
func checkFormText(r *http.Request) error {
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

// fail renders an error page. Internal errors are logged and shown as a
// generic message; their text never reaches the client.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
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
		h.log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "Something went wrong on our side. It has been logged; please try again."
	}
	heading := http.StatusText(status)
	if pe.Code == plenary.CodeInvalid {
		heading = "Please correct the form"
	}
	if pe.Code == plenary.CodeRateLimited {
		w.Header().Set("Retry-After", "30")
	}
	p := errorPage{Base: h.base(r, heading), Status: status, Heading: heading, Message: msg, Fields: fields}
	h.render(w, r, status, "error", p)
}

// fieldErrors turns a validation error into a map for re-rendering a form;
// ok is false when err is not a validation error.
func fieldErrors(err error) (map[string]string, string, bool) {
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

// redirect answers a successful POST: 303 to the next page, with a flash
// message.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		setFlash(w, flash, h.opt.SecureCookies)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// localPath returns next if it is a path on this site, else "/". It is
// the only way a value of next reaches a Location header or a form. A
// browser drops tabs and line breaks anywhere in a URL, trims spaces and
// control characters, reads a backslash as a slash and "//host" as
// another site, so none of these may appear, raw or percent-encoded in
// the path (decoded as often as it decodes, in case something on the way
// decodes it again). The query and the fragment are kept as they are.
func localPath(next string) string {
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
