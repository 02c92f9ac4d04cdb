package domain

import (
	"strings"

	"golang.org/x/text/width"
)

// FoldName is the key a department's name or alias (单位名称、别名) is matched by: full-width
// ASCII folded to half-width and every space removed, so 市市场监管局（知识产权局） and
// "市市场监管局 (知识产权局)" are the same department. The department routes and the store
// match through it, and so does the import's registry (launch.normalise).
func FoldName(s string) string {
	return strings.Join(strings.Fields(width.Narrow.String(s)), "")
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
