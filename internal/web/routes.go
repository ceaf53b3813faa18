package web

import (
	"net/http"

	"github.com/plenary-forum/plenary/internal/forum"
)

// routes is the table of contents of the core's pages: the site, the
// accounts and the forums. The packages of pages add theirs in their
// Register functions.
func (c *Core) routes() {
	c.mux.Handle("GET /static/", c.staticHandler())

	c.Handle("GET /", c.showHome)
	c.Handle("GET /login", c.showLogin)
	c.Handle("POST /login", c.login)
	c.Handle("POST /logout", c.logout)
	c.Handle("GET /signup", c.showSignup)
	c.Handle("POST /signup", c.signup)
	c.Handle("GET /account", c.showAccount)
	c.Handle("POST /account/tokens", c.createToken)
	c.Handle("POST /account/tokens/{id}/revoke", c.revokeToken)

	c.Handle("GET /forums/new", c.showNewForum)
	c.Handle("POST /forums", c.createForum)
	c.Handle("GET /forums/{slug}", c.showForum)
	c.Handle("GET /forums/{slug}/activity", c.showActivity)
	c.Handle("GET /forums/{slug}/events", c.streamEvents)
	c.Handle("GET /forums/{slug}/record", c.showRecord)
	c.Handle("GET /forums/{slug}/settings", c.showEditForum)
	c.Handle("POST /forums/{slug}/settings", c.updateForum)
	c.Handle("POST /forums/{slug}/status", c.setForumStatus)
	c.Handle("POST /forums/{slug}/bodies", c.createBody)
	c.lifecycleRoutes()

	c.Templates("web", templateFS, corePages)
	c.Slot(SlotForumOverview)
	c.Tab(Tab{Order: 0, Section: "overview", Label: "Overview"})
	c.Tab(Tab{Order: 900, Section: "record", Path: "/record", Label: "Record"})
	c.Tab(Tab{Order: 1000, Section: "settings", Path: "/settings", Label: "Settings",
		Shown: func(r *http.Request, f forum.Forum, v forum.Viewer) (bool, error) { return v.Secretariat, nil }})
}

// corePages pairs each page template of the core with the page struct its
// handlers render it with.
var corePages = map[string]any{
	"account":    accountPage{},
	"error":      errorPage{},
	"forum":      forumPage{},
	"forum_form": forumFormPage{},
	"home":       homePage{},
	"login":      loginPage{},
	"record":     recordPage{},
	"signup":     signupPage{},
}

var _ http.Handler = (*Handler)(nil)
