package cli

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/server"
	"github.com/plenary-forum/plenary/internal/web"
)

func init() {
	register(command{"serve", "serve the site (add --demo for the demo forums)", runServe})
	register(command{"migrate", "apply database migrations and exit", runMigrate})
	register(command{"demo", "load the demo forums into the database and exit", runDemo})
	register(command{"config", "print the effective configuration, secrets redacted", runConfig})
	register(command{"version", "print the version", func(ctx context.Context, env *Env, args []string) error {
		fmt.Fprintln(env.Stdout, "plenary", Version())
		return nil
	}})
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "serve", "[flags]")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)
	// Every live stream holds a descriptor.
	if soft, hard, err := server.RaiseOpenFiles(); err != nil {
		log.Warn("cannot raise the open-file limit", "soft", soft, "hard", hard, "err", err)
	} else {
		log.Info("open-file limit", "limit", soft, "hard", hard)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	var logins []web.DemoLogin
	if cfg.Demo {
		if err := demo.Load(ctx, a.svc); err != nil {
			return err
		}
		for _, l := range demo.Logins {
			logins = append(logins, web.DemoLogin{Role: l.Role, Email: l.Email, Password: l.Password})
		}
		logins = append(logins, web.DemoLogin{Role: wcitDelegates, Email: demo.WCITDelegateEmail("<code>"), Password: demo.WCITDelegatePassword})
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			return err
		}
	}
	srv, err := server.New(cfg, a.store, a.svc, server.Options{Logger: log, Version: Version(), DemoLogins: logins, MetricsListener: mln})
	if err != nil {
		ln.Close()
		if mln != nil {
			mln.Close()
		}
		return err
	}
	if cfg.Demo {
		base := cfg.BaseURL
		if strings.HasSuffix(base, ":0") {
			// Listening on a port the system chose: say which.
			base = "http://" + ln.Addr().String()
		}
		fmt.Fprintf(env.Stdout, "\nPlenary demo is at %s\nLog in as any of these (the login page lists them too):\n", base)
		for _, l := range demo.Logins {
			fmt.Fprintf(env.Stdout, "  %-45s %-36s %s\n", l.Role, l.Email, l.Password)
		}
		fmt.Fprintf(env.Stdout, "  %-45s %-36s %s\n", wcitDelegates, demo.WCITDelegateEmail("<code>"), demo.WCITDelegatePassword)
		fmt.Fprintf(env.Stdout, "Where to look:\n")
		var period string // NETmundial's comment period, read once
		for _, w := range demoLook {
			if strings.Contains(w[1], netmundialPeriod) {
				if period == "" {
					if period, err = demo.NETmundialPeriodPath(ctx, a.svc); err != nil {
						return err
					}
				}
				w[1] = strings.Replace(w[1], netmundialPeriod, period, 1)
			}
			fmt.Fprintf(env.Stdout, "  %-45s %s%s\n", w[0], base, w[1])
		}
		fmt.Fprintln(env.Stdout)
	}
	// The campaign indexes of the periods being answered are built in the
	// background, so that the first to read one does not wait for it; the
	// store stays open until this is done.
	warmCtx, stopWarm := context.WithCancel(ctx)
	warmed := make(chan struct{})
	defer func() { stopWarm(); <-warmed }()
	go func() {
		defer close(warmed)
		start := time.Now()
		n, c, err := a.svc.Consultation.Warm(warmCtx)
		switch {
		case err != nil && warmCtx.Err() == nil:
			log.Warn("building the campaign indexes at start", "err", err)
		case err == nil && n > 0:
			log.Info("campaign indexes built", "periods", n, "comments", c, "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	return srv.Run(ctx, ln)
}

// wcitDelegates describes the WCIT-12 demo delegates, one per Member
// State, for the list of demo logins.
const wcitDelegates = "Any WCIT-12 delegation (<code>: deu, fra…)"

// wcitFinalActs is the page of the demo's WCIT-12 Final Acts.
var wcitFinalActs = "/forums/" + demo.WCITSlug + "/final-acts/" + url.PathEscape(demo.WCITFinalActsNumber)

// netmundialPeriod stands in demoLook for the path of NETmundial's comment
// period, which names it by id.
const netmundialPeriod = "<netmundial-period>"

// demoLook are the demo's pages worth a first look, with what each shows.
var demoLook = [][2]string{
	{"deadlines, and the latest on the record", "/forums/wtpf-13"},
	{"who may do what, by role and credentials", "/forums/wcit-12/rules"},
	{"parties by their official names", "/forums/wcit-12/participants"},
	{"a compilation, with sources by number", "/forums/wtpf-13/drafts"},
	{"frozen compilation DT/2; revision as DT/3", "/forums/wtpf-13/documents?series=dt"},
	{"a meeting in session on draft Opinion 5", "/forums/wtpf-13/meetings/WG3-4"},
	{"  (its calendar, for any calendar program)", "/forums/wtpf-13/meetings.ics"},
	{"  ask for the floor (as the remote delegate)", "/forums/wtpf-13/meetings/WG3-4/live"},
	{"  the chair's console (log in as the chair)", "/forums/wtpf-13/meetings/WG3-4/live/chair"},
	{"  the projector view for the room's screen", "/forums/wtpf-13/meetings/WG3-4/live/projector"},
	{"  who had the floor, and for how long", "/forums/wtpf-13/meetings/WG3-4/speaking-time"},
	{"NETmundial's first session, with remote hubs", "/forums/netmundial-2014/meetings/PLENARY-1"},
	{"NETmundial's closed comment period: 300 comments", "/forums/netmundial-2014/consultations"},
	{"  a comment with its disposition", "/forums/netmundial-2014/comments/C-1"},
	{"  (the same through the JSON API)", "/api/v1/forums/netmundial-2014/consultations"},
	{"  its campaign: 40 near-identical letters", netmundialPeriod + "/campaigns"},
	{"    (through the API: ?members= for more)", "/api/v1" + netmundialPeriod + "/campaigns?members=5"},
	{"  its opinion map: 150 voters, groups, consensus", netmundialPeriod + "/map"},
	{"decisions: Opinion 5 adopted by consensus", "/forums/wtpf-13/decisions"},
	{"WCIT-12: a straw poll, a point of order, a vote", "/forums/wcit-12/meetings/PL-12DEC"},
	{"  the vote 77-33-8 and its arithmetic", "/forums/wcit-12/decisions"},
	{"  vote as any WCIT-12 delegation: " + demo.WCITDelegateEmail("<code>") + ", password " + demo.WCITDelegatePassword, "/forums/wcit-12/meetings/PL-12DEC/live"},
	{"WCIT-12 Final Acts: 89 of 144 signed, 55 not", wcitFinalActs},
	{"  who signed, on the map, and the tallies", wcitFinalActs + "#tally-h"},
	{"  declarations and reservations, by number", wcitFinalActs + "/declarations"},
	{"  the signing page, as a head of delegation: " + demo.WCITHeadEmail("<code>") + ", password " + demo.WCITDelegatePassword, wcitFinalActs + "/sign"},
	{"  name a signer from the credentials (log in as the secretariat)", wcitFinalActs + "/sign"},
	{"NETmundial: civil society's closing statement", "/forums/netmundial-2014/final-acts#closing-h"},
	{"the record; its latest signed checkpoint", "/forums/wtpf-13/record"},
	{"  (the checkpoint, to keep for verify)", "/api/v1/forums/wtpf-13/checkpoint"},
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "migrate", "[flags]")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	v, err := a.store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "database schema at version %d (%s)\n", v, a.store.Dialect())
	return nil
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "demo", "[flags]")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	if err := demo.Load(ctx, a.svc); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "demo forums loaded")
	return nil
}

func runConfig(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "config", "[flags]")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	for _, l := range cfg.Redacted() {
		fmt.Fprintln(env.Stdout, l)
	}
	return nil
}
