package domain

import (
	"math"
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
// window is unknown. A window that ended before it started (an item launched after its
// written deadline, under grace) is wholly due once its end has passed.
func ProRata(start, end, now time.Time) float64 {
	if start.IsZero() || end.IsZero() {
		return 0
	}
	if !end.After(start) {
		if now.Before(end) {
			return 0
		}
		return 1
	}
	return max(0, min(1, float64(now.Sub(start))/float64(end.Sub(start))))
}

// IndicatorEnd is when an indicator falls due: the last second of its deadline day in loc
// (2025-06-30 → 23:59:59 that day), or windowEnd when it has no readable deadline.
func IndicatorEnd(ind Indicator, windowEnd time.Time, loc *time.Location) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, ind.Deadline, loc)
	if err != nil {
		return windowEnd
	}
	return d.Add(24*time.Hour - time.Second)
}

// MinShareForRisk is the share of an indicator's window that must have elapsed before it
// can be called at risk (无法按期完成): half, the "时间过半、任务过半" checkpoint supervision
// offices already use. A straight-line forecast from a few weeks of data says little, and a
// plan must not turn red on its first day; before this point a slow start is only behind
// (滞后), a yellow light.
const MinShareForRisk = 0.5

// IndicatorStatus is where an indicator stands at a moment.
type IndicatorStatus struct {
	HasValue bool
	Value    float64
	// Share is the elapsed share of the window up to the indicator's deadline (序时进度).
	Share float64
	// Expected is the pro-rata expectation: target × share.
	Expected float64
	// Attainment is how far the target is met, 1 = met (">=" may exceed 1); 0 without a value.
	Attainment float64
	// Forecast is the value expected at the deadline if the pace so far holds. For "<=" it
	// is the value itself: caps are mostly levels or rates, which do not accumulate.
	Forecast float64
	// Behind: below the pro-rata expectation (">=", "="), or above the cap ("<=").
	Behind bool
	// AtRisk: the target cannot be met by the deadline at the current pace; only once
	// MinShareForRisk of the window has elapsed.
	AtRisk bool
}

// Track measures an indicator at now against its window [start, end], end being its
// deadline (see IndicatorEnd). Values are cumulative from zero at the window start, so the
// pace is value ÷ elapsed share and the forecast value ÷ share. Comparators other than
// "<=" and "=" are read as ">=" (以上, 不少于). Without a value only Share and Expected are set.
//
// With a straight-line pace from zero, a value below the expectation is also a forecast
// short of the target: an indicator behind pace is "behind" in the first half of its
// window and "at risk" after it.
func Track(ind Indicator, value float64, hasValue bool, start, end, now time.Time) IndicatorStatus {
	s := IndicatorStatus{Share: ProRata(start, end, now)}
	s.Expected = ind.Target * s.Share
	if !hasValue || math.IsNaN(value) || math.IsInf(value, 0) {
		return s
	}
	s.HasValue, s.Value = true, value
	s.Attainment = attainment(ind, value)
	if ind.Comparator == "<=" {
		s.Forecast = value
		s.Behind = value > ind.Target
		s.AtRisk = s.Behind && s.Share >= MinShareForRisk
		return s
	}
	s.Forecast = value
	if s.Share > 0 {
		s.Forecast = value / s.Share
		s.Behind = value < s.Expected
	}
	s.AtRisk = s.Share >= MinShareForRisk && s.Forecast < ind.Target
	return s
}

// attainment is value against target: value ÷ target for ">="; 1 under a "<=" cap and
// target ÷ value above it; for "=" 1 minus the relative distance, never below 0.
func attainment(ind Indicator, v float64) float64 {
	t := ind.Target
	switch ind.Comparator {
	case "<=":
		switch {
		case v <= t:
			return 1
		case v > 0 && t > 0:
			return t / v
		}
		return 0
	case "=":
		if t == 0 {
			return boolShare(v == 0)
		}
		return max(0, 1-math.Abs(v-t)/math.Abs(t))
	default:
		if t <= 0 {
			return boolShare(v >= t)
		}
		return v / t
	}
}

// boolShare is 1 for a target met outright and 0 for one missed.
func boolShare(met bool) float64 {
	if met {
		return 1
	}
	return 0
}
