package web

// documentRoutes registers the pages of documents, draft texts and
// amendments.
func (h *Handler) documentRoutes() {}
