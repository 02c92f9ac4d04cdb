package api

import (
	"testing"

	"github.com/dubanhq/duban/store/storetest"
)

// TestRepeatedRequestIDAuditsEveryAction sends two actions under one X-Request-ID: both are
// audited, each recording the client's ID, since the dedupe key is the server's own.
func TestRepeatedRequestIDAuditsEveryAction(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	admin := f.login("admin")
	for _, name := range []string{"市丁局", "市戊局"} {
		if r := f.do("POST", "/api/v1/departments", admin, map[string]any{"name": name}, "X-Request-ID", "same-id"); r.status != 201 {
			t.Fatalf("create %s: %d %s", name, r.status, r.raw)
		}
	}
	r := f.do("GET", "/api/v1/audit", admin, nil)
	n := 0
	for _, e := range r.list {
		if m := e.(map[string]any); m["type"] == "department_created" && m["request_id"] == "same-id" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("department_created rows with request id same-id: %d, want 2: %s", n, r.raw)
	}
}
