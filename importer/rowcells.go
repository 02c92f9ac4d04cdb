package importer

import (
	"regexp"
	"strings"
)

// cell is one cell of a row: its folded text and rune offsets in the line. col is its
// display column (a Chinese character is two columns wide), for space-aligned tables.
type cell struct {
	text     string
	from, to int
	col      int
}

var reSpaceRun = regexp.MustCompile(`\s{2,}`)

// splitRow cuts a folded line into cells with the given separator.
func splitRow(text, sep string) []cell {
	var out []cell
	add := func(from, to int) { // byte offsets
		raw := text[from:to]
		t := strings.TrimSpace(raw)
		lead := len(raw) - len(strings.TrimLeft(raw, " "))
		f := runeIndex(text, from+lead)
		out = append(out, cell{text: t, from: f, to: f + runeLen(t), col: displayWidth(text[:from+lead])})
	}
	if sep == "  " {
		last := 0
		for _, m := range reSpaceRun.FindAllStringIndex(text, -1) {
			add(last, m[0])
			last = m[1]
		}
		add(last, len(text))
		return out
	}
	body := text
	if sep == "|" {
		body = strings.TrimSuffix(body, "|")
	}
	last := 0
	for i := 0; i <= len(body); i++ {
		if i == len(body) || strings.HasPrefix(body[i:], sep) {
			if !(sep == "|" && i == 0) {
				add(last, i)
			}
			last = i + len(sep)
		}
	}
	return out
}

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// rowSep is the separator a line uses, or "".
func rowSep(text string) string {
	switch {
	case strings.Contains(text, "\t"):
		return "\t"
	case strings.Count(text, "|") >= 2:
		return "|"
	case reSpaceRun.MatchString(text):
		return "  "
	}
	return ""
}

func nonEmpty(cells []cell) int {
	n := 0
	for _, c := range cells {
		if c.text != "" {
			n++
		}
	}
	return n
}

func firstNonEmpty(cells []cell) int {
	for i, c := range cells {
		if c.text != "" {
			return i
		}
	}
	return 0
}

// isRepeatedHeader reports the header row printed again on a new page.
func isRepeatedHeader(cells []cell, t rowTable) bool {
	same := 0
	for _, c := range cells {
		h, ok := headerCell(c.text)
		if ok && headerKind(h) != colText || ok && containsCell(t.cells, h) {
			same++
		}
	}
	return same >= 3 && same >= nonEmpty(cells)-1
}

func containsCell(cells []cell, s string) bool {
	for _, c := range cells {
		if c.text == s {
			return true
		}
	}
	return false
}
