package domain

import "time"

// Window is an item's time window as the plan states it: the first and the last day (each
// midnight of that day in China Standard Time, zero when not stated). Ongoing (持续推进,
// 长期坚持) items report until the plan period ends.
type Window struct {
	Start   time.Time
	End     time.Time
	Ongoing bool
}

// Times is an item's window in instants: the one rule that launch (the workflow's report
// cycles), the API (indicator pace) and the assessment (items due, indicator attainment)
// all use.
type Times struct {
	// Start is when the item's clock starts: the window's first day, or else when the item
	// was started (zero when neither is known; the workflow then uses its own start).
	Start time.Time
	// End is when reporting and indicator pace (序时进度) end: the last second of the
	// window's last day, or, for ongoing items and items without an end, of the plan
	// period's last day; zero when neither is known.
	End time.Time
	// Due is when the item itself must be completed (办结时限): the last second of the
	// window's last day; zero for ongoing items and items without an end.
	Due time.Time
}

// Times computes the item's times. started is when it started (or was created), planEnd
// the plan period's last day (zero when unknown), loc the time zone of the dates.
func (w Window) Times(started, planEnd time.Time, loc *time.Location) Times {
	s := Times{Start: w.Start}
	if s.Start.IsZero() {
		s.Start = started
	}
	if !w.End.IsZero() && !w.Ongoing {
		s.Due = EndOfDay(w.End, loc)
		s.End = s.Due
	} else if !planEnd.IsZero() {
		s.End = EndOfDay(planEnd, loc)
	}
	return s
}

// EndOfDay is the last second of t's day in loc: a deadline stated as a day is met by
// anything done that day.
func EndOfDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 23, 59, 59, 0, loc)
}

// ParseDay reads a date written 2006-01-02 as midnight of that day in loc; the zero time
// for an empty or unreadable string.
func ParseDay(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}
	}
	return t
}
