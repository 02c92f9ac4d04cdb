package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/store/storetest"
)

// onePixelPNG is a tiny image standing in for a scan or a phone photo.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

// TestBrowserSupervisionItem: the supervisor creates a 领导批示 督办件 with the scanned
// instruction and prints its 交办单; the liaison follows the notice's link on a 375-px phone,
// signs in, lands on the item, signs, reports and applies for completion with a photo from
// the camera, never scrolling sideways; the supervisor approves, the item closes, the reply
// to the leader's office is recorded and the 办结报告 printed. Then a meeting's five decisions
// are pasted, previewed and launched as five numbered 督办件.
func TestBrowserSupervisionItem(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "la": "liaison", "lb": "liaison"})
	year := time.Now().In(calendar.Shanghai).Year()
	number := func(n int) string { return fmt.Sprintf("督办〔%d〕%d号", year, n) }
	scan := filepath.Join(t.TempDir(), "批示扫描件.png")
	if err := os.WriteFile(scan, onePixelPNG, 0o644); err != nil {
		t.Fatal(err)
	}
	alloc := headless(t, exe, 900)

	sup := newBrowser(t, alloc, s.http.URL)
	sup.login("sup")
	sup.open("/cases/new", `#case-form`)
	sup.run("fill the form",
		chromedp.SetValue(`select[name=source_type]`, "instruction", chromedp.ByQuery),
		chromedp.SetValue(`textarea[name=source_text]`, "请市甲局牵头研究老旧小区加装电梯问题，月底前拿出方案。——王市长", chromedp.ByQuery),
		chromedp.SetUploadFiles(`input[name=files]`, []string{scan}, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=title]`, "研究老旧小区加装电梯", chromedp.ByQuery),
		chromedp.SetValue(`textarea[name=requirement]`, "拿出加装电梯的资金和审批方案", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelector("select[name=lead]").options].find(o => o.text === "市甲局").selected = true`, nil),
		chromedp.Evaluate(`[...document.querySelector("select[name=partners]").options].find(o => o.text === "市乙局").selected = true`, nil),
		chromedp.SetValue(`select[name=urgency]`, "urgent_special", chromedp.ByQuery))
	sup.shot("case-form.png")
	sup.run("assign", chromedp.Click(`#case-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`//section[@id="case"]/h2[contains(., "%s")]`, number(1)), chromedp.BySearch),
		chromedp.WaitVisible(`//section[@id="case"]//a[contains(., "批示扫描件.png")]`, chromedp.BySearch))
	var path string
	sup.run("item path", chromedp.Evaluate(`location.pathname`, &path))
	id := strings.TrimPrefix(path, "/items/")
	sup.shot("case-item.png")
	sup.run("print the 交办单", chromedp.Click(`#print-assign`, chromedp.ByQuery),
		chromedp.WaitVisible(`//article[contains(@class, "paper")]//h1[contains(., "督办件交办单")]`, chromedp.BySearch),
		chromedp.WaitVisible(fmt.Sprintf(`//article//p[contains(., "%s")]`, number(1)), chromedp.BySearch),
		chromedp.WaitVisible(`//article//td[contains(., "王市长")]`, chromedp.BySearch))
	sup.shot("case-assign-sheet.png")

	// The liaison's phone: the notice's link, sign-in, and back to the item.
	phone := newBrowser(t, alloc, s.http.URL)
	noSideways := func(what string) {
		t.Helper()
		var w int
		phone.run(what+": width", chromedp.Sleep(300*time.Millisecond), chromedp.Evaluate(`document.documentElement.scrollWidth`, &w))
		if w > 375 {
			t.Errorf("%s: the page is %d px wide on a 375-px screen", what, w)
		}
	}
	phone.run("phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(s.http.URL+"/#/items/"+id), chromedp.WaitVisible(`#u`, chromedp.ByQuery))
	noSideways("login")
	phone.run("sign in from the link", chromedp.SendKeys("#u", "la", chromedp.ByQuery), chromedp.SendKeys("#p", "password-1", chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`//h1[contains(., "%s")]`, number(1)), chromedp.BySearch))
	noSideways("item")
	phone.shot("phone-item.png")
	phone.run("sign", chromedp.Click(`//section[contains(@class,"actions")]//button[.="签收"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//form[h3[.="进展报送"]]`, chromedp.BySearch))
	var capture string
	phone.run("camera input", chromedp.Evaluate(`document.querySelector('form input[type=file][capture]')?.getAttribute("capture") + " " + document.querySelector('form input[type=file][capture]')?.accept`, &capture))
	if capture != "environment image/*" {
		t.Errorf("camera input: %q", capture)
	}
	noSideways("report form")
	phone.run("report with a photo",
		chromedp.SendKeys(`//form[h3[.="进展报送"]]//textarea`, "已完成摸底调查，正在测算资金", chromedp.BySearch),
		chromedp.SetUploadFiles(`//form[h3[.="进展报送"]]//input[@capture]`, []string{scan}, chromedp.BySearch),
		chromedp.Click(`//form[h3[.="进展报送"]]//button[@type="submit"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(@class,"flash") and contains(., "已报送")]`, chromedp.BySearch))
	phone.run("scroll to the report", chromedp.ScrollIntoView(`//form[h3[.="申请办结"]]`, chromedp.BySearch))
	phone.shot("phone-report.png")
	// The supervisor approves the report; the liaison then applies for completion.
	approve := func() {
		t.Helper()
		sup.open("/items/"+id, `//div[@data-submission]`)
		sup.run("approve", chromedp.Click(`//div[@data-submission][1]//button[.="通过"]`, chromedp.BySearch),
			chromedp.WaitVisible(`//p[contains(@class,"flash") and contains(., "已审核通过")]`, chromedp.BySearch))
	}
	approve()
	phone.open("/items/"+id, `//form[h3[.="申请办结"]]`)
	phone.run("apply for completion",
		chromedp.SendKeys(`//form[h3[.="申请办结"]]//textarea`, "加装电梯方案已经市政府常务会议审定，资金已落实。", chromedp.BySearch),
		chromedp.SetUploadFiles(`//form[h3[.="申请办结"]]//input[@capture]`, []string{scan}, chromedp.BySearch),
		chromedp.Click(`//form[h3[.="申请办结"]]//button[@type="submit"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(@class,"flash") and contains(., "已申请办结")]`, chromedp.BySearch))
	noSideways("after completion request")
	phone.open("/inbox", `//h1[.="消息"]`)
	noSideways("inbox")
	phone.shot("phone-inbox.png")
	phone.open("/", `//h1[.="我的工作"]`)
	noSideways("my work")
	phone.shot("phone-mywork.png")

	// The supervisor approves the completion: the item closes.
	approve()
	eventually(t, 20*time.Second, "the item is completed", func() bool {
		var it struct{ Status string }
		s.must(200, s.login("sup", "password-1"), "GET", "/api/v1/items/"+id, nil, &it)
		return it.Status == "completed"
	})
	sup.open("/items/"+id, `#save-reply`)
	sup.run("reply to the source", chromedp.SetValue(`#reply`, "王市长：加装电梯方案已审定，资金已落实，特此报告。", chromedp.ByQuery),
		chromedp.Click(`#save-reply`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class,"flash") and contains(., "已保存回复")]`, chromedp.BySearch),
		chromedp.Click(`#print-close`, chromedp.ByQuery),
		chromedp.WaitVisible(`//article//h1[contains(., "办结报告")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//article//td[contains(., "资金已落实。")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//article//td[contains(., "特此报告")]`, chromedp.BySearch))
	sup.shot("case-close-report.png")

	// A meeting's five decisions.
	next := year + 1
	minutes := fmt.Sprintf(`市政府第12次常务会议纪要
一、加快老旧小区改造，由市甲局牵头，市乙局配合，%[1]d年3月底前完成。
二、做好春运保障工作，由市乙局负责，%[1]d年2月28日前完成。
三、推进政务服务“一网通办”，市甲局牵头，市乙局配合，%[1]d年6月底前完成。
四、开展安全生产大检查，市乙局牵头，市甲局配合，%[1]d年4月15日前完成。
五、研究制定促进消费措施，由市甲局牵头，市乙局配合，%[1]d年5月底前报市政府。
`, next)
	sup.open("/meetings/new", `#meeting-form`)
	var rows, launched int
	var previewText string
	sup.run("preview", chromedp.SendKeys(`input[name=title]`, "市政府第12次常务会议", chromedp.ByQuery),
		chromedp.SetValue(`textarea[name=minutes]`, minutes, chromedp.ByQuery),
		chromedp.Click(`#preview-meeting`, chromedp.ByQuery),
		chromedp.WaitVisible(`#decisions`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#decisions tbody tr").length`, &rows),
		chromedp.Text(`#meeting-preview`, &previewText, chromedp.ByQuery))
	if rows != 5 {
		t.Fatalf("preview rows: %d", rows)
	}
	if strings.Contains(previewText, "null") || strings.Contains(previewText, "undefined") {
		t.Errorf("the preview prints a missing value: %q", previewText)
	}
	sup.run("scroll to the preview", chromedp.ScrollIntoView(`#meeting-preview`, chromedp.ByQuery))
	sup.shot("meeting-preview.png")
	sup.run("launch", chromedp.Click(`#launch-meeting`, chromedp.ByQuery), chromedp.WaitVisible(`#launched`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#launched li").length`, &launched),
		chromedp.WaitVisible(fmt.Sprintf(`//ul[@id="launched"]//a[contains(., "%s")]`, number(6)), chromedp.BySearch))
	if launched != 5 {
		t.Fatalf("launched: %d", launched)
	}
	sup.shot("meeting-launched.png")
	sup.open("/board", fmt.Sprintf(`//table[@id="board"]//td[contains(., "%s")]`, number(6)))
}
