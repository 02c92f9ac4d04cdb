package importer

import (
	"regexp"
	"strings"
)

var (
	reLeadLine    = regexp.MustCompile(`^(?:牵头(?:单位|部门)|责任牵头单位)[::]\s*(.*)$`)
	rePartnerLine = regexp.MustCompile(`^(?:配合(?:单位|部门)|协办单位|参与单位)[::]\s*(.*)$`)
	reRespLine    = regexp.MustCompile(`^(?:责任(?:单位|部门))[::]\s*(.*)$`)
	reFirstIsLead = regexp.MustCompile(`(列|排在?)第一位(的|者)?(单位)?为牵头(单位)?`)
)

// markup is the departments a block names.
type markup struct {
	lead, partners []string
	found          bool
	guessedLead    bool // first responsible unit taken as lead
	line           int
}

// findMarkup looks for every layout the seeds use: 牵头单位:/配合单位: lines; a trailing
// 〔责任单位:…〕, (责任单位:…) or 【责任单位:…】; a trailing (A、B按职责分工负责), (A、B负责)
// or (A、B牵头,C按职责分工负责).
func findMarkup(b *block) (markup, string) {
	var m markup
	var kept []string
	for i, l := range b.lines {
		if x := reLeadLine.FindStringSubmatch(l); x != nil {
			m.lead, m.found, m.line = append(m.lead, splitNames(x[1])...), true, b.first+i+1
			continue
		}
		if x := rePartnerLine.FindStringSubmatch(l); x != nil {
			m.partners, m.found = append(m.partners, splitNames(x[1])...), true
			continue
		}
		if x := reRespLine.FindStringSubmatch(l); x != nil {
			names := splitNames(x[1])
			m.found, m.line = true, b.first+i+1
			if len(m.lead) == 0 && len(names) > 0 {
				m.lead, m.partners, m.guessedLead = names[:1], append(m.partners, names[1:]...), true
			} else {
				m.partners = append(m.partners, names...)
			}
			continue
		}
		kept = append(kept, l)
	}
	body := strings.Join(append([]string{b.head}, kept...), "\n")
	if m.found {
		return m, body
	}
	// Trailing bracketed markup on the last non-empty line of the block.
	trimmed := strings.TrimRight(body, " \n。;;")
	inner, start, ok := trailingBracket(trimmed)
	if !ok {
		return m, body
	}
	inner = strings.TrimSpace(inner)
	switch {
	case strings.HasPrefix(inner, "责任单位") || strings.HasPrefix(inner, "责任部门"):
		names := splitNames(strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(inner, "责任单位"), "责任部门"), "::"))
		if len(names) > 0 {
			m.lead, m.partners, m.guessedLead = names[:1], names[1:], true
		}
	case strings.HasSuffix(inner, "负责") || strings.Contains(inner, "牵头"):
		leadPart, rest, hasLead := strings.Cut(inner, "牵头")
		if hasLead {
			m.lead = splitNames(leadPart)
			m.partners = splitNames(trimDuty(strings.TrimLeft(rest, ",,;;")))
		} else {
			names := splitNames(trimDuty(inner))
			if len(names) > 0 {
				m.lead, m.partners, m.guessedLead = names[:1], names[1:], true
			}
		}
	default:
		return m, body
	}
	m.found = len(m.lead)+len(m.partners) > 0
	m.line = b.last
	if m.found {
		body = strings.TrimSpace(trimmed[:start])
	}
	return m, body
}

func trimDuty(s string) string {
	for _, suf := range []string{"按职责分工负责", "按职责负责", "分别负责", "共同负责", "负责"} {
		if t, ok := strings.CutSuffix(s, suf); ok {
			return t
		}
	}
	return s
}

// trailingBracket returns the content of the bracket that closes s, honouring nested
// brackets so that names like 市市场监管局(知识产权局) survive.
func trailingBracket(s string) (inner string, start int, ok bool) {
	pairs := map[rune]rune{')': '(', '〕': '〔', '】': '【', ']': '['}
	rs := []rune(s)
	if len(rs) < 3 {
		return "", 0, false
	}
	closeR := rs[len(rs)-1]
	openR, isClose := pairs[closeR]
	if !isClose {
		return "", 0, false
	}
	depth := 0
	for i := len(rs) - 1; i >= 0; i-- {
		switch rs[i] {
		case closeR:
			depth++
		case openR:
			depth--
			if depth == 0 {
				return string(rs[i+1 : len(rs)-1]), len(string(rs[:i])), true
			}
		}
	}
	return "", 0, false
}

// splitNames splits a department list on 、 , ; and spaces (not inside brackets), drops
// 等 / 等有关部门 and the literal 无.
func splitNames(s string) []string {
	s = strings.TrimSpace(strings.TrimRight(s, "。;;"))
	// Group phrases that contain a list separator themselves stay whole.
	for _, g := range compoundGroups {
		s = strings.ReplaceAll(s, g, strings.ReplaceAll(g, "、", "\x00"))
	}
	var out []string
	var cur []rune
	depth := 0
	flush := func() {
		n := cleanName(string(cur))
		if n != "" {
			out = append(out, n)
		}
		cur = cur[:0]
	}
	for _, r := range s {
		switch r {
		case '(', '〔', '【', '[':
			depth++
		case ')', '〕', '】', ']':
			depth--
		}
		if depth <= 0 && strings.ContainsRune("、,,;; \t", r) {
			flush()
			continue
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// compoundGroups are collective phrases written with 、 inside them.
var compoundGroups = []string{"各国家级、省级园区管委会", "各国家级、省级开发区管委会", "各国家级、省级高新区管委会"}

func cleanName(n string) string {
	n = strings.TrimSpace(strings.ReplaceAll(n, "\x00", "、"))
	for _, suf := range []string{"等有关部门", "等有关单位", "等部门", "等单位", "等"} {
		if t, ok := strings.CutSuffix(n, suf); ok && t != "" {
			n = t
			break
		}
	}
	if n == "无" || n == "" {
		return ""
	}
	return n
}
