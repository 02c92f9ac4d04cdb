package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	reImplTime = regexp.MustCompile(`实施时间[::]?\s*(\d{4})年(\d{1,2})月(?:\s*[-—–~至到]\s*(?:(\d{4})年)?(\d{1,2})月)?`)
	reMonthBy  = regexp.MustCompile(`(\d{4})年(\d{1,2})月(?:底|末)?(?:前|以前|之前)`)
	reYearBy   = regexp.MustCompile(`(\d{4})年(?:底|末)?(?:前|以前|之前)`)
	reYearEnd  = regexp.MustCompile(`(\d{4})年(?:底|末)`)
	reByYear   = regexp.MustCompile(`到(\d{4})年`)
)

// findWindow reads 实施时间:2022年9月-2025年6月, 持续推进, 2025年底前, 2022年10月底前.
func findWindow(text string) Window {
	var w Window
	w.Ongoing = strings.Contains(text, "持续推进") || strings.Contains(text, "长期坚持")
	if m := reImplTime.FindStringSubmatch(text); m != nil {
		w.Start = monthStart(m[1], m[2])
		if m[4] != "" {
			y := m[3]
			if y == "" {
				y = m[1]
			}
			w.End = monthEnd(y, m[4])
		}
		return w
	}
	if m := reMonthBy.FindStringSubmatch(text); m != nil {
		w.End = monthEnd(m[1], m[2])
	} else if m := reYearBy.FindStringSubmatch(text); m != nil {
		w.End = m[1] + "-12-31"
	} else if m := reYearEnd.FindStringSubmatch(text); m != nil {
		w.End = m[1] + "-12-31"
	} else if m := reByYear.FindStringSubmatch(text); m != nil {
		w.End = m[1] + "-12-31"
	}
	return w
}

func monthStart(y, m string) string {
	mi, _ := strconv.Atoi(m)
	if mi < 1 || mi > 12 {
		return ""
	}
	return fmt.Sprintf("%s-%02d-01", y, mi)
}

func monthEnd(y, m string) string {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	if mi < 1 || mi > 12 {
		return ""
	}
	return time.Date(yi, time.Month(mi)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}
