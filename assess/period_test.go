package assess

import (
	"testing"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// TestPeriods: what a schedule firing at a period's end assesses, and the bounds a
// supervisor's custom period gets (both dates included, at most five years).
func TestPeriods(t *testing.T) {
	at := func(y int, m time.Month, d, h int) time.Time {
		return time.Date(y, m, d, h, 30, 0, 0, calendar.Shanghai)
	}
	for _, c := range []struct {
		kind  string
		when  time.Time
		label string
	}{
		{"year", at(2026, 1, 1, 0), "2025年度"},
		{"half", at(2026, 7, 1, 0), "2026年上半年"},
		{"half", at(2026, 1, 1, 0), "2025年下半年"},
		// 31 December 17:00 UTC is already 1 January in China: the year that ended is 2025.
		{"year", time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC), "2025年度"},
	} {
		p, err := Ended(c.kind, c.when)
		if err != nil || p.Label != c.label || !p.End.After(p.Start) {
			t.Errorf("Ended(%s, %v) = %+v, %v; want %s", c.kind, c.when, p, err, c.label)
		}
	}
	if _, err := Ended("quarter", at(2026, 4, 1, 0)); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("an unknown period kind: %v", err)
	}
	p, err := Custom(at(2026, 3, 1, 9), at(2026, 3, 31, 9))
	if err != nil || p.Label != "2026年3月1日至2026年3月31日" || !p.End.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, calendar.Shanghai)) {
		t.Errorf("custom March: %+v %v", p, err)
	}
	if _, err := Custom(at(2026, 3, 2, 0), at(2026, 3, 1, 0)); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("end before start: %v", err)
	}
	if _, err := Custom(at(2020, 1, 1, 0), at(2026, 1, 1, 0)); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("six years: %v", err)
	}
}
