package importer

import (
	"fmt"
	"strings"
)

// builtList is a list under construction, with how many items have designated leads.
type builtList struct {
	List
	explicit int
	first    int // first source line, for ordering
}

// itemBuilder turns tasks into items and collects warnings.
type itemBuilder struct {
	d     *doc
	r     rules
	dir   *Directory
	warns []Warning
	year  int // the one year the plan is for (2017年度…工作计划), 0 if not such a plan
	// docYear is the year of the document's 文号, for deadlines written without a year.
	docYear int
}

// warn records a warning; ref is the item it concerns, empty for the document.
func (ib *itemBuilder) warn(line int, code, ref, zh, en string) {
	ib.warns = append(ib.warns, newWarning(line, code, ref, zh, en))
}

// build converts one run of tasks into a list. Within the run, 以下均需…落实 adds its units
// to every later task, and 下同 lends a task's units to the following siblings that name
// none.
func (ib *itemBuilder) build(name string, run []candidate) builtList {
	bl := builtList{List: List{Name: name, Items: []Item{}}}
	var carry []string
	var same *candidate
	for i := range run {
		c := &run[i]
		m := c.t.m
		d := ib.d
		line := d.lines[c.t.first].no
		if c.t.markupLine >= 0 {
			line = d.lines[c.t.markupLine].no
		}
		ref := c.b.ref
		switch {
		case m.departments():
		case c.from != nil:
			m.lead, m.partners, m.resp = c.inh.lead, c.inh.partners, c.inh.resp
		case same != nil && same.b.parent == c.b.parent:
			m.lead, m.partners, m.resp = same.t.m.lead, same.t.m.partners, same.t.m.resp
			ib.warn(line, "same-below", ref, fmt.Sprintf("任务 %s 按“下同”沿用任务 %s 的责任单位", ref, same.b.ref),
				fmt.Sprintf("item %s takes the departments of item %s (下同)", ref, same.b.ref))
		}
		switch {
		case c.t.m.sameBelow:
			same = c
		case c.t.m.departments():
			same = nil // a task naming its own units ends the 下同 run
		}
		carry = append(carry, m.carry...)
		for _, li := range c.t.outside {
			ib.warn(d.lines[li].no, "text-outside", ref, fmt.Sprintf("第 %d 行在任务 %s 的责任单位之后，未归入任何任务，请核对是否漏了一项任务", d.lines[li].no, ref),
				fmt.Sprintf("line %d follows the departments of item %s and belongs to no item; check that no task was merged or dropped", d.lines[li].no, ref))
		}
		for _, u := range m.unparsed {
			ib.warn(line, "note-unread", ref, fmt.Sprintf("任务 %s 的括注“%s”未能识别", ref, u), fmt.Sprintf("item %s: could not read the note %q", ref, u))
		}
		if !m.departments() && len(carry) == 0 {
			ib.warn(d.lines[c.t.first].no, "no-department", ref, fmt.Sprintf("任务 %s 未列责任单位", ref), fmt.Sprintf("item %s names no department", ref))
		}
		m.resp = append(append([]string{}, m.resp...), carry...)
		ro := resolveRoles(m, ib.r, ib.dir, line, ref, ib.warn)
		it := ib.item(c, ref, ro)
		if ro.explicitLead {
			bl.explicit++
		}
		bl.Items = append(bl.Items, it)
	}
	if len(bl.Items) > 0 {
		bl.first = bl.Items[0].SourceLines[0]
	}
	return bl
}

// item fills the text, window and indicators of one task.
func (ib *itemBuilder) item(c *candidate, ref string, ro roles) Item {
	d := ib.d
	content := d.join(c.t.spans, true)
	folded := d.join(c.t.spans, false)
	it := Item{
		Ref: ref, Title: makeTitle(content), Content: content,
		Lead: nonNil(ro.lead), Partners: nonNil(ro.partners), Groups: nonNil(ro.groups),
		SourceLines: [2]int{d.lines[c.t.first].no, d.lines[c.t.last].no},
	}
	if c.t.m.hasWindow {
		it.Window = c.t.m.window
	} else if ends := findDeadlines(folded); len(ends) > 0 {
		end, differ := latest(ends)
		it.Window.End = end
		if differ {
			ib.warn(it.SourceLines[0], "several-deadlines", ref, fmt.Sprintf("任务 %s 提到多个完成时间（%s），取最晚的 %s", ref, strings.Join(ends, "、"), end),
				fmt.Sprintf("item %s mentions several deadlines; the window ends at the latest, %s", ref, end))
		}
	}
	if it.Window.End == "" && !it.Window.Ongoing {
		if end, head := sectionDeadline(d, c.b); end != "" {
			it.Window.End = end
			ib.warn(it.SourceLines[0], "deadline-from-section", ref, fmt.Sprintf("任务 %s 未写完成时限，按所在章节“%s”取 %s，请核对", ref, head, end),
				fmt.Sprintf("item %s states no deadline; %s is taken from its section %q, please check", ref, end, head))
		}
	}
	if it.Window.End == "" && (c.t.m.thisYear || thisYearInText(folded)) {
		it.Window.End, _ = ib.inferYearEnd(it.SourceLines[0], ref)
	}
	it.Indicators = nonNilInd(findIndicators(folded, it.Window.End))
	d.keepAll(it.Lead)
	d.keepAll(it.Partners)
	d.keepAll(it.Groups)
	for i := range it.Indicators {
		it.Indicators[i].Name, it.Indicators[i].Unit = d.keep(it.Indicators[i].Name), d.keep(it.Indicators[i].Unit)
	}
	return it
}

// sectionDeadline is the deadline stated in the heading of a section above the task
// (三、近期任务(2023年底前完成)), and that heading, or "".
func sectionDeadline(d *doc, b *block) (string, string) {
	for a := b.parent; a != nil && a.head >= 0; a = a.parent {
		title := a.title(d)
		if ends := findDeadlines(title); len(ends) > 0 {
			end, _ := latest(ends)
			return end, truncate(d.original(span{a.head, a.prefix, runeLen(title) + a.prefix}), 30)
		}
	}
	return "", ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInd(s []Indicator) []Indicator {
	if s == nil {
		return []Indicator{}
	}
	return s
}
