package importer

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// reQuantity is a number with a unit: 20件, 7亿元, 95%, 70万件, 5-10期.
	reQuantity = regexp.MustCompile(`(\d+(?:\.\d+)?)(?:\s*(?:-|—|~|至)\s*(\d+(?:\.\d+)?))?\s*` +
		`(%|个百分点|亿元|万元|元|(?:万|亿)?(?:件|个|家|项|名|人次|人|场次|场|条|期|所|座|户|次|篇|部|册|套|款|种|批|分|倍|平方米|公里|亩|吨|台|万)|万|亿)`)
	reAfterCmp  = regexp.MustCompile(`^(及以上|以上|以下|以内|左右)`)
	reBeforeCmp = regexp.MustCompile(`(不少于|不低于|不超过|不高于|至少|超过|高于|低于|少于|控制在|力争达到|力争|达到|达|突破|增加到|增至|提高到|提升到|扩大到|保持在)$`)
	// reLeadTime is a time phrase that opens a clause and is not part of a name.
	reLeadTime = regexp.MustCompile(`^(?:到|至|截至|截止)?\d{4}年(?:\d{1,2}月)?(?:底|末)?(?:前)?|^(?:试点期间|试点三年时间|建设期内|示范期内|“十四五”期间|"十四五"期间|三年内|期间|其中|力争|同时)`)
	// reObjectVerb ends a clause head whose object, after the number, names the target.
	reObjectVerb = regexp.MustCompile(`(建设|建立|建成|培育|支持|形成|新增|实施|组织|开展|举办|引进|打造|认定|设立|服务|培养|推荐|创建|筹办|办理|发布|制定|出台|完成|帮助|推送|扶持|选取|遴选|布局|吸引|新建|提供|申报|获得|配备|对|为|在|向|与|有)$`)
	// reNotTarget marks clauses about money given out, not targets reached.
	reNotTarget = regexp.MustCompile(`给予|奖励|奖补|补贴|补助|资助|贴息|专项资金|每项`)
	reFocus     = regexp.MustCompile(`^(?:聚焦|围绕|按照|依照|根据|依据|结合|对标)`)
	reScopeTail = regexp.MustCompile(`(?:全市|全省|全区|全县|我市|本市)$`)
	reGrowth    = regexp.MustCompile(`(年均增长|年均增幅|增长|增幅|增速)$`)
	reSentence  = regexp.MustCompile(`[。!?\n]`)
	reClause    = regexp.MustCompile(`[,;:]|、(?:\d)`)
)

// findIndicators extracts numeric targets from folded text. A target's deadline is the
// date that opens its sentence (到2025年6月, 2025年) or, failing that, def.
func findIndicators(text, def string) []Indicator {
	var out []Indicator
	seen := map[string]bool{}
	for _, sent := range reSentence.Split(text, -1) {
		if !strings.ContainsAny(sent, "0123456789") {
			continue
		}
		deadline := sentenceDeadline(sent, def)
		var prev namePrev
		for _, clause := range splitClauses(sent) {
			clause = strings.TrimSpace(clause)
			if d := sentenceDeadline(clause, ""); d != "" {
				deadline = d // 2025年…, opening a clause, dates the rest of the sentence
			}
			if !strings.ContainsAny(clause, "0123456789") || reNotTarget.MatchString(clause) {
				continue
			}
			for _, ind := range clauseIndicators(clause, &prev) {
				ind.Deadline = deadline
				key := ind.Name + "|" + strconv.FormatFloat(ind.Target, 'g', -1, 64) + ind.Unit
				if !seen[key] {
					seen[key] = true
					out = append(out, ind)
				}
			}
		}
	}
	return out
}

// splitClauses cuts a sentence at , ; : and before a 、 that opens a new number.
func splitClauses(sent string) []string {
	var out []string
	last := 0
	for _, m := range reClause.FindAllStringIndex(sent, -1) {
		out = append(out, sent[last:m[0]])
		switch sent[m[0]] {
		case ',', ';', ':':
			last = m[0] + 1
		default: // 、 before a number: keep the number
			last = m[0] + len("、")
		}
	}
	return append(out, sent[last:])
}

func clauseIndicators(clause string, prev *namePrev) []Indicator {
	var out []Indicator
	for _, m := range reQuantity.FindAllStringSubmatchIndex(clause, 8) {
		if m[0] > 0 {
			if p := clause[m[0]-1]; p == '/' || p == '-' || p == '.' || isDigit(p) || (p >= 'A' && p <= 'z') || strings.HasSuffix(clause[:m[0]], "第") {
				continue
			}
		}
		target, err := strconv.ParseFloat(clause[m[2]:m[3]], 64)
		if err != nil {
			continue
		}
		unit := clause[m[6]:m[7]]
		rest := clause[m[1]:]
		cmp := "="
		if m[4] >= 0 { // a range: the lower bound is the target
			cmp = ">="
		}
		locked := false // 以上/以下/左右 after the number outrank a verb before it
		if a := reAfterCmp.FindString(rest); a != "" {
			rest, locked = rest[len(a):], true
			switch a {
			case "以上", "及以上":
				cmp = ">="
			case "以下", "以内":
				cmp = "<="
			default:
				cmp = "="
			}
		}
		head := strings.TrimSpace(clause[:m[0]])
		if reFocus.MatchString(head) && runeLen(head) <= 6 {
			continue // 聚焦全市8条重点产业链: a scope, not a target
		}
		if b := reBeforeCmp.FindString(head); b != "" {
			head = strings.TrimSpace(strings.TrimSuffix(head, b))
			switch {
			case locked:
			case b == "不超过" || b == "不高于" || b == "低于" || b == "少于" || b == "控制在":
				cmp = "<="
			default:
				cmp = ">="
			}
		}
		out = append(out, Indicator{Name: indicatorName(head, rest, prev), Target: target, Unit: unit, Comparator: cmp})
	}
	return out
}

// namePrev carries the previous clause's subject and head through a sentence.
type namePrev struct {
	name, head string
}

// indicatorName is the clause head without time phrases. When the head is only a verb
// (建设35家…中心) the object after the number completes it; when it is empty, either the
// previous head's verb takes this object (重点培育25家A、15家B) or, with no object either
// (…年均增长30%以上,达到6件), the previous clause's subject is reused.
func indicatorName(head, rest string, prev *namePrev) string {
	for i := 0; i < 4; i++ {
		loc := reLeadTime.FindStringIndex(head)
		if loc == nil || loc[1] == 0 {
			break
		}
		head = strings.TrimLeft(head[loc[1]:], ", ")
	}
	head = strings.TrimSpace(head)
	obj := strings.TrimSpace(strings.TrimPrefix(rest, "的"))
	if loc := reQuantity.FindStringIndex(obj); loc != nil {
		obj = obj[:loc[0]]
	}
	obj = strings.TrimRight(obj, "、和及")
	var name string
	switch {
	case head == "" && obj == "":
		name = prev.name
	case head == "":
		if reObjectVerb.MatchString(reScopeTail.ReplaceAllString(prev.head, "")) {
			name = prev.head
		}
		name += obj
	case reObjectVerb.MatchString(reScopeTail.ReplaceAllString(head, "")):
		name = head + obj
	default:
		name = head
	}
	if head != "" {
		prev.name, prev.head = reGrowth.ReplaceAllString(head, ""), head
	}
	return truncate(strings.TrimSpace(name), 40)
}

// reSentenceDate is a date that opens a sentence or follows 到/至/截至.
var reSentenceDate = regexp.MustCompile(`(?:^|到|至|截至|截止)\s*(\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?)`)

func sentenceDeadline(sent, def string) string {
	if m := reSentenceDate.FindStringSubmatch(strings.TrimSpace(sent)); m != nil {
		if ds := findDates(m[1]); len(ds) > 0 {
			return format(ds[0].end)
		}
	}
	return def
}
