package domain

import (
	"strings"
	"time"
)

// IndicatorValue finds the reported value for an indicator: by its exact name, or by a
// reported key its name contains (a liaison reports {"PCT": 5} for 新增PCT国际申请). Among
// several matching keys the smallest wins, so the answer never depends on map order.
func IndicatorValue(values map[string]float64, name string) (float64, bool) {
	if v, ok := values[name]; ok {
		return v, true
	}
	best, found := "", false
	for k := range values {
		if k != "" && strings.Contains(name, k) && (!found || k < best) {
			best, found = k, true
		}
	}
	return values[best], found
}

// ProRata is the share of a window elapsed at now (序时进度), between 0 and 1; 0 when the
// window is unknown.
func ProRata(start, end, now time.Time) float64 {
	if start.IsZero() || end.IsZero() || !end.After(start) {
		return 0
	}
	return max(0, min(1, float64(now.Sub(start))/float64(end.Sub(start))))
}
