package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c, _, err := Load(fs, args, func(k string) string { return env[k] })
	return c, err
}

func TestPrecedence(t *testing.T) {
	c, err := load(t, map[string]string{"PLENARY_ADDR": ":9000", "PLENARY_DATA": "/env"}, "-data", "/flag")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9000" || c.DataDir != "/flag" {
		t.Fatalf("addr %q data %q: want env addr and flag data", c.Addr, c.DataDir)
	}
	if c.BaseURL != "http://localhost:9000" {
		t.Fatalf("derived base URL %q", c.BaseURL)
	}
	if c.CookiesSecure() {
		t.Fatal("http base URL gave secure cookies under auto")
	}
}

func TestSecretFromFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "url")
	os.WriteFile(f, []byte("postgres://u:hunter2@db/plenary\n"), 0o600)
	c, err := load(t, map[string]string{"PLENARY_DATABASE_URL_FILE": f})
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://u:hunter2@db/plenary" {
		t.Fatalf("got %q", c.DatabaseURL)
	}
	out := strings.Join(c.Redacted(), "\n")
	if strings.Contains(out, "hunter2") {
		t.Fatalf("password printed:\n%s", out)
	}
	if !strings.Contains(out, "database-url = postgres://u:xxxxx@db/plenary") {
		t.Fatalf("database URL not shown redacted:\n%s", out)
	}
}

func TestSigningKeyRedacted(t *testing.T) {
	c, err := load(t, nil, "-signing-key", "c2VjcmV0LWtleS1ieXRlcw==")
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Join(c.Redacted(), "\n")
	if strings.Contains(out, "c2VjcmV0") || !strings.Contains(out, "signing-key = (set, redacted)") {
		t.Fatalf("signing key not redacted:\n%s", out)
	}
}

func TestInvalidValuesNameTheField(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{args: []string{"-log-level", "loud"}, want: "log-level"},
		{args: []string{"-base-url", "ftp://x"}, want: "base-url"},
		{args: []string{"-database-url", "mysql://x"}, want: "database-url"},
		{env: map[string]string{"PLENARY_MAX_BODY_BYTES": "-1"}, want: "PLENARY_MAX_BODY_BYTES"},
		{env: map[string]string{"PLENARY_SESSION_TTL": "forever"}, want: "PLENARY_SESSION_TTL"},
		{args: []string{"-secure-cookies", "maybe"}, want: "secure-cookies"},
	}
	for _, tt := range tests {
		_, err := load(t, tt.env, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v %v: err %v, want one naming %s", tt.env, tt.args, err, tt.want)
		}
	}
}

func TestDurationsAndSecureCookies(t *testing.T) {
	c, err := load(t, nil, "-session-ttl", "2h", "-base-url", "https://forum.example.org/")
	if err != nil {
		t.Fatal(err)
	}
	if c.SessionTTL != 2*time.Hour || !c.CookiesSecure() || c.BaseURL != "https://forum.example.org" {
		t.Fatalf("%+v", c)
	}
}

func TestMetricsAddressAndToken(t *testing.T) {
	c, err := load(t, map[string]string{"PLENARY_METRICS_TOKEN": "scrape-me-0123456789"}, "-metrics-addr", "127.0.0.1:9100")
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "127.0.0.1:9100" || c.MetricsToken != "scrape-me-0123456789" {
		t.Fatalf("%+v", c)
	}
	out := strings.Join(c.Redacted(), "\n")
	if strings.Contains(out, "scrape-me") || !strings.Contains(out, "metrics-token = (set, redacted)") || !strings.Contains(out, "metrics-addr = 127.0.0.1:9100") {
		t.Fatalf("metrics settings not shown, or the token not redacted:\n%s", out)
	}
	for _, bad := range [][]string{
		{"-metrics-addr", "nine-thousand"},
		{"-metrics-addr", "127.0.0.1:8080", "-addr", "127.0.0.1:8080"},
		{"-metrics-token", "short"},
		{"-metrics-token", "a token with spaces in it"},
	} {
		if _, err := load(t, nil, bad...); err == nil || !strings.Contains(err.Error(), bad[0][1:]) {
			t.Errorf("%v: err %v, want one naming %s", bad, err, bad[0][1:])
		}
	}
}

// Every setting is in the README's configuration table.
func TestREADMEListsEveryOption(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range options {
		if !strings.Contains(string(readme), "`--"+o.name+"`") {
			t.Errorf("README.md does not list --%s", o.name)
		}
	}
}
