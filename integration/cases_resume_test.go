package integration

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/store/storetest"
)

// TestPendingCasesStartLater: a 督办件 stored and numbered while the workflow service did not
// answer stays pending, keeps its number, and is assigned when the worker's sweep finds it;
// a second sweep starts nothing twice.
func TestPendingCasesStartLater(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	ctx := context.Background()
	d, err := s.st.CreateDepartment(ctx, "市住建局", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	down := &launch.Launcher{Store: s.st, TaskQueue: taskQueue, Calendar: s.cal} // no Temporal: nothing starts
	cs, _, err := down.Cases(ctx, []launch.Case{{SourceType: domain.SourceInstruction, Title: "研究老旧小区加装电梯",
		Lead: []launch.DeptRef{{ID: d.ID}}, Urgency: domain.UrgencyUrgent}}, nil, 1, time.Now())
	if err != nil || len(cs) != 1 {
		t.Fatalf("create: %v %v", cs, err)
	}
	if it, err := s.st.GetItem(ctx, cs[0].ItemID); err != nil || it.Status != domain.StatusPending {
		t.Fatalf("before the sweep: %v %v", it, err)
	}
	up := &launch.Launcher{Store: s.st, Temporal: s.tc, TaskQueue: taskQueue, Calendar: s.cal}
	if n, err := up.StartPendingCases(ctx); err != nil || n != 1 {
		t.Fatalf("sweep: started %d, %v", n, err)
	}
	assignedEvents := func() int {
		evs, err := s.st.AuditEvents(ctx, cs[0].ItemID, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Type == string(domain.EventAssigned) {
				n++
			}
		}
		return n
	}
	eventually(t, 30*time.Second, "the 督办件 assigned by its workflow", func() bool {
		it, err := s.st.GetItem(ctx, cs[0].ItemID)
		return err == nil && it.Status == domain.StatusAssigned && assignedEvents() > 0
	})
	if n, err := up.StartPendingCases(ctx); err != nil || n != 0 {
		t.Errorf("second sweep: started %d, %v; want none", n, err)
	}
	c, err := s.st.GetCase(ctx, cs[0].ItemID)
	if err != nil || c.Number != cs[0].Number {
		t.Errorf("number after the start: %v %v, want %s", c, err, cs[0].Number)
	}
	time.Sleep(time.Second) // a second start would have written its event by now
	if n := assignedEvents(); n != 1 {
		t.Errorf("assigned events: %d, want 1", n)
	}
}
