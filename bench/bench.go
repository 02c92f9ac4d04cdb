// Package bench measures Duban on one machine: it starts the store, the worker and the HTTP
// API in this process, on the embedded Temporal server or on an external one, launches
// plans through the API and drives them over real HTTP, and reports launch throughput
// against raw Temporal on the same server, reminder lateness, API latencies and memory.
// `duban bench` runs it; docs/benchmarks.md says how each figure is measured.
package bench

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Options configure one run.
type Options struct {
	// Items are launched in one import and fall due in the same minute (at least 10).
	Items int
	// APIItems is the second scale the API is measured at (filled without workflows).
	APIItems int
	// DSN, mysql://user:pass@host:port/, runs the store on a fresh database created on that
	// server (dropped after unless Keep); empty: SQLite in a temporary directory.
	DSN string
	// Temporal, host:port, runs on that Temporal cluster in a fresh namespace of its own
	// (duban-bench-<time>, with Duban's search attributes); empty: the embedded server.
	Temporal string
	// ReminderMargin is the time from the import to the reminders; 0 estimates it from the
	// 1,000-item run.
	ReminderMargin time.Duration
	// Spread is the window the reminders fall due in: 0 puts all of them in the same
	// second; a minute spreads them evenly over up to 60 plans.
	Spread time.Duration
	// Keep keeps the temporary directory and the MySQL database.
	Keep bool
	// Progress reports each step (nil: quiet).
	Progress func(format string, args ...any)
}

// UsageError is a bad option: the command exits 2 with it.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *UsageError) Unwrap() error { return e.Err }

// Run measures everything in one pass and returns the figures.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Items < 10 || o.APIItems < 0 {
		return nil, &UsageError{errors.New("--items must be at least 10 and --api-items not negative")}
	}
	if o.Spread < 0 || o.Spread > time.Hour {
		return nil, &UsageError{errors.New("--spread must be between 0 and 1h")}
	}
	if o.Progress == nil {
		o.Progress = func(string, ...any) {}
	}
	b, cleanup, err := newEnv(ctx, o)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	rep, err := b.run(ctx, o.Items, o.APIItems, o.ReminderMargin, o.Spread)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return rep, nil
}
