// Package calendar is the Chinese working-day calendar (工作日历): statutory holidays and
// adjusted workdays (调休) for 2020–2026 are built in, an admin can add a year or local
// overrides at run time, and every computation on a year without data is an error.
package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai on minimal containers
)

// Shanghai is the time zone every working-day rule is evaluated in.
var Shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

//go:embed holidays/*.json
var builtin embed.FS

// Day is an exception to the ordinary week: Off true is a holiday, false a working day.
type Day struct {
	Date string `json:"date" yaml:"date"`
	Off  bool   `json:"off" yaml:"off"`
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
}

// ErrNoData is returned when a computation touches a year the calendar has no data for.
type ErrNoData struct{ Year int }

func (e ErrNoData) Error() string {
	return fmt.Sprintf("calendar: no holiday data for year %d; add it with an override file or the calendar API", e.Year)
}

// Calendar answers working-day questions. It is safe for concurrent use.
type Calendar struct {
	mu sync.RWMutex
	// years holds each known year's file; a file may list a date of the neighbouring year
	// (31 December before a New Year holiday), so lookups go through days.
	years map[int]map[string]Day
	days  map[string]Day
	// overrides come from files (AddOverrides, LoadYAML); admin overrides (set through the
	// API and stored in the database) win over them and are replaced as a whole.
	overrides map[string]Day
	admin     map[string]Day
}

// NewEmpty returns a calendar that knows no year.
func NewEmpty() *Calendar {
	return &Calendar{years: map[int]map[string]Day{}, days: map[string]Day{}, overrides: map[string]Day{}, admin: map[string]Day{}}
}

// New returns a calendar with the built-in years.
func New() (*Calendar, error) {
	c := NewEmpty()
	entries, err := builtin.ReadDir("holidays")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		f, err := builtin.Open("holidays/" + e.Name())
		if err != nil {
			return nil, err
		}
		err = c.LoadHolidayCN(f)
		_ = f.Close()
		if err != nil {
			return nil, fmt.Errorf("calendar: built-in %s: %w", e.Name(), err)
		}
	}
	return c, nil
}

// SetYear adds or replaces a whole year.
func (c *Calendar) SetYear(year int, days []Day) error {
	m := make(map[string]Day, len(days))
	for i, d := range days {
		t, err := time.ParseInLocation(time.DateOnly, d.Date, Shanghai)
		if err != nil {
			return fmt.Errorf("calendar: year %d entry %d: date %q is not YYYY-MM-DD", year, i+1, d.Date)
		}
		if t.Year() < year-1 || t.Year() > year+1 {
			return fmt.Errorf("calendar: year %d entry %d: date %s is not in or next to %d", year, i+1, d.Date, year)
		}
		m[d.Date] = d
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for date := range c.years[year] {
		delete(c.days, date)
	}
	c.years[year] = m
	for date, d := range m {
		c.days[date] = d
	}
	return nil
}

// AddOverrides adds local exceptions that win over the year data. They do not make a year
// known: a year is known only through the built-ins or SetYear.
func (c *Calendar) AddOverrides(days []Day) error {
	for i, d := range days {
		if _, err := time.ParseInLocation(time.DateOnly, d.Date, Shanghai); err != nil {
			return fmt.Errorf("calendar: override %d: date %q is not YYYY-MM-DD", i+1, d.Date)
		}
	}
	c.mu.Lock()
	for _, d := range days {
		c.overrides[d.Date] = d
	}
	c.mu.Unlock()
	return nil
}

// ReplaceOverrides swaps the whole set of admin overrides (those stored in the database).
func (c *Calendar) ReplaceOverrides(days []Day) error {
	fresh := NewEmpty()
	if err := fresh.AddOverrides(days); err != nil {
		return err
	}
	c.mu.Lock()
	c.admin = fresh.overrides
	c.mu.Unlock()
	return nil
}

// LoadHolidayCN reads one year in the holiday-cn JSON format.
func (c *Calendar) LoadHolidayCN(r io.Reader) error {
	var f struct {
		Year int `json:"year"`
		Days []struct {
			Name     string `json:"name"`
			Date     string `json:"date"`
			IsOffDay bool   `json:"isOffDay"`
		} `json:"days"`
	}
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return fmt.Errorf("calendar: holiday-cn JSON: %w", err)
	}
	if f.Year < 1949 || f.Year > 2200 {
		return fmt.Errorf("calendar: holiday-cn JSON: year %d out of range", f.Year)
	}
	days := make([]Day, len(f.Days))
	for i, d := range f.Days {
		days[i] = Day{Date: d.Date, Off: d.IsOffDay, Name: d.Name}
	}
	return c.SetYear(f.Year, days)
}

// Years returns the known years in order.
func (c *Calendar) Years() []int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// YearDays returns a known year's exceptions sorted by date.
func (c *Calendar) YearDays(year int) ([]Day, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m, ok := c.years[year]
	if !ok {
		return nil, false
	}
	return sortedDays(m), true
}

// Overrides returns the local overrides in force (file and admin), sorted by date.
func (c *Calendar) Overrides() []Day {
	c.mu.RLock()
	defer c.mu.RUnlock()
	all := make(map[string]Day, len(c.overrides)+len(c.admin))
	for k, d := range c.overrides {
		all[k] = d
	}
	for k, d := range c.admin {
		all[k] = d
	}
	return sortedDays(all)
}

func sortedDays(m map[string]Day) []Day {
	out := make([]Day, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}
