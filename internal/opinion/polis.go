package opinion

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Polis' open-data export (github.com/compdemocracy/openData) has, per
// conversation, votes.csv (timestamp, datetime, comment-id, voter-id, vote),
// comments.csv (timestamp, datetime, comment-id, author-id, agrees,
// disagrees, moderated, comment-body) and participants-votes.csv
// (participant, group-id, n-comments, n-votes, n-agree, n-disagree, then a
// column per comment). In these exports +1 is agree and -1 disagree.

// Comment is a row of comments.csv.
type Comment struct {
	ID        int
	Author    int
	Moderated int // -1 moderated out, 0 not moderated, 1 moderated in
	Body      string
}

// header maps the named columns of a CSV header to their positions; every
// name in need must be present.
func header(r *csv.Reader, file string, need ...string) (map[string]int, error) {
	h, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", file, err)
	}
	at := map[string]int{}
	for i, name := range h {
		at[strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))] = i
	}
	for _, n := range need {
		if _, ok := at[n]; !ok {
			return nil, fmt.Errorf("%s: no column %q", file, n)
		}
	}
	return at, nil
}

func field(rec []string, at map[string]int, name, file string, line int) (int, error) {
	i := at[name]
	if i >= len(rec) {
		return 0, fmt.Errorf("%s line %d: column %q missing", file, line, name)
	}
	v, err := strconv.Atoi(strings.TrimSpace(rec[i]))
	if err != nil {
		return 0, fmt.Errorf("%s line %d: column %q: %q is not an integer", file, line, name, rec[i])
	}
	return v, nil
}

// ReadVotes reads votes.csv. The votes come back in the order they were
// cast (by timestamp, ties in file order), so the latest vote wins in
// Compute.
func ReadVotes(r io.Reader) (Votes, error) {
	const file = "votes.csv"
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	at, err := header(cr, file, "comment-id", "voter-id", "vote")
	if err != nil {
		return nil, err
	}
	_, hasTime := at["timestamp"]
	var votes Votes
	var times []int64
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", file, line, err)
		}
		c, err := field(rec, at, "comment-id", file, line)
		if err != nil {
			return nil, err
		}
		p, err := field(rec, at, "voter-id", file, line)
		if err != nil {
			return nil, err
		}
		v, err := field(rec, at, "vote", file, line)
		if err != nil {
			return nil, err
		}
		if v < -1 || v > 1 {
			return nil, fmt.Errorf("%s line %d: column \"vote\": %d is not -1, 0 or 1", file, line, v)
		}
		if c < 0 || p < 0 {
			return nil, fmt.Errorf("%s line %d: negative identifier", file, line)
		}
		var ts int64
		if hasTime && at["timestamp"] < len(rec) {
			ts, err = strconv.ParseInt(strings.TrimSpace(rec[at["timestamp"]]), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s line %d: column \"timestamp\": %q is not an integer", file, line, rec[at["timestamp"]])
			}
		}
		votes = append(votes, Vote{Participant: p, Statement: c, Value: int8(v)})
		times = append(times, ts)
	}
	idx := make([]int, len(votes))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return times[idx[a]] < times[idx[b]] })
	out := make(Votes, len(votes))
	for i, j := range idx {
		out[i] = votes[j]
	}
	return out, nil
}

// ReadComments reads comments.csv.
func ReadComments(r io.Reader) ([]Comment, error) {
	const file = "comments.csv"
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	at, err := header(cr, file, "comment-id", "author-id", "moderated", "comment-body")
	if err != nil {
		return nil, err
	}
	var out []Comment
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", file, line, err)
		}
		var c Comment
		if c.ID, err = field(rec, at, "comment-id", file, line); err != nil {
			return nil, err
		}
		if c.Author, err = field(rec, at, "author-id", file, line); err != nil {
			return nil, err
		}
		if strings.TrimSpace(rec[at["moderated"]]) != "" {
			if c.Moderated, err = field(rec, at, "moderated", file, line); err != nil {
				return nil, err
			}
		}
		if i := at["comment-body"]; i < len(rec) {
			c.Body = rec[i]
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ReadParticipants reads the group Polis assigned to each participant from
// participants-votes.csv; participants Polis did not group are left out.
func ReadParticipants(r io.Reader) (map[int]int, error) {
	const file = "participants-votes.csv"
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	at, err := header(cr, file, "participant", "group-id")
	if err != nil {
		return nil, err
	}
	out := map[int]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", file, line, err)
		}
		p, err := field(rec, at, "participant", file, line)
		if err != nil {
			return nil, err
		}
		if at["group-id"] >= len(rec) || strings.TrimSpace(rec[at["group-id"]]) == "" {
			continue
		}
		g, err := field(rec, at, "group-id", file, line)
		if err != nil {
			return nil, err
		}
		out[p] = g
	}
	return out, nil
}

// Without returns the votes not on the given statements (for example those
// moderated out), in the same order.
func (v Votes) Without(statements map[int]bool) Votes {
	out := make(Votes, 0, len(v))
	for _, x := range v {
		if !statements[x.Statement] {
			out = append(out, x)
		}
	}
	return out
}
