package importer

import (
	"strings"
	"unicode/utf8"
)

// taskText is a block read as a task: its content without the markup, what the markup
// says, and the lines it spans.
type taskText struct {
	spans      []span
	m          markup
	markupLine int   // line index of the first department markup, -1 if none
	outside    []int // lines after the task's markup, left out of every item
	first      int   // line indexes
	last       int
}

// readTask separates a block's text from its department and time markup, in every layout:
// 牵头单位:/配合单位: lines after the task (also mid-line after 。), and trailing brackets
// 〔责任单位:…〕 (…按职责分工负责) 【…】 (实施时间:…). Text after the last markup (a closing
// remark under the section's last task) is not part of the task.
func readTask(d *doc, b *block) taskText {
	units := []span{{b.head, b.prefix, utf8.RuneCountInString(d.lines[b.head].text)}}
	for _, li := range b.body {
		units = append(units, span{li, 0, utf8.RuneCountInString(d.lines[li].text)})
	}
	t := taskText{markupLine: -1, first: b.head, last: b.head}
	lastMarkup := -1
	note := func(i int, m markup) {
		lastMarkup = i
		if m.departments() && t.markupLine < 0 {
			t.markupLine = units[i].li
		}
		t.m.merge(m)
	}
	for i := 0; i < len(units); i++ {
		u := units[i]
		text := d.folded(u)
		hasColon := strings.Contains(text, ":")
		if hasColon && reLabelBOL.MatchString(text) {
			start := i
			// A department list that ends with a separator continues on the next line.
			var b strings.Builder
			b.WriteString(text)
			for i+1 < len(units) && strings.ContainsAny(lastRune(d.folded(units[i])), "、,") && !reLabelBOL.MatchString(d.folded(units[i+1])) {
				i++
				b.WriteString(d.folded(units[i]))
			}
			note(i, parseLabelled(b.String()))
			for j := start; j <= i; j++ {
				units[j].to = units[j].from // markup lines are not content
			}
			continue
		}
		if m, open, close, ok := midMarkup(text); ok {
			// 〔A牵头,B参与。…〕按省的要求,…(C牵头): markup inside the task, more text after it.
			note(i, m)
			tail := span{u.li, u.from + close, u.to}
			units[i].to = u.from + open
			units = append(units[:i+1], append([]span{tail}, units[i+1:]...)...)
			continue
		}
		if m, cut, ok := trailingMarkup(text); ok {
			note(i, m)
			units[i].to = u.from + cut
			text = d.folded(units[i])
		} else if m, cut, ok := trailingSentence(text); ok {
			note(i, m)
			units[i].to = u.from + cut
			continue
		}
		if !hasColon {
			continue
		}
		if loc := reLabelMid.FindStringIndex(text); loc != nil && bracketDepth(text[:loc[0]]) == 0 {
			cut := runeIndex(text, loc[0]) + 1 // keep the 。
			note(i, parseLabelled(text[loc[0]:]))
			units[i].to = u.from + cut
		}
	}
	if lastMarkup >= 0 {
		for _, u := range units[lastMarkup+1:] {
			if d.folded(u) != "" {
				t.outside = append(t.outside, u.li)
			}
		}
		units = units[:lastMarkup+1]
	}
	t.spans = units
	t.last = units[len(units)-1].li
	return t
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return string(r)
}

// trailingMarkup peels markup brackets off the end of a line; cut is the rune offset
// where the remaining text ends.
func trailingMarkup(text string) (markup, int, bool) {
	var all markup
	found := false
	rs := []rune(text)
	end, cut := len(rs), len(rs)
	for k := 0; k < 3; k++ {
		end = trimEnd(rs, end)
		open, ok := matchOpen(rs, end)
		if !ok {
			break
		}
		glued := open > 0 && !strings.ContainsRune("。;,.!?::、 ", rs[open-1])
		m, ok := parseBracket(string(rs[open+1:end-1]), glued)
		if !ok {
			break
		}
		all.merge(m)
		found = true
		end, cut = open, open
	}
	for cut > 0 && strings.ContainsRune(" ,、", rs[cut-1]) {
		cut-- // keep 。 before the bracket, drop a dangling comma
	}
	return all, cut, found
}

// midMarkup finds a bracket of department markup that follows a sentence end and is
// followed by more of the task's text; open and close are the rune offsets of the bracket
// and just past it.
func midMarkup(text string) (markup, int, int, bool) {
	rs := []rune(text)
	for i := 1; i < len(rs); i++ {
		if _, isOpen := openers[rs[i]]; !isOpen || !strings.ContainsRune("。;", rs[i-1]) {
			continue
		}
		j, ok := matchClose(rs, i)
		if !ok || trimEnd(rs, len(rs)) <= j+1 {
			continue // a trailing bracket is read by trailingMarkup
		}
		if m, ok := parseBracket(string(rs[i+1:j]), false); ok && m.departments() {
			return m, i, j + 1, true
		}
	}
	return markup{}, 0, 0, false
}

var openers = map[rune]rune{'(': ')', '〔': '〕', '【': '】', '[': ']'}

// matchClose finds the bracket that closes the one opening at rs[i].
func matchClose(rs []rune, i int) (int, bool) {
	openR, closeR := rs[i], openers[rs[i]]
	depth := 0
	for j := i; j < len(rs); j++ {
		switch rs[j] {
		case openR:
			depth++
		case closeR:
			if depth--; depth == 0 {
				return j, true
			}
		}
	}
	return 0, false
}

// bracketDepth is how many brackets are open at the end of s.
func bracketDepth(s string) int {
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '〔', '【', '[':
			depth++
		case ')', '〕', '】', ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return depth
}

// trimEnd skips trailing spaces and sentence punctuation.
func trimEnd(rs []rune, end int) int {
	for end > 0 && strings.ContainsRune(" 。;,.", rs[end-1]) {
		end--
	}
	return end
}

var closers = map[rune]rune{')': '(', '〕': '〔', '】': '【', ']': '['}

// matchOpen finds the bracket that opens the one closing rs[:end], honouring nesting so
// that 各县(市、区)政府 inside the markup survives.
func matchOpen(rs []rune, end int) (int, bool) {
	if end < 2 {
		return 0, false
	}
	closeR := rs[end-1]
	openR, ok := closers[closeR]
	if !ok {
		return 0, false
	}
	depth := 0
	for i := end - 1; i >= 0; i-- {
		switch rs[i] {
		case closeR:
			depth++
		case openR:
			depth--
			if depth == 0 {
				return i, true
			}
		}
	}
	return 0, false
}
