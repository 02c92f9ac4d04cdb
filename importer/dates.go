package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

const dateLayout = "2006-01-02"

// reDate matches a Chinese or ISO date of year, month or day precision, with an optional
// part-of-period word: 2022年9月, 2025年底, 2025年6月底, 2022年12月29日, 2025年上半年,
// 2024年第一季度, 2022-11-21, 2025/6/30.
var reDate = regexp.MustCompile(`(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?\s*(上半年|下半年|第?[一二三四1-4]季度|年底|年末|底|末)?` +
	`|(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?`)

// dateSpan is the period a date expression denotes (2022年9月 is all of September) and
// where it was found (byte offsets in the matched string).
type dateSpan struct {
	start, end time.Time
	pos, stop  int
	month      bool // the month was written
}

// findDates returns every valid date expression in s, in order.
func findDates(s string) []dateSpan {
	var out []dateSpan
	for _, m := range reDate.FindAllStringSubmatchIndex(s, 32) {
		if m[0] > 0 && isDigit(s[m[0]-1]) {
			continue // the tail of a longer number
		}
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		var ds dateSpan
		var ok bool
		if g(1) != "" {
			ds, ok = makeSpan(g(1), g(2), g(3), g(4))
		} else {
			ds, ok = makeSpan(g(5), g(6), g(7), "")
		}
		if ok {
			ds.pos, ds.stop = m[0], m[1]
			out = append(out, ds)
		}
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func makeSpan(ys, ms, ds, part string) (dateSpan, bool) {
	y, _ := strconv.Atoi(ys)
	if y < 1949 || y > 2100 {
		return dateSpan{}, false
	}
	if ms == "" {
		s := dateSpan{start: ymd(y, 1, 1), end: ymd(y, 12, 31)}
		switch part {
		case "上半年":
			s.end = ymd(y, 6, 30)
		case "下半年":
			s.start = ymd(y, 7, 1)
		case "年底", "年末", "底", "末":
			s.start = ymd(y, 12, 1)
		case "":
		default: // a quarter
			q := quarter(part)
			s.start, s.end = ymd(y, 3*q-2, 1), ymd(y, 3*q+1, 0)
		}
		return s, true
	}
	mo, _ := strconv.Atoi(ms)
	if mo < 1 || mo > 12 {
		return dateSpan{}, false
	}
	if ds == "" {
		return dateSpan{start: ymd(y, mo, 1), end: ymd(y, mo+1, 0), month: true}, true
	}
	d, _ := strconv.Atoi(ds)
	t := ymd(y, mo, d)
	if d < 1 || t.Month() != time.Month(mo) {
		return dateSpan{}, false
	}
	return dateSpan{start: t, end: t, month: true}, true
}

func quarter(part string) int {
	for i, c := range []string{"一", "二", "三", "四"} {
		if strings.Contains(part, c) || strings.Contains(part, strconv.Itoa(i+1)) {
			return i + 1
		}
	}
	return 4
}

// ymd builds a date; day 0 is the last day of the previous month, as in time.Date.
func ymd(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

func format(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

// parseDay reads one full date (2022年12月29日, 2022-12-29) as 2006-01-02.
func parseDay(s string) string {
	for _, d := range findDates(s) {
		if d.start.Equal(d.end) {
			return format(d.start)
		}
	}
	return ""
}

// reSentenceDate is a date that opens a sentence or follows 到/至/截至.
var reSentenceDate = regexp.MustCompile(`(?:^|到|至|截至|截止)\s*(\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?)`)

// reYearsFrom is a span counted from a year: 2012年起5年内, 从2023年起用3年时间.
var reYearsFrom = regexp.MustCompile(`(\d{4})\s*年起[,]?\s*(?:用)?\s*(\d{1,2}|[一二两三四五六七八九十])\s*年(?:内|时间)`)

// yearsFrom is the last day of a span counted from a year (2012年起5年内 ends 2016-12-31),
// or "".
func yearsFrom(s string) string {
	m := reYearsFrom.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	n := atoi(m[2])
	if n == 0 {
		n = strings.Index("一二三四五六七八九十", m[2])/len("一") + 1
		if m[2] == "两" {
			n = 2
		}
	}
	return itoa(atoi(m[1])+n-1) + "-12-31"
}

func sentenceDeadline(sent, def string) string {
	if d := yearsFrom(sent); d != "" {
		return d
	}
	if m := reSentenceDate.FindStringSubmatch(strings.TrimSpace(sent)); m != nil {
		if ds := findDates(m[1]); len(ds) > 0 {
			return format(ds[0].end)
		}
	}
	return def
}
