package importer

import (
	"reflect"
	"testing"
)

// A flattened table: header cells one per line, a lead wrapped onto two lines, a row with
// two units in the lead cell, and the header repeated after a page break.
const flatTable = `附件
重点任务责任清单
内  容
拟实现的预期成果
牵头部门
责任单位
1.提升创造能力
制定高价值专利培育计划,产出高价值发明专利500件以上。
市市场监管局
(知识产权局)
市财政局,各县(区)人民政府
建成商标品牌指导站5个以上。
市市场监管局
市农业农村局
市商务局
内  容
拟实现的预期成果
牵头部门
责任单位
1.提升创造能力
设立知识产权维权援助工作站3个以上。
市中级人民法院
市检察院、市公安局
`

func TestFlattenedTable(t *testing.T) {
	res := parseSnippet(t, flatTable, Options{})
	if len(res.Lists) != 1 || res.Lists[0].Name != "重点任务责任清单" {
		t.Fatalf("lists = %+v", res.Lists)
	}
	want := []struct {
		ref            string
		lead, partners []string
		groups         []string
		lines          [2]int
	}{
		{"1-1", []string{"市市场监管局(知识产权局)"}, []string{"市财政局"}, []string{"各县(区)人民政府"}, [2]int{8, 11}},
		{"1-2", []string{"市市场监管局", "市农业农村局"}, []string{"市商务局"}, []string{}, [2]int{12, 15}},
		{"1-3", []string{"市中级人民法院"}, []string{"市检察院", "市公安局"}, []string{}, [2]int{21, 23}},
	}
	if len(res.Items) != len(want) {
		t.Fatalf("got %d items: %+v", len(res.Items), res.Items)
	}
	for i, w := range want {
		it := res.Items[i]
		if it.Ref != w.ref || !reflect.DeepEqual(it.Lead, w.lead) || !reflect.DeepEqual(it.Partners, w.partners) ||
			!reflect.DeepEqual(it.Groups, w.groups) || it.SourceLines != w.lines {
			t.Errorf("item %d = %s lead %q partners %q groups %q lines %v; want %+v", i, it.Ref, it.Lead, it.Partners, it.Groups, it.SourceLines, w)
		}
	}
	if !hasWarning(res, 13, "多于 2 个单位列") {
		t.Errorf("no ambiguity warning for the three-cell row: %v", res.Warnings)
	}
	if got := res.Items[0].Indicators; len(got) != 1 || got[0].Target != 500 || got[0].Unit != "件" {
		t.Errorf("indicators = %+v", got)
	}
}

// TestTableWithDeadlineColumn reads a table with 序号 and 完成时限 columns.
func TestTableWithDeadlineColumn(t *testing.T) {
	text := "序号\n工作任务\n牵头单位\n配合单位\n完成时限\n1\n建立专利导航服务基地。\n市科技局\n市工信局\n2025年底前\n2\n开展宣传周活动。\n市委宣传部\n无\n持续推进\n"
	res := parseSnippet(t, text, Options{})
	if len(res.Items) != 2 {
		t.Fatalf("items = %+v", res.Items)
	}
	if it := res.Items[0]; it.Ref != "1" || it.Window.End != "2025-12-31" || !reflect.DeepEqual(it.Lead, []string{"市科技局"}) {
		t.Errorf("row 1 = %+v", it)
	}
	// 无 is not a department: the row has one department cell for two columns.
	if it := res.Items[1]; it.Ref != "2" || !it.Window.Ongoing || !reflect.DeepEqual(it.Lead, []string{"市委宣传部"}) {
		t.Errorf("row 2 = %+v", it)
	}
}

// TestDefaultListHasExplicitLeads: body tasks with 〔责任单位〕 and no rule, plus an annex
// table with a lead column: the table is the default list; List picks the other.
func TestDefaultListHasExplicitLeads(t *testing.T) {
	text := "一、工作重点\n1.培育专利。〔责任单位:市科技局、市财政局〕\n2.培育商标。〔责任单位:市商务局、市财政局〕\n" + flatTable
	res := parseSnippet(t, text, Options{})
	if len(res.Lists) != 2 {
		t.Fatalf("lists = %d", len(res.Lists))
	}
	if res.Items[0].Ref != "1-1" {
		t.Errorf("default list starts with %s, want the table", res.Items[0].Ref)
	}
	res = parseSnippet(t, text, Options{List: 1})
	if res.Items[0].Ref != "一1" {
		t.Errorf("list 1 starts with %s", res.Items[0].Ref)
	}
	if _, err := Parse([]byte(text), Options{Format: "text", List: 3}); err == nil {
		t.Error("list 3 of 2: want an error")
	}
}
