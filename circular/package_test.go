package circular

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestDOCXPackage reads the zip itself: the document must be well-formed
// XML with the escaped name, exact 29pt lines, A4 and the standard margins,
// and reference the page-number footer.
func TestDOCXPackage(t *testing.T) {
	b, err := DOCX(sampleDocument())
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(data)
	}
	for name, data := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			wellFormed(t, name, data)
		}
	}
	doc := parts["word/document.xml"]
	for _, want := range []string{
		`&lt;办公&gt;&amp;`,
		`w:line="580" w:lineRule="exact"`,
		`w:eastAsia="仿宋_GB2312"`,
		`<w:pgSz w:w="11906" w:h="16838">`,
		`w:left="1587" w:right="1474" w:gutter="0" w:header="850" w:top="2098" w:footer="1247" w:bottom="1984"`,
		`<w:footerReference w:type="default" r:id="` + footerRelID + `">`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if strings.Contains(doc, trickyUnit) {
		t.Error("document.xml holds the name unescaped")
	}
	checks := map[string]string{
		"word/_rels/document.xml.rels": `Target="footer1.xml"`,
		"[Content_Types].xml":          `/word/footer1.xml`,
		"word/footer1.xml":             ` PAGE `,
		"word/fontTable.xml":           `<w:altName w:val="仿宋"/>`,
		"docProps/core.xml":            `<dc:title>关于2025年度`,
	}
	for part, want := range checks {
		if !strings.Contains(parts[part], want) {
			t.Errorf("%s lacks %s", part, want)
		}
	}
}

func wellFormed(t *testing.T, name, data string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestGridWidths(t *testing.T) {
	facts := strings.Repeat("经督办通知后逾期仍未完成", 5)
	table := Table{Header: []string{"序号", "单位", "事项", "得分"}, Rows: [][]string{{"1", "市科技局", facts, "60.75"}}}
	lay := layoutFor(table)
	widths := gridWidths(table, lay)
	sum := 0
	for _, w := range widths {
		sum += w
	}
	if sum != mm(156) || lay.landscape {
		t.Errorf("widths %v add up to %d (landscape %v), want the upright type area %d", widths, sum, lay.landscape, mm(156))
	}
	// The short columns keep two characters and more; the facts wrap.
	if minimum := int(2 * lay.size * 10); widths[0] < minimum || widths[3] < minimum || widths[2] < widths[1] {
		t.Errorf("widths %v: short columns under %d twips or facts narrower than the unit", widths, minimum)
	}
}

// TestDOCXLandscapeAnnex gives the annex the seventeen columns of the
// assessment export: it must move to a landscape section in 小五.
func TestDOCXLandscapeAnnex(t *testing.T) {
	d := sampleDocument()
	wide := Table{Title: "考核结果", Header: strings.Split("排名 单位 得分 基础分 扣分 按时签收率 按时报送率 按期办结率 指标完成率 逾期工作日 退回 L1 L2 L3 L4 追责 结果", " ")}
	wide.Rows = [][]string{strings.Split("1 市市场监管局(知识产权局) 98.50 100.00 1.50 100.0% 96.5% 100.0% 90.0% 0 0 0 0 0 0 0 通报表扬", " ")}
	d.Table = &wide
	p := parseDOCX(t, d)

	label, rp := p.find(t, "附件")
	if label.Property.PageBreakBefore != nil {
		t.Error("the section break already starts the page")
	}
	date, _ := p.find(t, "2026年1月15日")
	upright, turned := date.Property.SectPr, p.doc.Document.Body.SectPr
	if upright == nil || upright.PageSize == nil || *upright.PageSize.Width != uint64(mm(210)) {
		t.Fatalf("the date does not end an upright A4 section: %+v", upright)
	}
	if turned.PageSize.Orient != "landscape" || *turned.PageSize.Width != uint64(mm(297)) || turned.FooterReference == nil {
		t.Errorf("annex section %+v %+v, want landscape A4 with page numbers", turned.PageSize, turned.FooterReference)
	}
	checkRun(t, "label", rp, fontHei, size3)
	cell := p.table.RowContents[1].Row.Contents[1].Cell.Contents[0].Paragraph
	checkRun(t, "cell", cell.Children[0].Run.Property, fontFangSong, sizeSmall5)
	if text(cell) != wide.Rows[0][1] {
		t.Errorf("cell %q", text(cell))
	}
}
