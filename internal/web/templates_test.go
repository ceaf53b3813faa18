package web_test

import (
	"os"
	"slices"
	"testing"

	"github.com/jba/templatecheck"
	"github.com/plenary-forum/plenary/internal/web"
	webconsultation "github.com/plenary-forum/plenary/internal/web/consultation"
	webdecisions "github.com/plenary-forum/plenary/internal/web/decisions"
	webdocuments "github.com/plenary-forum/plenary/internal/web/documents"
	webdrafting "github.com/plenary-forum/plenary/internal/web/drafting"
	webfinalacts "github.com/plenary-forum/plenary/internal/web/finalacts"
	webmeetings "github.com/plenary-forum/plenary/internal/web/meetings"
	webparticipation "github.com/plenary-forum/plenary/internal/web/participation"
)

// pagePackages are the packages of pages beneath this one, as the server
// registers them.
var pagePackages = []func(*web.Core){webparticipation.Register, webdocuments.Register, webdrafting.Register, webmeetings.Register, webdecisions.Register, webfinalacts.Register, webconsultation.Register, webconsultation.RegisterMap}

// fragmentTypes pairs the templates that handlers render on their own
// (RenderFragment: page, then fragment) with the type they pass.
var fragmentTypes = map[[2]string]any{
	{"forum", "activity"}: web.ActivityList{},
}

// TestTemplatesMatchPageTypes type-checks every page of the core and of
// every package of pages, as pkgsite does with templatecheck: each field,
// method and function a template uses, on every branch and through every
// {{template}} call (the slots with the parts other packages put there
// included), must exist on the type it is used on, with the right
// arguments. So renaming a field of a page struct (or of anything it
// holds) that a template uses fails here, not when a user reaches that
// page. The layout is checked as each page executes it, and "fragment"
// (the htmx swap of a page) with the page's type. Each page is checked
// against the struct its package registered it with (Core.Templates,
// which refuses a page without one).
func TestTemplatesMatchPageTypes(t *testing.T) {
	pages, types, names, err := web.LoadTemplates(pagePackages...)
	if err != nil {
		t.Fatal(err)
	}
	// Every package of pages beneath this one is checked: each has a
	// directory of templates, and registers them under its name.
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, err := os.Stat(e.Name() + "/templates/pages"); e.IsDir() && err == nil && !slices.Contains(names, e.Name()) {
			t.Errorf("the pages of internal/web/%s are not checked: add its Register to pagePackages", e.Name())
		}
	}
	if len(pages) != len(types) {
		t.Errorf("%d page templates, %d page structs", len(pages), len(types))
	}
	for name, page := range types {
		t.Run(name, func(t *testing.T) {
			tmpl, ok := pages[name]
			if !ok {
				t.Fatalf("%s is registered with %T, but has no template", name, page)
			}
			if err := templatecheck.CheckHTML(tmpl, page); err != nil {
				t.Errorf("%T: %v", page, err)
			}
			if f := tmpl.Lookup("fragment"); f != nil {
				if err := templatecheck.CheckHTML(f, page); err != nil {
					t.Errorf("fragment, %T: %v", page, err)
				}
			}
		})
	}
	for key, data := range fragmentTypes {
		tmpl, ok := pages[key[0]]
		if !ok || tmpl.Lookup(key[1]) == nil {
			t.Errorf("no template %s in page %s", key[1], key[0])
			continue
		}
		if err := templatecheck.CheckHTML(tmpl.Lookup(key[1]), data); err != nil {
			t.Errorf("%s of %s, %T: %v", key[1], key[0], data, err)
		}
	}
}
