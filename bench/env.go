package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"go.temporal.io/sdk/client"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/app"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/embedded"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/worker"
)

// env is the system under measurement and its HTTP clients.
type env struct {
	st       *store.Store
	tc       client.Client
	tune     config.Worker
	base     string
	http     *http.Client
	depts    []uint64
	names    []string
	liaisons map[uint64]string // department → liaison token
	sup      string
	dataDir  string
	database string
	temporal string // an external cluster's host:port; empty: the embedded server
	progress func(string, ...any)
}

// newEnv starts the system under measurement and logs its people in; cleanup stops it and
// removes what it made.
func newEnv(ctx context.Context, o Options) (*env, func(), error) {
	dsn, keep, progress := o.DSN, o.Keep, o.Progress
	var closers []func()
	cleanup := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) (*env, func(), error) { cleanup(); return nil, nil, err }
	dir, err := os.MkdirTemp("", "duban-bench-")
	if err != nil {
		return nil, nil, err
	}
	closers = append(closers, func() {
		if keep {
			progress("kept %s", dir)
			return
		}
		_ = os.RemoveAll(dir)
	})
	cfg := config.Default()
	// The worker is tuned as `duban worker` would be here: DUBAN_WORKER_* and the worker
	// section of the DUBAN_CONFIG file, so that a deployment's tuning can be measured.
	loaded, err := config.Load("", os.LookupEnv)
	if err != nil {
		return fail(err)
	}
	if err := loaded.Worker.Validate(); err != nil {
		return fail(err)
	}
	cfg.Worker = loaded.Worker
	cfg.DataDir = dir
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	b := &env{tune: cfg.Worker, dataDir: dir, progress: progress, database: "sqlite", liaisons: map[uint64]string{}}
	if dsn != "" {
		name, drop, err := createDatabase(ctx, dsn)
		if err != nil {
			return fail(err)
		}
		closers = append(closers, func() {
			if keep {
				progress("kept MySQL database %s", name)
				return
			}
			drop()
		})
		cfg.Database.DSN = name
		b.database = "mysql"
	}
	st, err := app.OpenStore(ctx, cfg, true)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { _ = st.Close() })
	b.st = st
	cal, err := app.LoadCalendar(ctx, cfg, st)
	if err != nil {
		return fail(err)
	}
	hostPort := o.Temporal
	if hostPort == "" {
		srv, err := embedded.Start(embedded.Options{DBFile: filepath.Join(dir, "temporal.db"), Namespace: cfg.Temporal.Namespace,
			SearchAttributes: worker.SearchAttributes, LogLevel: "error"})
		if err != nil {
			return fail(err)
		}
		closers = append(closers, func() { _ = srv.Stop() })
		hostPort = srv.HostPort()
	} else {
		// A namespace of the run's own: item workflow IDs start again from 1 in the fresh
		// store and must not meet an earlier run's.
		cfg.Temporal.Namespace = fmt.Sprintf("duban-bench-%d", time.Now().Unix())
		if err := prepareNamespace(ctx, cfg, hostPort, logger, progress); err != nil {
			return fail(err)
		}
		b.temporal = hostPort
	}
	conn := &app.Conn{}
	tc, err := app.DialTemporal(ctx, cfg, hostPort, logger, nil, conn)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, tc.Close)
	b.tc = tc
	acts := &activities.Activities{Store: st, Calendar: cal, Logger: logger}
	w := worker.New(tc, cfg.Temporal.TaskQueue, cfg.Worker, acts)
	if err := w.Start(); err != nil {
		return fail(fmt.Errorf("start worker: %w", err))
	}
	closers = append(closers, w.Stop)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	h := api.New(api.Deps{Store: st, Temporal: tc, TemporalConn: conn, TaskQueue: cfg.Temporal.TaskQueue, Namespace: cfg.Temporal.Namespace,
		Logger: logger, TokenTTL: time.Hour, Calendar: cal})
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	closers = append(closers, func() { _ = hs.Close() })
	b.base = "http://" + l.Addr().String()
	b.http = &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 4 * benchParallel}}
	if err := b.people(ctx); err != nil {
		return fail(err)
	}
	return b, cleanup, nil
}

// prepareNamespace registers the run's namespace on an external cluster with Duban's search
// attributes, and waits until the frontend serves it (namespaces reach every node's cache
// within seconds).
func prepareNamespace(ctx context.Context, cfg config.Config, hostPort string, logger *slog.Logger, progress func(string, ...any)) error {
	c, err := app.DialTemporal(ctx, cfg, hostPort, logger, nil, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	ns := cfg.Temporal.Namespace
	progress("temporal: namespace %s on %s", ns, hostPort)
	if err := worker.EnsureNamespace(ctx, c, ns, true, 24*time.Hour); err != nil {
		return err
	}
	return waitUntil(ctx, time.Minute, func() (bool, error) {
		// A namespace just registered is unknown to the frontend's cache for a few seconds.
		return worker.EnsureSearchAttributes(ctx, c, ns) == nil, nil
	})
}

// createDatabase creates duban_bench_<time> on the server of a mysql:// DSN and
// returns the DSN of that database and a function that drops it.
func createDatabase(ctx context.Context, dsn string) (string, func(), error) {
	if !strings.HasPrefix(dsn, "mysql://") {
		return "", nil, &UsageError{errors.New("--dsn: want mysql://user:pass@host:port/")}
	}
	u := strings.TrimSuffix(dsn, "/")
	if i := strings.LastIndex(u, "/"); i > len("mysql://") && strings.Contains(u[len("mysql://"):i], "@") {
		u = u[:i] // drop a database name: the bench makes its own
	}
	name := fmt.Sprintf("duban_bench_%d", time.Now().Unix())
	full := u + "/" + name
	godsn, err := config.MySQLDSN(full)
	if err != nil {
		return "", nil, fmt.Errorf("--dsn: %w", err)
	}
	mc, err := mysqldrv.ParseDSN(godsn)
	if err != nil {
		return "", nil, fmt.Errorf("--dsn: %w", err)
	}
	mc.DBName = ""
	db, err := sql.Open("mysql", mc.FormatDSN())
	if err != nil {
		return "", nil, err
	}
	// The name is generated above from digits only; identifiers cannot be bound parameters.
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		_ = db.Close()
		return "", nil, fmt.Errorf("--dsn: create database %s on %s: %w", name, config.RedactDSN(dsn), err)
	}
	drop := func() {
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name)
		_ = db.Close()
	}
	return full, drop, nil
}

// people creates the departments, one liaison per department and a supervisor, and logs
// them in over HTTP.
func (b *env) people(ctx context.Context) error {
	hash, err := auth.HashPassword(benchPassword)
	if err != nil {
		return err
	}
	for i := 1; i <= benchDepts; i++ {
		name := fmt.Sprintf("压测单位%02d", i)
		d, err := b.st.CreateDepartment(ctx, name, nil, "")
		if err != nil {
			return err
		}
		id := d.ID
		u := store.User{Username: fmt.Sprintf("bench-liaison-%02d", i), DisplayName: name + "联络员", PasswordHash: hash, Role: "liaison", DepartmentID: &id}
		if err := b.st.CreateUser(ctx, &u); err != nil {
			return err
		}
		b.depts, b.names = append(b.depts, id), append(b.names, name)
	}
	if err := b.st.CreateUser(ctx, &store.User{Username: "bench-sup", DisplayName: "督查室", PasswordHash: hash, Role: "supervisor"}); err != nil {
		return err
	}
	if b.sup, err = b.login(ctx, "bench-sup"); err != nil {
		return err
	}
	for i, d := range b.depts {
		if b.liaisons[d], err = b.login(ctx, fmt.Sprintf("bench-liaison-%02d", i+1)); err != nil {
			return err
		}
	}
	return nil
}

func (b *env) login(ctx context.Context, user string) (string, error) {
	var out struct{ Token string }
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, benchPassword)
	if _, err := b.call(ctx, "POST", "/api/v1/auth/login", "", "application/json", strings.NewReader(body), &out); err != nil {
		return "", fmt.Errorf("login %s: %w", user, err)
	}
	return out.Token, nil
}

// act posts an action as a client should: with an Idempotency-Key, sent again with the
// same key while the API answers 503 (the action was taken in but not finished within the
// API's wait). The latency is the user's: from the first attempt to the answer.
func (b *env) act(ctx context.Context, path, token, body string) (time.Duration, error) {
	key := fmt.Sprintf("bench-%d", benchKeys.Add(1))
	start := time.Now()
	for attempt := 1; ; attempt++ {
		_, err := b.callWith(ctx, "POST", path, token, "application/json", strings.NewReader(body), nil, map[string]string{"Idempotency-Key": key})
		var se *statusError
		if err == nil || !errors.As(err, &se) || se.code != http.StatusServiceUnavailable || attempt == 5 {
			return time.Since(start), err
		}
		select {
		case <-ctx.Done():
			return time.Since(start), ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

var benchKeys atomic.Int64

// statusError is a non-2xx answer.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

// call makes one request and decodes a 2xx JSON answer into out; it returns the latency.
func (b *env) call(ctx context.Context, method, path, token, ctype string, body io.Reader, out any) (time.Duration, error) {
	return b.callWith(ctx, method, path, token, ctype, body, out, nil)
}

func (b *env) callWith(ctx context.Context, method, path, token, ctype string, body io.Reader, out any, headers map[string]string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, body)
	if err != nil {
		return 0, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	r, err := b.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer r.Body.Close()
	raw, err := io.ReadAll(r.Body)
	d := time.Since(start)
	if err != nil {
		return d, err
	}
	if r.StatusCode/100 != 2 {
		return d, &statusError{r.StatusCode, fmt.Sprintf("%s %s: %d %s", method, path, r.StatusCode, bytes.TrimSpace(raw[:min(len(raw), 300)]))}
	}
	if out != nil {
		return d, json.Unmarshal(raw, out)
	}
	return d, nil
}
