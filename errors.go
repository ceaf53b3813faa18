// Package plenary holds the vocabulary every other package shares: the
// error type with its codes, identifiers and clock helpers. It does no I/O.
package plenary

import (
	"errors"
	"fmt"
)

// Code classifies an error for the faces: each code maps to one HTTP status
// and one CLI exit message.
type Code string

// The error codes. Internal errors are never shown to a client; their text
// goes to the log only.
const (
	CodeInvalid      Code = "invalid"      // bad input: 400 or 422
	CodeUnauthorized Code = "unauthorized" // not logged in: 401
	CodeForbidden    Code = "forbidden"    // logged in but the rules deny it: 403
	CodeNotFound     Code = "not_found"    // 404
	CodeConflict     Code = "conflict"     // state does not allow it, or duplicate: 409
	CodeTooLarge     Code = "too_large"    // body or upload over the limit: 413
	CodeRateLimited  Code = "rate_limited" // 429
	CodeUnavailable  Code = "unavailable"  // 503
	CodeInternal     Code = "internal"     // 500
)

// Error is the project's error. Message is safe to show to anyone who made
// the request; Field names the input field at fault, when there is one.
// Err, when set, is the underlying cause, for logs only.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, plenary.ErrNotFound) match any error of that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Field == "" && t.Err == nil && t.Code == e.Code
}

// Sentinels for errors.Is checks by code.
var (
	ErrNotFound  = &Error{Code: CodeNotFound}
	ErrConflict  = &Error{Code: CodeConflict}
	ErrForbidden = &Error{Code: CodeForbidden}
	ErrInvalid   = &Error{Code: CodeInvalid}
)

// Invalid reports bad input in one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Forbidden reports an action the rules do not allow; the message names the
// missing right.
func Forbidden(format string, args ...any) *Error {
	return &Error{Code: CodeForbidden, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports a missing thing, named in the message.
func NotFound(format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflict reports a request the current state does not allow.
func Conflict(format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}

// Unauthorized reports a request that needs a logged-in user.
func Unauthorized(format string, args ...any) *Error {
	return &Error{Code: CodeUnauthorized, Message: fmt.Sprintf(format, args...)}
}

// RateLimited reports a request over a bound on how often it may be
// made; the message names the bound.
func RateLimited(format string, args ...any) *Error {
	return &Error{Code: CodeRateLimited, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error. Its text never reaches a client.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "internal error", Err: err}
}

// ErrorCode returns the code of err: CodeInternal for anything that is not a
// *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns err as a *Error, wrapping anything else as internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// Errors collects several field errors, for forms with more than one bad field.
type Errors []*Error

func (es Errors) Error() string {
	if len(es) == 0 {
		return "no errors"
	}
	s := es[0].Error()
	if len(es) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(es)-1)
	}
	return s
}

// Unwrap exposes the field errors, so that errors.As finds the first
// and ErrorCode reports a list of field errors as invalid input.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Err returns nil when es is empty, else es itself wrapped as an invalid error
// whose message is the first field's.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// HTTPStatus is the status code the faces answer an error of code c with.
func (c Code) HTTPStatus() int {
	switch c {
	case CodeInvalid:
		return 422
	case CodeUnauthorized:
		return 401
	case CodeForbidden:
		return 403
	case CodeNotFound:
		return 404
	case CodeConflict:
		return 409
	case CodeTooLarge:
		return 413
	case CodeRateLimited:
		return 429
	case CodeUnavailable:
		return 503
	}
	return 500
}
