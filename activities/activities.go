// Package activities does all of Duban's I/O on behalf of workflows: it writes events and
// the read model, stores submissions, creates notifications (with dedupe keys so a retried
// activity never notifies twice) and computes deadlines on the working-day calendar (so
// they are recorded in history and never recomputed on replay).
package activities

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/dubanhq/duban/assess"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/metrics"
	"github.com/dubanhq/duban/store"
)

// Activities carries the dependencies of every activity. Workflows call its methods through
// a nil *Activities so the compiler checks the names.
type Activities struct {
	Store    *store.Store
	Calendar *calendar.Calendar
	Logger   *slog.Logger
	// Notify delivers notifications beyond the in-app inbox (email, chat robots, webhooks,
	// SMS). The inbox row is always written; without Notify nothing else is sent.
	Notify *delivery.Notifier
	// Metrics, when set, counts events written and activity failures.
	Metrics *metrics.Metrics
	// Assess runs scheduled assessments and gives circulars their number prefix.
	Assess *assess.Service
	// Wake signals the notification dispatcher that deliveries were queued; it must not
	// block. worker.New sets it.
	Wake func()

	calMu       sync.Mutex
	calLoadedAt time.Time
}

// calendarRefresh is how stale the admin's calendar additions may get in a worker that did
// not make them (they are saved in the database by the API).
const calendarRefresh = time.Minute

// refreshCalendar reloads stored calendar entries when they are stale, or at once after a
// missing-year error, so a year an admin adds reaches every worker without a restart.
func (a *Activities) refreshCalendar(ctx context.Context, force bool) {
	if a.Store == nil {
		return
	}
	a.calMu.Lock()
	defer a.calMu.Unlock()
	if !force && time.Since(a.calLoadedAt) < calendarRefresh {
		return
	}
	if err := ApplyStoredCalendar(ctx, a.Store, a.Calendar); err != nil && a.Logger != nil {
		a.Logger.Warn("calendar reload failed", "err", err)
		return
	}
	a.calLoadedAt = time.Now()
}

// withCalendar runs fn on a fresh calendar, retrying once after a reload when a year is
// missing.
func (a *Activities) withCalendar(ctx context.Context, fn func() error) error {
	a.refreshCalendar(ctx, false)
	err := fn()
	var nd calendar.ErrNoData
	if errors.As(err, &nd) {
		a.refreshCalendar(ctx, true)
		err = fn()
	}
	return err
}

// observe counts what a successful transition wrote, or a failed attempt.
func (a *Activities) observe(activity string, t *Transition, err error) {
	if a.Metrics == nil {
		return
	}
	if err != nil {
		a.Metrics.ActivityErrors.WithLabelValues(activity).Inc()
		return
	}
	if t == nil {
		return
	}
	for _, e := range t.Events {
		a.Metrics.Events.WithLabelValues(string(e.Type)).Inc()
	}
	for _, x := range t.Escalations {
		a.Metrics.Escalations.WithLabelValues(strconv.Itoa(int(x.Level))).Inc()
	}
}
