package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
)

// DispatcherID is the one notification dispatcher's workflow id per namespace.
const DispatcherID = "duban-notify-dispatcher"

const (
	dispatchBatch    = 50
	dispatchIdle     = 5 * time.Second
	dispatchPerRun   = 500 // polls before continue-as-new keeps the history short
	dispatchWakeName = "wake"
)

// NotifyDispatcher sends deliveries (email, robots, webhooks, SMS) as activities: it
// claims due rows every few seconds and runs one Deliver activity per row, with retries and
// exponential backoff, without waiting for slow endpoints before claiming more. A signal
// "wake" makes it poll at once.
func NotifyDispatcher(ctx workflow.Context) error {
	claimCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	sendCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: 10 * time.Minute, MaximumAttempts: activities.DeliverAttempts},
	})
	// Rows an earlier run claimed and did not finish go back to pending; Deliver flags a
	// resend of one whose send may have happened.
	if err := workflow.ExecuteActivity(claimCtx, acts.ReleaseDeliveries).Get(ctx, nil); err != nil {
		return err
	}
	wake := workflow.GetSignalChannel(ctx, dispatchWakeName)
	inflight := 0
	for i := 0; i < dispatchPerRun; i++ {
		var ids []uint64
		if err := workflow.ExecuteActivity(claimCtx, acts.ClaimDeliveries, dispatchBatch).Get(ctx, &ids); err != nil {
			return err
		}
		for _, id := range ids {
			inflight++
			workflow.Go(ctx, func(gctx workflow.Context) {
				// A delivery that exhausts its retries has recorded its last error itself.
				_ = workflow.ExecuteActivity(sendCtx, acts.Deliver, id).Get(gctx, nil)
				inflight--
			})
		}
		if len(ids) == dispatchBatch {
			continue
		}
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(workflow.NewTimer(ctx, dispatchIdle), func(workflow.Future) {})
		sel.AddReceive(wake, func(c workflow.ReceiveChannel, _ bool) {
			for c.ReceiveAsync(nil) {
			}
		})
		sel.Select(ctx)
	}
	if err := workflow.Await(ctx, func() bool { return inflight == 0 }); err != nil {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, NotifyDispatcher)
}
