package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// polisConversation writes a conversation in Polis' open-data format:
// two camps of n/2 participants over six statements, each agreeing with
// its own three and disagreeing with the other's, the seventh statement
// moderated out, and the groups Polis found.
func polisConversation(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "two camps")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	var votes, parts strings.Builder
	votes.WriteString("timestamp,datetime,comment-id,voter-id,vote\n")
	parts.WriteString("participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2,3,4,5\n")
	at := int64(1500000000000)
	for p := 0; p < n; p++ {
		camp := p % 2
		row := []string{}
		for c := 0; c < 6; c++ {
			v := -1
			if c/3 == camp {
				v = 1
			}
			if c == 0 {
				at++ // a first vote, changed later: the latest counts
				fmt.Fprintf(&votes, "%d,x,%d,%d,%d\n", at, c, p, -v)
			}
			at++
			fmt.Fprintf(&votes, "%d,x,%d,%d,%d\n", at, c, p, v)
			row = append(row, fmt.Sprint(v))
		}
		fmt.Fprintf(&parts, "%d,%d,0,6,3,3,%s\n", p, camp, strings.Join(row, ","))
	}
	comments := "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
	for c := 0; c < 6; c++ {
		comments += fmt.Sprintf("1500000000000,x,%d,0,0,0,1,\"Statement %d, for camp %d\"\n", c, c, c/3)
	}
	comments += "1500000000000,x,6,0,0,0,-1,Moderated out\n"
	for name, body := range map[string]string{"votes.csv": votes.String(), "participants-votes.csv": parts.String(), "comments.csv": comments} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// plenary opinion import loads a conversation in Polis' open-data format
// into a consultation's opinion map, idempotently, and compares the map
// with Polis' groups; with the real vTaiwan conversation too (not in
// -short).
func TestOpinionImportIntoAConsultation(t *testing.T) {
	env := testEnv(t)
	if code, out, errs := run(t, env, "", "demo"); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	dir := polisConversation(t, 40)
	code, out, errs := run(t, env, "", "opinion", "import", "--dir", dir, "--forum", "wtpf-13", "--document", "WTPF-13/3", "--batch", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	for _, want := range []string{"gave period", "imported two-camps into period", "7 statements (7 new), 40 voters (40 new), 240 votes (240 new or changed) in 3 batches",
		"40 counted, 2 groups", "group A: 20 participants", "Rand index 1.0000, adjusted Rand index 1.0000"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	period := regexp.MustCompile(`opened comment period (\S+) on WTPF-13/3`).FindStringSubmatch(out)
	if period == nil {
		t.Fatalf("no period in %s", out)
	}
	code, out, errs = run(t, env, "", "opinion", "import", "--dir", dir, "--forum", "wtpf-13", "--period", period[1])
	if code != 0 || !strings.Contains(out, "7 statements (0 new), 40 voters (0 new), 240 votes (0 new or changed) in 0 batches") {
		t.Fatalf("again: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := run(t, env, "", "opinion", "import", "--dir", dir, "--forum", "wtpf-13"); code != 2 || !strings.Contains(errs, "--period") {
		t.Errorf("no period: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, env, "", "opinion", "import", "--dir", t.TempDir(), "--forum", "wtpf-13", "--period", period[1]); code == 0 || !strings.Contains(errs, "votes.csv") {
		t.Errorf("no votes.csv: exit %d, %q", code, errs)
	}
	// The search index, rebuilt from the demo's rows.
	code, out, errs = run(t, env, "", "reindex")
	if code != 0 || !strings.Contains(out, "netmundial-2014: reindexed") || !strings.Contains(out, "300 comments") || !strings.Contains(out, "wtpf-13: reindexed") {
		t.Errorf("reindex: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := run(t, env, "", "reindex", "--forum", "no-such-forum"); code == 0 {
		t.Errorf("reindex of no forum: exit 0, %q", errs)
	}
	if testing.Short() {
		return
	}
	real := "../../../shared/data/polis/vtaiwan-uberx"
	if _, err := os.Stat(filepath.Join(real, "votes.csv")); err != nil {
		t.Skip("no vTaiwan conversation here")
	}
	code, out, errs = run(t, env, "", "opinion", "import", "--dir", real, "--forum", "wtpf-13", "--document", "WTPF-13/3")
	if code != 0 || !strings.Contains(out, "197 statements (197 new), 1921 voters (1921 new), 49443 votes") ||
		!strings.Contains(out, "2 groups here, 2 in Polis") {
		t.Fatalf("vTaiwan: exit %d: %s%s", code, out, errs)
	}
	t.Log(out)
}
