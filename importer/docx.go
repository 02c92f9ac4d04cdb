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

// maxDocumentXML bounds the unpacked word/document.xml (a zip bomb guard).
const maxDocumentXML = 64 << 20

// docxText extracts the text of a .docx: one line per paragraph, in document order, so a
// table becomes one cell per line, exactly like a table copied from a PDF (the layout the
// text parser reads). Deleted text (tracked changes) and field codes are skipped.
// Automatic numbering (w:numPr) is not rendered: numbers typed in the text are.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%s: %w", msg("不是有效的 .docx(zip)文件", "not a valid .docx (zip) file"), err)
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
	return documentXMLText(io.LimitReader(rc, maxDocumentXML))
}

// documentXMLText walks WordprocessingML and returns its paragraphs as lines.
func documentXMLText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var out, para strings.Builder
	inText := false
	flush := func() {
		out.WriteString(strings.TrimRight(para.String(), " "))
		out.WriteByte('\n')
		para.Reset()
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
				para.WriteByte('\t')
			case "br", "cr":
				flush()
			case "noBreakHyphen":
				para.WriteByte('-')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				flush()
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	if para.Len() > 0 {
		flush()
	}
	return out.String(), nil
}
