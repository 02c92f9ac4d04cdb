package api

import (
	"context"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

func shanghai(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, calendar.Shanghai)
}

// indicatorFixture stores Zhengzhou's 高价值发明专利 target (14653件 by 2025-06-30) on an
// active item of 市甲局 with one report and one hand-entered reading, and a second item
// of 市乙局; the API's clock is 2024-06-30 noon.
func indicatorFixture(t *testing.T, st *store.Store) *fixture {
	f := newFixture(t, st)
	ctx := context.Background()
	start, end := shanghai(2023, 1, 1, 0), shanghai(2025, 6, 30, 0)
	inds := []domain.Indicator{{Name: "高价值发明专利拥有量", Target: 14653, Unit: "件", Comparator: ">=", Deadline: "2025-06-30"}}
	first, second := storetest.Item("", "提升专利创造质量", []uint64{f.deptA}), storetest.Item("", "乙的任务", []uint64{f.deptB})
	first.Window, first.Indicators, second.Indicators = domain.Window{Start: start, End: end}, inds, inds
	_, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "zz", Title: "郑州市知识产权强市建设方案", PeriodEnd: "2025-12-31"}, []domain.Item{first, second})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WriteTransition(ctx, store.TransitionWrite{ItemID: 1, Progress: &domain.Progress{Status: domain.StatusActive, Light: domain.Green},
		Readings: []store.IndicatorReading{{ItemID: 1, Name: "高价值发明专利拥有量", Value: 7000, At: shanghai(2024, 3, 31, 0),
			Note: "市统计局一季度数据", EnteredBy: 2, CreatedAt: shanghai(2024, 4, 10, 9)}}}); err != nil {
		t.Fatal(err)
	}
	report := store.Submission{ItemID: 1, DepartmentID: f.deptA, Kind: "report", Text: "进展", State: "approved", RequestKey: "r1",
		IndicatorsJSON: `{"高价值发明专利":5000}`, CreatedAt: shanghai(2024, 1, 2, 10)}
	if _, err := st.SaveSubmission(ctx, &report); err != nil {
		t.Fatal(err)
	}
	f.srv.Config.Handler = New(Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return shanghai(2024, 6, 30, 12) }})
	return f
}

func TestItemIndicators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := indicatorFixture(t, st)
		sup, la, lb := f.login("sup"), f.login("la"), f.login("lb")
		r := f.do("GET", "/api/v1/items/1/indicators", sup, nil)
		if r.status != 200 || r.body["can_record"] != true {
			t.Fatalf("supervisor: %d %v", r.status, r.body)
		}
		ind := r.body["indicators"].([]any)[0].(map[string]any)
		series := ind["series"].([]any)
		if len(series) != 2 || series[0].(map[string]any)["source"] != "report" || series[1].(map[string]any)["source"] != "manual" ||
			series[1].(map[string]any)["note"] != "市统计局一季度数据" {
			t.Fatalf("series: %v", series)
		}
		status := ind["status"].(map[string]any)
		// 546.5 of 912 days gone: 8780 expected; 7000 entered last → forecast 11680 < 14653.
		if status["value"] != 7000.0 || status["behind"] != true || status["at_risk"] != true ||
			math.Abs(status["expected"].(float64)-8780) > 10 || math.Abs(status["forecast"].(float64)-11682) > 10 {
			t.Errorf("status: %v", status)
		}
		if r := f.do("GET", "/api/v1/items/1/indicators", la, nil); r.status != 200 || r.body["can_record"] != false {
			t.Errorf("the lead's liaison reads without recording: %d %v", r.status, r.body["can_record"])
		}
		if r := f.do("GET", "/api/v1/items/2/indicators", la, nil); r.status != 403 {
			t.Errorf("another department's item: %d", r.status)
		}
		if r := f.do("GET", "/api/v1/items/1/indicators", lb, nil); r.status != 403 {
			t.Errorf("another department's liaison: %d", r.status)
		}
		o := f.do("GET", "/api/v1/plans/1/overview", sup, nil)
		ov := o.body["indicators"].([]any)[0].(map[string]any)
		for _, k := range []string{"value", "expected", "behind", "at_risk", "forecast"} {
			if ov[k] != status[k] {
				t.Errorf("overview and item page disagree on %s: %v vs %v", k, ov[k], status[k])
			}
		}
	})
}

func TestRecordReadingInput(t *testing.T) {
	f := indicatorFixture(t, storetest.SQLite(t))
	sup, la, admin := f.login("sup"), f.login("la"), f.login("admin")
	path := "/api/v1/items/1/indicators/readings"
	good := map[string]any{"name": "高价值发明专利拥有量", "value": 9100, "at": "2024-06-30", "note": "二季度"}
	if r := f.do("POST", path, la, good); r.status != 403 {
		t.Errorf("a liaison records: %d", r.status)
	}
	if r := f.do("POST", path, admin, good); r.status != 403 {
		t.Errorf("admins do not supervise: %d", r.status)
	}
	for _, c := range []struct {
		body   map[string]any
		status int
		field  string
	}{
		{map[string]any{"value": 1}, 422, "name"},
		{map[string]any{"name": "质押融资额", "value": 1}, 422, "name"},
		{map[string]any{"name": "高价值发明专利拥有量"}, 422, "value"},
		{map[string]any{"name": "高价值发明专利拥有量", "value": "多"}, 400, "value"},
		{map[string]any{"name": "高价值发明专利拥有量", "value": 1, "at": "6月底"}, 422, "at"},
		{map[string]any{"name": "高价值发明专利拥有量", "value": 1, "at": "2024-07-15"}, 422, "at"},
		{map[string]any{"name": "高价值发明专利拥有量", "value": 1, "when": "2024-06-01"}, 400, "when"},
	} {
		if r := f.do("POST", path, sup, c.body); r.status != c.status || r.body["field"] != c.field {
			t.Errorf("%v: %d %v; want %d naming %s", c.body, r.status, r.body, c.status, c.field)
		}
	}
	// A valid reading goes to the workflow, which this server does not have.
	if r := f.do("POST", path, sup, good); r.status != 503 {
		t.Errorf("valid reading without Temporal: %d %v", r.status, r.body)
	}
}
