package importer

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// reQuantity is a number with a unit: 20件, 7亿元, 95%, 70万件, 5-10期.
	// Compound units come first so that they are kept whole: 亿千瓦时, 万吨标准煤, 个百分点.
	reQuantity = regexp.MustCompile(`(\d+(?:\.\d+)?)(?:\s*(?:-|—|–|~|～|〜|至|到)\s*(\d+(?:\.\d+)?))?\s*` +
		`(%|个百分点|个工作日|工作日|微克/立方米|微克每立方米|毫克/升|毫克每升|(?:亿|万)?千瓦时|(?:亿|万)?千瓦|(?:万|亿)?吨标准煤|平方公里|亿元|万元|元|` +
		`(?:万|亿)?(?:件|个|家|项|名|人次|人|场次|场|条|期|所|座|户|次|篇|部|册|套|款|种|批|分|倍|平方米|公里|公顷|亩|吨|台|辆|张)|万|亿)`)
	reAfterCmp  = regexp.MustCompile(`^(?:\(含\))?(及以上|以上|以下|以内|之内|内|左右)`)
	reBeforeCmp = regexp.MustCompile(`(不少于|不低于|不超过|不高于|不多于|至少|超过|高于|低于|少于|控制在|控制到|缩短至|缩短到|缩短为|压缩至|压缩到|压减至|降至|降到|降低到|下降到|减少到|减少至|` +
		`力争达到|力争|达到|达|突破|增加到|增至|提高到|提高至|提升到|提升至|扩大到|扩大至|保持在)$`)
	// reLowerTo is a before-word that sets a ceiling: 缩短至100个工作日.
	reLowerTo = regexp.MustCompile(`^(?:不超过|不高于|不多于|低于|少于|控制在|控制到|缩短|压缩|压减|降|下降|减少)`)
	// reMoney is a unit of money, not a count.
	reMoney = regexp.MustCompile(`元$`)
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
	reClause    = regexp.MustCompile(`[,;:]`)
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
			if !strings.ContainsAny(clause, "0123456789") {
				continue
			}
			// Money given out (给予10万元奖励) is not a target; a count of people or firms in
			// the same clause (资助优秀人才50名) still is.
			money := reNotTarget.MatchString(clause)
			for _, ind := range clauseIndicators(clause, &prev) {
				if money && (reMoney.MatchString(ind.Unit) || ind.Unit == "%") {
					continue
				}
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

// splitClauses cuts a sentence at , ; : and at a 、 between two parts that each hold a
// quantity (培养学科带头人10名、骨干教师100名), so each target keeps its own noun.
func splitClauses(sent string) []string {
	var out []string
	last := 0
	for _, m := range reClause.FindAllStringIndex(sent, -1) {
		out = append(out, splitEnumeration(sent[last:m[0]])...)
		last = m[1]
	}
	return append(out, splitEnumeration(sent[last:])...)
}

// splitEnumeration cuts a clause at each 、 whose both sides hold a quantity.
func splitEnumeration(clause string) []string {
	parts := strings.Split(clause, "、")
	if len(parts) == 1 {
		return parts
	}
	var out []string
	cur := parts[0]
	for _, p := range parts[1:] {
		if reQuantity.MatchString(cur) && reQuantity.MatchString(p) {
			out = append(out, cur)
			cur = p
			continue
		}
		cur += "、" + p
	}
	return append(out, cur)
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
		unit := strings.TrimPrefix(clause[m[6]:m[7]], "个工") // 个工作日 → 工作日
		if unit != clause[m[6]:m[7]] {
			unit = "工作日"
		}
		rest := clause[m[1]:]
		if strings.HasSuffix(unit, "人") && strings.HasPrefix(rest, "才") {
			continue // 121人才梯队: 人才 is a noun, not a count of 人
		}
		if strings.HasPrefix(rest, "(含)") && strings.Contains(rest[:min(len(rest), 24)], "的") {
			continue // 30人(含)以下的企业: a condition, not a target
		}
		cmp := "="
		var upper float64
		if m[4] >= 0 { // a range 1—2个: the lower bound is the target, the upper kept beside it
			cmp = ">="
			upper, _ = strconv.ParseFloat(clause[m[4]:m[5]], 64)
		}
		locked := false // 以上/以下/左右 after the number outrank a verb before it
		if a := reAfterCmp.FindString(rest); a != "" {
			rest, locked = rest[len(a):], true
			switch a {
			case "以上", "及以上":
				cmp = ">="
			case "以下", "以内", "之内", "内":
				cmp = "<="
			default:
				cmp = "="
			}
			if strings.HasPrefix(rest, "的") && a != "左右" {
				continue // 500万元以上的项目: a condition, not a target
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
			case reLowerTo.MatchString(b):
				cmp = "<="
			default:
				cmp = ">="
			}
		} else if cmp == "=" && !locked && (prev.strive || strings.Contains(head, "力争")) {
			cmp = ">=" // 力争盘活僵尸企业10家,盘活存量土地400亩: 力争 sets a floor for the sentence
		}
		prev.strive = prev.strive || strings.Contains(head, "力争")
		out = append(out, Indicator{Name: indicatorName(head, rest, prev), Target: target, Unit: unit, Comparator: cmp, TargetMax: upper})
	}
	return out
}

// namePrev carries the previous clause's subject and head through a sentence.
type namePrev struct {
	name, head string
	strive     bool // a clause before said 力争
}

// indicatorName is the clause head without time phrases. When the head is only a verb
// (建设35家…中心) the object after the number completes it; when it is empty, either the
// previous head's verb takes this object (重点培育25家A、15家B) or, with no object either
// (…年均增长30%以上,达到6件), the previous clause's subject is reused.
func indicatorName(head, rest string, prev *namePrev) string {
	if ds := findDates(head); len(ds) > 0 {
		// …2021年5月1日至2022年4月30日实施…: the name starts after the last date.
		head = strings.TrimLeft(head[ds[len(ds)-1].stop:], "至到起前后底,、 ")
	}
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
