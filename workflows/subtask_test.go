package workflows

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

// subtaskRecorder stands in for the sub-task activities.
type subtaskRecorder struct {
	mu       sync.Mutex
	created  []activities.SubtaskRecord
	statuses []activities.SubtaskStatusRecord
}

func (r *subtaskRecorder) create(_ context.Context, in activities.SubtaskRecord) (uint64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.created = append(r.created, in)
	return uint64(100 + in.Seq), nil
}

func (r *subtaskRecorder) status(_ context.Context, in activities.SubtaskStatusRecord) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses = append(r.statuses, in)
	return nil
}

func (r *subtaskRecorder) saw(seq int, st domain.SubtaskStatus) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.statuses, func(s activities.SubtaskStatusRecord) bool { return s.Seq == seq && s.Status == st })
}

func withSubtasks(h *harness) *subtaskRecorder {
	r := &subtaskRecorder{}
	a := &activities.Activities{}
	h.env.RegisterWorkflow(SubtaskWorkflow)
	h.env.OnActivity(a.CreateSubtask, mock.Anything, mock.Anything).Return(r.create)
	h.env.OnActivity(a.SetSubtaskStatus, mock.Anything, mock.Anything).Return(r.status)
	return r
}

func subtaskNotices(rec *recorder) []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []string
	for _, n := range rec.notes {
		if n.Kind == domain.NoticeSubtask {
			out = append(out, n.Key)
		}
	}
	return out
}

// TestSubtaskRemindsAndGoesLateWithoutEscalatingTheItem: a sub-task's owner is reminded
// before its deadline; at the deadline it is late, and the owner and the lead are told;
// the item's own level stays 0. Cancelling the item closes the sub-task.
func TestSubtaskRemindsAndGoesLateWithoutEscalatingTheItem(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	subs := withSubtasks(h)
	p := fastPolicy()
	p.SignWithin = domain.Span{Wall: 10 * 24 * time.Hour}
	p.Cadence = domain.Cadence{Kind: "every", Every: 20 * 24 * time.Hour}
	in := baseInput(p)
	in.End = t0.Add(30 * 24 * time.Hour)
	deadline := t0.Add(4 * 24 * time.Hour)
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	// A deadline after the item's is refused by the validator.
	h.at(time.Hour, UpdateAddSubtask, AddSubtaskInput{Acting: Acting{liaison}, Title: "摸底", DepartmentID: partnerDept,
		Deadline: in.End.Add(time.Hour)}, string(domain.KindInvalid))
	h.at(time.Hour+time.Minute, UpdateAddSubtask, AddSubtaskInput{Acting: Acting{liaison}, Title: "摸底调查", DepartmentID: partnerDept,
		Office: "综合处", Deadline: deadline}, "")
	var before, after []string
	var st *ItemState
	h.env.RegisterDelayedCallback(func() { before = subtaskNotices(h.rec) }, 3*24*time.Hour+time.Hour)
	h.env.RegisterDelayedCallback(func() { after, st = subtaskNotices(h.rec), h.query() }, 4*24*time.Hour+time.Hour)
	h.at(5*24*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"item1:sub1:remind0", "item1:sub1:remind1"}; !slices.Equal(before[1:], want) {
		t.Errorf("notices before the deadline %v, want the assignment then %v", before, want)
	}
	if want := []string{"item1:sub1:late:owner", "item1:sub1:late:lead"}; !slices.Equal(after[len(before):], want) {
		t.Errorf("notices at the deadline %v, want %v", after[len(before):], want)
	}
	if st == nil || st.Level != 0 || h.rec.count("overdue") != 0 || len(h.rec.esc) != 0 {
		t.Errorf("the item was escalated by its sub-task: state %+v, escalations %v", st, h.rec.esc)
	}
	if !subs.saw(1, domain.SubtaskLate) || !subs.saw(1, domain.SubtaskClosed) {
		t.Errorf("sub-task statuses %+v: want late, then closed with the item", subs.statuses)
	}
	if len(subs.created) != 1 || subs.created[0].Office != "综合处" || h.rec.count("subtask_created") != 1 {
		t.Errorf("created %+v, events %v", subs.created, h.rec.types())
	}
}

// TestItemCompletionClosesOpenSubtasks: of two sub-tasks, the one done stays done and the
// open one is closed when the supervisor closes the item out.
func TestItemCompletionClosesOpenSubtasks(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	subs := withSubtasks(h)
	h.fullLifecycle()
	add := func(title string) AddSubtaskInput {
		return AddSubtaskInput{Acting: Acting{liaison}, Title: title, DepartmentID: leadDept, Deadline: t0.Add(8 * time.Hour)}
	}
	h.at(30*time.Minute, UpdateAddSubtask, add("一"), "")
	h.at(40*time.Minute, UpdateAddSubtask, add("二"), "")
	h.at(50*time.Minute, UpdateCompleteSubtask, CompleteSubtaskInput{Acting: Acting{liaison}, SubtaskID: 101}, "")
	h.at(55*time.Minute, UpdateCompleteSubtask, CompleteSubtaskInput{Acting: Acting{liaison}, SubtaskID: 101}, string(domain.KindConflict))
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	var st ItemState
	if err := h.env.GetWorkflowResult(&st); err != nil || st.Status != domain.StatusCompleted {
		t.Fatalf("final status %q, %v", st.Status, err)
	}
	if !subs.saw(1, domain.SubtaskDone) || subs.saw(1, domain.SubtaskClosed) || !subs.saw(2, domain.SubtaskClosed) {
		t.Errorf("sub-task statuses %+v: want 1 done, 2 closed with the item", subs.statuses)
	}
	if h.rec.count("subtask_completed") != 1 {
		t.Errorf("events %v", h.rec.types())
	}
}
