package importer

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	reDocNumber = regexp.MustCompile(`\p{Han}{1,10}[〔\[(]\d{4}[〕\])]\d{1,4}号`)
	reQuoted    = regexp.MustCompile(`《([^》]{4,120})》`)
	reDateLine  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	reIssuer    = regexp.MustCompile(`^(\p{Han}{2,30}?(人民政府办公室|人民政府办公厅|人民政府|委员会|办公室))$`)
	rePeriod    = regexp.MustCompile(`\((\d{4})[-—–~至](\d{4})年?\)`)
	rePlanTitle = regexp.MustCompile(`(方案|计划|意见|措施|规划|要点|清单)(\(\d{4}[-—–~至]\d{4}年?\))?$`)
)

// parseMeta finds the title, document number (文号), issuer, date and period.
func parseMeta(lines []string) Plan {
	var p Plan
	// A document number alone on its line is the document's own; others are citations.
	for _, l := range lines {
		if m := reDocNumber.FindString(l); m != "" && len(l) <= len(m)+6 {
			p.DocNumber = m
			break
		}
	}
	for _, l := range lines {
		if p.DocNumber == "" {
			if m := reDocNumber.FindString(l); m != "" {
				p.DocNumber = m
			}
		}
		if p.Title == "" {
			for _, m := range reQuoted.FindAllStringSubmatch(l, -1) {
				if rePlanTitle.MatchString(m[1]) {
					p.Title = m[1]
					break
				}
			}
		}
	}
	if p.Title == "" {
		for _, l := range lines {
			if len([]rune(l)) <= 60 && rePlanTitle.MatchString(l) && !strings.ContainsAny(l, "。,;") {
				p.Title = l
				break
			}
		}
	}
	for i, l := range lines {
		m := reDateLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		p.Date = fmt.Sprintf("%s-%02s-%02s", m[1], pad(m[2]), pad(m[3]))
		for j := i - 1; j >= 0 && j >= i-4; j-- {
			if im := reIssuer.FindStringSubmatch(lines[j]); im != nil {
				p.Issuer = im[1]
				break
			}
		}
		break
	}
	if p.Issuer == "" {
		for _, l := range lines {
			if i := strings.Index(l, "关于"); i > 0 && i < 60 {
				if im := reIssuer.FindStringSubmatch(l[:i]); im != nil {
					p.Issuer = im[1]
					break
				}
			}
		}
	}
	if m := rePeriod.FindStringSubmatch(p.Title); m != nil {
		p.Period = m[1] + "-" + m[2]
	}
	return p
}

func pad(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
