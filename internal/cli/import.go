package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
)

func init() {
	register(command{"import", "import parties or registrations from CSV: import parties | import registrations", runImport})
}

const importUsage = `usage: plenary import parties --forum SLUG --file F.csv [--membership today|2012-2013|all] [--dry-run]
       plenary import registrations --forum SLUG --file F.csv

A file is imported whole or not at all: when any row is wrong, every
problem is listed with its row (the header is row 1) and nothing changes.

Parties: the ITU member-state list as is (--membership picks today's 194
or the 193 of 2012-13), or a file with the columns group and code, name
or country (a Member State needs only its country, an ISO code or a
name: its code and official name come from it), and optionally kind,
iso2, iso3, itu_code, region, member_2012, member_now. Names that are the
same as, or nearly the same as, another's (in case, spacing, diacritics
or punctuation) are listed as warnings, which do not stop the import.
--dry-run checks the file and prints the report; it imports nothing.

Registrations: the columns email and role, and optionally party (a party
code), group (when there is no party), mode (in_room or remote),
affiliation, background, and grants (guests only: action keys separated by
spaces or semicolons, or none). Each person needs an account; all are
approved by the secretariat.`

func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "parties" && args[0] != "registrations") {
		return exitError{2, importUsage}
	}
	what := args[0]
	fs := flags(env, "import "+what, "--forum SLUG --file F.csv")
	slug := fs.String("forum", "", "the forum's slug")
	file := fs.String("file", "", "the CSV file")
	membership := ""
	dryRun := false
	if what == "parties" {
		fs.StringVar(&membership, "membership", participation.MembershipToday, "which Member States to take from the ITU list: today, 2012-2013 or all")
		fs.BoolVar(&dryRun, "dry-run", false, "check the file and print the report; import nothing")
	}
	cfg, _, err := config.Load(fs, args[1:], env.Getenv)
	if err != nil {
		return err
	}
	if *slug == "" || *file == "" {
		return exitError{2, "plenary import " + what + ": --forum and --file are required\n\n" + importUsage}
	}
	f, err := os.Open(*file)
	if err != nil {
		return plenary.Invalid("file", "cannot be read: %v", errors.Unwrap(err))
	}
	defer f.Close()
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	sc, err := a.svc.Kernel.Scope(ctx, forum.System, *slug)
	if err != nil {
		return importFailed(*file, err)
	}
	var n int
	if what == "parties" {
		rows, err := participation.ParsePartiesCSV(f, membership)
		if err != nil {
			return importFailed(*file, err)
		}
		rep, err := a.svc.Participation.ImportParties(ctx, sc, rows, participation.ImportOptions{DryRun: dryRun})
		if err != nil {
			return importFailed(*file, err)
		}
		if rep.DryRun {
			fmt.Fprintf(env.Stdout, "dry run: %d parties would be imported into %s; nothing was imported\n", len(rep.Parties), *slug)
			for _, p := range rep.Parties {
				fmt.Fprintf(env.Stdout, "  %-8s %s (%s, %s)\n", p.Code, p.Name, p.KindLabel(), p.Group)
			}
		} else {
			fmt.Fprintf(env.Stdout, "imported %d parties into %s\n", len(rep.Parties), *slug)
		}
		printWarnings(env, rep.Warnings)
		return nil
	} else {
		rows, err := participation.ParseRegistrationsCSV(f)
		if err != nil {
			return importFailed(*file, err)
		}
		regs, err := a.svc.Participation.ImportRegistrations(ctx, sc, rows)
		if err != nil {
			return importFailed(*file, err)
		}
		n = len(regs)
	}
	fmt.Fprintf(env.Stdout, "imported %d %s into %s\n", n, what, *slug)
	return nil
}

// importFailed reports every bad row, one per line, and says that nothing
// was imported.
func importFailed(file string, err error) error {
	var ie *participation.ImportError
	if !errors.As(err, &ie) {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "plenary import: %s has %d problems; nothing was imported:\n", file, len(ie.Rows))
	for _, r := range ie.Rows {
		fmt.Fprintf(&b, "  %s\n", r)
	}
	if len(ie.Warnings) > 0 {
		fmt.Fprintf(&b, "and %s:\n", warnings(len(ie.Warnings)))
		for _, w := range ie.Warnings {
			fmt.Fprintf(&b, "  %s\n", w)
		}
	}
	return exitError{1, strings.TrimRight(b.String(), "\n")}
}

func warnings(n int) string {
	if n == 1 {
		return "1 warning"
	}
	return fmt.Sprintf("%d warnings", n)
}

// printWarnings lists an import's warnings, one per line.
func printWarnings(env *Env, ws []participation.Warning) {
	if len(ws) == 0 {
		return
	}
	fmt.Fprintf(env.Stdout, "%s (an import does not stop for them):\n", warnings(len(ws)))
	for _, w := range ws {
		fmt.Fprintf(env.Stdout, "  %s\n", w)
	}
}
