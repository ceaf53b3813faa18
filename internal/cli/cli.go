// Package cli is the plenary command: serve, migrate, demo, user, export,
// verify, config and version, each with a flag.FlagSet of its own. It is
// the only place where the parts are wired together. Main returns an exit
// code instead of exiting, so tests run the real program in-process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

// Env is what a command sees of its process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ready, when set, is called by serve with the address it listens on
	// (tests use it to find a server started on port 0).
	Ready func(addr string)
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

var commands []command

func register(c command) { commands = append(commands, c) }

func init() {
	register(command{"help", "show this help", nil})
}

// Main runs the plenary command with args (without the program name) and
// returns the exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] && c.run != nil {
			err := c.run(ctx, env, args[1:])
			if err == nil {
				return 0
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			var ex exitError
			if errors.As(err, &ex) {
				if ex.msg != "" {
					fmt.Fprintln(env.Stderr, ex.msg)
				}
				return ex.code
			}
			fmt.Fprintln(env.Stderr, "plenary "+c.name+": "+message(err))
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "plenary: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return 2
}

// message says what went wrong without internal detail for the project's
// own errors, and in full for others (the CLI's user is the operator).
func message(err error) string {
	var es plenary.Errors
	if errors.As(err, &es) {
		var parts []string
		for _, e := range es {
			parts = append(parts, e.Field+": "+e.Message)
		}
		return strings.Join(parts, "; ")
	}
	var pe *plenary.Error
	if errors.As(err, &pe) && pe.Code != plenary.CodeInternal {
		if pe.Field != "" {
			return pe.Field + ": " + pe.Message
		}
		return pe.Message
	}
	return err.Error()
}

type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "Plenary runs multistakeholder policy forums and treaty conferences.")
	fmt.Fprintln(w, "\nUsage: plenary COMMAND [flags]\n\nCommands:")
	cs := append([]command(nil), commands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun plenary COMMAND -h for a command's flags. Every flag can also be set in the environment as PLENARY_NAME.")
}

// flags makes a command's flag set with the configuration flags on it.
func flags(env *Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet("plenary "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: plenary %s %s\n\nFlags:\n", name, usageLine)
		fs.PrintDefaults()
	}
	return fs
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// site is an opened data store with its service.
type site struct {
	cfg    config.Config
	log    *slog.Logger
	store  *store.Store
	signer *ledger.Signer
	svc    *app.App
}

func (a *site) Close() { a.store.Close() }

// open opens and migrates the database and loads the signing key.
func open(ctx context.Context, cfg config.Config, log *slog.Logger) (*site, error) {
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "applied", applied)
	}
	signer, err := loadSigner(cfg, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	svc := app.New(st, signer, app.Options{Logger: log})
	return &site{cfg: cfg, log: log, store: st, signer: signer, svc: svc}, nil
}

func loadSigner(cfg config.Config, log *slog.Logger) (*ledger.Signer, error) {
	if cfg.SigningKey != "" {
		s, err := ledger.ParseKey(cfg.SigningKey)
		if err != nil {
			return nil, plenary.Invalid("signing-key", "is not an Ed25519 key: %v", err)
		}
		return s, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.DataDir, "ledger.key")
	s, created, err := ledger.LoadOrCreateKey(path)
	if err != nil {
		return nil, err
	}
	if created {
		log.Info("created the ledger signing key", "path", path, "key_id", s.KeyID())
	}
	return s, nil
}

// Version is the program's version, from the build information.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		return fmt.Sprintf("%s (%s%s, %s)", v, rev, dirty, bi.GoVersion)
	}
	return fmt.Sprintf("%s (%s)", v, bi.GoVersion)
}
