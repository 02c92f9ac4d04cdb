package importer

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	// reTableTitle is a line naming a table or list: …任务分工表, …责任清单, …推进时间表,
	// possibly as an attachment reference (附件2:…清单).
	reTableTitle = regexp.MustCompile(`^(?:附\s*件\s*\d{0,2}\s*[::]\s*)?(.{4,60}?(?:表|清单))$`)
	reBullet     = regexp.MustCompile(`^[●•▪◆■□○◇★☆]`)
)

// missingTables warns about tables the text names but does not contain — typically a
// table that was an image, or an attachment that was not converted (郑州's 可量化指标推进
// 时间表). A named table is present when a table was parsed under that name, or when the
// name reappears as a line followed by a table header or by an annex of some length.
func missingTables(d *doc, names []string) []Warning {
	present := map[string]bool{}
	for _, n := range names {
		present[normaliseName(n)] = true
	}
	standalone := map[string][]int{} // normalised line → lines where it stands alone
	for i, l := range d.lines {
		if l.text != "" && len(l.text) <= 200 {
			k := normaliseName(l.text)
			standalone[k] = append(standalone[k], i)
		}
	}
	var out []Warning
	warned := map[string]bool{}
	for i, l := range d.lines {
		if len(l.text) > 200 || !(strings.HasSuffix(l.text, "表") || strings.HasSuffix(l.text, "清单")) {
			continue
		}
		m := reTableTitle.FindStringSubmatch(l.text)
		if m == nil || strings.ContainsAny(m[1], "。,;,") {
			continue
		}
		name := normaliseName(m[1])
		if present[name] || warned[name] || followedByContent(d, i, standalone[name]) {
			continue
		}
		warned[name] = true
		out = append(out, newWarning(l.no, "table-missing", "",
			fmt.Sprintf("文中提到“%s”，但没有它的内容（可能是图片或未转换的附件）", m[1]),
			fmt.Sprintf("the text names %q but does not contain it (an image or an unconverted attachment?)", m[1])))
	}
	return out
}

// followedByContent reports that the title stands alone on line i or a later line and
// is followed by content: its next non-empty line is a table header or a numbered
// heading. An 附件: reference alone does not count.
func followedByContent(d *doc, i int, at []int) bool {
	for _, j := range at {
		if j < i {
			continue
		}
		for k := j + 1; k < len(d.lines); k++ {
			t := d.lines[k].text
			if t == "" {
				continue
			}
			_, isHeader := headerCell(t)
			if st, _, _ := matchHeading(t); isHeader || st >= 0 {
				return true
			}
			break
		}
	}
	return false
}

// countBullets counts lines opening with a bullet (●), for the ErrNoList explanation.
func countBullets(d *doc) int {
	n := 0
	for _, l := range d.lines {
		if reBullet.MatchString(l.text) {
			n++
		}
	}
	return n
}
