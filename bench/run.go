package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dubanhq/duban/domain"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// run measures everything in one pass. The reminders are placed after the big launch and
// its signing with a margin for safety; what does not touch the big plan's deadlines (the
// baseline, the API at both scales, the fill) runs in that margin while it fits, and after
// the reminders otherwise, so the margin is not spent waiting.
func (b *env) run(ctx context.Context, n, apiItems int, margin, spread time.Duration) (*Report, error) {
	began, cpuBegan := time.Now(), cpuTime()
	rep := &Report{Cores: runtime.NumCPU(), Items: n, Database: b.database, Temporal: "embedded", API: map[string]APIFigures{},
		ReminderSpreadS: round1(spread.Seconds())}
	if b.temporal != "" {
		rep.Temporal = b.temporal
	}

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
	// due `remindBefore` earlier, all in the same second. With a spread, the items come in
	// several plans (a policy has one report date), each due a step later than the last, so
	// the reminders fall due evenly over the spread.
	const remindBefore = 2 * time.Hour
	remindAt := time.Now().Add(margin).Truncate(time.Second)
	waves := 1
	if spread > 0 {
		waves = max(2, min(60, n/10))
	}
	var plans []wave
	launchStart := time.Now()
	p := &launched{}
	for i := 0; i < waves; i++ {
		size := n / waves
		if i < n%waves {
			size++
		}
		at := remindAt.Add(spread * time.Duration(i) / time.Duration(waves)).Truncate(time.Second) // a policy's dates are to the second
		policy := fmt.Sprintf(`{"sign_within":"10wd","cadence":[%q],"remind_before":["2h"]}`, at.Add(remindBefore).Format(time.RFC3339))
		if i == 0 {
			b.progress("launch: %d items in %d plan(s), reminders due from %s over %s", n, waves, remindAt.Format("15:04:05"), spread)
		}
		pi, _, err := b.launch(ctx, size, policy)
		if err != nil {
			return nil, fmt.Errorf("launch %d: %w", size, err)
		}
		plans = append(plans, wave{pi, at})
		if p.id == 0 {
			p.id = pi.id
		}
		p.items = append(p.items, pi.items...)
		p.response = max(p.response, pi.response)
	}
	rate := float64(n) / time.Since(launchStart).Seconds()
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
	var f APIFigures
	steps := []benchStep{
		{fmt.Sprintf("baseline: %d one-timer workflows", nb), time.Duration(float64(nb)*1.3) * perItem, func() (err error) {
			base, err = b.baseline(ctx, nb)
			return err
		}, false},
		{fmt.Sprintf("api: %d items", total), 60 * time.Second, func() (err error) {
			f, err = b.measureAPI(ctx, total, running, false)
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
			f, err = b.measureAPI(ctx, big, running, true)
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
	if err := sleepUntil(ctx, remindAt); err != nil {
		return nil, err
	}
	cpuAt := cpuTime()
	var lat []time.Duration
	var last time.Time
	for _, w := range plans {
		l, sent, err := b.reminders(ctx, w.plan.id, len(w.plan.items), w.at)
		if err != nil {
			return nil, err
		}
		lat = append(lat, l...)
		last = maxTime(last, sent)
	}
	rep.ReminderCPUS = round1((cpuTime() - cpuAt).Seconds())
	rep.Reminders = len(lat)
	rep.ReminderP50Ms, rep.ReminderP99Ms, rep.ReminderMaxMs = pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1)
	drain := last.Sub(remindAt)
	rep.ReminderDrainS = round1(drain.Seconds())
	if drain > 0 {
		rep.RemindersPerS = round1(float64(len(lat)) / drain.Seconds())
	}

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
	rep.CPUS = round1((cpuTime() - cpuBegan).Seconds())
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
func (b *env) baseline(ctx context.Context, n int) (float64, error) {
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

// launches numbers the lists imported by this process.
var launches atomic.Int64

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
func (b *env) launch(ctx context.Context, n int, policy string) (*launched, float64, error) {
	var csv strings.Builder
	csv.WriteString("序号,任务,牵头单位,完成时限\n")
	end := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	// Each list is its own: the same file imported again would answer the plan it made.
	batch := launches.Add(1)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "%d,压测任务%d-%d:优化营商环境 知识产权保护,%s,%s\n", i+1, batch, i+1, b.names[i%len(b.names)], end)
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
		c, err := b.st.CountPlanEvents(ctx, out.PlanID, string(domain.EventAssigned))
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
func (b *env) signAll(ctx context.Context, items []launchedItem) ([]time.Duration, error) {
	lat := make([]time.Duration, len(items))
	err := parallel(ctx, len(items), func(ctx context.Context, i int) error {
		it := items[i]
		d, err := b.act(ctx, fmt.Sprintf("/api/v1/items/%d/sign", it.id), b.liaisons[it.dept], "{}")
		lat[i] = d
		return err
	})
	return lat, err
}

// wave is one plan of the big launch and when its reminders fall due.
type wave struct {
	plan *launched
	at   time.Time
}

// reminders waits until every lead's reminder of a plan is in the inbox table and returns
// each one's delay after its due time, and when the last one was written.
func (b *env) reminders(ctx context.Context, planID uint64, n int, due time.Time) ([]time.Duration, time.Time, error) {
	deadline := time.Until(due) + 10*time.Minute
	err := waitUntil(ctx, deadline, func() (bool, error) {
		if time.Now().Before(due) {
			return false, nil
		}
		c, err := b.st.CountPlanEvents(ctx, planID, "reminder")
		return c >= int64(n), err
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("reminders: %w", err)
	}
	// The event and its notification are written in one transaction; wait for the last.
	var ts []time.Time
	err = waitUntil(ctx, time.Minute, func() (bool, error) {
		var err error
		ts, err = b.st.PlanNotificationTimes(ctx, planID, "reminder")
		return len(ts) >= n, err
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("reminders: %d of %d notifications: %w", len(ts), n, err)
	}
	lat := make([]time.Duration, len(ts))
	var last time.Time
	for i, t := range ts {
		lat[i] = max(0, t.Sub(due))
		last = maxTime(last, t)
	}
	return lat, last, nil
}

// APIFigures measures the item list with filters (as a supervisor), an item page and an
// action round trip (a progress report, an Update of the item's workflow) on running items.
func (b *env) measureAPI(ctx context.Context, total int, running []launchedItem, second bool) (APIFigures, error) {
	f := APIFigures{Items: total}
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
