package importer

import "strings"

// liftSubpoints reads a task whose sub-points carry no markup of their own, followed by
// one bracket on a line of its own that names its departments:
//
//	1.完善应急预案体系
//	(1)加强应急预案管理…
//	(2)推进应急预案精编化…
//	(责任单位:市直各有关单位、各县(市、区)人民政府)
//
// The bracket belongs to the task, not to its last sub-point: the task becomes one item
// whose content holds the sub-points. It returns the sub-points folded into their task.
func liftSubpoints(d *doc, all []*block, texts map[*block]taskText) map[*block]bool {
	folded := map[*block]bool{}
	for _, b := range all {
		n := len(b.children)
		if n < 2 || texts[b].m.departments() {
			continue
		}
		last := b.children[n-1]
		lt := texts[last]
		if !lt.m.departments() || lt.markupLine == last.head || !bracketLine(d.lines[lt.markupLine].text) {
			continue
		}
		own := true
		for _, c := range b.children[:n-1] {
			own = own && len(c.children) == 0 && !texts[c].m.any()
		}
		if !own || len(last.children) > 0 {
			continue
		}
		t := texts[b]
		for _, c := range b.children {
			t.spans = append(t.spans, texts[c].spans...)
			folded[c] = true
		}
		t.m, t.markupLine, t.last, t.outside = lt.m, lt.markupLine, lt.last, lt.outside
		texts[b] = t
		b.children = nil
	}
	return folded
}

// bracketLine reports a line that is one bracket and nothing else: (责任单位:…).
func bracketLine(text string) bool {
	rs := []rune(strings.TrimSpace(text))
	if len(rs) < 2 {
		return false
	}
	if _, ok := openers[rs[0]]; !ok {
		return false
	}
	j, ok := matchClose(rs, 0)
	return ok && trimEnd(rs, len(rs)) == j+1
}
