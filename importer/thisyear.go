package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// A deadline written without its year (年内持续推进, 年底前完成, a 完成时限 cell of 全年)
// means the end of the year the plan is for, or, failing that, of the year the document
// was issued (国发〔2020〕6号). The year is a guess, so the item carries a warning.
var (
	// reThisYear is a time value that is only such a phrase.
	reThisYear = regexp.MustCompile(`^(?:年内|年底前|年底|今年内?|今年年底前|本年度?内?|当年|全年)(?:完成|持续推进|推进|落实|实施)?$`)
	// reThisYearText is such a phrase inside a task's text: 力争年内完成.
	reThisYearText = regexp.MustCompile(`(?:年内|年底前|今年内?|本年度内)(?:全面|基本)?(?:完成|建成|实现|出台|印发|落地)`)
)

// isThisYear reports a time value that names the current year without its number.
func isThisYear(s string) bool {
	return reThisYear.MatchString(strings.Trim(s, " 。;,、"))
}

// thisYearInText reports a 年内完成 phrase that is not the tail of a span (3年内完成).
func thisYearInText(s string) bool {
	for _, loc := range reThisYearText.FindAllStringIndex(s, -1) {
		if prev := lastRune(s[:loc[0]]); prev == "" || !strings.Contains("0123456789一二两三四五六七八九十几", prev) {
			return true
		}
	}
	return false
}

// docYear is the year of the document's 文号 (国发〔2020〕6号), or 0.
func docYear(d *doc) int {
	if m := reDocCore.FindStringSubmatch(docNumber(d.lines)); m != nil {
		return atoi(m[1])
	}
	return 0
}

// inferYearEnd dates a deadline written without its year: the end of the plan's year,
// else of the document's year, with a warning; ok is false when neither is known.
func (ib *itemBuilder) inferYearEnd(line int, ref string) (string, bool) {
	year, from := ib.year, "计划年度"
	if year == 0 {
		year, from = ib.docYear, "发文年份"
	}
	if year == 0 {
		return "", false
	}
	end := itoa(year) + "-12-31"
	fromEn := map[string]string{"计划年度": "the plan's year", "发文年份": "the year of the document"}[from]
	ib.warn(line, "deadline-inferred", ref, fmt.Sprintf("任务 %s 的完成时限未写年份，按%s理解为 %s，请核对", ref, from, end),
		fmt.Sprintf("item %s: the deadline names no year; read as %s from %s, please check", ref, end, fromEn))
	return end, true
}

// reMonthBefore is a month deadline without its year: 5月底前, 2月上旬前, 6月30日前.
var reMonthBefore = regexp.MustCompile(`(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(上旬|中旬|下旬|底|末))?\s*(?:之前|以前|前)`)

// monthDeadlines reads a schedule cell that lists steps by month without a year
// (①2月上旬前,完成设计招标。②5月底前,开工建设。) as deadlines in the given year and
// returns the latest, or "" when it names none. A month after 年 (2024年6月底前) or
// after 每 (每年6月底前: a recurring date) is not such a deadline.
func monthDeadlines(s string, year int) string {
	latest := ""
	for _, m := range reMonthBefore.FindAllStringSubmatchIndex(s, -1) {
		before := strings.TrimSpace(s[:m[0]])
		if strings.HasSuffix(before, "年") || strings.HasSuffix(before, "每") || strings.HasSuffix(before, "每年") || strings.HasSuffix(before, "每季度") {
			continue
		}
		month := atoi(s[m[2]:m[3]])
		if month < 1 || month > 12 {
			continue
		}
		end := monthLast(year, month)
		switch {
		case m[4] >= 0:
			if day := atoi(s[m[4]:m[5]]); day >= 1 && day <= end.Day() {
				end = end.AddDate(0, 0, day-end.Day())
			}
		case m[6] >= 0 && s[m[6]:m[7]] == "上旬":
			end = end.AddDate(0, 0, 10-end.Day())
		case m[6] >= 0 && s[m[6]:m[7]] == "中旬":
			end = end.AddDate(0, 0, 20-end.Day())
		}
		if d := format(end); d > latest {
			latest = d
		}
	}
	return latest
}

// monthLast is the last day of a month.
func monthLast(year, month int) time.Time {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
}
