package api

import (
	"bufio"
	"context"
	"net/http"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
)

// ForumList is the body of GET /forums.
type ForumList struct {
	Forums []forum.Forum `json:"forums"`
}

// BodyList is the body of GET /forums/{slug}/bodies.
type BodyList struct {
	Bodies []forum.Body `json:"bodies"`
}

// ForumUpdate documents the body of PUT /forums/{slug}: the fields of a
// new forum, all of which it sets again, but for its slug (the path names
// the forum) and its preset (the rules endpoints change the rules), which
// are ignored. The handler decodes it as a forum.ForumInput.
type ForumUpdate forum.ForumInput

// StatusInput is the body of POST /forums/{slug}/status.
type StatusInput struct {
	Status string `json:"status"`
}

// Me is the body of GET /me.
type Me struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Admin  bool   `json:"admin"`
}

func (h *Handler) forumRoutes() {
	h.add(&Op{Method: "GET", Path: "/me", ID: "getMe", Tag: "accounts", Summary: "Who the token belongs to", Auth: true, Response: Me{}},
		siteQuery(func(r *http.Request, a forum.Actor) (Me, error) {
			return Me{UserID: a.UserID, Name: a.Name, Admin: a.Admin}, nil
		}))
	h.add(&Op{Method: "GET", Path: "/forums", ID: "listForums", Tag: "forums", Summary: "List the forums", Response: ForumList{}},
		siteQuery(func(r *http.Request, a forum.Actor) (ForumList, error) {
			fs, err := h.svc.Kernel.Forums(r.Context())
			return ForumList{Forums: fs}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums", ID: "createForum", Tag: "forums", Summary: "Set up a forum (secretariat)", Auth: true,
		Request: forum.ForumInput{}, Response: forum.Forum{}, Status: http.StatusCreated},
		siteCommand(func(r *http.Request, a forum.Actor, in forum.ForumInput) (forum.Forum, error) {
			return h.svc.Kernel.CreateForum(r.Context(), a, in)
		}).at(func(r *http.Request, f forum.Forum) string { return "/api/v1/forums/" + f.Slug }))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}", ID: "getForum", Tag: "forums", Summary: "One forum", Response: forum.Forum{}},
		query(func(r *http.Request, sc *forum.Scope) (forum.Forum, error) {
			return sc.Forum, nil
		}))
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}", ID: "updateForum", Tag: "forums", Summary: "Change a forum's settings (secretariat)", Auth: true,
		Request: ForumUpdate{}, Response: forum.Forum{}},
		command(func(r *http.Request, sc *forum.Scope, in forum.ForumInput) (forum.Forum, error) {
			return h.svc.Kernel.UpdateForum(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/status", ID: "setForumStatus", Tag: "forums",
		Summary: "Open or close a forum, or take it back to preparing (secretariat); a closed forum takes no change until it is reopened",
		Auth:    true, Request: StatusInput{}, Response: forum.Forum{}},
		command(func(r *http.Request, sc *forum.Scope, in StatusInput) (forum.Forum, error) {
			return h.svc.Kernel.SetForumStatus(r.Context(), sc, in.Status)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/reopen", ID: "reopenForum", Tag: "forums",
		Summary: "Reopen a closed forum, with the reason on the record (secretariat)", Auth: true,
		Request: ReasonInput{}, Response: forum.Forum{}},
		command(func(r *http.Request, sc *forum.Scope, in ReasonInput) (forum.Forum, error) {
			return h.svc.Kernel.ReopenForum(r.Context(), sc, in.Reason)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/discard", ID: "discardForum", Tag: "forums",
		Summary: "Discard a forum that never opened, with the reason on the record (secretariat): it leaves the lists and search, and its record is kept",
		Auth:    true, Request: ReasonInput{}, Response: forum.Forum{}},
		command(func(r *http.Request, sc *forum.Scope, in ReasonInput) (forum.Forum, error) {
			return h.svc.Kernel.DiscardForum(r.Context(), sc, in.Reason)
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/deadlines", ID: "setDeadline", Tag: "forums",
		Summary: "Set, extend, bring forward or remove a deadline for contributions, proposals, registrations or observer applications (secretariat); a change needs a reason, which goes on the record",
		Auth:    true, Request: forum.DeadlineInput{}, Response: forum.Forum{}},
		command(func(r *http.Request, sc *forum.Scope, in forum.DeadlineInput) (forum.Forum, error) {
			return h.svc.Kernel.SetDeadline(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/bodies", ID: "listBodies", Tag: "forums", Summary: "The bodies of a forum", Response: BodyList{}},
		query(func(r *http.Request, sc *forum.Scope) (BodyList, error) {
			bs, err := sc.Bodies(r.Context())
			return BodyList{Bodies: bs}, err
		}))
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/bodies", ID: "createBody", Tag: "forums", Summary: "Add a body to a forum (secretariat)", Auth: true,
		Request: forum.BodyInput{}, Response: forum.Body{}, Status: http.StatusCreated},
		command(func(r *http.Request, sc *forum.Scope, in forum.BodyInput) (forum.Body, error) {
			return h.svc.Kernel.CreateBody(r.Context(), sc, in)
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/ledger", ID: "exportLedger", Tag: "record",
		Summary:  "The forum's ledger as JSON lines, with signed checkpoints; events the caller may not read are redacted but still verify",
		Response: "", Produces: "application/x-ndjson"},
		bulk(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			v, err := sc.Viewer(r.Context())
			if err != nil {
				return err
			}
			f := sc.Forum
			w.Header().Set("Content-Type", "application/x-ndjson")
			w.Header().Set("Content-Disposition", `attachment; filename="`+f.Slug+`-ledger.jsonl"`)
			bw := bufio.NewWriterSize(w, 64<<10)
			filter := ""
			if !v.Secretariat {
				filter = "viewer"
			}
			err = h.svc.Record.ExportLedger(r.Context(), f.ID, bw, v.CanSee, filter)
			if err != nil {
				return err
			}
			return bw.Flush()
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/checkpoint", ID: "latestCheckpoint", Tag: "record",
		Summary:  "The forum's latest signed checkpoint (docs/RECORD.md): keep copies, and verify a later export against one with plenary verify --since-checkpoint",
		Response: "", Produces: "application/json"},
		raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			cp, err := h.svc.Kernel.Store().LatestCheckpoint(r.Context(), sc.Forum.ID)
			if err != nil {
				return err
			}
			b, err := ledger.EncodeCheckpoint(cp)
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-cache")
			_, err = w.Write(append(b, '\n'))
			return err
		}))
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/events", ID: "streamEvents", Tag: "record",
		Summary:  "Server-Sent Events of the forum's ledger; the event id is the sequence number, so reconnecting with Last-Event-ID loses nothing",
		Query:    map[string]string{"since": "resume after this sequence number (like Last-Event-ID)"},
		Response: "", Produces: "text/event-stream"},
		raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
			v, err := sc.Viewer(r.Context())
			if err != nil {
				return err
			}
			// A stream opened with a token reads it again as it runs, and
			// ends when it is revoked.
			var resolve func(context.Context) (forum.Actor, error)
			if token := bearerToken(r); token != "" && v.Actor.LoggedIn() {
				resolve = func(ctx context.Context) (forum.Actor, error) { return h.svc.Accounts.TokenActor(ctx, token) }
			}
			return live.ServeChain(w, r, h.broker, h.svc.Kernel.Store(), sc.Forum.ID, h.svc.StreamRights(sc.Forum, v, resolve))
		}))
}

// forumScope is the request's scope in the forum named in the path: the
// forum, its rules and the caller's standings, read once per request.
func (h *Handler) forumScope(r *http.Request) (*forum.Scope, error) {
	return h.svc.Kernel.RequestScope(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"))
}
