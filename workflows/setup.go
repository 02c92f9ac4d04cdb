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
		w.st = &ItemState{ItemID: w.in.ItemID, PlanID: w.in.PlanID, Title: w.in.Title, Status: domain.StatusAssigned, Light: domain.Green}
		for _, p := range w.in.Parties {
			w.st.Assignments = append(w.st.Assignments, &Assignment{DepartmentID: p.DepartmentID, Role: p.Role})
		}
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (*ItemState, error) { return w.st, nil }); err != nil {
		return err
	}
	type reg struct {
		name      string
		handler   any
		validator any
	}
	regs := []reg{
		{UpdateSign, w.sign, guard(w.validateSign)},
		{UpdateSubmit, w.submit, guard(w.validateSubmit)},
		{UpdateReview, w.review, guard(w.validateReview)},
		{UpdateExtensionRequest, w.requestExtension, guard(w.validateExtensionRequest)},
		{UpdateExtensionDecision, w.decideExtension, guard(w.validateExtensionDecision)},
		{UpdateReassign, w.reassign, guard(w.validateReassign)},
		{UpdateInstruction, w.instruct, guard(w.validateInstruction)},
		{UpdateSuspend, w.suspend, guard(w.validateSuspend)},
		{UpdateResume, w.resume, guard(w.validateResume)},
		{UpdateCancel, w.cancel, guard(w.validateCancel)},
		{UpdateRecordIndicator, w.recordIndicator, guard(w.validateRecordIndicator)},
		{UpdateAcknowledge, w.acknowledge, guard(w.validateAcknowledge)},
	}
	for _, r := range regs {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, r.name, r.handler, workflow.UpdateHandlerOptions{Validator: r.validator}); err != nil {
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
