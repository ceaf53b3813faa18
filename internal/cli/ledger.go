package cli

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"slices"

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
	fs := flags(env, "verify", "[--file FILE] [--forum SLUG] [--public-key BASE64] [--since-checkpoint FILE]")
	file := fs.String("file", "", "verify an exported JSON-lines file (\"-\" for standard input) instead of the database")
	slug := fs.String("forum", "", "verify only this forum's chain (database mode)")
	pubkey := fs.String("public-key", "", "the Ed25519 public key (base64) the checkpoints must be signed with; default: the file's header, or this server's key")
	sinceFile := fs.String("since-checkpoint", "", "a checkpoint obtained earlier (JSON, as GET /api/v1/forums/SLUG/checkpoint serves it): the chain must extend it")
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
	var since *ledger.Checkpoint
	if *sinceFile != "" {
		b, err := os.ReadFile(*sinceFile)
		if err != nil {
			return err
		}
		cp, err := ledger.ParseCheckpoint(b)
		if err != nil {
			return plenary.Invalid("since-checkpoint", "%v", err)
		}
		since = &cp
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
		rep, err := ledger.VerifyStreamWith(bufio.NewReaderSize(r, 1<<20), ledger.VerifyOptions{Keys: keys, Since: since})
		return verdict(env, *file, rep, err)
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	chains, err := a.store.AllChains(ctx)
	if err != nil {
		return err
	}
	if *slug != "" {
		chain := ledger.SiteChain
		if *slug != ledger.SiteChain {
			f, err := a.svc.Kernel.ForumBySlug(ctx, *slug)
			if err != nil {
				return err
			}
			chain = f.ID
		}
		chains = []string{chain}
		if since != nil && since.Chain != chain {
			return plenary.Invalid("since-checkpoint", "is a checkpoint of chain %q, not of %s (chain %q)", since.Chain, *slug, chain)
		}
	} else if since != nil && !slices.Contains(chains, since.Chain) {
		// The chain the checkpoint signs has vanished: verify it anyway,
		// so that the report says what is missing.
		chains = append(chains, since.Chain)
	}
	if len(keys) == 0 && a.signer != nil {
		keys = []ed25519.PublicKey{a.signer.Public()}
	}
	bad := 0
	for _, c := range chains {
		o := ledger.VerifyOptions{Keys: keys}
		if since != nil && since.Chain == c {
			o.Since = since
		}
		rep, err := a.store.VerifyChain(ctx, c, o)
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
