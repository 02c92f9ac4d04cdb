package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/store/storetest"
)

// startRecorder is a Temporal client that records the workflows it is asked to start.
type startRecorder struct {
	client.Client
	mu  sync.Mutex
	ids []string
}

func (r *startRecorder) ExecuteWorkflow(_ context.Context, o client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, o.ID)
	return nil, nil
}

// QueryWorkflow answers that no workflow runs: the item page falls back to the read model.
func (r *startRecorder) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	return nil, errors.New("no workflow in this test")
}

// caseFixture is the API fixture with a Temporal client that starts nothing, on Monday
// 2026-03-02 (China time).
func caseFixture(t *testing.T) (*fixture, *startRecorder) {
	rec := &startRecorder{}
	return temporalFixture(t, rec), rec
}

// temporalFixture is the API fixture with the Temporal client tc, on Monday 2026-03-02
// (China time).
func temporalFixture(t *testing.T, tc client.Client) *fixture {
	st := storetest.SQLite(t)
	deptA, deptB, _ := seedPeople(t, st)
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Shanghai)
	s := New(Deps{Store: st, Calendar: cal, Temporal: tc, TaskQueue: "q", Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f := &fixture{t: t, st: st, srv: httptest.NewServer(s), deptA: deptA, deptB: deptB}
	t.Cleanup(f.srv.Close)
	return f
}

func TestCreateCase(t *testing.T) {
	f, rec := caseFixture(t)
	sup := f.login("sup")
	create := func(body map[string]any) resp {
		t.Helper()
		return f.do("POST", "/api/v1/items", sup, body)
	}
	// By id, with a deadline: numbered 1, started.
	r := create(map[string]any{"source_type": "instruction", "source_text": "请市甲局抓紧研究。——张市长", "title": "研究老旧小区加装电梯",
		"requirement": "拿出方案", "lead": []any{f.deptA}, "partners": []any{"市乙局"}, "deadline": "2026-12-31", "urgency": "urgent"})
	if r.status != 201 || r.body["number"] != "督办〔2026〕1号" {
		t.Fatalf("create by id: %d %v", r.status, r.body)
	}
	id := jsonNum(r.body["id"])
	item := f.do("GET", "/api/v1/items/"+id, sup, nil)
	cs, _ := item.body["case"].(map[string]any)
	if item.body["ref"] != "督办〔2026〕1号" || cs == nil || cs["source_type"] != "instruction" || cs["source_label"] != "领导批示" ||
		cs["urgency"] != "urgent" || item.body["window"].(map[string]any)["end"] != "2026-12-31" || len(item.body["assignments"].([]any)) != 2 {
		t.Fatalf("item page: %v", item.body)
	}
	if len(rec.ids) != 1 || rec.ids[0] != "duban-item-"+id {
		t.Errorf("workflows started: %v", rec.ids)
	}
	// By alias and Chinese labels, co-leads, no deadline: 特急 gives 3 working days
	// (Mon 2 March → Thu 5 March).
	r = create(map[string]any{"source_type": "群众反映", "title": "回应小区噪声投诉", "lead": []any{"甲局", "市乙局"}, "urgency": "特急"})
	if r.status != 201 || r.body["number"] != "督办〔2026〕2号" {
		t.Fatalf("create by alias: %d %v", r.status, r.body)
	}
	item = f.do("GET", "/api/v1/items/"+jsonNum(r.body["id"]), sup, nil)
	leads := 0
	for _, a := range item.body["assignments"].([]any) {
		if a.(map[string]any)["role"] == "lead" {
			leads++
		}
	}
	if leads != 2 || item.body["window"].(map[string]any)["end"] != "2026-03-05" {
		t.Fatalf("co-leads and default deadline: %v", item.body)
	}
	// 一般: 15 working days (to Monday 23 March).
	r = create(map[string]any{"source_type": "other", "title": "一般事项", "lead": []any{"市甲局"}})
	item = f.do("GET", "/api/v1/items/"+jsonNum(r.body["id"]), sup, nil)
	if r.status != 201 || item.body["window"].(map[string]any)["end"] != "2026-03-23" {
		t.Fatalf("normal urgency: %d %v", r.status, item.body["window"])
	}
	// An unknown name is a 422 naming it, and takes no number.
	r = create(map[string]any{"source_type": "instruction", "title": "x", "lead": []any{"市丙局"}})
	if r.status != 422 || !strings.Contains(string(r.raw), "市丙局") {
		t.Fatalf("unknown name: %d %s", r.status, r.raw)
	}
	for _, bad := range []map[string]any{
		{"source_type": "rumour", "title": "x", "lead": []any{"市甲局"}},
		{"source_type": "other", "title": "x", "lead": []any{"市甲局"}, "urgency": "soon"},
		{"source_type": "other", "title": "x", "lead": []any{}},
		{"source_type": "other", "title": "x", "lead": []any{999}},
		{"source_type": "other", "title": "x", "lead": []any{"市甲局"}, "deadline": "31/12/2026"},
		{"source_type": "other", "title": "x", "lead": []any{"市甲局"}, "attachments": []any{77}},
	} {
		if r := create(bad); r.status != 422 {
			t.Errorf("%v: %d %s", bad, r.status, r.raw)
		}
	}
	scan := f.upload(sup, "批示.png", scanPNG)
	r = create(map[string]any{"source_type": "meeting", "title": "下一个", "lead": []any{"市乙局"}, "attachments": []any{scan.body["id"]}})
	if r.status != 201 || r.body["number"] != "督办〔2026〕4号" {
		t.Fatalf("numbering after refusals: %d %v", r.status, r.body)
	}
	// The scan is read by whoever may read the 督办件: its lead's liaison, not another.
	if g := f.do("GET", scan.body["url"].(string), f.login("lb"), nil); g.status != 200 {
		t.Errorf("the lead's liaison reading the scan: %d", g.status)
	}
	if g := f.do("GET", scan.body["url"].(string), f.login("la"), nil); g.status != 403 {
		t.Errorf("another liaison reading the scan: %d", g.status)
	}
	// Liaisons do not create 督办件; the creation is audited.
	if r := f.do("POST", "/api/v1/items", f.login("la"), map[string]any{"source_type": "other", "title": "x", "lead": []any{"市甲局"}}); r.status != 403 {
		t.Errorf("liaison creating: %d", r.status)
	}
	audit := f.do("GET", "/api/v1/audit?type=case_created", f.login("admin"), nil)
	if !strings.Contains(string(audit.raw), "督办〔2026〕4号") {
		t.Errorf("audit: %s", audit.raw)
	}
	// The liaison sees the number in their list; the reply is recorded by a supervisor.
	list := f.do("GET", "/api/v1/items", f.login("lb"), nil)
	if !strings.Contains(string(list.raw), "督办〔2026〕4号") {
		t.Errorf("liaison's list: %s", list.raw)
	}
	r = f.do("PUT", "/api/v1/items/"+id+"/reply", sup, map[string]any{"reply": "已按批示办结,报张市长。"})
	if r.status != 200 || r.body["reply"] != "已按批示办结,报张市长。" {
		t.Errorf("reply: %d %v", r.status, r.body)
	}
}

func TestMeetingDecisions(t *testing.T) {
	f, rec := caseFixture(t)
	sup := f.login("sup")
	minutes := "市政府第12次常务会议纪要\n一、加快老旧小区改造，由市甲局牵头，市乙局配合，2026年3月底前完成。\n二、做好春运保障工作，由市乙局负责，2026年2月28日前完成。\n三、推进政务服务“一网通办”，甲局牵头，市乙局配合，2026年6月底前完成。\n"
	r := f.do("POST", "/api/v1/meetings", sup, map[string]any{"title": "市政府第12次常务会议", "date": "2026-03-02", "minutes": minutes, "dry_run": true})
	if r.status != 200 || len(r.body["items"].([]any)) != 3 || len(rec.ids) != 0 || len(r.body["warnings"].([]any)) != 0 {
		t.Fatalf("preview: %d %v", r.status, r.body)
	}
	// The second decision's deadline has passed: launching refuses it by name.
	r = f.do("POST", "/api/v1/meetings", sup, map[string]any{"title": "市政府第12次常务会议", "date": "2026-03-02", "minutes": minutes})
	if r.status != 422 || !strings.Contains(string(r.raw), "items[1].deadline") {
		t.Fatalf("past deadline: %d %s", r.status, r.raw)
	}
	minutes = strings.Replace(minutes, "2026年2月28日", "2026年4月30日", 1)
	r = f.do("POST", "/api/v1/meetings", sup, map[string]any{"title": "市政府第12次常务会议", "date": "2026-03-02", "minutes": minutes})
	if r.status != 201 || len(r.body["items"].([]any)) != 3 || len(rec.ids) != 3 {
		t.Fatalf("launch: %d %v", r.status, r.body)
	}
	last := r.body["items"].([]any)[2].(map[string]any)
	item := f.do("GET", "/api/v1/items/"+jsonNum(last["id"]), sup, nil)
	cs := item.body["case"].(map[string]any)
	if last["number"] != "督办〔2026〕3号" || cs["meeting"].(map[string]any)["title"] != "市政府第12次常务会议" ||
		item.body["window"].(map[string]any)["end"] != "2026-06-30" {
		t.Fatalf("third decision: %v", item.body)
	}
}
