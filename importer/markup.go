package importer

import (
	"regexp"
	"strings"
)

// Labels that introduce departments or times: 牵头单位:…, 配合单位:…, 责任单位:…,
// 实施时间:…, 完成时限:… . They open a line, follow a sentence, or open a bracket.
var (
	labelWords = `牵头责任单位|牵头单位|牵头部门|责任牵头单位|主要责任单位|主责单位|主办单位|配合单位|配合部门|协同责任单位|协同单位|协办单位|参与单位|责任单位|责任部门|负责部门|负责单位|承办单位|实施单位|实施主体|责任主体|` +
		`部门分工|责任分工|牵头负责领导|牵头领导|责任领导|分管领导|实施时间|完成时限|完成时间|时间节点|时间安排|进度安排|时限要求|时限`
	reLabel    = regexp.MustCompile(`(` + labelWords + `)\s*[::]`)
	reLabelBOL = regexp.MustCompile(`^(?:` + labelWords + `)\s*[::]`)
	reLabelMid = regexp.MustCompile(`[。;]\s*(?:` + labelWords + `)\s*[::]`)
	// reRoleVerb ends a run of names with its role: (A、B牵头,C按职责分工负责).
	reRoleVerb = regexp.MustCompile(`会同|按照?职(?:责|能)分工负责|按职责负责|分工负责|分别负责|共同负责|牵头负责|负责落实|推动落实|组织落实|抓好落实|配合落实|牵头|负责|配合|参与|协助|协同|落实|承担`)
	// reOtherLabel is a label that introduces no departments nor times (适用范围:, 备注:):
	// it ends the value of the label before it.
	reOtherLabel = regexp.MustCompile(`[,;。]\s*\p{Han}{2,6}\s*:`)
	// reListEnd closes a list of units: A会同B、C等部门研究提出意见.
	reListEnd = regexp.MustCompile(`等(?:有关|相关|其他)?(?:部门|单位)`)
	// reCarry is a rule for the rest of the list: 以下均需各县(市、区)政府落实.
	reCarry = regexp.MustCompile(`(?:以下|下列|下述)[^,]{0,8}?(?:需|由|须|要)(.+?)(?:推动落实|组织落实|抓好落实|负责落实|落实|负责|承担)`)
	// reInvolves is the same rule said as 具体任务均涉及相关市(州)人民政府,不再做分工.
	reInvolves = regexp.MustCompile(`\p{Han}{0,6}(?:均|都)涉及(.+?)(?:,|$)`)
	// reNote is a remark inside markup that names no department.
	reNote = regexp.MustCompile(`下同|不再一一列出|不再列出|不再重复列出|不再单列|不再重复|不再做分工|不再分工|` + firstIsLeadPattern)

	reSentenceEnd  = regexp.MustCompile(`[。;]`)
	reEmptyBracket = regexp.MustCompile(`\([\s,、;]*\)`)
	reTimeFiller   = regexp.MustCompile(`之前|以前|前|完成|推进|开展|实施|年|月|底|起|[-—–~〜至到,、\s]`)
)

// markup is what a piece of text says about departments and time.
type markup struct {
	lead, partners, resp []string // resp: responsible units whose roles are not told apart
	window               Window
	hasWindow            bool
	thisYear             bool     // a deadline without its year: 年内持续推进, 全年
	sameBelow            bool     // 下同: following tasks without markup share these units
	separate             bool     // A、B分别负责: each unit leads its own part
	carry                []string // 以下均需…落实: units added to every following task
	unparsed             []string // parts of a bracket that were not understood
}

func (m markup) departments() bool { return len(m.lead)+len(m.partners)+len(m.resp) > 0 }

func (m markup) any() bool { return m.departments() || m.hasWindow || len(m.carry) > 0 }

func (m *markup) merge(o markup) {
	m.lead = append(m.lead, o.lead...)
	m.partners = append(m.partners, o.partners...)
	m.resp = append(m.resp, o.resp...)
	if o.hasWindow && !m.hasWindow {
		m.window, m.hasWindow = o.window, true
	}
	m.sameBelow = m.sameBelow || o.sameBelow
	m.thisYear = m.thisYear || o.thisYear
	m.separate = m.separate || o.separate
	m.carry = append(m.carry, o.carry...)
	m.unparsed = append(m.unparsed, o.unparsed...)
}

// parseLabelled reads text made of label: value segments (牵头单位:A;配合单位:B).
func parseLabelled(s string) markup {
	var m markup
	locs := reLabel.FindAllStringSubmatchIndex(s, 16)
	for i, loc := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		label, value := s[loc[2]:loc[3]], strings.TrimSpace(s[loc[1]:end])
		if k := reOtherLabel.FindStringIndex(value); k != nil {
			value = value[:k[0]] // 负责部门:A;适用范围:B — a label of its own ends the list
		}
		switch {
		case strings.HasSuffix(label, "领导"):
			// 责任领导: a person, not a department; the line is markup, not content.
		case strings.Contains(label, "时"), strings.Contains(label, "进度"):
			deadline := strings.Contains(label, "限") || label == "完成时间"
			if w, ok := parseWindow(value, deadline); ok && !m.hasWindow {
				m.window, m.hasWindow = w, true
			} else if !ok {
				m.thisYear = m.thisYear || isThisYear(value)
			}
		case strings.Contains(label, "牵头"), strings.HasPrefix(label, "主"):
			m.lead = append(m.lead, splitNames(stripNotes(value, &m))...)
		case strings.HasPrefix(label, "配合"), strings.HasPrefix(label, "协"), strings.HasPrefix(label, "参与"):
			m.partners = append(m.partners, splitNames(stripNotes(value, &m))...)
		default:
			// 部门分工:A牵头,B配合 and 责任单位:A、B按职责分工负责 state roles in the value.
			value = stripNotes(value, &m)
			if !reRoleVerb.MatchString(value) || !roleClauses(value, false, &m) {
				m.resp = append(m.resp, splitNames(value)...)
			}
		}
	}
	return m
}

// stripNotes removes remarks such as 下同 from a department list, noting 下同.
func stripNotes(s string, m *markup) string {
	if strings.Contains(s, "下同") && !reFirstIsLead.MatchString(s) {
		m.sameBelow = true // (列第一位者为牵头单位,下同) repeats the rule, not the units
	}
	s = reNote.ReplaceAllString(s, "")
	return reEmptyBracket.ReplaceAllString(s, "")
}

// parseBracket reads the inside of a trailing bracket. glued is true when the bracket
// follows text directly (…工作(…)): then a bare list of names is taken for a name's own
// suffix, not markup, and only labels or role verbs count.
func parseBracket(inner string, glued bool) (markup, bool) {
	inner = strings.TrimSpace(inner)
	if loc := reLabel.FindStringIndex(inner); loc != nil && loc[0] <= 3 {
		// 责任单位:A、B。以下…均需C落实: the label's value ends at the sentence; a rule
		// stated after it is read like any other remark.
		value, rest := inner, ""
		if i := strings.Index(inner, "。"); i > 0 && bracketDepth(inner[:i]) == 0 {
			value, rest = inner[:i], strings.TrimSpace(inner[i+len("。"):])
		}
		m := parseLabelled(value)
		if rest != "" {
			r, _ := parseBracket(rest, false)
			m.merge(r)
		}
		return m, m.any()
	}
	if isThisYear(inner) {
		return markup{thisYear: true}, true
	}
	if isTimeOnly(inner) {
		w, ok := parseWindow(inner, false)
		return markup{window: w, hasWindow: ok}, ok
	}
	var m markup
	understood := false
	for _, sent := range reSentenceEnd.Split(inner, 8) {
		sent = strings.Trim(strings.TrimSpace(sent), ",")
		if sent == "" {
			continue
		}
		for _, re := range []*regexp.Regexp{reCarry, reInvolves} {
			if c := re.FindStringSubmatchIndex(sent); c != nil && allOrgs(splitNames(sent[c[2]:c[3]])) {
				m.carry = append(m.carry, splitNames(sent[c[2]:c[3]])...)
				understood = true
				sent = strings.Trim(sent[:c[0]]+sent[c[1]:], ", ")
			}
		}
		if sent == "" {
			continue
		}
		sent = strings.Trim(stripNotes(sent, &m), ", ")
		if sent == "" {
			understood = true
			continue
		}
		if isThisYear(sent) {
			m.thisYear, understood = true, true
			continue
		}
		if !roleClauses(sent, glued, &m) {
			m.unparsed = append(m.unparsed, sent)
			continue
		}
		understood = true
	}
	m.unparsed = timeNotes(m.unparsed, &m)
	return m, understood && (m.departments() || len(m.carry) > 0)
}

// isTimeOnly reports text that says only when: 2023年底前完成, 实施时间 without a label,
// 持续推进.
func isTimeOnly(s string) bool {
	if isThisYear(s) {
		return true
	}
	hasDate := reDate.MatchString(s)
	if !hasDate && !reOngoing.MatchString(s) {
		return false
	}
	rest := reDate.ReplaceAllString(s, "")
	rest = reOngoing.ReplaceAllString(rest, "")
	rest = reTimeFiller.ReplaceAllString(rest, "")
	return runeLen(rest) <= 1
}
