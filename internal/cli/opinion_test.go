package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plenary opinion maps a conversation written in Polis' open-data format:
// two camps of twenty participants, each agreeing with its own three
// statements and disagreeing with the other's, come out as two groups of
// twenty, matching the groups the file says Polis found exactly.
func TestOpinionMapsAPolisConversation(t *testing.T) {
	dir := t.TempDir()
	var votes, parts strings.Builder
	votes.WriteString("timestamp,datetime,comment-id,voter-id,vote\n")
	parts.WriteString("participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2,3,4,5\n")
	at := int64(1500000000000)
	for p := 0; p < 40; p++ {
		camp := p % 2
		row := []string{}
		for c := 0; c < 6; c++ {
			v := -1
			if c/3 == camp {
				v = 1
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
	for name, body := range map[string]string{"votes.csv": votes.String(), "participants-votes.csv": parts.String(), "comments.csv": comments} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := run(t, nil, "", "opinion", "--dir", dir, "--min-votes", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	for _, want := range []string{"40 participants counted", "2 groups, chosen by silhouette", "Group A: 20 participants", "Group B: 20 participants",
		`"Statement 0, for camp 0"`, "Rand index 1.0000, adjusted Rand index 1.0000"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := run(t, nil, "", "opinion", "--dir", t.TempDir()); code == 0 || !strings.Contains(errs, "votes.csv") {
		t.Errorf("a folder without votes.csv: exit %d, %q", code, errs)
	}
	if code, _, _ := run(t, nil, "", "opinion"); code != 2 {
		t.Errorf("no --dir: exit %d, want 2", code)
	}
}
