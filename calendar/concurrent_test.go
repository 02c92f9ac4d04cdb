package calendar

import (
	"sync"
	"testing"
)

// TestConcurrentUse runs readers and every kind of writer at once; run it with -race.
func TestConcurrentUse(t *testing.T) {
	c := builtins(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				from := at("2025-01-20 10:00").AddDate(0, 0, j)
				if _, err := c.EndOfWorkday(from, 3); err != nil {
					t.Error(err)
					return
				}
				if _, err := c.WorkdaysBetween(from, from.AddDate(0, 1, 0)); err != nil {
					t.Error(err)
					return
				}
				if j%50 != 0 {
					continue
				}
				var err error
				switch i {
				case 0:
					err = c.AddOverrides([]Day{{Date: "2026-05-06", Off: true}})
				case 1:
					err = c.ReplaceOverrides([]Day{{Date: "2026-05-07", Off: true}})
				case 2:
					err = c.SetYear(2027, []Day{{Date: "2027-01-01", Off: true}})
				case 3:
					_ = c.Years()
					_ = c.Overrides()
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(i)
	}
	wg.Wait()
}

func BenchmarkEndOfWorkday(b *testing.B) {
	c := builtins(b)
	start := at("2025-01-20 10:00")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.EndOfWorkday(start.AddDate(0, 0, i%300), 5); err != nil {
			b.Fatal(err)
		}
	}
}
