package integration

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/store/storetest"
)

// TestBrowserIndicators: a plan whose item counts 新增PCT国际申请 (20件) over a window that
// opened ten days ago; the lead reports 1, behind the pro-rata expectation (~2). The
// supervisor's item page draws the chart with the report and a 滞后 badge; the supervisor
// records 5 by hand and the chart gains the point and turns on pace, with an audit event.
func TestBrowserIndicators(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "la": "liaison"})
	sup, la := s.login("sup", "password-1"), s.login("la", "password-1")
	today := time.Now().In(calendar.Shanghai)
	from, to := today.AddDate(0, 0, -10).Format(time.DateOnly), today.AddDate(0, 0, 100).Format(time.DateOnly)
	ledger, _ := json.Marshal(map[string]any{
		"plan": map[string]any{"title": "测试市知识产权试点方案", "doc_number": "测试政〔2026〕7号", "issuer": "测试市人民政府"},
		"items": []map[string]any{{"ref": "1", "title": "新增PCT国际申请20件以上", "lead": "市甲局",
			"window":     map[string]any{"start": from, "end": to},
			"indicators": []map[string]any{{"name": "新增PCT国际申请", "target": 20, "unit": "件", "comparator": ">=", "deadline": to}}}},
	})
	// Wall-clock spans only: the embedded calendar may not know next year's holidays yet.
	var policy map[string]any
	_ = jsonUnmarshal(`{"sign_within":"24h","cadence":"every 240h","remind_before":["1h"],"resubmit_within":"24h",
		"ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"24h","notify":["supervisor"]}]}`, &policy)
	var out struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"format": "json", "text": string(ledger), "policy": policy}, &out)
	if len(out.Items) != 1 {
		t.Fatalf("import: %+v", out)
	}
	path := "/api/v1/items/" + itoa(out.Items[0].ID)
	s.must(200, la, "POST", path+"/sign", nil, nil)
	s.must(201, la, "POST", path+"/reports", map[string]any{"text": "本月新增PCT国际申请1件", "indicators": map[string]float64{"新增PCT国际申请": 1}}, nil)

	alloc := headless(t, exe, 900)
	b := newBrowser(t, alloc, s.http.URL)
	b.login("sup")
	b.open("/items/"+itoa(out.Items[0].ID), `svg.ind-chart`)
	var badge string
	var points, lines int
	b.run("chart and badge", chromedp.Text(`.ind-status`, &badge, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("svg.ind-chart circle.ind-point").length`, &points),
		chromedp.Evaluate(`document.querySelectorAll("svg.ind-chart .ind-pace, svg.ind-chart .ind-target, svg.ind-chart .ind-forecast").length`, &lines))
	if !strings.Contains(badge, "滞后") || points != 1 || lines != 3 {
		t.Errorf("before the reading: badge %q, %d points, %d of pace/target/forecast lines", badge, points, lines)
	}
	b.shot("indicators.png")

	b.run("record by hand", chromedp.SendKeys(`form.ind-record input[name="value"]`, "5", chromedp.ByQuery),
		chromedp.SendKeys(`form.ind-record input[name="note"]`, "市知识产权局统计", chromedp.ByQuery),
		chromedp.Click(`form.ind-record button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//span[@class="ind-status" and @data-state="ok"]`, chromedp.BySearch))
	b.run("the chart gains the hand-entered point", chromedp.Evaluate(`document.querySelectorAll("svg.ind-chart circle.ind-point").length`, &points))
	var manual bool
	b.run("manual point", chromedp.Evaluate(`!!document.querySelector('svg.ind-chart circle[data-source="manual"]')`, &manual))
	if points != 2 || !manual {
		t.Errorf("after the reading: %d points, manual point shown %v", points, manual)
	}

	var inds struct {
		CanRecord  bool `json:"can_record"`
		Indicators []struct {
			Series []struct{ Source string }
			Status struct {
				Value  float64
				Behind bool
			}
		}
	}
	s.must(200, la, "GET", path+"/indicators", nil, &inds)
	if inds.CanRecord || len(inds.Indicators) != 1 || len(inds.Indicators[0].Series) != 2 || inds.Indicators[0].Status.Value != 5 || inds.Indicators[0].Status.Behind {
		t.Errorf("the liaison's view after the reading: %+v", inds)
	}
	var events []eventRow
	s.must(200, sup, "GET", path+"/events", nil, &events)
	found := false
	for _, e := range events {
		found = found || e.Type == "indicator_recorded"
	}
	if !found {
		t.Errorf("no indicator_recorded event in %+v", events)
	}
}
