package api

// documentRoutes registers the document endpoints.
func (h *Handler) documentRoutes() {}
