package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

// The ladder beside the process: every deadline a department has carries reminders before
// it (提醒), the overdue mark at it, and the escalation rungs after it (督办升级), each fired
// at most once per deadline, one rung at a time.

// setDeadline replaces a department's deadline and its reminders and ladder times.
func (w *item) setDeadline(ctx workflow.Context, a *Assignment, key string, due time.Time) error {
	sch, err := w.schedule(ctx, due)
	if err != nil {
		return err
	}
	a.DeadlineKey, a.Due, a.Satisfied = key, due, false
	a.Reminders, a.RemindSent = sch.Reminders, make([]bool, len(sch.Reminders))
	if w.v.skipPastReminders {
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
	err := workflow.ExecuteLocalActivity(summarised(ctx, fmt.Sprintf("提醒和督办时间 · 期限 %s", fmtDue(due))), acts.PlanSchedule, req).Get(ctx, &sch)
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
	err := workflow.ExecuteLocalActivity(summarised(ctx, fmt.Sprintf("工作日推算 %s %s", fmtDue(from), sp)), acts.Shift, activities.ShiftRequest{From: from, Span: sp, Back: back}).Get(ctx, &t)
	if back && err == nil && sp.Workdays > 0 {
		// A partner's deadline is the end of that working day, not its morning.
		err = workflow.ExecuteLocalActivity(summarised(ctx, "期限取当日工作结束"), acts.AlignDue, t).Get(ctx, &t)
	}
	return t, err
}

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
			a.Reminded = a.DeadlineKey
			w.recordDeadline(w.deadlineKey(a, "remind"+strconv.Itoa(i)), domain.Reminder{Deadline: deadlineOf(a)}, a.DepartmentID, 0)
			w.notice(domain.NoticeReminder, a.DepartmentID, []string{domain.NotifyLiaison},
				"【提醒】"+w.st.Title, w.obligation(a)+"将于 "+fmtDue(a.Due)+" 到期。")
		}
		if !now.Before(a.Due) && !a.OverdueMarked {
			a.OverdueMarked = true
			w.recordDeadline(w.deadlineKey(a, "overdue"), domain.Overdue{Deadline: deadlineOf(a)}, a.DepartmentID, 0)
		}
		for a.Level < len(a.Rungs) && !now.Before(a.Rungs[a.Level]) {
			rung := w.in.Policy.Ladder[a.Level]
			a.Level = rung.Level
			w.escalate(a, rung, now)
			if w.v.pacedLadder {
				pace(a.Rungs, a.Level-1, now)
				break // one rung per interval: the next waits for its time
			}
		}
	}
	return nil
}

// pace moves the rungs after rungs[fired] so that each keeps its interval from the one
// before when rungs[fired] fired late (at now): never two rungs in one instant.
func pace(rungs []time.Time, fired int, now time.Time) {
	late := now.Sub(rungs[fired])
	if late <= 0 {
		return
	}
	for j := fired + 1; j < len(rungs); j++ {
		rungs[j] = rungs[j].Add(late)
	}
}

// escalate records one ladder rung for one department's missed deadline and does what the
// rung declares: who is notified, whether it reaches the leadership group, goes into the
// circular, opens an accountability record.
func (w *item) escalate(a *Assignment, rung domain.Rung, now time.Time) {
	key := w.deadlineKey(a, "L"+strconv.Itoa(rung.Level))
	reason := fmt.Sprintf("%s逾期未完成（期限 %s）", w.obligation(a), fmtDue(a.Due))
	level := domain.Level(rung.Level)
	w.tr.Escalations = append(w.tr.Escalations, activities.EscalationRecord{
		Key: key, DepartmentID: a.DepartmentID, Level: level, Name: rung.Name,
		Reason: reason, DueAt: a.Due, At: now,
		Leadership: rung.Leadership, Circular: rung.Circular, Accountability: rung.Accountability,
	})
	w.recordDeadline(key, domain.Escalated{Name: rung.Name, Deadline: deadlineOf(a)}, a.DepartmentID, level)
	n := w.notice(domain.NoticeEscalation, a.DepartmentID, rung.Notify, fmt.Sprintf("【%s】%s", rung.Name, w.st.Title), reason)
	n.Level, n.RungName, n.Leadership = level, rung.Name, rung.Leadership
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

// deadlineOf names a department's current deadline in its events.
func deadlineOf(a *Assignment) domain.Deadline {
	return domain.Deadline{Due: a.Due, Key: a.DeadlineKey}
}

// AcknowledgeInput is a department's answer to a reminder (收到提醒).
type AcknowledgeInput = DepartmentInput

// validateAcknowledge accepts an acknowledgement of a reminder the department was sent for
// the deadline it has now, once per deadline.
func (w *item) validateAcknowledge(in AcknowledgeInput) error {
	if err := w.active(); err != nil {
		return err
	}
	a, err := w.party(in.DepartmentID)
	if err != nil {
		return err
	}
	if a.Satisfied || a.Due.IsZero() || a.Reminded != a.DeadlineKey {
		return domain.Conflictf("没有待确认的提醒 / there is no reminder to acknowledge")
	}
	if a.Acknowledged == a.DeadlineKey {
		return domain.Conflictf("已确认收到该提醒 / this reminder was already acknowledged")
	}
	return nil
}

// acknowledge records that the department received the reminder for its deadline.
func (w *item) acknowledge(ctx workflow.Context, in AcknowledgeInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateAcknowledge(in); err != nil { // see submit: re-checked under the mutex
			return err
		}
		a := w.assignment(in.DepartmentID)
		a.Acknowledged = a.DeadlineKey
		w.record(domain.ReminderAcknowledged{Deadline: deadlineOf(a)}, a.DepartmentID, 0, in.Actor)
		return nil
	})
}

// maxUrgeMessage bounds a 催办 message.
const maxUrgeMessage = 500

// UrgeInput is a supervisor's 催办 by hand, with what to tell the departments.
type UrgeInput struct {
	Acting
	Message string
}

// owing lists the departments that owe something now (an unsatisfied deadline).
func (w *item) owing() []*Assignment {
	var out []*Assignment
	for _, a := range w.st.Assignments {
		if !a.Removed && !a.Satisfied && !a.Due.IsZero() {
			out = append(out, a)
		}
	}
	return out
}

// validateUrge accepts a 催办 on an active item on which some department owes something.
func (w *item) validateUrge(in UrgeInput) error {
	if err := w.active(); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.Message) > maxUrgeMessage {
		return domain.Invalidf("message", "催办内容不超过 %d 字 / message is longer than %d characters", maxUrgeMessage, maxUrgeMessage)
	}
	if len(w.owing()) == 0 {
		return domain.Conflictf("没有单位需要催办：各单位均无待办 / no department owes anything to urge")
	}
	return nil
}

// urge sends a supervisor's 催办 now to every department that owes something: one event,
// one notice each. It counts as a reminder; the ladder is untouched.
func (w *item) urge(ctx workflow.Context, in UrgeInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateUrge(in); err != nil { // see submit: re-checked under the mutex
			return err
		}
		msg := strings.TrimSpace(in.Message)
		if msg == "" {
			msg = "请抓紧办理。"
		}
		owing := w.owing()
		depts := make([]uint64, len(owing))
		for i, a := range owing {
			depts[i] = a.DepartmentID
		}
		w.record(domain.Urged{Message: msg, Departments: depts}, 0, 0, in.Actor)
		for _, a := range owing {
			w.notice(domain.NoticeUrge, a.DepartmentID, []string{domain.NotifyLiaison, domain.NotifyDepartmentHead},
				"【催办】"+w.st.Title, msg+"（"+w.obligation(a)+"期限 "+fmtDue(a.Due)+"）")
		}
		return nil
	})
}
