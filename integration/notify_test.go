package integration

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store/storetest"
)

// TestNotificationsReachTheDepartmentRobot runs the real path: an imported plan's workflows
// write notices, Apply records deliveries beside the inbox rows, the dispatcher workflow
// sends them to the lead department's signed webhook, each exactly once, and the API shows
// them as sent.
func TestNotificationsReachTheDepartmentRobot(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	deptA, _, _ := s.people(map[string]string{"sup": "supervisor", "la": "liaison", "admin": "admin"})
	var mu sync.Mutex
	got := map[string]int{}
	kinds := map[string]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := notify.VerifyWebhook(r, "dept-secret", time.Minute, time.Now())
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var p struct{ Kind string }
		_ = jsonUnmarshal(string(body), &p)
		mu.Lock()
		got[r.Header.Get(notify.HeaderEventID)]++
		kinds[p.Kind]++
		mu.Unlock()
	}))
	defer hook.Close()
	admin, sup := s.login("admin", "password-1"), s.login("sup", "password-1")
	s.must(201, admin, "POST", "/api/v1/contact-points", map[string]any{"department_id": deptA.ID, "channel": "webhook", "address": hook.URL, "secret": "dept-secret"}, nil)
	var policy map[string]any
	_ = jsonUnmarshal(`{"sign_within":"4s","cadence":"every 1h","remind_before":["2s"],"ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]}]}`, &policy)
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "policy": policy}, nil)

	deadline := time.Now().Add(60 * time.Second)
	for {
		mu.Lock()
		done := kinds["reminder"] > 0 && kinds["escalation"] > 0
		mu.Unlock()
		if done || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if kinds["assigned"] == 0 || kinds["reminder"] == 0 || kinds["escalation"] == 0 {
		t.Fatalf("the robot saw %v, want assigned, reminder and escalation messages", kinds)
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("message %s delivered %d times", id, n)
		}
	}
	var ds []struct {
		State, Channel string
		Attempts       int
	}
	s.must(200, sup, "GET", "/api/v1/deliveries?channel=webhook&limit=500", nil, &ds)
	sent := 0
	for _, d := range ds {
		if d.State == "sent" {
			sent++
		}
	}
	if sent < len(got) {
		t.Errorf("%d deliveries recorded as sent, the robot accepted %d", sent, len(got))
	}
}
