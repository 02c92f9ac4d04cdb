package api

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/workflows"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1/items/:id", s.authn)
		g.GET("/indicators", s.itemIndicators)
		g.POST("/indicators/readings", s.recordReading)
	})
}

// IndicatorPoint is one value of an indicator: from a report or completion request (at its
// submission time) or entered by hand (source "manual", at its as-of date).
type IndicatorPoint struct {
	At           time.Time `json:"at"`
	Value        float64   `json:"value"`
	Source       string    `json:"source"` // report, completion, manual
	SubmissionID uint64    `json:"submission_id,omitempty"`
	Note         string    `json:"note,omitempty"`
	RecordedAt   time.Time `json:"recorded_at"`
}

// IndicatorTrack is an indicator measured now with its latest value (domain.Track).
type IndicatorTrack struct {
	Value      *float64 `json:"value"`
	Share      float64  `json:"share"`      // elapsed share of the window (序时进度)
	Expected   float64  `json:"expected"`   // target × share
	Attainment *float64 `json:"attainment"` // 1 = target met
	Forecast   *float64 `json:"forecast"`   // at the deadline, at the current pace
	Behind     bool     `json:"behind"`     // 滞后
	AtRisk     bool     `json:"at_risk"`    // 无法按期完成
}

// IndicatorView is an indicator (指标) with its values over time and where it stands.
type IndicatorView struct {
	domain.Indicator
	Start  *time.Time       `json:"start"` // the window the pace is measured over
	End    *time.Time       `json:"end"`   // the deadline, or the window's end
	Series []IndicatorPoint `json:"series"`
	Status IndicatorTrack   `json:"status"`
}

// itemIndicators answers the item page's indicator charts.
func (s *Server) itemIndicators(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReadItem)
	if err != nil {
		return err
	}
	return s.indicatorsResponse(c, http.StatusOK, it, p)
}

func (s *Server) indicatorsResponse(c echo.Context, status int, it *domain.Item, p *Principal) error {
	ctx := c.Request().Context()
	plan, _ := s.deps.Store.GetPlan(ctx, it.PlanID)
	now := s.deps.Now()
	views, err := s.indicatorViews(ctx, []domain.Item{*it}, plan, now)
	if err != nil {
		return err
	}
	canRecord := len(views[it.ID]) > 0 && it.Status.Open() && it.Status != domain.StatusPending && s.authorizePlan(c, p, ActReview, it.PlanID) == nil
	return c.JSON(status, map[string]any{"item_id": it.ID, "as_of": now, "can_record": canRecord, "indicators": views[it.ID]})
}

// indicatorViews builds the indicators of items with their series and status at now. The
// latest value is the one entered last, as in the workflow that sets the traffic light.
func (s *Server) indicatorViews(ctx context.Context, items []domain.Item, plan *store.Plan, now time.Time) (map[uint64][]IndicatorView, error) {
	ids := make([]uint64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	subs, err := s.deps.Store.IndicatorSubmissions(ctx, ids...)
	if err != nil {
		return nil, err
	}
	readings, err := s.deps.Store.IndicatorReadings(ctx, ids...)
	if err != nil {
		return nil, err
	}
	var planEnd time.Time
	if plan != nil {
		planEnd = domain.ParseDay(plan.PeriodEnd, calendar.Shanghai)
	}
	out := map[uint64][]IndicatorView{}
	for _, it := range items {
		times := it.Times(planEnd, calendar.Shanghai)
		views := []IndicatorView{}
		for _, ind := range it.Indicators {
			end := domain.IndicatorEnd(ind, times.End, calendar.Shanghai)
			v := IndicatorView{Indicator: ind, Start: optTime(times.Start), End: optTime(end)}
			v.Series = indicatorSeries(ind.Name, subs[it.ID], readings[it.ID])
			var latest *IndicatorPoint
			for i := range v.Series {
				if p := &v.Series[i]; latest == nil || !p.RecordedAt.Before(latest.RecordedAt) {
					latest = p
				}
			}
			v.Status = trackView(domain.Track(ind, valueOf(latest), latest != nil, times.Start, end, now))
			views = append(views, v)
		}
		out[it.ID] = views
	}
	return out, nil
}

// indicatorSeries collects an indicator's values, ordered by the date they are as of.
func indicatorSeries(name string, subs []store.Submission, readings []store.IndicatorReading) []IndicatorPoint {
	out := []IndicatorPoint{}
	for _, sub := range subs {
		var vals map[string]float64
		if json.Unmarshal([]byte(sub.IndicatorsJSON), &vals) != nil {
			continue
		}
		if v, ok := domain.IndicatorValue(vals, name); ok {
			out = append(out, IndicatorPoint{At: sub.CreatedAt, Value: v, Source: sub.Kind, SubmissionID: sub.ID, RecordedAt: sub.CreatedAt})
		}
	}
	for _, r := range readings {
		if r.Name == name {
			out = append(out, IndicatorPoint{At: r.At, Value: r.Value, Source: "manual", Note: r.Note, RecordedAt: r.CreatedAt})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func valueOf(p *IndicatorPoint) float64 {
	if p == nil {
		return 0
	}
	return p.Value
}

func trackView(st domain.IndicatorStatus) IndicatorTrack {
	v := IndicatorTrack{Share: st.Share, Expected: st.Expected, Behind: st.Behind, AtRisk: st.AtRisk}
	if st.HasValue {
		v.Value, v.Attainment, v.Forecast = &st.Value, &st.Attainment, &st.Forecast
	}
	return v
}

// readingBody is a value entered by hand. At is a date (2006-01-02, Beijing time) or an
// RFC 3339 time; it defaults to now.
type readingBody struct {
	Name  string   `json:"name"`
	Value *float64 `json:"value"`
	At    string   `json:"at"`
	Note  string   `json:"note"`
}

// recordReading lets a supervisor of the item's plan record an indicator value (指标录入)
// through the workflow, which re-lights the item and writes the reading and its audit event.
func (s *Server) recordReading(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReview)
	if err != nil {
		return err
	}
	var b readingBody
	if err := bind(c, &b); err != nil {
		return err
	}
	in, err := b.input(it, s.deps.Now())
	if err != nil {
		return err
	}
	in.Acting = workflows.Acting{Actor: actor(c, p)}
	if err := s.update(c, it, p, workflows.UpdateRecordIndicator, in, nil); err != nil {
		return err
	}
	return s.indicatorsResponse(c, http.StatusCreated, it, p)
}

// input reads the body into the workflow's input and checks it by the same rule the
// workflow's validator applies (domain.CheckReading), so a bad value is refused before it
// reaches Temporal.
func (b readingBody) input(it *domain.Item, now time.Time) (workflows.RecordIndicatorInput, error) {
	in := workflows.RecordIndicatorInput{Reading: domain.Reading{Name: strings.TrimSpace(b.Name), Note: strings.TrimSpace(b.Note), At: now}}
	if b.Value == nil {
		if err := domain.CheckReading(it.Indicators, domain.Reading{Name: in.Name, At: now}, time.Time{}); err != nil {
			return in, err // the name is wrong as well: say that first
		}
		return in, domain.Invalidf("value", "请填写指标值 / value is required")
	}
	in.Value = *b.Value
	if b.At != "" {
		at, err := time.ParseInLocation(time.DateOnly, b.At, calendar.Shanghai)
		if err != nil {
			if at, err = time.Parse(time.RFC3339, b.At); err != nil {
				return in, domain.Invalidf("at", "日期格式应为 2006-01-02 或 RFC 3339 / at must be 2006-01-02 or RFC 3339")
			}
		}
		in.At = at
	}
	return in, domain.CheckReading(it.Indicators, in.Reading, now)
}
