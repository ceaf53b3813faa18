package api

// routes is the table of contents of the JSON API.
func (h *Handler) routes() {
	h.forumRoutes()
	h.participationRoutes()
	h.documentRoutes()
	h.draftRoutes()
	h.meetingRoutes()
	h.floorRoutes()
	h.recordRoutes()
	h.decisionRoutes()
	h.finalActsRoutes()
	h.consultationRoutes()
	h.opinionRoutes()
}
