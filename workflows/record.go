package workflows

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// The write side of a step: audit events and notices are queued while the step runs, then
// flush derives where the item stands and writes everything in one local activity.

// noActor is the system itself: timers, not people, caused the change.
var noActor domain.Actor

// record queues an audit event for the next flush, with its typed payload, keyed by its
// place in the item's events.
func (w *item) record(e domain.Event, dept uint64, level domain.Level, actor domain.Actor) {
	w.st.Seq++
	w.queue(fmt.Sprintf("item%d:e%d", w.st.ItemID, w.st.Seq), e, dept, level, actor)
}

// recordDeadline queues an event that a deadline's time causes (a reminder, the overdue
// mark, a rung) under a key that names it (deadlineKey), not its place in the sequence.
// The workflow task that computes it writes it (Apply runs as a local activity) and may
// then fail to complete (its Temporal node killed, the database down); the task runs again
// later, when more may be due, and numbers the events differently: under sequence keys one
// department's 督办通知 was dropped as a duplicate of another's 催办 written by the first
// attempt (601 L1 and 599 L2 events for 600 ladders in the cluster tests). The sequence
// still advances, so the keys of all other events stay as they were.
func (w *item) recordDeadline(key string, e domain.Event, dept uint64, level domain.Level) {
	w.st.Seq++
	w.queue(key, e, dept, level, noActor)
}

// deadlineKey names what happens to a's current deadline: "remind0", "overdue", "L2"….
func (w *item) deadlineKey(a *Assignment, what string) string {
	return fmt.Sprintf("item%d:dept%d:%s:%s", w.st.ItemID, a.DepartmentID, a.DeadlineKey, what)
}

func (w *item) queue(key string, e domain.Event, dept uint64, level domain.Level, actor domain.Actor) {
	payload, err := domain.EncodeEvent(e)
	if err != nil {
		// Every event type is a plain struct: this is a programming error, and the workflow
		// task fails (and is retried on a fixed worker) rather than write a wrong record.
		panic(err)
	}
	rec := activities.EventRecord{Key: key, Type: e.EventType(), Level: level, DepartmentID: dept, Actor: actor, Payload: payload}
	if l, ok := e.(domain.Lateness); ok {
		late := l.IsLate()
		rec.Late = &late
	}
	w.tr.Events = append(w.tr.Events, rec)
}

// notice queues a notification keyed to the event just queued and returns it, for an
// escalation to add its rung.
func (w *item) notice(kind domain.NoticeKind, dept uint64, audience []string, title, body string) *activities.Notice {
	key := fmt.Sprintf("item%d:e%d", w.st.ItemID, w.st.Seq)
	if n := len(w.tr.Events); n > 0 {
		key = w.tr.Events[n-1].Key
	}
	w.tr.Notices = append(w.tr.Notices, activities.Notice{
		Key: key, Kind: kind, DepartmentID: dept, Audience: audience, Title: title, Body: body,
	})
	return &w.tr.Notices[len(w.tr.Notices)-1]
}

// flush recomputes the derived state, upserts search attributes and writes the queued
// transition in one activity.
func (w *item) flush(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	w.derive(ctx, now)
	for i := range w.tr.Events {
		w.tr.Events[i].At = now
	}
	tr := w.tr
	w.tr = activities.Transition{}
	tr.ItemID, tr.PlanID = w.st.ItemID, w.st.PlanID
	p := w.progress()
	if len(tr.Events) == 0 && len(tr.Notices) == 0 && w.last != nil && reflect.DeepEqual(*w.last, *p) {
		return nil // nothing changed: no write, no history event
	}
	tr.Snapshot, w.last = p, p
	if err := w.upsertSearch(ctx); err != nil {
		return err
	}
	if w.v.features || (w.v.localApply && ctx.Value(fromUpdate{}) != nil) {
		opts := applyOptions
		opts.Summary = tr.Summary(w.st.Status)
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, opts), acts.Apply, tr).Get(ctx, nil)
	}
	return workflow.ExecuteActivity(ctx, acts.Apply, tr).Get(ctx, nil)
}

// upsertSearch sets the search attributes operators query by (status, level, next due,
// lead; with "features" 2 also every department and why the item waits), only when one of
// them changed (each upsert is a history event and a visibility write; a reminder changes
// none of them). Older runs keep the trigger they were recorded with: what changes
// decides whether an upsert command is issued.
func (w *item) upsertSearch(ctx workflow.Context) error {
	level, next := int64(w.st.Level), w.st.NextDue
	var lead uint64
	if l := w.lead(); l != nil {
		lead = l.DepartmentID
	}
	key := fmt.Sprintf("%s|%d|%d|%d", w.st.Status, w.st.Level, w.st.NextDue.UnixNano(), lead)
	var depts []string
	waiting := ""
	if w.v.hygiene {
		if w.st.Closed || w.st.Suspended {
			level, next = 0, time.Time{}
		}
		for _, a := range w.st.Assignments {
			if !a.Removed {
				depts = append(depts, DepartmentKey(a.DepartmentID))
			}
		}
		slices.Sort(depts)
		if wake, _ := w.nextWake(workflow.Now(ctx)); wake.IsZero() && !w.st.Closed {
			waiting = w.idleCode()
		}
		key += "|" + strings.Join(depts, ",") + "|" + waiting
	}
	if w.v.searchOnChange && key == w.searched {
		return nil
	}
	sas := []temporal.SearchAttributeUpdate{SAStatus.ValueSet(string(w.st.Status)), SAEscalationLevel.ValueSet(level)}
	if next.IsZero() {
		sas = append(sas, SANextDue.ValueUnset())
	} else {
		sas = append(sas, SANextDue.ValueSet(next.UTC()))
	}
	if lead != 0 {
		sas = append(sas, SALeadDept.ValueSet(int64(lead)))
	}
	if w.v.hygiene {
		sas = append(sas, SADepartments.ValueSet(depts))
		if waiting == "" {
			sas = append(sas, SAWaiting.ValueUnset())
		} else {
			sas = append(sas, SAWaiting.ValueSet(waiting))
		}
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, sas...); err != nil {
		return err
	}
	w.searched = key
	return nil
}

// applyOptions run Apply as a local activity: the workflow task that produced the writes
// makes them (and completes an Update), where a scheduled activity costs three more round
// trips through the history store and a second workflow task. Apply is idempotent (every
// row has its dedupe key), so a worker that dies mid-write and the task that runs again
// write nothing twice; an outage is retried, never given up on. (Timer-driven writes were
// scheduled activities until "features": as local ones they once stretched a burst's
// tail fourfold, when SQLite writers slept in its busy handler; with one writer they halve
// the work of a reminder.)
var applyOptions = workflow.LocalActivityOptions{
	StartToCloseTimeout:    30 * time.Second,
	ScheduleToCloseTimeout: waitOut,
	RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
}

// derive computes status, traffic light, escalation level and next due from the state.
// Indicators behind pace turn a green light yellow; one at risk turns it red.
func (w *item) derive(ctx workflow.Context, now time.Time) {
	st := w.st
	st.Light, st.Level, st.NextDue = domain.Green, 0, time.Time{}
	for _, a := range st.Assignments {
		if a.Removed {
			continue
		}
		st.Level = max(st.Level, a.Level)
		if a.Satisfied || a.Due.IsZero() {
			continue
		}
		if st.NextDue.IsZero() || a.Due.Before(st.NextDue) {
			st.NextDue = a.Due
		}
		switch {
		case !now.Before(a.Due):
			st.Light = domain.Red
		case st.Light == domain.Green && len(a.Reminders) > 0 && !now.Before(minTime(a.Reminders)):
			st.Light = domain.Yellow
		}
	}
	st.Behind = nil
	if w.v.indicatorLight && !st.Closed {
		var light domain.Light
		st.Behind, light = w.indicatorSignals(now)
		if light == domain.Red || (light == domain.Yellow && st.Light == domain.Green) {
			st.Light = light
		}
	}
	switch {
	case st.Closed:
		st.NextDue = time.Time{}
		if st.Light != domain.Red {
			st.Light = domain.Green
		}
	case st.Suspended:
		st.Status = domain.StatusSuspended
	case w.leadPending():
		st.Status = domain.StatusReview
	case w.lead() == nil || !w.lead().Signed:
		st.Status = domain.StatusAssigned
	default:
		st.Status = domain.StatusActive
	}
}

func (w *item) leadPending() bool {
	for _, p := range w.st.Pending {
		if p.Kind != domain.KindContribution {
			return true
		}
	}
	return false
}

// progress converts the workflow's state to what the read model keeps (domain.Progress).
func (w *item) progress() *domain.Progress {
	p := &domain.Progress{Status: w.st.Status, Light: w.st.Light, Level: domain.Level(w.st.Level), NextDue: w.st.NextDue}
	for _, a := range w.st.Assignments {
		status := domain.AssignmentAssigned
		switch {
		case a.Removed:
			status = domain.AssignmentRemoved
		case a.Signed:
			status = domain.AssignmentSigned
		}
		due := a.Due
		if a.Satisfied || a.Removed {
			due = time.Time{}
		}
		p.Assignments = append(p.Assignments, domain.Assignment{
			DepartmentID: a.DepartmentID, Role: a.Role, Status: status,
			SignedAt: a.SignedAt, SignedBy: a.SignedBy, NextDue: due,
			Level: domain.Level(a.Level), Overdue: a.OverdueMarked && !a.Satisfied && !a.Removed,
		})
	}
	return p
}

func minTime(ts []time.Time) time.Time {
	m := ts[0]
	for _, t := range ts[1:] {
		if t.Before(m) {
			m = t
		}
	}
	return m
}

// fmtDue renders a deadline for messages, in Beijing time.
func fmtDue(t time.Time) string { return t.In(calendar.Shanghai).Format("2006-01-02 15:04") }
