package importer

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Numbering styles, outermost first. A heading's parent is the nearest open heading of
// an earlier style, so documents that skip a level (一、 then 1.) nest correctly.
const (
	styleCN      = iota // 一、
	styleParenCN        // (一)
	styleArabic         // 1. 1、
	styleParenAr        // (1) 1)
	styleCircled        // ①
)

var headingRes = [...]*regexp.Regexp{
	styleCN:      regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*[、.]\s*`),
	styleParenCN: regexp.MustCompile(`^\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*[、.]?\s*`),
	styleArabic:  regexp.MustCompile(`^(\d{1,3})\s*[、.]\s*`),
	styleParenAr: regexp.MustCompile(`^(?:\(\s*(\d{1,3})\s*\)|(\d{1,3})\))\s*`),
	styleCircled: regexp.MustCompile(`^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*`),
}

// block is a numbered heading and the unnumbered lines that follow it.
type block struct {
	style    int
	label    string // the number as it appears in refs: 一, (一), 1, (1), ①
	ref      string // the path of labels: 二(三)4
	head     int    // line index of the heading
	prefix   int    // runes of numbering before the heading text
	body     []int  // line indexes of the following non-empty, unnumbered lines
	parent   *block
	children []*block
}

// title is the heading text without its number (folded).
func (b *block) title(d *doc) string {
	return d.folded(span{b.head, b.prefix, utf8.RuneCountInString(d.lines[b.head].text)})
}

// name is the block's heading up to its first pause: 金融人才开发项目 for
// 金融人才开发项目。围绕…的目标任务, so that a word deep in a task's text does not make it a
// goals or safeguards section.
func (b *block) name(d *doc) string {
	t := b.title(d)
	if i := strings.IndexAny(t, ",。;:"); i > 0 {
		t = t[:i]
	}
	return t
}

// top is the block's outermost ancestor below the root.
func (b *block) top() *block {
	for b.parent != nil && b.parent.parent != nil {
		b = b.parent
	}
	return b
}

// matchHeading recognises a numbered heading; it returns the style, label and the rune
// length of the numbering, or style -1.
func matchHeading(text string) (style int, label string, prefix int) {
	for st, re := range headingRes {
		m := re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		rest := text[len(m[0]):]
		if rest == "" {
			return -1, "", 0
		}
		num := m[1]
		if num == "" && len(m) > 2 {
			num = m[2]
		}
		if st == styleArabic && isDigit(rest[0]) {
			return -1, "", 0 // 1.5倍, not a heading
		}
		switch st {
		case styleParenCN, styleParenAr:
			label = "(" + num + ")"
		default:
			label = num
		}
		return st, label, utf8.RuneCountInString(m[0])
	}
	// 一 完善知识产权制度: a short section title whose 、 was lost in the copy.
	if m := reSpacedCN.FindStringSubmatch(text); m != nil {
		if rest := text[len(m[0]):]; runeLen(rest) <= 20 && !strings.ContainsAny(rest, "。,;:!? ") {
			return styleCN, m[1], utf8.RuneCountInString(m[0])
		}
	}
	return -1, "", 0
}

var reSpacedCN = regexp.MustCompile(`^([一二三四五六七八九十]{1,3}) +`)

// buildTree nests the numbered headings among the given lines (indexes into d, in order)
// under a root block and returns it with every block in document order.
func buildTree(d *doc, lines []int) (*block, []*block) {
	root := &block{style: -1, head: -1}
	var all []*block
	stack := []*block{root}
	cur := root
	for _, li := range lines {
		text := d.lines[li].text
		if text == "" {
			continue
		}
		st, label, prefix := matchHeading(text)
		if st < 0 {
			st, label, prefix = mergedHeading(text, stack)
		}
		if st < 0 {
			cur.body = append(cur.body, li)
			continue
		}
		for len(stack) > 1 && stack[len(stack)-1].style >= st {
			stack = stack[:len(stack)-1]
		}
		parent := stack[len(stack)-1]
		b := &block{style: st, label: label, ref: parent.ref + label, head: li, prefix: prefix, parent: parent}
		parent.children = append(parent.children, b)
		stack = append(stack, b)
		all = append(all, b)
		cur = b
	}
	return root, all
}

// reAnnex is the line that opens an annex: 附件, 附件2, 附件:.
var reAnnex = regexp.MustCompile(`^附\s*件\s*\d{0,2}\s*[::]?$`)

// scope is a run of lines parsed as one tree: the body, or one annex.
type scope struct {
	name  string // the annex title, empty for the body
	lines []int
}

// splitScopes cuts the document into the body and its annexes, leaving out the lines
// claimed by tables.
func splitScopes(d *doc, claimed map[int]bool) []scope {
	scopes := []scope{{}}
	for i, l := range d.lines {
		if reAnnex.MatchString(l.text) {
			scopes = append(scopes, scope{name: annexTitle(d, i)})
			continue
		}
		if !claimed[i] {
			s := &scopes[len(scopes)-1]
			s.lines = append(s.lines, i)
		}
	}
	return scopes
}

// annexTitle is the first non-empty line after the 附件 line.
func annexTitle(d *doc, i int) string {
	for j := i + 1; j < len(d.lines) && j < i+6; j++ {
		if t := d.lines[j].text; t != "" {
			return string(d.lines[j].raw)
		}
	}
	return "附件"
}

var (
	// reMergedArabic is 1. or 1、 followed directly by a digit: 2.12345政务服务…, 3.5G基站….
	reMergedArabic = regexp.MustCompile(`^(\d{1,3})\s*[、.]\s*\d+(\S)`)
	// reMeasure is what follows a number that is a quantity, not a title: 1.5倍, 2.5万元.
	reMeasure = regexp.MustCompile(`^[倍%万亿千百元个件家项名人次年月日时分秒公米吨亩户座所.]`)
)

// mergedHeading splits a number from digits that open the title, using the sequence of
// headings: 2.12345政务服务 after heading 1. is heading 2 titled 12345政务服务, and 3.5G
// after 2. is heading 3. The number must be the next one at its level; a first heading
// (1.) also needs a title that does not read as a quantity, so 1.5倍 stays text.
func mergedHeading(text string, stack []*block) (int, string, int) {
	m := reMergedArabic.FindStringSubmatchIndex(text)
	if m == nil {
		return -1, "", 0
	}
	num := text[m[2]:m[3]]
	i := len(stack) - 1
	for i > 0 && stack[i].style >= styleArabic {
		i--
	}
	expected := 1
	if kids := stack[i].children; len(kids) > 0 && kids[len(kids)-1].style == styleArabic {
		expected = atoi(kids[len(kids)-1].label) + 1
	}
	if atoi(num) != expected || expected == 1 && reMeasure.MatchString(text[m[4]:]) {
		return -1, "", 0
	}
	sep := m[3]
	for sep < len(text) && !isDigit(text[sep]) {
		sep++
	}
	return styleArabic, num, runeIndex(text, sep)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}
