package calendar

import (
	"errors"
	"time"
)

// maxScan bounds every day-by-day scan (three years of days).
const maxScan = 3 * 366

var errScan = errors.New("calendar: no working day within three years")

// isWorkday answers for a date in Shanghai; the caller holds the read lock.
func (c *Calendar) isWorkday(t time.Time) (bool, error) {
	t = t.In(Shanghai)
	key := t.Format(time.DateOnly)
	d, ok := c.admin[key]
	if !ok {
		d, ok = c.overrides[key]
	}
	if ok {
		if _, known := c.years[t.Year()]; !known {
			return false, ErrNoData{Year: t.Year()}
		}
		return !d.Off, nil
	}
	if _, ok := c.years[t.Year()]; !ok {
		return false, ErrNoData{Year: t.Year()}
	}
	if d, ok := c.days[key]; ok {
		return !d.Off, nil
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday, nil
}

// IsWorkday reports whether t's date (in Shanghai) is a working day.
func (c *Calendar) IsWorkday(t time.Time) (bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.isWorkday(t)
}

// dayAt returns the date of t shifted by n days at the given clock time, in Shanghai.
func dayAt(t time.Time, n, h, m, s int) time.Time {
	l := t.In(Shanghai)
	return time.Date(l.Year(), l.Month(), l.Day()+n, h, m, s, 0, Shanghai)
}

func endOfDay(t time.Time) time.Time { return dayAt(t, 0, 23, 59, 59) }

// AddWorkdays returns the date n working days after (n>0) or before (n<0) t's date, at t's
// clock time. n == 0 returns t on a working day, else the next working day.
func (c *Calendar) AddWorkdays(t time.Time, n int) (time.Time, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	l := t.In(Shanghai)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	if n == 0 {
		for i := 0; i < maxScan; i++ {
			d := dayAt(l, i, l.Hour(), l.Minute(), l.Second())
			ok, err := c.isWorkday(d)
			if err != nil || ok {
				return d, err
			}
		}
		return time.Time{}, errScan
	}
	for i, found := 1, 0; i <= maxScan; i++ {
		d := dayAt(l, i*step, l.Hour(), l.Minute(), l.Second())
		ok, err := c.isWorkday(d)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			if found++; found == n {
				return d, nil
			}
		}
	}
	return time.Time{}, errScan
}

// EndOfWorkday is the deadline "end of the Nth working day" after t: 23:59:59 in Shanghai
// of the Nth working day strictly after t's date (n ≥ 1); n == 0 is NextWorkdayEnd(t).
func (c *Calendar) EndOfWorkday(t time.Time, n int) (time.Time, error) {
	if n <= 0 {
		return c.NextWorkdayEnd(t)
	}
	d, err := c.AddWorkdays(t, n)
	if err != nil {
		return time.Time{}, err
	}
	return endOfDay(d), nil
}

// NextWorkdayEnd is the end of t's date if it is a working day, else the end of the next
// working day: how a deadline that lands on a holiday moves.
func (c *Calendar) NextWorkdayEnd(t time.Time) (time.Time, error) {
	d, err := c.AddWorkdays(t, 0)
	if err != nil {
		return time.Time{}, err
	}
	return endOfDay(d), nil
}

// WorkdaysBetween counts working days in (from's date, to's date]; 0 when to is not later.
func (c *Calendar) WorkdaysBetween(from, to time.Time) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	f, e := dayAt(from, 0, 12, 0, 0), dayAt(to, 0, 12, 0, 0)
	n := 0
	for i := 1; ; i++ {
		d := dayAt(f, i, 12, 0, 0)
		if d.After(e) {
			return n, nil
		}
		if i > 20*366 {
			return n, errScan
		}
		ok, err := c.isWorkday(d)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
}

// Shift is the single entry point for policy durations. Positive working days give the end
// of the Nth working day after t; negative working days give 09:00 of the working day that
// many days before t (when reminders go out); otherwise t plus the wall-clock duration.
func (c *Calendar) Shift(t time.Time, workdays int, wall time.Duration) (time.Time, error) {
	switch {
	case workdays > 0:
		return c.EndOfWorkday(t, workdays)
	case workdays < 0:
		d, err := c.AddWorkdays(t, workdays)
		if err != nil {
			return time.Time{}, err
		}
		return dayAt(d, 0, 9, 0, 0), nil
	}
	return t.Add(wall), nil
}
