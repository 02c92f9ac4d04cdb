package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
)

// AssessmentScheduleID is the Temporal Schedule that assesses a plan at each period's end.
func AssessmentScheduleID(planID uint64, kind string) string {
	return fmt.Sprintf("duban-assessment-%d-%s", planID, kind)
}

// CircularPublishID is the workflow that publishes a circular: one per circular, so a
// double click publishes (and notifies) once.
func CircularPublishID(circularID uint64) string {
	return fmt.Sprintf("duban-circular-publish-%d", circularID)
}

// AssessmentInput is what a schedule's action runs: the plan and the period kind (year or
// half) whose end it fires at.
type AssessmentInput struct {
	PlanID uint64
	Kind   string
}

// AssessmentWorkflow assesses the period of its kind that has just ended; a retry or a
// second firing for the same period stores nothing twice.
func AssessmentWorkflow(ctx workflow.Context, in AssessmentInput) (uint64, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Minute},
	})
	var id uint64
	err := workflow.ExecuteActivity(ctx, acts.RunScheduledAssessment,
		activities.ScheduledAssessment{PlanID: in.PlanID, Kind: in.Kind, At: workflow.Now(ctx)}).Get(ctx, &id)
	return id, err
}

// PublishCircularWorkflow numbers and freezes a circular draft and notifies every
// department and the leadership group; the activity is idempotent, so retries after a
// crash neither renumber nor notify twice.
func PublishCircularWorkflow(ctx workflow.Context, in activities.PublishCircularInput) (activities.PublishedCircular, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{"not-found", "conflict", "precondition"}},
	})
	var out activities.PublishedCircular
	err := workflow.ExecuteActivity(ctx, acts.PublishCircular, in).Get(ctx, &out)
	return out, err
}
