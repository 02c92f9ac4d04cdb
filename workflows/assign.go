package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/domain"
)

// Phase 1 and 2: assignment (交办) and signing (签收).

// assignAll assigns the item: each department gets a signing deadline, and the first report
// cycle is computed (departments get their cycle deadline when they sign).
func (w *item) assignAll(ctx workflow.Context) error {
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
	w.record(domain.Assigned{Role: a.Role, SignDue: due}, a.DepartmentID, 0, noActor)
	w.notice(domain.NoticeAssigned, a.DepartmentID, []string{domain.NotifyLiaison},
		"【交办】"+w.st.Title, "请在 "+fmtDue(due)+" 前签收。")
	return nil
}

// sign is 签收 by a department: the signature is recorded (late or not) and the department
// gets its deadline in the current cycle.
func (w *item) sign(ctx workflow.Context, in SignInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		a := w.assignment(in.DepartmentID)
		if a == nil || a.Signed {
			return nil // raced with a reassignment or a duplicate: nothing to do
		}
		now := workflow.Now(ctx)
		a.Signed, a.SignedAt, a.SignedBy = true, now, in.Actor.UserID
		w.record(domain.Signed{Late: !now.Before(a.Due)}, a.DepartmentID, 0, in.Actor)
		return w.cycleDeadline(ctx, a, cycleKey(w.st.Cycle))
	})
}
