package importer

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tableRow is one row of a flattened table: its text lines, its department cells (each a
// run of lines, since a name can wrap: 市市场监管局 + (知识产权局)), an optional deadline
// cell and row number.
type tableRow struct {
	text     []int
	names    [][]int
	deadline int
	seq      string
	category string
}

// tableRows reads the rows of a table. A new row starts at a text line that follows
// department cells, at a row number, or at a category line (1.全面提升… in the first of
// two text columns). In a table numbered by a 序号 column a row runs from its number to
// the next one (text columns after the department column stay in the row), and the cell
// after the number is the row's text when the next column is text, whatever it looks
// like (现代化美丽城镇 is a task, not a 镇). Names of people under 责任领导 are left out.
// The header repeated on each printed page is skipped.
func tableRows(d *doc, t table) []tableRow {
	textCols, seqCol, leaders, depts, scope := 0, -1, false, 0, false
	for i, k := range t.kinds {
		switch k {
		case colText:
			textCols++
		case colSeq:
			seqCol = i
		case colLeader:
			leaders = true
		case colLead, colPartner:
			depts++
		case colScope:
			scope = scope || depts > 0 // a 推广范围 cell follows the row's departments
		}
	}
	firstText := seqCol >= 0 && seqCol+1 < len(t.kinds) && t.kinds[seqCol+1] == colText
	header := map[string]bool{}
	for _, c := range t.cells {
		header[c] = true
	}
	var rows []tableRow
	cur := tableRow{deadline: -1}
	category := ""
	flush := func() {
		if len(cur.text) > 0 || len(cur.names) > 0 {
			rows = append(rows, cur)
		}
		cur = tableRow{deadline: -1, category: category}
	}
	lastName := false
	for j := t.headerEnd; j < t.end; j++ {
		text := d.lines[j].text
		if text == "" {
			continue
		}
		if c, _ := headerCell(text); header[c] {
			continue
		}
		st, label, _ := matchHeading(text)
		switch {
		case reSeqCell.MatchString(text):
			flush()
			cur.seq = text
			lastName = false
		case firstText && cur.seq != "" && len(cur.text)+len(cur.names) == 0 && cur.deadline < 0:
			cur.text = append(cur.text, j)
		case st >= 0 && textCols >= 2 && runeLen(text) <= 30 && !strings.Contains(text, "。"):
			flush()
			category, cur.category = label, label
			lastName = false
		case isTimeOnly(text) && (len(cur.text) > 0 || len(cur.names) > 0):
			cur.deadline = j
			lastName = false
		case leaders && isPersonName(text):
		case lastName && (reContinued.MatchString(text) || strings.ContainsAny(lastRune(d.lines[lastOf(cur.names)].text), "、,")):
			cur.names[len(cur.names)-1] = append(cur.names[len(cur.names)-1], j)
		case scope && lastName && len(cur.names) >= depts:
			// The cell after the row's departments is its scope (全国, 全市, 8个改革试验区域),
			// neither a unit nor the task's text.
			lastName = false
		case isNameCell(text):
			cur.names = append(cur.names, []int{j})
			lastName = true
		default:
			if (len(cur.names) > 0 || cur.deadline >= 0) && (seqCol < 0 || cur.seq == "") {
				flush()
			}
			cur.text = append(cur.text, j)
			lastName = false
		}
	}
	flush()
	return rows
}

// isPersonName reports a cell that can only be a person's name: two or three characters
// that name no body (叶林, 欧乾震).
func isPersonName(s string) bool {
	n := runeLen(s)
	return n >= 2 && n <= 3 && !looksLikeOrg(s) && !strings.ContainsAny(s, "0123456789")
}

func lastOf(cells [][]int) int {
	c := cells[len(cells)-1]
	return c[len(c)-1]
}

// tableList turns a table's rows into a list. Department cells map to the header's
// department columns in order; when a row has more cells than columns, the extra ones are
// taken as further leads (a lead cell holding two units on two lines), with a warning.
func (ib *itemBuilder) tableList(t table) builtList {
	var deptCols []int
	for _, k := range t.kinds {
		if k == colLead || k == colPartner {
			deptCols = append(deptCols, k)
		}
	}
	d := ib.d
	var run []candidate
	perCategory := map[string]int{}
	for i, r := range tableRows(d, t) {
		first := r.text
		if len(first) == 0 {
			first = r.names[0]
		}
		no := d.lines[first[0]].no
		ref := fmt.Sprint(i + 1)
		switch {
		case r.seq != "":
			ref = r.seq
		case r.category != "":
			perCategory[r.category]++
			ref = fmt.Sprintf("%s-%d", r.category, perCategory[r.category])
		}
		if len(r.text) == 0 {
			ib.warn(no, "row-no-text", ref, fmt.Sprintf("表格第 %d 行只有单位没有内容，已跳过", i+1), fmt.Sprintf("table row %d has departments but no text; skipped", i+1))
			continue
		}
		tt := taskText{markupLine: -1, first: first[0], last: first[0]}
		for _, li := range r.text {
			tt.spans = append(tt.spans, span{li, 0, utf8.RuneCountInString(d.lines[li].text)})
			tt.last = max(tt.last, li)
		}
		cells := make([]string, len(r.names))
		for k, c := range r.names {
			for _, li := range c {
				cells[k] += d.lines[li].text
				tt.last = max(tt.last, li)
			}
		}
		if len(cells) > 0 {
			tt.markupLine = r.names[0][0]
		}
		tt.m = ib.assignCells(cells, deptCols, d.lines[max(tt.markupLine, first[0])].no, ref)
		if r.deadline >= 0 {
			tt.m.window, tt.m.hasWindow = parseWindow(d.lines[r.deadline].text, true)
			tt.m.thisYear = !tt.m.hasWindow && isThisYear(d.lines[r.deadline].text)
			tt.last = max(tt.last, r.deadline)
		}
		run = append(run, candidate{b: &block{ref: ref}, t: tt, marked: true})
	}
	if len(run) == 0 {
		return builtList{}
	}
	return ib.build(t.name, run)
}

// assignCells maps department cells to the table's department columns.
func (ib *itemBuilder) assignCells(cells []string, cols []int, line int, ref string) markup {
	var m markup
	put := func(col int, cell string) {
		names := splitNames(cell)
		switch {
		case col == colLead:
			m.lead = append(m.lead, names...)
		case len(cols) == 1: // a lone 责任单位 column: roles undetermined
			m.resp = append(m.resp, names...)
		default:
			m.partners = append(m.partners, names...)
		}
	}
	switch {
	case len(cells) == 0 || len(cols) == 0:
	case len(cols) == 1 || len(cells) == len(cols):
		for k, c := range cells {
			put(cols[min(k, len(cols)-1)], c)
		}
	case len(cells) < len(cols):
		put(cols[0], cells[0])
		ib.warn(line, "row-few-cells", ref, fmt.Sprintf("表格行 %s 只有 %d 个单位单元格，少于 %d 个单位列，已作为“%s”", ref, len(cells), len(cols), colName(cols[0])),
			fmt.Sprintf("table row %s has %d department cells for %d columns; read as the first column", ref, len(cells), len(cols)))
	default:
		extra := len(cells) - len(cols)
		for k := 0; k <= extra; k++ {
			put(cols[0], cells[k])
		}
		for k := 1; k < len(cols); k++ {
			put(cols[k], cells[extra+k])
		}
		ib.warn(line, "row-extra-cells", ref, fmt.Sprintf("表格行 %s 有 %d 个单位单元格，多于 %d 个单位列，前 %d 个作为“%s”，请核对", ref, len(cells), len(cols), extra+1, colName(cols[0])),
			fmt.Sprintf("table row %s has %d department cells for %d columns; the first %d were read as %s, please check", ref, len(cells), len(cols), extra+1, colName(cols[0])))
	}
	return m
}

func colName(k int) string {
	if k == colLead {
		return "牵头单位"
	}
	return "责任单位"
}
