package importer

import (
	"regexp"
	"strings"
)

// Column kinds of a responsibility table.
const (
	colText = iota
	colSeq
	colLead
	colPartner
	colDeadline
)

var (
	reHeaderCell = regexp.MustCompile(`序号|编号|内容|任务|措施|举措|事项|成果|目标|指标|牵头|配合|责任|协办|参与|时限|时间|进度|备注|类别|领域|政策|名称|项目|行业|工作|情况|范围|部门$|单位$`)
	reSeqCell    = regexp.MustCompile(`^\d{1,3}$`)
	reContinued  = regexp.MustCompile(`^\([^()]{1,15}\)$`)
	reTitleEnd   = regexp.MustCompile(`(清单|表|名单|方案|计划|目录)$`)
	reEmptyCell  = regexp.MustCompile(`^(?:无|暂无|/|-|—|——)$`)
)

// table is a responsibility table flattened to one cell per line, as text copied from a
// PDF or a .docx reads: a header row (内容 / 牵头部门 / 责任单位 …), then rows.
type table struct {
	name       string
	cells      []string // header cells, spaces removed
	kinds      []int
	start, end int // line indexes: header start, end of the table (exclusive)
	headerEnd  int
}

func headerKind(c string) int {
	switch {
	case strings.Contains(c, "序号") || strings.Contains(c, "编号"):
		return colSeq
	case strings.Contains(c, "牵头") || strings.HasPrefix(c, "主责") || strings.HasPrefix(c, "主要责任"):
		return colLead
	case strings.HasSuffix(c, "领导") || strings.HasSuffix(c, "责任人") || strings.HasSuffix(c, "联系人"):
		return colLeader // 责任领导: people, not departments
	case strings.Contains(c, "配合") || strings.HasPrefix(c, "责任") || strings.Contains(c, "协办") || strings.Contains(c, "参与"):
		return colPartner // 责任单位, 责任部门, 责任科室, 责任主体
	case strings.HasSuffix(c, "情况"):
		return colText // 完成情况, 进展情况: what was done, read with the row's text
	case strings.HasSuffix(c, "范围"):
		return colScope
	case strings.HasSuffix(c, "部门") || strings.HasSuffix(c, "单位"):
		return colPartner // 指导部门, 负责部门, 实施单位: the units responsible for the row
	case strings.Contains(c, "时限") || strings.Contains(c, "时间") || strings.Contains(c, "进度"):
		return colDeadline
	}
	return colText
}

// headerCell reports a line that can be a header cell.
func headerCell(text string) (string, bool) {
	if len(text) > 96 {
		return "", false // too long for 16 characters and some spaces
	}
	if st, _, _ := matchHeading(text); st >= 0 {
		return "", false // 三、重点任务 is a section, not a column
	}
	c := strings.Join(strings.Fields(text), "")
	return c, c != "" && runeLen(c) <= 16 && !strings.ContainsAny(c, "。,;") && reHeaderCell.MatchString(c) && !reTitleEnd.MatchString(c)
}

// findTables finds every header row with a department column and the lines of its rows.
func findTables(d *doc) []table {
	var out []table
	for i := 0; i < len(d.lines); i++ {
		t, ok := headerAt(d, i)
		if !ok {
			continue
		}
		t.end = tableEnd(d, t)
		t.name = tableName(d, i)
		out = append(out, t)
		i = t.end - 1
	}
	return out
}

// headerAt reads a run of header cells starting at line i (blank lines between cells are
// allowed). It needs three cells or more, one of them a department column.
func headerAt(d *doc, i int) (table, bool) {
	t := table{start: i}
	j := i
	for ; j < len(d.lines) && len(t.cells) < 10; j++ {
		if d.lines[j].text == "" {
			continue
		}
		c, ok := headerCell(d.lines[j].text)
		// A header cell wrapped onto two lines (责任 / 科室, 第二季度 / 完成情况): the
		// second part alone is no column name, the two together are.
		if k := nextNonEmpty(d, j); k > 0 && runeLen(d.lines[j].text) <= 4 && runeLen(d.lines[k].text) <= 4 && !strings.ContainsAny(d.lines[k].text, "0123456789") {
			_, alone := headerCell(d.lines[k].text)
			if jc, joined := headerCell(d.lines[j].text + d.lines[k].text); joined && (!ok || !alone) {
				c, ok, j = jc, true, k
			}
		}
		if !ok {
			break
		}
		t.cells, t.kinds = append(t.cells, c), append(t.kinds, headerKind(c))
	}
	t.headerEnd = j
	dept, text := false, false
	for _, k := range t.kinds {
		dept = dept || k == colLead || k == colPartner
		text = text || k == colText
	}
	return t, len(t.cells) >= 3 && dept && text
}

// nextNonEmpty is the index of the next non-empty line after i, or -1.
func nextNonEmpty(d *doc, i int) int {
	for k := i + 1; k < len(d.lines); k++ {
		if d.lines[k].text != "" {
			return k
		}
	}
	return -1
}

// tableEnd is where the rows stop: an annex line, or four lines in a row that are
// neither department cells, deadlines nor row numbers (prose again).
func tableEnd(d *doc, t table) int {
	run, runStart := 0, -1
	for j := t.headerEnd; j < len(d.lines); j++ {
		text := d.lines[j].text
		if text == "" {
			continue
		}
		if reAnnex.MatchString(text) {
			return j
		}
		if _, isHeader := headerCell(text); isHeader || isNameCell(text) || isTimeOnly(text) || reSeqCell.MatchString(text) {
			run = 0
			continue
		}
		if run == 0 {
			runStart = j
		}
		if run++; run >= 4 {
			return runStart
		}
	}
	return len(d.lines)
}

// isNameCell reports a line that holds only department names, or the wrapped tail of one
// such as (知识产权局).
func isNameCell(text string) bool {
	if strings.Contains(text, "。") {
		return false // a sentence (成功创建首批美丽城镇。), not a list of units
	}
	return reContinued.MatchString(text) || reEmptyCell.MatchString(text) || allOrgs(splitNames(text))
}

// tableName is the title line just above the header, if any.
func tableName(d *doc, i int) string {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		t := d.lines[j].text
		if t == "" {
			continue
		}
		if runeLen(t) <= 60 && !strings.ContainsAny(t, "。;") && !reAnnex.MatchString(t) {
			return string(d.lines[j].raw)
		}
		break
	}
	return "附件表格"
}

// tableTitles are the first text cells of the rows of every table, as a body quotes them.
func tableTitles(d *doc, tables []table) []string {
	var out []string
	for _, t := range tables {
		for _, r := range tableRows(d, t) {
			if len(r.text) > 0 && runeLen(d.lines[r.text[0]].text) >= 6 {
				out = append(out, d.lines[r.text[0]].text)
			}
		}
	}
	return out
}

// dropSummaries leaves out the body tasks that restate a table: in a section naming no
// department, when half of its tasks or more quote the titles of the table's rows
// (知识产权保护方面5项:知识产权民事、刑事、行政案件“三合一”审判;…), the section lists
// the table's measures again and the table is the list.
func dropSummaries(d *doc, cands []candidate, titles []string) []candidate {
	if len(titles) == 0 {
		return cands
	}
	quoting, total := map[*block]int{}, map[*block]int{}
	for _, c := range cands {
		if c.marked {
			continue
		}
		top := c.b.top()
		total[top]++
		text := d.join(c.t.spans, false)
		for _, t := range titles {
			if strings.Contains(text, t) {
				quoting[top]++
				break
			}
		}
	}
	out := cands[:0]
	for _, c := range cands {
		if top := c.b.top(); !c.marked && 2*quoting[top] >= total[top] && quoting[top] > 0 {
			continue
		}
		out = append(out, c)
	}
	return out
}
