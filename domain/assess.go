package domain

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Assess computes every department's result for the period under the formula: counts
// with the evidence behind them, rates, score, rank, and the commended and criticised
// lists of the circular. Lateness that began before the period counts only the working
// days inside it.
func Assess(f Facts, fm Formula) []DepartmentResult {
	a := &assessor{f: f, res: map[uint64]*DepartmentResult{}, tallies: map[uint64]*[2]tally{}, levels: len(f.levelNames())}
	for _, e := range f.Escalations { // an item's own ladder may be longer than the plan's
		a.levels = max(a.levels, e.Level)
	}
	for k := range f.Roles { // every department with a share appears, ranked or not
		a.result(k.DepartmentID)
	}
	a.events()
	for _, e := range f.Escalations {
		if a.in(e.At) && e.Level >= 1 {
			m, t, p, r := a.share(e.ItemID, e.DepartmentID)
			m.Escalations[e.Level-1]++
			t.escalations[e.Level-1] += a.weight(e.ItemID)
			r.MaxLevel = max(r.MaxLevel, e.Level)
			a.note(r, p+fmt.Sprintf("escalations_l%d", e.Level), "escalation", e.ID, e.ItemID)
		}
	}
	for _, rec := range f.Records {
		if a.in(rec.OpenedAt) {
			m, t, p, r := a.share(rec.ItemID, rec.DepartmentID)
			m.Records++
			t.records += a.weight(rec.ItemID)
			a.note(r, p+"accountability", "accountability", rec.ID, rec.ItemID)
		}
	}
	a.items()
	for d, v := range f.Satisfaction { // only departments with a share in the plan
		if r := a.res[d]; r != nil {
			v := v
			r.Satisfaction = &v
		}
	}
	out := make([]DepartmentResult, 0, len(a.res))
	for _, r := range a.res {
		a.tally(r.DepartmentID, 0) // a department with no share counted still has its tallies
		t := a.tallies[r.DepartmentID]
		scoreWeighed(r, t[0], t[1], fm)
		out = append(out, *r)
	}
	rank(out, fm, f.levelNames())
	return out
}

type assessor struct {
	f       Facts
	res     map[uint64]*DepartmentResult
	tallies map[uint64]*[2]tally // per department: lead, partner
	levels  int                  // rungs counted: the plan's ladder, or the highest reached
}

// weight is the item's weight (Facts.Weights), 1 unless listed.
func (a *assessor) weight(item uint64) float64 {
	if w, ok := a.f.Weights[item]; ok {
		return w
	}
	return 1
}

// tally is a department's weighed counts in one role, lead (0) or partner (1).
func (a *assessor) tally(dept uint64, role int) *tally {
	t := a.tallies[dept]
	if t == nil {
		t = &[2]tally{{escalations: make([]float64, a.levels)}, {escalations: make([]float64, a.levels)}}
		a.tallies[dept] = t
	}
	return &t[role]
}

func (a *assessor) in(t time.Time) bool { return !t.Before(a.f.Start) && t.Before(a.f.End) }

func (a *assessor) result(dept uint64) *DepartmentResult {
	r := a.res[dept]
	if r == nil {
		r = &DepartmentResult{DepartmentID: dept, Department: a.f.Departments[dept], Evidence: map[string][]Ref{}, Reasons: []string{},
			Lead: Metrics{Escalations: make([]int, a.levels)}, Partner: Metrics{Escalations: make([]int, a.levels)}}
		a.res[dept] = r
	}
	return r
}

// share returns the metrics and weighed tally of the department's role on the item (lead
// unless recorded as a partner), the evidence prefix, and the department's result.
func (a *assessor) share(item, dept uint64) (*Metrics, *tally, string, *DepartmentResult) {
	r := a.result(dept)
	if a.f.Roles[ItemDept{item, dept}] == Partner {
		return &r.Partner, a.tally(dept, 1), "partner.", r
	}
	return &r.Lead, a.tally(dept, 0), "lead.", r
}

func (a *assessor) note(r *DepartmentResult, metric, kind string, id, item uint64) {
	r.Evidence[metric] = append(r.Evidence[metric], Ref{Kind: kind, ID: id, ItemID: item})
}

// events counts signatures, submissions, misses, overdue working days, returns and
// extensions.
func (a *assessor) events() {
	// When did each department's share next act, and when did each item close?
	acted := map[ItemDept][]time.Time{}
	closed := map[uint64]time.Time{}
	for _, e := range a.f.Events {
		switch e.Type {
		case EventSigned, EventReportSubmitted, EventContributionSubmitted, EventCompletionRequested:
			k := ItemDept{e.ItemID, e.DepartmentID}
			acted[k] = append(acted[k], e.At)
		case EventCompleted, EventCancelled:
			if _, ok := closed[e.ItemID]; !ok {
				closed[e.ItemID] = e.At
			}
		}
	}
	for _, e := range a.f.Events {
		if e.DepartmentID == 0 {
			continue
		}
		m, t, p, r := a.share(e.ItemID, e.DepartmentID)
		w := a.weight(e.ItemID)
		in := a.in(e.At)
		switch e.Type {
		case EventSigned:
			if in && !e.Late {
				m.SignsOnTime++
				t.signsOn += w
				a.note(r, p+"signs_on_time", "event", e.ID, e.ItemID)
			}
		case EventReportSubmitted, EventContributionSubmitted, EventCompletionRequested:
			if in && !e.Late {
				m.ReportsOnTime++
				t.reportsOn += w
				a.note(r, p+"reports_on_time", "event", e.ID, e.ItemID)
			}
		case EventOverdue:
			if in && e.Deadline == "sign" {
				m.SignsMissed++
				t.signsMissed += w
				a.note(r, p+"signs_missed", "event", e.ID, e.ItemID)
			} else if in {
				m.ReportsMissed++
				t.reportsMissed += w
				a.note(r, p+"reports_missed", "event", e.ID, e.ItemID)
			}
			if d := a.overdueDays(e, acted[ItemDept{e.ItemID, e.DepartmentID}], closed[e.ItemID]); d > 0 {
				m.OverdueDays += d
				t.overdueDays += w * float64(d)
				a.note(r, p+"overdue_days", "event", e.ID, e.ItemID)
			}
		case EventReturned:
			if in {
				m.Returns++
				t.returns += w
				a.note(r, p+"returns", "event", e.ID, e.ItemID)
			}
		case EventExtensionDecided:
			if in && e.Approved {
				m.Extensions++
				t.extensions += w
				a.note(r, p+"extensions", "event", e.ID, e.ItemID)
			}
		}
	}
}

// overdueDays counts the working days, inside the period, from an overdue deadline to the
// department's next action on the item, the item's closing, or the period's end.
func (a *assessor) overdueDays(e FactEvent, acted []time.Time, closed time.Time) int {
	due := e.Due
	if due.IsZero() {
		due = e.At
	}
	end := a.f.End
	for _, t := range acted {
		if t.After(e.At) && t.Before(end) {
			end = t
			break
		}
	}
	if !closed.IsZero() && closed.Before(end) {
		end = closed
	}
	from := due
	if from.Before(a.f.Start) { // the period's first day counts
		from = a.f.Start.AddDate(0, 0, -1)
	}
	if a.f.Workdays == nil || !end.After(from) {
		return 0
	}
	return a.f.Workdays(from, end)
}

// items counts, for leads, the items due in the period and completed by their end, and
// the indicators' attainment against the pro-rata expectation at the period's end.
func (a *assessor) items() {
	for _, it := range a.f.Items {
		if it.Lead == 0 {
			continue
		}
		r, t, w := a.result(it.Lead), a.tally(it.Lead, 0), a.weight(it.ID)
		if !it.Due.IsZero() && a.in(it.Due) {
			r.Lead.ItemsDue++
			t.itemsDue += w
			a.note(r, "lead.items_due", "item", it.ID, it.ID)
			if !it.CompletedAt.IsZero() && !it.CompletedAt.After(it.Due) {
				r.Lead.ItemsOnTime++
				t.itemsOnTime += w
				a.note(r, "lead.items_on_time", "item", it.ID, it.ID)
			}
		}
		counted := false
		for _, ind := range it.Indicators {
			att, ok := paceAttainment(ind, it, a.f.End)
			if !ok {
				continue
			}
			r.Lead.Attainment = (r.Lead.Attainment*float64(r.Lead.Indicators) + att) / float64(r.Lead.Indicators+1)
			r.Lead.Indicators++
			if !counted {
				a.note(r, "lead.indicators", "item", it.ID, it.ID)
				counted = true
			}
		}
	}
}

// paceAttainment is an indicator's value against what was due by at (序时进度), capped at 1;
// an indicator without a reported value counts 0. A "<=" limit is attained while kept.
func paceAttainment(ind Indicator, it FactItem, at time.Time) (float64, bool) {
	if ind.Target <= 0 || math.IsNaN(ind.Target) {
		return 0, false
	}
	share := ProRata(it.Start, IndicatorEnd(ind, it.End, at.Location()), at)
	if share <= 0 {
		return 0, false
	}
	v, ok := IndicatorValue(it.Values, ind.Name)
	switch {
	case !ok:
		return 0, true
	case ind.Comparator == "<=":
		if v <= ind.Target {
			return 1, true
		}
		return ind.Target / v, true
	default:
		return min(1, max(0, v/(ind.Target*share))), true
	}
}

// sortByScore orders ranked results best first: score, then the lower ladder, then fewer
// escalations, then id.
func sortByScore(rs []DepartmentResult) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if (a.Score == nil) != (b.Score == nil) {
			return a.Score != nil
		}
		if a.Score != nil && *a.Score != *b.Score {
			return *a.Score > *b.Score
		}
		if a.MaxLevel != b.MaxLevel {
			return a.MaxLevel < b.MaxLevel
		}
		if ea, eb := escalations(a), escalations(b); ea != eb {
			return ea < eb
		}
		return a.DepartmentID < b.DepartmentID
	})
}

func escalations(r DepartmentResult) int {
	n := 0
	for i := range r.Lead.Escalations {
		n += r.Lead.Escalations[i] + r.Partner.Escalations[i]
	}
	return n
}
