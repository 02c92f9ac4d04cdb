package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const zhengzhouStyle = "某市知识产权工作方案\n一、重点任务\n1.加强品牌建设。新增PCT国际申请20件以上。\n牵头单位:市市场监管局(知识产权局)\n配合单位:市商务局、各开发区管委会\n"

func checkBrandItem(t *testing.T, res *Result) {
	t.Helper()
	if len(res.Items) != 1 {
		t.Fatalf("items = %+v, warnings %v", res.Items, res.Warnings)
	}
	it := res.Items[0]
	if !reflect.DeepEqual(it.Lead, []string{"市市场监管局(知识产权局)"}) || !reflect.DeepEqual(it.Partners, []string{"市商务局"}) ||
		!reflect.DeepEqual(it.Groups, []string{"各开发区管委会"}) || len(it.Indicators) != 1 || it.Indicators[0].Target != 20 {
		t.Errorf("item = %+v", it)
	}
}

func TestGB18030(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(zhengzhouStyle))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(gb, Options{Filename: "plan.txt"})
	if err != nil {
		t.Fatal(err)
	}
	checkBrandItem(t, res)
	if !hasWarning(res, 0, "GB18030") {
		t.Errorf("no note that the text was GB18030: %v", res.Warnings)
	}
	// A UTF-8 BOM is dropped.
	res, err = Parse(append([]byte{0xEF, 0xBB, 0xBF}, zhengzhouStyle...), Options{})
	if err != nil || res.Plan.Title != "某市知识产权工作方案" {
		t.Errorf("BOM: %v %q", err, res.Plan.Title)
	}
}

// docx builds a minimal .docx whose body is the given WordprocessingML.
func docx(t *testing.T, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func wp(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func wtc(paras ...string) string {
	s := "<w:tc>"
	for _, p := range paras {
		s += wp(p)
	}
	return s + "</w:tc>"
}

func TestDocx(t *testing.T) {
	var body strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(zhengzhouStyle), "\n") {
		body.WriteString(wp(l))
	}
	body.WriteString(`<w:p><w:r><w:delText>已删除</w:delText></w:r></w:p>`)
	body.WriteString(wp("附件") + wp("重点任务分工表"))
	body.WriteString("<w:tbl><w:tr>" + wtc("任务") + wtc("牵头单位") + wtc("配合单位") + "</w:tr>")
	body.WriteString("<w:tr>" + wtc("建设专利导航服务基地。") + wtc("市市场监管局", "(知识产权局)") + wtc("市科技局") + "</w:tr></w:tbl>")
	res, err := Parse(docx(t, body.String()), Options{Filename: "plan.docx"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lists) != 2 {
		t.Fatalf("lists = %+v", res.Lists)
	}
	checkBrandItem(t, &Result{Items: res.Lists[0].Items})
	row := res.Lists[1].Items[0]
	if res.Lists[1].Name != "重点任务分工表" || !reflect.DeepEqual(row.Lead, []string{"市市场监管局(知识产权局)"}) || !reflect.DeepEqual(row.Partners, []string{"市科技局"}) {
		t.Errorf("table list = %+v", res.Lists[1])
	}
	if _, err := Parse([]byte("PK\x03\x04 not a zip"), Options{Filename: "x.docx"}); err == nil {
		t.Error("broken docx: want an error")
	}
}

const ledgerCSV = "某市责任清单,,,,\n序号,任务,牵头单位,配合单位,完成时限,指标\n1,加强品牌建设,市市场监管局,\"市商务局、各开发区管委会\",2025年底前,新增PCT国际申请20件以上\n2,,市科技局,,,\n3,开展宣传,市委宣传部,无,2025-13-01,\n"

func TestCSV(t *testing.T) {
	res, err := Parse([]byte(ledgerCSV), Options{Filename: "ledger.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Title != "某市责任清单" || len(res.Items) != 2 {
		t.Fatalf("plan %+v items %+v", res.Plan, res.Items)
	}
	it := res.Items[0]
	if it.Ref != "1" || it.Window.End != "2025-12-31" || !reflect.DeepEqual(it.Lead, []string{"市市场监管局"}) ||
		!reflect.DeepEqual(it.Groups, []string{"各开发区管委会"}) || len(it.Indicators) != 1 || it.Indicators[0].Deadline != "2025-12-31" {
		t.Errorf("row 1 = %+v", it)
	}
	if !hasWarning(res, 4, "row 4 has no task") {
		t.Errorf("no warning for row 4: %v", res.Warnings)
	}
	if !hasWarning(res, 5, "column 完成时限") {
		t.Errorf("no warning naming the bad date's row and column: %v", res.Warnings)
	}
	// Detected from content without a file name.
	if res, err := Parse([]byte(ledgerCSV[strings.Index(ledgerCSV, "\n")+1:]), Options{}); err != nil || len(res.Items) != 2 {
		t.Errorf("content detection: %v %+v", err, res)
	}
}

const ledgerYAML = `plan:
  title: 某市责任清单
  doc_number: 某政〔2025〕1号
items:
  - ref: 一(一)1
    title: 加强品牌建设
    lead: [市市场监管局]
    partners: [市商务局, 各开发区管委会]
    deadline: 2025年底前
    indicators:
      - {name: 新增PCT国际申请, target: 20, unit: 件, comparator: ">="}
  - 任务: 开展宣传
    牵头单位: 市委宣传部
    完成时限: 持续推进
    指标:
      - {name: 宣传活动, target: many}
`

func TestYAML(t *testing.T) {
	res, err := Parse([]byte(ledgerYAML), Options{Filename: "plan.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.DocNumber != "某政〔2025〕1号" || len(res.Items) != 2 {
		t.Fatalf("result = %+v", res)
	}
	it := res.Items[0]
	if it.Ref != "一(一)1" || it.SourceLines[0] != 5 || it.Indicators[0].Deadline != "2025-12-31" || !reflect.DeepEqual(it.Groups, []string{"各开发区管委会"}) {
		t.Errorf("item 1 = %+v", it)
	}
	if !res.Items[1].Window.Ongoing || !hasWarning(res, 16, "item 2, 指标: target \"many\" is not a number") {
		t.Errorf("item 2 = %+v warnings %v", res.Items[1], res.Warnings)
	}
}

// TestJSONRoundTrip: a Result written as JSON reads back as the same items.
func TestJSONRoundTrip(t *testing.T) {
	first, err := Parse([]byte(zhengzhouStyle), Options{})
	if err != nil {
		t.Fatal(err)
	}
	data := encodeResult(t, first)
	again, err := Parse(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := first.Items[0], again.Items[0]
	if a.Ref != b.Ref || !reflect.DeepEqual(a.Lead, b.Lead) || !reflect.DeepEqual(a.Partners, b.Partners) ||
		!reflect.DeepEqual(a.Groups, b.Groups) || !reflect.DeepEqual(a.Indicators, b.Indicators) || len(again.Lists) != 1 {
		t.Errorf("round trip:\n%+v\n%+v", a, b)
	}
	if _, err := Parse([]byte(`{"items": [`), Options{Format: "json"}); err == nil || errors.Is(err, ErrNoList) {
		t.Errorf("malformed JSON: err = %v", err)
	}
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"序号", "工作任务", "牵头单位", "配合单位", "完成时限"},
		{1, "建设专利导航服务基地", "市市场监管局", "市科技局、市工信局", 45838}, // 2025-06-30 as an Excel serial
		{2, "开展宣传周活动", "", "市委宣传部", ""},
		{3, "培育示范企业", "市工信局", "", "2024年12月"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	// The lead of row 4 is merged down over row 5's lead cell.
	_ = f.SetSheetRow("Sheet1", "A5", &[]any{4, "培育优势企业", "", "", ""})
	if err := f.MergeCell("Sheet1", "C4", "C5"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := Parse(buf.Bytes(), Options{Filename: "ledger.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 4 {
		t.Fatalf("items = %+v", res.Items)
	}
	if it := res.Items[0]; it.Window.End != "2025-06-30" || !reflect.DeepEqual(it.Partners, []string{"市科技局", "市工信局"}) {
		t.Errorf("row 2 = %+v", it)
	}
	if !hasWarning(res, 3, "designates no lead") && !hasWarning(res, 3, "未明确牵头单位") {
		t.Errorf("row 3 (no lead) not warned: %v", res.Warnings)
	}
	if it := res.Items[3]; !reflect.DeepEqual(it.Lead, []string{"市工信局"}) {
		t.Errorf("merged lead not filled: %+v", it)
	}
}

func TestUnsupportedFormats(t *testing.T) {
	for _, c := range []struct {
		data []byte
		opts Options
	}{
		{[]byte("%PDF-1.7"), Options{}},
		{[]byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0}, Options{}},
		{[]byte("x"), Options{Filename: "plan.doc"}},
		{[]byte("x"), Options{Format: "pdf"}},
	} {
		if res, err := Parse(c.data, c.opts); err == nil || errors.Is(err, ErrNoList) || res != nil {
			t.Errorf("%q %+v: err = %v", c.data, c.opts, err)
		}
	}
}
