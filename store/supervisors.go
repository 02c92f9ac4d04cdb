package store

import (
	"context"

	"gorm.io/gorm/clause"
)

// AddPlanSupervisor makes a user a supervisor of a plan (idempotent).
func (s *Store) AddPlanSupervisor(ctx context.Context, planID, userID uint64) error {
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&PlanSupervisor{PlanID: planID, UserID: userID}).Error
}

// PlanSupervisors returns the supervisors of a plan (none: open to every supervisor).
func (s *Store) PlanSupervisors(ctx context.Context, planID uint64) ([]User, error) {
	var us []User
	err := s.rdb.WithContext(ctx).Where("id IN (?)", s.rdb.Model(&PlanSupervisor{}).Select("user_id").Where("plan_id = ?", planID)).
		Where("disabled = ?", false).Order("id").Find(&us).Error
	return us, err
}

// ListsSupervisor reports whether a plan lists the user among its supervisors.
func (s *Store) ListsSupervisor(ctx context.Context, planID, userID uint64) (bool, error) {
	var n int64
	err := s.rdb.WithContext(ctx).Model(&PlanSupervisor{}).Where("plan_id = ? AND user_id = ?", planID, userID).Count(&n).Error
	return n > 0, err
}

// RemovePlanSupervisor takes a user off a plan's supervisors; it reports whether they were
// listed.
func (s *Store) RemovePlanSupervisor(ctx context.Context, planID, userID uint64) (bool, error) {
	res := s.db.WithContext(ctx).Where("plan_id = ? AND user_id = ?", planID, userID).Delete(&PlanSupervisor{})
	return res.RowsAffected > 0, res.Error
}

// Supervises reports whether a supervisor may act on a plan's items: listed as one of its
// supervisors, or the plan lists none.
func (s *Store) Supervises(ctx context.Context, planID, userID uint64) (bool, error) {
	var total, mine int64
	q := s.rdb.WithContext(ctx).Model(&PlanSupervisor{}).Where("plan_id = ?", planID)
	if err := q.Count(&total).Error; err != nil {
		return false, err
	}
	if total == 0 {
		return true, nil
	}
	err := s.rdb.WithContext(ctx).Model(&PlanSupervisor{}).Where("plan_id = ? AND user_id = ?", planID, userID).Count(&mine).Error
	return mine > 0, err
}
