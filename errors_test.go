package plenary_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/plenary-forum/plenary"
)

func TestErrorCodesAndStatuses(t *testing.T) {
	tests := []struct {
		err    error
		code   plenary.Code
		status int
	}{
		{plenary.Invalid("title", "is required"), plenary.CodeInvalid, 422},
		{plenary.Forbidden("no"), plenary.CodeForbidden, 403},
		{plenary.NotFound("no forum %q", "x"), plenary.CodeNotFound, 404},
		{plenary.Conflict("taken"), plenary.CodeConflict, 409},
		{plenary.Unauthorized("log in"), plenary.CodeUnauthorized, 401},
		{fmt.Errorf("wrapped: %w", plenary.Invalid("x", "y")), plenary.CodeInvalid, 422},
		{errors.New("driver exploded"), plenary.CodeInternal, 500},
		{plenary.Errors{plenary.Invalid("a", "b")}, plenary.CodeInvalid, 422},
	}
	for _, tt := range tests {
		if got := plenary.ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v) = %s, want %s", tt.err, got, tt.code)
		}
		if got := tt.code.HTTPStatus(); got != tt.status {
			t.Errorf("%s.HTTPStatus() = %d, want %d", tt.code, got, tt.status)
		}
	}
	if !errors.Is(plenary.NotFound("no forum"), plenary.ErrNotFound) || errors.Is(plenary.NotFound("x"), plenary.ErrConflict) {
		t.Error("errors.Is does not match by code")
	}
	internal := plenary.Internal(errors.New("secret detail"))
	if internal.Message != "internal error" || plenary.AsError(errors.New("x")).Code != plenary.CodeInternal {
		t.Errorf("internal errors carry their cause in the message: %+v", internal)
	}
	if got := (plenary.Errors{plenary.Invalid("a", "b"), plenary.Invalid("c", "d")}).Error(); got != "invalid (a): b (and 1 more)" {
		t.Errorf("Errors.Error() = %q", got)
	}
}
