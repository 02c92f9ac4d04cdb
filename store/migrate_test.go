package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestMigrationDeclaresLegacyLadders writes rows as the release before migration 7 did (no
// late column, escalations without consequences, ladders whose levels meant something),
// runs the migration again, and checks every fact is now in its column and every stored
// ladder declares what its levels meant.
func TestMigrationDeclaresLegacyLadders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		db := store.RawDB(s).WithContext(ctx)
		d, _ := s.CreateDepartment(ctx, "市甲局", nil, "")
		legacy := `{"sign_within":"2wd","ladder":[{"level":1,"name":"催办","after":"0wd","notify":["liaison"]},` +
			`{"level":2,"name":"督办通知","after":"3wd","notify":["supervisor"]},{"level":3,"name":"通报","after":"7wd","notify":["leadership"]},` +
			`{"level":4,"name":"追究责任","after":"15wd","notify":["leadership"]}]}`
		declared := `{"ladder":[{"level":1,"name":"催办","after":"0wd","notify":["liaison"],"leadership":false,"circular":false,"accountability":false}]}`
		item := storetest.Item("1", "任务", []uint64{d.ID})
		item.PolicyOverride = declared
		plan, _, err := s.CreatePlan(ctx, &store.Plan{SourceHash: "legacy", Title: "方案", PolicyJSON: legacy}, []domain.Item{item})
		if err != nil {
			t.Fatal(err)
		}
		items, _ := s.PlanItems(ctx, plan.ID)
		id := items[0].ID
		at := time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)
		for i, e := range []store.Event{
			{ItemID: id, PlanID: plan.ID, Type: "signed", Payload: `{"late":true}`, At: at},
			{ItemID: id, PlanID: plan.ID, Type: "report_submitted", Payload: `{"submission_id":1,"cycle":1,"late":false,"level_at_submit":0}`, At: at},
			{ItemID: id, PlanID: plan.ID, Type: "approved", Payload: `{"submission_id":1}`, At: at},
		} {
			e.DedupeKey = "legacy-e" + string(rune('0'+i))
			if err := s.AppendEvent(ctx, &e); err != nil {
				t.Fatal(err)
			}
		}
		for l := 1; l <= 4; l++ {
			if err := db.Create(&store.Escalation{ItemID: id, DepartmentID: d.ID, Level: l, Name: "x", At: at, DedupeKey: "legacy-l" + string(rune('0'+l))}).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Model(&store.Item{}).Where("id = ?", id).Updates(map[string]any{"status": "active", "started_at": nil}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Where("version = ?", 7).Delete(&store.SchemaVersion{}).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}

		var evs []store.Event
		db.Where("item_id = ?", id).Order("id").Find(&evs)
		if evs[0].Late == nil || !*evs[0].Late || evs[1].Late == nil || *evs[1].Late || evs[2].Late != nil {
			t.Errorf("late column: %v %v %v", evs[0].Late, evs[1].Late, evs[2].Late)
		}
		var es []store.Escalation
		db.Where("item_id = ?", id).Order("level").Find(&es)
		want := domain.LegacyConsequences([]domain.Rung{{Level: 1}, {Level: 2}, {Level: 3}, {Level: 4}})
		for i, e := range es {
			if e.Leadership != want[i].Leadership || e.Circular != want[i].Circular || e.Accountability != want[i].Accountability {
				t.Errorf("escalation L%d: %+v", e.Level, e)
			}
		}
		p, _ := s.GetPlan(ctx, plan.ID)
		pol, err := domain.ParsePolicy(domain.DefaultPolicy(), []byte(p.PolicyJSON))
		if err != nil {
			t.Fatal(err)
		}
		if !pol.Ladder[2].Leadership || !pol.Ladder[2].Circular || pol.Ladder[2].Accountability || !pol.Ladder[3].Accountability || pol.Ladder[1].Leadership {
			t.Errorf("plan ladder after migration: %+v", pol.Ladder)
		}
		var raw map[string]json.RawMessage
		_ = json.Unmarshal([]byte(p.PolicyJSON), &raw)
		if string(raw["sign_within"]) != `"2wd"` || raw["cadence"] != nil {
			t.Errorf("the rewrite touched more than the ladder: %s", p.PolicyJSON)
		}
		it, _ := s.GetItem(ctx, id)
		if it.PolicyOverride != declared {
			t.Errorf("a declared ladder was rewritten: %s", it.PolicyOverride)
		}
		if it.StartedAt.IsZero() {
			t.Error("started_at not filled for a started item")
		}
	})
}
