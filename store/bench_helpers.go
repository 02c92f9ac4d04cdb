package store

import (
	"context"

	"gorm.io/gorm"
)

// SpreadForBenchmark gives benchmark items a realistic mix of lights, levels, statuses and
// due dates (a third red, levels 0–4), the way a running system would have them.
func (s *Store) SpreadForBenchmark(ctx context.Context) error {
	return s.db.WithContext(ctx).Model(&Item{}).Where("1 = 1").Updates(map[string]any{
		"status":           gorm.Expr("CASE WHEN id % 4 = 0 THEN 'review' ELSE 'active' END"),
		"light":            gorm.Expr("CASE WHEN id % 3 = 0 THEN 'red' WHEN id % 3 = 1 THEN 'yellow' ELSE 'green' END"),
		"escalation_level": gorm.Expr("id % 5"),
	}).Error
}
