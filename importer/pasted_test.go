package importer

import "testing"

// TestPastedText covers the second round of issue 21: what real pages pasted as text do
// (full-width punctuation, lost line breaks, web-table cells, labels and roles not met
// before). Each case is a short hand-written snippet.
func TestPastedText(t *testing.T) {
	runPatternCases(t, []patternCase{
		{name: "full-width brackets, colons and commas",
			text: "一、重点任务\n1.建设平台。（牵头单位：市科技局，配合单位：市财政局，各区、县级市）",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局"}, groups: []string{"各区、县级市"}},
		{name: "a small full stop (1﹒) numbers a heading",
			text: "一、主要目标\n1﹒生产总值增长7%。\n牵头责任单位:省发展改革委。\n2﹒投资增长10%。\n牵头责任单位:省财政厅。",
			ref:  "一2", lead: []string{"省财政厅"}},
		{name: "列第一位者为工作牵头单位或汇总单位",
			text: "一、重点工作\n1.支持企业发展。\n责任单位:市经信局、市财政局(列第一位者为工作牵头单位或汇总单位,下同)",
			ref:  "一1", lead: []string{"市经信局"}, partners: []string{"市财政局"}},
		{name: "各有关区、县级市 is one group",
			text: "一、重点项目\n1.培训农民。(牵头单位:市农业局,配合单位:市科协,各有关区、县级市)",
			ref:  "一1", lead: []string{"市农业局"}, partners: []string{"市科协"}, groups: []string{"各有关区、县级市"}},
		{name: "部门分工: A牵头,B配合",
			text: "一、主要预期目标\n1.地区生产总值增长6%以上。\n分管省领导:张三\n部门分工:省发展改革委牵头,各地、各部门配合。",
			ref:  "一1", lead: []string{"省发展改革委"}, groups: []string{"各地", "各部门"}},
		{name: "责任单位 value ending in 按职责分工负责, and 均涉及…下同",
			text: "一、重点任务\n(一)加强市场建设。〔责任单位:省发展改革委、商务厅按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕\n(二)优化准入。〔责任单位:省市场监管局〕",
			ref:  "一(二)", lead: []string{"省市场监管局"}, groups: []string{"相关市(州)人民政府"}},
		{name: "年内持续推进 takes the year of the 文号, warned",
			text: "国发〔2020〕6号\n一、重点工作\n(一)总体要求\n1.全面完成目标任务。(国务院各部门分别负责,年内持续推进)",
			ref:  "一(一)1", groups: []string{"国务院各部门"}, end: "2020-12-31", warnCode: "deadline-inferred"},
		{name: "a bracket of markup inside the task, more text after it",
			text: "一、工作任务\n1.制定准入清单。〔市生态环境局牵头,市自然资源局参与。〕新建锅炉一律审批。(市市场监管局牵头,市工信局参与)",
			ref:  "一1", lead: []string{"市生态环境局", "市市场监管局"}, partners: []string{"市自然资源局", "市工信局"}},
		{name: "a page pasted as one line: headings run on after sentence ends",
			text: "为落实纲要,制定本计划。 一 完善制度 (一)完善法规规章 1.推动完成专利法实施细则修改,推进商标法修改。(国家知识产权局负责) 2.推进著作权法实施条例修改。(中央宣传部负责)",
			ref:  "一(一)2", lead: []string{"中央宣传部"}},
		{name: "sub-points with the task's bracket on a line of its own",
			text: "(一)预案建设\n1.完善应急预案体系\n(1)加强预案管理。\n(2)加强预案演练。\n(责任单位:市直各有关单位、各县(市、区)人民政府)\n2.健全应急机制。(责任单位:市应急局)",
			ref:  "(一)1", groups: []string{"市直各有关单位", "各县(市、区)人民政府"}},
		{name: "web table one cell per line, each ending in |; 责任领导 names people; 全年",
			text: "2025年开发区重点工作及责任清单\n序号 |\n重点工作 |\n责任领导 |\n责任单位 |\n完成时限 |\n1 |\n优化项目服务机制。 |\n叶林 |\n招商工作部 |\n全年 |\n2 |\n推进空间再造。 |\n马振明 |\n改革办 |\n全年 |",
			ref:  "2", lead: []string{"改革办"}, end: "2025-12-31", warnCode: "deadline-inferred"},
		{name: "header cells wrapped over two lines; text columns after the unit",
			text: "序号\n\n重点工作\n\n责任\n\n领导\n\n责任\n\n科室\n\n第二季度\n\n完成情况\n\n1\n\n现代化美丽城镇\n\n吴宇凡\n\n乡村振兴办\n\n按照时间节点开展项目建设。\n\n2\n\n水库政策处理\n\n欧乾震\n\n水库工作领导小组\n\n推进坟墓迁移。",
			ref:  "1", lead: []string{"乡村振兴办"}},
	})
}

// TestGuessWarnings: every guess that can be wrong carries a warning with its line.
func TestGuessWarnings(t *testing.T) {
	runPatternCases(t, []patternCase{
		{name: "a lead inferred from its position under a rule stated once",
			text: "责任单位中列第一位者为牵头单位。\n一、重点工作\n1.建设平台。(责任单位:市科技局、市财政局)",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局"}, warnCode: "lead-by-position"},
		{name: "a deadline taken from the section's heading",
			text: "一、近期任务(2024年底前完成)\n1.建设平台。(市科技局负责)\n2.推广应用,2025年6月底前完成。(市工信局负责)",
			ref:  "一1", lead: []string{"市科技局"}, end: "2024-12-31", warnCode: "deadline-from-section"},
		{name: "a table month without its year",
			text: "徐庄镇2017年度专项整治工作计划\n整治行业名称 | 时间安排 | 责任单位 |\n烟花爆竹 | 1月份 | 安监站 |\n",
			ref:  "1", lead: []string{"安监站"}, end: "2017-01-31", warnCode: "deadline-inferred"},
	})
}

// TestGoalSections: a goal section is named by its heading's first words, and a span
// counted from a year (2012年起5年内) dates its targets.
func TestGoalSections(t *testing.T) {
	res := parseSnippet(t, "一、总体目标\n1.目标。2012年起5年内,引进人才达到2000名。\n二、重点项目\n2.金融人才项目。围绕区域金融中心的目标任务,引进30名人才。(牵头单位:市金融办)", Options{})
	if got := res.Plan.Indicators; len(got) != 1 || got[0].Target != 2000 || got[0].Deadline != "2016-12-31" {
		t.Errorf("plan indicators = %+v, want one target 2000 due 2016-12-31", got)
	}
}

// TestThisYear: a deadline without its year, but not the tail of a span of years.
func TestThisYear(t *testing.T) {
	for s, want := range map[string]bool{"力争年内完成": true, "年底前建成": true, "3年内完成": false, "三年内建成": false} {
		if got := thisYearInText(s); got != want {
			t.Errorf("thisYearInText(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{"全年": true, "年内持续推进": true, "2023年底前": false, "长期坚持": false} {
		if got := isThisYear(s); got != want {
			t.Errorf("isThisYear(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestUnseenPatterns: rules from the unseen documents of the second round, each on a
// snippet: (一) measures of a page whose 一、 headings were lost, and a schedule cell of
// months without a year.
func TestUnseenPatterns(t *testing.T) {
	runPatternCases(t, []patternCase{
		{name: "(一) measures without 一、 sections; 保障 as a verb is not a safeguards section",
			text: "实施意见\n坚决扛牢粮食安全责任\n(一)稳定粮食产量。确保产量稳定在1930万吨以上。\n(二)保障重要农产品供给。稳定生猪生产。",
			ref:  "(二)", warnCode: "no-department"},
		{name: "a schedule cell of months without a year ends at its last step",
			text: "开化县2023年度重点工作清单\n序号 | 工作事项 | 进度安排 | 完成情况 |\n1 | 启动综合体建设。 | ①2月上旬前,完成设计招标。②5月底前,开工建设。 | 达序推进 |\n",
			ref:  "1", end: "2023-05-31", warnCode: "deadline-inferred"},
	})
	if got := monthDeadlines("①2月上旬前,招标。②每年6月底前报送。③2024年9月底前验收。", 2023); got != "2023-02-10" {
		t.Errorf("monthDeadlines = %q, want 2023-02-10 (recurring and dated months are not read)", got)
	}
}
