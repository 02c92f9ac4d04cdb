package workflows

import (
	"testing"
	"time"
)

// BenchmarkItemLifecycle runs a whole item — assignment, two signatures, a contribution, a
// report, its approval, a completion request and close-out — in the test environment, and
// reports the cost per workflow step (each Update or timer is one workflow task) with
// allocations.
func BenchmarkItemLifecycle(b *testing.B) {
	b.ReportAllocs()
	const steps = 7
	start := time.Now()
	for b.Loop() {
		t := &testing.T{}
		h := newHarness(t, sh(2025, 3, 3, 9, 0))
		h.fullLifecycle()
		h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
		if err := h.env.GetWorkflowError(); err != nil || !h.env.IsWorkflowCompleted() {
			b.Fatalf("workflow did not complete: %v", err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*steps), "ns/step")
}
