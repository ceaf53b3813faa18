package cli

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/ledger"
)

func init() {
	register(command{"export", "export data: export ledger --forum SLUG [--out FILE] [--public]", runExport})
	register(command{"verify", "verify ledger chains: in the database, or an exported file with --file", runVerify})
}

func runExport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "ledger" {
		return exitError{2, "usage: plenary export ledger --forum SLUG [--out FILE] [--public]"}
	}
	fs := flags(env, "export ledger", "--forum SLUG [--out FILE] [--public]")
	slug := fs.String("forum", "", "the forum's slug (or \"site\" for the site chain)")
	out := fs.String("out", "", "write to this file instead of standard output")
	public := fs.Bool("public", false, "redact every event that is not public (what anyone may publish)")
	cfg, _, err := config.Load(fs, args[1:], env.Getenv)
	if err != nil {
		return err
	}
	if *slug == "" {
		return plenary.Invalid("forum", "is required")
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	chain := ledger.SiteChain
	if *slug != ledger.SiteChain {
		f, err := a.svc.Kernel.ForumBySlug(ctx, *slug)
		if err != nil {
			return err
		}
		chain = f.ID
	}
	var w io.Writer = env.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	var show func(string) bool
	filter := ""
	if *public {
		show, filter = ledger.ShowPublic, "public"
	}
	if err := a.svc.Record.ExportLedger(ctx, chain, bw, show, filter); err != nil {
		return err
	}
	return bw.Flush()
}

func runVerify(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "verify", "[--file FILE] [--forum SLUG] [--public-key BASE64]")
	file := fs.String("file", "", "verify an exported JSON-lines file (\"-\" for standard input) instead of the database")
	slug := fs.String("forum", "", "verify only this forum's chain (database mode)")
	pubkey := fs.String("public-key", "", "the Ed25519 public key (base64) the checkpoints must be signed with; default: the file's header, or this server's key")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	var keys []ed25519.PublicKey
	if *pubkey != "" {
		k, err := ledger.ParsePublicKey(*pubkey)
		if err != nil {
			return plenary.Invalid("public-key", "is not an Ed25519 public key")
		}
		keys = append(keys, k)
	}
	if *file != "" {
		var r io.Reader = env.Stdin
		if *file != "-" {
			f, err := os.Open(*file)
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		rep, err := ledger.VerifyStream(bufio.NewReaderSize(r, 1<<20), keys...)
		return verdict(env, *file, rep, err)
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	chains, err := a.store.Chains(ctx)
	if err != nil {
		return err
	}
	if *slug != "" {
		f, err := a.svc.Kernel.ForumBySlug(ctx, *slug)
		if err != nil {
			return err
		}
		chains = []string{f.ID}
	}
	bad := 0
	for _, c := range chains {
		rep, err := a.svc.Record.VerifyChain(ctx, c, keys...)
		if verr := verdict(env, "chain "+c, rep, err); verr != nil {
			bad++
		}
	}
	if bad > 0 {
		return exitError{1, fmt.Sprintf("%d chain(s) failed verification", bad)}
	}
	return nil
}

func verdict(env *Env, what string, rep ledger.Report, err error) error {
	if err == nil && rep.OK() {
		fmt.Fprintf(env.Stdout, "%s: %s\n", what, rep.String())
		return nil
	}
	if rep.Failure != nil {
		fmt.Fprintf(env.Stdout, "%s: %s\n", what, rep.String())
		return exitError{1, ""}
	}
	return exitError{1, fmt.Sprintf("%s: FAILED: %v", what, err)}
}
