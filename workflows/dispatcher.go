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
	dispatchBatch = 50
	// dispatchIdle was the poll interval before "quiet-dispatcher": 5 s, whether or not
	// anything was queued (about 200,000 history events a day).
	dispatchIdle = 5 * time.Second
	// dispatchSafety is the poll of a quiet dispatcher: the worker signals it when it
	// queues deliveries, and it sleeps until a held delivery falls due; the poll only
	// catches a signal that was lost.
	dispatchSafety = 15 * time.Minute
	dispatchPerRun = 500 // polls before continue-as-new keeps the history short
	// DispatchWake is the signal that makes the dispatcher claim at once: the worker sends
	// it after writing deliveries.
	DispatchWake = "wake"
)

// NotifyDispatcher sends deliveries (email, robots, webhooks, SMS) as activities: it claims
// due rows and runs one Deliver activity per row, with retries and exponential backoff,
// without waiting for slow endpoints before claiming more. It claims when woken by the
// "wake" signal (the worker sends one after queuing deliveries), when a delivery held for
// later (quiet hours, the leaders' digest) falls due, and on a rare safety-net poll: its
// history grows with the deliveries, not with the time.
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
	quiet := workflow.GetVersion(ctx, "quiet-dispatcher", workflow.DefaultVersion, 1) >= 1
	// Rows an earlier run claimed and did not finish go back to pending; Deliver flags a
	// resend of one whose send may have happened.
	if err := workflow.ExecuteActivity(claimCtx, acts.ReleaseDeliveries).Get(ctx, nil); err != nil {
		return err
	}
	wake := workflow.GetSignalChannel(ctx, DispatchWake)
	inflight := 0
	for i := 0; i < dispatchPerRun; i++ {
		var c activities.Claimed
		var err error
		if quiet {
			err = workflow.ExecuteActivity(claimCtx, acts.ClaimDue, dispatchBatch).Get(ctx, &c)
		} else {
			err = workflow.ExecuteActivity(claimCtx, acts.ClaimDeliveries, dispatchBatch).Get(ctx, &c.IDs)
		}
		if err != nil {
			return err
		}
		for _, id := range c.IDs {
			inflight++
			workflow.Go(ctx, func(gctx workflow.Context) {
				// A delivery that exhausts its retries has recorded its last error itself.
				_ = workflow.ExecuteActivity(sendCtx, acts.Deliver, id).Get(gctx, nil)
				inflight--
			})
		}
		if len(c.IDs) == dispatchBatch {
			continue
		}
		sleep, summary := dispatchIdle, "poll"
		if quiet {
			sleep, summary = dispatchSafety, "safety-net poll (a signal wakes the dispatcher when deliveries are queued)"
			if !c.Next.IsZero() {
				if d := c.Next.Sub(workflow.Now(ctx)); d < sleep {
					sleep, summary = max(d, time.Second), "a held delivery falls due (quiet hours or the leaders' digest)"
				}
			}
		}
		tctx, cancel := workflow.WithCancel(ctx)
		timer := workflow.NewTimerWithOptions(tctx, sleep, workflow.TimerOptions{Summary: summary})
		woken := false
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) {})
		sel.AddReceive(wake, func(c workflow.ReceiveChannel, _ bool) {
			for c.ReceiveAsync(nil) {
			}
			woken = true
		})
		sel.Select(ctx)
		if woken && quiet {
			cancel() // the timer is not needed any more: it would fire for nothing
		}
	}
	if err := workflow.Await(ctx, func() bool { return inflight == 0 }); err != nil {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, NotifyDispatcher)
}
