package importer

import "strings"

// roleClauses reads names ended by role verbs: A、B牵头,C按职责分工负责; or, when not
// glued, a bare list of names (A、B). Text after the last units that names none is kept
// in m.unparsed for a warning.
func roleClauses(s string, glued bool, m *markup) bool {
	var lead, partners, resp []string
	pos, verbs, lastVerb := 0, 0, ""
	for pos < len(s) {
		loc := reRoleVerb.FindStringIndex(s[pos:])
		chunk := s[pos:]
		if loc != nil {
			chunk = s[pos : pos+loc[0]]
		}
		names := splitNames(chunk)
		if len(names) > 0 && !allOrgs(names) {
			if verbs == 0 {
				return false
			}
			// A会同B、C等部门研究提出落实意见: 等部门 closes the list the verb before it
			// began; what follows is what they are to do, not a note.
			if k := reListEnd.FindStringIndex(chunk); k != nil && allOrgs(splitNames(chunk[:k[1]])) {
				if after := splitNames(chunk[:k[1]]); lastVerb == "会同" {
					partners = append(partners, after...)
				} else {
					resp = append(resp, after...)
				}
				break
			}
			// Units were read; the rest is a remark the caller reports.
			m.unparsed = append(m.unparsed, strings.Trim(s[pos:], ", "))
			break
		}
		if loc == nil {
			if len(names) > 0 {
				if glued && verbs == 0 {
					return false
				}
				if len(lead) > 0 {
					partners = append(partners, names...)
				} else {
					resp = append(resp, names...)
				}
			}
			break
		}
		verbs++
		verb := s[pos+loc[0] : pos+loc[1]]
		lastVerb = verb
		switch {
		case strings.HasPrefix(verb, "牵头"), verb == "会同":
			lead = append(lead, names...) // A会同B、C负责: A leads, B and C take part
		case verb == "分别负责":
			lead = append(lead, names...)
			m.separate = len(names) > 1
		case verb == "配合" || verb == "配合落实" || verb == "参与" || verb == "协助" || verb == "协同":
			partners = append(partners, names...)
		default:
			resp = append(resp, names...)
		}
		pos += loc[1]
	}
	if len(lead)+len(partners)+len(resp) == 0 {
		return false
	}
	m.lead, m.partners, m.resp = append(m.lead, lead...), append(m.partners, partners...), append(m.resp, resp...)
	return true
}

// trailingSentence reads a closing sentence that assigns the task: 由市公安局牵头,市检察院、
// 市法院配合。 It must open with 由 and end the text; cut is where it starts (runes).
func trailingSentence(text string) (markup, int, bool) {
	body := strings.TrimRight(text, "。; ")
	start := 0
	if i := strings.LastIndex(body, "。"); i >= 0 {
		start = i + len("。")
	}
	if i := strings.LastIndex(body, ";"); i >= start {
		start = i + 1
	}
	sent := strings.TrimSpace(body[start:])
	byWhom := strings.HasPrefix(sent, "由")
	if i := strings.LastIndex(sent, ",由"); !byWhom && i >= 0 && bracketDepth(sent[:i]) == 0 {
		// 关于…的问题,由A会同B等部门负责落实: the clause after the last comma assigns it.
		start += strings.Index(body[start:], sent) + i + len(",")
		sent, byWhom = sent[i+len(","):], true
	}
	// Without 由, only a sentence that is nothing but units and 会同/牵头 roles counts
	// (市发展改革委会同市财政局负责。), so that 市科技局牵头制定细则 stays content.
	if !byWhom && !strings.Contains(sent, "会同") && !strings.Contains(sent, "牵头") || !reRoleVerb.MatchString(sent) {
		return markup{}, 0, false
	}
	var m markup
	if !roleClauses(strings.TrimPrefix(sent, "由"), true, &m) || !byWhom && len(m.unparsed) > 0 {
		return markup{}, 0, false
	}
	return m, runeIndex(text, start), true
}

// timeNotes takes the notes that only say when (…分别负责,年内持续推进) into the markup's
// window and returns the others.
func timeNotes(notes []string, m *markup) []string {
	var out []string
	for _, n := range notes {
		n = strings.Trim(n, " ,;。")
		switch {
		case isThisYear(n):
			m.thisYear = true
		case isTimeOnly(n):
			if w, ok := parseWindow(n, false); ok && !m.hasWindow {
				m.window, m.hasWindow = w, true
			}
		default:
			out = append(out, n)
		}
	}
	return out
}
