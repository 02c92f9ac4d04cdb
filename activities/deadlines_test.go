package activities

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// A dates cadence may give a time of day ("于12月25日12时前报送"): that entry is due at
// that minute, while a bare day is due at the end of its working day (the next one when it
// is a holiday).
func TestNextCycleDatesWithTimeOfDay(t *testing.T) {
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	a := &Activities{Calendar: cal}
	var c domain.Cadence
	if err := json.Unmarshal([]byte(`["2025-10-01", "2025-10-09 12:00", "2025-10-20T09:30:00+08:00"]`), &c); err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ctx := context.Background()
	cases := []struct {
		after string
		want  string // due, in Shanghai time; "" = end of a working day checked separately
	}{
		{"2025-10-08 18:00", "2025-10-09 12:00"}, // the timed entry, not moved to 17:30 or the day's end
		{"2025-10-09 11:59", "2025-10-09 12:00"},
		{"2025-10-09 12:00", "2025-10-20 09:30"}, // strictly after: the next entry
	}
	for _, tc := range cases {
		got, err := a.NextCycle(ctx, CycleRequest{Cadence: c, After: at(tc.after), End: at("2025-12-31 23:59")})
		if err != nil {
			t.Fatalf("after %s: %v", tc.after, err)
		}
		if !got.Due.Equal(at(tc.want)) || got.Final {
			t.Errorf("after %s: due %s (final %v), want %s", tc.after, got.Due.In(calendar.Shanghai), got.Final, tc.want)
		}
	}
	// 2025-10-01 is National Day: the bare date moves to the end of the first working day after.
	got, err := a.NextCycle(ctx, CycleRequest{Cadence: c, After: at("2025-09-20 10:00"), End: at("2025-12-31 23:59")})
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Due.In(calendar.Shanghai); d.Format(time.DateOnly) != "2025-10-09" {
		t.Errorf("holiday date due %s, want the end of 2025-10-09 (first working day after the holiday)", d)
	}
	// A timed entry after the item's end gives way to the end, as a day would.
	got, err = a.NextCycle(ctx, CycleRequest{Cadence: c, After: at("2025-10-09 12:00"), End: at("2025-10-15 23:59")})
	if err != nil || !got.Final {
		t.Fatalf("past the end: %+v %v", got, err)
	}
	var bad domain.Cadence
	if err := json.Unmarshal([]byte(`["2025-10-09 25:00"]`), &bad); err == nil {
		t.Error("an impossible time of day was accepted")
	}
}
