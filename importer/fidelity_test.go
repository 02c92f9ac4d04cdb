package importer

import (
	"reflect"
	"testing"
)

// TestFidelityPatterns covers each failure pattern of issue 21 with a short hand-written
// snippet (no seed text).
func TestFidelityPatterns(t *testing.T) {
	runPatternCases(t, []patternCase{
		{name: "heading merged with title digits (12345)",
			text: "一、重点任务\n1.整合热线。(市政务办负责)\n2.12345热线归并。(市数据局负责)",
			ref:  "一2", lead: []string{"市数据局"}},
		{name: "heading merged with 5G",
			text: "一、重点任务\n1.建设光纤。(市通信办负责)\n2.推进算力。(市数据局负责)\n3.5G基站建设提速。(市工信局负责)",
			ref:  "一3", lead: []string{"市工信局"}},
		{name: "text after the markup is warned",
			text: "一、重点任务\n1.建设平台。(市科技局负责)\n另行组织专家评审。",
			ref:  "一1", lead: []string{"市科技局"}, warnCode: "text-outside"},
		{name: "各县、区人民政府 is one group",
			text: "一、重点任务\n1.建设平台。(市科技局牵头,各县、区人民政府配合)",
			ref:  "一1", lead: []string{"市科技局"}, groups: []string{"各县、区人民政府"}},
		{name: "各乡镇人民政府、街道办事处 is one group",
			text: "一、重点任务\n1.清理河道。(县水利局牵头,各乡镇人民政府、街道办事处配合)",
			ref:  "一1", lead: []string{"县水利局"}, groups: []string{"各乡镇人民政府、街道办事处"}},
		{name: "市直有关部门 is a group",
			text: "一、重点任务\n1.清理河道。(市水利局牵头,市直有关部门配合)",
			ref:  "一1", lead: []string{"市水利局"}, groups: []string{"市直有关部门"}},
		{name: "A会同B、C负责",
			text: "一、重点任务\n1.编制规划。(市发展改革委会同市财政局、市自然资源局负责)",
			ref:  "一1", lead: []string{"市发展改革委"}, partners: []string{"市财政局", "市自然资源局"}},
		{name: "A会同有关部门负责 keeps the group and warns",
			text: "一、重点任务\n1.编制规划。(市发展改革委会同有关部门负责)",
			ref:  "一1", lead: []string{"市发展改革委"}, groups: []string{"有关部门"}, warnCode: "unnamed-group"},
		{name: "A牵头,B、C参与",
			text: "一、重点任务\n1.编制规划。(市商务局牵头,市财政局、市税务局参与)",
			ref:  "一1", lead: []string{"市商务局"}, partners: []string{"市财政局", "市税务局"}},
		{name: "A负责,B配合",
			text: "一、重点任务\n1.编制规划。(市商务局负责,市财政局配合)",
			ref:  "一1", lead: []string{"市商务局"}, partners: []string{"市财政局"}},
		{name: "由A牵头落实",
			text: "一、重点任务\n1.编制规划。(由市商务局牵头落实)",
			ref:  "一1", lead: []string{"市商务局"}},
		{name: "closing 会同 sentence without 由",
			text: "一、重点任务\n1.编制规划,年内完成。市住建局会同市城管局负责。",
			ref:  "一1", lead: []string{"市住建局"}, partners: []string{"市城管局"}},
		{name: "A、B分别负责: both lead, warned",
			text: "一、重点任务\n1.编制规划。(市教育局、市卫健委分别负责)",
			ref:  "一1", lead: []string{"市教育局", "市卫健委"}, warnCode: "separate-leads"},
		{name: "traditional script, output keeps the text",
			text: "一、重點任務\n1.建設平台。\n牽頭單位:市科技局\n配合單位:市財政局、各縣(市、區)人民政府",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市財政局"}, groups: []string{"各縣(市、區)人民政府"}},
		{name: "责任领导 is a person, not a unit",
			text: "一、重点任务\n1.建设平台。\n责任领导:张三\n牵头责任单位:市科技局。\n协同责任单位:市财政局。",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局"}},
	})
}

// patternCase is a snippet and the facts one of its items must have.
type patternCase struct {
	name, text, ref        string
	lead, partners, groups []string
	warnCode               string // a warning with this code must exist ("" : no check)
	end                    string // the window end ("" : no check)
}

// runPatternCases parses each snippet and checks the item's lead, partners, groups,
// window end and warning.
func runPatternCases(t *testing.T, cases []patternCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseSnippet(t, c.text, Options{})
			it := itemByRef(t, res, c.ref)
			for _, f := range []struct {
				what      string
				got, want []string
			}{{"lead", it.Lead, c.lead}, {"partners", it.Partners, c.partners}, {"groups", it.Groups, c.groups}} {
				if len(f.want) == 0 && len(f.got) == 0 {
					continue
				}
				if !reflect.DeepEqual(f.got, f.want) {
					t.Errorf("%s = %q, want %q", f.what, f.got, f.want)
				}
			}
			if c.end != "" && it.Window.End != c.end {
				t.Errorf("window end = %q, want %q", it.Window.End, c.end)
			}
			if c.warnCode != "" && !hasCode(res, c.warnCode, c.ref) {
				t.Errorf("no %s warning on %s: %+v", c.warnCode, c.ref, res.Warnings)
			}
		})
	}
}

func hasCode(res *Result, code, item string) bool {
	for _, w := range res.Warnings {
		if w.Code == code && (item == "" || w.Item == item) && w.Message != "" && w.MessageEn != "" {
			return true
		}
	}
	return false
}

// TestFidelityIndicators covers several targets per sentence, money and counts, ranges,
// ceilings and compound units.
func TestFidelityIndicators(t *testing.T) {
	cases := []struct {
		text string
		want []Indicator // name is not compared when empty
	}{
		{"培养学科带头人10名、骨干教师100名", []Indicator{{Name: "培养学科带头人", Target: 10, Unit: "名", Comparator: "="}, {Name: "骨干教师", Target: 100, Unit: "名", Comparator: "="}}},
		{"资助青年人才50名,每人给予5万元奖励", []Indicator{{Target: 50, Unit: "名", Comparator: "="}}},
		{"新建示范学校1到2所", []Indicator{{Target: 1, Unit: "所", Comparator: ">=", TargetMax: 2}}},
		{"新建示范学校1—2所", []Indicator{{Target: 1, Unit: "所", Comparator: ">=", TargetMax: 2}}},
		{"审批时间缩短至100个工作日内", []Indicator{{Target: 100, Unit: "工作日", Comparator: "<="}}},
		{"空置率控制在5%以内", []Indicator{{Target: 5, Unit: "%", Comparator: "<="}}},
		{"能耗不高于3万吨标准煤", []Indicator{{Target: 3, Unit: "万吨标准煤", Comparator: "<="}}},
		{"发电量提高到12亿千瓦时", []Indicator{{Target: 12, Unit: "亿千瓦时", Comparator: ">="}}},
		{"装机容量达到30万千瓦以上", []Indicator{{Target: 30, Unit: "万千瓦", Comparator: ">="}}},
		{"绿地不低于2平方公里", []Indicator{{Target: 2, Unit: "平方公里", Comparator: ">="}}},
		{"占比提高3个百分点", []Indicator{{Target: 3, Unit: "个百分点", Comparator: "="}}},
		{"对职工30人(含)以下的企业免征", nil},
		{"力争全年盘活僵尸企业10家,盘活存量土地400亩", []Indicator{{Target: 10, Unit: "家", Comparator: ">="}, {Target: 400, Unit: "亩", Comparator: ">="}}},
		{"121人才梯队项目", nil},
		{"年均浓度控制在29微克每立方米以下", []Indicator{{Target: 29, Unit: "微克每立方米", Comparator: "<="}}},
	}
	for _, c := range cases {
		got := findIndicators(c.text, "")
		if len(got) != len(c.want) {
			t.Errorf("%s: got %+v, want %+v", c.text, got, c.want)
			continue
		}
		for i, w := range c.want {
			g := got[i]
			if w.Name == "" {
				g.Name = ""
			}
			if g != w {
				t.Errorf("%s: got %+v, want %+v", c.text, g, w)
			}
		}
	}
}

// TestFidelityPlan covers two horizons, stated periods, wrapped titles and issuers.
func TestFidelityPlan(t *testing.T) {
	two := parseSnippet(t, "某市推进公园建设行动方案\n一、主要目标\n到2027年,公园绿化覆盖率达到60%;到2030年,公园绿化覆盖率达到80%。\n二、重点任务\n1.建设公园。(市园林局负责)", Options{})
	if got := two.Plan.Indicators; len(got) != 2 || got[0].Deadline != "2027-12-31" || got[1].Deadline != "2030-12-31" || got[1].Target != 80 {
		t.Errorf("two horizons: %+v", got)
	}
	if two.Plan.Period.End != "2030-12-31" {
		t.Errorf("period runs to the last horizon: %+v", two.Plan.Period)
	}
	for text, end := range map[string]string{
		"某市数字乡村三年行动(2025—2027年)\n一、重点任务\n1.建设平台。(市农业农村局负责)": "2027-12-31",
		"某市试点方案\n试点期到2027年。\n一、重点任务\n1.建设平台。(市农业农村局负责)":     "2027-12-31",
	} {
		if p := parseSnippet(t, text, Options{}).Plan.Period; p.End != end {
			t.Errorf("%q: period %+v, want end %s", text, p, end)
		}
	}
	wrapped := parseSnippet(t, "某市关于加快建设\n现代物流体系的实施方案\n一、重点任务\n1.建设园区。(市商务局负责)", Options{})
	if wrapped.Plan.Title != "某市关于加快建设现代物流体系的实施方案" {
		t.Errorf("wrapped title = %q", wrapped.Plan.Title)
	}
	for text, issuer := range map[string]string{
		"国务院关于印发某行动方案的通知\n一、重点任务\n1.甲。(国家发展改革委负责)\n国务院\n2024年3月1日":    "国务院",
		"某方案\n一、重点任务\n1.甲。(省发展改革委负责)\n中共某省委办公厅\n某省人民政府办公厅\n2024年3月1日": "中共某省委办公厅、某省人民政府办公厅",
		"某县人民政府关于印发某方案的通知\n一、重点任务\n1.甲。(县发展改革局负责)":                    "某县人民政府",
		"工业和信息化部 国家发展改革委关于印发某方案的通知\n一、重点任务\n1.甲。(工业和信息化部负责)":          "工业和信息化部、国家发展改革委",
	} {
		if got := parseSnippet(t, text, Options{}).Plan.Issuer; got != issuer {
			t.Errorf("issuer = %q, want %q", got, issuer)
		}
	}
}

// TestFidelityRowTables covers tables pasted one row per line.
func TestFidelityRowTables(t *testing.T) {
	tab := "附件\n重点任务分工表\n一、优化营商环境\n序号\t具体任务\t牵头单位\t责任单位\t责任领导\t完成时限\n1\t清理涉企收费。\t市发展改革委\t市市场监管局\t张三\t2025年底前\n2\t压缩审批时限。\t市政务办\t\t李四\t2025年6月\n\t继续提速。\n序号\t具体任务\t牵头单位\t责任单位\t责任领导\t完成时限\n二、提升服务\n3\t建设热线。\t市数据局\t各县(市、区)人民政府\t王五\t2026年12月"
	res := parseSnippet(t, tab, Options{})
	if len(res.Items) != 3 {
		t.Fatalf("items: %+v / %+v", res.Items, res.Warnings)
	}
	if it := res.Items[1]; it.Lead[0] != "市政务办" || len(it.Partners) != 0 || it.Window.End != "2025-06-30" {
		t.Errorf("row 2 = %+v", it)
	}
	if it := res.Items[2]; it.Groups[0] != "各县(市、区)人民政府" || it.Window.End != "2026-12-31" {
		t.Errorf("row 3 = %+v", it)
	}
	spaced := "工作措施      主要责任单位      时间节点\n建设平台。    市科技局          2025年12月\n培训人员。                      2024年6月\n"
	res = parseSnippet(t, spaced, Options{})
	if len(res.Items) != 2 || res.Items[0].Lead[0] != "市科技局" || res.Items[1].Window.End != "2024-06-30" || len(res.Items[1].Lead) != 0 {
		t.Errorf("space-aligned: %+v", res.Items)
	}
	pipe := "工作任务 | 责任单位 | 完成时限 |\n建设平台 | 市科技局 | 2025年底前 |\n"
	if res = parseSnippet(t, pipe, Options{}); len(res.Items) != 1 || res.Items[0].Lead[0] != "市科技局" {
		t.Errorf("pipe table: %+v %+v", res.Items, res.Warnings)
	}
}
