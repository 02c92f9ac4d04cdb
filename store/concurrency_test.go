package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestConcurrentWritersAndReaders is the worker under a burst: many workflow steps write
// their transitions at once (each a transaction that reads before it writes) while the API
// reads. On a SQLite file every write must land, none failing with "database is locked",
// and every read must succeed while the writes go on.
func TestConcurrentWritersAndReaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, err := s.CreateDepartment(ctx, "市发展改革委", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		plan, _, err := s.CreatePlan(ctx, &store.Plan{SourceHash: "conc", Title: "方案"}, []domain.Item{
			storetest.Item("", "任务一", []uint64{d.ID}),
		})
		if err != nil {
			t.Fatal(err)
		}
		items, err := s.PlanItems(ctx, plan.ID)
		if err != nil || len(items) != 1 {
			t.Fatalf("items = %v, %v", items, err)
		}
		item := items[0]
		const writers, steps = 32, 8
		var wg sync.WaitGroup
		errs := make(chan error, writers*steps+writers)
		stop := make(chan struct{})
		for r := 0; r < 4; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := s.ItemEvents(ctx, item.ID); err != nil {
						errs <- fmt.Errorf("read: %w", err)
						return
					}
				}
			}()
		}
		var wwg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wwg.Add(1)
			go func() {
				defer wwg.Done()
				for i := 0; i < steps; i++ {
					now := time.Now().UTC()
					err := s.WriteTransition(ctx, store.TransitionWrite{
						ItemID: item.ID,
						Events: []store.Event{{ItemID: item.ID, PlanID: plan.ID, Type: "reminded", At: now,
							DedupeKey: fmt.Sprintf("conc-%d-%d", w, i)}},
						Progress: &domain.Progress{Status: domain.StatusActive, Light: domain.Green},
					})
					if err != nil {
						errs <- fmt.Errorf("writer %d step %d: %w", w, i, err)
					}
				}
			}()
		}
		wwg.Wait()
		close(stop)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		es, err := s.ItemEvents(ctx, item.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, e := range es {
			if e.Type == "reminded" {
				got++
			}
		}
		if got != writers*steps {
			t.Fatalf("%d reminded events stored, want %d", got, writers*steps)
		}
	})
}
