package circular

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"
)

func openXLSX(t *testing.T, table Table, sheet string) *excelize.File {
	t.Helper()
	b, err := XLSX(table, sheet)
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("excelize.OpenReader: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestXLSXCells(t *testing.T) {
	const sheet = "2025年度排名"
	table := sampleTable()
	f := openXLSX(t, table, sheet)
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %v, want [%s]", got, sheet)
	}
	tests := []struct {
		cell, shown, raw string
		number           bool
	}{
		{"A1", "排名", "排名", false},
		{"G1", "经办人", "经办人", false},
		{"A2", "1", "1", true},
		{"B2", "007", "007", false}, // a code keeps its zeros
		{"C2", "市市场监管局(知识产权局)", "市市场监管局(知识产权局)", false},
		{"D2", "100%", "1", true},
		{"F2", "98.5", "98.5", true},
		{"D3", "96.25%", "0.9625", true},
		{"F3", "95.25", "95.25", true},
		{"C4", trickyUnit, trickyUnit, false},
		{"E4", "21", "21", true},
		{"F4", "71", "71", true},
		{"C5", "市科技局", "市科技局", false},
		{"D5", "", "", false}, // short row
		{"G5", "", "", false},
	}
	for _, tt := range tests {
		shown, err := f.GetCellValue(sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.GetCellValue(sheet, tt.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		typ, err := f.GetCellType(sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		// excelize leaves t="" on numbers (CellTypeUnset) and writes text
		// as shared strings.
		isNumber := raw != "" && (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber)
		if shown != tt.shown || raw != tt.raw || isNumber != tt.number {
			t.Errorf("%s = %q (raw %q, type %v), want %q (raw %q, number %v)",
				tt.cell, shown, raw, typ, tt.shown, tt.raw, tt.number)
		}
	}
}

func TestXLSXLayout(t *testing.T) {
	const sheet = "排名"
	f := openXLSX(t, sampleTable(), sheet)

	id, err := f.GetCellStyle(sheet, "C1")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if style.Font == nil || !style.Font.Bold || len(style.Fill.Color) == 0 || style.Fill.Color[0] != "D9D9D9" {
		t.Errorf("header style: font %+v fill %+v, want bold on D9D9D9", style.Font, style.Fill)
	}

	if id, err := f.GetCellStyle(sheet, "G5"); err != nil || id == 0 {
		t.Errorf("padded cell G5 has style %d (%v), want the bordered text style", id, err)
	}

	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, want the header row frozen", panes)
	}

	narrow, err := f.GetColWidth(sheet, "A") // "排名"
	if err != nil {
		t.Fatal(err)
	}
	wide, err := f.GetColWidth(sheet, "C") // unit names
	if err != nil {
		t.Fatal(err)
	}
	if want := textWidth("市市场监管局(知识产权局)") * 2; wide < want || narrow >= wide {
		t.Errorf("column widths A %.1f, C %.1f: want C ≥ %.1f and wider than A", narrow, wide, want)
	}

	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title != sampleTable().Title {
		t.Errorf("title property %q", props.Title)
	}
}

func TestXLSXSheetName(t *testing.T) {
	f := openXLSX(t, sampleTable(), "")
	if got := f.GetSheetList(); len(got) != 1 || got[0] != DefaultSheet {
		t.Errorf("sheets %v, want [%s]", got, DefaultSheet)
	}
	if _, err := XLSX(sampleTable(), "考核/排名"); !errors.Is(err, ErrInvalid) {
		t.Errorf("sheet name with '/': error %v, want ErrInvalid", err)
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in     string
		n      float64
		format string
		ok     bool
	}{
		{"3", 3, "0", true},
		{"95.5", 95.5, "0.0", true},
		{" 88.25 ", 88.25, "0.00", true},
		{"71.125", 71.125, "0.00", true},
		{"-2.5", -2.5, "0.0", true},
		{"96.5%", 0.965, "0.0%", true},
		{"0", 0, "0", true},
		{"007", 0, "", false},
		{"410102199001011234", 0, "", false}, // an ID number
		{"1e3", 0, "", false},
		{"—", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		n, format, ok := parseNumber(tt.in)
		if n != tt.n || format != tt.format || ok != tt.ok {
			t.Errorf("parseNumber(%q) = %v, %q, %v; want %v, %q, %v", tt.in, n, format, ok, tt.n, tt.format, tt.ok)
		}
	}
}
