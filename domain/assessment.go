package domain

import (
	"fmt"
	"math"
)

// Formula is the scoring rule of an assessment (考核评分办法), configurable per deployment
// and kept with every run so a published ranking can always be recomputed.
//
// A department's base score is 100 × Σ(weight × rate) / Σ(weight) over the rates that apply
// to it (a department with no indicators is scored on the other three). Deductions follow:
// per overdue working day, per return, per extension, per escalation by its level and per
// accountability record, counted in full for items the department leads and times
// PartnerFactor for items it partners, in all at most MaxDeduction. The score is never
// below 0. A department with no rate at all (nothing assigned in the period) is not ranked.
type Formula struct {
	Weights       Weights    `json:"weights" yaml:"weights"`
	Deductions    Deductions `json:"deductions" yaml:"deductions"`
	PartnerFactor float64    `json:"partner_factor" yaml:"partner_factor"`
	MaxDeduction  float64    `json:"max_deduction" yaml:"max_deduction"`
	Commend       Commend    `json:"commend" yaml:"commend"`
	Criticise     Criticise  `json:"criticise" yaml:"criticise"`
	// CaseWeight folds the period's 督办件 (single supervision items) into every plan's
	// assessment, for the departments the plan assesses, each counting CaseWeight times a
	// plan item in the rates and deductions (e.g. 2: a leader's instruction counts double).
	// 0, the default, assesses a plan on its own items; the 督办件 are then assessed through
	// their own yearly plans (督办件 · 领导批示 2026 …) like any plan.
	CaseWeight float64 `json:"case_weight" yaml:"case_weight"`
}

// Weights weigh the rates, each between 0 and 1.
type Weights struct {
	SignOnTime   float64 `json:"sign_on_time" yaml:"sign_on_time"`     // 按时签收率
	ReportOnTime float64 `json:"report_on_time" yaml:"report_on_time"` // 按时报送率
	Completion   float64 `json:"completion" yaml:"completion"`         // 按期办结率 (lead only)
	Indicators   float64 `json:"indicators" yaml:"indicators"`         // 指标完成率 (lead only)
	// Satisfaction weighs the mean result of satisfaction evaluations (满意度测评) of the
	// period about the department; a department nobody evaluated is scored without it.
	Satisfaction float64 `json:"satisfaction" yaml:"satisfaction"`
}

// Deductions are points taken off per occurrence.
type Deductions struct {
	OverdueDay float64 `json:"overdue_day" yaml:"overdue_day"` // per working day overdue
	Return     float64 `json:"return" yaml:"return"`
	Extension  float64 `json:"extension" yaml:"extension"` // per approved extension
	// Escalation is the deduction per escalation, by rung ([0] for level 1); a level past the
	// list takes the last one, so a five-rung ladder's top rung costs what the fourth does
	// unless given its own.
	Escalation     []float64 `json:"escalation" yaml:"escalation"`
	Accountability float64   `json:"accountability" yaml:"accountability"`
}

// Commend picks the units for 通报表扬: the best TopN with at least MinScore and no
// escalation at MaxLevel or above (0: any escalation disqualifies); units tied with the
// last one picked are picked too.
type Commend struct {
	TopN     int     `json:"top_n" yaml:"top_n"`
	MinScore float64 `json:"min_score" yaml:"min_score"`
	MaxLevel int     `json:"max_level" yaml:"max_level"`
}

// Criticise picks the units for 通报批评: a score below Below, an escalation at Level or
// above, or an accountability record in the period.
type Criticise struct {
	Below float64 `json:"below" yaml:"below"`
	Level int     `json:"level" yaml:"level"`
}

// DefaultFormula is the formula Duban ships with: rates 10/30/30/30 and satisfaction 10 (when
// evaluated), half a point per
// overdue working day, one per return, L1–L4 escalations 0.5/1/3/5, accountability 5,
// partners at half weight, at most 60 points deducted; the best three at 90 or more with
// nothing past L1 are commended; below 60, any L3, or accountability is criticised.
func DefaultFormula() Formula {
	return Formula{
		Weights:       Weights{SignOnTime: 10, ReportOnTime: 30, Completion: 30, Indicators: 30, Satisfaction: 10},
		Deductions:    Deductions{OverdueDay: 0.5, Return: 1, Extension: 0.5, Escalation: []float64{0.5, 1, 3, 5}, Accountability: 5},
		PartnerFactor: 0.5,
		MaxDeduction:  60,
		Commend:       Commend{TopN: 3, MinScore: 90, MaxLevel: 2},
		Criticise:     Criticise{Below: 60, Level: 3},
	}
}

// Validate names the first field out of range.
func (f Formula) Validate() error {
	nums := []struct {
		field string
		v     float64
	}{
		{"weights.sign_on_time", f.Weights.SignOnTime}, {"weights.report_on_time", f.Weights.ReportOnTime},
		{"weights.completion", f.Weights.Completion}, {"weights.indicators", f.Weights.Indicators},
		{"weights.satisfaction", f.Weights.Satisfaction},
		{"deductions.overdue_day", f.Deductions.OverdueDay}, {"deductions.return", f.Deductions.Return},
		{"deductions.extension", f.Deductions.Extension}, {"deductions.accountability", f.Deductions.Accountability},
		{"partner_factor", f.PartnerFactor}, {"max_deduction", f.MaxDeduction}, {"case_weight", f.CaseWeight},
		{"commend.min_score", f.Commend.MinScore}, {"criticise.below", f.Criticise.Below},
	}
	for i, d := range f.Deductions.Escalation {
		nums = append(nums, struct {
			field string
			v     float64
		}{fmt.Sprintf("deductions.escalation[%d]", i), d})
	}
	for _, n := range nums {
		if n.v < 0 || n.v > 1000 || math.IsNaN(n.v) {
			return Invalidf(n.field, "%s 应在 0–1000 之间 / %s must be between 0 and 1000", n.field, n.field)
		}
	}
	w := f.Weights
	if w.SignOnTime+w.ReportOnTime+w.Completion+w.Indicators+w.Satisfaction == 0 {
		return Invalidf("weights", "权重不能全为 0 / at least one weight must be positive")
	}
	if f.PartnerFactor > 1 {
		return Invalidf("partner_factor", "配合单位系数应在 0–1 之间 / partner_factor must be between 0 and 1")
	}
	if f.Commend.TopN < 0 || f.Commend.TopN > 100 {
		return Invalidf("commend.top_n", "表扬名额应在 0–100 之间 / commend.top_n must be between 0 and 100")
	}
	if len(f.Deductions.Escalation) > MaxRungs {
		return Invalidf("deductions.escalation", "每级扣分最多 %d 级 / at most %d levels", MaxRungs, MaxRungs)
	}
	if f.Commend.MaxLevel < 0 || f.Commend.MaxLevel > MaxRungs {
		return Invalidf("commend.max_level", "升级层级应在 0–%d 之间 / levels must be between 0 and %d", MaxRungs, MaxRungs)
	}
	if f.Criticise.Level < 0 || f.Criticise.Level > MaxRungs {
		return Invalidf("criticise.level", "升级层级应在 0–%d 之间 / levels must be between 0 and %d", MaxRungs, MaxRungs)
	}
	return nil
}

// EscalationAt is the deduction for one escalation at level (from 1): the list's entry, or
// its last past its end; none for an empty list.
func (d Deductions) EscalationAt(level int) float64 {
	if len(d.Escalation) == 0 || level < 1 {
		return 0
	}
	return d.Escalation[min(level, len(d.Escalation))-1]
}
