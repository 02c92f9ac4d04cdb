package storetest

import "github.com/dubanhq/duban/domain"

// Item is a new item for Store.CreatePlan: its ref and title, its lead departments and its
// partners. Tests set other fields (window, indicators) on the result.
func Item(ref, title string, lead []uint64, partners ...uint64) domain.Item {
	it := domain.Item{Ref: ref, Title: title}
	for _, id := range lead {
		it.Assignments = append(it.Assignments, domain.Assignment{DepartmentID: id, Role: domain.Lead})
	}
	for _, id := range partners {
		it.Assignments = append(it.Assignments, domain.Assignment{DepartmentID: id, Role: domain.Partner})
	}
	return it
}
