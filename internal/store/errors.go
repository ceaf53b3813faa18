package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/plenary-forum/plenary"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// mapErr turns driver errors into the project's errors: no rows becomes
// not found, unique and foreign-key violations become conflicts. Other
// errors pass through unchanged (and become internal errors at the faces).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &plenary.Error{Code: plenary.CodeNotFound, Message: "not found", Err: err}
	}
	var le *sqlite.Error
	if errors.As(err, &le) {
		switch le.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &plenary.Error{Code: plenary.CodeConflict, Message: "already exists", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &plenary.Error{Code: plenary.CodeConflict, Message: "refers to something that does not exist", Err: err}
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &plenary.Error{Code: plenary.CodeConflict, Message: "already exists", Err: err}
		case "23503":
			return &plenary.Error{Code: plenary.CodeConflict, Message: "refers to something that does not exist", Err: err}
		}
	}
	return err
}

// MapErr is mapErr for other packages that run their own queries through a
// Querier: it maps driver errors to plenary errors.
func MapErr(err error) error { return mapErr(err) }

func isRetryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return strings.Contains(err.Error(), "SQLITE_BUSY")
}
