package main

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWorkerKilledMidLadder launches 20 items whose departments never sign, SIGKILLs the only
// worker while the ladders climb, starts a new one, and checks that every reminder, overdue
// mark and rung L1–L4 exists exactly once for every department.
func TestWorkerKilledMidLadder(t *testing.T) {
	const items = 20
	env, api := topology(t)
	w := proc(t, env, "worker")
	proc(t, env, "serve", "--addr", "127.0.0.1:"+api)
	p := waitReady(t, api)
	sup, ids := launchUnsigned(t, p, items)
	time.Sleep(6 * time.Second) // the ladders are between L1 and L2
	_ = w.Process.Signal(syscall.SIGKILL)
	time.Sleep(3 * time.Second) // deadlines pass with no worker at all
	proc(t, env, "worker")

	want := map[string]int{"reminder": 2, "overdue": 2, "escalated1": 2, "escalated2": 2, "escalated3": 2, "escalated4": 2}
	waitFor(t, "every ladder to reach L4", 90*time.Second, func() bool {
		var esc []struct{ Level int }
		p.get(t, sup, "/api/v1/escalations?level=4", &esc)
		return len(esc) == 2*items
	})
	checkEachOnce(t, p, sup, ids, want)
}

// fastLadder is a policy whose whole ladder climbs in seconds: reminder at +2s, overdue and
// L1 at +4s, L2–L4 at +7s, +10s and +13s after launch.
const fastLadder = `{"sign_within":"4s","cadence":"every 1h","remind_before":["2s"],"ladder":[` +
	`{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"3s","notify":["supervisor"]},` +
	`{"level":3,"name":"通报","after":"6s","notify":["leadership"]},{"level":4,"name":"追究责任","after":"9s","notify":["leadership"]}]}`

// launchUnsigned sets up two departments and a supervisor, and launches n items led by one
// and partnered by the other under fastLadder; nobody signs. It returns the supervisor's
// token and the item ids.
func launchUnsigned(t *testing.T, p *devProc, n int) (sup string, ids []uint64) {
	admin := p.login(t, "admin", "admin-pass-1")
	p.post(t, admin, "/api/v1/departments", `{"name":"市甲局"}`, nil)
	p.post(t, admin, "/api/v1/departments", `{"name":"市乙局"}`, nil)
	p.post(t, admin, "/api/v1/users", `{"username":"sup","password":"password-1","role":"supervisor"}`, nil)
	sup = p.login(t, "sup", "password-1")
	return sup, launchPlan(t, p, sup, n, fastLadder)
}

// launchPlan imports and launches, as the supervisor sup, a plan of n items led by 市甲局
// and partnered by 市乙局 under policy, and returns the item ids.
func launchPlan(t *testing.T, p *devProc, sup string, n int, policy string) []uint64 {
	t.Helper()
	var plan strings.Builder
	plan.WriteString(`一、重点任务\n`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&plan, `%d.第%d项任务。\n牵头单位:市甲局\n配合单位:市乙局\n`, i, i)
	}
	var launched struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	p.post(t, sup, "/api/v1/plans/import", `{"text":"`+plan.String()+`","policy":`+policy+`}`, &launched)
	if len(launched.Items) != n {
		t.Fatalf("launched %d items, want %d", len(launched.Items), n)
	}
	ids := make([]uint64, 0, n)
	for _, it := range launched.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// checkEachOnce asserts each item's audit trail holds every event type of want exactly as
// often as want says (escalations by level: escalated1…escalated4).
func checkEachOnce(t *testing.T, p *devProc, sup string, ids []uint64, want map[string]int) {
	t.Helper()
	for _, id := range ids {
		var evs []struct {
			Type  string
			Level int
		}
		p.get(t, sup, fmt.Sprintf("/api/v1/items/%d/events", id), &evs)
		got := map[string]int{}
		for _, e := range evs {
			k := e.Type
			if e.Type == "escalated" {
				k += fmt.Sprint(e.Level)
			}
			got[k]++
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("item %d: %s recorded %d times, want %d (one per department): %v", id, k, got[k], n, got)
			}
		}
	}
}
