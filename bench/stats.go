package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

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

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// sleepUntil waits until t or until ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error {
	select {
	case <-time.After(time.Until(t)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cpuTime is the CPU time (user and system) this process has used so far: the store, the
// worker, the API and, with the embedded server, Temporal.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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

func Print(w io.Writer, r *Report) {
	fmt.Fprintf(w, "Duban bench: %d items on %s, Temporal %s, %d cores, %.0f s\n\n", r.Items, r.Database, r.Temporal, r.Cores, r.DurationS)
	fmt.Fprintf(w, "  baseline (one-timer workflow)   %8.1f workflows/s\n", r.BaselineWfPerS)
	if r.Launch1kItemsPerS > 0 {
		fmt.Fprintf(w, "  launch 1,000 items              %8.1f items/s\n", r.Launch1kItemsPerS)
	}
	fmt.Fprintf(w, "  launch %-6d items              %8.1f items/s  (%.2f of baseline; import answered in %.1f s)\n", r.Items, r.LaunchItemsPerS, r.LaunchRatio, r.ImportResponseS)
	fmt.Fprintf(w, "  sign (Update) under launch load p50 %.1f ms  p99 %.1f ms\n", r.SignP50Ms, r.SignP99Ms)
	when := "due at once"
	if r.ReminderSpreadS > 0 {
		when = fmt.Sprintf("due over %.0f s", r.ReminderSpreadS)
	}
	fmt.Fprintf(w, "  reminders, %d %s  lateness p50 %.0f ms  p99 %.0f ms  max %.0f ms\n", r.Reminders, when, r.ReminderP50Ms, r.ReminderP99Ms, r.ReminderMaxMs)
	fmt.Fprintf(w, "  reminders drained in %.1f s from the first due (%.1f a second), %.1f CPU-s\n", r.ReminderDrainS, r.RemindersPerS, r.ReminderCPUS)
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
	fmt.Fprintf(w, "  CPU %.1f s over the run\n", r.CPUS)
	fmt.Fprintf(w, "  peak RSS %.0f MiB   database %.1f MiB per 10,000 items   Temporal's SQLite %.1f MiB\n",
		r.PeakRSSMB, float64(r.DBBytesPer10k)/(1<<20), float64(r.TemporalDBBytes)/(1<<20))
}
