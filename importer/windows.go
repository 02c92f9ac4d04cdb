package importer

import (
	"regexp"
	"strings"
	"time"
)

var (
	reOngoing  = regexp.MustCompile(`持续推进|持续开展|持续实施|长期坚持|长期推进|长期|常态化|持续`)
	reRangeSep = regexp.MustCompile(`^\s*(?:-|—|–|~|〜|至|到|—-)+\s*$`)
	reMonthEnd = regexp.MustCompile(`^\s*(?:-|—|–|~|〜|至|到)+\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?(?:底|末)?`)
	reBefore   = regexp.MustCompile(`^\s*(?:之前|以前|前)`)
	reYears    = regexp.MustCompile(`(\d{4})\s*年?\s*(?:-|—|–|~|〜|至|到)+\s*(\d{4})\s*年`)
)

// parseWindow reads a time value: the text after 实施时间: or 完成时限:, or a deadline cell.
// Forms: 2022年9月-2025年6月 (a range), 2024年1月-12月, 2022年9月,持续推进 (start and
// ongoing), 2025年底前 (an end), 持续推进 (ongoing). A single date is the end when
// deadline is true or the text says 前; otherwise the period it names (实施时间:2023年6月
// is June 2023).
func parseWindow(s string, deadline bool) (Window, bool) {
	var w Window
	w.Ongoing = reOngoing.MatchString(s)
	dates := findDates(s)
	if y := reYears.FindStringSubmatch(s); y != nil {
		if a, ok := makeSpan(y[1], "", "", ""); ok {
			if b, ok := makeSpan(y[2], "", "", ""); ok && !b.end.Before(a.start) {
				w.Start, w.End = format(a.start), format(b.end)
				dates = nil
			}
		}
	}
	switch {
	case len(dates) >= 2 && reRangeSep.MatchString(s[dates[0].stop:dates[1].pos]):
		w.Start, w.End = format(dates[0].start), format(dates[1].end)
	case len(dates) >= 1:
		d := dates[0]
		if m := reMonthEnd.FindStringSubmatch(s[d.stop:]); m != nil && d.month {
			if end, ok := monthEnd(d.start.Year(), m[1], m[2]); ok {
				w.Start, w.End = format(d.start), format(end)
				break
			}
		}
		if deadline || reBefore.MatchString(s[d.stop:]) || strings.Contains(s, "完成") {
			w.End = format(d.end)
			break
		}
		w.Start = format(d.start)
		if !w.Ongoing {
			w.End = format(d.end)
		}
	}
	if w.Ongoing {
		w.End = ""
	}
	return w, w.Start != "" || w.End != "" || w.Ongoing
}

func monthEnd(year int, ms, ds string) (time.Time, bool) {
	s, ok := makeSpan(itoa(year), ms, ds, "")
	return s.end, ok
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// findDeadlines returns the end of every "by" phrase in s: 2025年底前, 2022年10月底前,
// 2023年6月30日之前, 截至2024年12月. Dates without such a word (到2025年 in a target) are
// not deadlines of the task; they date the indicators.
func findDeadlines(s string) []string {
	var out []string
	for _, d := range findDates(s) {
		before := s[:d.pos]
		if reBefore.MatchString(s[d.stop:]) || strings.HasSuffix(before, "截至") || strings.HasSuffix(before, "截止") || strings.HasSuffix(before, "截止到") {
			out = append(out, format(d.end))
		}
	}
	return out
}

// latest returns the latest of some 2006-01-02 dates, and whether they differ.
func latest(dates []string) (string, bool) {
	max, differ := "", false
	for i, d := range dates {
		if i > 0 && d != dates[0] {
			differ = true
		}
		if d > max {
			max = d
		}
	}
	return max, differ
}
