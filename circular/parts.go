package circular

import (
	"encoding/xml"
	"strings"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// section is the page of GB/T 9704-2012: A4 with 天头 37mm, 订口 28mm,
// bottom 35mm and right 26mm, or the same type area turned for a landscape
// table (横排表格), and the page-number footer. It replaces the template's
// US Letter section.
func section(landscape bool) *ctypes.SectionProp {
	size := &ctypes.PageSize{Width: new(uint64(mm(210))), Height: new(uint64(mm(297)))}
	top, bottom, left, right := 37.0, 35.0, 28.0, 26.0
	if landscape {
		size = &ctypes.PageSize{Width: size.Height, Height: size.Width, Orient: stypes.PageOrientLandscape}
		top, bottom, left, right = left, right, top, bottom
	}
	return &ctypes.SectionProp{
		FooterReference: &ctypes.FooterReference{Type: stypes.HdrFtrDefault, ID: footerRelID},
		PageSize:        size,
		PageMargin: &ctypes.PageMargin{
			Top: new(mm(top)), Bottom: new(mm(bottom)), Left: new(mm(left)), Right: new(mm(right)),
			// The rules around the page number sit 7mm under the type
			// area; the footer line is about 6mm high.
			Header: new(mm(15)), Footer: new(mm(bottom - 13)), Gutter: new(0),
		},
	}
}

// setDefaults makes 3号 仿宋 on a single line the document default, so
// empty paragraphs and anything a reader adds match the body.
func setDefaults(rd *docx.RootDoc) {
	styles := rd.DocStyles
	if styles.DocDefaults == nil {
		styles.DocDefaults = &ctypes.DocDefault{}
	}
	styles.DocDefaults.RunProp = &ctypes.RunPropDefault{RunProp: &ctypes.RunProperty{
		Fonts: &ctypes.RunFonts{
			Ascii: fontFangSong, HAnsi: fontFangSong, EastAsia: fontFangSong, CS: fontFangSong,
			Hint: stypes.FontTypeHintEastAsia,
		},
		Size:   ctypes.NewFontSize(size3),
		SizeCs: ctypes.NewFontSizeCS(size3),
		Lang:   &ctypes.Lang{Val: new("en-US"), EastAsia: new("zh-CN")},
	}}
	styles.DocDefaults.ParaProp = &ctypes.ParaPropDefault{ParaProp: &ctypes.ParagraphProp{
		Spacing: &ctypes.Spacing{After: new(uint64(0)), Line: new(240), LineRule: new(stypes.LineSpacingRuleAuto)},
	}}
}

const (
	footerRelID   = "rIdDubanFooter"
	footerRelType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
	footerType    = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
)

// footerXML numbers pages "— 1 —" in 4号 半角宋体 (GB/T 9704-2012 7.5).
// The standard puts odd numbers right and even left; centred is the usual
// single-sided compromise, since alternating needs settings.xml as well.
const footerXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
	footerRun + `<w:t xml:space="preserve">— </w:t></w:r>` +
	footerRun + `<w:fldChar w:fldCharType="begin"/></w:r>` +
	footerRun + `<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	footerRun + `<w:fldChar w:fldCharType="separate"/></w:r>` +
	footerRun + `<w:t>1</w:t></w:r>` +
	footerRun + `<w:fldChar w:fldCharType="end"/></w:r>` +
	footerRun + `<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`

const footerRun = `<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>`

// fontTableXML replaces the template's (Cambria, ＭＳ 明朝) with the fonts
// the circular uses, each with an altName (仿宋_GB2312 → 仿宋) for a machine
// without the GB2312 fonts: a hint readers may use; rFonts holds one name.
const fontTableXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:font w:name="` + fontXiaoBiaoSong + `"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="` + fontFangSong + `"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + fontHei + `"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + fontSong + `"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

// addParts stores the parts godocx has no model for: the page-number
// footer (with its relationship and content type; section refers to it), the
// font table, and core properties naming the circular instead of the
// template's "gomutex" of 2013.
func addParts(rd *docx.RootDoc, d Document) {
	rd.FileMap.Store("word/footer1.xml", []byte(footerXML))
	_ = rd.ContentType.AddOverride("/word/footer1.xml", footerType) // only ever nil
	rels := &rd.Document.DocRels
	rels.Relationships = append(rels.Relationships, &docx.Relationship{
		ID: footerRelID, Type: footerRelType, Target: "footer1.xml",
	})

	rd.FileMap.Store("word/fontTable.xml", []byte(fontTableXML))

	created := d.Date.UTC().Format("2006-01-02T15:04:05Z")
	rd.FileMap.Store("docProps/core.xml", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`+
		`<dc:title>`+escape(d.Title)+`</dc:title><dc:creator>`+escape(d.Issuer)+`</dc:creator>`+
		`<dcterms:created xsi:type="dcterms:W3CDTF">`+created+`</dcterms:created>`+
		`<dcterms:modified xsi:type="dcterms:W3CDTF">`+created+`</dcterms:modified></cp:coreProperties>`))
}

// escape makes s safe as XML character data.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}
