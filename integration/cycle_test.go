package integration

import (
	"testing"
	"time"

	"github.com/dubanhq/duban/store/storetest"
)

// TestReturnResubmitApproveCycle walks one report cycle as a supervision office lives it:
// both departments sign, the partner contributes, the lead reports, the supervisor returns
// the report with a comment, the lead reports again and the supervisor approves, which
// opens the next cycle; then the lead applies for completion and the item is closed out.
// With -update-histories it records the workflow's history for the replay test.
func TestReturnResubmitApproveCycle(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "la": "liaison", "lb": "liaison"})
	sup, la, lb := s.login("sup", "password-1"), s.login("la", "password-1"), s.login("lb", "password-1")
	var policy map[string]any
	// Signing is due in 6 s with a reminder 3 s before, so the history has a timer that
	// fires (the reminder) beside those an action cancels.
	_ = jsonUnmarshal(`{"sign_within":"6s","cadence":"every 2h","remind_before":["3s","30m"],"partner_lead":"20m","resubmit_within":"1h",
	  "ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"1h","notify":["supervisor"]}]}`, &policy)
	var launched struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "policy": policy}, &launched)
	id := launched.Items[0].ID
	path := "/api/v1/items/" + itoa(id)

	eventually(t, 10*time.Second, "the signing reminders", func() bool { return s.eventCount(sup, path, "reminder") == 2 })
	s.must(200, lb, "POST", path+"/sign", nil, nil)
	s.must(200, la, "POST", path+"/sign", nil, nil)
	s.must(201, lb, "POST", path+"/contributions", map[string]any{"text": "乙局已提供专利数据"}, nil)
	var first, second, done struct{ ID uint64 }
	s.must(201, la, "POST", path+"/reports", map[string]any{"text": "本月新增PCT申请3件", "indicators": map[string]float64{"PCT": 3}}, &first)
	s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": first.ID, "decision": "return", "comment": "请补充数据来源"}, nil)
	s.must(201, la, "POST", path+"/reports", map[string]any{"text": "本月新增PCT申请3件,数据来源:市知识产权局统计", "indicators": map[string]float64{"PCT": 3}}, &second)
	s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": second.ID, "decision": "approve", "comment": "同意"}, nil)
	s.must(201, la, "POST", path+"/completion", map[string]any{"text": "全年目标已完成"}, &done)
	s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": done.ID, "decision": "approve", "comment": "同意销号"}, nil)
	eventually(t, 20*time.Second, "completed", func() bool {
		var it struct{ Status string }
		s.must(200, sup, "GET", path, nil, &it)
		return it.Status == "completed"
	})
	want := map[string]int{"assigned": 2, "reminder": 2, "signed": 2, "contribution_submitted": 1, "report_submitted": 2,
		"returned": 1, "approved": 2, "completion_requested": 1, "completed": 1, "escalated": 0, "overdue": 0}
	for typ, n := range want {
		if got := s.eventCount(sup, path, typ); got != n {
			t.Errorf("event %s recorded %d times, want %d", typ, got, n)
		}
	}
	if *updateHistories {
		s.saveHistory(t, "duban-item-"+itoa(id), "cycle-features2.json")
	}
}
