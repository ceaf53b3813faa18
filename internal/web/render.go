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
	// ForumNav is the forum's navigation: the tabs the actor sees, by the
	// rights of the commands and queries behind the pages they lead to.
	ForumNav []Tab
	// Live, when set, is the SSE URL the page listens to for updates.
	Live string
	// Errors are field errors of a submitted form, by field name; Problem
	// is the form-level message.
	Errors  map[string]string
	Problem string
	// ctx is the context of the request the page is rendered for.
	ctx context.Context
}

// FieldError returns the error for one form field, "" when none.
func (b Base) FieldError(field string) string { return b.Errors[field] }

// setFormErrors puts the field errors of a refused form on a page.
func (b *Base) setFormErrors(errs map[string]string, problem string) {
	b.Errors, b.Problem = errs, problem
}

// RequestContext is the context of the request the page is rendered for,
// nil for a page not made by Core.Base.
func (b Base) RequestContext() context.Context { return b.ctx }

// Base fills the common part of a page.
func (c *Core) Base(r *http.Request, title string) Base {
	return Base{Title: title, Actor: forum.ActorFrom(r.Context()), CSRF: csrfToken(r), Path: r.URL.Path, Flash: flashFrom(r), ctx: r.Context()}
}

// Page is what template functions that read the store are given, the
// page being rendered (a struct embedding Base), for its request's
// context.
type Page interface{ RequestContext() context.Context }

// ReadContext is the context of a template function's read: the values
// of p's request (so that the read is the request's, as a statement
// counter sees it) without its cancellation, since what the function
// reads may be kept for other requests, and at most 5 s.
func ReadContext(p Page) (context.Context, context.CancelFunc) {
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

// funcs are the template functions: the core's and those the packages of
// pages registered.
func (c *Core) funcs() (template.FuncMap, error) {
	m := c.baseFuncs()
	for name, f := range c.reg.funcs {
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("web: the template function %s is the core's", name)
		}
		m[name] = f
	}
	return m, nil
}

func (c *Core) baseFuncs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string {
			if u, ok := c.r.assets[name]; ok {
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
		"lower": strings.ToLower,
		// lowerFirst puts a label inside a sentence.
		"lowerFirst": LowerFirst,
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

// loadTemplates parses every page with the layout, the partials of every
// package and the slots; a broken or missing template fails at start, not
// at request time.
func (c *Core) loadTemplates() error {
	c.r.assets = map[string]string{}
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
		c.r.assets[name] = "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return err
	}
	funcs, err := c.funcs()
	if err != nil {
		return err
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("web: layout: %w", err)
	}
	defined := map[string]string{}
	for _, set := range c.reg.sets {
		if len(set.partials) == 0 {
			continue
		}
		// Parsed apart first, so that a name another package defines
		// too is an error rather than a silent replacement.
		own, err := template.New("").Funcs(funcs).ParseFS(set.fsys, set.partials...)
		if err != nil {
			return fmt.Errorf("web: %s: partials: %w", set.name, err)
		}
		for _, t := range own.Templates() {
			if n := t.Name(); n != "" {
				if other, dup := defined[n]; dup || n == "layout.html" {
					return fmt.Errorf("web: %s: the template %s is defined by %s too", set.name, n, other)
				}
				defined[n] = set.name
			}
		}
		if _, err := base.ParseFS(set.fsys, set.partials...); err != nil {
			return fmt.Errorf("web: %s: partials: %w", set.name, err)
		}
	}
	slots, err := c.reg.slotTemplates()
	if err != nil {
		return err
	}
	if _, err := base.New("slots").Parse(slots); err != nil {
		return fmt.Errorf("web: slots: %w", err)
	}
	c.r.pages = map[string]*template.Template{}
	for _, set := range c.reg.sets {
		for _, p := range set.pages {
			name := strings.TrimSuffix(path.Base(p), ".html")
			t, err := base.Clone()
			if err != nil {
				return err
			}
			if _, err := t.ParseFS(set.fsys, p); err != nil {
				return fmt.Errorf("web: template %s: %w", name, err)
			}
			c.r.pages[name] = t
		}
	}
	return nil
}

// Render writes a whole page, name being its template (a page registered
// with Templates); an htmx request for a part of a page that defines
// "fragment" gets that fragment. Rendering goes to a buffer first, so
// that a template error becomes a clean 500, not half a page.
func (c *Core) Render(w http.ResponseWriter, r *http.Request, status int, name string, page any) {
	t, ok := c.r.pages[name]
	if !ok {
		c.log.Error("web: no template", "name", name)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	tmpl := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && t.Lookup("fragment") != nil {
		tmpl = "fragment"
	}
	c.execute(w, r, status, t, tmpl, page)
}

// RenderFragment writes one named template of a page's set, for htmx swaps.
func (c *Core) RenderFragment(w http.ResponseWriter, r *http.Request, name, fragment string, page any) {
	t, ok := c.r.pages[name]
	if !ok || t.Lookup(fragment) == nil {
		c.log.Error("web: no fragment", "name", name, "fragment", fragment)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	c.execute(w, r, http.StatusOK, t, fragment, page)
}

func (c *Core) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, name string, page any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, page); err != nil {
		c.log.Error("web: render", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	if k, ok := r.Context().Value(pageKeyKey{}).(pageKey); ok {
		c.keepPage(k, status, buf.Bytes(), csrfToken(r))
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
func (c *Core) staticHandler() http.Handler {
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
