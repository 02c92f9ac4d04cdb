package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestBrowserAdminMerge: an import created 市工信局 beside 市工业和信息化局. Two items under way
// and one not yet launched name it; a liaison and a group belong to it. The admin opens
// 系统管理, sees the duplicate flagged as created by an import, picks 合并到… — the
// official name is suggested first —, reads what will move, confirms, and is told what
// happened; the list loses the duplicate and the target shows its name as an alias. The
// workflows of the items under way were reassigned (reason 单位合并), the pending item and
// the liaison moved, the group lists the target. Then the groups, users and calendar tabs:
// a holiday notice uploaded from a file, an override added and removed, a date checked.
func TestBrowserAdminMerge(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	_, deptB, people := s.people(map[string]string{"admin": "admin", "sup": "supervisor", "la": "liaison"})
	c := ctx(t)
	into, err := s.st.CreateDepartment(c, "市工业和信息化局", nil, "bureau")
	if err != nil {
		t.Fatal(err)
	}
	dup, err := s.st.CreateDepartment(c, "市工信局", nil, "imported")
	if err != nil {
		t.Fatal(err)
	}
	kjDept, err := s.st.CreateDepartment(c, "市科学技术局", []string{"市科技局"}, "bureau")
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("password-1")
	gx := &store.User{Username: "gx", DisplayName: "王工信", Role: "liaison", DepartmentID: &dup.ID, PasswordHash: hash}
	if err := s.st.CreateUser(c, gx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateGroup(c, "数字经济工作专班", []uint64{dup.ID, deptB.ID}); err != nil {
		t.Fatal(err)
	}
	sup, admin := s.login("sup", "password-1"), s.login("admin", "password-1")
	ledger, _ := json.Marshal(map[string]any{
		"plan": map[string]any{"title": "测试市数字经济发展方案", "doc_number": "测试政〔2026〕9号", "issuer": "测试市人民政府"},
		"items": []map[string]any{
			{"ref": "1", "title": "培育数字经济核心企业", "lead": "市工信局", "partners": "市乙局"},
			{"ref": "2", "title": "建设工业互联网平台", "lead": "市工业和信息化局", "partners": "市工信局"},
		},
	})
	var policy map[string]any
	_ = jsonUnmarshal(`{"sign_within":"24h","cadence":"every 240h","remind_before":["1h"],
		"ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"24h","notify":["supervisor"]}]}`, &policy)
	var launched struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"format": "json", "text": string(ledger), "policy": policy}, &launched)
	if len(launched.Items) != 2 {
		t.Fatalf("launch: %+v", launched)
	}
	plan, _, err := s.st.CreatePlan(c, &store.Plan{SourceHash: "browser-admin-pending", Title: "待启动的方案", PolicyJSON: "{}"},
		[]domain.Item{storetest.Item("1", "数据要素市场培育", []uint64{dup.ID})})
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := s.st.PlanItems(c, plan.ID)
	for _, it := range launched.Items {
		eventually(t, 20*time.Second, "the item's workflow assigns its departments", func() bool {
			got, err := s.st.GetItem(c, it.ID)
			return err == nil && got.Status == domain.StatusAssigned
		})
	}

	alloc := headless(t, exe, 768)
	b := newBrowser(t, alloc, s.http.URL)
	b.login("admin")
	dupRow := fmt.Sprintf(`//table[@id="departments"]//tr[@data-dept="%d"]`, dup.ID)
	intoRow := fmt.Sprintf(`//table[@id="departments"]//tr[@data-dept="%d"]`, into.ID)
	b.run("open 系统管理 from the navigation", chromedp.Click(`//nav[@id="nav"]/a[text()="系统管理"]`, chromedp.BySearch),
		chromedp.WaitVisible(dupRow+`//span[contains(@class, "pill") and text()="导入时创建"]`, chromedp.BySearch),
		chromedp.WaitVisible(dupRow+`/td[4][text()="3"]`, chromedp.BySearch), // items: two under way, one pending
		chromedp.WaitVisible(`//nav[contains(@class, "tabs")]/a[@aria-current="page" and text()="单位"]`, chromedp.BySearch))
	b.shot("admin-departments.png")

	kj := `//table[@id="departments"]//tr[td/strong="市科学技术局"]`
	b.run("edit a department: add one alias, remove another",
		chromedp.Click(kj+`//button[text()="编辑"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#ed-alias`, chromedp.ByQuery),
		chromedp.Click(`//form[contains(@class, "editor")]//button[@aria-label="删除别名 市科技局"]`, chromedp.BySearch),
		chromedp.SendKeys(`#ed-alias`, "科技局", chromedp.ByQuery),
		chromedp.Click(`//form[contains(@class, "editor")]//button[text()="添加别名"]`, chromedp.BySearch),
		chromedp.Click(`#ed-save`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已保存「市科学技术局」"]`, chromedp.BySearch),
		chromedp.WaitVisible(kj+`//span[@class="chip" and text()="科技局"]`, chromedp.BySearch),
		chromedp.WaitNotPresent(kj+`//span[@class="chip" and text()="市科技局"]`, chromedp.BySearch))

	var suggested string
	b.run("choose the target: the official name is suggested first",
		chromedp.Click(fmt.Sprintf(`button[data-merge="%d"]`, dup.ID), chromedp.ByQuery),
		chromedp.WaitVisible(`#merge-into`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#merge-into optgroup[label="名称相近"] option').textContent`, &suggested))
	if suggested != "市工业和信息化局" {
		t.Errorf("the first suggestion for 市工信局 is %q", suggested)
	}
	var what string
	b.run("read what will move", chromedp.SetValue(`#merge-into`, fmt.Sprint(into.ID), chromedp.ByQuery),
		chromedp.Click(`#merge-next`, chromedp.ByQuery),
		chromedp.WaitVisible(`#merge-what`, chromedp.ByQuery), chromedp.Text(`#merge-what`, &what, chromedp.ByQuery))
	if !strings.Contains(what, "「市工信局」的 3 个事项、1 个用户、1 个单位组成员关系将转到「市工业和信息化局」") || !strings.Contains(what, "不可撤销") {
		t.Errorf("the confirmation says %q", what)
	}
	b.shot("admin-merge-confirm.png")
	if n := len(s.departmentNames(t)); n != 5 {
		t.Fatalf("nothing may change before the confirmation: %d departments", n)
	}
	b.run("confirm the merge", chromedp.Click(`#merge-confirm`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已将「市工信局」并入「市工业和信息化局」：3 个事项（其中 2 个正在办理的事项已改派），1 个用户。"]`, chromedp.BySearch),
		chromedp.WaitNotPresent(dupRow, chromedp.BySearch),
		chromedp.WaitVisible(intoRow+`//span[contains(@class, "chip") and text()="市工信局"]`, chromedp.BySearch),
		chromedp.WaitVisible(intoRow+`/td[4][text()="3"]`, chromedp.BySearch))
	b.shot("admin-merged.png")

	// What the merge did underneath: the running workflows were reassigned by the admin.
	for i, it := range launched.Items {
		var item struct {
			Assignments []struct {
				DepartmentID uint64 `json:"department_id"`
				Role         string `json:"role"`
				Status       string `json:"status"`
			} `json:"assignments"`
		}
		s.must(200, admin, "GET", "/api/v1/items/"+itoa(it.ID), nil, &item)
		leads := 0
		for _, a := range item.Assignments {
			if a.DepartmentID == dup.ID {
				t.Errorf("item %d still shows the duplicate: %+v", i+1, a)
			}
			if a.DepartmentID == into.ID && a.Role == "lead" && a.Status != "removed" {
				leads++
			}
		}
		if leads != 1 {
			t.Errorf("item %d: the target leads %d times: %+v", i+1, leads, item.Assignments)
		}
		var events []struct {
			Type    string         `json:"type"`
			Actor   string         `json:"actor"`
			Payload map[string]any `json:"payload"`
		}
		s.must(200, admin, "GET", "/api/v1/items/"+itoa(it.ID)+"/events", nil, &events)
		found := false
		for _, e := range events {
			found = found || e.Type == "reassigned" && e.Actor == "admin" && e.Payload["reason"] == "单位合并：市工信局 并入 市工业和信息化局"
		}
		if !found {
			t.Errorf("item %d: no reassignment by the admin in its events: %+v", i+1, events)
		}
	}
	if got, _ := s.st.GetItem(c, pending[0].ID); got.Lead() == nil || got.Lead().DepartmentID != into.ID {
		t.Errorf("the pending item's lead: %+v", got.Assignments)
	}
	if u, _ := s.st.UserByID(c, gx.ID); *u.DepartmentID != into.ID {
		t.Errorf("the duplicate's liaison belongs to %d", *u.DepartmentID)
	}
	var again map[string]any
	s.must(200, admin, "POST", fmt.Sprintf("/api/v1/departments/%d/merge", dup.ID), map[string]any{"into": into.ID}, &again)
	if again["reassigned"] != float64(2) {
		t.Errorf("a retried merge answers the first: %v", again)
	}

	b.run("groups: the group lists the target", chromedp.Click(`#tab-groups`, chromedp.ByQuery),
		chromedp.WaitVisible(`//table[@id="groups"]//tr[td/strong="数字经济工作专班"]//span[@class="chip" and text()="市工业和信息化局"]`, chromedp.BySearch),
		chromedp.WaitNotPresent(`//table[@id="groups"]//span[@class="chip" and text()="市工信局"]`, chromedp.BySearch))
	group := `//table[@id="groups"]//tr[td/strong="数字经济专班"]`
	b.run("groups: rename one and drop a member", chromedp.Click(`//table[@id="groups"]//tr[td/strong="数字经济工作专班"]//button[text()="编辑"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#eg-name`, chromedp.ByQuery), chromedp.SetValue(`#eg-name`, "数字经济专班", chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`#eg-m%d`, deptB.ID), chromedp.ByQuery), chromedp.Click(`#eg-save`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已保存单位组「数字经济专班」"]`, chromedp.BySearch),
		chromedp.WaitVisible(group+`//span[@class="chip" and text()="市工业和信息化局"]`, chromedp.BySearch),
		chromedp.WaitNotPresent(group+`//span[@class="chip" and text()="市乙局"]`, chromedp.BySearch))
	b.run("groups: create one, then delete it after a confirmation", chromedp.SendKeys(`#ng-name`, "临时专班", chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`#ng-m%d`, deptB.ID), chromedp.ByQuery), chromedp.Click(`//form//button[text()="添加"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已新增单位组「临时专班」"]`, chromedp.BySearch),
		chromedp.Click(`//table[@id="groups"]//tr[td/strong="临时专班"]//button[text()="删除"]`, chromedp.BySearch),
		chromedp.Click(`//table[@id="groups"]//tr[td/strong="临时专班"]//button[text()="确认删除"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已删除单位组「临时专班」"]`, chromedp.BySearch),
		chromedp.WaitNotPresent(`//table[@id="groups"]//tr[td/strong="临时专班"]`, chromedp.BySearch))
	b.shot("admin-groups.png")
	b.run("users: the liaison now in the target", chromedp.Click(`#tab-users`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`//table[@id="users"]//tr[@data-user="%d"]/td[text()="市工业和信息化局"]`, gx.ID), chromedp.BySearch))
	b.run("users: create a liaison of the target", chromedp.SendKeys(`#nu-username`, "gx2", chromedp.ByQuery),
		chromedp.SendKeys(`#nu-display`, "李信息", chromedp.ByQuery), chromedp.SendKeys(`#nu-password`, "password-2", chromedp.ByQuery),
		chromedp.SetValue(`#nu-dept`, fmt.Sprint(into.ID), chromedp.ByQuery), chromedp.Click(`#nu-head`, chromedp.ByQuery),
		chromedp.Click(`//form//button[text()="添加"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已新增用户「李信息」"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//table[@id="users"]//tr[td="gx2" and td="联络员" and td="市工业和信息化局" and td="✓"]`, chromedp.BySearch))
	editUser(t, s, b, admin, sup, people["sup"].ID, kjDept.ID)
	b.shot("admin-users.png")
	b.run("the English switch", chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.WaitVisible(`//nav[contains(@class, "tabs")]/a[@aria-current="page" and text()="Users"]`, chromedp.BySearch),
		chromedp.WaitVisible(fmt.Sprintf(`//table[@id="users"]//tr[@data-user="%d"]/td[text()="Liaison"]`, gx.ID), chromedp.BySearch))
	b.shot("admin-users-en.png")
	b.run("back to Chinese", chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.WaitVisible(`//nav[contains(@class, "tabs")]/a[@aria-current="page" and text()="用户"]`, chromedp.BySearch))

	next := time.Now().In(calendar.Shanghai).Year() + 1
	notice := fmt.Sprintf(`{"year":%d,"papers":[],"days":[{"name":"元旦","date":"%d-01-01","isOffDay":true},{"name":"春节","date":"%d-02-08","isOffDay":true},{"name":"春节","date":"%d-02-09","isOffDay":true}]}`, next, next, next, next)
	file := filepath.Join(t.TempDir(), fmt.Sprintf("%d.json", next))
	if err := os.WriteFile(file, []byte(notice), 0o600); err != nil {
		t.Fatal(err)
	}
	b.run("calendar: upload next year's notice", chromedp.Click(`#tab-calendar`, chromedp.ByQuery),
		chromedp.WaitVisible(`#cal-upload`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#cal-file`, []string{file}, chromedp.ByQuery),
		chromedp.Poll(fmt.Sprintf(`document.querySelector("#cal-year").value === "%d"`, next), nil), // read from the file
		chromedp.Click(`#cal-import`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`//p[contains(@class, "flash") and text()="已导入 %d 年节假日安排，共 3 天"]`, next), chromedp.BySearch),
		chromedp.WaitVisible(fmt.Sprintf(`//table[@id="cal-years"]//tr[@data-year="%d"]/td[2][text()="已上传"]`, next), chromedp.BySearch))
	b.shot("admin-calendar.png")
	day := fmt.Sprintf("%d-10-09", next)
	b.run("calendar: an override added, then a date checked", chromedp.SetValue(`#ov-date`, day, chromedp.ByQuery),
		chromedp.SendKeys(`#ov-name`, "市运会", chromedp.ByQuery), chromedp.Click(`#ov-add`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`//table[@id="overrides"]//tr[@data-date="%s"]/td[text()="市运会"]`, day), chromedp.BySearch),
		chromedp.SetValue(`#ck-date`, day, chromedp.ByQuery), chromedp.Click(`#ck-ask`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`//p[@id="ck-out" and contains(., "%d年10月9日 不是工作日")]`, next), chromedp.BySearch))
	b.shot("admin-calendar-check.png")
	// The check form is below the fold: the page stays scrolled down to it, and the refusal
	// of a year the calendar has no notice for is shown in the window, not at the top of the
	// page out of sight; a second refusal replaces the first instead of hiding under it.
	var inView bool
	b.run("calendar: years without a notice are refused in view",
		chromedp.SetValue(`#ck-date`, "2015-06-01", chromedp.ByQuery), chromedp.Click(`#ck-ask`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "toast") and contains(@class, "bad") and contains(., "2015")]`, chromedp.BySearch),
		chromedp.SetValue(`#ck-date`, "2014-06-03", chromedp.ByQuery), chromedp.Click(`#ck-ask`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "toast") and contains(@class, "bad") and contains(., "2014")]`, chromedp.BySearch),
		chromedp.Evaluate(`(() => { const f = [...document.querySelectorAll("p.flash.toast.bad")].find(p => p.textContent.includes("2014"));
			const r = f.getBoundingClientRect(), top = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
			return scrollY > 0 && r.top >= 0 && r.bottom <= innerHeight && f.contains(top); })()`, &inView))
	if !inView {
		t.Error("the refusal of a date checked far down the calendar page is not in view, or is covered")
	}
	var answer string
	b.run("calendar: the refused date leaves no answer about the one before", chromedp.Text(`#ck-out`, &answer, chromedp.ByQuery))
	if answer != "" {
		t.Errorf("after a refused check the answer line still reads %q", answer)
	}
	b.shot("admin-calendar-refused.png")
	b.run("calendar: the override removed after a confirmation",
		chromedp.Click(fmt.Sprintf(`//table[@id="overrides"]//tr[@data-date="%s"]//button[text()="删除"]`, day), chromedp.BySearch),
		chromedp.Click(fmt.Sprintf(`//table[@id="overrides"]//tr[@data-date="%s"]//button[text()="确认删除"]`, day), chromedp.BySearch),
		chromedp.WaitNotPresent(fmt.Sprintf(`//table[@id="overrides"]//tr[@data-date="%s"]`, day), chromedp.BySearch))
}

// editUser: the admin turns the supervisor sup into a liaison of 市科学技术局 in the users
// tab. Saved without a department, the form asks for one; with a department merged away
// while the form was open, the API's refusal shows in Chinese; with 市科学技术局, the row
// shows the new role and department, and sup's next request is a liaison's.
func editUser(t *testing.T, s *system, b *browser, admin, sup string, supID, kj uint64) {
	t.Helper()
	if code := s.call(sup, "GET", "/api/v1/escalations", nil, nil); code != 200 {
		t.Fatalf("the supervisor reads escalations: %d", code)
	}
	gone, err := s.st.CreateDepartment(ctx(t), "市临时工作局", nil, "imported")
	if err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf(`//table[@id="users"]//tr[@data-user="%d"]`, supID)
	b.run("users: edit sup, a liaison without a department is refused in the form", chromedp.Click(`#tab-users`, chromedp.ByQuery),
		chromedp.WaitVisible(row+`[td="督办员" and td="—"]`, chromedp.BySearch),
		chromedp.Click(fmt.Sprintf(`#u-edit-%d`, supID), chromedp.ByQuery),
		chromedp.WaitVisible(`//form[@id="user-editor"]/strong[text()="修改「sup」"]`, chromedp.BySearch),
		chromedp.SetValue(`#eu-role`, "liaison", chromedp.ByQuery), chromedp.Click(`#eu-save`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[@class="flash toast bad" and text()="联络员须属于一个单位，请选择单位。"]`, chromedp.BySearch))
	s.must(200, admin, "POST", fmt.Sprintf("/api/v1/departments/%d/merge", gone.ID), map[string]any{"into": kj}, nil)
	b.run("users: a department merged meanwhile is refused by the API, in Chinese",
		chromedp.SetValue(`#eu-dept`, fmt.Sprint(gone.ID), chromedp.ByQuery), chromedp.Click(`#eu-save`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[@class="flash toast bad" and text()="单位不存在"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#user-editor`, chromedp.ByQuery))
	b.run("users: saved as a liaison of 市科学技术局",
		chromedp.SetValue(`#eu-dept`, fmt.Sprint(kj), chromedp.ByQuery))
	b.shot("admin-user-edit.png")
	b.run("users: the row shows the new role and department", chromedp.Click(`#eu-save`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[@class="flash toast" and text()="已保存「sup」：联络员，市科学技术局。自其下一次操作起生效。"]`, chromedp.BySearch),
		chromedp.WaitVisible(row+`[contains(@class, "changed") and td="联络员" and td="市科学技术局"]`, chromedp.BySearch),
		chromedp.WaitNotPresent(`#user-editor`, chromedp.ByQuery))
	var me struct {
		Role         string  `json:"role"`
		DepartmentID *uint64 `json:"department_id"`
	}
	s.must(200, sup, "GET", "/api/v1/auth/me", nil, &me)
	if me.Role != "liaison" || me.DepartmentID == nil || *me.DepartmentID != kj {
		t.Errorf("after the change sup is %+v, want a liaison of %d", me, kj)
	}
	if code := s.call(sup, "GET", "/api/v1/escalations", nil, nil); code != 403 {
		t.Errorf("sup, now a liaison, reads escalations: %d, want 403", code)
	}
}

// departmentNames lists the departments in the store.
func (s *system) departmentNames(t *testing.T) []string {
	ds, err := s.st.ListDepartments(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}
