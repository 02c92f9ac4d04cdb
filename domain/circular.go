package domain

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// CircularContent is the editable body of a circular (通报): drafted from an assessment,
// edited by a supervisor, frozen when published.
type CircularContent struct {
	Issuer       string         `json:"issuer"`     // 发文机关
	Recipients   string         `json:"recipients"` // 主送机关, e.g. 各有关单位:
	Intro        string         `json:"intro"`
	Commended    []CircularUnit `json:"commended"`  // 通报表扬
	Criticised   []CircularUnit `json:"criticised"` // 通报批评
	Escalated    []CircularItem `json:"escalated"`  // items escalated to L3/L4, with the facts
	Requirements string         `json:"requirements"`
	Signature    string         `json:"signature"`
	Date         string         `json:"date"` // 成文日期 YYYY-MM-DD
}

// CircularUnit is one department in a list, with why it is there and, for criticism, the
// handlers (经办人, the liaisons on record) of its late items.
type CircularUnit struct {
	DepartmentID uint64   `json:"department_id"`
	Department   string   `json:"department"`
	Score        *float64 `json:"score"`
	Rank         int      `json:"rank"`
	Reasons      []string `json:"reasons"`
	Handlers     []string `json:"handlers"`
	LateItems    []string `json:"late_items"`
}

// CircularItem is an item escalated to 通报 (L3) or 追究责任 (L4), with the facts.
type CircularItem struct {
	ItemID       uint64 `json:"item_id"`
	Ref          string `json:"ref"`
	Title        string `json:"title"`
	DepartmentID uint64 `json:"department_id"`
	Department   string `json:"department"`
	Level        int    `json:"level"`
	LevelName    string `json:"level_name"`
	Facts        string `json:"facts"`
}

// Validate names the first field a supervisor's edit got wrong.
func (c CircularContent) Validate() error {
	texts := []struct {
		field, v string
		max      int
	}{
		{"issuer", c.Issuer, 128}, {"recipients", c.Recipients, 256}, {"intro", c.Intro, 4000},
		{"requirements", c.Requirements, 4000}, {"signature", c.Signature, 128},
	}
	for _, list := range []struct {
		name  string
		units []CircularUnit
	}{{"commended", c.Commended}, {"criticised", c.Criticised}} {
		for i, u := range list.units {
			texts = append(texts, struct {
				field, v string
				max      int
			}{fmt.Sprintf("%s[%d].department", list.name, i), u.Department, 191})
			if u.Department == "" {
				return Invalidf(fmt.Sprintf("%s[%d].department", list.name, i), "请填写单位名称 / department is required")
			}
			for j, r := range u.Reasons {
				texts = append(texts, struct {
					field, v string
					max      int
				}{fmt.Sprintf("%s[%d].reasons[%d]", list.name, i, j), r, 1000})
			}
		}
	}
	for i, it := range c.Escalated {
		texts = append(texts, struct {
			field, v string
			max      int
		}{fmt.Sprintf("escalated[%d].facts", i), it.Facts, 2000})
	}
	for _, t := range texts {
		if !utf8.ValidString(t.v) {
			return Invalidf(t.field, "%s 不是有效的 UTF-8 文本 / %s is not valid UTF-8", t.field, t.field)
		}
		if n := utf8.RuneCountInString(t.v); n > t.max {
			return Invalidf(t.field, "%s 不超过 %d 个字 / %s has at most %d characters", t.field, t.max, t.field, t.max)
		}
	}
	if c.Date != "" {
		if _, err := time.Parse(time.DateOnly, c.Date); err != nil {
			return Invalidf("date", "成文日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD")
		}
	}
	if len(c.Commended)+len(c.Criticised)+len(c.Escalated) > 2000 {
		return Invalidf("commended", "条目过多 / too many entries")
	}
	return nil
}
