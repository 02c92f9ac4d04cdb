package importer

import (
	"fmt"
	"regexp"
	"strings"
)

// A row table is a table pasted one row per line: cells separated by tabs (Word, WPS,
// Excel), by | (a table copied from a web page), or aligned with runs of spaces. Above the
// header there may be a title row and a merged group-heading row (一、优化营商环境); the
// header may repeat on every printed page; a cell may wrap onto a line of its own; empty
// cells keep their column (tabs and | keep them; with spaces, a cell belongs to the
// header column it starts under).
type rowTable struct {
	name       string
	sep        string // "\t", "|" or "  "
	cells      []cell // header cells
	kinds      []int
	start, end int // line indexes: header, end (exclusive)
	category   string
}

// colLeader is a column naming people (责任领导), not departments; colScope says where a
// row applies (推广范围, 适用范围): neither task text nor departments.
const (
	colLeader = colDeadline + 1
	colScope  = colLeader + 1
)

// rowHeaderAt reads line i as a header row: three or more cells, all header-like, a text
// column and a department or deadline column.
func rowHeaderAt(d *doc, i int) (rowTable, bool) {
	raw := rowText(d.lines[i])
	sep := rowSep(raw)
	if sep == "" {
		return rowTable{}, false
	}
	t := rowTable{sep: sep, start: i}
	text, dept, other := false, false, false
	for _, c := range splitRow(raw, sep) {
		if c.text == "" {
			continue
		}
		h, ok := headerCell(c.text)
		if !ok {
			return rowTable{}, false
		}
		k := headerKind(h)
		text = text || k == colText
		dept = dept || k == colLead || k == colPartner
		other = other || k == colDeadline
		c.text = h
		t.cells, t.kinds = append(t.cells, c), append(t.kinds, k)
	}
	return t, len(t.cells) >= 3 && text && (dept || other)
}

// rowText is a line folded for splitting into cells, with its leading tabs (empty first
// cells) put back.
func rowText(l line) string {
	return strings.Repeat("\t", l.tabs) + strings.Map(foldWidthKeepTab, string(l.raw))
}

// foldWidthKeepTab is fold that keeps tabs (a line's folded text turns them into spaces,
// which would hide a tab-separated table).
func foldWidthKeepTab(r rune) rune {
	if r == '\t' {
		return r
	}
	return fold(r)
}

// findRowTables finds every row table and where it ends: at an annex line, at a heading
// after a blank line, or where prose (a long line without separators) follows a blank.
func findRowTables(d *doc) []rowTable {
	var out []rowTable
	for i := 0; i < len(d.lines); i++ {
		t, ok := rowHeaderAt(d, i)
		if !ok {
			continue
		}
		t.name = tableName(d, i)
		if j := prevNonEmpty(d, i); j >= 0 {
			switch st, label, prefix := matchHeading(d.lines[j].text); {
			case st >= 0 && reTitleEnd.MatchString(d.lines[j].text):
				t.name = string(d.lines[j].raw[prefix:]) // 一、专项整治安排表 names the table
			case st >= 0 && runeLen(d.lines[j].text) <= 30:
				t.category = label // a merged group-heading row above the header
				t.name = tableName(d, j)
			}
		}
		t.end = len(d.lines)
		blank := false
		for j := i + 1; j < len(d.lines); j++ {
			l := d.lines[j].text
			if l == "" {
				blank = true
				continue
			}
			st, _, _ := matchHeading(l)
			prose := rowSep(string(d.lines[j].raw)) == "" && (runeLen(l) > 60 || st >= 0 && runeLen(l) > 30)
			if reAnnex.MatchString(l) || blank && prose {
				t.end = j
				break
			}
			blank = false
		}
		out = append(out, t)
		i = t.end - 1
	}
	return out
}

func prevNonEmpty(d *doc, i int) int {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if d.lines[j].text != "" {
			return j
		}
	}
	return -1
}

// column returns the header column a cell belongs to: its index for tabs and |, the
// header column it starts under for space-aligned rows.
func (t rowTable) column(c cell, idx int) int {
	if t.sep != "  " {
		return idx
	}
	best := 0
	for k, h := range t.cells {
		if h.col <= c.col+1 {
			best = k
		}
	}
	return best
}

// rowTableList reads a row table's rows into a list.
func (ib *itemBuilder) rowTableList(t rowTable) builtList {
	d := ib.d
	var run []candidate
	var cur *candidate
	category, perCategory := t.category, map[string]int{}
	for j := t.start + 1; j < t.end; j++ {
		l := d.lines[j]
		if l.text == "" {
			continue
		}
		raw := rowText(l)
		cells := splitRow(raw, t.sep)
		for k := range cells { // offsets in the line, without the leading tabs put back
			cells[k].from, cells[k].to = max(cells[k].from-l.tabs, 0), max(cells[k].to-l.tabs, 0)
		}
		if rowSep(raw) == "" || nonEmpty(cells) == 1 {
			c := cells[firstNonEmpty(cells)]
			if st, label, _ := matchHeading(c.text); st >= 0 && runeLen(c.text) <= 30 {
				category = label // 一、优化营商环境 on a row of its own
				continue
			}
			if cur != nil { // a cell wrapped onto a line of its own
				cur.t.spans = append(cur.t.spans, span{j, c.from, c.to})
				cur.t.last = j
				continue
			}
		}
		if isRepeatedHeader(cells, t) {
			continue
		}
		c := candidate{b: &block{}, t: taskText{markupLine: j, first: j, last: j}, marked: true}
		var lead, partners, seq, deadline string
		for idx, ce := range cells {
			if ce.text == "" {
				continue
			}
			switch col := t.column(ce, idx); {
			case col >= len(t.kinds):
				c.t.spans = append(c.t.spans, span{j, ce.from, ce.to})
			case t.kinds[col] == colSeq:
				seq = ce.text
			case t.kinds[col] == colLead:
				lead += ce.text + "、"
			case t.kinds[col] == colPartner:
				partners += ce.text + "、"
			case t.kinds[col] == colDeadline:
				deadline = ce.text
			case t.kinds[col] == colText:
				c.t.spans = append(c.t.spans, span{j, ce.from, ce.to})
			}
		}
		perCategory[category]++
		c.b.ref = seq
		if seq == "" {
			c.b.ref = fmt.Sprint(perCategory[category])
			if category != "" {
				c.b.ref = category + "-" + c.b.ref
			}
		}
		c.t.m = rowMarkup(lead, partners, t.kinds)
		if deadline != "" {
			dated := yearOf(deadline, ib.year)
			inferred := dated != deadline
			c.t.m.window, c.t.m.hasWindow = parseWindow(dated, true)
			if end := monthDeadlines(deadline, ib.year); ib.year > 0 && end != "" && !inferred {
				// ①3月底前,…③6月底前,…: a schedule of steps; the last step ends the task.
				c.t.m.window, c.t.m.hasWindow, inferred = Window{End: end}, true, true
			}
			c.t.m.thisYear = !c.t.m.hasWindow && isThisYear(deadline)
			if c.t.m.hasWindow && inferred {
				ib.warn(l.no, "deadline-inferred", c.b.ref, fmt.Sprintf("表格行 %s 的时间“%s”未写年份，按计划年度理解为 %s，请核对", c.b.ref, deadline, c.t.m.window.End),
					fmt.Sprintf("table row %s: the date %q names no year; read as %s from the plan's year, please check", c.b.ref, deadline, c.t.m.window.End))
			}
			if !c.t.m.hasWindow && !c.t.m.thisYear {
				ib.warn(l.no, "bad-date", c.b.ref, fmt.Sprintf("表格行 %s 的时间“%s”无法识别", c.b.ref, deadline), fmt.Sprintf("table row %s: cannot read the date %q", c.b.ref, deadline))
			}
		}
		if len(c.t.spans) == 0 {
			ib.warn(l.no, "row-no-text", c.b.ref, fmt.Sprintf("表格行 %s 没有任务内容，已跳过", c.b.ref), fmt.Sprintf("table row %s has no task text; skipped", c.b.ref))
			continue
		}
		run = append(run, c)
		cur = &run[len(run)-1]
	}
	if len(run) == 0 {
		return builtList{}
	}
	return ib.build(t.name, run)
}

// rowMarkup reads a row's department cells: the lead column leads; the 责任单位 column
// holds partners beside a lead column, and responsible units whose roles are not told
// apart when it is the only department column.
func rowMarkup(lead, partners string, kinds []int) markup {
	var m markup
	m.lead = splitNames(lead)
	hasLead := false
	for _, k := range kinds {
		hasLead = hasLead || k == colLead
	}
	if hasLead {
		m.partners = splitNames(partners)
	} else {
		m.resp = splitNames(partners)
	}
	return m
}

// reMonthOnly is a month without its year: 3月份, 6月底前.
var reMonthOnly = regexp.MustCompile(`^(\d{1,2})\s*月(?:份)?(?:底|末)?(?:前|之前)?$`)

// yearOf dates a month without a year (9月份) in the year the plan is for, when the plan
// is for one year; other text is returned as it is.
func yearOf(s string, year int) string {
	if year > 0 && reMonthOnly.MatchString(s) {
		return itoa(year) + "年" + s
	}
	return s
}
