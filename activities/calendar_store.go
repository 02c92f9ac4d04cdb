package activities

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/store"
)

// ApplyStoredCalendar loads the years and overrides an admin saved in the database into
// cal, so that they survive restarts and reach every worker.
func ApplyStoredCalendar(ctx context.Context, st *store.Store, cal *calendar.Calendar) error {
	days, err := st.CalendarDays(ctx)
	if err != nil {
		return fmt.Errorf("calendar: load stored days: %w", err)
	}
	years := map[int][]calendar.Day{}
	var overrides []calendar.Day
	for _, d := range days {
		cd := calendar.Day{Date: d.Date, Off: d.Off, Name: d.Name}
		if d.Source == "override" {
			overrides = append(overrides, cd)
			continue
		}
		var y int
		if _, err := fmt.Sscanf(d.Source, "year:%d", &y); err == nil {
			years[y] = append(years[y], cd)
		}
	}
	for y, ds := range years {
		if err := cal.SetYear(y, ds); err != nil {
			return err
		}
	}
	return cal.ReplaceOverrides(overrides)
}
