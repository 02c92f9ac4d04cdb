package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/store/storetest"
)

// deskPlan names its lead by a short form (市工信局 for 市工业和信息化局), a partner the
// registry does not know (市新设局), and has a second task with no lead; the first task's
// deadline (June 2025) passed long ago.
const deskPlan = `测试市人民政府关于印发测试市督办演练方案的通知
测试政〔2025〕2号
测试市人民政府
2025年1月5日
一、重点任务
1.推进制造业数字化转型,2025年6月底前完成。
牵头单位:市工信局
配合单位:市新设局
2.开展知识产权宣传周活动。
配合单位:市乙局、市甲局
`

// TestDeskImportMappingLeadAndReview walks the desk's API as a supervision office uses it:
// the preview matches the short form and asks about the unknown unit, the launch creates
// nothing unconfirmed, a task past its deadline gets grace instead of the ladder at once,
// the task without a lead waits for one and starts when picked, the supervisor reads what
// was reported and returns it with a comment, urges by hand, and finds items by what was
// reported and by a department's name.
func TestDeskImportMappingLeadAndReview(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	_, b, _ := s.people(map[string]string{"sup": "supervisor", "la": "liaison"})
	c := ctx(t)
	mit, err := s.st.CreateDepartment(c, "市工业和信息化局", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	liaison := s.createLiaison(t, "lm", mit.ID)
	sup := s.login("sup", "password-1")

	var preview struct {
		Departments []struct {
			Name        string  `json:"name"`
			Match       *uint64 `json:"match"`
			How         string  `json:"how"`
			Suggestions []struct {
				ID   uint64 `json:"id"`
				Name string `json:"name"`
			} `json:"suggestions"`
		} `json:"departments"`
		Items []struct {
			Lead  []string `json:"lead"`
			Flags []string `json:"flags"`
		} `json:"items"`
	}
	s.must(200, sup, "POST", "/api/v1/plans/import", map[string]any{"text": deskPlan, "dry_run": true}, &preview)
	found := map[string]*uint64{}
	for _, d := range preview.Departments {
		found[d.Name] = d.Match
		if d.Name == "市工信局" && (d.Match == nil || *d.Match != mit.ID || d.How != "abbreviation") {
			t.Errorf("市工信局 should match 市工业和信息化局 by abbreviation: %+v", d)
		}
	}
	if _, ok := found["市新设局"]; !ok || found["市新设局"] != nil {
		t.Errorf("the unknown unit must be listed unmatched: %+v", preview.Departments)
	}
	if len(preview.Items) != 2 || !strings.Contains(strings.Join(preview.Items[0].Flags, ","), "past_deadline") ||
		!strings.Contains(strings.Join(preview.Items[1].Flags, ","), "no_lead") {
		t.Fatalf("preview flags: %+v", preview.Items)
	}
	// Launching with the unknown unit unconfirmed creates nothing.
	if code := s.call(sup, "POST", "/api/v1/plans/import", map[string]any{"text": deskPlan}, nil); code != 422 {
		t.Fatalf("launch with an unmapped unit: %d, want 422", code)
	}
	if ds, _ := s.st.ListDepartments(c); len(ds) != 3 {
		t.Fatalf("a refused launch created departments: %d", len(ds))
	}
	// The person edits the preview: a clearer title, and a target the document left implicit.
	var raw struct {
		Items []map[string]any `json:"items"`
	}
	s.must(200, sup, "POST", "/api/v1/plans/import", map[string]any{"text": deskPlan, "dry_run": true}, &raw)
	raw.Items[0]["title"] = "完成数字化改造诊断(市工信局)"
	raw.Items[0]["indicators"] = []map[string]any{{"name": "诊断企业", "target": 12, "unit": "家", "comparator": "~"}}
	if code := s.call(sup, "POST", "/api/v1/plans/import", map[string]any{"text": deskPlan, "items": raw.Items, "dry_run": true}, nil); code != 422 {
		t.Errorf("an edited indicator without a valid comparator: %d, want 422", code)
	}
	raw.Items[0]["indicators"] = []map[string]any{{"name": "诊断企业", "target": 12, "unit": "家", "comparator": ">="}}
	// A unit name confirmed for creation that hides a bidi override is refused, naming the
	// mapping row, and creates nothing.
	var refused map[string]any
	if code := s.call(sup, "POST", "/api/v1/plans/import", map[string]any{"text": deskPlan, "items": raw.Items,
		"departments": []map[string]any{{"name": "市新\u202e设局", "create": true}}}, &refused); code != 422 || refused["field"] != "departments[0].name" {
		t.Errorf("creating a department named with a bidi override: %d %v, want 422 on departments[0].name", code, refused)
	}
	if ds, _ := s.st.ListDepartments(c); len(ds) != 3 {
		t.Fatalf("a refused mapping created departments: %d", len(ds))
	}
	var launched struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": deskPlan, "items": raw.Items,
		"departments": []map[string]any{{"name": "市新设局", "create": true}}}, &launched)
	var edited struct {
		Title      string `json:"title"`
		Indicators []struct {
			Name   string  `json:"name"`
			Target float64 `json:"target"`
		} `json:"indicators"`
	}
	s.must(200, sup, "GET", "/api/v1/items/"+itoa(launched.Items[0].ID), nil, &edited)
	if edited.Title != "完成数字化改造诊断(市工信局)" || len(edited.Indicators) != 1 || edited.Indicators[0].Target != 12 {
		t.Errorf("the launched item is not the edited row: %+v", edited)
	}
	first, second := "/api/v1/items/"+itoa(launched.Items[0].ID), "/api/v1/items/"+itoa(launched.Items[1].ID)

	var item struct {
		Status      string     `json:"status"`
		NeedsLead   bool       `json:"needs_lead"`
		NextDue     *time.Time `json:"next_due"`
		Assignments []struct {
			Role    string     `json:"role"`
			NextDue *time.Time `json:"next_due"`
		} `json:"assignments"`
	}
	s.must(200, sup, "GET", second, nil, &item)
	if !item.NeedsLead || item.Status != "pending" {
		t.Errorf("the task without a lead: %+v", item)
	}
	s.must(200, sup, "POST", second+"/lead", map[string]any{"department_id": b.ID}, nil)
	eventually(t, 20*time.Second, "the second task started with its lead", func() bool {
		s.must(200, sup, "GET", second, nil, &item)
		return !item.NeedsLead && item.Status == "assigned"
	})
	s.must(409, sup, "POST", second+"/lead", map[string]any{"department_id": b.ID}, nil)

	// The lead signs the first task: its report is due after the grace period, not overdue.
	s.must(200, liaison, "POST", first+"/sign", nil, nil)
	eventually(t, 20*time.Second, "the first task active", func() bool {
		s.must(200, sup, "GET", first, nil, &item)
		return item.Status == "active" && item.NextDue != nil
	})
	var leadDue *time.Time
	for _, a := range item.Assignments {
		if a.Role == "lead" {
			leadDue = a.NextDue
		}
	}
	// Five working days of grace from now, where the June 2025 deadline would have made the
	// report overdue at once.
	if n := s.eventCount(sup, first, "overdue") + s.eventCount(sup, first, "escalated"); n != 0 || leadDue == nil || !leadDue.After(time.Now().Add(72*time.Hour)) {
		t.Errorf("a task past its deadline at launch: the lead's report due %v, %d overdue/escalated events", leadDue, n)
	}

	var rep struct{ ID uint64 }
	s.must(201, liaison, "POST", first+"/reports", map[string]any{"text": "已完成12家企业数字化改造诊断"}, &rep)
	// What waits for the supervisor: the report, then an extension request beside it.
	var waiting struct {
		Submissions []struct {
			ID     uint64 `json:"id"`
			ItemID uint64 `json:"item_id"`
			Text   string `json:"text"`
		} `json:"submissions"`
		Extensions []struct {
			ID     int    `json:"id"`
			ItemID uint64 `json:"item_id"`
			Reason string `json:"reason"`
		} `json:"extensions"`
	}
	s.must(201, liaison, "POST", first+"/extension-requests", map[string]any{"new_due": time.Now().AddDate(0, 2, 0).Format(time.RFC3339), "reason": "企业诊断需补充材料"}, nil)
	eventually(t, 20*time.Second, "the report and the extension request wait for the supervisor", func() bool {
		s.must(200, sup, "GET", "/api/v1/decisions", nil, &waiting)
		return len(waiting.Submissions) == 1 && len(waiting.Extensions) == 1
	})
	if waiting.Submissions[0].ID != rep.ID || waiting.Submissions[0].Text != "已完成12家企业数字化改造诊断" || waiting.Extensions[0].Reason != "企业诊断需补充材料" {
		t.Errorf("waiting: %+v", waiting)
	}
	s.must(403, liaison, "GET", "/api/v1/decisions", nil, nil)
	s.must(200, sup, "POST", fmt.Sprintf("%s/extension-requests/%d/decision", first, waiting.Extensions[0].ID), map[string]any{"approve": false, "comment": "请按期完成"}, nil)
	s.must(200, sup, "POST", first+"/reviews", map[string]any{"report_id": rep.ID, "decision": "return", "comment": "请附诊断报告"}, nil)
	eventually(t, 20*time.Second, "nothing waits once decided", func() bool {
		s.must(200, sup, "GET", "/api/v1/decisions", nil, &waiting)
		return len(waiting.Submissions) == 0 && len(waiting.Extensions) == 0
	})
	var page struct {
		Submissions []struct {
			ID         uint64 `json:"id"`
			Kind       string `json:"kind"`
			Department string `json:"department"`
			Text       string `json:"text"`
			Status     string `json:"status"`
			Comment    string `json:"comment"`
		} `json:"submissions"`
	}
	s.must(200, sup, "GET", first, nil, &page)
	if len(page.Submissions) != 1 || page.Submissions[0].Text != "已完成12家企业数字化改造诊断" || page.Submissions[0].Status != "returned" ||
		page.Submissions[0].Comment != "请附诊断报告" || page.Submissions[0].Department != "市工业和信息化局" {
		t.Errorf("the item page's submissions: %+v", page.Submissions)
	}

	s.must(202, sup, "POST", first+"/urge", map[string]any{"message": "请本周内重新报送"}, nil)
	if n := s.eventCount(sup, first, "urged"); n != 1 {
		t.Errorf("urged events: %d", n)
	}
	s.must(403, liaison, "POST", first+"/urge", map[string]any{"message": "x"}, nil)

	search := func(q string) int {
		var out struct {
			Items []struct{ ID uint64 } `json:"items"`
		}
		s.must(200, sup, "GET", "/api/v1/items?q="+q, nil, &out)
		return len(out.Items)
	}
	if n := search("数字化改造诊断"); n != 1 {
		t.Errorf("search by reported text: %d items", n)
	}
	if n := search("新设局"); n != 1 {
		t.Errorf("search by a department's name: %d items", n)
	}
}
