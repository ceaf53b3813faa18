package web

import (
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/jba/templatecheck"
)

// pageTypes pairs every page template (templates/pages/NAME.html) with the
// page struct its handlers render it with. A new page needs its entry
// here, and a page whose struct changes keeps its entry true.
var pageTypes = map[string]any{
	"account":           accountPage{},
	"doc_form":          docFormPage{},
	"doc_page":          docPage{},
	"doc_register":      docRegisterPage{},
	"doc_search":        docSearchPage{},
	"draft_amendments":  amendmentsPage{},
	"draft_brackets":    bracketsPage{},
	"draft_compilation": compilationPage{},
	"draft_list":        draftsPage{},
	"draft_new":         draftNewPage{},
	"draft_propose":     proposePage{},
	"draft_provision":   provisionPage{},
	"draft_redline":     redlinePage{},
	"draft_revise":      revisePage{},
	"draft_text":        draftPage{},
	"error":             errorPage{},
	"forum":             forumPage{},
	"forum_form":        forumFormPage{},
	"home":              homePage{},
	"login":             loginPage{},
	"part_apply":        applyPage{},
	"part_approvals":    approvalsPage{},
	"part_body":         bodyPage{},
	"part_group_rules":  groupRulesPage{},
	"part_guest":        guestPage{},
	"part_mine":         myRegistrationsPage{},
	"part_names":        namesPage{},
	"part_participants": participantsPage{},
	"part_party":        partyPage{},
	"part_register":     registerPage{},
	"part_rules":        rulesPage{},
	"part_rules_edit":   rulesEditPage{},
	"record":            recordPage{},
	"signup":            signupPage{},
}

// fragmentTypes pairs the templates that handlers render on their own
// (renderFragment: page, then fragment) with the type they pass.
var fragmentTypes = map[[2]string]any{
	{"forum", "activity"}: activityList{},
}

// TestTemplatesMatchPageTypes type-checks every page, as pkgsite does with
// templatecheck: each field, method and function a template uses, on every
// branch and through every {{template}} call, must exist on the type it is
// used on, with the right arguments. So renaming a field of a page struct
// (or of anything it holds) that a template uses fails here, not when a
// user reaches that page. The layout is checked as each page executes it,
// and "fragment" (the htmx swap of a page) with the page's type.
func TestTemplatesMatchPageTypes(t *testing.T) {
	h := &Handler{}
	if err := h.loadTemplates(); err != nil {
		t.Fatal(err)
	}
	names, err := templateNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, ok := pageTypes[name]; !ok {
			t.Errorf("templates/pages/%s.html has no page struct in pageTypes", name)
		}
	}
	for name, page := range pageTypes {
		t.Run(name, func(t *testing.T) {
			tmpl, ok := h.r.pages[name]
			if !ok {
				t.Fatalf("pageTypes names %s, which has no template", name)
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
		tmpl, ok := h.r.pages[key[0]]
		if !ok || tmpl.Lookup(key[1]) == nil {
			t.Errorf("no template %s in page %s", key[1], key[0])
			continue
		}
		if err := templatecheck.CheckHTML(tmpl.Lookup(key[1]), data); err != nil {
			t.Errorf("%s of %s, %T: %v", key[1], key[0], data, err)
		}
	}
}

// templateNames lists the page templates, as loadTemplates finds them.
func templateNames() ([]string, error) {
	entries, err := templateFS.ReadDir("templates/pages")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".html") {
			names = append(names, strings.TrimSuffix(path.Base(n), ".html"))
		}
	}
	slices.Sort(names)
	return names, nil
}
