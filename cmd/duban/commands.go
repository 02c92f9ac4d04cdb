package main

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/app"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/metrics"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/worker"
)

// runServe runs the API and UI against an external Temporal; any number may run.
func runServe(ctx context.Context, args []string) error {
	var c common
	fs := newFlagSet("serve", &c, true)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if cfg.Embedded() {
		return fmt.Errorf("config: temporal.address (DUBAN_TEMPORAL_ADDRESS) is required for serve; use `duban dev` for the embedded server")
	}
	logger := app.NewLogger(cfg)
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
		fmt.Printf("Created user admin with password %s (shown once)\n", pw)
	}
	cal, err := app.LoadCalendar(ctx, cfg, st)
	if err != nil {
		return err
	}
	m := metrics.New()
	defer m.Close()
	conn := &app.Conn{}
	tc, err := app.DialTemporal(ctx, cfg, cfg.Temporal.Address, logger, m, conn)
	if err != nil {
		return err
	}
	defer tc.Close()
	if err := worker.EnsureNamespace(ctx, tc, cfg.Temporal.Namespace, false, 0); err != nil {
		return err
	}
	nt, err := delivery.NewNotifier(cfg.Notify, cfg.BaseURL)
	if err != nil {
		return err
	}
	trusted, maxBody, err := app.APIOptions(cfg)
	if err != nil {
		return err
	}
	srv := api.New(api.Deps{Store: st, TrustedProxies: trusted, MaxBody: maxBody, Temporal: tc, TemporalConn: conn, TaskQueue: cfg.Temporal.TaskQueue, Namespace: cfg.Temporal.Namespace,
		Logger: logger, TokenTTL: cfg.Auth.TokenTTL, APITokenTTL: cfg.Auth.APITokenTTL, MetricsToken: cfg.MetricsToken, Calendar: cal, Metrics: m, Notify: nt,
		Assess: assessService(cfg, st, cal), AssessSchedule: cfg.Assessment.Schedule,
		Cases: cfg.Supervision.Rules()})
	logger.Info("serving", "addr", l.Addr().String(), "temporal", cfg.Temporal.Address)
	return app.ServeHTTP(ctx, l, srv, cfg.HTTP, logger)
}

// runWorker runs only the Temporal worker; it drains in-flight tasks on SIGTERM.
func runWorker(ctx context.Context, args []string) error {
	var c common
	fs := newFlagSet("worker", &c, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if cfg.Embedded() {
		return fmt.Errorf("config: temporal.address (DUBAN_TEMPORAL_ADDRESS) is required for worker; use `duban dev` for the embedded server")
	}
	logger := app.NewLogger(cfg)
	st, err := app.OpenStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	cal, err := app.LoadCalendar(ctx, cfg, st)
	if err != nil {
		return err
	}
	m := metrics.New()
	defer m.Close()
	if cfg.Worker.MetricsAddr != "" {
		l, err := app.Listen(cfg.Worker.MetricsAddr)
		if err != nil {
			return fmt.Errorf("config: worker.metrics_addr (DUBAN_WORKER_METRICS_ADDR): %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("/metrics", metrics.Guard(cfg.MetricsToken, m.Handler()))
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
		go func() { _ = app.ServeHTTP(ctx, l, mux, cfg.HTTP, logger) }()
	}
	tc, err := app.DialTemporal(ctx, cfg, cfg.Temporal.Address, logger, m, nil)
	if err != nil {
		return err
	}
	defer tc.Close()
	if err := worker.EnsureNamespace(ctx, tc, cfg.Temporal.Namespace, true, 30*24*time.Hour); err != nil {
		return err
	}
	if err := worker.EnsureSearchAttributes(ctx, tc, cfg.Temporal.Namespace); err != nil {
		return err
	}
	nt, err := delivery.NewNotifier(cfg.Notify, cfg.BaseURL)
	if err != nil {
		return err
	}
	w := worker.New(tc, cfg.Temporal.TaskQueue, cfg.Worker, &activities.Activities{Store: st, Calendar: cal, Logger: logger, Metrics: m, Notify: nt,
		Assess: assessService(cfg, st, cal)})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	if err := worker.StartDispatcher(ctx, tc, cfg.Temporal.TaskQueue); err != nil {
		return err
	}
	ensureSchedules(ctx, cfg, st, tc, logger)
	resumeCases(ctx, &launch.Launcher{Store: st, Temporal: tc, TaskQueue: cfg.Temporal.TaskQueue, Calendar: cal, CaseRules: cfg.Supervision.Rules()}, time.Minute, logger)
	logger.Info("worker started", "task_queue", cfg.Temporal.TaskQueue, "temporal", cfg.Temporal.Address)
	<-ctx.Done()
	logger.Info("worker draining")
	w.Stop()
	return nil
}

// runMigrate applies pending migrations (safe from several replicas at once on MySQL).
func runMigrate(ctx context.Context, args []string) error {
	var c common
	fs := newFlagSet("migrate", &c, false)
	dry := fs.Bool("dry-run", false, "print the SQL of pending migrations; change nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	st, err := app.OpenStore(ctx, cfg, !*dry)
	if err != nil {
		return err
	}
	defer st.Close()
	if *dry {
		return st.MigrateDryRun(ctx)
	}
	v, err := st.CurrentSchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("schema at version %d\n", v)
	return nil
}

func runConfig(_ context.Context, args []string) error {
	var c common
	fs := newFlagSet("config", &c, true)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	fmt.Print(cfg.Redacted())
	return nil
}

func runVersion(context.Context, []string) error {
	fmt.Printf("duban %s (%s, schema %d)\n", version, runtime.Version(), store.LatestSchemaVersion())
	return nil
}
