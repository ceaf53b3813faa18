package consultation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/opinion"
	"github.com/plenary-forum/plenary/internal/store"
)

// Importing a conversation. A conversation held elsewhere (Polis' open
// data, for one) comes into a period's opinion map as statements and
// votes. Its participants have no accounts here: each becomes an imported
// voter known by a pseudonym, "<source>:<voter-id>", with no declared
// group and no link to any account. Statements are matched by
// "<source>:<comment-id>", voters by pseudonym, and a vote replaces the
// voter's vote on the statement, so importing the same conversation again
// changes nothing and records nothing; importing a later export of it
// adds what is new. Votes go in batches, each a command with one event
// naming how many votes it took and the SHA-256 of its votes.

// ImportStatement is a statement of an imported conversation: its
// identifier there, its text, and whether it was moderated out. Ref, when
// given, names a statement already in this map (S-3) that the
// conversation's statement is (a conversation held on this map's own
// statements): no statement is made, Text and Excluded are not read, and
// the votes go to that statement.
type ImportStatement struct {
	External string
	Text     string
	Excluded bool
	Ref      string
}

// ImportVote is a vote of an imported conversation: the voter's and the
// statement's identifiers there, and the vote (+1 agree, -1 disagree, 0
// pass). Later votes of a voter on a statement replace earlier ones.
type ImportVote struct {
	Voter     string
	Statement string
	Value     int
}

// ImportInput is a conversation to import. Source names it (letters,
// digits, '-', '_' and '.'), and prefixes the pseudonyms; BatchSize is
// the number of votes per transaction (default DefaultImportBatch).
// Groups, when the conversation knows them, are the stakeholder groups its
// voters declared (one of the forum's, or of StandardGroups), by voter
// identifier; a voter takes its group when first imported.
type ImportInput struct {
	Source     string
	Statements []ImportStatement
	Votes      []ImportVote
	Groups     map[string]string
	BatchSize  int
}

// DefaultImportBatch is the number of votes imported per transaction.
const DefaultImportBatch = 5000

// ImportReport says what an import did.
type ImportReport struct {
	Statements    int // statements in the conversation
	NewStatements int // of which new here
	Voters        int // voters in the conversation
	NewVoters     int
	Votes         int // votes after the latest-wins rule
	ChangedVotes  int // of which new or changed here
	Batches       int // transactions that changed something
}

// PolisConversation turns a conversation read with internal/opinion's
// readers (comments.csv and votes.csv) into an import; a statement voted
// on but missing from comments.csv is imported with a placeholder text.
func PolisConversation(source string, comments []opinion.Comment, votes opinion.Votes) ImportInput {
	in := ImportInput{Source: source}
	seen := map[int]bool{}
	for _, c := range comments {
		seen[c.ID] = true
		in.Statements = append(in.Statements, ImportStatement{External: strconv.Itoa(c.ID), Text: c.Body, Excluded: c.Moderated < 0})
	}
	var missing []int
	for _, v := range votes {
		if !seen[v.Statement] {
			seen[v.Statement] = true
			missing = append(missing, v.Statement)
		}
		in.Votes = append(in.Votes, ImportVote{Voter: strconv.Itoa(v.Participant), Statement: strconv.Itoa(v.Statement), Value: int(v.Value)})
	}
	sort.Ints(missing)
	for _, id := range missing {
		in.Statements = append(in.Statements, ImportStatement{External: strconv.Itoa(id), Text: fmt.Sprintf("Statement %d of the imported conversation (its text was not given)", id)})
	}
	return in
}

func checkSource(src string) error {
	if src == "" || len(src) > 100 {
		return plenary.Invalid("source", "name the conversation (1 to 100 characters)")
	}
	for _, r := range src {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return plenary.Invalid("source", "use letters, digits, '-', '_' and '.' only, not %q", r)
		}
	}
	return nil
}

// ImportConversation imports a conversation into the period's opinion map
// (the secretariat's command, in a period of any state with an opinion
// map).
func (s *Service) ImportConversation(ctx context.Context, sc *forum.Scope, periodID string, in ImportInput) (ImportReport, error) {
	var rep ImportReport
	if err := checkSource(in.Source); err != nil {
		return rep, err
	}
	batch := in.BatchSize
	if batch <= 0 {
		batch = DefaultImportBatch
	}
	texts := map[string]ImportStatement{}
	var order []string
	refs := map[string]string{}
	for i, st := range in.Statements {
		ext := strings.TrimSpace(st.External)
		if ext == "" || !forum.IsRef(ext) || len(ext) > 100 {
			return rep, plenary.Invalid("statements", "statement %d has no valid identifier", i+1)
		}
		if st.Ref != "" {
			if _, ok := ParseStatementRef(st.Ref); !ok {
				return rep, plenary.Invalid("statements", "statement %s: %q is not a statement's number (S-3)", ext, st.Ref)
			}
			if _, ok := texts[ext]; !ok {
				order = append(order, ext)
			}
			texts[ext], refs[ext] = ImportStatement{External: ext, Ref: st.Ref}, st.Ref
			continue
		}
		delete(refs, ext)
		t, err := forum.CheckText("statements", st.Text, MaxStatement)
		if err != nil {
			return rep, plenary.Invalid("statements", "statement %s: %v", ext, err)
		}
		if t = strings.TrimSpace(t); t == "" {
			t = "Statement " + ext + " of the imported conversation (its text was not given)"
		}
		if _, ok := texts[ext]; !ok {
			order = append(order, ext)
		}
		texts[ext] = ImportStatement{External: ext, Text: t, Excluded: st.Excluded}
	}
	type pair struct{ voter, statement string }
	last := map[pair]int{}
	var pairs []pair
	voters := map[string]bool{}
	for i, v := range in.Votes {
		if v.Value < -1 || v.Value > 1 {
			return rep, plenary.Invalid("votes", "vote %d: %d is not -1, 0 or 1", i+1, v.Value)
		}
		if _, ok := texts[v.Statement]; !ok {
			return rep, plenary.Invalid("votes", "vote %d is on statement %q, which the conversation does not have", i+1, v.Statement)
		}
		if v.Voter == "" || !forum.IsRef(v.Voter) || len(v.Voter) > 100 {
			return rep, plenary.Invalid("votes", "vote %d has no valid voter", i+1)
		}
		k := pair{v.Voter, v.Statement}
		if _, ok := last[k]; !ok {
			pairs = append(pairs, k)
		}
		last[k] = v.Value
		voters[v.Voter] = true
	}
	rep.Statements, rep.Voters, rep.Votes = len(order), len(voters), len(pairs)
	if err := sc.RequireSecretariat(ctx); err != nil {
		return rep, err
	}
	groups := map[string]string{}
	for voter, g := range in.Groups {
		if !voters[voter] {
			continue // a voter without votes is not imported
		}
		group, err := s.voterGroup(ctx, sc, g)
		if err != nil {
			return rep, plenary.Invalid("groups", "voter %s: %v", voter, err)
		}
		groups[voter] = group
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return rep, err
	}
	prefix := in.Source + ":"

	// The statements, in one command.
	stmtIDs := map[string]string{}
	stmtNums := map[string]int{}
	err = s.kernel.Command(ctx, sc, "consultation.ImportStatements", func(tx *store.Tx, sc *forum.Scope) error {
		rep.NewStatements = 0
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		if err := requireMap(ctx, tx, p); err != nil {
			return err
		}
		have := map[string]Statement{}
		rows, err := tx.QueryContext(ctx, "SELECT "+statementColumns+" FROM consultation_statements s WHERE s.period_id = ? AND s.external_id <> ''", p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			st, err := scanStatement(rows)
			if err != nil {
				rows.Close()
				return err
			}
			have[st.externalID] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		n, err := nextStatement(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		now := s.now()
		first, changed := 0, 0
		for _, ext := range order {
			if ref, ok := refs[ext]; ok {
				st, err := s.statement(ctx, tx, p.ID, ref)
				if err != nil {
					return plenary.Invalid("statements", "statement %s: %v", ext, err)
				}
				stmtIDs[ext], stmtNums[ext] = st.ID, st.Number
				continue
			}
			want := texts[ext]
			state, reason := StatementAccepted, ""
			if want.Excluded {
				state, reason = StatementRejected, "moderated out in the imported conversation"
			}
			if st, ok := have[prefix+ext]; ok {
				stmtIDs[ext], stmtNums[ext] = st.ID, st.Number
				if st.Text != want.Text || st.State != state {
					if _, err := tx.ExecContext(ctx, "UPDATE consultation_statements SET body = ?, state = ?, reason = ? WHERE id = ?",
						want.Text, string(state), reason, st.ID); err != nil {
						return err
					}
					changed++
				}
				continue
			}
			st := Statement{ID: plenary.NewID(), PeriodID: p.ID, Number: n, Source: FromImport, Text: want.Text, State: state, Reason: reason,
				CreatedAt: now, externalID: prefix + ext}
			if err := s.insertStatement(ctx, tx, sc.Forum.ID, &st, 0); err != nil {
				return err
			}
			if first == 0 {
				first = n
			}
			stmtIDs[ext], stmtNums[ext] = st.ID, st.Number
			rep.NewStatements++
			n++
		}
		if rep.NewStatements == 0 && changed == 0 {
			return nil
		}
		if err := bumpVersion(ctx, tx, p.ID); err != nil {
			return err
		}
		payload := map[string]any{"period": p.ID, "source": in.Source, "added": rep.NewStatements, "changed": changed}
		if first != 0 {
			payload["first"], payload["last"] = StatementRef(first), StatementRef(n-1)
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.statements_imported", p.visibility, payload)
		return err
	})
	if err != nil {
		return rep, err
	}

	// The voters already here, and their votes.
	type voterRef struct {
		id     string
		number int
	}
	voterIDs := map[string]voterRef{}
	rows, err := s.store.QueryContext(ctx, "SELECT id, number, pseudonym FROM consultation_voters WHERE period_id = ? AND pseudonym <> ''", p.ID)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var ref voterRef
		var ps string
		if err := rows.Scan(&ref.id, &ref.number, &ps); err != nil {
			rows.Close()
			return rep, err
		}
		if strings.HasPrefix(ps, prefix) {
			voterIDs[strings.TrimPrefix(ps, prefix)] = ref
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	type key struct{ statement, voter string }
	existing := map[key]int{}
	rows, err = s.store.QueryContext(ctx, "SELECT v.statement_id, v.voter_id, v.value FROM consultation_votes v JOIN consultation_voters g ON g.id = v.voter_id WHERE v.period_id = ? AND g.pseudonym <> ''", p.ID)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var k key
		var v int
		if err := rows.Scan(&k.statement, &k.voter, &v); err != nil {
			rows.Close()
			return rep, err
		}
		existing[k] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	var todo []pair
	for _, k := range pairs {
		if vr, ok := voterIDs[k.voter]; ok {
			if v, ok := existing[key{stmtIDs[k.statement], vr.id}]; ok && v == last[k] {
				continue
			}
		}
		todo = append(todo, k)
	}
	rep.ChangedVotes = len(todo)
	// New voters are numbered in the order of their identifiers in the
	// source (numerically where they are numbers), as Polis numbers its
	// participants as they join: the map takes participants in the order
	// of their numbers, so it then groups them as on the source's own.
	sort.SliceStable(todo, func(i, j int) bool { return voterBefore(todo[i].voter, todo[j].voter) })

	// The votes, in batches.
	for len(todo) > 0 {
		part := todo[:min(batch, len(todo))]
		todo = todo[len(part):]
		var made map[string]voterRef
		err := s.kernel.Command(ctx, sc, "consultation.ImportVotes", func(tx *store.Tx, sc *forum.Scope) error {
			if err := sc.RequireSecretariat(ctx); err != nil {
				return err
			}
			made = map[string]voterRef{}
			now := s.now().UnixMilli()
			h := sha256.New()
			// The votes go in statements of many rows: on PostgreSQL a
			// statement a vote cost a round trip each.
			var rows []any
			flush := func() error {
				if len(rows) == 0 {
					return nil
				}
				n := len(rows) / 7
				_, err := tx.ExecContext(ctx, `INSERT INTO consultation_votes (statement_id, voter_id, period_id, voter_number, statement_number, value, cast_at)
					VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", n), ", ")+`
					ON CONFLICT (statement_id, voter_id) DO UPDATE SET value = excluded.value, cast_at = excluded.cast_at`, rows...)
				rows = rows[:0]
				return err
			}
			for _, k := range part {
				vr, ok := voterIDs[k.voter]
				if !ok {
					vr, ok = made[k.voter]
				}
				if !ok {
					var err error
					if vr.id, vr.number, err = s.newVoter(ctx, tx, p.ID, "", prefix+k.voter, groups[k.voter]); err != nil {
						return err
					}
					made[k.voter] = vr
				}
				// Each pair once in the batch: one statement may not
				// update a row twice.
				rows = append(rows, stmtIDs[k.statement], vr.id, p.ID, vr.number, stmtNums[k.statement], last[k], now)
				if len(rows) == 7*votesPerStatement {
					if err := flush(); err != nil {
						return err
					}
				}
				fmt.Fprintf(h, "%s,%s,%d\n", k.voter, k.statement, last[k])
			}
			if err := flush(); err != nil {
				return err
			}
			if err := bumpVersion(ctx, tx, p.ID); err != nil {
				return err
			}
			_, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.votes_imported", p.visibility, map[string]any{
				"period": p.ID, "source": in.Source, "votes": len(part), "new_voters": len(made),
				"votes_sha256": hex.EncodeToString(h.Sum(nil)),
			})
			return err
		})
		if err != nil {
			return rep, err
		}
		// Kept only once the batch has committed (the command's function
		// may run again).
		for k, v := range made {
			voterIDs[k] = v
		}
		rep.NewVoters += len(made)
		rep.Batches++
	}
	return rep, nil
}

// votesPerStatement is how many votes one INSERT of an import carries.
const votesPerStatement = 200

// ImportedVoters maps the numbers of a period's imported voters to their
// identifiers in the conversation they came from ("<source>:<id>"), for
// the secretariat to compare a map with the conversation's own groups.
func (s *Service) ImportedVoters(ctx context.Context, sc *forum.Scope, periodID string) (map[int]string, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return nil, err
	}
	p, err := s.Period(ctx, sc, periodID)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.QueryContext(ctx, "SELECT number, pseudonym FROM consultation_voters WHERE period_id = ? AND pseudonym <> ''", p.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var n int
		var ps string
		if err := rows.Scan(&n, &ps); err != nil {
			return nil, err
		}
		out[n] = ps
	}
	return out, rows.Err()
}

// voterBefore orders voter identifiers: numbers by value, before any
// other identifier; others as text.
func voterBefore(a, b string) bool {
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return na < nb
	case errA == nil || errB == nil:
		return errA == nil
	}
	return a < b
}
