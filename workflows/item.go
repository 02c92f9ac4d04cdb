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

// ItemWorkflow drives one responsibility-list item through its business process:
//
//  1. assign (交办, assign.go): every department gets a signing deadline and is told;
//  2. sign (签收, assign.go): a department that signs gets its deadline in the current cycle;
//  3. report cycles (cycles.go): the lead reports (进展报送) and partners contribute
//     (协办反馈) by each cycle's due date; the supervisor approves, which opens the next
//     cycle, or returns with a new deadline (审核: 通过/退回);
//  4. completion (办结, cycles.go): after the window's last cycle the lead applies, and the
//     supervisor's approval closes the item out (销号).
//
// Beside the process runs the ladder (ladder.go): every deadline a department has brings
// reminders before it and, when missed, the overdue mark and the escalation rungs after
// it. Changes arrive mid-flight (changes.go): extensions, reassignment, instructions,
// suspension, cancellation. People act through validated Updates (setup.go, validate.go);
// timers act in the run loop below; every step's writes go out in one local activity
// (record.go).
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
	if !in.LadderDeclared {
		// Started before rungs declared their consequences: the levels mean what they meant
		// then. Carried into the next run, so this happens once per item.
		in.Policy.Ladder, in.LadderDeclared = domain.LegacyConsequences(in.Policy.Ladder), true
	}
	w := &item{in: in, mu: workflow.NewMutex(ctx), v: versions(ctx)}
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
	v     changes
	dirty bool
	begun bool // the initial assignment is done; Updates wait for it
	// searched holds the search attributes last upserted in this run.
	searched string
	tr       activities.Transition
	last     *domain.Progress // the read model last written
	cycles   int
}

// run assigns the item, then fires the ladder's timers and waits for the next one (or for an
// Update that changed the deadlines) until the item is closed.
func (w *item) run(ctx workflow.Context) (*ItemState, error) {
	ctx = withOptions(ctx)
	if w.in.State == nil {
		if err := w.locked(ctx, w.assignAll); err != nil {
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
			return nil, w.continueAsNew(ctx)
		}
		if err := w.waitForNext(ctx); err != nil {
			return nil, err
		}
	}
	w.closeSubtasks(ctx)
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return nil, err
	}
	return w.st, nil
}

// waitForNext sleeps until the ladder's next time or until an Update changes the state.
// Deadlines that passed while the last step ran (its write retried through a database
// outage) are handled at once. (Until the change "wake-past-due" was folded they waited
// for the next future one, forever when there was none; see versions.go.)
func (w *item) waitForNext(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	wake, late := w.nextWake(now)
	if late {
		return nil
	}
	w.dirty = false
	woken := func() bool { return w.dirty || w.st.Closed }
	if wake.IsZero() {
		w.setDetails(ctx, w.idleReason())
		return workflow.Await(ctx, woken)
	}
	if !w.v.hygiene {
		_, err := workflow.AwaitWithTimeout(ctx, max(wake.Sub(now), time.Millisecond), woken)
		return err
	}
	// A timer of its own, cancelled when an Update wins, so that every timer started
	// either fires when due or is cancelled.
	summary := w.wakeSummary(wake)
	w.setDetails(ctx, summary)
	tctx, cancel := workflow.WithCancel(ctx)
	timer := workflow.NewTimerWithOptions(tctx, max(wake.Sub(now), time.Millisecond), workflow.TimerOptions{Summary: summary})
	err := workflow.Await(ctx, func() bool { return timer.IsReady() || woken() })
	if !timer.IsReady() {
		cancel()
	}
	return err
}

// continueAsNew starts the next run with the state, once every Update has finished.
func (w *item) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	next := w.in
	next.State = w.st
	return workflow.NewContinueAsNewError(ctx, ItemWorkflow, next)
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

func hasLead(ps []Party) bool {
	for _, p := range ps {
		if p.Role == domain.Lead {
			return true
		}
	}
	return false
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
