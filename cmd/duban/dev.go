package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/app"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/embedded"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/metrics"
	"github.com/dubanhq/duban/worker"
)

// runDev runs the whole system in one process: an embedded Temporal server persisted under
// the data dir, the SQLite store, the worker, the API and the UI. A second start on the same
// data dir resumes every running workflow.
func runDev(ctx context.Context, args []string) error {
	var c common
	fs := newFlagSet("dev", &c, true)
	demo := fs.Bool("demo", false, "create demo departments, users and a demo plan")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	logger := app.NewLogger(cfg)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data dir %s: %w", cfg.DataDir, err)
	}
	l, err := app.Listen(cfg.Addr)
	if err != nil {
		return err
	}
	defer l.Close()
	st, err := app.OpenStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if pw, err := auth.Bootstrap(ctx, st, cfg.Auth.BootstrapAdminPassword); err != nil {
		return err
	} else if pw != "" {
		fmt.Printf("\n  Created user admin with password %s  (shown once; set DUBAN_BOOTSTRAP_ADMIN_PASSWORD to choose it)\n\n", pw)
	}
	cal, err := app.LoadCalendar(ctx, cfg, st)
	if err != nil {
		return err
	}
	hostPort := cfg.Temporal.Address
	quiet := func() {}
	if cfg.Embedded() {
		srv, err := embedded.Start(embedded.Options{
			DBFile:           filepath.Join(cfg.DataDir, "temporal.db"),
			Port:             cfg.Temporal.EmbeddedPort,
			Namespace:        cfg.Temporal.Namespace,
			SearchAttributes: worker.SearchAttributes,
		})
		if err != nil {
			return err
		}
		defer func() { _ = srv.Stop() }()
		quiet = srv.Quiet
		hostPort = srv.HostPort()
		logger.Info("embedded Temporal server", "address", hostPort, "namespace", cfg.Temporal.Namespace)
	}
	m := metrics.New()
	defer m.Close()
	conn := &app.Conn{}
	tc, err := app.DialTemporal(ctx, cfg, hostPort, logger, m, conn)
	if err != nil {
		return err
	}
	defer tc.Close()
	if !cfg.Embedded() {
		if err := worker.EnsureSearchAttributes(ctx, tc, cfg.Temporal.Namespace); err != nil {
			return err
		}
	}
	base := cfg.BaseURL
	if base == "" {
		base = "http://" + l.Addr().String()
	}
	nt, err := delivery.NewNotifier(cfg.Notify, base)
	if err != nil {
		return err
	}
	as := assessService(cfg, st, cal)
	acts := &activities.Activities{Store: st, Calendar: cal, Logger: logger, Metrics: m, Notify: nt, Assess: as}
	w := worker.New(tc, cfg.Temporal.TaskQueue, cfg.Worker, acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()
	if err := worker.StartDispatcher(ctx, tc, cfg.Temporal.TaskQueue); err != nil {
		return err
	}
	ensureSchedules(ctx, cfg, st, tc, logger)
	resumeCases(ctx, &launch.Launcher{Store: st, Temporal: tc, TaskQueue: cfg.Temporal.TaskQueue, Calendar: cal, CaseRules: cfg.Supervision.Rules()}, time.Minute, logger)
	trusted, maxBody, err := app.APIOptions(cfg)
	if err != nil {
		return err
	}
	srv := api.New(api.Deps{Store: st, TrustedProxies: trusted, MaxBody: maxBody, Temporal: tc, TemporalConn: conn, TaskQueue: cfg.Temporal.TaskQueue, Namespace: cfg.Temporal.Namespace,
		Logger: logger, TokenTTL: cfg.Auth.TokenTTL, APITokenTTL: cfg.Auth.APITokenTTL, MetricsToken: cfg.MetricsToken, Calendar: cal, Metrics: m, Notify: nt, Assess: as, AssessSchedule: cfg.Assessment.Schedule,
		Cases: cfg.Supervision.Rules()})
	if *demo {
		if err := seedDemo(ctx, srv, st, logger); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	fmt.Printf("Duban is running: http://%s  (API http://%s/api/v1, Temporal %s)  Ctrl-C to stop\n", l.Addr(), l.Addr(), hostPort)
	err = app.ServeHTTP(ctx, l, srv, cfg.HTTP, logger)
	if ctx.Err() != nil {
		quiet()
		fmt.Println("Stopping Duban: the worker, then Temporal; running workflows resume at the next start.")
		stopWithin(devStopLimit)
	}
	return err
}

// devStopLimit is how long Ctrl-C may take to stop dev.
const devStopLimit = 10 * time.Second

// stopWithin ends the process if the deferred stops (HTTP, worker, Temporal) have not
// returned within limit: everything dev keeps is in its SQLite files, written in
// transactions, so what was not stopped resumes at the next start.
func stopWithin(limit time.Duration) {
	time.AfterFunc(limit, func() {
		fmt.Fprintf(os.Stderr, "Duban did not stop within %s; exiting now (running workflows resume at the next start).\n", limit)
		os.Exit(1)
	})
}
