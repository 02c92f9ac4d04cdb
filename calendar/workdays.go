package calendar

import (
	"fmt"
	"time"
)

// Every scan is bounded so a calendar of nothing but holidays cannot spin: looking for
// working days gives up after three years of dates, counting them after twenty (a span
// that long runs into a year without data long before).
const (
	maxScan    = 3 * 366
	maxBetween = 20 * 366
)

// date is one day of the scan: midnight UTC of a Shanghai calendar date, so day
// arithmetic never meets a zone transition.
type date struct{ t time.Time }

func dateOf(t time.Time) date {
	y, m, d := t.In(Shanghai).Date()
	return date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d date) add(n int) date { return date{d.t.AddDate(0, 0, n)} }

func (d date) key() civil { return civilOf(d.t.Date()) }

// at is the instant on this date at the given Shanghai clock time.
func (d date) at(h, m, s, ns int) time.Time {
	y, mo, dd := d.t.Date()
	return time.Date(y, mo, dd, h, m, s, ns, Shanghai)
}

func (d date) end() time.Time { return d.at(23, 59, 59, 0) }

// workday answers for one date; the caller holds the read lock. Admin overrides win over
// file overrides, which win over the year data, which wins over the ordinary week.
func (c *Calendar) workday(d date) (bool, error) {
	k := d.key()
	_, known := c.years[k.year()]
	provisional := !known && c.provisionalYear(k.year())
	if !known && !provisional {
		return false, ErrNoData{Year: k.year()}
	}
	if x, ok := c.admin[k]; ok {
		return !x.Off, nil
	}
	if x, ok := c.overrides[k]; ok {
		return !x.Off, nil
	}
	if x, ok := c.days[k]; ok {
		return !x.Off, nil
	}
	if _, fixed := fixedHolidays[int(k)%10000]; provisional && fixed {
		return false, nil
	}
	wd := d.t.Weekday()
	return wd != time.Saturday && wd != time.Sunday, nil
}

// nth returns the nth working day after (n>0) or before (n<0) from, or from itself or the
// next working day when n == 0. The caller holds the read lock.
func (c *Calendar) nth(from date, n int) (date, error) {
	step, want := 1, n
	if n < 0 {
		step, want = -1, -n
	}
	start := 1
	if n == 0 {
		start, want = 0, 1
	}
	found := 0
	for i := start; i <= maxScan; i++ {
		d := from.add(i * step)
		ok, err := c.workday(d)
		if err != nil {
			return date{}, err
		}
		if ok {
			if found++; found == want {
				return d, nil
			}
		}
	}
	return date{}, fmt.Errorf("calendar: no %d working days within three years of %s", want, from.t.Format(time.DateOnly))
}

// IsWorkday reports whether t's date in Shanghai is a working day.
func (c *Calendar) IsWorkday(t time.Time) (bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.workday(dateOf(t))
}

// AddWorkdays returns the date n working days after (n>0) or before (n<0) t's date in
// Shanghai, at t's Shanghai clock time. n == 0 returns t itself on a working day, else the
// next working day at the same clock time.
func (c *Calendar) AddWorkdays(t time.Time, n int) (time.Time, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	from := dateOf(t)
	d, err := c.nth(from, n)
	if err != nil {
		return time.Time{}, err
	}
	if d.key() == from.key() {
		return t, nil
	}
	l := t.In(Shanghai)
	return d.at(l.Hour(), l.Minute(), l.Second(), l.Nanosecond()), nil
}

// EndOfWorkday is the deadline "end of the Nth working day" (第N个工作日结束): 23:59:59 in
// Shanghai of the Nth working day strictly after t's date, so "sign within 2 working days"
// of a Friday-afternoon dispatch ends on Tuesday night. n == 0 is NextWorkdayEnd(t);
// negative n is an error.
func (c *Calendar) EndOfWorkday(t time.Time, n int) (time.Time, error) {
	if n < 0 {
		return time.Time{}, fmt.Errorf("calendar: EndOfWorkday needs n >= 0, got %d", n)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	d, err := c.nth(dateOf(t), n)
	if err != nil {
		return time.Time{}, err
	}
	return d.end(), nil
}

// NextWorkdayEnd is 23:59:59 of t's date if it is a working day, else of the next working
// day: how a deadline that lands on a holiday moves (顺延).
func (c *Calendar) NextWorkdayEnd(t time.Time) (time.Time, error) {
	return c.EndOfWorkday(t, 0)
}

// WorkdaysBetween counts the working days in (from's date, to's date], both in Shanghai;
// 0 when to's date is not later. It is how "overdue by N working days" is measured.
func (c *Calendar) WorkdaysBetween(from, to time.Time) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	f, e := dateOf(from), dateOf(to)
	n := 0
	for i := 1; ; i++ {
		d := f.add(i)
		if d.t.After(e.t) {
			return n, nil
		}
		if i > maxBetween {
			return 0, fmt.Errorf("calendar: %s to %s spans more than twenty years", f.t.Format(time.DateOnly), e.t.Format(time.DateOnly))
		}
		ok, err := c.workday(d)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
}

// Shift is the single entry point for policy durations. Positive workdays give
// EndOfWorkday(t, workdays). Negative workdays give 09:00 Shanghai of the working day that
// many working days before t's date: a reminder "3 working days before due" goes out at
// the start of office hours, not at the due time's clock (often 23:59:59). With workdays
// == 0 it is t plus the wall-clock duration.
func (c *Calendar) Shift(t time.Time, workdays int, wall time.Duration) (time.Time, error) {
	switch {
	case workdays > 0:
		return c.EndOfWorkday(t, workdays)
	case workdays < 0:
		c.mu.RLock()
		defer c.mu.RUnlock()
		d, err := c.nth(dateOf(t), workdays)
		if err != nil {
			return time.Time{}, err
		}
		return d.at(9, 0, 0, 0), nil
	}
	return t.Add(wall), nil
}
