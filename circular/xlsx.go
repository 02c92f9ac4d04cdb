package circular

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// DefaultSheet names the sheet when XLSX is given none.
const DefaultSheet = "考核结果"

// XLSX writes t as a workbook with one sheet named sheet (DefaultSheet if
// empty): the header in row 1, bold on a grey fill and frozen with a filter;
// cells that read as numbers stored as numbers, shown with the decimals they
// were given (a score "95.5" as 0.0, "88.25" as 0.00, "96.5%" as 0.0%);
// columns fitted to their widest Chinese text; A4 printing, landscape for
// wide tables. The title becomes the workbook's title property.
func XLSX(t Table, sheet string) ([]byte, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	if sheet == "" {
		sheet = DefaultSheet
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, fmt.Errorf("%w: sheet name %q: %v", ErrInvalid, sheet, err)
	}
	w := sheetWriter{f: f, sheet: sheet, styles: map[string]int{}}
	for i, h := range t.Header {
		w.set(i+1, 1, h, headerKey)
	}
	for r, row := range t.Rows {
		for c := range t.Header {
			v := ""
			if c < len(row) {
				v = row[c]
			}
			if n, format, ok := parseNumber(v); ok {
				w.set(c+1, r+2, n, format)
			} else {
				w.set(c+1, r+2, v, "")
			}
		}
	}
	if w.err != nil {
		return nil, fmt.Errorf("circular: write xlsx: %w", w.err)
	}
	if err := w.layout(t); err != nil {
		return nil, fmt.Errorf("circular: lay out xlsx: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("circular: write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

// layout freezes and filters the header, fits the columns and sets the
// print page and the title.
func (w *sheetWriter) layout(t Table) error {
	last, err := excelize.CoordinatesToCellName(len(t.Header), len(t.Rows)+1)
	if err != nil {
		return err
	}
	if err := w.f.SetPanes(w.sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	if err := w.f.AutoFilter(w.sheet, "A1:"+last, nil); err != nil {
		return err
	}
	for i, ems := range t.columnWidths(0.5, 1) {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		// Excel's unit is one "0" of the default font; a Chinese
		// character takes about two, plus room for the filter button.
		if err := w.f.SetColWidth(w.sheet, col, col, min(ems*2+4, 80)); err != nil {
			return err
		}
	}
	orient := "portrait"
	if len(t.Header) > 5 {
		orient = "landscape"
	}
	if err := w.f.SetPageLayout(w.sheet, &excelize.PageLayoutOptions{Size: new(9), Orientation: &orient}); err != nil { // 9 is A4
		return err
	}
	return w.f.SetDocProps(&excelize.DocProperties{Title: t.Title})
}

// sheetWriter writes cells, creating one style per number format and
// keeping the first error so the loop above stays readable.
type sheetWriter struct {
	f      *excelize.File
	sheet  string
	styles map[string]int
	err    error
}

// headerKey is the style key of header cells.
const headerKey = "header"

// set writes v at (col, row) in the style for key: "" for text, headerKey,
// or a number format. An empty string leaves the cell blank but bordered,
// so short rows are padded without empty strings that COUNTA would count.
func (w *sheetWriter) set(col, row int, v any, key string) {
	if w.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err == nil && v != "" {
		err = w.f.SetCellValue(w.sheet, cell, v)
	}
	id, ok := w.styles[key]
	if err == nil && !ok {
		id, err = w.f.NewStyle(cellStyle(key))
		w.styles[key] = id
	}
	if err == nil {
		err = w.f.SetCellStyle(w.sheet, cell, cell, id)
	}
	w.err = err
}

func cellStyle(key string) *excelize.Style {
	thin := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	s := &excelize.Style{
		Border:    thin,
		Font:      &excelize.Font{Family: fontSong, Size: 11},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	}
	switch key {
	case headerKey:
		s.Font.Bold = true
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}
		s.Alignment.Horizontal = "center"
	case "":
	default:
		s.CustomNumFmt = new(key)
		s.Alignment.Horizontal = "right"
	}
	return s
}

// numberPattern accepts what an office writes as a number: an optional
// sign, no leading zeros (codes such as "007" stay text), at most 15 digits
// before the point (longer is an identifier), an optional percent sign.
var numberPattern = regexp.MustCompile(`^[+-]?(0|[1-9][0-9]{0,14})(\.([0-9]+))?(%?)$`)

// parseNumber reads v as a number and the Excel format showing it with the
// decimals it was written with, at most two.
func parseNumber(v string) (float64, string, bool) {
	m := numberPattern.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0, "", false
	}
	digits, format := strings.TrimSuffix(m[0], "%"), "0"
	if d := min(len(m[3]), 2); d > 0 {
		format += "." + strings.Repeat("0", d)
	}
	if m[4] == "%" {
		// Scale in the decimal text so "96.5%" is the double nearest
		// 0.965, not 96.5/100 = 0.9650000000000001.
		digits, format = digits+"e-2", format+"%"
	}
	n, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return 0, "", false
	}
	return n, format, true
}
