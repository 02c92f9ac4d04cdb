package circular

import (
	"math"
	"strings"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// Fonts named by GB/T 9704-2012. Word substitutes a font a machine lacks;
// parts.go names the fallback (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋).
const (
	fontXiaoBiaoSong = "方正小标宋简体"   // issuer mark and titles
	fontFangSong     = "仿宋_GB2312" // body
	fontHei          = "黑体"        // first-level headings, 附件 label
	fontSong         = "宋体"        // page numbers
)

// Sizes in half-points, WordprocessingML's unit, by their Chinese names.
const (
	size2      = 44 // 2号 (22pt): titles
	size3      = 32 // 3号 (16pt): body
	size4      = 28 // 4号 (14pt): page numbers, narrow tables
	sizeSmall4 = 24 // 小四 (12pt): tables of up to eight columns
	size5      = 21 // 五号 (10.5pt): landscape tables
	sizeSmall5 = 18 // 小五 (9pt): landscape tables past twelve columns
)

const (
	red = "FF0000"
	// lineTwips is the exact line pitch: 29pt puts the standard's 22 lines
	// in the 225mm type area (版心).
	lineTwips = 580
	// charTwips is one 3号 character, the unit of "空二字".
	charTwips = size3 * 10
)

// mm converts millimetres to twips (1/20 pt), WordprocessingML's length.
func mm(v float64) int { return int(math.Round(v * 1440 / 25.4)) }

// runStyle is the character formatting of one run.
type runStyle struct {
	font  string
	size  uint64 // half-points
	color string
	bold  bool
}

var (
	bodyText  = runStyle{font: fontFangSong, size: size3}
	titleText = runStyle{font: fontXiaoBiaoSong, size: size2}
	headText  = runStyle{font: fontHei, size: size3}
)

// addText appends text to p as runs in style s, one per line of text with
// a line break between. godocx's Run sets colour, bold and the ASCII font;
// the East Asian font, sizes (its Size takes whole points; 五号 is 10.5)
// and the language (the template's theme says ja-JP) are set on the run's
// complex type.
func addText(p *docx.Paragraph, text string, s runStyle) {
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			p.AddRun().AddBreak(nil)
		}
		r := p.AddText(line).Font(s.font)
		if s.color != "" {
			r.Color(s.color)
		}
		if s.bold {
			r.Bold(true)
		}
		ct := p.GetCT()
		rp := ct.Children[len(ct.Children)-1].Run.Property
		rp.Fonts.EastAsia = s.font
		rp.Fonts.CS = s.font
		rp.Fonts.Hint = stypes.FontTypeHintEastAsia
		rp.Size, rp.SizeCs = ctypes.NewFontSize(s.size), ctypes.NewFontSizeCS(s.size)
		rp.Lang = &ctypes.Lang{EastAsia: new("zh-CN")}
	}
}

// paraStyle is the layout of one paragraph. Lengths are in twips.
type paraStyle struct {
	align       stypes.Justification
	indentChars int // first-line indent in 3号 characters (空二字 = 2)
	rightIndent int
	before      uint64
	exactLine   bool // lineTwips exact; otherwise single spacing
	border      *ctypes.Border
	pageBreak   bool
	keepNext    bool
}

var (
	bodyPara  = paraStyle{align: stypes.JustificationBoth, indentChars: 2, exactLine: true}
	flushPara = paraStyle{align: stypes.JustificationLeft, exactLine: true}
)

// newPara appends an empty paragraph laid out as s to the body.
func newPara(rd *docx.RootDoc, s paraStyle) *docx.Paragraph {
	p := rd.AddEmptyParagraph()
	s.apply(p)
	return p
}

// apply sets s on p: justification and indentation through godocx's API,
// the rest — exact line spacing, borders, page breaks — on the complex type.
func (s paraStyle) apply(p *docx.Paragraph) {
	ct := p.GetCT()
	if ct.Property == nil {
		ct.Property = ctypes.DefaultParaProperty()
	}
	if s.align != "" {
		p.Justification(s.align)
	}
	if s.indentChars > 0 || s.rightIndent > 0 {
		ind := &ctypes.Indent{}
		if s.indentChars > 0 {
			// firstLineChars for Word and WPS, firstLine for readers
			// without character units (LibreOffice).
			ind.FirstLineChars = new(s.indentChars * 100)
			ind.FirstLine = new(uint64(s.indentChars * charTwips))
		}
		if s.rightIndent > 0 {
			ind.Right = new(s.rightIndent)
		}
		p.Indent(ind)
	}
	sp := &ctypes.Spacing{Before: new(s.before), After: new(uint64(0))}
	if s.exactLine {
		sp.Line, sp.LineRule = new(lineTwips), new(stypes.LineSpacingRuleExact)
	} else {
		sp.Line, sp.LineRule = new(240), new(stypes.LineSpacingRuleAuto)
	}
	ct.Property.Spacing = sp
	if s.border != nil {
		ct.Property.Border = &ctypes.ParaBorder{Bottom: s.border}
	}
	if s.pageBreak {
		ct.Property.PageBreakBefore = ctypes.OnOffFromBool(true)
	}
	if s.keepNext {
		ct.Property.KeepNext = ctypes.OnOffFromBool(true)
	}
}

// line is a single border of sz eighths of a point, space points from the text.
func line(color string, sz int, space string) *ctypes.Border {
	return &ctypes.Border{Val: stypes.BorderStyleSingle, Color: &color, Size: &sz, Space: &space}
}
