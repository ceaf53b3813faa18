// Package store is Plenary's storage: one portable set of SQL over
// database/sql for SQLite (the embedded default, pure Go) and PostgreSQL,
// per-dialect migrations with shared numbering, and the ledger's tables.
//
// Queries are written with `?` placeholders and rewritten for PostgreSQL in
// one place (Rebind). Identifiers are text made in Go (plenary.NewID) and
// times are stored as integer Unix milliseconds in UTC on both engines, so
// one scanner serves both. Driver errors are mapped to the project's own
// not-found and conflict errors (errors.go).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/plenary-forum/plenary/internal/ledger"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

// Dialect names a database engine.
type Dialect string

// The two engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is an open database. On SQLite it holds two pools: one connection
// for writes (SQLite has one writer; a single connection avoids SQLITE_BUSY)
// and a pool for reads, which WAL lets run beside the writer. On PostgreSQL
// both are the same pool.
type Store struct {
	dialect Dialect
	write   *sql.DB
	read    *sql.DB
	url     string // PostgreSQL URL, for LISTEN connections
	// The prepared statements of each pool (SQLite only; see stmtCache).
	writeStmts, readStmts *stmtCache
	// checkpoints copies the write-ahead log back in the background
	// (SQLite only; see checkpoint.go).
	checkpoints *checkpointer
}

// Config says which database to open.
type Config struct {
	// DatabaseURL, when set, is a PostgreSQL URL (postgres://...).
	DatabaseURL string
	// DataDir holds the SQLite file (plenary.db) when DatabaseURL is empty.
	DataDir string
	// SQLitePath overrides the SQLite file path (tests).
	SQLitePath string
	// MaxReadConns bounds the read pool (default 8).
	MaxReadConns int
}

// Open opens (and creates, for SQLite) the database. It does not migrate;
// call Migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.MaxReadConns <= 0 {
		cfg.MaxReadConns = 8
	}
	if cfg.DatabaseURL != "" {
		return openPostgres(ctx, cfg)
	}
	return openSQLite(ctx, cfg)
}

func openSQLite(ctx context.Context, cfg Config) (*Store, error) {
	path := cfg.SQLitePath
	if path == "" {
		if cfg.DataDir == "" {
			return nil, errors.New("store: neither a database URL nor a data directory is set")
		}
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
		path = filepath.Join(cfg.DataDir, "plenary.db")
	}
	// Per-connection settings go in the DSN so every pooled connection has
	// them: wait up to 5 s for a lock, WAL so readers run beside the
	// writer, NORMAL sync (durable at checkpoints; safe with WAL), foreign
	// keys on, temporary files in memory (the journals of savepoints and
	// statements, which group commit opens for every command, would
	// otherwise spill to a file past 64 KB and cost a write system call
	// per page), and BEGIN IMMEDIATE so a write transaction takes the
	// write lock at once instead of failing on upgrade.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walBackstop))
	q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walSizeLimit))
	q.Add("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(cfg.MaxReadConns)
	r.SetMaxIdleConns(cfg.MaxReadConns)
	s := &Store{dialect: SQLite, write: w, read: r, writeStmts: newStmtCache(w), readStmts: newStmtCache(r)}
	if err := w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	c, err := sql.Open("sqlite", dsn)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	s.checkpoints = startCheckpointer(c)
	return s, nil
}

func openPostgres(ctx context.Context, cfg Config) (*Store, error) {
	db, err := sql.Open("pgx", cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(cfg.MaxReadConns + 4)
	db.SetMaxIdleConns(cfg.MaxReadConns)
	db.SetConnMaxLifetime(30 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", RedactURLError(err, cfg.DatabaseURL))
	}
	return &Store{dialect: Postgres, write: db, read: db, url: cfg.DatabaseURL}, nil
}

// RedactURLError makes sure an error does not carry the password of url.
func RedactURLError(err error, rawURL string) error {
	u, perr := url.Parse(rawURL)
	if perr != nil || u.User == nil {
		return err
	}
	if p, ok := u.User.Password(); ok && p != "" && strings.Contains(err.Error(), p) {
		return errors.New(strings.ReplaceAll(err.Error(), p, "xxxxx"))
	}
	return err
}

// Dialect reports the engine.
func (s *Store) Dialect() Dialect { return s.dialect }

// PostgresURL returns the connection URL on PostgreSQL, "" on SQLite.
func (s *Store) PostgresURL() string { return s.url }

// Close closes the prepared statements and both pools.
func (s *Store) Close() error {
	s.writeStmts.close()
	s.readStmts.close()
	err := s.checkpoints.stop()
	if e := s.write.Close(); err == nil {
		err = e
	}
	if s.read != s.write {
		if e := s.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers; /readyz uses it.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return err
	}
	var one int
	count(ctx, "")
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Rebind rewrites `?` placeholders as `$1, $2...` for PostgreSQL. Question
// marks inside quoted strings and identifiers are left alone.
func (s *Store) Rebind(query string) string { return rebind(s.dialect, query) }

func rebind(d Dialect, query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			b.WriteByte(c)
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Querier is what both a Store (reading) and a Tx offer: rebound queries.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	Dialect() Dialect
}

// QueryContext runs a read query on the read pool.
func (s *Store) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	count(ctx, query)
	query = s.Rebind(query)
	if st := s.readStmts.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.read.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a single-row read on the read pool.
func (s *Store) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	count(ctx, query)
	query = s.Rebind(query)
	if st := s.readStmts.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.read.QueryRowContext(ctx, query, args...)
}

// ExecContext runs one statement on the writer, outside any transaction.
// Commands use Write instead: every change belongs in a transaction with its
// ledger event.
func (s *Store) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	count(ctx, query)
	return s.write.ExecContext(ctx, s.Rebind(query), args...)
}

// Tx is a write transaction.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	// appended holds the chains that got new ledger events, for the caller
	// to announce after commit; heads their new heads, written at commit.
	appended map[string]int64
	heads    map[string]ledger.Head
	// stmts are the writer's prepared statements; missed the statements
	// this transaction ran that had none, prepared after it ends.
	stmts  *stmtCache
	missed map[string]bool
	// open holds, per query, the rows of the last use of its prepared
	// statement, so that the statement is not run again while they are
	// being read.
	open map[string]*sql.Rows
	// later are the functions BeforeCommit deferred, run in order once fn
	// has returned; late is set while they run.
	later []func(context.Context, *Tx) error
	late  bool
	// values are what packages keep for the length of the transaction.
	values map[any]any
}

// Value returns what SetValue kept under key in this transaction, or nil.
func (t *Tx) Value(key any) any { return t.values[key] }

// SetValue keeps v under key for the rest of the transaction (a package
// gathering the work it defers with BeforeCommit); key is a value of a
// type of the caller's own, as for a context's values.
func (t *Tx) SetValue(key, v any) {
	if t.values == nil {
		t.values = map[any]any{}
	}
	t.values[key] = v
}

// stmt returns the transaction's use of the prepared statement for query,
// or nil (and notes the query, to prepare it after the transaction).
func (t *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if r := t.open[query]; r != nil {
		if _, err := r.Columns(); err == nil {
			// Its rows are still being read: this use runs unprepared.
			return nil
		}
		delete(t.open, query)
	}
	if st := t.stmts.lookup(query); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	if t.missed == nil {
		t.missed = map[string]bool{}
	}
	if len(t.missed) < maxCachedStatements {
		t.missed[query] = true
	}
	return nil
}

// Dialect reports the engine.
func (t *Tx) Dialect() Dialect { return t.dialect }

// Inside a transaction, prepared statements serve single-row queries and
// statements, which have finished with the statement when they return
// (Row.Scan resets it), and queries of many rows. The transaction has one
// connection, so a caller that ran the same query again while reading its
// rows would reset the statement under them: a query whose last prepared
// use still has its rows open runs unprepared. The transaction's use of a
// prepared statement is closed as soon as it has run (its rows stay
// readable: the statement itself belongs to the cache), so a long
// transaction (an import) does not pile them up.

// QueryContext runs a query inside the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	count(ctx, query)
	query = rebind(t.dialect, query)
	if st := t.stmt(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		st.Close()
		if err == nil {
			if t.open == nil {
				t.open = map[string]*sql.Rows{}
			}
			t.open[query] = rows
		}
		return rows, err
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// BeforeCommit defers fn to the end of the transaction: it runs, in the
// order deferred, after the transaction's function has returned without
// error and before the commit; an error fails the transaction. What a
// savepoint rolls back includes what was deferred after it. Work that many
// commands of one grouped transaction each do to one structure (a search
// entry, whose full-text index SQLite flushes at every savepoint) is done
// there once, after the last savepoint. A deferred function must not append
// to the ledger: the chain's checkpoint is already signed.
func (t *Tx) BeforeCommit(fn func(ctx context.Context, tx *Tx) error) {
	t.later = append(t.later, fn)
}

// runLater runs the deferred functions, including any they defer.
func (t *Tx) runLater(ctx context.Context) error {
	t.late = true
	defer func() { t.late = false }()
	for i := 0; i < len(t.later); i++ {
		if err := t.later[i](ctx, t); err != nil {
			return err
		}
	}
	t.later = nil
	return nil
}

// QueryRowContext runs a single-row query inside the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	count(ctx, query)
	query = rebind(t.dialect, query)
	if st := t.stmt(ctx, query); st != nil {
		defer st.Close()
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement inside the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	count(ctx, query)
	query = rebind(t.dialect, query)
	if st := t.stmt(ctx, query); st != nil {
		defer st.Close()
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// ForUpdate is the row-locking suffix for a SELECT: " FOR UPDATE" on
// PostgreSQL, nothing on SQLite, whose write transactions are already
// exclusive.
func (t *Tx) ForUpdate() string {
	if t.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// Appended reports the chains this transaction appended to, with their new
// head sequence numbers.
func (t *Tx) Appended() map[string]int64 { return t.appended }

// Write runs fn in one write transaction and commits it when fn returns nil.
// It returns the chains that got ledger events (chain -> new head seq), so
// that the caller can announce them to live subscribers after the commit.
// On PostgreSQL a serialization failure or deadlock is retried a few times.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) (map[string]int64, error) {
	for attempt := 0; ; attempt++ {
		appended, err := s.writeOnce(ctx, fn)
		if err != nil && s.dialect == Postgres && attempt < 4 && isRetryable(err) {
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		return appended, err
	}
}

func (s *Store) writeOnce(ctx context.Context, fn func(tx *Tx) error) (appended map[string]int64, err error) {
	sqltx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, mapErr(err)
	}
	tx := &Tx{tx: sqltx, dialect: s.dialect, stmts: s.writeStmts}
	defer func() {
		if p := recover(); p != nil {
			_ = sqltx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqltx.Rollback()
		}
		// The writer's connection is free again: prepare what ran
		// unprepared, for the next transactions.
		for q := range tx.missed {
			s.writeStmts.prepare(ctx, q)
		}
	}()
	if err = fn(tx); err != nil {
		return nil, err
	}
	if err = tx.runLater(ctx); err != nil {
		return nil, err
	}
	if err = tx.saveHeads(ctx); err != nil {
		return nil, err
	}
	if len(tx.appended) > 0 && s.dialect == Postgres {
		// Tell other server processes; NOTIFY is delivered at commit.
		for chain, seq := range tx.appended {
			count(ctx, "")
			if _, err = sqltx.ExecContext(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, fmt.Sprintf("%s %d", chain, seq)); err != nil {
				return nil, mapErr(err)
			}
		}
	}
	if err = sqltx.Commit(); err != nil {
		return nil, mapErr(err)
	}
	return tx.appended, nil
}

// NotifyChannel is the PostgreSQL channel that carries "chain seq" after a
// commit that appended ledger events.
const NotifyChannel = "plenary_ledger"

// Strings reads the one column of strings a query returns, in its order.
func Strings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
