package api

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/live"
)

// Every operation is registered with h.add(&Op{...}, adapter) and goes
// through one of the adapters below, so that decoding a request, reading
// the forum's scope, mapping an error and encoding an answer are each
// written once. An operation says only what it does with what the adapter
// gives it:
//
//   - query: a read of the forum named in the path. The adapter reads the
//     caller's scope there (h.forumScope); do answers with a value, written
//     as JSON with the Op's status.
//   - siteQuery: a read outside any forum (the caller's account, the list
//     of forums, search across forums); do gets the caller.
//   - command: a change in the forum named in the path. When the Op
//     documents a request body, the adapter decodes it strictly into In
//     (at most MaxBodyBytes, no unknown field, one JSON value) and runs its
//     check method if it has one, before it reads the scope; do answers
//     with a value, written as JSON with the Op's status, or nothing when
//     the Op documents no response (204). at adds the Location of what it
//     created.
//   - siteCommand: a change outside any forum (setting up a forum), like
//     command with the caller instead of a scope.
//   - upload: a change in the forum whose body is multipart/form-data
//     with one file in the part named "file": the adapter bounds and reads
//     the form, then the scope; do gets the file.
//   - raw: what writes its own answer (a file, an export, a stream of
//     events or of ledger lines) in the forum named in the path; do gets
//     the scope and the writer.
//   - bulk: raw for a download that may be long (a ledger or a period of
//     a million comments): the server's write timeout becomes a bound on
//     each pause, not on the whole answer (see BulkIdle).
//
// Whatever the adapter, an error returned before anything is written is
// answered by h.fail with the JSON error envelope and its status; the
// Op's Auth refuses a caller without a token first (see add).
type adapter interface {
	handler(h *Handler, op *Op) handlerFunc
}

type adapterFunc func(h *Handler, op *Op) handlerFunc

func (f adapterFunc) handler(h *Handler, op *Op) handlerFunc { return f(h, op) }

// query is a read of the forum named in the path.
func query[Out any](do func(r *http.Request, sc *forum.Scope) (Out, error)) adapter {
	return adapterFunc(func(h *Handler, op *Op) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			sc, err := h.forumScope(r)
			if err != nil {
				return err
			}
			out, err := do(r, sc)
			if err != nil {
				return err
			}
			writeJSON(w, op.Status, out)
			return nil
		}
	})
}

// siteQuery is a read outside any forum.
func siteQuery[Out any](do func(r *http.Request, a forum.Actor) (Out, error)) adapter {
	return adapterFunc(func(h *Handler, op *Op) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			out, err := do(r, forum.ActorFrom(r.Context()))
			if err != nil {
				return err
			}
			writeJSON(w, op.Status, out)
			return nil
		}
	})
}

// checker is a request body with checks of its own that need no forum;
// command runs them after decoding, before it reads the scope.
type checker interface{ check() error }

// commandOp is a command or siteCommand.
type commandOp[In, Out any] struct {
	do       func(h *Handler, r *http.Request, in In) (Out, error)
	location func(r *http.Request, out Out) string
}

// command is a change in the forum named in the path.
func command[In, Out any](do func(r *http.Request, sc *forum.Scope, in In) (Out, error)) *commandOp[In, Out] {
	return &commandOp[In, Out]{do: func(h *Handler, r *http.Request, in In) (Out, error) {
		sc, err := h.forumScope(r)
		if err != nil {
			var zero Out
			return zero, err
		}
		return do(r, sc, in)
	}}
}

// siteCommand is a change outside any forum.
func siteCommand[In, Out any](do func(r *http.Request, a forum.Actor, in In) (Out, error)) *commandOp[In, Out] {
	return &commandOp[In, Out]{do: func(h *Handler, r *http.Request, in In) (Out, error) {
		return do(r, forum.ActorFrom(r.Context()), in)
	}}
}

// at sets the Location header of a successful answer: the API path of what
// the command created.
func (c *commandOp[In, Out]) at(location func(r *http.Request, out Out) string) *commandOp[In, Out] {
	c.location = location
	return c
}

func (c *commandOp[In, Out]) handler(h *Handler, op *Op) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in In
		if op.Request != nil {
			if err := h.decode(w, r, &in); err != nil {
				return err
			}
			if ch, ok := any(&in).(checker); ok {
				if err := ch.check(); err != nil {
					return err
				}
			}
		}
		out, err := c.do(h, r, in)
		if err != nil {
			return err
		}
		if c.location != nil {
			w.Header().Set("Location", c.location(r, out))
		}
		if op.Response == nil {
			w.WriteHeader(op.Status)
			return nil
		}
		writeJSON(w, op.Status, out)
		return nil
	}
}

// uploadedFile is the file of an upload: its name as the client sent it
// and its content.
type uploadedFile struct {
	Name    string
	Content io.Reader
}

// upload is a change in the forum named in the path whose body is
// multipart/form-data: at most the largest file accepted plus the other
// fields (a larger one is refused with 413 naming the field "file"), with
// exactly one file in the part named "file". do reads the other fields
// with r.FormValue.
func upload[Out any](do func(r *http.Request, sc *forum.Scope, file uploadedFile) (Out, error)) adapter {
	return adapterFunc(func(h *Handler, op *Op) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data") {
				return plenary.Invalid("Content-Type", "must be multipart/form-data, got %q", ct)
			}
			limit := h.svc.Documents.MaxUploadBytes()
			r.Body = http.MaxBytesReader(w, r.Body, limit+h.opt.MaxBodyBytes)
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return &plenary.Error{Code: plenary.CodeTooLarge, Field: "file", Message: "is larger than the limit of " + documents.ByteSize(limit)}
				}
				return plenary.Invalid("body", "is not a readable multipart/form-data body")
			}
			defer r.MultipartForm.RemoveAll()
			fhs := r.MultipartForm.File["file"]
			if len(fhs) != 1 {
				return plenary.Invalid("file", "send exactly one file in the part named file")
			}
			file, err := fhs[0].Open()
			if err != nil {
				return err
			}
			defer file.Close()
			sc, err := h.forumScope(r)
			if err != nil {
				return err
			}
			out, err := do(r, sc, uploadedFile{Name: fhs[0].Filename, Content: file})
			if err != nil {
				return err
			}
			writeJSON(w, op.Status, out)
			return nil
		}
	})
}

// BulkIdle is the longest a bulk download may wait, to read what it
// sends or to send it, before it is cut off: the server's WriteTimeout
// bounds a whole answer, which a ledger of a million events to a slow
// client would outlast.
var BulkIdle = 60 * time.Second

// bulk is raw for a long download, paced: the write deadline moves
// BulkIdle on at its start and at each write.
func bulk(do func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error) adapter {
	return raw(func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error {
		return do(live.NewPaced(w, BulkIdle), r, sc)
	})
}

// raw is what writes its own answer in the forum named in the path.
func raw(do func(w http.ResponseWriter, r *http.Request, sc *forum.Scope) error) adapter {
	return adapterFunc(func(h *Handler, op *Op) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			sc, err := h.forumScope(r)
			if err != nil {
				return err
			}
			return do(w, r, sc)
		}
	})
}
