package workflows

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// forecastChange is the GetVersion change id of the forecast rule: version 1 turns an
// item red when an indicator cannot be met by its deadline at the current pace, and
// counts "<=" and "=" indicators as behind (before it only ">=" ones were, in yellow).
const forecastChange = "indicator-forecast"

// maxReadingNote bounds a reading's note (the store keeps 512 characters).
const maxReadingNote = 500

// RecordIndicatorInput is a value a supervisor enters by hand (指标录入), from statistics
// the departments do not report themselves.
type RecordIndicatorInput struct {
	Acting
	Name  string    // the indicator's name, exactly as on the item
	Value float64   // the cumulative value as of At
	At    time.Time // the date the value is as of
	Note  string    // the source, e.g. 市统计局2025年一季度数据
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
	if !w.features && workflow.GetVersion(ctx, forecastChange, workflow.DefaultVersion, 1) < 1 {
		return old, oldLight
	}
	return behind, light
}

// validateRecordIndicator accepts a reading of one of the item's own indicators with a
// finite value and an as-of date, while the item is open.
func (w *item) validateRecordIndicator(in RecordIndicatorInput) error {
	if err := w.open(); err != nil {
		return err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return domain.Invalidf("name", "请指明指标 / name is required")
	}
	if !slices.ContainsFunc(w.in.Indicators, func(ind domain.Indicator) bool { return ind.Name == name }) {
		return domain.Invalidf("name", "该事项没有指标“%s” / the item has no indicator %q", name, name)
	}
	if math.IsNaN(in.Value) || math.IsInf(in.Value, 0) {
		return domain.Invalidf("value", "指标值须为有限的数 / value must be a finite number")
	}
	if in.At.IsZero() {
		return domain.Invalidf("at", "请填写数据截至日期 / at (the date the value is as of) is required")
	}
	if utf8.RuneCountInString(in.Note) > maxReadingNote {
		return domain.Invalidf("note", "说明不超过 %d 字 / note is longer than %d characters", maxReadingNote, maxReadingNote)
	}
	return nil
}

// recordIndicator stores a hand-entered value (指标录入): it becomes the indicator's latest
// value, so the light reacts at once, and is written as a reading with an audit event.
func (w *item) recordIndicator(ctx workflow.Context, in RecordIndicatorInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateRecordIndicator(in); err != nil { // see submit: re-checked under the mutex
			return err
		}
		name := strings.TrimSpace(in.Name)
		if in.At.After(workflow.Now(ctx).Add(24 * time.Hour)) {
			return domain.Invalidf("at", "数据截至日期不能晚于今天 / at must not be in the future")
		}
		if w.st.Values == nil {
			w.st.Values = map[string]float64{}
		}
		// Under the exact name: it wins over the short keys of earlier reports.
		w.st.Values[name] = in.Value
		w.tr.Readings = append(w.tr.Readings, activities.ReadingRecord{
			Name: name, Value: in.Value, At: in.At, Note: in.Note, EnteredBy: in.Actor.UserID,
		})
		w.event(domain.EventIndicatorRecorded, 0, 0, in.Actor,
			map[string]any{"name": name, "value": in.Value, "as_of": in.At, "note": in.Note})
		return nil
	})
}
