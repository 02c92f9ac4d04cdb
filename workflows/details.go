package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/calendar"
)

// What an operator reads about a running item (`temporal workflow describe`, `metadata`,
// `show`): the summary of the timer it waits on, the current details when it waits on
// nothing, and the reason in DubanWaiting.

// Reasons an item waits with no timer (DubanWaiting).
const (
	waitTopRung   = "top_rung"  // every rung fired; the department still owes
	waitReview    = "review"    // a submission waits for a supervisor
	waitSuspended = "suspended" // 暂停
	waitOther     = "other"     // nothing is owed and nothing is due (e.g. no lead yet)
)

// idleCode says why the item has no next time.
func (w *item) idleCode() string {
	switch {
	case w.st.Suspended:
		return waitSuspended
	case w.topRung() != nil:
		return waitTopRung
	case len(w.st.Pending) > 0:
		return waitReview
	}
	return waitOther
}

// topRung is a department whose deadline has climbed every rung and is still owed.
func (w *item) topRung() *Assignment {
	for _, a := range w.st.Assignments {
		if !a.Removed && !a.Satisfied && !a.Due.IsZero() && len(a.Rungs) > 0 && a.Level >= len(a.Rungs) {
			return a
		}
	}
	return nil
}

// idleReason is the current details of an item waiting with no timer.
func (w *item) idleReason() string {
	switch w.idleCode() {
	case waitSuspended:
		return "暂停中，等待恢复 / suspended, waiting to be resumed"
	case waitTopRung:
		a := w.topRung()
		rung := w.in.Policy.Ladder[len(w.in.Policy.Ladder)-1].Name
		return fmt.Sprintf("已至最高一级「%s」，等待%s%s（期限 %s） / at the ladder's last rung, waiting for department %d",
			rung, w.name(a.DepartmentID), w.obligation(a), fmtDue(a.Due), a.DepartmentID)
	case waitReview:
		p := w.st.Pending[0]
		return fmt.Sprintf("等待督办员审核 %s 的报送 #%d / waiting for a supervisor to review submission %d",
			w.name(p.DepartmentID), p.SubmissionID, p.SubmissionID)
	}
	return "无待办期限 / nothing is due"
}

// wakeSummary names what happens at wake: which reminder, which rung, for whom, which cycle.
func (w *item) wakeSummary(wake time.Time) string {
	for _, a := range w.st.Assignments {
		if a.Removed || a.Satisfied || a.Due.IsZero() {
			continue
		}
		what := ""
		for i, rt := range a.Reminders {
			if !a.RemindSent[i] && rt.Equal(wake) {
				what = "提醒"
			}
		}
		switch {
		case what != "":
		case !a.OverdueMarked && a.Due.Equal(wake):
			what = "到期"
		case a.Level < len(a.Rungs) && a.Rungs[a.Level].Equal(wake):
			what = w.in.Policy.Ladder[a.Level].Name
		default:
			continue
		}
		return fmt.Sprintf("%s · %s%s · %s 期限 %s", what, w.name(a.DepartmentID), w.obligation(a), a.DeadlineKey, fmtDue(a.Due))
	}
	return "下一个期限 " + fmtDue(wake)
}

// setDetails sets the workflow's current details (the metadata query) when they changed.
func (w *item) setDetails(ctx workflow.Context, s string) {
	if !w.v.hygiene {
		return
	}
	if workflow.GetCurrentDetails(ctx) != s {
		workflow.SetCurrentDetails(ctx, s)
	}
}

// name is a department's name as launched (or its id, for runs that did not carry names).
func (w *item) name(dept uint64) string {
	if n := w.st.Names[dept]; n != "" {
		return n
	}
	return fmt.Sprintf("单位#%d", dept)
}

// view is the state as the query answers it: a copy with every time in Asia/Shanghai (the
// search attributes are UTC).
func (st *ItemState) view() *ItemState {
	v := *st
	loc := calendar.Shanghai
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	v.CycleDue, v.SuspendedAt, v.NextDue = in(st.CycleDue), in(st.SuspendedAt), in(st.NextDue)
	v.Assignments = make([]*Assignment, len(st.Assignments))
	for i, a := range st.Assignments {
		c := *a
		c.SignedAt, c.Due = in(a.SignedAt), in(a.Due)
		c.Reminders, c.Rungs = make([]time.Time, len(a.Reminders)), make([]time.Time, len(a.Rungs))
		for j, t := range a.Reminders {
			c.Reminders[j] = in(t)
		}
		for j, t := range a.Rungs {
			c.Rungs[j] = in(t)
		}
		v.Assignments[i] = &c
	}
	v.Extensions = make([]Extension, len(st.Extensions))
	for i, x := range st.Extensions {
		x.NewDue = in(x.NewDue)
		v.Extensions[i] = x
	}
	return &v
}

// namesOf is the department names an input carries.
func namesOf(ps []Party) map[uint64]string {
	out := map[uint64]string{}
	for _, p := range ps {
		if n := strings.TrimSpace(p.Name); n != "" {
			out[p.DepartmentID] = n
		}
	}
	return out
}

// summarised gives a local activity a one-line summary for the history (the same options
// otherwise).
func summarised(ctx workflow.Context, summary string) workflow.Context {
	o := workflow.GetLocalActivityOptions(ctx)
	o.Summary = summary
	return workflow.WithLocalActivityOptions(ctx, o)
}
