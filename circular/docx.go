package circular

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/stypes"
)

// DOCX lays d out as a Word document after GB/T 9704-2012: A4 with the
// standard margins, the issuer in red 小标宋 above the 发文字号 and a red
// rule, the title in 2号 小标宋, the body in 3号 仿宋_GB2312 on an exact
// 29pt line with 二字 first-line indents and 黑体 headings, the signature
// centred over the right-aligned date, page numbers "— 1 —", and the table
// as 附件 on a new page (a landscape section past eight columns).
//
// It is built with github.com/gomutex/godocx (MIT): the module proxy serves
// no version of its maintained fork github.com/ubavic/godocx, whose API is
// the same but for ParseDocument, so moving is a change of import path.
// Its API covers paragraphs, justification, indentation, run colour, bold
// and ASCII font, tables, cell widths and margins. What it has no method
// for is set on the complex types it exposes (Paragraph.GetCT,
// Table.GetCT, Body.SectPr, DocStyles), still marshalled by godocx: East
// Asian fonts, half-point sizes, exact line spacing, the red paragraph
// border, page breaks, section breaks, page size, orientation and margins,
// table borders and repeated header rows. Only the footer, font table and
// core properties, which it does not model, are written by hand as small
// parts in its package map (parts.go).
func DOCX(d Document) ([]byte, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	rd, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("circular: open docx template: %w", err)
	}
	rd.Document.Body.SectPr = section(false)
	setDefaults(rd)
	addParts(rd, d)
	writeHead(rd, d)
	writeBody(rd, d)
	writeClosing(rd, d)
	if d.Table != nil {
		writeAnnex(rd, *d.Table)
	}
	var buf bytes.Buffer
	if err := rd.Write(&buf); err != nil {
		return nil, fmt.Errorf("circular: write docx: %w", err)
	}
	return buf.Bytes(), nil
}

// writeHead writes the 版头 and title: the issuer mark 35mm below the top of
// the type area, the number two lines below it with the red rule 4mm under
// it, the title two lines below the rule, and the recipients a line later.
func writeHead(rd *docx.RootDoc, d Document) {
	issuer := newPara(rd, paraStyle{align: stypes.JustificationCenter, before: uint64(mm(35))})
	addText(issuer, d.Issuer, runStyle{font: fontXiaoBiaoSong, size: issuerSize(d.Issuer), color: red})

	number := newPara(rd, paraStyle{
		align:     stypes.JustificationCenter,
		before:    2 * lineTwips,
		exactLine: true,
		// The rule spans the type area; 1.5pt thick, 11pt (≈4mm) below.
		border: line(red, 12, "11"),
	})
	addText(number, d.Number, bodyText)

	title := newPara(rd, paraStyle{align: stypes.JustificationCenter, before: 2 * lineTwips, exactLine: true})
	addText(title, d.Title, titleText)

	if r := d.recipients(); r != "" {
		s := flushPara
		s.before = lineTwips
		addText(newPara(rd, s), r, bodyText)
	}
}

// issuerSize fits the issuer on one line of the 156mm type area, between
// 2号 (22pt) for long names and 初号 (42pt) for short ones, in half-points;
// the standard leaves the size to the office ("醒目、美观、庄重").
func issuerSize(issuer string) uint64 {
	const areaHalfPoints = 156 / 25.4 * 72 * 2
	w := max(textWidth(issuer), 1)
	return uint64(min(max(math.Floor(areaHalfPoints/w), size2), 84))
}

// writeBody writes each section: heading in 黑体, paragraphs, then items
// numbered "1." in the body font (the standard's third-level numbering).
func writeBody(rd *docx.RootDoc, d Document) {
	for _, s := range d.Sections {
		if s.Heading != "" {
			h := bodyPara
			h.keepNext = true
			addText(newPara(rd, h), s.Heading, headText)
		}
		for _, text := range s.Paragraphs {
			addText(newPara(rd, bodyPara), text, bodyText)
		}
		for i, item := range s.Items {
			addText(newPara(rd, bodyPara), strconv.Itoa(i+1)+"."+item, bodyText)
		}
	}
}

// writeClosing writes the 附件说明 (one line under the body, indented two
// characters), then the signature and date. The date is right-aligned four
// characters from the margin (右空四字) and the signature centred over it,
// the rule for a sealed document; a signature wider than that is flush right.
func writeClosing(rd *docx.RootDoc, d Document) {
	if d.Table != nil {
		s := bodyPara
		s.before = lineTwips
		addText(newPara(rd, s), "附件："+d.Table.Title, bodyText)
	}
	date := formatDate(d.Date)
	sig := d.signature()
	dateRight := 4 * charTwips
	sigRight := dateRight + int((textWidth(date)-textWidth(sig))/2*charTwips)

	addText(newPara(rd, paraStyle{
		align:       stypes.JustificationRight,
		rightIndent: max(sigRight, 0),
		before:      2 * lineTwips, // room for the seal
		exactLine:   true,
		keepNext:    true,
	}), sig, bodyText)
	addText(newPara(rd, paraStyle{
		align:       stypes.JustificationRight,
		rightIndent: dateRight,
		exactLine:   true,
	}), date, bodyText)
}
