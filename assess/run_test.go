package assess_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestRunFoldsCasesWithTheirWeight assesses a plan on a real store: with case_weight 0 a
// department's 督办件 stay out of its plan's assessment; with 3, its late-signed leader's
// instruction sits beside its on-time plan task at three times the weight; the yearly plan
// of 督办件 assessed on its own folds nothing in.
func TestRunFoldsCasesWithTheirWeight(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.CreateDepartment(ctx, "市住建局", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "plan", Title: "方案", PeriodStart: "2025-01-01", PeriodEnd: "2025-12-31", PolicyJSON: "{}"},
		[]domain.Item{storetest.Item("1", "任务", []uint64{d.ID})})
	if err != nil {
		t.Fatal(err)
	}
	rules := domain.DefaultCaseRules()
	cs, err := st.CreateCases(ctx, store.CaseBatch{Year: 2025, Number: func(seq int) string { return rules.Number(2025, seq) },
		Plan: func(k domain.SourceType) store.Plan {
			return store.Plan{SourceHash: "case:2025:" + string(k), Title: domain.CasePlanTitle(2025, k), PeriodStart: "2025-01-01", PeriodEnd: "2025-12-31", PolicyJSON: "{}"}
		},
		Cases: []store.NewCase{{Item: storetest.Item("", "领导批示件", []uint64{d.ID}), Case: store.SupervisionCase{SourceType: string(domain.SourceInstruction)}}}})
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.PlanItems(ctx, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	caseItem, err := st.GetItem(ctx, cs[0].ItemID)
	if err != nil {
		t.Fatal(err)
	}
	signed := func(it uint64, planID uint64, late bool, at time.Time) {
		p, err := domain.EncodeEvent(domain.Signed{Late: late})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AppendEvent(ctx, &store.Event{ItemID: it, PlanID: planID, Type: string(domain.EventSigned), DepartmentID: d.ID, Payload: string(p), Late: &late, At: at, DedupeKey: fmt.Sprintf("signed-%d", it)}); err != nil {
			t.Fatal(err)
		}
		if late {
			p, _ := domain.EncodeEvent(domain.Overdue{Deadline: domain.Deadline{Key: "sign", Due: at.AddDate(0, 0, -1)}})
			if err := st.AppendEvent(ctx, &store.Event{ItemID: it, PlanID: planID, Type: string(domain.EventOverdue), DepartmentID: d.ID, Payload: string(p), At: at.AddDate(0, 0, -1), DedupeKey: fmt.Sprintf("overdue-%d", it)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	signed(items[0].ID, plan.ID, false, time.Date(2025, 3, 3, 10, 0, 0, 0, calendar.Shanghai))
	signed(caseItem.ID, caseItem.PlanID, true, time.Date(2025, 4, 8, 10, 0, 0, 0, calendar.Shanghai))

	year := assess.Period{Kind: "year", Label: "2025年", Start: time.Date(2025, 1, 1, 0, 0, 0, 0, calendar.Shanghai), End: time.Date(2026, 1, 1, 0, 0, 0, 0, calendar.Shanghai)}
	run := func(planID uint64, weight float64) domain.DepartmentResult {
		fm := domain.DefaultFormula()
		fm.CaseWeight = weight
		svc := &assess.Service{Store: st, Calendar: cal, Formula: &fm}
		_, res, _, err := svc.Run(ctx, assess.RunInput{PlanID: planID, Period: year, Trigger: "manual", DedupeKey: fmt.Sprintf("%d-%v", planID, weight)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Departments) != 1 {
			t.Fatalf("plan %d weight %v: %d departments", planID, weight, len(res.Departments))
		}
		if res.Formula.CaseWeight != weight {
			t.Errorf("the run keeps case_weight %v, want %v", res.Formula.CaseWeight, weight)
		}
		return res.Departments[0]
	}
	for _, c := range []struct {
		plan           uint64
		weight         float64
		onTime, missed int
		rate           float64
	}{
		{plan.ID, 0, 1, 0, 1},
		{plan.ID, 3, 1, 1, 0.25},
		{caseItem.PlanID, 3, 0, 1, 0},
	} {
		r := run(c.plan, c.weight)
		if r.Lead.SignsOnTime != c.onTime || r.Lead.SignsMissed != c.missed || r.SignRate == nil || *r.SignRate != c.rate {
			t.Errorf("plan %d, case_weight %v: signed on time %d, missed %d, rate %v; want %d, %d, %v",
				c.plan, c.weight, r.Lead.SignsOnTime, r.Lead.SignsMissed, r.SignRate, c.onTime, c.missed, c.rate)
		}
	}
}
