package integration

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban/store/storetest"
)

// TestSatisfactionEvaluationEndToEnd runs a round (满意度测评) on the embedded server: a
// supervisor opens it about both departments, with 市乙局, the leader and two anonymous
// codes as evaluators; a liaison answers once (twice is 409, about their own department
// 422), an outside respondent answers unsigned with a code (its second use 409, a wrong
// code 403), the leader answers; a liaison may neither open a round nor read results. The
// results count per department, and the plan's assessment and its XLSX carry the
// satisfaction rate. A round that has closed refuses answers (422).
func TestSatisfactionEvaluationEndToEnd(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	deptA, deptB, _ := s.people(map[string]string{"sup": "supervisor", "la": "liaison", "lb": "liaison", "boss": "leader"})
	sup, la, lb, boss := s.login("sup", "password-1"), s.login("la", "password-1"), s.login("lb", "password-1"), s.login("boss", "password-1")
	seedAssessedYear(t, s.st, deptA.ID, deptB.ID)
	var plans []struct{ ID uint64 }
	s.must(200, sup, "GET", "/api/v1/plans", nil, &plans)
	round := map[string]any{"title": "2025年度服务满意度测评", "plan_id": plans[0].ID,
		"period":      map[string]string{"from": "2025-01-01", "to": "2025-12-31"},
		"departments": []any{"市甲局", deptB.ID},
		"evaluators":  map[string]any{"departments": []any{"市乙局"}, "users": []any{"boss"}, "anonymous_codes": 2},
		"questions":   []map[string]any{{"text": "办事效率", "max": 5}, {"text": "服务态度", "max": 100}},
		"closes_at":   time.Now().Add(time.Hour).Format(time.RFC3339)}
	if code := s.call(la, "POST", "/api/v1/evaluations", round, nil); code != 403 {
		t.Errorf("a liaison opening a round: %d, want 403", code)
	}
	var opened struct {
		ID    uint64
		Codes []string
	}
	s.must(201, sup, "POST", "/api/v1/evaluations", round, &opened)
	if len(opened.Codes) != 2 || opened.Codes[0] == opened.Codes[1] {
		t.Fatalf("codes %v", opened.Codes)
	}
	answers := fmt.Sprintf("/api/v1/evaluations/%d/answers", opened.ID)
	answer := func(dept any, scores []int, comment string) map[string]any {
		return map[string]any{"department": dept, "scores": scores, "comment": comment}
	}

	var mine []struct {
		ID        uint64
		CanAnswer bool `json:"can_answer"`
	}
	s.must(200, lb, "GET", "/api/v1/evaluations", nil, &mine)
	if len(mine) != 1 || !mine[0].CanAnswer {
		t.Errorf("the evaluator's rounds: %+v", mine)
	}
	s.must(200, la, "GET", "/api/v1/evaluations", nil, &mine)
	if len(mine) != 0 {
		t.Errorf("a liaison who evaluates nothing sees %+v", mine)
	}
	s.must(201, lb, "POST", answers, answer("市甲局", []int{5, 90}, "响应及时"), nil)
	if code := s.call(lb, "POST", answers, answer(deptA.ID, []int{4, 80}, "再评一次"), nil); code != 409 {
		t.Errorf("a second answer by the same department: %d, want 409", code)
	}
	if code := s.call(lb, "POST", answers, answer("市乙局", []int{5, 100}, ""), nil); code != 422 {
		t.Errorf("evaluating one's own department: %d, want 422", code)
	}
	if code := s.call(la, "POST", answers, answer("市乙局", []int{5, 100}, ""), nil); code != 403 {
		t.Errorf("a liaison who is no evaluator: %d, want 403", code)
	}

	// An outside respondent: unsigned, with a code, once.
	form := fmt.Sprintf("/api/v1/evaluations/%d?code=%s", opened.ID, opened.Codes[0])
	var f struct {
		Questions   []struct{ Text string }
		Departments []struct{ Name string }
	}
	s.must(200, "", "GET", form, nil, &f)
	if len(f.Questions) != 2 || len(f.Departments) != 2 {
		t.Errorf("the form by code: %+v", f)
	}
	anon := answer("市甲局", []int{3, 60}, "窗口排队时间长")
	anon["code"] = opened.Codes[0]
	s.must(201, "", "POST", answers, anon, nil)
	if code := s.call("", "POST", answers, anon, nil); code != 409 {
		t.Errorf("a code used twice: %d, want 409", code)
	}
	if code := s.call("", "GET", form, nil, nil); code != 403 {
		t.Errorf("the form by a used code: %d, want 403", code)
	}
	anon["code"] = "AAAA-BBBB-CCCC"
	if code := s.call("", "POST", answers, anon, nil); code != 403 {
		t.Errorf("a wrong code: %d, want 403", code)
	}
	delete(anon, "code")
	if code := s.call("", "POST", answers, anon, nil); code != 401 {
		t.Errorf("no code, not signed in: %d, want 401", code)
	}
	s.must(201, boss, "POST", answers, answer("市乙局", []int{4, 70}, ""), nil)

	if code := s.call(la, "GET", fmt.Sprintf("/api/v1/evaluations/%d/results", opened.ID), nil, nil); code != 403 {
		t.Errorf("a liaison reading results: %d, want 403", code)
	}
	var res struct {
		Answers int
		Results []struct {
			Department   string
			Count        int
			Mean         *float64
			Distribution map[string]int
			Comments     []string
		}
	}
	s.must(200, sup, "GET", fmt.Sprintf("/api/v1/evaluations/%d/results", opened.ID), nil, &res)
	a, b := res.Results[0], res.Results[1]
	if res.Answers != 3 || a.Department != "市甲局" || a.Count != 2 || *a.Mean != 75.24 || // (95/105 + 63/105) / 2
		!slices.Equal(a.Comments, []string{"响应及时", "窗口排队时间长"}) || a.Distribution["90-100"] != 1 || b.Count != 1 {
		t.Errorf("results %+v", res)
	}

	// The plan's 2025 assessment weighs the satisfaction in; the XLSX has its column.
	var run struct {
		ID          uint64
		Departments []struct {
			Department   string
			Satisfaction *float64 `json:"satisfaction_rate"`
		}
	}
	s.must(201, sup, "POST", fmt.Sprintf("/api/v1/plans/%d/assessments", plans[0].ID), map[string]any{"period": "year", "year": 2025}, &run)
	got := map[string]float64{}
	for _, d := range run.Departments {
		if d.Satisfaction != nil {
			got[d.Department] = *d.Satisfaction
		}
	}
	if got["市甲局"] < 0.752 || got["市甲局"] > 0.753 || got["市乙局"] < 0.704 || got["市乙局"] > 0.705 {
		t.Errorf("satisfaction rates in the assessment: %v", got)
	}
	x, err := excelize.OpenReader(bytes.NewReader(s.download(sup, fmt.Sprintf("/api/v1/assessments/%d/export.xlsx", run.ID))))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for _, r := range rows {
		if i := slices.Index(r, "满意度"); i >= 0 {
			col = i
			continue
		}
		if col >= 0 && len(r) > col && slices.Contains(r, "市甲局") && r[col] != "75.2%" {
			t.Errorf("市甲局's satisfaction in the XLSX: %q", r[col])
		}
	}
	if col < 0 {
		t.Errorf("the XLSX has no 满意度 column: %v", rows)
	}

	// A round that has closed refuses answers.
	round["closes_at"] = time.Now().Add(1500 * time.Millisecond).Format(time.RFC3339Nano)
	round["title"] = "临时测评"
	s.must(201, sup, "POST", "/api/v1/evaluations", round, &opened)
	time.Sleep(2 * time.Second)
	late := answer("市甲局", []int{5, 90}, "")
	late["code"] = opened.Codes[0]
	if code := s.call("", "POST", fmt.Sprintf("/api/v1/evaluations/%d/answers", opened.ID), late, nil); code != 422 {
		t.Errorf("an answer after closing: %d, want 422", code)
	}
}
