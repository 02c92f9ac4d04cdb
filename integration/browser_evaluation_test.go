package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/store/storetest"
)

// TestBrowserSatisfactionRound: the supervisor opens a round in the UI about both
// departments, with 市乙局 and one anonymous code as evaluators, and is shown the code once;
// an outside respondent answers in a browser that never signed in; 市乙局's liaison answers
// from the list of their rounds; the supervisor reads the results.
func TestBrowserSatisfactionRound(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "lb": "liaison"})
	alloc := headless(t, exe, 900)
	sup := newBrowser(t, alloc, s.http.URL)
	sup.login("sup")
	sup.open("/evaluations", `#open-round`)
	tomorrow := time.Now().In(calendar.Shanghai).AddDate(0, 0, 2).Format(time.DateOnly)
	var code string
	sup.run("open a round", chromedp.SetValue(`#open-round input[aria-label="测评名称"]`, "窗口服务满意度测评", chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const [ev, by] = document.querySelectorAll("#open-round select[multiple]");
			[...ev.options].forEach(o => o.selected = true); [...by.options].forEach(o => o.selected = o.text === "市乙局"); })()`, nil),
		chromedp.SetValue(`#open-round input[type=number]`, "1", chromedp.ByQuery),
		chromedp.SetValue(`#open-round input[type=date][aria-label="截止日期"]`, tomorrow, chromedp.ByQuery),
		chromedp.Click(`#open-round button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#evaluation-codes td.code`, chromedp.ByQuery),
		chromedp.Text(`#evaluation-codes td.code`, &code, chromedp.ByQuery))
	var rounds []struct{ ID uint64 }
	s.must(200, s.login("sup", "password-1"), "GET", "/api/v1/evaluations", nil, &rounds)
	if len(rounds) != 1 || len(strings.TrimSpace(code)) != 14 {
		t.Fatalf("rounds %+v, code %q", rounds, code)
	}
	id := rounds[0].ID

	outside := newBrowser(t, alloc, s.http.URL)
	outside.open(fmt.Sprintf("/evaluate?id=%d&code=%s", id, strings.TrimSpace(code)), `#answer`)
	outside.run("answer with the code", chromedp.SendKeys(`#answer textarea`, "办事快", chromedp.ByQuery),
		chromedp.Click(`#answer button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#thanks`, chromedp.ByQuery))

	lb := newBrowser(t, alloc, s.http.URL)
	lb.login("lb")
	lb.open("/evaluations", `//table[@id="evaluations"]//a[text()="去评价"]`)
	lb.open(fmt.Sprintf("/evaluate?id=%d", id), `#answer`)
	lb.run("answer as 市乙局",
		chromedp.WaitReady(`//form[@id="answer"]//select/option[text()="市甲局"]`, chromedp.BySearch), // its own 市乙局 is not offered
		chromedp.Click(`#answer button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#thanks`, chromedp.ByQuery))

	sup.open(fmt.Sprintf("/evaluations/%d", id), `//table[@id="evaluation-results"]//tr[td[1]="市甲局" and td[3]="2"]`)
	sup.run("the comment", chromedp.WaitVisible(`//li[text()="办事快"]`, chromedp.BySearch))
}

// TestBrowserSubtasks: the lead's liaison splits off a sub-task on the item page, sees it
// open, and marks it done.
func TestBrowserSubtasks(t *testing.T) {
	exe := chromium(t)
	s, _, _, path := signedItem(t)
	alloc := headless(t, exe, 900)
	la := newBrowser(t, alloc, s.http.URL)
	la.login("la")
	page := strings.TrimPrefix(path, "/api/v1")
	la.open(page, `#subtask-form`)
	due := time.Now().In(calendar.Shanghai).AddDate(0, 0, 1).Format(time.DateOnly)
	la.run("split off a sub-task", chromedp.SendKeys(`#subtask-form input[aria-label="子任务"]`, "摸底调查", chromedp.ByQuery),
		chromedp.SetValue(`#subtask-form input[aria-label="责任单位"]`, "市乙局", chromedp.ByQuery),
		chromedp.SetValue(`#subtask-form input[type=date]`, due, chromedp.ByQuery),
		chromedp.Click(`#subtask-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//section[@id="subtasks"]//tr[td[1]="摸底调查" and td[2]="市乙局"]//span[text()="办理中"]`, chromedp.BySearch))
	la.run("mark it done", chromedp.Click(`//section[@id="subtasks"]//tr[td[1]="摸底调查"]//button`, chromedp.BySearch),
		chromedp.WaitVisible(`//section[@id="subtasks"]//tr[td[1]="摸底调查"]//span[text()="已完成"]`, chromedp.BySearch))
}
