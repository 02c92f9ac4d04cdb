package importer

import (
	"fmt"
	"strings"
)

// Ledger columns (台账). A CSV or XLSX header row, or the keys of YAML/JSON items, may use
// the Chinese or the English name; matching ignores spaces, width and case.
//
//	column      accepted headers                                        meaning
//	ref         序号 编号 任务编号 ref no id                             item ref; the row number when absent
//	title       任务 任务名称 工作任务 重点任务 主要任务 具体任务 事项 title task
//	content     任务内容 具体内容 工作内容 具体措施 工作措施 内容 主要内容 content description
//	lead        牵头单位 牵头部门 责任牵头单位 主责单位 lead
//	partners    配合单位 配合部门 协办单位 参与单位 partners
//	responsible 责任单位 责任部门 责任主体 responsible   (roles as in a text 责任单位 list)
//	groups      单位组 groups
//	deadline    完成时限 时限 完成时间 时间节点 截止时间 deadline due end
//	schedule    实施时间 时间安排 进度安排 schedule   (2022年9月-2025年6月, 2022年9月,持续推进)
//	start       开始时间 start
//	indicators  指标 量化指标 目标 预期目标 预期成果 indicators targets
//
// A row needs a title or content. Names in a cell are separated by 、 , ; or line breaks.
// Dates may be written 2025-06-30, 2025年6月, 2025年底前 or as Excel dates.
var ledgerColumns = map[string]string{}

func init() {
	for col, names := range map[string]string{
		"ref":         "序号 编号 任务编号 ref no id",
		"title":       "任务 任务名称 工作任务 重点任务 主要任务 具体任务 事项 title task",
		"content":     "任务内容 具体内容 工作内容 具体措施 工作措施 内容 主要内容 content description",
		"lead":        "牵头单位 牵头部门 责任牵头单位 主责单位 lead",
		"partners":    "配合单位 配合部门 协办单位 参与单位 partners",
		"responsible": "责任单位 责任部门 责任主体 responsible",
		"groups":      "单位组 groups",
		"deadline":    "完成时限 时限 完成时间 时间节点 截止时间 deadline due end",
		"schedule":    "实施时间 时间安排 进度安排 schedule",
		"start":       "开始时间 start",
		"indicators":  "指标 量化指标 目标 预期目标 预期成果 indicators targets",
	} {
		for _, n := range strings.Fields(names) {
			ledgerColumns[n] = col
		}
	}
}

// columnOf maps a header as written to its ledger column, or "".
func columnOf(h string) string {
	return ledgerColumns[strings.ToLower(normaliseName(h))]
}

// knownColumns counts the headers that name ledger columns.
func knownColumns(header []string) int {
	n := 0
	for _, h := range header {
		if columnOf(h) != "" {
			n++
		}
	}
	return n
}

// ledgerRow is one row: values by ledger column, the headers as written (for messages),
// structured indicators (YAML/JSON), and its row or line number.
type ledgerRow struct {
	line    int
	values  map[string]string
	headers map[string]string
	inds    []Indicator
}

// ledgerItems converts rows into a list.
func (ib *itemBuilder) ledgerItems(name string, rows []ledgerRow) builtList {
	bl := builtList{List: List{Name: name, Items: []Item{}}}
	for i, r := range rows {
		v := r.values
		title, content := strings.TrimSpace(v["title"]), strings.TrimSpace(v["content"])
		if title == "" && content == "" {
			ib.warn(r.line, "row-no-task", "", fmt.Sprintf("第 %d 行缺少任务（任务/任务内容列），已跳过", r.line), fmt.Sprintf("row %d has no task (title or content column); skipped", r.line))
			continue
		}
		if content == "" {
			content = title
		}
		if title == "" {
			title = makeTitle(content)
		}
		ref := strings.TrimSpace(v["ref"])
		if ref == "" {
			ref = fmt.Sprint(i + 1)
		}
		m := markup{
			lead:     splitNames(narrow(v["lead"])),
			partners: splitNames(narrow(v["partners"])),
			resp:     append(splitNames(narrow(v["responsible"])), splitNames(narrow(v["groups"]))...),
		}
		if !m.departments() {
			ib.warn(r.line, "no-department", ref, fmt.Sprintf("第 %d 行（任务 %s）未列责任单位", r.line, ref), fmt.Sprintf("row %d (item %s) names no department", r.line, ref))
		}
		ro := resolveRoles(m, ib.r, ib.dir, r.line, ref, ib.warn)
		it := Item{Ref: ref, Title: title, Content: content, Lead: nonNil(ro.lead), Partners: nonNil(ro.partners),
			Groups: nonNil(ro.groups), SourceLines: [2]int{r.line, r.line}}
		it.Window = ib.ledgerWindow(r)
		it.Indicators = ib.ledgerIndicators(r, it.Window.End)
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

// ledgerWindow reads the schedule, start and deadline columns; what cannot be read is
// warned about with its row and column.
func (ib *itemBuilder) ledgerWindow(r ledgerRow) Window {
	var w Window
	read := func(col string, deadline bool) (Window, bool) {
		s := narrow(r.values[col])
		if s == "" {
			return Window{}, false
		}
		got, ok := parseWindow(s, deadline)
		if !ok {
			ib.warn(r.line, "bad-date", "", fmt.Sprintf("第 %d 行“%s”列的时间“%s”无法识别", r.line, r.headers[col], s),
				fmt.Sprintf("row %d, column %s: cannot read the date %q", r.line, r.headers[col], s))
		}
		return got, ok
	}
	if s, ok := read("schedule", false); ok {
		w = s
	}
	if s, ok := read("start", false); ok {
		w.Start = s.Start
	}
	if s, ok := read("deadline", true); ok {
		w.End, w.Ongoing = s.End, w.Ongoing || s.Ongoing
		if s.Start != "" && w.Start == "" {
			w.Start = s.Start
		}
	}
	return w
}

// ledgerIndicators reads the indicator column as text (新增PCT国际申请20件以上, one per
// line or clause) and adds structured ones.
func (ib *itemBuilder) ledgerIndicators(r ledgerRow, deadline string) []Indicator {
	out := append([]Indicator{}, r.inds...)
	for i := range out {
		if out[i].Deadline == "" {
			out[i].Deadline = deadline
		}
	}
	if s := narrow(r.values["indicators"]); s != "" {
		found := findIndicators(s, deadline)
		if len(found) == 0 {
			ib.warn(r.line, "no-indicator", "", fmt.Sprintf("第 %d 行“%s”列中没有可识别的数值指标：“%s”", r.line, r.headers["indicators"], truncate(s, 30)),
				fmt.Sprintf("row %d, column %s: no numeric target found", r.line, r.headers["indicators"]))
		}
		out = append(out, found...)
	}
	return out
}
