package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/dubanhq/duban/delivery"
)

// DeliverAttempts is how many times a delivery is tried before it is marked failed; the
// dispatcher's retry policy uses the same number.
const DeliverAttempts = delivery.Attempts

// DeliverResult is what one delivery attempt did.
type DeliverResult = delivery.Result

// delivery is the delivery service over this worker's store, channels and calendar.
func (a *Activities) delivery() *delivery.Service {
	return &delivery.Service{Store: a.Store, Notifier: a.Notify, Logger: a.Logger, IsWorkday: a.isWorkday}
}

// isWorkday answers the calendar, with the admin's additions reloaded when stale.
func (a *Activities) isWorkday(ctx context.Context, day time.Time) (bool, error) {
	var work bool
	err := a.withCalendar(ctx, func() error {
		var err error
		work, err = a.Calendar.IsWorkday(day)
		return err
	})
	return work, err
}

// ClaimDeliveries rolls leaders' held escalations into digests when their time has come,
// then claims up to limit due deliveries for the dispatcher.
func (a *Activities) ClaimDeliveries(ctx context.Context, limit int) ([]uint64, error) {
	return a.delivery().Claim(ctx, limit)
}

// ReleaseDeliveries returns deliveries claimed by an earlier dispatcher run to pending.
func (a *Activities) ReleaseDeliveries(ctx context.Context) error {
	return a.delivery().Release(ctx)
}

// Deliver sends one delivery (delivery.Service.Deliver): transient failures are returned
// to be retried with backoff, DeliverAttempts times in all.
func (a *Activities) Deliver(ctx context.Context, id uint64) (DeliverResult, error) {
	attempt := 1
	if activity.IsActivity(ctx) {
		attempt = int(activity.GetInfo(ctx).Attempt)
	}
	return a.delivery().Deliver(ctx, id, attempt)
}

// now is the notifier's clock (tests set it), else the wall clock.
func (a *Activities) now() time.Time {
	if a.Notify != nil && a.Notify.Now != nil {
		return a.Notify.Now()
	}
	return time.Now()
}

// Claimed is what ClaimDue found: the deliveries to send now, and when the next one held
// for later (quiet hours, the leaders' digest) falls due — zero when none is.
type Claimed struct {
	IDs  []uint64
	Next time.Time
}

// ClaimDue claims up to limit due deliveries, as ClaimDeliveries does, and says when the
// dispatcher must look again even if nobody wakes it.
func (a *Activities) ClaimDue(ctx context.Context, limit int) (Claimed, error) {
	ids, err := a.delivery().Claim(ctx, limit)
	if err != nil {
		return Claimed{}, err
	}
	next, ok, err := a.Store.NextScheduledDelivery(ctx, a.now())
	if err != nil || !ok {
		return Claimed{IDs: ids}, err
	}
	return Claimed{IDs: ids, Next: next}, nil
}

// wakeDispatcher tells the dispatcher that deliveries were queued (the worker sets Wake);
// without it the dispatcher finds them at its next safety-net poll.
func (a *Activities) wakeDispatcher() {
	if a.Wake != nil {
		a.Wake()
	}
}
