package api

// participationRoutes registers the participation endpoints.
func (h *Handler) participationRoutes() {}
