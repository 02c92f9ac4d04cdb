package integration

import (
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/store/storetest"
)

// TestActionRoutesOnTheRealServer walks every item action, the inbox, escalations, plans and
// the calendar through HTTP against the real server, with a slow policy so nothing escalates
// on its own except where the test waits for it.
func TestActionRoutesOnTheRealServer(t *testing.T) {
	st := storetest.SQLite(t)
	s := start(t, st)
	c := ctx(t)
	a, _, _ := s.people(map[string]string{"sup": "supervisor", "la": "liaison", "boss": "leader", "admin": "admin"})
	sup, la, boss, admin := s.login("sup", "password-1"), s.login("la", "password-1"), s.login("boss", "password-1"), s.login("admin", "password-1")
	var policy map[string]any
	_ = jsonUnmarshal(`{"sign_within":"2s","cadence":"every 1h","remind_before":["1s"],"ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"1h","notify":["supervisor"]}]}`, &policy)
	var launched struct {
		Items  []struct{ ID uint64 } `json:"items"`
		PlanID uint64                `json:"plan_id"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "policy": policy}, &launched)
	path := "/api/v1/items/" + itoa(launched.Items[0].ID)
	s.must(200, sup, "GET", "/api/v1/plans", nil, nil)
	s.must(200, sup, "GET", "/api/v1/plans/"+itoa(launched.PlanID), nil, nil)
	s.must(200, sup, "GET", "/api/v1/plans/"+itoa(launched.PlanID)+"/overview", nil, nil)
	s.must(403, la, "GET", "/api/v1/plans/"+itoa(launched.PlanID)+"/overview", nil, nil)

	// The lead misses its 2s signing deadline: L1 reaches its liaison, who reads it.
	var esc []struct {
		ID    uint64
		Level int
	}
	eventually(t, 20*time.Second, "L1", func() bool { s.must(200, sup, "GET", "/api/v1/escalations", nil, &esc); return len(esc) > 0 })
	s.must(200, boss, "POST", "/api/v1/escalations/"+itoa(esc[0].ID)+"/ack", nil, nil)
	s.must(409, boss, "POST", "/api/v1/escalations/"+itoa(esc[0].ID)+"/ack", nil, nil)
	// One escalation, for its printed 督办通知: the item's title and whether it was read.
	var one struct {
		ItemTitle string     `json:"item_title"`
		AckedAt   *time.Time `json:"acked_at"`
	}
	s.must(200, boss, "GET", "/api/v1/escalations/"+itoa(esc[0].ID), nil, &one)
	if one.ItemTitle == "" || one.AckedAt == nil {
		t.Errorf("one escalation: %+v, want its item's title and the acknowledgement", one)
	}
	s.must(404, boss, "GET", "/api/v1/escalations/999999", nil, nil)
	var inbox struct{ Unread int }
	s.must(200, la, "GET", "/api/v1/inbox", nil, &inbox)
	if inbox.Unread == 0 {
		t.Error("the liaison's inbox is empty after assignment and L1")
	}
	s.must(200, la, "POST", "/api/v1/inbox/read", map[string]any{}, nil)
	s.must(200, la, "GET", "/api/v1/inbox", nil, &inbox)
	if inbox.Unread != 0 {
		t.Errorf("unread after marking all read: %d", inbox.Unread)
	}

	// The liaison answers the signing reminder (收到提醒): once.
	s.must(200, la, "POST", path+"/acknowledge", nil, nil)
	s.must(409, la, "POST", path+"/acknowledge", nil, nil)
	s.must(200, la, "POST", path+"/sign", nil, nil)
	// A retried report with the same Idempotency-Key acts once and answers the same id.
	var r1, r2 struct{ ID uint64 }
	if code := s.call(la, "POST", path+"/reports", map[string]any{"text": "第一次报送"}, &r1, "Idempotency-Key", "retry-1"); code != 201 {
		t.Fatalf("report: %d", code)
	}
	if code := s.call(la, "POST", path+"/reports", map[string]any{"text": "第一次报送"}, &r2, "Idempotency-Key", "retry-1"); code != 201 || r2.ID != r1.ID {
		t.Errorf("retried report: %d id %d, want the same id %d", code, r2.ID, r1.ID)
	}
	s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": r1.ID, "decision": "return", "comment": "数据不全"}, nil)

	var ext struct{ ID int }
	newDue := time.Now().Add(20 * 24 * time.Hour).UTC().Format(time.RFC3339)
	s.must(201, la, "POST", path+"/extension-requests", map[string]any{"new_due": newDue, "reason": "统计口径调整"}, &ext)
	s.must(200, sup, "POST", path+"/extension-requests/"+itoa(uint64(ext.ID))+"/decision", map[string]any{"approve": true}, nil)
	s.must(201, boss, "POST", path+"/instructions", map[string]any{"text": "请加快推进"}, nil)
	s.must(403, la, "POST", path+"/instructions", map[string]any{"text": "x"}, nil)
	s.must(200, sup, "POST", path+"/reassign", map[string]any{"lead": []uint64{a.ID}, "partners": []uint64{}, "reason": "乙局职能划转"}, nil)
	s.must(422, sup, "POST", path+"/reassign", map[string]any{"lead": []uint64{999}, "reason": "x"}, nil)
	s.must(200, sup, "POST", path+"/suspend", map[string]any{"reason": "机构调整"}, nil)
	s.must(409, la, "POST", path+"/reports", map[string]any{"text": "暂停中"}, nil)
	s.must(200, sup, "POST", path+"/resume", map[string]any{"reason": "恢复"}, nil)
	s.must(200, sup, "POST", path+"/cancel", map[string]any{"reason": "任务取消"}, nil)
	eventually(t, 10*time.Second, "cancelled", func() bool {
		var it struct{ Status string }
		s.must(200, sup, "GET", path, nil, &it)
		return it.Status == "cancelled"
	})
	var evs []eventRow
	s.must(200, sup, "GET", path+"/events", nil, &evs)
	got := map[string]int{}
	for _, e := range evs {
		got[e.Type]++
	}
	for _, typ := range []string{"reminder_acknowledged", "returned", "extension_requested", "extension_decided", "instruction", "reassigned", "suspended", "resumed", "cancelled"} {
		if got[typ] != 1 {
			t.Errorf("event %s recorded %d times: %v", typ, got[typ], got)
		}
	}
	if got["report_submitted"] != 1 {
		t.Errorf("a retried request must act once: %d reports", got["report_submitted"])
	}
	if *updateHistories {
		s.saveHistory(t, "duban-item-"+itoa(launched.Items[0].ID), "actions.json")
	}
	var audit []struct {
		Type      string `json:"type"`
		Actor     string `json:"actor"`
		RequestID string `json:"request_id"`
		SourceIP  string `json:"source_ip"`
	}
	s.must(200, sup, "GET", "/api/v1/audit?item="+itoa(launched.Items[0].ID), nil, &audit)
	if len(audit) == 0 || audit[0].Type != "cancelled" || audit[0].RequestID == "" || audit[0].SourceIP == "" || audit[0].Actor != "sup" {
		t.Errorf("a user's action must be audited with actor, request id and source IP: %+v", audit[0])
	}

	var ranking []struct {
		Department  string   `json:"department"`
		Returns     int      `json:"returns"`
		Escalations int      `json:"escalations"`
		Signed      int      `json:"signed"`
		OnTimeRate  *float64 `json:"on_time_rate"`
	}
	s.must(200, sup, "GET", "/api/v1/departments/ranking", nil, &ranking)
	s.must(403, la, "GET", "/api/v1/departments/ranking", nil, nil)
	for _, r := range ranking {
		if r.Department == "市甲局" && (r.Returns != 1 || r.Escalations < 1 || r.Signed != 1 || r.OnTimeRate == nil || *r.OnTimeRate != 0.5) {
			t.Errorf("市甲局 signed late (L1), reported on time once, was returned once: want rate 0.5: %+v", r)
		}
	}
	// Calendar administration.
	s.must(200, sup, "GET", "/api/v1/calendar", nil, nil)
	s.must(403, sup, "PUT", "/api/v1/calendar/overrides", map[string]any{"days": []any{}}, nil)
	s.must(404, admin, "GET", "/api/v1/calendar/years/2031", nil, nil)
	s.must(200, admin, "PUT", "/api/v1/calendar/years/2031", map[string]any{"days": []map[string]any{{"date": "2031-01-01", "off": true, "name": "元旦"}}}, nil)
	s.must(200, admin, "GET", "/api/v1/calendar/years/2031", nil, nil)
	s.must(200, admin, "PUT", "/api/v1/calendar/overrides", map[string]any{"days": []map[string]any{{"date": "2026-03-02", "off": true, "name": "本地活动"}}}, nil)
	var chk struct{ Workday bool }
	s.must(200, sup, "GET", "/api/v1/calendar/check?date=2026-03-02", nil, &chk)
	if chk.Workday {
		t.Error("the admin's override did not take effect")
	}
	s.must(422, sup, "GET", "/api/v1/calendar/check?date=2019-01-02", nil, nil) // before the built-in years
	// A later year without its notice is answered on the ordinary week, flagged provisional.
	var later struct{ Workday, Provisional bool }
	s.must(200, sup, "GET", "/api/v1/calendar/check?date=2040-01-02", nil, &later)
	if !later.Workday || !later.Provisional {
		t.Errorf("2040-01-02 (a Monday without a notice): %+v, want a provisional working day", later)
	}
	var info struct {
		ProvisionalYears []int `json:"provisional_years"`
	}
	s.must(200, sup, "GET", "/api/v1/calendar", nil, &info)
	// This year, and from October next year, when they have no notice (built in: 2020–2026;
	// added above: 2031).
	now := time.Now().In(calendar.Shanghai)
	missing := func(y int) bool { return y > 2026 && y != 2031 }
	want := []int{}
	for _, y := range []int{now.Year(), now.Year() + 1} {
		if missing(y) && (y == now.Year() || now.Month() >= time.October) {
			want = append(want, y)
		}
	}
	if !slices.Equal(info.ProvisionalYears, want) {
		t.Errorf("provisional_years %v on %s, want %v", info.ProvisionalYears, now.Format(time.DateOnly), want)
	}
	rows, _ := st.CalendarDays(c)
	if len(rows) != 2 {
		t.Errorf("calendar changes must be stored for other workers: %d rows", len(rows))
	}
}

// TestConcurrentDuplicateActionActsOnce sends the same report twice at once with one
// Idempotency-Key (both answer the same id), then two different reports at once (one wins,
// the other is refused as a conflict); the timeline holds exactly one submission each time.
func TestConcurrentDuplicateActionActsOnce(t *testing.T) {
	s, sup, la, path := signedItem(t)

	type result struct {
		code int
		id   uint64
	}
	race := func(keys ...string) []result {
		res := make([]result, len(keys))
		var wg sync.WaitGroup
		for i, k := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var r struct{ ID uint64 }
				res[i].code = s.call(la, "POST", path+"/reports", map[string]any{"text": "同一份报送"}, &r, "Idempotency-Key", k)
				res[i].id = r.ID
			}()
		}
		wg.Wait()
		return res
	}
	same := race("dup-1", "dup-1")
	if same[0].code != 201 || same[1].code != 201 || same[0].id != same[1].id {
		t.Errorf("same key twice at once: %+v, want two 201 with one id", same)
	}
	s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": same[0].id, "decision": "return", "comment": "重报"}, nil)
	diff := race("a-1", "b-1")
	codes := map[int]int{}
	for _, r := range diff {
		codes[r.code]++
	}
	if codes[201] != 1 || codes[409] != 1 {
		t.Errorf("two different reports at once: %+v, want one 201 and one 409", diff)
	}
	n := s.eventCount(sup, path, "report_submitted")
	if n != 2 {
		t.Errorf("report_submitted recorded %d times, want 2 (one per distinct request)", n)
	}

	// A client's X-Request-ID is a label, not an idempotency key: a different report sent
	// later under the same one acts and gets an id of its own.
	winner := diff[0].id
	if diff[1].code == 201 {
		winner = diff[1].id
	}
	s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": winner, "decision": "return", "comment": "再报"}, nil)
	var r3, r4 struct{ ID uint64 }
	if code := s.call(la, "POST", path+"/reports", map[string]any{"text": "第三次报送"}, &r3, "X-Request-ID", "same-label"); code != 201 {
		t.Fatalf("third report: %d", code)
	}
	s.must(200, sup, "POST", path+"/reviews", map[string]any{"report_id": r3.ID, "decision": "return", "comment": "仍缺数据"}, nil)
	if code := s.call(la, "POST", path+"/reports", map[string]any{"text": "第四次报送"}, &r4, "X-Request-ID", "same-label"); code != 201 || r4.ID == r3.ID {
		t.Errorf("a different report under the same X-Request-ID: %d id %d, want 201 and a new id (the last was %d)", code, r4.ID, r3.ID)
	}
	if n := s.eventCount(sup, path, "report_submitted"); n != 4 {
		t.Errorf("report_submitted recorded %d times, want 4", n)
	}
}

// TestActionAcceptedWithoutAWorkerActsOnceOnRetry: with no worker polling (one died, or all
// are being deployed) an action waits ActionWait, then answers 503 with Retry-After; once a
// worker is back the same request with the same Idempotency-Key returns the one result and
// the timeline holds the report once.
func TestActionAcceptedWithoutAWorkerActsOnceOnRetry(t *testing.T) {
	s, sup, la, path := signedItem(t)

	// An API that waits 2 s for an Update instead of 30 s.
	old := s.http
	s.http = httptest.NewServer(api.New(api.Deps{Store: s.st, Temporal: s.tc, TaskQueue: taskQueue, Namespace: "duban",
		Logger: quietLogger(), Calendar: s.cal, Notify: s.nt, ActionWait: 2 * time.Second}))
	old.Close()

	s.w.Stop()
	c := apitest.Client{T: t, Base: s.http.URL, Doc: api.OpenAPI()}
	resp := c.Do("POST", path+"/reports", la, map[string]any{"text": "无人处理时提交"}, "Idempotency-Key", "retry-1")
	if resp.Status != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(resp.Body), "Idempotency-Key") {
		t.Fatalf("an action no worker runs: %d Retry-After=%q %s, want 503 with Retry-After naming the Idempotency-Key",
			resp.Status, resp.Header.Get("Retry-After"), resp.Body)
	}

	s.startWorker()
	var first, again struct{ ID uint64 }
	// The task the first request scheduled may sit on the stopped worker's own (sticky)
	// queue until the sticky timeout moves it to the shared one: a clean stop hands that
	// queue back to the server, but under CI's load the item's next task still waited there
	// past a minute, twice. So the retry may take up to the sticky timeout.
	eventually(t, config.Default().Worker.StickyTimeout+time.Minute, "the retried report to be accepted", func() bool {
		return s.call(la, "POST", path+"/reports", map[string]any{"text": "无人处理时提交"}, &first, "Idempotency-Key", "retry-1") == 201
	})
	if code := s.call(la, "POST", path+"/reports", map[string]any{"text": "无人处理时提交"}, &again, "Idempotency-Key", "retry-1"); code != 201 {
		t.Fatalf("the same request once more: %d", code)
	}
	if first.ID == 0 || again.ID != first.ID {
		t.Errorf("the same request after the worker came back: ids %d and %d, want one report", first.ID, again.ID)
	}
	n := s.eventCount(sup, path, "report_submitted")
	if n != 1 {
		t.Errorf("report_submitted recorded %d times, want 1", n)
	}
}

// signedItem starts the system with supervisor sup and liaisons la and lb, imports planText
// and has la sign its first item; it returns both tokens and the item's API path.
func signedItem(t *testing.T) (s *system, sup, la, path string) {
	s = start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "la": "liaison", "lb": "liaison"})
	sup, la = s.login("sup", "password-1"), s.login("la", "password-1")
	var out struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText}, &out)
	path = "/api/v1/items/" + itoa(out.Items[0].ID)
	s.must(200, la, "POST", path+"/sign", nil, nil)
	return s, sup, la, path
}

// eventCount is how many events of type typ the item at path has on its timeline.
func (s *system) eventCount(token, path, typ string) int {
	var evs []eventRow
	s.must(200, token, "GET", path+"/events", nil, &evs)
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}
