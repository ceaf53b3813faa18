package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

// A package of pages that registers something inconsistent fails New,
// with an error that says what, rather than a page that fails later.
func TestRegistrationMistakesFailAtStart(t *testing.T) {
	type page struct{ Base }
	pageFS := fstest.MapFS{
		"templates/pages/x_page.html":    {Data: []byte(`{{define "content"}}<p>{{.Title}}</p>{{template "x-slot" .}}{{end}}`)},
		"templates/partials/x_part.html": {Data: []byte(`{{define "x-part"}}<p>part</p>{{end}}`)},
	}
	for _, c := range []struct {
		name, want string
		register   func(*Core)
	}{
		{"a page without its struct", "templates/pages/x_page.html has no page struct", func(c *Core) {
			c.Templates("x", pageFS, map[string]any{})
		}},
		{"a struct without its page", "has no template", func(c *Core) {
			c.Templates("x", pageFS, map[string]any{"x_page": page{}, "x_other": page{}})
		}},
		{"a page named twice", "registered twice", func(c *Core) {
			c.Templates("x", pageFS, map[string]any{"x_page": page{}})
			c.Templates("y", pageFS, map[string]any{"x_page": page{}})
		}},
		{"a function named twice", "function lower is the core's", func(c *Core) {
			c.Funcs(template.FuncMap{"lower": strings.ToLower})
		}},
		{"a part in a slot nobody declares", "slot x-slot, which no package declares", func(c *Core) {
			c.Templates("x", pageFS, map[string]any{"x_page": page{}})
			c.Part("x-slot", "x-part")
		}},
		{"a template defined twice", "the template x-part is defined by x too", func(c *Core) {
			c.Templates("x", pageFS, map[string]any{"x_page": page{}})
			c.Slot("x-slot")
			c.Templates("y", fstest.MapFS{"templates/partials/y.html": {Data: []byte(`{{define "x-part"}}{{end}}`)}}, nil)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			core := &Core{log: slog.Default(), mux: http.NewServeMux()}
			err := core.build([]func(*Core){c.register})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error saying %q", err, c.want)
			}
		})
	}
}

// A slot shows its parts one after the other, each executed with what the
// page passes; a slot without parts shows nothing. Tabs come in their
// order, whatever the order packages registered them in.
func TestSlotsAndTabs(t *testing.T) {
	type page struct{ Base }
	core := &Core{log: slog.Default(), mux: http.NewServeMux()}
	err := core.build([]func(*Core){
		func(c *Core) {
			c.Templates("x", fstest.MapFS{
				"templates/pages/x_page.html": {Data: []byte(`{{define "content"}}[{{template "x-slot" .}}][{{template "empty-slot" .}}]{{end}}`)},
			}, map[string]any{"x_page": page{}})
			c.Slot("x-slot")
			c.Slot("empty-slot")
			c.Tab(Tab{Order: 300, Label: "C"})
			c.Tab(Tab{Order: 150, Label: "B"})
		},
		func(c *Core) {
			c.Templates("y", fstest.MapFS{
				"templates/partials/y.html": {Data: []byte(`{{define "y-part"}}y:{{.Title}}{{end}}{{define "y-other"}}z{{end}}`)},
			}, nil)
			c.Part("x-slot", "y-part")
			c.Part("x-slot", "y-other")
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := core.r.pages["x_page"].ExecuteTemplate(&b, "content", page{Base{Title: "T"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "[y:T\nz][]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var labels []string
	for _, tab := range core.reg.tabs {
		labels = append(labels, tab.Label)
	}
	if got, want := strings.Join(labels, " "), "Overview B C Record Settings"; got != want {
		t.Errorf("tabs %s, want %s", got, want)
	}
}
