package circular

import (
	"math"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// tableLayout is how an annex table fits the page: the type area (版心) is
// 156mm wide upright and 225mm turned.
type tableLayout struct {
	size      uint64 // half-points
	landscape bool
	area      int // type-area width, twips
	margin    int // cell margin each side, twips
}

// layoutFor sets a table in 4号 up to five columns and 小四 up to eight;
// past that on a landscape page (横排表格, which GB/T 9704-2012 allows) with
// narrow cell margins, in 五号 up to twelve columns and 小五 beyond.
func layoutFor(t Table) tableLayout {
	switch n := len(t.Header); {
	case n <= 5:
		return tableLayout{size: size4, area: mm(156), margin: 108}
	case n <= 8:
		return tableLayout{size: sizeSmall4, area: mm(156), margin: 108}
	case n <= 12:
		return tableLayout{size: size5, landscape: true, area: mm(225), margin: 57}
	default:
		return tableLayout{size: sizeSmall5, landscape: true, area: mm(225), margin: 57}
	}
}

// writeAnnex writes the 附件 on a page of its own: "附件" in 3号 黑体 flush
// left on the first line, the title in 2号 小标宋 centred on the third,
// then the table. A landscape annex starts a section: the last paragraph
// before it ends the upright one, which also starts the new page.
func writeAnnex(rd *docx.RootDoc, t Table) {
	lay := layoutFor(t)
	label := flushPara
	if lay.landscape {
		// writeClosing ends the body with the date, a styled paragraph.
		children := rd.Document.Body.Children
		children[len(children)-1].Para.GetCT().Property.SectPr = section(false)
		rd.Document.Body.SectPr = section(true)
	} else {
		label.pageBreak = true
	}
	addText(newPara(rd, label), "附件", headText)

	if t.Title != "" {
		addText(newPara(rd, paraStyle{
			align:     stypes.JustificationCenter,
			before:    lineTwips,
			exactLine: true,
			keepNext:  true,
		}), t.Title, titleText)
	}
	writeTable(rd, t, lay)
}

// writeTable writes t with single black borders across the type area. The
// header row is bold 黑体 and repeats on every page; cells are centred.
func writeTable(rd *docx.RootDoc, t Table, lay tableLayout) {
	widths := gridWidths(t, lay)
	tbl := rd.AddTable()
	tbl.Width(lay.area, stypes.TableWidthDxa)
	tbl.Layout(stypes.TableLayoutFixed)
	margin := ctypes.NewTableWidth(lay.margin, stypes.TableWidthDxa)
	tbl.CellMargin(nil, margin, nil, margin)
	grid := make([]uint64, len(widths))
	for i, w := range widths {
		grid[i] = uint64(w)
	}
	tbl.Grid(grid...)

	prop := &tbl.GetCT().TableProp
	prop.Justification = ctypes.NewGenSingleStrVal(stypes.JustificationCenter)
	b := line("000000", 4, "0")
	prop.Borders = &ctypes.TableBorders{Top: b, Left: b, Bottom: b, Right: b, InsideH: b, InsideV: b}

	addRow(tbl, t.Header, widths, runStyle{font: fontHei, size: lay.size, bold: true})
	tbl.GetCT().RowContents[0].Row.Property.Header = ctypes.OnOffFromBool(true)
	for _, r := range t.Rows {
		addRow(tbl, r, widths, runStyle{font: fontFangSong, size: lay.size})
	}
	for _, rc := range tbl.GetCT().RowContents {
		rc.Row.Property.CantSplit = ctypes.OnOffFromBool(true)
	}
}

// addRow appends one row; a short row is padded with empty cells so every
// row spans the grid.
func addRow(tbl *docx.Table, cells []string, widths []int, s runStyle) {
	row := tbl.AddRow()
	for i, w := range widths {
		c := row.AddCell().Width(w, stypes.TableWidthDxa).VerticalAlign("center")
		p := c.AddEmptyPara()
		paraStyle{align: stypes.JustificationCenter, before: 40}.apply(p)
		if i < len(cells) {
			addText(p, cells[i], s)
		}
	}
}

// gridWidths shares the type area between columns, in twips. Spare width
// is shared in proportion to need. When the area is too narrow, headers
// take two lines; then short columns (rank, scores, rates: up to six
// characters) keep their width and the long text columns shrink, to four
// characters at the least; past that every column shrinks alike.
func gridWidths(t Table, lay tableLayout) []int {
	const shortEms, longFloorEms = 6, 4
	area := float64(lay.area)
	ems, need, total := columnNeeds(t, lay, 1)
	if total > area {
		ems, need, total = columnNeeds(t, lay, 2)
	}
	var short float64
	for i, e := range ems {
		if e <= shortEms {
			short += need[i]
		}
	}
	scale := make([]float64, len(need))
	for i := range scale {
		scale[i] = area / total
	}
	if shrink := (area - short) / (total - short); total > area && short < total {
		floor := longFloorEms*float64(lay.size*10) + float64(2*lay.margin)
		fits := true
		for i, e := range ems {
			if e > shortEms {
				fits = fits && need[i]*shrink >= floor
				scale[i] = shrink
			} else {
				scale[i] = 1
			}
		}
		if !fits {
			for i := range scale {
				scale[i] = area / total
			}
		}
	}
	widths := make([]int, len(need))
	used := 0
	for i, w := range need {
		widths[i] = int(math.Floor(w * scale[i]))
		used += widths[i]
	}
	widths[len(widths)-1] += lay.area - used // rounding goes to the last column
	return widths
}

// columnNeeds is each column's widest cell in ems, at least two, and the
// twips it needs: digits and Latin letters count 0.6em (仿宋_GB2312's are
// half an em, a substitute's wider), plus half an em of slack and the cell
// margins.
func columnNeeds(t Table, lay tableLayout, headerLines float64) (ems, need []float64, total float64) {
	ems = t.columnWidths(0.6, headerLines)
	need = make([]float64, len(ems))
	for i, e := range ems {
		need[i] = (max(e, 2)+0.5)*float64(lay.size*10) + float64(2*lay.margin)
		total += need[i]
	}
	return ems, need, total
}
