package importer

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// docxTable collects the rows of a .docx table (w:tbl) as cell texts on a grid.
// A cell merged down (w:vMerge without val="restart") repeats the text of the cell above
// it, so a lead cell spanning several task rows applies to each; a cell spanning columns
// (w:gridSpan) is followed by empty cells so the columns stay under their headers.
type docxTable struct {
	rows  [][]string
	row   []string
	above []string // the previous row's text by grid column
	cell  []string // paragraphs of the open cell
	span  int
	merge string // "": no vertical merge; "restart"; "continue"
	inTc  bool
}

func (t *docxTable) start(e xml.StartElement) {
	switch e.Name.Local {
	case "tr":
		t.row = nil
	case "tc":
		t.inTc, t.cell, t.span, t.merge = true, nil, 1, ""
	case "gridSpan":
		if n, err := strconv.Atoi(attr(e, "val")); err == nil && n > 1 && n <= 64 {
			t.span = n
		}
	case "vMerge":
		t.merge = "continue"
		if attr(e, "val") == "restart" {
			t.merge = "restart"
		}
	}
}

func (t *docxTable) end(name string) {
	switch name {
	case "tc":
		text := joinCellParagraphs(t.cell)
		col := len(t.row)
		if t.merge == "continue" && col < len(t.above) {
			text = t.above[col]
		}
		t.row = append(t.row, text)
		for i := 1; i < t.span; i++ {
			t.row = append(t.row, "")
		}
		t.inTc = false
	case "tr":
		t.rows = append(t.rows, t.row)
		t.above = t.row
	}
}

// paragraph adds a paragraph of text to the open cell.
func (t *docxTable) paragraph(text string) {
	if t.inTc && strings.TrimSpace(text) != "" {
		t.cell = append(t.cell, strings.TrimSpace(text))
	}
}

// joinCellParagraphs writes a cell's paragraphs on one line: a bracket that wrapped
// (市市场监管局 / (知识产权局)) is joined to its name, two units on two lines get 、, and
// lines of text run on.
func joinCellParagraphs(paras []string) string {
	var b strings.Builder
	for i, p := range paras {
		if i > 0 {
			prev := narrow(paras[i-1])
			if !strings.HasPrefix(narrow(p), "(") && looksLikeOrg(prev) && looksLikeOrg(narrow(p)) {
				b.WriteString("、")
			}
		}
		b.WriteString(p)
	}
	return strings.ReplaceAll(b.String(), "\t", " ")
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
