package api

import (
	"net/http"

	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
)

// FloorMoveInput is the body of the chair's move of a request.
type FloorMoveInput struct {
	// To is the new position in the order, 1 for first.
	To int `json:"to"`
	// Reason is on the record; required.
	Reason string `json:"reason"`
}

// FloorReasonInput is the body of the chair's removal of a request.
type FloorReasonInput struct {
	Reason string `json:"reason"` // on the record; required
}

// FloorFinishInput is the body that ends the turn at the floor.
type FloorFinishInput struct {
	Reason string `json:"reason"` // optional, on the record
}

// FloorRulingInput is the body of the chair's ruling on a point of order.
type FloorRulingInput struct {
	Ruling string `json:"ruling"`
}

// InterventionList is the body of GET .../interventions.
type InterventionList struct {
	Interventions []meetings.Intervention `json:"interventions"`
}

// floorRoutes registers the endpoints of a meeting's speakers' queue.
func (h *Handler) floorRoutes() {
	base := "/forums/{slug}/meetings/{id}/floor"
	view := func(r *http.Request, sc *forum.Scope, err error) (meetings.FloorView, error) {
		if err != nil {
			return meetings.FloorView{}, err
		}
		return h.svc.Meetings.Floor(r.Context(), sc, r.PathValue("id"))
	}
	h.add(&Op{Method: "GET", Path: base, ID: "getFloor", Tag: "floor",
		Summary:  "A meeting's speakers' queue: the policy, the turn at the floor with its clock, the order with why each request is there, the caller's own requests, the last interventions",
		Response: meetings.FloorView{}},
		query(func(r *http.Request, sc *forum.Scope) (meetings.FloorView, error) {
			return h.svc.Meetings.Floor(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "PUT", Path: base, ID: "configureFloor", Tag: "floor",
		Summary: "Set the order policy of a meeting's queue (chair or secretariat); with lots and no seed, a seed is drawn and recorded", Auth: true,
		Request: floor.Policy{}, Response: meetings.FloorView{}},
		command(func(r *http.Request, sc *forum.Scope, in floor.Policy) (meetings.FloorView, error) {
			_, err := h.svc.Meetings.ConfigureFloor(r.Context(), sc, r.PathValue("id"), in)
			return view(r, sc, err)
		}))
	h.add(&Op{Method: "POST", Path: base + "/requests", ID: "requestFloor", Tag: "floor",
		Summary: "Ask for the floor: for oneself, for a remote participant (remote moderator), for a hub (its moderator) or for a guest without an account (chair or secretariat)", Auth: true,
		Request: meetings.RequestInput{}, Response: floor.Request{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in meetings.RequestInput) (floor.Request, error) {
			return h.svc.Meetings.RequestFloor(r.Context(), sc, r.PathValue("id"), in)
		}))
	h.add(&Op{Method: "POST", Path: base + "/requests/{request}/withdraw", ID: "withdrawFloorRequest", Tag: "floor",
		Summary: "Withdraw a waiting request (the requester, whoever relayed it, the chair or the secretariat)", Auth: true,
		Response: meetings.FloorView{}},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (meetings.FloorView, error) {
			return view(r, sc, h.svc.Meetings.WithdrawRequest(r.Context(), sc, r.PathValue("id"), r.PathValue("request")))
		}))
	h.add(&Op{Method: "POST", Path: base + "/requests/{request}/move", ID: "moveFloorRequest", Tag: "floor",
		Summary: "Place a waiting request at a position of the order, with a reason on the record (chair or secretariat)", Auth: true,
		Request: FloorMoveInput{}, Response: meetings.FloorView{}},
		command(func(r *http.Request, sc *forum.Scope, in FloorMoveInput) (meetings.FloorView, error) {
			return view(r, sc, h.svc.Meetings.MoveRequest(r.Context(), sc, r.PathValue("id"), r.PathValue("request"), in.To, in.Reason))
		}))
	h.add(&Op{Method: "POST", Path: base + "/requests/{request}/remove", ID: "removeFloorRequest", Tag: "floor",
		Summary: "Remove a waiting request, with a reason on the record (chair or secretariat)", Auth: true,
		Request: FloorReasonInput{}, Response: meetings.FloorView{}},
		command(func(r *http.Request, sc *forum.Scope, in FloorReasonInput) (meetings.FloorView, error) {
			return view(r, sc, h.svc.Meetings.RemoveRequest(r.Context(), sc, r.PathValue("id"), r.PathValue("request"), in.Reason))
		}))
	h.add(&Op{Method: "POST", Path: base + "/requests/{request}/give", ID: "giveFloor", Tag: "floor",
		Summary: "Give the floor to a waiting request on the item under discussion (chair or secretariat; in session)", Auth: true,
		Response: meetings.FloorView{}},
		command(func(r *http.Request, sc *forum.Scope, _ struct{}) (meetings.FloorView, error) {
			return view(r, sc, h.svc.Meetings.GiveFloor(r.Context(), sc, r.PathValue("id"), r.PathValue("request")))
		}))
	h.add(&Op{Method: "POST", Path: base + "/rule/{request}", ID: "ruleOnPointOfOrder", Tag: "floor",
		Summary: "Record the chair's ruling on a point of order that was given the floor", Auth: true,
		Request: FloorRulingInput{}, Response: meetings.FloorView{}},
		command(func(r *http.Request, sc *forum.Scope, in FloorRulingInput) (meetings.FloorView, error) {
			return view(r, sc, h.svc.Meetings.RuleOnPointOfOrder(r.Context(), sc, r.PathValue("id"), r.PathValue("request"), in.Ruling))
		}))
	for _, c := range []struct {
		path, id, summary string
		run               func(r *http.Request, sc *forum.Scope) error
	}{
		{"close", "closeSpeakersList", "Close the list of speakers: only points of order and rights of reply are taken after (chair or secretariat)",
			func(r *http.Request, sc *forum.Scope) error {
				return h.svc.Meetings.CloseList(r.Context(), sc, r.PathValue("id"))
			}},
		{"reopen", "reopenSpeakersList", "Reopen the list of speakers (chair or secretariat)",
			func(r *http.Request, sc *forum.Scope) error {
				return h.svc.Meetings.ReopenList(r.Context(), sc, r.PathValue("id"))
			}},
		{"start", "startFloorClock", "Start the clock of the turn at the floor (chair or secretariat; in session)",
			func(r *http.Request, sc *forum.Scope) error {
				return h.svc.Meetings.StartClock(r.Context(), sc, r.PathValue("id"))
			}},
		{"pause", "pauseFloorClock", "Pause the clock of the turn at the floor (chair or secretariat)",
			func(r *http.Request, sc *forum.Scope) error {
				return h.svc.Meetings.PauseClock(r.Context(), sc, r.PathValue("id"))
			}},
		{"resume", "resumeFloorClock", "Resume the clock of the turn at the floor (chair or secretariat; in session)",
			func(r *http.Request, sc *forum.Scope) error {
				return h.svc.Meetings.ResumeClock(r.Context(), sc, r.PathValue("id"))
			}},
	} {
		c := c
		h.add(&Op{Method: "POST", Path: base + "/" + c.path, ID: c.id, Tag: "floor", Summary: c.summary, Auth: true, Response: meetings.FloorView{}},
			command(func(r *http.Request, sc *forum.Scope, _ struct{}) (meetings.FloorView, error) {
				return view(r, sc, c.run(r, sc))
			}))
	}
	h.add(&Op{Method: "POST", Path: base + "/finish", ID: "finishTurn", Tag: "floor",
		Summary: "End the turn at the floor, with an optional reason; it becomes an intervention (chair or secretariat)", Auth: true,
		Request: FloorFinishInput{}, Response: meetings.FloorView{}},
		command(func(r *http.Request, sc *forum.Scope, in FloorFinishInput) (meetings.FloorView, error) {
			return view(r, sc, h.svc.Meetings.FinishTurn(r.Context(), sc, r.PathValue("id"), in.Reason))
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/meetings/{id}/interventions", ID: "listInterventions", Tag: "floor",
		Summary: "A meeting's interventions in order: each finished turn at the floor, with its clock", Response: InterventionList{}},
		query(func(r *http.Request, sc *forum.Scope) (InterventionList, error) {
			ins, err := h.svc.Meetings.Interventions(r.Context(), sc, r.PathValue("id"))
			return InterventionList{Interventions: ins}, err
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/meetings/{id}/speaking-time", ID: "getMeetingSpeakingTime", Tag: "floor",
		Summary: "A meeting's speaking time per stakeholder group, per party and in the room, remote or from hubs", Response: meetings.SpeakingTime{}},
		query(func(r *http.Request, sc *forum.Scope) (meetings.SpeakingTime, error) {
			return h.svc.Meetings.SpeakingTime(r.Context(), sc, r.PathValue("id"))
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/speaking-time", ID: "getForumSpeakingTime", Tag: "floor",
		Summary: "A forum's speaking time over the meetings the caller may see", Response: meetings.SpeakingTime{}},
		query(func(r *http.Request, sc *forum.Scope) (meetings.SpeakingTime, error) {
			return h.svc.Meetings.ForumSpeakingTime(r.Context(), sc)
		}))
}
