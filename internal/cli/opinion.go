package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/opinion"
)

func init() {
	register(command{"opinion", "map a conversation in Polis' open-data format, and compare with Polis' groups", runOpinion})
}

const opinionUsage = `usage: plenary opinion --dir DIR [--seed N] [--min-votes N] [--top N]

Reads a conversation in Polis' open-data format from DIR: votes.csv (every
vote: comment-id, voter-id, vote, timestamp), and when present comments.csv
(statements and their moderation; moderated-out statements take no part in
the map) and participants-votes.csv (the group-id Polis assigned). It maps
the conversation as Plenary does (package opinion: PCA, base clusters,
groups chosen by silhouette), prints the groups with their representative
statements and the consensus, and, when Polis' groups are given, how far
the two groupings agree: the Rand index (the share of pairs of
participants both put together or both apart) and the adjusted Rand index.
It reads files only; it stores nothing. To load a conversation into a
consultation's opinion map, see plenary opinion import.`

func runOpinion(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "import" {
		return runOpinionImport(ctx, env, args[1:])
	}
	fs := flags(env, "opinion", "--dir DIR")
	dir := fs.String("dir", "", "the conversation's folder (votes.csv, comments.csv, participants-votes.csv)")
	seed := fs.Uint64("seed", 1, "the seed of the clustering (the map is deterministic for a seed)")
	minVotes := fs.Int("min-votes", 7, "votes a participant casts before it is counted")
	top := fs.Int("top", 3, "representative statements shown per group")
	if err := fs.Parse(args); err != nil {
		return exitError{2, opinionUsage}
	}
	if *dir == "" {
		return exitError{2, "plenary opinion: --dir is required\n\n" + opinionUsage}
	}
	if *minVotes < 1 || *top < 0 {
		return plenary.Invalid("min-votes", "must be 1 or more (and --top 0 or more)")
	}
	open := func(name string, required bool) (io.ReadCloser, error) {
		f, err := os.Open(filepath.Join(*dir, name))
		if errors.Is(err, os.ErrNotExist) && !required {
			return nil, nil
		}
		if err != nil {
			return nil, plenary.Invalid("dir", "cannot read %s in %s", name, *dir)
		}
		return f, nil
	}
	f, err := open("votes.csv", true)
	if err != nil {
		return err
	}
	votes, err := opinion.ReadVotes(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("votes.csv: %w", err)
	}
	texts := map[int]string{}
	excluded := map[int]bool{}
	if f, err := open("comments.csv", false); err != nil {
		return err
	} else if f != nil {
		cs, err := opinion.ReadComments(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("comments.csv: %w", err)
		}
		for _, c := range cs {
			texts[c.ID] = c.Body
			if c.Moderated < 0 {
				excluded[c.ID] = true
			}
		}
	}
	var polis map[int]int
	if f, err := open("participants-votes.csv", false); err != nil {
		return err
	} else if f != nil {
		polis, err = opinion.ReadParticipants(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("participants-votes.csv: %w", err)
		}
	}
	m := opinion.Compute(votes, opinion.Options{Seed: *seed, MinVotes: *minVotes, Excluded: excluded})
	w := env.Stdout
	fmt.Fprintf(w, "%d votes from %d participants on %d statements; %d participants counted (%d votes or more); %d statements moderated out\n",
		len(votes), m.Participants, m.Statements, len(m.Counted), *minVotes, len(excluded))
	ks := make([]int, 0, len(m.Silhouettes))
	for k := range m.Silhouettes {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	var sil []string
	for _, k := range ks {
		sil = append(sil, fmt.Sprintf("k=%d: %.3f", k, m.Silhouettes[k]))
	}
	fmt.Fprintf(w, "%d groups, chosen by silhouette (%s)\n", m.K, strings.Join(sil, ", "))
	say := func(id int) string {
		t := strings.Join(strings.Fields(texts[id]), " ")
		if len([]rune(t)) > 90 {
			t = string([]rune(t)[:89]) + "…"
		}
		if t == "" {
			return fmt.Sprintf("statement %d", id)
		}
		return fmt.Sprintf("statement %d, %q", id, t)
	}
	for _, g := range m.Clusters.Groups {
		fmt.Fprintf(w, "\nGroup %s: %d participants\n", g.Label, g.Size)
		for i, r := range g.Agree {
			if i == *top {
				break
			}
			fmt.Fprintf(w, "  agrees (%.0f%%, %.0f%% elsewhere): %s\n", 100*r.P, 100*r.PRest, say(r.Statement))
		}
		for i, r := range g.Disagree {
			if i == *top {
				break
			}
			fmt.Fprintf(w, "  disagrees (%.0f%%, %.0f%% elsewhere): %s\n", 100*r.P, 100*r.PRest, say(r.Statement))
		}
	}
	if len(m.Clusters.GroupConsensus) > 0 {
		fmt.Fprintf(w, "\nWhat every group is likely to share:\n")
		for i, c := range m.Clusters.GroupConsensus {
			if i == *top {
				break
			}
			side := "agree"
			if !c.Agree {
				side = "disagree"
			}
			fmt.Fprintf(w, "  %s (%.0f%% that a member of every group would %s)\n", say(c.Statement), 100*c.P, side)
		}
	}
	if polis != nil {
		var ours, theirs []int
		ks := map[int]bool{}
		for _, g := range polis {
			ks[g] = true
		}
		for _, p := range m.Counted {
			if g, ok := polis[p.Participant]; ok {
				ours = append(ours, p.Group)
				theirs = append(theirs, g)
			}
		}
		ri, ari := opinion.RandIndex(ours, theirs)
		fmt.Fprintf(w, "\nAgainst Polis' groups (participants-votes.csv): %d groups here, %d in Polis; %d participants in both; Rand index %.4f, adjusted Rand index %.4f\n",
			m.K, len(ks), len(ours), ri, ari)
	}
	return nil
}
