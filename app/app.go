// Package app assembles Duban's parts from the configuration: the logger, the store (opened
// and migrated), the working-day calendar, the Temporal client and the HTTP server. The
// commands of cmd/duban and the benchmark (package bench) wire the same parts the same way.
package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/metrics"
	"github.com/dubanhq/duban/store"
)

// NewLogger is the process log: text or JSON on standard error at the configured level.
func NewLogger(cfg config.Config) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.Log.Level]
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// OpenStore opens the configured database, migrating it when migrate is set.
func OpenStore(ctx context.Context, cfg config.Config, migrate bool) (*store.Store, error) {
	o := store.Options{Dialect: "sqlite", DSN: cfg.SQLitePath(), MaxOpenConns: cfg.Database.MaxOpenConns}
	if cfg.IsMySQL() {
		dsn, err := config.MySQLDSN(cfg.Database.DSN)
		if err != nil {
			return nil, fmt.Errorf("config: database.dsn (DUBAN_DATABASE_DSN): %w", err)
		}
		o = store.Options{Dialect: "mysql", DSN: dsn, MaxOpenConns: cfg.Database.MaxOpenConns}
	}
	st, err := store.Open(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("%w (check database.dsn / DUBAN_DATABASE_DSN: %s)", err, config.RedactDSN(cfg.Database.DSN))
	}
	if migrate {
		if err := st.Migrate(ctx); err != nil {
			_ = st.Close()
			return nil, err
		}
	}
	return st, nil
}

// LoadCalendar builds the working-day calendar: built-in years plus the admin's additions
// stored in the database.
func LoadCalendar(ctx context.Context, cfg config.Config, st *store.Store) (*calendar.Calendar, error) {
	cal, err := calendar.New()
	if err != nil {
		return nil, err
	}
	if cfg.CalendarFile != "" {
		f, err := os.Open(cfg.CalendarFile)
		if err != nil {
			return nil, fmt.Errorf("config: calendar_file (DUBAN_CALENDAR_FILE): %w", err)
		}
		defer f.Close()
		if err := cal.LoadYAML(f); err != nil {
			return nil, fmt.Errorf("config: calendar_file %s: %w", cfg.CalendarFile, err)
		}
	}
	if err := activities.ApplyStoredCalendar(ctx, st, cal); err != nil {
		return nil, err
	}
	return cal, nil
}

// DialTemporal connects to the cluster and fails fast with an actionable message; m, when
// set, receives the SDK's metrics, and conn, when set, watches the connection.
func DialTemporal(ctx context.Context, cfg config.Config, hostPort string, logger *slog.Logger, m *metrics.Metrics, conn *Conn) (client.Client, error) {
	opts := client.Options{
		HostPort:  hostPort,
		Namespace: cfg.Temporal.Namespace,
		Logger:    tlog.NewStructuredLogger(quieter(logger, slog.LevelWarn).With("component", "temporal-sdk")),
	}
	if m != nil {
		opts.MetricsHandler = m.SDKHandler()
	}
	if conn != nil {
		opts.ConnectionOptions.DialOptions = append(opts.ConnectionOptions.DialOptions, conn.DialOption())
	}
	if loopback(hostPort) {
		// gzip costs CPU on both ends of a connection that never leaves the machine
		// (4% of a busy embedded run); across a network it saves bandwidth, so it stays.
		opts.ConnectionOptions.GrpcCompression = &client.GrpcCompressionNone{}
	}
	t := cfg.Temporal.TLS
	if t.CertFile != "" || t.CAFile != "" || t.ServerName != "" {
		tc := &tls.Config{ServerName: t.ServerName, MinVersion: tls.VersionTLS12}
		if t.CertFile != "" {
			cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
			if err != nil {
				return nil, fmt.Errorf("config: temporal.tls.cert_file/key_file: %w", err)
			}
			tc.Certificates = []tls.Certificate{cert}
		}
		if t.CAFile != "" {
			pem, err := os.ReadFile(t.CAFile)
			if err != nil {
				return nil, fmt.Errorf("config: temporal.tls.ca_file: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, errors.New("config: temporal.tls.ca_file: no certificate found")
			}
			tc.RootCAs = pool
		}
		opts.ConnectionOptions.TLS = tc
	}
	if cfg.Temporal.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(cfg.Temporal.APIKey)
		if opts.ConnectionOptions.TLS == nil {
			opts.ConnectionOptions.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
		}
	}
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := client.DialContext(dctx, opts)
	if err != nil {
		return nil, fmt.Errorf("cannot reach Temporal at %s (namespace %s); check temporal.address / DUBAN_TEMPORAL_ADDRESS: %w", hostPort, cfg.Temporal.Namespace, err)
	}
	return c, nil
}

// loopback reports whether host:port names this machine.
func loopback(hostPort string) bool {
	host, _, err := net.SplitHostPort(hostPort)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Listen opens the HTTP port first, so "port in use" is reported before anything starts.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s (port in use? pick another with --addr or DUBAN_ADDR): %w", addr, err)
	}
	return l, nil
}

// NewHTTPServer serves h with the configured timeouts, so a client that sends its headers
// or body slowly, or holds an idle connection, is cut off.
func NewHTTPServer(h http.Handler, hc config.HTTP) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: hc.ReadHeaderTimeout, ReadTimeout: hc.ReadTimeout,
		WriteTimeout: hc.WriteTimeout, IdleTimeout: hc.IdleTimeout}
}

// APIOptions are the HTTP settings the API itself applies: trusted proxies and the body cap.
func APIOptions(cfg config.Config) (trusted []*net.IPNet, maxBody int64, err error) {
	trusted, err = config.ParseProxies(cfg.TrustedProxies)
	return trusted, int64(cfg.HTTP.MaxBodyMB) << 20, err
}

// ServeHTTP runs h on l until ctx ends, then shuts down gracefully.
func ServeHTTP(ctx context.Context, l net.Listener, h http.Handler, hc config.HTTP, logger *slog.Logger) error {
	srv := NewHTTPServer(h, hc)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Debug("shutting down HTTP")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// quieter passes on records of at least min (and everything when logger is at debug): the
// SDK reports every worker start and stop at info, which says nothing an operator needs.
func quieter(logger *slog.Logger, min slog.Level) *slog.Logger {
	if logger.Enabled(context.Background(), slog.LevelDebug) {
		return logger
	}
	return slog.New(minLevel{logger.Handler(), min})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.min}
}
func (h minLevel) WithGroup(n string) slog.Handler { return minLevel{h.Handler.WithGroup(n), h.min} }
