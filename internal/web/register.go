package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/plenary-forum/plenary/internal/forum"
)

// registry is what the core and the packages of pages registered.
type registry struct {
	sets  []templateSet
	types map[string]any // page template -> page struct
	funcs template.FuncMap
	tabs  []Tab
	slots []string            // in the order they were offered
	parts map[string][]string // slot -> partial templates, in the order they were added
	err   error
}

// templateSet is one package's templates.
type templateSet struct {
	name     string
	fsys     fs.FS
	pages    []string // templates/pages/NAME.html
	partials []string // templates/partials/*.html
}

func (g *registry) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf("web: "+format, args...)
	}
}

// Templates registers a package's templates: fsys holds its pages,
// templates/pages/NAME.html, each defining "content" (and "fragment", the
// part an htmx request for it swaps), and the partial templates its pages
// share, templates/partials/*.html. types pairs each page with the page
// struct its handlers render it with (a struct embedding Base), which the
// templates are type-checked against; a page without its struct, or a
// struct without its page, fails New. name names the package in errors.
//
// Every page is parsed with the layout and the partials of every package,
// so page names are unique across packages, and so are the names of
// partials and of the templates they define.
func (c *Core) Templates(name string, fsys fs.FS, types map[string]any) {
	g := &c.reg
	pages, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		g.fail("%s: %v", name, err)
		return
	}
	partials, err := fs.Glob(fsys, "templates/partials/*.html")
	if err != nil {
		g.fail("%s: %v", name, err)
		return
	}
	set := templateSet{name: name, fsys: fsys, partials: partials}
	if g.types == nil {
		g.types = map[string]any{}
	}
	for _, p := range pages {
		page := strings.TrimSuffix(path.Base(p), ".html")
		if _, dup := g.types[page]; dup {
			g.fail("%s: a page named %s is registered twice", name, page)
			return
		}
		t, ok := types[page]
		if !ok {
			g.fail("%s: templates/pages/%s.html has no page struct", name, page)
			return
		}
		g.types[page] = t
		set.pages = append(set.pages, p)
	}
	for page := range types {
		if !slices.Contains(set.pages, "templates/pages/"+page+".html") {
			g.fail("%s: the page struct %T of %s has no template", name, types[page], page)
			return
		}
	}
	g.sets = append(g.sets, set)
}

// Funcs adds template functions, for the templates of every package; a
// name is given once.
func (c *Core) Funcs(m template.FuncMap) {
	g := &c.reg
	if g.funcs == nil {
		g.funcs = template.FuncMap{}
	}
	for name, f := range m {
		if _, dup := g.funcs[name]; dup {
			g.fail("the template function %s is registered twice", name)
			return
		}
		g.funcs[name] = f
	}
}

// A Tab is an entry of the navigation of a forum's pages.
type Tab struct {
	// Order places the tab among the others, from the left: the core's
	// are the overview (0), the record (900) and the settings (1000); the
	// participation pages use 100-199, documents 200-299 and 400-499,
	// drafting 300-399.
	Order int
	// Section is the Section of the pages the tab leads to (their Base's,
	// set by ForumBase), which marks it as the current one.
	Section string
	// Path is where the tab leads, below /forums/{slug}.
	Path  string
	Label string
	// Shown, when set, tells whether the actor sees the tab, by the right
	// of the command or query behind the page it leads to; an error
	// fails the page.
	Shown func(r *http.Request, f forum.Forum, v forum.Viewer) (bool, error)
}

// Tab adds a tab to the navigation of a forum's pages.
func (c *Core) Tab(t Tab) {
	i, _ := slices.BinarySearchFunc(c.reg.tabs, t, func(a, b Tab) int { return a.Order - b.Order })
	for i < len(c.reg.tabs) && c.reg.tabs[i].Order == t.Order {
		i++ // tabs of equal order keep the order they were added in
	}
	c.reg.tabs = slices.Insert(c.reg.tabs, i, t)
}

// SlotForumOverview is the slot of a forum's overview page, below the
// forum's description. Its parts are executed with the page, which
// embeds Base with Forum set.
const SlotForumOverview = "forum-overview"

// Slot declares a slot: a place in the caller's templates, called as
// {{template "NAME" .}}, where other packages show partial templates
// (Part). Its parts are shown one after the other; with none, nothing is.
// The caller documents what its templates pass to the slot.
func (c *Core) Slot(name string) {
	if slices.Contains(c.reg.slots, name) {
		c.reg.fail("the slot %s is declared twice", name)
		return
	}
	c.reg.slots = append(c.reg.slots, name)
}

// Part shows the partial template named tmpl, which the caller's partials
// define, in slot: a package's part of another's page. The slot must be
// declared, by a package registered before or after.
func (c *Core) Part(slot, tmpl string) {
	if c.reg.parts == nil {
		c.reg.parts = map[string][]string{}
	}
	c.reg.parts[slot] = append(c.reg.parts[slot], tmpl)
}

// slotTemplates is the text of the templates that define the slots.
func (g *registry) slotTemplates() (string, error) {
	var b strings.Builder
	for slot := range g.parts {
		if !slices.Contains(g.slots, slot) {
			return "", fmt.Errorf("web: parts are added to the slot %s, which no package declares", slot)
		}
	}
	for _, slot := range g.slots {
		b.WriteString(`{{define "` + slot + `"}}`)
		for i, p := range g.parts[slot] {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(`{{template "` + p + `" .}}`)
		}
		b.WriteString("{{end}}")
	}
	return b.String(), nil
}

// forumTabs are the tabs of forum f that the actor sees.
func (c *Core) forumTabs(r *http.Request, f forum.Forum, v forum.Viewer) ([]Tab, error) {
	var out []Tab
	for _, t := range c.reg.tabs {
		if t.Shown != nil {
			ok, err := t.Shown(r, f, v)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		out = append(out, t)
	}
	return out, nil
}
