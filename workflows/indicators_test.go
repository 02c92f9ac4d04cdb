package workflows

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

const pctName = "新增PCT国际申请"

// paceInput is one lead over a 100-hour window with one report cycle, and the seed's
// target 新增PCT国际申请20件以上.
func paceInput(t0 time.Time) ItemInput {
	p := fastPolicy()
	p.Cadence = domain.Cadence{Kind: "every", Every: 100 * time.Hour}
	in := baseInput(p)
	in.Parties = in.Parties[:1]
	in.Start, in.End = t0, t0.Add(100*time.Hour)
	in.Indicators = []domain.Indicator{{Name: pctName, Target: 20, Unit: "件", Comparator: ">="}}
	return in
}

func pctReport(v float64) SubmitInput {
	r := report(leadDept, domain.KindReport)
	r.Indicators = map[string]float64{"PCT": v}
	return r
}

func (h *harness) wantLight(at time.Duration, want domain.Light, why string) {
	h.env.RegisterDelayedCallback(func() {
		if st := h.query(); st.Light != want {
			h.t.Errorf("%s: light %s (behind %v), want %s", why, st.Light, st.Behind, want)
		}
	}, at)
}

// TestIndicatorAtRiskTurnsRed: 5 of 20 with 60% of the window gone cannot reach 20 at this
// pace, so the item turns red; a supervisor's reading of 14 puts it back on pace at once,
// with a reading row and an audit event.
func TestIndicatorAtRiskTurnsRed(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	var readings []activities.ReadingRecord
	h.rec.fail = func(tr activities.Transition) error {
		readings = append(readings, tr.Readings...)
		return nil
	}
	h.at(time.Minute, UpdateSign, sign(leadDept), "")
	h.at(60*time.Hour, UpdateSubmit, pctReport(5), "")
	h.wantLight(61*time.Hour, domain.Red, "5 of 20 at 60% of the window")
	rec := RecordIndicatorInput{Acting: Acting{supervisor}, Reading: domain.Reading{Name: pctName, Value: 14, At: t0.Add(62 * time.Hour), Note: "市知识产权局统计"}}
	h.at(63*time.Hour, UpdateRecordIndicator, rec, "")
	h.wantLight(64*time.Hour, domain.Green, "14 of 20 at 64% of the window")
	h.env.RegisterDelayedCallback(func() {
		if st := h.query(); st.Values[pctName] != 14 || len(st.Behind) != 0 {
			h.t.Errorf("after the reading: values %v behind %v", st.Values, st.Behind)
		}
	}, 64*time.Hour)
	h.at(65*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, paceInput(t0))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(readings) != 1 || readings[0].Value != 14 || readings[0].EnteredBy != supervisor.UserID || readings[0].Note != "市知识产权局统计" {
		t.Errorf("readings written: %+v", readings)
	}
	i := slices.IndexFunc(h.rec.events, func(e activities.EventRecord) bool { return e.Type == domain.EventIndicatorRecorded })
	if i < 0 || payloadOf[domain.IndicatorRecorded](t, h.rec.events[i]).Name != pctName || h.rec.events[i].Actor.UserID != supervisor.UserID {
		t.Errorf("no indicator_recorded audit event: %v", h.rec.types())
	}
}

// paceRun signs, reports v PCT at `at` and checks the light an hour later; setup may mock
// the forecast version first.
func paceRun(t *testing.T, at time.Duration, v float64, want domain.Light, why string, setup func(*harness)) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	setup(h)
	h.at(time.Minute, UpdateSign, sign(leadDept), "")
	h.at(at, UpdateSubmit, pctReport(v), "")
	h.wantLight(at+time.Hour, want, why)
	h.at(at+2*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, paceInput(t0))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
}

// TestIndicatorBehindEarlyStaysYellow: 1 of 20 at 10% of the window is behind (2 expected)
// but too early to call at risk: yellow, also in a run started before "features".
func TestIndicatorBehindEarlyStaysYellow(t *testing.T) {
	paceRun(t, 10*time.Hour, 1, domain.Yellow, "1 of 20 at 10% of the window", func(h *harness) {
		h.env.OnGetVersion("features", workflow.DefaultVersion, 3).Return(workflow.DefaultVersion)
	})
}

// TestIndicatorForecastForOlderRuns: with "indicator-forecast" folded (versions.go), a run
// started before "features" turns red by the forecast rule like a new one: 5 of 20 at 60%
// of the window cannot reach 20 at the current pace.
func TestIndicatorForecastForOlderRuns(t *testing.T) {
	paceRun(t, 60*time.Hour, 5, domain.Red, "older run, 5 of 20 at 60%", func(h *harness) {
		h.env.OnGetVersion("features", workflow.DefaultVersion, 3).Return(workflow.DefaultVersion)
	})
}

func TestRecordIndicatorValidation(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	w := &item{in: paceInput(t0), st: &ItemState{Status: domain.StatusActive}}
	ok := RecordIndicatorInput{Acting: Acting{supervisor}, Reading: domain.Reading{Name: pctName, Value: 3, At: t0}}
	if err := w.validateRecordIndicator(ok); err != nil {
		t.Fatalf("a valid reading: %v", err)
	}
	for _, c := range []struct {
		change func(*RecordIndicatorInput)
		field  string
	}{
		{func(in *RecordIndicatorInput) { in.Name = " " }, "name"},
		{func(in *RecordIndicatorInput) { in.Name = "质押融资额" }, "name"},
		{func(in *RecordIndicatorInput) { in.Value = math.NaN() }, "value"},
		{func(in *RecordIndicatorInput) { in.Value = math.Inf(1) }, "value"},
		{func(in *RecordIndicatorInput) { in.At = time.Time{} }, "at"},
		{func(in *RecordIndicatorInput) { in.Note = string(make([]rune, domain.MaxReadingNote+1)) }, "note"},
	} {
		in := ok
		c.change(&in)
		var de *domain.Error
		if err := w.validateRecordIndicator(in); !errors.As(err, &de) || de.Kind != domain.KindInvalid || de.Field != c.field {
			t.Errorf("want invalid %s, got %v", c.field, err)
		}
	}
	w.st.Closed, w.st.Status = true, domain.StatusCancelled
	if err := w.validateRecordIndicator(ok); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("a cancelled item takes no readings: %v", err)
	}
}

// TestRecordIndicatorRejectsUnknownName goes through the Update's validator.
func TestRecordIndicatorRejectsUnknownName(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	h.at(time.Minute, UpdateRecordIndicator, RecordIndicatorInput{Acting: Acting{supervisor}, Reading: domain.Reading{Name: "质押融资额", Value: 1, At: t0}}, "invalid")
	h.at(2*time.Minute, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, paceInput(t0))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
}
