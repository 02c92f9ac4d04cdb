package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/domain"
)

func sign(d uint64) SignInput { return SignInput{Acting{liaison}, d} }

func report(d uint64, kind domain.SubmissionKind) SubmitInput {
	return SubmitInput{Acting: Acting{liaison}, DepartmentID: d, Kind: kind, Text: "本月新增PCT申请3件"}
}

func approve(id uint64) ReviewInput {
	return ReviewInput{Acting: Acting{supervisor}, SubmissionID: id, Decision: "approve"}
}

func cancelIn() ReasonInput { return ReasonInput{Acting{supervisor}, "测试结束"} }

// fullLifecycle schedules both signatures, a contribution, a report and its approval, a
// completion request and its approval.
func (h *harness) fullLifecycle() {
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(20*time.Minute, UpdateSign, sign(partnerDept), "")
	h.at(2*time.Hour, UpdateSubmit, report(partnerDept, domain.KindContribution), "")
	h.at(3*time.Hour, UpdateSubmit, report(leadDept, domain.KindReport), "")
	h.at(4*time.Hour, UpdateReview, approve(2), "")
	h.at(5*time.Hour, UpdateSubmit, report(leadDept, domain.KindCompletion), "")
	h.at(6*time.Hour, UpdateReview, approve(3), "")
}

func TestFullLifecycleToCompletion(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	h.fullLifecycle()
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if !h.env.IsWorkflowCompleted() || h.env.GetWorkflowError() != nil {
		t.Fatalf("workflow did not complete: %v", h.env.GetWorkflowError())
	}
	var st ItemState
	if err := h.env.GetWorkflowResult(&st); err != nil || st.Status != domain.StatusCompleted {
		t.Fatalf("final status %q, %v", st.Status, err)
	}
	// The sign reminders (2h before a 1h deadline) are already past at assignment: not sent.
	want := []string{"assigned", "assigned", "signed", "signed", "contribution_submitted",
		"report_submitted", "approved", "completion_requested", "approved", "completed"}
	if got := h.rec.types(); !slices.Equal(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
	if h.rec.last.Status != "completed" || h.rec.last.NextDue != (time.Time{}) {
		t.Errorf("read model after completion: %+v", h.rec.last)
	}
}

func TestLateReportStopsLadderAtL2(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(10*time.Minute, UpdateSign, sign(partnerDept), "")
	h.at(time.Hour, UpdateSubmit, report(partnerDept, domain.KindContribution), "")
	// Lead due at +10h: L1 at +10h, L2 at +12h, L3 would be at +14h.
	h.at(13*time.Hour, UpdateSubmit, report(leadDept, domain.KindReport), "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		if st.Level != 2 || st.Light != domain.Green {
			t.Errorf("after the late report: level %d light %s; want level 2 kept, light green", st.Level, st.Light)
		}
	}, 13*time.Hour+time.Minute)
	h.at(16*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if n1, n2, n3 := h.rec.count("escalatedL1"), h.rec.count("escalatedL2"), h.rec.count("escalatedL3"); n1 != 1 || n2 != 1 || n3 != 0 {
		t.Errorf("ladder fired L1×%d L2×%d L3×%d; want 1,1,0", n1, n2, n3)
	}
	if h.rec.count("overdue") != 1 {
		t.Errorf("overdue recorded %d times", h.rec.count("overdue"))
	}
	keys := map[string]bool{}
	for _, e := range h.rec.esc {
		if keys[e.Key] {
			t.Errorf("escalation %s recorded twice", e.Key)
		}
		keys[e.Key] = true
		if e.DepartmentID != leadDept {
			t.Errorf("the partner contributed on time but was escalated: %+v", e)
		}
	}
	var l2 []string
	for _, n := range h.rec.notes {
		if n.Kind == "escalation" && n.Level == 2 {
			l2 = n.Audience
		}
	}
	if !slices.Equal(l2, []string{"supervisor"}) {
		t.Errorf("L2 notified %v, want the policy's recipients [supervisor]", l2)
	}
}

func TestReturnAndResubmission(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(10*time.Minute, UpdateSign, sign(partnerDept), "")
	h.at(20*time.Minute, UpdateSubmit, report(partnerDept, domain.KindContribution), "")
	h.at(time.Hour, UpdateSubmit, report(leadDept, domain.KindReport), "")
	h.at(90*time.Minute, UpdateReview, ReviewInput{Acting: Acting{supervisor}, SubmissionID: 2, Decision: "return"}, "invalid")
	h.at(2*time.Hour, UpdateReview, ReviewInput{Acting: Acting{supervisor}, SubmissionID: 2, Decision: "return", Comment: "请补充数据来源"}, "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		lead := st.Assignments[0]
		if lead.Satisfied || !lead.Due.Equal(t0.Add(5*time.Hour)) || lead.DeadlineKey != "c1r1" {
			t.Errorf("after return: satisfied=%v due=%v key=%s; want a new deadline at +5h", lead.Satisfied, lead.Due, lead.DeadlineKey)
		}
		if st.Status != domain.StatusActive {
			t.Errorf("status after return = %s", st.Status)
		}
	}, 2*time.Hour+time.Minute)
	h.at(4*time.Hour, UpdateSubmit, report(leadDept, domain.KindReport), "")
	h.at(4*time.Hour+30*time.Minute, UpdateReview, approve(3), "")
	h.env.RegisterDelayedCallback(func() {
		if st := h.query(); st.Cycle != 2 {
			t.Errorf("approval should open cycle 2, at %d", st.Cycle)
		}
	}, 5*time.Hour)
	h.at(6*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if h.rec.count("returned") != 1 || h.rec.count("report_submitted") != 2 || h.rec.count("overdue") != 0 {
		t.Errorf("events: %v", h.rec.types())
	}
}

func TestExtensionMovesEveryPendingTimer(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0) // Monday
	h := newHarness(t, t0)
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(10*time.Minute, UpdateSign, sign(partnerDept), "")
	var ext SubmitResult
	h.at(time.Hour, UpdateExtensionRequest, ExtensionRequestInput{Acting: Acting{liaison}, DepartmentID: leadDept, NewDue: t0.Add(30 * time.Hour), Reason: "数据尚未汇总"}, "", &ext)
	h.at(2*time.Hour, UpdateExtensionDecision, ExtensionDecisionInput{Acting: Acting{supervisor}, ExtensionID: 1, Approve: true}, "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		newDue := sh(2025, 3, 4, 23, 59).Add(59 * time.Second) // requested Tue 15:00 → end of that working day
		if !st.Assignments[0].Due.Equal(newDue) || !st.CycleDue.Equal(newDue) {
			t.Errorf("lead due %v cycle due %v, want %v", st.Assignments[0].Due, st.CycleDue, newDue)
		}
		if p := st.Assignments[1]; !p.Due.Equal(newDue.Add(-time.Hour)) {
			t.Errorf("partner due %v, want one hour before the new lead due", p.Due)
		}
		if !st.Assignments[0].Reminders[0].Equal(newDue.Add(-2 * time.Hour)) {
			t.Errorf("reminder not moved: %v", st.Assignments[0].Reminders)
		}
	}, 11*time.Hour)
	h.at(12*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if h.rec.count("overdue") != 0 || h.rec.count("escalatedL1") != 0 {
		t.Errorf("the old deadline still fired: %v", h.rec.types())
	}
	if h.rec.count("extension_requested") != 1 || h.rec.count("extension_decided") != 1 {
		t.Errorf("events: %v", h.rec.types())
	}
}

func TestSpringFestivalAndAdjustedWorkday(t *testing.T) {
	// A report date on 2025-01-29 (Spring Festival holiday, 28 Jan – 4 Feb) moves to the
	// end of the next working day, 5 February.
	p := domain.DefaultPolicy()
	p.Cadence = domain.Cadence{Kind: "dates", Dates: []string{"2025-01-29", "2025-06-30"}}
	h := newHarness(t, sh(2025, 1, 20, 9, 0))
	h.at(time.Hour, UpdateSign, sign(leadDept), "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		want := time.Date(2025, 2, 5, 23, 59, 59, 0, st.CycleDue.Location())
		if !st.CycleDue.In(want.Location()).Equal(want) && st.CycleDue.In(sh(2025, 1, 1, 0, 0).Location()).Format("2006-01-02") != "2025-02-05" {
			t.Errorf("cycle due %v, want end of 2025-02-05", st.CycleDue)
		}
		if st.Assignments[0].Due.In(sh(2025, 1, 1, 0, 0).Location()).Format("2006-01-02") != "2025-02-05" {
			t.Errorf("lead due %v, want 2025-02-05", st.Assignments[0].Due)
		}
	}, 2*time.Hour)
	h.at(3*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(p))

	// Signing within 1 working day from Friday 2025-02-07: Saturday 8 February is a
	// 调休 working day, so the deadline is the end of that Saturday.
	p = domain.DefaultPolicy()
	p.SignWithin = domain.Span{Workdays: 1}
	h2 := newHarness(t, sh(2025, 2, 7, 10, 0))
	h2.env.RegisterDelayedCallback(func() {
		st := h2.query()
		if got := st.Assignments[0].Due.In(sh(2025, 1, 1, 0, 0).Location()); got.Format("2006-01-02 15:04") != "2025-02-08 23:59" {
			t.Errorf("sign due %v, want the end of adjusted workday 2025-02-08", got)
		}
	}, time.Minute)
	h2.at(time.Hour, UpdateCancel, cancelIn(), "")
	h2.env.ExecuteWorkflow(ItemWorkflow, baseInput(p))
}

func TestValidatorsRejectWithKinds(t *testing.T) {
	h := newHarness(t, sh(2025, 3, 3, 9, 0))
	h.at(time.Minute, UpdateSign, sign(otherDept), "forbidden")
	h.at(2*time.Minute, UpdateSubmit, report(leadDept, domain.KindReport), "conflict") // not signed yet
	h.at(3*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(4*time.Minute, UpdateSign, sign(leadDept), "conflict")
	h.at(5*time.Minute, UpdateSubmit, SubmitInput{Acting: Acting{liaison}, DepartmentID: leadDept, Kind: domain.KindReport}, "invalid")
	h.at(6*time.Minute, UpdateSubmit, report(leadDept, domain.KindContribution), "forbidden")
	h.at(7*time.Minute, UpdateReview, approve(42), "conflict")
	h.at(8*time.Minute, UpdateSuspend, ReasonInput{Acting{supervisor}, ""}, "invalid")
	h.at(9*time.Minute, UpdateCancel, cancelIn(), "")
	h.at(10*time.Minute, UpdateSign, sign(partnerDept), "conflict") // cancelled
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if h.rec.count("signed") != 1 || h.rec.count("cancelled") != 1 {
		t.Errorf("rejected updates left traces: %v", h.rec.types())
	}
}

func TestSuspendResumeShiftsDeadlines(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(10*time.Minute, UpdateSign, sign(partnerDept), "")
	h.at(time.Hour, UpdateSuspend, ReasonInput{Acting{supervisor}, "机构调整"}, "")
	h.at(5*time.Hour, UpdateResume, ReasonInput{Acting{supervisor}, "恢复"}, "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		if !st.Assignments[0].Due.Equal(t0.Add(14*time.Hour)) || st.Status != domain.StatusActive {
			t.Errorf("after 4h suspended: lead due %v (want +14h), status %s", st.Assignments[0].Due, st.Status)
		}
	}, 11*time.Hour)
	h.at(12*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if h.rec.count("overdue") != 0 || h.rec.count("suspended") != 1 || h.rec.count("resumed") != 1 {
		t.Errorf("events: %v", h.rec.types())
	}
}

func TestReassignAndInstruction(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(50*time.Minute, UpdateReassign, ReassignInput{Acting: Acting{supervisor}, Lead: []uint64{leadDept}, Partners: []uint64{otherDept}, Reason: "职责调整"}, "")
	h.at(2*time.Hour, UpdateSign, sign(partnerDept), "forbidden") // removed
	h.at(2*time.Hour, UpdateSign, sign(otherDept), "")
	h.at(3*time.Hour, UpdateInstruction, InstructionInput{Acting: Acting{leader}, Text: "请加快进度", Due: t0.Add(5 * time.Hour)}, "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		// The instruction's deadline (+5h) aligns to the end of that working day, later
		// than the cycle due (+10h = 19:00), so the lead keeps its cycle deadline.
		if st.Assignments[0].DeadlineKey != "c1" {
			t.Errorf("lead deadline key %s", st.Assignments[0].DeadlineKey)
		}
	}, 4*time.Hour)
	h.at(6*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if h.rec.count("reassigned") != 1 || h.rec.count("assigned") != 3 || h.rec.count("instruction") != 1 {
		t.Errorf("events: %v", h.rec.types())
	}
	for _, e := range h.rec.esc {
		if e.DepartmentID == partnerDept {
			t.Errorf("a removed department kept escalating: %+v", e)
		}
	}
}

func TestContinueAsNewAfterManyCycles(t *testing.T) {
	h := newHarness(t, sh(2025, 3, 3, 9, 0))
	in := baseInput(fastPolicy())
	in.Parties = in.Parties[:1]
	h.at(time.Minute, UpdateSign, sign(leadDept), "")
	for i := 0; i < cyclesPerRun-1; i++ {
		base := time.Duration(i) * 10 * time.Hour
		h.at(base+time.Hour, UpdateSubmit, report(leadDept, domain.KindReport), "")
		h.at(base+2*time.Hour, UpdateReview, approve(uint64(i+1)), "")
	}
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	var can *workflow.ContinueAsNewError
	if err := h.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new after %d cycles, got %v", cyclesPerRun, err)
	}
	if h.rec.count("overdue") != 0 || h.rec.count("approved") != cyclesPerRun-1 {
		t.Errorf("events: %v", h.rec.types())
	}
}

func TestIndicatorBehindPaceTurnsYellow(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	p := fastPolicy()
	p.Cadence = domain.Cadence{Kind: "every", Every: 100 * time.Hour}
	in := baseInput(p)
	in.Parties = in.Parties[:1]
	in.Start, in.End = t0, t0.Add(100*time.Hour)
	in.Indicators = []domain.Indicator{{Name: "新增PCT国际申请", Target: 20, Unit: "件", Comparator: ">="}}
	h := newHarness(t, t0)
	h.at(time.Minute, UpdateSign, sign(leadDept), "")
	lowReport := report(leadDept, domain.KindReport)
	lowReport.Indicators = map[string]float64{"PCT": 2} // 30% of the window gone: 6 expected
	h.at(30*time.Hour, UpdateSubmit, lowReport, "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		if st.Light != domain.Yellow || len(st.Behind) != 1 {
			t.Errorf("2 of 20 at 30%% of the window: light %s behind %v; want yellow", st.Light, st.Behind)
		}
	}, 31*time.Hour)
	h.at(32*time.Hour, UpdateReview, approve(1), "")
	goodReport := report(leadDept, domain.KindReport)
	goodReport.Indicators = map[string]float64{"PCT": 12}
	h.at(33*time.Hour, UpdateSubmit, goodReport, "")
	h.env.RegisterDelayedCallback(func() {
		if st := h.query(); st.Light != domain.Green {
			t.Errorf("12 of 20 at 33%% of the window: light %s, want green", st.Light)
		}
	}, 34*time.Hour)
	h.at(35*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
}

// An ongoing item (持续推进) reports every cycle until the plan period ends; approving the
// last report closes it.
func TestOngoingItemReportsUntilPeriodEnd(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	in := baseInput(fastPolicy())
	in.Parties = in.Parties[:1]
	in.Ongoing, in.End = true, t0.Add(25*time.Hour)
	h := newHarness(t, t0)
	h.at(time.Minute, UpdateSign, sign(leadDept), "")
	for i, at := range []time.Duration{5 * time.Hour, 15 * time.Hour, 22 * time.Hour} {
		h.at(at, UpdateSubmit, report(leadDept, domain.KindReport), "")
		h.at(at+time.Hour, UpdateReview, approve(uint64(i+1)), "")
	}
	h.env.RegisterDelayedCallback(func() {
		if st := h.query(); !st.FinalCycle || !st.CycleDue.Equal(t0.Add(25*time.Hour)) {
			t.Errorf("third cycle should be the final one, due at the period end: final=%v due=%v", st.FinalCycle, st.CycleDue)
		}
	}, 21*time.Hour)
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	var st ItemState
	if err := h.env.GetWorkflowResult(&st); err != nil || st.Status != domain.StatusCompleted || st.Cycle != 3 {
		t.Fatalf("ongoing item after the period: status %s cycle %d err %v", st.Status, st.Cycle, err)
	}
	if h.rec.count("overdue") != 0 || h.rec.count("completed") != 1 {
		t.Errorf("events: %v", h.rec.types())
	}
}

// TestSearchAttributesOnlyOnChange: reminders and other writes that change no search
// attribute do not upsert them (each upsert is a history event and a visibility write),
// while every change of status, level or next due does.
func TestSearchAttributesOnlyOnChange(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	var upserts []string
	h.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		status, _ := sa.GetKeyword(SAStatus)
		level, _ := sa.GetInt64(SAEscalationLevel)
		due, _ := sa.GetTime(SANextDue)
		upserts = append(upserts, fmt.Sprintf("%s L%d %s", status, level, due.Format(time.RFC3339)))
	}).Return(nil)
	p := fastPolicy() // sign due at +1h with a reminder 2h before it: sent at once; then L1 at +1h
	p.RemindBefore = []domain.Span{{Wall: 30 * time.Minute}, {Wall: 10 * time.Minute}}
	h.at(5*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(p))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	reminders := 0
	for _, e := range h.rec.events {
		if e.Type == domain.EventReminder {
			reminders++
		}
	}
	if reminders < 2 {
		t.Fatalf("%d reminders: the test needs writes that change no search attribute", reminders)
	}
	for i := 1; i < len(upserts); i++ {
		if upserts[i] == upserts[i-1] {
			t.Errorf("upsert %d repeats %q: %v", i, upserts[i], upserts)
		}
	}
	if len(upserts) < 3 || !strings.HasPrefix(upserts[len(upserts)-1], string(domain.StatusCancelled)) {
		t.Errorf("upserts %v: want assigned, each escalation level and the cancellation", upserts)
	}
}
