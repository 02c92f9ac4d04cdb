package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/embedded"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/worker"
)

// benchReport is what `duban bench --json` prints. The keys are stable: checks outside the
// repository read them. Top-level API figures are those of the largest scale measured.
type benchReport struct {
	Cores             int                   `json:"cores"`
	Items             int                   `json:"items"`
	Database          string                `json:"database"`
	BaselineWfPerS    float64               `json:"baseline_wf_per_s"`
	LaunchItemsPerS   float64               `json:"launch_items_per_s"`
	Launch1kItemsPerS float64               `json:"launch_1k_items_per_s,omitempty"`
	LaunchRatio       float64               `json:"launch_ratio"`
	ImportResponseS   float64               `json:"import_response_s"`
	SignP50Ms         float64               `json:"sign_p50_ms"`
	SignP99Ms         float64               `json:"sign_p99_ms"`
	Reminders         int                   `json:"reminders"`
	ReminderP50Ms     float64               `json:"reminder_p50_ms"`
	ReminderP99Ms     float64               `json:"reminder_p99_ms"`
	ReminderMaxMs     float64               `json:"reminder_max_ms"`
	APIListP50Ms      float64               `json:"api_list_p50_ms"`
	APIListP99Ms      float64               `json:"api_list_p99_ms"`
	APIItemP50Ms      float64               `json:"api_item_p50_ms"`
	APIItemP99Ms      float64               `json:"api_item_p99_ms"`
	APIActionP50Ms    float64               `json:"api_action_p50_ms"`
	APIActionP99Ms    float64               `json:"api_action_p99_ms"`
	API               map[string]apiFigures `json:"api"`
	PeakRSSMB         float64               `json:"peak_rss_mb"`
	DBBytesPer10k     int64                 `json:"db_bytes_per_10k_items"`
	TemporalDBBytes   int64                 `json:"temporal_db_bytes,omitempty"`
	DurationS         float64               `json:"duration_s"`
}

// apiFigures are the API latencies at one scale, in milliseconds.
type apiFigures struct {
	Items     int     `json:"items"`
	ListP50   float64 `json:"list_p50_ms"`
	ListP99   float64 `json:"list_p99_ms"`
	ItemP50   float64 `json:"item_p50_ms"`
	ItemP99   float64 `json:"item_p99_ms"`
	ActionP50 float64 `json:"action_p50_ms"`
	ActionP99 float64 `json:"action_p99_ms"`
	// ListP99ByQuery is the p99 of each kind of list request (light, department_role,
	// level_status, text, status), to tell which one a slow list is.
	ListP99ByQuery map[string]float64 `json:"list_p99_ms_by_query"`
}

const (
	benchDepts     = 50
	benchParallel  = 16 // concurrent clients: the launcher's default start parallelism
	baselineQueue  = "duban-bench-baseline"
	baselineWfName = "duban-bench-timer"
	benchPassword  = "bench-password-1"
)

// runBench measures Duban on this machine in one process: the embedded Temporal server,
// the store (SQLite in a temporary directory, or a fresh database on the MySQL server of
// --dsn), the worker and the HTTP API on a loopback port, driven over real HTTP.
func runBench(ctx context.Context, args []string) error { return bench(ctx, args, os.Stdout) }

func bench(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	items := fs.Int("items", 10000, "items launched in one import and due in the same minute")
	apiItems := fs.Int("api-items", 100000, "items in the store for the second API scale (filled without workflows)")
	dsn := fs.String("dsn", "", "mysql://user:pass@host:port/ — run on a fresh database created on this server")
	margin := fs.Duration("reminder-margin", 0, "time from the import to the reminders (default: estimated from the 1,000-item run)")
	keep := fs.Bool("keep", false, "keep the temporary directory and the MySQL database")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:6060) while the bench runs")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *items < 10 || *apiItems < 0 {
		return &exitError{2, errors.New("--items must be at least 10 and --api-items not negative")}
	}
	progress := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "bench %s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
	if *pprofAddr != "" {
		stop, err := servePprof(*pprofAddr)
		if err != nil {
			return &exitError{2, err}
		}
		defer stop()
		progress("pprof on http://%s/debug/pprof/", *pprofAddr)
	}
	b, cleanup, err := newBenchEnv(ctx, *dsn, *keep, progress)
	if err != nil {
		return err
	}
	defer cleanup()
	rep, err := b.run(ctx, *items, *apiItems, *margin)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printBench(stdout, rep)
	return nil
}

// benchEnv is the system under measurement and its HTTP clients.
type benchEnv struct {
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
	progress func(string, ...any)
}

func newBenchEnv(ctx context.Context, dsn string, keep bool, progress func(string, ...any)) (*benchEnv, func(), error) {
	var closers []func()
	cleanup := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) (*benchEnv, func(), error) { cleanup(); return nil, nil, err }
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
	cfg.DataDir = dir
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	b := &benchEnv{tune: cfg.Worker, dataDir: dir, progress: progress, database: "sqlite", liaisons: map[uint64]string{}}
	if dsn != "" {
		name, drop, err := createBenchDatabase(ctx, dsn)
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
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { _ = st.Close() })
	b.st = st
	cal, err := loadCalendar(ctx, cfg, st)
	if err != nil {
		return fail(err)
	}
	srv, err := embedded.Start(embedded.Options{DBFile: filepath.Join(dir, "temporal.db"), Namespace: cfg.Temporal.Namespace,
		SearchAttributes: worker.SearchAttributes, LogLevel: "error"})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { _ = srv.Stop() })
	tc, err := dialTemporal(ctx, cfg, srv.HostPort(), logger, nil)
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
	h := api.New(api.Deps{Store: st, Temporal: tc, TaskQueue: cfg.Temporal.TaskQueue, Namespace: cfg.Temporal.Namespace,
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

// createBenchDatabase creates duban_bench_<time> on the server of a mysql:// DSN and
// returns the DSN of that database and a function that drops it.
func createBenchDatabase(ctx context.Context, dsn string) (string, func(), error) {
	if !strings.HasPrefix(dsn, "mysql://") {
		return "", nil, &exitError{2, errors.New("--dsn: want mysql://user:pass@host:port/")}
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
func (b *benchEnv) people(ctx context.Context) error {
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

func (b *benchEnv) login(ctx context.Context, user string) (string, error) {
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
func (b *benchEnv) act(ctx context.Context, path, token, body string) (time.Duration, error) {
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
func (b *benchEnv) call(ctx context.Context, method, path, token, ctype string, body io.Reader, out any) (time.Duration, error) {
	return b.callWith(ctx, method, path, token, ctype, body, out, nil)
}

func (b *benchEnv) callWith(ctx context.Context, method, path, token, ctype string, body io.Reader, out any, headers map[string]string) (time.Duration, error) {
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

// run measures everything in one pass. The reminders are placed after the big launch and
// its signing with a margin for safety; what does not touch the big plan's deadlines (the
// baseline, the API at both scales, the fill) runs in that margin while it fits, and after
// the reminders otherwise, so the margin is not spent waiting.
func (b *benchEnv) run(ctx context.Context, n, apiItems int, margin time.Duration) (*benchReport, error) {
	began := time.Now()
	rep := &benchReport{Cores: runtime.NumCPU(), Items: n, Database: b.database, API: map[string]apiFigures{}}

	total := 0
	// Estimates of how long launching n items and signing them take, to place the reminders
	// just after both are done.
	perItem, signTime := 30*time.Millisecond, 20*time.Second
	var first *launched // the signed 1,000-item plan: its items take the measured actions
	if n > 1000 {
		b.progress("launch: 1,000 items")
		p, rate, err := b.launch(ctx, 1000, "")
		if err != nil {
			return nil, fmt.Errorf("launch 1,000: %w", err)
		}
		rep.Launch1kItemsPerS = round1(rate)
		total += 1000
		signStart := time.Now()
		if _, err := b.signAll(ctx, p.items); err != nil {
			return nil, err
		}
		perItem, signTime = time.Duration(float64(time.Second)/rate), time.Since(signStart)
		first = p
	}
	if margin == 0 {
		sign := time.Duration(float64(signTime) * float64(n) / 1000)
		// Per item, 10,000 launch up to twice as slowly as 1,000 (the server's caches and
		// its task backlog grow with them) and sign up to half as slowly again. What the
		// margin leaves over goes to the steps that fit in it.
		launchFactor, signFactor := 1.3, 1.3 // the defaults above are already generous
		if first != nil {
			launchFactor, signFactor = 2, 1.5
		}
		margin = max(60*time.Second, time.Duration(float64(n)*launchFactor)*perItem+time.Duration(float64(sign)*signFactor)+20*time.Second)
	}
	// Every item of the big plan reports at the same instant due; each lead's reminder is
	// due `remindBefore` earlier, all in the same second.
	const remindBefore = 2 * time.Hour
	remindAt := time.Now().Add(margin).Truncate(time.Second)
	due := remindAt.Add(remindBefore)
	policy := fmt.Sprintf(`{"sign_within":"10wd","cadence":[%q],"remind_before":["2h"]}`, due.Format(time.RFC3339))
	b.progress("launch: %d items, reminders due at %s", n, remindAt.Format("15:04:05"))
	p, rate, err := b.launch(ctx, n, policy)
	if err != nil {
		return nil, fmt.Errorf("launch %d: %w", n, err)
	}
	total += n
	rep.LaunchItemsPerS, rep.ImportResponseS = round1(rate), round1(p.response.Seconds())

	// Every item is signed: a lead's deadline is its signature until it signs, and only then
	// the report whose reminder is measured. Signing is also an Update round trip measured
	// under load.
	b.progress("sign: %d items, %d at a time", n, benchParallel)
	signs, err := b.signAll(ctx, p.items)
	if err != nil {
		return nil, err
	}
	rep.SignP50Ms, rep.SignP99Ms = pct(signs, 0.50), pct(signs, 0.99)
	if time.Now().After(remindAt) {
		return nil, fmt.Errorf("launching and signing %d items took past the reminders' due time; rerun with a larger --reminder-margin than %s", n, margin)
	}

	// The steps that fit in the margin. Actions before the reminders go to the first plan's
	// items: a report on the big plan's would cancel its reminder.
	running := p.items
	if first != nil {
		running = first.items
	}
	nb := min(n, 1000)
	var base float64
	var f apiFigures
	steps := []benchStep{
		{fmt.Sprintf("baseline: %d one-timer workflows", nb), time.Duration(float64(nb)*1.3) * perItem, func() (err error) {
			base, err = b.baseline(ctx, nb)
			return err
		}, false},
		{fmt.Sprintf("api: %d items", total), 60 * time.Second, func() (err error) {
			f, err = b.apiFigures(ctx, total, running, false)
			rep.API[strconv.Itoa(total)] = f
			return err
		}, first == nil},
	}
	if apiItems > total {
		big := apiItems
		steps = append(steps, benchStep{fmt.Sprintf("fill and api: %d items", big), 60*time.Second + time.Duration(big-total)*time.Millisecond/2, func() error {
			// Duban's tables at the launched scale, before rows without workflows join them.
			if size, err := b.st.DatabaseBytes(ctx); err == nil {
				rep.DBBytesPer10k = size * 10000 / int64(total)
			}
			if err := b.st.FillForBenchmark(ctx, p.id, big-total, b.depts, time.Now()); err != nil {
				return err
			}
			var err error
			f, err = b.apiFigures(ctx, big, running, true)
			rep.API[strconv.Itoa(big)] = f
			return err
		}, first == nil})
	} else {
		steps = append(steps, benchStep{"database size", 0, func() error {
			if size, err := b.st.DatabaseBytes(ctx); err == nil {
				rep.DBBytesPer10k = size * 10000 / int64(total)
			}
			return nil
		}, false})
	}
	done := 0
	for ; done < len(steps) && !steps[done].after && time.Until(remindAt) > steps[done].est+15*time.Second; done++ {
		b.progress("%s (before the reminders)", steps[done].name)
		if err := steps[done].run(); err != nil {
			return nil, fmt.Errorf("%s: %w", steps[done].name, err)
		}
	}

	b.progress("reminders: waiting for %d", n)
	lat, err := b.reminders(ctx, p.id, n, remindAt)
	if err != nil {
		return nil, err
	}
	rep.Reminders = len(lat)
	rep.ReminderP50Ms, rep.ReminderP99Ms, rep.ReminderMaxMs = pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1)

	for ; done < len(steps); done++ {
		b.progress("%s", steps[done].name)
		if err := steps[done].run(); err != nil {
			return nil, fmt.Errorf("%s: %w", steps[done].name, err)
		}
	}
	rep.BaselineWfPerS = round1(base)
	rep.LaunchRatio = math.Round(rate/base*100) / 100
	for _, f := range []string{"temporal.db", "temporal-visibility.db"} {
		if fi, err := os.Stat(filepath.Join(b.dataDir, f)); err == nil {
			rep.TemporalDBBytes += fi.Size()
		}
	}
	rep.APIListP50Ms, rep.APIListP99Ms = f.ListP50, f.ListP99
	rep.APIItemP50Ms, rep.APIItemP99Ms = f.ItemP50, f.ItemP99
	rep.APIActionP50Ms, rep.APIActionP99Ms = f.ActionP50, f.ActionP99
	rep.PeakRSSMB = peakRSSMB()
	rep.DurationS = round1(time.Since(began).Seconds())
	return rep, nil
}

// benchStep is a part of the run that can go before or after the reminders: est is how
// long it may take.
type benchStep struct {
	name string
	est  time.Duration
	run  func() error
	// after: only once the reminders are in (its actions would cancel them)
	after bool
}

// baselineDone counts finished baseline workflows and when the last one finished.
var baselineDone struct {
	n    atomic.Int64
	last atomic.Int64
}

// benchTimerWorkflow is the minimal Temporal workflow: one one-second timer. It notes its
// own end in the process (outside replay), which is the moment its last task completes.
func benchTimerWorkflow(ctx workflow.Context) error {
	if err := workflow.Sleep(ctx, time.Second); err != nil {
		return err
	}
	if !workflow.IsReplaying(ctx) {
		baselineDone.last.Store(time.Now().UnixNano())
		baselineDone.n.Add(1)
	}
	return nil
}

// baseline starts n minimal workflows, benchParallel at a time like the launcher, on the
// same server with a worker tuned like Duban's, and returns workflows per second from the
// first start to the last completion.
func (b *benchEnv) baseline(ctx context.Context, n int) (float64, error) {
	w := sdkworker.New(b.tc, baselineQueue, sdkworker.Options{
		MaxConcurrentWorkflowTaskExecutionSize: b.tune.MaxConcurrentWorkflowTasks,
		MaxConcurrentWorkflowTaskPollers:       b.tune.Pollers,
		MaxConcurrentActivityTaskPollers:       1,
	})
	w.RegisterWorkflowWithOptions(benchTimerWorkflow, workflow.RegisterOptions{Name: baselineWfName})
	if err := w.Start(); err != nil {
		return 0, err
	}
	defer w.Stop()
	baselineDone.n.Store(0)
	start := time.Now()
	err := parallel(ctx, n, func(ctx context.Context, i int) error {
		_, err := b.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: fmt.Sprintf("bench-baseline-%d-%d", start.UnixNano(), i), TaskQueue: baselineQueue}, baselineWfName)
		return err
	})
	if err != nil {
		return 0, err
	}
	if err := waitUntil(ctx, 10*time.Minute, func() (bool, error) { return baselineDone.n.Load() >= int64(n), nil }); err != nil {
		return 0, fmt.Errorf("%d of %d finished: %w", baselineDone.n.Load(), n, err)
	}
	return float64(n) / time.Unix(0, baselineDone.last.Load()).Sub(start).Seconds(), nil
}

// launched is one imported plan.
type launched struct {
	id       uint64
	items    []launchedItem
	response time.Duration
}

type launchedItem struct {
	id   uint64
	dept uint64
}

// launch imports an n-row CSV responsibility list as a multipart upload and waits until
// every item's workflow has run and recorded its assignment; it returns items per second
// from the upload to the last assignment.
func (b *benchEnv) launch(ctx context.Context, n int, policy string) (*launched, float64, error) {
	var csv strings.Builder
	csv.WriteString("序号,任务,牵头单位,完成时限\n")
	end := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "%d,压测任务%d:优化营商环境 知识产权保护,%s,%s\n", i+1, i+1, b.names[i%len(b.names)], end)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("bench-%d.csv", n))
	_, _ = io.WriteString(fw, csv.String())
	_ = mw.WriteField("format", "csv")
	if policy != "" {
		_ = mw.WriteField("policy", policy)
	}
	_ = mw.Close()
	var out struct {
		PlanID uint64 `json:"plan_id"`
		Items  []struct {
			ID   uint64   `json:"id"`
			Lead []string `json:"lead"`
		} `json:"items"`
	}
	start := time.Now()
	resp, err := b.call(ctx, "POST", "/api/v1/plans/import", b.sup, mw.FormDataContentType(), &body, &out)
	if err != nil {
		return nil, 0, err
	}
	if len(out.Items) != n {
		return nil, 0, fmt.Errorf("imported %d items, want %d", len(out.Items), n)
	}
	err = waitUntil(ctx, 15*time.Minute, func() (bool, error) {
		c, err := b.st.CountPlanEvents(ctx, out.PlanID, "assigned")
		return c >= int64(n), err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("waiting for %d assignments: %w", n, err)
	}
	rate := float64(n) / time.Since(start).Seconds()
	p := &launched{id: out.PlanID, response: resp}
	byName := map[string]uint64{}
	for i, name := range b.names {
		byName[name] = b.depts[i]
	}
	for _, it := range out.Items {
		if len(it.Lead) != 1 || byName[it.Lead[0]] == 0 {
			return nil, 0, fmt.Errorf("item %d: lead %v not one of the bench departments", it.ID, it.Lead)
		}
		p.items = append(p.items, launchedItem{id: it.ID, dept: byName[it.Lead[0]]})
	}
	return p, rate, nil
}

// signAll signs every item as its lead department's liaison, benchParallel at a time.
func (b *benchEnv) signAll(ctx context.Context, items []launchedItem) ([]time.Duration, error) {
	lat := make([]time.Duration, len(items))
	err := parallel(ctx, len(items), func(ctx context.Context, i int) error {
		it := items[i]
		d, err := b.act(ctx, fmt.Sprintf("/api/v1/items/%d/sign", it.id), b.liaisons[it.dept], "{}")
		lat[i] = d
		return err
	})
	return lat, err
}

// reminders waits until every lead's reminder is in the inbox table and returns each
// one's delay after its due time.
func (b *benchEnv) reminders(ctx context.Context, planID uint64, n int, due time.Time) ([]time.Duration, error) {
	deadline := time.Until(due) + 10*time.Minute
	err := waitUntil(ctx, deadline, func() (bool, error) {
		if time.Now().Before(due) {
			return false, nil
		}
		c, err := b.st.CountPlanEvents(ctx, planID, "reminder")
		return c >= int64(n), err
	})
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	// The event and its notification are written in one transaction; wait for the last.
	var ts []time.Time
	err = waitUntil(ctx, time.Minute, func() (bool, error) {
		var err error
		ts, err = b.st.PlanNotificationTimes(ctx, planID, "reminder")
		return len(ts) >= n, err
	})
	if err != nil {
		return nil, fmt.Errorf("reminders: %d of %d notifications: %w", len(ts), n, err)
	}
	lat := make([]time.Duration, len(ts))
	for i, t := range ts {
		lat[i] = max(0, t.Sub(due))
	}
	return lat, nil
}

// apiFigures measures the item list with filters (as a supervisor), an item page and an
// action round trip (a progress report, an Update of the item's workflow) on running items.
func (b *benchEnv) apiFigures(ctx context.Context, total int, running []launchedItem, second bool) (apiFigures, error) {
	f := apiFigures{Items: total}
	queries := []struct{ name, path string }{
		{"light", "/api/v1/items?light=red&limit=50"},
		{"department_role", fmt.Sprintf("/api/v1/items?department=%d&role=lead&limit=50", b.depts[3])},
		{"level_status", "/api/v1/items?level=2&status=active&limit=50"},
		{"text", "/api/v1/items?q=知识产权&limit=50"},
		{"status", "/api/v1/items?status=active&limit=50"},
	}
	const rounds = 400
	var list, page []time.Duration
	byQuery := map[string][]time.Duration{}
	for i := 0; i < rounds; i++ {
		q := queries[i%len(queries)]
		d, err := b.call(ctx, "GET", q.path, b.sup, "", nil, nil)
		if err != nil {
			return f, err
		}
		list = append(list, d)
		byQuery[q.name] = append(byQuery[q.name], d)
	}
	f.ListP99ByQuery = map[string]float64{}
	for name, ds := range byQuery {
		f.ListP99ByQuery[name] = pct(ds, 0.99)
	}
	for i := 0; i < rounds; i++ {
		it := running[(i*7919)%len(running)]
		d, err := b.call(ctx, "GET", fmt.Sprintf("/api/v1/items/%d", it.id), b.sup, "", nil, nil)
		if err != nil {
			return f, err
		}
		page = append(page, d)
	}
	// Actions go to distinct items, one client after another, as liaisons do; each is an
	// Update of about 50 ms, so 200 of them (the p99 is the second slowest) keep the run short.
	acts := min(200, len(running)/2)
	offset := 0
	if second {
		offset = len(running) / 2 // the second scale acts on other items
	}
	var action []time.Duration
	for i := 0; i < acts; i++ {
		it := running[(offset+i)%len(running)]
		body := fmt.Sprintf(`{"text":"第%d次压测进展:已完成阶段任务。"}`, i)
		d, err := b.act(ctx, fmt.Sprintf("/api/v1/items/%d/reports", it.id), b.liaisons[it.dept], body)
		if err != nil {
			return f, err
		}
		action = append(action, d)
	}
	f.ListP50, f.ListP99 = pct(list, 0.5), pct(list, 0.99)
	f.ItemP50, f.ItemP99 = pct(page, 0.5), pct(page, 0.99)
	f.ActionP50, f.ActionP99 = pct(action, 0.5), pct(action, 0.99)
	return f, nil
}

// parallel runs fn(0..n-1) on benchParallel goroutines and returns the first error.
func parallel(ctx context.Context, n int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for g := 0; g < benchParallel; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// waitUntil polls cond every 100 ms.
func waitUntil(ctx context.Context, limit time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	for {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("gave up after %s", limit.Round(time.Second))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// pct is the q-quantile (nearest rank) in milliseconds.
func pct(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(math.Ceil(q*float64(len(s)))) - 1
	i = min(max(i, 0), len(s)-1)
	return math.Round(float64(s[i].Microseconds())/10) / 100
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// peakRSSMB is the process's peak resident set (VmHWM), in MiB.
func peakRSSMB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return round1(kb / 1024)
		}
	}
	return 0
}

func printBench(w io.Writer, r *benchReport) {
	fmt.Fprintf(w, "Duban bench: %d items on %s, %d cores, %.0f s\n\n", r.Items, r.Database, r.Cores, r.DurationS)
	fmt.Fprintf(w, "  baseline (one-timer workflow)   %8.1f workflows/s\n", r.BaselineWfPerS)
	if r.Launch1kItemsPerS > 0 {
		fmt.Fprintf(w, "  launch 1,000 items              %8.1f items/s\n", r.Launch1kItemsPerS)
	}
	fmt.Fprintf(w, "  launch %-6d items              %8.1f items/s  (%.2f of baseline; import answered in %.1f s)\n", r.Items, r.LaunchItemsPerS, r.LaunchRatio, r.ImportResponseS)
	fmt.Fprintf(w, "  sign (Update) under launch load p50 %.1f ms  p99 %.1f ms\n", r.SignP50Ms, r.SignP99Ms)
	fmt.Fprintf(w, "  reminders, %d due at once      p50 %.0f ms  p99 %.0f ms  max %.0f ms\n", r.Reminders, r.ReminderP50Ms, r.ReminderP99Ms, r.ReminderMaxMs)
	keys := make([]int, 0, len(r.API))
	for k := range r.API {
		n, _ := strconv.Atoi(k)
		keys = append(keys, n)
	}
	sort.Ints(keys)
	for _, k := range keys {
		f := r.API[strconv.Itoa(k)]
		fmt.Fprintf(w, "  API at %7d items   list p50 %.1f / p99 %.1f ms   item p50 %.1f / p99 %.1f ms   action p50 %.1f / p99 %.1f ms\n",
			k, f.ListP50, f.ListP99, f.ItemP50, f.ItemP99, f.ActionP50, f.ActionP99)
	}
	fmt.Fprintf(w, "  peak RSS %.0f MiB   database %.1f MiB per 10,000 items   Temporal's SQLite %.1f MiB\n",
		r.PeakRSSMB, float64(r.DBBytesPer10k)/(1<<20), float64(r.TemporalDBBytes)/(1<<20))
}
