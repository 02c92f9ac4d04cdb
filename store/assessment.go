package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// assessedEvents are the audit event types an assessment reads.
var assessedEvents = []string{
	string(domain.EventSigned), string(domain.EventReportSubmitted), string(domain.EventContributionSubmitted),
	string(domain.EventCompletionRequested), string(domain.EventOverdue), string(domain.EventReturned),
	string(domain.EventExtensionDecided), string(domain.EventCompleted), string(domain.EventCancelled),
}

// AssessmentFacts reads what the assessment of a plan over [start, end) needs; Workdays is
// left for the caller (the calendar).
func (s *Store) AssessmentFacts(ctx context.Context, planID uint64, start, end time.Time) (domain.Facts, error) {
	f := domain.Facts{Start: start, End: end, Departments: map[uint64]string{}, Roles: map[domain.ItemDept]domain.AssignmentRole{}}
	db := s.db.WithContext(ctx)
	ds, err := s.ListDepartments(ctx)
	if err != nil {
		return f, err
	}
	for _, d := range ds {
		f.Departments[d.ID] = d.Name
	}
	items, err := s.PlanItems(ctx, planID)
	if err != nil {
		return f, err
	}
	ids := make([]uint64, len(items))
	for i, it := range items {
		ids[i] = it.ID
		for _, a := range it.Assignments {
			f.Roles[domain.ItemDept{ItemID: it.ID, DepartmentID: a.DepartmentID}] = a.Role
		}
	}
	var evs []Event
	if err := db.Where("plan_id = ? AND at < ? AND type IN ?", planID, end, assessedEvents).Order("at, id").Find(&evs).Error; err != nil {
		return f, err
	}
	completed := map[uint64]time.Time{}
	for _, e := range evs {
		fe, err := factEvent(e)
		if err != nil {
			return f, err
		}
		f.Events = append(f.Events, fe)
		if e.Type == string(domain.EventCompleted) {
			completed[e.ItemID] = e.At
		}
	}
	if len(ids) > 0 {
		var es []Escalation
		if err := db.Where("item_id IN ? AND at < ?", ids, end).Order("id").Find(&es).Error; err != nil {
			return f, err
		}
		for _, e := range es {
			f.Escalations = append(f.Escalations, domain.FactEscalation{ID: e.ID, ItemID: e.ItemID, DepartmentID: e.DepartmentID, Level: e.Level, At: e.At})
		}
	}
	recs, err := s.ListAccountability(ctx, AccountabilityFilter{PlanID: planID, To: end})
	if err != nil {
		return f, err
	}
	for _, r := range recs {
		f.Records = append(f.Records, domain.FactRecord{ID: r.ID, ItemID: r.ItemID, DepartmentID: r.DepartmentID, OpenedAt: r.OpenedAt, Decision: r.Decision})
	}
	values, err := s.IndicatorValuesAt(ctx, end, ids...)
	if err != nil {
		return f, err
	}
	plan, err := s.GetPlan(ctx, planID)
	if err != nil {
		return f, err
	}
	planEnd := domain.ParseDay(plan.PeriodEnd, calendar.Shanghai)
	for _, it := range items {
		fi := domain.FactItem{ID: it.ID, Ref: it.Ref, Title: it.Title, Times: it.Times(planEnd, calendar.Shanghai),
			CompletedAt: completed[it.ID], Indicators: it.Indicators, Values: values[it.ID]}
		if l := it.Lead(); l != nil {
			fi.Lead = l.DepartmentID
		}
		f.Items = append(f.Items, fi)
	}
	if f.Satisfaction, err = s.Satisfaction(ctx, planID, start, end); err != nil {
		return f, err
	}
	return f, nil
}

// factEvent reads the facts an assessment needs from an event: its lateness from the
// column, which deadline and when from the typed payload.
func factEvent(e Event) (domain.FactEvent, error) {
	fe := domain.FactEvent{ID: e.ID, ItemID: e.ItemID, DepartmentID: e.DepartmentID, Type: domain.EventType(e.Type), At: e.At}
	if e.Late != nil {
		fe.Late = *e.Late
	}
	p, err := domain.DecodeEvent(fe.Type, []byte(e.Payload))
	if err != nil {
		return fe, fmt.Errorf("store: event %d: %w", e.ID, err)
	}
	switch p := p.(type) {
	case domain.Overdue:
		fe.Deadline, fe.Due = p.Key, p.Due
	case domain.ExtensionDecided:
		fe.Approved = p.Approved
	}
	return fe, nil
}

// IndicatorValuesAt returns, per item, the latest value of each indicator known before at:
// reported with submissions (reports and completion requests) or entered by hand.
func (s *Store) IndicatorValuesAt(ctx context.Context, at time.Time, itemIDs ...uint64) (map[uint64]map[string]float64, error) {
	out := map[uint64]map[string]float64{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	type point struct {
		item uint64
		at   time.Time
		vals map[string]float64
	}
	var pts []point
	var subs []Submission
	if err := s.db.WithContext(ctx).Select("id", "item_id", "indicators_json", "created_at").
		Where("item_id IN ? AND kind IN ? AND state <> ? AND created_at < ?", itemIDs, []string{string(domain.KindReport), string(domain.KindCompletion)}, string(domain.SubmissionReturned), at).
		Find(&subs).Error; err != nil {
		return nil, err
	}
	for _, sub := range subs {
		var v map[string]float64
		if json.Unmarshal([]byte(sub.IndicatorsJSON), &v) == nil && len(v) > 0 {
			pts = append(pts, point{sub.ItemID, sub.CreatedAt, v})
		}
	}
	var rs []IndicatorReading
	if err := s.db.WithContext(ctx).Where("item_id IN ? AND at < ?", itemIDs, at).Find(&rs).Error; err != nil {
		return nil, err
	}
	for _, r := range rs {
		pts = append(pts, point{r.ItemID, r.At, map[string]float64{r.Name: r.Value}})
	}
	latest := map[uint64]map[string]time.Time{}
	for _, p := range pts {
		if out[p.item] == nil {
			out[p.item], latest[p.item] = map[string]float64{}, map[string]time.Time{}
		}
		for k, v := range p.vals {
			if t, ok := latest[p.item][k]; !ok || !p.at.Before(t) {
				out[p.item][k], latest[p.item][k] = v, p.at
			}
		}
	}
	return out, nil
}
