package api

// adminOperations document the administration of departments (单位), department groups (单位组)
// and the working-day calendar (工作日历).
var adminOperations = []op{
	{"POST", "/api/v1/departments", "admin", "Create a department with aliases; a name or alias another department has is a 409 naming it", "NewDepartment", "Department", 201, false, false},
	{"GET", "/api/v1/departments", "admin", "List departments", "", "Department", 200, true, false},
	{"GET", "/api/v1/departments/usage", "admin", "What each department holds: items it has a share in, users, group memberships", "", "DepartmentUsage", 200, true, false},
	{"PATCH", "/api/v1/departments/{id}", "admin", "Rename a department or replace its aliases (stored folded: full-width and spaces)", "DepartmentPatch", "Department", 200, false, false},
	{"POST", "/api/v1/departments/{id}/merge", "admin", "Merge a duplicate department into another with its items, users, groups and records (单位合并); a retry answers the first merge", "DepartmentMergeRequest", "DepartmentMerge", 200, false, false},
	{"POST", "/api/v1/department-groups", "admin", "Create a department group (单位组)", "NewGroup", "Group", 201, false, false},
	{"GET", "/api/v1/department-groups", "admin", "List department groups", "", "Group", 200, true, false},
	{"PATCH", "/api/v1/department-groups/{id}", "admin", "Rename a department group", "GroupPatch", "Group", 200, false, false},
	{"PUT", "/api/v1/department-groups/{id}/members", "admin", "Replace a group's member departments", "GroupMembers", "Group", 200, false, false},
	{"DELETE", "/api/v1/department-groups/{id}", "admin", "Delete a group (its departments stay)", "", "", 204, false, false},
	{"GET", "/api/v1/calendar", "calendar", "Known years (built in or uploaded), years counted provisionally, and overrides", "", "Calendar", 200, false, false},
	{"GET", "/api/v1/calendar/check", "calendar", "Is a date a working day; deadline N working days later", "", "DateCheck", 200, false, false},
	{"GET", "/api/v1/calendar/years/{year}", "calendar", "A year's holidays and adjusted workdays", "", "CalendarYear", 200, false, false},
	{"PUT", "/api/v1/calendar/years/{year}", "calendar", "Add or replace a year: {days} or a holiday-cn file", "CalendarYearUpload", "CalendarYear", 200, false, false},
	{"PUT", "/api/v1/calendar/overrides", "calendar", "Replace the local overrides kept in the database", "CalendarDays", "CalendarOverrides", 200, false, false},
}

func init() { operations = append(operations, adminOperations...) }

// adminSchemas are the components of the operations above.
func adminSchemas() schema {
	aliases := arr(str())
	return schema{
		"Department":      obj(schema{"id": integer(), "name": str(), "aliases": aliases, "kind": str()}, "id", "name", "aliases"),
		"NewDepartment":   obj(schema{"name": str(), "aliases": aliases, "kind": str()}, "name"),
		"DepartmentPatch": obj(schema{"name": str(), "aliases": aliases, "kind": str()}),
		"DepartmentUsage": obj(schema{"department_id": integer(), "items": integer(), "users": integer(), "groups": integer()},
			"department_id", "items", "users", "groups"),
		"DepartmentMergeRequest": obj(schema{"into": integer()}, "into"),
		"DepartmentMerge": obj(schema{"department": obj(schema{"id": integer(), "name": str()}, "id", "name"), "into": ref("Department"),
			"items": integer(), "reassigned": integer(), "users": integer(), "merged_at": dateTime(), "merged_by": str()},
			"department", "into", "items", "reassigned", "users", "merged_at"),
		"Group":        obj(schema{"id": integer(), "name": str(), "members": arr(integer())}, "id", "name", "members"),
		"NewGroup":     obj(schema{"name": str(), "members": arr(integer())}, "name"),
		"GroupPatch":   obj(schema{"name": str()}, "name"),
		"GroupMembers": obj(schema{"members": arr(integer())}, "members"),
		"Calendar": obj(schema{"years": arr(integer()), "uploaded_years": arr(integer()), "provisional_years": arr(integer()),
			"overrides": arr(ref("Day")), "local_overrides": arr(ref("Day")), "time_zone": str()},
			"years", "uploaded_years", "provisional_years", "overrides", "local_overrides"),
		"Day":          obj(schema{"date": str(), "off": boolean(), "name": str()}, "date", "off"),
		"CalendarDays": obj(schema{"days": arr(ref("Day"))}, "days"),
		"CalendarYear": obj(schema{"year": integer(), "days": arr(ref("Day"))}, "year", "days"),
		"CalendarYearUpload": schema{"oneOf": []any{ref("CalendarDays"), obj(schema{"year": integer(),
			"days": arr(obj(schema{"name": str(), "date": str(), "isOffDay": boolean()}, "date", "isOffDay"))}, "year", "days")}},
		"CalendarOverrides": obj(schema{"overrides": arr(ref("Day"))}, "overrides"),
		"DateCheck": obj(schema{"date": str(), "workday": boolean(), "provisional": boolean(), "deadline": dateTime()},
			"date", "workday", "provisional"),
	}
}
