package assess

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Service runs assessments and drafts circulars.
type Service struct {
	Store    *store.Store
	Calendar *calendar.Calendar
	// Formula scores departments; the zero value means domain.DefaultFormula().
	Formula *domain.Formula
	// Issuer signs circulars (发文机关), e.g. 市知识产权强市建设工作领导小组办公室; empty:
	// DefaultIssuer.
	Issuer string
	// NumberPrefix is the circulars' document-number prefix, e.g. 督办通报 → 督办通报〔2025〕1号.
	NumberPrefix string
}

// Result is an assessment as stored and served: the period, the formula and the ranked
// departments.
type Result struct {
	Period  Period         `json:"period"`
	Formula domain.Formula `json:"formula"`
	// Levels are the names of the plan's ladder's rungs the escalation counts are by (runs
	// stored before December 2026 have none: the default ladder's).
	Levels      []string                  `json:"levels"`
	Departments []domain.DepartmentResult `json:"departments"`
}

// LevelName is the name of an escalation level of the run (催办 … on the default ladder).
func (r *Result) LevelName(level int) string { return domain.LevelName(r.Levels, level) }

// RunInput names what to assess. DedupeKey makes a retried scheduled run harmless; empty
// for a manual run (each run is then its own).
type RunInput struct {
	PlanID    uint64
	Period    Period
	Trigger   string // manual, schedule
	By        uint64
	DedupeKey string
}

func (s *Service) formula() domain.Formula {
	if s.Formula != nil {
		return *s.Formula
	}
	return domain.DefaultFormula()
}

// Run computes and stores an assessment. It reports whether it stored a new run (false: a
// run with the same dedupe key existed, which is returned).
func (s *Service) Run(ctx context.Context, in RunInput) (*store.Assessment, *Result, bool, error) {
	plan, err := s.Store.GetPlan(ctx, in.PlanID)
	if err != nil {
		return nil, nil, false, err
	}
	policy, err := domain.ParsePolicy(domain.DefaultPolicy(), []byte(plan.PolicyJSON))
	if err != nil {
		return nil, nil, false, fmt.Errorf("assess: plan %d's policy: %w", in.PlanID, err)
	}
	if s.Calendar == nil {
		return nil, nil, false, domain.E(domain.KindUnavailable, "", "工作日历未加载 / the working-day calendar is not loaded", nil)
	}
	fm := s.formula()
	if err := fm.Validate(); err != nil {
		return nil, nil, false, fmt.Errorf("assess: configured formula: %w", err)
	}
	facts, err := s.Store.AssessmentFacts(ctx, in.PlanID, in.Period.Start, in.Period.End)
	if err != nil {
		return nil, nil, false, err
	}
	if err := s.foldCases(ctx, &facts, in, fm.CaseWeight); err != nil {
		return nil, nil, false, err
	}
	var calErr error
	facts.Workdays = func(from, to time.Time) int {
		n, err := s.Calendar.WorkdaysBetween(from, to)
		if err != nil && calErr == nil {
			calErr = err
		}
		return n
	}
	facts.Levels = domain.LevelNames(policy.Ladder)
	res := &Result{Period: in.Period, Formula: fm, Levels: facts.Levels, Departments: domain.Assess(facts, fm)}
	if calErr != nil { // a year the calendar lacks: refuse rather than count wrong
		return nil, nil, false, domain.E(domain.KindUnavailable, "period", "工作日历缺少该期间的数据，请管理员补充 / the working-day calendar lacks data for this period; an admin must add the year", calErr)
	}
	fj, _ := json.Marshal(fm)
	rj, err := json.Marshal(res)
	if err != nil {
		return nil, nil, false, err
	}
	key := in.DedupeKey
	if key == "" {
		key = fmt.Sprintf("manual:%d:%d", in.PlanID, time.Now().UnixNano())
	}
	a := &store.Assessment{PlanID: in.PlanID, Period: in.Period.Kind, Label: in.Period.Label, Start: in.Period.Start.UTC(),
		End: in.Period.End.UTC(), FormulaJSON: string(fj), ResultJSON: string(rj), Trigger: in.Trigger, DedupeKey: key, CreatedBy: in.By}
	saved, created, err := s.Store.SaveAssessment(ctx, a)
	if err != nil {
		return nil, nil, false, err
	}
	if !created {
		res, err = Decode(saved)
	}
	return saved, res, created, err
}

// Decode reads a stored run's result.
func Decode(a *store.Assessment) (*Result, error) {
	var r Result
	if err := json.Unmarshal([]byte(a.ResultJSON), &r); err != nil {
		return nil, fmt.Errorf("assess: assessment %d: %w", a.ID, err)
	}
	if len(r.Levels) == 0 { // stored before runs named their levels: the default ladder then
		r.Levels = domain.LevelNames(domain.DefaultPolicy().Ladder)
	}
	return &r, nil
}

// DefaultIssuer signs what the office issues when the configuration names none.
const DefaultIssuer = "督查督办办公室"

// DefaultNumberPrefix begins a circular's number (督办通报〔2026〕1号) when the
// configuration names none.
const DefaultNumberPrefix = "督办通报"

// foldCases adds the period's 督办件 to a plan's facts with the formula's weight, unless the
// weight is 0 or the plan is itself a yearly plan of 督办件.
func (s *Service) foldCases(ctx context.Context, facts *domain.Facts, in RunInput, weight float64) error {
	if weight == 0 {
		return nil
	}
	plans, err := s.Store.CasePlans(ctx, in.Period.Start, in.Period.End)
	if err != nil || slices.Contains(plans, in.PlanID) {
		return err
	}
	for _, id := range plans {
		g, err := s.Store.AssessmentFacts(ctx, id, in.Period.Start, in.Period.End)
		if err != nil {
			return err
		}
		facts.Fold(g, weight)
	}
	return nil
}
