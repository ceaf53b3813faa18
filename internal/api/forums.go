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
		func(w http.ResponseWriter, r *http.Request) error {
			a := forum.ActorFrom(r.Context())
			writeJSON(w, http.StatusOK, Me{UserID: a.UserID, Name: a.Name, Admin: a.Admin})
			return nil
		})
	h.add(&Op{Method: "GET", Path: "/forums", ID: "listForums", Tag: "forums", Summary: "List the forums", Response: ForumList{}},
		func(w http.ResponseWriter, r *http.Request) error {
			fs, err := h.svc.Kernel.Forums(r.Context())
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, ForumList{Forums: fs})
			return nil
		})
	h.add(&Op{Method: "POST", Path: "/forums", ID: "createForum", Tag: "forums", Summary: "Set up a forum (secretariat)", Auth: true,
		Request: forum.ForumInput{}, Response: forum.Forum{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in forum.ForumInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			f, err := h.svc.Kernel.CreateForum(r.Context(), forum.ActorFrom(r.Context()), in)
			if err != nil {
				return err
			}
			w.Header().Set("Location", "/api/v1/forums/"+f.Slug)
			writeJSON(w, http.StatusCreated, f)
			return nil
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}", ID: "getForum", Tag: "forums", Summary: "One forum", Response: forum.Forum{}},
		func(w http.ResponseWriter, r *http.Request) error {
			f, err := h.svc.Kernel.ForumBySlug(r.Context(), r.PathValue("slug"))
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, f)
			return nil
		})
	h.add(&Op{Method: "PUT", Path: "/forums/{slug}", ID: "updateForum", Tag: "forums", Summary: "Change a forum's settings (secretariat)", Auth: true,
		Request: ForumUpdate{}, Response: forum.Forum{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in forum.ForumInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			sc, err := h.forumScope(r)
			if err != nil {
				return err
			}
			f, err := h.svc.Kernel.UpdateForum(r.Context(), sc, in)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, f)
			return nil
		})
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/status", ID: "setForumStatus", Tag: "forums", Summary: "Open or close a forum (secretariat)", Auth: true,
		Request: StatusInput{}, Response: forum.Forum{}},
		func(w http.ResponseWriter, r *http.Request) error {
			var in StatusInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			sc, err := h.forumScope(r)
			if err != nil {
				return err
			}
			f, err := h.svc.Kernel.SetForumStatus(r.Context(), sc, in.Status)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, f)
			return nil
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/bodies", ID: "listBodies", Tag: "forums", Summary: "The bodies of a forum", Response: BodyList{}},
		func(w http.ResponseWriter, r *http.Request) error {
			f, err := h.svc.Kernel.ForumBySlug(r.Context(), r.PathValue("slug"))
			if err != nil {
				return err
			}
			bs, err := h.scope(r, f).Bodies(r.Context())
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusOK, BodyList{Bodies: bs})
			return nil
		})
	h.add(&Op{Method: "POST", Path: "/forums/{slug}/bodies", ID: "createBody", Tag: "forums", Summary: "Add a body to a forum (secretariat)", Auth: true,
		Request: forum.BodyInput{}, Response: forum.Body{}, Status: http.StatusCreated},
		func(w http.ResponseWriter, r *http.Request) error {
			var in forum.BodyInput
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			sc, err := h.forumScope(r)
			if err != nil {
				return err
			}
			b, err := h.svc.Kernel.CreateBody(r.Context(), sc, in)
			if err != nil {
				return err
			}
			writeJSON(w, http.StatusCreated, b)
			return nil
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/ledger", ID: "exportLedger", Tag: "record",
		Summary:  "The forum's ledger as JSON lines, with signed checkpoints; events the caller may not read are redacted but still verify",
		Response: "", Produces: "application/x-ndjson"},
		func(w http.ResponseWriter, r *http.Request) error {
			f, err := h.svc.Kernel.ForumBySlug(r.Context(), r.PathValue("slug"))
			if err != nil {
				return err
			}
			v, err := h.scope(r, f).Viewer(r.Context())
			if err != nil {
				return err
			}
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
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/checkpoint", ID: "latestCheckpoint", Tag: "record",
		Summary:  "The forum's latest signed checkpoint (docs/RECORD.md): keep copies, and verify a later export against one with plenary verify --since-checkpoint",
		Response: "", Produces: "application/json"},
		func(w http.ResponseWriter, r *http.Request) error {
			f, err := h.svc.Kernel.ForumBySlug(r.Context(), r.PathValue("slug"))
			if err != nil {
				return err
			}
			cp, err := h.svc.Kernel.Store().LatestCheckpoint(r.Context(), f.ID)
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
		})
	h.add(&Op{Method: "GET", Path: "/forums/{slug}/events", ID: "streamEvents", Tag: "record",
		Summary:  "Server-Sent Events of the forum's ledger; the event id is the sequence number, so reconnecting with Last-Event-ID loses nothing",
		Query:    map[string]string{"since": "resume after this sequence number (like Last-Event-ID)"},
		Response: "", Produces: "text/event-stream"},
		func(w http.ResponseWriter, r *http.Request) error {
			f, err := h.svc.Kernel.ForumBySlug(r.Context(), r.PathValue("slug"))
			if err != nil {
				return err
			}
			v, err := h.scope(r, f).Viewer(r.Context())
			if err != nil {
				return err
			}
			// A stream opened with a token reads it again as it runs, and
			// ends when it is revoked.
			var resolve func(context.Context) (forum.Actor, error)
			if token := bearerToken(r); token != "" && v.Actor.LoggedIn() {
				resolve = func(ctx context.Context) (forum.Actor, error) { return h.svc.Accounts.TokenActor(ctx, token) }
			}
			return live.ServeChain(w, r, h.broker, h.svc.Kernel.Store(), f.ID, h.svc.StreamRights(f, v, resolve))
		})
}

// forumScope is the request's scope in the forum named in the path: the
// forum, its rules and the caller's standings, read once per request.
func (h *Handler) forumScope(r *http.Request) (*forum.Scope, error) {
	return h.svc.Kernel.RequestScope(r.Context(), forum.ActorFrom(r.Context()), r.PathValue("slug"))
}

// scope is the request's scope in forum f, which the handler has read.
func (h *Handler) scope(r *http.Request, f forum.Forum) *forum.Scope {
	return h.svc.Kernel.RequestScopeOf(r.Context(), forum.ActorFrom(r.Context()), f)
}
