package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// TransitionWrite is one workflow step's writes.
type TransitionWrite struct {
	ItemID        uint64
	Events        []Event
	Escalations   []Escalation
	Notifications []Notification
	Deliveries    []Delivery
	Reviews       []Review
	Submissions   map[uint64]string
	Readings      []IndicatorReading // hand-entered indicator values, deduplicated
	// Progress is where the item stands after the step: its read-model row and one
	// assignment row per department.
	Progress *domain.Progress
}

// WriteTransition applies a workflow step in one transaction. Rows with a dedupe key that
// already exists are skipped, so the write is idempotent.
func (s *Store) WriteTransition(ctx context.Context, w TransitionWrite) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// A fresh statement per model: a *gorm.DB reused across models keeps the first
		// model's schema.
		ignore := func() *gorm.DB { return tx.Clauses(clause.OnConflict{DoNothing: true}) }
		if len(w.Events) > 0 {
			if err := ignore().Create(&w.Events).Error; err != nil {
				return fmt.Errorf("store: events: %w", err)
			}
		}
		if len(w.Escalations) > 0 {
			if err := ignore().Create(&w.Escalations).Error; err != nil {
				return fmt.Errorf("store: escalations: %w", err)
			}
			if err := openAccountability(tx, w.ItemID, w.Escalations); err != nil {
				return err
			}
		}
		if len(w.Notifications) > 0 {
			if err := ignore().CreateInBatches(&w.Notifications, 200).Error; err != nil {
				return fmt.Errorf("store: notifications: %w", err)
			}
		}
		if len(w.Deliveries) > 0 {
			if err := ignore().CreateInBatches(&w.Deliveries, 200).Error; err != nil {
				return fmt.Errorf("store: deliveries: %w", err)
			}
		}
		if len(w.Reviews) > 0 {
			if err := ignore().Create(&w.Reviews).Error; err != nil {
				return fmt.Errorf("store: reviews: %w", err)
			}
		}
		if err := insertReadings(tx, w.Readings); err != nil {
			return err
		}
		for id, state := range w.Submissions {
			if err := tx.Model(&Submission{}).Where("id = ?", id).Update("state", state).Error; err != nil {
				return fmt.Errorf("store: submission %d: %w", id, err)
			}
		}
		if w.Progress != nil {
			if err := writeProgress(tx, w.ItemID, w.Progress); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeProgress updates an item's read-model row and upserts its assignments.
func writeProgress(tx *gorm.DB, itemID uint64, p *domain.Progress) error {
	err := tx.Model(&Item{}).Where("id = ?", itemID).Updates(map[string]any{
		"status": string(p.Status), "light": string(p.Light),
		"escalation_level": int(p.Level), "next_due": timePtr(p.NextDue),
		"version": gorm.Expr("version + 1"),
	}).Error
	if err != nil {
		return fmt.Errorf("store: item %d: %w", itemID, err)
	}
	// A department merged into another (单位合并) stays in a running workflow as a removed
	// share; its row was moved or dropped by the merge and must not come back.
	ids := make([]uint64, len(p.Assignments))
	for i, a := range p.Assignments {
		ids[i] = a.DepartmentID
	}
	gone, err := mergedAway(tx, ids)
	if err != nil {
		return err
	}
	for _, a := range p.Assignments {
		if gone[a.DepartmentID] {
			continue
		}
		row := assignmentRow(itemID, a)
		err := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "item_id"}, {Name: "department_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"role", "status", "signed_at", "signed_by",
				"next_due", "escalation_level", "overdue", "updated_at"}),
		}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("store: assignment %d/%d: %w", itemID, a.DepartmentID, err)
		}
	}
	return nil
}

// SaveSubmission inserts a submission, or returns the id of the one already stored under
// the same request key.
func (s *Store) SaveSubmission(ctx context.Context, sub *Submission) (uint64, error) {
	err := s.db.WithContext(ctx).Create(sub).Error
	if err == nil {
		return sub.ID, nil
	}
	if !isDuplicate(err) {
		return 0, fmt.Errorf("store: submission: %w", err)
	}
	var existing Submission
	if err := s.db.WithContext(ctx).Where("request_key = ?", sub.RequestKey).First(&existing).Error; err != nil {
		return 0, fmt.Errorf("store: submission by key: %w", err)
	}
	return existing.ID, nil
}
