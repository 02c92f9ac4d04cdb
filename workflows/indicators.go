package workflows

import (
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// forecastChange is the GetVersion change id of the forecast rule: version 1 turns an
// item red when an indicator cannot be met by its deadline at the current pace, and
// counts "<=" and "=" indicators as behind (before it only ">=" ones were, in yellow).
const forecastChange = "indicator-forecast"

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

// indicatorSignals returns the indicators behind pace and the light they call for. The
// forecast rule is asked for (GetVersion) only when its answer differs from the older
// rule's, so histories recorded before it replay unchanged and most runs carry no marker.
func (w *item) indicatorSignals(ctx workflow.Context, now time.Time) ([]string, domain.Light) {
	old := w.behindPace(now)
	oldLight := domain.Green
	if len(old) > 0 {
		oldLight = domain.Yellow
	}
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
	if light == oldLight && slices.Equal(behind, old) {
		return old, oldLight
	}
	if !w.v.features && workflow.GetVersion(ctx, forecastChange, workflow.DefaultVersion, 1) < 1 {
		return old, oldLight
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

// behindPace lists the ">=" indicators whose latest reported value is below the pro-rata
// expectation (序时进度): target × elapsed share of the window up to the indicator's deadline.
// It is the rule of version 1 of "indicator-light"; indicatorSignals adds the later ones.
func (w *item) behindPace(now time.Time) []string {
	var out []string
	for _, ind := range w.in.Indicators {
		if ind.Comparator != ">=" || ind.Target <= 0 {
			continue
		}
		if s := w.track(ind, now); s.Behind {
			out = append(out, ind.Name)
		}
	}
	return out
}
