package importer

import (
	"regexp"
	"strings"
)

// A numbered heading: 一、 / (一) / 1. 1、 / (1).
var levels = []*regexp.Regexp{
	regexp.MustCompile(`^([一二三四五六七八九十]{1,3})、\s*(.*)$`),
	regexp.MustCompile(`^\(([一二三四五六七八九十]{1,3})\)\s*(.*)$`),
	regexp.MustCompile(`^(\d{1,3})(?:\.|、)\s*(\D.*)$`),
	regexp.MustCompile(`^\((\d{1,3})\)\s*(.*)$`),
}

// block is a numbered paragraph and the unnumbered lines that follow it.
type block struct {
	level  int
	ref    string // full path, e.g. 二(三)4
	path   []string
	head   string // heading text after the number
	lines  []string
	first  int // 1-based line numbers
	last   int
	parent *block
}

func (b *block) text() string { return strings.Join(append([]string{b.head}, b.lines...), "\n") }

// refPart renders one level's number as it appears in refs.
func refPart(level int, num string) string {
	if level == 1 || level == 3 {
		return "(" + num + ")"
	}
	return num
}

// splitBlocks walks the lines and cuts them into numbered blocks.
func splitBlocks(lines []string) []*block {
	var out []*block
	var stack [4]*block
	var cur *block
	for i, l := range lines {
		if l == "" {
			continue
		}
		lvl, num, rest := -1, "", ""
		for k, re := range levels {
			if m := re.FindStringSubmatch(l); m != nil {
				lvl, num, rest = k, m[1], m[2]
				break
			}
		}
		if lvl < 0 {
			if cur != nil {
				cur.lines = append(cur.lines, l)
				cur.last = i + 1
			}
			continue
		}
		b := &block{level: lvl, head: rest, first: i + 1, last: i + 1}
		for k := lvl - 1; k >= 0; k-- {
			if stack[k] != nil {
				b.parent = stack[k]
				break
			}
		}
		if b.parent != nil {
			b.path = append(append([]string{}, b.parent.path...), refPart(lvl, num))
		} else {
			b.path = []string{refPart(lvl, num)}
		}
		b.ref = strings.Join(b.path, "")
		stack[lvl] = b
		for k := lvl + 1; k < len(stack); k++ {
			stack[k] = nil
		}
		out = append(out, b)
		cur = b
	}
	return out
}
