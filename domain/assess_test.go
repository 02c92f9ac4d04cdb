package domain

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

var shanghaiTZ = time.FixedZone("CST", 8*3600)

func d25(m time.Month, d int) time.Time { return time.Date(2025, m, d, 17, 0, 0, 0, shanghaiTZ) }

// endOf is a day as an item deadline: its last second (the window rule, Window.Times).
func endOf(t time.Time) time.Time { return EndOfDay(t, shanghaiTZ) }

// weekdays counts Monday–Friday dates after from's date up to and including to's date.
func weekdays(from, to time.Time) int {
	n := 0
	last := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, shanghaiTZ)
	for d := time.Date(from.Year(), from.Month(), from.Day()+1, 0, 0, 0, 0, shanghaiTZ); !d.After(last); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// year2025 is three departments on two items: 甲 leads item 1 and does everything on time
// and reaches its indicator; 乙 leads item 2, signs late, misses a report for 10 working
// days, is returned once and escalated to L3; 丙 partners item 2 and reports on time.
func year2025() Facts {
	return Facts{
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, shanghaiTZ), End: time.Date(2026, 1, 1, 0, 0, 0, 0, shanghaiTZ),
		Departments: map[uint64]string{1: "市甲局", 2: "市乙局", 3: "市丙局"},
		Roles:       map[ItemDept]AssignmentRole{{1, 1}: Lead, {2, 2}: Lead, {2, 3}: Partner},
		Events: []FactEvent{
			{ID: 1, ItemID: 1, DepartmentID: 1, Type: EventSigned, At: d25(1, 3)},
			{ID: 2, ItemID: 1, DepartmentID: 1, Type: EventReportSubmitted, At: d25(2, 3)},
			{ID: 3, ItemID: 2, DepartmentID: 2, Type: EventOverdue, At: d25(1, 6), Due: d25(1, 6), Deadline: "sign"},
			{ID: 4, ItemID: 2, DepartmentID: 2, Type: EventSigned, At: d25(1, 8), Late: true},
			{ID: 5, ItemID: 2, DepartmentID: 3, Type: EventSigned, At: d25(1, 3)},
			{ID: 6, ItemID: 2, DepartmentID: 3, Type: EventContributionSubmitted, At: d25(2, 1)},
			// Report due Mon 3 Mar, submitted Mon 17 Mar: 10 working days late.
			{ID: 7, ItemID: 2, DepartmentID: 2, Type: EventOverdue, At: d25(3, 3), Due: d25(3, 3), Deadline: "c1"},
			{ID: 8, ItemID: 2, DepartmentID: 2, Type: EventReportSubmitted, At: d25(3, 17), Late: true},
			{ID: 9, ItemID: 2, DepartmentID: 2, Type: EventReturned, At: d25(3, 18)},
			{ID: 10, ItemID: 1, DepartmentID: 1, Type: EventCompleted, At: d25(11, 28)},
		},
		Escalations: []FactEscalation{
			{ID: 1, ItemID: 2, DepartmentID: 2, Level: 1, At: d25(3, 3)},
			{ID: 2, ItemID: 2, DepartmentID: 2, Level: 2, At: d25(3, 6)},
			{ID: 3, ItemID: 2, DepartmentID: 2, Level: 3, At: d25(3, 14)},
		},
		Items: []FactItem{
			{ID: 1, Lead: 1, Times: Times{Start: d25(1, 1), End: endOf(d25(11, 30)), Due: endOf(d25(11, 30))}, CompletedAt: d25(11, 28),
				Indicators: []Indicator{{Name: "新增PCT国际申请", Target: 20, Comparator: ">="}}, Values: map[string]float64{"PCT": 22}},
			{ID: 2, Lead: 2, Times: Times{Start: d25(1, 1), End: endOf(d25(12, 31)), Due: endOf(d25(12, 31))},
				Indicators: []Indicator{{Name: "质押融资", Target: 7, Unit: "亿元", Comparator: ">="}}, Values: map[string]float64{"质押融资": 3.5}},
		},
		Workdays: weekdays,
	}
}

func byDept(rs []DepartmentResult) map[string]DepartmentResult {
	out := map[string]DepartmentResult{}
	for _, r := range rs {
		out[r.Department] = r
	}
	return out
}

func TestAssessScoresAndRanks(t *testing.T) {
	rs := Assess(year2025(), DefaultFormula())
	got := byDept(rs)
	jia, yi, bing := got["市甲局"], got["市乙局"], got["市丙局"]
	// 甲: every rate 1 → base 100, nothing deducted.
	if jia.Score == nil || *jia.Score != 100 || jia.Rank != 1 || !jia.Commended || jia.Criticised {
		t.Errorf("甲: %+v", jia)
	}
	// 乙: sign 0/1, report 0/1, completion 0/1 (due 31 Dec, open), indicators 3.5/7 = 0.5
	// → base 100 × (30×0.5)/100 = 15; deductions: overdue days (2 for signing + 10 for the
	// report) × 0.5 = 6, one return 1, L1 0.5 + L2 1 + L3 3 = 4.5 → 11.5; score 3.5.
	if yi.Lead.OverdueDays != 12 || yi.Lead.Returns != 1 || !slices.Equal(yi.Lead.Escalations, []int{1, 1, 1, 0}) {
		t.Errorf("乙 metrics: %+v", yi.Lead)
	}
	if yi.Score == nil || *yi.Score != 3.5 || yi.Base != 15 || yi.Deducted != 11.5 || yi.Rank != 3 || !yi.Criticised || yi.Commended {
		t.Errorf("乙: score %v base %v deducted %v rank %d criticised %v", deref(yi.Score), yi.Base, yi.Deducted, yi.Rank, yi.Criticised)
	}
	if len(yi.Reasons) != 2 || yi.Reasons[1] != "1 次逾期升级至通报及以上 / 1 escalations reached 通报 or above" { // below 60, and 通报 reached
		t.Errorf("乙 reasons: %q", yi.Reasons)
	}
	// 丙 partners only: sign and report rates 1 → 100, and no lead-only rates.
	if bing.Score == nil || *bing.Score != 100 || bing.Partner.ReportsOnTime != 1 || bing.Completion != nil || bing.Attainment != nil {
		t.Errorf("丙: %+v", bing)
	}
	if jia.Rank != 1 || bing.Rank != 1 { // equal scores share a rank
		t.Errorf("ranks: 甲 %d 丙 %d", jia.Rank, bing.Rank)
	}
	// Every number can be drilled down to its rows.
	if ev := yi.Evidence["lead.overdue_days"]; len(ev) != 2 || ev[0] != (Ref{"event", 3, 2}) || ev[1] != (Ref{"event", 7, 2}) {
		t.Errorf("乙 overdue evidence: %v", ev)
	}
	if ev := yi.Evidence["lead.escalations_l3"]; len(ev) != 1 || ev[0] != (Ref{"escalation", 3, 2}) {
		t.Errorf("乙 L3 evidence: %v", ev)
	}
}

func TestAssessCountsOnlyThePeriod(t *testing.T) {
	f := year2025()
	// The first half-year: item 1 is not yet due, the report is 10 working days late,
	// nothing completed yet.
	f.End = time.Date(2025, 7, 1, 0, 0, 0, 0, shanghaiTZ)
	got := byDept(Assess(f, DefaultFormula()))
	if got["市甲局"].Lead.ItemsDue != 0 || got["市乙局"].Lead.OverdueDays != 12 {
		t.Errorf("half-year: %+v / %+v", got["市甲局"].Lead, got["市乙局"].Lead)
	}
	// A deadline missed in December and still open at the next period's start counts the
	// working days of the new period only.
	f = year2025()
	f.Start, f.End = time.Date(2025, 3, 10, 0, 0, 0, 0, shanghaiTZ), time.Date(2025, 4, 1, 0, 0, 0, 0, shanghaiTZ)
	if d := byDept(Assess(f, DefaultFormula()))["市乙局"].Lead.OverdueDays; d != 6 { // 10–14 and 17 March
		t.Errorf("overdue days clipped to the period: %d, want 6", d)
	}
}

func TestFormulaWeightsAndValidation(t *testing.T) {
	fm := DefaultFormula()
	fm.Weights = Weights{ReportOnTime: 1} // only the report rate counts
	got := byDept(Assess(year2025(), fm))
	if s := got["市乙局"].Score; s == nil || *s != 0 { // base 0, deductions floor at 0
		t.Errorf("乙 with report rate only: %v", deref(s))
	}
	fm = DefaultFormula()
	fm.MaxDeduction = 2
	if d := byDept(Assess(year2025(), fm))["市乙局"].Deducted; d != 2 {
		t.Errorf("deductions capped: %v", d)
	}
	for _, bad := range []func(*Formula){
		func(f *Formula) { f.Weights = Weights{} },
		func(f *Formula) { f.Deductions.Escalation[3] = -1 },
		func(f *Formula) { f.PartnerFactor = 2 },
		func(f *Formula) { f.Commend.TopN = -1 },
		func(f *Formula) { f.Deductions.Return = math.NaN() },
	} {
		fm := DefaultFormula()
		bad(&fm)
		if err := fm.Validate(); err == nil {
			t.Errorf("formula %+v accepted", fm)
		}
	}
	if err := DefaultFormula().Validate(); err != nil {
		t.Error(err)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// A tie at the cut-off is never broken by department order: every unit tied with the last
// one commended is commended, and a unit below the tie is not.
func TestCommendTieAtCutOff(t *testing.T) {
	fm := DefaultFormula()
	fm.Commend.TopN = 2
	score := func(v float64) *float64 { return &v }
	rs := []DepartmentResult{
		{DepartmentID: 1, Department: "甲", Score: score(95)},
		{DepartmentID: 2, Department: "乙", Score: score(99)},
		{DepartmentID: 3, Department: "丙", Score: score(95)},
		{DepartmentID: 4, Department: "丁", Score: score(94)},
		{DepartmentID: 5, Department: "戊", Score: score(95), MaxLevel: 3},
	}
	rank(rs, fm, nil)
	got := byDept(rs)
	for _, n := range []string{"乙", "甲", "丙"} {
		if !got[n].Commended {
			t.Errorf("%s (score %.0f, rank %d) not commended", n, *got[n].Score, got[n].Rank)
		}
	}
	if got["丁"].Commended || got["戊"].Commended {
		t.Errorf("丁 below the tie or 戊 escalated to L3 commended: %+v %+v", got["丁"], got["戊"])
	}
	if got["甲"].Rank != 2 || got["丙"].Rank != 2 || got["丁"].Rank != 5 {
		t.Errorf("ranks 甲 %d 丙 %d 丁 %d, want 2 2 5", got["甲"].Rank, got["丙"].Rank, got["丁"].Rank)
	}
}

// TestCasesFoldedWithTheirWeight folds a year's 督办件 into a plan's assessment: 乙 signs a
// leader's instruction on time and is returned once, which count weight times a plan item
// in its sign rate and deductions while its counts stay counts; a 督办件 led by a department
// the plan does not assess adds nobody to the plan's list.
func TestCasesFoldedWithTheirWeight(t *testing.T) {
	cases := Facts{
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, shanghaiTZ), End: time.Date(2026, 1, 1, 0, 0, 0, 0, shanghaiTZ),
		Departments: map[uint64]string{1: "市甲局", 2: "市乙局", 3: "市丙局", 9: "市丁局"},
		Roles:       map[ItemDept]AssignmentRole{{101, 2}: Lead, {102, 9}: Lead},
		Events: []FactEvent{
			{ID: 101, ItemID: 101, DepartmentID: 2, Type: EventSigned, At: d25(4, 2)},
			{ID: 102, ItemID: 101, DepartmentID: 2, Type: EventReturned, At: d25(4, 20)},
			{ID: 103, ItemID: 102, DepartmentID: 9, Type: EventOverdue, At: d25(4, 7), Due: d25(4, 7), Deadline: "sign"},
		},
		Items: []FactItem{
			{ID: 101, Lead: 2, Times: Times{Start: d25(4, 1), End: endOf(d25(4, 30)), Due: endOf(d25(4, 30))}},
			{ID: 102, Lead: 9, Times: Times{Start: d25(4, 1), End: endOf(d25(4, 30)), Due: endOf(d25(4, 30))}},
		},
	}
	byDept := func(rs []DepartmentResult) map[uint64]DepartmentResult {
		m := map[uint64]DepartmentResult{}
		for _, r := range rs {
			m[r.DepartmentID] = r
		}
		return m
	}
	fm := DefaultFormula()
	alone := byDept(Assess(year2025(), fm))
	for _, c := range []struct {
		weight   float64
		signRate float64 // 乙: on time / (on time + missed), weighed; alone 0 of 1
	}{{1, 1.0 / 2}, {2, 2.0 / 3}} {
		f := year2025()
		f.Fold(cases, c.weight)
		got := byDept(Assess(f, fm))
		if _, ok := got[9]; ok {
			t.Errorf("weight %v: a department only a 督办件 names joined the plan's list", c.weight)
		}
		b := got[2]
		if b.Lead.SignsOnTime != alone[2].Lead.SignsOnTime+1 || b.Lead.Returns != alone[2].Lead.Returns+1 {
			t.Errorf("weight %v: 乙 signed on time %d times, returned %d; want one more of each (counts stay counts)", c.weight, b.Lead.SignsOnTime, b.Lead.Returns)
		}
		if want := math.Min(fm.MaxDeduction, alone[2].Deducted+c.weight*fm.Deductions.Return); math.Abs(b.Deducted-want) > 1e-9 {
			t.Errorf("weight %v: 乙's deduction = %v, want %v", c.weight, b.Deducted, want)
		}
		if b.SignRate == nil || math.Abs(*b.SignRate-c.signRate) > 1e-9 {
			t.Errorf("weight %v: 乙's sign rate = %v, want %v", c.weight, b.SignRate, c.signRate)
		}
		// 乙's 督办件 is not completed by 30 April: it is due in the period.
		wantDue := alone[2].Lead.ItemsDue + 1
		if b.Lead.ItemsDue != wantDue {
			t.Errorf("weight %v: 乙's items due = %d, want %d", c.weight, b.Lead.ItemsDue, wantDue)
		}
		if got[1].Score == nil || alone[1].Score == nil || *got[1].Score != *alone[1].Score {
			t.Errorf("weight %v: 甲, who has no 督办件, scored %v, alone %v", c.weight, got[1].Score, alone[1].Score)
		}
	}
	// The completion rate shows the weight: one plan item closed on time beside one 督办件
	// weighing 3 left open past its deadline.
	f := Facts{Start: cases.Start, End: cases.End, Departments: map[uint64]string{1: "市甲局"},
		Roles: map[ItemDept]AssignmentRole{{1, 1}: Lead},
		Items: []FactItem{{ID: 1, Lead: 1, Times: Times{Start: d25(1, 1), End: endOf(d25(3, 31)), Due: endOf(d25(3, 31))}, CompletedAt: d25(3, 20)}}}
	late := Facts{Roles: map[ItemDept]AssignmentRole{{201, 1}: Lead},
		Items: []FactItem{{ID: 201, Lead: 1, Times: Times{Start: d25(1, 1), End: endOf(d25(3, 31)), Due: endOf(d25(3, 31))}}}}
	f.Fold(late, 3)
	fm.Weights = Weights{Completion: 1}
	r := Assess(f, fm)[0]
	if r.Completion == nil || *r.Completion != 0.25 || r.Lead.ItemsDue != 2 || r.Lead.ItemsOnTime != 1 {
		t.Errorf("completion with a 督办件 weighing 3 = %v (due %d, on time %d), want 0.25 of 2 items", r.Completion, r.Lead.ItemsDue, r.Lead.ItemsOnTime)
	}
}

// TestAssessNonDefaultLadders: a five-rung ladder's fifth rung is counted, deducted (at the
// last listed deduction unless given its own) and named in the criticism; a three-rung
// ladder gives three counts, and nothing is labelled L1…L4.
func TestAssessNonDefaultLadders(t *testing.T) {
	five := year2025()
	five.Levels = []string{"提醒", "催办", "督办通知", "通报", "约谈"}
	five.Escalations = append(five.Escalations,
		FactEscalation{ID: 4, ItemID: 2, DepartmentID: 2, Level: 4, At: d25(3, 20)},
		FactEscalation{ID: 5, ItemID: 2, DepartmentID: 2, Level: 5, At: d25(3, 27)})
	fm := DefaultFormula()
	fm.Criticise.Level = 5
	base := byDept(Assess(year2025(), DefaultFormula()))["市乙局"]
	yi := byDept(Assess(five, fm))["市乙局"]
	if !slices.Equal(yi.Lead.Escalations, []int{1, 1, 1, 1, 1}) || yi.MaxLevel != 5 || len(yi.Evidence["lead.escalations_l5"]) != 1 {
		t.Fatalf("five rungs: counts %v, max level %d, evidence %v", yi.Lead.Escalations, yi.MaxLevel, yi.Evidence["lead.escalations_l5"])
	}
	if got, want := yi.Deducted-base.Deducted, 5.0+5.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("levels 4 and 5 deducted %.2f more, want %.2f (the fifth at the fourth's 5)", got, want)
	}
	if !yi.Criticised || !slices.ContainsFunc(yi.Reasons, func(r string) bool { return strings.Contains(r, "升级至约谈及以上") }) {
		t.Errorf("criticised at the fifth rung by name: %v %q", yi.Criticised, yi.Reasons)
	}
	fm.Deductions.Escalation = []float64{0.5, 1, 3, 5, 8}
	if got := byDept(Assess(five, fm))["市乙局"].Deducted - base.Deducted; math.Abs(got-13) > 1e-9 {
		t.Errorf("a fifth rung with its own deduction 8: %.2f more, want 13", got)
	}

	three := year2025()
	three.Levels = []string{"催办", "通报", "问责"}
	fm = DefaultFormula()
	for _, r := range Assess(three, fm) {
		if len(r.Lead.Escalations) != 3 || len(r.Partner.Escalations) != 3 {
			t.Errorf("%s: %d and %d counts on a three-rung ladder", r.Department, len(r.Lead.Escalations), len(r.Partner.Escalations))
		}
		for _, reason := range r.Reasons {
			if strings.Contains(reason, "L3") {
				t.Errorf("%s: a reason labels a level L3: %q", r.Department, reason)
			}
		}
		if r.Department == "市乙局" && !slices.ContainsFunc(r.Reasons, func(s string) bool { return strings.Contains(s, "升级至问责及以上") }) {
			t.Errorf("乙 criticised at level 3 by its name 问责: %q", r.Reasons)
		}
	}
}
