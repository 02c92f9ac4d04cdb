package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLines bounds the work on one document; the longest seed has about 500 lines.
const maxLines = 200000

// line is one line of the decoded text: the original runes, trimmed, and the same runes
// folded to half-width (see fold) for matching.
type line struct {
	no   int    // 1-based line number in the decoded text
	raw  []rune // original text, trimmed
	text string // folded raw, rune for rune
	f    []rune // text as runes
}

// doc is the decoded text cut into lines.
type doc struct {
	lines []line
	trad  bool // some character was read as traditional script
}

func newDoc(text string) *doc {
	parts := strings.Split(text, "\n")
	if len(parts) > maxLines {
		parts = parts[:maxLines]
	}
	d := &doc{lines: make([]line, len(parts))}
	for i, p := range parts {
		raw := []rune(strings.TrimFunc(p, isSpace))
		folded := make([]rune, len(raw))
		for j, r := range raw {
			folded[j] = fold(r)
			d.trad = d.trad || (folded[j] != r && r >= 0x4E00)
		}
		d.lines[i] = line{no: i + 1, raw: raw, text: string(folded), f: folded}
	}
	return d
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == 0xFEFF || r == 0x200B }

// span is a piece of one line, in runes.
type span struct {
	li, from, to int
}

// original returns the original text of a span, trimmed.
func (d *doc) original(s span) string {
	raw := d.lines[s.li].raw
	from, to := clamp(s.from, len(raw)), clamp(s.to, len(raw))
	if from >= to {
		return ""
	}
	return strings.TrimFunc(string(raw[from:to]), isSpace)
}

// folded returns the folded text of a span.
func (d *doc) folded(s span) string {
	l := &d.lines[s.li]
	from, to := clamp(s.from, len(l.f)), clamp(s.to, len(l.f))
	switch {
	case from >= to:
		return ""
	case from == 0 && to == len(l.f):
		return l.text
	}
	return string(l.f[from:to])
}

// join renders spans as text, one line per span, skipping empty ones.
func (d *doc) join(spans []span, original bool) string {
	var b strings.Builder
	for _, s := range spans {
		t := d.folded(s)
		if original {
			t = d.original(s)
		}
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t)
	}
	return b.String()
}

func clamp(i, n int) int {
	if i < 0 {
		return 0
	}
	if i > n {
		return n
	}
	return i
}

// runeIndex converts a byte offset in s to a rune offset.
func runeIndex(s string, byteOff int) int {
	if byteOff > len(s) {
		byteOff = len(s)
	}
	return utf8.RuneCountInString(s[:byteOff])
}

// runeLen is the number of runes in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// truncate shortens s to n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// keep returns s (a name or unit read from folded text) as the document writes it: for a
// document in traditional script, the width-folded original runes at the first place
// where s occurs; otherwise s itself.
func (d *doc) keep(s string) string {
	if !d.trad || s == "" {
		return s
	}
	for _, l := range d.lines {
		i := strings.Index(l.text, s)
		if i < 0 {
			continue
		}
		from := runeIndex(l.text, i)
		out := make([]rune, 0, runeLen(s))
		for _, r := range l.raw[from : from+runeLen(s)] {
			out = append(out, foldWidth(r))
		}
		return string(out)
	}
	return s
}

// keepAll applies keep to each name.
func (d *doc) keepAll(names []string) []string {
	for i, n := range names {
		names[i] = d.keep(n)
	}
	return names
}
