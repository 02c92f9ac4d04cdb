package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/domain"
)

// setup initialises the state and registers the query and every Update with its validator.
func (w *item) setup(ctx workflow.Context) error {
	if w.in.Start.IsZero() {
		// Indicator pace is measured from the item's start; an item without a window
		// starts when its workflow does.
		w.in.Start = workflow.GetInfo(ctx).WorkflowStartTime
	}
	if w.in.State != nil {
		w.st, w.begun = w.in.State, true
	} else {
		// The parties exist before any Update can be validated; begin gives them deadlines.
		w.st = &ItemState{ItemID: w.in.ItemID, PlanID: w.in.PlanID, Title: w.in.Title, Status: domain.StatusAssigned, Light: domain.Green,
			Names: namesOf(w.in.Parties)}
		for _, p := range w.in.Parties {
			w.st.Assignments = append(w.st.Assignments, &Assignment{DepartmentID: p.DepartmentID, Role: p.Role})
		}
	}
	if err := workflow.SetQueryHandlerWithOptions(ctx, QueryState, func() (*ItemState, error) { return w.st.view(), nil },
		workflow.QueryHandlerOptions{Description: "The item's whole state: departments, deadlines, reminders and rungs, pending reviews, extensions (times in Asia/Shanghai)"}); err != nil {
		return err
	}
	type reg struct {
		name, description string
		handler           any
		validator         any
	}
	regs := []reg{
		{UpdateSign, "签收: a department signs for its assignment", w.sign, guard(w.validateSign)},
		{UpdateSubmit, "进展报送 / 协办反馈 / 申请办结: a report, a contribution or a completion request", w.submit, guard(w.validateSubmit)},
		{UpdateReview, "审核: a supervisor approves or returns a pending submission", w.review, guard(w.validateReview)},
		{UpdateExtensionRequest, "申请延期: a department asks for a later deadline", w.requestExtension, guard(w.validateExtensionRequest)},
		{UpdateExtensionDecision, "延期审批: a supervisor decides an extension request", w.decideExtension, guard(w.validateExtensionDecision)},
		{UpdateReassign, "调整责任单位: the lead and partners replaced", w.reassign, guard(w.validateReassign)},
		{UpdateInstruction, "领导批示: a leader's instruction, optionally with a deadline", w.instruct, guard(w.validateInstruction)},
		{UpdateSuspend, "暂停: the item's clock stops", w.suspend, guard(w.validateSuspend)},
		{UpdateResume, "恢复: deadlines move later by the time suspended", w.resume, guard(w.validateResume)},
		{UpdateCancel, "撤销: the item ends without completion", w.cancel, guard(w.validateCancel)},
		{UpdateRecordIndicator, "指标录入: a supervisor records an indicator's value", w.recordIndicator, guard(w.validateRecordIndicator)},
		{UpdateAcknowledge, "收到提醒: a department acknowledges the reminder of its deadline", w.acknowledge, guard(w.validateAcknowledge)},
		{UpdateAddSubtask, "任务分解: the lead splits off a sub-task for an office or a partner, with its own deadline", w.addSubtask, guard(w.validateAddSubtask)},
		{UpdateCompleteSubtask, "子任务完成: a sub-task is done", w.completeSubtask, guard(w.validateCompleteSubtask)},
		{UpdateUrge, "催办: a supervisor urges every department that owes something, at once (not a rung)", w.urge, guard(w.validateUrge)},
	}
	for _, r := range regs {
		opts := workflow.UpdateHandlerOptions{Validator: r.validator, Description: r.description}
		if err := workflow.SetUpdateHandlerWithOptions(ctx, r.name, r.handler, opts); err != nil {
			return err
		}
	}
	return nil
}

// fromUpdate marks the context of an Update's body: its write runs as a local activity.
type fromUpdate struct{}

// mutate runs an Update's body under the mutex, flushes its writes and wakes the main loop
// so timers are recomputed.
func (w *item) mutate(ctx workflow.Context, fn func(workflow.Context) error) error {
	// An Update that arrives with the start waits until the item has been assigned.
	if err := workflow.Await(ctx, func() bool { return w.begun }); err != nil {
		return err
	}
	if err := w.locked(workflow.WithValue(ctx, fromUpdate{}, true), fn); err != nil {
		return toApplicationError(err)
	}
	w.dirty = true
	return nil
}

// guard turns a validator's domain error into an ApplicationError whose type is the error
// kind and whose details carry the field, so the API can map it to 403/409/422.
func guard[T any](v func(T) error) func(T) error {
	return func(in T) error { return toApplicationError(v(in)) }
}

func toApplicationError(err error) error {
	var de *domain.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(de.Message, string(de.Kind),
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{de.Field}})
}
