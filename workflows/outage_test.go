package workflows

import (
	"errors"
	"testing"
	"time"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// TestRungsThatPassDuringAnOutageAreRecorded: the write of L1 retries through a database
// outage, during which L2-L4 fall due. Once the write goes through, the workflow must record
// them at once rather than wait for a deadline that no longer lies ahead.
func TestRungsThatPassDuringAnOutageAreRecorded(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	p := fastPolicy() // sign due at +1h: L1 then
	for i, after := range []time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute} {
		p.Ladder[i].After = domain.Span{Wall: after}
	}
	// The test environment gives up after ten attempts (about four minutes of backoff).
	back := t0.Add(time.Hour + 3*time.Minute + 30*time.Second)
	refused := 0
	h.rec.fail = func(tr activities.Transition) error {
		for _, e := range tr.Escalations {
			if e.Level == 1 && h.env.Now().Before(back) {
				refused++
				return errors.New("dial tcp 127.0.0.1:3306: connect: connection refused")
			}
		}
		return nil
	}
	h.env.RegisterDelayedCallback(func() {
		if st := h.query(); st.Level != 4 {
			t.Errorf("after the database came back: level %d, want 4", st.Level)
		}
	}, time.Hour+15*time.Minute)
	h.at(2*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(p))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if refused < 5 {
		t.Fatalf("the outage refused %d writes; the test no longer covers a long outage", refused)
	}
	for lvl := 1; lvl <= 4; lvl++ {
		n := 0
		for _, e := range h.rec.esc {
			if e.Level != domain.Level(lvl) {
				continue
			}
			n++
			if e.At.After(back.Add(5 * time.Minute)) {
				t.Errorf("L%d for dept %d recorded at %v, long after the database came back at %v", lvl, e.DepartmentID, e.At, back)
			}
		}
		if n != 2 { // the lead and the partner both missed signing
			t.Errorf("L%d recorded %d times, want 2 (once per department)", lvl, n)
		}
	}
}

// TestCalendarYearMissing: with a strict calendar (no provisional years), an item whose
// signing deadline falls in a year without holidays waits for an admin to add the year,
// for days if need be, instead of failing; once the year is there the deadline is set from
// it.
func TestCalendarYearMissing(t *testing.T) {
	t0 := sh(2026, 12, 28, 9, 0)
	h := newHarness(t, t0)
	if _, ok := h.cal.YearDays(2027); ok {
		t.Skip("the built-in calendar has 2027 now; move this test to the first year it lacks")
	}
	h.cal.SetProvisional(false)
	p := domain.DefaultPolicy()
	p.SignWithin = domain.Span{Workdays: 5}
	h.env.RegisterDelayedCallback(func() {
		for _, a := range h.query().Assignments {
			if !a.Due.IsZero() {
				t.Errorf("dept %d has a signing deadline %v before 2027 is in the calendar", a.DepartmentID, a.Due)
			}
		}
		// 1 January is a holiday and 2 January (Saturday) a working day: 5 working days from
		// 28 December are 29, 30, 31 December, 2 and 4 January.
		if err := h.cal.SetYear(2027, []calendar.Day{{Date: "2027-01-01", Off: true, Name: "元旦"}, {Date: "2027-01-02", Name: "元旦调休"}}); err != nil {
			t.Error(err)
		}
	}, 4*24*time.Hour)
	want := sh(2027, 1, 4, 0, 0)
	h.env.RegisterDelayedCallback(func() {
		for _, a := range h.query().Assignments {
			if d := a.Due.In(calendar.Shanghai); d.Year() != want.Year() || d.YearDay() != want.YearDay() {
				t.Errorf("dept %d signing due %v, want on %s", a.DepartmentID, d, want.Format("2006-01-02"))
			}
		}
	}, 5*24*time.Hour)
	h.at(6*24*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(p))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatalf("the item failed while the calendar lacked 2027: %v", err)
	}
}

// TestProvisionalYearThenNotice: assigned on 28 December 2026 before 2027's holiday notice
// is in the calendar, the item is assigned at once with a deadline counted on the ordinary
// week (元旦 off); the notice added two days later moves the ladder rungs still ahead to
// its working days, while the deadline told to the departments stands.
func TestProvisionalYearThenNotice(t *testing.T) {
	t0 := sh(2026, 12, 28, 9, 0)
	h := newHarness(t, t0)
	if _, ok := h.cal.YearDays(2027); ok {
		t.Skip("the built-in calendar has 2027 now; move this test to the first year it lacks")
	}
	p := domain.DefaultPolicy()
	p.SignWithin = domain.Span{Workdays: 5}
	// Provisionally 29, 30, 31 December, 4 and 5 January; L2 three working days later (6,
	// 7, 8 January).
	signDue := sh(2027, 1, 5, 23, 59).Add(59 * time.Second)
	h.env.RegisterDelayedCallback(func() {
		for _, a := range h.query().Assignments {
			if !a.Due.Equal(signDue) || !a.Provisional {
				t.Errorf("dept %d: signing due %v (provisional %v), want %v provisional", a.DepartmentID, a.Due, a.Provisional, signDue)
			}
		}
		// The notice: 7 January off, Saturday 9 January a working day.
		if err := h.cal.SetYear(2027, []calendar.Day{{Date: "2027-01-01", Off: true, Name: "元旦"},
			{Date: "2027-01-07", Off: true, Name: "假想的休息日"}, {Date: "2027-01-09", Name: "假想的调休"}}); err != nil {
			t.Error(err)
		}
	}, 2*24*time.Hour)
	h.at(20*24*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(p))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	wantAt := map[int]time.Time{
		1: signDue,                                       // 催办 at the deadline, as told
		2: sh(2027, 1, 9, 23, 59).Add(59 * time.Second),  // 6, 8 and 9 January by the notice (not the 8th)
		3: sh(2027, 1, 14, 23, 59).Add(59 * time.Second), // 6, 8, 9, 11, 12, 13, 14
	}
	got := map[int]int{}
	for _, e := range h.rec.esc {
		want, ok := wantAt[int(e.Level)]
		if !ok {
			continue
		}
		got[int(e.Level)]++
		if !e.At.Equal(want) {
			t.Errorf("L%d for dept %d at %v, want %v", e.Level, e.DepartmentID, e.At.In(calendar.Shanghai), want)
		}
	}
	for lvl := range wantAt {
		if got[lvl] != 2 {
			t.Errorf("L%d recorded %d times, want 2 (lead and partner)", lvl, got[lvl])
		}
	}
}
