package importer

import (
	"strings"
)

// ParseDecisions reads the decisions of pasted meeting minutes (会议纪要): one item per
// numbered decision (一、… 二、…), each read with the plan rules and then, sentence by
// sentence, for what minutes write inline: 由市住建局牵头,市财政局配合,2026年3月底前完成.
// Units and deadlines already found are kept; the title is the decision's first clause.
func ParseDecisions(text string, dir *Directory) (*Result, error) {
	r, err := Parse([]byte(text), Options{Format: "text", Directory: dir})
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := range r.Items {
		it := &r.Items[i]
		// The decision as written, whole: the plan rules take its markup out of the content.
		if a, b := it.SourceLines[0], it.SourceLines[1]; a >= 1 && b <= len(lines) && a <= b {
			raw := strings.TrimSpace(strings.Join(lines[a-1:b], ""))
			if k := strings.Index(raw, "、"); k >= 0 && k <= len(it.Ref)+3 {
				raw = strings.TrimSpace(raw[k+len("、"):])
			}
			if raw != "" {
				it.Content = raw
			}
		}
		readDecision(it, dir)
	}
	// What the decisions' own reading found is no longer a warning.
	found := map[string]*Item{}
	for i := range r.Items {
		found[r.Items[i].Ref] = &r.Items[i]
	}
	ws := []Warning{}
	for _, w := range r.Warnings {
		it := found[w.Item]
		switch {
		case it != nil && w.Code == "no-department" && len(it.Lead)+len(it.Groups) > 0:
		case it != nil && w.Code == "note-unread" && it.Window.End != "" && len(findDeadlines(w.Message)) > 0:
		case it != nil && w.Code == "unknown-department" && !namesAny(w.Message, it):
		default:
			ws = append(ws, w)
		}
	}
	r.Warnings = ws
	return r, nil
}

// readDecision fills a decision's units, deadline and title from its clauses.
func readDecision(it *Item, dir *Directory) {
	content := strings.NewReplacer("，", ",", "；", ";", "：", ":").Replace(it.Content)
	clauses := strings.FieldsFunc(content, func(r rune) bool { return r == ',' || r == ';' || r == '。' })
	if it.Window.End == "" && !it.Window.Ongoing {
		if ds := findDeadlines(content); len(ds) > 0 {
			it.Window.End, _ = latest(ds)
		}
	}
	if len(it.Lead)+len(it.Groups) == 0 {
		var m markup
		for _, cl := range clauses[min(1, len(clauses)):] {
			cl = strings.TrimPrefix(strings.TrimSpace(cl), "由")
			if reRoleVerb.MatchString(cl) {
				roleClauses(cl, true, &m)
			}
		}
		lead := append(m.lead, m.resp...)
		if len(lead) > 0 {
			it.Lead, it.Partners, it.Groups = nil, nil, []string{}
			for _, n := range lead {
				it.Lead = appendUnit(it.Lead, n, dir, it)
			}
			for _, n := range m.partners {
				it.Partners = appendUnit(it.Partners, n, dir, it)
			}
		}
	}
	// Keep only units: a clause such as 2026年5月底前报市政府 is not a partner.
	var ps []string
	for _, p := range it.Partners {
		if looksLikeOrg(p) && len(findDates(p)) == 0 {
			ps = append(ps, p)
		}
	}
	it.Partners = append([]string{}, ps...)
	if it.Lead == nil {
		it.Lead = []string{}
	}
	if len(clauses) > 0 {
		it.Title = shortTitle(strings.TrimSpace(clauses[0]))
	}
}

// appendUnit adds a unit name (canonical when the directory knows it), or its group to the
// item's groups.
func appendUnit(to []string, n string, dir *Directory, it *Item) []string {
	n = strings.TrimSpace(n)
	if n == "" || !looksLikeOrg(n) || len(findDates(n)) > 0 {
		return to
	}
	if isGroupPhrase(n) || dir != nil && dir.IsGroup(n) {
		it.Groups = append(it.Groups, n)
		return to
	}
	if dir != nil {
		if c, ok := dir.Resolve(n); ok {
			n = c
		}
	}
	return append(to, n)
}

// namesAny reports whether a warning's text names one of the item's units (a unit the
// decision's reading dropped, such as 2026年5月底前报市政府, warns no more).
func namesAny(msg string, it *Item) bool {
	for _, n := range append(append(append([]string{}, it.Lead...), it.Partners...), it.Groups...) {
		if strings.Contains(msg, "「"+n+"」") {
			return true
		}
	}
	return false
}
