package domain

import (
	"fmt"
	"math"
)

// tally is one role's counts with each item's weight (Facts.Weights): the rates and
// deductions are computed from it. With every item weighing 1 it equals the Metrics.
type tally struct {
	signsOn, signsMissed, reportsOn, reportsMissed float64
	overdueDays, returns, extensions, records      float64
	itemsDue, itemsOnTime                          float64
	escalations                                    []float64 // per rung
}

// tallyOf is the tally of counts every item of which weighs 1.
func tallyOf(m Metrics) tally {
	t := tally{signsOn: float64(m.SignsOnTime), signsMissed: float64(m.SignsMissed), reportsOn: float64(m.ReportsOnTime),
		reportsMissed: float64(m.ReportsMissed), overdueDays: float64(m.OverdueDays), returns: float64(m.Returns),
		extensions: float64(m.Extensions), records: float64(m.Records), itemsDue: float64(m.ItemsDue), itemsOnTime: float64(m.ItemsOnTime),
		escalations: make([]float64, len(m.Escalations))}
	for i, n := range m.Escalations {
		t.escalations[i] = float64(n)
	}
	return t
}

// score fills the rates, base, deductions and score of one department whose items all
// weigh 1.
func score(r *DepartmentResult, fm Formula) { scoreWeighed(r, tallyOf(r.Lead), tallyOf(r.Partner), fm) }

// scoreWeighed fills the rates, base, deductions and score of one department from its
// weighed lead and partner tallies.
func scoreWeighed(r *DepartmentResult, l, p tally, fm Formula) {
	rate := func(on, missed float64) *float64 {
		if on+missed <= 0 {
			return nil
		}
		v := on / (on + missed)
		return &v
	}
	r.SignRate = rate(l.signsOn+p.signsOn, l.signsMissed+p.signsMissed)
	r.ReportRate = rate(l.reportsOn+p.reportsOn, l.reportsMissed+p.reportsMissed)
	r.Completion = rate(l.itemsOnTime, l.itemsDue-l.itemsOnTime)
	if r.Lead.Indicators > 0 {
		v := r.Lead.Attainment
		r.Attainment = &v
	}
	var sum, weight float64
	for _, c := range []struct {
		w float64
		v *float64
	}{{fm.Weights.SignOnTime, r.SignRate}, {fm.Weights.ReportOnTime, r.ReportRate}, {fm.Weights.Completion, r.Completion}, {fm.Weights.Indicators, r.Attainment},
		{fm.Weights.Satisfaction, r.Satisfaction}} {
		if c.v != nil && c.w > 0 {
			sum += c.w * *c.v
			weight += c.w
		}
	}
	r.Deducted = round2(min(fm.MaxDeduction, deductions(l, fm.Deductions)+fm.PartnerFactor*deductions(p, fm.Deductions)))
	if weight == 0 {
		return
	}
	r.Base = round2(100 * sum / weight)
	s := round2(max(0, r.Base-r.Deducted))
	r.Score = &s
}

// deductions are one role's points off.
func deductions(t tally, d Deductions) float64 {
	v := d.OverdueDay*t.overdueDays + d.Return*t.returns + d.Extension*t.extensions + d.Accountability*t.records
	for i, n := range t.escalations {
		v += d.EscalationAt(i+1) * n
	}
	return v
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// rank orders the results, numbers the scored ones (equal scores share a rank: 1, 2, 2, 4)
// and marks the commended and criticised with their reasons. Units tied with the last
// commended unit are commended too, so TopN may be exceeded on a tie.
func rank(rs []DepartmentResult, fm Formula, levels []string) {
	sortByScore(rs)
	commended, last := 0, 0.0
	for i := range rs {
		r := &rs[i]
		if r.Score == nil {
			continue
		}
		r.Rank = i + 1
		if i > 0 && rs[i-1].Score != nil && *rs[i-1].Score == *r.Score {
			r.Rank = rs[i-1].Rank
		}
		clean := r.MaxLevel == 0 || (fm.Commend.MaxLevel > 0 && r.MaxLevel < fm.Commend.MaxLevel)
		// A unit tied with the last one commended is commended too: the cut-off never
		// separates equal scores by something as arbitrary as department order.
		room := commended < fm.Commend.TopN || (commended > 0 && *r.Score == last)
		if room && *r.Score >= fm.Commend.MinScore && clean {
			r.Commended = true
			commended++
			last = *r.Score
			r.Reasons = append(r.Reasons, fmt.Sprintf("得分 %.2f，排名第 %d / score %.2f, rank %d", *r.Score, r.Rank, *r.Score, r.Rank))
		}
	}
	for i := range rs {
		r := &rs[i]
		if r.Commended {
			continue
		}
		if r.Score != nil && *r.Score < fm.Criticise.Below {
			r.Criticised = true
			r.Reasons = append(r.Reasons, fmt.Sprintf("得分 %.2f，低于 %.0f 分 / score %.2f, below %.0f", *r.Score, fm.Criticise.Below, *r.Score, fm.Criticise.Below))
		}
		if fm.Criticise.Level > 0 && r.MaxLevel >= fm.Criticise.Level {
			r.Criticised = true
			n := 0
			for l := fm.Criticise.Level; l <= len(r.Lead.Escalations); l++ {
				n += r.Lead.Escalations[l-1] + r.Partner.Escalations[l-1]
			}
			name := LevelName(levels, fm.Criticise.Level)
			r.Reasons = append(r.Reasons, fmt.Sprintf("%d 次逾期升级至%s及以上 / %d escalations reached %s or above", n, name, n, name))
		}
		if n := r.Lead.Records + r.Partner.Records; n > 0 {
			r.Criticised = true
			r.Reasons = append(r.Reasons, fmt.Sprintf("%d 项被追究责任 / %d accountability records", n, n))
		}
	}
}
