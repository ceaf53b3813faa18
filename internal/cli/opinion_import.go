package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/opinion"
)

const opinionImportUsage = `usage: plenary opinion import --dir DIR --forum SLUG (--period ID | --document NUMBER [--days N]) [--source NAME] [--batch N]

Imports a conversation in Polis' open-data format from DIR (votes.csv, and
comments.csv when present) into the opinion map of a comment period: the
period ID, or a new period opened on the document NUMBER (for example
WTPF-13/3) for N days. The period is given an opinion map if it has none.
Statements are the conversation's comments (those moderated out are kept,
rejected); its participants become imported voters known by a pseudonym,
SOURCE:voter-id, with no account. Votes go in batches of N, one
transaction and one ledger event each. Importing the same conversation
again changes nothing. Then the map is computed as the pages show it, and,
when participants-votes.csv gives Polis' groups, compared with them (Rand
and adjusted Rand index).`

func runOpinionImport(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "opinion import", "--dir DIR --forum SLUG --period ID")
	dir := fs.String("dir", "", "the conversation's folder (votes.csv, comments.csv, participants-votes.csv)")
	slug := fs.String("forum", "", "the forum's slug")
	period := fs.String("period", "", "the comment period to import into")
	document := fs.String("document", "", "open a new comment period on this document (its number) instead")
	days := fs.Int("days", 30, "how long a new period stays open")
	source := fs.String("source", "", "the conversation's name, prefixing the pseudonyms (default: the folder's name)")
	batch := fs.Int("batch", consultation.DefaultImportBatch, "votes per transaction")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	if *dir == "" || *slug == "" || (*period == "") == (*document == "") {
		return exitError{2, "plenary opinion import: --dir, --forum and one of --period or --document are required\n\n" + opinionImportUsage}
	}
	if *days < 1 || *batch < 1 {
		return plenary.Invalid("days", "--days and --batch must be 1 or more")
	}
	if *source == "" {
		*source = sourceName(filepath.Base(filepath.Clean(*dir)))
	}
	comments, votes, polis, err := readConversation(*dir)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	sc, err := a.svc.Kernel.Scope(ctx, forum.System, *slug)
	if err != nil {
		return err
	}
	c := a.svc.Consultation
	w := env.Stdout
	if *document != "" {
		d, err := a.svc.Documents.DocumentByNumber(ctx, sc, *document)
		if err != nil {
			return err
		}
		p, err := c.OpenPeriod(ctx, sc, consultation.PeriodInput{Document: d.ID, Title: "Opinion map: " + *source,
			Closes: time.Now().Add(time.Duration(*days) * 24 * time.Hour)})
		if err != nil {
			return err
		}
		*period = p.ID
		fmt.Fprintf(w, "opened comment period %s on %s\n", p.ID, d.Number)
	}
	has, err := c.HasOpinionMap(ctx, sc, *period)
	if err != nil {
		return err
	}
	if !has {
		if err := c.EnableOpinionMap(ctx, sc, *period); err != nil {
			return err
		}
		fmt.Fprintf(w, "gave period %s an opinion map\n", *period)
	}
	in := consultation.PolisConversation(*source, comments, votes)
	in.BatchSize = *batch
	rep, err := c.ImportConversation(ctx, sc, *period, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "imported %s into period %s: %d statements (%d new), %d voters (%d new), %d votes (%d new or changed) in %d batches\n",
		*source, *period, rep.Statements, rep.NewStatements, rep.Voters, rep.NewVoters, rep.Votes, rep.ChangedVotes, rep.Batches)
	m, err := c.OpinionMap(ctx, sc, *period)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "map: %d participants, %d counted, %d groups (computed in %s)\n", m.Map.Participants, len(m.Map.Counted), m.Map.K,
		m.Took.Round(time.Millisecond))
	for _, g := range m.Map.Clusters.Groups {
		fmt.Fprintf(w, "  group %s: %d participants\n", g.Label, g.Size)
	}
	if polis == nil {
		return nil
	}
	ids, err := c.ImportedVoters(ctx, sc, *period)
	if err != nil {
		return err
	}
	var ours, theirs []int
	ks := map[int]bool{}
	for _, g := range polis {
		ks[g] = true
	}
	prefix := *source + ":"
	for _, pt := range m.Map.Counted {
		ps, ok := ids[pt.Participant]
		if !ok || !strings.HasPrefix(ps, prefix) {
			continue
		}
		id, err := strconv.Atoi(strings.TrimPrefix(ps, prefix))
		if err != nil {
			continue
		}
		if g, ok := polis[id]; ok {
			ours = append(ours, pt.Group)
			theirs = append(theirs, g)
		}
	}
	ri, ari := opinion.RandIndex(ours, theirs)
	fmt.Fprintf(w, "Against Polis' groups (participants-votes.csv): %d groups here, %d in Polis; %d participants in both; Rand index %.4f, adjusted Rand index %.4f\n",
		m.Map.K, len(ks), len(ours), ri, ari)
	return nil
}

// sourceName makes a folder's name a conversation's name: letters,
// digits, '-', '_' and '.', others replaced with '-'.
func sourceName(s string) string {
	b := []rune(s)
	for i, r := range b {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			b[i] = '-'
		}
	}
	if len(b) > 100 {
		b = b[:100]
	}
	if len(b) == 0 {
		return "conversation"
	}
	return string(b)
}

// readConversation reads votes.csv, and comments.csv and
// participants-votes.csv when present.
func readConversation(dir string) ([]opinion.Comment, opinion.Votes, map[int]int, error) {
	read := func(name string, required bool, fn func(f *os.File) error) error {
		f, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) && !required {
			return nil
		}
		if err != nil {
			return plenary.Invalid("dir", "cannot read %s in %s", name, dir)
		}
		defer f.Close()
		if err := fn(f); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	var comments []opinion.Comment
	var votes opinion.Votes
	var polis map[int]int
	err := read("votes.csv", true, func(f *os.File) (err error) { votes, err = opinion.ReadVotes(f); return err })
	if err == nil {
		err = read("comments.csv", false, func(f *os.File) (err error) { comments, err = opinion.ReadComments(f); return err })
	}
	if err == nil {
		err = read("participants-votes.csv", false, func(f *os.File) (err error) { polis, err = opinion.ReadParticipants(f); return err })
	}
	return comments, votes, polis, err
}
