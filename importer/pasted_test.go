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
