package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// SaveAssessment stores a run; a run with a dedupe key already stored (a retried scheduled
// run) is returned as it was, not stored twice.
func (s *Store) SaveAssessment(ctx context.Context, a *Assessment) (*Assessment, bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(a)
	if res.Error != nil {
		return nil, false, res.Error
	}
	if res.RowsAffected == 1 {
		return a, true, nil
	}
	var existing Assessment
	if err := s.db.WithContext(ctx).Where("dedupe_key = ?", a.DedupeKey).First(&existing).Error; err != nil {
		return nil, false, err
	}
	return &existing, false, nil
}

// GetAssessment returns one run.
func (s *Store) GetAssessment(ctx context.Context, id uint64) (*Assessment, error) {
	var a Assessment
	err := s.db.WithContext(ctx).First(&a, id).Error
	if notFound(err) {
		return nil, domain.NotFoundf("考核 %d 不存在 / assessment %d does not exist", id, id)
	}
	return &a, err
}

// ListAssessments returns a plan's runs (every plan's when planID is 0), newest first,
// without their results.
func (s *Store) ListAssessments(ctx context.Context, planID uint64) ([]Assessment, error) {
	q := s.db.WithContext(ctx).Omit("result_json")
	if planID != 0 {
		q = q.Where("plan_id = ?", planID)
	}
	var out []Assessment
	return out, q.Order("id DESC").Limit(500).Find(&out).Error
}

// CircularEscalations returns the escalations on the items reached in [from, to) whose
// rung lists them in the circular (通报), in order.
func (s *Store) CircularEscalations(ctx context.Context, itemIDs []uint64, from, to time.Time) ([]Escalation, error) {
	if len(itemIDs) == 0 {
		return nil, nil
	}
	var out []Escalation
	return out, s.db.WithContext(ctx).Where("item_id IN ? AND circular = ? AND at >= ? AND at < ?", itemIDs, true, from, to).
		Order("at, id").Find(&out).Error
}

// Signers maps each (item, department) share to the user who signed it (签收人), the
// handler on record; shares not signed are absent.
func (s *Store) Signers(ctx context.Context, itemIDs []uint64) (map[[2]uint64]User, error) {
	out := map[[2]uint64]User{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	var as []Assignment
	if err := s.db.WithContext(ctx).Where("item_id IN ? AND signed_by <> 0", itemIDs).Find(&as).Error; err != nil {
		return nil, err
	}
	ids := make([]uint64, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.SignedBy)
	}
	var us []User
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&us).Error; err != nil {
			return nil, err
		}
	}
	byID := map[uint64]User{}
	for _, u := range us {
		byID[u.ID] = u
	}
	for _, a := range as {
		if u, ok := byID[a.SignedBy]; ok {
			out[[2]uint64{a.ItemID, a.DepartmentID}] = u
		}
	}
	return out, nil
}
