package main

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDatabaseDown kills the database while the ladders of 5 unsigned items climb: the API
// answers 503 problem+json at once, the worker stays up and its activities fail and are
// retried, and once the database is back every reminder, overdue mark and rung L1–L4 is
// recorded exactly once for every department. The server is a private MariaDB: the shared
// one on 3306 serves other packages' tests in parallel and must not be stopped.
func TestDatabaseDown(t *testing.T) {
	const items = 5
	db := privateMariaDB(t)
	env, api := topologyOn(t, db.dsn(t, "duban"))
	mport := freePort(t)
	proc(t, append(env, "DUBAN_WORKER_METRICS_ADDR=127.0.0.1:"+mport), "worker")
	proc(t, env, "serve", "--addr", "127.0.0.1:"+api)
	p := waitReady(t, api)
	// All but L4 fall while the database is down.
	sup, ids := launchUnsigned(t, p, items)
	waitFor(t, "every assignment to be recorded", 10*time.Second, func() bool {
		return db.count(t, "SELECT count(*) FROM events WHERE type = 'assigned'") == 2*items
	})
	// A slow machine may get the reminders in before the kill; the overdue marks and the
	// ladder must fall in the outage, or the test tests nothing.
	if n := db.count(t, "SELECT count(*) FROM events WHERE type IN ('overdue', 'escalated')"); n != 0 {
		t.Fatalf("%d overdue or escalated events before the outage: the machine is too slow for this policy", n)
	}

	db.kill(t)
	down := time.Now()
	for _, path := range []string{"/api/v1/items", "/api/v1/escalations?level=1"} {
		st, ctype, body, took := probe(t, p.base+path, sup)
		var prob struct{ Type, Detail string }
		_ = json.Unmarshal(body, &prob)
		if st != http.StatusServiceUnavailable || ctype != "application/problem+json" ||
			!strings.HasSuffix(prob.Type, "/unavailable") || !strings.Contains(prob.Detail, "database is unavailable") {
			t.Errorf("GET %s with the database down: %d %s %s; want 503 problem+json saying the database is unavailable", path, st, ctype, body)
		}
		if took > 3*time.Second {
			t.Errorf("GET %s took %v to fail with the database down", path, took)
		}
	}
	st, _, body, took := probe(t, p.base+"/readyz", "")
	var ready struct{ Checks map[string]string }
	_ = json.Unmarshal(body, &ready)
	if st != http.StatusServiceUnavailable || ready.Checks["database"] == "ok" || ready.Checks["temporal"] != "ok" || took > 4*time.Second {
		t.Errorf("readyz with the database down: %d after %v %s; want 503 naming the database only", st, took, body)
	}
	// Past the reminder, overdue, L1, L2 and L3 deadlines; the worker keeps retrying.
	time.Sleep(time.Until(down.Add(10 * time.Second)))
	failures := scrapeCounter(t, "http://127.0.0.1:"+mport+"/metrics", `duban_activity_failures_total{activity="Apply"}`)
	if failures < 2 {
		t.Errorf("the worker recorded %v failed Apply attempts during the outage; want retries", failures)
	}
	db.start(t)
	back := time.Now()

	waitFor(t, "the API to answer again", 10*time.Second, func() bool {
		st, _, _, _ := probe(t, p.base+"/api/v1/items", sup)
		return st == http.StatusOK
	})
	for end := time.Now().Add(110 * time.Second); ; time.Sleep(300 * time.Millisecond) {
		var esc []struct{ Level int }
		if p.get(t, sup, "/api/v1/escalations?level=4", &esc) == http.StatusOK && len(esc) == 2*items {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("%d of %d ladders reached L4 within 110s of the database coming back; events recorded:\n%s",
				len(esc), 2*items, db.table(t, "SELECT item_id, department_id, type, level, at FROM events ORDER BY item_id, id"))
		}
	}
	t.Logf("database down %v; every ladder at L4 %v after it came back", back.Sub(down).Round(time.Second), time.Since(back).Round(time.Second))
	time.Sleep(2 * time.Second) // a late duplicate would show up here
	want := map[string]int{"assigned": 2, "reminder": 2, "overdue": 2, "escalated1": 2, "escalated2": 2, "escalated3": 2, "escalated4": 2}
	checkEachOnce(t, p, sup, ids, want)
	if n := db.count(t, "SELECT count(*) FROM escalations"); n != 4*2*items {
		t.Errorf("%d escalation rows, want %d", n, 4*2*items)
	}
	// L2 (督办通知) goes to the supervisor: one inbox entry per department and item.
	var inbox struct {
		Notifications []struct {
			Kind  string
			Level int
		}
	}
	p.get(t, sup, "/api/v1/inbox", &inbox)
	l2 := 0
	for _, n := range inbox.Notifications {
		if n.Kind == "escalation" && n.Level == 2 {
			l2++
		}
	}
	if l2 != 2*items {
		t.Errorf("the supervisor has %d L2 notices, want %d", l2, 2*items)
	}
}

// probe GETs url with a short timeout and returns the status, content type, body and how
// long the answer took; a request that times out fails the test.
func probe(t *testing.T, url, token string) (int, string, []byte, time.Duration) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Language", "en")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	r, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	return r.StatusCode, r.Header.Get("Content-Type"), body, time.Since(start)
}

// scrapeCounter reads one series' value from a Prometheus text page (0 when absent).
func scrapeCounter(t *testing.T, url, series string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(scrape(t, url))
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}
