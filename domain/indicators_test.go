package domain

import (
	"math"
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
	if ProRata(time.Time{}, end, start) != 0 || ProRata(end, start, start.Add(-time.Hour)) != 0 {
		t.Error("an unknown or empty window has no pace")
	}
	// Launched (end) after its written deadline (start): the whole target is due.
	if got := ProRata(end, start, end.Add(time.Hour)); got != 1 {
		t.Errorf("an item launched after its deadline is due in full: pace %v", got)
	}
}

var cst = time.FixedZone("CST", 8*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }

func TestIndicatorEnd(t *testing.T) {
	fallback := day(2025, 12, 31)
	if got := IndicatorEnd(Indicator{Deadline: "2025-06-30"}, fallback, cst); !got.Equal(time.Date(2025, 6, 30, 23, 59, 59, 0, cst)) {
		t.Errorf("deadline day: %v, want its last second", got)
	}
	if got := IndicatorEnd(Indicator{Deadline: "2025年6月"}, fallback, cst); !got.Equal(fallback) {
		t.Errorf("unreadable deadline: %v, want the window end", got)
	}
}

// TestTrack uses the seeds' targets: Zhengzhou's 高价值发明专利 14653件 by 2025-06 (郑政〔2022〕34号,
// counted here from 2023-01-01) and Baoji's 新增PCT国际申请 20件以上 over 2023–2025.
func TestTrack(t *testing.T) {
	zz := Indicator{Name: "高价值发明专利拥有量", Target: 14653, Unit: "件", Comparator: ">=", Deadline: "2025-06-30"}
	zzStart, zzEnd := day(2023, 1, 1), IndicatorEnd(zz, time.Time{}, cst)
	pct := Indicator{Name: "新增PCT国际申请", Target: 20, Unit: "件", Comparator: ">="}
	bjStart, bjEnd := day(2023, 1, 1), time.Date(2025, 12, 31, 23, 59, 59, 0, cst)
	abnormal := Indicator{Name: "专利申请非正常率", Target: 5, Unit: "%", Comparator: "<="}
	exact := Indicator{Name: "重点产业专利导航覆盖率", Target: 100, Unit: "%", Comparator: "="}
	cases := []struct {
		name                           string
		ind                            Indicator
		value                          float64
		has                            bool
		start, end, now                time.Time
		expected, forecast, attainment float64
		behind, atRisk                 bool
	}{
		{"ZZ two months in, slow start: behind, too early to call", zz, 500, true, zzStart, zzEnd, day(2023, 3, 1), 947.95, 7728.8, 0.0341, true, false},
		{"ZZ mid-2024 ahead of pace", zz, 9000, true, zzStart, zzEnd, day(2024, 6, 30), 8772.5, 15033.0, 0.6142, false, false},
		{"ZZ mid-2024 short of pace: cannot be met", zz, 7000, true, zzStart, zzEnd, day(2024, 6, 30), 8772.5, 11692.3, 0.4777, true, true},
		{"ZZ no value yet", zz, 0, false, zzStart, zzEnd, day(2024, 6, 30), 8772.5, 0, 0, false, false},
		{"PCT met at the deadline", pct, 20, true, bjStart, bjEnd, bjEnd, 20, 20, 1, false, false},
		{"PCT missed after the deadline", pct, 18, true, bjStart, bjEnd, day(2026, 3, 1), 20, 18, 0.9, true, true},
		{"PCT before the window opens", pct, 0, true, bjStart, bjEnd, day(2022, 12, 1), 0, 0, 0, false, false},
		{"PCT without a window", pct, 3, true, time.Time{}, time.Time{}, day(2024, 1, 1), 0, 3, 0.15, false, false},
		{"cap kept", abnormal, 3, true, bjStart, bjEnd, day(2024, 1, 1), 1.67, 3, 1, false, false},
		{"cap exceeded in the first month: behind only", abnormal, 8, true, bjStart, bjEnd, day(2023, 2, 1), 0.14, 8, 0.625, true, false},
		{"cap exceeded in the first half: behind only", abnormal, 8, true, bjStart, bjEnd, day(2024, 7, 1), 2.5, 8, 0.625, true, false},
		{"cap exceeded past half-time: at risk", abnormal, 8, true, bjStart, bjEnd, day(2024, 10, 1), 2.92, 8, 0.625, true, true},
		{"exact target, 90 of 100 at the end", exact, 90, true, bjStart, bjEnd, bjEnd, 100, 90, 0.9, true, true},
		{"exact target overshot", exact, 110, true, bjStart, bjEnd, bjEnd, 100, 110, 0.9, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Track(c.ind, c.value, c.has, c.start, c.end, c.now)
			if s.HasValue != c.has || s.Behind != c.behind || s.AtRisk != c.atRisk {
				t.Errorf("has %v behind %v at risk %v; want %v %v %v (%+v)", s.HasValue, s.Behind, s.AtRisk, c.has, c.behind, c.atRisk, s)
			}
			for _, f := range []struct {
				what      string
				got, want float64
			}{{"expected", s.Expected, c.expected}, {"forecast", s.Forecast, c.forecast}, {"attainment", s.Attainment, c.attainment}} {
				if math.Abs(f.got-f.want) > 0.01*max(1, math.Abs(f.want)) {
					t.Errorf("%s = %.4f, want %.4f", f.what, f.got, f.want)
				}
			}
		})
	}
}

func TestTrackIgnoresNonFiniteValues(t *testing.T) {
	ind := Indicator{Name: "PCT", Target: 20, Comparator: ">="}
	if s := Track(ind, math.NaN(), true, day(2023, 1, 1), day(2024, 1, 1), day(2023, 12, 1)); s.HasValue || s.Behind || s.AtRisk {
		t.Errorf("NaN is no value: %+v", s)
	}
}
