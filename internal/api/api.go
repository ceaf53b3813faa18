// Package api is Plenary's JSON face under /api/v1. Routes are registered
// with their OpenAPI description (summary, request and response types), so
// that the OpenAPI 3.1 document served at /api/v1/openapi.json is built
// from the same table that routes requests; tests check real responses
// against the documented schemas. Programs authenticate with API tokens
// (Authorization: Bearer ...), never with cookies, so the API needs no
// CSRF token. Unknown JSON fields and oversized bodies are rejected.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/live"
)

// Options configure the API.
type Options struct {
	Logger       *slog.Logger
	MaxBodyBytes int64
	BaseURL      string
	Version      string
}

// Handler serves /api/v1.
type Handler struct {
	svc    *app.App
	broker *live.Broker
	log    *slog.Logger
	opt    Options
	mux    *http.ServeMux
	ops    []*Op
	doc    []byte
}

// Op is one documented operation.
type Op struct {
	Method  string
	Path    string // under /api/v1, with {params}
	ID      string // operationId
	Summary string
	Tag     string
	// Auth: the operation needs a token (401 without one).
	Auth bool
	// Request is a value of the request body's type, nil when none.
	Request any
	// Response is a value of the success body's type; nil for 204.
	Response any
	// Status is the success status (default 200).
	Status int
	// Query documents query parameters: name -> description.
	Query map[string]string
	// Produces overrides the response media type (default application/json).
	Produces string
	// Consumes overrides the request media type (default
	// application/json): multipart/form-data for file uploads, whose
	// Request type documents the parts (Binary for files).
	Consumes string
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// New builds the API.
func New(svc *app.App, broker *live.Broker, o Options) *Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	h := &Handler{svc: svc, broker: broker, log: o.Logger, opt: o, mux: http.NewServeMux()}
	h.routes()
	spec, err := h.OpenAPI()
	if err != nil {
		panic("api: openapi document: " + err.Error())
	}
	doc, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		panic("api: openapi document: " + err.Error())
	}
	h.doc = doc
	h.mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write(h.doc)
	})
	h.mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, plenary.NotFound("no API endpoint %s %s", r.Method, r.URL.Path))
	})
	return h
}

// Ops returns the registered operations, for tests and documentation.
func (h *Handler) Ops() []*Op { return h.ops }

// add registers an operation, documented by op, whose handler the adapter
// makes (adapters.go). An operation that needs a token refuses a caller
// without one before anything else.
func (h *Handler) add(op *Op, a adapter) {
	if op.Status == 0 {
		op.Status = http.StatusOK
	}
	for _, o := range h.ops {
		if o.ID == op.ID {
			// Caught at start-up by every test that builds the handler.
			panic("api: operationId " + op.ID + " is given to two routes: " + o.Method + " " + o.Path + " and " + op.Method + " " + op.Path)
		}
	}
	f := a.handler(h, op)
	h.ops = append(h.ops, op)
	h.mux.Handle(op.Method+" /api/v1"+op.Path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if op.Auth && !forum.ActorFrom(r.Context()).LoggedIn() {
			h.fail(w, r, plenary.Unauthorized("this endpoint needs an API token: send Authorization: Bearer TOKEN"))
			return
		}
		rw := &responseState{ResponseWriter: w}
		if err := f(rw, r); err != nil {
			h.fail(rw, r, err)
		}
	}))
}

// responseState remembers whether a handler has begun its response and
// whether writing it failed, so that an error after that is not answered
// with a second status line.
type responseState struct {
	http.ResponseWriter
	started  bool
	writeErr error
}

func (w *responseState) WriteHeader(code int) {
	if code >= 200 {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseState) Write(b []byte) (int, error) {
	w.started = true
	n, err := w.ResponseWriter.Write(b)
	if err != nil && w.writeErr == nil {
		w.writeErr = err
	}
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and SetWriteDeadline.
func (w *responseState) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP authenticates the bearer token, if any, and dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	orig := r
	if err := forum.CheckAddress(r.URL.Path, r.URL.Query()); err != nil {
		h.fail(w, r, err)
		return
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		token := bearerToken(r)
		if token == "" {
			h.fail(w, r, plenary.Unauthorized("the Authorization header must be Bearer TOKEN"))
			return
		}
		a, err := h.svc.Accounts.TokenActor(r.Context(), token)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		r = r.WithContext(forum.WithActor(r.Context(), a))
	} else {
		// The API never uses cookies: a browser's session must not be
		// usable by another site's script through it.
		r = r.WithContext(forum.WithActor(r.Context(), forum.Anonymous))
	}
	r = r.WithContext(forum.WithScopes(r.Context()))
	h.mux.ServeHTTP(w, r)
	orig.Pattern = r.Pattern // for the metrics and logs outside
}

// bearerToken is the API token of the request's Authorization header, ""
// when it has none.
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail describes an error: a code, a message for people, and the
// field at fault, if one; Fields lists every bad field of a rejected body.
type ErrorDetail struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Field   string       `json:"field,omitempty"`
	Fields  []FieldError `json:"fields,omitempty"`
}

// FieldError is one bad field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Status maps an error code to an HTTP status.
func Status(c plenary.Code) int { return c.HTTPStatus() }

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	rs, _ := w.(*responseState)
	if errors.Is(err, context.Canceled) || r.Context().Err() != nil || (rs != nil && rs.writeErr != nil) {
		// The client went away (a download cut short, a closed tab):
		// nobody is left to answer, and nothing is wrong here.
		h.log.Debug("api: the client went away before the response was complete", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	if rs != nil && rs.started {
		// The status line is sent; all that can be done is to stop.
		h.log.Error("api: internal error after the response began", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	var body ErrorBody
	var es plenary.Errors
	if errors.As(err, &es) && len(es) > 0 {
		body.Error = ErrorDetail{Code: string(plenary.CodeInvalid), Message: es[0].Field + ": " + es[0].Message, Field: es[0].Field}
		for _, e := range es {
			body.Error.Fields = append(body.Error.Fields, FieldError{e.Field, e.Message})
		}
	} else {
		pe := plenary.AsError(err)
		body.Error = ErrorDetail{Code: string(pe.Code), Message: pe.Message, Field: pe.Field}
		if pe.Field != "" {
			body.Error.Message = pe.Field + ": " + pe.Message
			body.Error.Fields = []FieldError{{pe.Field, pe.Message}}
		}
		if pe.Code == plenary.CodeInternal {
			h.log.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
			body.Error.Message = "internal error; it has been logged"
		}
	}
	status := Status(plenary.Code(body.Error.Code))
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="plenary"`)
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "60")
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// decode reads a JSON body into v: at most MaxBodyBytes, text that is
// valid UTF-8 (checkBodyText), no unknown fields, exactly one value. Errors
// name the field and the reason.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return plenary.Invalid("Content-Type", "must be application/json, got %q", ct)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opt.MaxBodyBytes))
	if err != nil {
		return jsonError(err)
	}
	if err := checkBodyText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return plenary.Invalid("body", "must hold exactly one JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var mbe *http.MaxBytesError
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var tpe *time.ParseError
	switch {
	case errors.As(err, &mbe):
		return &plenary.Error{Code: plenary.CodeTooLarge, Field: "body", Message: fmt.Sprintf("is larger than %d bytes", mbe.Limit)}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return plenary.Invalid(field, "must be %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return plenary.Invalid("body", "is not valid JSON (at byte %d)", se.Offset)
	case errors.As(err, &tpe):
		return plenary.Invalid("body", "holds a time, %s, that is not in RFC 3339 form (2012-12-14T10:00:00Z)", tpe.Value)
	case errors.Is(err, io.EOF):
		return plenary.Invalid("body", "is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return plenary.Invalid("body", "ends too early: it is not complete JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return plenary.Invalid(name, "is not a known field")
	}
	return plenary.Invalid("body", "could not be read as JSON")
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "ptr":
		return "a value"
	}
	return "a number"
}
