package launch

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/workflows"
)

// EnsureAssessmentSchedule creates the Temporal Schedule that assesses a plan at the end of
// each period of kind ("year": 1 January 00:30 China time; "half": also 1 July). A schedule
// that exists is left as it is; kind "none" or "" creates nothing.
func EnsureAssessmentSchedule(ctx context.Context, c client.Client, taskQueue string, planID uint64, kind string) error {
	months := map[string][]int{"year": {1}, "half": {1, 7}}[kind]
	if months == nil {
		return nil
	}
	var cals []client.ScheduleCalendarSpec
	for _, m := range months {
		cals = append(cals, client.ScheduleCalendarSpec{
			Month: []client.ScheduleRange{{Start: m}}, DayOfMonth: []client.ScheduleRange{{Start: 1}},
			Hour: []client.ScheduleRange{{Start: 0}}, Minute: []client.ScheduleRange{{Start: 30}},
			Second: []client.ScheduleRange{{Start: 0}},
		})
	}
	id := workflows.AssessmentScheduleID(planID, kind)
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   id,
		Spec: client.ScheduleSpec{Calendars: cals, TimeZoneName: "Asia/Shanghai"},
		Action: &client.ScheduleWorkflowAction{
			ID: id, Workflow: workflows.AssessmentWorkflow, TaskQueue: taskQueue,
			Args: []any{workflows.AssessmentInput{PlanID: planID, Kind: kind}},
		},
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("launch: assessment schedule of plan %d: %w", planID, err)
	}
	return nil
}

// EnsureAllAssessmentSchedules gives every stored plan its schedule; a worker runs it at
// start so plans launched before the schedule was configured are assessed too.
func EnsureAllAssessmentSchedules(ctx context.Context, st *store.Store, c client.Client, taskQueue, kind string) error {
	if kind == "" || kind == "none" {
		return nil
	}
	plans, err := st.ListPlans(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range plans {
		errs = append(errs, EnsureAssessmentSchedule(ctx, c, taskQueue, p.ID, kind))
	}
	return errors.Join(errs...)
}
