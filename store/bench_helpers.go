package store

import (
	"context"
	"fmt"
	"time"

	"github.com/dubanhq/duban/domain"
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

// FillForBenchmark adds n items to a plan in batches, each with a lead and a partner from
// depts and a spread of statuses, lights, levels and due dates, without workflows: the
// read model of a large installation, for measuring the API at scale.
func (s *Store) FillForBenchmark(ctx context.Context, planID uint64, n int, depts []uint64, now time.Time) error {
	if len(depts) < 2 {
		return fmt.Errorf("store: fill for benchmark: need at least two departments")
	}
	const batch = 1000
	lights := []domain.Light{domain.Green, domain.Yellow, domain.Red}
	statuses := []domain.ItemStatus{domain.StatusActive, domain.StatusActive, domain.StatusReview, domain.StatusAssigned}
	for off := 0; off < n; off += batch {
		m := min(batch, n-off)
		items := make([]Item, m)
		for i := range items {
			k := off + i
			due := now.Add(time.Duration(k%90) * 24 * time.Hour)
			items[i] = Item{PlanID: planID, Seq: 1_000_000 + k, Ref: fmt.Sprint(k), Title: fmt.Sprintf("压测任务%d 优化营商环境 知识产权", k),
				LeadDeptID: depts[k%len(depts)], Status: string(statuses[k%len(statuses)]), Light: string(lights[k%3]), EscalationLevel: k % 5,
				NextDue: &due, WorkflowID: fmt.Sprintf("bench-%d-%d", planID, k)}
		}
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.CreateInBatches(items, 250).Error; err != nil {
				return err
			}
			as := make([]Assignment, 0, 2*m)
			for i, it := range items {
				k := off + i
				as = append(as, Assignment{ItemID: it.ID, DepartmentID: depts[k%len(depts)], Role: string(domain.Lead), Status: string(domain.AssignmentSigned)},
					Assignment{ItemID: it.ID, DepartmentID: depts[(k+7)%len(depts)], Role: string(domain.Partner), Status: string(domain.AssignmentSigned)})
			}
			return tx.CreateInBatches(as, 500).Error
		})
		if err != nil {
			return fmt.Errorf("store: fill for benchmark at item %d: %w", off, err)
		}
	}
	return nil
}

// CountPlanEvents counts a plan's events of one type (the bench waits on "assigned").
func (s *Store) CountPlanEvents(ctx context.Context, planID uint64, typ string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Event{}).Where("plan_id = ? AND type = ?", planID, typ).Count(&n).Error
	return n, err
}

// PlanNotificationTimes returns when each notification of a kind was written for a plan's
// items, oldest first.
func (s *Store) PlanNotificationTimes(ctx context.Context, planID uint64, kind string) ([]time.Time, error) {
	var ts []time.Time
	err := s.db.WithContext(ctx).Model(&Notification{}).
		Where("kind = ? AND item_id IN (?)", kind, s.db.Model(&Item{}).Select("id").Where("plan_id = ?", planID)).
		Order("created_at").Pluck("created_at", &ts).Error
	return ts, err
}

// DatabaseBytes is the size of the store's data and indexes: SQLite pages in use, or the
// InnoDB data and index length of the current MySQL schema after refreshing its statistics.
func (s *Store) DatabaseBytes(ctx context.Context) (int64, error) {
	db := s.db.WithContext(ctx)
	if s.db.Dialector.Name() == "sqlite" {
		var pages, size int64
		if err := db.Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
			return 0, err
		}
		if err := db.Raw("PRAGMA page_size").Scan(&size).Error; err != nil {
			return 0, err
		}
		var free int64
		_ = db.Raw("PRAGMA freelist_count").Scan(&free).Error
		return (pages - free) * size, nil
	}
	var tables []string
	if err := db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(&tables).Error; err != nil {
		return 0, err
	}
	for _, t := range tables {
		// Table names come from the server's own catalogue, quoted as identifiers.
		if err := db.Exec("ANALYZE TABLE " + s.db.Statement.Quote(t)).Error; err != nil {
			return 0, err
		}
	}
	var n int64
	err := db.Raw("SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(&n).Error
	return n, err
}
