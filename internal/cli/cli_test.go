package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/cli"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// run runs the plenary command in-process with a fresh environment.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), args, &cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

func testEnv(t *testing.T) map[string]string {
	env := map[string]string{"PLENARY_DATA": t.TempDir(), "PLENARY_LOG_LEVEL": "warn"}
	if cfg := storetest.Config(t); cfg.DatabaseURL != "" {
		env["PLENARY_DATABASE_URL"] = cfg.DatabaseURL
	}
	return env
}

func TestVersionHelpUnknown(t *testing.T) {
	if code, out, _ := run(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "plenary ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, out, _ := run(t, nil, "", "help"); code != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "verify") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, _, errs := run(t, nil, "", "frobnicate"); code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown: %d %q", code, errs)
	}
}

func TestConfigIsRedacted(t *testing.T) {
	env := map[string]string{"PLENARY_DATABASE_URL": "postgres://plenary:s3cret-pw@db.example.org/plenary", "PLENARY_SIGNING_KEY": "c2VjcmV0LXNlZWQtYnl0ZXMtYnl0ZXMtYnl0ZXMtMzI=",
		"PLENARY_METRICS_TOKEN": "scrape-s3cret-0123456789"}
	code, out, errs := run(t, env, "", "config", "--addr", ":9999", "--metrics-addr", "127.0.0.1:9100")
	if code != 0 {
		t.Fatalf("config: %d %s", code, errs)
	}
	if strings.Contains(out, "s3cret") || strings.Contains(out, "c2VjcmV0") {
		t.Fatalf("secrets printed:\n%s", out)
	}
	for _, want := range []string{"addr = :9999", "database-url = postgres://plenary:xxxxx@db.example.org/plenary", "signing-key = (set, redacted)",
		"metrics-addr = 127.0.0.1:9100", "metrics-token = (set, redacted)    # PLENARY_METRICS_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("config output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := run(t, nil, "", "config", "--log-level", "shouty"); code != 1 || !strings.Contains(errs, "log-level") {
		t.Errorf("bad flag value: %d %q", code, errs)
	}
}

func TestUserCreateExportVerifyTamper(t *testing.T) {
	env := testEnv(t)
	code, out, errs := run(t, env, "a long password\n", "user", "create", "--email", "sec@example.org", "--name", "Sofia", "--admin")
	if code != 0 || !strings.Contains(out, "created secretariat (admin) Sofia <sec@example.org>") {
		t.Fatalf("user create: %d %q %q", code, out, errs)
	}
	if strings.Contains(out+errs, "a long password") {
		t.Fatal("the password was echoed")
	}
	code, _, errs = run(t, env, "short\n", "user", "create", "--email", "x@example.org", "--name", "X")
	if code != 1 || !strings.Contains(errs, "password: must be at least 10 characters") {
		t.Fatalf("short password: %d %q", code, errs)
	}
	code, tok, _ := run(t, env, "", "user", "token", "--email", "sec@example.org", "--name", "ci")
	if code != 0 || !strings.HasPrefix(tok, "plenary_") {
		t.Fatalf("token: %d %q", code, tok)
	}
	if code, out, errs := run(t, env, "", "demo"); code != 0 || !strings.Contains(out, "demo forums loaded") {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "wtpf.jsonl")
	if code, _, errs := run(t, env, "", "export", "ledger", "--forum", "wtpf-13", "--out", file); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	code, out, errs = run(t, env, "", "verify", "--file", file)
	if code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("verify a good export: %d %q %q", code, out, errs)
	}
	code, out, _ = run(t, env, "", "verify")
	if code != 0 || strings.Count(out, ": OK") < 2 {
		t.Fatalf("verify the database: %d %q", code, out)
	}
	verifySinceCheckpoint(t, env, file)
	// Change one byte of the event that set up the Informal Experts Group.
	b, _ := os.ReadFile(file)
	lines := strings.Split(string(b), "\n")
	target, seq := -1, ""
	for i, l := range lines {
		if strings.Contains(l, `"name":"Informal Experts Group"`) && !strings.Contains(l, `"checkpoint"`) {
			target = i
			seq = regexp.MustCompile(`"seq":(\d+)`).FindStringSubmatch(l)[1]
			break
		}
	}
	if target < 0 {
		t.Fatalf("no body event in the export:\n%s", b)
	}
	lines[target] = strings.Replace(lines[target], "Informal", "Informel", 1)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o600)
	code, out, errs = run(t, env, "", "verify", "--file", bad)
	if code == 0 || !strings.Contains(out+errs, "event "+seq+":") {
		t.Fatalf("verify a tampered export: exit %d, output %q %q; want non-zero naming event %s", code, out, errs, seq)
	}
	if code, _, errs := run(t, env, "", "export", "ledger", "--forum", "nope"); code != 1 || !strings.Contains(errs, `no forum "nope"`) {
		t.Fatalf("export of a missing forum: %d %q", code, errs)
	}
	// With the checkpoint of the forum's last event deleted from the
	// database, verify fails and export refuses to end without it.
	h, err := ledger.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	chain := h.Header().Chain
	st, err := store.Open(context.Background(), store.Config{DatabaseURL: env["PLENARY_DATABASE_URL"], DataDir: env["PLENARY_DATA"]})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ExecContext(context.Background(), "DELETE FROM ledger_checkpoints WHERE chain = ? AND seq = (SELECT seq FROM ledger_heads WHERE chain = ?)", chain, chain); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, env, "", "verify")
	if code != 1 || !strings.Contains(out, "chain "+chain+": FAILED: event ") || !strings.Contains(out, "not signed") {
		t.Fatalf("verify a database missing its last checkpoint: %d %q", code, out)
	}
	if code, _, errs := run(t, env, "", "export", "ledger", "--forum", "wtpf-13", "--out", filepath.Join(dir, "unsigned.jsonl")); code == 0 || !strings.Contains(errs, "does not end with a checkpoint") {
		t.Fatalf("export of a chain missing its last checkpoint: %d %q", code, errs)
	}
}

// verifySinceCheckpoint keeps the checkpoint that ends an export, as a
// reader would keep the one the server publishes, and verifies the export
// and the database against it, then an export cut back to an earlier
// checkpoint.
func verifySinceCheckpoint(t *testing.T, env map[string]string, file string) {
	t.Helper()
	dir := filepath.Dir(file)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	cp, err := ledger.ParseCheckpoint([]byte(lines[len(lines)-1]))
	if err != nil {
		t.Fatalf("the export does not end with a checkpoint: %v", err)
	}
	published, err := ledger.EncodeCheckpoint(cp)
	if err != nil {
		t.Fatal(err)
	}
	cpFile := filepath.Join(dir, "checkpoint.json")
	if err := os.WriteFile(cpFile, published, 0o600); err != nil {
		t.Fatal(err)
	}
	extends := fmt.Sprintf("extends the earlier checkpoint at %d", cp.Seq)
	for _, args := range [][]string{
		{"verify", "--file", file, "--since-checkpoint", cpFile},
		{"verify", "--forum", "wtpf-13", "--since-checkpoint", cpFile},
		{"verify", "--since-checkpoint", cpFile},
	} {
		if code, out, errs := run(t, env, "", args...); code != 0 || !strings.Contains(out, extends) {
			t.Fatalf("%v: %d %q %q", args, code, out, errs)
		}
	}
	// A trailing blank line does not matter.
	blank := filepath.Join(dir, "blank.jsonl")
	os.WriteFile(blank, append(b, '\n'), 0o600)
	if code, out, errs := run(t, env, "", "verify", "--file", blank); code != 0 {
		t.Fatalf("export with a trailing blank line: %d %q %q", code, out, errs)
	}
	// Cut back to the checkpoint before the last: it verifies alone, but
	// not as an extension of the checkpoint kept.
	end := -1
	for i := len(lines) - 2; i > 0; i-- {
		if strings.HasPrefix(lines[i], `{"checkpoint"`) {
			end = i
			break
		}
	}
	if end < 0 {
		t.Fatal("the export has a single checkpoint")
	}
	cut := filepath.Join(dir, "cut.jsonl")
	os.WriteFile(cut, []byte(strings.Join(lines[:end+1], "\n")+"\n"), 0o600)
	if code, out, errs := run(t, env, "", "verify", "--file", cut); code != 0 {
		t.Fatalf("cut export alone: %d %q %q", code, out, errs)
	}
	code, out, errs := run(t, env, "", "verify", "--file", cut, "--since-checkpoint", cpFile)
	if code == 0 || !strings.Contains(out+errs, "missing: the chain ends at event") {
		t.Fatalf("cut export against the kept checkpoint: %d %q %q", code, out, errs)
	}
	// The checkpoint of one forum given for another is refused.
	code, _, errs = run(t, env, "", "verify", "--forum", "site", "--since-checkpoint", cpFile)
	if code == 0 || !strings.Contains(errs, "since-checkpoint") {
		t.Fatalf("checkpoint of another chain: %d %q", code, errs)
	}
}

// serve --metrics-addr serves /metrics there, and only there; an address
// it cannot have stops it before it serves anything.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	env := testEnv(t)
	if code, _, errs := run(t, env, "", "serve", "--addr", "127.0.0.1:0", "--metrics-addr", taken.Addr().String()); code == 0 || !strings.Contains(errs, taken.Addr().String()) {
		t.Fatalf("serve with a taken metrics address: %d %q", code, errs)
	}
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := free.Addr().String()
	free.Close()

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var out bytes.Buffer
	go func() {
		done <- cli.Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", metricsAddr}, &cli.Env{
			Stdout: io.Discard, Stderr: &out, Getenv: func(k string) string { return env[k] },
			Ready: func(addr string) { ready <- addr },
		})
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("serve exited with %d: %s", code, out.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited with %d", code)
		}
	}()
	status := func(url string) int {
		t.Helper()
		for i := 0; ; i++ {
			resp, err := http.Get(url)
			if err == nil {
				resp.Body.Close()
				return resp.StatusCode
			}
			if i == 100 {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if code := status("http://" + metricsAddr + "/metrics"); code != http.StatusOK {
		t.Errorf("metrics address: %d", code)
	}
	if code := status("http://" + addr + "/metrics"); code != http.StatusNotFound {
		t.Errorf("main address still serves /metrics: %d", code)
	}
}
