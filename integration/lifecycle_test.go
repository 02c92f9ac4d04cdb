package integration

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	historypb "go.temporal.io/api/history/v1"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

var updateHistories = flag.Bool("update-histories", false, "record workflow histories into workflows/testdata/histories")

const planText = `测试市人民政府关于印发测试市督办演练方案的通知
测试政〔2026〕1号
测试市人民政府
2026年1月5日
一、重点任务
1.新增PCT国际申请20件以上。
牵头单位:市甲局
配合单位:市乙局
`

// Second-scale policy: sign within 3s; reports every 20s; L1 at the deadline, L2 two
// seconds later, L3 and L4 far enough away that a prompt late signature stops the ladder.
const fastPolicy = `{"sign_within":"3s","cadence":"every 20s","remind_before":["1s"],"partner_lead":"2s","resubmit_within":"10s",
 "ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison","department_head"]},
           {"level":2,"name":"督办通知","after":"2s","notify":["supervisor"]},
           {"level":3,"name":"通报","after":"60s","notify":["leadership"]},
           {"level":4,"name":"追究责任","after":"120s","notify":["leadership"]}]}`

type eventRow struct {
	Type       string `json:"type"`
	Level      int    `json:"level"`
	Department string `json:"department"`
}

// TestItemLifecycleAcrossWorkerRestart drives one item through assign → sign (one
// department late) → overdue → L1/L2 → report → approve → completion, restarting the
// worker in the middle of the ladder, and checks every event was recorded exactly once.
func TestItemLifecycleAcrossWorkerRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := start(t, st)
		c := ctx(t)
		hash, _ := auth.HashPassword("password-1")
		a, _ := st.CreateDepartment(c, "市甲局", nil, "")
		b, _ := st.CreateDepartment(c, "市乙局", nil, "")
		for _, u := range []store.User{
			{Username: "sup", Role: "supervisor"}, {Username: "la", Role: "liaison", DepartmentID: &a.ID},
			{Username: "lb", Role: "liaison", DepartmentID: &b.ID}, {Username: "boss", Role: "leader"},
		} {
			u.PasswordHash, u.DisplayName = hash, u.Username
			if err := st.CreateUser(c, &u); err != nil {
				t.Fatal(err)
			}
		}
		sup, la, lb := s.login("sup", "password-1"), s.login("la", "password-1"), s.login("lb", "password-1")

		var preview struct {
			Items []struct {
				Ref  string   `json:"ref"`
				Lead []string `json:"lead"`
			} `json:"items"`
		}
		s.must(200, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "dry_run": true}, &preview)
		if len(preview.Items) != 1 || preview.Items[0].Lead[0] != "市甲局" {
			t.Fatalf("preview: %+v", preview)
		}
		var launched struct {
			Items []struct {
				ID uint64 `json:"id"`
			} `json:"items"`
			Started int `json:"started"`
		}
		var policy map[string]any
		_ = jsonUnmarshal(fastPolicy, &policy)
		s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "policy": policy}, &launched)
		id := launched.Items[0].ID
		if launched.Started != 1 || id == 0 {
			t.Fatalf("launch: %+v", launched)
		}
		// Launching the same document again creates nothing.
		s.must(200, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "policy": policy}, nil)
		path := "/api/v1/items/" + itoa(id)

		s.must(200, lb, "POST", path+"/sign", nil, nil)
		s.must(403, lb, "POST", path+"/reports", map[string]any{"text": "x"}, nil) // partner cannot report
		// The lead misses its signing deadline: L1 at 3s, L2 at 5s.
		eventually(t, 30*time.Second, "L2 for the lead", func() bool { return s.hasEvent(sup, path, "escalated", 2, "市甲局") })
		s.restartWorker()
		s.must(200, la, "POST", path+"/sign", nil, nil)
		s.must(201, lb, "POST", path+"/contributions", map[string]any{"text": "配合单位已提供数据"}, nil)
		var rep struct{ ID uint64 }
		s.must(201, la, "POST", path+"/reports", map[string]any{"text": "新增PCT申请5件", "indicators": map[string]float64{"PCT": 5}}, &rep)
		s.must(409, la, "POST", path+"/reports", map[string]any{"text": "again"}, nil) // one in review already
		s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": rep.ID, "decision": "approve"}, nil)
		var done struct{ ID uint64 }
		s.must(201, la, "POST", path+"/completion", map[string]any{"text": "目标已完成"}, &done)
		s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": done.ID, "decision": "approve", "comment": "同意销号"}, nil)

		eventually(t, 20*time.Second, "completed", func() bool {
			var it struct{ Status string }
			s.must(200, sup, "GET", path, nil, &it)
			return it.Status == string(domain.StatusCompleted)
		})
		var evs []eventRow
		s.must(200, sup, "GET", path+"/events", nil, &evs)
		count := map[string]int{}
		for _, e := range evs {
			k := e.Type
			if e.Level > 0 {
				k += "L" + itoa(uint64(e.Level))
			}
			if e.Type == "escalated" || e.Type == "overdue" || e.Type == "signed" {
				k += "@" + e.Department
			}
			count[k]++
		}
		want := map[string]int{"assigned": 2, "signed@市甲局": 1, "signed@市乙局": 1, "overdue@市甲局": 1,
			"escalatedL1@市甲局": 1, "escalatedL2@市甲局": 1, "escalatedL3@市甲局": 0, "overdue@市乙局": 0,
			"contribution_submitted": 1, "report_submitted": 1, "approved": 2, "completion_requested": 1, "completed": 1}
		for k, n := range want {
			if count[k] != n {
				t.Errorf("event %s recorded %d times, want %d (all: %v)", k, count[k], n, count)
			}
		}
		var inbox struct {
			Notifications []struct{ Kind string } `json:"notifications"`
		}
		s.must(200, la, "GET", "/api/v1/inbox", nil, &inbox)
		esc := 0
		for _, n := range inbox.Notifications {
			if n.Kind == "escalation" {
				esc++
			}
		}
		if esc != 1 {
			t.Errorf("the lead's liaison got %d escalation notices, want exactly 1 (L1 goes to liaisons, L2 to supervisors)", esc)
		}
		if *updateHistories && st.Dialect() == "sqlite" {
			s.saveHistory(t, "duban-item-"+itoa(id), "lifecycle.json")
		}
	})
}

func (s *system) hasEvent(token, path, typ string, level int, dept string) bool {
	var evs []eventRow
	s.must(200, token, "GET", path+"/events", nil, &evs)
	for _, e := range evs {
		if e.Type == typ && e.Level == level && e.Department == dept {
			return true
		}
	}
	return false
}

// saveHistory records a workflow's history for the replay test in workflows/.
func (s *system) saveHistory(t *testing.T, workflowID, name string) {
	it := s.tc.GetWorkflowHistory(ctx(t), workflowID, "", false, 0)
	h := &historypb.History{}
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, e)
	}
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "workflows", "testdata", "histories")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
