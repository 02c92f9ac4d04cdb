package importer

import (
	"regexp"
	"strings"
)

var (
	// reTaskHeading marks a section of tasks even when no department is named in it.
	reTaskHeading = regexp.MustCompile(`任务|措施|举措|工作重点|重点工作|工作安排|责任分工|实施步骤|步骤|重大工程|工程|行动|进度安排|工作内容|主要内容|分工`)
	// reNonTask marks sections that are never tasks unless they name departments.
	reNonTask = regexp.MustCompile(`保障措施|保障机制|保障体系|保障$|指导思想|基本原则|目标|总体要求|工作要求|组织领导|组织实施|背景|意义|总体思路|附则`)
)

// candidate is a block taken as a task.
type candidate struct {
	b      *block
	t      taskText
	from   *block // the ancestor whose markup the task inherits, if any
	inh    markup // that ancestor's markup
	marked bool   // the task belongs to a section that names departments
}

// findTasks picks the tasks of one tree. A leaf block is a task when it names departments
// (or an ancestor does, for all its sub-items); when it sits in a top-level section where
// other tasks name departments (then it is a task missing them); or, in a section with no
// department anywhere, when its section heading reads as tasks (重点任务, 实施步骤 …) and
// not as goals or safeguards.
func findTasks(d *doc, root *block, all []*block) []candidate {
	texts := make(map[*block]taskText, len(all))
	for _, b := range all {
		texts[b] = readTask(d, b)
	}
	folded := liftSubpoints(d, all, texts)
	marked := map[*block]bool{} // top-level blocks whose subtree names departments
	for _, b := range all {
		if texts[b].m.departments() {
			marked[b.top()] = true
		}
	}
	rootMarked := false
	for _, c := range root.children {
		if texts[c].m.departments() {
			rootMarked = true
		}
	}
	noSections := true
	for _, b := range all {
		noSections = noSections && b.style != styleCN
	}
	var out []candidate
	for _, b := range all {
		if len(b.children) > 0 || folded[b] {
			continue
		}
		c := candidate{b: b, t: texts[b]}
		for a := b.parent; a != nil && a != root; a = a.parent {
			if texts[a].m.departments() {
				c.from, c.inh = a, texts[a].m
				break
			}
		}
		top := b.top()
		switch {
		case c.t.m.departments(), c.from != nil:
			c.marked = true
		case top != b && marked[top]:
			c.marked = true // a task of a section whose other tasks name departments
		case top == b && rootMarked:
			c.marked = true
		case !marked[top] && taskSection(d, b):
		case len(marked) == 0 && (top != b || noSections && b.style == styleParenCN) && !reNonTask.MatchString(top.name(d)) && !underNonTask(d, b):
			// A plan that names no department anywhere: its numbered measures outside the
			// goals, principles and safeguards are still its tasks (each warned about). When
			// the text has no 一、 sections at all (a page that lost them), its outermost
			// (一) blocks are those measures.
		default:
			continue
		}
		out = append(out, c)
	}
	return out
}

// taskSection reports a block under a heading that reads as tasks, none reading as goals,
// principles or safeguards.
func taskSection(d *doc, b *block) bool {
	task := false
	for a := b.parent; a != nil && a.parent != nil; a = a.parent {
		t := a.name(d)
		if reNonTask.MatchString(t) {
			return false
		}
		if reTaskHeading.MatchString(t) {
			task = true
		}
	}
	return task
}

// listName names a run of tasks after the top-level sections they come from.
func listName(d *doc, sc scope, run []candidate) string {
	var tops []*block
	for _, c := range run {
		if t := c.b.top(); len(tops) == 0 || tops[len(tops)-1] != t {
			tops = append(tops, t)
		}
	}
	name := "正文任务"
	if sc.name != "" {
		name = sc.name
	}
	switch {
	case len(tops) == 0 || tops[0] == run[0].b && len(tops) == len(run):
	case len(tops) <= 2:
		var parts []string
		for _, t := range tops {
			parts = append(parts, shortTitle(t.title(d)))
		}
		name = strings.Join(parts, "、")
		if sc.name != "" {
			name = sc.name + ":" + name
		}
	default:
		name += "(" + tops[0].label + "至" + tops[len(tops)-1].label + ")"
	}
	if !run[0].marked {
		name += "(未列责任单位)"
	}
	return name
}

// shortTitle is a heading up to its first pause.
func shortTitle(s string) string {
	if i := strings.IndexAny(s, ",。;:"); i > 0 {
		s = s[:i]
	}
	return truncate(strings.TrimSpace(s), 20)
}

// makeTitle is an item's first sentence, shortened at a pause when it is long.
func makeTitle(content string) string {
	first, _, _ := strings.Cut(content, "\n")
	if i := strings.Index(first, "。"); i > 0 {
		first = first[:i]
	}
	r := []rune(first)
	if len(r) <= 40 {
		return first
	}
	for i := 39; i >= 12; i-- {
		if strings.ContainsRune(",,;;", r[i]) {
			return string(r[:i])
		}
	}
	return truncate(first, 40)
}

// underNonTask reports a block under a goals, principles or safeguards heading.
func underNonTask(d *doc, b *block) bool {
	for a := b.parent; a != nil && a.parent != nil; a = a.parent {
		if reNonTask.MatchString(a.name(d)) {
			return true
		}
	}
	return false
}
