package api

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// seedYear writes a plan whose 2025 record is known: 市甲局 leads item 1 and signs and
// reports on time; 市乙局 leads item 2, never signs, and climbs to L4.
func seedYear(t *testing.T, st *store.Store, a, b uint64) (planID, item2 uint64) {
	ctx := context.Background()
	plan, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "year2025", Title: "知识产权强市建设工作方案", PolicyJSON: "{}"}, []domain.Item{
		storetest.Item("1", "新增PCT国际申请", []uint64{a}),
		storetest.Item("2", "知识产权质押融资", []uint64{b}),
	})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := st.PlanItems(ctx, plan.ID)
	at := func(m time.Month, d int) time.Time {
		return time.Date(2025, m, d, 10, 0, 0, 0, calendar.Shanghai).UTC()
	}
	ev := func(item, dept uint64, typ, payload string, when time.Time) store.Event {
		e := store.Event{ItemID: item, PlanID: plan.ID, DepartmentID: dept, Type: typ, Payload: payload, At: when,
			DedupeKey: fmt.Sprintf("%d:%d:%s:%d", item, dept, typ, when.Unix())}
		if p, err := domain.DecodeEvent(domain.EventType(typ), []byte(payload)); err == nil {
			if l, ok := p.(domain.Lateness); ok { // as Apply writes it
				late := l.IsLate()
				e.Late = &late
			}
		}
		return e
	}
	i1, i2 := items[0].ID, items[1].ID
	writes := []store.TransitionWrite{
		{ItemID: i1, Events: []store.Event{ev(i1, a, "signed", `{"late":false}`, at(1, 6)), ev(i1, a, "report_submitted", `{"late":false}`, at(2, 3))}},
		{ItemID: i2, Events: []store.Event{ev(i2, b, "overdue", `{"deadline":"sign","due":"2025-01-08T09:59:59Z"}`, at(1, 8))}},
	}
	ladder := domain.DefaultPolicy().Ladder
	for l, d := range map[int]int{1: 8, 2: 13, 3: 17, 4: 29} {
		r := ladder[l-1]
		writes = append(writes, store.TransitionWrite{ItemID: i2, Escalations: []store.Escalation{{ItemID: i2, DepartmentID: b, Level: l,
			Name: r.Name, Reason: "签收逾期未完成", At: at(1, d), DedupeKey: fmt.Sprintf("e%d", l),
			Leadership: r.Leadership, Circular: r.Circular, Accountability: r.Accountability}}})
	}
	for _, w := range writes {
		if err := st.WriteTransition(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	return plan.ID, i2
}

func TestAssessmentCircularAndAccountability(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		planID, item2 := seedYear(t, st, f.deptA, f.deptB)
		sup, la, boss, view := f.login("sup"), f.login("la"), f.login("boss"), f.login("view")

		if r := f.do("POST", fmt.Sprintf("/api/v1/plans/%d/assessments", planID), la, map[string]any{"period": "year", "year": 2025}); r.status != 403 {
			t.Errorf("liaison running an assessment: %d", r.status)
		}
		if r := f.do("POST", fmt.Sprintf("/api/v1/plans/%d/assessments", planID), sup, map[string]any{"period": "half", "year": 2025, "half": 3}); r.status != 422 || r.body["field"] != "half" {
			t.Errorf("bad half: %d %v", r.status, r.body)
		}
		run := f.do("POST", fmt.Sprintf("/api/v1/plans/%d/assessments", planID), sup, map[string]any{"period": "year", "year": 2025})
		if run.status != 201 || run.body["label"] != "2025年度" {
			t.Fatalf("run: %d %v", run.status, run.body)
		}
		aid := uint64(run.body["id"].(float64))
		deps := run.body["departments"].([]any)
		first, last := deps[0].(map[string]any), deps[1].(map[string]any)
		if first["department"] != "市甲局" || first["commended"] != true || last["department"] != "市乙局" || last["criticised"] != true || last["max_level"] != float64(4) {
			t.Errorf("ranking: %v / %v", first, last)
		}
		// A liaison reads the ranking, and the evidence of their own department only.
		var own map[string]any
		for _, d := range f.do("GET", fmt.Sprintf("/api/v1/assessments/%d", aid), la, nil).body["departments"].([]any) {
			d := d.(map[string]any)
			if (d["evidence"] != nil) != (d["department_id"] == float64(f.deptA)) {
				t.Errorf("liaison sees evidence of %v: %v", d["department"], d["evidence"])
			}
			if d["department_id"] == float64(f.deptA) {
				own = d
			}
		}
		if own == nil {
			t.Fatal("liaison's own department missing")
		}
		if r := f.do("GET", fmt.Sprintf("/api/v1/assessments/%d/evidence?department_id=%d", aid, f.deptB), la, nil); r.status != 403 {
			t.Errorf("liaison reading another department's evidence: %d", r.status)
		}
		ev := f.do("GET", fmt.Sprintf("/api/v1/assessments/%d/evidence?department_id=%d&metric=lead.escalations_l4", aid, f.deptB), sup, nil)
		rows, _ := ev.body["evidence"].(map[string]any)["lead.escalations_l4"].([]any)
		if ev.status != 200 || len(rows) != 1 || rows[0].(map[string]any)["item_id"] != float64(item2) || rows[0].(map[string]any)["what"] != "追究责任" {
			t.Errorf("L4 evidence: %d %v", ev.status, ev.body)
		}
		x := f.doRaw("GET", fmt.Sprintf("/api/v1/assessments/%d/export.xlsx", aid), sup)
		xf, err := excelize.OpenReader(bytes.NewReader(x))
		if err != nil {
			t.Fatalf("xlsx: %v", err)
		}
		if v, _ := xf.GetCellValue("考核结果", "B3"); !strings.Contains(v+mustCell(xf, "B2"), "市甲局") {
			t.Errorf("xlsx lacks the first unit: %q", v)
		}
		rows2, _ := xf.GetRows("考核结果")
		header := strings.Join(slices.Concat(rows2[:min(2, len(rows2))]...), " ")
		if !strings.Contains(header, "催办 督办通知 通报 追究责任") || strings.Contains(header, "L1") {
			t.Errorf("the xlsx's level columns are not the ladder's rung names: %q", header)
		}
		if levels := fmt.Sprint(run.body["levels"]); levels != "[催办 督办通知 通报 追究责任]" {
			t.Errorf("the run's levels: %s", levels)
		}

		// The L4 escalation opened an accountability record for the leadership group.
		recs := f.do("GET", "/api/v1/accountability?undecided=true", boss, nil)
		if recs.status != 200 || len(recs.list) != 1 {
			t.Fatalf("records: %d %v", recs.status, recs.list)
		}
		rid := uint64(recs.list[0].(map[string]any)["id"].(float64))
		if r := f.do("GET", "/api/v1/accountability", la, nil); r.status != 200 || len(r.list) != 0 {
			t.Errorf("liaison of 市甲局 sees 市乙局's record: %v", r.list)
		}
		if r := f.do("POST", fmt.Sprintf("/api/v1/accountability/%d/decision", rid), sup, map[string]any{"decision": "interview", "outcome": "约谈"}); r.status != 403 {
			t.Errorf("supervisor deciding: %d", r.status)
		}
		if r := f.do("POST", fmt.Sprintf("/api/v1/accountability/%d/decision", rid), boss, map[string]any{"decision": "fire", "outcome": "x"}); r.status != 422 || r.body["field"] != "decision" {
			t.Errorf("bad decision: %d %v", r.status, r.body)
		}
		for _, day := range []string{"2999-01-01", "2000-01-01", "2025-2-10"} { // future, before the record, malformed
			if r := f.do("POST", fmt.Sprintf("/api/v1/accountability/%d/decision", rid), boss, map[string]any{"decision": "interview", "outcome": "约谈", "decided_on": day}); r.status != 422 || r.body["field"] != "decided_on" {
				t.Errorf("decided_on %s: %d %v", day, r.status, r.body)
			}
		}
		dec := f.do("POST", fmt.Sprintf("/api/v1/accountability/%d/decision", rid), boss, map[string]any{"decision": "interview", "outcome": "已约谈市乙局主要负责人", "decided_on": "2025-02-10"})
		if dec.status != 200 || dec.body["decision"] != "interview" || dec.body["department"] != "市乙局" {
			t.Errorf("decision: %d %v", dec.status, dec.body)
		}
		if r := f.do("POST", fmt.Sprintf("/api/v1/accountability/%d/decision", rid), boss, map[string]any{"decision": "referral", "outcome": "x"}); r.status != 409 {
			t.Errorf("second decision: %d", r.status)
		}

		// The circular draft puts the units in the right lists; edits need the ETag.
		draft := f.do("POST", fmt.Sprintf("/api/v1/assessments/%d/circulars", aid), sup, nil)
		if draft.status != 201 {
			t.Fatalf("draft: %d %v", draft.status, draft.body)
		}
		cid := uint64(draft.body["id"].(float64))
		content := draft.body["content"].(map[string]any)
		if fmt.Sprint(names(content["commended"])) != "[市甲局]" || fmt.Sprint(names(content["criticised"])) != "[市乙局]" || len(content["escalated"].([]any)) != 2 {
			t.Errorf("draft lists: commended %v criticised %v escalated %v", names(content["commended"]), names(content["criticised"]), content["escalated"])
		}
		if r := f.do("GET", fmt.Sprintf("/api/v1/circulars/%d", cid), view, nil); r.status != 404 {
			t.Errorf("a viewer sees a draft: %d", r.status)
		}
		edit := map[string]any{"title": "关于2025年度重点任务落实情况的通报", "content": content}
		if r := f.do("PUT", fmt.Sprintf("/api/v1/circulars/%d", cid), sup, edit); r.status != 412 {
			t.Errorf("edit without If-Match: %d", r.status)
		}
		content["intro"] = "经市政府同意,现将2025年度考核情况通报如下:"
		ok := f.do("PUT", fmt.Sprintf("/api/v1/circulars/%d", cid), sup, edit, "If-Match", draft.header.Get("ETag"))
		if ok.status != 200 || ok.body["content"].(map[string]any)["intro"] != content["intro"] {
			t.Errorf("edit: %d %v", ok.status, ok.body)
		}
		if r := f.do("PUT", fmt.Sprintf("/api/v1/circulars/%d", cid), sup, edit, "If-Match", draft.header.Get("ETag")); r.status != 412 {
			t.Errorf("edit with a stale ETag: %d", r.status)
		}
		if r := f.do("POST", fmt.Sprintf("/api/v1/circulars/%d/publish", cid), sup, nil); r.status != 503 {
			t.Errorf("publish without Temporal: %d", r.status)
		}
		if doc := f.doRaw("GET", fmt.Sprintf("/api/v1/circulars/%d/export.docx", cid), sup); !bytes.HasPrefix(doc, []byte("PK")) {
			t.Errorf("docx export is not a zip: %.40q", doc)
		}
		// Each change above is in the audit log, by whom and from where.
		got := auditTypes(t, st)
		for _, typ := range []string{"assessment_run", "circular_drafted", "circular_edited", "accountability_decided"} {
			if got[typ] != 1 {
				t.Errorf("%s audited %d times, want 1", typ, got[typ])
			}
		}
	})
}

func names(list any) []string {
	var out []string
	for _, u := range list.([]any) {
		out = append(out, u.(map[string]any)["department"].(string))
	}
	return out
}

func mustCell(f *excelize.File, cell string) string {
	v, _ := f.GetCellValue("考核结果", cell)
	return v
}

// doRaw GETs a file and returns its bytes, failing on any status but 200.
func (f *fixture) doRaw(method, path, token string) []byte {
	f.t.Helper()
	r := f.do(method, path, token, nil)
	if r.status != 200 {
		f.t.Fatalf("%s %s: %d %s", method, path, r.status, r.raw)
	}
	return r.raw
}
