package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/cli"
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
	env := map[string]string{"PLENARY_DATABASE_URL": "postgres://plenary:s3cret-pw@db.example.org/plenary", "PLENARY_SIGNING_KEY": "c2VjcmV0LXNlZWQtYnl0ZXMtYnl0ZXMtYnl0ZXMtMzI="}
	code, out, errs := run(t, env, "", "config", "--addr", ":9999")
	if code != 0 {
		t.Fatalf("config: %d %s", code, errs)
	}
	if strings.Contains(out, "s3cret-pw") || strings.Contains(out, "c2VjcmV0") {
		t.Fatalf("secrets printed:\n%s", out)
	}
	for _, want := range []string{"addr = :9999", "database-url = postgres://plenary:xxxxx@db.example.org/plenary", "signing-key = (set, redacted)"} {
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
}
