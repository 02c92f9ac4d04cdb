package importer

import (
	"testing"
)

func TestWindows(t *testing.T) {
	cases := []struct {
		name, text string
		want       Window
	}{
		{"range in 实施时间", "一、实施步骤\n1.取消授权资助。(实施时间:2022年9月-2025年6月)", Window{Start: "2022-09-01", End: "2025-06-30"}},
		{"start and 持续推进", "一、实施步骤\n1.发挥协调作用。(实施时间:2022年9月,持续推进)", Window{Start: "2022-09-01", Ongoing: true}},
		{"em dash range", "一、实施步骤\n1.提升办案效率。(实施时间:2022年9月—2023年6月)", Window{Start: "2022-09-01", End: "2023-06-30"}},
		{"month-only end", "一、实施步骤\n1.组建运营基金。(实施时间:2024年1月-12月)", Window{Start: "2024-01-01", End: "2024-12-31"}},
		{"年底前 in the body", "一、重点任务\n1.盘活存量专利。力争2025年底前实现全覆盖。(市科技局负责)", Window{End: "2025-12-31"}},
		{"月底前 in the body", "一、重点任务\n1.出台办法。2022年10月底前出台管理办法。(市科技局负责)", Window{End: "2022-10-31"}},
		{"完成时限 line", "一、重点任务\n1.出台办法。\n牵头单位:市科技局\n完成时限:2023年6月", Window{End: "2023-06-30"}},
		{"time bracket then labels", "一、主要任务\n1.加强司法保护。(实施时间:2025年1月-2026年12月)\n牵头单位:市中级人民法院", Window{Start: "2025-01-01", End: "2026-12-31"}},
		{"到2025年 dates targets, not the task", "一、重点任务\n1.提升质量。到2025年底有效发明专利400件以上。(市科技局负责)", Window{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseSnippet(t, c.text, Options{})
			if len(res.Lists) == 0 {
				t.Fatalf("no list: %v", res.Warnings)
			}
			if got := res.Lists[0].Items[0].Window; got != c.want {
				t.Errorf("window = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestParseWindowValues(t *testing.T) {
	cases := []struct {
		in       string
		deadline bool
		want     Window
	}{
		{"2025年底前", false, Window{End: "2025-12-31"}},
		{"2025-06-30", true, Window{End: "2025-06-30"}},
		{"2025/6/30", true, Window{End: "2025-06-30"}},
		{"2024年第一季度", true, Window{End: "2024-03-31"}},
		{"2025年上半年", true, Window{End: "2025-06-30"}},
		{"2023-2025年", false, Window{Start: "2023-01-01", End: "2025-12-31"}},
		{"长期坚持", false, Window{Ongoing: true}},
		{"2023年2月30日", true, Window{}},
	}
	for _, c := range cases {
		got, _ := parseWindow(c.in, c.deadline)
		if got != c.want {
			t.Errorf("parseWindow(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestIndicators(t *testing.T) {
	cases := []struct {
		text      string
		name      string
		target    float64
		unit, cmp string
		deadline  string
	}{
		{"新增PCT国际申请20件以上", "新增PCT国际申请", 20, "件", ">=", ""},
		{"年度知识产权质押融资额达到7亿元以上", "年度知识产权质押融资额", 7, "亿元", ">=", ""},
		{"各类知识产权行政执法案件按期结案率达95%以上", "各类知识产权行政执法案件按期结案率", 95, "%", ">=", ""},
		{"非正常专利申请占比不超过5%", "非正常专利申请占比", 5, "%", "<=", ""},
		{"到2025年6月,商标有效注册量力争达到70万件", "商标有效注册量", 70, "万件", ">=", "2025-06-30"},
		{"知识产权保护社会满意度达到83分左右", "知识产权保护社会满意度", 83, "分", "=", ""},
		{"在全市建立35家高价值专利培育中心", "在全市建立高价值专利培育中心", 35, "家", "=", ""},
		{"培训人次不少于3000人次", "培训人次", 3000, "人次", ">=", ""},
	}
	for _, c := range cases {
		got := findIndicators(narrow(c.text), "")
		if len(got) != 1 {
			t.Errorf("%s: got %+v", c.text, got)
			continue
		}
		g := got[0]
		if g.Name != c.name || g.Target != c.target || g.Unit != c.unit || g.Comparator != c.cmp || g.Deadline != c.deadline {
			t.Errorf("%s: got %+v", c.text, g)
		}
	}
	for _, s := range []string{"对首次认定的企业给予10万元奖励", "聚焦全市8条重点产业链", "落实《专利导航指南》(GB/T39551-2020)", "2025年"} {
		if got := findIndicators(narrow(s), ""); len(got) != 0 {
			t.Errorf("%s: want no indicator, got %+v", s, got)
		}
	}
	// A subject carried to the next clause, and a verb carried to the next object.
	got := findIndicators("每万人高价值发明专利拥有量年均增长30%以上,达到6件;重点培育25家左右品牌机构、15家以上辅导机构", "2025-12-31")
	names := []string{"每万人高价值发明专利拥有量年均增长", "每万人高价值发明专利拥有量", "重点培育品牌机构", "重点培育辅导机构"}
	if len(got) != len(names) {
		t.Fatalf("got %+v", got)
	}
	for i, n := range names {
		if got[i].Name != n || got[i].Deadline != "2025-12-31" {
			t.Errorf("indicator %d = %+v, want name %s", i, got[i], n)
		}
	}
}

func TestMeta(t *testing.T) {
	text := "某市人民政府关于印发某市知识产权强市建设工作方案(2023-2025年)的通知\n某政发[2023]5号\n各县(区)人民政府:\n现将《某市知识产权强市建设工作方案(2023-2025年)》印发给你们,请认真贯彻执行。\n某市人民政府\n2023年3月8日\n某市知识产权强市建设工作方案(2023-2025年)\n按照《某省规划》(某政办发〔2022〕11号)要求,制定本方案。\n一、重点任务\n1.甲。\n牵头单位:市科技局"
	res := parseSnippet(t, text, Options{})
	p := res.Plan
	want := Plan{Title: "某市知识产权强市建设工作方案(2023-2025年)", DocNumber: "某政发〔2023〕5号", Issuer: "某市人民政府", Date: "2023-03-08",
		Period: Period{Text: "2023-2025年", Start: "2023-01-01", End: "2025-12-31"}}
	p.Indicators = nil
	if p.Title != want.Title || p.DocNumber != want.DocNumber || p.Issuer != want.Issuer || p.Date != want.Date || p.Period != want.Period {
		t.Errorf("plan = %+v\nwant %+v", p, want)
	}
	// A document number in round brackets, cited documents ignored.
	res = parseSnippet(t, "按照《某省规划》(某政办发〔2022〕11号)\n文号:某办发(2024)13号\n一、任务\n1.甲。(市科技局负责)", Options{})
	if res.Plan.DocNumber != "某办发〔2024〕13号" {
		t.Errorf("doc number = %q", res.Plan.DocNumber)
	}
	// A notice whose title names no plan: the page's 标题 field, in either script.
	res = parseSnippet(t, "EN\n標  題: 某部辦公廳關於落實某意見有關政策措施分工的通知\n一、工作分工\n(一)關於甲的問題,由某部負責落實。", Options{})
	if res.Plan.Title != "某部辦公廳關於落實某意見有關政策措施分工的通知" {
		t.Errorf("title = %q", res.Plan.Title)
	}
}
