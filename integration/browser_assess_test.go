package integration

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestBrowserAssess: 市甲局 worked on time in 2025 while 市乙局 never signed and climbed to L4.
// The supervisor assesses 2025 in the UI, sees 市甲局 ranked first, opens the events behind
// 市乙局's L4, drafts the circular, edits its introduction, meets a stale-ETag conflict,
// and publishes it through the publish workflow, which numbers it. The leader decides the
// accountability record; the liaison of 市甲局 reads the circular and only its own row.
func TestBrowserAssess(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	deptA, deptB, _ := s.people(map[string]string{"sup": "supervisor", "boss": "leader", "la": "liaison"})
	seedAssessedYear(t, s.st, deptA.ID, deptB.ID)
	supToken := s.login("sup", "password-1")
	alloc := headless(t, exe, 900)

	sup := newBrowser(t, alloc, s.http.URL)
	sup.login("sup")
	sup.open("/#/assessments", `#as-run`)
	var runURL string
	sup.run("run the 2025 assessment", chromedp.SetValue(`#as-year`, "2025", chromedp.ByQuery),
		chromedp.Click(`#as-run`, chromedp.ByQuery),
		chromedp.WaitVisible(`//table[@id="ranking"]/tbody/tr[1]/td[2][text()="市甲局"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//table[@id="ranking"]/tbody/tr[2][td[2]="市乙局"]//span[contains(@class, "bad")]`, chromedp.BySearch),
		chromedp.Location(&runURL))
	aid := runURL[strings.LastIndex(runURL, "/")+1:]
	// Levels are named as the ladder names them, never L1–L4: the column heads, the
	// criticism's reason, the drill-down's headings and rows.
	var page string
	drill := chromedp.Click(`//table[@id="ranking"]/tbody/tr[2]//button[@data-metric="escalations_l4"]`, chromedp.BySearch)
	sup.run("drill down into 市乙局's 追究责任", drill,
		chromedp.WaitVisible(`//section[@id="drill"]//table[@data-metric="escalations_l4"]//td[text()="知识产权质押融资"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//section[@id="drill"]/h2[text()="考核依据：市乙局 · 追究责任"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//section[@id="drill"]/h3[text()="升级至追究责任（1）"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//section[@id="drill"]//td[text()="追究责任"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//table[@id="ranking"]/thead//th[text()="催办"]/following-sibling::th[text()="督办通知"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//table[@id="ranking"]/tbody/tr[2]//small[contains(., "升级至通报及以上")]`, chromedp.BySearch),
		chromedp.Text("main", &page, chromedp.ByQuery))
	if m := regexp.MustCompile(`\bL[1-4]\b|>=`).FindString(page); m != "" {
		t.Errorf("the assessment page shows %q:\n%s", m, page)
	}
	sup.shot("assessment.png")
	sup.run("the drill-down in English", chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.WaitVisible(`//table[@id="ranking"]/thead//th[text()="Rank"]`, chromedp.BySearch), drill,
		chromedp.WaitVisible(`//section[@id="drill"]/h3[text()="Escalated to 追究责任 (1)"]`, chromedp.BySearch),
		chromedp.Text("main", &page, chromedp.ByQuery))
	if m := regexp.MustCompile(`\bL[1-4]\b|>=`).FindString(page); m != "" {
		t.Errorf("the English assessment page shows %q:\n%s", m, page)
	}
	sup.shot("assessment-en.png")
	sup.run("back to Chinese", chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.WaitVisible(`//table[@id="ranking"]/thead//th[text()="排名"]`, chromedp.BySearch))

	var circURL string
	const intro = "经市政府同意，现将2025年度重点任务考核情况通报如下："
	sup.run("draft and edit the circular", chromedp.Click(`#draft-circular`, chromedp.ByQuery),
		chromedp.WaitVisible(`#c-intro`, chromedp.ByQuery), chromedp.Location(&circURL),
		chromedp.WaitVisible(`//fieldset[starts-with(@id, "c-criticised-")]//input[@value="市乙局"]`, chromedp.BySearch),
		chromedp.SetValue(`#c-intro`, "经市政府同意，现将2025年度重点任务考核情况", chromedp.ByQuery),
		chromedp.SendKeys(`#c-intro`, "通报如下：", chromedp.ByQuery),
		chromedp.Click(`#c-save`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已保存"]`, chromedp.BySearch))
	cid := circURL[strings.LastIndex(circURL, "/")+1:]
	var draft struct {
		Title   string         `json:"title"`
		Content map[string]any `json:"content"`
	}
	s.must(200, supToken, "GET", "/api/v1/circulars/"+cid, nil, &draft)
	if draft.Content["intro"] != intro {
		t.Fatalf("saved intro %q, want %q", draft.Content["intro"], intro)
	}

	// Someone else saves meanwhile: the editor's next save is refused and reloads their version.
	revised := draft.Title + "（修订）"
	if code := s.call(supToken, "PUT", "/api/v1/circulars/"+cid, map[string]any{"title": revised, "content": draft.Content}, nil,
		"If-Match", s.etag(supToken, "/api/v1/circulars/"+cid)); code != 200 {
		t.Fatalf("concurrent edit: %d", code)
	}
	var title string
	sup.run("stale save", chromedp.SendKeys(`#c-requirements`, "请抓紧整改。", chromedp.ByQuery),
		chromedp.Click(`#c-save`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "bad") and contains(., "已被他人修改")]`, chromedp.BySearch),
		chromedp.Value(`#c-title`, &title, chromedp.ByQuery))
	if title != revised {
		t.Errorf("after the conflict the editor shows %q, want the other edit %q", title, revised)
	}

	var number string
	sup.run("publish", chromedp.Click(`#c-publish`, chromedp.ByQuery),
		chromedp.WaitVisible(`#c-confirm`, chromedp.ByQuery), chromedp.Click(`#c-confirm`, chromedp.ByQuery),
		chromedp.WaitVisible(`#c-number`, chromedp.ByQuery), chromedp.Text(`#c-number`, &number, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[@id="c-intro-text" and text()="`+intro+`"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#c-docx`, chromedp.ByQuery), chromedp.WaitNotPresent(`#c-editor`, chromedp.ByQuery))
	if want := fmt.Sprintf("督办通报〔%d〕1号", time.Now().In(calendar.Shanghai).Year()); number != want {
		t.Errorf("published as %q, want %q", number, want)
	}
	sup.shot("circular.png")
	if doc := s.download(supToken, "/api/v1/circulars/"+cid+"/export.docx"); !bytes.HasPrefix(doc, []byte("PK")) {
		t.Errorf("the DOCX link does not serve a document: %.40q", doc)
	}

	boss := newBrowser(t, alloc, s.http.URL)
	boss.login("boss")
	boss.open("/#/accountability", `//table[@id="ac-open"]//td[contains(., "知识产权质押融资")]`)
	boss.run("decide the record", chromedp.WaitVisible(`//nav[@id="nav"]/a[text()="追究责任"]`, chromedp.BySearch),
		chromedp.SetValue(`//table[@id="ac-open"]//select`, "interview", chromedp.BySearch),
		chromedp.SendKeys(`//table[@id="ac-open"]//input[@required]`, "已约谈市乙局主要负责人", chromedp.BySearch),
		chromedp.Click(`//table[@id="ac-open"]//button[text()="作出决定"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//table[@id="ac-closed"]//tr[td[text()="约谈"] and td[text()="已约谈市乙局主要负责人"]]`, chromedp.BySearch))
	var open []struct{ ID uint64 }
	s.must(200, s.login("boss", "password-1"), "GET", "/api/v1/accountability?undecided=true", nil, &open)
	if len(open) != 0 {
		t.Errorf("records still undecided after the leader's decision: %+v", open)
	}

	liaison := newBrowser(t, alloc, s.http.URL)
	liaison.login("la")
	liaison.open("/#/circulars", `//table[@id="circulars"]//td[text()="`+number+`"]`)
	liaison.open("/#/assessments/"+aid, `//table[@id="ranking"]/tbody/tr/td[2][text()="市甲局"]`)
	var rows int
	liaison.run("own row only", chromedp.Evaluate(`document.querySelectorAll("#ranking tbody tr").length`, &rows))
	if rows != 1 {
		t.Errorf("the liaison sees %d ranking rows, want only their own", rows)
	}
}

// seedAssessedYear writes 2025's history straight to the store, as the item workflows would
// have: 市甲局 signs and reports on time; 市乙局 misses signing and climbs the ladder to L4
// (追究责任), whose escalation opens an accountability record.
func seedAssessedYear(t *testing.T, st *store.Store, onTime, late uint64) {
	t.Helper()
	c := ctx(t)
	plan, _, err := st.CreatePlan(c, &store.Plan{SourceHash: "browser-assess", Title: "知识产权强市建设工作方案", PolicyJSON: "{}"}, []domain.Item{
		storetest.Item("1", "新增PCT国际申请", []uint64{onTime}),
		storetest.Item("2", "知识产权质押融资", []uint64{late}),
	})
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.PlanItems(c, plan.ID)
	if err != nil || len(items) != 2 {
		t.Fatalf("plan items: %v %v", items, err)
	}
	good, bad := items[0].ID, items[1].ID
	day := func(m time.Month, d int) time.Time {
		return time.Date(2025, m, d, 10, 0, 0, 0, calendar.Shanghai).UTC()
	}
	var writes []store.TransitionWrite
	onTimeCol := false
	for i, e := range []store.Event{
		{ItemID: good, DepartmentID: onTime, Type: "signed", Payload: `{"late":false}`, Late: &onTimeCol, At: day(1, 6)},
		{ItemID: good, DepartmentID: onTime, Type: "report_submitted", Payload: `{"late":false}`, Late: &onTimeCol, At: day(2, 3)},
		{ItemID: bad, DepartmentID: late, Type: "overdue", Payload: `{"deadline":"sign","due":"2025-01-08T09:59:59Z"}`, At: day(1, 8)},
	} {
		e.PlanID, e.DedupeKey = plan.ID, fmt.Sprintf("browser-assess-%d", i)
		writes = append(writes, store.TransitionWrite{ItemID: e.ItemID, Events: []store.Event{e}})
	}
	for i, rung := range domain.DefaultPolicy().Ladder {
		writes = append(writes, store.TransitionWrite{ItemID: bad, Escalations: []store.Escalation{{ItemID: bad, DepartmentID: late,
			Level: i + 1, Name: rung.Name, Reason: "签收逾期未完成", At: day(1, []int{8, 13, 17, 29}[i]), DedupeKey: fmt.Sprintf("browser-assess-l%d", i+1),
			Leadership: rung.Leadership, Circular: rung.Circular, Accountability: rung.Accountability}}})
	}
	for _, w := range writes {
		if err := st.WriteTransition(c, w); err != nil {
			t.Fatal(err)
		}
	}
}

// etag reads a resource's ETag, as an editor would before sending If-Match.
func (s *system) etag(token, path string) string {
	s.t.Helper()
	return s.get(token, path).Header.Get("ETag")
}

// download reads a file the UI links to.
func (s *system) download(token, path string) []byte {
	s.t.Helper()
	return s.get(token, path).Body
}

// get fetches path, failing the test on any status but 200.
func (s *system) get(token, path string) apitest.Response {
	s.t.Helper()
	c := apitest.Client{T: s.t, Base: s.http.URL, Doc: api.OpenAPI()}
	return c.Must(http.StatusOK, "GET", path, token, nil, nil)
}
