package workflows

import (
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
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
		h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
		h.at(20*time.Minute, UpdateSign, sign(partnerDept), "")
		h.at(2*time.Hour, UpdateSubmit, report(partnerDept, domain.KindContribution), "")
		h.at(3*time.Hour, UpdateSubmit, report(leadDept, domain.KindReport), "")
		h.at(4*time.Hour, UpdateReview, approve(2), "")
		h.at(5*time.Hour, UpdateSubmit, report(leadDept, domain.KindCompletion), "")
		h.at(6*time.Hour, UpdateReview, approve(3), "")
		h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
		if err := h.env.GetWorkflowError(); err != nil || !h.env.IsWorkflowCompleted() {
			b.Fatalf("workflow did not complete: %v", err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*steps), "ns/step")
}
