// Package assess runs the assessment (考核) of a plan over a period and drafts the circular
// (通报) from it: it reads the facts from the store, counts working days with the calendar
// and applies the domain's formula. The API calls it on demand; the scheduled workflow's
// activity calls it at each period's end.
package assess

import (
	"fmt"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// Period is what an assessment covers: [Start, End) in China Standard Time.
type Period struct {
	Kind  string    `json:"kind"` // year, half, custom
	Label string    `json:"label"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Year is the calendar year y (年度).
func Year(y int) Period {
	return Period{Kind: "year", Label: fmt.Sprintf("%d年度", y),
		Start: time.Date(y, 1, 1, 0, 0, 0, 0, calendar.Shanghai), End: time.Date(y+1, 1, 1, 0, 0, 0, 0, calendar.Shanghai)}
}

// Half is the first (h = 1) or second (h = 2) half of year y.
func Half(y, h int) Period {
	m := time.January
	label := "上半年"
	if h == 2 {
		m, label = time.July, "下半年"
	}
	start := time.Date(y, m, 1, 0, 0, 0, 0, calendar.Shanghai)
	return Period{Kind: "half", Label: fmt.Sprintf("%d年%s", y, label), Start: start, End: start.AddDate(0, 6, 0)}
}

// Custom is [from, to] by dates, both included.
func Custom(from, to time.Time) (Period, error) {
	s := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, calendar.Shanghai)
	e := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, calendar.Shanghai).AddDate(0, 0, 1)
	if !e.After(s) {
		return Period{}, domain.Invalidf("end", "结束日期须不早于开始日期 / end must not be before start")
	}
	if e.Sub(s) > 5*366*24*time.Hour {
		return Period{}, domain.Invalidf("end", "考核期不超过五年 / a period spans at most five years")
	}
	return Period{Kind: "custom", Label: s.Format("2006年1月2日") + "至" + e.AddDate(0, 0, -1).Format("2006年1月2日"), Start: s, End: e}, nil
}

// Ended is the period of the kind that ended last at or before t: what a schedule firing
// at a period's end (or a little after) assesses.
func Ended(kind string, t time.Time) (Period, error) {
	t = t.In(calendar.Shanghai)
	switch kind {
	case "year":
		return Year(t.Year() - 1), nil
	case "half":
		if t.Month() >= time.July {
			return Half(t.Year(), 1), nil
		}
		return Half(t.Year()-1, 2), nil
	}
	return Period{}, domain.Invalidf("period", "考核周期应为 year 或 half / period must be year or half")
}
