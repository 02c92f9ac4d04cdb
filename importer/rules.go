package importer

import (
	"fmt"
	"regexp"
	"strings"
)

// firstIsLeadPattern is the rule, stated once, that the first unit of a 责任单位 list leads:
// 列第一位者为牵头单位, 排在首位的为牵头单位, 第一个单位为牵头单位, 列第一位者为工作牵头单位
// 或汇总单位.
const firstIsLeadPattern = `(?:列|排)在?(?:第一|首)位(?:的|者)?(?:责任)?(?:单位|部门)?(?:为|是)(?:工作)?(?:牵头|主责)(?:单位|部门)?(?:或汇总(?:单位|部门))?` +
	`|(?:第一|首)个?(?:单位|部门)(?:为|是)牵头(?:单位|部门)?`

var reFirstIsLead = regexp.MustCompile(firstIsLeadPattern)

// reUnnamedGroup is a group phrase that names no one: 有关部门, 其他相关单位.
var reUnnamedGroup = regexp.MustCompile(`^(?:其他|其它)?(?:有关|相关)(?:部门|单位)$`)

// rules are statements made once that apply to every list of the document.
type rules struct {
	firstIsLead int // line number where 列第一位者为牵头单位 is stated, 0 if never
}

func scanRules(d *doc) rules {
	var r rules
	for _, l := range d.lines {
		if strings.Contains(l.text, "牵头") && reFirstIsLead.MatchString(l.text) {
			r.firstIsLead = l.no
			break
		}
	}
	return r
}

// roles are an item's departments once markup is resolved.
type roles struct {
	lead, partners, groups []string
	explicitLead           bool // the lead was designated, not inferred
}

// resolveRoles turns markup into lead, partners and groups. The rule for a list of
// responsible units (责任单位, 按职责分工负责) is:
//   - a unit marked (牵头) leads;
//   - else, when the document states 列第一位者为牵头单位, the first concrete unit leads;
//   - else a single concrete unit is the lead (it alone is responsible);
//   - else every unit is a partner and the item has no lead, with a warning.
//
// Group phrases never lead: they go to groups. With a Directory, names resolve to their
// canonical form and unknown ones are kept with a warning.
func resolveRoles(m markup, r rules, dir *Directory, line int, ref string, warn func(line int, code, ref, zh, en string)) roles {
	var out roles
	seen := map[string]bool{}
	add := func(dst *[]string, n string) {
		n = normaliseName(n)
		if n == "" {
			return
		}
		if dir.IsGroup(n) {
			if g, ok := dir.Group(n); ok {
				n = g.Name
			}
			if !seen["g:"+n] {
				seen["g:"+n] = true
				out.groups = append(out.groups, n)
			}
			return
		}
		if dir != nil {
			if c, ok := dir.Resolve(n); ok {
				n = c
			} else {
				warn(line, "unknown-department", ref, fmt.Sprintf("任务 %s：单位库中没有「%s」", ref, n), fmt.Sprintf("item %s: unknown department %q", ref, n))
			}
		}
		if !seen[n] {
			seen[n] = true
			*dst = append(*dst, n)
		}
	}
	var resp []string
	for _, n := range m.resp {
		if reLeadMark.MatchString(n) {
			m.lead = append(m.lead, reLeadMark.ReplaceAllString(n, ""))
			continue
		}
		resp = append(resp, n)
	}
	for _, n := range m.lead {
		add(&out.lead, reLeadMark.ReplaceAllString(n, ""))
	}
	out.explicitLead = len(out.lead) > 0
	concrete := 0
	for _, n := range resp {
		if !dir.IsGroup(n) {
			concrete++
		}
	}
	leadFromResp := len(out.lead) == 0 && concrete > 0 && (r.firstIsLead > 0 || concrete == 1)
	for _, n := range resp {
		if leadFromResp && !dir.IsGroup(n) {
			add(&out.lead, n)
			leadFromResp = false
			out.explicitLead = r.firstIsLead > 0
			if r.firstIsLead > 0 && concrete > 1 {
				warn(line, "lead-by-position", ref, fmt.Sprintf("任务 %s 的牵头单位 %s 按第 %d 行“列第一位者为牵头单位”推定，请核对", ref, n, r.firstIsLead),
					fmt.Sprintf("item %s: %s is taken as the lead because it is listed first (the rule stated on line %d); please check", ref, n, r.firstIsLead))
			}
			continue
		}
		add(&out.partners, n)
	}
	for _, n := range m.partners {
		add(&out.partners, n)
	}
	// A lead named again among the partners is only the lead.
	kept := out.partners[:0]
	for _, p := range out.partners {
		if !contains(out.lead, p) {
			kept = append(kept, p)
		}
	}
	out.partners = kept
	if len(out.lead) == 0 && len(out.partners) > 0 {
		warn(line, "no-lead", ref, fmt.Sprintf("任务 %s 未明确牵头单位，所列单位均作为配合单位，请指定牵头单位", ref),
			fmt.Sprintf("item %s designates no lead; every unit named is listed as a partner, please choose a lead", ref))
	}
	for _, g := range out.groups {
		if reUnnamedGroup.MatchString(g) {
			warn(line, "unnamed-group", ref, fmt.Sprintf("任务 %s 的“%s”未指明具体单位，请在导入后补充", ref, g),
				fmt.Sprintf("item %s: %q names no particular department; add them after import", ref, g))
		}
	}
	if m.separate {
		warn(line, "separate-leads", ref, fmt.Sprintf("任务 %s 由 %s 分别负责，均作为牵头单位", ref, strings.Join(out.lead, "、")),
			fmt.Sprintf("item %s: each of %s leads its own part (分别负责); all are leads", ref, strings.Join(out.lead, ", ")))
	}
	if len(out.lead) == 0 && len(out.partners) == 0 && len(out.groups) > 0 {
		warn(line, "groups-only", ref, fmt.Sprintf("任务 %s 只列了单位组（%s），没有具体牵头单位", ref, strings.Join(out.groups, "、")),
			fmt.Sprintf("item %s names only department groups, no lead department", ref))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
