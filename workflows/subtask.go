package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

// SubtaskInput starts the child workflow of one sub-task (任务分解).
type SubtaskInput struct {
	ItemID       uint64
	PlanID       uint64
	Seq          int
	SubtaskID    uint64
	Title        string
	ItemTitle    string
	DepartmentID uint64 // the owner
	Office       string
	LeadID       uint64 // the item's lead, told when the sub-task is late
	Deadline     time.Time
	// Reminders are when the owner is reminded before the deadline (those already past
	// when it starts are skipped).
	Reminders []time.Time
}

// SubtaskSignal is what the item tells a sub-task: it was done (by its owner or the lead),
// or the item closed first (completed or cancelled) and so does the sub-task.
type SubtaskSignal struct {
	Done   bool
	Close  bool
	Reason string
}

// subtaskRemindBefore are the reminders before a sub-task's deadline, in calendar time: a
// sub-task is an internal step with days, not a cycle of working days.
var subtaskRemindBefore = []time.Duration{72 * time.Hour, 24 * time.Hour}

// SubtaskWorkflow drives one sub-task: it reminds the owner before the deadline and, when
// the deadline passes with the sub-task open, marks it late and tells the owner and the
// item's lead. It never escalates the item: the item's own deadlines do that. It ends when
// the item signals it done or closed.
func SubtaskWorkflow(ctx workflow.Context, in SubtaskInput) (domain.SubtaskStatus, error) {
	if in.ItemID == 0 || in.Seq == 0 {
		return "", temporal.NewNonRetryableApplicationError("item and sub-task are required", "invalid", nil)
	}
	ctx = withOptions(ctx)
	s := &subtask{in: in, status: domain.SubtaskOpen}
	signals := workflow.GetSignalChannel(ctx, SignalSubtask)
	next := 0 // the next reminder
	for {
		now := workflow.Now(ctx)
		for next < len(in.Reminders) && !in.Reminders[next].After(now) {
			next++ // past: skipped
		}
		var wake time.Time
		switch {
		case next < len(in.Reminders):
			wake = in.Reminders[next]
		case s.status == domain.SubtaskOpen:
			wake = in.Deadline
		}
		tctx, cancel := workflow.WithCancel(ctx)
		sel := workflow.NewSelector(ctx)
		var sig SubtaskSignal
		got := false
		sel.AddReceive(signals, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &sig); got = true })
		if !wake.IsZero() {
			sel.AddFuture(workflow.NewTimerWithOptions(tctx, max(wake.Sub(now), time.Millisecond),
				workflow.TimerOptions{Summary: "子任务 " + fmtDue(wake)}), func(workflow.Future) {})
		}
		sel.Select(ctx)
		cancel()
		if got {
			if st, end, err := s.signalled(ctx, sig); end || err != nil {
				return st, err
			}
			continue
		}
		if next < len(in.Reminders) {
			if err := s.remind(ctx, next); err != nil {
				return "", err
			}
			next++
			continue
		}
		if err := s.late(ctx); err != nil {
			return "", err
		}
	}
}

type subtask struct {
	in     SubtaskInput
	status domain.SubtaskStatus
}

// signalled finishes the sub-task as the item said.
func (s *subtask) signalled(ctx workflow.Context, sig SubtaskSignal) (domain.SubtaskStatus, bool, error) {
	st := domain.SubtaskClosed
	if sig.Done {
		st = domain.SubtaskDone
	} else if !sig.Close {
		return "", false, nil
	}
	err := workflow.ExecuteActivity(ctx, acts.SetSubtaskStatus, activities.SubtaskStatusRecord{
		ItemID: s.in.ItemID, Seq: s.in.Seq, Status: st, At: workflow.Now(ctx)}).Get(ctx, nil)
	return st, true, err
}

func (s *subtask) key(what string) string {
	return fmt.Sprintf("item%d:sub%d:%s", s.in.ItemID, s.in.Seq, what)
}

func (s *subtask) what() string {
	w := "子任务「" + s.in.Title + "」"
	if s.in.Office != "" {
		w += "（" + s.in.Office + "）"
	}
	return w
}

// remind tells the owner the deadline is near.
func (s *subtask) remind(ctx workflow.Context, i int) error {
	n := domain.Notice{Key: s.key(fmt.Sprintf("remind%d", i)), Kind: domain.NoticeSubtask, DepartmentID: s.in.DepartmentID,
		Audience: []string{domain.NotifyLiaison}, Title: "【子任务提醒】" + s.in.ItemTitle,
		Body: s.what() + "将于 " + fmtDue(s.in.Deadline) + " 到期，请按时完成。"}
	return s.notify(ctx, n)
}

// late marks the sub-task late and tells its owner and the item's lead.
func (s *subtask) late(ctx workflow.Context) error {
	s.status = domain.SubtaskLate
	if err := workflow.ExecuteActivity(ctx, acts.SetSubtaskStatus, activities.SubtaskStatusRecord{
		ItemID: s.in.ItemID, Seq: s.in.Seq, Status: domain.SubtaskLate, At: workflow.Now(ctx)}).Get(ctx, nil); err != nil {
		return err
	}
	body := s.what() + "已于 " + fmtDue(s.in.Deadline) + " 到期仍未完成，请抓紧办理。"
	ns := []domain.Notice{{Key: s.key("late:owner"), Kind: domain.NoticeSubtask, DepartmentID: s.in.DepartmentID,
		Audience: []string{domain.NotifyLiaison}, Title: "【子任务逾期】" + s.in.ItemTitle, Body: body}}
	if s.in.LeadID != 0 && s.in.LeadID != s.in.DepartmentID {
		ns = append(ns, domain.Notice{Key: s.key("late:lead"), Kind: domain.NoticeSubtask, DepartmentID: s.in.LeadID,
			Audience: []string{domain.NotifyLiaison}, Title: "【子任务逾期】" + s.in.ItemTitle, Body: body})
	}
	return s.notify(ctx, ns...)
}

// notify writes the notices through the item's write path (no events, no snapshot: the
// item's own state is not touched).
func (s *subtask) notify(ctx workflow.Context, ns ...domain.Notice) error {
	tr := activities.Transition{ItemID: s.in.ItemID, PlanID: s.in.PlanID, Notices: ns}
	return workflow.ExecuteActivity(ctx, acts.Apply, tr).Get(ctx, nil)
}

// subtaskReminders are the reminder times before a deadline that are still ahead of now.
func subtaskReminders(deadline, now time.Time) []time.Time {
	var out []time.Time
	for _, d := range subtaskRemindBefore {
		if t := deadline.Add(-d); t.After(now) {
			out = append(out, t)
		}
	}
	return out
}
