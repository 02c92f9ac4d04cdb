package integration

import (
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
	"github.com/dubanhq/duban/workflows"
)

// TestScheduledAssessmentAndPublishedCircular runs the loop on the embedded server: a
// plan's Temporal Schedule fires and stores the assessment of the period just ended (once,
// even when fired twice); a supervisor drafts a circular from it and publishes it through
// the publish workflow, which numbers it and puts it in every department's inbox once.
func TestScheduledAssessmentAndPublishedCircular(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	deptA, deptB, users := s.people(map[string]string{"sup": "supervisor", "la": "liaison", "lb": "liaison", "boss": "leader"})
	sup := s.login("sup", "password-1")
	plan, _, err := s.st.CreatePlan(ctx(t), &store.Plan{SourceHash: "sched", Title: "知识产权强市建设工作方案", PolicyJSON: "{}"},
		[]domain.Item{storetest.Item("1", "新增PCT国际申请", []uint64{deptA.ID}, deptB.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if err := launch.EnsureAssessmentSchedule(ctx(t), s.tc, taskQueue, plan.ID, "year"); err != nil {
		t.Fatal(err)
	}
	if err := launch.EnsureAssessmentSchedule(ctx(t), s.tc, taskQueue, plan.ID, "year"); err != nil {
		t.Fatalf("ensuring an existing schedule: %v", err)
	}
	h := s.tc.ScheduleClient().GetHandle(ctx(t), workflows.AssessmentScheduleID(plan.ID, "year"))
	desc, err := h.Describe(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if next := desc.Info.NextActionTimes; len(next) == 0 || next[0].In(time.FixedZone("CST", 8*3600)).Format("01-02 15:04") != "01-01 00:30" {
		t.Errorf("next firing %v, want 1 January 00:30 China time", next)
	}
	for range 2 { // a second firing in the same year assesses the same period: one run
		if err := h.Trigger(ctx(t), client.ScheduleTriggerOptions{}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
	}
	var runs []struct {
		ID      uint64
		Label   string
		Trigger string
	}
	eventually(t, 30*time.Second, "the scheduled assessment", func() bool {
		runs = nil
		s.must(200, sup, "GET", fmt.Sprintf("/api/v1/assessments?plan_id=%d", plan.ID), nil, &runs)
		return len(runs) > 0
	})
	time.Sleep(2 * time.Second)
	s.must(200, sup, "GET", fmt.Sprintf("/api/v1/assessments?plan_id=%d", plan.ID), nil, &runs)
	want := fmt.Sprintf("%d年度", time.Now().In(time.FixedZone("CST", 8*3600)).Year()-1)
	if len(runs) != 1 || runs[0].Trigger != "schedule" || runs[0].Label != want {
		t.Fatalf("scheduled runs %+v, want one of %s", runs, want)
	}

	var draft struct {
		ID      uint64
		Version int64
	}
	s.must(201, sup, "POST", fmt.Sprintf("/api/v1/assessments/%d/circulars", runs[0].ID), nil, &draft)
	var pub struct {
		Circular struct{ Number, Status string }
		Notified int
	}
	s.must(200, sup, "POST", fmt.Sprintf("/api/v1/circulars/%d/publish", draft.ID), nil, &pub)
	if pub.Circular.Status != "published" || pub.Circular.Number != fmt.Sprintf("督办通报〔%d〕1号", time.Now().In(time.FixedZone("CST", 8*3600)).Year()) {
		t.Errorf("published: %+v", pub)
	}
	if code := s.call(sup, "POST", fmt.Sprintf("/api/v1/circulars/%d/publish", draft.ID), nil, nil); code != 409 {
		t.Errorf("publishing twice: %d, want 409", code)
	}
	for _, u := range []string{"la", "lb", "boss"} {
		var inbox struct {
			Notifications []struct{ Kind, Title string }
		}
		s.must(200, s.login(u, "password-1"), "GET", "/api/v1/inbox", nil, &inbox)
		n := 0
		for _, m := range inbox.Notifications {
			if m.Kind == "circular" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s (user %d) has %d circular notices, want 1", u, users[u].ID, n)
		}
	}
}
