package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
)

// builtin is the holiday-cn data shipped in the binary; see holidays/README.md.
//
//go:embed holidays/*.json
var builtin embed.FS

// New returns a calendar with the built-in years (2020–2026) that answers later years
// provisionally until their notices are added.
func New() (*Calendar, error) {
	c := NewEmpty()
	c.provisional = true
	entries, err := builtin.ReadDir("holidays")
	if err != nil {
		return nil, fmt.Errorf("calendar: built-in data: %w", err)
	}
	for _, e := range entries {
		f, err := builtin.Open("holidays/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("calendar: built-in %s: %w", e.Name(), err)
		}
		err = c.LoadHolidayCN(f)
		_ = f.Close() // an embedded file; closing cannot fail in a way that matters
		if err != nil {
			return nil, fmt.Errorf("calendar: built-in %s: %w", e.Name(), err)
		}
	}
	return c, nil
}

// holidayCN is one year in the NateScarlet/holiday-cn format. Other keys ($schema,
// papers) are ignored; isOffDay is a pointer so a missing one is an error, not a workday.
type holidayCN struct {
	Year int `json:"year"`
	Days []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay *bool  `json:"isOffDay"`
	} `json:"days"`
}

// LoadHolidayCN adds or replaces one year from a file in the holiday-cn JSON format
// ({"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}), so an admin
// can drop in next year's file as published. Errors name the entry; nothing is changed.
func (c *Calendar) LoadHolidayCN(r io.Reader) error {
	var f holidayCN
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return fmt.Errorf("calendar: holiday-cn JSON: %w", err)
	}
	if f.Year == 0 {
		return fmt.Errorf("calendar: holiday-cn JSON: no \"year\"")
	}
	days := make([]Day, len(f.Days))
	for i, d := range f.Days {
		if d.IsOffDay == nil {
			return fmt.Errorf("calendar: holiday-cn %d days[%d] (%q): no \"isOffDay\"", f.Year, i, d.Date)
		}
		days[i] = Day{Date: d.Date, Off: *d.IsOffDay, Name: d.Name}
	}
	m, err := parseYear(f.Year, days, func(i int) string {
		return fmt.Sprintf("holiday-cn %d days[%d]", f.Year, i)
	})
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	c.putYears(map[int]map[civil]Day{f.Year: m})
	return nil
}
