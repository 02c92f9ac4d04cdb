package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestL4OpensOneAccountabilityRecord: the write that records an L4 escalation opens a
// record for the leadership group, once even when the write is retried; deciding it twice
// is refused.
func TestAccountabilityRungOpensOneRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, _ := s.CreateDepartment(ctx, "市甲局", nil, "")
		plan, _, err := s.CreatePlan(ctx, &store.Plan{SourceHash: "acc", Title: "方案"}, []domain.Item{storetest.Item("1", "任务", []uint64{d.ID})})
		if err != nil {
			t.Fatal(err)
		}
		items, _ := s.PlanItems(ctx, plan.ID)
		at := time.Date(2025, 3, 20, 1, 0, 0, 0, time.UTC)
		// The rung that declares accountability opens the record, whatever its level: here a
		// level-4 rung that does not (a longer ladder's 通报) and a level-5 one that does.
		w := store.TransitionWrite{ItemID: items[0].ID, Escalations: []store.Escalation{
			{ItemID: items[0].ID, DepartmentID: d.ID, Level: 3, Name: "督办通知", Reason: "逾期", At: at, DedupeKey: "k3"},
			{ItemID: items[0].ID, DepartmentID: d.ID, Level: 4, Name: "通报", Reason: "逾期", At: at, DedupeKey: "k4", Leadership: true, Circular: true},
			{ItemID: items[0].ID, DepartmentID: d.ID, Level: 5, Name: "追究责任", Reason: "签收逾期未完成", At: at, DedupeKey: "k5", Accountability: true},
		}}
		for range 2 { // a retried Apply
			if err := s.WriteTransition(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		recs, err := s.ListAccountability(ctx, store.AccountabilityFilter{PlanID: plan.ID, Undecided: true})
		if err != nil || len(recs) != 1 || recs[0].DepartmentID != d.ID || recs[0].Reason != "签收逾期未完成" || !recs[0].OpenedAt.Equal(at) {
			t.Fatalf("records after a retried write of the accountability rung: %+v %v", recs, err)
		}
		if _, err := s.DecideAccountability(ctx, recs[0].ID, "interview", "已约谈主要负责人", 5, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideAccountability(ctx, recs[0].ID, "referral", "改为移送", 5, at); domain.KindOf(err) != domain.KindConflict {
			t.Errorf("second decision: %v, want conflict", err)
		}
		if left, _ := s.ListAccountability(ctx, store.AccountabilityFilter{Undecided: true}); len(left) != 0 {
			t.Errorf("still undecided: %+v", left)
		}
	})
}

// TestPublishingNumbersAndFreezes: concurrent publications of different drafts get
// consecutive numbers of the year; a published circular refuses edits and publishing it
// again changes nothing.
func TestPublishingNumbersAndFreezes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var ids []uint64
		for range 3 {
			c := &store.Circular{Title: "关于2025年度重点任务落实情况的通报", ContentJSON: `{"intro":"现将有关情况通报如下"}`}
			if err := s.CreateCircular(ctx, c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		at := time.Date(2026, 1, 15, 2, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		numbers := make([]string, len(ids))
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := s.PublishCircular(ctx, id, 1, 3, at, "督办通报")
				errs[i] = err
				if err == nil {
					numbers[i] = c.Number
				}
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i, n := range numbers {
			if errs[i] != nil {
				t.Fatalf("publish %d: %v", ids[i], errs[i])
			}
			seen[n] = true
		}
		for _, want := range []string{"督办通报〔2026〕1号", "督办通报〔2026〕2号", "督办通报〔2026〕3号"} {
			if !seen[want] {
				t.Errorf("numbers %v lack %s", numbers, want)
			}
		}
		again, err := s.PublishCircular(ctx, ids[0], 1, 3, at.Add(time.Hour), "督办通报")
		if err != nil || again.Number != numbers[0] || !again.PublishedAt.Equal(at) {
			t.Errorf("publishing again: %+v %v", again, err)
		}
		if _, err := s.UpdateCircularDraft(ctx, ids[0], again.Version, "改标题", "{}"); domain.KindOf(err) != domain.KindConflict {
			t.Errorf("editing a published circular: %v, want conflict", err)
		}
		c := &store.Circular{Title: "草稿", ContentJSON: "{}"}
		_ = s.CreateCircular(ctx, c)
		if _, err := s.UpdateCircularDraft(ctx, c.ID, 7, "x", "{}"); domain.KindOf(err) != domain.KindPrecondition {
			t.Errorf("stale version: %v, want precondition", err)
		}
		if _, err := s.PublishCircular(ctx, c.ID, 7, 3, at, "督办通报"); domain.KindOf(err) != domain.KindPrecondition {
			t.Errorf("publishing a stale version: %v, want precondition", err)
		}
	})
}
