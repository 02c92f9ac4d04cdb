package importer

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// Ledger columns (台账): each field accepts the Chinese header or the English one.
//
//	序号 | ref          section ref or row number
//	任务 | 任务内容 | title   the task
//	牵头单位 | lead      lead departments, separated by 、 , ;
//	配合单位 | 责任单位 | partners
//	完成时限 | deadline   2025年底前, 2025-06-30, 持续推进
//	指标 | indicators   free text such as 新增PCT国际申请20件以上
var ledgerColumns = map[string]string{
	"序号": "ref", "编号": "ref", "ref": "ref",
	"任务": "title", "任务内容": "title", "工作任务": "title", "title": "title",
	"牵头单位": "lead", "牵头部门": "lead", "lead": "lead",
	"配合单位": "partners", "责任单位": "partners", "配合部门": "partners", "partners": "partners",
	"完成时限": "deadline", "时限": "deadline", "deadline": "deadline",
	"指标": "indicators", "预期成果": "indicators", "indicators": "indicators",
}

type ledgerRow map[string]string

func parseLedger(data []byte, format string, opts Options) (*Result, error) {
	text, warns := decode(data)
	var rows []ledgerRow
	var lineOf []int
	var err error
	switch format {
	case "csv":
		rows, lineOf, err = readCSV(text)
	case "json":
		rows, err = readObjects(func(v any) error { return json.Unmarshal([]byte(text), v) })
	default:
		rows, err = readObjects(func(v any) error { return yaml.Unmarshal([]byte(text), v) })
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Warnings: warns, Lists: []List{}, Items: []Item{}}
	var items []Item
	for i, r := range rows {
		line := i + 1
		if lineOf != nil {
			line = lineOf[i]
		}
		if strings.TrimSpace(r["title"]) == "" {
			res.Warnings = append(res.Warnings, Warning{line, fmt.Sprintf("第 %d 行缺少“任务”列 / row %d has no task (任务/title)", line, line)})
			continue
		}
		m := markup{lead: splitNames(narrow(r["lead"])), partners: splitNames(narrow(r["partners"])), line: line}
		m.found = len(m.lead)+len(m.partners) > 0
		b := &block{ref: r["ref"], head: r["title"], first: line, last: line}
		if b.ref == "" {
			b.ref = fmt.Sprint(i + 1)
		}
		it := toItem(b, m, r["title"], opts.Directory, &res.Warnings)
		it.Window = findWindow(narrow(r["deadline"]))
		if strings.Contains(r["deadline"], "-") && len(strings.TrimSpace(r["deadline"])) == 10 {
			it.Window.End = strings.TrimSpace(r["deadline"])
		}
		it.Indicators = append(findIndicators(narrow(r["indicators"]), it.Window.End), it.Indicators...)
		items = append(items, it)
	}
	if len(items) == 0 {
		return res, ErrNoList
	}
	res.Lists = []List{{Name: "台账", Items: items}}
	return res, choose(res, opts.List)
}

func readCSV(text string) ([]ledgerRow, []int, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("CSV 第 1 行:%v / CSV line 1: %w", err, err)
	}
	cols := make([]string, len(header))
	known := 0
	for i, h := range header {
		cols[i] = ledgerColumns[strings.ToLower(narrow(h))]
		if cols[i] != "" {
			known++
		}
	}
	if known == 0 {
		return nil, nil, fmt.Errorf("CSV 表头中没有可识别的列(如 任务、牵头单位)/ no known column in the CSV header (e.g. 任务, 牵头单位)")
	}
	var rows []ledgerRow
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("CSV:%v / CSV: %w", err, err)
		}
		line, _ := r.FieldPos(0)
		row := ledgerRow{}
		for i, v := range rec {
			if i < len(cols) && cols[i] != "" {
				row[cols[i]] = strings.TrimSpace(v)
			}
		}
		rows, lines = append(rows, row), append(lines, line)
	}
	return rows, lines, nil
}

func readObjects(unmarshal func(any) error) ([]ledgerRow, error) {
	var raw []map[string]any
	if err := unmarshal(&raw); err != nil {
		var wrapped struct {
			Items []map[string]any `json:"items" yaml:"items"`
		}
		if err2 := unmarshal(&wrapped); err2 != nil || wrapped.Items == nil {
			return nil, fmt.Errorf("应为任务数组或 {items: [...]} / want a list of tasks or {items: [...]}: %w", err)
		}
		raw = wrapped.Items
	}
	rows := make([]ledgerRow, len(raw))
	for i, obj := range raw {
		rows[i] = ledgerRow{}
		for k, v := range obj {
			col := ledgerColumns[strings.ToLower(k)]
			if col == "" {
				continue
			}
			switch x := v.(type) {
			case []any:
				var parts []string
				for _, p := range x {
					parts = append(parts, fmt.Sprint(p))
				}
				rows[i][col] = strings.Join(parts, "、")
			default:
				rows[i][col] = fmt.Sprint(x)
			}
		}
	}
	return rows, nil
}
