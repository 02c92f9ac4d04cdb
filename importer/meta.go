package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// reDocCore is the core of a 文号: 郑政〔2022〕34号, 宝政发[2022]17号, 安政办发(2024)13号.
	reDocCore  = regexp.MustCompile(`\s*[〔\[(【﹝]\s*(\d{4})\s*[〕\])】﹞]\s*(\d{1,4})\s*号`)
	reDocLabel = regexp.MustCompile(`(?:文\s*号|发文字号|发文号)\s*[::]`)
	// reTitleLabel is the title field of a page's disclosure table: 标  题:…, 名 称:….
	reTitleLabel  = regexp.MustCompile(`^(?:标\s*题|名\s*称)\s*[::]\s*(\S.{3,})$`)
	reQuotedTitle = regexp.MustCompile(`《([^《》]{4,120})》`)
	rePlanSuffix  = regexp.MustCompile(`(方案|计划|措施|意见|规划|纲要|要点|清单|办法|细则|实施方案)(\(\d{4}\s*[-—–~至]\s*\d{4}年?\))?$`)
	reIssueLine   = regexp.MustCompile(`^\p{Han}{2,30}(人民政府办公室|人民政府办公厅|人民政府|政府办公室|委员会|办公室|办公厅|领导小组|指挥部|局|委|厅|院|部|署)$`)
	// reYearPlan is a title naming the one year it plans: 2023年重点工作, 2024年工作要点.
	reYearPlan = regexp.MustCompile(`(\d{4})\s*年(?:度)?[^\d年]{0,12}(?:重点工作|工作要点|工作计划|工作任务|目标任务|重点任务)|(\d{4})\s*年度\p{Han}{0,20}(?:计划|方案)`)
	// rePeriodStated is a period stated in the text: 试点期到2027年, 实施期为2025年.
	rePeriodStated = regexp.MustCompile(`(?:试点期|实施期|建设期|行动期|规划期|示范期|试点期限)(?:为|是)?(?:到|至|截至)?\s*(\d{4})\s*年`)
	reFullDate     = regexp.MustCompile(`^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$`)
	reDateLabel    = regexp.MustCompile(`发布日期|发布时间|成文日期|印发日期|时间|来源`)
	reIssuerLabel  = regexp.MustCompile(`(?:发布机构|发文机关|发文单位)\s*[::]\s*(\p{Han}{2,30})`)
	reCircular     = regexp.MustCompile(`^(\p{Han}{2,30}?)关于`)
	reIssuedAfter  = regexp.MustCompile(`^\s*(?:已经|已|经)[^。]{0,20}(?:同意|批准)|^\s*(?:印发给|印发你们|现印发)`)
	rePeriodText   = regexp.MustCompile(`(\d{4})\s*[-—–~至]\s*(\d{4})\s*年`)
)

// parseMeta reads the plan's title, document number, issuer, signing date and period.
// Only the text before the first numbered section (the notice and the title page) is
// searched for the title, so that documents cited in the body are not mistaken for it.
func parseMeta(d *doc, bodyStart int) Plan {
	p := Plan{Indicators: []Indicator{}}
	head := d.lines[:clamp(bodyStart, len(d.lines))]
	p.DocNumber = docNumber(d.lines)
	p.Title = planTitle(head, d.lines)
	p.Issuer, p.Date = signature(d.lines)
	if p.Issuer == "" {
		p.Issuer = jointIssuers(head)
	}
	if p.Issuer == "" {
		for _, l := range d.lines {
			if m := reIssuerLabel.FindStringSubmatch(l.text); m != nil {
				p.Issuer = m[1]
				break
			}
		}
	}
	if p.Issuer == "" {
		for _, l := range head {
			if m := reCircular.FindStringSubmatch(l.text); m != nil && reIssueLine.MatchString(m[1]) {
				p.Issuer = m[1]
				break
			}
		}
	}
	if p.Date == "" {
		for _, l := range head {
			if reDateLabel.MatchString(l.text) {
				if day := parseDay(l.text); day != "" {
					p.Date = day
					break
				}
			}
		}
	}
	p.Period = statedPeriod(p.Title, head, d.lines)
	p.DocNumber, p.Issuer = d.keep(p.DocNumber), d.keep(p.Issuer)
	return p
}

// statedPeriod reads the plan period: (2022-2025年) in the title, else a span such as
// 三年行动(2025—2027年) before the body, else 试点期到2027年 anywhere. Failing those, the
// plan's goals set it (see periodFromGoals).
func statedPeriod(title string, head, all []line) Period {
	texts := []string{title}
	for _, l := range head {
		if runeLen(l.text) <= 60 && !strings.Contains(l.text, "。") {
			texts = append(texts, l.text) // title lines, not citations in the notice
		}
	}
	for _, t := range texts {
		if m := rePeriodText.FindStringSubmatch(t); m != nil {
			if w, ok := parseWindow(m[0], false); ok {
				return Period{Text: m[0], Start: w.Start, End: w.End}
			}
		}
	}
	if m := reYearPlan.FindStringSubmatch(narrow(title)); m != nil && rePeriodText.FindString(narrow(title)) == "" {
		// 2023年政府工作报告重点工作: a plan for one year runs to its end.
		y := m[1] + m[2]
		if w, ok := parseWindow(y+"年", false); ok {
			return Period{Text: y + "年", Start: w.Start, End: w.End}
		}
	}
	for _, l := range all {
		if m := rePeriodStated.FindStringSubmatchIndex(l.text); m != nil {
			if ds := findDates(l.text[m[2]:m[3]] + "年"); len(ds) > 0 {
				return Period{Text: original(l, m[0], m[1]), End: format(ds[0].end)}
			}
		}
	}
	return Period{}
}

// jointIssuers reads issuers named together before 关于 in the notice's title line, the
// form of a joint notice: 中共某省委办公厅 某省人民政府办公厅关于印发…, or four bureaux
// separated by spaces. Each part must read as an issuing body.
func jointIssuers(head []line) string {
	for _, l := range head {
		before, _, ok := strings.Cut(l.text, "关于")
		if !ok || runeLen(before) > 120 {
			continue
		}
		var parts []string
		for _, f := range strings.Fields(before) {
			parts = append(parts, splitIssuers(f)...)
		}
		if len(parts) == 0 {
			continue
		}
		all := true
		for _, p := range parts {
			all = all && reIssueLine.MatchString(p)
		}
		if all {
			return strings.Join(parts, "、")
		}
	}
	return ""
}

// splitIssuers cuts 中共某市委办公室某市人民政府办公室 after each issuing-body ending.
func splitIssuers(s string) []string {
	var out []string
	for s != "" {
		loc := reIssuerEnd.FindStringIndex(s)
		if loc == nil {
			return append(out, s)
		}
		out = append(out, s[:loc[1]])
		s = s[loc[1]:]
	}
	return out
}

var reIssuerEnd = regexp.MustCompile(`^\p{Han}{2,30}?(?:人民政府办公室|人民政府办公厅|委办公室|委办公厅|人民政府|办公厅|办公室)`)

// docNumber prefers a labelled 文号, then one alone on its line, then the first one that
// is not a citation in brackets after a 《title》. Numbers are written with 〔〕.
func docNumber(lines []line) string {
	pick := func(ok func(l line, from, to int) bool) string {
		for _, l := range lines {
			for _, n := range findDocNumbers(l.text) {
				if ok(l, n.from, n.to) {
					return n.text
				}
			}
		}
		return ""
	}
	if n := pick(func(l line, from, _ int) bool { return reDocLabel.MatchString(l.text[:from]) }); n != "" {
		return n
	}
	if n := pick(func(l line, from, to int) bool { return from == 0 && runeLen(l.text[to:]) <= 2 }); n != "" {
		return n
	}
	return pick(func(l line, from, _ int) bool {
		before := strings.TrimRight(l.text[:from], " ")
		return !strings.HasSuffix(before, "》(") && !strings.HasSuffix(before, "(") && !strings.HasSuffix(before, "》")
	})
}

type docNo struct {
	text     string
	from, to int // byte offsets in the line
}

// findDocNumbers finds 〔2022〕34号 cores and extends each back over the issuer's prefix
// (up to 12 Han characters), which is much cheaper than one regexp with a leading run.
func findDocNumbers(text string) []docNo {
	if !strings.Contains(text, "号") {
		return nil
	}
	var out []docNo
	for _, m := range reDocCore.FindAllStringSubmatchIndex(text, 8) {
		from, n := m[0], 0
		for from > 0 && n < 12 {
			r, size := utf8.DecodeLastRuneInString(text[:from])
			if !unicode.Is(unicode.Han, r) {
				break
			}
			from -= size
			n++
		}
		if n == 0 {
			continue
		}
		out = append(out, docNo{text: text[from:m[0]] + "〔" + text[m[2]:m[3]] + "〕" + text[m[4]:m[5]] + "号", from: from, to: m[1]})
	}
	return out
}

// planTitle prefers the 《title》 that the notice issues (《…》已经市政府同意, 现将《…》印发给
// 你们), then a standalone heading line shaped like a plan's name, then the first line.
func planTitle(head, all []line) string {
	for _, l := range head {
		for _, m := range reQuotedTitle.FindAllStringSubmatchIndex(l.text, 4) {
			t, before, after := l.text[m[2]:m[3]], l.text[:m[0]], l.text[m[1]:]
			issued := reIssuedAfter.MatchString(after) || strings.HasSuffix(before, "现将") || strings.HasSuffix(before, "现印发")
			if issued && rePlanSuffix.MatchString(t) {
				return original(l, m[2], m[3])
			}
		}
	}
	var last string
	above := -1 // the previous non-empty line
	for i, l := range head {
		if l.text == "" {
			continue
		}
		if runeLen(l.text) <= 60 && rePlanSuffix.MatchString(l.text) && !strings.ContainsAny(l.text, "。,;:") {
			last = string(l.raw) // the title line closest to the body
			if above >= 0 && wrappedTitleHead(head[above].text) {
				last = string(head[above].raw) + last // a title broken over two lines
			}
		}
		above = i
	}
	if last != "" {
		return last
	}
	for _, l := range head {
		if m := reTitleLabel.FindStringSubmatchIndex(l.text); m != nil {
			return strings.TrimSpace(original(l, m[2], m[3])) // 标  题:国务院办公厅关于…的通知
		}
	}
	for _, l := range all {
		if l.text != "" && runeLen(l.text) <= 60 {
			return string(l.raw)
		}
	}
	return ""
}

// original returns the original text of byte range [from, to) of a line's folded text.
func original(l line, from, to int) string {
	return string(l.raw[runeIndex(l.text, from):runeIndex(l.text, to)])
}

// signature finds the signing block: an issuing body on its own line followed by a full
// date on its own line (宝鸡市人民政府 / 2022年11月7日). A date alone also counts.
func signature(lines []line) (issuer, date string) {
	prev, prev2 := "", ""
	for _, l := range lines {
		if l.text == "" {
			continue
		}
		if reFullDate.MatchString(l.text) {
			if reIssueLine.MatchString(prev) {
				if reIssueLine.MatchString(prev2) && prev2 != prev {
					prev = prev2 + "、" + prev // 中共某市委办公室 / 某市人民政府办公室: a joint notice
				}
				return prev, parseDay(l.text)
			}
			if date == "" {
				date = parseDay(l.text)
			}
		}
		prev2, prev = prev, l.text
	}
	return "", date
}

// wrappedTitleHead reports a line that reads as the first half of a title broken over two
// lines: short, no punctuation, not itself a plan name, an issuer, a date or a heading.
func wrappedTitleHead(t string) bool {
	st, _, _ := matchHeading(t)
	return runeLen(t) <= 30 && st < 0 && !strings.ContainsAny(t, "。,;:、《》") && !rePlanSuffix.MatchString(t) &&
		!reIssueLine.MatchString(t) && !reFullDate.MatchString(t) && reDocCore.FindStringIndex(t) == nil
}
