package importer

import (
	"regexp"
	"strings"
)

// Department lists mix 、 , ; and line breaks; brackets may hold separators of their own
// (各县(市、区)人民政府), so splitting honours nesting.
const nameSeparators = "、,;\n "

var (
	// reOrgSuffix is how the name of a government body ends. It is deliberately broad: it
	// decides whether a fragment is a department at all, not which one.
	reOrgSuffix = regexp.MustCompile(`(局|委|办|部|院|会|府|厅|署|处|室|所|站|馆|社|组|行|关|队|团|庭|区|县|市|镇|乡|园|联|协|中心|学校|大学|公司|集团|单位|部门|机构|机关|法院|党校|街道)$`)
	// reGroup recognises collective phrases that stand for several departments.
	reGroup = regexp.MustCompile(`^各|成员单位$|有关|相关|各\p{Han}{1,4}$|县\(区\)|县\(市|区县\(|乡\(镇\)`)
	// reAdminQualifier is 各 and administrative levels listed before a shared noun:
	// 各县、 各县、市、 (各县、市、区政府), 各有关区、 (各有关区、县级市).
	reAdminQualifier = regexp.MustCompile(`^各(?:有关|相关)?[省市县区乡镇](?:、[省市县区乡镇])*$`)
	// reGenericUnit is a unit named by its kind alone, which after 各… shares the 各.
	reGenericUnit = regexp.MustCompile(`^(?:街道|乡镇|园区|开发区|管委会|社区|村委会|居委会)`)
	// reLeadMark is an inline lead marker: 市发改委(牵头).
	reLeadMark = regexp.MustCompile(`\((?:牵头|牵头单位|主责)\)$`)
	// reBracketTail is a bracketed suffix such as (知识产权局).
	reBracketTail = regexp.MustCompile(`\([^()]*\)$`)
)

// splitNames splits a department list (folded text) into names. It drops 等 / 等有关部门
// tails and the literal 无, and rejoins fragments such as 各国家级、省级园区管委会 whose
// first half is only a qualifier.
func splitNames(s string) []string {
	var parts, seps []string // seps[i] is the separator before parts[i]
	var cur []rune
	depth := 0
	sep := ""
	flush := func() {
		for _, p := range splitAnd(string(cur)) {
			parts, seps = append(parts, p), append(seps, sep)
		}
		cur = cur[:0]
	}
	for _, r := range s {
		switch r {
		case '(', '〔', '【', '[':
			depth++
		case ')', '〕', '】', ']':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.ContainsRune(nameSeparators, r) {
			flush()
			sep = string(r)
			continue
		}
		cur = append(cur, r)
	}
	flush()
	var out []string
	for i := 0; i < len(parts); i++ {
		n := cleanName(parts[i])
		if n == "" {
			continue
		}
		// 各国家级、省级园区管委会, 各县、区人民政府: a qualifier joins the next fragment;
		// 各乡镇人民政府、街道办事处: a generic unit after a collective phrase belongs to it.
		for i+1 < len(parts) {
			next := cleanName(parts[i+1])
			joins := isQualifier(n) || seps[i+1] == "、" && strings.HasPrefix(n, "各") && reGenericUnit.MatchString(next)
			if next == "" || !joins {
				break
			}
			n += "、" + next
			i++
		}
		out = append(out, n)
	}
	return out
}

// isQualifier reports a fragment that cannot stand alone as a department but modifies the
// next one (各国家级 in 各国家级、省级园区管委会).
func isQualifier(n string) bool {
	if reAdminQualifier.MatchString(n) {
		return true // 各县 in 各县、区人民政府
	}
	if reOrgSuffix.MatchString(n) {
		return false
	}
	for _, suf := range []string{"级", "类", "和", "及"} {
		if strings.HasSuffix(n, suf) {
			return true
		}
	}
	return false
}

// cleanName trims one name: separators, a leading 由, trailing 等 phrases, quotes, spaces.
func cleanName(n string) string {
	n = strings.Join(strings.Fields(n), "")
	n = strings.Trim(n, "、,;。:.“”\"'")
	n = strings.TrimPrefix(n, "由")
	for _, suf := range []string{"等有关部门", "等有关单位", "等相关部门", "等相关单位", "等部门", "等单位", "等"} {
		if t, ok := strings.CutSuffix(n, suf); ok && t != "" {
			n = t
			break
		}
	}
	n = strings.Trim(n, "、,;。")
	if n == "无" || n == "暂无" || n == "/" || n == "-" {
		return ""
	}
	return n
}

// looksLikeOrg reports whether a name reads as a government body or a group phrase.
func looksLikeOrg(n string) bool {
	l := runeLen(n)
	if l < 2 || l > 40 || strings.ContainsAny(n, "。,;:!?《》") {
		return false
	}
	if isGroupPhrase(n) {
		return true
	}
	n = reLeadMark.ReplaceAllString(n, "")
	if reOrgSuffix.MatchString(n) {
		return true
	}
	base := reBracketTail.ReplaceAllString(n, "")
	return base != n && reOrgSuffix.MatchString(base)
}

// isGroupPhrase reports a collective phrase (各县(区)人民政府, …领导小组成员单位).
func isGroupPhrase(n string) bool {
	return reGroup.MatchString(n)
}

// allOrgs reports a non-empty list whose every name reads as a department.
func allOrgs(names []string) bool {
	if len(names) == 0 {
		return false
	}
	for _, n := range names {
		if !looksLikeOrg(n) {
			return false
		}
	}
	return true
}

// normaliseName is the key names are compared by: folded, without spaces, with every
// bracket written ( ).
func normaliseName(s string) string {
	s = strings.Map(fold, s)
	s = strings.NewReplacer("〔", "(", "〕", ")", "【", "(", "】", ")", "[", "(", "]", ")").Replace(s)
	return strings.Join(strings.Fields(s), "")
}

// splitAnd splits A及B (and A以及B) when both sides read as departments or groups:
// 市级各有关部门及各县市区政府 is two groups, 市场及质量监管局 stays one name.
func splitAnd(s string) []string {
	for _, w := range []string{"以及", "及"} {
		a, b, ok := strings.Cut(s, w)
		if ok && bracketDepth(a) == 0 && looksLikeOrg(cleanName(a)) && looksLikeOrg(cleanName(b)) {
			return append([]string{a}, splitAnd(b)...)
		}
	}
	return []string{s}
}
