package integration

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/store/storetest"
)

// TestBrowserAccounts: the admin disables a liaison and enables them again from the users
// tab, then resets their password (asked once more in the page) and reads the temporary
// password, kept on the page. The liaison signs in with it and sees only the change-password
// form, saying why; once a new password is set, the usual pages are back.
func TestBrowserAccounts(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	_, _, users := s.people(map[string]string{"admin": "admin", "la": "liaison"})
	la := users["la"]
	b := newBrowser(t, headless(t, exe, 768), s.http.URL)
	b.login("admin")
	row := fmt.Sprintf(`//table[@id="users"]//tr[@data-user="%d"]`, la.ID)
	b.run("disable the liaison", chromedp.Navigate(s.http.URL+"/admin#users"),
		chromedp.WaitVisible(fmt.Sprintf(`#u-toggle-%d`, la.ID), chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`#u-toggle-%d`, la.ID), chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and starts-with(text(), "已停用「la」")]`, chromedp.BySearch),
		chromedp.WaitVisible(row+`//span[contains(@class, "pill") and text()="已停用"]`, chromedp.BySearch))
	b.run("enable them again", chromedp.Click(fmt.Sprintf(`#u-toggle-%d`, la.ID), chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and text()="已启用「la」"]`, chromedp.BySearch),
		chromedp.WaitVisible(row+`/td[text()="正常"]`, chromedp.BySearch))
	var msg string
	b.run("reset the password", chromedp.Click(fmt.Sprintf(`#u-reset-%d`, la.ID), chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`//button[@id="u-reset-%d" and text()="确认重置"]`, la.ID), chromedp.BySearch),
		chromedp.Click(fmt.Sprintf(`#u-reset-%d`, la.ID), chromedp.ByQuery),
		chromedp.WaitVisible(`#temp-password`, chromedp.ByQuery), chromedp.Text(`#temp-password`, &msg, chromedp.ByQuery))
	m := regexp.MustCompile(`临时密码：([A-Za-z0-9_-]+)`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("no temporary password in %q", msg)
	}
	b.run("sign out", chromedp.Click(`#logout`, chromedp.ByQuery), chromedp.WaitVisible(`#u`, chromedp.ByQuery))
	b.run("sign in with the temporary password", chromedp.SendKeys("#u", "la", chromedp.ByQuery), chromedp.SendKeys("#p", m[1], chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#pw-forced`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`//nav[@id="nav"]/a`, chromedp.BySearch))
	b.run("choose a new password", chromedp.SendKeys(`#pw-cur`, m[1], chromedp.ByQuery),
		chromedp.SendKeys(`#pw-new`, "Liaison-pass-9", chromedp.ByQuery), chromedp.SendKeys(`#pw-new2`, "Liaison-pass-9", chromedp.ByQuery),
		chromedp.Click(`#password-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and starts-with(text(), "密码已修改")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//nav[@id="nav"]/a[text()="修改密码"]`, chromedp.BySearch))
}
