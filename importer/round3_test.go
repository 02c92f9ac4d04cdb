package importer

import "testing"

// TestThirdRoundPatterns: rules from the unseen documents of the third round (u07–u12),
// each on a hand-written snippet.
func TestThirdRoundPatterns(t *testing.T) {
	runPatternCases(t, []patternCase{
		{name: "关于…的问题,由A会同B等部门负责落实",
			text: "一、工作分工\n(一)关于严守耕地红线的问题,由市自然资源局会同市农业农村局等部门负责落实。",
			ref:  "一(一)", lead: []string{"市自然资源局"}, partners: []string{"市农业农村局"}},
		{name: "等部门 closes the list before what they are to do",
			text: "一、工作分工\n(一)关于稳定生猪生产的问题,由市农业农村局会同市财政局、市商务局等部门研究提出落实意见。",
			ref:  "一(一)", lead: []string{"市农业农村局"}, partners: []string{"市财政局", "市商务局"}},
		{name: "a clause with 由 that assigns no one stays content",
			text: "一、重点任务\n1.建设平台。(市科技局负责)\n2.设立引导基金,由市财政局给予补贴。",
			ref:  "一2", warnCode: "no-department"},
		{name: "负责部门 label; 适用范围 ends the list",
			text: "一、营造投资环境\n(一)下放施工许可。(负责部门:市住建局;适用范围:高新区)\n(二)开展平行进口试点。(负责部门:市商务局、市财政局,适用范围:高新区、经开区)",
			ref:  "一(二)", partners: []string{"市商务局", "市财政局"}, warnCode: "no-lead"},
		{name: "负责部门 with one unit leads",
			text: "一、营造投资环境\n(一)下放施工许可。(负责部门:市住建局;适用范围:高新区)",
			ref:  "一(一)", lead: []string{"市住建局"}},
	})
}

// An annex list with a 指导部门 column and a 推广范围 column after it, announced by a body
// section that names no department and quotes the rows.
const promotedList = `一、推广的改革举措
(一)知识产权方面2项:专利保险机制;知识产权快速审判机制。
(二)科技金融方面1项。
二、认真抓好组织实施
各区要制定推广方案。
附件
改革举措推广清单
序号
改革举措
主要内容
指导部门
推广范围
1
专利保险机制
开发专利保险产品,降低侵权损失。
市市场监管局
全市
2
知识产权快速审判机制
庭前指导,审助分流。
市中级人民法院、市市场监管局
3个试点区
`

func TestPromotedList(t *testing.T) {
	res := parseSnippet(t, promotedList, Options{})
	if len(res.Lists) != 1 || len(res.Lists[0].Items) != 2 {
		t.Fatalf("want the table as the only list (the body section restates it), got %+v", res.Lists)
	}
	one, two := itemByRef(t, res, "1"), itemByRef(t, res, "2")
	if len(one.Lead) != 1 || one.Lead[0] != "市市场监管局" {
		t.Errorf("row 1 lead = %q", one.Lead)
	}
	if len(two.Partners) != 2 || len(two.Lead) != 0 {
		t.Errorf("row 2 lead %q partners %q, want two partners", two.Lead, two.Partners)
	}
	if len(two.Indicators) != 0 || len(one.Indicators) != 0 {
		t.Errorf("the 推广范围 cell is not a target: %+v %+v", one.Indicators, two.Indicators)
	}
}
