package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestConcurrentCasesGetConsecutiveNumbers creates 督办件 from many requests at once: each
// gets its own number, and the numbers run 1, 2, 3 … without a gap, on every dialect.
func TestConcurrentCasesGetConsecutiveNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, err := s.CreateDepartment(ctx, "市住建局", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		rules := domain.DefaultCaseRules()
		batch := func(kind domain.SourceType, title string) store.CaseBatch {
			return store.CaseBatch{Office: "", Year: 2026, Number: func(seq int) string { return rules.Number(2026, seq) },
				Plan: func(k domain.SourceType) store.Plan {
					return store.Plan{SourceHash: fmt.Sprintf("case:2026:%s", k), Title: domain.CasePlanTitle(2026, k)}
				},
				Cases: []store.NewCase{{Item: storetest.Item("", title, []uint64{d.ID}), Case: store.SupervisionCase{SourceType: string(kind)}}}}
		}
		const n = 12
		var wg sync.WaitGroup
		numbers := make(chan string, n)
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				kind := domain.SourceTypes[i%len(domain.SourceTypes)]
				cs, err := s.CreateCases(ctx, batch(kind, fmt.Sprintf("督办件%d", i)))
				if err != nil {
					errs <- err
					return
				}
				numbers <- cs[0].Number
			}()
		}
		wg.Wait()
		close(errs)
		close(numbers)
		for err := range errs {
			t.Fatal(err)
		}
		var got []string
		for n := range numbers {
			got = append(got, n)
		}
		sort.Strings(got)
		want := make([]string, n)
		for i := range want {
			want[i] = rules.Number(2026, i+1)
		}
		sort.Strings(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("numbers = %v, want %v", got, want)
		}
		plans, err := s.ListPlans(ctx)
		if err != nil || len(plans) != len(domain.SourceTypes) {
			t.Fatalf("container plans = %d (%v), want one per source type", len(plans), err)
		}
		// A meeting's decisions take the next numbers, in order, under one meeting.
		m := &store.Meeting{Title: "市政府常务会议", Date: "2026-03-02"}
		b := batch(domain.SourceMeeting, "决定一")
		b.Meeting = m
		b.Cases = append(b.Cases, batch(domain.SourceMeeting, "决定二").Cases...)
		cs, err := s.CreateCases(ctx, b)
		if err != nil || len(cs) != 2 || cs[0].Number != rules.Number(2026, n+1) || cs[1].Number != rules.Number(2026, n+2) || cs[1].MeetingID != m.ID {
			t.Fatalf("meeting cases = %+v, %v", cs, err)
		}
		it, err := s.GetItem(ctx, cs[1].ItemID)
		if err != nil || it.Ref != cs[1].Number || it.Lead() == nil {
			t.Fatalf("item = %+v, %v", it, err)
		}
	})
}

// TestCasePlansOfAPeriod finds the yearly plans of 督办件 an assessment folds in: those of
// the period's year, never an ordinary plan, on every dialect.
func TestCasePlansOfAPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, err := s.CreateDepartment(ctx, "市住建局", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CreatePlan(ctx, &store.Plan{SourceHash: "plan", Title: "方案", PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31"},
			[]domain.Item{storetest.Item("1", "任务", []uint64{d.ID})}); err != nil {
			t.Fatal(err)
		}
		rules := domain.DefaultCaseRules()
		byYear := map[int]uint64{}
		for _, year := range []int{2025, 2026} {
			cs, err := s.CreateCases(ctx, store.CaseBatch{Year: year, Number: func(seq int) string { return rules.Number(year, seq) },
				Plan: func(k domain.SourceType) store.Plan {
					return store.Plan{SourceHash: fmt.Sprintf("case:%d:%s", year, k), Title: domain.CasePlanTitle(year, k),
						PeriodStart: fmt.Sprintf("%d-01-01", year), PeriodEnd: fmt.Sprintf("%d-12-31", year)}
				},
				Cases: []store.NewCase{{Item: storetest.Item("", "督办件", []uint64{d.ID}), Case: store.SupervisionCase{SourceType: string(domain.SourceInstruction)}}}})
			if err != nil {
				t.Fatal(err)
			}
			it, err := s.GetItem(ctx, cs[0].ItemID)
			if err != nil {
				t.Fatal(err)
			}
			byYear[year] = it.PlanID
		}
		sh := calendar.Shanghai
		for _, c := range []struct {
			start, end time.Time
			want       []uint64
		}{
			{time.Date(2026, 1, 1, 0, 0, 0, 0, sh), time.Date(2027, 1, 1, 0, 0, 0, 0, sh), []uint64{byYear[2026]}},
			{time.Date(2025, 7, 1, 0, 0, 0, 0, sh), time.Date(2026, 7, 1, 0, 0, 0, 0, sh), []uint64{byYear[2025], byYear[2026]}},
			{time.Date(2024, 1, 1, 0, 0, 0, 0, sh), time.Date(2025, 1, 1, 0, 0, 0, 0, sh), nil},
		} {
			got, err := s.CasePlans(ctx, c.start, c.end)
			if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("CasePlans(%s, %s) = %v, %v; want %v", c.start.Format(time.DateOnly), c.end.Format(time.DateOnly), got, err, c.want)
			}
		}
	})
}
