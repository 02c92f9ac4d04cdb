package integration

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store/storetest"
)

// TestBrowserNotifySettings: the admin adds a department's signed webhook in the UI and
// sends a test message that arrives; the delivery shows as sent. The supervisor previews a
// template edit: a typo is refused with its line, the fixed text renders.
func TestBrowserNotifySettings(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	deptA, _, _ := s.people(map[string]string{"sup": "supervisor", "admin": "admin"})
	var accepted atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := notify.VerifyWebhook(r, "ui-secret", time.Minute, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		accepted.Add(1)
	}))
	defer hook.Close()
	alloc := headless(t, exe, 860)

	admin := newBrowser(t, alloc, s.http.URL)
	admin.login("admin")
	admin.open("/notify", `#cp-channel`)
	admin.run("add a webhook", chromedp.SetValue(`#cp-channel`, "webhook", chromedp.ByQuery),
		chromedp.SetValue(`#cp-dept`, strconv.FormatUint(deptA.ID, 10), chromedp.ByQuery),
		chromedp.SendKeys(`#cp-address`, hook.URL+"/duban", chromedp.ByQuery),
		chromedp.SendKeys(`#cp-secret`, "ui-secret", chromedp.ByQuery),
		chromedp.SendKeys(`#cp-label`, "甲局工作群", chromedp.ByQuery),
		chromedp.Click(`//button[text()="添加"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//table[@id="contact-points"]//td[text()="甲局工作群"]`, chromedp.BySearch))
	admin.run("test send", chromedp.Click(`//table[@id="contact-points"]//button[text()="测试发送"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(., "测试消息已发送")]`, chromedp.BySearch))
	if accepted.Load() != 1 {
		t.Fatalf("the webhook accepted %d messages, want 1", accepted.Load())
	}
	admin.open("/notify", `//table[@id="deliveries"]//td[text()="已发送"]`)
	admin.shot("notify.png")

	sup := newBrowser(t, alloc, s.http.URL)
	sup.login("sup")
	sup.open("/notify", `#tpl-text`)
	sup.run("broken template", chromedp.SetValue(`#tpl-text`, "【提醒】{{.Item}}\n\n{{.Nope}}", chromedp.ByQuery),
		chromedp.Click(`#tpl-preview-btn`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "bad") and contains(., "第 3 行")]`, chromedp.BySearch))
	sup.run("fixed template", chromedp.SetValue(`#tpl-text`, "【请办理】{{.Item}}\n\n{{.Department}}", chromedp.ByQuery),
		chromedp.Click(`#tpl-preview-btn`, chromedp.ByQuery),
		chromedp.WaitVisible(`//pre[@id="tpl-preview" and contains(., "【请办理】")]`, chromedp.BySearch))
}
