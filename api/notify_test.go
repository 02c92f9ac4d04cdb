package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store/storetest"
)

func newNotifyFixture(t *testing.T) *fixture {
	f := newFixture(t, storetest.SQLite(t))
	nt, err := delivery.NewNotifier(testNotifyConfig(), "http://duban.test")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Deps{Store: f.st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Notify: nt}))
	t.Cleanup(srv.Close)
	f.srv = srv
	return f
}

func TestContactPointsAndTestSend(t *testing.T) {
	f := newNotifyFixture(t)
	admin, la, lb := f.login("admin"), f.login("la"), f.login("lb")
	var seen []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := notify.VerifyWebhook(r, "robot-secret", time.Minute, timeNow()); err != nil {
			http.Error(w, err.Error(), 401)
			return
		}
		seen = append(seen, r.Header.Get(notify.HeaderEventID))
	}))
	defer hook.Close()

	// A liaison registers their own email; not another user's, not a department robot.
	r := f.do("POST", "/api/v1/contact-points", la, map[string]any{"channel": "email", "address": "la@example.gov.cn"})
	if r.status != 201 {
		t.Fatalf("own email: %d %v", r.status, r.body)
	}
	own := uint64(r.body["id"].(float64))
	if r := f.do("POST", "/api/v1/contact-points", la, map[string]any{"department_id": f.deptA, "channel": "dingtalk", "address": "https://oapi.dingtalk.com/robot/send?access_token=t"}); r.status != 403 {
		t.Errorf("liaison adding a department robot: %d", r.status)
	}
	if r := f.do("POST", "/api/v1/contact-points", la, map[string]any{"channel": "email", "address": "not an address"}); r.status != 422 || r.body["field"] != "address" {
		t.Errorf("bad email: %d %v", r.status, r.body)
	}
	if r := f.do("DELETE", "/api/v1/contact-points/"+itoa(own), lb, nil); r.status != 404 {
		t.Errorf("another liaison deleting it: %d", r.status)
	}
	// The admin adds a department's signed webhook; the secret and the URL's token never come back.
	r = f.do("POST", "/api/v1/contact-points", admin, map[string]any{"department_id": f.deptA, "channel": "webhook", "address": hook.URL + "/in?token=abc", "secret": "robot-secret"})
	if r.status != 201 || r.body["has_secret"] != true || strings.Contains(r.body["address"].(string), "abc") {
		t.Fatalf("department webhook: %d %v", r.status, r.body)
	}
	wh := uint64(r.body["id"].(float64))
	f.do("GET", "/api/v1/contact-points", admin, nil)
	if r := f.do("GET", "/api/v1/contact-points", la, nil); len(r.list) != 1 {
		t.Errorf("a liaison lists only their own points: %v", r.list)
	}
	// Test-send reaches the receiver and is recorded.
	r = f.do("POST", "/api/v1/contact-points/"+itoa(wh)+"/test", admin, nil)
	if r.status != 200 || r.body["state"] != "sent" || len(seen) != 1 {
		t.Fatalf("test send: %d %v, receiver saw %v", r.status, r.body, seen)
	}
	if r := f.do("GET", "/api/v1/deliveries", f.login("sup"), nil); len(r.list) != 1 {
		t.Errorf("deliveries: %v", r.list)
	}
	if r := f.do("GET", "/api/v1/deliveries", la, nil); len(r.list) != 0 {
		t.Errorf("a liaison sees only their own deliveries: %v", r.list)
	}
	// A test-send to an email with no SMTP configured fails clearly, recorded as failed.
	r = f.do("POST", "/api/v1/contact-points/"+itoa(own)+"/test", la, nil)
	if r.status != 200 || r.body["state"] != "failed" || !strings.Contains(r.body["last_error"].(string), "email") {
		t.Errorf("test send without SMTP: %d %v", r.status, r.body)
	}
}

func TestMessageTemplatesEditAndPreview(t *testing.T) {
	f := newNotifyFixture(t)
	sup, la := f.login("sup"), f.login("la")
	if r := f.do("GET", "/api/v1/message-templates", la, nil); r.status != 403 {
		t.Errorf("liaison reading templates: %d", r.status)
	}
	r := f.do("GET", "/api/v1/message-templates", sup, nil)
	if r.status != 200 || len(r.list) < 20 {
		t.Fatalf("templates: %d %d", r.status, len(r.list))
	}
	bad := "【提醒】{{.Item}}\n\n{{.Nope}}"
	r = f.do("PUT", "/api/v1/message-templates/reminder/zh-CN", sup, map[string]string{"text": bad})
	if r.status != 422 || r.body["field"] != "text" || !strings.Contains(r.body["detail"].(string), "第 3 行") {
		t.Fatalf("broken template: %d %v", r.status, r.body)
	}
	good := "【请办理】{{.Item}}\n\n{{.Department}}:{{.Obligation}},期限 {{datetime .Due}}。"
	r = f.do("POST", "/api/v1/message-templates/preview", sup, map[string]string{"kind": "reminder", "lang": "zh-CN", "text": good})
	if r.status != 200 || !strings.HasPrefix(r.body["title"].(string), "【请办理】") {
		t.Fatalf("preview: %d %v", r.status, r.body)
	}
	r = f.do("PUT", "/api/v1/message-templates/reminder/zh-CN", sup, map[string]string{"text": good})
	if r.status != 200 || r.body["edited"] != true {
		t.Fatalf("save: %d %v", r.status, r.body)
	}
	for _, v := range f.do("GET", "/api/v1/message-templates", sup, nil).list {
		m := v.(map[string]any)
		if m["kind"] == "reminder" && m["lang"] == "zh-CN" && (m["text"] != good || m["edited"] != true) {
			t.Errorf("stored edit not listed: %v", m)
		}
	}
	if r := f.do("DELETE", "/api/v1/message-templates/reminder/zh-CN", sup, nil); r.status != 204 {
		t.Errorf("reset: %d", r.status)
	}
}

func itoa(id uint64) string { return strconv.FormatUint(id, 10) }

func timeNow() time.Time { return time.Now() }

// testNotifyConfig is the default notification setup with the test servers' loopback
// address allowed past the SSRF guard, as an admin would allow an intranet host.
func testNotifyConfig() config.Notify {
	n := config.Default().Notify
	n.AllowedHosts = []string{"127.0.0.1"}
	return n
}
