package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestRankingCountsOverdueWorkAsLate: 市甲局 signed on time and has a report overdue now
// (1 of 2 on time), 市乙局 signed late (0 of 1), 市丙局 has nothing due yet (no rate, "—",
// ranked last rather than first or with 0%).
func TestRankingCountsOverdueWorkAsLate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateDepartment(ctx, "市甲局", nil, "")
		b, _ := s.CreateDepartment(ctx, "市乙局", nil, "")
		c, _ := s.CreateDepartment(ctx, "市丙局", nil, "")
		plan, _, err := s.CreatePlan(ctx, &store.Plan{SourceHash: "rank", Title: "方案"},
			[]domain.Item{storetest.Item("1", "任务", []uint64{a.ID}, b.ID, c.ID)})
		if err != nil {
			t.Fatal(err)
		}
		items, _ := s.PlanItems(ctx, plan.ID)
		id, at := items[0].ID, time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)
		onTime, late := false, true
		w := store.TransitionWrite{ItemID: id,
			Events: []store.Event{
				{ItemID: id, PlanID: plan.ID, Type: "signed", DepartmentID: a.ID, Late: &onTime, At: at, DedupeKey: "r1"},
				{ItemID: id, PlanID: plan.ID, Type: "signed", DepartmentID: b.ID, Late: &late, At: at, DedupeKey: "r2"},
			},
			Progress: &domain.Progress{Status: domain.StatusActive, Light: domain.Red, Assignments: []domain.Assignment{
				{DepartmentID: a.ID, Role: domain.Lead, Status: domain.AssignmentSigned, Overdue: true},
				{DepartmentID: b.ID, Role: domain.Partner, Status: domain.AssignmentSigned},
				{DepartmentID: c.ID, Role: domain.Partner, Status: domain.AssignmentAssigned},
			}}}
		if err := s.WriteTransition(ctx, w); err != nil {
			t.Fatal(err)
		}
		r, err := s.DepartmentRanking(ctx)
		if err != nil || len(r) != 3 {
			t.Fatalf("ranking %+v %v", r, err)
		}
		want := []struct {
			name string
			rate float64 // -1: none
		}{{"市甲局", 0.5}, {"市乙局", 0}, {"市丙局", -1}}
		for i, w := range want {
			got := r[i]
			if got.Department != w.name || (w.rate < 0) != (got.OnTimeRate == nil) || (got.OnTimeRate != nil && *got.OnTimeRate != w.rate) {
				t.Errorf("rank %d: %s %v, want %s %v", i+1, got.Department, got.OnTimeRate, w.name, w.rate)
			}
		}
	})
}
