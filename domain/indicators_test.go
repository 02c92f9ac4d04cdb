package domain

import (
	"testing"
	"time"
)

func TestIndicatorValue(t *testing.T) {
	vals := map[string]float64{"PCT": 5, "专利": 7, "新增PCT国际申请": 9}
	if v, ok := IndicatorValue(vals, "新增PCT国际申请"); !ok || v != 9 {
		t.Errorf("exact name: %v %v", v, ok)
	}
	if v, ok := IndicatorValue(map[string]float64{"PCT": 5, "申请": 6}, "新增PCT国际申请"); !ok || v != 5 {
		t.Errorf("several keys match: the smallest key wins deterministically, got %v", v)
	}
	if _, ok := IndicatorValue(vals, "质押融资额"); ok {
		t.Error("no key matches")
	}
}

func TestProRata(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(100 * time.Hour)
	for _, c := range []struct {
		now  time.Time
		want float64
	}{{start.Add(30 * time.Hour), 0.3}, {start.Add(-time.Hour), 0}, {end.Add(time.Hour), 1}} {
		if got := ProRata(start, end, c.now); got != c.want {
			t.Errorf("ProRata at %v = %v, want %v", c.now, got, c.want)
		}
	}
	if ProRata(time.Time{}, end, start) != 0 || ProRata(end, start, start) != 0 {
		t.Error("an unknown or empty window has no pace")
	}
}
