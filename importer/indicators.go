package importer

import (
	"regexp"
	"strconv"
	"strings"
)

// reTarget finds "<name><verb><number><unit><以上|以下>" such as 新增PCT国际申请20件以上,
// 质押融资额达到7亿元以上, 结案率95%以上, 不超过5%.
var reTarget = regexp.MustCompile(`([^,,。;;、:]{2,40}?)(达到|达|不低于|不少于|超过|突破|不超过|控制在|低于|新增|增长|提高到|提升至|提升到)?\s*(\d+(?:\.\d+)?)\s*(亿元|万元|千万元|元|万件|件|个|家|项|人次|人|次|所|条|万户|户|%|‰|倍)(以上|以下|以内|左右)?`)

// findIndicators extracts numeric targets from a task's text.
func findIndicators(text, deadline string) []Indicator {
	var out []Indicator
	for _, m := range reTarget.FindAllStringSubmatch(text, -1) {
		name, verb, num, unit, qual := strings.TrimSpace(m[1]), m[2], m[3], m[4], m[5]
		if strings.HasSuffix(name, "第") || strings.HasSuffix(name, "年") || strings.Contains(name, "年均") && unit == "%" && verb == "增长" {
			continue
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		cmp := "="
		switch {
		case qual == "以上" || verb == "不低于" || verb == "不少于" || verb == "超过" || verb == "突破" || verb == "达到" || verb == "达" || verb == "提高到" || verb == "提升至" || verb == "提升到":
			cmp = ">="
		case qual == "以下" || qual == "以内" || verb == "不超过" || verb == "控制在" || verb == "低于":
			cmp = "<="
		}
		name = strings.TrimLeft(name, "到年底前后,每年全市")
		if name == "" {
			continue
		}
		out = append(out, Indicator{Name: name + verb, Target: v, Unit: unit, Comparator: cmp, Deadline: deadline})
	}
	return out
}
