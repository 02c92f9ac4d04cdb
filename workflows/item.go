package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

// acts is the nil receiver through which activity methods are referenced.
var acts *activities.Activities

// cyclesPerRun bounds history: after this many report cycles the workflow continues as new.
const cyclesPerRun = 12

// ItemWorkflow drives one responsibility-list item: assignment and signing (签收), report
// cycles with reminders, partner contributions, review, extensions, instructions, the
// escalation ladder for every missed deadline, and completion (办结/销号).
func ItemWorkflow(ctx workflow.Context, in ItemInput) (*ItemState, error) {
	if in.ItemID == 0 {
		return nil, temporal.NewNonRetryableApplicationError("item id is required", "invalid", nil)
	}
	if err := in.Policy.Validate(); err != nil {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), "invalid", nil)
	}
	if in.State == nil && !hasLead(in.Parties) {
		return nil, temporal.NewNonRetryableApplicationError("an item needs a lead department", "invalid", nil)
	}
	w := &item{in: in, mu: workflow.NewMutex(ctx)}
	// "features" version 1 turns on every change below at once. Each GetVersion of its own
	// costs a workflow that starts a marker, a TemporalChangeVersion upsert and so a write
	// of its visibility record: six of them were most of a launch's visibility work.
	// Histories recorded before "features" have no marker for it, so they replay the
	// changes one by one as they were recorded.
	if workflow.GetVersion(ctx, "features", workflow.DefaultVersion, 1) >= 1 {
		w.features = true
		w.indicatorLight, w.skipPastReminders, w.localApply, w.searchOnChange = true, true, true, true
	} else {
		w.indicatorLight = workflow.GetVersion(ctx, "indicator-light", workflow.DefaultVersion, 1) >= 1
		w.skipPastReminders = workflow.GetVersion(ctx, "skip-past-reminders", workflow.DefaultVersion, 1) >= 1
		w.localApply = workflow.GetVersion(ctx, "local-apply", workflow.DefaultVersion, 1) >= 1
		w.searchOnChange = workflow.GetVersion(ctx, "search-on-change", workflow.DefaultVersion, 1) >= 1
	}
	if err := w.setup(ctx); err != nil {
		return nil, err
	}
	return w.run(ctx)
}

// item is the workflow's private state and behaviour.
type item struct {
	in    ItemInput
	st    *ItemState
	mu    workflow.Mutex
	dirty bool
	begun bool // the initial assignment is done; Updates wait for it
	// indicatorLight: indicators behind pace turn the light yellow (added in version 1 of
	// the "indicator-light" change; older runs keep the light from deadlines alone).
	indicatorLight bool
	// skipPastReminders: a reminder already due when its deadline is set is not sent (the
	// assignment or return notice says the same); version 1 of "skip-past-reminders".
	skipPastReminders bool
	// localApply: an Update's write (Apply) runs as a local activity inside the workflow
	// task that accepted it, instead of a scheduled activity and a second workflow task;
	// version 1 of "local-apply".
	localApply bool
	// features: the run started with "features" version 1: every change flag here is on, and
	// every write runs as a local activity in the workflow task that produced it, the
	// assignment's and the timer-driven ones (reminders, rungs) too. A reminder is then one
	// workflow task, not a task, a scheduled activity and a second task.
	features bool
	// searchOnChange: search attributes are upserted only when one of them changed, not on
	// every write (each upsert is a history event and a visibility write: a reminder
	// changes none of them). searched holds the last values upserted in this run.
	searchOnChange bool
	searched       string
	tr             activities.Transition
	last           *activities.Snapshot // the read model last written
	cycles         int
}

func hasLead(ps []Party) bool {
	for _, p := range ps {
		if p.Role == domain.Lead {
			return true
		}
	}
	return false
}

// withOptions sets the activity options every step uses (the main loop and Update handlers).
func withOptions(ctx workflow.Context) workflow.Context {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		// A database outage must delay writes, never lose them.
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		// Without it a local activity gives up when StartToClose has passed since its first
		// attempt, and the item's workflow would fail with it.
		ScheduleToCloseTimeout: waitOut,
		// A calendar without data for a year retries hourly until an admin adds the year.
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 4, MaximumInterval: time.Hour},
	})
}

// waitOut bounds a local activity's retries: a database outage or a calendar year not yet
// published is waited out, not turned into a failed item.
const waitOut = 10 * 365 * 24 * time.Hour

func (w *item) run(ctx workflow.Context) (*ItemState, error) {
	ctx = withOptions(ctx)
	if w.in.State == nil {
		if err := w.locked(ctx, w.begin); err != nil {
			return nil, err
		}
		w.begun = true
	}
	for !w.st.Closed {
		if err := w.locked(ctx, w.tick); err != nil {
			return nil, err
		}
		if w.st.Closed {
			break
		}
		if w.cycles >= cyclesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
				return nil, err
			}
			next := w.in
			next.State = w.st
			return nil, workflow.NewContinueAsNewError(ctx, ItemWorkflow, next)
		}
		now := workflow.Now(ctx)
		wake, late := w.nextWake(now)
		// Deadlines that passed while the last step ran (its write retried through a database
		// outage) are handled at once; before version 1 they waited for the next future one,
		// forever when there was none. Asked only when it matters, so older histories replay.
		if late && (w.features || workflow.GetVersion(ctx, "wake-past-due", workflow.DefaultVersion, 1) >= 1) {
			continue
		}
		w.dirty = false
		woken := func() bool { return w.dirty || w.st.Closed }
		var err error
		if wake.IsZero() {
			err = workflow.Await(ctx, woken)
		} else {
			_, err = workflow.AwaitWithTimeout(ctx, max(wake.Sub(now), time.Millisecond), woken)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return nil, err
	}
	return w.st, nil
}

// locked runs fn under the workflow mutex and writes what it produced.
func (w *item) locked(ctx workflow.Context, fn func(workflow.Context) error) error {
	ctx = withOptions(ctx)
	if err := w.mu.Lock(ctx); err != nil {
		return err
	}
	defer w.mu.Unlock()
	if err := fn(ctx); err != nil {
		return err
	}
	return w.flush(ctx)
}

// begin assigns the item: each department gets a signing deadline, and the first report
// cycle is computed.
func (w *item) begin(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	for _, a := range w.st.Assignments {
		if err := w.assign(ctx, a, now); err != nil {
			return err
		}
	}
	start := now
	if w.in.Start.After(now) {
		start = w.in.Start
	}
	return w.startCycle(ctx, start)
}

// assign gives a department its signing deadline and tells its liaisons.
func (w *item) assign(ctx workflow.Context, a *Assignment, now time.Time) error {
	due, err := w.shift(ctx, now, w.in.Policy.SignWithin, false)
	if err != nil {
		return err
	}
	if err := w.setDeadline(ctx, a, "sign", due); err != nil {
		return err
	}
	w.event(domain.EventAssigned, a.DepartmentID, 0, activities.Actor{}, map[string]any{"role": a.Role, "sign_due": due})
	w.notice("assigned", a.DepartmentID, 0, []string{domain.NotifyLiaison},
		"【交办】"+w.st.Title, "请在 "+fmtDue(due)+" 前签收。")
	return nil
}

// startCycle opens the next report cycle after `after` and sets every signed department's
// deadline for it.
func (w *item) startCycle(ctx workflow.Context, after time.Time) error {
	var cd activities.CycleDue
	req := activities.CycleRequest{Cadence: w.in.Policy.Cadence, After: after, End: w.in.End}
	if err := workflow.ExecuteLocalActivity(ctx, acts.NextCycle, req).Get(ctx, &cd); err != nil {
		return err
	}
	w.st.Cycle++
	w.cycles++
	w.st.CycleDue, w.st.FinalCycle, w.st.Returns = cd.Due, cd.Final, 0
	for _, a := range w.st.Assignments {
		if a.Signed && !a.Removed {
			if err := w.cycleDeadline(ctx, a, cycleKey(w.st.Cycle)); err != nil {
				return err
			}
		}
	}
	return nil
}

// cycleDeadline sets a department's deadline in the current cycle: the lead reports at the
// cycle due date, partners contribute partner_lead earlier.
func (w *item) cycleDeadline(ctx workflow.Context, a *Assignment, key string) error {
	due := w.st.CycleDue
	if a.Role == domain.Partner && !w.in.Policy.PartnerLead.IsZero() {
		d, err := w.shift(ctx, due, w.in.Policy.PartnerLead, true)
		if err != nil {
			return err
		}
		if d.After(workflow.Now(ctx)) {
			due = d
		}
	}
	return w.setDeadline(ctx, a, key, due)
}

// setDeadline replaces a department's deadline and its reminders and ladder times.
func (w *item) setDeadline(ctx workflow.Context, a *Assignment, key string, due time.Time) error {
	sch, err := w.schedule(ctx, due)
	if err != nil {
		return err
	}
	a.DeadlineKey, a.Due, a.Satisfied = key, due, false
	a.Reminders, a.RemindSent = sch.Reminders, make([]bool, len(sch.Reminders))
	if w.skipPastReminders {
		now := workflow.Now(ctx)
		for i, rt := range a.Reminders {
			a.RemindSent[i] = !rt.After(now)
		}
	}
	a.Rungs, a.Level, a.OverdueMarked, a.Provisional = sch.Rungs, 0, false, sch.Provisional
	return nil
}

// schedule computes the reminder and ladder times of a deadline under the item's policy.
func (w *item) schedule(ctx workflow.Context, due time.Time) (activities.Schedule, error) {
	var ladder []domain.Span
	for _, r := range w.in.Policy.Ladder {
		ladder = append(ladder, r.After)
	}
	var sch activities.Schedule
	req := activities.ScheduleRequest{Due: due, RemindBefore: w.in.Policy.RemindBefore, Ladder: ladder}
	err := workflow.ExecuteLocalActivity(ctx, acts.PlanSchedule, req).Get(ctx, &sch)
	return sch, err
}

// recheck computes a provisional schedule again before one of its times is acted on: if
// the year's holiday notice has been added since, reminders and rungs move to the working
// days it gives (later ones wait for their new time). The due date itself stands as it
// was told to the department. A schedule is only ever provisional when the calendar said
// so in a recorded result, so histories from before this rule never take this path.
func (w *item) recheck(ctx workflow.Context, a *Assignment, now time.Time) error {
	if !a.Provisional || !w.firing(a, now) {
		return nil
	}
	sch, err := w.schedule(ctx, a.Due)
	if err != nil {
		return err
	}
	if len(sch.Reminders) == len(a.Reminders) && len(sch.Rungs) == len(a.Rungs) {
		a.Reminders, a.Rungs = sch.Reminders, sch.Rungs
	}
	a.Provisional = sch.Provisional
	return nil
}

// firing reports whether tick would act on one of a's reminders or rungs at now.
func (w *item) firing(a *Assignment, now time.Time) bool {
	for i, rt := range a.Reminders {
		if !a.RemindSent[i] && !now.Before(rt) {
			return true
		}
	}
	return a.Level < len(a.Rungs) && !now.Before(a.Rungs[a.Level])
}

// shift computes a policy duration on the working-day calendar, in an activity so that the
// result is recorded in history.
func (w *item) shift(ctx workflow.Context, from time.Time, sp domain.Span, back bool) (time.Time, error) {
	var t time.Time
	err := workflow.ExecuteLocalActivity(ctx, acts.Shift, activities.ShiftRequest{From: from, Span: sp, Back: back}).Get(ctx, &t)
	if back && err == nil && sp.Workdays > 0 {
		// A partner's deadline is the end of that working day, not its morning.
		err = workflow.ExecuteLocalActivity(ctx, acts.AlignDue, t).Get(ctx, &t)
	}
	return t, err
}

func (w *item) lead() *Assignment {
	for _, a := range w.st.Assignments {
		if a.Role == domain.Lead && !a.Removed {
			return a
		}
	}
	return nil
}

func (w *item) assignment(dept uint64) *Assignment {
	for _, a := range w.st.Assignments {
		if a.DepartmentID == dept && !a.Removed {
			return a
		}
	}
	return nil
}
