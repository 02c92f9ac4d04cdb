package domain

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// FoldName is how a department's name or alias (单位名称、别名) is written down: full-width
// ASCII folded to half-width and every space removed, so 市市场监管局（知识产权局） and
// "市市场监管局 (知识产权局)" are stored alike. Aliases are stored folded.
func FoldName(s string) string {
	return strings.Join(strings.Fields(width.Narrow.String(s)), "")
}

// NameKey is the key a department's name or alias is matched and kept unique by: FoldName,
// then NFKC, case folding and the Latin look-alikes of Cyrillic and Greek letters, as a
// username's key (UsernameKey), so "ABC局", "abc局", "ＡＢＣ局" and "АВС局" (Cyrillic) are
// one department. The department routes and the store match through it, and so does the
// import's registry (launch.normalise).
func NameKey(s string) string {
	return UsernameKey(FoldName(s))
}

// CheckDepartmentName refuses a department's name or alias (field names it in the error)
// that is empty, longer than 100 characters or hides control or bidi characters (text that
// displays other than it reads). The store applies it to every write, whichever route or
// import step makes it.
func CheckDepartmentName(field, name string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(name)); n == 0 || n > 100 {
		return Invalidf(field, "单位名称或别名为 1–100 个字 / a department name or alias must be 1–100 characters")
	}
	if HasHiddenChars(name) {
		return Invalidf(field, "单位名称或别名不能含控制字符或双向文本控制符「%s」 / a department name or alias must not contain control or bidi characters: %q", strings.Map(visible, name), name)
	}
	return nil
}

// visible drops the characters HasHiddenChars finds, to quote a refused name readably.
func visible(r rune) rune {
	if HasHiddenChars(string(r)) {
		return -1
	}
	return r
}

// Stronger returns the stronger of two roles on one item: lead (牵头) over partner (配合).
func Stronger(a, b AssignmentRole) AssignmentRole {
	if a == Lead || b == Lead {
		return Lead
	}
	return Partner
}

// MergedParties are an item's lead and partner departments once department from is merged
// into department into (单位合并): from's share becomes into's, and a department holding both
// keeps one share with the stronger role. Removed shares are left out; the order of the
// remaining ones is kept.
func MergedParties(as []Assignment, from, into uint64) (lead, partners []uint64) {
	role := map[uint64]AssignmentRole{}
	var order []uint64
	for _, a := range as {
		if a.Status == AssignmentRemoved {
			continue
		}
		id := a.DepartmentID
		if id == from {
			id = into
		}
		if r, seen := role[id]; seen {
			role[id] = Stronger(r, a.Role)
			continue
		}
		role[id] = a.Role
		order = append(order, id)
	}
	for _, id := range order {
		if role[id] == Lead {
			lead = append(lead, id)
		} else {
			partners = append(partners, id)
		}
	}
	return lead, partners
}
