package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// docxText extracts the text of a .docx: one line per paragraph, in document order, so a
// table becomes one cell per line, exactly like a table copied from a PDF (the layout the
// text parser reads). Deleted text (tracked changes) and field codes are skipped.
// Automatic numbering (w:numPr) is not rendered: numbers typed in the text are.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%s: %w", msg("不是有效的 .docx（zip）文件", "not a valid .docx (zip) file"), err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return "", errors.New(msg(".docx 中没有 word/document.xml", "the .docx has no word/document.xml"))
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("%s: %w", msg("无法打开 word/document.xml", "cannot open word/document.xml"), err)
	}
	defer rc.Close()
	return documentXMLText(&capped{r: rc, left: MaxUnpacked})
}

// documentXMLText walks WordprocessingML and returns its paragraphs as lines. A table row
// becomes one line of tab-separated cells (see docxTable), so that the row-table reader
// sees its columns, with merged cells copied into every row and column they span.
func documentXMLText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var out, para strings.Builder
	var tables []*docxTable // open tables, innermost last
	inText := false
	endPara := func() {
		text := strings.TrimRight(para.String(), " ")
		para.Reset()
		if len(tables) > 0 {
			tables[len(tables)-1].paragraph(text)
			return
		}
		out.WriteString(text)
		out.WriteByte('\n')
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", msg("word/document.xml 格式错误", "malformed word/document.xml"), err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				para.WriteByte('\t') // tab-aligned columns typed in Word read as a row table
			case "br", "cr":
				endPara()
			case "noBreakHyphen":
				para.WriteByte('-')
			case "tbl":
				tables = append(tables, &docxTable{})
			default:
				if len(tables) > 0 {
					tables[len(tables)-1].start(t)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				endPara()
			case "tbl":
				rows := tables[len(tables)-1].rows
				tables = tables[:len(tables)-1]
				for _, row := range rows {
					if len(tables) > 0 { // a table inside a cell: its rows are that cell's text
						tables[len(tables)-1].paragraph(strings.Join(row, " "))
						continue
					}
					out.WriteString(strings.Join(row, "\t"))
					out.WriteByte('\n')
				}
			default:
				if len(tables) > 0 {
					tables[len(tables)-1].end(t.Name.Local)
				}
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	if para.Len() > 0 {
		endPara()
	}
	return out.String(), nil
}
