package circular

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
)

// parsed is a circular read back by godocx, with its paragraphs in order.
type parsed struct {
	doc   *docx.RootDoc
	paras []*ctypes.Paragraph
	table *ctypes.Table
}

func parseDOCX(t *testing.T, d Document) parsed {
	t.Helper()
	b, err := DOCX(d)
	if err != nil {
		t.Fatalf("DOCX: %v", err)
	}
	// This godocx opens files only (its fork's ParseDocument reads bytes).
	name := filepath.Join(t.TempDir(), "circular.docx")
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := godocx.OpenDocument(name)
	if err != nil {
		t.Fatalf("godocx.OpenDocument: %v", err)
	}
	p := parsed{doc: doc}
	for _, c := range doc.Document.Body.Children {
		if c.Para != nil {
			p.paras = append(p.paras, c.Para.GetCT())
		}
		if c.Table != nil {
			p.table = c.Table.GetCT()
		}
	}
	return p
}

// text is a paragraph's text with line breaks as "\n".
func text(p *ctypes.Paragraph) string {
	var b strings.Builder
	for _, c := range p.Children {
		if c.Run == nil {
			continue
		}
		for _, rc := range c.Run.Children {
			switch {
			case rc.Text != nil:
				b.WriteString(rc.Text.Text)
			case rc.Break != nil:
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

// all returns the indexes of the paragraphs whose text is want.
func (p parsed) all(want string) []int {
	var found []int
	for i, para := range p.paras {
		if text(para) == want {
			found = append(found, i)
		}
	}
	return found
}

// find returns the first paragraph whose text is want and its first run's
// properties.
func (p parsed) find(t *testing.T, want string) (*ctypes.Paragraph, *ctypes.RunProperty) {
	t.Helper()
	found := p.all(want)
	if len(found) == 0 {
		t.Fatalf("no paragraph %q", want)
	}
	para := p.paras[found[0]]
	return para, para.Children[0].Run.Property
}

func checkRun(t *testing.T, what string, rp *ctypes.RunProperty, font string, halfPoints uint64) {
	t.Helper()
	if rp.Fonts == nil || rp.Fonts.EastAsia != font || rp.Size == nil || rp.Size.Value != halfPoints {
		t.Errorf("%s: fonts %+v size %+v, want eastAsia %s size %d", what, rp.Fonts, rp.Size, font, halfPoints)
	}
}

func jc(p *ctypes.Paragraph) string {
	if p.Property == nil || p.Property.Justification == nil {
		return ""
	}
	return string(p.Property.Justification.Val)
}

func TestDOCXHead(t *testing.T) {
	d := sampleDocument()
	p := parseDOCX(t, d)

	issuer, rp := p.find(t, d.Issuer)
	if jc(issuer) != "center" || rp.Color == nil || rp.Color.Val != red {
		t.Errorf("issuer: jc %q colour %+v, want centred red", jc(issuer), rp.Color)
	}
	checkRun(t, "issuer", rp, fontXiaoBiaoSong, 44) // 20 characters fit at 2号

	number, rp := p.find(t, d.Number)
	checkRun(t, "number", rp, fontFangSong, 32)
	if b := number.Property.Border; b == nil || b.Bottom == nil || b.Bottom.Color == nil || *b.Bottom.Color != red {
		t.Errorf("number paragraph lacks the red rule: %+v", b)
	}

	title, rp := p.find(t, d.Title)
	checkRun(t, "title", rp, fontXiaoBiaoSong, 44)
	if jc(title) != "center" {
		t.Errorf("title jc %q", jc(title))
	}
	if recipients, _ := p.find(t, "各有关单位："); recipients.Property.Indent != nil {
		t.Errorf("recipients are indented: %+v", recipients.Property.Indent)
	}
}

func TestDOCXBody(t *testing.T) {
	d := sampleDocument()
	p := parseDOCX(t, d)

	_, rp := p.find(t, "一、通报表扬")
	checkRun(t, "heading", rp, fontHei, 32)
	body, rp := p.find(t, d.Sections[0].Paragraphs[0])
	checkRun(t, "body", rp, fontFangSong, 32)
	if ind := body.Property.Indent; ind == nil || ind.FirstLineChars == nil || *ind.FirstLineChars != 200 {
		t.Errorf("body indent %+v, want 2 characters", ind)
	}
	if jc(body) != "both" {
		t.Errorf("body jc %q", jc(body))
	}
	for _, list := range [][]string{commended, criticised, escalated} {
		for i, item := range list {
			p.find(t, strconv.Itoa(i+1)+"."+item)
		}
	}
	if !strings.Contains(criticised[0], trickyUnit) {
		t.Fatal("fixture lost its tricky name")
	}
}

func TestDOCXClosing(t *testing.T) {
	d := sampleDocument()
	p := parseDOCX(t, d)
	note := p.all("附件：" + d.Table.Title)
	// Signature is empty, so the issuer is both the red mark and the 署名.
	issuer := p.all(d.Issuer)
	date := p.all("2026年1月15日")
	if len(note) != 1 || len(issuer) != 2 || len(date) != 1 {
		t.Fatalf("附件说明 %v, issuer %v, date %v: want one, two and one", note, issuer, date)
	}
	if sig := issuer[1]; !(note[0] < sig && sig+1 == date[0]) {
		t.Errorf("order: 附件说明 %d, 署名 %d, date %d", note[0], sig, date[0])
	}
	for _, i := range []int{issuer[1], date[0]} {
		para := p.paras[i]
		checkRun(t, text(para), para.Children[0].Run.Property, fontFangSong, 32)
		if jc(para) != "right" {
			t.Errorf("%s: jc %q, want right", text(para), jc(para))
		}
	}
	if ind := p.paras[date[0]].Property.Indent; ind == nil || ind.Right == nil || *ind.Right != 4*charTwips {
		t.Errorf("date indent %+v, want 右空四字", ind)
	}
}

func TestDOCXAnnex(t *testing.T) {
	d := sampleDocument()
	p := parseDOCX(t, d)
	label, rp := p.find(t, "附件")
	checkRun(t, "annex label", rp, fontHei, 32)
	if pb := label.Property.PageBreakBefore; pb == nil {
		t.Error("annex does not start a page")
	}
	if p.table == nil {
		t.Fatal("no table")
	}
	rows := p.table.RowContents
	if len(rows) != len(d.Table.Rows)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(d.Table.Rows)+1)
	}
	for r, rc := range rows {
		want := d.Table.Header
		if r > 0 {
			want = append(d.Table.Rows[r-1], make([]string, len(want))...)[:len(want)]
		}
		cells := rc.Row.Contents
		if len(cells) != len(want) {
			t.Fatalf("row %d: %d cells, want %d", r, len(cells), len(want))
		}
		for c, cell := range cells {
			para := cell.Cell.Contents[0].Paragraph
			if got := text(para); got != want[c] {
				t.Errorf("cell %d,%d = %q, want %q", r, c, got, want[c])
			}
			if r == 0 && (para.Children[0].Run.Property.Bold == nil) {
				t.Errorf("header cell %d not bold", c)
			}
		}
	}
}
