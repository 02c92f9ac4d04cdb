package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestIndicatorReadingsAndSeries: a reading written by a retried transition is stored
// once; reports with values come back per item, contributions and empty ones do not.
func TestIndicatorReadingsAndSeries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		plan, _, err := s.CreatePlan(ctx, &store.Plan{Title: "郑州市知识产权强市建设方案", SourceHash: "ind"},
			[]domain.Item{storetest.Item("", "高价值发明专利拥有量达到14653件", nil)})
		if err != nil {
			t.Fatal(err)
		}
		items, _ := s.PlanItems(ctx, plan.ID)
		id := items[0].ID
		at := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
		w := store.TransitionWrite{ItemID: id, Readings: []store.IndicatorReading{
			{ItemID: id, Name: "高价值发明专利拥有量", Value: 12030.5, At: at, Note: "市统计局一季度数据", EnteredBy: 3}}}
		for range 2 {
			if err := s.WriteTransition(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := s.IndicatorReadings(ctx, id)
		if err != nil || len(rs[id]) != 1 || rs[id][0].Value != 12030.5 || !rs[id][0].At.Equal(at) {
			t.Fatalf("a retried write must store one reading: %+v %v", rs[id], err)
		}
		for i, sub := range []store.Submission{
			{Kind: "report", IndicatorsJSON: `{"高价值发明专利":11000}`},
			{Kind: "contribution", IndicatorsJSON: `{"高价值发明专利":5}`},
			{Kind: "report", IndicatorsJSON: "null"},
			{Kind: "completion", IndicatorsJSON: `{"高价值发明专利拥有量":14700}`},
		} {
			sub.ItemID, sub.State, sub.RequestKey = id, "submitted", "k"+string(rune('a'+i))
			if _, err := s.SaveSubmission(ctx, &sub); err != nil {
				t.Fatal(err)
			}
		}
		subs, err := s.IndicatorSubmissions(ctx, id)
		if err != nil || len(subs[id]) != 2 || subs[id][0].Kind != "report" || subs[id][1].Kind != "completion" || subs[id][0].CreatedAt.IsZero() {
			t.Fatalf("reports with values: %+v %v", subs[id], err)
		}
	})
}
