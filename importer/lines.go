package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLines bounds the work on one document; the longest seed has about 500 lines.
const maxLines = 200000

// line is one line of the decoded text: the original runes, trimmed, and the same runes
// folded to half-width (see fold) for matching.
type line struct {
	no   int    // 1-based line number in the decoded text
	raw  []rune // original text, trimmed
	text string // folded raw, rune for rune
	f    []rune // text as runes
	tabs int    // tabs trimmed from the start: empty leading cells of a tab-separated row
}

// doc is the decoded text cut into lines.
type doc struct {
	lines []line
	trad  bool // some character was read as traditional script
}

func newDoc(text string) *doc {
	parts := strings.Split(text, "\n")
	if len(parts) > maxLines {
		parts = parts[:maxLines]
	}
	d := &doc{lines: make([]line, 0, len(parts))}
	for i, p := range parts {
		raw := []rune(strings.TrimFunc(cellTerminator(p), isSpace))
		folded := make([]rune, len(raw))
		for j, r := range raw {
			folded[j] = fold(r)
			d.trad = d.trad || (folded[j] != r && r >= 0x4E00)
		}
		from, tabs := 0, leadingTabs(p)
		for _, to := range append(runInBreaks(folded), len(raw)) {
			seg := trimSpan(raw, from, to)
			d.lines = append(d.lines, line{no: i + 1, raw: raw[seg[0]:seg[1]], text: string(folded[seg[0]:seg[1]]), f: folded[seg[0]:seg[1]], tabs: tabs})
			from, tabs = to, 0
		}
	}
	return d
}

// trimSpan is [from, to) without the spaces at either end.
func trimSpan(rs []rune, from, to int) [2]int {
	for from < to && isSpace(rs[from]) {
		from++
	}
	for to > from && isSpace(rs[to-1]) {
		to--
	}
	return [2]int{from, to}
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == 0xFEFF || r == 0x200B }

// span is a piece of one line, in runes.
type span struct {
	li, from, to int
}

// original returns the original text of a span, trimmed.
func (d *doc) original(s span) string {
	raw := d.lines[s.li].raw
	from, to := clamp(s.from, len(raw)), clamp(s.to, len(raw))
	if from >= to {
		return ""
	}
	return strings.TrimFunc(string(raw[from:to]), isSpace)
}

// folded returns the folded text of a span.
func (d *doc) folded(s span) string {
	l := &d.lines[s.li]
	from, to := clamp(s.from, len(l.f)), clamp(s.to, len(l.f))
	switch {
	case from >= to:
		return ""
	case from == 0 && to == len(l.f):
		return l.text
	}
	return string(l.f[from:to])
}

// join renders spans as text, one line per span, skipping empty ones.
func (d *doc) join(spans []span, original bool) string {
	var b strings.Builder
	for _, s := range spans {
		t := d.folded(s)
		if original {
			t = d.original(s)
		}
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t)
	}
	return b.String()
}

func clamp(i, n int) int {
	if i < 0 {
		return 0
	}
	if i > n {
		return n
	}
	return i
}

// runeIndex converts a byte offset in s to a rune offset.
func runeIndex(s string, byteOff int) int {
	if byteOff > len(s) {
		byteOff = len(s)
	}
	return utf8.RuneCountInString(s[:byteOff])
}

// runeLen is the number of runes in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// truncate shortens s to n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// keep returns s (a name or unit read from folded text) as the document writes it: for a
// document in traditional script, the width-folded original runes at the first place
// where s occurs; otherwise s itself.
func (d *doc) keep(s string) string {
	if !d.trad || s == "" {
		return s
	}
	for _, l := range d.lines {
		i := strings.Index(l.text, s)
		if i < 0 {
			continue
		}
		from := runeIndex(l.text, i)
		out := make([]rune, 0, runeLen(s))
		for _, r := range l.raw[from : from+runeLen(s)] {
			out = append(out, foldWidth(r))
		}
		return string(out)
	}
	return s
}

// keepAll applies keep to each name.
func (d *doc) keepAll(names []string) []string {
	for i, n := range names {
		names[i] = d.keep(n)
	}
	return names
}

// reRunInHeading is a heading number at a break point of a line whose breaks were lost:
// 一 , 一、, (一), 1. followed by text.
var reRunInHeading = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}[、 ]|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、][^\d])`)

// runInBreaks finds where a long line that lost its line breaks (a web page pasted as
// one paragraph: …制定本计划。 一 完善制度 (一)完善法规 1.推动修改…(甲局负责) 2.推进…)
// should be cut: at a space before a heading number, when the space follows a sentence
// end or a closing bracket, or ends a short heading. A line is cut only when it holds two
// such places or more, so one stray number in prose stays.
func runInBreaks(f []rune) []int {
	if len(f) < 80 {
		return nil
	}
	var out []int
	segStart := 0
	for i := 1; i < len(f)-2; i++ {
		if f[i] != ' ' || f[i-1] == ' ' {
			continue
		}
		j := i
		for j < len(f) && f[j] == ' ' {
			j++
		}
		if !reRunInHeading.MatchString(string(f[j:min(j+6, len(f))])) {
			continue
		}
		prev := f[i-1]
		seg := string(f[segStart:i])
		shortHeading := runeLen(seg) <= 30 && !strings.ContainsAny(seg, "。,;") && reRunInHeading.MatchString(seg+" ")
		if strings.ContainsRune("。;)〕】", prev) || shortHeading {
			out = append(out, j)
			segStart = j
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// cellTerminator drops the lone | that ends each line of a web table copied one cell per
// line (序号 | / 重点工作 | / …); a line with several | is a row and keeps them.
func cellTerminator(p string) string {
	if t := strings.TrimRightFunc(p, isSpace); strings.Count(t, "|") == 1 && strings.HasSuffix(t, "|") {
		return strings.TrimSuffix(t, "|")
	}
	return p
}

// leadingTabs counts the tabs among the spaces that open a line: a row pasted from a
// table whose first cells are empty (\t\t市财政局\t2024年底前) keeps its columns.
func leadingTabs(p string) int {
	n := 0
	for _, r := range p {
		switch {
		case r == '\t':
			n++
		case !isSpace(r):
			return n
		}
	}
	return 0
}
