package api

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// auditTypes counts the audit log's events by type.
func auditTypes(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	es, err := st.AuditEvents(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range es {
		out[e.Type]++
	}
	return out
}

// TestDepartmentRoutes: an admin renames a department and edits its aliases (stored folded);
// a name or alias another department has is a 409 naming it; bad values name their field;
// only admins edit or read what departments hold.
func TestDepartmentRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, la := f.login("admin"), f.login("la")
		path := fmt.Sprintf("/api/v1/departments/%d", f.deptA)
		r := f.do("PATCH", path, admin, map[string]any{"name": "市甲管理局", "aliases": []string{"市甲局", "甲局（本部）", " 甲局 (本部) "}})
		if r.status != 200 || r.body["name"] != "市甲管理局" || fmt.Sprint(r.body["aliases"]) != "[市甲局 甲局(本部)]" {
			t.Fatalf("rename keeping the old name as an alias: %d %v", r.status, r.body)
		}
		if r := f.do("PATCH", path, admin, map[string]any{"kind": "bureau"}); r.status != 200 || r.body["name"] != "市甲管理局" || r.body["kind"] != "bureau" {
			t.Errorf("a patch changes only what it names: %d %v", r.status, r.body)
		}
		for _, c := range []struct {
			body   any
			status int
			field  string
		}{
			{map[string]any{"aliases": []string{"乙局", "市乙局"}}, 409, "aliases[1]"},
			{map[string]any{"name": "市 乙局"}, 409, "name"},
			{map[string]any{"name": " "}, 422, "name"},
			{map[string]any{"aliases": []string{"甲", ""}}, 422, "aliases[1]"},
			{map[string]any{"kind": strings.Repeat("类", 33)}, 422, "kind"},
			{map[string]any{"title": "x"}, 400, "title"},
		} {
			r := f.do("PATCH", path, admin, c.body)
			if r.status != c.status || r.body["field"] != c.field {
				t.Errorf("PATCH %v: %d %v, want %d on %s", c.body, r.status, r.body, c.status, c.field)
			}
			if c.status == 409 && !strings.Contains(r.body["detail"].(string), "市乙局") {
				t.Errorf("a clash must name the department that has the name: %v", r.body["detail"])
			}
		}
		if r := f.do("PATCH", "/api/v1/departments/999", admin, map[string]any{"name": "市戊局"}); r.status != 404 {
			t.Errorf("a missing department: %d", r.status)
		}
		if r := f.do("PATCH", "/api/v1/departments/x", admin, map[string]any{"name": "市戊局"}); r.status != 400 || r.body["field"] != "id" {
			t.Errorf("a department id that is not a number: %d %v", r.status, r.body)
		}
		if r := f.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市戊局", "aliases": []string{"甲局(本部)"}}); r.status != 409 || r.body["field"] != "aliases[0]" {
			t.Errorf("a new department with another's alias: %d %v", r.status, r.body)
		}
		if r := f.do("PATCH", path, la, map[string]any{"name": "我的局"}); r.status != 403 {
			t.Errorf("a liaison renaming their department: %d", r.status)
		}
		if n := auditTypes(t, st)["department_updated"]; n != 2 {
			t.Errorf("department_updated audited %d times, want 2 (refused edits are not)", n)
		}
		usage := f.do("GET", "/api/v1/departments/usage", admin, nil)
		if usage.status != 200 || len(usage.list) != 2 || usage.list[0].(map[string]any)["users"] != float64(1) {
			t.Errorf("usage: %d %v", usage.status, usage.list)
		}
		if r := f.do("GET", "/api/v1/departments/usage", la, nil); r.status != 403 {
			t.Errorf("usage for a liaison: %d", r.status)
		}
	})
}

// TestDepartmentMergeRoute merges a duplicate (市工信局) into 市工业和信息化局 through the API:
// refusals name into; a running item needs its workflow (503 here, with nothing changed); a
// suspended item is refused by name; pending items move; a retry answers the same; the
// merge is audited once.
func TestDepartmentMergeRoute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, sup := f.login("admin"), f.login("sup")
		ctx := context.Background()
		into, _ := st.CreateDepartment(ctx, "市工业和信息化局", nil, "")
		dup, _ := st.CreateDepartment(ctx, "市工信局", []string{"工信局"}, "imported")
		u := store.User{Username: "gx", DisplayName: "工信局联络员", Role: "liaison", DepartmentID: &dup.ID, PasswordHash: "x"}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		plan, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "merge-api", Title: "方案", PolicyJSON: "{}"}, []domain.Item{
			storetest.Item("1", "数字经济", []uint64{dup.ID}, f.deptB),
			storetest.Item("2", "工业互联网", []uint64{into.ID}, dup.ID),
			storetest.Item("3", "智能制造", []uint64{f.deptB}, dup.ID),
		})
		if err != nil {
			t.Fatal(err)
		}
		items, _ := st.PlanItems(ctx, plan.ID)
		path := fmt.Sprintf("/api/v1/departments/%d/merge", dup.ID)
		for _, c := range []struct {
			path   string
			body   any
			status int
			field  string
		}{
			{path, map[string]any{}, 422, "into"},
			{path, map[string]any{"into": dup.ID}, 422, "into"},
			{path, map[string]any{"into": 999}, 422, "into"},
			{path, map[string]any{"into": "市工业和信息化局"}, 400, "into"},
			{"/api/v1/departments/999/merge", map[string]any{"into": into.ID}, 404, ""},
		} {
			r := f.do("POST", c.path, admin, c.body)
			if r.status != c.status || c.field != "" && r.body["field"] != c.field {
				t.Errorf("merge %s %v: %d %v, want %d on %q", c.path, c.body, r.status, r.body, c.status, c.field)
			}
		}
		if r := f.do("POST", path, sup, map[string]any{"into": into.ID}); r.status != 403 {
			t.Errorf("a supervisor merging: %d", r.status)
		}

		progress := func(item uint64, status domain.ItemStatus) {
			if err := st.WriteTransition(ctx, store.TransitionWrite{ItemID: item, Progress: &domain.Progress{Status: status, Light: domain.Green}}); err != nil {
				t.Fatal(err)
			}
		}
		// A running item: its workflow must take the reassignment first; without Temporal the
		// merge stops there and nothing changes.
		progress(items[2].ID, domain.StatusActive)
		if r := f.do("POST", path, admin, map[string]any{"into": into.ID}); r.status != 503 {
			t.Errorf("merge with a running item and no Temporal: %d %v", r.status, r.body)
		}
		progress(items[2].ID, domain.StatusSuspended)
		if r := f.do("POST", path, admin, map[string]any{"into": into.ID}); r.status != 409 || !strings.Contains(r.body["detail"].(string), "3 智能制造") {
			t.Errorf("merge with a suspended item: %d %v", r.status, r.body)
		}
		if ds, _ := st.ListDepartments(ctx); len(ds) != 4 {
			t.Fatalf("a refused merge changed the departments: %d", len(ds))
		}
		progress(items[2].ID, domain.StatusCompleted)

		var first map[string]any
		r := f.do("POST", path, admin, map[string]any{"into": into.ID})
		if r.status != 200 {
			t.Fatalf("merge: %d %v", r.status, r.body)
		}
		first = r.body
		in := first["into"].(map[string]any)
		if first["items"] != float64(3) || first["reassigned"] != float64(0) || first["users"] != float64(1) ||
			first["department"].(map[string]any)["name"] != "市工信局" || fmt.Sprint(in["aliases"]) != "[市工信局 工信局]" || first["merged_by"] != "admin" {
			t.Errorf("merge answer: %v", first)
		}
		for i, want := range []string{"lead", "lead", "partner"} {
			it := f.do("GET", fmt.Sprintf("/api/v1/items/%d", items[i].ID), admin, nil)
			var roles []string
			for _, a := range it.body["assignments"].([]any) {
				if a := a.(map[string]any); a["department_id"] == float64(into.ID) {
					roles = append(roles, a["role"].(string))
				} else if a["department_id"] == float64(dup.ID) {
					t.Errorf("item %d still names the duplicate: %v", i+1, a)
				}
			}
			if !slices.Equal(roles, []string{want}) {
				t.Errorf("item %d: the target's shares %v, want one %s", i+1, roles, want)
			}
		}
		again := f.do("POST", path, admin, map[string]any{"into": into.ID})
		if again.status != 200 || again.body["merged_at"] != first["merged_at"] || again.body["items"] != first["items"] {
			t.Errorf("a retried merge answers the first: %d %v", again.status, again.body)
		}
		if r := f.do("POST", path, admin, map[string]any{"into": f.deptB}); r.status != 409 || !strings.Contains(r.body["detail"].(string), "市工业和信息化局") {
			t.Errorf("merging again into another department: %d %v", r.status, r.body)
		}
		if n := auditTypes(t, st)["department_merged"]; n != 1 {
			t.Errorf("department_merged audited %d times", n)
		}
		if r := f.do("GET", "/api/v1/departments", admin, nil); len(r.list) != 3 {
			t.Errorf("departments after the merge: %v", r.list)
		}
		if u, _ := st.UserByID(ctx, u.ID); *u.DepartmentID != into.ID {
			t.Errorf("the duplicate's liaison belongs to %d", *u.DepartmentID)
		}
	})
}

// TestGroupRoutes: rename, set members, delete; bad values name their field.
func TestGroupRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, view := f.login("admin"), f.login("view")
		g := f.do("POST", "/api/v1/department-groups", admin, map[string]any{"name": "各局", "members": []uint64{f.deptA, f.deptA}})
		if g.status != 201 || fmt.Sprint(g.body["members"]) != fmt.Sprint([]float64{float64(f.deptA)}) {
			t.Fatalf("create: %d %v", g.status, g.body)
		}
		other := f.do("POST", "/api/v1/department-groups", admin, map[string]any{"name": "各委"})
		path := fmt.Sprintf("/api/v1/department-groups/%v", g.body["id"])
		if r := f.do("PATCH", path, admin, map[string]any{"name": " 市直各局 "}); r.status != 200 || r.body["name"] != "市直各局" {
			t.Errorf("rename: %d %v", r.status, r.body)
		}
		if r := f.do("PUT", path+"/members", admin, map[string]any{"members": []uint64{f.deptB, f.deptA}}); r.status != 200 ||
			fmt.Sprint(r.body["members"]) != fmt.Sprint([]float64{float64(min(f.deptA, f.deptB)), float64(max(f.deptA, f.deptB))}) {
			t.Errorf("members: %d %v", r.status, r.body)
		}
		for _, c := range []struct {
			method, path string
			body         any
			status       int
			field        string
		}{
			{"PATCH", path, map[string]any{"name": ""}, 422, "name"},
			{"PATCH", fmt.Sprintf("/api/v1/department-groups/%v", other.body["id"]), map[string]any{"name": "市直各局"}, 409, "name"},
			{"PUT", path + "/members", map[string]any{"members": []uint64{999}}, 422, "members"},
			{"PUT", path + "/members", map[string]any{}, 422, "members"},
			{"PATCH", "/api/v1/department-groups/999", map[string]any{"name": "x"}, 404, ""},
			{"PATCH", "/api/v1/department-groups/abc", map[string]any{"name": "x"}, 400, "id"},
			{"PATCH", path, map[string]any{"name": "市直各局"}, 403, ""},
		} {
			token := admin
			if c.status == 403 {
				token = view
			}
			r := f.do(c.method, c.path, token, c.body)
			if r.status != c.status || c.field != "" && r.body["field"] != c.field {
				t.Errorf("%s %s %v: %d %v, want %d on %q", c.method, c.path, c.body, r.status, r.body, c.status, c.field)
			}
		}
		if r := f.do("PUT", path+"/members", admin, map[string]any{"members": []uint64{}}); r.status != 200 || len(r.body["members"].([]any)) != 0 {
			t.Errorf("no members: %d %v", r.status, r.body)
		}
		if r := f.do("DELETE", path, admin, nil); r.status != 204 {
			t.Errorf("delete: %d %v", r.status, r.body)
		}
		if r := f.do("DELETE", path, admin, nil); r.status != 404 {
			t.Errorf("delete twice: %d", r.status)
		}
		if r := f.do("GET", "/api/v1/department-groups", admin, nil); len(r.list) != 1 {
			t.Errorf("groups left: %v", r.list)
		}
		if a := auditTypes(t, st); a["group_updated"] != 3 || a["group_deleted"] != 1 {
			t.Errorf("audit: %v", a)
		}
	})
}

// TestCalendarAdministration: an uploaded holiday-cn year is listed as uploaded, the local
// overrides set through the API are listed apart from the ones in force, and a date check
// answers in the documented shape.
func TestCalendarAdministration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, la := f.login("admin"), f.login("la")
		year := time.Now().In(calendar.Shanghai).Year() + 2
		file := fmt.Sprintf(`{"$schema":"https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json","year":%d,"papers":[],`+
			`"days":[{"name":"元旦","date":"%d-01-01","isOffDay":true},{"name":"春节","date":"%d-02-10","isOffDay":true}]}`, year, year, year)
		if r := f.do("PUT", fmt.Sprintf("/api/v1/calendar/years/%d", year), admin, file); r.status != 200 || len(r.body["days"].([]any)) != 2 {
			t.Fatalf("upload a holiday-cn year: %d %v", r.status, r.body)
		}
		days := []map[string]any{{"date": "2025-10-09", "off": true, "name": "市运会"}}
		if r := f.do("PUT", "/api/v1/calendar/overrides", admin, map[string]any{"days": days}); r.status != 200 || len(r.body["overrides"].([]any)) != 1 {
			t.Fatalf("overrides: %d %v", r.status, r.body)
		}
		cal := f.do("GET", "/api/v1/calendar", la, nil)
		if cal.status != 200 || fmt.Sprint(cal.body["uploaded_years"]) != fmt.Sprintf("[%d]", year) ||
			len(cal.body["local_overrides"].([]any)) != 1 || !slices.Contains(cal.body["years"].([]any), any(float64(year))) {
			t.Errorf("calendar: %d %v", cal.status, cal.body)
		}
		if r := f.do("GET", "/api/v1/calendar/check?date=2025-10-09", la, nil); r.status != 200 || r.body["workday"] != false {
			t.Errorf("check: %d %v", r.status, r.body)
		}
		// A year without a notice: the liaison is told, in their language, where it is added.
		for lang, want := range map[string]string{"zh-CN": "没有 2015 年的放假安排，请在「系统管理 › 工作日历」中导入该年的放假通知", "en": "no holiday notice for 2015: add it under Administration › Calendar"} {
			if r := f.do("GET", "/api/v1/calendar/check?date=2015-06-01", la, nil, "Accept-Language", lang); r.status != 422 || r.body["field"] != "date" || r.body["detail"] != want {
				t.Errorf("check of 2015 (%s): %d %v", lang, r.status, r.body)
			}
		}
		if r := f.do("PUT", "/api/v1/calendar/overrides", la, map[string]any{"days": days}); r.status != 403 {
			t.Errorf("a liaison setting overrides: %d", r.status)
		}
	})
}
