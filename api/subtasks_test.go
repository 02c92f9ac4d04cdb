package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestSubtaskBodyIsCheckedBeforeTheWorkflow: an unknown department, a deadline that is not
// a date or already past is refused with 422 naming the field; a good body by name reaches
// the workflow (here: none, 503); the item page lists sub-tasks, with their owner's name.
func TestSubtaskBodyIsCheckedBeforeTheWorkflow(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	ctx := context.Background()
	plan, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "sub", Title: "方案", PolicyJSON: "{}"},
		[]domain.Item{storetest.Item("1", "事项", []uint64{f.deptA}, f.deptB)})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := st.PlanItems(ctx, plan.ID)
	path := fmt.Sprintf("/api/v1/items/%d", items[0].ID)
	if _, err := st.CreateSubtask(ctx, domain.Subtask{ItemID: items[0].ID, Seq: 1, Title: "摸底", DepartmentID: f.deptB,
		Deadline: time.Now().Add(time.Hour)}, 0); err != nil {
		t.Fatal(err)
	}
	la := f.login("la")
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	for _, c := range []struct {
		body  map[string]any
		field string
		want  int
	}{
		{map[string]any{"title": "调研", "department": "不存在的局", "deadline": tomorrow}, "department", 422},
		{map[string]any{"title": "调研", "department": 9999, "deadline": tomorrow}, "department", 422},
		{map[string]any{"title": "调研", "department": "市乙局", "deadline": "下周"}, "deadline", 422},
		{map[string]any{"title": "调研", "department": "市乙局", "deadline": "2020-01-01"}, "deadline", 422},
		{map[string]any{"title": "调研", "department": "市乙局", "deadline": tomorrow}, "", 409}, // valid; the item is not launched
	} {
		r := f.do("POST", path+"/subtasks", la, c.body)
		if r.status != c.want || (c.field != "" && fmt.Sprint(r.body["field"]) != c.field) {
			t.Errorf("%v: %d %v, want %d on %s", c.body, r.status, r.body, c.want, c.field)
		}
	}
	r := f.do("GET", path, la, nil)
	subs, _ := r.body["subtasks"].([]any)
	if r.status != 200 || len(subs) != 1 || subs[0].(map[string]any)["department"] != "市乙局" || subs[0].(map[string]any)["status"] != "open" {
		t.Errorf("item page: %d %v", r.status, r.body["subtasks"])
	}
}
