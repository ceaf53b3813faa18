// Package config is Plenary's configuration: one struct, filled from the
// environment (PLENARY_*) and then from command-line flags, validated, and
// printable with its secrets redacted.
package config

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
)

// Config is the effective configuration of a Plenary process.
type Config struct {
	// Addr is the HTTP listen address.
	Addr string
	// BaseURL is the public URL of the site, used in links, feeds and to
	// decide whether cookies are Secure.
	BaseURL string
	// DataDir holds the SQLite database, the ledger signing key and files.
	DataDir string
	// DatabaseURL, when set, selects PostgreSQL (secret: it may hold a password).
	DatabaseURL string
	// SigningKey is the ledger's Ed25519 private key, base64 (secret). When
	// empty, the key is kept in DataDir/ledger.key, created on first start.
	SigningKey string
	// Demo loads the demo forums on start.
	Demo bool
	// LogLevel is debug, info, warn or error; LogFormat is text or json.
	LogLevel  string
	LogFormat string
	// SecureCookies forces the Secure flag on cookies; by default it follows
	// BaseURL's scheme.
	SecureCookies string
	// MaxBodyBytes bounds request bodies other than uploads.
	MaxBodyBytes int64
	// MaxUploadBytes bounds uploaded files.
	MaxUploadBytes int64
	// ShutdownTimeout bounds graceful shutdown.
	ShutdownTimeout time.Duration
	// SessionTTL is how long a login lasts.
	SessionTTL time.Duration
	// MetricsAddr, when set, is the listen address of /metrics, which the
	// main listener then no longer serves.
	MetricsAddr string
	// MetricsToken, when set, is the bearer token /metrics asks for
	// (secret).
	MetricsToken string
	// LiveMaxPerAddr bounds the live streams open at once from one client
	// address; beyond it a stream is refused (429).
	LiveMaxPerAddr int64
	// CommentsPerAccount and CommentsPerAddress bound the comments one
	// account, and one client address, may make in one comment period
	// within an hour; beyond them a comment is refused (429). 0 means no
	// bound.
	CommentsPerAccount int64
	CommentsPerAddress int64
}

// Default returns the defaults.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		BaseURL:         "",
		DataDir:         "./plenary-data",
		LogLevel:        "info",
		LogFormat:       "text",
		SecureCookies:   "auto",
		MaxBodyBytes:    1 << 20,
		MaxUploadBytes:  20 << 20,
		ShutdownTimeout: 15 * time.Second,
		SessionTTL:      14 * 24 * time.Hour,
		LiveMaxPerAddr:  64,
		// consultation.DefaultPerAccount and DefaultPerAddress.
		CommentsPerAccount: 30,
		CommentsPerAddress: 120,
	}
}

type option struct {
	name   string // flag name; env is PLENARY_ + upper(name with - as _)
	usage  string
	secret bool
	get    func(*Config) string
	set    func(*Config, string) error
}

func str(p func(*Config) *string) (func(*Config) string, func(*Config, string) error) {
	return func(c *Config) string { return *p(c) }, func(c *Config, v string) error { *p(c) = v; return nil }
}

var options = func() []option {
	mk := func(name, usage string, secret bool, p func(*Config) *string) option {
		g, s := str(p)
		return option{name: name, usage: usage, secret: secret, get: g, set: s}
	}
	size := func(name, usage string, p func(*Config) *int64) option {
		return option{name: name, usage: usage,
			get: func(c *Config) string { return strconv.FormatInt(*p(c), 10) },
			set: func(c *Config, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n <= 0 {
					return fmt.Errorf("must be a positive number of bytes")
				}
				*p(c) = n
				return nil
			}}
	}
	dur := func(name, usage string, p func(*Config) *time.Duration) option {
		return option{name: name, usage: usage,
			get: func(c *Config) string { return p(c).String() },
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil || d <= 0 {
					return fmt.Errorf("must be a positive duration such as 30s or 2h")
				}
				*p(c) = d
				return nil
			}}
	}
	return []option{
		mk("addr", "HTTP listen address", false, func(c *Config) *string { return &c.Addr }),
		mk("base-url", "public URL of the site (default http://ADDR)", false, func(c *Config) *string { return &c.BaseURL }),
		mk("data", "data directory: SQLite database, signing key, files", false, func(c *Config) *string { return &c.DataDir }),
		mk("database-url", "PostgreSQL URL; empty means the embedded SQLite database", true, func(c *Config) *string { return &c.DatabaseURL }),
		mk("signing-key", "ledger Ed25519 private key, base64; empty means DATA/ledger.key", true, func(c *Config) *string { return &c.SigningKey }),
		{name: "demo", usage: "load the demo forums on start",
			get: func(c *Config) string { return strconv.FormatBool(c.Demo) },
			set: func(c *Config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return fmt.Errorf("must be true or false")
				}
				c.Demo = b
				return nil
			}},
		mk("log-level", "debug, info, warn or error", false, func(c *Config) *string { return &c.LogLevel }),
		mk("log-format", "text or json", false, func(c *Config) *string { return &c.LogFormat }),
		mk("secure-cookies", "auto (from base-url), true or false", false, func(c *Config) *string { return &c.SecureCookies }),
		size("max-body-bytes", "largest accepted request body, uploads aside", func(c *Config) *int64 { return &c.MaxBodyBytes }),
		size("max-upload-bytes", "largest accepted uploaded file", func(c *Config) *int64 { return &c.MaxUploadBytes }),
		dur("shutdown-timeout", "how long graceful shutdown waits for requests and streams", func(c *Config) *time.Duration { return &c.ShutdownTimeout }),
		dur("session-ttl", "how long a login lasts", func(c *Config) *time.Duration { return &c.SessionTTL }),
		mk("metrics-addr", "listen address of /metrics alone; empty means the main address", false, func(c *Config) *string { return &c.MetricsAddr }),
		mk("metrics-token", "bearer token that /metrics asks for; empty means none", true, func(c *Config) *string { return &c.MetricsToken }),
		{name: "live-max-per-addr", usage: "most live streams open at once from one client address",
			get: func(c *Config) string { return strconv.FormatInt(c.LiveMaxPerAddr, 10) },
			set: func(c *Config, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n <= 0 {
					return fmt.Errorf("must be a positive number of streams")
				}
				c.LiveMaxPerAddr = n
				return nil
			}},
		count("comments-per-account", "most comments one account may make in a comment period within an hour; 0: no bound",
			func(c *Config) *int64 { return &c.CommentsPerAccount }),
		count("comments-per-address", "most comments from one client address in a comment period within an hour; 0: no bound",
			func(c *Config) *int64 { return &c.CommentsPerAddress }),
	}
}()

// count is an option holding a number that is 0 or more.
func count(name, usage string, field func(*Config) *int64) option {
	return option{name: name, usage: usage,
		get: func(c *Config) string { return strconv.FormatInt(*field(c), 10) },
		set: func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("must be a whole number, 0 or more")
			}
			*field(c) = n
			return nil
		}}
}

// optionValue adapts an option to flag.Value; boolean options work as
// plain switches (-demo).
type optionValue struct {
	o option
	c *Config
}

func (v *optionValue) String() string {
	if v == nil || v.c == nil || v.o.secret {
		return ""
	}
	return v.o.get(v.c)
}

func (v *optionValue) Set(s string) error { return v.o.set(v.c, s) }

func (v *optionValue) IsBoolFlag() bool { return v.o.name == "demo" }

// EnvName returns the environment variable for a flag name.
func EnvName(flagName string) string {
	return "PLENARY_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Load fills a Config from defaults, then the environment (getenv; each
// option also accepts NAME_FILE naming a file that holds the value, for
// secrets), then flags registered on fs and parsed from args. It returns
// the remaining arguments.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, []string, error) {
	c := Default()
	for _, o := range options {
		env := EnvName(o.name)
		v := getenv(env)
		if f := getenv(env + "_FILE"); v == "" && f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return c, nil, plenary.Invalid(env+"_FILE", "cannot read %s", f)
			}
			v = strings.TrimSpace(string(b))
		}
		if v != "" {
			if err := o.set(&c, v); err != nil {
				return c, nil, plenary.Invalid(env, "%v", err)
			}
		}
	}
	for _, o := range options {
		fs.Var(&optionValue{o: o, c: &c}, o.name, o.usage+" (env "+EnvName(o.name)+")")
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	if err := c.Validate(); err != nil {
		return c, nil, err
	}
	return c, fs.Args(), nil
}

// Validate checks the values and fills derived ones (BaseURL from Addr).
func (c *Config) Validate() error {
	if c.BaseURL == "" {
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.BaseURL = "http://" + host
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return plenary.Invalid("base-url", "must be an http or https URL, got %q", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.DatabaseURL != "" {
		d, err := url.Parse(c.DatabaseURL)
		if err != nil || (d.Scheme != "postgres" && d.Scheme != "postgresql") {
			return plenary.Invalid("database-url", "must be a postgres:// URL")
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return plenary.Invalid("log-level", "must be debug, info, warn or error, got %q", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return plenary.Invalid("log-format", "must be text or json, got %q", c.LogFormat)
	}
	switch c.SecureCookies {
	case "auto", "true", "false":
	default:
		return plenary.Invalid("secure-cookies", "must be auto, true or false, got %q", c.SecureCookies)
	}
	if c.DataDir == "" {
		return plenary.Invalid("data", "must not be empty")
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return plenary.Invalid("metrics-addr", "must be HOST:PORT or :PORT, got %q", c.MetricsAddr)
		}
		if c.MetricsAddr == c.Addr {
			return plenary.Invalid("metrics-addr", "must differ from addr")
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < MinMetricsTokenLen {
		return plenary.Invalid("metrics-token", "must be at least %d characters", MinMetricsTokenLen)
	}
	if strings.ContainsAny(c.MetricsToken, " \t\r\n") {
		return plenary.Invalid("metrics-token", "must not contain spaces or line breaks")
	}
	return nil
}

// MinMetricsTokenLen is the shortest metrics token accepted.
const MinMetricsTokenLen = 16

// CookiesSecure reports whether cookies get the Secure flag.
func (c Config) CookiesSecure() bool {
	switch c.SecureCookies {
	case "true":
		return true
	case "false":
		return false
	}
	return strings.HasPrefix(c.BaseURL, "https://")
}

// Redacted returns the configuration as sorted "name = value" lines, with
// secrets replaced and passwords in URLs masked.
func (c Config) Redacted() []string {
	var lines []string
	for _, o := range options {
		v := o.get(&c)
		if o.secret && v != "" {
			if o.name == "database-url" {
				v = redactURL(v)
			} else {
				v = "(set, redacted)"
			}
		}
		lines = append(lines, fmt.Sprintf("%s = %s    # %s", o.name, v, EnvName(o.name)))
	}
	sort.Strings(lines)
	return lines
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(set, redacted)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
