package importer

import (
	"reflect"
	"testing"
)

// wtcMerge is a table cell with a vertical merge mark: restart opens the merged cell,
// continue (no val) carries it down.
func wtcMerge(restart bool, text string) string {
	v := `<w:vMerge/>`
	if restart {
		v = `<w:vMerge w:val="restart"/>`
	}
	return `<w:tc><w:tcPr>` + v + `</w:tcPr>` + wp(text) + `</w:tc>`
}

// TestDocxMergedCells: a lead cell merged down over several task rows applies to each,
// and a group-heading row spanning every column (w:gridSpan) names the rows below it.
func TestDocxMergedCells(t *testing.T) {
	row := func(cells ...string) string {
		s := "<w:tr>"
		for _, c := range cells {
			s += c
		}
		return s + "</w:tr>"
	}
	body := wp("重点任务分工表") + "<w:tbl>" +
		row(wtc("序号"), wtc("工作任务"), wtc("牵头单位"), wtc("责任单位"), wtc("完成时限")) +
		row(`<w:tc><w:tcPr><w:gridSpan w:val="5"/></w:tcPr>`+wp("一、优化营商环境")+`</w:tc>`) +
		row(wtc("1"), wtc("建设政务服务平台。"), wtcMerge(true, "市发展改革委"), wtc("市财政局", "市数据局"), wtc("2024年底前")) +
		row(wtc("2"), wtc("推行一网通办。"), wtcMerge(false, ""), wtc("市商务局"), wtc("2024年6月底前")) +
		row(wtc("3"), wtc("清理证明事项。"), wtcMerge(false, ""), wtc(""), wtc("2024年9月底前")) +
		"</w:tbl>"
	res, err := Parse(docx(t, body), Options{Filename: "plan.docx"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 3 {
		t.Fatalf("items = %+v", res.Items)
	}
	for i, want := range []struct {
		partners []string
		end      string
	}{{[]string{"市财政局", "市数据局"}, "2024-12-31"}, {[]string{"市商务局"}, "2024-06-30"}, {nil, "2024-09-30"}} {
		it := res.Items[i]
		if !reflect.DeepEqual(it.Lead, []string{"市发展改革委"}) || len(it.Partners) != len(want.partners) || it.Window.End != want.end {
			t.Errorf("row %d = %s lead %q partners %q end %s; want lead 市发展改革委, partners %q, end %s", i+1, it.Ref, it.Lead, it.Partners, it.Window.End, want.partners, want.end)
		}
	}
}

// TestTabRowEmptyFirstCell: a row pasted from a table whose first cell is empty keeps
// its columns (the leading tab is not trimmed away).
func TestTabRowEmptyFirstCell(t *testing.T) {
	res := parseSnippet(t, "序号\t工作任务\t牵头单位\t配合单位\n1\t建设平台。\t市科技局\t市财政局\n\t推广应用。\t市工信局\t市商务局\n", Options{})
	if len(res.Items) != 2 {
		t.Fatalf("items = %+v", res.Items)
	}
	it := res.Items[1]
	if it.Title != "推广应用" || !reflect.DeepEqual(it.Lead, []string{"市工信局"}) || !reflect.DeepEqual(it.Partners, []string{"市商务局"}) {
		t.Errorf("row 2 = %q lead %q partners %q", it.Title, it.Lead, it.Partners)
	}
}
