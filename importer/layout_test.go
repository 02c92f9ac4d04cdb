package importer

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// parseSnippet parses a short hand-written text and returns the result.
func parseSnippet(t *testing.T, text string, opts Options) *Result {
	t.Helper()
	opts.Format = "text"
	res, err := Parse([]byte(text), opts)
	if err != nil && !errors.Is(err, ErrNoList) {
		t.Fatalf("Parse: %v", err)
	}
	return res
}

func itemByRef(t *testing.T, res *Result, ref string) Item {
	t.Helper()
	for _, l := range res.Lists {
		for _, it := range l.Items {
			if it.Ref == ref {
				return it
			}
		}
	}
	var refs []string
	for _, it := range res.Items {
		refs = append(refs, it.Ref)
	}
	t.Fatalf("no item %s; items: %v", ref, refs)
	return Item{}
}

func hasWarning(res *Result, line int, sub string) bool {
	for _, w := range res.Warnings {
		if (line < 0 || w.Line == line) && strings.Contains(w.Message, sub) {
			return true
		}
	}
	return false
}

// TestLayouts checks each department layout on a few hand-written lines.
func TestLayouts(t *testing.T) {
	cases := []struct {
		name, text, ref string
		lead, partners  []string
		groups          []string
		warnLine        int    // 0: no check
		warn            string // substring of a warning on warnLine
		noWarn          string // substring no warning may contain
	}{
		{name: "lead and partner lines",
			text: "一、重点任务\n1.加强品牌建设。开展商标品牌培育。\n牵头单位:市市场监管局\n配合单位:市商务局、市农委,各区县(市)人民政府",
			ref:  "一1", lead: []string{"市市场监管局"}, partners: []string{"市商务局", "市农委"}, groups: []string{"各区县(市)人民政府"}},
		{name: "half-width labels and wrapped partner line",
			text: "一、重点任务\n1.加强品牌建设。\n牵头部门:市科技局\n配合部门:市财政局、\n市教育局",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局", "市教育局"}},
		{name: "labels after the sentence on the same line",
			text: "一、主要任务\n1.建设服务平台。牵头单位:市科技局;配合单位:市财政局",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局"}},
		{name: "trailing 〔责任单位〕 without a rule",
			text: "一、工作重点\n1.推动版权产业发展。培育版权企业。〔责任单位:市委宣传部、市文化和旅游局,各县(区)人民政府〕",
			ref:  "一1", partners: []string{"市委宣传部", "市文化和旅游局"}, groups: []string{"各县(区)人民政府"},
			warnLine: 2, warn: "未明确牵头单位"},
		{name: "trailing (责任单位) with the first-is-lead rule stated once",
			text: "各项任务中,列第一位者为牵头单位。\n一、重点任务\n1.推动版权产业发展。(责任单位:市委宣传部、市文化和旅游局)\n2.加强宣传。(责任单位:市文化和旅游局、市委宣传部)",
			ref:  "一2", lead: []string{"市文化和旅游局"}, partners: []string{"市委宣传部"}, noWarn: "未明确牵头单位"},
		{name: "trailing 【责任单位】 naming a single unit",
			text: "一、重点任务\n1.提升公共服务能力。【责任单位:市市场监管局(知识产权局)】",
			ref:  "一1", lead: []string{"市市场监管局(知识产权局)"}, noWarn: "未明确牵头单位"},
		{name: "按职责分工负责",
			text: "一、激励创新\n1.梳理存量专利。(市市场监管局、市工信局按职责分工负责)",
			ref:  "一1", partners: []string{"市市场监管局", "市工信局"}, warnLine: 2, warn: "未明确牵头单位"},
		{name: "负责",
			text: "一、主要措施\n1.优化服务供给。(市数据局、市工信局负责)",
			ref:  "一1", partners: []string{"市数据局", "市工信局"}},
		{name: "牵头 and 按职责分工负责",
			text: "一、主要措施\n1.拓宽服务渠道。(市市场监管局、市科技局牵头,市工信局按职责分工负责)",
			ref:  "一1", lead: []string{"市市场监管局", "市科技局"}, partners: []string{"市工信局"}},
		{name: "牵头 and 配合",
			text: "一、主要措施\n1.推动金融服务。(市金融局牵头,市财政局、人民银行某市分行配合)",
			ref:  "一1", lead: []string{"市金融局"}, partners: []string{"市财政局", "人民银行某市分行"}},
		{name: "inline (牵头) marker",
			text: "一、重点任务\n1.建设平台。〔责任单位:市发改委(牵头)、市财政局〕",
			ref:  "一1", lead: []string{"市发改委"}, partners: []string{"市财政局"}},
		{name: "以下均需 carries groups to later tasks",
			text: "一、措施\n1.甲。(市科技局负责,以下均需各县(市、区)政府落实,不再一一列出)\n2.乙。(市财政局负责)",
			ref:  "一2", lead: []string{"市财政局"}, groups: []string{"各县(市、区)政府"}},
		{name: "下同 lends units to the next task",
			text: "一、措施\n1.甲。(市科技局牵头,市财政局配合,下同)\n2.乙。",
			ref:  "一2", lead: []string{"市科技局"}, partners: []string{"市财政局"}, warnLine: 3, warn: "下同"},
		{name: "mixed separators, full- and half-width",
			text: "一、重点任务\n1.甲。\n牵头单位:市科技局\n配合单位:市财政局,市教育局;市人社局,市统计局",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局", "市教育局", "市人社局", "市统计局"}},
		{name: "等 and 等有关部门 are dropped",
			text: "一、重点任务\n1.甲。\n牵头单位:市科技局\n配合单位:市财政局、市教育局等有关部门",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局", "市教育局"}},
		{name: "无 means no partner",
			text: "一、重点任务\n1.甲。\n牵头单位:市科技局\n配合单位:无",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{}},
		{name: "groups with 、 inside and leadership-group members",
			text: "一、工作重点\n1.甲。〔责任单位:市科技局,各国家级、省级园区管委会,某市知识产权工作领导小组成员单位〕",
			ref:  "一1", lead: []string{"市科技局"}, groups: []string{"各国家级、省级园区管委会", "某市知识产权工作领导小组成员单位"}},
		{name: "parent markup applies to its sub-items",
			text: "一、重点任务\n(一)加强保护(牵头单位:市公安局;配合单位:市检察院)\n1.打击侵权。\n2.强化执法。",
			ref:  "一(一)2", lead: []string{"市公安局"}, partners: []string{"市检察院"}},
		{name: "a sibling without markup is a task with a warning",
			text: "一、重点任务\n1.甲。\n牵头单位:市科技局\n2.乙。\n3.丙。\n牵头单位:市财政局",
			ref:  "一2", lead: []string{}, warnLine: 4, warn: "未列责任单位"},
		{name: "由…牵头 sentence closing the task",
			text: "二、重点工作\n(一)强化保护。由市公安局牵头,市检察院、市法院配合。",
			ref:  "二(一)", lead: []string{"市公安局"}, partners: []string{"市检察院", "市法院"}},
		{name: "rule stated inside the first list applies below",
			text: "一、重点任务\n1.培育专利。\n责任单位:市发改委、市财政局(列第一位的为牵头单位,下同)\n2.培育商标。\n责任单位:市商务局、市财政局",
			ref:  "一2", lead: []string{"市商务局"}, partners: []string{"市财政局"}, noWarn: "未明确牵头单位"},
		{name: "a remark after the units is reported, the units kept",
			text: "一、主要措施\n1.优化服务。(市数据局负责,具体办法另行制定)",
			ref:  "一1", lead: []string{"市数据局"}, warnLine: 2, warn: "具体办法另行制定"},
		{name: "four levels give a ref path",
			text: "二、重点任务\n(三)强化保护\n4.加强执法\n(1)开展专项行动。\n牵头单位:市公安局",
			ref:  "二(三)4(1)", lead: []string{"市公安局"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseSnippet(t, c.text, Options{})
			it := itemByRef(t, res, c.ref)
			check := func(field string, got, want []string) {
				if want == nil {
					want = []string{}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("lead", it.Lead, c.lead)
			check("partners", it.Partners, c.partners)
			check("groups", it.Groups, c.groups)
			if c.warn != "" && !hasWarning(res, c.warnLine, c.warn) {
				t.Errorf("no warning %q on line %d; warnings: %v", c.warn, c.warnLine, res.Warnings)
			}
			if c.noWarn != "" && hasWarning(res, -1, c.noWarn) {
				t.Errorf("unexpected warning %q: %v", c.noWarn, res.Warnings)
			}
		})
	}
}

// TestContentWithoutMarkup checks that content keeps the original punctuation and loses
// the numbering and the markup, and that text after the last markup is not part of it.
func TestContentWithoutMarkup(t *testing.T) {
	res := parseSnippet(t, "一、措施\n1.优化服务供给。建立对接机制。(市数据局、市工信局按职责分工负责)\n各有关部门要密切配合。", Options{})
	it := itemByRef(t, res, "一1")
	if it.Content != "优化服务供给。建立对接机制。" {
		t.Errorf("content = %q", it.Content)
	}
	if it.Title != "优化服务供给" {
		t.Errorf("title = %q", it.Title)
	}
	if it.SourceLines != [2]int{2, 2} {
		t.Errorf("source lines = %v", it.SourceLines)
	}
}
