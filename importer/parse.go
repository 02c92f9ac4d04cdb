package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// maxInput bounds a document (the longest seed is 56 KB).
const maxInput = 20 << 20

// Parse reads a document. On ErrNoList the Result still carries the plan metadata and the
// warnings that explain what was looked for.
func Parse(data []byte, opts Options) (*Result, error) {
	if len(data) > maxInput {
		return nil, fmt.Errorf("文档超过 %d MB / the document is larger than %d MB", maxInput>>20, maxInput>>20)
	}
	format := opts.Format
	if format == "" {
		format = detect(data, opts.Filename)
	}
	switch format {
	case "text", "txt":
		return parseText(data, opts)
	case "csv", "json", "yaml", "yml":
		return parseLedger(data, format, opts)
	}
	return nil, fmt.Errorf("不支持的格式 %q(支持 text、csv、json、yaml)/ unsupported format %q (text, csv, json, yaml)", format, format)
}

func detect(data []byte, name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return "csv"
	case ".json":
		return "json"
	case ".yaml", ".yml":
		return "yaml"
	}
	return "text"
}

var reTaskSection = regexp.MustCompile(`任务|措施|举措|重点工作|工作安排|责任分工`)

func parseText(data []byte, opts Options) (*Result, error) {
	text, warns := decode(data)
	raw := strings.Split(text, "\n")
	lines := make([]string, len(raw))
	for i, l := range raw {
		lines[i] = narrow(l)
	}
	res := &Result{Plan: parseMeta(lines), Warnings: warns, Lists: []List{}, Items: []Item{}}
	firstIsLead := false
	for _, l := range lines {
		if reFirstIsLead.MatchString(l) {
			firstIsLead = true
		}
	}
	blocks := splitBlocks(lines)
	type cand struct {
		b    *block
		m    markup
		body string
	}
	var cands []cand
	withMarkup := map[*block]bool{} // parents whose children carry markup
	for _, b := range blocks {
		m, body := findMarkup(b)
		cands = append(cands, cand{b, m, body})
		if m.found {
			withMarkup[b.parent] = true
		}
	}
	guessed := false
	var items []Item
	anyMarkup := len(withMarkup) > 0
	for i, c := range cands {
		hasChild := i+1 < len(cands) && cands[i+1].b.parent == c.b
		var take bool
		switch {
		case c.m.found:
			take = true
		case anyMarkup:
			// A sibling of tasks with departments that names none is a task missing them.
			take = withMarkup[c.b.parent] && !hasChild
		default:
			// No markup anywhere (Yidu): the leaves of task sections are tasks.
			take = !hasChild && c.b.parent != nil && underTaskSection(c.b)
		}
		if !take {
			continue
		}
		it := toItem(c.b, c.m, c.body, opts.Directory, &res.Warnings)
		if c.m.guessedLead && !firstIsLead {
			guessed = true
		}
		items = append(items, it)
	}
	if guessed {
		res.Warnings = append(res.Warnings, Warning{0, "文件未说明牵头单位,按惯例以列第一位者为牵头单位,请核对 / no lead is designated; the first unit named is taken as lead, please check"})
	}
	if len(items) == 0 {
		res.Warnings = append(res.Warnings, Warning{0, "未找到编号任务(一、(一)1.)后附牵头单位/配合单位或〔责任单位〕的段落 / looked for numbered tasks followed by lead/partner or responsible-unit markup and found none"})
		return res, ErrNoList
	}
	name := "正文任务"
	if !anyMarkup {
		name = "正文任务(未列责任单位)"
	}
	res.Lists = append(res.Lists, List{Name: name, Items: items})
	return res, choose(res, opts.List)
}

func underTaskSection(b *block) bool {
	for p := b.parent; p != nil; p = p.parent {
		if reTaskSection.MatchString(p.head) {
			return true
		}
	}
	return false
}

// choose picks the list to return as items: 1-based index, or the first with explicit leads.
func choose(res *Result, n int) error {
	if n > len(res.Lists) || n < 0 {
		return fmt.Errorf("文档只有 %d 个清单 / the document has %d lists", len(res.Lists), len(res.Lists))
	}
	if n > 0 {
		res.Items = res.Lists[n-1].Items
		return nil
	}
	res.Items = res.Lists[0].Items
	for _, l := range res.Lists {
		for _, it := range l.Items {
			if len(it.Lead) > 0 {
				res.Items = l.Items
				return nil
			}
		}
	}
	return nil
}

func toItem(b *block, m markup, body string, dir *Directory, warns *[]Warning) Item {
	title, content := splitTitle(body)
	it := Item{Ref: b.ref, Title: title, Content: content, Lead: []string{}, Partners: []string{}, Groups: []string{},
		SourceLines: [2]int{b.first, b.last}}
	sort := func(names []string, dst *[]string) {
		for _, n := range names {
			if dir.isGroup(n) {
				it.Groups = append(it.Groups, n)
				continue
			}
			if dir != nil {
				c, ok := dir.Resolve(n)
				if !ok {
					*warns = append(*warns, Warning{m.line, fmt.Sprintf("单位库中没有「%s」/ unknown department %q", n, n)})
				} else {
					n = c
				}
			}
			*dst = append(*dst, n)
		}
	}
	sort(m.lead, &it.Lead)
	sort(m.partners, &it.Partners)
	if !m.found {
		*warns = append(*warns, Warning{b.first, fmt.Sprintf("任务 %s 未列责任单位 / task %s names no department", b.ref, b.ref)})
	} else if len(it.Lead) == 0 {
		*warns = append(*warns, Warning{b.first, fmt.Sprintf("任务 %s 没有牵头单位 / task %s has no lead department", b.ref, b.ref)})
	}
	full := b.head + "\n" + strings.Join(b.lines, "\n")
	it.Window = findWindow(full)
	it.Indicators = findIndicators(body, it.Window.End)
	if it.Indicators == nil {
		it.Indicators = []Indicator{}
	}
	return it
}

// splitTitle takes the first sentence (up to 。) as the title when the heading has one.
func splitTitle(body string) (string, string) {
	body = strings.TrimSpace(body)
	first, _, _ := strings.Cut(body, "\n")
	if t, _, ok := strings.Cut(first, "。"); ok && len([]rune(t)) <= 60 {
		return t, body
	}
	if r := []rune(first); len(r) > 60 {
		return string(r[:60]) + "…", body
	}
	return first, body
}
