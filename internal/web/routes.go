package web

import "net/http"

// routes is the table of contents of the HTML face.
func (h *Handler) routes() {
	h.mux.Handle("GET /static/", h.staticHandler())

	h.handle("GET /", h.showHome)
	h.handle("GET /login", h.showLogin)
	h.handle("POST /login", h.login)
	h.handle("POST /logout", h.logout)
	h.handle("GET /signup", h.showSignup)
	h.handle("POST /signup", h.signup)
	h.handle("GET /account", h.showAccount)
	h.handle("POST /account/tokens", h.createToken)
	h.handle("POST /account/tokens/{id}/revoke", h.revokeToken)

	h.handle("GET /forums/new", h.showNewForum)
	h.handle("POST /forums", h.createForum)
	h.handle("GET /forums/{slug}", h.showForum)
	h.handle("GET /forums/{slug}/activity", h.showActivity)
	h.handle("GET /forums/{slug}/events", h.streamEvents)
	h.handle("GET /forums/{slug}/record", h.showRecord)
	h.handle("GET /forums/{slug}/settings", h.showEditForum)
	h.handle("POST /forums/{slug}/settings", h.updateForum)
	h.handle("POST /forums/{slug}/status", h.setForumStatus)
	h.handle("POST /forums/{slug}/bodies", h.createBody)
	h.lifecycleRoutes()

	h.participationRoutes()
	h.documentRoutes()
	h.draftRoutes()
}

var _ http.Handler = (*Handler)(nil)
