package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// ScheduledAssessment is one firing of a plan's assessment schedule.
type ScheduledAssessment struct {
	PlanID uint64
	Kind   string    // year, half
	At     time.Time // when it fired: the period of Kind that ended last is assessed
}

// RunScheduledAssessment assesses the period that has just ended and returns the run's id.
// The dedupe key is the plan and period, so a retry or a second firing stores one run.
func (a *Activities) RunScheduledAssessment(ctx context.Context, in ScheduledAssessment) (uint64, error) {
	if a.Assess == nil {
		return 0, temporal.NewNonRetryableApplicationError("assessment is not configured on this worker", "internal", nil)
	}
	p, err := assess.Ended(in.Kind, in.At)
	if err != nil {
		return 0, clientError(err)
	}
	run, _, _, err := a.Assess.Run(ctx, assess.RunInput{PlanID: in.PlanID, Period: p, Trigger: "schedule",
		DedupeKey: fmt.Sprintf("schedule:%d:%s:%s", in.PlanID, p.Kind, p.Start.Format(time.DateOnly))})
	if err != nil {
		return 0, clientError(err)
	}
	return run.ID, nil
}

// PublishCircularInput asks to publish a draft at a version the supervisor saw.
type PublishCircularInput struct {
	CircularID uint64
	Version    int64
	By         uint64
}

// PublishedCircular is what publishing gave the circular.
type PublishedCircular struct {
	ID          uint64
	Number      string
	PublishedAt time.Time
	Notified    int
}

// PublishCircular numbers and freezes the draft, then puts it in the inbox (and on the
// configured channels) of every department's liaisons and head and of the leadership
// group. Both steps are idempotent: a retry finds the circular published and writes no
// notice twice.
func (a *Activities) PublishCircular(ctx context.Context, in PublishCircularInput) (PublishedCircular, error) {
	prefix := assess.DefaultNumberPrefix
	if a.Assess != nil && a.Assess.NumberPrefix != "" {
		prefix = a.Assess.NumberPrefix
	}
	c, err := a.Store.PublishCircular(ctx, in.CircularID, in.Version, in.By, a.now().UTC(), prefix)
	if err != nil {
		return PublishedCircular{}, clientError(err)
	}
	ds, err := a.Store.ListDepartments(ctx)
	if err != nil {
		return PublishedCircular{}, err
	}
	title := "【通报】" + c.Title
	body := c.Number + " 已印发，请登录督办系统查阅并抓好整改落实。"
	notices := []Notice{{Key: fmt.Sprintf("circular%d:leaders", c.ID), Kind: domain.NoticeCircular, Audience: []string{domain.NotifyLeadership}, Title: title, Body: body}}
	for _, d := range ds {
		notices = append(notices, Notice{Key: fmt.Sprintf("circular%d:d%d", c.ID, d.ID), Kind: domain.NoticeCircular, DepartmentID: d.ID,
			Audience: []string{domain.NotifyLiaison, domain.NotifyDepartmentHead}, Title: title, Body: body})
	}
	w := store.TransitionWrite{}
	for _, n := range notices {
		ns, dls, err := a.delivery().Expand(ctx, c.PlanID, 0, n)
		if err != nil {
			return PublishedCircular{}, err
		}
		w.Notifications, w.Deliveries = append(w.Notifications, ns...), append(w.Deliveries, dls...)
	}
	if err := a.Store.WriteTransition(ctx, w); err != nil {
		return PublishedCircular{}, err
	}
	if len(w.Deliveries) > 0 {
		a.wakeDispatcher()
	}
	out := PublishedCircular{ID: c.ID, Number: c.Number, Notified: len(w.Notifications)}
	if c.PublishedAt != nil {
		out.PublishedAt = *c.PublishedAt
	}
	return out, nil
}

// clientError turns a domain error a person can fix (not found, conflict, precondition,
// invalid) into a non-retryable application error whose type is the kind and whose detail
// is the field, as the API reads it back; other errors are retried.
func clientError(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	switch de.Kind {
	case domain.KindNotFound, domain.KindConflict, domain.KindPrecondition, domain.KindInvalid:
		return temporal.NewNonRetryableApplicationError(de.Message, string(de.Kind), err, de.Field)
	}
	return err
}
