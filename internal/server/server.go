// Package server assembles Plenary's root HTTP handler: the HTML face, the
// JSON API, the health and metrics endpoints, and the middleware around
// them (recovery, request logging, metrics, security headers). It also
// owns the process's lifetime: the live broker, the PostgreSQL listener
// that lets several processes share one database, and graceful shutdown.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/plenary-forum/plenary/internal/api"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/files"
	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/web"
	webconsultation "github.com/plenary-forum/plenary/internal/web/consultation"
	webdecisions "github.com/plenary-forum/plenary/internal/web/decisions"
	webdocuments "github.com/plenary-forum/plenary/internal/web/documents"
	webdrafting "github.com/plenary-forum/plenary/internal/web/drafting"
	webfinalacts "github.com/plenary-forum/plenary/internal/web/finalacts"
	webmeetings "github.com/plenary-forum/plenary/internal/web/meetings"
	webparticipation "github.com/plenary-forum/plenary/internal/web/participation"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server is a running Plenary site.
type Server struct {
	cfg     config.Config
	log     *slog.Logger
	store   *store.Store
	svc     *app.App
	broker  *live.Broker
	handler http.Handler
	metrics *metrics
	// metricsOnly serves /metrics on its own listener (cfg.MetricsAddr).
	metricsOnly http.Handler
	metricsLn   net.Listener
	ready       atomic.Bool
	Version     string
}

// Options are what New needs beyond the configuration.
type Options struct {
	Logger     *slog.Logger
	Version    string
	DemoLogins []web.DemoLogin
	// Registry receives the metrics (default: a new registry).
	Registry *prometheus.Registry
	// MetricsListener, when the configuration gives a metrics address, is
	// where Run serves /metrics (default: Run listens on that address).
	MetricsListener net.Listener
	// Live tunes the live broker and its streams (queue bounds, write
	// deadlines, chunk sizes; zero fields take the defaults). Its Logger
	// is the server's.
	Live live.Options
}

// webPages are the packages of the HTML face's pages beyond the core's,
// one per aggregate, each by its Register function.
var webPages = []func(*web.Core){webparticipation.Register, webdocuments.Register, webdrafting.Register, webmeetings.Register, webdecisions.Register, webfinalacts.Register, webconsultation.Register, webconsultation.RegisterMap}

// New wires the faces over an open, migrated store and a service.
func New(cfg config.Config, st *store.Store, svc *app.App, o Options) (*Server, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	s := &Server{cfg: cfg, log: o.Logger, store: st, svc: svc, Version: o.Version, metricsLn: o.MetricsListener}
	lo := o.Live
	lo.Logger = o.Logger
	if lo.MaxPerAddr == 0 {
		lo.MaxPerAddr = int(cfg.LiveMaxPerAddr)
	}
	s.broker = live.NewBroker(st, lo)
	svc.Consultation.PerAccount, svc.Consultation.PerAddress = int(cfg.CommentsPerAccount), int(cfg.CommentsPerAddress)
	svc.Kernel.SetAnnounce(s.broker.NotifyAll)
	if svc.Documents.FileStore() == nil {
		svc.Documents.SetFileStore(files.NewDisk(filepath.Join(cfg.DataDir, "files")), cfg.MaxUploadBytes)
	}
	s.metrics = newMetrics(o.Registry, s.broker, st)

	w, err := web.New(svc, s.broker, web.Options{Logger: o.Logger, SecureCookies: cfg.CookiesSecure(), SessionTTL: cfg.SessionTTL,
		MaxBodyBytes: cfg.MaxBodyBytes, MaxUploadBytes: cfg.MaxUploadBytes, DemoLogins: o.DemoLogins}, webPages...)
	if err != nil {
		return nil, err
	}
	a := api.New(svc, s.broker, api.Options{Logger: o.Logger, MaxBodyBytes: cfg.MaxBodyBytes, BaseURL: cfg.BaseURL, Version: o.Version})

	mux := http.NewServeMux()
	mux.Handle("/api/v1/", a)
	mux.Handle("/", w)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	// /metrics is on the main listener unless it has an address of its
	// own; either way it asks for the metrics token when one is set.
	metricsEndpoint := requireBearer(cfg.MetricsToken, promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{}))
	if cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", metricsEndpoint)
	} else {
		metricsMux := http.NewServeMux()
		metricsMux.Handle("GET /metrics", metricsEndpoint)
		s.metricsOnly = s.recoverer(securityHeaders(metricsMux, false))
	}
	s.handler = s.recoverer(s.logRequests(securityHeaders(mux, strings.HasPrefix(cfg.BaseURL, "https://"))))
	s.ready.Store(true)
	return s, nil
}

// Handler is the root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// MetricsHandler is the handler of the metrics listener: /metrics alone.
// It is nil unless the configuration gives a metrics address.
func (s *Server) MetricsHandler() http.Handler { return s.metricsOnly }

// requireBearer lets a request through when token is empty or the
// request carries it as a bearer token (compared in constant time).
func requireBearer(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "the metrics need a bearer token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Broker is the live broker.
func (s *Server) Broker() *live.Broker { return s.broker }

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !s.ready.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("shutting down\n"))
		return
	}
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("readyz: database", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// Run serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting, ends live streams (clients resume elsewhere with
// Last-Event-ID), and waits for in-flight requests up to the configured
// timeout.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second, // SSE streams set a deadline per write instead
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	var ms *http.Server
	if s.metricsOnly != nil {
		mln := s.metricsLn
		if mln == nil {
			var err error
			if mln, err = net.Listen("tcp", s.cfg.MetricsAddr); err != nil {
				return fmt.Errorf("metrics address: %w", err)
			}
		}
		ms = &http.Server{Handler: s.metricsOnly, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 16 << 10, ErrorLog: hs.ErrorLog}
		defer ms.Close() // when Run returns: scrapes are short, none is waited for
		go func() {
			if err := ms.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("metrics listener", "err", err)
			}
		}()
		s.log.Info("serving metrics", "addr", mln.Addr().String())
	}
	if s.store.Dialect() == store.Postgres {
		go s.listen(ctx)
	}
	go s.housekeeping(ctx)
	go s.svc.Documents.RunEmbargoSweep(ctx, time.Minute)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "url", s.cfg.BaseURL, "database", string(s.store.Dialect()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.ready.Store(false)
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	s.broker.Close()
	hs.RegisterOnShutdown(func() {})
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("shutdown: requests still running at the deadline; closing them")
		_ = hs.Close()
	}
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
		return e
	}
	return nil
}

// housekeeping runs periodic chores until ctx ends: today, deleting
// expired sessions.
func (s *Server) housekeeping(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := s.svc.Accounts.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("housekeeping: purge sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and SetWriteDeadline.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		d := time.Since(start)
		route := routeLabel(r)
		s.metrics.observe(r.Method, route, sw.status, d)
		lvl := slog.LevelInfo
		if sw.status >= 500 {
			lvl = slog.LevelError
		}
		if route == "/healthz" || route == "/readyz" || route == "/metrics" || route == "/static/" {
			lvl = slog.LevelDebug
		}
		s.log.LogAttrs(r.Context(), lvl, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Duration("duration", d))
	})
}

// routeLabel is the matched pattern, so that metrics have few label values.
func routeLabel(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "other"
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte("Internal error. It has been logged.\n"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries; hsts (when
// the site's public URL is https) tells browsers to use nothing else.
func securityHeaders(next http.Handler, hsts bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		// htmx needs no inline script or eval; inline style attributes
		// that htmx sets for swapping are allowed.
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}
