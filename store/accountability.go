package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// openAccountability opens one record per escalation whose rung declares accountability
// (追究责任), in the transaction that writes the escalation; a retried write opens nothing
// twice.
func openAccountability(tx *gorm.DB, itemID uint64, es []Escalation) error {
	var recs []Accountability
	for _, e := range es {
		if e.Accountability {
			recs = append(recs, Accountability{EscalationKey: e.DedupeKey, ItemID: itemID, DepartmentID: e.DepartmentID,
				Reason: e.Reason, OpenedAt: e.At})
		}
	}
	if len(recs) == 0 {
		return nil
	}
	var planID uint64
	if err := tx.Model(&Item{}).Select("plan_id").Where("id = ?", itemID).Scan(&planID).Error; err != nil {
		return fmt.Errorf("store: accountability: item %d: %w", itemID, err)
	}
	for i := range recs {
		recs[i].PlanID = planID
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&recs).Error; err != nil {
		return fmt.Errorf("store: accountability: %w", err)
	}
	return nil
}

// AccountabilityFilter selects records; zero fields do not filter.
type AccountabilityFilter struct {
	PlanID       uint64
	DepartmentID uint64
	Undecided    bool
	From, To     time.Time // opened in [From, To)
}

// ListAccountability returns records, oldest first.
func (s *Store) ListAccountability(ctx context.Context, f AccountabilityFilter) ([]Accountability, error) {
	q := s.db.WithContext(ctx).Model(&Accountability{})
	if f.PlanID != 0 {
		q = q.Where("plan_id = ?", f.PlanID)
	}
	if f.DepartmentID != 0 {
		q = q.Where("department_id = ?", f.DepartmentID)
	}
	if f.Undecided {
		q = q.Where("decision = ?", "")
	}
	if !f.From.IsZero() {
		q = q.Where("opened_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("opened_at < ?", f.To)
	}
	var out []Accountability
	return out, q.Order("id").Limit(5000).Find(&out).Error
}

// GetAccountability returns one record.
func (s *Store) GetAccountability(ctx context.Context, id uint64) (*Accountability, error) {
	var a Accountability
	err := s.db.WithContext(ctx).First(&a, id).Error
	if notFound(err) {
		return nil, domain.NotFoundf("追责记录 %d 不存在 / accountability record %d does not exist", id, id)
	}
	return &a, err
}

// AccountabilityDecisions are the leadership group's options.
var AccountabilityDecisions = []string{"interview", "criticism", "referral", "waived"}

// DecideAccountability records the leadership group's decision once; a record already
// decided is a conflict (a decision is corrected by a new record, not an edit).
func (s *Store) DecideAccountability(ctx context.Context, id uint64, decision, outcome string, by uint64, at time.Time) (*Accountability, error) {
	res := s.db.WithContext(ctx).Model(&Accountability{}).Where("id = ? AND decision = ?", id, "").
		Updates(map[string]any{"decision": decision, "outcome": outcome, "decided_by": by, "decided_at": at, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return nil, res.Error
	}
	a, err := s.GetAccountability(ctx, id)
	if err != nil {
		return nil, err
	}
	if res.RowsAffected == 0 {
		return a, domain.E(domain.KindConflict, "decision", "该追责记录已有决定 / this record was already decided", errors.New("decided"))
	}
	return a, nil
}
