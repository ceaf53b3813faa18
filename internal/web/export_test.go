package web

import (
	"html/template"
	"log/slog"
	"net/http"
)

// LoadTemplates registers the core's pages and those of the packages of
// pages given, without a site, and loads the templates as New does: each
// page's template set, the page struct each was registered with, and the
// names the packages registered their templates under.
func LoadTemplates(pages ...func(*Core)) (sets map[string]*template.Template, types map[string]any, names []string, err error) {
	c := &Core{log: slog.Default(), mux: http.NewServeMux()}
	if err := c.build(pages); err != nil {
		return nil, nil, nil, err
	}
	for _, s := range c.reg.sets {
		names = append(names, s.name)
	}
	return c.r.pages, c.reg.types, names, nil
}

// ActivityList is the type the forum page's activity fragment is rendered
// with.
type ActivityList = activityList
