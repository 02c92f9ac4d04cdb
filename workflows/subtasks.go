package workflows

import (
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

// SubtaskRef is the item's record of one of its sub-tasks (任务分解); the sub-task's own
// child workflow keeps its reminders.
type SubtaskRef struct {
	Seq          int
	ID           uint64
	DepartmentID uint64
	Deadline     time.Time
	Done         bool // done, or closed with the item
}

// AddSubtaskInput splits a sub-task off the item for a department (optionally one of its
// internal offices, named as text) with a deadline before the item's.
type AddSubtaskInput struct {
	Acting
	Title        string
	DepartmentID uint64
	Office       string `json:",omitempty"`
	Deadline     time.Time
}

// CompleteSubtaskInput marks a sub-task done.
type CompleteSubtaskInput struct {
	Acting
	SubtaskID uint64
}

// maxSubtasks bounds one item's sub-tasks (and the children its history starts).
const maxSubtasks = 50

// itemDue is the deadline a sub-task must come before: the item's window end or, for an
// item without one, the lead's current deadline (zero when there is none).
func (w *item) itemDue() time.Time {
	if !w.in.End.IsZero() {
		return w.in.End
	}
	if l := w.lead(); l != nil && !l.Satisfied {
		return l.Due
	}
	return time.Time{}
}

func (w *item) validateAddSubtask(in AddSubtaskInput) error {
	if err := w.active(); err != nil {
		return err
	}
	if strings.TrimSpace(in.Title) == "" || len(in.Title) > 500 {
		return domain.Invalidf("title", "请填写子任务名称（500 字以内） / the sub-task needs a title (up to 500 characters)")
	}
	if in.DepartmentID == 0 {
		return domain.Invalidf("department", "请指定责任单位 / the sub-task needs a department")
	}
	if len(w.st.Subtasks) >= maxSubtasks {
		return domain.Conflictf("子任务已达上限 %d 个 / an item has at most %d sub-tasks", maxSubtasks, maxSubtasks)
	}
	// "now" is checked in the handler, which has the workflow's clock.
	return domain.CheckSubtaskDeadline(in.Deadline, w.itemDue(), time.Time{})
}

// addSubtask stores the sub-task, tells its owner and starts its child workflow
// (SubtaskWorkflowID): the child reminds and marks it late on its own. The child is
// abandoned when the item's run closes or continues as new, so closing it is a signal the
// item sends (closeSubtasks), by ID, from whichever run it is in.
func (w *item) addSubtask(ctx workflow.Context, in AddSubtaskInput) (SubmitResult, error) {
	var res SubmitResult
	err := w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateAddSubtask(in); err != nil {
			return err
		}
		now := workflow.Now(ctx)
		if err := domain.CheckSubtaskDeadline(in.Deadline, w.itemDue(), now); err != nil {
			return err
		}
		// "subtasks": asked only here, so runs that never split an item replay unchanged.
		workflow.GetVersion(ctx, "subtasks", workflow.DefaultVersion, 1)
		seq := len(w.st.Subtasks) + 1
		rec := activities.SubtaskRecord{ItemID: w.st.ItemID, Seq: seq, Title: in.Title, DepartmentID: in.DepartmentID,
			Office: in.Office, Deadline: in.Deadline, CreatedBy: in.Actor.UserID}
		if err := workflow.ExecuteActivity(ctx, acts.CreateSubtask, rec).Get(ctx, &res.ID); err != nil {
			return err
		}
		var lead uint64
		if l := w.lead(); l != nil {
			lead = l.DepartmentID
		}
		child := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:        SubtaskWorkflowID(w.st.ItemID, seq),
			ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
			StaticSummary:     "子任务 " + in.Title,
		})
		f := workflow.ExecuteChildWorkflow(child, SubtaskWorkflow, SubtaskInput{
			ItemID: w.st.ItemID, PlanID: w.st.PlanID, Seq: seq, SubtaskID: res.ID, Title: in.Title, ItemTitle: w.st.Title,
			DepartmentID: in.DepartmentID, Office: in.Office, LeadID: lead, Deadline: in.Deadline,
			Reminders: subtaskReminders(in.Deadline, now),
		})
		if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
			return err
		}
		w.st.Subtasks = append(w.st.Subtasks, SubtaskRef{Seq: seq, ID: res.ID, DepartmentID: in.DepartmentID, Deadline: in.Deadline})
		w.record(domain.SubtaskCreated{ItemID: w.st.ItemID, SubtaskID: res.ID, Title: in.Title, DepartmentID: in.DepartmentID,
			Office: in.Office, Deadline: in.Deadline}, in.DepartmentID, 0, in.Actor)
		what := "子任务「" + in.Title + "」"
		if in.Office != "" {
			what += "（" + in.Office + "）"
		}
		w.notice(domain.NoticeSubtask, in.DepartmentID, []string{domain.NotifyLiaison}, "【子任务】"+w.st.Title,
			what+"已交由本单位办理，期限 "+fmtDue(in.Deadline)+"。")
		return nil
	})
	return res, err
}

func (w *item) subtaskRef(id uint64) *SubtaskRef {
	for i := range w.st.Subtasks {
		if w.st.Subtasks[i].ID == id {
			return &w.st.Subtasks[i]
		}
	}
	return nil
}

func (w *item) validateCompleteSubtask(in CompleteSubtaskInput) error {
	if err := w.open(); err != nil {
		return err
	}
	r := w.subtaskRef(in.SubtaskID)
	if r == nil {
		return domain.NotFoundf("子任务不存在 / no such sub-task")
	}
	if r.Done {
		return domain.Conflictf("子任务已完成 / the sub-task is already done")
	}
	return nil
}

// completeSubtask marks a sub-task done: its child workflow records it and ends.
func (w *item) completeSubtask(ctx workflow.Context, in CompleteSubtaskInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateCompleteSubtask(in); err != nil {
			return err
		}
		r := w.subtaskRef(in.SubtaskID)
		err := workflow.SignalExternalWorkflow(ctx, SubtaskWorkflowID(w.st.ItemID, r.Seq), "", SignalSubtask,
			SubtaskSignal{Done: true}).Get(ctx, nil)
		if err != nil {
			return err
		}
		r.Done = true
		w.record(domain.SubtaskCompleted{ItemID: w.st.ItemID, SubtaskID: r.ID, Late: !workflow.Now(ctx).Before(r.Deadline)},
			r.DepartmentID, 0, in.Actor)
		return nil
	})
}

// closeSubtasks tells every open sub-task that the item closed (completed or cancelled).
// A sub-task whose workflow already ended is no matter: the signal's failure is ignored.
func (w *item) closeSubtasks(ctx workflow.Context) {
	var fs []workflow.Future
	for i := range w.st.Subtasks {
		r := &w.st.Subtasks[i]
		if r.Done {
			continue
		}
		r.Done = true
		fs = append(fs, workflow.SignalExternalWorkflow(ctx, SubtaskWorkflowID(w.st.ItemID, r.Seq), "", SignalSubtask,
			SubtaskSignal{Close: true, Reason: string(w.st.Status)}))
	}
	for _, f := range fs {
		_ = f.Get(ctx, nil)
	}
}
