package importer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// structured reads a YAML or JSON ledger: a list of items; or a mapping with plan
// (title, doc_number, issuer, date), items, and/or lists [{name, items}]. Item keys are
// ledger columns (see ledgerColumns); values are strings or lists of strings; window may
// be {start, end, ongoing} and indicators a list of {name, target, unit, comparator,
// deadline}, so a Result written as JSON reads back. Line numbers come from the source.
func (ib *itemBuilder) structured(data []byte, format string) (Plan, []builtList, error) {
	text, warns := decode(data)
	ib.warns = append(ib.warns, warns...)
	var root yaml.Node
	if err := guard(format, func() error { return yaml.Unmarshal([]byte(text), &root) }); err != nil {
		if format == "json" {
			var v any
			if jerr := json.Unmarshal([]byte(text), &v); jerr != nil {
				err = jerr
			}
		}
		return Plan{}, nil, fmt.Errorf("%s: %w", msg(fmt.Sprintf("%s 格式错误", strings.ToUpper(format)), "malformed "+format), err)
	}
	if len(root.Content) == 0 {
		return Plan{}, nil, fmt.Errorf("%s", msg("文件为空", "the file is empty"))
	}
	top := root.Content[0]
	plan := Plan{}
	var lists []builtList
	switch top.Kind {
	case yaml.SequenceNode:
		lists = append(lists, ib.ledgerItems("台账", ib.nodeRows(top)))
	case yaml.MappingNode:
		for i := 0; i+1 < len(top.Content); i += 2 {
			key, val := top.Content[i].Value, top.Content[i+1]
			switch strings.ToLower(key) {
			case "plan":
				plan = nodePlan(val)
			case "items":
				lists = append(lists, ib.ledgerItems("台账", ib.nodeRows(val)))
			case "lists":
				for _, l := range val.Content {
					name, items := "台账", (*yaml.Node)(nil)
					for j := 0; l.Kind == yaml.MappingNode && j+1 < len(l.Content); j += 2 {
						switch l.Content[j].Value {
						case "name":
							name = l.Content[j+1].Value
						case "items":
							items = l.Content[j+1]
						}
					}
					if items != nil {
						lists = append(lists, ib.ledgerItems(name, ib.nodeRows(items)))
					}
				}
			}
		}
	default:
		return Plan{}, nil, fmt.Errorf("%s", msg("应为任务列表或 {plan, items} 对象", "want a list of items or a {plan, items} object"))
	}
	if lists == nil {
		return Plan{}, nil, fmt.Errorf("%s", msg("没有 items 或 lists", "no items or lists key"))
	}
	// Duplicate lists (a Result has the chosen list under both lists and items).
	if len(lists) > 1 && top.Kind == yaml.MappingNode && hasKey(top, "lists") && hasKey(top, "items") {
		lists = lists[:len(lists)-1]
	}
	return plan, lists, nil
}

func hasKey(m *yaml.Node, k string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return true
		}
	}
	return false
}

func nodePlan(n *yaml.Node) Plan {
	p := Plan{}
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1].Value
		switch n.Content[i].Value {
		case "title", "标题", "名称":
			p.Title = v
		case "doc_number", "文号":
			p.DocNumber = v
		case "issuer", "发文机关":
			p.Issuer = v
		case "date", "日期", "成文日期":
			if p.Date = parseDay(narrow(v)); p.Date == "" {
				p.Date = v
			}
		}
	}
	return p
}

// nodeRows converts a sequence of item mappings into rows.
func (ib *itemBuilder) nodeRows(seq *yaml.Node) []ledgerRow {
	var rows []ledgerRow
	for idx, item := range seq.Content {
		r := ledgerRow{line: item.Line, values: map[string]string{}, headers: map[string]string{}}
		if item.Kind != yaml.MappingNode {
			ib.warn(item.Line, "bad-row", "", fmt.Sprintf("第 %d 项不是对象，已跳过", idx+1), fmt.Sprintf("item %d is not a mapping; skipped", idx+1))
			continue
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			key, val := item.Content[i].Value, item.Content[i+1]
			if key == "window" && val.Kind == yaml.MappingNode {
				ib.nodeWindow(&r, val)
				continue
			}
			col := columnOf(key)
			if col == "" {
				continue
			}
			r.headers[col] = key
			if col == "indicators" && val.Kind == yaml.SequenceNode {
				for _, iv := range val.Content {
					if iv.Kind == yaml.MappingNode {
						if ind, ok := ib.nodeIndicator(iv, idx+1, key); ok {
							r.inds = append(r.inds, ind)
						}
					} else {
						r.values[col] = joinCell(r.values[col], iv.Value)
					}
				}
				continue
			}
			switch val.Kind {
			case yaml.ScalarNode:
				r.values[col] = val.Value
			case yaml.SequenceNode:
				for _, s := range val.Content {
					if s.Kind == yaml.ScalarNode {
						r.values[col] = joinCell(r.values[col], s.Value)
					}
				}
			default:
				ib.warn(val.Line, "bad-value", "", fmt.Sprintf("第 %d 项“%s”的值应为文字或文字列表", idx+1, key), fmt.Sprintf("item %d, %s: want text or a list of text", idx+1, key))
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func (ib *itemBuilder) nodeWindow(r *ledgerRow, n *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1].Value
		switch n.Content[i].Value {
		case "start":
			r.values["start"], r.headers["start"] = v, "window.start"
		case "end":
			r.values["deadline"], r.headers["deadline"] = v, "window.end"
		case "ongoing":
			if b, _ := strconv.ParseBool(v); b {
				r.values["schedule"], r.headers["schedule"] = "持续推进", "window.ongoing"
			}
		}
	}
}

// nodeIndicator reads {name, target, unit, comparator, deadline}.
func (ib *itemBuilder) nodeIndicator(n *yaml.Node, item int, col string) (Indicator, bool) {
	var ind Indicator
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := strings.TrimSpace(n.Content[i+1].Value)
		switch n.Content[i].Value {
		case "name", "名称":
			ind.Name = v
		case "target", "目标值":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				ib.warn(n.Line, "bad-target", "", fmt.Sprintf("第 %d 项“%s”中指标的目标值“%s”不是数字", item, col, v), fmt.Sprintf("item %d, %s: target %q is not a number", item, col, v))
				return ind, false
			}
			ind.Target = f
		case "unit", "单位":
			ind.Unit = v
		case "comparator", "比较":
			ind.Comparator = comparatorOf(v)
		case "deadline", "时限":
			ind.Deadline = parseDay(narrow(v))
		}
	}
	if ind.Comparator == "" {
		ind.Comparator = ">="
	}
	return ind, ind.Name != ""
}

func comparatorOf(v string) string {
	switch v {
	case "<=", "≤", "不超过", "以下", "以内":
		return "<="
	case "=", "==", "等于":
		return "="
	}
	return ">="
}
