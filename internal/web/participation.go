package web

// participationRoutes registers the pages of participation: parties,
// delegations, registrations and the rules of participation.
func (h *Handler) participationRoutes() {}
