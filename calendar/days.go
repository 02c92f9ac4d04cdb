package calendar

import (
	"fmt"
	"time"
)

// civil is a calendar date as yyyymmdd. Lookups key on it so a day-by-day scan allocates
// nothing, and it orders like the date.
type civil int32

func civilOf(y int, m time.Month, d int) civil { return civil(y*10000 + int(m)*100 + d) }

func (k civil) year() int { return int(k) / 10000 }

// yearSlack is how far outside its year a notice may list a date: 2023's notice lists
// 2022-12-31 as part of 元旦, 2019's listed 2018-12-29 as a make-up workday. Anything
// further is almost certainly a typo (a 2027 file pasted under 2026).
const yearSlack = 14 * 24 * time.Hour

// Supported years; outside them a "year" is a typo, not a notice.
const (
	minYear = 1949
	maxYear = 2200
)

func checkYear(year int) error {
	if year < minYear || year > maxYear {
		return fmt.Errorf("year %d is outside %d–%d", year, minYear, maxYear)
	}
	return nil
}

// parseDate accepts exactly "2006-01-02" with a real day of the month.
func parseDate(s string) (civil, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return 0, fmt.Errorf("date %q is not a valid YYYY-MM-DD date", s)
	}
	return civilOf(t.Date()), nil
}

// parseYear validates one year's entries; label names entry i in errors (an index in a
// file, a line in YAML).
func parseYear(year int, days []Day, label func(i int) string) (map[civil]Day, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	lo := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Add(-yearSlack)
	hi := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Add(yearSlack)
	m := make(map[civil]Day, len(days))
	first := make(map[civil]int, len(days))
	for i, d := range days {
		k, err := parseDate(d.Date)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label(i), err)
		}
		t, _ := time.Parse(time.DateOnly, d.Date)
		if t.Before(lo) || !t.Before(hi) {
			return nil, fmt.Errorf("%s: date %s does not belong to year %d", label(i), d.Date, year)
		}
		if j, dup := first[k]; dup {
			return nil, fmt.Errorf("%s: date %s is already listed by %s", label(i), d.Date, label(j))
		}
		first[k] = i
		m[k] = d
	}
	return m, nil
}

// parseOverrides validates local overrides; a date listed twice is an error because the
// file cannot say which one it meant.
func parseOverrides(days []Day, label func(i int) string) (map[civil]Day, error) {
	m := make(map[civil]Day, len(days))
	first := make(map[civil]int, len(days))
	for i, d := range days {
		k, err := parseDate(d.Date)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label(i), err)
		}
		if k.year() < minYear || k.year() > maxYear {
			return nil, fmt.Errorf("%s: date %s is outside %d–%d", label(i), d.Date, minYear, maxYear)
		}
		if j, dup := first[k]; dup {
			return nil, fmt.Errorf("%s: date %s is already listed by %s", label(i), d.Date, label(j))
		}
		first[k] = i
		m[k] = d
	}
	return m, nil
}
