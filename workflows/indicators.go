package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// RecordIndicatorInput is a value a supervisor enters by hand (指标录入).
type RecordIndicatorInput struct {
	Acting
	domain.Reading
}

// track measures one indicator at now with the latest value the workflow holds.
func (w *item) track(ind domain.Indicator, now time.Time) domain.IndicatorStatus {
	v, ok := domain.IndicatorValue(w.st.Values, ind.Name)
	end := domain.IndicatorEnd(ind, w.in.End, calendar.Shanghai)
	return domain.Track(ind, v, ok, w.in.Start, end, now)
}

// indicatorSignals returns the indicators behind pace and the light they call for: an
// indicator behind its pro-rata expectation turns the light yellow, one that cannot be met
// by its deadline at the current pace red (the forecast rule; "indicator-forecast" folded,
// see versions.go).
func (w *item) indicatorSignals(now time.Time) ([]string, domain.Light) {
	var behind []string
	light := domain.Green
	for _, ind := range w.in.Indicators {
		s := w.track(ind, now)
		if s.Behind {
			behind = append(behind, ind.Name)
			if light == domain.Green {
				light = domain.Yellow
			}
		}
		if s.AtRisk {
			light = domain.Red
		}
	}
	return behind, light
}

// validateRecordIndicator accepts a reading by the one rule (domain.CheckReading) while
// the item is open. The name is matched as sent: the API trims it.
func (w *item) validateRecordIndicator(in RecordIndicatorInput) error {
	if err := w.open(); err != nil {
		return err
	}
	r := in.Reading
	r.Name = strings.TrimSpace(r.Name)
	return domain.CheckReading(w.in.Indicators, r, time.Time{})
}

// recordIndicator stores a hand-entered value (指标录入): it becomes the indicator's latest
// value, so the light reacts at once, and is written as a reading with an audit event.
// The as-of date may be a day ahead of the workflow's clock (the API's clock and the
// worker's differ), never more.
func (w *item) recordIndicator(ctx workflow.Context, in RecordIndicatorInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		r := in.Reading
		r.Name = strings.TrimSpace(r.Name)
		if err := w.open(); err != nil { // see submit: re-checked under the mutex
			return err
		}
		if err := domain.CheckReading(w.in.Indicators, r, workflow.Now(ctx).Add(24*time.Hour)); err != nil {
			return err
		}
		if w.st.Values == nil {
			w.st.Values = map[string]float64{}
		}
		// Under the exact name: it wins over the short keys of earlier reports.
		w.st.Values[r.Name] = r.Value
		w.tr.Readings = append(w.tr.Readings, activities.ReadingRecord{
			Name: r.Name, Value: r.Value, At: r.At, Note: r.Note, EnteredBy: in.Actor.UserID,
		})
		w.record(domain.IndicatorRecorded{Name: r.Name, Value: r.Value, AsOf: r.At, Note: r.Note}, 0, 0, in.Actor)
		return nil
	})
}
