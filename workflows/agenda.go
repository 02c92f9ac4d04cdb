package workflows

import (
	"fmt"
	"reflect"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// tick fires everything that is due at now: reminders before a deadline, the overdue mark
// at the deadline, and the ladder rungs after it, one level at a time and each at most
// once per deadline.
func (w *item) tick(ctx workflow.Context) error {
	if w.st.Suspended || w.st.Closed {
		return nil
	}
	now := workflow.Now(ctx)
	for _, a := range w.st.Assignments {
		if a.Removed || a.Satisfied || a.Due.IsZero() {
			continue
		}
		if err := w.recheck(ctx, a, now); err != nil {
			return err
		}
		for i, rt := range a.Reminders {
			if a.RemindSent[i] || now.Before(rt) {
				continue
			}
			a.RemindSent[i] = true
			if !now.Before(a.Due) {
				continue // a reminder that is already late would only confuse
			}
			w.deadlineEvent(w.deadlineKey(a, "remind"+strconv.Itoa(i)), domain.EventReminder, a.DepartmentID, 0,
				map[string]any{"due": a.Due, "deadline": a.DeadlineKey})
			w.notice("reminder", a.DepartmentID, 0, []string{domain.NotifyLiaison},
				"【提醒】"+w.st.Title, w.obligation(a)+"将于 "+fmtDue(a.Due)+" 到期。")
		}
		if !now.Before(a.Due) && !a.OverdueMarked {
			a.OverdueMarked = true
			w.deadlineEvent(w.deadlineKey(a, "overdue"), domain.EventOverdue, a.DepartmentID, 0, map[string]any{"due": a.Due, "deadline": a.DeadlineKey})
		}
		for a.Level < len(a.Rungs) && !now.Before(a.Rungs[a.Level]) {
			rung := w.in.Policy.Ladder[a.Level]
			a.Level = rung.Level
			w.escalate(a, rung, now)
		}
	}
	return nil
}

// escalate records one ladder rung for one department's missed deadline.
func (w *item) escalate(a *Assignment, rung domain.Rung, now time.Time) {
	key := w.deadlineKey(a, "L"+strconv.Itoa(rung.Level))
	reason := fmt.Sprintf("%s逾期未完成(期限 %s)", w.obligation(a), fmtDue(a.Due))
	w.tr.Escalations = append(w.tr.Escalations, activities.EscalationRecord{
		Key: key, DepartmentID: a.DepartmentID, Level: rung.Level, Name: rung.Name,
		Reason: reason, DueAt: a.Due, At: now,
	})
	w.deadlineEvent(key, domain.EventEscalated, a.DepartmentID, rung.Level,
		map[string]any{"name": rung.Name, "due": a.Due, "deadline": a.DeadlineKey})
	w.notice("escalation", a.DepartmentID, rung.Level, rung.Notify,
		fmt.Sprintf("【%s】%s", rung.Name, w.st.Title), reason)
}

// obligation names what a department owes, for messages.
func (w *item) obligation(a *Assignment) string {
	switch {
	case !a.Signed:
		return "签收"
	case a.Role == domain.Partner:
		return "协办反馈"
	default:
		return "进展报送"
	}
}

// nextWake is the earliest future time at which tick has something to do; late reports a
// time already past that tick has not handled (it passed while the last step ran).
func (w *item) nextWake(now time.Time) (next time.Time, late bool) {
	if w.st.Suspended || w.st.Closed {
		return time.Time{}, false
	}
	consider := func(t time.Time) {
		if !t.After(now) {
			late = true
		} else if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, a := range w.st.Assignments {
		if a.Removed || a.Satisfied || a.Due.IsZero() {
			continue
		}
		for i, rt := range a.Reminders {
			if !a.RemindSent[i] {
				consider(rt)
			}
		}
		if !a.OverdueMarked {
			consider(a.Due)
		}
		if a.Level < len(a.Rungs) {
			consider(a.Rungs[a.Level])
		}
	}
	return next, late
}

// event queues an audit event for the next flush, keyed by its place in the item's events.
func (w *item) event(t domain.EventType, dept uint64, level int, actor activities.Actor, payload map[string]any) {
	w.st.Seq++
	w.queueEvent(fmt.Sprintf("item%d:e%d", w.st.ItemID, w.st.Seq), t, dept, level, actor, payload)
}

// deadlineEvent queues an event that a deadline's time causes (a reminder, the overdue
// mark, a rung) under a key that names it, not its place in the sequence. The workflow
// task that computes it writes it (Apply runs as a local activity) and may then fail to
// complete (its node killed, the database down); the task runs again later, when more may
// be due, and numbers the events differently: under sequence keys one department's L2 was
// dropped as a duplicate of another's L1 written by the first attempt (seen in the cluster
// tests). The sequence still advances, so that the keys of other events stay as they were.
func (w *item) deadlineEvent(key string, t domain.EventType, dept uint64, level int, payload map[string]any) {
	w.st.Seq++
	w.queueEvent(key, t, dept, level, activities.Actor{}, payload)
}

// deadlineKey names what happens to a's current deadline: "remind0", "overdue", "L2"….
func (w *item) deadlineKey(a *Assignment, what string) string {
	return fmt.Sprintf("item%d:dept%d:%s:%s", w.st.ItemID, a.DepartmentID, a.DeadlineKey, what)
}

func (w *item) queueEvent(key string, t domain.EventType, dept uint64, level int, actor activities.Actor, payload map[string]any) {
	w.tr.Events = append(w.tr.Events, activities.EventRecord{
		Key: key, Type: string(t), Level: level, DepartmentID: dept, Actor: actor, Payload: payload, At: time.Time{},
	})
}

// notice queues a notification keyed to the event just queued.
func (w *item) notice(kind string, dept uint64, level int, audience []string, title, body string) {
	key := fmt.Sprintf("item%d:e%d", w.st.ItemID, w.st.Seq)
	if n := len(w.tr.Events); n > 0 {
		key = w.tr.Events[n-1].Key
	}
	w.tr.Notices = append(w.tr.Notices, activities.Notice{
		Key: key, Kind: kind, Level: level,
		DepartmentID: dept, Audience: audience, Title: title, Body: body,
	})
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
	snap := w.snapshot()
	if len(tr.Events) == 0 && len(tr.Notices) == 0 && w.last != nil && reflect.DeepEqual(*w.last, *snap) {
		return nil // nothing changed: no write, no history event
	}
	tr.Snapshot, w.last = snap, snap
	sas := []temporal.SearchAttributeUpdate{
		SAStatus.ValueSet(string(w.st.Status)),
		SAEscalationLevel.ValueSet(int64(w.st.Level)),
	}
	if w.st.NextDue.IsZero() {
		sas = append(sas, SANextDue.ValueUnset())
	} else {
		sas = append(sas, SANextDue.ValueSet(w.st.NextDue))
	}
	var lead uint64
	if l := w.lead(); l != nil {
		lead = l.DepartmentID
		sas = append(sas, SALeadDept.ValueSet(int64(l.DepartmentID)))
	}
	key := fmt.Sprintf("%s|%d|%d|%d", w.st.Status, w.st.Level, w.st.NextDue.UnixNano(), lead)
	if !w.searchOnChange || key != w.searched {
		if err := workflow.UpsertTypedSearchAttributes(ctx, sas...); err != nil {
			return err
		}
		w.searched = key
	}
	if w.features || (w.localApply && ctx.Value(fromUpdate{}) != nil) {
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, applyOptions), acts.Apply, tr).Get(ctx, nil)
	}
	return workflow.ExecuteActivity(ctx, acts.Apply, tr).Get(ctx, nil)
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
	if w.indicatorLight && !st.Closed {
		var light domain.Light
		st.Behind, light = w.indicatorSignals(ctx, now)
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

func (w *item) snapshot() *activities.Snapshot {
	s := &activities.Snapshot{Status: string(w.st.Status), Light: string(w.st.Light), EscalationLevel: w.st.Level, NextDue: w.st.NextDue}
	for _, a := range w.st.Assignments {
		status := "assigned"
		switch {
		case a.Removed:
			status = "removed"
		case a.Signed:
			status = "signed"
		}
		due := a.Due
		if a.Satisfied || a.Removed {
			due = time.Time{}
		}
		s.Assignments = append(s.Assignments, activities.AssignmentSnapshot{
			DepartmentID: a.DepartmentID, Role: string(a.Role), Status: status,
			SignedAt: a.SignedAt, SignedBy: a.SignedBy, NextDue: due,
			EscalationLevel: a.Level, Overdue: a.OverdueMarked && !a.Satisfied && !a.Removed,
		})
	}
	return s
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

func cycleKey(n int) string { return fmt.Sprintf("c%d", n) }

// fmtDue renders a deadline for messages, in Beijing time.
func fmtDue(t time.Time) string { return t.In(calendar.Shanghai).Format("2006-01-02 15:04") }

// behindPace lists the ">=" indicators whose latest reported value is below the pro-rata
// expectation (序时进度): target × elapsed share of the window up to the indicator's deadline.
// It is the rule of version 1 of "indicator-light"; indicatorSignals adds the later ones.
func (w *item) behindPace(now time.Time) []string {
	var out []string
	for _, ind := range w.in.Indicators {
		if ind.Comparator != ">=" || ind.Target <= 0 {
			continue
		}
		if s := w.track(ind, now); s.Behind {
			out = append(out, ind.Name)
		}
	}
	return out
}
