package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Base is embedded in every page struct: what the layout needs.
type Base struct {
	Title   string
	Actor   forum.Actor
	CSRF    string
	Flash   string
	Path    string
	Forum   *forum.Forum // set on pages inside a forum: adds the forum's navigation
	Section string       // the forum navigation entry to mark as current
	// ForumNav is what the forum's navigation links for the actor.
	ForumNav forumNav
	// Live, when set, is the SSE URL the page listens to for updates.
	Live string
	// Errors are field errors of a submitted form, by field name; Problem
	// is the form-level message.
	Errors  map[string]string
	Problem string
	// ctx is the context of the request the page is rendered for.
	ctx context.Context
}

// forumNav is what a forum's navigation links for the actor, by the rights
// of the commands and queries behind the links.
type forumNav struct {
	// Approvals: the actor decides on registrations in the forum (the
	// approval queue).
	Approvals bool
	// Settings: the actor is the forum's secretariat, which changes its
	// settings.
	Settings bool
}

// FieldError returns the error for one form field, "" when none.
func (b Base) FieldError(field string) string { return b.Errors[field] }

// RequestContext is the context of the request the page is rendered for,
// nil for a page not made by base.
func (b Base) RequestContext() context.Context { return b.ctx }

// base fills the common part of a page.
func (h *Handler) base(r *http.Request, title string) Base {
	return Base{Title: title, Actor: forum.ActorFrom(r.Context()), CSRF: csrfToken(r), Path: r.URL.Path, Flash: flashFrom(r), ctx: r.Context()}
}

// page is what template functions that read the store are given, the
// page being rendered (a struct embedding Base), for its request's
// context.
type page interface{ RequestContext() context.Context }

// readContext is the context of a template function's read: the values
// of p's request (so that the read is the request's, as a statement
// counter sees it) without its cancellation, since what the function
// reads may be kept for other requests, and at most 5 s.
func readContext(p page) (context.Context, context.CancelFunc) {
	ctx := context.Background()
	if p != nil {
		if rc := p.RequestContext(); rc != nil {
			ctx = context.WithoutCancel(rc)
		}
	}
	return context.WithTimeout(ctx, 5*time.Second)
}

type renderer struct {
	pages  map[string]*template.Template
	assets map[string]string // name -> hashed URL
}

// funcHooks add template functions from other files of the package: each
// registers its own in an init function.
var funcHooks []func(h *Handler) template.FuncMap

func (h *Handler) funcs() template.FuncMap {
	m := h.baseFuncs()
	for _, hook := range funcHooks {
		for name, f := range hook(h) {
			m[name] = f
		}
	}
	return m
}

func (h *Handler) baseFuncs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string {
			if u, ok := h.r.assets[name]; ok {
				return u
			}
			panic("web: unknown asset " + name)
		},
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2 Jan 2006")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2 Jan 2006 15:04 UTC")
		},
		"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"join": strings.Join,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
		"short": func(s string) string {
			if len(s) > 12 {
				return s[:12]
			}
			return s
		},
		// lowerFirst puts a label inside a sentence.
		"lowerFirst": lowerFirst,
		// visibilityLabel is the label of a document visibility kind
		// (public, members, delegation).
		"visibilityLabel": func(kind string) string { return forum.Label(documents.Visibilities, kind) },
		"current": func(a, b string) string {
			if a == b {
				return "page"
			}
			return ""
		},
	}
}

// loadTemplates parses every page with the layout and the partials; a
// broken or missing template fails at start, not at request time.
func (h *Handler) loadTemplates() error {
	h.r.assets = map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		h.r.assets[name] = "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return err
	}
	partials, err := fs.Glob(templateFS, "templates/partials/*.html")
	if err != nil {
		return err
	}
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return err
	}
	h.r.pages = map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		files := append([]string{"templates/layout.html"}, partials...)
		files = append(files, p)
		t, err := template.New("layout.html").Funcs(h.funcs()).ParseFS(templateFS, files...)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		h.r.pages[name] = t
	}
	return nil
}

// render writes a whole page. Rendering goes to a buffer first, so that a
// template error becomes a clean 500, not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, page any) {
	t, ok := h.r.pages[name]
	if !ok {
		h.log.Error("web: no template", "name", name)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	tmpl := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && t.Lookup("fragment") != nil {
		tmpl = "fragment"
	}
	h.execute(w, r, status, t, tmpl, page)
}

// renderFragment writes one named template of a page's set, for htmx swaps.
func (h *Handler) renderFragment(w http.ResponseWriter, r *http.Request, name, fragment string, page any) {
	t, ok := h.r.pages[name]
	if !ok || t.Lookup(fragment) == nil {
		h.log.Error("web: no fragment", "name", name, "fragment", fragment)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	h.execute(w, r, http.StatusOK, t, fragment, page)
}

func (h *Handler) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, name string, page any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, page); err != nil {
		h.log.Error("web: render", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	if k, ok := r.Context().Value(pageKeyKey{}).(pageKey); ok {
		h.keepPage(k, status, buf.Bytes(), csrfToken(r))
	}
	writePage(w, status, buf.Bytes())
}

func writePage(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// staticHandler serves embedded assets; a request carrying the current
// content hash may be cached for a year.
func (h *Handler) staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			http.NotFound(w, r)
			return
		}
		fsrv.ServeHTTP(w, r)
	}))
}
