package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// ScheduleRequest asks for the reminder and ladder times of one deadline.
type ScheduleRequest struct {
	Due          time.Time
	RemindBefore []domain.Span
	Ladder       []domain.Span
}

// Schedule is the absolute times derived from a deadline. Provisional is set when one of
// them was counted through a year whose holiday notice is not in the calendar yet: the
// workflow computes it again before acting on it.
type Schedule struct {
	Reminders   []time.Time
	Rungs       []time.Time
	Provisional bool `json:",omitempty"`
}

// ShiftRequest moves From by Span, backwards when Back is set.
type ShiftRequest struct {
	From time.Time
	Span domain.Span
	Back bool
}

// Shift computes a deadline on the working-day calendar: "3wd" is the end of the third
// working day after From; backwards, 09:00 of the working day that many days before.
func (a *Activities) Shift(ctx context.Context, r ShiftRequest) (time.Time, error) {
	if r.Back && r.Span.Workdays == 0 {
		return r.From.Add(-r.Span.Wall), nil
	}
	n := r.Span.Workdays
	if r.Back {
		n = -n
	}
	var t time.Time
	err := a.withCalendar(ctx, func() (err error) {
		t, err = a.Calendar.Shift(r.From, n, r.Span.Wall)
		return err
	})
	return t, err
}

// AlignDue moves a date chosen by a person (an extension, a resubmission deadline) to the
// end of that day, or of the next working day when it is a holiday.
func (a *Activities) AlignDue(ctx context.Context, t time.Time) (time.Time, error) {
	var d time.Time
	err := a.withCalendar(ctx, func() (err error) {
		d, err = a.Calendar.NextWorkdayEnd(t)
		return err
	})
	return d, err
}

// PlanSchedule computes every reminder and ladder time of a deadline at once.
func (a *Activities) PlanSchedule(ctx context.Context, r ScheduleRequest) (Schedule, error) {
	var s Schedule
	for _, sp := range r.RemindBefore {
		t, err := a.Shift(ctx, ShiftRequest{From: r.Due, Span: sp, Back: true})
		if err != nil {
			return s, err
		}
		s.Reminders = append(s.Reminders, t)
	}
	for _, sp := range r.Ladder {
		t, err := a.Shift(ctx, ShiftRequest{From: r.Due, Span: sp})
		if err != nil {
			return s, err
		}
		s.Rungs = append(s.Rungs, t)
	}
	// Reminders come before the due date and rungs after it: the latest rung decides.
	last := r.Due
	for _, t := range s.Rungs {
		if t.After(last) {
			last = t
		}
	}
	s.Provisional = a.Calendar.Provisional(r.Due, last)
	return s, nil
}

// CycleRequest asks for the due date of the report cycle after After.
type CycleRequest struct {
	Cadence domain.Cadence
	After   time.Time // the previous due date, or the start
	End     time.Time // window end or plan end; zero = open-ended
}

// CycleDue is the next report deadline; Final marks the last cycle before End.
type CycleDue struct {
	Due   time.Time
	Final bool
}

// NextCycle computes the next report deadline of a cadence: month or quarter ends and
// explicit dates move to the end of the next working day when they land on a holiday;
// "every" cadences and dates with a time of day are wall-clock.
func (a *Activities) NextCycle(ctx context.Context, r CycleRequest) (CycleDue, error) {
	nominal, exact, ok := nextNominal(r.Cadence, r.After)
	final := false
	if !ok || (!r.End.IsZero() && !nominal.Before(r.End)) {
		if r.End.IsZero() {
			return CycleDue{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("cadence %v has no report date after %s and the item has no end", r.Cadence.Kind, r.After.Format(time.DateOnly)), "invalid", nil)
		}
		nominal, final = r.End, true
	}
	if r.Cadence.Kind == "every" || (exact && !final) {
		return CycleDue{Due: nominal, Final: final}, nil
	}
	d, err := a.AlignDue(ctx, nominal)
	return CycleDue{Due: d, Final: final}, err
}

// nextNominal is the cadence's next due date strictly after t, and whether it is an exact
// time of day (a dates entry with a time) rather than a day to align to its working-day end.
func nextNominal(c domain.Cadence, t time.Time) (time.Time, bool, bool) {
	local := t.In(calendar.Shanghai)
	endOfMonth := func(y int, m time.Month) time.Time {
		return time.Date(y, m+1, 0, 23, 59, 59, 0, calendar.Shanghai)
	}
	switch c.Kind {
	case "every":
		return t.Add(c.Every), true, true
	case "monthly", "":
		e := endOfMonth(local.Year(), local.Month())
		if !e.After(t) || sameDay(e, local) {
			e = endOfMonth(local.Year(), local.Month()+1)
		}
		return e, false, true
	case "quarterly":
		q := (int(local.Month())-1)/3*3 + 3
		e := endOfMonth(local.Year(), time.Month(q))
		if !e.After(t) || sameDay(e, local) {
			e = endOfMonth(local.Year(), time.Month(q+3))
		}
		return e, false, true
	case "dates":
		for _, ds := range c.Dates {
			d, timed, err := domain.ParseDueDate(ds, calendar.Shanghai)
			if err != nil {
				continue
			}
			if timed {
				if d.After(t) {
					return d, true, true
				}
				continue
			}
			d = d.Add(24*time.Hour - time.Second)
			if d.After(t) && !sameDay(d, local) {
				return d, false, true
			}
		}
	}
	return time.Time{}, false, false
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(calendar.Shanghai), b.In(calendar.Shanghai)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
