package importer

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// parseText parses a plan written as text: the notice and title page, numbered sections
// (一、 (一) 1. (1)), annexes, and responsibility tables flattened one cell per line.
func parseText(text string, warns []Warning, opts Options) (*Result, error) {
	d := newDoc(text)
	tables, rowTables := findTables(d), findRowTables(d)
	claimed := map[int]bool{}
	for _, t := range tables {
		for j := t.start; j < t.end; j++ {
			claimed[j] = true
		}
	}
	for _, t := range rowTables {
		for j := t.start; j < t.end; j++ {
			claimed[j] = true
		}
	}
	ib := &itemBuilder{d: d, r: scanRules(d), dir: opts.Directory, warns: warns, year: planYear(d), docYear: docYear(d)}
	titles := tableTitles(d, tables)
	var lists []builtList
	var body []*block
	headings := 0
	for si, sc := range splitScopes(d, claimed) {
		root, all := buildTree(d, sc.lines)
		headings += len(all)
		if si == 0 {
			body = all
		}
		cands := dropSummaries(d, findTasks(d, root, all), titles)
		for len(cands) > 0 {
			n := 1
			for n < len(cands) && cands[n].marked == cands[0].marked {
				n++
			}
			lists = append(lists, ib.build(listName(d, sc, cands[:n]), cands[:n]))
			cands = cands[n:]
		}
	}
	for _, t := range tables {
		if bl := ib.tableList(t); len(bl.Items) > 0 {
			lists = append(lists, bl)
		}
	}
	for _, t := range rowTables {
		if bl := ib.rowTableList(t); len(bl.Items) > 0 {
			lists = append(lists, bl)
		}
	}
	sort.SliceStable(lists, func(i, j int) bool { return lists[i].first < lists[j].first })
	bodyStart := len(d.lines)
	if len(body) > 0 {
		bodyStart = body[0].head
	}
	res := &Result{Plan: parseMeta(d, bodyStart), Warnings: append(ib.warns, missingTables(d, tableNames(tables, rowTables))...)}
	res.Plan.Indicators = planIndicators(d, body, res.Plan.Period.End)
	if res.Plan.Period.End == "" {
		res.Plan.Period = periodFromGoals(d, body, res.Plan.Indicators)
	}
	reason := ""
	if len(lists) == 0 {
		switch bullets := countBullets(d); {
		case headings == 0 && len(tables)+len(rowTables) == 0 && bullets > 0:
			reason = msg(fmt.Sprintf("文中没有“一、”“（一）”“1.”式的编号任务，也没有带牵头单位列的表格；有 %d 条“●”要点，但都没有标注责任单位", bullets),
				fmt.Sprintf("the text has no numbered tasks (一、 (一) 1.) and no table with a lead column; its %d bullet points (●) name no department", bullets))
		case headings == 0 && len(tables)+len(rowTables) == 0:
			reason = msg("文中没有“一、”“（一）”“1.”式的编号段落，也没有带牵头单位列的表格",
				"the text has no numbered sections (一、 (一) 1.) and no table with a lead column")
		default:
			reason = msg(fmt.Sprintf("文中有 %d 个编号段落，但没有一段标注牵头单位、配合单位或〔责任单位〕，也没有标题为任务、措施或实施步骤的一节", headings),
				fmt.Sprintf("the text has %d numbered sections, but none is marked with lead, partner or responsible units and no section is headed as tasks, measures or steps", headings))
		}
	}
	return finish(res, lists, opts.List, reason)
}

// planIndicators reads the numeric targets of the goal sections (工作目标, 主要目标 …).
// A target without its own date takes the first 到20XX年 of the section, else the plan's end.
func planIndicators(d *doc, body []*block, periodEnd string) []Indicator {
	out := []Indicator{}
	for _, b := range body {
		if !strings.Contains(b.name(d), "目标") || underGoal(d, b) {
			continue
		}
		var spans []span
		collectSpans(d, b, &spans)
		text := d.join(spans, false)
		def := periodEnd
		if y := yearsFrom(text); y != "" {
			def = y
		} else if m := reSentenceDate.FindStringSubmatch(text); m != nil {
			if ds := findDates(m[1]); len(ds) > 0 {
				def = format(ds[0].end)
			}
		}
		for _, ind := range findIndicators(text, def) {
			ind.Name, ind.Unit = d.keep(ind.Name), d.keep(ind.Unit)
			out = append(out, ind)
		}
	}
	return out
}

// periodFromGoals runs a plan without a stated period to its last horizon: the latest
// 到2030年 of its goal sections, or of its targets' deadlines.
func periodFromGoals(d *doc, body []*block, inds []Indicator) Period {
	var p Period
	for _, ind := range inds {
		if ind.Deadline > p.End {
			p.End = ind.Deadline
		}
	}
	for _, b := range body {
		if !strings.Contains(b.name(d), "目标") {
			continue
		}
		var spans []span
		collectSpans(d, b, &spans)
		text := d.join(spans, false)
		for _, m := range reHorizon.FindAllStringSubmatchIndex(text, -1) {
			if ds := findDates(text[m[2]:m[3]]); len(ds) > 0 && format(ds[0].end) >= p.End {
				p.End, p.Text = format(ds[0].end), text[m[0]:m[1]]
			}
		}
	}
	if p.End != "" && p.Text == "" {
		p.Text = "到" + p.End[:4] + "年"
	}
	return p
}

// reHorizon is a goal's horizon: 到2030年, 到2027年底.
var reHorizon = regexp.MustCompile(`(?:到|至)\s*(\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?)`)

func underGoal(d *doc, b *block) bool {
	for a := b.parent; a != nil && a.parent != nil; a = a.parent {
		if strings.Contains(a.name(d), "目标") {
			return true
		}
	}
	return false
}

// collectSpans gathers a block's heading and body and those of its descendants.
func collectSpans(d *doc, b *block, out *[]span) {
	*out = append(*out, span{b.head, b.prefix, runeLen(d.lines[b.head].text)})
	for _, li := range b.body {
		*out = append(*out, span{li, 0, runeLen(d.lines[li].text)})
	}
	for _, c := range b.children {
		collectSpans(d, c, out)
	}
}

// finish fills the lists and items of a result and picks the list Options.List asks for.
// With no list it returns ErrNoList wrapped with the reason.
func finish(res *Result, lists []builtList, pick int, reason string) (*Result, error) {
	res.Lists, res.Items = []List{}, []Item{}
	if res.Warnings == nil {
		res.Warnings = []Warning{}
	}
	if res.Plan.Indicators == nil {
		res.Plan.Indicators = []Indicator{}
	}
	sort.SliceStable(res.Warnings, func(i, j int) bool { return res.Warnings[i].Line < res.Warnings[j].Line })
	best := -1
	for i, l := range lists {
		res.Lists = append(res.Lists, l.List)
		if best < 0 || l.explicit > lists[best].explicit {
			best = i
		}
	}
	if len(lists) == 0 {
		if reason == "" {
			reason = msg("没有找到任何任务", "no task was found")
		}
		res.Warnings = append(res.Warnings, Warning{Line: 0, Message: reason, Code: "no-list", MessageEn: englishPart(reason)})
		return res, fmt.Errorf("%w: %s", ErrNoList, reason)
	}
	switch {
	case pick == 0:
		res.Items = lists[best].Items
	case pick < 0 || pick > len(lists):
		return res, fmt.Errorf("%s", msg(fmt.Sprintf("没有第 %d 个清单，本文共有 %d 个", pick, len(lists)),
			fmt.Sprintf("there is no list %d; the document has %d", pick, len(lists))))
	default:
		res.Items = lists[pick-1].Items
	}
	return res, nil
}

// tableNames are the titles of the tables found, for missingTables.
func tableNames(tables []table, rows []rowTable) []string {
	var out []string
	for _, t := range tables {
		out = append(out, t.name)
	}
	for _, t := range rows {
		out = append(out, t.name)
	}
	return out
}

// planYear is the year of a plan for one year, read from its first lines (徐庄镇2017年度
// 安全生产专项整治工作计划), or 0.
func planYear(d *doc) int {
	for i := 0; i < len(d.lines) && i < 12; i++ {
		if m := reYearPlan.FindStringSubmatch(d.lines[i].text); m != nil {
			return atoi(m[1] + m[2])
		}
	}
	return 0
}
