package api

import (
	"context"

	"github.com/dubanhq/duban/domain"
)

// ladders are the rungs of plans' policies, by plan, to call a level by its name (催办,
// 督办通知 …) wherever a person reads it.
type ladders map[uint64][]domain.Rung

// laddersOf reads the ladders of the plans of items.
func (s *Server) laddersOf(ctx context.Context, items ...domain.Item) (ladders, error) {
	out := ladders{}
	for _, it := range items {
		if _, ok := out[it.PlanID]; ok {
			continue
		}
		p, err := s.deps.Store.GetPlan(ctx, it.PlanID)
		if err != nil {
			return nil, err
		}
		pol, err := domain.ParsePolicy(domain.DefaultPolicy(), []byte(p.PolicyJSON))
		if err != nil {
			pol = domain.DefaultPolicy()
		}
		out[it.PlanID] = pol.Ladder
	}
	return out, nil
}

// name is the name of a plan's rung at level; empty for no level.
func (l ladders) name(plan uint64, level domain.Level) string {
	rungs := l[plan]
	if level < 1 || int(level) > len(rungs) {
		return ""
	}
	return rungs[level-1].Name
}
