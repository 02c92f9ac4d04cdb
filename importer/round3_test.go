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
