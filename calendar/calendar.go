// Package calendar is the Chinese working-day calendar (工作日历): statutory holidays and
// adjusted workdays (调休) for 2020–2026 are built in, and an admin can add a year or local
// overrides at run time. A year without data after the first one with data (next year's
// notice is not out yet, or not yet added) can be answered provisionally (暂定): the
// ordinary week with the fixed-date statutory holidays, reported as provisional so callers
// can say so and recompute once the year is added. A year before the data is an error.
package calendar

import (
	"fmt"
	"sort"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai on minimal containers without /usr/share/zoneinfo
)

// Shanghai is the time zone (Asia/Shanghai) every working-day rule is evaluated in.
var Shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // unreachable: time/tzdata is linked in
	}
	return l
}

// Day is an exception to the ordinary week: Off true is a holiday (放假), false a weekend
// day that is a working day (调休补班). Date is "2006-01-02".
type Day struct {
	Date string `json:"date" yaml:"date"`
	Off  bool   `json:"off" yaml:"off"`
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
}

// ErrNoData is returned whenever a computation touches a date in a year the calendar has
// no holiday data for.
type ErrNoData struct{ Year int }

// Error names the year and how to fix it.
func (e ErrNoData) Error() string {
	return fmt.Sprintf("calendar: no holiday data for year %d; add it with an override file or the calendar API", e.Year)
}

// Calendar answers working-day questions. It is safe for concurrent use.
type Calendar struct {
	mu sync.RWMutex
	// years holds each known year's notice as given. A notice may list a date of the
	// neighbouring year (2023's lists 2022-12-31), so lookups go through the merged days.
	years map[int]map[civil]Day
	days  map[civil]Day
	// overrides come from files (AddOverrides, LoadYAML); admin overrides (set through the
	// API and stored in the database) win over them and are replaced as a whole.
	overrides map[civil]Day
	admin     map[civil]Day
	// provisional answers unknown years after the first known one instead of failing.
	provisional bool
	first       int // the first known year; 0 when none
}

// NewEmpty returns a calendar that knows no year.
func NewEmpty() *Calendar {
	return &Calendar{
		years:     map[int]map[civil]Day{},
		days:      map[civil]Day{},
		overrides: map[civil]Day{},
		admin:     map[civil]Day{},
	}
}

// SetYear adds or replaces a whole year. Every entry must be a valid date in that year, or
// within two weeks of it (a New Year holiday that straddles the turn); the error names
// the offending entry and nothing is changed.
func (c *Calendar) SetYear(year int, days []Day) error {
	m, err := parseYear(year, days, func(i int) string {
		return fmt.Sprintf("year %d entry %d", year, i+1)
	})
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	c.putYears(map[int]map[civil]Day{year: m})
	return nil
}

// AddOverrides adds local exceptions that win over the year data (a city-level extra
// holiday, a local make-up workday). They do not make a year known: a year is known only
// through the built-ins or SetYear, so an override in an unknown year still gives ErrNoData.
func (c *Calendar) AddOverrides(days []Day) error {
	m, err := parseOverrides(days, func(i int) string { return fmt.Sprintf("override %d", i+1) })
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, d := range m {
		c.overrides[k] = d
	}
	return nil
}

// ReplaceOverrides swaps the whole set of admin overrides (those stored in the database);
// they win over file overrides, which stay in force.
func (c *Calendar) ReplaceOverrides(days []Day) error {
	m, err := parseOverrides(days, func(i int) string { return fmt.Sprintf("override %d", i+1) })
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.admin = m
	return nil
}

// putYears adds or replaces validated years in one step, so readers never see half a file.
func (c *Calendar) putYears(years map[int]map[civil]Day) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for y, m := range years {
		c.years[y] = m
	}
	c.rebuild()
}

// rebuild recomputes the merged lookup; an entry in its own year's notice wins over the
// same date listed by a neighbouring year. The caller holds the write lock.
func (c *Calendar) rebuild() {
	days := make(map[civil]Day, len(c.days)+40)
	c.first = 0
	for y, m := range c.years {
		if c.first == 0 || y < c.first {
			c.first = y
		}
		for k, d := range m {
			if _, taken := days[k]; !taken || k.year() == y {
				days[k] = d
			}
		}
	}
	c.days = days
}

// SetProvisional turns provisional answers for unknown years on or off. Off, such a year
// is ErrNoData like any other.
func (c *Calendar) SetProvisional(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.provisional = on
}

// fixedHolidays are the statutory holidays whose dates do not move (全国年节及纪念日放假办法,
// 2024 revision), keyed by month*100+day. The lunar ones (春节, 清明, 端午, 中秋) and the
// make-up workdays around them come only with the year's notice.
var fixedHolidays = map[int]string{101: "元旦", 501: "劳动节", 502: "劳动节", 1001: "国庆节", 1002: "国庆节", 1003: "国庆节"}

// ProvisionalYear reports whether year is answered provisionally: provisional answers are
// on, the year has no data, and it comes after the first year that has.
func (c *Calendar) ProvisionalYear(year int) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.provisionalYear(year)
}

func (c *Calendar) provisionalYear(year int) bool {
	_, known := c.years[year]
	return c.provisional && !known && c.first > 0 && year > c.first
}

// Provisional reports whether any date between a and b (in either order, Shanghai dates)
// lies in a year answered provisionally: a result computed across that span may change
// once the year's notice is added.
func (c *Calendar) Provisional(a, b time.Time) bool {
	ya, yb := a.In(Shanghai).Year(), b.In(Shanghai).Year()
	if ya > yb {
		ya, yb = yb, ya
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for y := ya; y <= yb; y++ {
		if c.provisionalYear(y) {
			return true
		}
	}
	return false
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

// YearDays returns a known year's entries sorted by date, and false for an unknown year.
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
	all := make(map[civil]Day, len(c.overrides)+len(c.admin))
	for k, d := range c.overrides {
		all[k] = d
	}
	for k, d := range c.admin {
		all[k] = d
	}
	return sortedDays(all)
}

func sortedDays(m map[civil]Day) []Day {
	keys := make([]civil, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]Day, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
