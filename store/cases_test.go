package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"

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
